// SPDX-License-Identifier: Apache-2.0 OR MIT
// Issue 8 acceptance: auth + gateway in one venusd, wallets in other venusd processes (and scripted
// wallets in this process) over WebSocket.
#include <catch2/catch.hpp>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <csignal>
#include <thread>
#include <fstream>
#include <mutex>

#include "support/daemon.hpp"
#include "support/devnet.hpp"
#include "support/json.hpp"
#include "venus/api/gateway.hpp"
#include "venus/chain/keys.hpp"
#include "venus/crypto/hash.hpp"
#include "venus/rpc/client.hpp"

using namespace venus;
using venus::test::parse;
using venus::test::Daemon;
namespace wire = venus::api::wire;
using namespace std::chrono_literals;

namespace {

const char* kGatewayConfig = R"([modules]
enable = ["auth", "gateway"]
[api]
ws_ping_interval = "1s"
ws_idle_timeout = "3s"
[gateway]
request_timeout = "2s"
)";


std::vector<std::string> gateway_args(std::uint16_t port) {
    std::vector<std::string> args{"--enable", "auth,gateway"};
    if (port != 0) {
        args.push_back("--listen");
        args.push_back("/ip4/127.0.0.1/tcp/" + std::to_string(port));
    }
    return args;
}

struct Gateway {
    Daemon d;
    std::unique_ptr<rpc::HttpRpcClient> admin;
    std::unique_ptr<rpc::HttpRpcClient> v1;

    explicit Gateway(std::uint16_t port = 0, std::optional<std::filesystem::path> repo = std::nullopt,
                     const char* config = kGatewayConfig)
        : d(gateway_args(port), repo ? "" : config, repo) {
        REQUIRE(d.start());
        admin = std::make_unique<rpc::HttpRpcClient>(d.api_info(), "/rpc/v2");
        v1 = std::make_unique<rpc::HttpRpcClient>(d.api_info(), "/rpc/v1");
    }
    std::string rest(const std::string& method, const std::string& path, const std::string& body) {
        auto r = admin->request(method, path, body);
        REQUIRE(r);
        INFO(r->body);
        REQUIRE(r->status == 200);
        return r->body;
    }
    //! A user and a token naming it (what a storage provider's wallet is given).
    rpc::ApiInfo account(const std::string& name) {
        rest("PUT", "/user/new", R"({"Name":")" + name + R"("})");
        auto body = rest("POST", "/genToken", R"({"name":")" + name + R"(","perm":"sign"})");
        auto doc = parse(body);
        rpc::ApiInfo info = d.api_info();
        info.token = doc["token"].GetString();
        return info;
    }
    std::string wallets() {
        auto r = admin->call("Gateway.ListWalletInfo");
        REQUIRE(r);
        return r->text;
    }
    bool lists(const std::string& what) { return wallets().find(what) != std::string::npos; }
    Result<rpc::RawJson> sign(const std::string& account, const chain::Address& a, BytesView data, const api::SignMeta& meta) {
        auto params = rpc::make_params([&](rpc::JsonOut& o) {
            rpc::write_string(o, a.to_string());
            o.StartArray();
            rpc::write_string(o, account);
            o.EndArray();
            rpc::write_string(o, to_base64(data));
            wire::write_meta(o, meta);
        });
        return admin->call("Gateway.WalletSign", params);
    }
};

//! A message from `from` and the (to_sign, meta) pair a messager sends for it.
std::pair<Bytes, api::SignMeta> message_request(const chain::Address& from, std::uint64_t nonce = 1) {
    chain::Message m;
    m.to = *chain::Address::new_id(1000);
    m.from = from;
    m.nonce = nonce;
    m.gas_limit = 1000;
    auto cid = *m.cid();
    return {Bytes(cid.bytes().begin(), cid.bytes().end()), {"message", *chain::encode_cbor(m)}};
}

//! A wallet scripted in the test: registers `key` and then behaves as told.
struct ScriptedWallet {
    enum class Mode { kAnswer, kNeverAnswer };
    chain::KeyInfo key;
    chain::KeyInfo challenge_key;  // signs the challenge (another key = a wrong signature)
    Bytes rand = Bytes(32, 5);
    Mode mode = Mode::kAnswer;
    std::shared_ptr<rpc::WsRpcClient> client;
    std::mutex mu;
    int sign_requests = 0;
    bool closed = false;

    explicit ScriptedWallet(chain::KeyInfo k) : key(k), challenge_key(k) {}

    Status connect(const rpc::ApiInfo& info, const std::string& support = "") {
        VENUS_TRY(client, rpc::WsRpcClient::connect(info, "/rpc/v2"));
        auto params = rpc::make_params([&](rpc::JsonOut& o) {
            o.StartObject();
            rpc::write_key(o, "SupportAccounts");
            o.StartArray();
            if (!support.empty()) rpc::write_string(o, support);
            o.EndArray();
            rpc::write_key(o, "SignBytes");
            rpc::write_string(o, to_base64(rand));
            o.EndObject();
        });
        auto sub = client->subscribe("Gateway.ListenWalletEvent", params, [this](rpc::RawJson v) { on_event(v); },
                                     [this] {
                                         std::lock_guard lock(mu);
                                         closed = true;
                                     });
        if (!sub) return sub.error();
        return {};
    }
    void on_event(const rpc::RawJson& v) {
        auto doc = parse(v.text);
        auto ev = *wire::parse_request_event(doc);
        wire::ResponseEvent resp{ev.id, {}, {}};
        if (ev.method == "InitConnect") return;
        if (ev.method == "WalletList") {
            resp.payload = "[\"" + chain::key_address(key)->to_string() + "\"]";
        } else {
            auto p = parse(ev.payload);
            auto req = *wire::parse_wallet_sign_request(p);
            const bool challenge = req.meta.type == "verifyaddress";
            if (!challenge) {
                std::lock_guard lock(mu);
                sign_requests++;
                if (mode == Mode::kNeverAnswer) return;
            }
            resp.payload = wire::to_json(*chain::sign(challenge ? challenge_key : key, req.to_sign)).text;
        }
        auto params = rpc::make_params([&](rpc::JsonOut& o) { rpc::write_raw(o, wire::to_json(resp)); });
        client->call_async("Gateway.ResponseWalletEvent", params, [](Result<rpc::RawJson>) {});
    }
    int requests() {
        std::lock_guard lock(mu);
        return sign_requests;
    }
    bool was_closed() {
        std::lock_guard lock(mu);
        return closed;
    }
};

//! A wallet process: `venusd run --enable wallet --wallet-gateway <api-info>`.
struct WalletProcess {
    Daemon d;
    explicit WalletProcess(const rpc::ApiInfo& gateway, std::optional<std::filesystem::path> repo = std::nullopt)
        : d({"--enable", "wallet", "--wallet-gateway", gateway.to_string()}, "", repo) {
        REQUIRE(d.start());
    }
    chain::Address new_key(const std::string& type = "secp256k1") {
        rpc::HttpRpcClient c(d.api_info());
        auto r = c.call("Filecoin.WalletNew", rpc::make_params([&](rpc::JsonOut& o) { rpc::write_string(o, type); }));
        REQUIRE(r);
        return *chain::Address::parse(parse(r->text).GetString());
    }
    void import(const chain::KeyInfo& k) {
        rpc::HttpRpcClient c(d.api_info());
        auto r = c.call("Filecoin.WalletImport",
                        rpc::make_params([&](rpc::JsonOut& o) { rpc::write_raw(o, rpc::RawJson{chain::key_info_json(k)}); }));
        REQUIRE(r);
    }
};

}  // namespace

TEST_CASE("wallet process registers, signs routed by account, new keys announced at once", "[gateway][integration]") {
    Gateway gw;
    auto alice = gw.account("alice");
    WalletProcess w(alice);
    auto a1 = w.new_key("secp256k1");
    REQUIRE(test::wait_until([&] { return gw.lists(a1.to_string()); }, 15s));
    CHECK(gw.lists("\"Account\":\"alice\""));

    auto [to_sign, meta] = message_request(a1);
    auto sig = gw.sign("alice", a1, to_sign, meta);
    REQUIRE(sig);
    auto s = *wire::parse_signature(parse(sig->text));
    CHECK(chain::verify(s, a1, to_sign).value());

    // v1 signature: (account, addr, toSign, meta).
    auto v1 = gw.v1->call("Gateway.WalletSign", rpc::make_params([&](rpc::JsonOut& o) {
        rpc::write_string(o, "alice");
        rpc::write_string(o, a1.to_string());
        rpc::write_string(o, to_base64(to_sign));
        wire::write_meta(o, meta);
    }));
    CHECK(v1);

    // A key made while connected is announced (AddNewAddress) and proven without a restart.
    auto a2 = w.new_key("bls");
    REQUIRE(test::wait_until([&] { return gw.lists(a2.to_string()); }, 15s));
    auto [ts2, meta2] = message_request(a2);
    auto sig2 = gw.sign("alice", a2, ts2, meta2);
    REQUIRE(sig2);
    CHECK(wire::parse_signature(parse(sig2->text))->type == chain::SigType::kBls);

    // Signers were registered in auth for the account.
    auto has = gw.admin->request("GET", "/user/signer/exist?user=alice&signer=" + a1.to_string());
    REQUIRE(has);
    CHECK(has->body.find("true") != std::string::npos);

    // Precise routing misses.
    auto other = gw.sign("bob", a1, to_sign, meta);
    REQUIRE_FALSE(other);
    CHECK(other.error().message.find("no wallet connected for account(s) [bob]") != std::string::npos);
    auto stranger = *chain::key_address(*chain::generate_key(chain::SigType::kSecp256k1));
    auto miss = gw.sign("alice", stranger, to_sign, meta);
    REQUIRE_FALSE(miss);
    CHECK(miss.error().message.find("is not registered by the wallets") != std::string::npos);

    // The wallet refuses a `message` sign whose bytes are not the message's CID.
    Bytes forged = to_sign;
    forged.back() ^= 0xff;
    auto refused = gw.sign("alice", a1, forged, meta);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message.find("not the CID of the message") != std::string::npos);
    auto unknown = gw.sign("alice", a1, to_sign, {"unknown", {}});
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().message.find("refuses to sign meta type") != std::string::npos);

    // SIGKILL: the stream is gone within the heartbeat timeout (the socket closes at once here).
    w.d.stop(SIGKILL);
    REQUIRE(test::wait_until([&] { return !gw.lists(a1.to_string()); }, 5s));
}

TEST_CASE("refusals: unknown account, wrong challenge signature", "[gateway][integration]") {
    Gateway gw;
    auto alice = gw.account("alice");
    auto key = *chain::generate_key(chain::SigType::kSecp256k1);

    ScriptedWallet unknown(key);
    auto st = unknown.connect(alice, "nobody");
    REQUIRE_FALSE(st);
    CHECK(st.error().message.find("nobody") != std::string::npos);

    ScriptedWallet liar(key);
    liar.challenge_key = *chain::generate_key(chain::SigType::kSecp256k1);
    REQUIRE(liar.connect(alice));
    REQUIRE(test::wait_until([&] { return liar.was_closed(); }, 10s));
    CHECK_FALSE(gw.lists(chain::key_address(key)->to_string()));
    CHECK(gw.d.log().find("wrong challenge signature") != std::string::npos);
}

TEST_CASE("timeout of a wallet that never answers", "[gateway][integration]") {
    Gateway gw;
    auto alice = gw.account("alice");
    auto key = *chain::generate_key(chain::SigType::kSecp256k1);
    auto addr = *chain::key_address(key);
    auto [to_sign, meta] = message_request(addr);

    auto silent = std::make_unique<ScriptedWallet>(key);
    silent->mode = ScriptedWallet::Mode::kNeverAnswer;
    REQUIRE(silent->connect(alice));
    REQUIRE(test::wait_until([&] { return gw.lists(addr.to_string()); }, 10s));
    const auto t0 = std::chrono::steady_clock::now();
    auto r = gw.sign("alice", addr, to_sign, meta);
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("exceed wait time") != std::string::npos);
    CHECK(std::chrono::steady_clock::now() - t0 < 5s);

}

namespace {

//! Signs `n` messages through the gateway at once from one WebSocket caller; counts the outcomes.
struct ConcurrentSigns {
    std::mutex mu;
    int ok = 0, failed = 0;
    std::vector<std::string> errors;
    std::shared_ptr<rpc::WsRpcClient> caller;

    void start(Gateway& gw, const chain::Address& addr, int n) {
        auto c = rpc::WsRpcClient::connect(gw.d.api_info(), "/rpc/v2");
        REQUIRE(c);
        caller = std::move(*c);
        for (int i = 0; i < n; ++i) {
            auto [ts, m] = message_request(addr, 100 + static_cast<std::uint64_t>(i));
            auto params = rpc::make_params([&, &ts = ts, &m = m](rpc::JsonOut& o) {
                rpc::write_string(o, addr.to_string());
                o.StartArray();
                rpc::write_string(o, "alice");
                o.EndArray();
                rpc::write_string(o, to_base64(ts));
                wire::write_meta(o, m);
            });
            caller->call_async("Gateway.WalletSign", params, [this](Result<rpc::RawJson> res) {
                std::lock_guard lock(mu);
                (res ? ok : failed)++;
                if (!res) errors.push_back(res.error().message);
            });
        }
    }
    int done() {
        std::lock_guard lock(mu);
        return ok + failed;
    }
};

// Long enough that only a failover (not a timeout) can answer in time; short idle timeout so a
// frozen wallet is evicted quickly.
const char* kFailoverConfig = R"([modules]
enable = ["auth", "gateway"]
[api]
ws_ping_interval = "1s"
ws_idle_timeout = "3s"
[gateway]
request_timeout = "30s"
)";

}  // namespace

TEST_CASE("failover when a wallet process is killed mid-request, and a frozen wallet is evicted", "[gateway][integration]") {
    Gateway gw(0, std::nullopt, kFailoverConfig);
    auto alice = gw.account("alice");
    auto key = *chain::generate_key(chain::SigType::kSecp256k1);
    auto addr = *chain::key_address(key);
    auto channels = [&] {
        auto w = gw.wallets();
        std::size_t n = 0;
        for (auto p = w.find("\"ChannelId\""); p != std::string::npos; p = w.find("\"ChannelId\"", p + 1)) ++n;
        return n;
    };

    WalletProcess doomed(alice);
    doomed.import(key);
    WalletProcess survivor(alice);
    survivor.import(key);
    REQUIRE(test::wait_until([&] { return channels() == 2; }, 15s));
    // Both streams must have verified the imported key (announced after registration, asynchronously).
    REQUIRE(test::wait_until([&] {
        const auto w = gw.wallets();
        const auto first = w.find(addr.to_string());
        return first != std::string::npos && w.find(addr.to_string(), first + 1) != std::string::npos;
    }, 15s));

    // Freeze one wallet (its socket stays open, it answers nothing), then ask for 8 signatures: the
    // gateway spreads them over both connections, so some wait on the frozen process.
    doomed.d.send_signal(SIGSTOP);
    const auto t0 = std::chrono::steady_clock::now();
    ConcurrentSigns signs;
    signs.start(gw, addr, 8);
    std::this_thread::sleep_for(1s);
    CHECK(signs.done() < 8);  // the frozen wallet's share is stuck

    // Killed mid-request: the kernel closes its socket, the gateway fails its requests over to the
    // other wallet, long before the 30 s request timeout.
    REQUIRE(doomed.d.stop(SIGKILL) == 128 + SIGKILL);
    REQUIRE(test::wait_until([&] { return signs.done() == 8; }, 10s));
    std::string errors;
    for (const auto& e : signs.errors) errors += e + "\n";
    INFO(errors);
    CHECK(signs.ok == 8);
    CHECK(std::chrono::steady_clock::now() - t0 < 15s);
    REQUIRE(test::wait_until([&] { return channels() == 1; }, 5s));

    // A wallet that hangs with its connection open is evicted by the heartbeat (no pong within
    // ws_idle_timeout = 3 s), not kept forever (venus#5689).
    survivor.d.send_signal(SIGSTOP);
    const auto t1 = std::chrono::steady_clock::now();
    REQUIRE(test::wait_until([&] { return channels() == 0; }, 10s));
    CHECK(std::chrono::steady_clock::now() - t1 < 8s);
    auto miss = gw.sign("alice", addr, message_request(addr).first, message_request(addr).second);
    REQUIRE_FALSE(miss);
    CHECK(miss.error().message.find("no wallet connected") != std::string::npos);
    survivor.d.stop(SIGKILL);

    // The gateway's metrics saw it all.
    auto metrics = gw.admin->request("GET", "/metrics", "");
    REQUIRE(metrics);
    CHECK(metrics->body.find(R"(venus_gateway_requests_total{kind="wallet",outcome="ok"})") != std::string::npos);
    CHECK(metrics->body.find(R"(venus_gateway_connections{kind="wallet"} 0)") != std::string::npos);
}

TEST_CASE("prover streams and ComputeProof, and reconnection after the gateway restarts", "[gateway][integration]") {
    const auto port = test::free_port();
    auto gw = std::make_unique<Gateway>(port, std::nullopt);
    auto alice = gw->account("alice");
    gw->rest("POST", "/user/miner/add", R"({"User":"alice","Miner":"t01000","OpenMining":true})");
    test::TempDir wallet_repo;
    std::ofstream(wallet_repo.path() / "config.toml") << "[wallet]\nprover_miners = [\"t01000\"]\n";
    WalletProcess w(alice, wallet_repo.path());
    auto a = w.new_key();
    REQUIRE(test::wait_until([&] { return gw->lists(a.to_string()); }, 15s));
    REQUIRE(test::wait_until([&] {
        auto r = gw->admin->call("Gateway.ListConnectedMiners");
        return r && r->text.find("t01000") != std::string::npos;
    }, 15s));
    auto proof = gw->admin->call("Gateway.ComputeProof", rpc::RawJson{R"(["t01000",[{"SealProof":8,"SectorNumber":1}],"AAAA",10,21])"});
    REQUIRE(proof);
    CHECK(proof->text.find("ProofBytes") != std::string::npos);
    auto none = gw->admin->call("Gateway.ComputeProof", rpc::RawJson{R"(["t01001",[],"AAAA",10,21])"});
    REQUIRE_FALSE(none);
    CHECK(none.error().message.find("no connections for this miner t01001") != std::string::npos);

    // The gateway restarts on the same repo and port: the wallet and the prover register again.
    const auto repo = gw->d.repo();
    REQUIRE(gw->d.stop() == 0);
    Gateway again(port, repo);
    REQUIRE(test::wait_until([&] { return again.lists(a.to_string()); }, 15s));
    REQUIRE(test::wait_until([&] {
        auto r = again.admin->call("Gateway.ListConnectedMiners");
        return r && r->text.find("t01000") != std::string::npos;
    }, 15s));
}

TEST_CASE("a wallet with more keys than the stream's queue holds is verified in turns, not refused",
          "[gateway][integration]") {
    // queue_size 2: the six challenges of a reconnecting wallet cannot all be queued at once.
    const std::string config = std::string(kGatewayConfig) + "queue_size = 2\n";
    Gateway gw(0, std::nullopt, config.c_str());
    auto alice = gw.account("alice");
    test::TempDir repo;
    std::vector<chain::Address> keys;
    {
        WalletProcess w(alice, repo.path());
        for (int i = 0; i < 6; ++i) keys.push_back(w.new_key(i % 2 == 0 ? "secp256k1" : "bls"));
        REQUIRE(test::wait_until([&] { return gw.lists(keys.back().to_string()); }, 15s));
    }
    REQUIRE(test::wait_until([&] { return !gw.lists(keys.front().to_string()); }, 10s));
    // Restarted on the same keystore, the wallet announces all six keys at once (WalletList).
    WalletProcess w(alice, repo.path());
    const bool all = test::wait_until(
        [&] {
            for (const auto& k : keys) {
                if (!gw.lists(k.to_string())) return false;
            }
            return true;
        },
        15s);
    INFO(gw.d.log());
    CHECK(all);
    auto [to_sign, meta] = message_request(keys.back());
    CHECK(gw.sign("alice", keys.back(), to_sign, meta).ok());
}

TEST_CASE("keys imported while the wallet is registering all reach the gateway", "[gateway][integration]") {
    Gateway gw;
    auto alice = gw.account("alice");
    for (int round = 0; round < 5; ++round) {
        WalletProcess w(alice);
        std::vector<chain::Address> keys;
        for (int i = 0; i < 3; ++i) {
            auto k = chain::generate_key(i % 2 == 0 ? chain::SigType::kBls : chain::SigType::kSecp256k1).value();
            w.import(k);
            keys.push_back(chain::key_address(k).value());
        }
        const bool all = test::wait_until(
            [&] {
                for (const auto& k : keys) {
                    if (!gw.lists(k.to_string())) return false;
                }
                return true;
            },
            10s);
        INFO("round " << round << "\n" << w.d.log() << "\n" << gw.wallets());
        REQUIRE(all);
    }
}
