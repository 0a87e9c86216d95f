// SPDX-License-Identifier: Apache-2.0 OR MIT
// The storage miner actor: the parts a devnet with pre-sealed sectors needs (info and addresses,
// worker change, peer id, multiaddrs, owner change, rewards with vesting, withdrawals).
#include <algorithm>

#include "node/actors/actor_util.hpp"
#include "venus/chain/amt.hpp"
#include "venus/chain/hamt.hpp"
#include "venus/crypto/hash.hpp"

namespace venus::plugins::node {

using detail::decode_params;
using detail::resolve_id;

namespace {

constexpr std::int64_t kChallengeWindow = 60;  // WPoStChallengeWindow (mainnet policy; devnet keeps it)
constexpr std::int64_t kProvingPeriod = kChallengeWindow * static_cast<std::int64_t>(Deadlines::kCount);
constexpr std::int64_t kEpochsInDay = 2880;
constexpr std::int64_t kVestingDays = 180;
constexpr std::size_t kMaxPeerIdLength = 128;
constexpr std::size_t kMaxMultiaddrData = 1024;

Status check_peer_info(const Bytes& peer, const std::vector<Bytes>& addrs) {
    if (peer.size() > kMaxPeerIdLength) return actor_error(exit_code::kErrIllegalArgument, "peer ID too long");
    std::size_t total = 0;
    for (const auto& a : addrs) {
        if (a.empty()) return actor_error(exit_code::kErrIllegalArgument, "empty multiaddr");
        total += a.size();
    }
    if (total > kMaxMultiaddrData) return actor_error(exit_code::kErrIllegalArgument, "multiaddrs too large");
    return {};
}

Result<std::uint64_t> resolve_control(Runtime& rt, const Address& a) {
    VENUS_TRY(auto id, resolve_id(rt, a));
    VENUS_TRY(auto t, rt.actor_type_of(id));
    if (!t || (*t != ActorType::kAccount && *t != ActorType::kMultisig && *t != ActorType::kEthAccount)) {
        return actor_error(exit_code::kErrIllegalArgument, "{} is not a signable or multisig actor", a.to_string());
    }
    return id;
}

// The worker must be an account whose key is BLS (it signs blocks and VRFs).
Result<std::uint64_t> resolve_worker(Runtime& rt, const Address& a) {
    VENUS_TRY(auto id, resolve_id(rt, a));
    VENUS_TRY(auto t, rt.actor_type_of(id));
    if (!t || *t != ActorType::kAccount) {
        return actor_error(exit_code::kErrIllegalArgument, "worker {} must be an account", a.to_string());
    }
    VENUS_TRY(auto key, rt.resolve_key(id_address(id)));
    if (key.protocol() != chain::Protocol::kBls) {
        return actor_error(exit_code::kErrIllegalArgument, "worker {} key must be BLS", a.to_string());
    }
    return id;
}

struct MinerConstructorParams {
    Address owner;
    Address worker;
    std::vector<Address> control;
    std::int64_t window_post_proof_type = 0;
    Bytes peer_id;
    std::vector<Bytes> multiaddrs;
    static Result<MinerConstructorParams> decode(CborReader& r) {
        VENUS_TRY_VOID(r.read_array_header(6));
        MinerConstructorParams p;
        VENUS_TRY(p.owner, chain::read_address(r));
        VENUS_TRY(p.worker, chain::read_address(r));
        VENUS_TRY(auto n, r.read_array_header());
        if (n > kMaxControlAddresses) return r.error_at("too many control addresses");
        for (std::uint64_t i = 0; i < n; ++i) {
            VENUS_TRY(auto a, chain::read_address(r));
            p.control.push_back(a);
        }
        VENUS_TRY(p.window_post_proof_type, r.read_int());
        VENUS_TRY(auto peer, r.read_bytes(chain::kByteArrayMaxLen));
        p.peer_id.assign(peer.begin(), peer.end());
        VENUS_TRY(auto m, r.read_array_header());
        if (m > chain::kMaxArrayLen) return r.error_at("too many multiaddrs");
        for (std::uint64_t i = 0; i < m; ++i) {
            VENUS_TRY(auto b, r.read_bytes(chain::kByteArrayMaxLen));
            p.multiaddrs.emplace_back(b.begin(), b.end());
        }
        return p;
    }
};

Result<std::vector<VestingFund>> load_vesting(Blockstore& bs, const MinerState& st) {
    std::vector<VestingFund> out;
    if (!st.vesting_funds) return out;
    VENUS_TRY(auto vf, load_cbor<VestingFunds>(bs, *st.vesting_funds));
    out.push_back(vf.head);
    VENUS_TRY(auto tail, load_cbor<VestingFundsTail>(bs, vf.tail));
    for (auto& f : tail.funds) out.push_back(std::move(f));
    return out;
}

Status save_vesting(Blockstore& bs, MinerState& st, std::vector<VestingFund> funds) {
    if (funds.empty()) {
        st.vesting_funds.reset();
        return {};
    }
    VestingFundsTail tail;
    tail.funds.assign(funds.begin() + 1, funds.end());
    VENUS_TRY(auto tail_cid, store_cbor(bs, tail));
    VENUS_TRY(auto cid, store_cbor(bs, VestingFunds{funds.front(), tail_cid}));
    st.vesting_funds = cid;
    return {};
}

// Moves vested amounts (epoch < now) out of LockedFunds.
Status unlock_vested(Blockstore& bs, MinerState& st, ChainEpoch now) {
    VENUS_TRY(auto funds, load_vesting(bs, st));
    std::vector<VestingFund> keep;
    for (auto& f : funds) {
        if (f.epoch < now) {
            st.locked_funds -= f.amount;
        } else {
            keep.push_back(std::move(f));
        }
    }
    if (keep.size() == funds.size()) return {};
    return save_vesting(bs, st, std::move(keep));
}

// QuantSpec.QuantizeUp (builtin-actors): the first epoch ≥ e on the grid offset + k·unit.
ChainEpoch quantize_up(ChainEpoch e, ChainEpoch unit, ChainEpoch offset) {
    offset %= unit;
    const ChainEpoch remainder = (e - offset) % unit;
    const ChainEpoch quotient = (e - offset) / unit;
    if (remainder == 0 || e - offset < 0) return unit * quotient + offset;  // truncation rounds up below 0
    return unit * (quotient + 1) + offset;
}

// VestingFunds.addLockedFunds with RewardVestingSpec (no initial delay, 180 days, daily steps,
// quantized to 12 hours from the proving period start): the amount vested by each step is
// sum·elapsed/period minus what earlier steps vested. The quantization is what keeps the table at
// ~360 entries however many rewards are added (without it every block added 180 new entries and
// each block's decode/encode of the table grew with the chain).
Status add_locked(Blockstore& bs, MinerState& st, ChainEpoch now, const TokenAmount& amount) {
    if (amount.is_zero()) return {};
    constexpr ChainEpoch kVestPeriod = kVestingDays * kEpochsInDay;
    constexpr ChainEpoch kQuantization = kEpochsInDay / 2;
    VENUS_TRY(auto funds, load_vesting(bs, st));
    BigInt vested_so_far;
    for (ChainEpoch e = now + kEpochsInDay; vested_so_far < amount; e += kEpochsInDay) {
        const ChainEpoch at = quantize_up(e, kQuantization, st.proving_period_start);
        const ChainEpoch elapsed = at - now;
        const BigInt target = elapsed < kVestPeriod ? amount * BigInt(elapsed) / BigInt(kVestPeriod) : amount;
        const BigInt part = target - vested_so_far;
        vested_so_far = target;
        auto it = std::lower_bound(funds.begin(), funds.end(), at,
                                   [](const VestingFund& f, ChainEpoch x) { return f.epoch < x; });
        if (it != funds.end() && it->epoch == at) {
            it->amount += part;
        } else {
            funds.insert(it, VestingFund{at, part});
        }
    }
    st.locked_funds += amount;
    return save_vesting(bs, st, std::move(funds));
}

Status require_control(Runtime& rt, const MinerInfo& info) {
    if (rt.caller_address() == info.owner || rt.caller_address() == info.worker) return {};
    for (const auto& c : info.control_addresses) {
        if (rt.caller_address() == c) return {};
    }
    return actor_error(exit_code::kErrForbidden, "caller {} is not the owner, worker or a control address",
                       rt.caller_address().to_string());
}

Result<MinerInfo> load_info(Runtime& rt, const MinerState& st) {
    VENUS_TRY(auto bytes, rt.get_block(st.info));
    return chain::decode_cbor<MinerInfo>(bytes);
}

Status save_info(Runtime& rt, MinerState& st, const MinerInfo& info) {
    VENUS_TRY(auto bytes, chain::encode_cbor(info));
    VENUS_TRY(st.info, rt.put_block(bytes));
    return {};
}

// Pays down fee debt from unlocked funds by burning; returns what was burned.
Result<TokenAmount> repay_debt(Runtime& rt, MinerState& st) {
    VENUS_TRY(auto balance, rt.current_balance());
    TokenAmount unlocked = balance - st.locked_funds - st.pre_commit_deposits - st.initial_pledge;
    if (unlocked.sign() < 0) unlocked = 0;
    const TokenAmount pay = chain::min(unlocked, st.fee_debt);
    st.fee_debt -= pay;
    return pay;
}

Bytes bigint_value(const BigInt& v) {
    Bytes out;
    CborWriter w(out);
    (void)chain::write_bigint(w, v);
    return out;
}

}  // namespace

Result<std::pair<std::uint64_t, std::uint64_t>> window_post_proof_info(std::int64_t proof_type) {
    switch (proof_type) {
        case 5:   // StackedDrgWindow2KiBV1
        case 10:  // StackedDrgWindow2KiBV1_1
            return std::pair<std::uint64_t, std::uint64_t>{2048, 2};
        case 6:   // 8MiB V1
        case 11:  // 8MiB V1_1
            return std::pair<std::uint64_t, std::uint64_t>{8u << 20, 2};
        default:
            return actor_error(exit_code::kErrIllegalArgument, "window PoSt proof type {} is not supported on this devnet",
                               proof_type);
    }
}

Result<MinerState> new_miner_state(Blockstore& bs, const MinerInfo& info, const Address& miner, ChainEpoch epoch) {
    MinerState st;
    VENUS_TRY(st.info, store_cbor(bs, info));
    VENUS_TRY(st.pre_committed_sectors, detail::empty_hamt(bs));
    VENUS_TRY(st.pre_committed_sectors_clean_up, detail::empty_amt(bs, 6));
    Bytes empty_bitfield;
    CborWriter w(empty_bitfield);
    w.write_bytes({});
    VENUS_TRY(st.allocated_sectors, chain::put_cbor(bs, empty_bitfield));
    VENUS_TRY(st.sectors, detail::empty_amt(bs, 5));
    Deadline dl;
    VENUS_TRY(dl.partitions, detail::empty_amt(bs, 3));
    VENUS_TRY(dl.expirations_epochs, detail::empty_amt(bs, 5));
    VENUS_TRY(dl.optimistic_post_submissions, detail::empty_amt(bs, 2));
    dl.sectors_snapshot = st.sectors;
    dl.partitions_snapshot = dl.partitions;
    dl.optimistic_post_submissions_snapshot = dl.optimistic_post_submissions;
    VENUS_TRY(auto dl_cid, store_cbor(bs, dl));
    Deadlines dls;
    dls.due.assign(Deadlines::kCount, dl_cid);
    VENUS_TRY(st.deadlines, store_cbor(bs, dls));
    // Proving period offset from the miner address and epoch (builtin-actors assign_proving_period_offset).
    Bytes seed;
    CborWriter sw(seed);
    VENUS_TRY_VOID(chain::write_address(sw, miner));
    for (int i = 7; i >= 0; --i) seed.push_back(static_cast<std::uint8_t>(static_cast<std::uint64_t>(epoch) >> (8 * i)));
    const auto digest = crypto::blake2b_256(seed);
    std::uint64_t x = 0;
    for (int i = 0; i < 8; ++i) x = (x << 8) | digest[static_cast<std::size_t>(i)];
    const auto offset = static_cast<std::int64_t>(x % static_cast<std::uint64_t>(kProvingPeriod));
    const std::int64_t modulus = ((epoch % kProvingPeriod) + kProvingPeriod) % kProvingPeriod;
    const std::int64_t progress = modulus >= offset ? modulus - offset : kProvingPeriod - (offset - modulus);
    st.proving_period_start = epoch - progress;
    st.current_deadline = static_cast<std::uint64_t>(progress / kChallengeWindow);
    return st;
}

Status add_presealed_sectors(Blockstore& bs, MinerState& st, const std::vector<SectorOnChainInfo>& sectors) {
    VENUS_TRY(auto amt, chain::Amt::load(bs, st.sectors, chain::Amt::Format::kV3));
    VENUS_TRY(auto bf_bytes, bs.get(st.allocated_sectors));
    CborReader r(bf_bytes);
    VENUS_TRY(auto bf_view, r.read_bytes());
    VENUS_TRY(auto allocated, rle_plus_decode(bf_view));
    for (const auto& s : sectors) {
        VENUS_TRY(auto bytes, chain::encode_cbor(s));
        VENUS_TRY_VOID(amt.set(s.sector_number, bytes));
        allocated.push_back(s.sector_number);
    }
    std::sort(allocated.begin(), allocated.end());
    allocated.erase(std::unique(allocated.begin(), allocated.end()), allocated.end());
    VENUS_TRY(st.sectors, amt.flush());
    Bytes bf;
    CborWriter w(bf);
    w.write_bytes(rle_plus_encode(allocated));
    VENUS_TRY(st.allocated_sectors, chain::put_cbor(bs, bf));
    return {};
}

TokenAmount miner_available_balance(const MinerState& st, const TokenAmount& balance) {
    return balance - st.locked_funds - st.pre_commit_deposits - st.initial_pledge - st.fee_debt;
}

namespace detail {

Result<Bytes> invoke_miner(Runtime& rt, std::uint64_t method, BytesView params) {
    if (method == method::kConstructor) {
        VENUS_TRY_VOID(require_caller(rt, id::kInit));
        VENUS_TRY(auto p, decode_params<MinerConstructorParams>(params));
        VENUS_TRY_VOID(check_peer_info(p.peer_id, p.multiaddrs));
        VENUS_TRY(auto sizes, window_post_proof_info(p.window_post_proof_type));
        MinerInfo info;
        VENUS_TRY(auto owner, resolve_control(rt, p.owner));
        VENUS_TRY(auto worker, resolve_worker(rt, p.worker));
        info.owner = id_address(owner);
        info.worker = id_address(worker);
        for (const auto& c : p.control) {
            VENUS_TRY(auto cid, resolve_control(rt, c));
            info.control_addresses.push_back(id_address(cid));
        }
        info.peer_id = p.peer_id;
        info.multiaddrs = p.multiaddrs;
        info.window_post_proof_type = p.window_post_proof_type;
        info.sector_size = sizes.first;
        info.window_post_partition_sectors = sizes.second;
        info.beneficiary = info.owner;
        VENUS_TRY_VOID(rt.charge_gas(gas::kIpldPutBase * 4));
        VENUS_TRY(auto st, new_miner_state(rt.store(), info, rt.receiver_address(), rt.epoch()));
        VENUS_TRY_VOID(rt.set_state(st));
        return Bytes{};
    }

    VENUS_TRY(auto st, rt.state<MinerState>());
    VENUS_TRY(auto info, load_info(rt, st));
    switch (method) {
        case method::miner::kControlAddresses: {
            Bytes out;
            CborWriter w(out);
            w.write_array_header(3);
            VENUS_TRY_VOID(chain::write_address(w, info.owner));
            VENUS_TRY_VOID(chain::write_address(w, info.worker));
            w.write_array_header(info.control_addresses.size());
            for (const auto& c : info.control_addresses) VENUS_TRY_VOID(chain::write_address(w, c));
            return out;
        }
        case method::miner::kChangeWorkerAddress: {
            if (rt.caller_address() != info.owner) return actor_error(exit_code::kErrForbidden, "caller is not the owner");
            CborReader r(params);
            VENUS_TRY_VOID(read_tuple(r, 2));
            VENUS_TRY(auto new_worker, params_or_serialization(chain::read_address(r)));
            VENUS_TRY(auto n, params_or_serialization(r.read_array_header()));
            if (n > kMaxControlAddresses) return actor_error(exit_code::kErrIllegalArgument, "too many control addresses");
            std::vector<Address> control;
            for (std::uint64_t i = 0; i < n; ++i) {
                VENUS_TRY(auto a, params_or_serialization(chain::read_address(r)));
                VENUS_TRY(auto cid, resolve_control(rt, a));
                control.push_back(id_address(cid));
            }
            VENUS_TRY(auto worker, resolve_worker(rt, new_worker));
            info.control_addresses = std::move(control);
            if (id_address(worker) != info.worker) {
                // A worker key change takes effect after finality (WorkerKeyChangeDelay).
                info.pending_worker_key = WorkerKeyChange{id_address(worker), rt.epoch() + rt.network().chain_finality};
            } else {
                info.pending_worker_key.reset();
            }
            VENUS_TRY_VOID(save_info(rt, st, info));
            VENUS_TRY_VOID(rt.set_state(st));
            return Bytes{};
        }
        case method::miner::kConfirmChangeWorkerAddress: {
            if (rt.caller_address() != info.owner) return actor_error(exit_code::kErrForbidden, "caller is not the owner");
            if (!info.pending_worker_key) return actor_error(exit_code::kErrIllegalState, "no pending key change");
            if (info.pending_worker_key->effective_at > rt.epoch()) {
                return actor_error(exit_code::kErrIllegalState, "too early to confirm the worker change (effective at {})",
                                   info.pending_worker_key->effective_at);
            }
            info.worker = info.pending_worker_key->new_worker;
            info.pending_worker_key.reset();
            VENUS_TRY_VOID(save_info(rt, st, info));
            VENUS_TRY_VOID(rt.set_state(st));
            return Bytes{};
        }
        case method::miner::kChangePeerId: {
            VENUS_TRY_VOID(require_control(rt, info));
            CborReader r(params);
            VENUS_TRY_VOID(read_tuple(r, 1));
            VENUS_TRY(auto id, params_or_serialization(r.read_bytes(chain::kByteArrayMaxLen)));
            info.peer_id.assign(id.begin(), id.end());
            VENUS_TRY_VOID(check_peer_info(info.peer_id, info.multiaddrs));
            VENUS_TRY_VOID(save_info(rt, st, info));
            VENUS_TRY_VOID(rt.set_state(st));
            return Bytes{};
        }
        case method::miner::kChangeMultiaddrs: {
            VENUS_TRY_VOID(require_control(rt, info));
            CborReader r(params);
            VENUS_TRY_VOID(read_tuple(r, 1));
            VENUS_TRY(auto n, params_or_serialization(r.read_array_header()));
            if (n > chain::kMaxArrayLen) return actor_error(exit_code::kErrIllegalArgument, "too many multiaddrs");
            std::vector<Bytes> addrs;
            for (std::uint64_t i = 0; i < n; ++i) {
                VENUS_TRY(auto b, params_or_serialization(r.read_bytes(chain::kByteArrayMaxLen)));
                addrs.emplace_back(b.begin(), b.end());
            }
            VENUS_TRY_VOID(check_peer_info(info.peer_id, addrs));
            info.multiaddrs = std::move(addrs);
            VENUS_TRY_VOID(save_info(rt, st, info));
            VENUS_TRY_VOID(rt.set_state(st));
            return Bytes{};
        }
        case method::miner::kChangeOwnerAddress: {
            CborReader r(params);
            VENUS_TRY(auto new_owner, params_or_serialization(chain::read_address(r)));
            VENUS_TRY(auto new_id, resolve_control(rt, new_owner));
            const Address proposed = id_address(new_id);
            if (rt.caller_address() == info.owner) {
                info.pending_owner_address = proposed;
            } else if (info.pending_owner_address && rt.caller_address() == *info.pending_owner_address &&
                       proposed == *info.pending_owner_address) {
                if (info.beneficiary == info.owner) info.beneficiary = proposed;
                info.owner = proposed;
                info.pending_owner_address.reset();
            } else {
                return actor_error(exit_code::kErrForbidden, "caller may not change the owner");
            }
            VENUS_TRY_VOID(save_info(rt, st, info));
            VENUS_TRY_VOID(rt.set_state(st));
            return Bytes{};
        }
        case method::miner::kWithdrawBalance: {
            if (rt.caller_address() != info.owner && rt.caller_address() != info.beneficiary) {
                return actor_error(exit_code::kErrForbidden, "caller is not the owner or the beneficiary");
            }
            CborReader r(params);
            VENUS_TRY_VOID(read_tuple(r, 1));
            VENUS_TRY(auto requested, params_or_serialization(chain::read_bigint(r)));
            if (requested.sign() < 0) return actor_error(exit_code::kErrIllegalArgument, "negative withdrawal");
            VENUS_TRY_VOID(unlock_vested(rt.store(), st, rt.epoch()));
            VENUS_TRY(auto burn, repay_debt(rt, st));
            VENUS_TRY(auto balance, rt.current_balance());
            TokenAmount available = miner_available_balance(st, balance - burn);
            if (available.sign() < 0) available = 0;
            TokenAmount amount = chain::min(available, requested);
            if (info.beneficiary != info.owner) {
                const TokenAmount remaining = info.beneficiary_term.quota - info.beneficiary_term.used_quota;
                if (info.beneficiary_term.expiration <= rt.epoch()) amount = 0;
                amount = chain::min(amount, remaining);
                info.beneficiary_term.used_quota += amount;
                VENUS_TRY_VOID(save_info(rt, st, info));
            }
            VENUS_TRY_VOID(rt.set_state(st));
            if (!burn.is_zero()) VENUS_TRY_VOID(rt.send(id_address(id::kBurntFunds), method::kSend, {}, burn));
            if (!amount.is_zero()) VENUS_TRY_VOID(rt.send(info.beneficiary, method::kSend, {}, amount));
            return bigint_value(amount);
        }
        case method::miner::kApplyRewards: {
            VENUS_TRY_VOID(require_caller(rt, id::kReward));
            CborReader r(params);
            VENUS_TRY_VOID(read_tuple(r, 2));
            VENUS_TRY(auto reward, params_or_serialization(chain::read_bigint(r)));
            VENUS_TRY(auto penalty, params_or_serialization(chain::read_bigint(r)));
            if (reward.sign() < 0 || penalty.sign() < 0) {
                return actor_error(exit_code::kErrIllegalArgument, "negative reward or penalty");
            }
            VENUS_TRY_VOID(unlock_vested(rt.store(), st, rt.epoch()));
            // 75% of a block reward vests over 180 days; 25% is available at once.
            VENUS_TRY_VOID(add_locked(rt.store(), st, rt.epoch(), reward * BigInt(3) / BigInt(4)));
            st.fee_debt += penalty;
            VENUS_TRY(auto burn, repay_debt(rt, st));
            VENUS_TRY_VOID(rt.set_state(st));
            if (!burn.is_zero()) VENUS_TRY_VOID(rt.send(id_address(id::kBurntFunds), method::kSend, {}, burn));
            return Bytes{};
        }
        default:
            return actor_error(exit_code::kErrUnhandledMessage, "miner: method {} is not implemented", method);
    }
}

}  // namespace detail

}  // namespace venus::plugins::node
