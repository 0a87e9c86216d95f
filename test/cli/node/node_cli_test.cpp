// SPDX-License-Identifier: Apache-2.0 OR MIT
// `venusd chain|state|sync …` and `venusd wallet balance` against a real daemon (Lotus CLI shapes).
#include <catch2/catch.hpp>

#include "support/daemon.hpp"
#include "venus/rpc/client.hpp"

using namespace venus;
using venus::test::Daemon;
using venus::test::run_venusd;

TEST_CASE("cli node: chain, state, sync and wallet balance commands", "[cli][node]") {
    Daemon d({"--enable", "node"});
    REQUIRE(d.start());
    const std::string repo = d.repo().string();
    auto run = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {"--repo", repo});
        return run_venusd(args);
    };
    rpc::HttpRpcClient c(d.api_info());
    rapidjson::Document head;
    REQUIRE(rpc::parse_json(c.call("Filecoin.ChainHead")->text, head).ok());
    const std::string genesis = head["Cids"][0]["/"].GetString();

    auto h = run({"chain", "head"});
    CHECK(h.exit_code == 0);
    CHECK(h.out == genesis + "\n");
    auto hj = run({"chain", "head", "--json"});
    CHECK(hj.out.find("\"Height\":0") != std::string::npos);

    auto block = run({"chain", "get-block", genesis});
    CHECK(block.exit_code == 0);
    CHECK(block.out.find("\"ParentStateRoot\"") != std::string::npos);
    auto not_msg = run({"chain", "get-message", genesis});
    CHECK(not_msg.exit_code == 1);
    CHECK_FALSE(not_msg.err.empty());
    CHECK(run({"chain", "get-block"}).exit_code == 2);

    auto list = run({"chain", "list", "--count", "5"});
    CHECK(list.exit_code == 0);
    CHECK(list.out.rfind("0: (", 0) == 0);
    CHECK(list.out.find(genesis + ": t0") != std::string::npos);
    CHECK(list.out.back() == '\n');
    CHECK(run({"chain", "list", "--count", "x"}).exit_code == 2);

    auto actor = run({"state", "get-actor", "t0100"});
    CHECK(actor.exit_code == 0);
    CHECK(actor.out.find("Balance:\t1000000 FIL\n") != std::string::npos);
    CHECK(actor.out.find("Nonce:\t\t0\n") != std::string::npos);
    auto missing = run({"state", "get-actor", "t09999"});
    CHECK(missing.exit_code == 1);
    CHECK(missing.err.find("actor not found") != std::string::npos);

    auto key = run({"state", "lookup", "--reverse", "t0100"});
    CHECK(key.exit_code == 0);
    REQUIRE(key.out.size() > 3);
    const std::string key_addr = key.out.substr(0, key.out.size() - 1);
    auto id = run({"state", "lookup", key_addr});
    CHECK(id.out == "t0100\n");

    auto info = run({"state", "miner-info", "t01000"});
    CHECK(info.exit_code == 0);
    CHECK(info.out.find("SectorSize:\t2 KiB (2048)") != std::string::npos);
    auto power = run({"state", "power", "t01000"});
    CHECK(power.exit_code == 0);
    CHECK(power.out.find("~= 100.0000%") != std::string::npos);
    auto total = run({"state", "power"});
    CHECK(total.exit_code == 0);
    CHECK(total.out.find("KiB)") != std::string::npos);

    auto sync = run({"sync", "status"});
    CHECK(sync.exit_code == 0);
    CHECK(sync.out.find("Height") != std::string::npos);
    // `lotus sync status` shapes: tipsets as CID lists, the target with its height.
    CHECK(sync.out.find("\tBase:\t[bafy") != std::string::npos);
    CHECK(sync.out.find("] (0)\n") != std::string::npos);
    CHECK(sync.out.find("\tStage: complete") != std::string::npos);

    auto bal = run({"wallet", "balance", key_addr});
    CHECK(bal.exit_code == 0);
    CHECK(bal.out == "1000000 FIL\n");
    auto none = run({"wallet", "balance", "t1aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"});
    CHECK(none.exit_code != 0);
}
