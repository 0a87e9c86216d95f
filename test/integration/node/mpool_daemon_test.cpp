// SPDX-License-Identifier: Apache-2.0 OR MIT
// The message pool in a real daemon over HTTP: a secp-signed transfer from a genesis key is pushed,
// listed, advances MpoolGetNonce and survives a restart; gas estimation and StateCall answer; the
// `venusd mpool …` and `venusd send` commands work against it.
#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>
#include <mutex>
#include <sstream>

#include "support/daemon.hpp"
#include "venus/chain/json.hpp"
#include "venus/chain/keys.hpp"
#include "venus/rpc/client.hpp"

using namespace venus;
using venus::test::Daemon;
using venus::test::run_venusd;
using Catch::Matchers::Contains;

namespace {

rapidjson::Document parse(const rpc::RawJson& j) {
    rapidjson::Document d;
    REQUIRE(rpc::parse_json(j.text, d).ok());
    return d;
}

// The genesis accounts' keys, from <repo>/keystore/genesis/.
std::vector<chain::KeyInfo> genesis_account_keys(const std::filesystem::path& repo) {
    const auto dir = repo / "keystore" / "genesis";
    std::ifstream idx(dir / "genesis-keys.json");
    std::stringstream ss;
    ss << idx.rdbuf();
    auto doc = chain::parse_json(ss.str()).value();
    std::vector<chain::KeyInfo> out;
    for (const auto& e : doc.GetArray()) {
        if (std::string(e["Role"].GetString()) != "account") continue;
        std::ifstream f(dir / (std::string(e["Address"].GetString()) + ".key"));
        std::stringstream ks;
        ks << f.rdbuf();
        out.push_back(chain::parse_key_info_json(ks.str()).value());
    }
    return out;
}

std::string transfer_json(const chain::KeyInfo& key, const chain::Address& to, std::uint64_t nonce, std::int64_t value) {
    chain::Message m;
    m.from = chain::key_address(key).value();
    m.to = to;
    m.nonce = nonce;
    m.value = value;
    m.gas_limit = 10'000'000;
    m.gas_fee_cap = 300'000'000;
    m.gas_premium = 1000;
    return chain::to_json_string(chain::sign_message(key, m).value());
}

}  // namespace

TEST_CASE("mpool daemon: push over HTTP, pending, nonce, restart, estimation, CLI", "[integration][node][mpool]") {
    venus::test::TempDir tmp;
    const auto repo = tmp.path() / "repo";
    std::string cid;
    std::string from;
    {
        Daemon d({"--enable", "node"}, {}, repo);
        REQUIRE(d.start());
        rpc::HttpRpcClient c(d.api_info());
        auto keys = genesis_account_keys(repo);
        REQUIRE(keys.size() >= 2);
        REQUIRE(keys[0].type == chain::SigType::kSecp256k1);
        from = chain::key_address(keys[0]).value().to_string();
        const auto to = chain::key_address(keys[1]).value();

        auto nonce = c.call("Filecoin.MpoolGetNonce", rpc::RawJson{"[\"" + from + "\"]"});
        REQUIRE(nonce.ok());
        CHECK(nonce->text == "0");

        auto pushed = c.call("Filecoin.MpoolPush", rpc::RawJson{"[" + transfer_json(keys[0], to, 0, 1000) + "]"});
        REQUIRE(pushed.ok());
        cid = parse(*pushed)["/"].GetString();

        auto again = c.call("Filecoin.MpoolPush", rpc::RawJson{"[" + transfer_json(keys[0], to, 0, 1000) + "]"});
        REQUIRE_FALSE(again.ok());
        CHECK_THAT(again.error().message, Contains("message with nonce already exists"));

        auto pending = c.call("Filecoin.MpoolPending", rpc::RawJson{"[[]]"});
        REQUIRE(pending.ok());
        auto pdoc = parse(*pending);
        REQUIRE(pdoc.Size() == 1);
        CHECK(std::string(pdoc[0]["CID"]["/"].GetString()) == cid);
        nonce = c.call("Filecoin.MpoolGetNonce", rpc::RawJson{"[\"" + from + "\"]"});
        REQUIRE(nonce.ok());
        CHECK(nonce->text == "1");

        auto cfg = c.call("Filecoin.MpoolGetConfig");
        REQUIRE(cfg.ok());
        CHECK(parse(*cfg)["SizeLimitHigh"].GetInt64() == 30000);

        const std::string unsigned_msg = "{\"To\":\"" + to.to_string() + "\",\"From\":\"" + from +
                                         "\",\"Nonce\":0,\"Value\":\"5\",\"GasLimit\":0,\"GasFeeCap\":\"0\","
                                         "\"GasPremium\":\"0\",\"Method\":0,\"Params\":null}";
        auto est = c.call("Filecoin.GasEstimateMessageGas", rpc::RawJson{"[" + unsigned_msg + ",null,[]]"});
        REQUIRE(est.ok());
        auto edoc = parse(*est);
        CHECK(edoc["GasLimit"].GetInt64() > 0);
        CHECK(std::string(edoc["GasFeeCap"].GetString()) != "0");
        auto batch = c.call("Filecoin.GasBatchEstimateMessageGas",
                            rpc::RawJson{"[[{\"Msg\":" + unsigned_msg + ",\"Spec\":{\"GasOverEstimation\":1.25}}],1,[]]"});
        REQUIRE(batch.ok());
        CHECK(parse(*batch)[0]["Msg"]["Nonce"].GetUint64() == 1);

        auto call = c.call("Filecoin.StateCall", rpc::RawJson{"[" + unsigned_msg + ",[]]"});
        REQUIRE(call.ok());
        auto cdoc = parse(*call);
        CHECK(cdoc["MsgRct"]["ExitCode"].GetInt64() == 0);
        CHECK(cdoc.HasMember("ExecutionTrace"));

        auto sel = c.call("Filecoin.MpoolSelects", rpc::RawJson{"[[],[0.9,0.5]]"});
        REQUIRE(sel.ok());
        auto sdoc = parse(*sel);
        REQUIRE(sdoc.Size() == 2);
        CHECK(sdoc[0].Size() + sdoc[1].Size() == 1);

        // No wallet module: MpoolPushMessage says so.
        auto pm = c.call("Filecoin.MpoolPushMessage", rpc::RawJson{"[" + unsigned_msg + ",null]"});
        REQUIRE_FALSE(pm.ok());
        CHECK_THAT(pm.error().message, Contains("no wallet"));
        // MpoolSub needs a channel: plain HTTP is refused as go-jsonrpc does.
        CHECK_FALSE(c.call("Filecoin.MpoolSub").ok());

        // The CLI against the same daemon.
        auto n = run_venusd({"--repo", repo.string(), "mpool", "nonce", from});
        CHECK(n.exit_code == 0);
        CHECK(n.out == "1\n");
        auto p2 = run_venusd({"--repo", repo.string(), "mpool", "push", transfer_json(keys[0], to, 1, 7)});
        CHECK(p2.exit_code == 0);
        CHECK(p2.out.size() > 50);
        auto pend = run_venusd({"--repo", repo.string(), "mpool", "pending", "--from", from});
        CHECK(pend.exit_code == 0);
        CHECK_THAT(pend.out, Contains(cid) && Contains("\"Nonce\": 1"));
        auto bad = run_venusd({"--repo", repo.string(), "mpool", "push", "zz"});
        CHECK(bad.exit_code != 0);
        CHECK(d.stop() == 0);
    }
    {
        // Restart: the pushed messages come back from LMDB.
        Daemon d({"--enable", "node"}, {}, repo);
        REQUIRE(d.start());
        rpc::HttpRpcClient c(d.api_info());
        auto pending = c.call("Filecoin.MpoolPending", rpc::RawJson{"[[]]"});
        REQUIRE(pending.ok());
        auto pdoc = parse(*pending);
        REQUIRE(pdoc.Size() == 2);
        CHECK(std::string(pdoc[0]["CID"]["/"].GetString()) == cid);
        auto nonce = c.call("Filecoin.MpoolGetNonce", rpc::RawJson{"[\"" + from + "\"]"});
        REQUIRE(nonce.ok());
        CHECK(nonce->text == "2");
        CHECK(d.stop() == 0);
    }
}

TEST_CASE("mpool daemon: venusd send signs with the built-in wallet", "[integration][node][mpool]") {
    venus::test::TempDir tmp;
    const auto repo = tmp.path() / "repo";
    Daemon d({"--enable", "node,wallet"}, {}, repo);
    REQUIRE(d.start());
    auto keys = genesis_account_keys(repo);
    const auto from = chain::key_address(keys[0]).value().to_string();
    const auto to = chain::key_address(keys[1]).value().to_string();
    // MpoolSub over WebSocket sees the add, then the remove.
    auto ws = rpc::WsRpcClient::connect(d.api_info());
    REQUIRE(ws.ok());
    std::mutex mu;
    std::vector<std::string> updates;
    auto sub = (*ws)->subscribe(
        "Filecoin.MpoolSub", rpc::RawJson{"[]"},
        [&](rpc::RawJson v) {
            std::lock_guard lock(mu);
            updates.push_back(v.text);
        },
        [] {});
    REQUIRE(sub.ok());
    auto imp = run_venusd({"--repo", repo.string(), "wallet", "import", chain::key_info_json(keys[0])});
    REQUIRE(imp.exit_code == 0);
    auto sent = run_venusd({"--repo", repo.string(), "send", "--from", from, to, "0.5"});
    INFO(sent.err);
    REQUIRE(sent.exit_code == 0);
    const auto cid = sent.out.substr(0, sent.out.size() - 1);
    rpc::HttpRpcClient c(d.api_info());
    auto pending = c.call("Filecoin.MpoolPending", rpc::RawJson{"[[]]"});
    REQUIRE(pending.ok());
    auto pdoc = parse(*pending);
    REQUIRE(pdoc.Size() == 1);
    CHECK(std::string(pdoc[0]["CID"]["/"].GetString()) == cid);
    CHECK(std::string(pdoc[0]["Message"]["Value"].GetString()) == "500000000000000000");
    REQUIRE(venus::test::wait_until([&] {
        std::lock_guard lock(mu);
        return !updates.empty();
    }, std::chrono::seconds(10)));
    REQUIRE(c.call("Filecoin.MpoolClear", rpc::RawJson{"[true]"}).ok());
    REQUIRE(venus::test::wait_until([&] {
        std::lock_guard lock(mu);
        return updates.size() >= 2;
    }, std::chrono::seconds(10)));
    {
        std::lock_guard lock(mu);
        auto add = parse(rpc::RawJson{updates[0]});
        CHECK(add["Type"].GetInt() == 0);
        CHECK(std::string(add["Message"]["CID"]["/"].GetString()) == cid);
        auto rm = parse(rpc::RawJson{updates[1]});
        CHECK(rm["Type"].GetInt() == 1);
        CHECK(std::string(rm["Message"]["CID"]["/"].GetString()) == cid);
    }
    auto usage = run_venusd({"--repo", repo.string(), "send", to});
    CHECK(usage.exit_code == 2);
    CHECK(d.stop() == 0);
}
