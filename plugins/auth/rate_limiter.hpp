// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Per-user request limits, enforced in-process on every authenticated JSON-RPC call: a fixed
//! window as sophon's limiter (redis_rate) has, without Redis. Only a user's root rule (service and
//! api empty) counts, as in sophon-auth's WarpLimitFinder. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "venus/api/auth.hpp"
#include "venus/core/result.hpp"

namespace venus::plugins::auth {

class RateLimiter {
  public:
    using Clock = std::chrono::steady_clock;

    //! Replaces the rules; windows of users whose rule stays keep their count.
    void set_rules(const std::vector<api::RateLimit>& rules);
    //! Counts one call of `user`; Errc::kRateLimited with sophon's message once the window is full.
    Status admit(std::string_view user, std::string_view method, Clock::time_point now = Clock::now());

  private:
    struct Window {
        std::int64_t cap = 0;
        Clock::duration length{};
        Clock::time_point start{};
        std::int64_t used = 0;
    };
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
    };
    std::atomic<bool> any_{false};  // skips the lock when nobody is limited (the common case)
    std::mutex mu_;
    std::unordered_map<std::string, Window, Hash, std::equal_to<>> windows_;
};

}  // namespace venus::plugins::auth
