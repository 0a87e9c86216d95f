// SPDX-License-Identifier: Apache-2.0 OR MIT
// A reorg seen by the messager in a running daemon: the test mines blocks itself over RPC (the way
// sophon-miner does), first a branch that includes the messager's messages, then a heavier branch
// from before them. The messages go OnChainMsg → FillMsg when the lighter branch is dropped, and
// on chain again once a block of the new branch includes them.
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <sstream>

#include "support/daemon.hpp"
#include "support/json.hpp"
#include "support/rpc_miner.hpp"

using namespace venus;
using venus::test::parse;
using venus::test::Daemon;
using namespace std::chrono_literals;

namespace {

std::string slurp(const std::filesystem::path& p) {
    std::ifstream f(p);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

// A block on `base` at the first round from `from_round` that t01000 wins, with `messages` (JSON
// array of SignedMessage), timestamped for a 1 s chain.
chain::BlockMsg make_block(rpc::HttpRpcClient& c, const chain::KeyInfo& worker, const chain::TipSet& base,
                           const std::string& messages, chain::ChainEpoch from_round) {
    using namespace venus::plugins::consensus;
    auto g = c.call("Filecoin.ChainGetGenesis");
    REQUIRE(g);
    const auto genesis = chain::from_json_string<chain::TipSet>(g->text).value();
    const auto miner = chain::Address::new_id(1000).value();
    for (chain::ChainEpoch round = std::max(from_round, base.height() + 1); round < base.height() + 40; ++round) {
        auto bi = c.call("Filecoin.MinerGetBaseInfo", rpc::RawJson{"[\"t01000\", " + std::to_string(round) + ", " +
                                                                    chain::to_json_string(base.key()) + "]"});
        REQUIRE(bi);
        auto info = parse(bi->text);
        REQUIRE(info.IsObject());
        chain::BeaconEntry rbase;
        const auto& entries = info["BeaconEntries"];
        REQUIRE(chain::from_json(entries.Size() > 0 ? entries[entries.Size() - 1] : info["PrevBeaconEntry"], rbase).ok());
        ConsensusParams p;
        const auto trand = ticket_randomness(rbase.data, miner, round, base.blocks().front().ticket->vrf_proof, p);
        auto eproof = compute_vrf(worker, election_randomness(rbase.data, miner, round)).value();
        auto mp = chain::BigInt::from_string(info["MinerPower"].GetString()).value();
        auto np = chain::BigInt::from_string(info["NetworkPower"].GetString()).value();
        const auto wins = compute_win_count(eproof, mp, np);
        if (wins == 0) continue;
        std::vector<api::SectorInfo> sectors(1);
        sectors[0].seal_proof = info["Sectors"][0]["SealProof"].GetInt64();
        auto ticket = compute_vrf(worker, trand).value();
        const std::string tmpl = fmt::format(
            R"([{{"Miner":"t01000","Parents":{},"Ticket":{},"Eproof":{},"BeaconValues":{},"Messages":{},)"
            R"("Epoch":{},"Timestamp":{},"WinningPoStProof":[{}]}}])",
            chain::to_json_string(base.key()), chain::to_json_string(chain::Ticket{ticket}),
            chain::to_json_string(chain::ElectionProof{wins, eproof}), rpc::to_json_text(entries), messages, round,
            genesis.blocks()[0].timestamp + static_cast<std::uint64_t>(round),
            chain::to_json_string(mock_winning_post(sectors)[0]));
        auto created = c.call("Filecoin.MinerCreateBlock", rpc::RawJson{tmpl});
        INFO(tmpl);
        REQUIRE(created);
        auto msg = chain::from_json_string<chain::BlockMsg>(created->text).value();
        msg.header.block_sig = chain::sign(worker, msg.header.signing_bytes().value()).value();
        return msg;
    }
    FAIL("no winning round in 40");
    return {};
}

chain::TipSet submit(rpc::HttpRpcClient& c, const chain::BlockMsg& b) {
    auto r = c.call("Filecoin.SyncSubmitBlock", rpc::RawJson{"[" + chain::to_json_string(b) + "]"});
    INFO((r ? "" : r.error().message));
    REQUIRE(r);
    const auto cid = b.header.cid().value();
    chain::TipSet ts;
    REQUIRE(test::wait_until([&] {
        auto t = c.call("Filecoin.ChainGetTipSet", rpc::RawJson{"[[" + chain::to_json_string(cid) + "]]"});
        if (!t) return false;
        ts = chain::from_json_string<chain::TipSet>(t->text).value();
        return true;
    }, 30s));
    return ts;
}

chain::TipSet head(rpc::HttpRpcClient& c) { return test::rpc_head(c).value(); }

}  // namespace

TEST_CASE("messager daemon: a reorg sends on-chain messages back to FillMsg, then on chain again", "[integration][messager]") {
    test::TempDir tmp;
    const auto repo = tmp.path() / "chain";
    std::filesystem::create_directories(repo);
    auto net = slurp(std::filesystem::path(VENUS_SOURCE_DIR) / "etc" / "networks" / "devnet.toml");
    net = std::regex_replace(net, std::regex(R"(block_delay_secs = \d+)"), "block_delay_secs = 1");
    net = std::regex_replace(net, std::regex(R"(propagation_delay_secs = \d+)"), "propagation_delay_secs = 0");
    std::ofstream(tmp.path() / "fast.toml") << net;
    std::ofstream(repo / "config.toml") << "[node]\nnetwork_file = \"" << (tmp.path() / "fast.toml").string()
                                        << "\"\n[messager]\nwait_head_stable = \"100ms\"\nrepublish_interval = \"1s\"\n";
    Daemon d({"--enable", "auth,gateway,node,messager,wallet"}, std::string{}, repo);
    REQUIRE(d.start());
    rpc::HttpRpcClient node(d.api_info(), "/rpc/v1");
    rpc::HttpRpcClient msgr(d.api_info(), "/rpc/v0");
    const auto worker = test::genesis_key(repo, "miner 0 worker").value();
    const auto account = test::genesis_key(repo, "account").value();
    const auto from = chain::key_address(account).value().to_string();
    // The built-in wallet serves the admin's account through the gateway (the daemon's own wallet).
    REQUIRE(node.call("Filecoin.WalletImport", rpc::make_params([&](rpc::JsonOut& o) {
                          rpc::write_raw(o, rpc::RawJson{chain::key_info_json(account)});
                      })));
    auto state_of = [&](const std::string& id) {
        auto r = msgr.call("Message.GetMessageByUid", rpc::RawJson{"[\"" + id + "\"]"});
        REQUIRE(r);
        return parse(r->text);
    };
    std::vector<std::string> ids;
    for (int i = 0; i < 2; ++i) {
        auto r = msgr.call("Message.PushMessage",
                           rpc::RawJson{R"([{"Version":0,"To":"t01000","From":")" + from +
                                        R"(","Nonce":0,"Value":"1","GasLimit":0,"GasFeeCap":"0","GasPremium":"0","Method":0,"Params":null}, null])"});
        INFO((r ? "" : r.error().message));
        REQUIRE(r);
        ids.push_back(parse(r->text).GetString());
    }
    // A new head triggers selection; then a block includes the messages and its child brings receipts.
    const auto base = head(node);
    auto t1 = submit(node, make_block(node, worker, base, "[]", 0));
    if (!test::wait_until([&] { return state_of(ids[0])["State"].GetInt() == 2 && state_of(ids[1])["State"].GetInt() == 2; }, 20s)) {
        FAIL("not filled: " << state_of(ids[0])["ErrorMsg"].GetString() << "\n" << d.log());
    }
    REQUIRE(test::wait_until([&] {
        auto p = node.call("Filecoin.MpoolPending", rpc::RawJson{"[[]]"});
        return p && parse(p->text).Size() == 2;
    }, 20s));
    auto sel = node.call("Filecoin.MpoolSelect", rpc::RawJson{"[" + chain::to_json_string(t1.key()) + ", 0.8]"});
    REQUIRE(sel);
    REQUIRE(parse(sel->text).Size() == 2);
    auto t2 = submit(node, make_block(node, worker, t1, sel->text, 0));
    auto t3 = submit(node, make_block(node, worker, t2, "[]", 0));
    REQUIRE(head(node).key() == t3.key());
    REQUIRE(test::wait_until([&] { return state_of(ids[0])["State"].GetInt() == 3 && state_of(ids[1])["State"].GetInt() == 3; }, 20s));
    CHECK(state_of(ids[0])["Height"].GetInt64() == t2.height());

    // A heavier branch from t1 without them: the lighter one is dropped, the messages back to FillMsg.
    auto f = t1;
    for (int i = 0; i < 4; ++i) f = submit(node, make_block(node, worker, f, "[]", t3.height() + 1));
    REQUIRE(test::wait_until([&] { return head(node).key() == f.key(); }, 20s));
    if (!test::wait_until([&] { return state_of(ids[0])["State"].GetInt() == 2 && state_of(ids[1])["State"].GetInt() == 2; }, 20s)) {
        FAIL("not reverted: " << state_of(ids[0])["State"].GetInt() << "\n" << d.log());
    }
    CHECK(state_of(ids[0])["Height"].GetInt64() == 0);

    // The new branch includes them (pushed again): on chain again, same signed messages.
    REQUIRE(test::wait_until([&] {
        auto s = node.call("Filecoin.MpoolSelect", rpc::RawJson{"[" + chain::to_json_string(f.key()) + ", 0.8]"});
        return s && parse(s->text).Size() == 2;
    }, 20s));
    sel = node.call("Filecoin.MpoolSelect", rpc::RawJson{"[" + chain::to_json_string(f.key()) + ", 0.8]"});
    auto g1 = submit(node, make_block(node, worker, f, sel->text, 0));
    submit(node, make_block(node, worker, g1, "[]", 0));
    REQUIRE(test::wait_until([&] { return state_of(ids[0])["State"].GetInt() == 3 && state_of(ids[1])["State"].GetInt() == 3; }, 20s));
    CHECK(state_of(ids[0])["Height"].GetInt64() == g1.height());
    CHECK(state_of(ids[0])["Receipt"]["ExitCode"].GetInt() == 0);
}
