// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The consensus constants of the network this node runs (Lotus build/buildconstants, node-chain.md
//! §3.14). Taken from api::NetworkInfo where the node reports them; the rest are the 2k devnet's.
#pragma once

#include <cstdint>

#include "venus/api/node.hpp"

namespace venus::plugins::consensus {

struct ConsensusParams {
    std::uint64_t network_version = 26;
    std::uint64_t block_delay_secs = 4;
    std::uint64_t allowable_clock_drift_secs = 1;
    std::int64_t blocks_per_epoch = 5;
    std::int64_t chain_finality = 900;           //!< also the winning-PoSt sector-set lookback
    std::int64_t ticket_randomness_lookback = 1;
    std::int64_t upgrade_smoke_height = -1;      //!< the min ticket joins the ticket entropy above it
    std::int64_t block_gas_limit = 10'000'000'000;
    std::int64_t block_message_limit = 10'000;
    chain::BigInt consensus_miner_min_power = 2048;
    std::int64_t consensus_miner_min_miners = 4;  //!< below this many miners with min power, any power counts
    std::uint64_t genesis_timestamp = 0;

    [[nodiscard]] std::int64_t max_win_count() const noexcept { return 3 * blocks_per_epoch; }

    static ConsensusParams from_network(const api::NetworkInfo& n) {
        ConsensusParams p;
        p.network_version = n.network_version;
        p.block_delay_secs = n.block_delay_secs;
        p.blocks_per_epoch = n.blocks_per_epoch;
        p.chain_finality = n.chain_finality;
        p.upgrade_smoke_height = n.upgrade_height;
        p.block_gas_limit = n.block_gas_limit;
        p.block_message_limit = n.block_message_limit;
        p.consensus_miner_min_power = n.consensus_miner_min_power;
        p.genesis_timestamp = n.genesis_timestamp;
        return p;
    }
};

}  // namespace venus::plugins::consensus
