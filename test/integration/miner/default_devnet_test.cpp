// SPDX-License-Identifier: Apache-2.0 OR MIT
// `venusd run` with the embedded defaults mines by itself: no module list and no config but a 1 s
// block delay. Auth binds the genesis miners to the daemon's user, the built-in wallet imports the
// genesis keys and proves, and the default-enabled miner module produces blocks; `wallet list`
// shows the pre-funded keys with their balances.
#include <catch2/catch.hpp>

#include <set>

#include "miner_test_util.hpp"
#include "venus/chain/genesis_keys.hpp"

using namespace venus;
using namespace venus::test::miner;
using venus::test::Daemon;
using venus::test::run_venusd;
using namespace std::chrono_literals;

TEST_CASE("default devnet: venusd run mines by itself and the wallet holds the funded genesis keys",
          "[integration][miner]") {
    test::TempDir tmp;
    const auto repo = tmp.path() / "repo";
    std::filesystem::create_directories(repo);
    std::ofstream(repo / "config.toml") << "[node]\nnetwork_file = \"" << test::fast_network(tmp.path()).string() << "\"\n";
    Daemon d({}, {}, repo);
    REQUIRE(d.start());
    rpc::HttpRpcClient c(d.api_info());

    auto index = chain::read_genesis_key_index(repo);
    REQUIRE(index.ok());
    REQUIRE(index->has_value());
    const auto miners = chain::genesis_miners(**index);
    REQUIRE(miners.size() == 1);
    CHECK(miners[0].to_string() == "t01000");

    // The first rounds may pass before the wallet reached the gateway (errors, null rounds).
    auto mined = [&] {
        std::size_t n = 0;
        for (const auto& ts : walk(c, head(c))) n += ts.blocks().size();
        return n;
    };
    if (!test::wait_until([&] { return mined() >= 5; }, 40s)) {
        auto st = c.call("Filecoin.StatesForMining", rpc::RawJson{"[[]]"});
        FAIL("the chain did not grow; miner states: " << (st ? st->text : st.error().message) << "\n" << d.log());
    }
    std::size_t blocks = 0;
    for (const auto& ts : walk(c, head(c))) {
        for (const auto& b : ts.blocks()) {
            CHECK(b.miner == miners[0]);
            CHECK(b.block_sig.has_value());
            ++blocks;
        }
    }
    CHECK(blocks >= 5);

    // The miner belongs to the daemon's own user, open for mining; `address list` says so.
    auto list = run_venusd({"--repo", repo.string(), "miner", "address", "list"});
    CHECK(list.exit_code == 0);
    CHECK(list.out.find("t01000") != std::string::npos);
    CHECK(list.out.find("defaultLocalToken") != std::string::npos);
    CHECK(list.out.find("\n\t{\n\t\t\"Addr\": \"t01000\"") != std::string::npos);  // sophon's MarshalIndent
    auto state = run_venusd({"--repo", repo.string(), "miner", "address", "state"});
    CHECK(state.exit_code == 0);
    CHECK(state.out.find("\"IsMining\": true") != std::string::npos);
    auto warm = run_venusd({"--repo", repo.string(), "miner", "address", "warmup", "t01000"});
    CHECK(warm.exit_code == 0);
    CHECK(warm.out == "warmup success.\n");
    auto cold = run_venusd({"--repo", repo.string(), "miner", "address", "warmup", "t09999"});
    CHECK(cold.exit_code == 1);
    CHECK(cold.out.rfind("warmup failed:  miner t09999 not found", 0) == 0);

    // `chain head` grows between two looks.
    auto first = run_venusd({"--repo", repo.string(), "chain", "head"});
    REQUIRE(first.exit_code == 0);
    CHECK(test::wait_until([&] {
        auto again = run_venusd({"--repo", repo.string(), "chain", "head"});
        return again.exit_code == 0 && again.out != first.out;
    }, 10s));

    // Every genesis key is in the wallet; the pre-funded accounts show their FIL.
    auto wl = run_venusd({"--repo", repo.string(), "wallet", "list"});
    REQUIRE(wl.exit_code == 0);
    INFO(wl.out);
    bool first_account = true;
    for (const auto& k : **index) {
        const auto addr = k.address.to_string();
        const auto at = wl.out.find(addr);
        REQUIRE(at != std::string::npos);
        const auto line = wl.out.substr(at, wl.out.find('\n', at) - at);
        if (k.role == "account") {
            CHECK(line.find("1000000 FIL") != std::string::npos);
            if (first_account) CHECK(line.find("(default)") != std::string::npos);
            first_account = false;
        }
    }

    // A newcomer sends from the default key (no --from), and the default miner includes it.
    std::vector<std::string> accounts;
    for (const auto& k : **index) {
        if (k.role == "account") accounts.push_back(k.address.to_string());
    }
    REQUIRE(accounts.size() >= 2);
    const auto to = accounts[1];
    auto sent = run_venusd({"--repo", repo.string(), "send", to, "1.5"});
    INFO(sent.err);
    REQUIRE(sent.exit_code == 0);
    const auto cid = sent.out.substr(0, sent.out.find('\n'));
    auto waited = c.call("Filecoin.StateWaitMsg", rpc::RawJson{"[{\"/\":\"" + cid + "\"}, 1, 100, true]"});
    REQUIRE(waited);
    CHECK(parse(waited->text)["Receipt"]["ExitCode"].GetInt() == 0);

    // A restart keeps the binding and the imported keys, and mining resumes.
    const auto before = head(c).height();
    REQUIRE(d.stop() == 0);
    Daemon again({}, {}, repo);
    REQUIRE(again.start());
    rpc::HttpRpcClient c2(again.api_info());
    if (!test::wait_until([&] { return head(c2).height() >= before + 3; }, 30s)) {
        FAIL("no blocks after the restart\n" << again.log());
    }
    auto wl2 = run_venusd({"--repo", repo.string(), "wallet", "list"});
    for (const auto& k : **index) CHECK(wl2.out.find(k.address.to_string()) != std::string::npos);
}
