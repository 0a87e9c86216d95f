// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "node/rpc_state.hpp"

#include <algorithm>

#include "node/actors/codes.hpp"
#include "node/state_reads.hpp"
#include "venus/chain/json.hpp"
#include "venus/chain/json_params.hpp"

namespace venus::plugins::node {

using rpc::Exec;
using rpc::JsonValue;
using rpc::Perm;
using rpc::RawJson;

namespace {

bool is_v0(const rpc::CallContext& c) { return c.path.rfind("/rpc/v0", 0) == 0; }

rpc::RpcError wrong_count() { return rpc::RpcError{rpc::code::kInvalidParams, "wrong param count"}; }

RawJson lookup_json(NodeService& svc, const MsgLookup& l) {
    rapidjson::StringBuffer sb;
    chain::JsonWriter w(sb);
    w.StartObject();
    w.Key("Message");
    chain::to_json(w, l.message);
    w.Key("Receipt");
    chain::to_json(w, l.receipt);
    w.Key("ReturnDec");
    const std::string dec = l.receipt.exit_code == 0
                                ? decode_return_json(svc, l.vm_message, l.tipset.key(), l.receipt.return_value)
                                : std::string("null");
    w.RawValue(dec.data(), dec.size(), rapidjson::kObjectType);
    w.Key("TipSet");
    chain::to_json(w, l.tipset.key());
    w.Key("Height");
    w.Int64(l.height);
    w.EndObject();
    return RawJson{std::string(sb.GetString(), sb.GetSize())};
}

RawJson addresses_json(const std::vector<chain::Address>& v) {
    rapidjson::StringBuffer sb;
    chain::JsonWriter w(sb);
    w.StartArray();
    for (const auto& a : v) chain::to_json(w, a);
    w.EndArray();
    return RawJson{std::string(sb.GetString(), sb.GetSize())};
}

// The parameters of StateSearchMsg-like calls normalised to v1's.
struct SearchArgs {
    chain::TipSetKey from;
    chain::Cid cid;
    std::int64_t limit = kLookbackNoLimit;
    bool allow_replaced = true;
};

struct WaitArgs {
    chain::Cid cid;
    std::uint64_t confidence = 0;
    std::int64_t limit = kLookbackNoLimit;
    bool allow_replaced = true;
};

Result<std::optional<MsgLookup>> run_search(NodeService& svc, MsgSearch& search, const SearchArgs& a) {
    VENUS_TRY(auto from, svc.tipset(a.from));
    return search.search(from, a.cid, MsgSearch::min_exec_height(from, a.limit), a.allow_replaced);
}

void start_wait(const std::shared_ptr<NodeService>& svc, const std::shared_ptr<MsgSearch>& search,
                rpc::CallContext& ctx, const WaitArgs& a, rpc::Reply reply) {
    auto shared = std::make_shared<rpc::Reply>(std::move(reply));
    auto mu = std::make_shared<std::mutex>();
    const auto id = search->wait(a.cid, a.confidence, a.limit, a.allow_replaced,
                                 [svc, shared, mu](Result<MsgLookup> r) {
                                     std::lock_guard lock(*mu);
                                     if (!r) return shared->error(r.error());
                                     shared->ok(lookup_json(*svc, *r));
                                 });
    std::weak_ptr<MsgSearch> weak = search;
    ctx.cancel->on_cancel([weak, id] {
        if (auto s = weak.lock()) s->cancel(id);
    });
}

}  // namespace

std::vector<rpc::MethodSpec> state_methods(std::shared_ptr<NodeService> svc, std::shared_ptr<MsgSearch> search) {
    std::vector<rpc::MethodSpec> m;
    auto sync = [](auto fn) { return rpc::sync_handler(std::move(fn)); };

    // v1 [tsk, cid, limit, allowReplaced]; v0 [cid] = (head, cid, no limit, true).
    m.push_back({"Filecoin.StateSearchMsg", Perm::kRead, Exec::kWorker, 1, 4,
                 [svc, search](rpc::CallContext& c, const JsonValue& p, rpc::Reply reply) {
                     SearchArgs a;
                     if (is_v0(c)) {
                         if (p.Size() != 1) return reply.error(wrong_count());
                         auto cid = chain::json_param<chain::Cid>(p, 0, "Cid");
                         if (!cid) return reply.error(cid.error());
                         a.cid = *cid;
                     } else {
                         if (p.Size() != 4) return reply.error(wrong_count());
                         auto key = chain::json_param<chain::TipSetKey>(p, 0, "TipSetKey");
                         auto cid = chain::json_param<chain::Cid>(p, 1, "Cid");
                         auto limit = rpc::param_int(p, 2);
                         auto allow = rpc::param_bool(p, 3);
                         if (!key) return reply.error(key.error());
                         if (!cid) return reply.error(cid.error());
                         if (!limit) return reply.error(limit.error());
                         if (!allow) return reply.error(allow.error());
                         a = SearchArgs{*key, *cid, *limit, *allow};
                     }
                     auto r = run_search(*svc, *search, a);
                     if (!r) return reply.error(r.error());
                     if (!*r) return reply.ok(rpc::json_null());
                     reply.ok(lookup_json(*svc, **r));
                 },
                 "where a message was executed (MsgLookup) or null, from the message index"});

    m.push_back({"Filecoin.StateSearchMsgLimited", Perm::kRead, Exec::kWorker, 2, 2,
                 [svc, search](rpc::CallContext& c, const JsonValue& p, rpc::Reply reply) {
                     if (!is_v0(c)) {
                         return reply.error(rpc::RpcError{rpc::code::kMethodNotFound,
                                                          "method 'Filecoin.StateSearchMsgLimited' not found"});
                     }
                     auto cid = chain::json_param<chain::Cid>(p, 0, "Cid");
                     auto limit = rpc::param_int(p, 1);
                     if (!cid) return reply.error(cid.error());
                     if (!limit) return reply.error(limit.error());
                     auto r = run_search(*svc, *search, SearchArgs{{}, *cid, *limit, true});
                     if (!r) return reply.error(r.error());
                     if (!*r) return reply.ok(rpc::json_null());
                     reply.ok(lookup_json(*svc, **r));
                 },
                 "v0: StateSearchMsg from the head with a lookback limit"});

    // v1 [cid, confidence, limit, allowReplaced]; v0 [cid, confidence].
    m.push_back({"Filecoin.StateWaitMsg", Perm::kRead, Exec::kWorker, 2, 4,
                 [svc, search](rpc::CallContext& c, const JsonValue& p, rpc::Reply reply) {
                     const bool v0 = is_v0(c);
                     if (p.Size() != (v0 ? 2u : 4u)) return reply.error(wrong_count());
                     auto cid = chain::json_param<chain::Cid>(p, 0, "Cid");
                     auto conf = rpc::param_uint(p, 1);
                     if (!cid) return reply.error(cid.error());
                     if (!conf) return reply.error(conf.error());
                     WaitArgs a{*cid, *conf, kLookbackNoLimit, true};
                     if (!v0) {
                         auto limit = rpc::param_int(p, 2);
                         auto allow = rpc::param_bool(p, 3);
                         if (!limit) return reply.error(limit.error());
                         if (!allow) return reply.error(allow.error());
                         a.limit = *limit;
                         a.allow_replaced = *allow;
                     }
                     start_wait(svc, search, c, a, std::move(reply));
                 },
                 "waits (without a thread) until a message is executed and `confidence` epochs deep"});

    m.push_back({"Filecoin.StateWaitMsgLimited", Perm::kRead, Exec::kWorker, 3, 3,
                 [svc, search](rpc::CallContext& c, const JsonValue& p, rpc::Reply reply) {
                     if (!is_v0(c)) {
                         return reply.error(rpc::RpcError{rpc::code::kMethodNotFound,
                                                          "method 'Filecoin.StateWaitMsgLimited' not found"});
                     }
                     auto cid = chain::json_param<chain::Cid>(p, 0, "Cid");
                     auto conf = rpc::param_uint(p, 1);
                     auto limit = rpc::param_int(p, 2);
                     if (!cid) return reply.error(cid.error());
                     if (!conf) return reply.error(conf.error());
                     if (!limit) return reply.error(limit.error());
                     start_wait(svc, search, c, WaitArgs{*cid, *conf, *limit, true}, std::move(reply));
                 },
                 "v0: StateWaitMsg with a lookback limit"});

    // v0 only: the receipt of a message executed on tsk's chain, or null.
    m.push_back({"Filecoin.StateGetReceipt", Perm::kRead, Exec::kWorker, 2, 2,
                 [svc, search](rpc::CallContext& c, const JsonValue& p, rpc::Reply reply) {
                     if (!is_v0(c)) {
                         return reply.error(rpc::RpcError{rpc::code::kMethodNotFound,
                                                          "method 'Filecoin.StateGetReceipt' not found"});
                     }
                     auto cid = chain::json_param<chain::Cid>(p, 0, "Cid");
                     auto key = chain::json_param<chain::TipSetKey>(p, 1, "TipSetKey");
                     if (!cid) return reply.error(cid.error());
                     if (!key) return reply.error(key.error());
                     auto r = run_search(*svc, *search, SearchArgs{*key, *cid, kLookbackNoLimit, true});
                     if (!r) return reply.error(r.error());
                     if (!*r) return reply.ok(rpc::json_null());
                     reply.ok(chain::to_raw_json((*r)->receipt));
                 },
                 "v0: a message's receipt (null when not executed)"});

    m.push_back({"Filecoin.ChainGetMessage", Perm::kRead, Exec::kWorker, 1, 1,
                 sync([svc](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                     VENUS_TRY(auto cid, chain::json_param<chain::Cid>(p, 0, "Cid"));
                     VENUS_TRY(auto msg, load_chain_message(*svc, cid));
                     return chain::to_raw_json(msg);
                 }),
                 "an unsigned message by CID (a signed CID gives its inner message)"});

    m.push_back({"Filecoin.ChainGetPath", Perm::kRead, Exec::kWorker, 2, 2,
                 sync([svc](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                     VENUS_TRY(auto from_key, chain::json_param<chain::TipSetKey>(p, 0, "TipSetKey"));
                     VENUS_TRY(auto to_key, chain::json_param<chain::TipSetKey>(p, 1, "TipSetKey"));
                     VENUS_TRY(auto from, svc->tipset(from_key));
                     VENUS_TRY(auto to, svc->tipset(to_key));
                     VENUS_TRY(auto path, svc->store().path(from, to));
                     rapidjson::StringBuffer sb;
                     chain::JsonWriter w(sb);
                     w.StartArray();
                     for (const auto& c : path) {
                         w.StartObject();
                         w.Key("Type");
                         const auto name = head_change_type_name(c.type);
                         w.String(name.data(), static_cast<rapidjson::SizeType>(name.size()));
                         w.Key("Val");
                         chain::to_json(w, c.tipset);
                         w.EndObject();
                     }
                     w.EndArray();
                     return RawJson{std::string(sb.GetString(), sb.GetSize())};
                 }),
                 "the reverts then applies leading from one tipset to another"});

    m.push_back({"Filecoin.StateLookupRobustAddress", Perm::kRead, Exec::kWorker, 2, 2,
                 sync([svc](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                     VENUS_TRY(auto addr, chain::json_param<chain::Address>(p, 0, "Address"));
                     VENUS_TRY(auto key, chain::json_param<chain::TipSetKey>(p, 1, "TipSetKey"));
                     VENUS_TRY(auto robust, lookup_robust_address(*svc, addr, key));
                     return chain::to_raw_json(robust);
                 }),
                 "the robust address of an ID address (init actor map)"});

    m.push_back({"Filecoin.StateListActors", Perm::kRead, Exec::kWorker, 1, 1,
                 sync([svc](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                     VENUS_TRY(auto key, chain::json_param<chain::TipSetKey>(p, 0, "TipSetKey"));
                     VENUS_TRY(auto actors, list_actors(*svc, key));
                     return addresses_json(actors);
                 }),
                 "every actor's ID address"});

    auto check_nv = [svc](const JsonValue& p) -> Status {
        VENUS_TRY(auto nv, rpc::param_uint(p, 0));
        if (nv != svc->network().network_version) {
            return make_error(Errc::kInvalidArgument, "network version {} is not supported (this devnet runs nv{})", nv,
                              svc->network().network_version);
        }
        return {};
    };

    m.push_back({"Filecoin.StateActorCodeCIDs", Perm::kRead, Exec::kInline, 1, 1,
                 sync([check_nv](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                     VENUS_TRY_VOID(check_nv(p));
                     std::vector<std::pair<std::string, Cid>> codes;
                     for (std::size_t i = 0; i < kActorTypeCount; ++i) {
                         const auto t = static_cast<ActorType>(i);
                         codes.emplace_back(std::string(actor_type_name(t)), actor_code(t));
                     }
                     std::sort(codes.begin(), codes.end(),
                               [](const auto& a, const auto& b) { return a.first < b.first; });  // Go sorts map keys
                     rapidjson::StringBuffer sb;
                     chain::JsonWriter w(sb);
                     w.StartObject();
                     for (const auto& [name, code] : codes) {
                         w.Key(name.c_str());
                         chain::to_json(w, code);
                     }
                     w.EndObject();
                     return RawJson{std::string(sb.GetString(), sb.GetSize())};
                 }),
                 "actor code CIDs by name for a network version"});

    m.push_back({"Filecoin.StateActorManifestCID", Perm::kRead, Exec::kInline, 1, 1,
                 sync([check_nv](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                     VENUS_TRY_VOID(check_nv(p));
                     return chain::to_raw_json(manifest_cid());
                 }),
                 "the actors manifest CID for a network version"});

    m.push_back({"Filecoin.StateReadState", Perm::kRead, Exec::kWorker, 2, 2,
                 sync([svc](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                     VENUS_TRY(auto addr, chain::json_param<chain::Address>(p, 0, "Address"));
                     VENUS_TRY(auto key, chain::json_param<chain::TipSetKey>(p, 1, "TipSetKey"));
                     VENUS_TRY(auto json, read_state_json(*svc, addr, key));
                     return RawJson{std::move(json)};
                 }),
                 "an actor's balance, code and state as JSON"});
    return m;
}

}  // namespace venus::plugins::node
