// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The [miner] config section (sophon-miner's config.toml, node/config/def.go).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "venus/app/config.hpp"
#include "venus/core/result.hpp"

namespace venus::plugins::miner {

struct Settings {
    std::int64_t propagation_delay_secs = -1;  //!< -1: the network's propagation delay
    std::chrono::milliseconds miner_once_timeout{15'000};
    std::chrono::milliseconds mpool_select_timeout{0};
    std::chrono::milliseconds miner_poll_interval{60'000};
    std::string node;     //!< api-info of a remote node; empty = this process's node module
    std::string gateway;  //!< api-info of a remote gateway; empty = this process's gateway module
    std::string auth;     //!< api-info of a remote auth service; empty = this process's auth module
    bool start_mining = true;
    std::vector<std::string> submit_nodes;  //!< api-infos of fallback nodes for SyncSubmitBlock
    std::string slash_filter_db;            //!< SQLite file shared by miner instances; empty = repo/miner.db

    static Result<Settings> load(const app::Config& c) {
        Settings s;
        VENUS_TRY(s.propagation_delay_secs, c.get_int("miner", "propagation_delay_secs", -1));
        VENUS_TRY(s.miner_once_timeout, c.get_duration("miner", "miner_once_timeout", std::chrono::seconds(15)));
        VENUS_TRY(s.mpool_select_timeout, c.get_duration("miner", "mpool_select_timeout", std::chrono::milliseconds(0)));
        VENUS_TRY(s.miner_poll_interval, c.get_duration("miner", "miner_poll_interval", std::chrono::seconds(60)));
        VENUS_TRY(s.node, c.get_string("miner", "node", ""));
        VENUS_TRY(s.gateway, c.get_string("miner", "gateway", ""));
        VENUS_TRY(s.auth, c.get_string("miner", "auth", ""));
        VENUS_TRY(s.start_mining, c.get_bool("miner", "start_mining", true));
        VENUS_TRY(s.submit_nodes, c.get_strings("miner", "submit_nodes", {}));
        VENUS_TRY(s.slash_filter_db, c.get_string("miner", "slash_filter_db", ""));
        if (s.miner_once_timeout.count() <= 0) {
            return make_error(Errc::kConfig, "[miner] miner_once_timeout must be positive");
        }
        if (s.miner_poll_interval.count() <= 0) {
            return make_error(Errc::kConfig, "[miner] miner_poll_interval must be positive");
        }
        return s;
    }

    static constexpr const char* kDefaultText = R"([miner]
# Seconds to wait after a base's timestamp for late blocks before mining on it (PropagationDelaySecs).
# -1: the network's value (12 s on a 30 s chain, 1 s on 4 s, half the block delay otherwise).
propagation_delay_secs = -1
# Time one miner may spend on one round (MinerOnceTimeout); a slower miner is recorded as Timeout.
miner_once_timeout = "15s"
# Time MpoolSelects may take (MpoolSelectDelaySecs); "0s" = no limit.
mpool_select_timeout = "0s"
# How often the miner list is re-read from auth (users' miners with OpenMining).
miner_poll_interval = "60s"
# The chain node: api-info "TOKEN:/ip4/host/tcp/3453" of a remote venusd or Lotus-compatible node.
# Empty: the node module of this process.
node = ""
# The gateway that signs with the workers' keys and computes winning PoSt (admin token): empty = the
# gateway module of this process.
gateway = ""
# The auth service listing the miners: empty = the auth module of this process.
auth = ""
# Run the mining loop at start (false: only the API and CLI are served).
start_mining = true
# Fallback nodes for SyncSubmitBlock (sophon-miner's [[SubmitNodes]]): api-infos tried in order when
# the node refuses or cannot take a block, so one bad node does not lose it (venus#5548).
submit_nodes = []
# The SQLite file of the slash filter and the mined-block records; relative to the repo. Empty:
# <repo>/miner.db. Miner instances that mine the same miners (for availability) must share one file,
# so that only one of them ever publishes a block per miner and height (sophon's MySQL filter).
slash_filter_db = ""
)";
};

}  // namespace venus::plugins::miner
