// SPDX-License-Identifier: Apache-2.0 OR MIT
// Issue 9's faults: a prover slower than the miner's deadline (Timeout recorded, never a late
// block), a wallet holding a worker key that disconnects (its miner records errors, the others go
// on), and miner instances on other hosts (`[miner] node`) that share one slash-filter database:
// they survive a restart of the node, and never publish two blocks for one miner and height.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <regex>
#include <set>
#include <thread>

#include "miner_test_util.hpp"
#include "venus/chain/genesis_keys.hpp"
#include "venus/chain/keys.hpp"

#include "support/devnet.hpp"

using namespace venus;
using namespace venus::test::miner;
using venus::test::Daemon;
using namespace std::chrono_literals;

namespace {

//! Height → miners with a block there, over (from, head].
std::map<chain::ChainEpoch, std::set<std::string>> blocks_by_height(rpc::HttpRpcClient& c, chain::ChainEpoch from) {
    std::map<chain::ChainEpoch, std::set<std::string>> out;
    for (const auto& ts : walk(c, head(c))) {
        if (ts.height() <= from) break;
        for (const auto& b : ts.blocks()) out[ts.height()].insert(b.miner.to_string());
    }
    return out;
}

bool has_block_after(rpc::HttpRpcClient& c, const std::string& miner, chain::ChainEpoch from) {
    for (const auto& [h, ms] : blocks_by_height(c, from)) {
        if (ms.count(miner)) return true;
    }
    return false;
}

//! A storage provider's own wallet process: its user's token, one genesis worker key, a mock prover.
std::unique_ptr<Daemon> provider_wallet(Daemon& d, rpc::HttpRpcClient& admin, const std::filesystem::path& dir,
                                        const std::string& user, const std::string& miner, const chain::KeyInfo& worker,
                                        const std::string& extra_config = {}) {
    auto rest = [&](const std::string& method, const std::string& path, const std::string& body) {
        auto r = admin.request(method, path, body);
        REQUIRE(r);
        INFO(r->body);
        REQUIRE(r->status == 200);
        return r->body;
    };
    rest("PUT", "/user/new", R"({"Name":")" + user + R"(","State":1})");
    auto token = parse(rest("POST", "/genToken", R"({"name":")" + user + R"(","perm":"sign"})"));
    rest("POST", "/user/miner/add", R"({"User":")" + user + R"(","Miner":")" + miner + R"(","OpenMining":true})");
    rpc::ApiInfo info = d.api_info();
    info.token = token["token"].GetString();
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "config.toml") << "[wallet]\nprover_miners = [\"" << miner << "\"]\n" << extra_config;
    auto w = std::make_unique<Daemon>(std::vector<std::string>{"--enable", "wallet", "--wallet-gateway", info.to_string()},
                                      std::string{}, dir);
    REQUIRE(w->start());
    rpc::HttpRpcClient wc(w->api_info());
    REQUIRE(wc.call("Filecoin.WalletImport", rpc::make_params([&](rpc::JsonOut& o) {
                        rpc::write_raw(o, rpc::RawJson{chain::key_info_json(worker)});
                    })));
    return w;
}

chain::KeyInfo worker_of(const std::filesystem::path& repo, int i) {
    auto index = chain::read_genesis_key_index(repo);
    REQUIRE(index.ok());
    REQUIRE(index->has_value());
    for (const auto& k : **index) {
        if (k.role == "miner " + std::to_string(i) + " worker") return chain::read_genesis_key(repo, k.address).value();
    }
    FAIL("no worker key for miner " << i);
    return {};
}

std::vector<std::string> errors_of(rpc::HttpRpcClient& c, const std::string& miner) {
    auto st = parse(c.call("Filecoin.StatesForMining", rpc::RawJson{"[[\"" + miner + "\"]]"})->text);
    std::vector<std::string> out;
    for (const auto& e : st[0]["Err"].GetArray()) out.emplace_back(e.GetString());
    return out;
}

}  // namespace

TEST_CASE("miner faults: a slow prover times out with no late block, a lost wallet errors only its miner",
          "[integration][miner]") {
    test::TempDir tmp;
    const auto repo = tmp.path() / "repo";
    std::filesystem::create_directories(repo);
    // The built-in wallet proves only for t01000 here; bob and carol bring their own wallets.
    std::ofstream(repo / "config.toml") << "[node]\nnetwork_file = \"" << test::fast_network(tmp.path()).string()
                                        << "\"\ngenesis_miners = 3\n[wallet]\ngenesis_keys = false\n"
                                           "prover_miners = [\"t01000\"]\n[miner]\nminer_once_timeout = \"2s\"\n";
    Daemon d({}, {}, repo);
    REQUIRE(d.start());
    rpc::HttpRpcClient admin(d.api_info(), "/rpc/v1");
    REQUIRE(admin.call("Filecoin.WalletImport", rpc::make_params([&](rpc::JsonOut& o) {
                           rpc::write_raw(o, rpc::RawJson{chain::key_info_json(worker_of(repo, 0))});
                       })));
    auto bob = provider_wallet(d, admin, tmp.path() / "bob", "bob", "t01001", worker_of(repo, 1));
    // carol's prover answers after 4 s: past the 2 s a miner gets per round.
    auto carol = provider_wallet(d, admin, tmp.path() / "carol", "carol", "t01002", worker_of(repo, 2),
                                 "test_prover_delay = \"4s\"\n");
    rpc::HttpRpcClient gw(d.api_info(), "/rpc/v2");
    REQUIRE(test::wait_until([&] {
        auto r = gw.call("Gateway.ListWalletInfo");
        return r && r->text.find("bob") != std::string::npos && r->text.find("carol") != std::string::npos;
    }, 15s));
    REQUIRE(admin.call("Filecoin.UpdateAddress", rpc::RawJson{"[0, 0]"}));

    const auto h0 = head(admin).height() + 1;
    if (!test::wait_until([&] { return head(admin).height() >= h0 + 10; }, 60s)) {
        FAIL("the chain stalled behind the slow prover: " << admin.call("Filecoin.StatesForMining", rpc::RawJson{"[[]]"})->text);
    }
    CHECK_FALSE(has_block_after(admin, "t01002", h0));
    CHECK(has_block_after(admin, "t01000", h0));
    CHECK(has_block_after(admin, "t01001", h0));
    auto errs = errors_of(admin, "t01002");
    CHECK(std::any_of(errs.begin(), errs.end(), [](const auto& e) { return e.find("timed out") != std::string::npos; }));
    auto rows = parse(admin.call("Filecoin.ListBlocks", rpc::RawJson{R"([{"Miners":["t01002"],"Limit":0,"Offset":0}])"})->text);
    std::size_t timeouts = 0;
    for (const auto& b : rows.GetArray()) {
        if (b["Epoch"].GetInt64() <= h0) continue;
        CHECK(std::string(b["Cid"].GetString()).empty());  // never a block, not even a late one
        timeouts += b["MineState"].GetInt64() == 2 ? 1 : 0;
    }
    CHECK(timeouts > 0);

    // bob's wallet goes away: t01001 records errors, the others go on.
    bob->stop();
    const auto h2 = head(admin).height();
    REQUIRE(test::wait_until([&] { return head(admin).height() >= h2 + 6; }, 60s));
    CHECK_FALSE(has_block_after(admin, "t01001", h2 + 1));
    CHECK(has_block_after(admin, "t01000", h2 + 1));
    errs = errors_of(admin, "t01001");
    CHECK(std::any_of(errs.begin(), errs.end(), [](const auto& e) { return e.find("bob") != std::string::npos; }));
    for (const auto& e : errors_of(admin, "t01000")) {
        INFO(e);
        CHECK(round_of(e) <= h0);  // t01000 had none since the window opened
    }
}

TEST_CASE("miner faults: two remote miner instances share a slash filter and ride out a node restart",
          "[integration][miner]") {
    test::TempDir tmp;
    const auto repo = tmp.path() / "node";
    std::filesystem::create_directories(repo);
    std::ofstream(repo / "config.toml") << "[node]\nnetwork_file = \"" << test::fast_network(tmp.path()).string() << "\"\n";
    const auto port = test::free_port();
    const std::vector<std::string> node_args{"--enable", "auth,gateway,node,wallet", "--listen",
                                             "/ip4/127.0.0.1/tcp/" + std::to_string(port)};
    auto node = std::make_unique<Daemon>(node_args, std::string{}, repo);
    REQUIRE(node->start());
    const auto info = node->api_info().to_string();
    const auto shared = tmp.path() / "shared-miner.db";
    auto miner = [&](const std::string& name) {
        const auto dir = tmp.path() / name;
        std::filesystem::create_directories(dir);
        std::ofstream(dir / "config.toml") << "[miner]\nnode = \"" << info << "\"\ngateway = \"" << info
                                           << "\"\nauth = \"" << info << "\"\nslash_filter_db = \"" << shared.string()
                                           << "\"\nminer_poll_interval = \"1s\"\nminer_once_timeout = \"3s\"\n";
        auto m = std::make_unique<Daemon>(std::vector<std::string>{"--enable", "miner"}, std::string{}, dir);
        REQUIRE(m->start());
        return m;
    };
    auto a = miner("miner-a");
    auto b = miner("miner-b");
    rpc::HttpRpcClient c(node->api_info());
    REQUIRE(test::wait_until([&] { return head(c).height() >= 6; }, 30s));

    // The node goes down and comes back on the same address: both loops carry on.
    REQUIRE(node->stop() == 0);
    std::this_thread::sleep_for(2s);
    node = std::make_unique<Daemon>(node_args, std::string{}, repo);
    REQUIRE(node->start());
    rpc::HttpRpcClient c2(node->api_info());
    const auto restarted = head(c2).height();
    if (!test::wait_until([&] { return head(c2).height() >= restarted + 6; }, 40s)) {
        FAIL("no blocks after the node restart\n" << a->log() << "\n" << b->log());
    }

    // Never two different blocks of t01000 at one height, between both instances.
    std::map<std::string, std::set<std::string>> cids;  // height → CIDs published
    std::size_t active = 0;
    const std::regex mined(R"(miner t01000 mined block (\S+) at height (\d+))");
    for (const auto* m : {a.get(), b.get()}) {
        const auto log = m->log();
        bool any = false;
        for (std::sregex_iterator it(log.begin(), log.end(), mined), end; it != end; ++it) {
            cids[(*it)[2].str()].insert((*it)[1].str());
            any = true;
        }
        any = any || log.find("already published") != std::string::npos;
        active += any ? 1 : 0;
    }
    CHECK(active == 2);  // both instances took part
    CHECK(cids.size() >= 6);
    for (const auto& [h, set] : cids) {
        INFO("height " << h);
        CHECK(set.size() == 1);
    }
    // The shared records agree with the chain.
    rpc::HttpRpcClient ma(a->api_info(), "/rpc/v0");
    auto rows = parse(ma.call("Filecoin.ListBlocks", rpc::RawJson{R"([{"Miners":[],"Limit":0,"Offset":0}])"})->text);
    std::size_t checked = 0;
    for (const auto& ts : walk(c2, head(c2))) {
        for (const auto& blk : ts.blocks()) {
            for (const auto& r : rows.GetArray()) {
                if (r["Epoch"].GetInt64() != ts.height()) continue;
                CHECK(std::string(r["Cid"].GetString()) == blk.cid().value().to_string());
                ++checked;
            }
        }
    }
    CHECK(checked >= 6);
}
