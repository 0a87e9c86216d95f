// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Gas: the fee split of an applied message (lotus chain/vm/burn.go ComputeGasOutputs) and this
//! node's price list. Only OnChainMessage decides syntactic validity and is Lotus's Hygge value;
//! the execution charges are the pre-FVM (Calico) list, a deterministic model a native VM can
//! follow (node-chain.md §3.9). Every node running this code charges the same.
#pragma once

#include <cstdint>

#include "venus/chain/bigint.hpp"

namespace venus::plugins::node {

using chain::BigInt;
using chain::TokenAmount;

struct GasOutputs {
    TokenAmount base_fee_burn;
    TokenAmount over_estimation_burn;
    TokenAmount miner_penalty;
    TokenAmount miner_tip;
    TokenAmount refund;
    std::int64_t gas_refund = 0;
    std::int64_t gas_burned = 0;
    //! BaseFeeBurn + OverEstimationBurn + MinerTip + Refund == GasLimit × FeeCap.
    [[nodiscard]] TokenAmount total() const { return base_fee_burn + over_estimation_burn + miner_tip + refund; }
};

GasOutputs compute_gas_outputs(std::int64_t gas_used, std::int64_t gas_limit, const TokenAmount& base_fee,
                               const TokenAmount& fee_cap, const TokenAmount& gas_premium);

//! Lotus's over-estimation split: (refund, burned) for gasUsed/gasLimit.
void compute_gas_overestimation_burn(std::int64_t gas_used, std::int64_t gas_limit, std::int64_t& refund,
                                     std::int64_t& burned);

namespace gas {
inline constexpr std::int64_t kStorageMultiplier = 1300;
//! OnChainMessage: compute 38863 + 475000 (Hygge) plus storage (36 + len) × 1300.
inline std::int64_t on_chain_message(std::size_t msg_len) {
    return 38'863 + 475'000 + (36 + static_cast<std::int64_t>(msg_len)) * kStorageMultiplier;
}
inline std::int64_t on_chain_return_value(std::size_t len) {
    return static_cast<std::int64_t>(len) * kStorageMultiplier;
}
inline constexpr std::int64_t kSendBase = 29'233;
inline constexpr std::int64_t kSendTransferFunds = 27'500;
inline constexpr std::int64_t kSendInvokeMethod = -5'377;  //!< Calico: invoking a method is cheaper than a bare send
inline constexpr std::int64_t kIpldGetBase = 114'617;
inline constexpr std::int64_t kIpldPutBase = 353'640;
inline std::int64_t ipld_put(std::size_t len) {
    return kIpldPutBase + static_cast<std::int64_t>(len) * kStorageMultiplier;
}
inline constexpr std::int64_t kCreateActor = 1'108'454 + (36 + 40) * kStorageMultiplier;
inline constexpr std::int64_t kDeleteActor = -(36 + 40) * kStorageMultiplier;
inline constexpr std::int64_t kVerifySecp256k1 = 1'637'292;
inline constexpr std::int64_t kVerifyBls = 16'598'605;
}  // namespace gas

}  // namespace venus::plugins::node
