// SPDX-License-Identifier: Apache-2.0 OR MIT
#include <catch2/catch.hpp>

#include "node/chain/chain_rules.hpp"
#include "node/genesis/genesis.hpp"
#include "node/store/chain_store.hpp"
#include "support/fixtures.hpp"

using namespace venus;
using namespace venus::plugins::node;

namespace {

struct Fixture {
    test::TempDir dir;
    NetworkParams net = parse_network(default_network_toml(), "devnet").value();
    std::unique_ptr<storage::lmdb::Environment> env;
    std::unique_ptr<ChainStore> cs;
    GenesisResult gen;

    Fixture() {
        open();
        auto tpl = make_devnet_template(1, 1, 1, 100, 1'700'000'000).value();
        gen = build_genesis(cs->blockstore(), net, tpl).value();
        REQUIRE(cs->init_genesis(gen.header, gen.cid, 0).ok());
    }
    void open() {
        env = storage::lmdb::Environment::open(dir.path() / "chain").value();
        cs = ChainStore::open(*env).value();
    }
    void close() {
        cs.reset();
        env.reset();
    }

    // A child block of `parent` at `height` whose ticket is `tag` (distinct tags → distinct blocks).
    chain::BlockHeader child(const TipSet& parent, ChainEpoch height, std::uint8_t tag) {
        chain::BlockHeader h = parent.blocks().front();
        h.miner = gen.miner_ids[0];
        h.ticket = chain::Ticket{Bytes(96, tag)};
        h.election_proof = chain::ElectionProof{1, Bytes(96, tag)};
        h.beacon_entries.clear();
        h.parents = parent.cids();
        h.height = height;
        h.parent_weight = parent.height();  // any monotone value; weights are given to put_tipset
        h.timestamp = parent.blocks().front().timestamp + 4 * static_cast<std::uint64_t>(height - parent.height());
        return h;
    }
    TipSet put(std::vector<chain::BlockHeader> hs, std::int64_t weight) {
        auto ts = cs->put_headers(std::move(hs));
        REQUIRE(ts.ok());
        REQUIRE(cs->put_tipset(*ts, weight).ok());
        return *ts;
    }
};

}  // namespace

TEST_CASE("node: chain store starts at genesis and persists the head", "[unit][node]") {
    Fixture f;
    auto head = f.cs->head();
    CHECK(head.height() == 0);
    CHECK(head.cids().front() == f.gen.cid);
    auto a1 = f.put({f.child(head, 1, 1)}, 10);
    auto changed = f.cs->maybe_set_head(a1);
    REQUIRE(changed.ok());
    CHECK(*changed);
    // Same weight: the head stays.
    auto other = f.put({f.child(head, 1, 2)}, 10);
    CHECK_FALSE(*f.cs->maybe_set_head(other));

    f.close();
    f.open();
    CHECK(f.cs->head().key() == a1.key());
    CHECK(f.cs->head_weight() == chain::BigInt(10));
    CHECK(f.cs->genesis().value().cids().front() == f.gen.cid);
    // Re-initialising with the same genesis is a no-op.
    CHECK(f.cs->init_genesis(f.gen.header, f.gen.cid, 0).ok());
}

TEST_CASE("node: a heavier fork reorgs with reverts then applies, and the height index follows", "[unit][node]") {
    Fixture f;
    const auto g = f.cs->head();
    auto a1 = f.put({f.child(g, 1, 1)}, 10);
    auto a2 = f.put({f.child(a1, 2, 2)}, 20);
    REQUIRE(f.cs->set_head(a2).ok());

    std::vector<std::vector<HeadChange>> seen;
    auto sub = f.cs->subscribe([&](const std::vector<HeadChange>& c) { seen.push_back(c); });

    auto b1 = f.put({f.child(g, 1, 3)}, 9);
    auto b3 = f.put({f.child(b1, 3, 4), f.child(b1, 3, 5)}, 30);  // two blocks, height 2 is null
    CHECK(b3.blocks().size() == 2);
    REQUIRE(*f.cs->maybe_set_head(b3));
    REQUIRE(seen.size() == 1);
    const auto& c = seen[0];
    REQUIRE(c.size() == 4);
    CHECK(c[0].type == HeadChange::Type::kRevert);
    CHECK(c[0].tipset.key() == a2.key());
    CHECK(c[1].type == HeadChange::Type::kRevert);
    CHECK(c[1].tipset.key() == a1.key());
    CHECK(c[2].type == HeadChange::Type::kApply);
    CHECK(c[2].tipset.key() == b1.key());
    CHECK(c[3].type == HeadChange::Type::kApply);
    CHECK(c[3].tipset.key() == b3.key());

    // Height 2 is a null round on the new chain: prev → b1, next → b3.
    CHECK(f.cs->tipset_by_height(2, b3, true).value().key() == b1.key());
    CHECK(f.cs->tipset_by_height(2, b3, false).value().key() == b3.key());
    CHECK(f.cs->tipset_by_height(1, b3).value().key() == b1.key());
    CHECK(f.cs->tipset_by_height(0, b3).value().key() == g.key());
    CHECK_FALSE(f.cs->tipset_by_height(4, b3).ok());
    // Off the canonical chain the walk still answers.
    CHECK(f.cs->tipset_by_height(1, a2).value().key() == a1.key());

    f.cs->unsubscribe(sub);
    REQUIRE(f.cs->set_head(a2).ok());
    CHECK(seen.size() == 1);
    CHECK(f.cs->tipset_by_height(1, a2).value().key() == a1.key());
}

TEST_CASE("node: execution results are recorded per tipset", "[unit][node]") {
    Fixture f;
    const auto g = f.cs->head();
    auto info = f.cs->tipset_info(g.key());
    REQUIRE(info.ok());
    REQUIRE(info->has_value());
    CHECK_FALSE((*info)->state_root);
    REQUIRE(f.cs->set_execution(g.key(), f.gen.state_root, f.gen.header.parent_message_receipts).ok());
    info = f.cs->tipset_info(g.key());
    CHECK((*info)->state_root == f.gen.state_root);
    auto w = tipset_weight(f.cs->blockstore(), g, 5);
    REQUIRE(w.ok());
    CHECK(*w == chain::BigInt(11 << 8));  // 2048 bytes: log2P = 11, win count 0 at genesis
}
