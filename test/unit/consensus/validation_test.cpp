// SPDX-License-Identifier: Apache-2.0 OR MIT
// Block validation: a valid block moves the head; every rule of node-chain.md §3.7 rejects a block
// that breaks it, with its reason, without moving the head. Also the RPC table.
#include <asio/io_context.hpp>

#include "consensus/devnet.hpp"
#include "consensus/rpc_methods.hpp"
#include "venus/chain/json.hpp"

using namespace venus;
using namespace venus::test::consensus;

namespace {

struct Rejections {
    Devnet d{1, 4};
    chain::TipSet base;

    Rejections() {
        // One valid block first, so that the beacon checks (skipped right after genesis) apply.
        auto b1 = d.mine(0, d.node->head());
        auto v = d.svc->submit(b1);
        REQUIRE(v.ok());
        base = d.node->head();
        REQUIRE(base.height() >= 1);
    }

    void expect_rejected(FullBlock b, const std::string& reason, bool resign = true,
                         Failure failure = Failure::kInvalid) {
        if (resign) d.sign(b, 0);
        const auto head = d.node->head();
        auto v = d.svc->submit(b);
        INFO("reason: " << v.reason);
        CHECK(v.failure == failure);
        CHECK_THAT(v.reason, Catch::Contains(reason));
        CHECK(d.node->head() == head);
    }

    FullBlock with_messages(std::vector<chain::SignedMessage> msgs) { return d.mine(0, base, std::move(msgs)); }

    chain::SignedMessage msg(std::size_t from, const std::function<void(chain::Message&)>& tweak) {
        auto sm = d.transfer(from, d.account(3), 1000);
        tweak(sm.message);
        return chain::sign_message(d.tpl.accounts[from].key, sm.message).value();
    }
};

}  // namespace

TEST_CASE("a valid block extends the chain, its weight grows", "[consensus][validation]") {
    Rejections r;
    auto good = r.with_messages({r.d.transfer(0, r.d.account(2), 5), r.d.transfer(1, r.d.account(2), 7)});
    REQUIRE(good.secp_messages.size() == 1);
    REQUIRE(good.bls_messages.size() == 1);
    auto v = r.d.svc->submit(good);
    INFO(v.reason);
    REQUIRE(v.ok());
    const auto head = r.d.node->head();
    CHECK(head.cids().front() == good.header.cid().value());
    CHECK(r.d.node->weight(head.key()).value() > r.d.node->weight(r.base.key()).value());
    // Submitting it again is harmless.
    CHECK(r.d.svc->submit(good).ok());
}

TEST_CASE("every block rule rejects a block that breaks it", "[consensus][validation]") {
    Rejections r;
    auto& d = r.d;
    const auto good = d.mine(0, r.base);

    SECTION("sanity: nil election proof") {
        auto b = good;
        b.header.election_proof.reset();
        r.expect_rejected(b, "block cannot have nil election proof");
    }
    SECTION("sanity: nil ticket") {
        auto b = good;
        b.header.ticket.reset();
        r.expect_rejected(b, "block cannot have nil ticket");
    }
    SECTION("sanity: nil signature") {
        auto b = good;
        b.header.block_sig.reset();
        r.expect_rejected(b, "block had nil signature", false);
    }
    SECTION("sanity: nil BLS aggregate") {
        auto b = good;
        b.header.bls_aggregate.reset();
        r.expect_rejected(b, "block had nil bls aggregate signature");
    }
    SECTION("sanity: miner is not an ID address") {
        auto b = good;
        b.header.miner = d.account(0);
        r.expect_rejected(b, "block had non-ID miner address");
    }
    SECTION("parent unknown") {
        auto b = good;
        b.header.parents = {chain::Cid::parse("bafy2bzacedswlcz5ddgqnyo3sak3jmhmkxashisnlpq6ujgyhe4mlobzpnhs6").value()};
        r.expect_rejected(b, "loading parent tipset", true, Failure::kMissingParent);
    }
    SECTION("height not above the parent") {
        auto b = good;
        b.header.height = r.base.height();
        r.expect_rejected(b, "block height not greater than parent height");
    }
    SECTION("timestamp not parent + delay × epochs") {
        auto b = good;
        b.header.timestamp += 1;
        r.expect_rejected(b, "block has wrong timestamp");
    }
    SECTION("message root does not match the messages") {
        auto b = good;
        b.header.messages = b.header.parent_state_root;
        r.expect_rejected(b, "messages didn't match message root in header");
    }
    SECTION("parent state root") {
        auto b = good;
        b.header.parent_state_root = b.header.messages;
        r.expect_rejected(b, "parent state root did not match computed state");
    }
    SECTION("parent receipts") {
        auto b = good;
        b.header.parent_message_receipts = b.header.messages;
        r.expect_rejected(b, "parent receipts root did not match computed value");
    }
    SECTION("parent base fee") {
        auto b = good;
        b.header.parent_base_fee += 1;
        r.expect_rejected(b, "base fee doesn't match");
    }
    SECTION("parent weight") {
        auto b = good;
        b.header.parent_weight += 1;
        r.expect_rejected(b, "parent weight different");
    }
    SECTION("miner absent from the power table") {
        auto b = good;
        b.header.miner = chain::Address::new_id(1999).value();
        r.expect_rejected(b, "minerIsValid failed");
    }
    SECTION("not claiming a win") {
        auto b = good;
        b.header.election_proof->win_count = 0;
        r.expect_rejected(b, "block is not claiming to be a winner");
    }
    SECTION("election proof VRF") {
        auto b = good;
        b.header.election_proof->vrf_proof = b.header.ticket->vrf_proof;
        r.expect_rejected(b, "validating block election proof failed");
    }
    SECTION("win count differs from the computed one") {
        auto b = good;
        b.header.election_proof->win_count += 1;
        r.expect_rejected(b, "miner claims wrong number of wins");
    }
    SECTION("block signature by another key") {
        auto b = good;
        auto other = chain::generate_key(chain::SigType::kBls).value();
        b.header.block_sig.reset();
        b.header.block_sig = chain::sign(other, b.header.signing_bytes().value()).value();
        r.expect_rejected(b, "check block signature failed", false);
    }
    SECTION("block signature over other bytes") {
        auto b = good;
        b.header.fork_signaling = 1;  // signed before the change
        r.expect_rejected(b, "check block signature failed", false);
    }
    SECTION("beacon entry data") {
        auto b = good;
        REQUIRE_FALSE(b.header.beacon_entries.empty());
        b.header.beacon_entries.back().data[0] ^= 1;
        r.expect_rejected(b, "failed to validate blocks random beacon values");
    }
    SECTION("beacon entries missing") {
        auto b = good;
        b.header.beacon_entries.clear();
        r.expect_rejected(b, "expected to have beacon entries in this block");
    }
    SECTION("ticket VRF") {
        auto b = good;
        b.header.ticket->vrf_proof = b.header.election_proof->vrf_proof;
        r.expect_rejected(b, "validating block tickets failed");
    }
    SECTION("winning PoSt") {
        auto b = good;
        b.header.win_post_proof[0].proof_bytes = Bytes{1, 2, 3};
        r.expect_rejected(b, "invalid election post");
    }
    SECTION("no winning PoSt") {
        auto b = good;
        b.header.win_post_proof.clear();
        r.expect_rejected(b, "No winning post proof given");
    }
    SECTION("BLS aggregate") {
        auto b = r.with_messages({d.transfer(1, d.account(2), 5)});
        REQUIRE(b.bls_messages.size() == 1);
        b.header.bls_aggregate->data = b.header.ticket->vrf_proof;
        r.expect_rejected(b, "bls aggregate signature was invalid");
    }
    SECTION("message below the on-chain gas cost") {
        auto b = r.with_messages({r.msg(0, [](chain::Message& m) { m.gas_limit = 1000; })});
        r.expect_rejected(b, "invalid for block inclusion: 'GasLimit' field cannot be less than the cost");
    }
    SECTION("message with premium above fee cap") {
        auto b = r.with_messages({r.msg(0, [](chain::Message& m) { m.gas_premium = m.gas_fee_cap + 1; })});
        r.expect_rejected(b, "'GasFeeCap' less than 'GasPremium'");
    }
    SECTION("message with a wrong nonce") {
        auto b = r.with_messages({r.msg(0, [](chain::Message& m) { m.nonce = 5; })});
        r.expect_rejected(b, "wrong nonce (exp: 0, got: 5)");
    }
    SECTION("nonces must be sequential within the block") {
        auto m1 = d.transfer(0, d.account(2), 1);
        auto m2 = r.msg(0, [](chain::Message& m) { m.nonce = 3; });
        auto b = r.with_messages({m1, m2});
        r.expect_rejected(b, "block had invalid secpk message at index 1: wrong nonce (exp: 1, got: 3)");
    }
    SECTION("sender that is not an account") {
        auto sm = d.transfer(0, d.account(2), 1);
        sm.message.from = d.miner(0);
        auto b = r.with_messages({sm});
        r.expect_rejected(b, "Sender must be an account actor");
    }
    SECTION("a BLS-typed signature among the secp messages") {
        auto b = r.with_messages({d.transfer(0, d.account(2), 1)});
        REQUIRE(b.secp_messages.size() == 1);
        b.secp_messages[0].signature.type = chain::SigType::kBls;
        b.header.messages = d.node->put_messages(api::BlockContents{b.bls_messages, b.secp_messages}).value();
        r.expect_rejected(b, "block had invalid signed message at index 0: invalid signature type");
    }
    SECTION("secp signature by another key") {
        auto sm = d.transfer(0, d.account(2), 1);
        sm.signature = chain::sign(d.tpl.accounts[2].key, sm.message.cid().value().bytes()).value();
        auto b = r.with_messages({sm});
        r.expect_rejected(b, "failed to validate signature");
    }
}

TEST_CASE("block limits from the network parameters", "[consensus][validation]") {
    SECTION("too many messages") {
        Devnet d(1, 4, [](ConsensusParams& p) { p.block_message_limit = 1; });
        auto b = d.mine(0, d.node->head(), {d.transfer(0, d.account(2), 1), d.transfer(0, d.account(2), 2)});
        auto v = d.svc->submit(b);
        CHECK_THAT(v.reason, Catch::Contains("has too many messages (2)"));
        CHECK(d.node->head().height() == 0);
    }
    SECTION("summed gas limit above the block gas limit") {
        Devnet d(1, 4, [](ConsensusParams& p) { p.block_gas_limit = 15'000'000; });
        auto b = d.mine(0, d.node->head(), {d.transfer(0, d.account(2), 1), d.transfer(0, d.account(2), 2)});
        auto v = d.svc->submit(b);
        CHECK_THAT(v.reason, Catch::Contains("block gas limit exceeded"));
        CHECK(d.node->head().height() == 0);
    }
}

TEST_CASE("bad blocks are persisted and never re-validated, their children are bad", "[consensus][validation]") {
    Devnet d(1, 2);
    auto b = d.mine(0, d.node->head());
    b.header.parent_base_fee += 1;
    d.sign(b, 0);
    auto v = d.svc->submit(b);
    REQUIRE(v.failure == Failure::kInvalid);
    // A fresh service over the same store still knows it.
    d.svc = d.make_service(d.svc->params());
    v = d.svc->submit(b);
    CHECK(v.failure == Failure::kInvalid);
    CHECK_THAT(v.reason, Catch::Contains("block was marked bad: base fee doesn't match"));
    // A block on top of it is bad too.
    auto child = b;
    child.header.parents = {b.header.cid().value()};
    child.header.height += 1;
    v = d.svc->submit(child);
    CHECK_THAT(v.reason, Catch::Contains("was marked bad"));
}

TEST_CASE("a block from the near future is retried when its time comes", "[consensus][validation]") {
    Devnet d(1, 2);
    auto b = d.mine(0, d.node->head());
    d.now = b.header.timestamp - 2;
    auto v = d.svc->submit(b);
    CHECK(v.failure == Failure::kTemporal);
    CHECK_THAT(v.reason, Catch::Contains("block was from the future"));
    CHECK(d.node->head().height() == 0);
    CHECK(d.svc->pending_temporal() == 1);
    CHECK(d.svc->retry_temporal() == 0);  // still early
    CHECK(d.svc->pending_temporal() == 1);
    d.now = b.header.timestamp - 1;  // within the allowed drift
    CHECK(d.svc->retry_temporal() == 1);
    CHECK(d.svc->pending_temporal() == 0);
    CHECK(d.node->head().cids().front() == b.header.cid().value());
}

TEST_CASE("MinerGetBaseInfo, MinerCreateBlock, SyncSubmitBlock and SyncState over the RPC table",
          "[consensus][rpc]") {
    Devnet d(2, 2);
    auto methods = consensus_methods(std::shared_ptr<ConsensusService>(d.svc.get(), [](auto*) {}), nullptr);
    auto call = [&](const std::string& name, const std::string& params) -> Result<std::string> {
        for (auto& m : methods) {
            if (m.name != "Filecoin." + name) continue;
            auto doc = chain::parse_json(params).value();
            rpc::CallContext ctx;
            std::optional<Result<rpc::RawJson>> out;
            m.handler(ctx, doc, rpc::Reply([&](Result<rpc::RawJson> r, auto, auto) { out = std::move(r); }));
            REQUIRE(out);
            if (!*out) return out->error();
            return (*out)->text;
        }
        FAIL("no method " << name);
        return std::string{};
    };
    for (const auto& m : methods) CHECK(m.perm != rpc::Perm::kAdmin);

    const auto g = d.node->head();
    const auto gkey = chain::to_json_string(g.key());

    SECTION("base info") {
        auto info = call("MinerGetBaseInfo", "[\"" + d.miner(0).to_string() + "\", 1, " + gkey + "]");
        REQUIRE(info.ok());
        auto doc = chain::parse_json(*info).value();
        CHECK(doc["EligibleForMining"].GetBool());
        CHECK(doc["Sectors"].Size() == 1);
        CHECK(doc["BeaconEntries"].Size() == 1);
        CHECK(doc["BeaconEntries"][0]["Round"].GetUint64() == 101);
        CHECK(std::string(doc["WorkerKey"].GetString()) == chain::key_address(d.worker(0)).value().to_string());
        CHECK(std::string(doc["NetworkPower"].GetString()) != "0");
        // A miner that does not exist, or an account, is an error (Lotus: loading miner state fails).
        CHECK_FALSE(call("MinerGetBaseInfo", "[\"t01999\", 1, " + gkey + "]").ok());
        CHECK_FALSE(call("MinerGetBaseInfo", "[\"" + d.account(0).to_string() + "\", 1, " + gkey + "]").ok());
    }
    SECTION("create (unsigned without a local wallet, signed with one), submit, sync state") {
        auto t = d.elect(0, g, 1);
        std::size_t who = 0;
        if (!t) {
            t = d.elect(1, g, 1);
            who = 1;
        }
        REQUIRE(t);
        rapidjson::StringBuffer sb;
        chain::JsonWriter w(sb);
        w.StartObject();
        w.Key("Miner");
        chain::to_json(w, t->miner);
        w.Key("Parents");
        chain::to_json(w, t->parents);
        w.Key("Ticket");
        chain::to_json(w, *t->ticket);
        w.Key("Eproof");
        chain::to_json(w, *t->eproof);
        w.Key("BeaconValues");
        w.StartArray();
        for (const auto& e : t->beacon_values) chain::to_json(w, e);
        w.EndArray();
        w.Key("Messages");
        w.StartArray();
        w.EndArray();
        w.Key("Epoch");
        w.Int64(t->epoch);
        w.Key("Timestamp");
        w.Uint64(t->timestamp);
        w.Key("WinningPoStProof");
        w.StartArray();
        for (const auto& p : t->winning_post_proof) chain::to_json(w, p);
        w.EndArray();
        w.EndObject();
        const std::string tjson = std::string("[") + sb.GetString() + "]";

        auto unsigned_msg = call("MinerCreateBlock", tjson);
        REQUIRE(unsigned_msg.ok());
        auto doc = chain::parse_json(*unsigned_msg).value();
        CHECK(doc["Header"]["BlockSig"].IsNull());
        // Submitting it unsigned fails with the validation reason.
        auto rejected = call("SyncSubmitBlock", "[" + *unsigned_msg + "]");
        REQUIRE_FALSE(rejected.ok());
        CHECK_THAT(rejected.error().message, Catch::Contains("block had nil signature"));

        auto wallet = std::make_shared<KeyWallet>();
        wallet->keys.push_back(d.worker(who));
        d.svc->set_wallet_lookup([wallet] { return wallet; });
        t->timestamp += 0;
        auto signed_msg = call("MinerCreateBlock", tjson);
        REQUIRE(signed_msg.ok());
        doc = chain::parse_json(*signed_msg).value();
        CHECK(doc["Header"]["BlockSig"].IsObject());
        auto ok = call("SyncSubmitBlock", "[" + *signed_msg + "]");
        INFO((ok ? std::string() : ok.error().message));
        REQUIRE(ok.ok());
        CHECK(d.node->head().height() == 1);

        auto state = call("SyncState", "[]");
        REQUIRE(state.ok());
        doc = chain::parse_json(*state).value();
        REQUIRE(doc["ActiveSyncs"].Size() == 1);
        CHECK(doc["ActiveSyncs"][0]["Stage"].GetInt() == 4);
        CHECK(doc["ActiveSyncs"][0]["Height"].GetInt64() == 1);
        CHECK(doc["VMApplied"].GetUint64() == 1);
    }
    SECTION("randomness and beacon") {
        auto b = d.mine(0, g);
        REQUIRE(d.svc->submit(b).ok());
        const auto head = chain::to_json_string(d.node->head().key());
        auto digest = call("StateGetRandomnessDigestFromTickets", "[1, " + head + "]");
        REQUIRE(digest.ok());
        const auto want = crypto::blake2b_256(b.header.ticket->vrf_proof);
        CHECK(*digest == "\"" + to_base64(want) + "\"");
        auto r1 = call("StateGetRandomnessFromTickets", "[2, 1, \"AQI=\", " + head + "]");
        auto r0 = call("ChainGetRandomnessFromTickets", "[" + head + ", 2, 1, \"AQI=\"]");
        REQUIRE(r1.ok());
        REQUIRE(r0.ok());
        CHECK(*r1 == *r0);
        CHECK(*r1 == "\"" + to_base64(draw_randomness(want, 2, 1, Bytes{1, 2})) + "\"");
        // The beacon entry of epoch 1 (round 101) is in the block.
        auto bd = call("StateGetRandomnessDigestFromBeacon", "[1, " + head + "]");
        REQUIRE(bd.ok());
        CHECK(*bd == "\"" + to_base64(crypto::blake2b_256(MockBeacon::entry_for_round(101).data)) + "\"");
        auto rb = call("StateGetRandomnessFromBeacon", "[3, 1, null, " + head + "]");
        REQUIRE(rb.ok());
        CHECK(*rb == "\"" + to_base64(draw_randomness(crypto::blake2b_256(MockBeacon::entry_for_round(101).data), 3, 1,
                                                       {})) + "\"");
        auto future = call("StateGetRandomnessFromTickets", "[2, 50, null, " + head + "]");
        REQUIRE_FALSE(future.ok());
        CHECK_THAT(future.error().message, Catch::Contains("cannot draw randomness from the future"));

        auto entry = call("StateGetBeaconEntry", "[7]");
        REQUIRE(entry.ok());
        CHECK(*entry == chain::to_json_string(MockBeacon::entry_for_round(107)));
        CHECK(call("BeaconGetEntry", "[7]").ok());
        CHECK_FALSE(call("StateGetBeaconEntry", "[\"x\"]").ok());
    }
}

TEST_CASE("StateGetBeaconEntry waits for a future round without blocking a thread", "[consensus][rpc]") {
    Devnet d(1, 2);
    asio::io_context io;
    // A beacon on the real clock whose round for epoch 1 is due in about a second.
    const auto genesis = unix_now();
    auto params = d.svc->params();
    auto svc = std::make_shared<ConsensusService>(*d.node, params, std::make_unique<MockBeacon>(genesis, 1),
                                                  std::make_unique<MockProofVerifier>(),
                                                  BadBlocks::open(nullptr).value());
    auto methods = consensus_methods(svc, &io);
    for (auto& m : methods) {
        if (m.name != "Filecoin.StateGetBeaconEntry") continue;
        auto doc = chain::parse_json("[1]").value();
        rpc::CallContext ctx;
        std::optional<Result<rpc::RawJson>> out;
        m.handler(ctx, doc, rpc::Reply([&](Result<rpc::RawJson> r, auto, auto) { out = std::move(r); }));
        CHECK_FALSE(out);  // not yet produced
        io.run_for(std::chrono::seconds(5));
        REQUIRE(out);
        REQUIRE(out->ok());
        CHECK((*out)->text == chain::to_json_string(MockBeacon::entry_for_round(101)));
    }
}

TEST_CASE("a miner without sectors gets a null base and cannot mine", "[consensus][rpc]") {
    Devnet d(2, 2, nullptr, [](pn::GenesisTemplate& t) { t.miners[1].sectors = 0; });
    const auto g = d.node->head();
    auto info = d.svc->base_info(d.miner(1), 1, g.key());
    REQUIRE(info.ok());
    CHECK_FALSE(info->has_value());
    CHECK(mining_base_info_json(*info) == "null");
    auto other = d.svc->base_info(d.miner(0), 1, g.key());
    REQUIRE(other.ok());
    REQUIRE(other->has_value());

    // A block it makes anyway (claiming a win with miner 0's template shape) is rejected: it has no
    // power, so it is not eligible.
    auto t = d.elect(0, g, 1);
    if (!t) t = d.elect(0, g, 2);
    REQUIRE(t);
    t->miner = d.miner(1);
    auto b = d.svc->create_block(*t);
    REQUIRE(b.ok());
    d.sign(*b, 1);
    auto v = d.svc->submit(*b);
    CHECK(v.failure == Failure::kInvalid);
    CHECK_THAT(v.reason, Catch::Contains("block's miner is ineligible to mine"));
    CHECK(d.node->head().height() == 0);
}

TEST_CASE("ValidForBlockInclusion rules with Lotus's wording", "[consensus][validation]") {
    ConsensusParams p;
    chain::Message m;
    m.from = chain::Address::new_id(100).value();
    m.to = chain::Address::new_id(101).value();
    m.value = 1;
    m.gas_limit = 10'000'000;
    m.gas_fee_cap = 1000;
    m.gas_premium = 10;
    const std::size_t len = 100;
    REQUIRE(valid_for_block_inclusion(m, len, p).ok());
    CHECK(on_chain_message_gas(len) == 38863 + 475000 + (36 + 100) * 1300);

    auto reason = [&](const std::function<void(chain::Message&)>& tweak) {
        auto c = m;
        tweak(c);
        auto st = valid_for_block_inclusion(c, len, p);
        return st ? std::string("ok") : st.error().message;
    };
    CHECK(reason([](auto& x) { x.version = 1; }) == "'Version' unsupported");
    CHECK(reason([](auto& x) { x.to = chain::Address{}; }) == "'To' address cannot be empty");
    CHECK(reason([](auto& x) {
              Bytes raw(49, 0);
              raw[0] = 3;
              raw[1] = 0xc0;
              x.to = chain::Address::from_bytes(raw).value();
          }) == "invalid 'To' address");
    CHECK(reason([](auto& x) { x.from = chain::Address{}; }) == "'From' address cannot be empty");
    CHECK(reason([](auto& x) { x.value = -1; }) == "'Value' field cannot be negative");
    CHECK(reason([](auto& x) {
              x.value = chain::BigInt::from_string("2000000000000000000000000001").value();
          }) == "'Value' field cannot be greater than total filecoin supply");
    CHECK(reason([](auto& x) { x.gas_fee_cap = -1; }) == "'GasFeeCap' field cannot be negative");
    CHECK(reason([](auto& x) { x.gas_premium = -1; }) == "'GasPremium' field cannot be negative");
    CHECK(reason([](auto& x) { x.gas_premium = 1001; }) == "'GasFeeCap' less than 'GasPremium'");
    CHECK(reason([&](auto& x) { x.gas_limit = p.block_gas_limit + 1; }) ==
          "'GasLimit' field cannot be greater than a block's gas limit");
    CHECK(reason([](auto& x) { x.gas_limit = 0; }) == "'GasLimit' field 0 must be positive");
    CHECK_THAT(reason([](auto& x) { x.gas_limit = 1000; }),
               Catch::Contains("cannot be less than the cost of storing a message on chain 1000 < 690663"));
}

TEST_CASE("accepted blocks are announced once, a BlockMsg's messages may come from the pool",
          "[consensus][validation][sync]") {
    Rejections r;
    std::vector<chain::Cid> announced;
    r.d.svc->set_block_listener([&](const FullBlock& b) { announced.push_back(b.header.cid().value()); });
    auto good = r.with_messages({r.d.transfer(0, r.d.account(2), 5), r.d.transfer(1, r.d.account(2), 7)});
    REQUIRE(r.d.svc->submit(good).ok());
    REQUIRE(announced.size() == 1);
    CHECK(announced.front() == good.header.cid().value());

    // Pushed back by a peer: accepted, not announced again. An invalid block is never announced.
    CHECK(r.d.svc->submit(good).ok());
    CHECK(r.d.svc->submit(ConsensusService::to_block_msg(good)).ok());
    CHECK(announced.size() == 1);
    auto bad = r.with_messages({});
    bad.header.parent_base_fee += 1;
    r.d.sign(bad, 0);
    CHECK(r.d.svc->submit(bad).failure == Failure::kInvalid);
    CHECK(announced.size() == 1);

    // A BlockMsg naming a message this node's blockstore lacks: without a pool it cannot be loaded;
    // with one, the pool is asked for exactly the missing CIDs (one call).
    const auto pooled = r.msg(0, [](chain::Message& m) { m.value = chain::TokenAmount(99); });
    auto msg = ConsensusService::to_block_msg(good);
    msg.secpk_messages.push_back(pooled.cid().value());
    auto st = r.d.svc->submit(msg);
    REQUIRE_FALSE(st.ok());
    CHECK_THAT(st.error().message, Catch::Contains("failed to load secpk message"));
    std::vector<std::vector<chain::Cid>> asked;
    r.d.svc->set_message_lookup([&](const std::vector<chain::Cid>& cids) {
        asked.push_back(cids);
        return std::unordered_map<chain::Cid, chain::SignedMessage>{{pooled.cid().value(), pooled}};
    });
    st = r.d.svc->submit(msg);
    INFO((st ? std::string() : st.error().message));
    CHECK(st.ok());  // the header is the accepted one's
    REQUIRE(asked.size() == 1);
    CHECK(asked.front() == std::vector<chain::Cid>{pooled.cid().value()});
    CHECK(announced.size() == 1);
}
