// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "rate_limiter.hpp"

namespace venus::plugins::auth {

void RateLimiter::set_rules(const std::vector<api::RateLimit>& rules) {
    std::lock_guard lock(mu_);
    std::unordered_map<std::string, Window, Hash, std::equal_to<>> next;
    for (const auto& r : rules) {
        if (!r.service.empty() || !r.api.empty() || r.cap <= 0 || r.reset_dur.count() <= 0) continue;
        Window w;
        if (auto it = windows_.find(r.name); it != windows_.end()) w = it->second;
        w.cap = r.cap;
        w.length = std::chrono::duration_cast<Clock::duration>(r.reset_dur);
        next[r.name] = w;
    }
    windows_ = std::move(next);
    any_.store(!windows_.empty(), std::memory_order_release);
}

Status RateLimiter::admit(std::string_view user, std::string_view method, Clock::time_point now) {
    if (!any_.load(std::memory_order_acquire) || user.empty()) return {};
    std::lock_guard lock(mu_);
    auto it = windows_.find(user);
    if (it == windows_.end()) return {};
    Window& w = it->second;
    if (w.start == Clock::time_point{} || now - w.start >= w.length) {
        w.start = now;
        w.used = 0;
    }
    if (w.used >= w.cap) {
        const double minutes = std::chrono::duration<double, std::ratio<60>>(w.start + w.length - now).count();
        // The message of ipfs-force-community/metrics' JSON-RPC limiter (the host is not known here).
        return make_error(Errc::kRateLimited,
                          "rate-limit,user:{}, host:{}, method:{} is limited, cap={}, used={},will reset in {:.2f}(m)",
                          user, "", method, w.cap, w.used, minutes);
    }
    ++w.used;
    return {};
}

}  // namespace venus::plugins::auth
