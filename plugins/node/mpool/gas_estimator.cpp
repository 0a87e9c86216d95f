// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "node/mpool/gas_estimator.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>

#include "node/store/buffered_blockstore.hpp"

namespace venus::plugins::node {

namespace {

double lotus_noise() {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    std::normal_distribution<double> d(1.0, 0.005);
    return d(rng);
}

// x * f for a float factor, with 2^32 fixed-point precision as Lotus multiplies premiums.
chain::TokenAmount scale(const chain::TokenAmount& x, double f) {
    constexpr double kPrecision = 4294967296.0;  // 1 << 32
    const auto factor = static_cast<std::uint64_t>(f * kPrecision) + 1;
    return x * chain::BigInt::from_u64(factor) / chain::BigInt::from_u64(std::uint64_t{1} << 32);
}

Error execution_error(const ApplyResult& r) {
    if (r.receipt.exit_code == exit_code::kSysErrOutOfGas) {
        return make_error(Errc::kInvalidArgument, "call ran out of gas");
    }
    return make_error(Errc::kInvalidArgument, "message execution failed (exit=[{}], revert reason=[], vm error=[{}])",
                      r.receipt.exit_code, r.error);
}

}  // namespace

chain::TokenAmount median_gas_premium(std::vector<std::pair<chain::TokenAmount, std::int64_t>> prices, std::int64_t blocks,
                                      std::int64_t block_gas_target) {
    std::stable_sort(prices.begin(), prices.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::int64_t at = block_gas_target * blocks / 2;   // 50th percentile
    at += block_gas_target * blocks / (2 * 20);        // and 5 % further
    chain::TokenAmount prev1;
    chain::TokenAmount prev2;
    for (const auto& [price, limit] : prices) {
        prev2 = prev1;
        prev1 = price;
        at -= limit;
        if (at < 0) break;
    }
    if (!prev2.is_zero()) return (prev1 + prev2) / chain::BigInt(2);
    return prev1;
}

Result<std::size_t> estimated_chain_length(const chain::Message& m) {
    if (m.from.defined() && m.from.protocol() == chain::Protocol::kBls) {
        VENUS_TRY(auto bytes, chain::encode_cbor(m));
        return bytes.size();
    }
    chain::SignedMessage sm{m, chain::Signature{chain::SigType::kSecp256k1, Bytes(65, 0)}};
    return sm.chain_length();
}

Result<ApplyResult> GasEstimator::call_with_gas(chain::Message& msg, const std::vector<Prior>& prior,
                                                const chain::TipSet& ts) {
    VENUS_TRY(auto state, node_.tipset_state(ts.key()));
    BufferedBlockstore scratch(node_.store().blockstore());
    VENUS_TRY(auto tree, StateTree::load(scratch, state.first));
    VmContext ctx;
    ctx.epoch = ts.height() + 1;
    ctx.base_fee = ts.blocks().front().parent_base_fee;
    ctx.timestamp = node_.network().genesis_timestamp +
                    node_.params().block_delay_secs * static_cast<std::uint64_t>(ctx.epoch);
    ctx.network = &node_.params();
    Vm vm(tree, ctx);
    for (const auto& p : prior) {
        auto r = vm.apply_message(p.msg, p.chain_length);
        if (!r) return std::move(r).error();
    }
    VENUS_TRY(auto from, tree.get_actor(msg.from));
    if (!from) return make_error(Errc::kNotFound, "resolution lookup failed ({}): actor not found", msg.from.to_string());
    msg.nonce = from->nonce;
    VENUS_TRY(auto len, estimated_chain_length(msg));
    return vm.apply_message(msg, len);
}

Result<std::int64_t> GasEstimator::gas_used_after(chain::Message msg, const std::vector<Prior>& prior,
                                                  const chain::TipSet& ts) {
    msg.gas_limit = node_.params().block_gas_limit;
    msg.gas_fee_cap = 0;
    msg.gas_premium = 0;
    VENUS_TRY(auto r, call_with_gas(msg, prior, ts));
    if (r.receipt.exit_code != exit_code::kOk) return execution_error(r);
    return r.receipt.gas_used;
}

Result<InvocResult> GasEstimator::state_call(chain::Message msg, const chain::TipSetKey& tsk) {
    const auto started = std::chrono::steady_clock::now();
    VENUS_TRY(auto ts, node_.tipset(tsk));
    if (msg.gas_limit == 0) msg.gas_limit = node_.params().block_gas_limit;
    if (!msg.from.defined() || !msg.to.defined()) {
        return make_error(Errc::kInvalidArgument, "StateCall: 'From' and 'To' must be set");
    }
    BufferedBlockstore scratch(node_.store().blockstore());
    VENUS_TRY(auto tree, StateTree::load(scratch, ts.parent_state()));
    VmContext ctx;
    ctx.epoch = ts.height();
    ctx.base_fee = 0;  // calls are free: Lotus applies them with a zero base fee
    ctx.timestamp = ts.blocks().front().timestamp;
    ctx.network = &node_.params();
    Vm vm(tree, ctx);
    // The same sender's messages in ts first, so the call sees their effects (Lotus CallOnState).
    VENUS_TRY(auto from_id, tree.lookup_id(msg.from));
    if (ts.height() > 0 && from_id) {
        VENUS_TRY(auto included, node_.tipset_messages(ts.key()));
        for (const auto& [cid, m] : included) {
            VENUS_TRY(auto id, tree.lookup_id(m.from));
            if (id != from_id) continue;
            VENUS_TRY(auto len, estimated_chain_length(m));
            auto r = vm.apply_message(m, len);
            if (!r) return std::move(r).error();
        }
    }
    InvocResult out;
    out.msg = msg;
    chain::Message exec = msg;
    exec.gas_fee_cap = 0;
    exec.gas_premium = 0;
    if (from_id) {
        VENUS_TRY(auto a, tree.get_actor(*from_id));
        if (a) exec.nonce = a->nonce;
    }
    out.msg.nonce = exec.nonce;
    VENUS_TRY(out.msg_cid, out.msg.cid());
    VENUS_TRY(auto len, estimated_chain_length(exec));
    VENUS_TRY(out.apply, vm.apply_message(exec, len));
    out.duration_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - started).count();
    return out;
}

Result<std::int64_t> GasEstimator::estimate_gas_limit(const chain::Message& msg, const chain::TipSetKey& tsk) {
    VENUS_TRY(auto ts, node_.tipset(tsk));
    std::vector<Prior> prior;
    for (const auto& p : pool_.pending_for(msg.from)) {
        if (p.message.nonce == msg.nonce) break;
        VENUS_TRY(auto len, p.chain_length());
        prior.push_back(Prior{p.message, len});
    }
    return gas_used_after(msg, prior, ts);
}

Result<chain::TokenAmount> GasEstimator::estimate_gas_premium(std::uint64_t nblocksincl, const chain::Address&,
                                                              std::int64_t, const chain::TipSetKey& tsk) {
    if (nblocksincl == 0) nblocksincl = 1;
    VENUS_TRY(auto ts, node_.tipset(tsk));
    std::vector<std::pair<chain::TokenAmount, std::int64_t>> prices;
    std::int64_t blocks = 0;
    for (std::uint64_t i = 0; i < nblocksincl * 2; ++i) {
        if (ts.height() == 0) break;
        VENUS_TRY(auto parent, node_.tipset(ts.parents()));
        blocks += static_cast<std::int64_t>(parent.blocks().size());
        VENUS_TRY(auto msgs, node_.tipset_messages(parent.key()));
        for (const auto& [cid, m] : msgs) prices.emplace_back(m.gas_premium, m.gas_limit);
        ts = std::move(parent);
    }
    auto premium = median_gas_premium(std::move(prices), blocks, node_.params().block_gas_limit / 2);
    if (premium < chain::BigInt(gas_estimation::kMinGasPremium)) {
        switch (nblocksincl) {
            case 1: premium = gas_estimation::kMinGasPremium * 2; break;
            case 2: premium = gas_estimation::kMinGasPremium * 3 / 2; break;
            default: premium = gas_estimation::kMinGasPremium; break;
        }
    }
    return scale(premium, noise_ ? noise_() : lotus_noise());
}

Result<chain::TokenAmount> GasEstimator::estimate_fee_cap(const chain::Message& msg, std::int64_t max_queue_blocks,
                                                          const chain::TipSetKey& tsk) {
    VENUS_TRY(auto ts, node_.tipset(tsk));
    const auto& parent_base_fee = ts.blocks().front().parent_base_fee;
    const double increase = std::pow(1.0 + 1.0 / static_cast<double>(node_.params().base_fee_max_change_denom),
                                     static_cast<double>(max_queue_blocks));
    const auto factor = static_cast<std::uint64_t>(increase * 256.0);
    return parent_base_fee * chain::BigInt::from_u64(factor) / chain::BigInt(256) + msg.gas_premium;
}

void GasEstimator::cap_gas_fee(chain::Message& msg, const MessageSendSpec& spec) const {
    const chain::TokenAmount max_fee = spec.max_fee.is_zero() ? gas_estimation::default_max_fee() : spec.max_fee;
    const chain::BigInt limit(msg.gas_limit);
    if (msg.gas_fee_cap * limit > max_fee && msg.gas_limit > 0) msg.gas_fee_cap = max_fee / limit;
    if (msg.gas_premium > msg.gas_fee_cap) msg.gas_premium = msg.gas_fee_cap;
}

Result<chain::Message> GasEstimator::estimate_message_gas(chain::Message msg, const MessageSendSpec& spec,
                                                          const chain::TipSetKey& tsk) {
    if (msg.gas_limit == 0) {
        VENUS_TRY(auto used, estimate_gas_limit(msg, {}));
        const double over = spec.gas_over_estimation > 0 ? spec.gas_over_estimation : pool_.config().gas_limit_overestimation;
        msg.gas_limit = std::min<std::int64_t>(static_cast<std::int64_t>(static_cast<double>(used) * over),
                                               node_.params().block_gas_limit);
    }
    if (msg.gas_premium.is_zero()) {
        VENUS_TRY(msg.gas_premium, estimate_gas_premium(10, msg.from, msg.gas_limit, {}));
        if (spec.gas_over_premium > 0) msg.gas_premium = scale(msg.gas_premium, spec.gas_over_premium);
    }
    if (msg.gas_fee_cap.is_zero()) {
        VENUS_TRY(msg.gas_fee_cap, estimate_fee_cap(msg, 20, {}));
    }
    (void)tsk;  // Lotus estimates at the head whatever the key says
    cap_gas_fee(msg, spec);
    return msg;
}

Result<std::vector<EstimateResult>> GasEstimator::batch_estimate(const std::vector<EstimateItem>& items,
                                                                 std::uint64_t from_nonce, const chain::TipSetKey& tsk) {
    if (items.empty()) return make_error(Errc::kInvalidArgument, "estimate messages are empty");
    VENUS_TRY(auto ts, node_.tipset(tsk));
    std::vector<Prior> prior;
    for (const auto& p : pool_.pending_for(items.front().msg.from)) {
        if (p.message.nonce >= from_nonce) break;
        VENUS_TRY(auto len, p.chain_length());
        prior.push_back(Prior{p.message, len});
    }
    std::vector<EstimateResult> out;
    for (const auto& item : items) {
        chain::Message msg = item.msg;
        msg.nonce = from_nonce;
        auto fail = [&](const Error& e) { out.push_back(EstimateResult{std::nullopt, e.message}); };
        if (msg.gas_limit == 0) {
            auto used = gas_used_after(msg, prior, ts);
            if (!used) {
                fail(used.error());
                continue;
            }
            const double over = item.spec.gas_over_estimation > 0 ? item.spec.gas_over_estimation
                                                                  : pool_.config().gas_limit_overestimation;
            msg.gas_limit = std::min<std::int64_t>(static_cast<std::int64_t>(static_cast<double>(*used) * over),
                                                   node_.params().block_gas_limit);
        }
        if (msg.gas_premium.is_zero()) {
            auto p = estimate_gas_premium(10, msg.from, msg.gas_limit, {});
            if (!p) {
                fail(p.error());
                continue;
            }
            msg.gas_premium = item.spec.gas_over_premium > 0 ? scale(*p, item.spec.gas_over_premium) : *p;
        }
        if (msg.gas_fee_cap.is_zero()) {
            auto f = estimate_fee_cap(msg, 20, {});
            if (!f) {
                fail(f.error());
                continue;
            }
            msg.gas_fee_cap = *f;
        }
        cap_gas_fee(msg, item.spec);
        auto len = estimated_chain_length(msg);
        if (!len) {
            fail(len.error());
            continue;
        }
        prior.push_back(Prior{msg, *len});
        out.push_back(EstimateResult{msg, {}});
        ++from_nonce;
    }
    return out;
}

}  // namespace venus::plugins::node
