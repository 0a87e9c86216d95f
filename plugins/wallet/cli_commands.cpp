// SPDX-License-Identifier: Apache-2.0 OR MIT
// `venusd wallet …`: the built-in wallet's keys (Lotus `wallet` command shapes), as a JSON-RPC client
// of the daemon that runs the wallet module (`--repo DIR` picks it). Compiled into venus_cli.
#include <iostream>
#include <iterator>
#include <ostream>

#include "venus/cli/cli.hpp"
#include "venus/chain/bigint.hpp"
#include "venus/chain/keys.hpp"
#include "venus/rpc/client.hpp"
#include "venus/rpc/json.hpp"

namespace venus::cli {

namespace {

Result<rpc::RawJson> wallet_call(Invocation& inv, std::string_view method, const rpc::RawJson& params = rpc::RawJson{"[]"}) {
    VENUS_TRY(auto client, inv.client("/rpc/v1", "WALLET_API_INFO"));
    return client->call(method, params);
}

rpc::RawJson strings(std::initializer_list<std::string> v) {
    return rpc::make_params([&](rpc::JsonOut& o) {
        for (const auto& s : v) rpc::write_string(o, s);
    });
}

//! Prints a JSON string result bare (an address).
int print_string(Invocation& inv, const Result<rpc::RawJson>& r) {
    if (!r) return inv.fail(r.error());
    rpc::JsonDocument doc;
    if (rpc::parse_json(r->text, doc).ok() && doc.IsString()) {
        inv.out << doc.GetString() << "\n";
    } else {
        inv.out << r->text << "\n";
    }
    return kExitOk;
}

int cmd_new(Invocation& inv) {
    const std::string type = inv.args.empty() ? "secp256k1" : inv.args[0];
    if (type != "secp256k1" && type != "bls") return inv.usage_error("key type must be secp256k1 or bls");
    return print_string(inv, wallet_call(inv, "Filecoin.WalletNew", strings({type})));
}

int cmd_list(Invocation& inv) {
    auto r = wallet_call(inv, "Filecoin.WalletList");
    if (!r) return inv.fail(r.error());
    if (inv.global.json) {
        inv.out << r->text << "\n";
        return kExitOk;
    }
    auto def = wallet_call(inv, "Filecoin.WalletDefaultAddress");
    std::string default_addr;
    rpc::JsonDocument d;
    if (def && rpc::parse_json(def->text, d).ok() && d.IsString()) default_addr = d.GetString();
    rpc::JsonDocument doc;
    if (!rpc::parse_json(r->text, doc) || !(doc.IsArray() || doc.IsNull())) {
        return inv.fail(make_error(Errc::kInvalidArgument, "unexpected WalletList result"));
    }
    if (doc.IsArray()) {
        for (const auto& a : doc.GetArray()) {
            if (!a.IsString()) continue;
            // The balance too when the same daemon runs the node (Lotus's list shows it): a newcomer
            // sees at once which keys hold funds to send from.
            std::string balance;
            auto b = wallet_call(inv, "Filecoin.WalletBalance", strings({a.GetString()}));
            rpc::JsonDocument bd;
            if (b && rpc::parse_json(b->text, bd).ok() && bd.IsString()) {
                if (auto v = chain::BigInt::from_string(bd.GetString())) balance = "  " + chain::format_fil(*v);
            }
            inv.out << a.GetString() << balance << (default_addr == a.GetString() ? "  (default)" : "") << "\n";
        }
    }
    return kExitOk;
}

int cmd_export(Invocation& inv) {
    auto r = wallet_call(inv, "Filecoin.WalletExport", strings({inv.args[0]}));
    if (!r) return inv.fail(r.error());
    auto key = chain::parse_key_info_json(r->text);
    if (!key) return inv.fail(key.error());
    // `lotus wallet export` prints the hex of the KeyInfo JSON.
    inv.out << chain::key_info_hex(*key) << "\n";
    return kExitOk;
}

int cmd_import(Invocation& inv) {
    std::string text;
    if (inv.args.empty() || inv.args[0] == "-") {
        text.assign(std::istreambuf_iterator<char>(inv.in), std::istreambuf_iterator<char>());
    } else {
        text = inv.args[0];
    }
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
    // Lotus's hex form, or the KeyInfo JSON itself.
    auto key = text.starts_with("{") ? chain::parse_key_info_json(text) : chain::parse_key_info_hex(text);
    if (!key) return inv.fail(key.error());
    auto params = rpc::make_params([&](rpc::JsonOut& o) { rpc::write_raw(o, rpc::RawJson{chain::key_info_json(*key)}); });
    auto r = wallet_call(inv, "Filecoin.WalletImport", params);
    if (!r) return inv.fail(r.error());
    rpc::JsonDocument doc;
    if (rpc::parse_json(r->text, doc).ok() && doc.IsString()) inv.out << "imported key " << doc.GetString() << " successfully!\n";
    return kExitOk;
}

int cmd_delete(Invocation& inv) {
    auto r = wallet_call(inv, "Filecoin.WalletDelete", strings({inv.args[0]}));
    if (!r) return inv.fail(r.error());
    return kExitOk;
}

int cmd_sign(Invocation& inv) {
    auto data = from_hex(inv.args[1]);
    if (!data) return inv.usage_error("the message must be hex");
    auto r = wallet_call(inv, "Filecoin.WalletSign", strings({inv.args[0], to_base64(*data)}));
    if (!r) return inv.fail(r.error());
    rpc::JsonDocument doc;
    if (!rpc::parse_json(r->text, doc) || !doc.IsObject() || !doc.HasMember("Type") || !doc["Type"].IsUint() ||
        !doc.HasMember("Data") || !doc["Data"].IsString()) {
        return inv.fail(make_error(Errc::kInvalidArgument, "unexpected WalletSign result"));
    }
    auto sig = from_base64(doc["Data"].GetString());
    if (!sig) return inv.fail(sig.error());
    // As `lotus wallet sign`: hex of type byte ‖ signature.
    Bytes out{static_cast<std::uint8_t>(doc["Type"].GetUint())};
    out.insert(out.end(), sig->begin(), sig->end());
    inv.out << to_hex(out) << "\n";
    return kExitOk;
}

int cmd_default(Invocation& inv) { return print_string(inv, wallet_call(inv, "Filecoin.WalletDefaultAddress")); }

int cmd_set_default(Invocation& inv) {
    auto r = wallet_call(inv, "Filecoin.WalletSetDefault", strings({inv.args[0]}));
    if (!r) return inv.fail(r.error());
    return kExitOk;
}

}  // namespace

void add_wallet_commands(CommandTable& t) {
    t.add({{"wallet", "new"}, "[secp256k1|bls]", "Creates a key in the built-in wallet and prints its address.", {}, cmd_new, 0, 1});
    t.add({{"wallet", "list"}, "", "Lists the wallet's addresses, one per line (with the balance when the daemon runs the node).", {}, cmd_list});
    t.add({{"wallet", "export"}, "<address>", "Prints a key as Lotus KeyInfo hex.", {}, cmd_export, 1, 1});
    t.add({{"wallet", "import"}, "[<hex>|-]", "Imports a Lotus KeyInfo (hex or JSON; stdin by default).", {}, cmd_import, 0, 1});
    t.add({{"wallet", "delete"}, "<address>", "Deletes a key.", {}, cmd_delete, 1, 1});
    t.add({{"wallet", "sign"}, "<address> <hex>", "Signs hex bytes; prints hex of type byte ‖ signature.", {}, cmd_sign, 2, 2});
    t.add({{"wallet", "default"}, "", "Prints the default address.", {}, cmd_default});
    t.add({{"wallet", "set-default"}, "<address>", "Sets the default address.", {}, cmd_set_default, 1, 1});
}

}  // namespace venus::cli
