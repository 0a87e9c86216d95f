// SPDX-License-Identifier: Apache-2.0 OR MIT
// The miner module end to end, in sophon's topology: one venusd with auth, gateway, node and miner
// at a 1 s block delay; the storage provider's wallet (genesis worker key, mock prover) in a second
// venusd connected to the gateway with the user's token. The chain grows with blocks the node
// validated, `Stop` stops the miner's blocks (persisted in auth), and CountWinners agrees with the
// chain.
#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "support/daemon.hpp"
#include "support/devnet.hpp"
#include "support/json.hpp"
#include "venus/chain/json.hpp"
#include "venus/chain/keys.hpp"
#include "venus/rpc/client.hpp"

using namespace venus;
using venus::test::parse;
using venus::test::Daemon;
using venus::test::run_venusd;
using namespace std::chrono_literals;

namespace {

std::string read_file(const std::filesystem::path& p) {
    std::ifstream f(p);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

chain::KeyInfo miner0_worker(const std::filesystem::path& repo) {
    const auto dir = repo / "keystore" / "genesis";
    auto index = parse(read_file(dir / "genesis-keys.json"));
    for (const auto& e : index.GetArray()) {
        if (std::string(e["Role"].GetString()) == "miner 0 worker") {
            return chain::parse_key_info_json(read_file(dir / (std::string(e["Address"].GetString()) + ".key"))).value();
        }
    }
    FAIL("no worker key in genesis-keys.json");
    return {};
}

chain::TipSet head(rpc::HttpRpcClient& c) {
    auto r = c.call("Filecoin.ChainHead");
    REQUIRE(r);
    return chain::from_json_string<chain::TipSet>(r->text).value();
}

}  // namespace

TEST_CASE("miner daemon: mines a validated chain, stops on Stop, CountWinners matches", "[integration][miner]") {
    test::TempDir tmp;
    const auto repo = tmp.path() / "chain";
    std::filesystem::create_directories(repo);
    std::ofstream(repo / "config.toml") << "[node]\nnetwork_file = \"" << test::fast_network(tmp.path()).string()
                                        << "\"\n[miner]\nminer_poll_interval = \"1s\"\nminer_once_timeout = \"5s\"\n"
                                        // alice owns t01000 from the start (no rounds for the daemon's user)
                                        << "[auth]\nbind_genesis_miners = false\n";
    Daemon d({"--enable", "auth,gateway,node,miner"}, {}, repo);
    REQUIRE(d.start());
    rpc::HttpRpcClient admin(d.api_info(), "/rpc/v1");

    // A storage provider: user alice owns t01000; her wallet process holds its worker key and proves.
    auto rest = [&](const std::string& method, const std::string& path, const std::string& body) {
        auto r = admin.request(method, path, body);
        REQUIRE(r);
        INFO(r->body);
        REQUIRE(r->status == 200);
        return r->body;
    };
    rest("PUT", "/user/new", R"({"Name":"alice","State":1})");
    auto token = parse(rest("POST", "/genToken", R"({"name":"alice","perm":"sign"})"));
    rest("POST", "/user/miner/add", R"({"User":"alice","Miner":"t01000","OpenMining":true})");
    rpc::ApiInfo alice = d.api_info();
    alice.token = token["token"].GetString();
    const auto worker = miner0_worker(repo);

    test::TempDir wallet_repo;
    std::ofstream(wallet_repo.path() / "config.toml") << "[wallet]\nprover_miners = [\"t01000\"]\n";
    Daemon w({"--enable", "wallet", "--wallet-gateway", alice.to_string()}, "", wallet_repo.path());
    REQUIRE(w.start());
    {
        rpc::HttpRpcClient wc(w.api_info());
        REQUIRE(wc.call("Filecoin.WalletImport", rpc::make_params([&](rpc::JsonOut& o) {
                            rpc::write_raw(o, rpc::RawJson{chain::key_info_json(worker)});
                        })));
    }
    rpc::HttpRpcClient gw(d.api_info(), "/rpc/v2");
    REQUIRE(test::wait_until([&] {
        auto r = gw.call("Gateway.ListConnectedMiners");
        return r && r->text.find("t01000") != std::string::npos;
    }, 15s));

    auto listed = admin.call("Filecoin.UpdateAddress", rpc::RawJson{"[0, 0]"});
    REQUIRE(listed);
    CHECK(listed->text.find(R"("Addr":"t01000")") != std::string::npos);
    CHECK(listed->text.find(R"("Name":"alice")") != std::string::npos);

    // The chain grows: every block is t01000's, carries a block signature, and was validated.
    if (!test::wait_until([&] { return head(admin).height() >= 6; }, 40s)) {
        auto st = admin.call("Filecoin.StatesForMining", rpc::RawJson{"[[]]"});
        FAIL("the chain did not grow; miner states: " << (st ? st->text : st.error().message) << "\n" << d.log());
    }
    auto h = head(admin);
    std::int64_t chain_wins = 0;
    std::size_t blocks = 0;
    for (auto ts = h; ts.height() > 0;) {
        for (const auto& b : ts.blocks()) {
            CHECK(b.miner.to_string() == "t01000");
            CHECK(b.block_sig.has_value());
            chain_wins += b.election_proof ? b.election_proof->win_count : 0;
            ++blocks;
        }
        auto p = admin.call("Filecoin.ChainGetTipSet", rpc::RawJson{"[" + chain::to_json_string(ts.parents()) + "]"});
        REQUIRE(p);
        ts = chain::from_json_string<chain::TipSet>(p->text).value();
    }
    auto sync = parse(admin.call("Filecoin.SyncState")->text);
    CHECK(sync["VMApplied"].GetUint64() >= blocks);
    auto mined = admin.call("Filecoin.ListBlocks", rpc::RawJson{R"([{"Miners":["t01000"],"Limit":0,"Offset":0}])"});
    REQUIRE(mined);
    const auto top_cid = h.cids().front().to_string();
    CHECK(mined->text.find(top_cid) != std::string::npos);
    auto states = parse(admin.call("Filecoin.StatesForMining", rpc::RawJson{"[[]]"})->text);
    REQUIRE(states.Size() == 1);
    CHECK(states[0]["IsMining"].GetBool());

    // CountWinners over the chain mined so far (bases 0..h-1 → rounds 1..h) equals the chain's wins.
    auto count = admin.call("Filecoin.CountWinners",
                            rpc::RawJson{"[[\"t01000\"], 0, " + std::to_string(h.height() - 1) + "]"});
    REQUIRE(count);
    auto cw = parse(count->text);
    REQUIRE(cw.Size() == 1);
    CHECK(std::string(cw[0]["miner"].GetString()) == "t01000");
    CHECK(cw[0]["totalWinCount"].GetInt64() == chain_wins);
    auto bad = admin.call("Filecoin.CountWinners", rpc::RawJson{"[[], 0, 100000]"});
    REQUIRE_FALSE(bad);
    CHECK_THAT(bad.error().message, Catch::Contains("greater than cur tipset height"));

    // The CLI over the same methods.
    auto cli = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {"--repo", repo.string()});
        return run_venusd(args);
    };
    auto cli_list = cli({"miner", "address", "list"});
    CHECK(cli_list.exit_code == 0);
    CHECK(cli_list.out.find("t01000") != std::string::npos);
    auto cli_count = cli({"miner", "winner", "count", "--epoch-start", "0", "--epoch-end",
                          std::to_string(h.height() - 1), "t01000"});
    CHECK(cli_count.exit_code == 0);
    CHECK(cli_count.out.find("\"totalWinCount\": " + std::to_string(chain_wins)) != std::string::npos);
    auto cli_blocks = cli({"miner", "blocks", "list", "--limit", "2"});
    CHECK(cli_blocks.exit_code == 0);
    CHECK(cli_blocks.out.find("\"Cid\"") != std::string::npos);
    CHECK(cli({"miner", "winner", "count"}).exit_code == 2);
    CHECK(cli({"miner", "address", "stop"}).exit_code == 2);

    // Stop (from the CLI): persisted in auth, and no block of t01000 after the round in flight.
    auto cli_stop = cli({"miner", "address", "stop", "t01000"});
    REQUIRE(cli_stop.exit_code == 0);
    auto persisted = rest("GET", "/user/miner/list?user=alice", "");
    CHECK(persisted.find(R"("OpenMining":false)") != std::string::npos);
    std::this_thread::sleep_for(2s);
    const auto stopped_at = head(admin).height();
    std::this_thread::sleep_for(4s);
    CHECK(head(admin).height() == stopped_at);
    states = parse(admin.call("Filecoin.StatesForMining", rpc::RawJson{"[[\"t01000\"]]"})->text);
    CHECK_FALSE(states[0]["IsMining"].GetBool());
    auto list = admin.call("Filecoin.ListAddress");
    REQUIRE(list);
    CHECK(list->text.find(R"("OpenMining":false)") != std::string::npos);

    // Start again: blocks resume.
    REQUIRE(admin.call("Filecoin.Start", rpc::RawJson{R"([["t01000"]])"}));
    if (!test::wait_until([&] { return head(admin).height() > stopped_at; }, 20s)) {
        auto st = admin.call("Filecoin.StatesForMining", rpc::RawJson{"[[]]"});
        FAIL("no block after Start; miner states: " << (st ? st->text : st.error().message) << "\n" << d.log());
    }
}
