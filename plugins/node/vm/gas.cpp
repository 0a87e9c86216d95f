// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "node/vm/gas.hpp"

namespace venus::plugins::node {

namespace {
constexpr std::int64_t kGasOveruseNum = 11;
constexpr std::int64_t kGasOveruseDenom = 10;
}  // namespace

void compute_gas_overestimation_burn(std::int64_t gas_used, std::int64_t gas_limit, std::int64_t& refund,
                                     std::int64_t& burned) {
    if (gas_used == 0) {
        refund = 0;
        burned = gas_limit;
        return;
    }
    // over = gasLimit - 11*gasUsed/10, computed as Lotus does (integer division after the multiply).
    std::int64_t over = gas_limit - (kGasOveruseNum * gas_used) / kGasOveruseDenom;
    if (over < 0) {
        refund = gas_limit - gas_used;
        burned = 0;
        return;
    }
    if (over > gas_used) over = gas_used;
    // gasToBurn = (gasLimit - gasUsed) * over / gasUsed, in big arithmetic (the product can pass 2^63).
    BigInt to_burn = BigInt(gas_limit - gas_used) * BigInt(over) / BigInt(gas_used);
    burned = to_burn.to_i64();
    refund = gas_limit - gas_used - burned;
}

GasOutputs compute_gas_outputs(std::int64_t gas_used, std::int64_t gas_limit, const TokenAmount& base_fee,
                               const TokenAmount& fee_cap, const TokenAmount& gas_premium) {
    GasOutputs out;
    TokenAmount base_fee_to_pay = base_fee;
    if (base_fee > fee_cap) {
        base_fee_to_pay = fee_cap;
        out.miner_penalty = (base_fee - fee_cap) * BigInt(gas_used);
    }
    out.base_fee_burn = base_fee_to_pay * BigInt(gas_used);
    TokenAmount miner_tip = gas_premium;
    if (fee_cap - base_fee_to_pay < miner_tip) miner_tip = fee_cap - base_fee_to_pay;
    out.miner_tip = miner_tip * BigInt(gas_limit);
    compute_gas_overestimation_burn(gas_used, gas_limit, out.gas_refund, out.gas_burned);
    if (out.gas_burned != 0) out.over_estimation_burn = base_fee_to_pay * BigInt(out.gas_burned);
    out.refund = fee_cap * BigInt(gas_limit) - out.base_fee_burn - out.miner_tip - out.over_estimation_burn;
    return out;
}

}  // namespace venus::plugins::node
