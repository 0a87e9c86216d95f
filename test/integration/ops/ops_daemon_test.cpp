// SPDX-License-Identifier: Apache-2.0 OR MIT
// Operations on a real daemon (issue 11): an online backup restored into a new repo starts with the
// same users, tokens, messages and chain head; the /status page (checked in headless chromium when it
// is installed) and `venusd status`; the compatibility listeners; example configs pass `config check`.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>

#include "support/daemon.hpp"
#include "venus/chain/json.hpp"
#include "venus/chain/keys.hpp"
#include "venus/rpc/client.hpp"

using namespace venus;
using venus::test::Daemon;
using venus::test::run_venusd;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

constexpr const char* kConfig = "[api]\nlisten = \"/ip4/127.0.0.1/tcp/0\"\n";

rpc::JsonDocument json(const std::string& text) {
    rpc::JsonDocument d;
    REQUIRE(rpc::parse_json(text, d).ok());
    return d;
}

rpc::HttpRpcClient::Response rest(const Daemon& d, const std::string& token, const std::string& method,
                                  const std::string& path, const std::string& body = {}) {
    auto info = d.api_info();
    info.token = token;
    rpc::HttpRpcClient c(info);
    auto r = c.request(method, path, body);
    REQUIRE(r.ok());
    return *r;
}

chain::KeyInfo genesis_account_key(const fs::path& repo) {
    const auto dir = repo / "keystore" / "genesis";
    auto doc = chain::parse_json(test::read_file(dir / "genesis-keys.json")).value();
    for (const auto& e : doc.GetArray()) {
        if (std::string(e["Role"].GetString()) != "account") continue;
        return chain::parse_key_info_json(test::read_file(dir / (std::string(e["Address"].GetString()) + ".key"))).value();
    }
    FAIL("no genesis account key");
    return {};
}

std::string signed_transfer(const chain::KeyInfo& key, std::uint64_t nonce) {
    chain::Message m;
    m.from = chain::key_address(key).value();
    m.to = m.from;
    m.nonce = nonce;
    m.value = 1;
    m.gas_limit = 10'000'000;
    m.gas_fee_cap = 300'000'000;
    m.gas_premium = 1000;
    return chain::to_json_string(chain::sign_message(key, m).value());
}

unsigned mode_of(const fs::path& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 0777;
}

// The port of a listener the daemon logged ("<what> on /ip4/127.0.0.1/tcp/<port>").
std::uint16_t logged_port(const std::string& log, const std::string& what) {
    std::smatch m;
    const std::regex re(what + " on /ip4/127\\.0\\.0\\.1/tcp/([0-9]+)");
    if (!std::regex_search(log, m, re)) return 0;
    return static_cast<std::uint16_t>(std::stoi(m[1].str()));
}

std::string head_cids(rpc::HttpRpcClient& c) {
    auto head = c.call("Filecoin.ChainHead");
    REQUIRE(head.ok());
    auto d = json(head->text);
    return rpc::to_json_text(d["Cids"]);
}

// Runs a shell command and returns its stdout (tests only; the command is built from fixed parts).
std::string run_capture(const std::string& cmd) {
    std::string out;
    FILE* p = ::popen(cmd.c_str(), "r");
    if (p == nullptr) return out;
    char buf[4096];
    while (auto n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    ::pclose(p);
    return out;
}

bool have_chromium() { return std::system("command -v chromium >/dev/null 2>&1") == 0; }

}  // namespace

TEST_CASE("ops: an online backup restores users, tokens, messages and head in a new repo", "[integration][ops][backup]") {
    venus::test::TempDir tmp;
    const auto repo = tmp.path() / "repo";
    const auto backup = tmp.path() / "backup";
    std::string admin, alice_token, cid, cids;
    {
        Daemon d({"--enable", "auth,node"}, kConfig, repo);
        REQUIRE(d.start());
        admin = d.token();
        REQUIRE(rest(d, admin, "PUT", "/user/new", R"({"Name":"alice","State":1})").status == 200);
        auto gen = rest(d, admin, "POST", "/genToken", R"({"name":"alice","perm":"write"})");
        REQUIRE(gen.status == 200);
        alice_token = json(gen.body)["token"].GetString();

        rpc::HttpRpcClient c(d.api_info());
        auto pushed = c.call("Filecoin.MpoolPush", rpc::RawJson{"[" + signed_transfer(genesis_account_key(repo), 0) + "]"});
        REQUIRE(pushed.ok());
        cid = json(pushed->text)["/"].GetString();
        cids = head_cids(c);

        // Backups are admin-only: a write token is refused before anything is written.
        auto info = d.api_info();
        info.token = alice_token;
        rpc::HttpRpcClient as_alice(info);
        auto refused = as_alice.call("Venus.Backup", rpc::RawJson{"[\"" + (tmp.path() / "b0").string() + "\"]"});
        REQUIRE_FALSE(refused.ok());
        CHECK_FALSE(fs::exists(tmp.path() / "b0"));
        auto relative = c.call("Venus.Backup", rpc::RawJson{"[\"relative/dir\"]"});
        REQUIRE_FALSE(relative.ok());
        CHECK_THAT(relative.error().message, Contains("must be an absolute path"));

        // The daemon holds the repo: `venusd backup` asks it (online), and the daemon keeps serving.
        auto r = run_venusd({"--repo", repo.string(), "backup", backup.string()});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        CHECK_THAT(r.out, Contains("backup written by the daemon"));
        CHECK_THAT(r.out, Contains("chain (lmdb)"));
        CHECK_THAT(r.out, Contains("auth (sqlite)"));
        CHECK(c.call("Filecoin.ChainHead").ok());
        auto offline = run_venusd({"--repo", repo.string(), "backup", "--offline", (tmp.path() / "b1").string()});
        CHECK(offline.exit_code != 0);
        CHECK_THAT(offline.err, Contains("is in use by another venusd"));
        CHECK(d.stop() == 0);
    }
    // No daemon: the same command backs up directly.
    auto offline = run_venusd({"--repo", repo.string(), "backup", (tmp.path() / "offline").string()});
    INFO(offline.err);
    REQUIRE(offline.exit_code == 0);
    CHECK_THAT(offline.out, Contains("offline"));
    auto verify = run_venusd({"restore", "--verify-only", backup.string()});
    CHECK(verify.exit_code == 0);
    CHECK(mode_of(backup / "keystore" / "jwt-secret") == 0600);

    const auto restored = tmp.path() / "restored";
    auto r = run_venusd({"--repo", restored.string(), "restore", backup.string()});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Contains("venusd run --repo " + restored.string()));
    auto again = run_venusd({"--repo", restored.string(), "restore", backup.string()});
    CHECK(again.exit_code != 0);
    CHECK_THAT(again.err, Contains("is not empty"));

    Daemon d2({"--enable", "auth,node"}, {}, restored);
    REQUIRE(d2.start());
    CHECK(mode_of(restored / "token") == 0600);
    CHECK(mode_of(restored / "keystore" / "jwt-secret") == 0600);
    CHECK(d2.token() == admin);  // the same secret signs the same admin token
    CHECK(rest(d2, admin, "GET", "/user/has?name=alice").body == "true");
    // alice's token is still valid (the auth tables came back) and still not admin.
    auto info = d2.api_info();
    info.token = alice_token;
    rpc::HttpRpcClient as_alice(info);
    CHECK(as_alice.call("Filecoin.Version").ok());
    CHECK_FALSE(as_alice.call("Venus.Backup", rpc::RawJson{"[\"/tmp/x\"]"}).ok());
    rpc::HttpRpcClient c2(d2.api_info());
    CHECK(head_cids(c2) == cids);
    auto pending = c2.call("Filecoin.MpoolPending", rpc::RawJson{"[[]]"});
    REQUIRE(pending.ok());
    auto pdoc = json(pending->text);
    REQUIRE(pdoc.Size() == 1);
    CHECK(std::string(pdoc[0]["CID"]["/"].GetString()) == cid);
    CHECK(d2.stop() == 0);
}

TEST_CASE("ops: [api] backup_dir keeps online backups below it", "[integration][ops][backup]") {
    venus::test::TempDir tmp;
    const auto allowed = tmp.path() / "allowed";
    fs::create_directories(allowed);
    Daemon d({"--enable", "node"}, std::string(kConfig) + "backup_dir = \"" + allowed.string() + "\"\n");
    REQUIRE(d.start());
    rpc::HttpRpcClient c(d.api_info());
    for (const auto& bad : {tmp.path() / "other", allowed / ".." / "escape", allowed}) {
        auto r = c.call("Venus.Backup", rpc::RawJson{"[\"" + bad.string() + "\"]"});
        REQUIRE_FALSE(r.ok());
        CHECK_THAT(r.error().message, Contains("is not below [api] backup_dir"));
    }
    CHECK_FALSE(fs::exists(tmp.path() / "other"));
    CHECK_FALSE(fs::exists(tmp.path() / "escape"));
    auto ok = c.call("Venus.Backup", rpc::RawJson{"[\"" + (allowed / "today").string() + "\"]"});
    INFO((ok ? std::string() : ok.error().message));
    REQUIRE(ok.ok());
    CHECK(fs::exists(allowed / "today" / "MANIFEST.json"));
    CHECK(d.stop() == 0);
}

TEST_CASE("ops: /status and `venusd status` show modules, peers, head and pool", "[integration][ops][status]") {
    // A reachable peer (another venusd, which answers the node's sync calls at once, with errors) and an
    // unreachable one.
    Daemon other({"--enable", "auth"}, kConfig);
    REQUIRE(other.start());
    const auto peer_port = other.port();
    const std::string config = std::string(kConfig) + "[node]\npeers = [\"/ip4/127.0.0.1/tcp/" + std::to_string(peer_port) +
                               "\", \"/ip4/127.0.0.1/tcp/1\"]\n";
    Daemon d({"--enable", "node"}, config);
    REQUIRE(d.start());
    rpc::HttpRpcClient c(d.api_info());
    auto head = c.call("Filecoin.ChainHead");
    REQUIRE(head.ok());
    const auto height = json(head->text)["Height"].GetInt64();

    // No token: the page is public and read-only.
    auto info = d.api_info();
    info.token.clear();
    rpc::HttpRpcClient anon(info);
    auto page = anon.request("GET", "/status");
    REQUIRE(page.ok());
    REQUIRE(page->status == 200);
    CHECK_THAT(page->body, Contains("<dd id=\"chain-height\">" + std::to_string(height) + "</dd>"));
    CHECK_THAT(page->body, Contains("<dd id=\"daemon-modules\">node</dd>"));
    CHECK_THAT(page->body, Contains("/ip4/127.0.0.1/tcp/" + std::to_string(peer_port) + "</td><td class=\"ok\">reachable"));
    CHECK_THAT(page->body, Contains("/ip4/127.0.0.1/tcp/1</td><td class=\"bad\">unreachable"));
    CHECK_THAT(page->body, Contains("the gateway module does not run in this process"));
    CHECK(page->body.find("<script") == std::string::npos);
    CHECK(anon.request("POST", "/status").value().status != 200);

    auto text = run_venusd({"--repo", d.repo().string(), "status"});
    INFO(text.err);
    REQUIRE(text.exit_code == 0);
    CHECK_THAT(text.out, Contains("Head height:"));
    CHECK(std::regex_search(text.out, std::regex("Head height: +" + std::to_string(height) + "\n")));
    CHECK_THAT(text.out, Contains("unreachable"));
    CHECK_THAT(text.out, Contains("Pending messages:"));
    auto as_json = run_venusd({"--repo", d.repo().string(), "status", "--json"});
    REQUIRE(as_json.exit_code == 0);
    CHECK(json(as_json.out).IsArray());

    if (!have_chromium()) {
        WARN("chromium is not installed: the headless-browser check of /status is skipped (scripts/setup.sh installs it)");
    } else {
        venus::test::TempDir profile;
        const auto url = "http://127.0.0.1:" + std::to_string(d.port()) + "/status";
        const auto dom = run_capture("HOME=" + profile.path().string() +
                                     " timeout 90 chromium --headless --no-sandbox --disable-gpu --no-first-run "
                                     "--user-data-dir=" + (profile.path() / "p").string() + " --dump-dom " + url +
                                     " 2>/dev/null");
        std::smatch m;
        REQUIRE(std::regex_search(dom, m, std::regex("<dd id=\"chain-height\">([0-9]+)</dd>")));
        CHECK(std::stoll(m[1].str()) == height);
        CHECK_THAT(dom, Contains("venusd status"));
    }
    CHECK(d.stop() == 0);
}

TEST_CASE("ops: compatibility listeners serve the same router for enabled modules only", "[integration][ops][compat]") {
    const std::string config = std::string(kConfig) + "[compat]\nnode = \"/ip4/127.0.0.1/tcp/0\"\nminer = \"/ip4/127.0.0.1/tcp/0\"\n";
    Daemon d({"--enable", "node"}, config);
    REQUIRE(d.start());
    const auto port = logged_port(d.log(), "node compatibility listener");
    REQUIRE(port != 0);
    CHECK(port != d.port());
    CHECK_THAT(d.log(), Contains("[compat] miner = \"/ip4/127.0.0.1/tcp/0\" ignored: module miner is not enabled here"));
    auto info = d.api_info();
    info.addr.port = port;
    for (const char* path : {"/rpc/v0", "/rpc/v1"}) {
        rpc::HttpRpcClient c(info, path);
        CHECK(c.call("Filecoin.ChainHead").ok());
    }
    rpc::HttpRpcClient c(info);
    auto status = c.request("GET", "/status");
    REQUIRE(status.ok());
    CHECK(status->status == 200);
    CHECK_THAT(status->body, Contains("/ip4/127.0.0.1/tcp/" + std::to_string(port)));  // listed under Listening on
    CHECK(c.request("GET", "/healthz").value().status == 200);
    // sophon-messager and sophon-miner monitoring probes /healthcheck.
    CHECK(c.request("GET", "/healthcheck").value().status == 200);
    CHECK(d.stop() == 0);

    Daemon bad({"--enable", "node"}, std::string(kConfig) + "[compat]\nnode = \"/ip4/nonsense\"\n");
    CHECK_FALSE(bad.start(std::chrono::seconds(10)));
    CHECK_THAT(bad.log(), Contains("[compat] node"));
}

TEST_CASE("ops: example configs and role configs pass `venusd config check`", "[integration][ops][config]") {
    venus::test::TempDir tmp;
    std::size_t checked = 0;
    for (const auto& entry : fs::directory_iterator(fs::path(VENUS_SOURCE_DIR) / "etc" / "examples")) {
        if (entry.path().extension() != ".toml") continue;
        auto r = run_venusd({"--repo", (tmp.path() / "r").string(), "config", "check", "--config", entry.path().string()});
        INFO(entry.path().string() << "\n" << r.out << r.err);
        CHECK(r.exit_code == 0);
        CHECK_THAT(r.out, Contains("config OK"));
        ++checked;
    }
    CHECK(checked >= 7);

    for (const std::string roles : {"auth,gateway", "node", "auth,gateway,node,wallet"}) {
        auto def = run_venusd({"config", "default", "--enable", roles});
        REQUIRE(def.exit_code == 0);
        CHECK_THAT(def.out, Contains("# venusd configuration for the role: " + roles));
        CHECK_THAT(def.out, Contains("[compat]"));
        CHECK((def.out.find("\n[node]\n") != std::string::npos) == (roles.find("node") != std::string::npos));
        CHECK((def.out.find("\n[auth]\n") != std::string::npos) == (roles.find("auth") != std::string::npos));
        CHECK(def.out.find("\n[miner]\n") == std::string::npos);
        const auto file = tmp.path() / "role.toml";
        std::ofstream(file) << def.out;
        auto r = run_venusd({"--repo", (tmp.path() / "r").string(), "config", "check", "--config", file.string()});
        INFO(roles << ": " << r.err);
        CHECK(r.exit_code == 0);
    }

    // A role that needs other hosts says so, and the check agrees until they are given.
    auto miner = run_venusd({"config", "default", "--enable", "miner"});
    REQUIRE(miner.exit_code == 0);
    CHECK_THAT(miner.out, Contains("module 'miner' needs 'node' from another host: give its api-info in [miner]"));
    CHECK_THAT(miner.out, Contains("set [api] auth_url"));
    std::ofstream(tmp.path() / "miner.toml") << miner.out;
    auto unmet = run_venusd({"--repo", (tmp.path() / "r").string(), "config", "check", "--config",
                             (tmp.path() / "miner.toml").string()});
    CHECK(unmet.exit_code == 4);
    CHECK_THAT(unmet.err, Contains("module 'miner' needs"));

    const auto bad = tmp.path() / "bad.toml";
    std::ofstream(bad) << "[api]\nlisen = \"x\"\n";
    auto r = run_venusd({"--repo", (tmp.path() / "r").string(), "config", "check", "--config", bad.string()});
    CHECK(r.exit_code == 4);
    CHECK_THAT(r.err, Contains("unknown config keys: [api] lisen"));
    std::ofstream(bad) << "[modules]\nenable = [\"gateway\"]\n";
    r = run_venusd({"--repo", (tmp.path() / "r").string(), "config", "check", "--config", bad.string()});
    CHECK(r.exit_code == 4);
    CHECK_THAT(r.err, Contains("module 'gateway' needs 'auth'"));
    r = run_venusd({"--repo", (tmp.path() / "r").string(), "config", "check", "--config", (tmp.path() / "none.toml").string()});
    CHECK(r.exit_code == 4);
    CHECK_FALSE(fs::exists(tmp.path() / "r"));  // a check writes nothing
}

namespace {

chain::KeyInfo miner0_worker(const fs::path& repo) {
    const auto dir = repo / "keystore" / "genesis";
    auto index = json(test::read_file(dir / "genesis-keys.json"));
    for (const auto& e : index.GetArray()) {
        if (std::string(e["Role"].GetString()) == "miner 0 worker") {
            return chain::parse_key_info_json(test::read_file(dir / (std::string(e["Address"].GetString()) + ".key"))).value();
        }
    }
    FAIL("no worker key in genesis-keys.json");
    return {};
}

std::int64_t head_height(rpc::HttpRpcClient& c) {
    auto r = c.call("Filecoin.ChainHead");
    return r ? json(r->text)["Height"].GetInt64() : -1;
}

}  // namespace

TEST_CASE("ops: a mining host's status shows wallets, provers and wins, a backup taken while mining restores",
          "[integration][ops][status][backup]") {
    venus::test::TempDir tmp;
    const auto repo = tmp.path() / "chain";
    fs::create_directories(repo);
    // A 1 s devnet so blocks come quickly.
    auto net = test::read_file(fs::path(VENUS_SOURCE_DIR) / "etc" / "networks" / "devnet.toml");
    net = std::regex_replace(net, std::regex(R"(block_delay_secs = \d+)"), "block_delay_secs = 1");
    net = std::regex_replace(net, std::regex(R"(propagation_delay_secs = \d+)"), "propagation_delay_secs = 0");
    std::ofstream(tmp.path() / "fast.toml") << net;
    std::ofstream(repo / "config.toml") << "[node]\nnetwork_file = \"" << (tmp.path() / "fast.toml").string()
                                        << "\"\n[miner]\nminer_poll_interval = \"1s\"\nminer_once_timeout = \"5s\"\n";
    Daemon d({"--enable", "auth,gateway,node,miner"}, {}, repo);
    REQUIRE(d.start());
    rpc::HttpRpcClient admin(d.api_info());
    REQUIRE(rest(d, d.token(), "PUT", "/user/new", R"({"Name":"alice","State":1})").status == 200);
    auto gen = rest(d, d.token(), "POST", "/genToken", R"({"name":"alice","perm":"sign"})");
    REQUIRE(gen.status == 200);
    REQUIRE(rest(d, d.token(), "POST", "/user/miner/add", R"({"User":"alice","Miner":"t01000","OpenMining":true})").status == 200);
    rpc::ApiInfo alice = d.api_info();
    alice.token = json(gen.body)["token"].GetString();

    // The provider's wallet and prover: a second process connected to the gateway with alice's token.
    venus::test::TempDir wallet_repo;
    std::ofstream(wallet_repo.path() / "config.toml") << "[wallet]\nprover_miners = [\"t01000\"]\n";
    Daemon w({"--enable", "wallet", "--wallet-gateway", alice.to_string()}, "", wallet_repo.path());
    REQUIRE(w.start());
    {
        rpc::HttpRpcClient wc(w.api_info());
        REQUIRE(wc.call("Filecoin.WalletImport", rpc::make_params([&](rpc::JsonOut& o) {
                            rpc::write_raw(o, rpc::RawJson{chain::key_info_json(miner0_worker(repo))});
                        })));
    }
    REQUIRE(admin.call("Filecoin.UpdateAddress", rpc::RawJson{"[0, 0]"}).ok());
    if (!test::wait_until([&] { return head_height(admin) >= 4; }, std::chrono::seconds(60))) {
        FAIL("the chain did not grow\n" << d.log());
    }

    auto info = d.api_info();
    info.token.clear();
    rpc::HttpRpcClient anon(info);
    std::string page;
    // Wins are recorded once the block is submitted: wait for the miners table to show one.
    REQUIRE(test::wait_until([&] {
        auto r = anon.request("GET", "/status");
        page = r ? r->body : "";
        return page.find("<td>t01000</td><td>alice</td><td>yes</td>") != std::string::npos &&
               page.find("<td>never</td>") == std::string::npos;
    }, std::chrono::seconds(30)));
    CHECK_THAT(page, Contains("<dd id=\"gateway-wallets\">1</dd>"));
    CHECK_THAT(page, Contains("<dd id=\"gateway-provers\">1 (t01000)</dd>"));
    CHECK_THAT(page, Contains("<dd id=\"chain-sync\" class=\"ok\">in sync</dd>"));
    CHECK(std::regex_search(page, std::regex("<td>alice</td><td>1</td><td>[^<]*t3")));  // alice's signing address
    auto text = run_venusd({"--repo", repo.string(), "status"});
    REQUIRE(text.exit_code == 0);
    CHECK(std::regex_search(text.out, std::regex("t01000 +alice +yes +[1-9][0-9]* +epoch [0-9]+ +bafy")));
    auto metrics = anon.request("GET", "/metrics");
    if (metrics && metrics->status == 200) {
        CHECK_THAT(metrics->body, Contains("venusd_chain_head_height"));
    }

    // A backup taken while blocks keep coming restores into a daemon whose head is a tipset of this chain.
    const auto backup = tmp.path() / "backup";
    auto r = run_venusd({"--repo", repo.string(), "backup", backup.string()});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto restored = tmp.path() / "restored";
    REQUIRE(run_venusd({"--repo", restored.string(), "restore", backup.string()}).exit_code == 0);
    Daemon d2({"--enable", "auth,node"}, {}, restored);
    REQUIRE(d2.start());
    rpc::HttpRpcClient c2(d2.api_info());
    CHECK(head_height(c2) >= 4);
    const auto cids = head_cids(c2);
    CHECK(admin.call("Filecoin.ChainGetTipSet", rpc::RawJson{"[" + cids + "]"}).ok());
    CHECK(rest(d2, d2.token(), "GET", "/user/has?name=alice").body == "true");
    CHECK(d2.stop() == 0);
    CHECK(w.stop() == 0);
    CHECK(d.stop() == 0);
}

TEST_CASE("ops: split roles: the node host's status follows the auth host going away and coming back",
          "[integration][ops][status]") {
    venus::test::TempDir tmp;
    const auto a_repo = tmp.path() / "a";
    auto a = std::make_unique<Daemon>(std::vector<std::string>{"--enable", "auth,gateway"}, kConfig, a_repo);
    REQUIRE(a->start());
    const auto a_port = a->port();
    REQUIRE(rest(*a, a->token(), "PUT", "/user/new", R"({"Name":"node-b","State":1})").status == 200);
    auto gen = rest(*a, a->token(), "POST", "/genToken", R"({"name":"node-b","perm":"read"})");
    REQUIRE(gen.status == 200);
    const std::string b_token = json(gen.body)["token"].GetString();
    const std::string config = std::string(kConfig) + "auth_url = \"" + b_token + ":/ip4/127.0.0.1/tcp/" +
                               std::to_string(a_port) + "\"\n";
    Daemon b({"--enable", "node"}, config);
    REQUIRE(b.start());
    auto info = b.api_info();
    info.token.clear();
    rpc::HttpRpcClient anon(info);
    const std::string row = "<td>[api] auth_url</td><td>/ip4/127.0.0.1/tcp/" + std::to_string(a_port) + "</td>";
    auto page = [&] {
        auto r = anon.request("GET", "/status");
        REQUIRE(r.ok());
        return r->body;
    };
    auto p = page();
    CHECK_THAT(p, Contains(row + "<td class=\"ok\">reachable</td>"));
    CHECK(p.find(b_token) == std::string::npos);  // addresses only, never the token

    // Host A goes away: the node host says so at once, and its own chain keeps being served.
    CHECK(a->stop() == 0);
    CHECK_THAT(page(), Contains(row + "<td class=\"bad\">unreachable</td>"));
    auto text = run_venusd({"--repo", b.repo().string(), "status"});
    CHECK_THAT(text.out, Contains("unreachable"));
    // Back, now also proxying node calls to host B ([gateway] proxy_node): its status page then shows
    // the chain as host B sees it.
    const std::string proxy = std::string(kConfig) + "[gateway]\nproxy_node = \"" + b_token + ":/ip4/127.0.0.1/tcp/" +
                              std::to_string(b.port()) + "\"\n";
    a = std::make_unique<Daemon>(std::vector<std::string>{"--enable", "auth,gateway", "--listen",
                                                          "/ip4/127.0.0.1/tcp/" + std::to_string(a_port)},
                                 proxy, a_repo);
    REQUIRE(a->start());
    CHECK_THAT(page(), Contains(row + "<td class=\"ok\">reachable</td>"));
    rpc::HttpRpcClient bc(b.api_info());
    auto b_head = bc.call("Filecoin.ChainHead");
    REQUIRE(b_head.ok());
    auto a_info = a->api_info();
    a_info.token.clear();
    auto a_page = rpc::HttpRpcClient(a_info).request("GET", "/status");
    REQUIRE(a_page.ok());
    CHECK_THAT(a_page->body, Contains("the node at /ip4/127.0.0.1/tcp/" + std::to_string(b.port()) + " ([gateway] proxy_node)"));
    CHECK_THAT(a_page->body,
               Contains("<dd id=\"chain-height\">" + std::to_string(json(b_head->text)["Height"].GetInt64()) + "</dd>"));
    CHECK(a->stop() == 0);
    CHECK(b.stop() == 0);
}
