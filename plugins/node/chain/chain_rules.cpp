// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "node/chain/chain_rules.hpp"

#include <unordered_set>

namespace venus::plugins::node {

namespace {
constexpr std::int64_t kWRatioNum = 1;
constexpr std::int64_t kWRatioDen = 2;
}  // namespace

TokenAmount compute_next_base_fee(const TokenAmount& base_fee, std::int64_t gas_limit_used, std::size_t blocks,
                                  const NetworkParams& net) {
    // All upgrades (Smoke included) are before genesis on this devnet, so no packing efficiency.
    std::int64_t delta = blocks == 0 ? -net.block_gas_target
                                     : gas_limit_used / static_cast<std::int64_t>(blocks) - net.block_gas_target;
    if (delta > net.block_gas_target) delta = net.block_gas_target;
    if (delta < -net.block_gas_target) delta = -net.block_gas_target;
    BigInt change = base_fee * BigInt(delta);
    change = change / BigInt(net.block_gas_target);
    change = change / BigInt(net.base_fee_max_change_denom);
    TokenAmount next = base_fee + change;
    if (next < net.minimum_base_fee) next = net.minimum_base_fee;
    return next;
}

Result<std::int64_t> unique_gas_limit(std::span<const BlockMessages> blocks) {
    std::unordered_set<Cid> seen;
    std::int64_t total = 0;
    for (const auto& b : blocks) {
        for (const auto& m : b.bls_messages) {
            VENUS_TRY(auto cid, m.cid());
            if (seen.insert(cid).second) total += m.gas_limit;
        }
        for (const auto& sm : b.secp_messages) {
            VENUS_TRY(auto cid, sm.cid());
            if (seen.insert(cid).second) total += sm.message.gas_limit;
        }
    }
    return total;
}

Result<BigInt> compute_weight(const BigInt& parent_weight, const BigInt& total_qa_power, std::int64_t win_count_sum,
                              std::int64_t blocks_per_epoch) {
    if (total_qa_power.sign() <= 0) return make_error(Errc::kInvalidArgument, "All power in the net is gone. You network might be disconnected, or the net is dead!");
    const auto log2p = static_cast<std::int64_t>(total_qa_power.bit_len()) - 1;
    BigInt out = parent_weight + BigInt(log2p << 8);
    BigInt e_weight = BigInt(log2p * kWRatioNum) << 8;
    e_weight *= BigInt(win_count_sum);
    e_weight = e_weight / BigInt(blocks_per_epoch * kWRatioDen);
    return out + e_weight;
}

Result<BigInt> total_qa_power(Blockstore& store, const Cid& state_root) {
    VENUS_TRY(auto tree, StateTree::load(store, state_root));
    VENUS_TRY(auto power, tree.get_actor(id::kPower));
    if (!power) return make_error(Errc::kNotFound, "power actor not found");
    VENUS_TRY(auto st, load_cbor<PowerState>(store, power->head));
    return st.total_quality_adj_power;
}

Result<BigInt> tipset_weight(Blockstore& store, const chain::TipSet& ts, std::int64_t blocks_per_epoch) {
    VENUS_TRY(auto power, total_qa_power(store, ts.parent_state()));
    std::int64_t wins = 0;
    for (const auto& b : ts.blocks()) {
        if (b.election_proof) wins += b.election_proof->win_count;
    }
    return compute_weight(ts.parent_weight(), power, wins, blocks_per_epoch);
}

}  // namespace venus::plugins::node
