// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "node_link.hpp"

#include <fmt/format.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "venus/chain/json.hpp"

namespace venus::plugins::miner {

namespace {

std::string dump(const rapidjson::Value& v) {
    rapidjson::StringBuffer sb;
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    v.Accept(w);
    return sb.GetString();
}

Result<chain::BigInt> big(const rapidjson::Value& obj, const char* key) {
    const auto* v = chain::json_member(obj, key);
    if (!v || !v->IsString()) return make_error(Errc::kInvalidArgument, "MinerGetBaseInfo: {} missing", key);
    return chain::BigInt::from_string(v->GetString());
}

}  // namespace

Result<consensus::ConsensusParams> NodeLink::params() {
    consensus::ConsensusParams p;
    VENUS_TRY(auto r, call_("Filecoin.StateGetNetworkParams", rpc::RawJson{"[]"}, timeout_));
    VENUS_TRY(auto doc, chain::parse_json(r.text));
    const auto* delay = doc.IsObject() ? chain::json_member(doc, "BlockDelaySecs") : nullptr;
    if (!delay || !delay->IsUint64() || delay->GetUint64() == 0) {
        return make_error(Errc::kInvalidArgument, "StateGetNetworkParams: no BlockDelaySecs");
    }
    p.block_delay_secs = delay->GetUint64();
    if (const auto* fork = chain::json_member(doc, "ForkUpgradeParams"); fork && fork->IsObject()) {
        if (const auto* smoke = chain::json_member(*fork, "UpgradeSmokeHeight"); smoke && smoke->IsInt64()) {
            p.upgrade_smoke_height = smoke->GetInt64();
        }
    }
    VENUS_TRY(auto nv, call_("Filecoin.StateNetworkVersion", rpc::RawJson{"[[]]"}, timeout_));
    VENUS_TRY(auto nvdoc, chain::parse_json(nv.text));
    if (!nvdoc.IsUint64()) return make_error(Errc::kInvalidArgument, "StateNetworkVersion: not a number");
    p.network_version = nvdoc.GetUint64();
    return p;
}

Result<chain::TipSet> NodeLink::chain_head() {
    VENUS_TRY(auto r, call_("Filecoin.ChainHead", rpc::RawJson{"[]"}, timeout_));
    return chain::from_json_string<chain::TipSet>(r.text);
}

Result<chain::TipSet> NodeLink::tipset_by_height(chain::ChainEpoch h, const chain::TipSetKey& from) {
    VENUS_TRY(auto r, call_("Filecoin.ChainGetTipSetByHeight",
                            rpc::RawJson{fmt::format("[{}, {}]", h, chain::to_json_string(from))}, timeout_));
    return chain::from_json_string<chain::TipSet>(r.text);
}

Result<std::optional<BaseInfo>> NodeLink::base_info(const chain::Address& miner, chain::ChainEpoch round,
                                                    const chain::TipSetKey& tsk) {
    VENUS_TRY(auto r, call_("Filecoin.MinerGetBaseInfo",
                            rpc::RawJson{fmt::format("[{}, {}, {}]", chain::to_json_string(miner), round,
                                                     chain::to_json_string(tsk))},
                            timeout_));
    VENUS_TRY(auto doc, chain::parse_json(r.text));
    if (doc.IsNull()) return std::optional<BaseInfo>{};
    if (!doc.IsObject()) return make_error(Errc::kInvalidArgument, "MinerGetBaseInfo: not an object");
    BaseInfo bi;
    VENUS_TRY(bi.miner_power, big(doc, "MinerPower"));
    VENUS_TRY(bi.network_power, big(doc, "NetworkPower"));
    const auto* worker = chain::json_member(doc, "WorkerKey");
    if (!worker) return make_error(Errc::kInvalidArgument, "MinerGetBaseInfo: WorkerKey missing");
    VENUS_TRY_VOID(chain::from_json(*worker, bi.worker_key));
    const auto* eligible = chain::json_member(doc, "EligibleForMining");
    bi.eligible = eligible && eligible->IsBool() && eligible->GetBool();
    const auto* sectors = chain::json_member(doc, "Sectors");
    bi.sectors_json = sectors ? dump(*sectors) : "[]";
    const auto* entries = chain::json_member(doc, "BeaconEntries");
    bi.beacon_entries_json = entries && entries->IsArray() ? dump(*entries) : "[]";
    if (entries && entries->IsArray() && entries->Size() > 0) {
        VENUS_TRY_VOID(chain::from_json((*entries)[entries->Size() - 1], bi.rbase));
    } else {
        const auto* prev = chain::json_member(doc, "PrevBeaconEntry");
        if (!prev) return make_error(Errc::kInvalidArgument, "MinerGetBaseInfo: no beacon entry");
        VENUS_TRY_VOID(chain::from_json(*prev, bi.rbase));
    }
    return std::optional<BaseInfo>(std::move(bi));
}

Result<std::vector<std::string>> NodeLink::mpool_selects(const chain::TipSetKey& tsk,
                                                         const std::vector<double>& qualities,
                                                         std::chrono::milliseconds timeout) {
    std::string q = "[";
    for (std::size_t i = 0; i < qualities.size(); ++i) q += fmt::format("{}{}", i ? "," : "", qualities[i]);
    q += "]";
    VENUS_TRY(auto r, call_("Filecoin.MpoolSelects",
                            rpc::RawJson{fmt::format("[{}, {}]", chain::to_json_string(tsk), q)},
                            timeout.count() > 0 ? timeout : timeout_));
    VENUS_TRY(auto doc, chain::parse_json(r.text));
    if (!doc.IsArray() || doc.Size() != qualities.size()) {
        return make_error(Errc::kInvalidArgument, "MpoolSelects: expected {} message lists", qualities.size());
    }
    std::vector<std::string> out;
    for (const auto& set : doc.GetArray()) out.push_back(set.IsArray() ? dump(set) : "[]");
    return out;
}

Result<chain::BlockMsg> NodeLink::create_block(const BlockTemplate& t) {
    const auto tmpl = fmt::format(
        R"([{{"Miner":{},"Parents":{},"Ticket":{},"Eproof":{},"BeaconValues":{},"Messages":{},)"
        R"("Epoch":{},"Timestamp":{},"WinningPoStProof":{}}}])",
        chain::to_json_string(t.miner), chain::to_json_string(t.parents), chain::to_json_string(t.ticket),
        chain::to_json_string(t.eproof), t.beacon_values_json, t.messages_json, t.epoch, t.timestamp,
        t.winning_post_json);
    VENUS_TRY(auto r, call_("Filecoin.MinerCreateBlock", rpc::RawJson{tmpl}, timeout_));
    return chain::from_json_string<chain::BlockMsg>(r.text);
}

Status NodeLink::beacon_entry(chain::ChainEpoch epoch) {
    VENUS_TRY_VOID(call_("Filecoin.StateGetBeaconEntry", rpc::RawJson{"[" + std::to_string(epoch) + "]"}, timeout_));
    return {};
}

Status NodeLink::submit_block(const chain::BlockMsg& b) {
    VENUS_TRY_VOID(call_("Filecoin.SyncSubmitBlock", rpc::RawJson{"[" + chain::to_json_string(b) + "]"}, timeout_));
    return {};
}

Result<std::size_t> submit_with_fallback(NodeLink& node, std::vector<NodeLink>& fallbacks, const chain::BlockMsg& b) {
    auto s = node.submit_block(b);
    if (s) return std::size_t{0};
    std::string errors = "node: " + s.error().message;
    for (std::size_t i = 0; i < fallbacks.size(); ++i) {
        auto f = fallbacks[i].submit_block(b);
        if (f) return i + 1;
        errors += fmt::format("; fallback {}: {}", i + 1, f.error().message);
    }
    return Error(s.error().code, errors);
}

}  // namespace venus::plugins::miner
