// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "node/chain/execute.hpp"

#include <unordered_map>
#include <unordered_set>

#include "venus/chain/amt.hpp"

namespace venus::plugins::node {

namespace {

constexpr std::int64_t kRewardGasLimit = std::int64_t{1} << 30;

Message implicit_message(std::uint64_t to, std::uint64_t method, Bytes params, ChainEpoch epoch, std::int64_t gas_limit) {
    Message m;
    m.from = id_address(id::kSystem);
    m.to = id_address(to);
    m.nonce = static_cast<std::uint64_t>(epoch);
    m.gas_limit = gas_limit;
    m.method = method;
    m.params = std::move(params);
    return m;
}

Status run_cron(Vm& vm, const NetworkParams& net, ChainEpoch epoch) {
    auto msg = implicit_message(id::kCron, method::cron::kEpochTick, {}, epoch, net.block_gas_limit * 10000);
    VENUS_TRY(auto r, vm.apply_implicit(msg));
    if (r.receipt.exit_code != exit_code::kOk) {
        return make_error(Errc::kInternal, "cron at epoch {} failed (exit {}): {}", epoch, r.receipt.exit_code, r.error);
    }
    return {};
}

}  // namespace

Result<std::vector<ChainMessage>> select_tipset_messages(StateTree& st, std::span<const BlockMessages> blocks) {
    std::vector<ChainMessage> out;
    std::unordered_set<Cid> seen;
    std::unordered_map<std::uint64_t, std::uint64_t> next_nonce;
    auto consider = [&](const Cid& cid, const Message& m, std::size_t len) -> Status {
        if (seen.count(cid) != 0) return {};
        VENUS_TRY(auto sender, st.lookup_id(m.from));
        if (!sender) return make_error(Errc::kInvalidArgument, "failed to resolve sender {}", m.from.to_string());
        auto [it, fresh] = next_nonce.emplace(*sender, m.nonce);
        (void)fresh;
        if (it->second != m.nonce) return {};
        it->second += 1;
        seen.insert(cid);
        out.push_back(ChainMessage{cid, m, len});
        return {};
    };
    for (const auto& b : blocks) {
        for (const auto& m : b.bls_messages) {
            VENUS_TRY(auto cid, m.cid());
            VENUS_TRY(auto bytes, chain::encode_cbor(m));
            VENUS_TRY_VOID(consider(cid, m, bytes.size()));
        }
        for (const auto& sm : b.secp_messages) {
            VENUS_TRY(auto cid, sm.cid());
            VENUS_TRY(auto len, sm.chain_length());
            VENUS_TRY_VOID(consider(cid, sm.message, len));
        }
    }
    return out;
}

Result<Cid> receipts_root(Blockstore& store, std::span<const chain::MessageReceipt> receipts) {
    std::vector<Bytes> values;
    values.reserve(receipts.size());
    for (const auto& r : receipts) {
        VENUS_TRY(auto b, chain::encode_cbor(r));
        values.push_back(std::move(b));
    }
    return chain::Amt::build(store, values, chain::Amt::Format::kLegacy);
}

Result<ExecuteOutput> execute_tipset(Blockstore& store, const NetworkParams& net, const ExecuteInput& in,
                                     std::span<const BlockMessages> blocks) {
    if (in.epoch <= in.parent_epoch && !(in.epoch == 0 && in.parent_epoch == 0)) {
        return make_error(Errc::kInvalidArgument, "epoch {} is not after the parent epoch {}", in.epoch, in.parent_epoch);
    }
    VENUS_TRY(auto tree, StateTree::load(store, in.parent_state));
    VmContext ctx;
    ctx.base_fee = in.base_fee;
    ctx.network = &net;
    Vm vm(tree, ctx);

    // Null rounds: cron runs once for each skipped epoch.
    for (ChainEpoch e = in.parent_epoch + 1; e < in.epoch; ++e) {
        vm.set_epoch(e, in.genesis_timestamp + net.block_delay_secs * static_cast<std::uint64_t>(e));
        VENUS_TRY_VOID(run_cron(vm, net, e));
    }
    vm.set_epoch(in.epoch, in.genesis_timestamp + net.block_delay_secs * static_cast<std::uint64_t>(in.epoch));

    ExecuteOutput out;
    VENUS_TRY(out.messages, select_tipset_messages(tree, blocks));
    // Messages are applied in selection order; each block's tips and penalties go to its miner.
    std::unordered_map<Cid, std::size_t> index;
    for (std::size_t i = 0; i < out.messages.size(); ++i) index.emplace(out.messages[i].cid, i);
    std::vector<bool> applied(out.messages.size(), false);
    out.receipts.resize(out.messages.size());
    for (const auto& b : blocks) {
        TokenAmount gas_reward;
        TokenAmount penalty;
        auto apply_one = [&](const Cid& cid) -> Status {
            auto it = index.find(cid);
            if (it == index.end() || applied[it->second]) return {};
            applied[it->second] = true;
            const auto& cm = out.messages[it->second];
            VENUS_TRY(auto r, vm.apply_message(cm.message, cm.chain_length));
            gas_reward += r.miner_tip;
            penalty += r.penalty;
            out.receipts[it->second] = r.receipt;
            return {};
        };
        for (const auto& m : b.bls_messages) {
            VENUS_TRY(auto cid, m.cid());
            VENUS_TRY_VOID(apply_one(cid));
        }
        for (const auto& sm : b.secp_messages) {
            VENUS_TRY(auto cid, sm.cid());
            VENUS_TRY_VOID(apply_one(cid));
        }
        VENUS_TRY(auto params, chain::encode_cbor(AwardBlockRewardParams{b.miner, penalty, gas_reward, b.win_count}));
        auto msg = implicit_message(id::kReward, method::reward::kAwardBlockReward, std::move(params), in.epoch,
                                    kRewardGasLimit);
        VENUS_TRY(auto r, vm.apply_implicit(msg));
        if (r.receipt.exit_code != exit_code::kOk) {
            return make_error(Errc::kInternal, "reward application for {} failed (exit {}): {}", b.miner.to_string(),
                              r.receipt.exit_code, r.error);
        }
    }
    VENUS_TRY_VOID(run_cron(vm, net, in.epoch));
    VENUS_TRY(out.state_root, tree.flush());
    VENUS_TRY(out.receipts_root, receipts_root(store, out.receipts));
    return out;
}

}  // namespace venus::plugins::node
