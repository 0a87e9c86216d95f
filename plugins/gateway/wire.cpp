// SPDX-License-Identifier: Apache-2.0 OR MIT
// The sophon-gateway channel protocol's JSON (venus-shared/types/gateway): payloads are JSON texts
// carried as base64 ([]byte in Go), keys are matched case-insensitively as Go's encoding/json does.
#include <openssl/rand.h>

#include <array>
#include <atomic>
#include <cstring>
#include <strings.h>

#include "venus/api/gateway.hpp"

namespace venus::api::wire {

namespace {

const rpc::JsonValue* member(const rpc::JsonValue& v, std::string_view key) {
    if (!v.IsObject()) return nullptr;
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
        if (it->name.GetStringLength() == key.size() &&
            ::strncasecmp(it->name.GetString(), key.data(), key.size()) == 0) {
            return &it->value;
        }
    }
    return nullptr;
}

Result<std::string> string_member(const rpc::JsonValue& v, std::string_view key, bool required) {
    const auto* m = member(v, key);
    if (m == nullptr || m->IsNull()) {
        if (required) return make_error(Errc::kInvalidArgument, "missing \"{}\"", key);
        return std::string{};
    }
    if (!m->IsString()) return make_error(Errc::kInvalidArgument, "\"{}\" must be a string", key);
    return std::string(m->GetString(), m->GetStringLength());
}

//! Go marshals a nil []byte as null and an empty one as "".
Result<Bytes> bytes_member(const rpc::JsonValue& v, std::string_view key) {
    VENUS_TRY(auto text, string_member(v, key, false));
    if (text.empty()) return Bytes{};
    auto b = from_base64(text);
    if (!b) return b.error().wrap(fmt::format("\"{}\"", key));
    return std::move(*b);
}

void write_bytes(rpc::JsonOut& out, BytesView b) {
    if (b.empty()) {
        out.Null();
    } else {
        rpc::write_string(out, to_base64(b));
    }
}

}  // namespace

rpc::RawJson to_json(const RequestEvent& e) {
    rpc::JsonBuilder b;
    auto& o = b.out();
    o.StartObject();
    rpc::write_key(o, "Id");
    rpc::write_string(o, e.id);
    rpc::write_key(o, "Method");
    rpc::write_string(o, e.method);
    rpc::write_key(o, "Payload");
    write_bytes(o, as_bytes(e.payload));
    o.EndObject();
    return b.take();
}

Result<RequestEvent> parse_request_event(const rpc::JsonValue& v) {
    if (!v.IsObject()) return make_error(Errc::kInvalidArgument, "RequestEvent must be an object");
    RequestEvent e;
    VENUS_TRY(e.id, string_member(v, "Id", true));
    VENUS_TRY(e.method, string_member(v, "Method", true));
    VENUS_TRY(auto payload, bytes_member(v, "Payload"));
    e.payload.assign(as_string(payload));
    if (e.payload.empty()) e.payload = "null";
    return e;
}

rpc::RawJson to_json(const ResponseEvent& e) {
    rpc::JsonBuilder b;
    auto& o = b.out();
    o.StartObject();
    rpc::write_key(o, "Id");
    rpc::write_string(o, e.id);
    rpc::write_key(o, "Payload");
    write_bytes(o, as_bytes(e.payload));
    rpc::write_key(o, "Error");
    rpc::write_string(o, e.error);
    o.EndObject();
    return b.take();
}

Result<ResponseEvent> parse_response_event(const rpc::JsonValue& v) {
    if (!v.IsObject()) return make_error(Errc::kInvalidArgument, "ResponseEvent must be an object");
    ResponseEvent e;
    VENUS_TRY(e.id, string_member(v, "Id", true));
    VENUS_TRY(auto payload, bytes_member(v, "Payload"));
    e.payload.assign(as_string(payload));
    VENUS_TRY(e.error, string_member(v, "Error", false));
    return e;
}

void write_meta(rpc::JsonOut& o, const SignMeta& m) {
    o.StartObject();
    rpc::write_key(o, "Type");
    rpc::write_string(o, m.type);
    rpc::write_key(o, "Extra");
    write_bytes(o, m.extra);
    o.EndObject();
}

Result<SignMeta> parse_meta(const rpc::JsonValue& v) {
    SignMeta m;
    if (v.IsNull()) return m;
    if (!v.IsObject()) return make_error(Errc::kInvalidArgument, "MsgMeta must be an object");
    VENUS_TRY(m.type, string_member(v, "Type", false));
    VENUS_TRY(m.extra, bytes_member(v, "Extra"));
    return m;
}

rpc::RawJson to_json(const WalletSignRequest& r) {
    rpc::JsonBuilder b;
    auto& o = b.out();
    o.StartObject();
    rpc::write_key(o, "Signer");
    rpc::write_string(o, r.signer.to_string());
    rpc::write_key(o, "ToSign");
    write_bytes(o, r.to_sign);
    rpc::write_key(o, "Meta");
    write_meta(o, r.meta);
    o.EndObject();
    return b.take();
}

Result<WalletSignRequest> parse_wallet_sign_request(const rpc::JsonValue& v) {
    if (!v.IsObject()) return make_error(Errc::kInvalidArgument, "WalletSignRequest must be an object");
    WalletSignRequest r;
    VENUS_TRY(auto signer, string_member(v, "Signer", true));
    VENUS_TRY(r.signer, chain::Address::parse(signer));
    VENUS_TRY(r.to_sign, bytes_member(v, "ToSign"));
    if (const auto* m = member(v, "Meta")) {
        VENUS_TRY(r.meta, parse_meta(*m));
    }
    return r;
}

rpc::RawJson to_json(const chain::Signature& s) {
    rpc::JsonBuilder b;
    auto& o = b.out();
    o.StartObject();
    rpc::write_key(o, "Type");
    o.Uint(static_cast<unsigned>(s.type));
    rpc::write_key(o, "Data");
    write_bytes(o, s.data);
    o.EndObject();
    return b.take();
}

Result<chain::Signature> parse_signature(const rpc::JsonValue& v) {
    if (!v.IsObject()) return make_error(Errc::kInvalidArgument, "Signature must be an object");
    chain::Signature s;
    const auto* t = member(v, "Type");
    if (t == nullptr || !t->IsUint() || t->GetUint() < 1 || t->GetUint() > 3) {
        return make_error(Errc::kInvalidArgument, "Signature.Type must be 1, 2 or 3");
    }
    s.type = static_cast<chain::SigType>(t->GetUint());
    VENUS_TRY(s.data, bytes_member(v, "Data"));
    return s;
}

std::string new_uuid() {
    std::array<std::uint8_t, 16> b{};
    if (RAND_bytes(b.data(), static_cast<int>(b.size())) != 1) {
        // OpenSSL's DRBG does not fail once seeded; keep ids unique regardless.
        static std::atomic<std::uint64_t> counter{0};
        auto n = counter.fetch_add(1) + 1;
        std::memcpy(b.data(), &n, sizeof n);
    }
    b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40);
    b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);
    const auto hex = to_hex(b);
    return fmt::format("{}-{}-{}-{}-{}", hex.substr(0, 8), hex.substr(8, 4), hex.substr(12, 4), hex.substr(16, 4),
                       hex.substr(20));
}

}  // namespace venus::api::wire
