// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "venus/rpc/json.hpp"

#include <rapidjson/error/en.h>
#include <rapidjson/prettywriter.h>

namespace venus::rpc {

RawJson json_string(std::string_view s) {
    JsonBuilder b;
    write_string(b.out(), s);
    return b.take();
}
RawJson json_null() { return RawJson{"null"}; }
RawJson json_bool(bool v) { return RawJson{v ? "true" : "false"}; }
RawJson json_int(std::int64_t v) { return RawJson{std::to_string(v)}; }
RawJson json_uint(std::uint64_t v) { return RawJson{std::to_string(v)}; }

std::string to_json_text(const JsonValue& v) {
    rapidjson::StringBuffer buf;
    JsonOut out(buf);
    v.Accept(out);
    return {buf.GetString(), buf.GetSize()};
}

std::string pretty_json(std::string_view text) {
    JsonDocument doc;
    if (!parse_json(text, doc)) return std::string(text);
    rapidjson::StringBuffer buf;
    rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buf);
    w.SetIndent(' ', 2);
    doc.Accept(w);
    return {buf.GetString(), buf.GetSize()};
}

namespace {
// RapidJSON's recursive parser has no depth limit, so nesting is measured first with a linear scan
// that understands strings and escapes. Cheap next to parsing, and it keeps hostile input from
// exhausting the stack.
bool depth_within(std::string_view text, std::size_t max_depth) {
    std::size_t depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\') ++i;
            else if (c == '"') in_string = false;
            continue;
        }
        if (c == '"') in_string = true;
        else if (c == '[' || c == '{') {
            if (++depth > max_depth) return false;
        } else if (c == ']' || c == '}') {
            if (depth > 0) --depth;
        }
    }
    return true;
}
}  // namespace

Result<void> parse_json(std::string_view text, JsonDocument& doc, const JsonLimits& limits) {
    if (!depth_within(text, limits.max_depth)) {
        return make_error(Errc::kOutOfRange, "JSON nesting deeper than {}", limits.max_depth);
    }
    // Without kParseStopWhenDoneFlag RapidJSON itself rejects trailing non-whitespace.
    doc.Parse<rapidjson::kParseFullPrecisionFlag>(text.data(), text.size());
    if (doc.HasParseError()) {
        return make_error(Errc::kInvalidArgument, "{} at offset {}", rapidjson::GetParseError_En(doc.GetParseError()),
                          doc.GetErrorOffset());
    }
    return {};
}

namespace {
Result<const JsonValue*> param_at(const JsonValue& params, std::size_t i) {
    if (!params.IsArray() || i >= params.Size()) return make_error(Errc::kInvalidArgument, "missing param {}", i);
    return &params[static_cast<rapidjson::SizeType>(i)];
}
}  // namespace

Result<std::string_view> param_string(const JsonValue& params, std::size_t i) {
    VENUS_TRY(const JsonValue* v, param_at(params, i));
    if (!v->IsString()) return make_error(Errc::kInvalidArgument, "param {}: expected a string", i);
    return std::string_view(v->GetString(), v->GetStringLength());
}
Result<std::int64_t> param_int(const JsonValue& params, std::size_t i) {
    VENUS_TRY(const JsonValue* v, param_at(params, i));
    if (!v->IsInt64()) return make_error(Errc::kInvalidArgument, "param {}: expected an integer", i);
    return v->GetInt64();
}
Result<std::uint64_t> param_uint(const JsonValue& params, std::size_t i) {
    VENUS_TRY(const JsonValue* v, param_at(params, i));
    if (!v->IsUint64()) return make_error(Errc::kInvalidArgument, "param {}: expected an unsigned integer", i);
    return v->GetUint64();
}
Result<bool> param_bool(const JsonValue& params, std::size_t i) {
    VENUS_TRY(const JsonValue* v, param_at(params, i));
    if (!v->IsBool()) return make_error(Errc::kInvalidArgument, "param {}: expected a boolean", i);
    return v->GetBool();
}

}  // namespace venus::rpc
