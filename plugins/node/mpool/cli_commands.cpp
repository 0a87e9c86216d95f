// SPDX-License-Identifier: Apache-2.0 OR MIT
// `venusd mpool …` and `venusd send`: JSON-RPC clients of the node's message pool, with Lotus's
// output shapes (pending: indented SignedMessage JSON one after another; push/send: the CID;
// nonce: the number). Compiled into venus_cli.
#include <ostream>
#include <set>

#include "venus/chain/json.hpp"
#include "venus/chain/types.hpp"
#include "venus/cli/cli.hpp"
#include "venus/rpc/client.hpp"
#include "venus/rpc/json.hpp"

namespace venus::cli {

namespace {

Result<rpc::RawJson> node_call(Invocation& inv, std::string_view method, const rpc::RawJson& params = rpc::RawJson{"[]"}) {
    VENUS_TRY(auto client, inv.client("/rpc/v1", "FULLNODE_API_INFO"));
    return client->call(method, params);
}

rpc::RawJson raw_params(std::initializer_list<std::string_view> json_values) {
    return rpc::make_params([&](rpc::JsonOut& o) {
        for (const auto& v : json_values) o.RawValue(v.data(), v.size(), rapidjson::kObjectType);
    });
}

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

// Prints a CID result ({"/": "..."}) bare.
int print_cid(Invocation& inv, const Result<rpc::RawJson>& r) {
    if (!r) return inv.fail(r.error());
    auto cid = chain::from_json_string<chain::Cid>(r->text);
    if (!cid) return inv.fail(cid.error());
    inv.out << cid->to_string() << "\n";
    return kExitOk;
}

Result<std::set<std::string>> wallet_addresses(Invocation& inv) {
    VENUS_TRY(auto r, node_call(inv, "Filecoin.WalletList"));
    rpc::JsonDocument doc;
    VENUS_TRY_VOID(rpc::parse_json(r.text, doc));
    std::set<std::string> out;
    if (doc.IsArray()) {
        for (const auto& a : doc.GetArray()) {
            if (a.IsString()) out.insert(a.GetString());
        }
    }
    return out;
}

int cmd_pending(Invocation& inv) {
    auto r = node_call(inv, "Filecoin.MpoolPending", raw_params({"[]"}));
    if (!r) return inv.fail(r.error());
    rpc::JsonDocument doc;
    if (auto st = rpc::parse_json(r->text, doc); !st) return inv.fail(st.error());
    std::optional<chain::Address> from;
    if (auto f = inv.get("from")) {
        auto a = chain::Address::parse(*f);
        if (!a) return inv.usage_error("--from: " + a.error().message);
        from = *a;
    }
    std::set<std::string> local;
    if (inv.has("local")) {
        auto addrs = wallet_addresses(inv);
        if (!addrs) return inv.fail(addrs.error());
        local = std::move(*addrs);
    }
    if (!doc.IsArray()) return kExitOk;
    for (const auto& v : doc.GetArray()) {
        chain::SignedMessage sm;
        if (auto st = chain::from_json(v, sm); !st) return inv.fail(st.error());
        if (from && sm.message.from != *from) continue;
        if (inv.has("local") && local.count(sm.message.from.to_string()) == 0) continue;
        inv.out << rpc::pretty_json(chain::to_json_string(sm)) << "\n";
    }
    return kExitOk;
}

int cmd_push(Invocation& inv) {
    const std::string& arg = inv.args[0];
    Result<chain::SignedMessage> sm = make_error(Errc::kInvalidArgument, "empty message");
    if (!arg.empty() && arg.front() == '{') {
        sm = chain::from_json_string<chain::SignedMessage>(arg);
    } else {
        auto bytes = from_hex(arg);
        if (!bytes) return inv.usage_error("the message must be SignedMessage JSON or hex CBOR");
        sm = chain::decode_cbor<chain::SignedMessage>(*bytes);
    }
    if (!sm) return inv.fail(sm.error());
    const auto json = chain::to_json_string(*sm);
    return print_cid(inv, node_call(inv, "Filecoin.MpoolPush", raw_params({json})));
}

int cmd_nonce(Invocation& inv) {
    auto a = chain::Address::parse(inv.args[0]);
    if (!a) return inv.usage_error(a.error().message);
    auto r = node_call(inv, "Filecoin.MpoolGetNonce", raw_params({quoted(a->to_string())}));
    if (!r) return inv.fail(r.error());
    inv.out << r->text << "\n";
    return kExitOk;
}

int cmd_send(Invocation& inv) {
    auto to = chain::Address::parse(inv.args[0]);
    if (!to) return inv.usage_error("target: " + to.error().message);
    auto amount = chain::parse_fil(inv.args[1]);
    if (!amount) return inv.usage_error("amount: " + amount.error().message);
    if (amount->sign() < 0) return inv.usage_error("amount: cannot be negative");
    chain::Address from;
    if (auto f = inv.get("from")) {
        auto a = chain::Address::parse(*f);
        if (!a) return inv.usage_error("--from: " + a.error().message);
        from = *a;
    } else {
        auto def = node_call(inv, "Filecoin.WalletDefaultAddress");
        if (!def) return inv.fail(def.error());
        auto a = chain::from_json_string<chain::Address>(def->text);
        if (!a || !a->defined()) return inv.fail(make_error(Errc::kInvalidArgument, "no default wallet address: use --from"));
        from = *a;
    }
    chain::Message m;
    m.from = from;
    m.to = *to;
    m.value = *amount;
    const auto json = chain::to_json_string(m);
    auto r = node_call(inv, "Filecoin.MpoolPushMessage", raw_params({json, "null"}));
    if (!r) return inv.fail(r.error());
    auto sm = chain::from_json_string<chain::SignedMessage>(r->text);
    if (!sm) return inv.fail(sm.error());
    auto cid = sm->cid();
    if (!cid) return inv.fail(cid.error());
    inv.out << cid->to_string() << "\n";
    return kExitOk;
}

}  // namespace

void add_mpool_commands(CommandTable& t) {
    t.add({{"mpool", "pending"},
           "",
           "Prints pending messages (SignedMessage JSON).",
           {{"local", "", "only messages from addresses in the node's wallet"},
            {"from", "ADDR", "only messages from this address"}},
           cmd_pending});
    t.add({{"mpool", "push"}, "<signed-message-json|hex>", "Pushes a signed message; prints its CID.", {}, cmd_push, 1, 1});
    t.add({{"mpool", "nonce"}, "<address>", "Prints the next nonce of an address.", {}, cmd_nonce, 1, 1});
    t.add({{"send"},
           "<target> <amount>",
           "Sends FIL (MpoolPushMessage: the node estimates gas and signs); prints the message CID.",
           {{"from", "ADDR", "sender (default: the wallet's default address)"}},
           cmd_send,
           2,
           2});
}

}  // namespace venus::cli
