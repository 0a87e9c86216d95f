// SPDX-License-Identifier: Apache-2.0 OR MIT
// One table: name, permission, where it runs, param counts, handler. Everything that reads the chain
// runs on the worker pool.
#include "consensus/rpc_methods.hpp"

#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <ctime>

#include "venus/chain/json.hpp"
#include "venus/chain/json_params.hpp"

namespace venus::plugins::consensus {

using rpc::Exec;
using rpc::JsonValue;
using rpc::Perm;
using rpc::RawJson;

namespace {

// A StateGetBeaconEntry call waits at most this long for a future round.
constexpr std::uint64_t kMaxBeaconWaitSecs = 600;

Result<std::int64_t> param_int(const JsonValue& params, std::size_t i, std::string_view what) {
    if (i >= params.Size()) return make_error(Errc::kInvalidArgument, "param {} ({}) is missing", i, what);
    const auto& v = params[static_cast<rapidjson::SizeType>(i)];
    if (!v.IsInt64()) return make_error(Errc::kInvalidArgument, "param {} ({}): expected an integer", i, what);
    return v.GetInt64();
}

Result<Bytes> param_bytes(const JsonValue& params, std::size_t i, std::string_view what) {
    if (i >= params.Size()) return Bytes{};
    const auto& v = params[static_cast<rapidjson::SizeType>(i)];
    if (v.IsNull()) return Bytes{};
    if (!v.IsString()) return make_error(Errc::kInvalidArgument, "param {} ({}): expected base64 bytes", i, what);
    auto b = from_base64(std::string_view(v.GetString(), v.GetStringLength()));
    if (!b) return make_error(Errc::kInvalidArgument, "param {} ({}): {}", i, what, b.error().message);
    return b;
}

RawJson bytes_json(BytesView b) {
    std::string out = "\"";
    out += to_base64(b);
    out += '"';
    return RawJson{std::move(out)};
}

std::string rfc3339(std::uint64_t unix_secs) {
    if (unix_secs == 0) return "0001-01-01T00:00:00Z";
    const std::time_t t = static_cast<std::time_t>(unix_secs);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

// Go's encoding/json matches keys case-insensitively.
const JsonValue* member(const JsonValue& o, std::string_view key) {
    for (auto it = o.MemberBegin(); it != o.MemberEnd(); ++it) {
        std::string_view k(it->name.GetString(), it->name.GetStringLength());
        if (k.size() != key.size()) continue;
        bool eq = true;
        for (std::size_t i = 0; i < k.size() && eq; ++i) eq = std::tolower(k[i]) == std::tolower(key[i]);
        if (eq) return &it->value;
    }
    return nullptr;
}

}  // namespace

Status from_json(const rpc::JsonValue& v, BlockTemplate& out) {
    if (!v.IsObject()) return make_error(Errc::kInvalidArgument, "BlockTemplate must be an object");
    auto field = [&](std::string_view key, auto& target) -> Status {
        const JsonValue* f = member(v, key);
        if (!f || f->IsNull()) return {};
        auto st = chain::from_json(*f, target);
        if (!st) return st.error().wrap(fmt::format("BlockTemplate.{}", key));
        return {};
    };
    VENUS_TRY_VOID(field("Miner", out.miner));
    VENUS_TRY_VOID(field("Parents", out.parents));
    if (const JsonValue* t = member(v, "Ticket"); t && !t->IsNull()) {
        chain::Ticket tk;
        VENUS_TRY_VOID(chain::from_json(*t, tk));
        out.ticket = std::move(tk);
    }
    if (const JsonValue* e = member(v, "Eproof"); e && !e->IsNull()) {
        chain::ElectionProof ep;
        VENUS_TRY_VOID(chain::from_json(*e, ep));
        out.eproof = std::move(ep);
    }
    auto list = [&](std::string_view key, auto& vec) -> Status {
        const JsonValue* f = member(v, key);
        if (!f || f->IsNull()) return {};
        if (!f->IsArray()) return make_error(Errc::kInvalidArgument, "BlockTemplate.{} must be an array", key);
        if (f->Size() > 100'000) return make_error(Errc::kOutOfRange, "BlockTemplate.{} is too long", key);
        for (const auto& item : f->GetArray()) {
            typename std::decay_t<decltype(vec)>::value_type x{};
            auto st = chain::from_json(item, x);
            if (!st) return st.error().wrap(fmt::format("BlockTemplate.{}", key));
            vec.push_back(std::move(x));
        }
        return {};
    };
    VENUS_TRY_VOID(list("BeaconValues", out.beacon_values));
    VENUS_TRY_VOID(list("Messages", out.messages));
    VENUS_TRY_VOID(list("WinningPoStProof", out.winning_post_proof));
    if (const JsonValue* e = member(v, "Epoch"); e && !e->IsNull()) {
        if (!e->IsInt64()) return make_error(Errc::kInvalidArgument, "BlockTemplate.Epoch must be an integer");
        out.epoch = e->GetInt64();
    }
    if (const JsonValue* t = member(v, "Timestamp"); t && !t->IsNull()) {
        if (!t->IsUint64()) return make_error(Errc::kInvalidArgument, "BlockTemplate.Timestamp must be an unsigned integer");
        out.timestamp = t->GetUint64();
    }
    return {};
}

std::string mining_base_info_json(const std::optional<MiningBaseInfo>& info) {
    if (!info) return "null";
    rapidjson::StringBuffer sb;
    chain::JsonWriter w(sb);
    w.StartObject();
    w.Key("MinerPower");
    chain::to_json(w, info->miner_power);
    w.Key("NetworkPower");
    chain::to_json(w, info->network_power);
    w.Key("Sectors");
    w.StartArray();
    for (const auto& s : info->sectors) {
        w.StartObject();
        w.Key("SealProof");
        w.Int64(s.seal_proof);
        w.Key("SectorNumber");
        w.Uint64(s.sector_number);
        w.Key("SectorKey");
        w.Null();
        w.Key("SealedCID");
        chain::to_json(w, s.sealed_cid);
        w.EndObject();
    }
    w.EndArray();
    w.Key("WorkerKey");
    chain::to_json(w, info->worker_key);
    w.Key("SectorSize");
    w.Uint64(info->sector_size);
    w.Key("PrevBeaconEntry");
    chain::to_json(w, info->prev_beacon_entry);
    w.Key("BeaconEntries");
    w.StartArray();
    for (const auto& e : info->beacon_entries) chain::to_json(w, e);
    w.EndArray();
    w.Key("EligibleForMining");
    w.Bool(info->eligible_for_mining);
    w.EndObject();
    return std::string(sb.GetString(), sb.GetSize());
}

void active_sync_json(chain::JsonWriter& w, std::uint64_t worker, const chain::TipSet& base, const chain::TipSet& target,
                      int stage, std::uint64_t start, std::uint64_t end, const std::string& message) {
    w.StartObject();
    w.Key("WorkerID");
    w.Uint64(worker);
    w.Key("Base");
    chain::to_json(w, base);
    w.Key("Target");
    chain::to_json(w, target);
    w.Key("Stage");
    w.Int(stage);
    w.Key("Height");
    w.Int64(target.height());
    w.Key("Start");
    const auto start_text = rfc3339(start);
    w.String(start_text.c_str());
    w.Key("End");
    // Lotus's zero time while a sync is running.
    const auto end_text = end == 0 ? std::string("0001-01-01T00:00:00Z") : rfc3339(end);
    w.String(end_text.c_str());
    w.Key("Message");
    w.String(message.c_str());
    w.EndObject();
}

std::string sync_state_json(const SyncStatus& s) {
    rapidjson::StringBuffer sb;
    chain::JsonWriter w(sb);
    w.StartObject();
    w.Key("ActiveSyncs");
    w.StartArray();
    // sophon-miner waits until there is at least one sync: the node reports its own head as a
    // completed one (Stage 4 = complete).
    active_sync_json(w, 0, s.base, s.target, 4, s.start, s.start, "");
    // Then the last catch-up from a peer: while it runs, clients see the peer's height as target.
    if (s.peer) active_sync_json(w, 1, s.peer->base, s.peer->target, s.peer->stage, s.peer->start, s.peer->end, s.peer->message);
    w.EndArray();
    w.Key("VMApplied");
    w.Uint64(s.vm_applied);
    w.EndObject();
    return std::string(sb.GetString(), sb.GetSize());
}

std::vector<rpc::MethodSpec> consensus_methods(std::shared_ptr<ConsensusService> svc, asio::io_context* io) {
    std::vector<rpc::MethodSpec> m;
    auto sync = [](auto fn) { return rpc::sync_handler(std::move(fn)); };

    // ---- randomness ----
    // v1: [dst, epoch, entropy, tsk]; v0 Chain*: [tsk, dst, epoch, entropy].
    auto randomness = [svc](bool beacon, bool v0) {
        return [svc, beacon, v0](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
            const std::size_t off = v0 ? 1 : 0;
            VENUS_TRY(auto dst, param_int(p, off + 0, "DomainSeparationTag"));
            VENUS_TRY(auto epoch, param_int(p, off + 1, "ChainEpoch"));
            VENUS_TRY(auto entropy, param_bytes(p, off + 2, "Entropy"));
            VENUS_TRY(auto tsk, chain::json_param<chain::TipSetKey>(p, v0 ? 0 : 3, "TipSetKey"));
            auto r = beacon ? svc->randomness().from_beacon(dst, epoch, entropy, tsk)
                            : svc->randomness().from_tickets(dst, epoch, entropy, tsk);
            if (!r) return r.error();
            return bytes_json(*r);
        };
    };
    m.push_back({"Filecoin.StateGetRandomnessFromTickets", Perm::kRead, Exec::kWorker, 4, 4,
                 sync(randomness(false, false)), "chain randomness: DrawRandomness over the min ticket at an epoch"});
    m.push_back({"Filecoin.StateGetRandomnessFromBeacon", Perm::kRead, Exec::kWorker, 4, 4,
                 sync(randomness(true, false)), "beacon randomness: DrawRandomness over the beacon entry of an epoch"});
    m.push_back({"Filecoin.ChainGetRandomnessFromTickets", Perm::kRead, Exec::kWorker, 4, 4,
                 sync(randomness(false, true)), "v0: chain randomness ([tsk, dst, epoch, entropy])"});
    m.push_back({"Filecoin.ChainGetRandomnessFromBeacon", Perm::kRead, Exec::kWorker, 4, 4,
                 sync(randomness(true, true)), "v0: beacon randomness ([tsk, dst, epoch, entropy])"});
    auto digest = [svc](bool beacon) {
        return [svc, beacon](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
            VENUS_TRY(auto epoch, param_int(p, 0, "ChainEpoch"));
            VENUS_TRY(auto tsk, chain::json_param<chain::TipSetKey>(p, 1, "TipSetKey"));
            auto r = beacon ? svc->randomness().beacon_digest(epoch, tsk) : svc->randomness().chain_digest(epoch, tsk);
            if (!r) return r.error();
            return bytes_json(*r);
        };
    };
    m.push_back({"Filecoin.StateGetRandomnessDigestFromTickets", Perm::kRead, Exec::kWorker, 2, 2, sync(digest(false)),
                 "the 32-byte ticket digest randomness is drawn from"});
    m.push_back({"Filecoin.StateGetRandomnessDigestFromBeacon", Perm::kRead, Exec::kWorker, 2, 2, sync(digest(true)),
                 "the 32-byte beacon digest randomness is drawn from"});

    // ---- beacon ----
    auto beacon_entry = [svc, io](rpc::CallContext& ctx, const JsonValue& p, rpc::Reply reply) {
        auto epoch = param_int(p, 0, "ChainEpoch");
        if (!epoch) return reply.error(epoch.error());
        const auto round = svc->beacon().max_round_for_epoch(*epoch);
        auto e = svc->beacon().entry(round);
        if (e) return reply.ok(chain::to_raw_json(*e));
        if (e.error().code != make_error_code(Errc::kUnavailable) || !io) return reply.error(e.error());
        const auto at = svc->beacon().available_at(round);
        const auto now = unix_now();
        if (at > now + kMaxBeaconWaitSecs) {
            return reply.error(make_error(Errc::kInvalidArgument, "beacon round {} (epoch {}) is not due for {} s", round,
                                          *epoch, at - now));
        }
        // Wait without holding a thread until the beacon produces the round.
        auto shared = std::make_shared<rpc::Reply>(std::move(reply));
        auto timer = std::make_shared<asio::steady_timer>(*io, std::chrono::seconds(at > now ? at - now : 0) +
                                                                   std::chrono::milliseconds(50));
        ctx.cancel->on_cancel([timer, io] { asio::post(*io, [timer] { timer->cancel(); }); });
        timer->async_wait([svc, shared, timer, round](const std::error_code& ec) {
            if (ec) return shared->error(make_error(Errc::kCancelled, "waiting for beacon round {} cancelled", round));
            auto r = svc->beacon().entry(round);
            if (!r) return shared->error(r.error());
            shared->ok(chain::to_raw_json(*r));
        });
    };
    m.push_back({"Filecoin.StateGetBeaconEntry", Perm::kRead, Exec::kWorker, 1, 1, beacon_entry,
                 "the beacon entry for an epoch; waits for a future round"});
    m.push_back({"Filecoin.BeaconGetEntry", Perm::kRead, Exec::kWorker, 1, 1, beacon_entry,
                 "v0: the beacon entry for an epoch"});

    // ---- mining ----
    m.push_back({"Filecoin.MinerGetBaseInfo", Perm::kRead, Exec::kWorker, 3, 3,
                 sync([svc](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                     VENUS_TRY(auto miner, chain::json_param<chain::Address>(p, 0, "Address"));
                     VENUS_TRY(auto round, param_int(p, 1, "ChainEpoch"));
                     VENUS_TRY(auto tsk, chain::json_param<chain::TipSetKey>(p, 2, "TipSetKey"));
                     VENUS_TRY(auto info, svc->base_info(miner, round, tsk));
                     return RawJson{mining_base_info_json(info)};
                 }),
                 "what a miner needs for the election at a round, or null without power or sectors"});
    m.push_back({"Filecoin.MinerCreateBlock", Perm::kWrite, Exec::kWorker, 1, 1,
                 sync([svc](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                     BlockTemplate t;
                     if (auto st = from_json(p[0], t); !st) {
                         return make_error(Errc::kInvalidArgument, "param 0 (BlockTemplate): {}", st.error().message);
                     }
                     VENUS_TRY(auto b, svc->create_block(t));
                     return chain::to_raw_json(ConsensusService::to_block_msg(b));
                 }),
                 "builds a block from a template (signed when the worker key is in this node's wallet)"});
    m.push_back({"Filecoin.SyncSubmitBlock", Perm::kWrite, Exec::kWorker, 1, 1,
                 sync([svc](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                     VENUS_TRY(auto msg, chain::json_param<chain::BlockMsg>(p, 0, "BlockMsg"));
                     VENUS_TRY_VOID(svc->submit(msg));
                     return RawJson{"null"};
                 }),
                 "validates a mined block and adds it to the chain"});
    m.push_back({"Filecoin.SyncState", Perm::kRead, Exec::kWorker, 0, 0,
                 sync([svc](rpc::CallContext&, const JsonValue&) -> Result<RawJson> {
                     return RawJson{sync_state_json(svc->sync_status())};
                 }),
                 "sync status: the head as a completed sync, then the last catch-up from a peer"});
    return m;
}

}  // namespace venus::plugins::consensus
