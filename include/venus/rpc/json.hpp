// SPDX-License-Identifier: Apache-2.0 OR MIT
//! JSON helpers on RapidJSON. Results travel as already-serialized text (RawJson) so the dispatcher
//! can splice them into the response envelope without re-encoding.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "venus/core/result.hpp"

namespace venus::rpc {

//! A complete JSON value as text.
struct RawJson {
    std::string text;
};

using JsonValue = rapidjson::Value;
using JsonDocument = rapidjson::Document;
using JsonOut = rapidjson::Writer<rapidjson::StringBuffer>;

//! Builds a JSON value with RapidJSON's writer: `JsonBuilder b; b.out().StartObject(); …; return b.take();`
class JsonBuilder {
  public:
    JsonBuilder() : out_(buf_) {}
    JsonOut& out() noexcept { return out_; }
    RawJson take() { return RawJson{std::string(buf_.GetString(), buf_.GetSize())}; }

  private:
    rapidjson::StringBuffer buf_;
    JsonOut out_;
};

inline void write_string(JsonOut& out, std::string_view s) {
    out.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}
inline void write_key(JsonOut& out, std::string_view s) {
    out.Key(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}
//! Writes pre-serialized JSON as a value.
inline void write_raw(JsonOut& out, const RawJson& v) {
    out.RawValue(v.text.data(), v.text.size(), rapidjson::kObjectType);
}

RawJson json_string(std::string_view s);
RawJson json_null();
RawJson json_bool(bool b);
RawJson json_int(std::int64_t v);
RawJson json_uint(std::uint64_t v);
std::string to_json_text(const JsonValue& v);
//! Indented JSON for people (CLI output); invalid input comes back unchanged.
std::string pretty_json(std::string_view text);

//! Limits applied before RapidJSON sees the bytes (it has no depth limit of its own).
struct JsonLimits {
    std::size_t max_depth = 64;
};
//! Parses JSON text with a nesting-depth limit. Integers keep full 64-bit precision.
Result<void> parse_json(std::string_view text, JsonDocument& doc, const JsonLimits& limits = {});

//! Typed access to positional params with clear errors ("param 0: expected string").
Result<std::string_view> param_string(const JsonValue& params, std::size_t i);
Result<std::int64_t> param_int(const JsonValue& params, std::size_t i);
Result<std::uint64_t> param_uint(const JsonValue& params, std::size_t i);
Result<bool> param_bool(const JsonValue& params, std::size_t i);

}  // namespace venus::rpc
