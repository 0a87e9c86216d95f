// SPDX-License-Identifier: Apache-2.0 OR MIT
// Issue 11 end to end: the chain service as operators deploy it. Three venusd hosts on separate
// loopback addresses, connected only by api-info — A 127.0.0.2 `auth,gateway`, B 127.0.0.3 `node`,
// C 127.0.0.4 `messager,miner` — and one wallet/prover process per storage provider (alice mines
// t01000, bob t01001, each with two signing addresses). Then the same scenario in one all-in-one
// process. Both runs must give the same results: blocks from both providers, every message on chain
// with nonces 0..n-1 per address, each provider refused the other's addresses with the same errors,
// a SIGKILLed node host that loses nothing, and JavaScript clients (glif, Zondax) served by the node.
// The split run also stops host A: signing fails with a clear error and resumes when A is back.
#include <catch2/catch.hpp>

#include <signal.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <map>
#include <regex>
#include <set>

#include "support/daemon.hpp"
#include "support/devnet.hpp"
#include "support/json.hpp"
#include "venus/chain/genesis_keys.hpp"
#include "venus/chain/json.hpp"
#include "venus/rpc/client.hpp"

using namespace venus;
using venus::test::parse;
using venus::test::Daemon;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

std::string with_token(const rpc::ApiInfo& where, const std::string& token) {
    auto i = where;
    i.token = token;
    return i.to_string();
}

//! One host: a venusd with its modules and repo, restartable on the address the others know it by.
struct Host {
    std::string modules;
    fs::path repo;
    std::string listen;  // "/ip4/<ip>/tcp/0" until the first start has bound a port
    std::unique_ptr<Daemon> d;

    void start() {
        d = std::make_unique<Daemon>(std::vector<std::string>{"--enable", modules, "--listen", listen}, std::string{}, repo);
        if (!d->start(60s)) FAIL("venusd --enable " << modules << " did not start\n" << d->log());
        listen = d->api_info().addr.to_string();
    }
    rpc::ApiInfo api() const { return d->api_info(); }
    rpc::ApiInfo api(const std::string& token) const {
        auto i = d->api_info();
        i.token = token;
        return i;
    }
};

struct Provider {
    std::string user;
    chain::Address miner;
    chain::KeyInfo worker;
    std::vector<chain::KeyInfo> accounts;  // its two signing addresses
    std::string token;                     // the user's sign token, issued by auth
    test::TempDir repo;
    std::unique_ptr<Daemon> wallet;

    std::string addr(std::size_t i) const { return chain::key_address(accounts.at(i)).value().to_string(); }
};

//! What a run produced, with addresses named by provider ("alice/0") so two devnets compare.
struct Results {
    std::set<std::string> block_miners_before_kill, block_miners_after_restart;
    std::map<std::string, std::vector<std::uint64_t>> on_chain_nonces;
    std::map<std::string, std::int64_t> exit_codes;  // per address: the highest receipt exit code seen
    std::vector<std::string> refusals;
    std::string js_client;  // "pushed and executed", or why not

    bool operator==(const Results&) const = default;
};

std::string transfer(const std::string& from, const std::string& to) {
    return R"({"Version":0,"To":")" + to + R"(","From":")" + from +
           R"(","Nonce":0,"Value":"1000","GasLimit":0,"GasFeeCap":"0","GasPremium":"0","Method":0,"Params":null})";
}

chain::TipSet head_of(rpc::HttpRpcClient& node) {
    auto r = node.call("Filecoin.ChainHead");
    if (!r) FAIL("ChainHead: " << r.error().message);
    return chain::from_json_string<chain::TipSet>(r->text).value();
}

//! The miners of the blocks above `above`, walking back from the head.
std::set<std::string> block_miners(rpc::HttpRpcClient& node, chain::ChainEpoch above) {
    std::set<std::string> out;
    for (auto ts = head_of(node); ts.height() > above;) {
        for (const auto& b : ts.blocks()) out.insert(b.miner.to_string());
        auto p = node.call("Filecoin.ChainGetTipSet", rpc::RawJson{"[" + chain::to_json_string(ts.parents()) + "]"});
        if (!p) FAIL("ChainGetTipSet: " << p.error().message);
        ts = chain::from_json_string<chain::TipSet>(p->text).value();
    }
    return out;
}

// Runs `node host_client.mjs …`; nullopt when Node.js or the npm packages are missing.
std::optional<std::pair<int, std::string>> run_js_client(const std::vector<std::string>& args) {
    const fs::path here = fs::path(VENUS_SOURCE_DIR) / "test" / "interop";
    if (!fs::exists(here / "node_modules" / "@zondax" / "filecoin-signing-tools") ||
        !fs::exists(here / "node_modules" / "@glif" / "filecoin-rpc-client") ||
        std::system("node --version >/dev/null 2>&1") != 0) {
        return std::nullopt;
    }
    std::string cmd = "node '" + (here / "node" / "host_client.mjs").string() + "'";
    for (const auto& a : args) cmd += " '" + a + "'";
    cmd += " 2>&1";
    std::string out;
    FILE* p = ::popen(cmd.c_str(), "r");
    REQUIRE(p != nullptr);
    char buf[4096];
    while (auto n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    const int status = ::pclose(p);
    return std::make_pair(WIFEXITED(status) ? WEXITSTATUS(status) : -1, out);
}

class Deployment {
  public:
    //! `split`: three hosts; otherwise one process with every module.
    explicit Deployment(bool split) : split_(split) {
        a_.repo = tmp_.path() / "a";
        b_.repo = tmp_.path() / "b";
        c_.repo = tmp_.path() / "c";
        for (const auto& r : {a_.repo, b_.repo, c_.repo}) fs::create_directories(r);
        const std::string node_config = "[node]\nnetwork_file = \"" + test::fast_network(tmp_.path()).string() +
                                        "\"\ngenesis_accounts = 5\ngenesis_miners = 2\n";
        const std::string messager_config =
            "[messager]\nwait_head_stable = \"100ms\"\nhead_poll_interval = \"200ms\"\nrepublish_interval = \"3s\"\n";
        const std::string miner_config = "[miner]\nminer_poll_interval = \"1s\"\nminer_once_timeout = \"5s\"\n";
        if (!split_) {
            // Everything in one process; no built-in wallet: the providers' own wallets sign, as in the split.
            a_.modules = "auth,gateway,node,messager,miner";
            a_.listen = "/ip4/127.0.0.2/tcp/0";
            std::ofstream(a_.repo / "config.toml") << "[auth]\nbind_genesis_miners = false\n"
                                                    << node_config << messager_config << miner_config;
            a_.start();
            admin_ = a_.d->token();
            make_users();
            node_token_ = admin_;
            start_wallets();
            return;
        }
        a_.modules = "auth,gateway";
        a_.listen = "/ip4/127.0.0.2/tcp/0";
        a_.start();
        admin_ = a_.d->token();
        make_users();
        // Host B verifies tokens with host A; its own token there only reads.
        const auto b_token = gen_token("host-b", "read");
        b_.modules = "node";
        b_.listen = "/ip4/127.0.0.3/tcp/0";
        std::ofstream(b_.repo / "config.toml") << "[api]\nauth_url = \"" << with_token(a_.api(), b_token) << "\"\n"
                                                << node_config;
        b_.start();
        // Host C reaches A and B with an admin token of its own user (it lists every provider's miners).
        node_token_ = gen_token("host-c", "admin");
        const auto a_api = with_token(a_.api(), node_token_);
        const auto b_api = with_token(b_.api(), node_token_);
        c_.modules = "messager,miner";
        c_.listen = "/ip4/127.0.0.4/tcp/0";
        std::ofstream(c_.repo / "config.toml")
            << "[api]\nauth_url = \"" << a_api << "\"\n"
            << messager_config << "node = \"" << b_api << "\"\ngateway = \"" << a_api << "\"\nauth = \"" << a_api << "\"\n"
            << miner_config << "node = \"" << b_api << "\"\ngateway = \"" << a_api << "\"\nauth = \"" << a_api << "\"\n";
        start_wallets();
        c_.start();
    }

    ~Deployment() {
        for (auto& p : providers_) {
            if (p.wallet) p.wallet->stop();
        }
        for (auto* h : {&c_, &b_, &a_}) {
            if (h->d && h->d->running()) h->d->stop();
        }
    }

    bool split() const { return split_; }
    Host& auth_host() { return a_; }
    Host& node_host() { return split_ ? b_ : a_; }
    Host& messager_host() { return split_ ? c_ : a_; }
    std::array<Provider, 2>& providers() { return providers_; }
    const std::string& node_token() const { return node_token_; }
    const chain::KeyInfo& js_key() const { return js_key_; }

    std::string log() const {
        std::string out;
        for (const auto* h : {&a_, &b_, &c_}) {
            if (!h->d) continue;
            const auto l = h->d->log();  // the end: what happened last
            out += "--- " + h->modules + "\n" + l.substr(l.size() > 12000 ? l.size() - 12000 : 0) + "\n";
        }
        return out;
    }

    //! A readable name for an address of this devnet ("alice/1"), for results that compare across runs.
    std::string name_of(const std::string& addr) const {
        for (const auto& p : providers_) {
            for (std::size_t i = 0; i < p.accounts.size(); ++i) {
                if (p.addr(i) == addr) return p.user + "/" + std::to_string(i);
            }
        }
        return addr;
    }
    std::string anonymize(std::string text) const {
        for (const auto& p : providers_) {
            for (std::size_t i = 0; i < p.accounts.size(); ++i) {
                text = std::regex_replace(text, std::regex(p.addr(i)), p.user + "/" + std::to_string(i));
            }
        }
        return text;
    }

  private:
    std::string rest(const std::string& method, const std::string& path, const std::string& body) {
        rpc::HttpRpcClient c(a_.api(admin_));
        auto r = c.request(method, path, body);
        REQUIRE(r);
        INFO(method << " " << path << ": " << r->body);
        REQUIRE(r->status == 200);
        return r->body;
    }
    std::string gen_token(const std::string& user, const std::string& perm) {
        rest("PUT", "/user/new", R"({"Name":")" + user + R"(","State":1})");
        return parse(rest("POST", "/genToken", R"({"name":")" + user + R"(","perm":")" + perm + R"("})"))["token"].GetString();
    }

    void make_users() {
        providers_[0].user = "alice";
        providers_[1].user = "bob";
        for (auto& p : providers_) p.token = gen_token(p.user, "sign");
    }

    //! Each provider's wallet and prover process, holding its miner's worker key and two genesis accounts.
    void start_wallets() {
        const auto index = chain::read_genesis_key_index(node_host().repo).value();
        REQUIRE(index);
        std::vector<chain::KeyInfo> accounts;
        std::map<std::string, chain::KeyInfo> workers;  // miner → worker key
        for (const auto& k : *index) {
            auto key = chain::read_genesis_key(node_host().repo, k.address).value();
            if (k.role == "account") accounts.push_back(key);
            if (k.role.find("worker") != std::string::npos) workers[k.miner->to_string()] = key;
        }
        REQUIRE(accounts.size() == 5);
        REQUIRE(workers.size() == 2);
        js_key_ = accounts[4];  // secp256k1: the JavaScript client's
        std::size_t next = 0;
        for (auto& p : providers_) {
            p.miner = chain::Address::new_id(1000 + (&p - providers_.data())).value();
            p.worker = workers.at(p.miner.to_string());
            p.accounts = {accounts[next], accounts[next + 1]};
            next += 2;
            rest("POST", "/user/miner/add",
                 R"({"User":")" + p.user + R"(","Miner":")" + p.miner.to_string() + R"(","OpenMining":true})");
            std::ofstream(p.repo.path() / "config.toml") << "[wallet]\nprover_miners = [\"" << p.miner.to_string() << "\"]\n";
            p.wallet = std::make_unique<Daemon>(
                std::vector<std::string>{"--enable", "wallet", "--wallet-gateway", with_token(a_.api(), p.token)},
                std::string{}, p.repo.path());
            REQUIRE(p.wallet->start());
            rpc::HttpRpcClient w(p.wallet->api_info());
            for (const auto& k : {p.worker, p.accounts[0], p.accounts[1]}) {
                auto r = w.call("Filecoin.WalletImport", rpc::RawJson{"[" + chain::key_info_json(k) + "]"});
                if (!r) FAIL("WalletImport: " << r.error().message);
            }
        }
    }

    bool split_;
    test::TempDir tmp_;
    Host a_, b_, c_;
    std::string admin_;       // host A's own admin token
    std::string node_token_;  // what host C (and the JS client) present to the node
    std::array<Provider, 2> providers_;  // alice, bob
    chain::KeyInfo js_key_;
};

//! The scenario both layouts run.
Results run_scenario(Deployment& dep) {
    Results out;
    auto& providers = dep.providers();
    rpc::HttpRpcClient node(dep.node_host().api(dep.node_token()));
    rpc::HttpRpcClient messager_admin(dep.messager_host().api(), "/rpc/v0");
    auto as = [&](const Provider& p) { return std::make_unique<rpc::HttpRpcClient>(dep.messager_host().api(p.token), "/rpc/v0"); };

    // 1. Blocks for both storage providers.
    if (!test::wait_until([&] { return block_miners(node, 0).size() == 2; }, 120s, 500ms)) {
        FAIL("not both miners produced blocks: " << block_miners(node, 0).size() << "\n" << dep.log());
    }
    out.block_miners_before_kill = block_miners(node, 0);

    // 2. The wallets registered each provider's addresses for its user.
    for (const auto& p : providers) {
        auto c = as(p);
        for (std::size_t i = 0; i < 2; ++i) {
            if (!test::wait_until([&] {
                    auto r = c->call("Message.WalletHas", rpc::RawJson{"[\"" + p.addr(i) + "\"]"});
                    return r && r->text == "true";
                }, 60s, 100ms)) {
                FAIL(p.user << " WalletHas " << p.addr(i) << " never true\n" << dep.log());
            }
        }
    }

    // 3. Each provider pushes three messages from each of its addresses.
    std::map<std::string, std::string> last_id;  // per provider, one of its message ids
    std::map<std::string, std::size_t> pushed;    // per address, messages the messager acknowledged
    auto push_with = [&](rpc::HttpRpcClient& c, const Provider& p, std::size_t i) {
        const auto& other = providers[&p == &providers[0] ? 1 : 0];
        auto r = c.call("Message.PushMessage", rpc::RawJson{"[" + transfer(p.addr(i), other.addr(i)) + ", null]"});
        if (!r) FAIL(p.user << " PushMessage: " << r.error().message);
        ++pushed[p.addr(i)];
        return last_id[p.user] = parse(r->text).GetString();
    };
    auto push = [&](const Provider& p, std::size_t i) { return push_with(*as(p), p, i); };
    for (const auto& p : providers) {
        for (std::size_t i = 0; i < 2; ++i) {
            for (int k = 0; k < 3; ++k) push(p, i);
        }
    }

    // 4. A provider can neither push for nor see the other's addresses.
    {
        auto alice = as(providers[0]);
        const auto& bob = providers[1];
        auto refused = [&](const std::string& method, const std::string& params) {
            auto r = alice->call(method, rpc::RawJson{params});
            if (r) {
                out.refusals.push_back(method + ": accepted " + r->text.substr(0, 200));
            } else {
                out.refusals.push_back(method + ": " + dep.anonymize(r.error().message));
            }
        };
        refused("Message.PushMessage", "[" + transfer(bob.addr(0), providers[0].addr(0)) + ", null]");
        refused("Message.ListMessage", R"([{"From":[")" + bob.addr(1) + R"("]}])");
        refused("Message.GetMessageByUid", "[\"" + last_id.at("bob") + "\"]");
        refused("Message.GetMessageByFromAndNonce", "[\"" + bob.addr(0) + "\", 0]");
        auto own = alice->call("Message.ListMessage", rpc::RawJson{"[{}]"});
        REQUIRE(own);
        const auto listed = parse(own->text);
        CHECK(listed.Size() == 6);
        for (const auto& m : listed.GetArray()) CHECK(dep.name_of(m["From"].GetString()).rfind("alice/", 0) == 0);
        auto has = alice->call("Message.HasMessageByUid", rpc::RawJson{"[\"" + last_id.at("bob") + "\"]"});
        REQUIRE(has);
        CHECK(has->text == "false");  // bob's messages do not exist for alice
    }

    auto on_chain = [&](const std::string& addr) {
        auto r = messager_admin.call("Message.ListMessage", rpc::RawJson{R"([{"From":[")" + addr + R"("],"State":[3]}])"});
        if (!r) FAIL("ListMessage: " << r.error().message);
        return parse(r->text);
    };
    auto all_on_chain = [&](std::chrono::seconds timeout) {
        if (test::wait_until([&] {
                for (const auto& [addr, n] : pushed) {
                    if (on_chain(addr).Size() < n) return false;
                }
                return true;
            }, timeout, 250ms)) {
            return;
        }
        auto all = messager_admin.call("Message.ListMessage", rpc::RawJson{"[{}]"});
        FAIL("not every message on chain: " << (all ? all->text.substr(0, 6000) : "?") << "\n" << dep.log());
    };
    all_on_chain(90s);

    // 5. The node host is SIGKILLed while messages flow (in the split, more are pushed while it is
    //    down), then restarted: nothing on its chain is lost and everything resumes.
    for (const auto& p : providers) {
        for (std::size_t i = 0; i < 2; ++i) push(p, i);
    }
    const auto before = head_of(node);
    REQUIRE(dep.node_host().d->stop(SIGKILL) == 128 + SIGKILL);
    if (dep.split()) {
        for (const auto& p : providers) {
            for (std::size_t i = 0; i < 2; ++i) push(p, i);  // the messager host takes them while B is down
        }
    }
    dep.node_host().start();
    if (!dep.split()) {
        for (const auto& p : providers) {
            for (std::size_t i = 0; i < 2; ++i) push(p, i);
        }
    }
    {
        rpc::HttpRpcClient restarted(dep.node_host().api(dep.node_token()));
        auto kept = restarted.call("Filecoin.ChainGetTipSet", rpc::RawJson{"[" + chain::to_json_string(before.key()) + "]"});
        CHECK(kept.ok());  // the head from before the kill is still there
        CHECK(head_of(restarted).height() >= before.height());
        const auto restart_height = head_of(restarted).height();
        if (!test::wait_until([&] { return block_miners(restarted, restart_height).size() == 2; }, 120s, 500ms)) {
            FAIL("blocks did not resume for both miners after the node restart\n" << dep.log());
        }
        out.block_miners_after_restart = block_miners(restarted, restart_height);
    }
    rpc::HttpRpcClient node2(dep.node_host().api(dep.node_token()));
    all_on_chain(120s);

    // 6. Host A stops: signing fails with a clear error; it resumes when A is back.
    const auto& alice = providers[0];
    const auto while_away = push(alice, 0);  // before A stops, with alice's token
    if (dep.split()) {
        CHECK(dep.auth_host().d->stop() == 0);
        // Pushed with host C's own admin token, which C verifies itself while A is away.
        const auto id = push_with(messager_admin, alice, 1);
        std::string error;
        if (!test::wait_until([&] {
                auto m = messager_admin.call("Message.GetMessageByUid", rpc::RawJson{"[\"" + id + "\"]"});
                if (!m) return false;
                const auto doc = parse(m->text);
                error = doc["ErrorMsg"].GetString();
                return doc["State"].GetInt() == 1 && !error.empty();
            }, 60s, 200ms)) {
            FAIL("no sign error recorded while host A is away\n" << dep.log());
        }
        INFO(error);
        CHECK_THAT(error, Catch::Matchers::StartsWith("sign: cannot reach http://127.0.0.2:"));
        // The miner says the same for both providers' miners.
        rpc::HttpRpcClient miner(dep.messager_host().api(), "/rpc/v0");
        REQUIRE(test::wait_until([&] {
            auto st = miner.call("Filecoin.StatesForMining", rpc::RawJson{"[[]]"});
            if (!st) return false;
            std::size_t erring = 0;
            const auto states = parse(st->text);
            for (const auto& m : states.GetArray()) {
                for (const auto& e : m["Err"].GetArray()) erring += std::string(e.GetString()).find("cannot reach") != std::string::npos;
            }
            return erring >= 2;
        }, 30s, 200ms));
        dep.auth_host().start();
    } else {
        push(alice, 1);  // the same message, at the same point, in one process
    }
    all_on_chain(120s);
    {
        const auto resumed = head_of(node2).height();
        if (!test::wait_until([&] { return head_of(node2).height() >= resumed + 3; }, 60s, 250ms)) {
            FAIL("the chain did not grow after host A came back\n" << dep.log());
        }
    }

    // 7. A JavaScript client on the node host: glif reads the chain, Zondax signs a transfer it pushes.
    const auto js_from = chain::key_address(dep.js_key()).value().to_string();
    auto js = run_js_client({dep.node_host().api().http_url("/rpc/v1"), dep.node_token(),
                             to_base64(dep.js_key().private_key), js_from, alice.addr(0)});
    if (!js) {
        WARN("SKIPPED: node or test/interop/node_modules missing; the JavaScript clients were not run against the node host");
        out.js_client = "skipped";
    } else {
        INFO(js->second);
        REQUIRE(js->first == 0);
        const auto res = parse(js->second);
        CHECK(res["height"].GetInt64() >= 1);
        const std::string cid = res["cid"].GetString();
        std::int64_t exit_code = -1;
        REQUIRE(test::wait_until([&] {
            auto r = node2.call("Filecoin.StateSearchMsg", rpc::RawJson{R"([[], {"/":")" + cid + R"("}, -1, true])"});
            if (!r || r->text == "null") return false;
            exit_code = parse(r->text)["Receipt"]["ExitCode"].GetInt64();
            return true;
        }, 60s, 250ms));
        out.js_client = exit_code == 0 ? "pushed and executed" : "exit code " + std::to_string(exit_code);
    }

    // Every address: on-chain nonces 0..n-1, receipts, nothing left behind.
    for (const auto& p : providers) {
        for (std::size_t i = 0; i < 2; ++i) {
            const auto msgs = on_chain(p.addr(i));
            std::vector<std::uint64_t> nonces;
            std::int64_t worst = 0;
            for (const auto& m : msgs.GetArray()) {
                nonces.push_back(m["Nonce"].GetUint64());
                worst = std::max<std::int64_t>(worst, m["Receipt"]["ExitCode"].GetInt64());
            }
            std::sort(nonces.begin(), nonces.end());
            out.on_chain_nonces[p.user + "/" + std::to_string(i)] = nonces;
            out.exit_codes[p.user + "/" + std::to_string(i)] = worst;
            auto actor = node2.call("Filecoin.StateGetActor", rpc::RawJson{"[\"" + p.addr(i) + "\", []]"});
            REQUIRE(actor);
            CHECK(parse(actor->text)["Nonce"].GetUint64() == nonces.size());
        }
    }
    auto state = messager_admin.call("Message.GetMessageByUid", rpc::RawJson{"[\"" + while_away + "\"]"});
    REQUIRE(state);
    CHECK(parse(state->text)["State"].GetInt() == 3);
    return out;
}

//! What both layouts must produce.
Results expected() {
    Results r;
    r.block_miners_before_kill = r.block_miners_after_restart = {"t01000", "t01001"};
    for (const char* user : {"alice", "bob"}) {
        for (int i = 0; i < 2; ++i) {
            const auto key = std::string(user) + "/" + std::to_string(i);
            // 3 + 2 (around the kill) + the one pushed before host A stops, and for alice/1 the one
            // pushed while it is away (in the all-in-one run, at the same point).
            const std::size_t n = key == "alice/0" || key == "alice/1" ? 6 : 5;
            for (std::uint64_t k = 0; k < n; ++k) r.on_chain_nonces[key].push_back(k);
            r.exit_codes[key] = 0;
        }
    }
    r.refusals = {
        "Message.PushMessage: signer bob/0 does not belong to user alice",
        "Message.ListMessage: signer bob/1 does not belong to user alice",
        "Message.GetMessageByUid: signer bob/1 does not belong to user alice",
        "Message.GetMessageByFromAndNonce: signer bob/0 does not belong to user alice",
    };
    r.js_client = "pushed and executed";
    return r;
}

void check_results(const Results& got) {
    auto want = expected();
    if (got.js_client == "skipped") want.js_client = "skipped";
    CHECK(got.block_miners_before_kill == want.block_miners_before_kill);
    CHECK(got.block_miners_after_restart == want.block_miners_after_restart);
    for (const auto& [addr, nonces] : want.on_chain_nonces) {
        INFO(addr);
        CHECK(got.on_chain_nonces.count(addr) == 1);
        if (got.on_chain_nonces.count(addr)) CHECK(got.on_chain_nonces.at(addr) == nonces);
    }
    CHECK(got.exit_codes == want.exit_codes);
    CHECK(got.refusals == want.refusals);
    CHECK(got.js_client == want.js_client);
    CHECK(got == want);
}

}  // namespace

TEST_CASE("role split: auth+gateway, node and messager+miner hosts connected only by api-info", "[integration][ops][split]") {
    Deployment dep(true);
    // A module that is not enabled never opens its store.
    CHECK(fs::exists(dep.auth_host().repo / "auth.db"));
    CHECK_FALSE(fs::exists(dep.auth_host().repo / "chain"));
    CHECK_FALSE(fs::exists(dep.node_host().repo / "auth.db"));
    CHECK_FALSE(fs::exists(dep.node_host().repo / "messager.db"));
    CHECK_FALSE(fs::exists(dep.messager_host().repo / "chain"));
    CHECK_FALSE(fs::exists(dep.messager_host().repo / "auth.db"));
    check_results(run_scenario(dep));
}

TEST_CASE("role split: the same scenario in one all-in-one process gives the same results", "[integration][ops][split]") {
    Deployment dep(false);
    check_results(run_scenario(dep));
}
