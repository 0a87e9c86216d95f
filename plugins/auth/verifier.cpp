// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "verifier.hpp"

#include "venus/core/bytes.hpp"
#include "venus/core/log.hpp"
#include "venus/rpc/json.hpp"
#include "venus/rpc/jwt.hpp"

namespace venus::plugins::auth {

AuthVerifier::AuthVerifier(AuthStore& store, std::shared_ptr<rpc::TokenVerifier> fallback, RateLimiter& limiter,
                           std::size_t cache_size, metrics::Registry* metrics)
    : store_(store), fallback_(std::move(fallback)), limiter_(limiter), cache_size_(cache_size == 0 ? 1 : cache_size) {
    if (metrics != nullptr) {
        const std::string help = "auth token verifications by outcome (cache hits included)";
        ok_ = &metrics->counter("venus_auth_token_verify_total", help, {{"verify_state", "success"}});
        refused_ = &metrics->counter("venus_auth_token_verify_total", help, {{"verify_state", "failed"}});
    }
}

Result<rpc::Claims> AuthVerifier::verify_uncached(std::string_view token) {
    VENUS_TRY(auto parts, rpc::jwt_split(token));  // cheap shape check before touching the store
    VENUS_TRY(auto row, store_.find_token(token));
    if (!row) return make_error(Errc::kNotFound, "token is not registered");
    if (row->deleted) return make_error(Errc::kUnauthenticated, "token was removed");
    auto secret = from_hex(row->secret_hex);
    if (!secret) return make_error(Errc::kUnauthenticated, "token secret is corrupt");
    const rpc::Hs256Key key(*secret);
    if (!equal_constant_time(key.mac(as_bytes(parts.signing_input)), parts.signature)) {
        return make_error(Errc::kUnauthenticated, "Verification Failed");  // sophon-auth's words
    }
    rpc::JsonDocument header;
    if (!rpc::parse_json(parts.header_json, header) || !header.IsObject() || !header.HasMember("alg") ||
        !header["alg"].IsString() || std::string_view(header["alg"].GetString()) != "HS256") {
        return make_error(Errc::kUnauthenticated, "token algorithm must be HS256");
    }
    VENUS_TRY(auto claims, rpc::jwt_claims_unverified(token));
    VENUS_TRY(auto user, store_.find_user(claims.name));
    if (!user || user->deleted) return make_error(Errc::kUnauthenticated, "user '{}' does not exist", claims.name);
    if (user->user.state == api::UserState::kDisabled) {
        return make_error(Errc::kUnauthenticated, "user '{}' is disabled", claims.name);
    }
    return claims;
}

Result<rpc::Claims> AuthVerifier::verify_sync(std::string_view token) {
    {
        std::shared_lock lock(mu_);
        if (auto it = cache_.find(token); it != cache_.end()) {
            if (ok_) ok_->inc();
            return it->second;
        }
    }
    const auto generation = generation_.load(std::memory_order_acquire);
    auto r = verify_uncached(token);
    if (!r) {
        if (refused_ && !r.error().is(Errc::kNotFound)) refused_->inc();
        return r;
    }
    if (ok_) ok_->inc();
    std::unique_lock lock(mu_);
    if (generation_.load(std::memory_order_acquire) == generation) {
        if (cache_.size() >= cache_size_) cache_.clear();  // bounded; tokens are few in practice
        cache_.emplace(std::string(token), *r);
    }
    return r;
}

void AuthVerifier::verify(std::string_view token, Done done) {
    auto r = verify_sync(token);
    if (!r && r.error().is(Errc::kNotFound) && fallback_) {
        fallback_->verify(token, std::move(done));
        return;
    }
    if (!r) {
        log::get("auth")->debug("token {} refused: {}", log::redact_token(token), r.error().message);
        if (r.error().is(Errc::kNotFound)) r = make_error(Errc::kUnauthenticated, "token is not registered");
    }
    done(std::move(r));
}

Status AuthVerifier::admit_call(const rpc::Claims& claims, std::string_view method) {
    return limiter_.admit(claims.name, method);
}

void AuthVerifier::invalidate() noexcept {
    std::unique_lock lock(mu_);
    generation_.fetch_add(1, std::memory_order_acq_rel);
    cache_.clear();
}

std::size_t AuthVerifier::cache_entries() const {
    std::shared_lock lock(mu_);
    return cache_.size();
}

}  // namespace venus::plugins::auth
