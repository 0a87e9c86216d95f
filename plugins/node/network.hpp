// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Network parameters as data (etc/networks/*.toml): the devnet's name, version, timing, gas and
//! reward constants. Everything that Lotus keeps in build/buildconstants lives here instead, so a
//! test can run a 1-second devnet and a later network can be described without code changes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "venus/chain/bigint.hpp"
#include "venus/core/result.hpp"

namespace venus::plugins::node {

using chain::BigInt;
using chain::TokenAmount;

struct NetworkParams {
    std::string name = "venusd-devnet";
    std::uint64_t network_version = 26;
    std::uint64_t block_delay_secs = 4;
    std::uint64_t propagation_delay_secs = 1;
    std::uint64_t allowable_clock_drift_secs = 1;
    std::int64_t chain_finality = 900;
    std::int64_t ticket_randomness_lookback = 1;
    std::int64_t message_confidence = 5;
    std::int64_t pre_commit_challenge_delay = 10;
    std::int64_t blocks_per_epoch = 5;
    BigInt consensus_miner_min_power = 2048;
    std::uint64_t eip155_chain_id = 31415926;
    std::int64_t upgrade_height = -1;  //!< every upgrade height reported by StateGetNetworkParams

    std::int64_t block_gas_limit = 10'000'000'000;
    std::int64_t block_gas_target = 5'000'000'000;
    std::int64_t base_fee_max_change_denom = 8;
    TokenAmount initial_base_fee = 100'000'000;
    TokenAmount minimum_base_fee = 100;
    std::int64_t block_message_limit = 10'000;

    TokenAmount initial_reward_balance;  //!< attoFIL
    TokenAmount reserve_balance;         //!< attoFIL
    TokenAmount this_epoch_reward;       //!< attoFIL per epoch for WinCount 5

    //! Actors version and state tree version that follow from network_version.
    [[nodiscard]] std::uint64_t actors_version() const noexcept;
    [[nodiscard]] std::uint64_t state_tree_version() const noexcept { return 5; }
};

//! The compiled-in etc/networks/devnet.toml.
std::string_view default_network_toml() noexcept;

//! Parses a network file; missing keys keep the defaults above. Rejects public network names, a
//! block delay of 0 and network versions whose actors this node does not implement (only 25/26).
Result<NetworkParams> parse_network(std::string_view toml_text, std::string_view source_name);

//! The six public network names, which a devnet must never use (clients switch bundles and
//! address prefixes on them).
bool is_public_network_name(std::string_view name) noexcept;

}  // namespace venus::plugins::node
