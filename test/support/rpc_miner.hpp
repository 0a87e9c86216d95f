// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Mines devnet blocks through a node's JSON-RPC API the way sophon-miner does (MinerGetBaseInfo,
//! election, MinerCreateBlock), signing with a genesis key from the node's keystore. Header-only,
//! no Catch: tests and benchmarks use it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "consensus/election.hpp"
#include "consensus/params.hpp"
#include "consensus/proofs.hpp"
#include "support/fixtures.hpp"
#include "venus/chain/json.hpp"
#include "venus/chain/keys.hpp"
#include "venus/rpc/client.hpp"
#include "venus/rpc/json.hpp"

namespace venus::test {

//! A genesis key of `role` ("account", "miner 0 worker", …) as the node wrote it.
inline Result<chain::KeyInfo> genesis_key(const std::filesystem::path& repo, const std::string& role) {
    const auto dir = repo / "keystore" / "genesis";
    rapidjson::Document index;
    VENUS_TRY_VOID(rpc::parse_json(read_file(dir / "genesis-keys.json"), index));
    if (!index.IsArray()) return make_error(Errc::kInvalidArgument, "genesis-keys.json is not an array");
    for (const auto& e : index.GetArray()) {
        if (std::string(e["Role"].GetString()) == role) {
            return chain::parse_key_info_json(read_file(dir / (std::string(e["Address"].GetString()) + ".key")));
        }
    }
    return make_error(Errc::kNotFound, "no genesis key {}", role);
}

inline Result<chain::TipSet> rpc_head(rpc::HttpRpcClient& c) {
    VENUS_TRY(auto r, c.call("Filecoin.ChainHead"));
    return chain::from_json_string<chain::TipSet>(r.text);
}

//! A block on `c`'s head at the next round t01000 wins, its header signed by `signer` (the worker
//! for a valid block), with the signed messages `messages` (a JSON array), at the first round won
//! from head + `gap` on (a gap > 1 leaves null rounds before it).
inline Result<chain::BlockMsg> rpc_create_block(rpc::HttpRpcClient& c, const chain::KeyInfo& worker,
                                                const chain::KeyInfo& signer, const std::string& messages = "[]",
                                                chain::ChainEpoch gap = 1) {
    using namespace venus::plugins::consensus;
    VENUS_TRY(auto head, rpc_head(c));
    VENUS_TRY(auto g, c.call("Filecoin.ChainGetGenesis"));
    VENUS_TRY(auto genesis, chain::from_json_string<chain::TipSet>(g.text));
    const auto miner = chain::Address::new_id(1000).value();
    for (chain::ChainEpoch round = head.height() + gap; round < head.height() + gap + 30; ++round) {
        VENUS_TRY(auto bi, c.call("Filecoin.MinerGetBaseInfo",
                                  rpc::RawJson{"[\"t01000\", " + std::to_string(round) + ", " +
                                               chain::to_json_string(head.key()) + "]"}));
        rapidjson::Document info;
        VENUS_TRY_VOID(rpc::parse_json(bi.text, info));
        if (!info.IsObject()) return make_error(Errc::kInvalidArgument, "MinerGetBaseInfo: no base info");
        chain::BeaconEntry rbase;
        const auto& entries = info["BeaconEntries"];
        VENUS_TRY_VOID(chain::from_json(entries.Size() > 0 ? entries[entries.Size() - 1] : info["PrevBeaconEntry"], rbase));
        ConsensusParams p;
        const auto trand = ticket_randomness(rbase.data, miner, round, head.blocks().front().ticket->vrf_proof, p);
        VENUS_TRY(auto eproof, compute_vrf(worker, election_randomness(rbase.data, miner, round)));
        VENUS_TRY(auto mp, chain::BigInt::from_string(info["MinerPower"].GetString()));
        VENUS_TRY(auto np, chain::BigInt::from_string(info["NetworkPower"].GetString()));
        const auto wins = compute_win_count(eproof, mp, np);
        if (wins == 0) continue;
        std::vector<api::SectorInfo> sectors(1);
        sectors[0].seal_proof = info["Sectors"][0]["SealProof"].GetInt64();
        rapidjson::StringBuffer sb;
        rapidjson::Writer<rapidjson::StringBuffer> w(sb);
        entries.Accept(w);
        VENUS_TRY(auto ticket, compute_vrf(worker, trand));
        const std::string tmpl = fmt::format(
            R"([{{"Miner":"t01000","Parents":{},"Ticket":{},"Eproof":{},"BeaconValues":{},"Messages":{},)"
            R"("Epoch":{},"Timestamp":{},"WinningPoStProof":[{}]}}])",
            chain::to_json_string(head.key()), chain::to_json_string(chain::Ticket{ticket}),
            chain::to_json_string(chain::ElectionProof{wins, eproof}), sb.GetString(), messages, round,
            genesis.blocks()[0].timestamp + 4 * static_cast<std::uint64_t>(round),
            chain::to_json_string(mock_winning_post(sectors)[0]));
        VENUS_TRY(auto created, c.call("Filecoin.MinerCreateBlock", rpc::RawJson{tmpl}));
        VENUS_TRY(auto msg, chain::from_json_string<chain::BlockMsg>(created.text));
        VENUS_TRY(auto sb_bytes, msg.header.signing_bytes());
        VENUS_TRY(msg.header.block_sig, chain::sign(signer, sb_bytes));
        return msg;
    }
    return make_error(Errc::kNotFound, "the genesis miner won no round in 30");
}

//! Mines one block through `c` and waits (up to `timeout`) until it is `c`'s head.
inline Result<chain::TipSet> rpc_mine(rpc::HttpRpcClient& c, const chain::KeyInfo& worker,
                                      std::chrono::milliseconds timeout = std::chrono::seconds(30),
                                      const std::string& messages = "[]", chain::ChainEpoch gap = 1) {
    VENUS_TRY(auto msg, rpc_create_block(c, worker, worker, messages, gap));
    // A block from the near future is queued by the daemon and applied when its time comes.
    (void)c.call("Filecoin.SyncSubmitBlock", rpc::RawJson{"[" + chain::to_json_string(msg) + "]"});
    chain::TipSet now;
    const bool ok = wait_until(
        [&] {
            auto h = rpc_head(c);
            if (!h) return false;
            now = std::move(*h);
            return now.height() >= msg.header.height;
        },
        timeout, std::chrono::milliseconds(20));
    if (!ok) return make_error(Errc::kTimeout, "mined block at height {} did not become the head", msg.header.height);
    return now;
}

}  // namespace venus::test
