// SPDX-License-Identifier: Apache-2.0 OR MIT
// `venusd chain|state|sync …` and `venusd wallet balance`: Lotus CLI shapes over the node's
// JSON-RPC API (FULLNODE_API_INFO, or the repo's api/token). Compiled into venus_cli.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <ctime>
#include <ostream>
#include <string>

#include "venus/cli/cli.hpp"
#include "venus/rpc/client.hpp"
#include "venus/rpc/json.hpp"

namespace venus::cli {

namespace {

using rpc::JsonDocument;
using rpc::RawJson;

Result<RawJson> node_call(Invocation& inv, std::string_view method, const RawJson& params = RawJson{"[]"}) {
    VENUS_TRY(auto client, inv.client("/rpc/v1"));
    return client->call(method, params);
}

Result<JsonDocument> node_doc(Invocation& inv, std::string_view method, const RawJson& params = RawJson{"[]"}) {
    VENUS_TRY(auto r, node_call(inv, method, params));
    JsonDocument d;
    VENUS_TRY_VOID(rpc::parse_json(r.text, d));
    return d;
}

RawJson params(std::initializer_list<RawJson> v) {
    return rpc::make_params([&](rpc::JsonOut& o) {
        for (const auto& p : v) o.RawValue(p.text.data(), p.text.size(), rapidjson::kObjectType);
    });
}

RawJson str(const std::string& s) { return rpc::json_string(s); }
RawJson cid_json(const std::string& c) {
    rpc::JsonBuilder b;
    b.out().StartObject();
    rpc::write_key(b.out(), "/");
    rpc::write_string(b.out(), c);
    b.out().EndObject();
    return b.take();
}
const RawJson kHeadTsk{"[]"};

std::string s(const rpc::JsonValue& v, const char* k) {
    if (!v.IsObject() || !v.HasMember(k)) return "";
    const auto& x = v[k];
    if (x.IsString()) return x.GetString();
    if (x.IsObject() && x.HasMember("/") && x["/"].IsString()) return x["/"].GetString();
    return rpc::to_json_text(x);
}

// Lotus types.FIL String(): attoFIL as FIL with trailing zeros trimmed.
std::string fil(const std::string& atto) {
    std::string digits = atto;
    bool neg = false;
    if (!digits.empty() && digits[0] == '-') {
        neg = true;
        digits.erase(0, 1);
    }
    if (digits.empty() || digits == "0") return "0 FIL";
    if (digits.size() <= 18) digits.insert(0, 19 - digits.size(), '0');
    std::string whole = digits.substr(0, digits.size() - 18);
    std::string frac = digits.substr(digits.size() - 18);
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    return (neg ? "-" : "") + whole + (frac.empty() ? "" : "." + frac) + " FIL";
}

// Lotus types.SizeStr: "%.4g %s" with binary units.
std::string size_str(const std::string& bytes) {
    static const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"};
    long double v = std::strtold(bytes.c_str(), nullptr);
    std::size_t i = 0;
    while (v >= 1024 && i + 1 < std::size(kUnits)) {
        v /= 1024;
        ++i;
    }
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.4Lg %s", v, kUnits[i]);
    return buf;
}

int print_json(Invocation& inv, const Result<RawJson>& r) {
    if (!r) return inv.fail(r.error());
    inv.out << rpc::pretty_json(r->text) << "\n";
    return kExitOk;
}

int cmd_chain_head(Invocation& inv) {
    auto d = node_doc(inv, "Filecoin.ChainHead");
    if (!d) return inv.fail(d.error());
    if (inv.global.json) {
        inv.out << rpc::to_json_text(*d) << "\n";
        return kExitOk;
    }
    for (const auto& c : (*d)["Cids"].GetArray()) inv.out << c["/"].GetString() << "\n";
    return kExitOk;
}

int cmd_get_block(Invocation& inv) {
    return print_json(inv, node_call(inv, "Filecoin.ChainGetBlock", params({cid_json(inv.args[0])})));
}

int cmd_get_message(Invocation& inv) {
    return print_json(inv, node_call(inv, "Filecoin.ChainGetMessage", params({cid_json(inv.args[0])})));
}

// `lotus chain list`: "<height>: (<time>) [ <cid>: <miner>, ]" lowest first.
int cmd_chain_list(Invocation& inv) {
    std::int64_t count = 30;
    if (auto c = inv.get("count")) {
        try {
            count = std::stoll(*c);
        } catch (...) {
            return inv.usage_error("--count must be a number");
        }
        if (count <= 0) return inv.usage_error("--count must be positive");
    }
    Result<JsonDocument> ts = make_error(Errc::kInternal, "");
    if (auto h = inv.get("height")) {
        std::int64_t height = 0;
        try {
            height = std::stoll(*h);
        } catch (...) {
            return inv.usage_error("--height must be a number");
        }
        ts = node_doc(inv, "Filecoin.ChainGetTipSetByHeight", params({rpc::json_int(height), kHeadTsk}));
    } else {
        ts = node_doc(inv, "Filecoin.ChainHead");
    }
    if (!ts) return inv.fail(ts.error());
    std::vector<JsonDocument> list;
    list.push_back(std::move(*ts));
    while (static_cast<std::int64_t>(list.size()) < count && list.back()["Height"].GetInt64() > 0) {
        const auto& parents = list.back()["Blocks"][0]["Parents"];
        auto p = node_doc(inv, "Filecoin.ChainGetTipSet", params({RawJson{rpc::to_json_text(parents)}}));
        if (!p) return inv.fail(p.error());
        list.push_back(std::move(*p));
    }
    if (inv.global.json) {
        inv.out << "[";
        for (std::size_t i = list.size(); i-- > 0;) inv.out << rpc::to_json_text(list[i]) << (i ? "," : "");
        inv.out << "]\n";
        return kExitOk;
    }
    for (std::size_t i = list.size(); i-- > 0;) {
        const auto& t = list[i];
        const std::time_t when = static_cast<std::time_t>(t["Blocks"][0]["Timestamp"].GetUint64());
        char buf[32];
        std::tm tm{};
        localtime_r(&when, &tm);
        std::strftime(buf, sizeof buf, "%b %e %H:%M:%S", &tm);  // Go time.Stamp
        inv.out << t["Height"].GetInt64() << ": (" << buf << ") [ ";
        const auto& cids = t["Cids"];
        for (rapidjson::SizeType k = 0; k < cids.Size(); ++k) {
            inv.out << cids[k]["/"].GetString() << ": " << t["Blocks"][k]["Miner"].GetString() << ",";
        }
        inv.out << "]\n";
    }
    return kExitOk;
}

int cmd_get_actor(Invocation& inv) {
    auto r = node_call(inv, "Filecoin.StateGetActor", params({str(inv.args[0]), kHeadTsk}));
    if (!r) return inv.fail(r.error());
    if (inv.global.json) {
        inv.out << r->text << "\n";
        return kExitOk;
    }
    JsonDocument a;
    if (!rpc::parse_json(r->text, a)) return inv.fail(make_error(Errc::kInvalidArgument, "unexpected StateGetActor result"));
    inv.out << "Address:\t" << inv.args[0] << "\n";
    inv.out << "Balance:\t" << fil(s(a, "Balance")) << "\n";
    inv.out << "Nonce:\t\t" << s(a, "Nonce") << "\n";
    inv.out << "Code:\t\t" << s(a, "Code") << "\n";
    inv.out << "Head:\t\t" << s(a, "Head") << "\n";
    return kExitOk;
}

int cmd_lookup(Invocation& inv) {
    const char* method = inv.has("reverse") ? "Filecoin.StateLookupRobustAddress" : "Filecoin.StateLookupID";
    auto d = node_doc(inv, method, params({str(inv.args[0]), kHeadTsk}));
    if (!d) return inv.fail(d.error());
    inv.out << (d->IsString() ? d->GetString() : rpc::to_json_text(*d)) << "\n";
    return kExitOk;
}

int cmd_miner_info(Invocation& inv) {
    auto r = node_call(inv, "Filecoin.StateMinerInfo", params({str(inv.args[0]), kHeadTsk}));
    if (!r) return inv.fail(r.error());
    if (inv.global.json) {
        inv.out << r->text << "\n";
        return kExitOk;
    }
    JsonDocument m;
    if (!rpc::parse_json(r->text, m)) return inv.fail(make_error(Errc::kInvalidArgument, "unexpected StateMinerInfo result"));
    inv.out << "Owner:\t" << s(m, "Owner") << "\n";
    inv.out << "Worker:\t" << s(m, "Worker") << "\n";
    inv.out << "Beneficiary:\t" << s(m, "Beneficiary") << "\n";
    for (const auto& c : m["ControlAddresses"].GetArray()) inv.out << "Control:\t" << c.GetString() << "\n";
    inv.out << "PeerID:\t" << (m["PeerId"].IsString() ? m["PeerId"].GetString() : "<none>") << "\n";
    inv.out << "Multiaddrs:\t";
    for (const auto& a : m["Multiaddrs"].GetArray()) inv.out << a.GetString() << " ";
    inv.out << "\n";
    inv.out << "Consensus Fault End:\t" << s(m, "ConsensusFaultElapsed") << "\n";
    inv.out << "SectorSize:\t" << size_str(s(m, "SectorSize")) << " (" << s(m, "SectorSize") << ")\n";
    return kExitOk;
}

int cmd_power(Invocation& inv) {
    std::string miner;
    if (!inv.args.empty()) {
        miner = inv.args[0];
    } else {
        // The network total comes with any miner's answer.
        auto miners = node_doc(inv, "Filecoin.StateListMiners", params({kHeadTsk}));
        if (!miners) return inv.fail(miners.error());
        if (miners->IsArray() && !miners->Empty()) miner = (*miners)[0].GetString();
    }
    std::string mp = "0";
    std::string tp = "0";
    std::string text = R"({"MinerPower":null,"TotalPower":{"RawBytePower":"0","QualityAdjPower":"0"},"HasMinPower":false})";
    if (!miner.empty()) {
        auto r = node_call(inv, "Filecoin.StateMinerPower", params({str(miner), kHeadTsk}));
        if (!r) return inv.fail(r.error());
        text = r->text;
        JsonDocument d;
        if (!rpc::parse_json(text, d)) return inv.fail(make_error(Errc::kInvalidArgument, "unexpected StateMinerPower result"));
        mp = s(d["MinerPower"], "QualityAdjPower");
        tp = s(d["TotalPower"], "QualityAdjPower");
    }
    if (inv.global.json) {
        inv.out << text << "\n";
        return kExitOk;
    }
    if (!inv.args.empty()) {
        const long double m = std::strtold(mp.c_str(), nullptr);
        const long double t = std::strtold(tp.c_str(), nullptr);
        char pct[32];
        std::snprintf(pct, sizeof pct, "%0.4Lf", t > 0 ? std::floor(m * 1000000 / t) / 10000 : 0.0L);
        inv.out << mp << "(" << size_str(mp) << ") / " << tp << "(" << size_str(tp) << ") ~= " << pct << "%\n";
    } else {
        inv.out << tp << "(" << size_str(tp) << ")\n";
    }
    return kExitOk;
}

int cmd_sync_status(Invocation& inv) {
    auto state = node_call(inv, "Filecoin.SyncState");
    if (state) {
        if (inv.global.json) {
            inv.out << state->text << "\n";
            return kExitOk;
        }
        JsonDocument d;
        if (!rpc::parse_json(state->text, d) || !d.IsObject()) {
            return inv.fail(make_error(Errc::kInvalidArgument, "unexpected SyncState result"));
        }
        static const char* kStages[] = {"idle worker", "header sync", "persisting headers", "message sync",
                                        "complete", "error", "fetching messages"};
        inv.out << "sync status:\n";
        int i = 0;
        if (d.HasMember("ActiveSyncs") && d["ActiveSyncs"].IsArray()) {
            for (const auto& w : d["ActiveSyncs"].GetArray()) {
                inv.out << "worker " << i++ << ":\n";
                const auto stage = w.HasMember("Stage") && w["Stage"].IsInt() ? w["Stage"].GetInt() : 0;
                // As `lotus sync status`: tipsets as their CIDs, the target with its height.
                auto cids_of = [&](const char* key) {
                    std::string out = "[";
                    if (w.HasMember(key) && w[key].IsObject() && w[key].HasMember("Cids") && w[key]["Cids"].IsArray()) {
                        for (const auto& c : w[key]["Cids"].GetArray()) {
                            if (out.size() > 1) out += " ";
                            if (c.IsObject() && c.HasMember("/") && c["/"].IsString()) out += c["/"].GetString();
                        }
                    }
                    return out + "]";
                };
                auto height_of = [&](const char* key) -> std::int64_t {
                    return w.HasMember(key) && w[key].IsObject() && w[key].HasMember("Height") && w[key]["Height"].IsInt64()
                               ? w[key]["Height"].GetInt64()
                               : 0;
                };
                inv.out << "\tBase:\t" << cids_of("Base") << "\n";
                inv.out << "\tTarget:\t" << cids_of("Target") << " (" << height_of("Target") << ")\n";
                inv.out << "\tHeight diff:\t" << height_of("Target") - height_of("Base") << "\n";
                inv.out << "\tStage: " << (stage >= 0 && stage < 7 ? kStages[stage] : "unknown") << "\n";
                inv.out << "\tHeight: " << s(w, "Height") << "\n";
            }
        }
        return kExitOk;
    }
    if (state.error().message.find("not found") == std::string::npos) return inv.fail(state.error());
    // No SyncState on this daemon: the head is what there is to report.
    auto head = node_doc(inv, "Filecoin.ChainHead");
    if (!head) return inv.fail(head.error());
    const auto& cids = (*head)["Cids"];
    auto weight = node_call(inv, "Filecoin.ChainTipSetWeight", params({RawJson{rpc::to_json_text(cids)}}));
    if (!weight) return inv.fail(weight.error());
    JsonDocument w;
    (void)rpc::parse_json(weight->text, w);
    const std::string weight_text = w.IsString() ? w.GetString() : weight->text;
    if (inv.global.json) {
        inv.out << R"({"Head":)" << rpc::to_json_text(cids) << R"(,"Height":)" << (*head)["Height"].GetInt64()
                << R"(,"Weight":")" << weight_text << "\"}\n";
        return kExitOk;
    }
    inv.out << "sync status: SyncState is not served; chain head:\n";
    inv.out << "\tHead:\t[";
    for (rapidjson::SizeType k = 0; k < cids.Size(); ++k) inv.out << (k ? " " : "") << cids[k]["/"].GetString();
    inv.out << "]\n\tHeight:\t" << (*head)["Height"].GetInt64() << "\n\tWeight:\t" << weight_text << "\n";
    return kExitOk;
}

int cmd_wallet_balance(Invocation& inv) {
    auto d = node_doc(inv, "Filecoin.WalletBalance", params({str(inv.args[0])}));
    if (!d) return inv.fail(d.error());
    if (!d->IsString()) return inv.fail(make_error(Errc::kInvalidArgument, "unexpected WalletBalance result"));
    inv.out << fil(d->GetString()) << "\n";
    return kExitOk;
}

}  // namespace

void add_node_commands(CommandTable& t) {
    t.add({{"chain", "head"}, "", "Print the chain head's block CIDs", {}, cmd_chain_head, 0, 0});
    t.add({{"chain", "get-block"}, "<blockCid>", "Print a block header", {}, cmd_get_block, 1, 1});
    t.add({{"chain", "get-message"}, "<messageCid>", "Print a message", {}, cmd_get_message, 1, 1});
    t.add({{"chain", "list"},
           "",
           "List tipsets down from the head (or --height)",
           {{"height", "H", "start at this height"}, {"count", "N", "number of tipsets (default 30)"}},
           cmd_chain_list,
           0,
           0});
    t.add({{"state", "get-actor"}, "<address>", "Print an actor's balance, nonce, code and head", {}, cmd_get_actor, 1, 1});
    t.add({{"state", "lookup"},
           "<address>",
           "The ID address of an address (--reverse: the robust address of an ID)",
           {{"reverse", "", "robust address of an ID address"}},
           cmd_lookup,
           1,
           1});
    t.add({{"state", "miner-info"}, "<minerAddress>", "Print a miner's info", {}, cmd_miner_info, 1, 1});
    t.add({{"state", "power"}, "[<minerAddress>]", "Print a miner's power and the network total", {}, cmd_power, 0, 1});
    t.add({{"sync", "status"}, "", "Print the sync state (the head when SyncState is not served)", {}, cmd_sync_status, 0, 0});
    t.add({{"wallet", "balance"}, "<address>", "Print an address's balance", {}, cmd_wallet_balance, 1, 1});
}

}  // namespace venus::cli
