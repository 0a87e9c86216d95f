// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "venus/rpc/jwt.hpp"

#include <openssl/evp.h>

#include <cstring>
#include <stdexcept>

#include "venus/rpc/json.hpp"

namespace venus::rpc {

struct Hs256Key::State {
    EVP_MD_CTX* inner = nullptr;  // SHA-256 state after absorbing key ^ ipad
    EVP_MD_CTX* outer = nullptr;  // SHA-256 state after absorbing key ^ opad
};

namespace {
constexpr std::size_t kBlock = 64;

// One scratch context per thread: EVP_MD_CTX_new/free would otherwise dominate a verification.
EVP_MD_CTX* scratch_ctx() {
    struct Holder {
        EVP_MD_CTX* ctx = EVP_MD_CTX_new();
        ~Holder() { EVP_MD_CTX_free(ctx); }
    };
    thread_local Holder h;
    return h.ctx;
}

void check(int ok, const char* what) {
    if (ok != 1) throw std::runtime_error(what);  // only on OpenSSL allocation failure
}
}  // namespace

Hs256Key::Hs256Key(BytesView secret) : state_(std::make_unique<State>()) {
    std::uint8_t key[kBlock] = {};
    if (secret.size() > kBlock) {
        unsigned int n = 0;
        check(EVP_Digest(secret.data(), secret.size(), key, &n, EVP_sha256(), nullptr), "sha256");
    } else if (!secret.empty()) {
        std::memcpy(key, secret.data(), secret.size());
    }
    std::uint8_t ipad[kBlock];
    std::uint8_t opad[kBlock];
    for (std::size_t i = 0; i < kBlock; ++i) {
        ipad[i] = static_cast<std::uint8_t>(key[i] ^ 0x36);
        opad[i] = static_cast<std::uint8_t>(key[i] ^ 0x5c);
    }
    state_->inner = EVP_MD_CTX_new();
    state_->outer = EVP_MD_CTX_new();
    check(EVP_DigestInit_ex(state_->inner, EVP_sha256(), nullptr), "init");
    check(EVP_DigestUpdate(state_->inner, ipad, kBlock), "update");
    check(EVP_DigestInit_ex(state_->outer, EVP_sha256(), nullptr), "init");
    check(EVP_DigestUpdate(state_->outer, opad, kBlock), "update");
}

Hs256Key::~Hs256Key() {
    EVP_MD_CTX_free(state_->inner);
    EVP_MD_CTX_free(state_->outer);
}

std::array<std::uint8_t, 32> Hs256Key::mac(BytesView data) const {
    std::array<std::uint8_t, 32> inner_digest{};
    std::array<std::uint8_t, 32> out{};
    unsigned int n = 0;
    EVP_MD_CTX* ctx = scratch_ctx();
    check(EVP_MD_CTX_copy_ex(ctx, state_->inner), "copy");
    check(EVP_DigestUpdate(ctx, data.data(), data.size()), "update");
    check(EVP_DigestFinal_ex(ctx, inner_digest.data(), &n), "final");
    check(EVP_MD_CTX_copy_ex(ctx, state_->outer), "copy");
    check(EVP_DigestUpdate(ctx, inner_digest.data(), inner_digest.size()), "update");
    check(EVP_DigestFinal_ex(ctx, out.data(), &n), "final");
    return out;
}

namespace {
const std::string kHeaderB64 = to_base64url(as_bytes(R"({"alg":"HS256","typ":"JWT"})"));

Result<Claims> claims_from_payload(std::string_view payload_json) {
    JsonDocument doc;
    VENUS_TRY_VOID(parse_json(payload_json, doc));
    if (!doc.IsObject()) return make_error(Errc::kUnauthenticated, "token payload is not a JSON object");
    Claims c;
    if (auto it = doc.FindMember("Allow"); it != doc.MemberEnd()) {
        // Lotus token: the strongest listed permission.
        if (!it->value.IsArray() || it->value.Empty()) return make_error(Errc::kUnauthenticated, "token has no permissions");
        bool any = false;
        for (const auto& p : it->value.GetArray()) {
            if (!p.IsString()) return make_error(Errc::kUnauthenticated, "token permission is not a string");
            auto perm = parse_perm(p.GetString());
            if (!perm) return make_error(Errc::kUnauthenticated, "token has unknown permission '{}'", p.GetString());
            if (!any || allows(*perm, c.perm)) c.perm = *perm;
            any = true;
        }
        return c;
    }
    auto perm_it = doc.FindMember("perm");
    if (perm_it == doc.MemberEnd() || !perm_it->value.IsString()) {
        return make_error(Errc::kUnauthenticated, "token has no permission");
    }
    auto perm = parse_perm(perm_it->value.GetString());
    if (!perm) return make_error(Errc::kUnauthenticated, "token has unknown permission '{}'", perm_it->value.GetString());
    c.perm = *perm;
    if (auto it = doc.FindMember("name"); it != doc.MemberEnd() && it->value.IsString()) c.name = it->value.GetString();
    if (auto it = doc.FindMember("ext"); it != doc.MemberEnd() && it->value.IsString()) c.ext = it->value.GetString();
    return c;
}
}  // namespace

std::string jwt_sign_payload(const Hs256Key& key, std::string_view payload_json) {
    std::string input = kHeaderB64 + "." + to_base64url(as_bytes(payload_json));
    auto mac = key.mac(as_bytes(input));
    return input + "." + to_base64url(mac);
}

std::string jwt_sign_sophon(const Hs256Key& key, const Claims& claims) {
    JsonBuilder b;
    auto& o = b.out();
    o.StartObject();
    write_key(o, "name");
    write_string(o, claims.name);
    write_key(o, "perm");
    write_string(o, to_string(claims.perm));
    write_key(o, "ext");
    write_string(o, claims.ext);
    o.EndObject();
    return jwt_sign_payload(key, b.take().text);
}

Result<JwtParts> jwt_split(std::string_view token) {
    if (token.size() > 8192) return make_error(Errc::kUnauthenticated, "token too long");
    auto d1 = token.find('.');
    auto d2 = d1 == std::string_view::npos ? d1 : token.find('.', d1 + 1);
    if (d2 == std::string_view::npos || token.find('.', d2 + 1) != std::string_view::npos) {
        return make_error(Errc::kUnauthenticated, "malformed token: expected three dot-separated parts");
    }
    JwtParts parts;
    parts.signing_input = token.substr(0, d2);
    auto header = from_base64url(token.substr(0, d1));
    auto payload = from_base64url(token.substr(d1 + 1, d2 - d1 - 1));
    auto sig = from_base64url(token.substr(d2 + 1));
    if (!header || !payload || !sig) return make_error(Errc::kUnauthenticated, "malformed token: bad base64url");
    parts.header_json.assign(header->begin(), header->end());
    parts.payload_json.assign(payload->begin(), payload->end());
    parts.signature = std::move(*sig);
    return parts;
}

Result<Claims> jwt_claims_unverified(std::string_view token) {
    VENUS_TRY(auto parts, jwt_split(token));
    return claims_from_payload(parts.payload_json);
}

Result<Claims> jwt_verify(const Hs256Key& key, std::string_view token) {
    VENUS_TRY(auto parts, jwt_split(token));
    JsonDocument header;
    if (!parse_json(parts.header_json, header) || !header.IsObject()) {
        return make_error(Errc::kUnauthenticated, "malformed token header");
    }
    auto alg = header.FindMember("alg");
    if (alg == header.MemberEnd() || !alg->value.IsString() || std::string_view(alg->value.GetString()) != "HS256") {
        return make_error(Errc::kUnauthenticated, "token algorithm must be HS256");
    }
    auto mac = key.mac(as_bytes(parts.signing_input));
    if (!equal_constant_time(mac, parts.signature)) return make_error(Errc::kUnauthenticated, "token signature is invalid");
    return claims_from_payload(parts.payload_json);
}

LocalJwtVerifier::LocalJwtVerifier(BytesView secret) : key_(secret) {}

Result<Claims> LocalJwtVerifier::verify_sync(std::string_view token) {
    {
        std::lock_guard lock(mu_);
        if (auto it = cache_.find(std::string(token)); it != cache_.end()) return it->second;
    }
    VENUS_TRY(auto claims, jwt_verify(key_, token));
    std::lock_guard lock(mu_);
    if (cache_.size() > 10000) cache_.clear();  // bounded: tokens are few in practice
    cache_.emplace(std::string(token), claims);
    return claims;
}

void LocalJwtVerifier::verify(std::string_view token, Done done) { done(verify_sync(token)); }

}  // namespace venus::rpc
