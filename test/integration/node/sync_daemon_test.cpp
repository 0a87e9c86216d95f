// SPDX-License-Identifier: Apache-2.0 OR MIT
// Issue 7: venusd↔venusd sync over JSON-RPC. A genesis exported as CAR starts other nodes; blocks
// submitted to any node reach the others; a late node catches up; a node killed with SIGKILL
// rejoins; an invalid block spreads nowhere.
#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <ctime>
#include <fstream>

#include <fmt/format.h>

#include "node/sync/car.hpp"
#include "support/devnet.hpp"
#include "support/daemon.hpp"
#include "support/fixtures.hpp"
#include "support/rpc_miner.hpp"
#include "venus/chain/json.hpp"
#include "venus/chain/keys.hpp"
#include "venus/rpc/client.hpp"
#include "venus/rpc/json.hpp"

using namespace venus;
using venus::test::Daemon;

namespace {

const std::string kConfig = "[api]\nanonymous_read = true\n[node]\ngenesis_accounts = 2\n";

// The "/" of a CID result ({"/": "bafy…"}).
std::string parse_cid_result(const std::string& text) {
    rapidjson::Document d;
    REQUIRE(rpc::parse_json(text, d).ok());
    REQUIRE(d.IsObject());
    return d["/"].GetString();
}

Bytes read_bytes(const std::filesystem::path& p) {
    const auto s = test::read_file(p);
    return Bytes(s.begin(), s.end());
}

void write_bytes(const std::filesystem::path& p, const Bytes& b) {
    std::ofstream f(p, std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
    REQUIRE(f.good());
}

std::string addr(std::uint16_t port) { return fmt::format("/ip4/127.0.0.1/tcp/{}", port); }

std::vector<std::string> node_args(std::uint16_t port, const std::vector<std::uint16_t>& peers,
                                   const std::string& genesis = {}) {
    std::vector<std::string> a{"--enable", "node", "--listen", addr(port)};
    if (!genesis.empty()) {
        a.push_back("--genesis");
        a.push_back(genesis);
    }
    for (auto p : peers) {
        a.push_back("--peer");
        a.push_back(addr(p));
    }
    return a;
}

chain::KeyInfo genesis_key(const std::filesystem::path& repo, const std::string& role) {
    auto k = test::genesis_key(repo, role);
    REQUIRE(k.ok());
    return *k;
}

chain::TipSet head_of(rpc::HttpRpcClient& c) { return test::rpc_head(c).value(); }

chain::BlockMsg create_block(rpc::HttpRpcClient& c, const chain::KeyInfo& worker, const chain::KeyInfo& signer) {
    auto b = test::rpc_create_block(c, worker, signer);
    INFO((b ? std::string() : b.error().message));
    REQUIRE(b.ok());
    return *b;
}

chain::TipSet mine(rpc::HttpRpcClient& c, const chain::KeyInfo& worker, chain::ChainEpoch gap = 1) {
    auto h = test::rpc_mine(c, worker, std::chrono::seconds(30), "[]", gap);
    INFO((h ? std::string() : h.error().message));
    REQUIRE(h.ok());
    return *h;
}

//! A transfer of `value` from `from` (nonce 0) to t01000.
chain::SignedMessage transfer(const chain::KeyInfo& from, std::int64_t value) {
    chain::Message m;
    m.from = chain::key_address(from).value();
    m.to = chain::Address::new_id(1000).value();
    m.nonce = 0;
    m.value = chain::TokenAmount(value);
    m.gas_limit = 10'000'000;
    m.gas_fee_cap = 200'000'000;
    m.gas_premium = 100;
    return chain::sign_message(from, m).value();
}

//! MpoolPush on `c`; the message's CID.
std::string push(rpc::HttpRpcClient& c, const chain::SignedMessage& sm) {
    auto pushed = c.call("Filecoin.MpoolPush", rpc::RawJson{"[" + chain::to_json_string(sm) + "]"});
    INFO((pushed ? pushed->text : pushed.error().message));
    REQUIRE(pushed.ok());
    return parse_cid_result(pushed->text);
}

//! Waits until `c`'s pool has the message.
bool in_pool(rpc::HttpRpcClient& c, const std::string& msg_cid) {
    return test::wait_until(
        [&] {
            auto r = c.call("Filecoin.MpoolPending", rpc::RawJson{"[[]]"});
            return r && r->text.find(msg_cid) != std::string::npos;
        },
        std::chrono::seconds(8), std::chrono::milliseconds(50));
}

//! Waits until every client's head is `want` (block times: 4 s on the devnet).
bool converge(const std::vector<rpc::HttpRpcClient*>& nodes, const chain::TipSet& want,
              std::chrono::milliseconds timeout = std::chrono::seconds(8)) {
    return test::wait_until(
        [&] {
            for (auto* n : nodes) {
                auto r = n->call("Filecoin.ChainHead");
                if (!r) return false;
                auto ts = chain::from_json_string<chain::TipSet>(r->text);
                if (!ts || ts->key() != want.key()) return false;
            }
            return true;
        },
        timeout, std::chrono::milliseconds(50));
}

}  // namespace

TEST_CASE("export-genesis writes a CAR another node starts from, and a wrong file is refused", "[integration][sync]") {
    Daemon a({"--enable", "node"}, kConfig);
    REQUIRE(a.start());
    test::TempDir dir;
    const auto file = dir.path() / "genesis.car";
    auto r = test::run_venusd({"--repo", a.repo().string(), "chain", "export-genesis", file.string()});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    rpc::HttpRpcClient ca(a.api_info());
    const auto genesis = chain::from_json_string<chain::TipSet>(ca.call("Filecoin.ChainGetGenesis")->text).value();
    auto car = plugins::node::sync::read_car(read_bytes(file)).value();
    REQUIRE(car.roots.size() == 1);
    CHECK(car.roots[0] == genesis.cids().front());
    CHECK(car.blocks.size() > 10);

    Daemon b({"--enable", "node", "--genesis", file.string()}, kConfig);
    REQUIRE(b.start());
    rpc::HttpRpcClient cb(b.api_info());
    const auto gb = chain::from_json_string<chain::TipSet>(cb.call("Filecoin.ChainGetGenesis")->text).value();
    CHECK(gb.key() == genesis.key());
    // Same state: an account's balance reads the same on both nodes.
    const auto actor_params = rpc::RawJson{R"(["t0100", []])"};
    CHECK(ca.call("Filecoin.StateGetActor", actor_params)->text == cb.call("Filecoin.StateGetActor", actor_params)->text);
    CHECK(b.stop() == 0);

    // b's store has a's genesis: another genesis file is refused at start.
    Daemon other({"--enable", "node"}, kConfig);
    REQUIRE(other.start());
    const auto other_file = dir.path() / "other.car";
    REQUIRE(test::run_venusd({"--repo", other.repo().string(), "chain", "export-genesis", other_file.string()})
                .exit_code == 0);
    auto bad = test::run_venusd({"--repo", b.repo().string(), "run", "--enable", "node", "--listen", "/ip4/127.0.0.1/tcp/0",
                               "--genesis", other_file.string()});
    CHECK(bad.exit_code != 0);
    CHECK_THAT(bad.out + bad.err, Catch::Contains("is not this chain store's genesis"));
    // A truncated file is refused.
    auto bytes = read_bytes(file);
    bytes.resize(bytes.size() - 7);
    write_bytes(dir.path() / "cut.car", bytes);
    test::TempDir fresh;
    auto cut = test::run_venusd({"--repo", fresh.path().string(), "run", "--enable", "node", "--listen",
                                 "/ip4/127.0.0.1/tcp/0", "--genesis", (dir.path() / "cut.car").string()});
    CHECK(cut.exit_code != 0);
    CHECK_THAT(cut.out + cut.err, Catch::Contains("truncated"));
}

TEST_CASE("three nodes converge, a late node catches up, a killed node rejoins, a bad block spreads nowhere",
          "[integration][sync][slow]") {
    const auto pa = test::free_port(), pb = test::free_port(), pc = test::free_port(), pd = test::free_port();
    test::TempDir ra, rb, rc, rd, dir;
    // A genesis 4·700 s old: the ~520 epochs mined before the late node starts need not wait for
    // their time (4 s blocks).
    const auto config = kConfig + "genesis_timestamp = " + std::to_string(std::time(nullptr) - 4 * 700) + "\n";
    Daemon a(node_args(pa, {pb, pc}), config, ra.path());
    REQUIRE(a.start());
    const auto file = dir.path() / "genesis.car";
    REQUIRE(test::run_venusd({"--repo", ra.path().string(), "chain", "export-genesis", file.string()}).exit_code == 0);
    Daemon b(node_args(pb, {pa, pc}, file.string()), config, rb.path());
    auto c = std::make_unique<Daemon>(node_args(pc, {pa, pb}, file.string()), config, rc.path());
    const bool b_up = b.start();
    INFO(b.log());
    REQUIRE(b_up);
    const bool c_up = c->start();
    INFO(c->log());
    REQUIRE(c_up);
    const auto worker = genesis_key(ra.path(), "miner 0 worker");
    rpc::HttpRpcClient ca(a.api_info()), cb(b.api_info());
    auto cc = std::make_unique<rpc::HttpRpcClient>(c->api_info());

    SECTION("blocks submitted to any node reach all") {
        auto h1 = mine(ca, worker);
        CHECK(converge({&ca, &cb, cc.get()}, h1));
        auto h2 = mine(cb, worker);
        CHECK(h2.height() > h1.height());
        CHECK(converge({&ca, &cb, cc.get()}, h2));
        auto h3 = mine(*cc, worker);
        CHECK(converge({&ca, &cb, cc.get()}, h3));

        // A message admitted by b reaches a's and c's pools (they follow b's MpoolSub).
        const auto sm = transfer(genesis_key(ra.path(), "account"), 1);
        const auto msg_cid = push(cb, sm);
        for (auto* n : {&ca, cc.get()}) CHECK(in_pool(*n, msg_cid));

        // A fourth node started 500 epochs late catches up from one peer, validating every tipset
        // (blocks every 10 epochs: the null rounds between them are executed too).
        auto late = h3;
        while (late.height() < h3.height() + 500) late = mine(ca, worker, 10);
        CHECK(converge({&ca, &cb, cc.get()}, late));
        Daemon d(node_args(pd, {pa}, file.string()), config, rd.path());
        REQUIRE(d.start());
        rpc::HttpRpcClient cd(d.api_info());
        CHECK(converge({&cd}, late, std::chrono::seconds(60)));
        // SyncState shows the catch-up next to the head: complete, targeting the peer's head.
        auto st = cd.call("Filecoin.SyncState");
        REQUIRE(st.ok());
        rapidjson::Document sd;
        REQUIRE(rpc::parse_json(st->text, sd).ok());
        REQUIRE(sd["ActiveSyncs"].Size() == 2);
        CHECK(sd["ActiveSyncs"][1]["Stage"].GetInt() == 4);
        CHECK(sd["ActiveSyncs"][1]["Height"].GetInt64() == late.height());

        // SIGKILL c, move on without it, restart it: it rejoins.
        CHECK(c->stop(9) == 128 + 9);
        cc.reset();
        c.reset();
        auto h4 = mine(ca, worker);
        CHECK(converge({&ca, &cb, &cd}, h4));
        c = std::make_unique<Daemon>(node_args(pc, {pa, pb}, file.string()), config, rc.path());
        REQUIRE(c->start());
        cc = std::make_unique<rpc::HttpRpcClient>(c->api_info());
        CHECK(converge({&ca, &cb, cc.get(), &cd}, h4, std::chrono::seconds(20)));

        // A block signed by a key that is not the worker's: b refuses it, no other node ever has it.
        const auto stranger = genesis_key(ra.path(), "account");
        auto bad = create_block(cb, worker, stranger);
        const auto bad_cid = bad.header.cid().value();
        auto submitted = cb.call("Filecoin.SyncSubmitBlock", rpc::RawJson{"[" + chain::to_json_string(bad) + "]"});
        CHECK(!submitted.ok());
        auto h5 = mine(ca, worker);
        CHECK(converge({&ca, &cb, cc.get(), &cd}, h5));
        const auto bad_param = rpc::RawJson{"[" + chain::to_json_string(bad_cid) + "]"};
        for (auto* n : {&ca, cc.get(), &cd}) CHECK(!n->call("Filecoin.ChainGetBlock", bad_param).ok());
        for (auto* n : {&ca, &cb, cc.get(), &cd}) {
            const auto h = head_of(*n);
            for (const auto& cid : h.cids()) CHECK(cid != bad_cid);
        }
    }
}

TEST_CASE("a node pushes the blocks it accepts and the messages it admits to peers that do not follow it",
          "[integration][sync]") {
    // A star: the hub lists no peers, so it learns of b's and c's blocks and messages only by push;
    // c learns of b's through the hub.
    const auto ph = test::free_port(), pb = test::free_port(), pc = test::free_port();
    test::TempDir rh, rb, rc, dir;
    Daemon hub(node_args(ph, {}), kConfig, rh.path());
    REQUIRE(hub.start());
    const auto file = dir.path() / "genesis.car";
    REQUIRE(test::run_venusd({"--repo", rh.path().string(), "chain", "export-genesis", file.string()}).exit_code == 0);
    // Pushing needs write permission on the hub: its admin token goes into the peer's api-info.
    const auto hub_peer = hub.token() + ":" + addr(ph);
    auto spoke_args = [&](std::uint16_t port) {
        auto a = node_args(port, {}, file.string());
        a.push_back("--peer");
        a.push_back(hub_peer);
        return a;
    };
    Daemon b(spoke_args(pb), kConfig, rb.path());
    Daemon c(spoke_args(pc), kConfig, rc.path());
    REQUIRE(b.start());
    REQUIRE(c.start());
    rpc::HttpRpcClient ch(hub.api_info()), cb(b.api_info()), cc(c.api_info());
    const auto worker = genesis_key(rh.path(), "miner 0 worker");

    auto h1 = mine(cb, worker);
    INFO(b.log());
    CHECK(converge({&ch, &cb, &cc}, h1));
    auto h2 = mine(cc, worker);
    CHECK(converge({&ch, &cb, &cc}, h2));

    // A message admitted by b reaches the hub's pool (push) and c's (c follows the hub's MpoolSub),
    // then a block mined on c with it is accepted by the hub and b: its message came before it.
    const auto sm = transfer(genesis_key(rh.path(), "account"), 7);
    const auto msg_cid = push(cb, sm);
    for (auto* n : {&ch, &cc}) CHECK(in_pool(*n, msg_cid));
    auto h3r = test::rpc_mine(cc, worker, std::chrono::seconds(30), "[" + chain::to_json_string(sm) + "]");
    INFO((h3r ? std::string() : h3r.error().message));
    REQUIRE(h3r.ok());
    const auto h3 = *h3r;
    CHECK(converge({&ch, &cb, &cc}, h3));
    auto included = cb.call("Filecoin.ChainGetBlockMessages", rpc::RawJson{"[" + chain::to_json_string(h3.cids().front()) + "]"});
    REQUIRE(included.ok());
    CHECK_THAT(included->text, Catch::Contains(msg_cid));
}
