// SPDX-License-Identifier: Apache-2.0 OR MIT
#include <catch2/catch.hpp>

#include "rate_limiter.hpp"

using namespace venus;
using venus::plugins::auth::RateLimiter;

TEST_CASE("auth rate limiter: fixed window per user, root rule only", "[unit][auth]") {
    RateLimiter limiter;
    const auto t0 = RateLimiter::Clock::now();
    CHECK(limiter.admit("alice", "Filecoin.Version", t0).ok());  // no rules: everyone passes

    limiter.set_rules({api::RateLimit{"1", "alice", "", "", 2, std::chrono::seconds(60)},
                       api::RateLimit{"2", "bob", "svc", "", 1, std::chrono::seconds(60)}});  // not a root rule
    CHECK(limiter.admit("alice", "M", t0).ok());
    CHECK(limiter.admit("alice", "M", t0 + std::chrono::seconds(1)).ok());
    auto refused = limiter.admit("alice", "Filecoin.ChainHead", t0 + std::chrono::seconds(30));
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().is(Errc::kRateLimited));
    CHECK(refused.error().message ==
          "rate-limit,user:alice, host:, method:Filecoin.ChainHead is limited, cap=2, used=2,will reset in 0.50(m)");
    for (int i = 0; i < 5; ++i) CHECK(limiter.admit("bob", "M", t0).ok());
    CHECK(limiter.admit("", "M", t0).ok());  // Lotus-style tokens carry no user

    // A new window starts once the old one has run out.
    CHECK(limiter.admit("alice", "M", t0 + std::chrono::seconds(61)).ok());

    // Changing the rules keeps the running window's count.
    limiter.set_rules({api::RateLimit{"1", "alice", "", "", 1, std::chrono::seconds(60)}});
    CHECK_FALSE(limiter.admit("alice", "M", t0 + std::chrono::seconds(62)).ok());
    limiter.set_rules({});
    CHECK(limiter.admit("alice", "M", t0 + std::chrono::seconds(62)).ok());
}
