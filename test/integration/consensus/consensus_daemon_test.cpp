// SPDX-License-Identifier: Apache-2.0 OR MIT
// Consensus in a real daemon, driven as sophon-miner drives it over JSON-RPC: MinerGetBaseInfo,
// the election with the genesis worker key, MinerCreateBlock (unsigned: no local wallet), signing,
// SyncSubmitBlock (a block from the near future is retried by the daemon), SyncState, and
// StateGetBeaconEntry waiting for a round that is not produced yet.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "consensus/election.hpp"
#include "consensus/proofs.hpp"
#include "support/daemon.hpp"
#include "support/fixtures.hpp"
#include "venus/chain/json.hpp"
#include "venus/chain/keys.hpp"
#include "venus/rpc/client.hpp"

using namespace venus;
using namespace venus::plugins::consensus;
using venus::test::Daemon;

namespace {

rapidjson::Document parse(const std::string& text) {
    rapidjson::Document d;
    REQUIRE(rpc::parse_json(text, d).ok());
    return d;
}

chain::KeyInfo miner0_worker(const std::filesystem::path& repo) {
    const auto dir = repo / "keystore" / "genesis";
    auto index = parse(test::read_file(dir / "genesis-keys.json"));
    for (const auto& e : index.GetArray()) {
        if (std::string(e["Role"].GetString()) == "miner 0 worker") {
            return chain::parse_key_info_json(test::read_file(dir / (std::string(e["Address"].GetString()) + ".key"))).value();
        }
    }
    FAIL("no worker key in genesis-keys.json");
    return {};
}

}  // namespace

TEST_CASE("consensus daemon: mine a block over RPC the way sophon-miner does", "[integration][consensus]") {
    venus::test::TempDir tmp;
    const auto repo = tmp.path() / "repo";
    Daemon d({"--enable", "node"}, {}, repo);
    REQUIRE(d.start());
    rpc::HttpRpcClient c(d.api_info());
    const auto worker = miner0_worker(repo);

    auto head_json = c.call("Filecoin.ChainHead");
    REQUIRE(head_json.ok());
    auto genesis = chain::from_json_string<chain::TipSet>(head_json->text).value();
    REQUIRE(genesis.height() == 0);

    auto state = c.call("Filecoin.SyncState");
    REQUIRE(state.ok());
    CHECK(parse(state->text)["ActiveSyncs"].Size() == 1);

    // The election, round by round until the miner wins (λ = 5: it almost always wins at once).
    std::string block_msg;
    chain::ChainEpoch round = 1;
    for (; round < 20 && block_msg.empty(); ++round) {
        auto bi = c.call("Filecoin.MinerGetBaseInfo", rpc::RawJson{"[\"t01000\", " + std::to_string(round) + ", []]"});
        REQUIRE(bi.ok());
        auto info = parse(bi->text);
        REQUIRE(info.IsObject());
        REQUIRE(info["EligibleForMining"].GetBool());
        chain::BeaconEntry rbase;
        REQUIRE(chain::from_json(info["BeaconEntries"][info["BeaconEntries"].Size() - 1], rbase).ok());
        const auto miner = chain::Address::new_id(1000).value();
        ConsensusParams p;
        const auto trand = ticket_randomness(rbase.data, miner, round, genesis.blocks()[0].ticket->vrf_proof, p);
        const auto eproof = compute_vrf(worker, election_randomness(rbase.data, miner, round)).value();
        const auto wins = compute_win_count(eproof, chain::BigInt::from_string(info["MinerPower"].GetString()).value(),
                                            chain::BigInt::from_string(info["NetworkPower"].GetString()).value());
        if (wins == 0) continue;
        std::vector<api::SectorInfo> sectors(1);
        sectors[0].seal_proof = info["Sectors"][0]["SealProof"].GetInt64();
        const auto post = mock_winning_post(sectors);
        const std::string tmpl = fmt::format(
            R"([{{"Miner":"t01000","Parents":{},"Ticket":{},"Eproof":{},"BeaconValues":{},"Messages":[],)"
            R"("Epoch":{},"Timestamp":{},"WinningPoStProof":[{}]}}])",
            chain::to_json_string(genesis.key()), chain::to_json_string(chain::Ticket{compute_vrf(worker, trand).value()}),
            chain::to_json_string(chain::ElectionProof{wins, eproof}),
            [&] {
                rapidjson::StringBuffer sb;
                chain::JsonWriter w(sb);
                info["BeaconEntries"].Accept(w);
                return std::string(sb.GetString());
            }(),
            round, genesis.blocks()[0].timestamp + 4 * static_cast<std::uint64_t>(round), chain::to_json_string(post[0]));
        auto created = c.call("Filecoin.MinerCreateBlock", rpc::RawJson{tmpl});
        REQUIRE(created.ok());
        auto msg = chain::from_json_string<chain::BlockMsg>(created->text).value();
        CHECK_FALSE(msg.header.block_sig.has_value());  // no wallet in this daemon: the miner signs
        msg.header.block_sig = chain::sign(worker, msg.header.signing_bytes().value()).value();
        block_msg = chain::to_json_string(msg);
        break;
    }
    REQUIRE_FALSE(block_msg.empty());

    // The block's timestamp is genesis + 4 s × round: probably still ahead of the clock, which the
    // daemon reports and retries by itself.
    auto submitted = c.call("Filecoin.SyncSubmitBlock", rpc::RawJson{"[" + block_msg + "]"});
    if (!submitted) CHECK_THAT(submitted.error().message, Catch::Contains("block was from the future"));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    chain::ChainEpoch height = 0;
    while (std::chrono::steady_clock::now() < deadline) {
        auto h = c.call("Filecoin.ChainHead");
        REQUIRE(h.ok());
        height = chain::from_json_string<chain::TipSet>(h->text).value().height();
        if (height == round) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    CHECK(height == round);
    state = c.call("Filecoin.SyncState");
    REQUIRE(state.ok());
    auto sdoc = parse(state->text);
    CHECK(sdoc["ActiveSyncs"][0]["Height"].GetInt64() == round);
    CHECK(sdoc["VMApplied"].GetUint64() == 1);

    // A round the mock beacon produces only when its epoch starts: the call waits for it.
    const auto now = static_cast<std::uint64_t>(std::time(nullptr));
    const auto epoch = static_cast<chain::ChainEpoch>((now - genesis.blocks()[0].timestamp) / 4 + 1);
    auto entry = c.call("Filecoin.StateGetBeaconEntry", rpc::RawJson{"[" + std::to_string(epoch) + "]"});
    REQUIRE(entry.ok());
    CHECK(parse(entry->text)["Round"].GetUint64() == static_cast<std::uint64_t>(epoch + 100));
    auto v0 = c.call("Filecoin.BeaconGetEntry", rpc::RawJson{"[0]"});
    REQUIRE(v0.ok());
    CHECK(parse(v0->text)["Round"].GetUint64() == 100);
}
