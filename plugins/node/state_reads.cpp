// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "node/state_reads.hpp"

#include <algorithm>

#include "node/actors/codes.hpp"
#include "node/actors/states.hpp"
#include "node/state/state_tree.hpp"
#include "venus/chain/hamt.hpp"
#include "venus/chain/json.hpp"

namespace venus::plugins::node {

namespace {

using chain::JsonWriter;

Result<StateTree> tree_at(NodeService& svc, const chain::TipSetKey& key) {
    VENUS_TRY(auto ts, svc.tipset(key));
    return StateTree::load(svc.store().blockstore(), ts.parent_state());
}

void fkey(JsonWriter& w, const char* k) { w.Key(k); }
void fcid(JsonWriter& w, const char* k, const Cid& c) {
    w.Key(k);
    chain::to_json(w, c);
}
void fbig(JsonWriter& w, const char* k, const chain::BigInt& v) {
    w.Key(k);
    chain::to_json(w, v);
}
void fi64(JsonWriter& w, const char* k, std::int64_t v) {
    w.Key(k);
    w.Int64(v);
}
void ffilter(JsonWriter& w, const char* k, const FilterEstimate& f) {
    w.Key(k);
    w.StartObject();
    fbig(w, "PositionEstimate", f.position);
    fbig(w, "VelocityEstimate", f.velocity);
    w.EndObject();
}
// go-bitfield's JSON: the run lengths, starting with a run of unset bits.
Status fbitfield(JsonWriter& w, const char* k, BytesView rle) {
    VENUS_TRY(auto bits, rle_plus_decode(rle));
    w.Key(k);
    w.StartArray();
    std::uint64_t pos = 0;
    for (std::size_t i = 0; i < bits.size();) {
        std::size_t j = i;
        while (j + 1 < bits.size() && bits[j + 1] == bits[j] + 1) ++j;
        w.Uint64(bits[i] - pos);
        w.Uint64(bits[j] - bits[i] + 1);
        pos = bits[j] + 1;
        i = j + 1;
    }
    w.EndArray();
    return {};
}

Status state_json(JsonWriter& w, chain::Blockstore& bs, ActorType type, const Cid& head) {
    switch (type) {
        case ActorType::kSystem: {
            VENUS_TRY(auto st, load_cbor<SystemState>(bs, head));
            w.StartObject();
            fcid(w, "BuiltinActors", st.builtin_actors);
            w.EndObject();
            return {};
        }
        case ActorType::kAccount: {
            VENUS_TRY(auto st, load_cbor<AccountState>(bs, head));
            w.StartObject();
            fkey(w, "Address");
            chain::to_json(w, st.address);
            w.EndObject();
            return {};
        }
        case ActorType::kInit: {
            VENUS_TRY(auto st, load_cbor<InitState>(bs, head));
            w.StartObject();
            fcid(w, "AddressMap", st.address_map);
            fkey(w, "NextID");
            w.Uint64(st.next_id);
            fkey(w, "NetworkName");
            w.String(st.network_name.c_str());
            w.EndObject();
            return {};
        }
        case ActorType::kCron: {
            VENUS_TRY(auto st, load_cbor<CronState>(bs, head));
            w.StartObject();
            fkey(w, "Entries");
            w.StartArray();
            for (const auto& e : st.entries) {
                w.StartObject();
                fkey(w, "Receiver");
                chain::to_json(w, e.receiver);
                fkey(w, "MethodNum");
                w.Uint64(e.method);
                w.EndObject();
            }
            w.EndArray();
            w.EndObject();
            return {};
        }
        case ActorType::kPower: {
            VENUS_TRY(auto st, load_cbor<PowerState>(bs, head));
            w.StartObject();
            fbig(w, "TotalRawBytePower", st.total_raw_byte_power);
            fbig(w, "TotalBytesCommitted", st.total_bytes_committed);
            fbig(w, "TotalQualityAdjPower", st.total_quality_adj_power);
            fbig(w, "TotalQABytesCommitted", st.total_qa_bytes_committed);
            fbig(w, "TotalPledgeCollateral", st.total_pledge_collateral);
            fbig(w, "ThisEpochRawBytePower", st.this_epoch_raw_byte_power);
            fbig(w, "ThisEpochQualityAdjPower", st.this_epoch_quality_adj_power);
            fbig(w, "ThisEpochPledgeCollateral", st.this_epoch_pledge_collateral);
            ffilter(w, "ThisEpochQAPowerSmoothed", st.this_epoch_qa_power_smoothed);
            fi64(w, "MinerCount", st.miner_count);
            fi64(w, "MinerAboveMinPowerCount", st.miner_above_min_power_count);
            fi64(w, "RampStartEpoch", st.ramp_start_epoch);
            fkey(w, "RampDurationEpochs");
            w.Uint64(st.ramp_duration_epochs);
            fcid(w, "CronEventQueue", st.cron_event_queue);
            fi64(w, "FirstCronEpoch", st.first_cron_epoch);
            fcid(w, "Claims", st.claims);
            fkey(w, "ProofValidationBatch");
            if (st.proof_validation_batch) {
                chain::to_json(w, *st.proof_validation_batch);
            } else {
                w.Null();
            }
            w.EndObject();
            return {};
        }
        case ActorType::kReward: {
            VENUS_TRY(auto st, load_cbor<RewardState>(bs, head));
            w.StartObject();
            fbig(w, "CumsumBaseline", st.cumsum_baseline);
            fbig(w, "CumsumRealized", st.cumsum_realized);
            fi64(w, "EffectiveNetworkTime", st.effective_network_time);
            fbig(w, "EffectiveBaselinePower", st.effective_baseline_power);
            fbig(w, "ThisEpochReward", st.this_epoch_reward);
            ffilter(w, "ThisEpochRewardSmoothed", st.this_epoch_reward_smoothed);
            fbig(w, "ThisEpochBaselinePower", st.this_epoch_baseline_power);
            fi64(w, "Epoch", st.epoch);
            fbig(w, "TotalStoragePowerReward", st.total_storage_power_reward);
            fbig(w, "SimpleTotal", st.simple_total);
            fbig(w, "BaselineTotal", st.baseline_total);
            w.EndObject();
            return {};
        }
        case ActorType::kMiner: {
            VENUS_TRY(auto st, load_cbor<MinerState>(bs, head));
            w.StartObject();
            fcid(w, "Info", st.info);
            fbig(w, "PreCommitDeposits", st.pre_commit_deposits);
            fbig(w, "LockedFunds", st.locked_funds);
            fkey(w, "VestingFunds");
            if (st.vesting_funds) {
                chain::to_json(w, *st.vesting_funds);
            } else {
                w.Null();
            }
            fbig(w, "FeeDebt", st.fee_debt);
            fbig(w, "InitialPledge", st.initial_pledge);
            fcid(w, "PreCommittedSectors", st.pre_committed_sectors);
            fcid(w, "PreCommittedSectorsCleanUp", st.pre_committed_sectors_clean_up);
            fcid(w, "AllocatedSectors", st.allocated_sectors);
            fcid(w, "Sectors", st.sectors);
            fi64(w, "ProvingPeriodStart", st.proving_period_start);
            fkey(w, "CurrentDeadline");
            w.Uint64(st.current_deadline);
            fcid(w, "Deadlines", st.deadlines);
            VENUS_TRY_VOID(fbitfield(w, "EarlyTerminations", st.early_terminations));
            fkey(w, "DeadlineCronActive");
            w.Bool(st.deadline_cron_active);
            w.EndObject();
            return {};
        }
        case ActorType::kMultisig: {
            VENUS_TRY(auto st, load_cbor<MultisigState>(bs, head));
            w.StartObject();
            fkey(w, "Signers");
            w.StartArray();
            for (const auto& s : st.signers) chain::to_json(w, s);
            w.EndArray();
            fkey(w, "NumApprovalsThreshold");
            w.Uint64(st.num_approvals_threshold);
            fi64(w, "NextTxnID", st.next_txn_id);
            fbig(w, "InitialBalance", st.initial_balance);
            fi64(w, "StartEpoch", st.start_epoch);
            fi64(w, "UnlockDuration", st.unlock_duration);
            fcid(w, "PendingTxns", st.pending_txns);
            w.EndObject();
            return {};
        }
        default:
            return make_error(Errc::kUnsupported, "reading the state of a {} actor is not supported",
                              actor_type_name(type));
    }
}

}  // namespace

Result<chain::Address> lookup_robust_address(NodeService& svc, const chain::Address& id_addr,
                                             const chain::TipSetKey& key) {
    if (id_addr.protocol() != chain::Protocol::kId) {
        return make_error(Errc::kInvalidArgument, "failed to decode provided address as id addr: {} is not an ID address",
                          id_addr.to_string());
    }
    VENUS_TRY(auto tree, tree_at(svc, key));
    VENUS_TRY(auto init, tree.get_actor(id::kInit));
    if (!init) return make_error(Errc::kNotFound, "init actor not found");
    auto& bs = svc.store().blockstore();
    VENUS_TRY(auto st, load_cbor<InitState>(bs, init->head));
    VENUS_TRY(auto map, chain::Hamt::load(bs, st.address_map));
    std::optional<chain::Address> found;
    VENUS_TRY(auto want_id, id_addr.id());
    VENUS_TRY_VOID(map.for_each([&](BytesView k, BytesView v) -> Status {
        if (found) return {};
        chain::CborReader r(v);
        VENUS_TRY(auto idv, r.read_uint());
        if (idv == want_id) {
            VENUS_TRY(auto a, chain::Address::from_bytes(k));
            found = a;
        }
        return {};
    }));
    if (!found) return make_error(Errc::kNotFound, "address {} not found", id_addr.to_string());
    return *found;
}

Result<std::vector<chain::Address>> list_actors(NodeService& svc, const chain::TipSetKey& key) {
    VENUS_TRY(auto tree, tree_at(svc, key));
    std::vector<chain::Address> out;
    VENUS_TRY_VOID(tree.for_each([&](std::uint64_t id, const chain::Actor&) -> Status {
        VENUS_TRY(auto a, chain::Address::new_id(id));
        out.push_back(a);
        return {};
    }));
    std::sort(out.begin(), out.end());
    return out;
}

Result<std::string> read_state_json(NodeService& svc, const chain::Address& addr, const chain::TipSetKey& key) {
    VENUS_TRY(auto tree, tree_at(svc, key));
    VENUS_TRY(auto a, tree.get_actor(addr));
    if (!a) return make_error(Errc::kNotFound, "getting actor: resolution lookup failed ({}): actor not found", addr.to_string());
    const auto type = actor_type(a->code);
    if (!type) return make_error(Errc::kUnsupported, "unknown actor code {}", a->code.to_string());
    rapidjson::StringBuffer sb;
    JsonWriter w(sb);
    w.StartObject();
    fbig(w, "Balance", a->balance);
    fcid(w, "Code", a->code);
    fkey(w, "State");
    VENUS_TRY_VOID(state_json(w, svc.store().blockstore(), *type, a->head));
    w.EndObject();
    return std::string(sb.GetString(), sb.GetSize());
}

Result<chain::Message> load_chain_message(NodeService& svc, const chain::Cid& cid) {
    auto& bs = svc.store().blockstore();
    VENUS_TRY(auto has, bs.has(cid));
    if (!has) return make_error(Errc::kNotFound, "failed to load message: block {} not found", cid.to_string());
    VENUS_TRY(auto bytes, bs.get(cid));
    if (auto m = chain::decode_cbor<chain::Message>(bytes)) return std::move(*m);
    if (auto s = chain::decode_cbor<chain::SignedMessage>(bytes)) return std::move(s->message);
    return make_error(Errc::kInvalidArgument, "failed to load message: {} is not a message", cid.to_string());
}

std::string decode_return_json(NodeService& svc, const chain::Message& msg, const chain::TipSetKey& at,
                               BytesView ret) {
    if (ret.empty()) return "null";
    auto to = svc.actor(msg.to, at);
    if (!to || !*to) return "null";
    const auto type = actor_type((*to)->code);
    if (!type) return "null";
    rapidjson::StringBuffer sb;
    JsonWriter w(sb);
    chain::CborReader r(ret);
    auto ok = [&]() -> Status {
        if ((*type == ActorType::kInit && msg.method == method::init::kExec) ||
            (*type == ActorType::kPower && msg.method == method::power::kCreateMiner)) {
            VENUS_TRY_VOID(r.read_array_header(2));
            VENUS_TRY(auto id_bytes, r.read_bytes(128));
            VENUS_TRY(auto id_addr, chain::Address::from_bytes(id_bytes));
            VENUS_TRY(auto robust_bytes, r.read_bytes(128));
            VENUS_TRY(auto robust, chain::Address::from_bytes(robust_bytes));
            w.StartObject();
            fkey(w, "IDAddress");
            chain::to_json(w, id_addr);
            fkey(w, "RobustAddress");
            chain::to_json(w, robust);
            w.EndObject();
            return {};
        }
        const bool propose = *type == ActorType::kMultisig && msg.method == method::multisig::kPropose;
        if (propose || (*type == ActorType::kMultisig && msg.method == method::multisig::kApprove)) {
            // ProposeReturn [TxnID, Applied, Code, Ret] / ApproveReturn [Applied, Code, Ret].
            VENUS_TRY_VOID(r.read_array_header(propose ? 4 : 3));
            w.StartObject();
            if (propose) {
                VENUS_TRY(auto txn, r.read_int());
                fi64(w, "TxnID", txn);
            }
            VENUS_TRY(auto applied, r.read_bool());
            fkey(w, "Applied");
            w.Bool(applied);
            VENUS_TRY(auto code, r.read_int());
            fi64(w, "Code", code);
            VENUS_TRY(auto inner, r.read_bytes(1u << 20));
            fkey(w, "Ret");
            if (inner.empty()) {
                w.Null();  // cbor-gen leaves an empty []byte nil
            } else {
                const auto text = to_base64(inner);
                w.String(text.c_str());
            }
            w.EndObject();
            return {};
        }
        return make_error(Errc::kUnsupported, "no return type");
    }();
    if (!ok) return "null";
    return std::string(sb.GetString(), sb.GetSize());
}

}  // namespace venus::plugins::node
