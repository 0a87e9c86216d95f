// SPDX-License-Identifier: Apache-2.0 OR MIT
// Genesis CAR files: export from a devnet's blockstore, read back, import into a chain store; bad
// files are rejected and change nothing.
#include <catch2/catch.hpp>

#include "devnet_fixture.hpp"
#include "node/chain/chain_rules.hpp"
#include "node/store/chain_store.hpp"
#include "node/sync/car.hpp"
#include "node/sync/genesis_car.hpp"
#include "support/fixtures.hpp"
#include "venus/codec/cbor.hpp"
#include "venus/codec/varint.hpp"

using namespace venus;
using namespace venus::plugins::node;
using venus::test::node::Devnet;

namespace {

sync::BlockFetch fetch_from(chain::Blockstore& bs) {
    return [&bs](const codec::Cid& c) { return bs.get(c); };
}

struct Store {
    test::TempDir dir;
    std::unique_ptr<storage::lmdb::Environment> env = storage::lmdb::Environment::open(dir.path() / "chain").value();
    std::unique_ptr<ChainStore> cs = ChainStore::open(*env).value();
};

}  // namespace

TEST_CASE("CAR v1 round trip with header and verified sections", "[unit][sync]") {
    chain::MemoryBlockstore bs;
    const Bytes a_cbor{0x82, 0x01, 0x02};  // [1, 2]
    auto a = chain::put_cbor(bs, a_cbor).value();
    Bytes out;
    sync::CarWriter w(out, {a});
    w.add(a, a_cbor);
    // Header: varint(len) then {"roots": [a], "version": 1} with the keys in canonical order.
    const auto hlen = codec::read_uvarint(out);
    REQUIRE(hlen.size == 1);
    auto header = codec::decode_value(BytesView(out).subspan(1, hlen.value)).value();
    REQUIRE(header.is<codec::CborValue::Map>());
    CHECK(header.as<codec::CborValue::Map>()[0].first == "roots");
    CHECK(header.as<codec::CborValue::Map>()[1].first == "version");
    auto car = sync::read_car(out).value();
    REQUIRE(car.roots.size() == 1);
    CHECK(car.roots[0] == a);
    REQUIRE(car.blocks.size() == 1);
    CHECK(car.blocks[0].data == a_cbor);

    SECTION("a flipped data byte fails the hash check") {
        out.back() ^= 0x01;
        auto r = sync::read_car(out);
        REQUIRE(!r);
        CHECK_THAT(r.error().message, Catch::Contains("does not match its CID"));
    }
    SECTION("truncation is reported, not read past") {
        out.pop_back();
        auto r = sync::read_car(out);
        REQUIRE(!r);
        CHECK_THAT(r.error().message, Catch::Contains("truncated section"));
    }
    SECTION("an oversized section is refused before allocation") {
        sync::CarLimits lim;
        lim.max_block_bytes = 2;
        auto r = sync::read_car(out, lim);
        REQUIRE(!r);
        CHECK(r.error().is(Errc::kOutOfRange));
    }
    SECTION("a header of another version is refused") {
        Bytes bad;
        Bytes h;
        codec::CborWriter hw(h);
        hw.write_map_header(2);
        hw.write_text("roots");
        hw.write_array_header(1);
        hw.write_cid(a);
        hw.write_text("version");
        hw.write_uint(2);
        codec::append_uvarint(bad, h.size());
        bad.insert(bad.end(), h.begin(), h.end());
        auto r = sync::read_car(bad);
        REQUIRE(!r);
        CHECK(r.error().is(Errc::kUnsupported));
    }
    SECTION("no roots is refused") {
        Bytes bad;
        sync::CarWriter empty(bad, {});
        CHECK(!sync::read_car(bad));
    }
}

TEST_CASE("genesis CAR holds every block reachable from the genesis header", "[unit][sync]") {
    Devnet d(2, 1, 1);
    auto car_bytes = sync::export_genesis_car(d.gen.cid, fetch_from(d.bs)).value();
    auto car = sync::read_car(car_bytes).value();
    REQUIRE(car.roots.size() == 1);
    CHECK(car.roots[0] == d.gen.cid);
    CHECK(car.blocks.front().cid == d.gen.cid);  // depth first from the root

    // Closed under DAG-CBOR links (except the genesis parent Lotus never ships), each block once.
    std::unordered_set<codec::Cid> in_car;
    for (const auto& b : car.blocks) CHECK(in_car.insert(b.cid).second);
    for (const auto& b : car.blocks) {
        const auto links = sync::dag_cbor_links(b.data).value();
        for (const auto& l : links) {
            if (l.codec() != codec::kCodecDagCbor || l == genesis_parent_cid()) continue;
            INFO("link " << l.to_string() << " from " << b.cid.to_string());
            CHECK(in_car.count(l) == 1);
        }
    }
    CHECK(in_car.count(d.gen.state_root) == 1);
    CHECK(in_car.count(d.gen.header.messages) == 1);
    CHECK(in_car.count(d.gen.header.parent_message_receipts) == 1);

    SECTION("a store loaded from the CAR has the same genesis, weight and state") {
        Store s;
        auto root = sync::import_genesis_car(*s.cs, d.net, car_bytes).value();
        CHECK(root == d.gen.cid);
        auto g = s.cs->genesis().value();
        CHECK(g.cids().front() == d.gen.cid);
        CHECK(s.cs->head().cids().front() == d.gen.cid);
        const auto power = total_qa_power(d.bs, d.gen.state_root).value();
        CHECK(s.cs->head_weight() == compute_weight(0, power, 0, d.net.blocks_per_epoch).value());
        CHECK(total_qa_power(s.cs->blockstore(), d.gen.state_root).value() == power);
        // Loading the same file again is a no-op check.
        CHECK(sync::import_genesis_car(*s.cs, d.net, car_bytes).ok());
    }
    SECTION("another devnet's genesis does not replace a store's genesis") {
        Store s;
        REQUIRE(sync::import_genesis_car(*s.cs, d.net, car_bytes).ok());
        Devnet other(1, 1, 1);
        auto other_car = sync::export_genesis_car(other.gen.cid, fetch_from(other.bs)).value();
        auto r = sync::import_genesis_car(*s.cs, d.net, other_car);
        REQUIRE(!r);
        CHECK_THAT(r.error().message, Catch::Contains("is not this chain store's genesis"));
        CHECK(s.cs->genesis().value().cids().front() == d.gen.cid);
    }
    SECTION("a CAR missing the state tree is refused and the store stays empty") {
        Bytes partial;
        sync::CarWriter w(partial, {d.gen.cid});
        for (const auto& b : car.blocks) {
            if (b.cid != d.gen.state_root) w.add(b.cid, b.data);
        }
        Store s;
        auto r = sync::import_genesis_car(*s.cs, d.net, partial);
        REQUIRE(!r);
        CHECK(!s.cs->has_genesis());
    }
    SECTION("a CAR whose root is not a height-0 header is refused") {
        const Bytes not_header{0x82, 0x01, 0x02};
        auto c = chain::put_cbor(d.bs, not_header).value();
        Bytes bad;
        sync::CarWriter w(bad, {c});
        w.add(c, not_header);
        Store s;
        auto r = sync::import_genesis_car(*s.cs, d.net, bad);
        REQUIRE(!r);
        CHECK_THAT(r.error().message, Catch::Contains("not a block header"));
        CHECK(!s.cs->has_genesis());
    }
    SECTION("export fails on a missing block other than the genesis parent") {
        chain::MemoryBlockstore partial;
        for (const auto& b : car.blocks) {
            if (b.cid != d.gen.header.messages) REQUIRE(partial.put(b.cid, b.data).ok());
        }
        CHECK(!sync::export_genesis_car(d.gen.cid, fetch_from(partial)));
    }
}
