// SPDX-License-Identifier: Apache-2.0 OR MIT
// Issue 6 interop: transfers signed by independent JavaScript libraries (@zondax secp256k1,
// @noble/curves BLS) are accepted by MpoolPush with the CIDs JavaScript computed, mined into blocks
// the way sophon-miner does (MinerGetBaseInfo, election, MinerCreateBlock, SyncSubmitBlock), executed,
// and found by StateSearchMsg with exit code 0 and the value moved.
#include <catch2/catch.hpp>

#include <array>
#include <fmt/format.h>
#include <cstdio>
#include <thread>

#include "consensus/election.hpp"
#include "consensus/params.hpp"
#include "consensus/proofs.hpp"
#include "support/daemon.hpp"
#include "support/fixtures.hpp"
#include "venus/chain/json.hpp"
#include "venus/chain/keys.hpp"
#include "venus/rpc/client.hpp"
#include "venus/rpc/json.hpp"

using namespace venus;
using namespace venus::plugins::consensus;
using venus::test::Daemon;

namespace {

rapidjson::Document parse(const std::string& text) {
    rapidjson::Document d;
    REQUIRE(rpc::parse_json(text, d).ok());
    return d;
}

std::string json_of(const rapidjson::Value& v) {
    rapidjson::StringBuffer sb;
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    v.Accept(w);
    return sb.GetString();
}

//! The genesis keys of one role, as the node wrote them (Lotus KeyInfo JSON).
std::vector<chain::KeyInfo> genesis_keys(const std::filesystem::path& repo, const std::string& role) {
    const auto dir = repo / "keystore" / "genesis";
    auto index = parse(test::read_file(dir / "genesis-keys.json"));
    std::vector<chain::KeyInfo> keys;
    for (const auto& e : index.GetArray()) {
        if (std::string(e["Role"].GetString()) == role) {
            keys.push_back(chain::parse_key_info_json(
                               test::read_file(dir / (std::string(e["Address"].GetString()) + ".key")))
                               .value());
        }
    }
    return keys;
}

//! Runs `node sign_messages.mjs <spec>`; nullopt when node or the npm packages are missing.
std::optional<std::string> js_sign(const std::string& spec) {
    // Tests run from the project's source directory (venus_add_test's WORKING_DIRECTORY).
    const std::filesystem::path here = std::filesystem::current_path() / "test" / "interop" / "node";
    if (!std::filesystem::exists(here / ".." / "node_modules" / "@zondax" / "filecoin-signing-tools")) return std::nullopt;
    if (std::system("node --version >/dev/null 2>&1") != 0) return std::nullopt;
    const std::string cmd = "node '" + (here / "sign_messages.mjs").string() + "' '" + spec + "'";
    FILE* p = ::popen(cmd.c_str(), "r");
    REQUIRE(p != nullptr);
    std::string out;
    std::array<char, 4096> buf{};
    while (auto n = std::fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
    REQUIRE(::pclose(p) == 0);
    return out;
}

//! Mines one block on the head at the next round the genesis miner wins, with `messages` (JSON
//! array of SignedMessages), and waits until it is the head.
chain::TipSet mine(rpc::HttpRpcClient& c, const chain::KeyInfo& worker, const std::string& messages) {
    auto head = chain::from_json_string<chain::TipSet>(c.call("Filecoin.ChainHead")->text).value();
    const auto genesis = chain::from_json_string<chain::TipSet>(c.call("Filecoin.ChainGetGenesis")->text).value();
    const auto miner = chain::Address::new_id(1000).value();
    for (chain::ChainEpoch round = head.height() + 1; round < head.height() + 30; ++round) {
        auto bi = c.call("Filecoin.MinerGetBaseInfo",
                         rpc::RawJson{"[\"t01000\", " + std::to_string(round) + ", " + chain::to_json_string(head.key()) + "]"});
        REQUIRE(bi.ok());
        auto info = parse(bi->text);
        REQUIRE(info.IsObject());
        chain::BeaconEntry rbase;
        REQUIRE(chain::from_json(info["BeaconEntries"].Size() > 0 ? info["BeaconEntries"][info["BeaconEntries"].Size() - 1]
                                                                    : info["PrevBeaconEntry"],
                                 rbase)
                    .ok());
        ConsensusParams p;
        const auto trand = ticket_randomness(rbase.data, miner, round, head.blocks().front().ticket->vrf_proof, p);
        const auto eproof = compute_vrf(worker, election_randomness(rbase.data, miner, round)).value();
        const auto wins = compute_win_count(eproof, chain::BigInt::from_string(info["MinerPower"].GetString()).value(),
                                            chain::BigInt::from_string(info["NetworkPower"].GetString()).value());
        if (wins == 0) continue;
        std::vector<api::SectorInfo> sectors(1);
        sectors[0].seal_proof = info["Sectors"][0]["SealProof"].GetInt64();
        const std::string tmpl = fmt::format(
            R"([{{"Miner":"t01000","Parents":{},"Ticket":{},"Eproof":{},"BeaconValues":{},"Messages":{},)"
            R"("Epoch":{},"Timestamp":{},"WinningPoStProof":[{}]}}])",
            chain::to_json_string(head.key()), chain::to_json_string(chain::Ticket{compute_vrf(worker, trand).value()}),
            chain::to_json_string(chain::ElectionProof{wins, eproof}), json_of(info["BeaconEntries"]), messages, round,
            genesis.blocks()[0].timestamp + 4 * static_cast<std::uint64_t>(round),
            chain::to_json_string(mock_winning_post(sectors)[0]));
        auto created = c.call("Filecoin.MinerCreateBlock", rpc::RawJson{tmpl});
        REQUIRE(created.ok());
        auto msg = chain::from_json_string<chain::BlockMsg>(created->text).value();
        msg.header.block_sig = chain::sign(worker, msg.header.signing_bytes().value()).value();
        // A block from the near future is queued by the daemon and applied when its time comes.
        (void)c.call("Filecoin.SyncSubmitBlock", rpc::RawJson{"[" + chain::to_json_string(msg) + "]"});
        chain::TipSet now;
        REQUIRE(test::wait_until(
            [&] {
                now = chain::from_json_string<chain::TipSet>(c.call("Filecoin.ChainHead")->text).value();
                return now.height() >= round;
            },
            std::chrono::seconds(30), std::chrono::milliseconds(100)));
        return now;
    }
    FAIL("the genesis miner won no round in 30");
    return head;
}

}  // namespace

TEST_CASE("messages signed by Zondax (secp256k1) and noble (BLS) are pushed, mined, executed, found", "[interop][node]") {
    test::TempDir tmp;
    const auto repo = tmp.path() / "repo";
    Daemon d({"--enable", "node"}, "[node]\ngenesis_accounts = 2\n", repo);
    REQUIRE(d.start());
    rpc::HttpRpcClient c(d.api_info());

    const auto accounts = genesis_keys(repo, "account");
    REQUIRE(accounts.size() == 2);
    const auto worker = genesis_keys(repo, "miner 0 worker").at(0);
    std::string spec = "[";
    for (std::size_t i = 0; i < accounts.size(); ++i) {
        const auto& k = accounts[i];
        spec += fmt::format(R"({}{{"type":"{}","key":"{}","from":"{}","to":"{}","nonce":0,"value":"{}"}})",
                            i ? "," : "", k.type == chain::SigType::kBls ? "bls" : "secp256k1",
                            to_base64(k.private_key), chain::key_address(k)->to_string(),
                            chain::key_address(accounts[1 - i])->to_string(), 1000 + i);
    }
    spec += "]";
    auto signed_json = js_sign(spec);
    if (!signed_json) {
        WARN("SKIPPED: node or test/interop/node_modules missing; JS-signed message interop not run");
        return;
    }
    auto signed_doc = parse(*signed_json);
    REQUIRE(signed_doc.Size() == 2);

    std::vector<std::string> cids;
    std::string block_messages = "[";
    for (const auto& sm : signed_doc.GetArray()) {
        rapidjson::Document copy;
        copy.CopyFrom(sm, copy.GetAllocator());
        const std::string js_cid = copy["CID"].GetString();
        copy.RemoveMember("CID");
        const std::string body = json_of(copy);
        auto pushed = c.call("Filecoin.MpoolPush", rpc::RawJson{"[" + body + "]"});
        INFO(body);
        REQUIRE(pushed.ok());
        CHECK(parse(pushed->text)["/"].GetString() == js_cid);  // venusd's CID = the one JavaScript computed
        cids.push_back(js_cid);
        block_messages += (cids.size() > 1 ? "," : "") + body;
    }
    block_messages += "]";
    auto pending = c.call("Filecoin.MpoolPending", rpc::RawJson{"[[]]"});
    REQUIRE(pending.ok());
    CHECK(parse(pending->text).Size() == 2);

    // Included in one block, executed when the next tipset is built on it.
    const auto included = mine(c, worker, block_messages);
    const auto executed = mine(c, worker, "[]");
    REQUIRE(executed.parents() == included.key());
    for (std::size_t i = 0; i < cids.size(); ++i) {
        auto found = c.call("Filecoin.StateSearchMsg",
                            rpc::RawJson{R"([[], {"/":")" + cids[i] + R"("}, -1, true])"});
        REQUIRE(found.ok());
        auto lookup = parse(found->text);
        INFO(found->text);
        REQUIRE(lookup.IsObject());
        CHECK(lookup["Receipt"]["ExitCode"].GetInt() == 0);
        // Lotus's MsgLookup names the tipset that executed the message: the child of the including one.
        CHECK(lookup["Height"].GetInt64() == executed.height());
    }
    // The pool let go of them, and the nonces moved.
    pending = c.call("Filecoin.MpoolPending", rpc::RawJson{"[[]]"});
    REQUIRE(pending.ok());
    CHECK(parse(pending->text).Size() == 0);
    for (const auto& k : accounts) {
        auto nonce = c.call("Filecoin.MpoolGetNonce", rpc::RawJson{"[\"" + chain::key_address(k)->to_string() + "\"]"});
        REQUIRE(nonce.ok());
        CHECK(nonce->text == "1");
    }
}
