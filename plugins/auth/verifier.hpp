// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The daemon's token verifier while the auth module runs: tokens are checked against the store
//! (registered, not removed, HS256 with the token's own secret, user present and not disabled),
//! and valid results are cached in memory. Any change that could turn a valid token invalid (token
//! removed, user disabled or deleted) clears the cache before the change is acknowledged, so it
//! takes effect at once. Tokens the store has never seen go to the previous verifier (the
//! daemon's own jwt-secret), so the repo's `token` file keeps working whatever happens here.
#pragma once

#include <atomic>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "rate_limiter.hpp"
#include "store/auth_store.hpp"
#include "venus/core/metrics.hpp"
#include "venus/rpc/auth.hpp"

namespace venus::plugins::auth {

class AuthVerifier final : public rpc::TokenVerifier {
  public:
    //! `fallback` may be null. `cache_size`: entries kept before the cache starts over.
    AuthVerifier(AuthStore& store, std::shared_ptr<rpc::TokenVerifier> fallback, RateLimiter& limiter,
                 std::size_t cache_size, metrics::Registry* metrics = nullptr);

    //! Completes inline: a cache hit, or one store lookup and one HMAC.
    void verify(std::string_view token, Done done) override;
    Status admit_call(const rpc::Claims& claims, std::string_view method) override;

    //! verify() without the fallback, returning the result (what /verify answers).
    Result<rpc::Claims> verify_sync(std::string_view token);
    //! The full check every time, bypassing the cache (benchmarks and tests). Errc::kNotFound when
    //! the store does not know the token; Errc::kUnauthenticated for every other refusal.
    Result<rpc::Claims> verify_uncached(std::string_view token);

    //! Forgets every cached result; called before acknowledging a revoking change.
    void invalidate() noexcept;
    std::size_t cache_entries() const;

  private:
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
    };

    AuthStore& store_;
    std::shared_ptr<rpc::TokenVerifier> fallback_;
    RateLimiter& limiter_;
    std::size_t cache_size_;
    mutable std::shared_mutex mu_;
    std::unordered_map<std::string, rpc::Claims, Hash, std::equal_to<>> cache_;
    // Bumped by invalidate(): a lookup that started before an invalidation must not refill the cache.
    std::atomic<std::uint64_t> generation_{0};
    metrics::Counter* ok_ = nullptr;
    metrics::Counter* refused_ = nullptr;
};

}  // namespace venus::plugins::auth
