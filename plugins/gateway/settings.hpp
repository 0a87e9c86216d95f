// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The [gateway] config section.
#pragma once

#include <chrono>
#include <map>
#include <string>

#include "venus/app/config.hpp"
#include "venus/core/result.hpp"

namespace venus::plugins::gateway {

struct Settings {
    std::string listen;  //!< sophon-gateway compatible listener, empty = off
    std::chrono::milliseconds request_timeout{std::chrono::minutes(5)};
    std::chrono::milliseconds market_timeout{std::chrono::hours(7)};
    std::size_t queue_size = 30;
    //! X-VENUS-API-NAMESPACE backends by sophon host key (VENUS, MESSAGER, MINER, DROPLET, AUTH).
    std::map<std::string, std::string> proxy;

    static Result<Settings> load(const app::Config& c) {
        Settings s;
        VENUS_TRY(s.listen, c.get_string("gateway", "listen", ""));
        VENUS_TRY(s.request_timeout, c.get_duration("gateway", "request_timeout", std::chrono::minutes(5)));
        VENUS_TRY(s.market_timeout, c.get_duration("gateway", "market_timeout", std::chrono::hours(7)));
        VENUS_TRY(auto q, c.get_int("gateway", "queue_size", 30));
        if (q < 1 || q > 100000) return make_error(Errc::kConfig, "[gateway] queue_size must be 1..100000");
        if (s.request_timeout.count() <= 0 || s.market_timeout.count() <= 0) {
            return make_error(Errc::kConfig, "[gateway] timeouts must be positive");
        }
        s.queue_size = static_cast<std::size_t>(q);
        for (const auto& [key, name] : {std::pair{"VENUS", "proxy_node"}, std::pair{"MESSAGER", "proxy_messager"},
                                        std::pair{"MINER", "proxy_miner"}, std::pair{"DROPLET", "proxy_droplet"},
                                        std::pair{"AUTH", "proxy_auth"}}) {
            VENUS_TRY(auto url, c.get_string("gateway", name, ""));
            if (!url.empty()) s.proxy[key] = url;
        }
        return s;
    }

    static constexpr const char* kDefaultText = R"([gateway]
# Accounts, miners and signers live in auth: the auth module of this process, or the remote one of
# [api] auth_url (its token must be admin: the gateway registers signers there).
# A second listener on sophon-gateway's address (e.g. "/ip4/127.0.0.1/tcp/45132") for wallets, provers
# and markets still configured for the original service; empty = off. [api] always serves Gateway.*.
listen = ""
# How long a wallet or prover may take to answer one request before it fails (no failover after a
# timeout), and the same for market (unseal) requests.
request_timeout = "5m"
market_timeout = "7h"
# Requests in flight per connection; more fail at once (and fail over to another connection).
queue_size = 30
# Backends for RegisterReverse / X-VENUS-API-NAMESPACE (URL or multiaddr); empty = none.
proxy_node = ""
proxy_messager = ""
proxy_miner = ""
proxy_droplet = ""
proxy_auth = ""
)";
};

}  // namespace venus::plugins::gateway
