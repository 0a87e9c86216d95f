// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The [messager] config section (sophon-messager's config.toml: [messageService], [publisher],
//! [node], [gateway], [jwt]).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "venus/app/config.hpp"
#include "venus/core/result.hpp"

namespace venus::plugins::messager {

struct Settings {
    //! Debounce after a new head before selecting (WaitingChainHeadStableDuration); halved block
    //! delay when the chain is faster than this, as the original rewrites it.
    std::chrono::milliseconds wait_head_stable{8'000};
    std::chrono::milliseconds sign_timeout{10'000};
    std::chrono::milliseconds estimate_timeout{30'000};
    //! How often a remote node's head is polled (a local node notifies at once).
    std::chrono::milliseconds head_poll_interval{1'000};
    //! A signed message is pushed again when its last push is older than this (CachePublisher).
    std::chrono::milliseconds republish_interval{0};  //!< 0: three block delays
    std::int64_t select_concurrency = 2;  //!< addresses selected in parallel
    bool skip_process_head = false;       //!< several instances on one MySQL: only one follows the chain
    bool skip_push_message = false;       //!< … and only one selects and pushes
    std::string node;     //!< api-info of a remote node; empty = this process's node module
    std::string gateway;  //!< api-info of a remote gateway; empty = this process's gateway module
    std::string auth;     //!< api-info of a remote auth service; empty = this process's auth module

    static Result<Settings> load(const app::Config& c) {
        Settings s;
        VENUS_TRY(s.wait_head_stable, c.get_duration("messager", "wait_head_stable", std::chrono::seconds(8)));
        VENUS_TRY(s.sign_timeout, c.get_duration("messager", "sign_timeout", std::chrono::seconds(10)));
        VENUS_TRY(s.estimate_timeout, c.get_duration("messager", "estimate_timeout", std::chrono::seconds(30)));
        VENUS_TRY(s.head_poll_interval, c.get_duration("messager", "head_poll_interval", std::chrono::seconds(1)));
        VENUS_TRY(s.republish_interval, c.get_duration("messager", "republish_interval", std::chrono::milliseconds(0)));
        VENUS_TRY(s.select_concurrency, c.get_int("messager", "select_concurrency", 2));
        VENUS_TRY(s.skip_process_head, c.get_bool("messager", "skip_process_head", false));
        VENUS_TRY(s.skip_push_message, c.get_bool("messager", "skip_push_message", false));
        VENUS_TRY(s.node, c.get_string("messager", "node", ""));
        VENUS_TRY(s.gateway, c.get_string("messager", "gateway", ""));
        VENUS_TRY(s.auth, c.get_string("messager", "auth", ""));
        if (s.sign_timeout.count() <= 0 || s.estimate_timeout.count() <= 0 || s.head_poll_interval.count() <= 0) {
            return make_error(Errc::kConfig, "[messager] sign_timeout, estimate_timeout and head_poll_interval must be positive");
        }
        if (s.select_concurrency < 1 || s.select_concurrency > 64) {
            return make_error(Errc::kConfig, "[messager] select_concurrency must be 1..64");
        }
        return s;
    }

    static constexpr const char* kDefaultText = R"([messager]
# Wait this long after a new head before selecting messages (WaitingChainHeadStableDuration); a newer
# head restarts the wait. On a chain faster than twice this, half the block delay is used.
wait_head_stable = "8s"
# Time the gateway's wallets get to sign one address's batch (SignMessageTimeout).
sign_timeout = "10s"
# Time one GasBatchEstimateMessageGas may take (EstimateMessageTimeout).
estimate_timeout = "30s"
# How often a remote node's head is polled; the node module of this process notifies at once.
head_poll_interval = "1s"
# Signed messages still pending are pushed again once their last push is older than this
# (cacheReleasePeriod). "0s": three block delays.
republish_interval = "0s"
# Addresses selected in parallel in one round.
select_concurrency = 2
# Several venusd sharing one messager database: only one should follow the chain and push.
skip_process_head = false
skip_push_message = false
# The chain node: api-info "TOKEN:/ip4/host/tcp/3453" of a remote venusd or Lotus-compatible node.
# Empty: the node module of this process.
node = ""
# The gateway whose wallets sign (admin token): empty = the gateway module of this process.
gateway = ""
# The auth service that binds signers to users: empty = the auth module of this process.
auth = ""
)";
};

}  // namespace venus::plugins::messager
