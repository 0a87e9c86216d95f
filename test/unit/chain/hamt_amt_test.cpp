// SPDX-License-Identifier: Apache-2.0 OR MIT
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "support/fixtures.hpp"
#include "venus/chain/amt.hpp"
#include "venus/chain/hamt.hpp"
#include "venus/chain/types.hpp"
#include "venus/codec/cbor.hpp"
#include "venus/storage/lmdb.hpp"

using namespace venus;
using namespace venus::chain;

namespace {
Bytes cbor_uint(std::uint64_t v) {
    Bytes b;
    codec::CborWriter w(b);
    w.write_uint(v);
    return b;
}
Bytes key_of(std::uint64_t i) {
    auto a = Address::new_id(i);
    return Bytes(a->bytes().begin(), a->bytes().end());
}
}  // namespace

TEST_CASE("hamt/amt: empty roots match the reference CIDs", "[unit][chain]") {
    MemoryBlockstore bs;
    CHECK(Hamt(bs).flush()->to_string() == "bafy2bzaceamp42wmmgr2g2ymg46euououzfyck7szknvfacqscohrvaikwfay");
    const Cid legacy = *Amt(bs, Amt::Format::kLegacy).flush();
    CHECK(legacy.to_string() == "bafy2bzacedswlcz5ddgqnyo3sak3jmhmkxashisnlpq6ujgyhe4mlobzpnhs6");
    CHECK(Amt(bs, Amt::Format::kV3, 3).flush()->to_string() ==
          "bafy2bzacedijw74yui7otvo63nfl3hdq2vdzuy7wx2tnptwed6zml4vvz7wee");
    CHECK(Amt::build(bs, {})->to_string() == legacy.to_string());
    MsgMeta meta{legacy, legacy};
    CHECK(meta.cid()->to_string() == "bafy2bzacecmda75ovposbdateg7eyhwij65zklgyijgcjwynlklmqazpwlhba");
}

TEST_CASE("hamt: set, get, reload, canonical after delete", "[unit][chain]") {
    MemoryBlockstore bs;
    constexpr std::uint64_t kN = 3000;
    std::vector<std::uint64_t> ids(kN);
    for (std::uint64_t i = 0; i < kN; ++i) ids[i] = 1000 + i;
    std::mt19937_64 rng(42);

    Hamt a(bs);
    for (auto id : ids) REQUIRE(a.set(key_of(id), cbor_uint(id)).ok());
    const Cid root_a = *a.flush();

    std::shuffle(ids.begin(), ids.end(), rng);
    Hamt b(bs);
    for (auto id : ids) REQUIRE(b.set(key_of(id), cbor_uint(id)).ok());
    CHECK(*b.flush() == root_a);  // insertion order does not matter

    auto loaded = Hamt::load(bs, root_a);
    REQUIRE(loaded.ok());
    for (std::uint64_t i = 1000; i < 1000 + kN; i += 7) {
        auto v = loaded->get(key_of(i));
        REQUIRE(v.ok());
        REQUIRE(v->has_value());
        CHECK(**v == cbor_uint(i));
    }
    CHECK_FALSE(loaded->get(key_of(5))->has_value());
    std::size_t n = 0;
    REQUIRE(loaded->for_each([&](BytesView, BytesView) -> Status {
        ++n;
        return {};
    }).ok());
    CHECK(n == kN);

    // Delete all but a few and compare with a HAMT built from the survivors only.
    std::vector<std::uint64_t> keep(ids.begin(), ids.begin() + 5);
    for (auto it = ids.begin() + 5; it != ids.end(); ++it) REQUIRE(*loaded->remove(key_of(*it)));
    CHECK_FALSE(*loaded->remove(key_of(1)));
    Hamt fresh(bs);
    for (auto id : keep) REQUIRE(fresh.set(key_of(id), cbor_uint(id)).ok());
    CHECK(*loaded->flush() == *fresh.flush());
    for (auto id : keep) REQUIRE(*loaded->remove(key_of(id)));
    CHECK(loaded->flush()->to_string() == "bafy2bzaceamp42wmmgr2g2ymg46euououzfyck7szknvfacqscohrvaikwfay");

    // Overwrite keeps one entry; values must be CBOR.
    Hamt c(bs);
    REQUIRE(c.set(as_bytes("k"), cbor_uint(1)).ok());
    REQUIRE(c.set(as_bytes("k"), cbor_uint(2)).ok());
    CHECK(**c.get(as_bytes("k")) == cbor_uint(2));
    CHECK_FALSE(c.set(as_bytes("k"), Bytes{0xff}).ok());
}

TEST_CASE("hamt: rejects malformed nodes", "[unit][chain]") {
    MemoryBlockstore bs;
    auto put = [&](const char* h) { return *put_cbor(bs, *from_hex(h)); };
    CHECK_FALSE(Hamt::load(bs, put("824101" "80")).ok());        // bit set, no pointer
    CHECK_FALSE(Hamt::load(bs, put("8240" "8180")).ok());        // pointer without bit
    CHECK_FALSE(Hamt::load(bs, put("82450100000000" "80")).ok());  // bitfield wider than 32 slots
    CHECK(Hamt::load(bs, put("824080")).ok());
}

TEST_CASE("amt: set, get, grow, shrink, reload", "[unit][chain]") {
    MemoryBlockstore bs;
    for (auto format : {Amt::Format::kLegacy, Amt::Format::kV3}) {
        Amt a(bs, format, 5);
        const std::vector<std::uint64_t> idx = {0, 1, 7, 8, 63, 64, 1000, 123456, 1ULL << 40};
        for (auto i : idx) REQUIRE(a.set(i, cbor_uint(i)).ok());
        CHECK(a.count() == idx.size());
        const Cid root = *a.flush();
        auto b = Amt::load(bs, root, format);
        REQUIRE(b.ok());
        CHECK(b->count() == idx.size());
        for (auto i : idx) CHECK(**b->get(i) == cbor_uint(i));
        CHECK_FALSE(b->get(2)->has_value());
        std::vector<std::uint64_t> seen;
        REQUIRE(b->for_each([&](std::uint64_t i, BytesView) -> Status {
            seen.push_back(i);
            return {};
        }).ok());
        CHECK(seen == idx);
        // Removing the high indices shrinks the tree back to what a fresh build gives.
        for (auto i : {1ULL << 40, 123456ULL, 1000ULL, 64ULL}) REQUIRE(*b->remove(i));
        CHECK_FALSE(*b->remove(5));
        Amt fresh(bs, format, 5);
        for (auto i : {0, 1, 7, 8, 63}) REQUIRE(fresh.set(static_cast<std::uint64_t>(i), cbor_uint(static_cast<std::uint64_t>(i))).ok());
        CHECK(*b->flush() == *fresh.flush());
        for (auto i : {0, 1, 7, 8, 63}) REQUIRE(*b->remove(static_cast<std::uint64_t>(i)));
        CHECK(*b->flush() == *Amt(bs, format, 5).flush());
    }
    // Message lists: build from an array of CIDs (tag 42).
    std::vector<Bytes> cids;
    for (int i = 0; i < 20; ++i) {
        Bytes v;
        codec::CborWriter w(v);
        w.write_cid(codec::cbor_cid(cbor_uint(static_cast<std::uint64_t>(i))));
        cids.push_back(v);
    }
    auto root = Amt::build(bs, cids);
    REQUIRE(root.ok());
    auto l = Amt::load(bs, *root, Amt::Format::kLegacy);
    REQUIRE(l.ok());
    CHECK(l->count() == 20);
    CHECK(**l->get(19) == cids[19]);
    CHECK_FALSE(Amt::load(bs, *root, Amt::Format::kV3).ok());
}

TEST_CASE("blockstore: LMDB-backed store", "[unit][chain]") {
    test::TempDir dir;
    auto env = storage::lmdb::Environment::open(dir.path());
    REQUIRE(env.ok());
    auto bs = LmdbBlockstore::open(**env);
    REQUIRE(bs.ok());
    auto c = put_cbor(**bs, cbor_uint(7));
    REQUIRE(c.ok());
    CHECK(*(*bs)->has(*c));
    CHECK(*(*bs)->get(*c) == cbor_uint(7));
    REQUIRE((*bs)->remove(*c).ok());
    CHECK_FALSE(*(*bs)->has(*c));
    CHECK((*bs)->get(*c).error().is(Errc::kNotFound));
    Hamt h(**bs);
    for (std::uint64_t i = 0; i < 500; ++i) REQUIRE(h.set(key_of(i), cbor_uint(i)).ok());
    const Cid root = *h.flush();
    auto back = Hamt::load(**bs, root);
    REQUIRE(back.ok());
    CHECK(**back->get(key_of(499)) == cbor_uint(499));
}
