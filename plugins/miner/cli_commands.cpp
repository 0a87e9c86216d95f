// SPDX-License-Identifier: Apache-2.0 OR MIT
// `venusd miner …`: sophon-miner's address, winner and block commands with its JSON output, as a
// JSON-RPC client of the daemon (MINER_API_INFO, else the daemon's api/token). Compiled into
// venus_cli; never links the module.
#include <charconv>
#include <ostream>

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "venus/cli/cli.hpp"
#include "venus/rpc/client.hpp"
#include "venus/rpc/json.hpp"

namespace venus::cli {

namespace {

Result<rpc::RawJson> miner_call(Invocation& inv, std::string_view method, const rpc::RawJson& params = rpc::RawJson{"[]"}) {
    VENUS_TRY(auto client, inv.client("/rpc/v0", "MINER_API_INFO"));
    return client->call(method, params);
}

// sophon-miner prints json.MarshalIndent(v, "", "\t"): tab-indented, `"key": value`.
int print_pretty(Invocation& inv, Result<rpc::RawJson> r) {
    if (!r) return inv.fail(r.error());
    rpc::JsonDocument doc;
    if (!rpc::parse_json(r->text, doc)) {
        inv.out << r->text << "\n";
        return kExitOk;
    }
    rapidjson::StringBuffer buf;
    rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buf);
    w.SetIndent('\t', 1);
    doc.Accept(w);
    inv.out << std::string_view(buf.GetString(), buf.GetSize()) << "\n";
    return kExitOk;
}

rpc::RawJson addresses(const std::vector<std::string>& args) {
    return rpc::make_params([&](rpc::JsonOut& o) {
        o.StartArray();
        for (const auto& a : args) rpc::write_string(o, a);
        o.EndArray();
    });
}

std::optional<std::int64_t> to_int(const std::optional<std::string>& s) {
    if (!s) return std::nullopt;
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s->data(), s->data() + s->size(), v);
    if (ec != std::errc() || p != s->data() + s->size()) return std::nullopt;
    return v;
}

int address_update(Invocation& inv) {
    const auto skip = inv.has("skip") ? to_int(inv.get("skip")) : std::optional<std::int64_t>(0);
    const auto limit = inv.has("limit") ? to_int(inv.get("limit")) : std::optional<std::int64_t>(0);
    if (!skip || !limit) return inv.usage_error("--skip and --limit take integers");
    return print_pretty(inv, miner_call(inv, "Filecoin.UpdateAddress",
                                        rpc::RawJson{"[" + std::to_string(*skip) + "," + std::to_string(*limit) + "]"}));
}

int address_list(Invocation& inv) { return print_pretty(inv, miner_call(inv, "Filecoin.ListAddress")); }
int address_state(Invocation& inv) { return print_pretty(inv, miner_call(inv, "Filecoin.StatesForMining", addresses(inv.args))); }

int address_start_stop(Invocation& inv, const char* method) {
    // sophon-miner does nothing for an empty list although its help says "all": say so instead.
    if (inv.args.empty()) return inv.usage_error("give at least one miner address");
    auto r = miner_call(inv, method, addresses(inv.args));
    if (!r) return inv.fail(r.error());
    inv.out << (std::string_view(method) == "Filecoin.Start" ? "start" : "stop") << " mining success.\n";
    return kExitOk;
}

int winner_count(Invocation& inv) {
    const auto start = to_int(inv.get("epoch-start"));
    const auto end = to_int(inv.get("epoch-end"));
    if (!start || !end) return inv.usage_error("--epoch-start and --epoch-end are required integers");
    auto params = rpc::make_params([&](rpc::JsonOut& o) {
        o.StartArray();
        for (const auto& a : inv.args) rpc::write_string(o, a);
        o.EndArray();
        o.Int64(*start);
        o.Int64(*end);
    });
    return print_pretty(inv, miner_call(inv, "Filecoin.CountWinners", params));
}

int blocks_list(Invocation& inv) {
    const auto limit = inv.has("limit") ? to_int(inv.get("limit")) : std::optional<std::int64_t>(20);
    const auto offset = inv.has("offset") ? to_int(inv.get("offset")) : std::optional<std::int64_t>(0);
    if (!limit || !offset) return inv.usage_error("--limit and --offset take integers");
    auto params = rpc::make_params([&](rpc::JsonOut& o) {
        o.StartObject();
        rpc::write_key(o, "Miners");
        o.StartArray();
        for (const auto& a : inv.args) rpc::write_string(o, a);
        o.EndArray();
        rpc::write_key(o, "Limit");
        o.Int64(*limit);
        rpc::write_key(o, "Offset");
        o.Int64(*offset);
        o.EndObject();
    });
    return print_pretty(inv, miner_call(inv, "Filecoin.ListBlocks", params));
}

}  // namespace

void add_miner_commands(CommandTable& t) {
    t.add({{"miner", "address", "update"}, "", "Re-reads the miners from auth; prints the open ones (UpdateAddress).",
           {{"skip", "N", "skip this many users"}, {"limit", "N", "at most this many users (0: all)"}}, address_update});
    t.add({{"miner", "address", "list"}, "", "Lists the miners known from auth (ListAddress).", {}, address_list});
    t.add({{"miner", "address", "state"}, "[miner…]", "Shows whether miners mine, with their latest errors.", {},
           address_state, 0, -1});
    t.add({{"miner", "address", "start"}, "<miner…>", "Starts mining (OpenMining persisted in auth).", {},
           [](Invocation& inv) { return address_start_stop(inv, "Filecoin.Start"); }, 0, -1});
    t.add({{"miner", "address", "stop"}, "<miner…>", "Stops mining (OpenMining persisted in auth).", {},
           [](Invocation& inv) { return address_start_stop(inv, "Filecoin.Stop"); }, 0, -1});
    t.add({{"miner", "address", "warmup"}, "<miner>", "Runs one winning PoSt for the miner so its prover is warm (WarmupForMiner).",
           {}, [](Invocation& inv) {
               auto r = miner_call(inv, "Filecoin.WarmupForMiner", rpc::RawJson{"[" + rpc::json_string(inv.args[0]).text + "]"});
               // sophon-miner's words (Println's two operands: two spaces); it exits 0 either way, here 1.
               if (!r) {
                   inv.out << "warmup failed:  " << r.error().message << "\n";
                   return kExitError;
               }
               inv.out << "warmup success.\n";
               return kExitOk;
           }, 1, 1});
    t.add({{"miner", "winner", "count"}, "[miner…]",
           "Counts the epochs miners won in [start, end] (both below the head; rounds start+1..end+1).",
           {{"epoch-start", "N", "first base epoch"}, {"epoch-end", "N", "last base epoch"}}, winner_count, 0, -1});
    t.add({{"miner", "blocks", "list"}, "[miner…]", "Lists mined blocks and their stages, newest first (ListBlocks).",
           {{"limit", "N", "at most N rows (default 20; 0: all)"}, {"offset", "N", "skip N rows"}}, blocks_list, 0, -1});
}

}  // namespace venus::cli
