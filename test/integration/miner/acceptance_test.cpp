// SPDX-License-Identifier: Apache-2.0 OR MIT
// Issue 9's acceptance run: one venusd (defaults, 1 s blocks) with 3 genesis miners owned by 2 auth
// users mines for at least 100 epochs. Every epoch has a block or a null round that the election
// justifies (CountWinners recomputes every miner's win count through the gateway: a null epoch must
// have no winner, a block epoch exactly the winners that have blocks there), win shares follow power
// within statistical bounds, no slash-filter violation, and `winner count` matches the chain per
// miner. Then `address stop` stops a miner within one epoch, across a restart, and start resumes it.
#include <catch2/catch.hpp>

#include <cmath>
#include <set>
#include <thread>

#include "miner_test_util.hpp"
#include "venus/chain/genesis_keys.hpp"
#include "venus/chain/keys.hpp"

using namespace venus;
using namespace venus::test::miner;
using venus::test::Daemon;
using venus::test::run_venusd;
using namespace std::chrono_literals;

namespace {

constexpr chain::ChainEpoch kEpochs = 100;

struct Round {
    std::map<std::string, std::int64_t> wins;  //!< miner → win count of its block at this height
    bool tipset = false;
};

//! Height → the miners' blocks there, for heights in (from, top].
std::map<chain::ChainEpoch, Round> chain_rounds(rpc::HttpRpcClient& c, const chain::TipSet& top, chain::ChainEpoch from) {
    std::map<chain::ChainEpoch, Round> out;
    for (auto ts = top; ts.height() > from; ts = tipset(c, ts.parents())) {
        auto& r = out[ts.height()];
        r.tipset = true;
        for (const auto& b : ts.blocks()) {
            const auto m = b.miner.to_string();
            INFO("height " << ts.height());
            CHECK(r.wins.count(m) == 0);  // one block per miner and height
            REQUIRE(b.election_proof.has_value());
            r.wins[m] = b.election_proof->win_count;
        }
    }
    return out;
}

}  // namespace

TEST_CASE("miner acceptance: 3 miners of 2 users, 100 epochs, justified nulls, fair shares, winner count",
          "[integration][miner][slow]") {
    test::TempDir tmp;
    const auto repo = tmp.path() / "repo";
    std::filesystem::create_directories(repo);
    std::ofstream(repo / "config.toml") << "[node]\nnetwork_file = \"" << test::fast_network(tmp.path()).string()
                                        << "\"\ngenesis_miners = 3\n";
    auto d = std::make_unique<Daemon>(std::vector<std::string>{}, std::string{}, repo);
    REQUIRE(d->start());
    rpc::HttpRpcClient admin(d->api_info(), "/rpc/v1");
    auto rest = [&](const std::string& method, const std::string& path, const std::string& body) {
        auto r = admin.request(method, path, body);
        REQUIRE(r);
        INFO(r->body);
        REQUIRE(r->status == 200);
        return r->body;
    };
    auto cli = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {"--repo", repo.string()});
        return run_venusd(args);
    };

    // The second user, bob, takes t01002 over with his own wallet process (its worker key, its prover).
    auto read = chain::read_genesis_key_index(repo);
    REQUIRE(read.ok());
    REQUIRE(read->has_value());
    const auto index = **read;
    const auto miners = chain::genesis_miners(index);
    REQUIRE(miners.size() == 3);
    chain::Address worker2;
    for (const auto& k : index) {
        if (k.role == "miner 2 worker") worker2 = k.address;
    }
    rest("PUT", "/user/new", R"({"Name":"bob","State":1})");
    auto token = parse(rest("POST", "/genToken", R"({"name":"bob","perm":"sign"})"));
    rest("POST", "/user/miner/add", R"({"User":"bob","Miner":"t01002","OpenMining":true})");
    rpc::ApiInfo bob = d->api_info();
    bob.token = token["token"].GetString();
    test::TempDir wallet_repo;
    std::ofstream(wallet_repo.path() / "config.toml") << "[wallet]\nprover_miners = [\"t01002\"]\n";
    auto w = std::make_unique<Daemon>(std::vector<std::string>{"--enable", "wallet", "--wallet-gateway", bob.to_string()},
                                      std::string{}, wallet_repo.path());
    REQUIRE(w->start());
    {
        rpc::HttpRpcClient wc(w->api_info());
        const auto key = chain::read_genesis_key(repo, worker2).value();
        REQUIRE(wc.call("Filecoin.WalletImport", rpc::make_params([&](rpc::JsonOut& o) {
                            rpc::write_raw(o, rpc::RawJson{chain::key_info_json(key)});
                        })));
    }
    rpc::HttpRpcClient gw(d->api_info(), "/rpc/v2");
    REQUIRE(test::wait_until([&] {
        auto r = gw.call("Gateway.ListWalletInfo");
        return r && r->text.find("bob") != std::string::npos && r->text.find(worker2.to_string()) != std::string::npos;
    }, 15s));
    auto listed = admin.call("Filecoin.UpdateAddress", rpc::RawJson{"[0, 0]"});
    REQUIRE(listed);
    auto addrs = parse(cli({"miner", "address", "list"}).out);
    std::map<std::string, std::string> owner;
    for (const auto& e : addrs.GetArray()) owner[e["Addr"].GetString()] = e["Name"].GetString();
    CHECK(owner["t01000"] == "defaultLocalToken");
    CHECK(owner["t01001"] == "defaultLocalToken");
    CHECK(owner["t01002"] == "bob");

    if (!d->running()) FAIL("venusd exited\n" << d->log());
    // The window starts once bob's wallet serves: every round from here on must be clean.
    // Ready when every miner (bob's through his wallet) has a block after the switch.
    const auto switched = head(admin).height();
    REQUIRE(test::wait_until([&] {
        std::set<std::string> seen;
        for (const auto& [h, r] : chain_rounds(admin, head(admin), switched)) {
            for (const auto& [m, n] : r.wins) seen.insert(m);
        }
        return seen.size() == 3;
    }, 30s));
    const auto h0 = head(admin).height();
    // One epoch more than the window: the window's last tipset is then complete (a round's blocks
    // are submitted one after another).
    if (!test::wait_until([&] { return head(admin).height() > h0 + kEpochs; }, std::chrono::seconds(kEpochs + 30))) {
        auto st = admin.call("Filecoin.StatesForMining", rpc::RawJson{"[[]]"});
        FAIL("the chain fell behind; miner states: " << (st ? st->text : st.error().message));
    }
    const auto top = head(admin);
    const auto h1 = h0 + kEpochs;
    auto rounds = chain_rounds(admin, top, h0);

    // The election recomputed for rounds h0+1..h1 (bases h0..h1-1), from the CLI.
    auto counted = cli({"miner", "winner", "count", "--epoch-start", std::to_string(h0), "--epoch-end",
                        std::to_string(h1 - 1), "t01000", "t01001", "t01002"});
    REQUIRE(counted.exit_code == 0);
    auto cw = parse(counted.out);
    REQUIRE(cw.Size() == 3);
    std::map<chain::ChainEpoch, std::map<std::string, std::int64_t>> elected;
    std::map<std::string, std::int64_t> total;
    for (const auto& m : cw.GetArray()) {
        const std::string miner = m["miner"].GetString();
        CHECK(std::string(m["msg"].GetString()).empty());
        total[miner] = m["totalWinCount"].GetInt64();
        for (const auto& e : m["winEpochList"].GetArray()) {
            INFO(miner << " round " << e["epoch"].GetInt64() << ": " << e["msg"].GetString());
            CHECK(std::string(e["msg"].GetString()).empty());
            if (e["winCount"].GetInt64() > 0) elected[e["epoch"].GetInt64()][miner] = e["winCount"].GetInt64();
        }
    }
    std::map<std::string, std::int64_t> chain_wins;
    std::size_t nulls = 0;
    for (chain::ChainEpoch r = h0 + 1; r <= h1; ++r) {
        INFO("round " << r);
        const auto it = rounds.find(r);
        const auto& won = elected[r];
        if (it == rounds.end()) {
            ++nulls;
            CHECK(won.empty());  // a null round only when nobody won
            continue;
        }
        CHECK(it->second.wins == won);  // exactly the winners have blocks, with their win counts
        for (const auto& [m, n] : it->second.wins) chain_wins[m] += n;
    }
    for (const auto& m : {"t01000", "t01001", "t01002"}) {
        INFO(m);
        CHECK(total[m] == chain_wins[m]);
    }

    // Equal power (one sector each): each share of the wins within 4 sigma of a third.
    std::int64_t all = 0;
    for (const auto& [m, n] : total) all += n;
    CHECK(all > kEpochs);  // 5 expected winners per epoch on a 3-miner network: ~500
    for (const auto& [m, n] : total) {
        const double expected = static_cast<double>(all) / 3.0;
        INFO(m << " won " << n << " of " << all);
        CHECK(std::abs(static_cast<double>(n) - expected) <= 4.0 * std::sqrt(expected * (2.0 / 3.0)) + 1.0);
    }
    // P(null) = e^-5 per round: a handful at most.
    CHECK(nulls <= 8);

    // Slash filter: no refusal and no error in the window; every block's row is Success.
    auto states = parse(admin.call("Filecoin.StatesForMining", rpc::RawJson{"[[]]"})->text);
    for (const auto& s : states.GetArray()) {
        for (const auto& e : s["Err"].GetArray()) {
            INFO(s["Addr"].GetString() << ": " << e.GetString());
            CHECK(round_of(e.GetString()) <= h0);
        }
    }
    auto rows = parse(admin.call("Filecoin.ListBlocks", rpc::RawJson{R"([{"Miners":[],"Limit":0,"Offset":0}])"})->text);
    std::size_t in_window = 0;
    for (const auto& b : rows.GetArray()) {
        const auto e = b["Epoch"].GetInt64();
        if (e <= h0 || e > h1) continue;
        ++in_window;
        INFO(b["Miner"].GetString() << " at " << e);
        CHECK(b["MineState"].GetInt64() == 1);
        CHECK(rounds[e].wins.count(b["Miner"].GetString()) == 1);
    }
    std::size_t chain_blocks = 0;
    for (const auto& [h, r] : rounds) {
        if (h > h0 && h <= h1) chain_blocks += r.wins.size();
    }
    CHECK(in_window == chain_blocks);

    // Stop t01001 from the CLI: no block of it after the round in flight.
    auto stop = cli({"miner", "address", "stop", "t01001"});
    REQUIRE(stop.exit_code == 0);
    CHECK(stop.out == "stop mining success.\n");
    const auto stopped_at = head(admin).height();
    REQUIRE(test::wait_until([&] { return head(admin).height() >= stopped_at + 4; }, 20s));
    auto last_of = [&](rpc::HttpRpcClient& c, const std::string& miner, chain::ChainEpoch from) {
        chain::ChainEpoch last = -1;
        for (const auto& [h, r] : chain_rounds(c, head(c), from)) {
            if (r.wins.count(miner)) last = std::max(last, h);
        }
        return last;
    };
    CHECK(last_of(admin, "t01001", stopped_at - 1) <= stopped_at + 1);

    // A restart keeps it stopped (OpenMining in auth); the others go on.
    w.reset();  // bob's wallet could not follow the daemon to its new port anyway
    const int stopped = d->stop();
    INFO(d->log());
    REQUIRE(stopped == 0);
    d = std::make_unique<Daemon>(std::vector<std::string>{}, std::string{}, repo);
    REQUIRE(d->start());
    rpc::HttpRpcClient again(d->api_info(), "/rpc/v1");
    const auto restarted_at = head(again).height();
    REQUIRE(test::wait_until([&] { return head(again).height() >= restarted_at + 5; }, 30s));
    auto st = parse(again.call("Filecoin.StatesForMining", rpc::RawJson{R"([["t01001"]])"})->text);
    CHECK_FALSE(st[0]["IsMining"].GetBool());
    CHECK(last_of(again, "t01001", restarted_at) == -1);
    CHECK(last_of(again, "t01000", restarted_at) > restarted_at);

    // Start resumes it.
    auto start = cli({"miner", "address", "start", "t01001"});
    REQUIRE(start.exit_code == 0);
    CHECK(start.out == "start mining success.\n");
    const auto started_at = head(again).height();
    CHECK(test::wait_until([&] { return last_of(again, "t01001", started_at) > started_at; }, 20s));
}
