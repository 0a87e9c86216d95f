// SPDX-License-Identifier: Apache-2.0 OR MIT
// The miner's SQL slash filter: the three consensus faults are refused from the table (also after
// reopening), stages are recorded per (miner, epoch), and a refused block changes nothing.
#include <catch2/catch.hpp>

#include "store/miner_store.hpp"
#include "support/fixtures.hpp"
#include "venus/storage/sqlite.hpp"

using namespace venus;
using namespace venus::plugins::miner;
using venus::plugins::consensus::FaultKind;

namespace {

const chain::Cid kRoot = chain::Cid::parse("bafy2bzacecmda75ovposbdateg7eyhwij65zklgyijgcjwynlklmqazpwlhba").value();
const chain::Cid kOther = chain::Cid::parse("bafy2bzacedswlcz5ddgqnyo3sak3jmhmkxashisnlpq6ujgyhe4mlobzpnhs6").value();

chain::BlockHeader block(std::uint64_t miner, chain::ChainEpoch h, std::vector<chain::Cid> parents, std::uint8_t tag) {
    chain::BlockHeader b;
    b.miner = chain::Address::new_id(miner).value();
    b.ticket = chain::Ticket{Bytes(96, tag)};
    b.election_proof = chain::ElectionProof{1, Bytes(96, tag)};
    b.parents = std::move(parents);
    b.height = h;
    b.parent_state_root = kRoot;
    b.parent_message_receipts = kRoot;
    b.messages = kRoot;
    return b;
}

}  // namespace

TEST_CASE("miner store: migrations apply once", "[unit][miner]") {
    test::TempDir dir;
    auto db = storage::sqlite::open(dir.path() / "miner.db").value();
    REQUIRE(MinerStore::open(*db).ok());
    CHECK(storage::schema_version(*db, "miner").value() == static_cast<std::int64_t>(miner_migrations().size()));
    CHECK(storage::migrate(*db, "miner", miner_migrations()).value() == 0);
}

TEST_CASE("miner store: slash filter refuses the three consensus faults", "[unit][miner][slash]") {
    test::TempDir dir;
    auto db = storage::sqlite::open(dir.path() / "miner.db").value();
    auto store = MinerStore::open(*db).value();
    const auto a = block(1000, 10, {kRoot}, 1);
    auto r = store->check_and_record(a, 9);
    REQUIRE(r.ok());
    CHECK_FALSE(r->faulty());
    CHECK(store->has_block(a.miner, 10).value());
    CHECK_FALSE(store->has_block(a.miner, 11).value());
    // Re-checking the block already published is not a fault with itself.
    CHECK_FALSE(store->check_and_record(a, 9).value().faulty());

    SECTION("double-fork: a second block at the same height") {
        const auto b = block(1000, 10, {kOther}, 2);
        auto f = store->check_and_record(b, 9).value();
        CHECK(f.kind == FaultKind::kDoubleFork);
        CHECK(f.witness == a.cid().value());
        CHECK_THAT(f.message, Catch::Contains("double-fork mining faults"));
        // Refused: the recorded CID is still the first block's.
        CHECK(store->get(a.miner, 10).value()->cid == a.cid().value().to_string());
    }
    SECTION("time-offset: two blocks on the same parents") {
        const auto b = block(1000, 11, {kRoot}, 3);
        auto f = store->check_and_record(b, 9).value();
        CHECK(f.kind == FaultKind::kTimeOffset);
        CHECK_THAT(f.message, Catch::Contains("time-offset mining faults"));
        CHECK_FALSE(store->has_block(a.miner, 11).value());
    }
    SECTION("parent grinding: not building on our own block of the parent epoch") {
        const auto b = block(1000, 11, {kOther}, 4);
        auto f = store->check_and_record(b, 10).value();
        CHECK(f.kind == FaultKind::kParentGrinding);
        CHECK_THAT(f.message, Catch::Contains("parent-grinding fault"));
        // Building on our own block is fine.
        const auto c = block(1000, 11, {a.cid().value()}, 5);
        CHECK_FALSE(store->check_and_record(c, 10).value().faulty());
    }
    SECTION("another miner is independent") {
        CHECK_FALSE(store->check_and_record(block(1001, 10, {kRoot}, 6), 9).value().faulty());
    }
    SECTION("the history survives reopening") {
        store.reset();
        db.reset();
        auto db2 = storage::sqlite::open(dir.path() / "miner.db").value();
        auto store2 = MinerStore::open(*db2).value();
        CHECK(store2->check_and_record(block(1000, 10, {kOther}, 7), 9).value().kind == FaultKind::kDoubleFork);
    }
}

TEST_CASE("miner store: stages per miner and epoch", "[unit][miner]") {
    test::TempDir dir;
    auto db = storage::sqlite::open(dir.path() / "miner.db").value();
    auto store = MinerStore::open(*db).value();
    const auto m = chain::Address::new_id(1000).value();
    const chain::TipSetKey parents({kRoot});
    // A timeout before winning leaves no row.
    REQUIRE(store->record_stage(m, 5, 4, parents, MineState::kTimeout).ok());
    CHECK_FALSE(store->get(m, 5).value().has_value());

    REQUIRE(store->record_stage(m, 6, 5, parents, MineState::kMining).ok());
    auto row = store->get(m, 6).value();
    REQUIRE(row);
    CHECK(row->state == MineState::kMining);
    CHECK(row->cid.empty());
    CHECK_FALSE(store->has_block(m, 6).value());  // winning is not yet a block

    const auto b = block(1000, 6, {kRoot}, 1);
    REQUIRE_FALSE(store->check_and_record(b, 5).value().faulty());
    REQUIRE(store->record_stage(m, 6, 5, parents, MineState::kSuccess, 42).ok());
    row = store->get(m, 6).value();
    CHECK(row->state == MineState::kSuccess);
    CHECK(row->cid == b.cid().value().to_string());
    CHECK(row->consuming == 42);
    CHECK(row->parent_epoch == 5);

    REQUIRE(store->record_stage(m, 7, 6, parents, MineState::kChainForked).ok());
    REQUIRE(store->record_stage(chain::Address::new_id(1001).value(), 7, 6, parents, MineState::kError).ok());
    auto all = store->list_blocks({}, 0, 0).value();
    REQUIRE(all.size() == 3);
    CHECK(all[0].epoch == 7);
    CHECK(all[2].epoch == 6);
    auto one = store->list_blocks({"t01001"}, 10, 0).value();
    REQUIRE(one.size() == 1);
    CHECK(one[0].state == MineState::kError);
    CHECK(store->list_blocks({}, 1, 1).value().size() == 1);
    CHECK(to_string(MineState::kChainForked) == "ChainForked");
}
