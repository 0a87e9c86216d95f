// SPDX-License-Identifier: Apache-2.0 OR MIT
// `venusd gateway …`: sophon-gateway's wallet, miner, market and proxy commands with their output, as
// a JSON-RPC client of the daemon (/rpc/v2). Compiled into venus_cli; never links the module.
#include <ostream>

#include "venus/cli/cli.hpp"
#include "venus/rpc/client.hpp"
#include "venus/rpc/json.hpp"

namespace venus::cli {

namespace {

Result<rpc::RawJson> gw_call(Invocation& inv, std::string_view method, const rpc::RawJson& params = rpc::RawJson{"[]"}) {
    VENUS_TRY(auto client, inv.client("/rpc/v2", "GATEWAY_API_INFO"));
    return client->call(method, params);
}

int print_pretty(Invocation& inv, Result<rpc::RawJson> r) {
    if (!r) return inv.fail(r.error());
    inv.out << rpc::pretty_json(r->text) << "\n";
    return kExitOk;
}

rpc::RawJson one_string(const std::string& s) {
    return rpc::make_params([&](rpc::JsonOut& o) { rpc::write_string(o, s); });
}

int wallet_list(Invocation& inv) { return print_pretty(inv, gw_call(inv, "Gateway.ListWalletInfo")); }

int wallet_state(Invocation& inv) {
    return print_pretty(inv, gw_call(inv, "Gateway.ListWalletInfoByWallet", one_string(inv.args[0])));
}

int wallet_list_support(Invocation& inv) {
    auto r = gw_call(inv, "Gateway.ListWalletInfo");
    if (!r) return inv.fail(r.error());
    rpc::JsonDocument doc;
    if (!rpc::parse_json(r->text, doc) || !doc.IsArray()) return inv.fail(make_error(Errc::kInvalidArgument, "unexpected ListWalletInfo result"));
    rpc::JsonDocument out;
    out.SetArray();
    for (auto& w : doc.GetArray()) {
        if (!w.IsObject() || !w.HasMember("SupportAccounts") || !w["SupportAccounts"].IsArray()) continue;
        for (const auto& a : w["SupportAccounts"].GetArray()) {
            if (a.IsString() && inv.args[0] == a.GetString()) {
                out.PushBack(rpc::JsonValue(w, out.GetAllocator()), out.GetAllocator());
                break;
            }
        }
    }
    inv.out << rpc::pretty_json(rpc::to_json_text(out)) << "\n";
    return kExitOk;
}

int miner_list(Invocation& inv) {
    auto r = gw_call(inv, "Gateway.ListConnectedMiners");
    if (!r) return inv.fail(r.error());
    rpc::JsonDocument doc;
    if (!rpc::parse_json(r->text, doc) || !(doc.IsArray() || doc.IsNull())) {
        return inv.fail(make_error(Errc::kInvalidArgument, "unexpected ListConnectedMiners result"));
    }
    if (inv.global.json) {
        inv.out << r->text << "\n";
        return kExitOk;
    }
    if (doc.IsArray()) {
        for (const auto& m : doc.GetArray()) {
            if (m.IsString()) inv.out << m.GetString() << "\n";
        }
    }
    return kExitOk;
}

int miner_state(Invocation& inv) {
    return print_pretty(inv, gw_call(inv, "Gateway.ListMinerConnection", one_string(inv.args[0])));
}

int market_list(Invocation& inv) { return print_pretty(inv, gw_call(inv, "Gateway.ListMarketConnectionsState")); }

int proxy_set(Invocation& inv) {
    auto type = inv.get("type");
    if (!type) return inv.usage_error("--type is required (AUTH, VENUS, MESSAGER, MINER, DROPLET)");
    const auto url = inv.get("url").value_or("");
    auto params = rpc::make_params([&](rpc::JsonOut& o) {
        rpc::write_string(o, *type);
        rpc::write_string(o, url);
    });
    auto r = gw_call(inv, "Gateway.RegisterReverse", params);
    if (!r) return inv.fail(r.error());
    if (url.empty()) {
        inv.out << "unset " << *type << " success\n";
    } else {
        inv.out << "set " << *type << " to " << url << " success\n";
    }
    return kExitOk;
}

int proxy_list(Invocation& inv) { return print_pretty(inv, gw_call(inv, "Gateway.ListReverse")); }

}  // namespace

void add_gateway_commands(CommandTable& t) {
    t.add({{"gateway", "wallet", "list"}, "", "Lists the connected wallets by account (ListWalletInfo).", {}, wallet_list});
    t.add({{"gateway", "wallet", "state"}, "<account>", "Shows one account's wallet connections.", {}, wallet_state, 1, 1});
    t.add({{"gateway", "wallet", "list-support"},
           "<account>",
           "Lists the wallets that sign for an account.",
           {},
           wallet_list_support,
           1,
           1});
    t.add({{"gateway", "miner", "list"}, "", "Lists the miners with a connected prover, one per line.", {}, miner_list});
    t.add({{"gateway", "miner", "state"}, "<miner>", "Shows a miner's prover connections.", {}, miner_state, 1, 1});
    t.add({{"gateway", "market", "list"}, "", "Lists the market connections by miner.", {}, market_list});
    t.add({{"gateway", "proxy", "set"},
           "",
           "Sets (or with no --url unsets) the backend of an X-VENUS-API-NAMESPACE key.",
           {{"type", "KEY", "AUTH, VENUS, MESSAGER, MINER or DROPLET"}, {"url", "URL", "the backend; empty unsets"}},
           proxy_set});
    t.add({{"gateway", "proxy", "list"}, "", "Shows the reverse-proxy table.", {}, proxy_list});
}

}  // namespace venus::cli
