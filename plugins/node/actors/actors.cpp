// SPDX-License-Identifier: Apache-2.0 OR MIT
// The small singleton actors (system, account, init, cron, reward, power) and the dispatch table.
// Behaviour follows builtin-actors v16 for the methods a devnet uses; where this node simplifies
// (reward minting, power smoothing) the README says so.
#include "node/actors/actor_util.hpp"

#include "venus/chain/amt.hpp"
#include "venus/chain/hamt.hpp"

namespace venus::plugins::node {

using detail::decode_params;
using detail::require_caller;
using detail::require_caller_type;
using detail::resolve_id;

namespace detail {

Result<Cid> empty_hamt(Blockstore& bs) {
    chain::Hamt h(bs);
    return h.flush();
}

Result<Cid> empty_amt(Blockstore& bs, unsigned bit_width) {
    chain::Amt a(bs, chain::Amt::Format::kV3, bit_width);
    return a.flush();
}

}  // namespace detail

namespace {

constexpr std::uint64_t kUniversalReceiverHook = 3726118371;
constexpr std::int64_t kConsensusMinerMinMiners = 4;

// ---- param and return tuples ----------------------------------------------------------------------
struct AddressPair {  // ExecReturn / CreateMinerReturn
    Address id_address;
    Address robust_address;
    Status encode(CborWriter& w) const {
        w.write_array_header(2);
        VENUS_TRY_VOID(chain::write_address(w, id_address));
        return chain::write_address(w, robust_address);
    }
    static Result<AddressPair> decode(CborReader& r) {
        VENUS_TRY_VOID(r.read_array_header(2));
        AddressPair p;
        VENUS_TRY(p.id_address, chain::read_address(r));
        VENUS_TRY(p.robust_address, chain::read_address(r));
        return p;
    }
};

struct ExecParams {
    Cid code;
    Bytes constructor_params;
    Status encode(CborWriter& w) const {
        w.write_array_header(2);
        VENUS_TRY_VOID(chain::write_cid_field(w, code));
        w.write_bytes(constructor_params);
        return {};
    }
    static Result<ExecParams> decode(CborReader& r) {
        VENUS_TRY_VOID(r.read_array_header(2));
        ExecParams p;
        VENUS_TRY(p.code, r.read_cid());
        VENUS_TRY(auto b, r.read_bytes(chain::kByteArrayMaxLen));
        p.constructor_params.assign(b.begin(), b.end());
        return p;
    }
};

struct CreateMinerParams {
    Address owner;
    Address worker;
    std::int64_t window_post_proof_type = 0;
    Bytes peer;
    std::vector<Bytes> multiaddrs;
    static Result<CreateMinerParams> decode(CborReader& r) {
        VENUS_TRY_VOID(r.read_array_header(5));
        CreateMinerParams p;
        VENUS_TRY(p.owner, chain::read_address(r));
        VENUS_TRY(p.worker, chain::read_address(r));
        VENUS_TRY(p.window_post_proof_type, r.read_int());
        VENUS_TRY(auto peer, r.read_bytes(chain::kByteArrayMaxLen));
        p.peer.assign(peer.begin(), peer.end());
        VENUS_TRY(auto n, r.read_array_header());
        if (n > chain::kMaxArrayLen) return r.error_at("too many multiaddrs");
        for (std::uint64_t i = 0; i < n; ++i) {
            VENUS_TRY(auto m, r.read_bytes(chain::kByteArrayMaxLen));
            p.multiaddrs.emplace_back(m.begin(), m.end());
        }
        return p;
    }
};

struct UpdateClaimedPowerParams {
    BigInt raw_delta;
    BigInt qa_delta;
    static Result<UpdateClaimedPowerParams> decode(CborReader& r) {
        VENUS_TRY_VOID(r.read_array_header(2));
        UpdateClaimedPowerParams p;
        VENUS_TRY(p.raw_delta, chain::read_bigint(r));
        VENUS_TRY(p.qa_delta, chain::read_bigint(r));
        return p;
    }
};

Bytes encode_bigint_value(const BigInt& v) {
    Bytes out;
    CborWriter w(out);
    (void)chain::write_bigint(w, v);
    return out;
}

// ---- system / account -----------------------------------------------------------------------------
Result<Bytes> invoke_system(Runtime& rt, std::uint64_t method, BytesView) {
    if (method == method::kConstructor) {
        VENUS_TRY_VOID(require_caller(rt, id::kSystem));
        VENUS_TRY_VOID(rt.set_state(SystemState{manifest_data_cid()}));
        return Bytes{};
    }
    return actor_error(exit_code::kErrUnhandledMessage, "system: unknown method {}", method);
}

Result<Bytes> invoke_account(Runtime& rt, std::uint64_t method, BytesView params) {
    switch (method) {
        case method::kConstructor: {
            VENUS_TRY_VOID(require_caller(rt, id::kSystem));
            CborReader r(params);
            VENUS_TRY(auto addr, detail::params_or_serialization(chain::read_address(r)));
            if (addr.protocol() != chain::Protocol::kSecp256k1 && addr.protocol() != chain::Protocol::kBls) {
                return actor_error(exit_code::kErrIllegalArgument, "account address must be a key address");
            }
            VENUS_TRY_VOID(rt.set_state(AccountState{addr}));
            return Bytes{};
        }
        case method::account::kPubkeyAddress: {
            VENUS_TRY(auto st, rt.state<AccountState>());
            Bytes out;
            CborWriter w(out);
            VENUS_TRY_VOID(chain::write_address(w, st.address));
            return out;
        }
        case kUniversalReceiverHook:
            return Bytes{};
        default:
            return actor_error(exit_code::kErrUnhandledMessage, "account: unknown method {}", method);
    }
}

// ---- init -----------------------------------------------------------------------------------------
bool can_exec(ActorType caller, ActorType exec) {
    switch (exec) {
        case ActorType::kMiner:
            return caller == ActorType::kPower;
        case ActorType::kMultisig:
        case ActorType::kPaymentChannel:
            return true;
        default:
            return false;
    }
}

Result<Bytes> invoke_init(Runtime& rt, std::uint64_t method, BytesView params) {
    if (method != method::init::kExec) {
        return actor_error(exit_code::kErrUnhandledMessage, "init: unknown method {}", method);
    }
    VENUS_TRY(auto p, decode_params<ExecParams>(params));
    auto exec_type = actor_type(p.code);
    VENUS_TRY(auto caller_type, rt.actor_type_of(rt.caller()));
    if (!exec_type || !caller_type || !can_exec(*caller_type, *exec_type)) {
        return actor_error(exit_code::kErrForbidden, "caller type {} cannot exec actor type {}",
                           caller_type ? actor_type_name(*caller_type) : "unknown",
                           exec_type ? actor_type_name(*exec_type) : p.code.to_string());
    }
    const Address robust = rt.new_actor_address();
    VENUS_TRY(auto st, rt.state<InitState>());
    VENUS_TRY(auto map, chain::Hamt::load(rt.store(), st.address_map));
    const std::uint64_t new_id = st.next_id++;
    Bytes idv;
    CborWriter w(idv);
    w.write_uint(new_id);
    VENUS_TRY_VOID(map.set(robust.bytes(), idv));
    VENUS_TRY(st.address_map, map.flush());
    VENUS_TRY_VOID(rt.set_state(st));
    VENUS_TRY_VOID(rt.create_actor(new_id, p.code));
    // The constructor runs with the value the caller sent to init.
    VENUS_TRY(auto ret, rt.send(id_address(new_id), method::kConstructor, p.constructor_params, rt.value_received()));
    (void)ret;
    return detail::encode_return(AddressPair{id_address(new_id), robust});
}

// ---- cron -----------------------------------------------------------------------------------------
Result<Bytes> invoke_cron(Runtime& rt, std::uint64_t method, BytesView) {
    if (method != method::cron::kEpochTick) {
        return actor_error(exit_code::kErrUnhandledMessage, "cron: unknown method {}", method);
    }
    VENUS_TRY_VOID(require_caller(rt, id::kSystem));
    VENUS_TRY(auto st, rt.state<CronState>());
    for (const auto& e : st.entries) {
        // A failing entry does not stop the others (builtin-actors logs and continues).
        auto r = rt.send(e.receiver, e.method, {}, 0);
        if (!r && !is_actor_error(r.error())) return std::move(r).error();
    }
    return Bytes{};
}

// ---- reward ---------------------------------------------------------------------------------------
Result<Bytes> invoke_reward(Runtime& rt, std::uint64_t method, BytesView params) {
    switch (method) {
        case method::reward::kAwardBlockReward: {
            VENUS_TRY_VOID(require_caller(rt, id::kSystem));
            VENUS_TRY(auto p, decode_params<AwardBlockRewardParams>(params));
            if (p.penalty.sign() < 0) return actor_error(exit_code::kErrIllegalArgument, "negative penalty");
            if (p.gas_reward.sign() < 0) return actor_error(exit_code::kErrIllegalArgument, "negative gas reward");
            if (p.win_count <= 0) return actor_error(exit_code::kErrIllegalArgument, "win count must be positive");
            VENUS_TRY(auto miner_id, rt.resolve(p.miner));
            if (!miner_id) return actor_error(exit_code::kErrNotFound, "miner {} not found", p.miner.to_string());
            VENUS_TRY(auto balance, rt.current_balance());
            if (balance < p.gas_reward) {
                return actor_error(exit_code::kErrIllegalState, "gas reward {} exceeds balance {}",
                                   p.gas_reward.to_string(), balance.to_string());
            }
            VENUS_TRY(auto st, rt.state<RewardState>());
            BigInt block_reward = st.this_epoch_reward * BigInt(p.win_count) / BigInt(rt.network().blocks_per_epoch);
            BigInt total = block_reward + p.gas_reward;
            if (total > balance) {
                total = balance;
                block_reward = total - p.gas_reward;
            }
            st.total_storage_power_reward += block_reward;
            VENUS_TRY_VOID(rt.set_state(st));
            const BigInt penalty = chain::min(p.penalty, total);
            const BigInt payable = total - penalty;
            if (!penalty.is_zero()) VENUS_TRY_VOID(rt.send(id_address(id::kBurntFunds), method::kSend, {}, penalty));
            if (!payable.is_zero()) {
                Bytes ap;
                CborWriter w(ap);
                w.write_array_header(2);
                VENUS_TRY_VOID(chain::write_bigint(w, payable));
                VENUS_TRY_VOID(chain::write_bigint(w, BigInt(0)));
                auto sent = rt.send(id_address(*miner_id), method::miner::kApplyRewards, ap, payable);
                if (!sent) {
                    if (!is_actor_error(sent.error())) return std::move(sent).error();
                    // The miner refused: the reward is burned rather than kept.
                    VENUS_TRY(auto burned, rt.send(id_address(id::kBurntFunds), method::kSend, {}, payable));
                }
            }
            return Bytes{};
        }
        case method::reward::kThisEpochReward: {
            VENUS_TRY(auto st, rt.state<RewardState>());
            Bytes out;
            CborWriter w(out);
            w.write_array_header(2);
            VENUS_TRY_VOID(st.this_epoch_reward_smoothed.encode(w));
            VENUS_TRY_VOID(chain::write_bigint(w, st.this_epoch_baseline_power));
            return out;
        }
        case method::reward::kUpdateNetworkKpi: {
            VENUS_TRY_VOID(require_caller(rt, id::kPower));
            VENUS_TRY(auto st, rt.state<RewardState>());
            // Devnet minting is constant (network file); only the epoch advances.
            st.epoch = rt.epoch() + 1;
            VENUS_TRY_VOID(rt.set_state(st));
            return Bytes{};
        }
        default:
            return actor_error(exit_code::kErrUnhandledMessage, "reward: unknown method {}", method);
    }
}

// ---- power ----------------------------------------------------------------------------------------
std::pair<BigInt, BigInt> current_total_power(const PowerState& st) {
    if (st.miner_above_min_power_count < kConsensusMinerMinMiners) {
        return {st.total_bytes_committed, st.total_qa_bytes_committed};
    }
    return {st.total_raw_byte_power, st.total_quality_adj_power};
}

}  // namespace

Status add_to_claim(Blockstore& bs, PowerState& st, const Address& miner, const BigInt& raw, const BigInt& qa,
                    const BigInt& min_power) {
    VENUS_TRY(auto claims, chain::Hamt::load(bs, st.claims));
    VENUS_TRY(auto raw_claim, claims.get(miner.bytes()));
    if (!raw_claim) return actor_error(exit_code::kErrNotFound, "no power claim for {}", miner.to_string());
    VENUS_TRY(auto claim, chain::decode_cbor<PowerClaim>(*raw_claim));
    PowerClaim next = claim;
    next.raw_byte_power += raw;
    next.quality_adj_power += qa;
    if (next.raw_byte_power.sign() < 0 || next.quality_adj_power.sign() < 0) {
        return actor_error(exit_code::kErrIllegalState, "negative claimed power for {}", miner.to_string());
    }
    const bool prev_below = claim.raw_byte_power < min_power;
    const bool still_below = next.raw_byte_power < min_power;
    st.total_bytes_committed += raw;
    st.total_qa_bytes_committed += qa;
    if (prev_below && !still_below) {
        st.miner_above_min_power_count += 1;
        st.total_raw_byte_power += next.raw_byte_power;
        st.total_quality_adj_power += next.quality_adj_power;
    } else if (!prev_below && still_below) {
        st.miner_above_min_power_count -= 1;
        st.total_raw_byte_power -= claim.raw_byte_power;
        st.total_quality_adj_power -= claim.quality_adj_power;
    } else if (!prev_below && !still_below) {
        st.total_raw_byte_power += raw;
        st.total_quality_adj_power += qa;
    }
    VENUS_TRY(auto bytes, chain::encode_cbor(next));
    VENUS_TRY_VOID(claims.set(miner.bytes(), bytes));
    VENUS_TRY(st.claims, claims.flush());
    return {};
}

namespace {

Result<Bytes> invoke_power(Runtime& rt, std::uint64_t method, BytesView params) {
    switch (method) {
        case method::power::kCreateMiner: {
            VENUS_TRY_VOID(detail::require_signable_caller(rt));
            VENUS_TRY(auto p, decode_params<CreateMinerParams>(params));
            // Miner constructor params: [Owner, Worker, ControlAddrs, WindowPoStProofType, PeerId, Multiaddrs].
            Bytes ctor;
            CborWriter w(ctor);
            w.write_array_header(6);
            VENUS_TRY_VOID(chain::write_address(w, p.owner));
            VENUS_TRY_VOID(chain::write_address(w, p.worker));
            w.write_array_header(0);
            w.write_int(p.window_post_proof_type);
            w.write_bytes(p.peer);
            w.write_array_header(p.multiaddrs.size());
            for (const auto& m : p.multiaddrs) w.write_bytes(m);
            VENUS_TRY(auto exec, chain::encode_cbor(ExecParams{actor_code(ActorType::kMiner), ctor}));
            VENUS_TRY(auto ret, rt.send(id_address(id::kInit), method::init::kExec, exec, rt.value_received()));
            VENUS_TRY(auto addrs, detail::params_or_serialization(chain::decode_cbor<AddressPair>(ret)));
            VENUS_TRY(auto st, rt.state<PowerState>());
            VENUS_TRY(auto claims, chain::Hamt::load(rt.store(), st.claims));
            VENUS_TRY(auto claim, chain::encode_cbor(PowerClaim{p.window_post_proof_type, 0, 0}));
            VENUS_TRY_VOID(claims.set(addrs.id_address.bytes(), claim));
            VENUS_TRY(st.claims, claims.flush());
            st.miner_count += 1;
            VENUS_TRY_VOID(rt.set_state(st));
            return detail::encode_return(addrs);
        }
        case method::power::kUpdateClaimedPower: {
            VENUS_TRY_VOID(require_caller_type(rt, {ActorType::kMiner}));
            VENUS_TRY(auto p, decode_params<UpdateClaimedPowerParams>(params));
            VENUS_TRY(auto st, rt.state<PowerState>());
            VENUS_TRY_VOID(add_to_claim(rt.store(), st, rt.caller_address(), p.raw_delta, p.qa_delta,
                                        rt.network().consensus_miner_min_power));
            VENUS_TRY_VOID(rt.set_state(st));
            return Bytes{};
        }
        case method::power::kCronTick: {
            VENUS_TRY_VOID(require_caller(rt, id::kCron));
            VENUS_TRY(auto st, rt.state<PowerState>());
            auto [raw, qa] = current_total_power(st);
            st.this_epoch_raw_byte_power = raw;
            st.this_epoch_quality_adj_power = qa;
            st.this_epoch_pledge_collateral = st.total_pledge_collateral;
            st.first_cron_epoch = rt.epoch() + 1;
            VENUS_TRY_VOID(rt.set_state(st));
            VENUS_TRY(auto kpi, rt.send(id_address(id::kReward), method::reward::kUpdateNetworkKpi,
                                        encode_bigint_value(raw), 0));
            (void)kpi;
            return Bytes{};
        }
        case method::power::kCurrentTotalPower: {
            VENUS_TRY(auto st, rt.state<PowerState>());
            Bytes out;
            CborWriter w(out);
            w.write_array_header(4);
            VENUS_TRY_VOID(chain::write_bigint(w, st.this_epoch_raw_byte_power));
            VENUS_TRY_VOID(chain::write_bigint(w, st.this_epoch_quality_adj_power));
            VENUS_TRY_VOID(chain::write_bigint(w, st.this_epoch_pledge_collateral));
            VENUS_TRY_VOID(st.this_epoch_qa_power_smoothed.encode(w));
            return out;
        }
        default:
            return actor_error(exit_code::kErrUnhandledMessage, "power: unknown method {}", method);
    }
}

}  // namespace

Result<Bytes> invoke_actor(ActorType type, Runtime& rt, std::uint64_t method, BytesView params) {
    switch (type) {
        case ActorType::kSystem:
            return invoke_system(rt, method, params);
        case ActorType::kAccount:
            return invoke_account(rt, method, params);
        case ActorType::kInit:
            return invoke_init(rt, method, params);
        case ActorType::kCron:
            return invoke_cron(rt, method, params);
        case ActorType::kReward:
            return invoke_reward(rt, method, params);
        case ActorType::kPower:
            return invoke_power(rt, method, params);
        case ActorType::kMiner:
            return detail::invoke_miner(rt, method, params);
        case ActorType::kMultisig:
            return detail::invoke_multisig(rt, method, params);
        default:
            return actor_error(exit_code::kErrUnhandledMessage, "actor type {} is not implemented by this node",
                               actor_type_name(type));
    }
}

}  // namespace venus::plugins::node
