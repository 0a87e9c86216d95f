// SPDX-License-Identifier: Apache-2.0 OR MIT
// The message-index methods and the remaining reads in a real daemon, over HTTP at /rpc/v1 and
// /rpc/v0 (v0 parameter shapes), and StateWaitMsg holding no worker thread while it waits.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "support/daemon.hpp"
#include "venus/rpc/client.hpp"

using namespace venus;
using venus::test::Daemon;

namespace {

rapidjson::Document parse(const rpc::RawJson& j) {
    rapidjson::Document d;
    REQUIRE(rpc::parse_json(j.text, d).ok());
    return d;
}

// A valid message CID no node has seen (the CID of an empty message to t01).
const std::string kUnknownMsg = "bafy2bzacedho4mpm7it5j6ise52jmtml4ug5fpeeop72qvsemlxuihr7dkjqa";

}  // namespace

TEST_CASE("node daemon: StateSearchMsg/StateWaitMsg/StateGetReceipt in v1 and v0 shapes, remaining reads",
          "[integration][node]") {
    Daemon d({"--enable", "node"});
    REQUIRE(d.start());
    rpc::HttpRpcClient v1(d.api_info());
    rpc::HttpRpcClient v0(d.api_info(), "/rpc/v0");
    const std::string cid = "{\"/\":\"" + kUnknownMsg + "\"}";

    auto s1 = v1.call("Filecoin.StateSearchMsg", rpc::RawJson{"[[], " + cid + ", -1, true]"});
    REQUIRE(s1.ok());
    CHECK(s1->text == "null");
    auto s0 = v0.call("Filecoin.StateSearchMsg", rpc::RawJson{"[" + cid + "]"});
    REQUIRE(s0.ok());
    CHECK(s0->text == "null");
    auto wrong = v1.call("Filecoin.StateSearchMsg", rpc::RawJson{"[" + cid + "]"});
    REQUIRE_FALSE(wrong.ok());
    CHECK_THAT(wrong.error().message, Catch::Contains("wrong param count"));
    auto limited = v0.call("Filecoin.StateSearchMsgLimited", rpc::RawJson{"[" + cid + ", 10]"});
    REQUIRE(limited.ok());
    CHECK(limited->text == "null");
    auto receipt = v0.call("Filecoin.StateGetReceipt", rpc::RawJson{"[" + cid + ", []]"});
    REQUIRE(receipt.ok());
    CHECK(receipt->text == "null");
    CHECK_FALSE(v1.call("Filecoin.StateGetReceipt", rpc::RawJson{"[" + cid + ", []]"}).ok());
    auto bad_cid = v1.call("Filecoin.StateSearchMsg", rpc::RawJson{"[[], {\"/\":\"nope\"}, -1, true]"});
    CHECK_FALSE(bad_cid.ok());

    auto head = parse(*v1.call("Filecoin.ChainHead"));
    const std::string genesis = head["Cids"][0]["/"].GetString();
    auto path = v1.call("Filecoin.ChainGetPath", rpc::RawJson{"[[{\"/\":\"" + genesis + "\"}], []]"});
    REQUIRE(path.ok());
    CHECK(path->text == "[]");
    auto msg = v1.call("Filecoin.ChainGetMessage", rpc::RawJson{"[" + cid + "]"});
    REQUIRE_FALSE(msg.ok());
    CHECK_THAT(msg.error().message, Catch::Contains("failed to load message"));

    auto actors = parse(*v1.call("Filecoin.StateListActors", rpc::RawJson{"[[]]"}));
    REQUIRE(actors.IsArray());
    CHECK(actors.Size() >= 10);
    auto robust = v1.call("Filecoin.StateLookupRobustAddress", rpc::RawJson{"[\"t0100\", []]"});
    REQUIRE(robust.ok());
    auto key = v1.call("Filecoin.StateAccountKey", rpc::RawJson{"[\"t0100\", []]"});
    REQUIRE(key.ok());
    CHECK(robust->text == key->text);
    auto nv = v1.call("Filecoin.StateNetworkVersion", rpc::RawJson{"[[]]"});
    REQUIRE(nv.ok());
    auto codes = parse(*v1.call("Filecoin.StateActorCodeCIDs", rpc::RawJson{"[" + nv->text + "]"}));
    REQUIRE(codes.IsObject());
    CHECK(codes.HasMember("storageminer"));
    CHECK(codes.HasMember("account"));
    auto manifest = v1.call("Filecoin.StateActorManifestCID", rpc::RawJson{"[" + nv->text + "]"});
    REQUIRE(manifest.ok());
    CHECK_FALSE(v1.call("Filecoin.StateActorManifestCID", rpc::RawJson{"[3]"}).ok());
    auto st = parse(*v1.call("Filecoin.StateReadState", rpc::RawJson{"[\"t01000\", []]"}));
    CHECK(st["Code"]["/"].GetString() == std::string(codes["storageminer"]["/"].GetString()));
    CHECK(st["State"].HasMember("Info"));
    auto missing = v1.call("Filecoin.StateReadState", rpc::RawJson{"[\"t09999\", []]"});
    REQUIRE_FALSE(missing.ok());
    CHECK_THAT(missing.error().message, Catch::Contains("actor not found"));

    // Waiters hold no worker thread: many pending StateWaitMsg calls leave reads answering.
    std::vector<std::thread> waiters;
    for (int i = 0; i < 16; ++i) {
        waiters.emplace_back([&, i] {
            rpc::HttpRpcClient c(d.api_info(), i % 2 ? "/rpc/v0" : "/rpc/v1", std::chrono::milliseconds(1500));
            auto r = c.call("Filecoin.StateWaitMsg",
                            rpc::RawJson{i % 2 ? "[" + cid + ", 0]" : "[" + cid + ", 0, -1, true]"});
            CHECK_FALSE(r.ok());  // never included: the client gives up
        });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < 5; ++i) REQUIRE(v1.call("Filecoin.StateListActors", rpc::RawJson{"[[]]"}).ok());
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(1000));
    for (auto& t : waiters) t.join();
    CHECK(v1.call("Filecoin.ChainHead").ok());
}

TEST_CASE("node daemon: StateWaitMsg over WebSocket survives disconnects and ends cleanly at shutdown",
          "[integration][node]") {
    Daemon d({"--enable", "node"});
    REQUIRE(d.start());
    const std::string params = "[{\"/\":\"" + kUnknownMsg + "\"}, 0, -1, true]";
    {
        // A client that disconnects with a wait pending.
        auto gone = rpc::WsRpcClient::connect(d.api_info());
        REQUIRE(gone.ok());
        (*gone)->call_async("Filecoin.StateWaitMsg", rpc::RawJson{params}, [](Result<rpc::RawJson>) {});
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    auto ws = rpc::WsRpcClient::connect(d.api_info());
    REQUIRE(ws.ok());
    std::atomic<bool> answered{false};
    std::string error;
    std::mutex mu;
    (*ws)->call_async("Filecoin.StateWaitMsg", rpc::RawJson{params}, [&](Result<rpc::RawJson> r) {
        std::lock_guard lock(mu);
        if (!r) error = r.error().message;
        answered = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CHECK_FALSE(answered.load());
    CHECK((*ws)->call("Filecoin.ChainHead").ok());  // the connection still serves while it waits
    // Stopping the node ends the wait (an error to the client), and the daemon exits cleanly.
    CHECK(d.stop() == 0);
    REQUIRE(venus::test::wait_until([&] { return answered.load(); }, std::chrono::seconds(10)));
    std::lock_guard lock(mu);
    CHECK_FALSE(error.empty());
}
