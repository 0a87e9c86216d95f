// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "rpc_methods.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <thread>

#include "venus/chain/json.hpp"

namespace venus::plugins::miner {

namespace {

using rpc::Exec;
using rpc::JsonValue;
using rpc::Perm;
using rpc::RawJson;

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void write_entry(Writer& w, const MinerEntry& m) {
    w.StartObject();
    w.Key("Addr");
    w.String(m.addr.to_string().c_str());
    w.Key("Id");
    w.String(m.id.c_str());
    w.Key("Name");
    w.String(m.name.c_str());
    w.Key("OpenMining");
    w.Bool(m.open_mining);
    w.EndObject();
}

RawJson entries_json(const std::vector<MinerEntry>& entries) {
    rapidjson::StringBuffer sb;
    Writer w(sb);
    w.StartArray();
    for (const auto& m : entries) write_entry(w, m);
    w.EndArray();
    return RawJson{sb.GetString()};
}

Result<std::vector<chain::Address>> address_list(const JsonValue& params, std::size_t i) {
    std::vector<chain::Address> out;
    if (params.Size() <= i || params[static_cast<rapidjson::SizeType>(i)].IsNull()) return out;
    const auto& arr = params[static_cast<rapidjson::SizeType>(i)];
    if (!arr.IsArray()) return make_error(Errc::kInvalidArgument, "param {}: expected an array of addresses", i);
    for (const auto& v : arr.GetArray()) {
        chain::Address a;
        VENUS_TRY_VOID(chain::from_json(v, a));
        out.push_back(a);
    }
    return out;
}

rpc::Handler sync(rpc::SyncHandler fn) { return rpc::sync_handler(std::move(fn)); }

// Handlers that call back into the node or the gateway run on their own thread: the local node's
// methods may themselves need the worker pool, which a waiting handler must not occupy.
rpc::Handler detached(rpc::HandlerThreads& threads, std::function<Result<RawJson>(const JsonValue&)> fn) {
    return threads.wrap([fn = std::move(fn)](rpc::CallContext&, const JsonValue& p) { return fn(p); });
}

}  // namespace

std::string count_winners_json(Mining& mining, NodeLink& node, const std::vector<chain::Address>& miners,
                               chain::ChainEpoch start, chain::ChainEpoch end) {
    const auto known = mining.list();
    std::vector<chain::Address> targets = miners;
    if (targets.empty()) {
        for (const auto& m : known) {
            if (m.open_mining) targets.push_back(m.addr);
        }
    }
    rapidjson::StringBuffer sb;
    Writer w(sb);
    w.StartArray();
    for (const auto& addr : targets) {
        const MinerEntry* entry = nullptr;
        for (const auto& m : known) {
            if (m.addr == addr) entry = &m;
        }
        w.StartObject();
        w.Key("miner");
        w.String(addr.to_string().c_str());
        if (!entry) {
            w.Key("totalWinCount");
            w.Int64(0);
            w.Key("msg");
            w.String("miner not exist");
            w.Key("winEpochList");
            w.Null();
            w.EndObject();
            continue;
        }
        std::int64_t total = 0;
        std::vector<WinResult> list;
        for (chain::ChainEpoch e = start; e <= end; ++e) {
            auto ts = node.tipset_by_height(e, {});
            if (!ts) {
                list.push_back({e + 1, 0, ts.error().message});
                continue;
            }
            auto wins = mining.win_count(*entry, *ts, e + 1);
            if (!wins) {
                list.push_back({e + 1, 0, wins.error().message});
                continue;
            }
            if (*wins > 0) {
                total += *wins;
                list.push_back({e + 1, *wins, ""});
            }
        }
        w.Key("totalWinCount");
        w.Int64(total);
        w.Key("msg");
        w.String("");
        w.Key("winEpochList");
        w.StartArray();
        for (const auto& r : list) {
            w.StartObject();
            w.Key("epoch");
            w.Int64(r.epoch);
            w.Key("winCount");
            w.Int64(r.win_count);
            w.Key("msg");
            w.String(r.msg.c_str());
            w.EndObject();
        }
        w.EndArray();
        w.EndObject();
    }
    w.EndArray();
    return sb.GetString();
}

std::vector<rpc::MethodSpec> miner_methods(std::shared_ptr<Mining> mining, MinerStore* store, NodeLink node,
                                           std::shared_ptr<rpc::HandlerThreads> threads) {
    std::vector<rpc::MethodSpec> m;
    m.push_back({"Filecoin.UpdateAddress", Perm::kAdmin, Exec::kWorker, 0, 2,
                 sync([mining](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                     std::int64_t skip = 0;
                     std::int64_t limit = 0;
                     if (p.Size() > 0) {
                         VENUS_TRY(skip, rpc::param_int(p, 0));
                     }
                     if (p.Size() > 1) {
                         VENUS_TRY(limit, rpc::param_int(p, 1));
                     }
                     VENUS_TRY(auto open, mining->update(skip, limit));
                     return entries_json(open);
                 }),
                 "re-reads the miners from auth; returns the open ones"});
    m.push_back({"Filecoin.ListAddress", Perm::kRead, Exec::kInline, 0, 0,
                 sync([mining](rpc::CallContext&, const JsonValue&) -> Result<RawJson> {
                     return entries_json(mining->list());
                 }),
                 "every miner known from auth"});
    m.push_back({"Filecoin.StatesForMining", Perm::kRead, Exec::kInline, 0, 1,
                 sync([mining](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                     VENUS_TRY(auto addrs, address_list(p, 0));
                     rapidjson::StringBuffer sb;
                     Writer w(sb);
                     w.StartArray();
                     for (const auto& s : mining->states(addrs)) {
                         w.StartObject();
                         w.Key("Addr");
                         w.String(s.addr.to_string().c_str());
                         w.Key("IsMining");
                         w.Bool(s.is_mining);
                         w.Key("Err");
                         w.StartArray();
                         for (const auto& e : s.errors) w.String(e.c_str());
                         w.EndArray();
                         w.EndObject();
                     }
                     w.EndArray();
                     return RawJson{sb.GetString()};
                 }),
                 "whether each miner mines, with its latest errors"});
    m.push_back({"Filecoin.Start", Perm::kAdmin, Exec::kWorker, 1, 1,
                 sync([mining](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                     VENUS_TRY(auto addrs, address_list(p, 0));
                     VENUS_TRY_VOID(mining->set_open(addrs, true));
                     return rpc::json_null();
                 }),
                 "starts mining for miners (OpenMining persisted in auth)"});
    m.push_back({"Filecoin.Stop", Perm::kAdmin, Exec::kWorker, 1, 1,
                 sync([mining](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                     VENUS_TRY(auto addrs, address_list(p, 0));
                     VENUS_TRY_VOID(mining->set_open(addrs, false));
                     return rpc::json_null();
                 }),
                 "stops mining for miners (OpenMining persisted in auth)"});
    m.push_back({"Filecoin.CountWinners", Perm::kRead, Exec::kInline, 3, 3,
                 detached(*threads, [mining, node](const JsonValue& p) mutable -> Result<RawJson> {
                     VENUS_TRY(auto addrs, address_list(p, 0));
                     VENUS_TRY(auto start, rpc::param_int(p, 1));
                     VENUS_TRY(auto end, rpc::param_int(p, 2));
                     if (start < 0 || end < start) {
                         return make_error(Errc::kInvalidArgument, "epoch range [{}, {}] is invalid", start, end);
                     }
                     VENUS_TRY(auto head, node.chain_head());
                     if (start > head.height() || end > head.height()) {
                         return make_error(Errc::kInvalidArgument, "start or end greater than cur tipset height");
                     }
                     // Each epoch costs a base-info call and a gateway signature: bound one request.
                     if (end - start > 2880) return make_error(Errc::kInvalidArgument, "at most 2880 epochs at once");
                     return RawJson{count_winners_json(*mining, node, addrs, start, end)};
                 }),
                 "per miner, the epochs it won in [start, end] (recomputed through the gateway)"});
    m.push_back({"Filecoin.WarmupForMiner", Perm::kWrite, Exec::kInline, 1, 1,
                 detached(*threads, [mining](const JsonValue& p) -> Result<RawJson> {
                     chain::Address a;
                     VENUS_TRY_VOID(chain::from_json(p[0], a));
                     VENUS_TRY_VOID(mining->warmup(a));
                     return rpc::json_null();
                 }),
                 "one winning PoSt on the miner's first sector, so its prover is warm"});
    m.push_back({"Filecoin.ListBlocks", Perm::kRead, Exec::kWorker, 1, 1,
                 sync([store](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                     std::vector<std::string> miners;
                     std::int64_t limit = 0;
                     std::int64_t offset = 0;
                     const auto& q = p[0];
                     if (!q.IsObject()) return make_error(Errc::kInvalidArgument, "param 0: expected BlocksQueryParams");
                     if (const auto* ms = chain::json_member(q, "Miners"); ms && ms->IsArray()) {
                         for (const auto& v : ms->GetArray()) {
                             chain::Address a;
                             VENUS_TRY_VOID(chain::from_json(v, a));
                             miners.push_back(a.to_string());
                         }
                     }
                     if (const auto* l = chain::json_member(q, "Limit"); l && l->IsInt64()) limit = l->GetInt64();
                     if (const auto* o = chain::json_member(q, "Offset"); o && o->IsInt64()) offset = o->GetInt64();
                     VENUS_TRY(auto rows, store->list_blocks(miners, limit, offset));
                     rapidjson::StringBuffer sb;
                     Writer w(sb);
                     w.StartArray();
                     for (const auto& b : rows) {
                         w.StartObject();
                         w.Key("ParentEpoch");
                         w.Int64(b.parent_epoch);
                         w.Key("ParentKey");
                         w.String(b.parent_key.c_str());
                         w.Key("Epoch");
                         w.Int64(b.epoch);
                         w.Key("Miner");
                         w.String(b.miner.c_str());
                         w.Key("Cid");
                         w.String(b.cid.c_str());
                         w.Key("WinningAt");
                         w.Int64(b.winning_at);
                         w.Key("MineState");
                         w.Int64(static_cast<std::int64_t>(b.state));
                         w.Key("Consuming");
                         w.Int64(b.consuming);
                         w.EndObject();
                     }
                     w.EndArray();
                     return RawJson{sb.GetString()};
                 }),
                 "mined blocks and their stages, newest first"});
    return m;
}

}  // namespace venus::plugins::miner
