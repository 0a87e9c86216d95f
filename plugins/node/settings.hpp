// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The [node] config section: defaults (documented TOML) and the parsed settings.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "venus/app/config.hpp"

namespace venus::plugins::node {

inline constexpr std::string_view kNodeDefaultConfig = R"toml([node]
# Network parameter file (TOML, as etc/networks/devnet.toml). Empty: the built-in devnet
# (name "venusd-devnet", nv26 / actors v16, 4 s blocks).
network_file = ""
# Genesis made on first start, when the chain store is empty: pre-funded accounts (secp256k1 and
# BLS keys alternating) and pre-sealed miners (BLS owner and worker keys, 2 KiB sectors). The keys
# are written to <repo>/keystore/genesis/ as Lotus KeyInfo JSON.
genesis_accounts = 2
genesis_account_balance_fil = 1000000
genesis_miners = 1
genesis_sectors_per_miner = 1
# Unix seconds for the genesis timestamp; 0 takes the time of first start.
genesis_timestamp = 0
# Initial LMDB map size of the chain store in MiB (it grows as needed).
chain_map_size_mb = 1024
# A genesis CAR file (`venusd chain export-genesis`, or lotus-seed's) to start from instead of
# creating a genesis; relative to the repo. Every node of one devnet must use the same file.
genesis_file = ""
# Other venusd nodes to sync with over JSON-RPC/WebSocket, as api-info (TOKEN:MULTIADDR or MULTIADDR).
peers = []
)toml";

struct NodeSettings {
    std::string network_file;
    std::int64_t genesis_accounts = 2;
    std::int64_t genesis_account_balance_fil = 1'000'000;
    std::int64_t genesis_miners = 1;
    std::int64_t genesis_sectors_per_miner = 1;
    std::int64_t genesis_timestamp = 0;
    std::int64_t chain_map_size_mb = 1024;
    std::string genesis_file;
    std::vector<std::string> peers;

    static Result<NodeSettings> parse(const app::Config& c) {
        NodeSettings s;
        VENUS_TRY(s.network_file, c.get_string("node", "network_file", s.network_file));
        VENUS_TRY(s.genesis_accounts, c.get_int("node", "genesis_accounts", s.genesis_accounts));
        VENUS_TRY(s.genesis_account_balance_fil,
                  c.get_int("node", "genesis_account_balance_fil", s.genesis_account_balance_fil));
        VENUS_TRY(s.genesis_miners, c.get_int("node", "genesis_miners", s.genesis_miners));
        VENUS_TRY(s.genesis_sectors_per_miner, c.get_int("node", "genesis_sectors_per_miner", s.genesis_sectors_per_miner));
        VENUS_TRY(s.genesis_timestamp, c.get_int("node", "genesis_timestamp", s.genesis_timestamp));
        VENUS_TRY(s.chain_map_size_mb, c.get_int("node", "chain_map_size_mb", s.chain_map_size_mb));
        VENUS_TRY(s.genesis_file, c.get_string("node", "genesis_file", s.genesis_file));
        VENUS_TRY(s.peers, c.get_strings("node", "peers", s.peers));
        if (s.genesis_accounts < 0 || s.genesis_accounts > 800 || s.genesis_miners < 1 || s.genesis_miners > 200 ||
            s.genesis_sectors_per_miner < 1 || s.genesis_sectors_per_miner > 1'000'000 ||
            s.genesis_account_balance_fil < 0 || s.genesis_timestamp < 0 || s.chain_map_size_mb < 16) {
            return make_error(Errc::kConfig,
                              "[node]: genesis_accounts 0..800, genesis_miners 1..200, genesis_sectors_per_miner ≥ 1, "
                              "balances and timestamp ≥ 0, chain_map_size_mb ≥ 16");
        }
        return s;
    }
};

}  // namespace venus::plugins::node
