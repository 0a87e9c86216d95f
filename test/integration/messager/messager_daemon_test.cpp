// SPDX-License-Identifier: Apache-2.0 OR MIT
// The messager end to end on a 1 s devnet mined by the miner module: one venusd with auth, gateway,
// node, miner and messager; two storage providers' wallets (second venusd processes) connected to
// the gateway with their users' tokens, holding two genesis accounts each. Messages pushed by both
// users reach OnChainMsg with receipts; a user cannot push from the other's address; an unknown
// address and a failing estimate stay UnFill with the error and block nothing; 2,000 messages use
// every nonce once. Then the messager alone runs in a process of its own and is SIGKILLed while
// messages flow: nothing is lost, no nonce is used twice, none is skipped.
#include <catch2/catch.hpp>

#include <signal.h>

#include <chrono>
#include <fstream>
#include <map>
#include <random>
#include <regex>
#include <set>
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
using namespace std::chrono_literals;

namespace {

std::string read_file(const std::filesystem::path& p) {
    std::ifstream f(p);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

struct GenesisKeys {
    chain::KeyInfo worker;
    std::vector<chain::KeyInfo> accounts;
};

GenesisKeys genesis_keys(const std::filesystem::path& repo) {
    const auto dir = repo / "keystore" / "genesis";
    auto index = parse(read_file(dir / "genesis-keys.json"));
    GenesisKeys k;
    for (const auto& e : index.GetArray()) {
        const std::string role = e["Role"].GetString();
        auto key = chain::parse_key_info_json(read_file(dir / (std::string(e["Address"].GetString()) + ".key"))).value();
        if (role == "miner 0 worker") k.worker = key;
        if (role == "account") k.accounts.push_back(key);
    }
    return k;
}

std::string addr_of(const chain::KeyInfo& k) { return chain::key_address(k).value().to_string(); }

std::string transfer(const std::string& from, const std::string& to, const std::string& value,
                     const std::string& fee_cap = "0") {
    return R"({"Version":0,"To":")" + to + R"(","From":")" + from + R"(","Nonce":0,"Value":")" + value +
           R"(","GasLimit":0,"GasFeeCap":")" + fee_cap + R"(","GasPremium":"0","Method":0,"Params":null})";
}

struct Devnet {
    test::TempDir tmp;
    std::filesystem::path repo = tmp.path() / "chain";
    std::unique_ptr<Daemon> d;
    std::unique_ptr<Daemon> alice_wallet, bob_wallet;
    test::TempDir alice_repo, bob_repo;
    rpc::ApiInfo alice, bob;
    GenesisKeys keys;

    explicit Devnet(const std::string& modules, const std::string& extra_config = "") {
        std::filesystem::create_directories(repo);
        std::ofstream(repo / "config.toml") << "[node]\nnetwork_file = \"" << test::fast_network(tmp.path()).string()
                                            << "\"\ngenesis_accounts = 4\n[miner]\nminer_poll_interval = \"1s\"\n"
                                            << "miner_once_timeout = \"5s\"\n[messager]\nwait_head_stable = \"100ms\"\n"
                                            << "head_poll_interval = \"200ms\"\nrepublish_interval = \"3s\"\n"
                                            << extra_config;
        d = std::make_unique<Daemon>(std::vector<std::string>{"--enable", modules}, std::string{}, repo);
        REQUIRE(d->start());
        rpc::HttpRpcClient admin(d->api_info(), "/rpc/v1");
        auto rest = [&](const std::string& method, const std::string& path, const std::string& body) {
            auto r = admin.request(method, path, body);
            REQUIRE(r);
            INFO(r->body);
            REQUIRE(r->status == 200);
            return r->body;
        };
        auto user = [&](const std::string& name) {
            rest("PUT", "/user/new", R"({"Name":")" + name + R"(","State":1})");
            auto token = parse(rest("POST", "/genToken", R"({"name":")" + name + R"(","perm":"sign"})"));
            rpc::ApiInfo info = d->api_info();
            info.token = token["token"].GetString();
            return info;
        };
        alice = user("alice");
        bob = user("bob");
        rest("POST", "/user/miner/add", R"({"User":"alice","Miner":"t01000","OpenMining":true})");
        keys = genesis_keys(repo);
        REQUIRE(keys.accounts.size() == 4);
        auto wallet = [&](test::TempDir& dir, const rpc::ApiInfo& who, std::vector<chain::KeyInfo> ks, bool prover) {
            if (prover) std::ofstream(dir.path() / "config.toml") << "[wallet]\nprover_miners = [\"t01000\"]\n";
            auto w = std::make_unique<Daemon>(std::vector<std::string>{"--enable", "wallet", "--wallet-gateway", who.to_string()},
                                              std::string{}, dir.path());
            REQUIRE(w->start());
            rpc::HttpRpcClient wc(w->api_info());
            for (const auto& k : ks) {
                REQUIRE(wc.call("Filecoin.WalletImport", rpc::make_params([&](rpc::JsonOut& o) {
                                    rpc::write_raw(o, rpc::RawJson{chain::key_info_json(k)});
                                })));
            }
            return w;
        };
        alice_wallet = wallet(alice_repo, alice, {keys.worker, keys.accounts[0], keys.accounts[1]}, true);
        bob_wallet = wallet(bob_repo, bob, {keys.accounts[2], keys.accounts[3]}, false);
    }

    std::string a(std::size_t i) const { return addr_of(keys.accounts[i]); }
};

//! Every message of `from` in `state` (ListMessage, admin).
std::vector<std::pair<std::uint64_t, std::string>> nonces(rpc::HttpRpcClient& c, const std::string& from, int state) {
    auto r = c.call("Message.ListMessage", rpc::RawJson{R"([{"From":[")" + from + R"("],"State":[)" + std::to_string(state) + "]}]"});
    REQUIRE(r);
    std::vector<std::pair<std::uint64_t, std::string>> out;
    const auto doc = parse(r->text);
    for (const auto& m : doc.GetArray()) out.emplace_back(m["Nonce"].GetUint64(), m["ID"].GetString());
    std::sort(out.begin(), out.end());
    return out;
}

std::uint64_t chain_nonce(rpc::HttpRpcClient& node, const std::string& addr) {
    auto r = node.call("Filecoin.StateGetActor", rpc::RawJson{"[\"" + addr + "\", []]"});
    if (!r) return 0;
    return parse(r->text)["Nonce"].GetUint64();
}

void check_contiguous(rpc::HttpRpcClient& m, rpc::HttpRpcClient& node, const std::string& addr, std::size_t expected) {
    auto on = nonces(m, addr, 3);
    INFO(addr);
    REQUIRE(on.size() == expected);
    for (std::size_t i = 0; i < on.size(); ++i) REQUIRE(on[i].first == i);  // 0..n-1: no gap, no duplicate
    CHECK(chain_nonce(node, addr) == expected);
    CHECK(nonces(m, addr, 5).empty());  // no NonceConflictMsg
}

}  // namespace

TEST_CASE("messager daemon: two users, four addresses, failures do not block, 2000 nonces", "[integration][messager]") {
    Devnet net("auth,gateway,node,miner,messager");
    rpc::HttpRpcClient admin(net.d->api_info(), "/rpc/v0");
    rpc::HttpRpcClient node(net.d->api_info(), "/rpc/v1");
    rpc::HttpRpcClient alice(net.alice, "/rpc/v0");
    rpc::HttpRpcClient bob(net.bob, "/rpc/v0");
    // The wallets registered their addresses for their users.
    if (!test::wait_until([&] {
            auto r = alice.call("Message.WalletHas", rpc::RawJson{"[\"" + net.a(0) + "\"]"});
            auto s = bob.call("Message.WalletHas", rpc::RawJson{"[\"" + net.a(3) + "\"]"});
            return r && r->text == "true" && s && s->text == "true";
        }, 60s)) {
        auto r = alice.call("Message.WalletHas", rpc::RawJson{"[\"" + net.a(0) + "\"]"});
        auto signers = admin.request("GET", "/user/signer/list?user=alice", "");
        FAIL("WalletHas: " << (r ? r->text : r.error().message) << " signers: " << (signers ? signers->body : "?")
                           << "\n" << net.d->log().substr(0, 6000));
    }
    auto push = [](rpc::HttpRpcClient& c, const std::string& msg) {
        return c.call("Message.PushMessage", rpc::RawJson{"[" + msg + ", null]"});
    };
    auto pushed = [&](rpc::HttpRpcClient& c, const std::string& msg) -> std::string {
        auto r = push(c, msg);
        INFO(msg);
        if (!r) FAIL("PushMessage: " << r.error().message);
        return parse(r->text).GetString();
    };
    // A user cannot push from another user's address (sophon-messager PR #314).
    auto stolen = push(alice, transfer(net.a(2), net.a(0), "1"));
    REQUIRE_FALSE(stolen);
    CHECK_THAT(stolen.error().message, Catch::Contains("does not belong to user alice"));
    // Bad input: clear errors, nothing written.
    CHECK_THAT(push(alice, transfer(net.a(0), net.a(1), "-1")).error().message, Catch::Contains("negative"));
    CHECK_FALSE(push(alice, R"({"From":"nonsense"})"));
    CHECK_THAT(admin.call("Message.GetMessageByUid", rpc::RawJson{R"(["no-such-id"])"}).error().message,
               Catch::Contains("not found"));
    CHECK_THAT(admin.call("Message.ListMessage", rpc::RawJson{R"([{"State":[9]}])"}).error().message,
               Catch::Contains("unknown message state 9"));
    auto empty = admin.call("Message.ListMessage", rpc::RawJson{"[{}]"});
    REQUIRE(empty);
    CHECK(parse(empty->text).Size() == 0);

    // Failures first, then good messages: the failures stay UnFill and block nothing (venus#5675).
    const auto stranger = addr_of(chain::generate_key(chain::SigType::kSecp256k1).value());
    const std::string unknown = pushed(admin, transfer(stranger, net.a(0), "1"));
    const std::string too_much = pushed(alice, transfer(net.a(0), net.a(1), "1000000000000000000000000000000"));
    std::vector<std::string> good;
    for (std::size_t i = 0; i < 4; ++i) {
        auto& who = i < 2 ? alice : bob;
        for (int k = 0; k < 3; ++k) good.push_back(pushed(who, transfer(net.a(i), net.a((i + 1) % 4), "1000")));
    }
    auto state_of = [&](const std::string& id) {
        auto r = admin.call("Message.GetMessageByUid", rpc::RawJson{"[\"" + id + "\"]"});
        if (!r) FAIL("GetMessageByUid " << id << ": " << r.error().message);
        return parse(r->text);
    };
    if (!test::wait_until([&] {
            for (const auto& id : good) {
                if (state_of(id)["State"].GetInt() != 3) return false;
            }
            return true;
        }, 60s)) {
        FAIL("messages did not reach OnChainMsg: " << admin.call("Message.ListMessage", rpc::RawJson{"[{}]"})->text << "\n"
                                                    << net.d->log());
    }
    for (const auto& id : good) {
        auto m = state_of(id);
        CHECK(m["Receipt"]["ExitCode"].GetInt() == 0);
        CHECK(m["Height"].GetInt64() > 0);
        CHECK(m["TipSetKey"].Size() > 0);
    }
    auto u = state_of(unknown);
    CHECK(u["State"].GetInt() == 1);
    CHECK_FALSE(std::string(u["ErrorMsg"].GetString()).empty());
    auto t = state_of(too_much);
    CHECK(t["State"].GetInt() == 1);
    CHECK_THAT(std::string(t["ErrorMsg"].GetString()), Catch::Contains("gas estimate"));
    auto failed = parse(admin.call("Message.ListFailedMessage")->text);
    CHECK(failed.Size() == 2);
    // Bob sees only his own messages.
    const auto bobs = parse(bob.call("Message.ListMessage", rpc::RawJson{"[{}]"})->text);
    for (const auto& m : bobs.GetArray()) {
        const std::string from = m["From"].GetString();
        CHECK((from == net.a(2) || from == net.a(3)));
    }
    auto cli = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {"--repo", net.repo.string()});
        return test::run_venusd(args);
    };

    // A FillMsg stuck below the base fee: `replace --auto` gets it on chain, one row for its nonce.
    const std::string stuck = pushed(alice, transfer(net.a(0), net.a(1), "1", "101"));
    REQUIRE(test::wait_until([&] { return state_of(stuck)["State"].GetInt() == 2; }, 20s));
    std::this_thread::sleep_for(3s);
    REQUIRE(state_of(stuck)["State"].GetInt() == 2);
    auto replaced = cli({"messager", "msg", "replace", "--auto", stuck});
    INFO(replaced.err);
    REQUIRE(replaced.exit_code == 0);
    CHECK(replaced.out.find("new message cid:") != std::string::npos);
    REQUIRE(test::wait_until([&] { return state_of(stuck)["State"].GetInt() == 3; }, 30s));
    const auto stuck_nonce = state_of(stuck)["Nonce"].GetUint64();
    int same_nonce = 0;
    for (int st : {2, 3, 5}) {
        for (const auto& [n, id] : nonces(admin, net.a(0), st)) same_nonce += n == stuck_nonce;
    }
    CHECK(same_nonce == 1);

    // 2,000 messages over the four addresses: on-chain nonces are exactly 0..n-1 per address.
    REQUIRE(admin.call("Message.SetSharedParams", rpc::RawJson{R"([{"selMsgNum":60}])"}));
    std::vector<std::thread> pushers;
    for (std::size_t i = 0; i < 4; ++i) {
        pushers.emplace_back([&, i] {
            rpc::HttpRpcClient c(i < 2 ? net.alice : net.bob, "/rpc/v0");
            for (int k = 0; k < (i == 0 ? 496 : 497); ++k) {
                auto r = c.call("Message.PushMessage", rpc::RawJson{"[" + transfer(net.a(i), net.a((i + 1) % 4), "1") + ", null]"});
                if (!r) FAIL_CHECK(r.error().message);
            }
        });
    }
    for (auto& th : pushers) th.join();
    if (!test::wait_until([&] {
            for (std::size_t i = 0; i < 4; ++i) {
                if (nonces(admin, net.a(i), 3).size() < 500) return false;
            }
            return true;
        }, 150s)) {
        std::string counts;
        for (std::size_t i = 0; i < 4; ++i) counts += std::to_string(nonces(admin, net.a(i), 3).size()) + " ";
        FAIL("not all 2000 on chain: " << counts << "\n" << net.d->log().substr(0, 20000));
    }
    for (std::size_t i = 0; i < 4; ++i) check_contiguous(admin, node, net.a(i), 500);
    CHECK(state_of(too_much)["State"].GetInt() == 1);

    // CLI over the same methods.
    auto listed = cli({"messager", "address", "list"});
    CHECK(listed.exit_code == 0);
    CHECK(listed.out.find(net.a(0)) != std::string::npos);
    auto fails = cli({"messager", "msg", "list-fail"});
    CHECK(fails.exit_code == 0);
    CHECK(fails.out.find("gas estimate") != std::string::npos);
    auto shared = cli({"messager", "share-params", "get"});
    CHECK(shared.out.find("\"selMsgNum\": 60") != std::string::npos);
    CHECK(cli({"messager", "msg", "mark-bad", too_much}).exit_code == 2);  // needs --really-do-it
    CHECK(cli({"messager", "msg", "mark-bad", "--really-do-it", too_much}).exit_code == 0);
    CHECK(state_of(too_much)["State"].GetInt() == 4);
}

TEST_CASE("messager daemon: SIGKILL the messager 20 times while messages flow", "[integration][messager][slow]") {
    Devnet net("auth,gateway,node,miner");
    rpc::HttpRpcClient node(net.d->api_info(), "/rpc/v1");
    // The messager in a process of its own, reaching node, gateway and auth of the chain daemon.
    test::TempDir mrepo;
    const auto chain_api = net.d->api_info().to_string();
    std::ofstream(mrepo.path() / "config.toml")
        << "[messager]\nnode = \"" << chain_api << "\"\ngateway = \"" << chain_api << "\"\nauth = \"" << chain_api
        << "\"\nwait_head_stable = \"100ms\"\nhead_poll_interval = \"200ms\"\nrepublish_interval = \"2s\"\n";
    auto start_messager = [&] {
        auto m = std::make_unique<Daemon>(std::vector<std::string>{"--enable", "messager"}, std::string{}, mrepo.path());
        REQUIRE(m->start());
        return m;
    };
    auto messager = start_messager();
    if (!test::wait_until([&] {
            rpc::HttpRpcClient c(messager->api_info(), "/rpc/v0");
            auto r = c.call("Message.WalletHas", rpc::RawJson{"[\"" + net.a(3) + "\"]"});
            return r && r->text == "true";
        }, 60s)) {
        rpc::HttpRpcClient c(messager->api_info(), "/rpc/v0");
        auto r = c.call("Message.WalletHas", rpc::RawJson{"[\"" + net.a(3) + "\"]"});
        FAIL("WalletHas: " << (r ? r->text : r.error().message) << "\n" << messager->log() << "\n" << net.d->log().substr(0, 4000));
    }
    std::mt19937 rng(42);
    std::map<std::string, std::size_t> pushed;  // from → accepted pushes
    std::set<std::string> ids;
    for (int round = 0; round < 20; ++round) {
        rpc::HttpRpcClient c(messager->api_info(), "/rpc/v0");
        const int n = 10 + static_cast<int>(rng() % 20);
        for (int k = 0; k < n; ++k) {
            const auto i = static_cast<std::size_t>(rng() % 4);
            auto r = c.call("Message.PushMessage", rpc::RawJson{"[" + transfer(net.a(i), net.a((i + 1) % 4), "1") + ", null]"});
            if (!r) continue;  // not acknowledged: may or may not be stored
            ++pushed[net.a(i)];
            ids.insert(parse(r->text).GetString());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100 + rng() % 1400));
        messager->stop(SIGKILL);
        messager = start_messager();
    }
    rpc::HttpRpcClient c(messager->api_info(), "/rpc/v0");
    REQUIRE(ids.size() >= 200);  // most pushes were acknowledged between the kills
    // Nothing acknowledged is lost.
    for (const auto& id : ids) REQUIRE(c.call("Message.HasMessageByUid", rpc::RawJson{"[\"" + id + "\"]"})->text == "true");
    std::map<std::string, std::size_t> stored;
    for (std::size_t i = 0; i < 4; ++i) {
        auto r = c.call("Message.ListMessageByAddress", rpc::RawJson{"[\"" + net.a(i) + "\"]"});
        REQUIRE(r);
        stored[net.a(i)] = parse(r->text).Size();
        CHECK(stored[net.a(i)] >= pushed[net.a(i)]);
    }
    if (!test::wait_until([&] {
            for (const auto& [a, n] : stored) {
                if (nonces(c, a, 3).size() < n) return false;
            }
            return true;
        }, 120s)) {
        std::string counts;
        for (const auto& [a, n] : stored) counts += a + " " + std::to_string(nonces(c, a, 3).size()) + "/" + std::to_string(n) + " ";
        FAIL("not everything reached the chain: " << counts << "\n" << messager->log().substr(0, 20000));
    }
    std::size_t total = 0;
    for (const auto& [a, n] : stored) {
        check_contiguous(c, node, a, n);
        total += n;
    }
    CHECK(total >= ids.size());
}
