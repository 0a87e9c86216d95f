// SPDX-License-Identifier: Apache-2.0 OR MIT
// One table: every method's name, permission, where it runs, its param count and its handler.
// Reads that touch LMDB run on the worker pool; ChainHead is in memory and runs inline.
#include "node/rpc_methods.hpp"

#include "venus/chain/json.hpp"
#include "venus/chain/json_params.hpp"
#include "venus/codec/multibase.hpp"

namespace venus::plugins::node {

using rpc::Exec;
using rpc::JsonValue;
using rpc::Perm;
using rpc::RawJson;

namespace {

Result<chain::TipSetKey> param_tsk(const JsonValue& params, std::size_t i) {
    return chain::json_param<chain::TipSetKey>(params, i, "TipSetKey");
}

Error actor_not_found(const chain::Address& a) {
    return make_error(Errc::kNotFound, "resolution lookup failed ({}): actor not found", a.to_string());
}

RawJson head_changes_json(const std::vector<api::HeadChange>& changes) {
    rapidjson::StringBuffer sb;
    chain::JsonWriter w(sb);
    w.StartArray();
    for (const auto& c : changes) {
        w.StartObject();
        w.Key("Type");
        w.String(c.type == api::HeadChange::Type::kCurrent ? "current"
                 : c.type == api::HeadChange::Type::kRevert ? "revert"
                                                            : "apply");
        w.Key("Val");
        chain::to_json(w, c.tipset);
        w.EndObject();
    }
    w.EndArray();
    return RawJson{std::string(sb.GetString(), sb.GetSize())};
}

RawJson network_params_json(const api::NetworkInfo& n) {
    rapidjson::StringBuffer sb;
    chain::JsonWriter w(sb);
    w.StartObject();
    w.Key("NetworkName");
    w.String(n.name.c_str());
    w.Key("BlockDelaySecs");
    w.Uint64(n.block_delay_secs);
    w.Key("ConsensusMinerMinPower");
    chain::to_json(w, n.consensus_miner_min_power);
    w.Key("SupportedProofTypes");
    w.StartArray();
    w.Int(0);  // RegisteredSealProof StackedDrg2KiBV1
    w.Int(5);  // StackedDrg2KiBV1_1
    w.EndArray();
    w.Key("PreCommitChallengeDelay");
    w.Int64(n.pre_commit_challenge_delay);
    w.Key("ForkUpgradeParams");
    w.StartObject();
    static constexpr const char* kUpgrades[] = {
        "UpgradeSmokeHeight",     "UpgradeBreezeHeight",     "UpgradeIgnitionHeight",  "UpgradeLiftoffHeight",
        "UpgradeAssemblyHeight",  "UpgradeRefuelHeight",     "UpgradeTapeHeight",      "UpgradeKumquatHeight",
        "UpgradeCalicoHeight",    "UpgradePersianHeight",    "UpgradeOrangeHeight",    "UpgradeClausHeight",
        "UpgradeTrustHeight",     "UpgradeNorwegianHeight",  "UpgradeTurboHeight",     "UpgradeHyperdriveHeight",
        "UpgradeChocolateHeight", "UpgradeOhSnapHeight",     "UpgradeSkyrHeight",      "UpgradeSharkHeight",
        "UpgradeHyggeHeight",     "UpgradeLightningHeight",  "UpgradeThunderHeight",   "UpgradeWatermelonHeight",
        "UpgradeDragonHeight",    "UpgradePhoenixHeight",    "UpgradeWaffleHeight",    "UpgradeTuktukHeight",
        "UpgradeTeepHeight",      "UpgradeTockHeight"};
    for (const char* k : kUpgrades) {
        w.Key(k);
        w.Int64(n.upgrade_height);
    }
    w.Key("BreezeGasTampingDuration");
    w.Int64(0);
    w.EndObject();
    w.Key("Eip155ChainID");
    w.Uint64(n.eip155_chain_id);
    w.EndObject();
    return RawJson{std::string(sb.GetString(), sb.GetSize())};
}

void write_optional_address(chain::JsonWriter& w, const std::optional<chain::Address>& a) {
    if (a) {
        chain::to_json(w, *a);
    } else {
        w.Null();
    }
}

RawJson miner_info_json(const api::MinerInfo& m) {
    rapidjson::StringBuffer sb;
    chain::JsonWriter w(sb);
    w.StartObject();
    w.Key("Owner");
    chain::to_json(w, m.owner);
    w.Key("Worker");
    chain::to_json(w, m.worker);
    w.Key("NewWorker");
    // Lotus reports the undefined address when no worker change is pending.
    w.String(m.new_worker ? m.new_worker->to_string().c_str() : "<empty>");
    w.Key("ControlAddresses");
    w.StartArray();
    for (const auto& c : m.control_addresses) chain::to_json(w, c);
    w.EndArray();
    w.Key("WorkerChangeEpoch");
    w.Int64(m.worker_change_epoch);
    w.Key("PeerId");
    if (m.peer_id.empty()) {
        w.Null();
    } else {
        const auto text = codec::base58btc_encode(m.peer_id);
        w.String(text.c_str());
    }
    w.Key("Multiaddrs");
    w.StartArray();
    for (const auto& a : m.multiaddrs) {
        const auto text = to_base64(a);
        w.String(text.c_str());
    }
    w.EndArray();
    w.Key("WindowPoStProofType");
    w.Int64(m.window_post_proof_type);
    w.Key("SectorSize");
    w.Uint64(m.sector_size);
    w.Key("WindowPoStPartitionSectors");
    w.Uint64(m.window_post_partition_sectors);
    w.Key("ConsensusFaultElapsed");
    w.Int64(m.consensus_fault_elapsed);
    w.Key("PendingOwnerAddress");
    write_optional_address(w, m.pending_owner);
    w.Key("Beneficiary");
    chain::to_json(w, m.beneficiary);
    w.Key("BeneficiaryTerm");
    w.StartObject();
    w.Key("Quota");
    chain::to_json(w, m.quota);
    w.Key("UsedQuota");
    chain::to_json(w, m.used_quota);
    w.Key("Expiration");
    w.Int64(m.expiration);
    w.EndObject();
    w.Key("PendingBeneficiaryTerm");
    w.Null();
    w.EndObject();
    return RawJson{std::string(sb.GetString(), sb.GetSize())};
}

void write_claim(chain::JsonWriter& w, const api::PowerPair& p) {
    w.StartObject();
    w.Key("RawBytePower");
    chain::to_json(w, p.raw_byte_power);
    w.Key("QualityAdjPower");
    chain::to_json(w, p.quality_adj_power);
    w.EndObject();
}

}  // namespace

std::vector<rpc::MethodSpec> node_methods(std::shared_ptr<NodeService> svc) {
    std::vector<rpc::MethodSpec> m;
    auto sync = [](auto fn) { return rpc::sync_handler(std::move(fn)); };

    m.push_back({"Filecoin.ChainHead", Perm::kRead, Exec::kInline, 0, 0,
                 sync([svc](rpc::CallContext&, const JsonValue&) -> Result<RawJson> { return chain::to_raw_json(svc->head()); }),
                 "the heaviest tipset"});

    m.push_back({"Filecoin.ChainGetGenesis", Perm::kRead, Exec::kWorker, 0, 0,
                 sync([svc](rpc::CallContext&, const JsonValue&) -> Result<RawJson> {
                     VENUS_TRY(auto g, svc->genesis());
                     return chain::to_raw_json(g);
                 }),
                 "the genesis tipset"});

    m.push_back({"Filecoin.ChainGetTipSet", Perm::kRead, Exec::kWorker, 1, 1,
                 sync([svc](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                     VENUS_TRY(auto key, param_tsk(p, 0));
                     VENUS_TRY(auto ts, svc->tipset(key));
                     return chain::to_raw_json(ts);
                 }),
                 "a tipset by key ([] = head)"});

    for (bool after : {false, true}) {
        m.push_back({after ? "Filecoin.ChainGetTipSetAfterHeight" : "Filecoin.ChainGetTipSetByHeight", Perm::kRead,
                     Exec::kWorker, 2, 2,
                     sync([svc, after](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                         VENUS_TRY(auto h, rpc::param_int(p, 0));
                         VENUS_TRY(auto key, param_tsk(p, 1));
                         VENUS_TRY(auto ts, svc->tipset_by_height(h, key, !after));
                         return chain::to_raw_json(ts);
                     }),
                     after ? "the first non-null tipset at or above a height"
                           : "the tipset at a height (the one below for a null round)"});
    }

    m.push_back({"Filecoin.ChainGetBlock", Perm::kRead, Exec::kWorker, 1, 1,
                 sync([svc](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                     VENUS_TRY(auto cid, chain::json_param<chain::Cid>(p, 0, "Cid"));
                     VENUS_TRY(auto h, svc->block(cid));
                     return chain::to_raw_json(h);
                 }),
                 "a block header"});

    m.push_back({"Filecoin.ChainGetBlockMessages", Perm::kRead, Exec::kWorker, 1, 1,
                 sync([svc](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                     VENUS_TRY(auto cid, chain::json_param<chain::Cid>(p, 0, "Cid"));
                     VENUS_TRY(auto c, svc->block_messages(cid));
                     rapidjson::StringBuffer sb;
                     chain::JsonWriter w(sb);
                     w.StartObject();
                     w.Key("BlsMessages");
                     w.StartArray();
                     for (const auto& msg : c.bls_messages) chain::to_json(w, msg);
                     w.EndArray();
                     w.Key("SecpkMessages");
                     w.StartArray();
                     for (const auto& msg : c.secp_messages) chain::to_json(w, msg);
                     w.EndArray();
                     w.Key("Cids");
                     w.StartArray();
                     for (const auto& msg : c.bls_messages) chain::to_json(w, msg.cid().value_or(chain::Cid{}));
                     for (const auto& msg : c.secp_messages) chain::to_json(w, msg.cid().value_or(chain::Cid{}));
                     w.EndArray();
                     w.EndObject();
                     return RawJson{std::string(sb.GetString(), sb.GetSize())};
                 }),
                 "the messages of a block as included (BLS, then secp)"});

    auto cid_messages_json = [](const std::vector<std::pair<chain::Cid, chain::Message>>& msgs) {
        rapidjson::StringBuffer sb;
        chain::JsonWriter w(sb);
        w.StartArray();
        for (const auto& [cid, msg] : msgs) {
            w.StartObject();
            w.Key("Cid");
            chain::to_json(w, cid);
            w.Key("Message");
            chain::to_json(w, msg);
            w.EndObject();
        }
        w.EndArray();
        return RawJson{std::string(sb.GetString(), sb.GetSize())};
    };

    m.push_back({"Filecoin.ChainGetParentMessages", Perm::kRead, Exec::kWorker, 1, 1,
                 sync([svc, cid_messages_json](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                     VENUS_TRY(auto cid, chain::json_param<chain::Cid>(p, 0, "Cid"));
                     VENUS_TRY(auto msgs, svc->parent_messages(cid));
                     return cid_messages_json(msgs);
                 }),
                 "the messages the block's parent tipset executed (deduplicated, nonce-filtered)"});

    m.push_back({"Filecoin.ChainGetMessagesInTipset", Perm::kRead, Exec::kWorker, 1, 1,
                 sync([svc, cid_messages_json](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                     VENUS_TRY(auto key, param_tsk(p, 0));
                     VENUS_TRY(auto msgs, svc->tipset_messages(key));
                     return cid_messages_json(msgs);
                 }),
                 "the messages a tipset includes (deduplicated, nonce-filtered)"});

    m.push_back({"Filecoin.ChainGetParentReceipts", Perm::kRead, Exec::kWorker, 1, 1,
                 sync([svc](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                     VENUS_TRY(auto cid, chain::json_param<chain::Cid>(p, 0, "Cid"));
                     VENUS_TRY(auto header, svc->block(cid));
                     if (header.height == 0) return rpc::json_null();
                     VENUS_TRY(auto receipts, svc->parent_receipts(cid));
                     rapidjson::StringBuffer sb;
                     chain::JsonWriter w(sb);
                     w.StartArray();
                     for (const auto& r : receipts) chain::to_json(w, r);
                     w.EndArray();
                     return RawJson{std::string(sb.GetString(), sb.GetSize())};
                 }),
                 "receipts of the parent tipset's messages, index-aligned with ChainGetParentMessages"});

    m.push_back({"Filecoin.ChainReadObj", Perm::kRead, Exec::kWorker, 1, 1,
                 sync([svc](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                     VENUS_TRY(auto cid, chain::json_param<chain::Cid>(p, 0, "Cid"));
                     VENUS_TRY(auto bytes, svc->read_obj(cid));
                     return rpc::json_string(to_base64(bytes));
                 }),
                 "a raw IPLD block (base64)"});

    m.push_back({"Filecoin.ChainHasObj", Perm::kRead, Exec::kWorker, 1, 1,
                 sync([svc](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                     VENUS_TRY(auto cid, chain::json_param<chain::Cid>(p, 0, "Cid"));
                     VENUS_TRY(auto has, svc->has_obj(cid));
                     return rpc::json_bool(has);
                 }),
                 "whether a block is stored"});

    m.push_back({"Filecoin.ChainTipSetWeight", Perm::kRead, Exec::kWorker, 1, 1,
                 sync([svc](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                     VENUS_TRY(auto key, param_tsk(p, 0));
                     VENUS_TRY(auto w, svc->weight(key));
                     return chain::to_raw_json(w);
                 }),
                 "a tipset's weight"});

    m.push_back({"Filecoin.StateGetActor", Perm::kRead, Exec::kWorker, 2, 2,
                 sync([svc](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                     VENUS_TRY(auto addr, chain::json_param<chain::Address>(p, 0, "Address"));
                     VENUS_TRY(auto key, param_tsk(p, 1));
                     VENUS_TRY(auto a, svc->actor(addr, key));
                     if (!a) return actor_not_found(addr);
                     return chain::to_raw_json(*a);
                 }),
                 "an actor at the tipset's parent state"});

    m.push_back({"Filecoin.StateLookupID", Perm::kRead, Exec::kWorker, 2, 2,
                 sync([svc](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                     VENUS_TRY(auto addr, chain::json_param<chain::Address>(p, 0, "Address"));
                     VENUS_TRY(auto key, param_tsk(p, 1));
                     VENUS_TRY(auto id, svc->lookup_id(addr, key));
                     if (!id) return actor_not_found(addr);
                     return chain::to_raw_json(*id);
                 }),
                 "the ID address of an address"});

    m.push_back({"Filecoin.StateAccountKey", Perm::kRead, Exec::kWorker, 2, 2,
                 sync([svc](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                     VENUS_TRY(auto addr, chain::json_param<chain::Address>(p, 0, "Address"));
                     VENUS_TRY(auto key, param_tsk(p, 1));
                     VENUS_TRY(auto k, svc->account_key(addr, key));
                     return chain::to_raw_json(k);
                 }),
                 "the key address of an account actor"});

    m.push_back({"Filecoin.StateMinerInfo", Perm::kRead, Exec::kWorker, 2, 2,
                 sync([svc](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                     VENUS_TRY(auto addr, chain::json_param<chain::Address>(p, 0, "Address"));
                     VENUS_TRY(auto key, param_tsk(p, 1));
                     VENUS_TRY(auto info, svc->miner_info(addr, key));
                     return miner_info_json(info);
                 }),
                 "a miner's info (owner, worker, control addresses, peer id, sector size)"});

    m.push_back({"Filecoin.StateMinerPower", Perm::kRead, Exec::kWorker, 2, 2,
                 sync([svc](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                     VENUS_TRY(auto addr, chain::json_param<chain::Address>(p, 0, "Address"));
                     VENUS_TRY(auto key, param_tsk(p, 1));
                     VENUS_TRY(auto power, svc->miner_power(addr, key));
                     rapidjson::StringBuffer sb;
                     chain::JsonWriter w(sb);
                     w.StartObject();
                     w.Key("MinerPower");
                     write_claim(w, power.miner);
                     w.Key("TotalPower");
                     write_claim(w, power.total);
                     w.Key("HasMinPower");
                     w.Bool(power.has_min_power);
                     w.EndObject();
                     return RawJson{std::string(sb.GetString(), sb.GetSize())};
                 }),
                 "a miner's claimed power and the network total"});

    m.push_back({"Filecoin.StateListMiners", Perm::kRead, Exec::kWorker, 1, 1,
                 sync([svc](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                     VENUS_TRY(auto key, param_tsk(p, 0));
                     VENUS_TRY(auto miners, svc->list_miners(key));
                     rapidjson::StringBuffer sb;
                     chain::JsonWriter w(sb);
                     w.StartArray();
                     for (const auto& a : miners) chain::to_json(w, a);
                     w.EndArray();
                     return RawJson{std::string(sb.GetString(), sb.GetSize())};
                 }),
                 "miners with a power claim"});

    m.push_back({"Filecoin.StateNetworkName", Perm::kRead, Exec::kInline, 0, 0,
                 sync([svc](rpc::CallContext&, const JsonValue&) -> Result<RawJson> {
                     return rpc::json_string(svc->network().name);
                 }),
                 "the network name (init actor)"});

    m.push_back({"Filecoin.StateNetworkVersion", Perm::kRead, Exec::kInline, 1, 1,
                 sync([svc](rpc::CallContext&, const JsonValue&) -> Result<RawJson> {
                     return rpc::json_uint(svc->network().network_version);
                 }),
                 "the network version (constant on this devnet)"});

    m.push_back({"Filecoin.StateGetNetworkParams", Perm::kRead, Exec::kInline, 0, 0,
                 sync([svc](rpc::CallContext&, const JsonValue&) -> Result<RawJson> {
                     return network_params_json(svc->network());
                 }),
                 "network parameters and upgrade heights"});

    m.push_back({"Filecoin.WalletBalance", Perm::kRead, Exec::kWorker, 1, 1,
                 sync([svc](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                     VENUS_TRY(auto addr, chain::json_param<chain::Address>(p, 0, "Address"));
                     VENUS_TRY(auto a, svc->actor(addr, {}));
                     return chain::to_raw_json(a ? a->balance : chain::BigInt(0));
                 }),
                 "an address's balance at the head's parent state (0 when absent)"});

    m.push_back({"Filecoin.ChainNotify", Perm::kRead, Exec::kControl, 0, 0,
                 [svc](rpc::CallContext& c, const JsonValue&, rpc::Reply reply) {
                     auto ch = c.open_channel();
                     if (!ch) return reply.error(ch.error());
                     std::shared_ptr<rpc::Channel> channel = *ch;
                     std::weak_ptr<rpc::Channel> weak = channel;
                     const auto id = svc->subscribe_head_changes([weak](const std::vector<api::HeadChange>& changes) {
                         if (auto strong = weak.lock()) strong->send(head_changes_json(changes));
                     });
                     channel->on_close([svc, id] { svc->unsubscribe_head_changes(id); });
                     reply.channel(channel);
                     channel->send(head_changes_json({api::HeadChange{api::HeadChange::Type::kCurrent, svc->head()}}));
                 },
                 "head changes: first the current head, then reverts and applies"});
    return m;
}

}  // namespace venus::plugins::node
