// SPDX-License-Identifier: Apache-2.0 OR MIT
#include <catch2/catch.hpp>

#include "support/chain_harness.hpp"
#include "node/chain/chain_rules.hpp"

using namespace venus;
using namespace venus::plugins::node;
using venus::test::node::ChainHarness;

TEST_CASE("node: a chain built through api::Node executes, conserves FIL and updates the base fee",
          "[unit][node]") {
    ChainHarness h;
    const auto g = h.svc->head();
    const auto supply = h.total_fil(h.svc->tipset_state(g.key()).value().first);

    auto t1 = h.extend(g, 1, {{h.transfer(0, h.account(1), 100), h.transfer(0, h.account(1), 200)}}, 1);
    CHECK(h.svc->head().key() == t1.key());
    // Height 2 is a null round.
    auto t3 = h.extend(t1, 3, {{h.transfer(1, h.account(0), 5)}, {h.transfer(0, h.account(1), 1)}}, 10);
    CHECK(h.svc->head().key() == t3.key());
    auto t4 = h.extend(t3, 4, {{}}, 20);

    for (const auto& ts : {t1, t3, t4}) {
        auto st = h.svc->tipset_state(ts.key());
        REQUIRE(st.ok());
        CHECK(h.total_fil(st->first) == supply);
    }
    // t3's header carries t1's execution; state reads use ParentStateRoot.
    CHECK(t3.blocks().front().parent_state_root == h.svc->tipset_state(t1.key()).value().first);
    auto a0 = h.svc->actor(h.account(0), t4.key());
    REQUIRE(a0.ok());
    REQUIRE(a0->has_value());
    CHECK((*a0)->nonce == 3);
    // Nearly empty blocks: the base fee falls by 12.5% per tipset.
    CHECK(t1.blocks().front().parent_base_fee == chain::BigInt(87'500'000));
    CHECK(h.svc->block_messages(t3.cids()[0]).value().secp_messages.size() == 1);
    CHECK(h.svc->tipset_by_height(2, {}, true).value().key() == t1.key());
    // Weight grows with each tipset.
    CHECK(h.svc->weight(t4.key()).value() > h.svc->weight(t3.key()).value());
}

TEST_CASE("node: after a reorg the head's state equals a fresh execution of the winning chain", "[unit][node]") {
    ChainHarness h;
    const auto g = h.svc->head();
    auto a1 = h.extend(g, 1, {{h.transfer(0, h.account(1), 111)}}, 1);
    auto a2 = h.extend(a1, 2, {{h.transfer(0, h.account(1), 222)}}, 2);
    REQUIRE(h.svc->head().key() == a2.key());

    std::vector<std::vector<api::HeadChange>> seen;
    auto sub = h.svc->subscribe_head_changes([&](const std::vector<api::HeadChange>& c) { seen.push_back(c); });

    // The fork spends the same nonces differently and has two blocks per tipset: heavier.
    h.nonces[0] = 0;
    auto b1 = h.extend(g, 1, {{h.transfer(0, h.account(1), 7)}, {}}, 50);
    auto b2 = h.extend(b1, 2, {{}, {}}, 60);
    auto b3 = h.extend(b2, 3, {{}}, 70);
    REQUIRE(h.svc->head().key() == b3.key());
    REQUIRE_FALSE(seen.empty());
    const auto& reorg = seen.front();
    CHECK(reorg.front().type == api::HeadChange::Type::kRevert);
    CHECK(reorg.front().tipset.key() == a2.key());
    h.svc->unsubscribe_head_changes(sub);

    // A second node that only ever saw the winning chain computes the same state.
    // Same template, so the same genesis.
    test::TempDir other;
    auto env = storage::lmdb::Environment::open(other.path() / "chain").value();
    auto cs = ChainStore::open(*env).value();
    NodeService svc(h.svc->params(), *cs);
    REQUIRE(svc.ensure_genesis(h.tpl).ok());
    CHECK(svc.head().key() == g.key());
    for (const auto& ts : {b1, b2, b3}) {
        for (std::size_t i = 0; i < ts.blocks().size(); ++i) {
            auto contents = h.svc->block_messages(ts.cids()[i]).value();
            REQUIRE(svc.put_messages(contents).ok());
        }
        auto copy = svc.put_headers(ts.blocks());
        REQUIRE(copy.ok());
        REQUIRE(svc.add_tipset(*copy).ok());
    }
    CHECK(svc.head().key() == b3.key());
    CHECK(svc.tipset_state(b3.key()).value() == h.svc->tipset_state(b3.key()).value());
    CHECK(svc.parent_info(b3.key()).value().weight == h.svc->parent_info(b3.key()).value().weight);
}

TEST_CASE("node: parent messages and receipts are index-aligned and deduplicated", "[unit][node]") {
    ChainHarness h;
    const auto g = h.svc->head();
    auto m0 = h.transfer(0, h.account(1), 1);
    auto m1 = h.transfer(0, h.account(1), 2);
    auto t1 = h.extend(g, 1, {{m0, m1}, {m0}}, 1);  // m0 twice: executed once
    auto t2 = h.extend(t1, 2, {{}}, 5);
    auto msgs = h.svc->parent_messages(t2.cids()[0]);
    REQUIRE(msgs.ok());
    REQUIRE(msgs->size() == 2);
    CHECK((*msgs)[0].first == m0.cid().value());
    CHECK((*msgs)[1].first == m1.cid().value());
    auto receipts = h.svc->parent_receipts(t2.cids()[0]);
    REQUIRE(receipts.ok());
    REQUIRE(receipts->size() == 2);
    CHECK((*receipts)[0].exit_code == 0);
    CHECK((*receipts)[1].gas_used > 0);
    CHECK(h.svc->tipset_messages(t1.key()).value().size() == 2);
    CHECK(h.svc->parent_messages(g.cids()[0]).value().empty());
}

TEST_CASE("node: a fee cap under the base fee costs the miner a penalty, burned from its reward",
          "[unit][node]") {
    ChainHarness h;
    const auto g = h.svc->head();
    auto m = h.transfer(0, h.account(1), 1);
    m.message.gas_fee_cap = 1000;  // far below the 1e8 base fee
    m = chain::sign_message(h.tpl.accounts[0].key, m.message).value();
    auto t1 = h.extend(g, 1, {{m}}, 1);
    auto after = h.svc->tipset_state(t1.key()).value().first;
    auto tree = StateTree::load(h.cs->blockstore(), after).value();
    auto miner = tree.get_actor(h.miner(0)).value();
    REQUIRE(miner);
    const auto reward = h.svc->params().this_epoch_reward / chain::BigInt(5);
    CHECK(miner->balance < reward);
    CHECK(miner->balance.sign() > 0);
    const auto g_state = h.svc->tipset_state(g.key()).value().first;
    CHECK(h.total_fil(after) == h.total_fil(g_state));
}

TEST_CASE("node: miner info, power, sectors and the miner list", "[unit][node]") {
    ChainHarness h(1, 2);
    const auto head = h.svc->head().key();
    auto info = h.svc->miner_info(h.miner(0), head);
    REQUIRE(info.ok());
    CHECK(info->sector_size == 2048);
    CHECK(info->window_post_proof_type == 10);
    CHECK(info->owner == info->beneficiary);
    CHECK_FALSE(info->new_worker);
    auto power = h.svc->miner_power(h.miner(1), head);
    REQUIRE(power.ok());
    CHECK(power->miner.raw_byte_power == chain::BigInt(2048));
    CHECK(power->total.quality_adj_power == chain::BigInt(4096));
    CHECK(power->has_min_power);
    auto miners = h.svc->list_miners(head);
    REQUIRE(miners.ok());
    REQUIRE(miners->size() == 2);
    CHECK((*miners)[0] == h.miner(0));
    auto sectors = h.svc->miner_sectors(h.miner(0), head);
    REQUIRE(sectors.ok());
    REQUIRE(sectors->size() == 1);
    CHECK(sectors->front().seal_proof == 5);
    CHECK_FALSE(h.svc->miner_info(h.account(0), head).ok());
}
