// SPDX-License-Identifier: Apache-2.0 OR MIT
// `venusd chain export-genesis FILE`: the running node's genesis as a CAR, fetched over its
// JSON-RPC API (ChainGetGenesis, then ChainReadObj for every reachable block), so it works against
// any node the CLI can reach (and against Lotus, whose API has the same two methods).
#include <filesystem>
#include <fstream>
#include <system_error>

#include "node/sync/genesis_car.hpp"
#include "venus/cli/cli.hpp"
#include "venus/rpc/client.hpp"
#include "venus/rpc/json.hpp"

namespace venus::cli {

namespace {

rpc::RawJson cid_param(const codec::Cid& c) {
    return rpc::make_params([&](rpc::JsonOut& o) {
        o.StartObject();
        rpc::write_key(o, "/");
        rpc::write_string(o, c.to_string());
        o.EndObject();
    });
}

Result<codec::Cid> genesis_cid(rpc::HttpRpcClient& client) {
    VENUS_TRY(auto r, client.call("Filecoin.ChainGetGenesis"));
    rpc::JsonDocument d;
    VENUS_TRY_VOID(rpc::parse_json(r.text, d));
    if (!d.IsObject() || !d.HasMember("Cids") || !d["Cids"].IsArray() || d["Cids"].Empty() ||
        !d["Cids"][0].IsObject() || !d["Cids"][0].HasMember("/") || !d["Cids"][0]["/"].IsString()) {
        return make_error(Errc::kInvalidArgument, "unexpected ChainGetGenesis result");
    }
    return codec::Cid::parse(d["Cids"][0]["/"].GetString());
}

int cmd_export_genesis(Invocation& inv) {
    auto client = inv.client("/rpc/v1");
    if (!client) return inv.fail(client.error());
    auto root = genesis_cid(**client);
    if (!root) return inv.fail(root.error());
    auto* c = client->get();
    auto car = plugins::node::sync::export_genesis_car(*root, [c](const codec::Cid& cid) -> Result<Bytes> {
        VENUS_TRY(auto r, c->call("Filecoin.ChainReadObj", cid_param(cid)));
        rpc::JsonDocument d;
        VENUS_TRY_VOID(rpc::parse_json(r.text, d));
        if (!d.IsString()) return make_error(Errc::kInvalidArgument, "unexpected ChainReadObj result");
        return from_base64(std::string_view(d.GetString(), d.GetStringLength()));
    });
    if (!car) return inv.fail(car.error());
    // Written beside the target and renamed: a reader never sees half a genesis.
    const std::filesystem::path target = inv.args[0];
    const std::filesystem::path tmp = target.string() + ".tmp";
    {
        std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
        f.write(reinterpret_cast<const char*>(car->data()), static_cast<std::streamsize>(car->size()));
        f.flush();
        if (!f) return inv.fail(make_error(Errc::kIo, "cannot write {}", tmp.string()));
    }
    std::error_code ec;
    std::filesystem::rename(tmp, target, ec);
    if (ec) return inv.fail(make_error(Errc::kIo, "cannot rename {} to {}: {}", tmp.string(), target.string(), ec.message()));
    if (inv.global.json) {
        inv.out << R"({"Genesis":{"/":")" << root->to_string() << R"("},"Bytes":)" << car->size() << "}\n";
    } else {
        inv.out << "genesis " << root->to_string() << " written to " << target.string() << " (" << car->size()
                << " bytes)\n";
    }
    return kExitOk;
}

}  // namespace

void add_sync_commands(CommandTable& t) {
    t.add({{"chain", "export-genesis"},
           "<file>",
           "Writes the node's genesis as a CAR v1 file (genesis block as root, with its state and messages)",
           {},
           cmd_export_genesis,
           1,
           1});
}

}  // namespace venus::cli
