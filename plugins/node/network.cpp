// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "node/network.hpp"

#include <array>

#include "venus/app/config.hpp"

namespace venus::plugins::node {

std::uint64_t NetworkParams::actors_version() const noexcept {
    // go-state-types actors/version.go; only the versions this node implements.
    return network_version == 25 || network_version == 26 ? 16 : 0;
}

bool is_public_network_name(std::string_view name) noexcept {
    static constexpr std::array<std::string_view, 6> kPublic = {"mainnet",     "calibrationnet", "butterflynet",
                                                                "interopnet", "integrationnet", "forcenet"};
    for (auto n : kPublic) {
        if (n == name) return true;
    }
    return false;
}

namespace {

Result<BigInt> get_big(const app::Config& c, std::string_view section, std::string_view key, const BigInt& fallback) {
    VENUS_TRY(auto text, c.get_string(section, key, fallback.to_string()));
    auto v = BigInt::from_string(text);
    if (!v) return v.error().wrap(fmt::format("[{}] {}", section, key));
    return *v;
}

}  // namespace

Result<NetworkParams> parse_network(std::string_view toml_text, std::string_view source_name) {
    VENUS_TRY(auto c, app::Config::parse(toml_text, source_name));
    NetworkParams p;
    const auto fil = chain::fil_precision();
    VENUS_TRY(p.name, c.get_string("network", "name", p.name));
    VENUS_TRY(auto nv, c.get_int("network", "version", static_cast<std::int64_t>(p.network_version)));
    VENUS_TRY(auto delay, c.get_int("network", "block_delay_secs", static_cast<std::int64_t>(p.block_delay_secs)));
    VENUS_TRY(auto prop, c.get_int("network", "propagation_delay_secs", 1));
    VENUS_TRY(auto drift, c.get_int("network", "allowable_clock_drift_secs", 1));
    VENUS_TRY(p.chain_finality, c.get_int("network", "chain_finality", p.chain_finality));
    VENUS_TRY(p.ticket_randomness_lookback,
              c.get_int("network", "ticket_randomness_lookback", p.ticket_randomness_lookback));
    VENUS_TRY(p.message_confidence, c.get_int("network", "message_confidence", p.message_confidence));
    VENUS_TRY(p.pre_commit_challenge_delay,
              c.get_int("network", "pre_commit_challenge_delay", p.pre_commit_challenge_delay));
    VENUS_TRY(p.blocks_per_epoch, c.get_int("network", "blocks_per_epoch", p.blocks_per_epoch));
    VENUS_TRY(p.consensus_miner_min_power,
              get_big(c, "network", "consensus_miner_min_power", p.consensus_miner_min_power));
    VENUS_TRY(auto chain_id, c.get_int("network", "eip155_chain_id", static_cast<std::int64_t>(p.eip155_chain_id)));
    VENUS_TRY(p.upgrade_height, c.get_int("network", "upgrade_height", p.upgrade_height));

    VENUS_TRY(p.block_gas_limit, c.get_int("gas", "block_gas_limit", p.block_gas_limit));
    VENUS_TRY(p.block_gas_target, c.get_int("gas", "block_gas_target", p.block_gas_target));
    VENUS_TRY(p.base_fee_max_change_denom, c.get_int("gas", "base_fee_max_change_denom", p.base_fee_max_change_denom));
    VENUS_TRY(p.initial_base_fee, get_big(c, "gas", "initial_base_fee", p.initial_base_fee));
    VENUS_TRY(p.minimum_base_fee, get_big(c, "gas", "minimum_base_fee", p.minimum_base_fee));
    VENUS_TRY(p.block_message_limit, c.get_int("gas", "block_message_limit", p.block_message_limit));

    VENUS_TRY(auto reward_fil, c.get_int("reward", "initial_reward_balance_fil", 1'100'000'000));
    VENUS_TRY(auto reserve_fil, c.get_int("reward", "reserve_balance_fil", 300'000'000));
    p.initial_reward_balance = BigInt(reward_fil) * fil;
    p.reserve_balance = BigInt(reserve_fil) * fil;
    VENUS_TRY(p.this_epoch_reward, get_big(c, "reward", "this_epoch_reward", BigInt::from_string("36266264293777134739").value()));

    if (p.name.empty() || is_public_network_name(p.name)) {
        return make_error(Errc::kConfig, "{}: network name '{}' is empty or a public network's name", source_name, p.name);
    }
    if (nv != 25 && nv != 26) {
        return make_error(Errc::kConfig, "{}: network version {} is not supported (this node implements nv25/nv26)",
                          source_name, nv);
    }
    if (delay < 1 || prop < 0 || drift < 0 || chain_id < 0) {
        return make_error(Errc::kConfig, "{}: block_delay_secs must be ≥ 1 and delays non-negative", source_name);
    }
    if (p.blocks_per_epoch < 1 || p.block_gas_limit < 1 || p.block_gas_target < 1 || p.base_fee_max_change_denom < 1 ||
        p.chain_finality < 1) {
        return make_error(Errc::kConfig, "{}: blocks_per_epoch, gas limits and finality must be positive", source_name);
    }
    p.network_version = static_cast<std::uint64_t>(nv);
    p.block_delay_secs = static_cast<std::uint64_t>(delay);
    p.propagation_delay_secs = static_cast<std::uint64_t>(prop);
    p.allowable_clock_drift_secs = static_cast<std::uint64_t>(drift);
    p.eip155_chain_id = static_cast<std::uint64_t>(chain_id);
    return p;
}

}  // namespace venus::plugins::node
