// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Chain-level rules that do not need the VM: the base-fee update (lotus chain/store/basefee.go,
//! node-chain.md §3.10) and tipset weight (lotus filcns/weight.go, §3.2).
#pragma once

#include <span>

#include "node/chain/execute.hpp"

namespace venus::plugins::node {

//! Next base fee from the parent's fee, the summed GasLimit of its unique messages and its block count.
TokenAmount compute_next_base_fee(const TokenAmount& base_fee, std::int64_t gas_limit_used, std::size_t blocks,
                                  const NetworkParams& net);

//! Sum of GasLimit over the unique messages (by chain CID) of a tipset's blocks.
Result<std::int64_t> unique_gas_limit(std::span<const BlockMessages> blocks);

//! w = parent + (log2P << 8) + ((log2P × WRatioNum) << 8) × ΣWinCount / (e × WRatioDen), with
//! log2P = bitlen(total QA power) − 1. Zero total power is an error (as Lotus).
Result<BigInt> compute_weight(const BigInt& parent_weight, const BigInt& total_qa_power, std::int64_t win_count_sum,
                              std::int64_t blocks_per_epoch);

//! Total QA power recorded by the power actor in a state (PowerState.TotalQualityAdjPower).
Result<BigInt> total_qa_power(Blockstore& store, const Cid& state_root);

//! The weight of a tipset: its ParentWeight plus the contribution of its own blocks, with power read
//! from its ParentStateRoot.
Result<BigInt> tipset_weight(Blockstore& store, const chain::TipSet& ts, std::int64_t blocks_per_epoch);

}  // namespace venus::plugins::node
