// SPDX-License-Identifier: Apache-2.0 OR MIT
// The node module in a real daemon: genesis on first start, the Lotus read methods over HTTP,
// ChainNotify over WebSocket, and the same chain after a restart.
#include <catch2/catch.hpp>

#include <atomic>

#include "support/daemon.hpp"
#include "venus/chain/json.hpp"
#include "venus/rpc/client.hpp"

using namespace venus;
using venus::test::Daemon;

namespace {

rapidjson::Document parse(const rpc::RawJson& j) {
    rapidjson::Document d;
    REQUIRE(rpc::parse_json(j.text, d).ok());
    return d;
}

}  // namespace

TEST_CASE("node daemon: genesis, chain and state reads, ChainNotify, restart", "[integration][node]") {
    venus::test::TempDir tmp;
    const auto repo = tmp.path() / "repo";
    std::string genesis_cid;
    {
        Daemon d({"--enable", "node"}, {}, repo);
        REQUIRE(d.start());
        rpc::HttpRpcClient c(d.api_info());

        auto head = c.call("Filecoin.ChainHead");
        REQUIRE(head.ok());
        auto ts = chain::from_json_string<chain::TipSet>(head->text);
        REQUIRE(ts.ok());
        CHECK(ts->height() == 0);
        // Clients recompute block CIDs from the JSON: the header must round-trip.
        auto doc = parse(*head);
        genesis_cid = doc["Cids"][0]["/"].GetString();
        CHECK(ts->cids().front().to_string() == genesis_cid);

        auto gen = c.call("Filecoin.ChainGetGenesis");
        REQUIRE(gen.ok());
        CHECK(parse(*gen)["Cids"][0]["/"].GetString() == genesis_cid);

        auto block = c.call("Filecoin.ChainGetBlock", rpc::RawJson{"[{\"/\":\"" + genesis_cid + "\"}]"});
        REQUIRE(block.ok());
        CHECK(parse(*block)["Miner"].GetString() == std::string("t00"));

        auto raw = c.call("Filecoin.ChainReadObj", rpc::RawJson{"[{\"/\":\"" + genesis_cid + "\"}]"});
        REQUIRE(raw.ok());
        auto bytes = from_base64(parse(*raw).GetString());
        REQUIRE(bytes.ok());
        CHECK(codec::cbor_cid(*bytes).to_string() == genesis_cid);

        auto miner = c.call("Filecoin.StateGetActor", rpc::RawJson{"[\"t01000\", []]"});
        REQUIRE(miner.ok());
        CHECK(parse(*miner)["Code"]["/"].GetString() ==
              std::string("bafk2bzacebmdlcmrseltgqqcw36q4njwp5cjw24kqf5q5cohonhbbrhv3hxbk"));

        auto info = c.call("Filecoin.StateMinerInfo", rpc::RawJson{"[\"t01000\", []]"});
        REQUIRE(info.ok());
        auto info_doc = parse(*info);
        CHECK(info_doc["SectorSize"].GetUint64() == 2048);
        CHECK(info_doc["NewWorker"].GetString() == std::string("<empty>"));
        auto power = c.call("Filecoin.StateMinerPower", rpc::RawJson{"[\"t01000\", []]"});
        REQUIRE(power.ok());
        CHECK(parse(*power)["TotalPower"]["RawBytePower"].GetString() == std::string("2048"));
        auto miners = c.call("Filecoin.StateListMiners", rpc::RawJson{"[[]]"});
        REQUIRE(miners.ok());
        CHECK(miners->text == "[\"t01000\"]");
        auto receipts = c.call("Filecoin.ChainGetParentReceipts", rpc::RawJson{"[{\"/\":\"" + genesis_cid + "\"}]"});
        REQUIRE(receipts.ok());
        CHECK(receipts->text == "null");
        auto parents = c.call("Filecoin.ChainGetParentMessages", rpc::RawJson{"[{\"/\":\"" + genesis_cid + "\"}]"});
        REQUIRE(parents.ok());
        CHECK(parents->text == "[]");

        auto missing = c.call("Filecoin.StateGetActor", rpc::RawJson{"[\"t09999\", []]"});
        REQUIRE_FALSE(missing.ok());
        CHECK(missing.error().message.find("actor not found") != std::string::npos);

        auto name = c.call("Filecoin.StateNetworkName");
        REQUIRE(name.ok());
        CHECK(name->text == "\"venusd-devnet\"");
        auto nv = c.call("Filecoin.StateNetworkVersion", rpc::RawJson{"[[]]"});
        REQUIRE(nv.ok());
        CHECK(nv->text == "26");
        auto params = c.call("Filecoin.StateGetNetworkParams");
        REQUIRE(params.ok());
        CHECK(parse(*params)["BlockDelaySecs"].GetUint64() == 4);

        // The first genesis account (t0100) is funded; its key address resolves back to it.
        auto key = c.call("Filecoin.StateAccountKey", rpc::RawJson{"[\"t0100\", []]"});
        REQUIRE(key.ok());
        const std::string key_addr = parse(*key).GetString();
        auto id = c.call("Filecoin.StateLookupID", rpc::RawJson{"[\"" + key_addr + "\", []]"});
        REQUIRE(id.ok());
        CHECK(id->text == "\"t0100\"");
        auto bal = c.call("Filecoin.WalletBalance", rpc::RawJson{"[\"" + key_addr + "\"]"});
        REQUIRE(bal.ok());
        CHECK(bal->text == "\"1000000000000000000000000\"");
        CHECK(std::filesystem::exists(repo / "keystore" / "genesis" / (key_addr + ".key")));

        auto ws = rpc::WsRpcClient::connect(d.api_info());
        REQUIRE(ws.ok());
        std::atomic<int> values{0};
        std::string first;
        std::mutex mu;
        auto sub = (*ws)->subscribe(
            "Filecoin.ChainNotify", rpc::RawJson{"[]"},
            [&](rpc::RawJson v) {
                std::lock_guard lock(mu);
                if (values++ == 0) first = v.text;
            },
            [] {});
        REQUIRE(sub.ok());
        REQUIRE(venus::test::wait_until([&] { return values.load() >= 1; }, std::chrono::seconds(10)));
        std::lock_guard lock(mu);
        auto notify = parse(rpc::RawJson{first});
        REQUIRE(notify.IsArray());
        CHECK(notify[0]["Type"].GetString() == std::string("current"));
        CHECK(notify[0]["Val"]["Cids"][0]["/"].GetString() == genesis_cid);
    }
    {
        Daemon d({"--enable", "node"}, {}, repo);
        REQUIRE(d.start());
        rpc::HttpRpcClient c(d.api_info());
        auto head = c.call("Filecoin.ChainHead");
        REQUIRE(head.ok());
        CHECK(parse(*head)["Cids"][0]["/"].GetString() == genesis_cid);
    }
}
