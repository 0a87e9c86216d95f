// SPDX-License-Identifier: Apache-2.0 OR MIT
// A reorg across two syncing nodes, seen by a messager in a process of its own. Three genesis
// miners of equal power: node X mines only t01000 (1/3) and the messager, following X over
// JSON-RPC, gets its messages on chain there. Node Y, started from X's genesis file with no peers,
// mines t01001 and t01002 (2/3) on a branch of its own that never saw the messages, until it is
// heavier than X's. Then X restarts with Y as its peer: it syncs Y's branch and drops its own, the
// messager sends the messages back to FillMsg, pushes them again, and they land on the heavy branch:
// OnChainMsg with the new tipset, nonces 0..n-1 per sender, both heads the same.
#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <regex>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "support/daemon.hpp"
#include "support/devnet.hpp"
#include "support/json.hpp"
#include "venus/chain/genesis_keys.hpp"
#include "venus/chain/json.hpp"
#include "venus/chain/keys.hpp"
#include "venus/rpc/client.hpp"

using namespace venus;
using venus::test::parse;
using venus::test::Daemon;
using namespace std::chrono_literals;

namespace {

std::string transfer(const std::string& from, const std::string& to, const std::string& value) {
    return R"({"Version":0,"To":")" + to + R"(","From":")" + from + R"(","Nonce":0,"Value":")" + value +
           R"(","GasLimit":0,"GasFeeCap":"0","GasPremium":"0","Method":0,"Params":null})";
}

std::optional<chain::TipSet> head_of(rpc::HttpRpcClient& c) {
    auto r = c.call("Filecoin.ChainHead");
    if (!r) return std::nullopt;
    auto ts = chain::from_json_string<chain::TipSet>(r->text);
    if (!ts) return std::nullopt;
    return std::move(*ts);
}

chain::BigInt weight_of(rpc::HttpRpcClient& c, const chain::TipSetKey& key) {
    auto r = c.call("Filecoin.ChainTipSetWeight", rpc::RawJson{"[" + chain::to_json_string(key) + "]"});
    INFO((r ? "" : r.error().message));
    REQUIRE(r);
    return chain::BigInt::from_string(parse(r->text).GetString()).value();
}

//! The tipset at `height` on `c`'s current chain (the one before it when `height` is a null round).
std::optional<chain::TipSetKey> key_at(rpc::HttpRpcClient& c, std::int64_t height) {
    auto r = c.call("Filecoin.ChainGetTipSetByHeight", rpc::RawJson{"[" + std::to_string(height) + ", []]"});
    if (!r) return std::nullopt;
    auto ts = chain::from_json_string<chain::TipSet>(r->text);
    if (!ts || ts->height() != height) return std::nullopt;
    return ts->key();
}

std::uint64_t chain_nonce(rpc::HttpRpcClient& node, const std::string& addr) {
    auto r = node.call("Filecoin.StateGetActor", rpc::RawJson{"[\"" + addr + "\", []]"});
    if (!r) return 0;
    return parse(r->text)["Nonce"].GetUint64();
}

//! Nonces of `from`'s messages in `state` (ListMessage, admin), sorted.
std::vector<std::uint64_t> nonces(rpc::HttpRpcClient& m, const std::string& from, int state) {
    auto r = m.call("Message.ListMessage", rpc::RawJson{R"([{"From":[")" + from + R"("],"State":[)" + std::to_string(state) + "]}]"});
    REQUIRE(r);
    std::vector<std::uint64_t> out;
    const auto doc = parse(r->text);
    for (const auto& x : doc.GetArray()) out.push_back(x["Nonce"].GetUint64());
    std::sort(out.begin(), out.end());
    return out;
}

std::string tail(const std::string& s, std::size_t n = 12000) { return s.size() > n ? "…" + s.substr(s.size() - n) : s; }

//! A REST call on the auth routes that must answer 200.
std::string rest(const rpc::ApiInfo& admin_info, const std::string& method, const std::string& path, const std::string& body) {
    rpc::HttpRpcClient admin(admin_info, "/rpc/v1");
    auto r = admin.request(method, path, body);
    REQUIRE(r);
    INFO(path << ": " << r->body);
    REQUIRE(r->status == 200);
    return r->body;
}

//! Creates `user` in the daemon's auth with a sign token and binds `miners` (OpenMining) to it.
rpc::ApiInfo user_with_miners(const Daemon& d, const std::string& user, const std::vector<std::string>& miners) {
    rest(d.api_info(), "PUT", "/user/new", R"({"Name":")" + user + R"(","State":1})");
    auto token = parse(rest(d.api_info(), "POST", "/genToken", R"({"name":")" + user + R"(","perm":"sign"})"));
    for (const auto& m : miners) {
        rest(d.api_info(), "POST", "/user/miner/add", R"({"User":")" + user + R"(","Miner":")" + m + R"(","OpenMining":true})");
    }
    rpc::ApiInfo info = d.api_info();
    info.token = token["token"].GetString();
    return info;
}

//! A wallet process serving `who`'s gateway with `keys`, proving for `provers` (mock proofs).
std::unique_ptr<Daemon> wallet(const test::TempDir& dir, const rpc::ApiInfo& who, const std::vector<chain::KeyInfo>& keys,
                               const std::vector<std::string>& provers) {
    std::string list;
    for (const auto& p : provers) list += (list.empty() ? "\"" : ", \"") + p + "\"";
    std::ofstream(dir.path() / "config.toml") << "[wallet]\nprover_miners = [" << list << "]\n";
    auto w = std::make_unique<Daemon>(std::vector<std::string>{"--enable", "wallet", "--wallet-gateway", who.to_string()},
                                      std::string{}, dir.path());
    REQUIRE(w->start());
    rpc::HttpRpcClient wc(w->api_info());
    for (const auto& k : keys) {
        REQUIRE(wc.call("Filecoin.WalletImport", rpc::make_params([&](rpc::JsonOut& o) {
                            rpc::write_raw(o, rpc::RawJson{chain::key_info_json(k)});
                        })));
    }
    return w;
}

//! Every message's state as the messager reports it, sampled in the background: a FillMsg that
//! lasts only between two heads is still seen.
class StateWatch {
  public:
    StateWatch(rpc::ApiInfo messager, std::vector<std::string> ids) : info_(std::move(messager)), ids_(std::move(ids)) {
        thread_ = std::thread([this] { run(); });
    }
    ~StateWatch() {
        stop_ = true;
        thread_.join();
    }
    //! States each message went through, in order, consecutive repeats folded.
    std::map<std::string, std::vector<int>> history() const {
        std::lock_guard lock(mu_);
        return history_;
    }

  private:
    void run() {
        rpc::HttpRpcClient c(info_, "/rpc/v0");
        while (!stop_) {
            for (const auto& id : ids_) {
                auto r = c.call("Message.GetMessageByUid", rpc::RawJson{"[\"" + id + "\"]"});
                if (!r) continue;
                rpc::JsonDocument d;
                if (!rpc::parse_json(r->text, d).ok() || !d.IsObject() || !d.HasMember("State")) continue;
                const int st = d["State"].GetInt();
                std::lock_guard lock(mu_);
                auto& h = history_[id];
                if (h.empty() || h.back() != st) h.push_back(st);
            }
            std::this_thread::sleep_for(20ms);  // sampling period, not a wait for a condition
        }
    }

    rpc::ApiInfo info_;
    std::vector<std::string> ids_;
    mutable std::mutex mu_;
    std::map<std::string, std::vector<int>> history_;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

}  // namespace

TEST_CASE("messager: two nodes fork, the lighter branch is dropped, messages go back to FillMsg and on chain again",
          "[integration][messager]") {
    test::TempDir tmp, alice_repo, bob_repo, mrepo;
    const auto network = test::fast_network(tmp.path());
    const auto base_config = "[node]\nnetwork_file = \"" + network.string() +
                             "\"\ngenesis_accounts = 2\ngenesis_miners = 3\n[auth]\nbind_genesis_miners = false\n"
                             "[miner]\nminer_poll_interval = \"1s\"\nminer_once_timeout = \"5s\"\n";
    const auto xrepo = tmp.path() / "x";
    const auto yrepo = tmp.path() / "y";
    std::filesystem::create_directories(xrepo);
    std::filesystem::create_directories(yrepo);
    std::ofstream(xrepo / "config.toml") << base_config;
    std::ofstream(yrepo / "config.toml") << base_config;
    // X listens on a fixed port: the messager keeps X's api-info across X's restart.
    const auto x_listen = fmt::format("/ip4/127.0.0.1/tcp/{}", test::free_port());
    const std::vector<std::string> x_args{"--enable", "auth,gateway,node,miner", "--listen", x_listen};
    auto x = std::make_unique<Daemon>(x_args, std::string{}, xrepo);
    REQUIRE(x->start());
    std::unique_ptr<Daemon> y, alice_wallet, bob_wallet, messager;
    auto logs = [&] {
        std::string out;
        const std::vector<std::pair<std::string, Daemon*>> all{{"X", x.get()}, {"Y", y.get()}, {"messager", messager.get()}};
        for (const auto& [name, d] : all) {
            if (d != nullptr) out += fmt::format("\n===== {} log =====\n{}", name, tail(d->log()));
        }
        return out;
    };

    // The genesis keys X wrote: t01000's worker and two accounts for X's wallet, the other two
    // miners' workers for Y's.
    const auto index = chain::read_genesis_key_index(xrepo).value().value();
    std::map<std::string, chain::KeyInfo> workers;
    std::vector<chain::KeyInfo> accounts;
    for (const auto& k : index) {
        auto key = chain::read_genesis_key(xrepo, k.address).value();
        if (k.role == "account") accounts.push_back(key);
        if (k.role.find("worker") != std::string::npos && k.miner) workers[k.miner->to_string()] = key;
    }
    REQUIRE(accounts.size() == 2);
    REQUIRE(workers.size() == 3);
    std::vector<std::string> from;
    for (const auto& k : accounts) from.push_back(chain::key_address(k).value().to_string());

    const auto genesis_file = tmp.path() / "genesis.car";
    {
        auto exported = test::run_venusd({"--repo", xrepo.string(), "chain", "export-genesis", genesis_file.string()});
        INFO(exported.err);
        REQUIRE(exported.exit_code == 0);
    }

    // The messager in a process of its own, following X's head by polling: it outlives X's restart.
    const auto x_api = x->api_info().to_string();
    std::ofstream(mrepo.path() / "config.toml")
        << "[messager]\nnode = \"" << x_api << "\"\ngateway = \"" << x_api << "\"\nauth = \"" << x_api
        << "\"\nwait_head_stable = \"100ms\"\nhead_poll_interval = \"200ms\"\nrepublish_interval = \"1s\"\n";
    messager = std::make_unique<Daemon>(std::vector<std::string>{"--enable", "messager"}, std::string{}, mrepo.path());
    REQUIRE(messager->start());
    // Its loop runs before X's first block, so it follows X's branch from genesis on.
    if (!test::wait_until([&] { return messager->log().find("messager loop started") != std::string::npos; }, 30s)) {
        FAIL("messager loop not started" << logs());
    }

    // X mines t01000 alone (1/3 of the power) through alice's wallet, which also holds the accounts.
    const auto alice = user_with_miners(*x, "alice", {"t01000"});
    alice_wallet = wallet(alice_repo, alice, {workers.at("t01000"), accounts[0], accounts[1]}, {"t01000"});
    rpc::HttpRpcClient xnode(x->api_info(), "/rpc/v1");
    rpc::HttpRpcClient m(messager->api_info(), "/rpc/v0");
    if (!test::wait_until([&] {
            for (const auto& a : from) {
                auto r = m.call("Message.WalletHas", rpc::RawJson{"[\"" + a + "\"]"});
                if (!r || r->text != "true") return false;
            }
            return true;
        }, 60s)) {
        FAIL("the messager does not see alice's wallet" << logs());
    }

    // Three messages from each account, on chain on X's branch.
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < from.size(); ++i) {
        for (int k = 0; k < 3; ++k) {
            auto r = m.call("Message.PushMessage", rpc::RawJson{"[" + transfer(from[i], from[1 - i], "1000") + ", null]"});
            INFO((r ? "" : r.error().message));
            REQUIRE(r);
            ids.push_back(parse(r->text).GetString());
        }
    }
    auto state_of = [&](const std::string& id) {
        auto r = m.call("Message.GetMessageByUid", rpc::RawJson{"[\"" + id + "\"]"});
        INFO((r ? "" : r.error().message));
        REQUIRE(r);
        return parse(r->text);
    };
    auto all_on_chain = [&] {
        for (const auto& id : ids) {
            if (state_of(id)["State"].GetInt() != 3) return false;
        }
        return true;
    };
    if (!test::wait_until(all_on_chain, 60s, 50ms)) {
        FAIL("messages not on chain on X: " << m.call("Message.ListMessage", rpc::RawJson{"[{}]"})->text << logs());
    }
    struct Landing {
        chain::TipSetKey key;
        std::int64_t height = 0;
    };
    auto landing = [&](const std::string& id) {
        const auto msg = state_of(id);
        Landing l;
        REQUIRE(chain::from_json(msg["TipSetKey"], l.key).ok());
        l.height = msg["Height"].GetInt64();
        return l;
    };
    std::map<std::string, Landing> on_x;
    for (const auto& id : ids) on_x[id] = landing(id);
    StateWatch watch(messager->api_info(), ids);

    // X stops mining: its branch ends here.
    rpc::HttpRpcClient xminer(x->api_info(), "/rpc/v0");
    REQUIRE(xminer.call("Filecoin.Stop", rpc::RawJson{R"([["t01000"]])"}));

    // Y: the same genesis, no peers, t01001 and t01002 (2/3 of the power) through bob's wallet.
    y = std::make_unique<Daemon>(std::vector<std::string>{"--enable", "auth,gateway,node,miner", "--genesis", genesis_file.string()},
                                 std::string{}, yrepo);
    if (!y->start()) FAIL("Y did not start" << logs());
    const auto bob = user_with_miners(*y, "bob", {"t01001", "t01002"});
    bob_wallet = wallet(bob_repo, bob, {workers.at("t01001"), workers.at("t01002")}, {"t01001", "t01002"});
    rpc::HttpRpcClient ynode(y->api_info(), "/rpc/v1");
    // Y's branch outgrows X's (X no longer mines; a round already under way when Stop came has
    // long ended by the time Y is heavier).
    chain::TipSet x_head, y_head;
    chain::BigInt x_weight, y_weight;
    if (!test::wait_until([&] {
            auto xh = head_of(xnode);
            auto yh = head_of(ynode);
            if (!xh || !yh || yh->height() == 0) return false;
            x_head = *xh;
            y_head = *yh;
            x_weight = weight_of(xnode, x_head.key());
            y_weight = weight_of(ynode, y_head.key());
            return y_weight > x_weight;
        }, 90s, 200ms)) {
        FAIL("Y's branch did not outgrow X's: X " << x_weight.to_string() << " at " << x_head.height() << ", Y "
                                                << y_weight.to_string() << " at " << y_head.height() << logs());
    }
    // Two branches from genesis: Y's never saw X's blocks or the messages.
    for (const auto& [id, l] : on_x) CHECK(key_at(ynode, l.height) != std::optional<chain::TipSetKey>(l.key));
    for (const auto& a : from) CHECK(chain_nonce(ynode, a) == 0);
    for (const auto& a : from) CHECK(chain_nonce(xnode, a) == 3);

    // X restarts with Y as its peer (Y's admin token: X may push its blocks and messages to Y).
    REQUIRE(x->stop() == 0);
    auto x_peer_args = x_args;
    x_peer_args.insert(x_peer_args.end(), {"--peer", y->api_info().to_string()});
    x = std::make_unique<Daemon>(x_peer_args, std::string{}, xrepo);
    if (!x->start()) FAIL("X did not restart" << logs());
    rpc::HttpRpcClient xnode2(x->api_info(), "/rpc/v1");
    // X adopts Y's heavier branch.
    if (!test::wait_until([&] {
            // X's own branch cannot grow (it does not mine): a heavier head is Y's branch.
            auto h = head_of(xnode2);
            return h && weight_of(xnode2, h->key()) >= y_weight;
        }, 60s, 100ms)) {
        FAIL("X did not adopt Y's branch" << logs());
    }
    for (const auto& [id, l] : on_x) CHECK(key_at(xnode2, l.height) != std::optional<chain::TipSetKey>(l.key));
    // X mines again, now on the heavy chain with Y.
    rpc::HttpRpcClient xminer2(x->api_info(), "/rpc/v0");
    // (once the restarted miner module has read its miner list from auth)
    REQUIRE(test::wait_until([&] { return xminer2.call("Filecoin.Start", rpc::RawJson{R"([["t01000"]])"}).ok(); }, 20s, 100ms));

    // The messager moved them back to FillMsg, pushed them again, and they landed on the heavy branch.
    auto relanded = [&] {
        const auto h = watch.history();
        for (const auto& id : ids) {
            auto it = h.find(id);
            if (it == h.end() || it->second.size() < 3) return false;  // 3 → 2 → … → 3
            if (it->second.back() != 3) return false;
        }
        return true;
    };
    if (!test::wait_until(relanded, 90s, 50ms)) {
        std::string states;
        for (const auto& [id, h] : watch.history()) {
            states += id + ":";
            for (int s : h) states += " " + std::to_string(s);
            states += "\n";
        }
        FAIL("messages did not go back to FillMsg and on chain again:\n" << states << logs());
    }
    const auto history = watch.history();
    for (const auto& id : ids) {
        INFO(id);
        const auto& h = history.at(id);
        // OnChainMsg on X's branch, FillMsg once it was dropped, OnChainMsg again: never anything else.
        CHECK(h.front() == 3);
        CHECK(h[1] == 2);
        for (int s : h) CHECK((s == 2 || s == 3));
        const auto msg = state_of(id);
        CHECK(msg["Receipt"]["ExitCode"].GetInt() == 0);
        const auto now = landing(id);
        CHECK_FALSE(now.key == on_x[id].key);
        // The new tipset is on Y's chain and on X's (the heavy branch both follow).
        REQUIRE(test::wait_until([&] { return key_at(ynode, now.height) == now.key; }, 20s, 100ms));
        REQUIRE(test::wait_until([&] { return key_at(xnode2, now.height) == now.key; }, 20s, 100ms));
    }

    // Each sender's nonces 0..2 are on chain exactly once, on both nodes; no conflicts.
    for (const auto& a : from) {
        INFO(a);
        const auto on = nonces(m, a, 3);
        REQUIRE(on == std::vector<std::uint64_t>{0, 1, 2});
        CHECK(nonces(m, a, 2).empty());
        CHECK(nonces(m, a, 5).empty());
        CHECK(test::wait_until([&] { return chain_nonce(xnode2, a) == 3 && chain_nonce(ynode, a) == 3; }, 20s, 100ms));
    }
    // The messager counted the reverts.
    rpc::HttpRpcClient mhttp(messager->api_info());
    auto metrics = mhttp.request("GET", "/metrics", "");
    REQUIRE(metrics);
    std::smatch mm;
    REQUIRE(std::regex_search(metrics->body, mm, std::regex(R"(\nmessager_reverted_msgs(?:_total)? (\S+))")));
    CHECK(std::stod(mm[1].str()) >= static_cast<double>(ids.size()));
    // Seen live while following X (the messager's tipset history reached back to the fork at
    // genesis), or, had the walk gone past that history, by the look-up after a gap.
    const auto mlog = messager->log();
    CHECK((mlog.find("reorg: ") != std::string::npos || mlog.find("tipsets no longer on chain back to FillMsg") != std::string::npos));

    // X and Y follow one chain: their heads meet.
    if (!test::wait_until([&] {
            auto a = head_of(xnode2);
            auto b = head_of(ynode);
            return a && b && a->key() == b->key();
        }, 30s, 50ms)) {
        FAIL("X's and Y's heads differ" << logs());
    }
    CHECK(x->stop() == 0);
    CHECK(y->stop() == 0);
}
