// SPDX-License-Identifier: Apache-2.0 OR MIT
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <numeric>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "support/fixtures.hpp"
#include "venus/storage/lmdb.hpp"

using namespace venus;
using namespace venus::storage::lmdb;
using venus::test::TempDir;

namespace {

std::unique_ptr<Environment> open_env(const std::filesystem::path& dir, const EnvOptions& options = {}) {
    auto env = Environment::open(dir, options);
    if (!env.ok()) FAIL("open " << dir << ": " << env.error().message);
    return std::move(env).value();
}

Table open_table(Environment& env, std::string_view name) {
    auto table = env.open_table(name);
    if (!table.ok()) FAIL("open table " << name << ": " << table.error().message);
    return *table;
}

// A value that says which key it belongs to, so a reader can tell a torn or misplaced value.
Bytes value_for(std::uint64_t i, std::size_t size) {
    Bytes v(size);
    for (std::size_t j = 0; j < size; ++j) v[j] = static_cast<std::uint8_t>((i * 31 + j) & 0xff);
    return v;
}

std::string str(BytesView b) { return std::string(as_string(b)); }

}  // namespace

TEST_CASE("lmdb: put, get, has, del", "[unit][storage][lmdb]") {
    TempDir dir;
    auto env = open_env(dir.path() / "chain");
    const Table blocks = open_table(*env, "blocks");

    REQUIRE(env->write([&](WriteTxn& txn) -> Status {
                   VENUS_TRY_VOID(txn.put(blocks, as_bytes("a"), as_bytes("one")));
                   return txn.put(blocks, as_bytes("b"), as_bytes("two"));
               }).ok());

    auto txn = env->begin_read();
    REQUIRE(txn.ok());
    CHECK(str(*txn->get(blocks, as_bytes("a"))) == "one");
    CHECK(*txn->has(blocks, as_bytes("b")));
    CHECK_FALSE(*txn->has(blocks, as_bytes("c")));
    auto missing = txn->get(blocks, as_bytes("c"));
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().is(Errc::kNotFound));
    CHECK_FALSE(txn->find(blocks, as_bytes("c"))->has_value());
    CHECK(txn->stat(blocks)->entries == 2);
    txn->abort();
    CHECK_FALSE(txn->active());

    auto w = env->begin_write();
    REQUIRE(w.ok());
    CHECK(w->put(blocks, as_bytes("a"), as_bytes("uno")).ok());  // upsert replaces
    auto dup = w->put(blocks, as_bytes("b"), as_bytes("dos"), PutMode::kNoOverwrite);
    REQUIRE_FALSE(dup.ok());
    CHECK(dup.error().is(Errc::kAlreadyExists));
    CHECK(*w->del(blocks, as_bytes("b")));
    CHECK_FALSE(*w->del(blocks, as_bytes("b")));
    auto empty_key = w->put(blocks, {}, as_bytes("x"));
    CHECK(empty_key.error().is(Errc::kInvalidArgument));
    const Bytes long_key(kMaxKeySize + 1, 0x41);
    CHECK(w->put(blocks, long_key, as_bytes("x")).error().is(Errc::kInvalidArgument));
    const Bytes max_key(kMaxKeySize, 0x41);
    CHECK(w->put(blocks, max_key, {}).ok());  // empty values are fine
    REQUIRE(w->commit().ok());
    CHECK_FALSE(w->active());

    auto r = env->begin_read();
    CHECK(str(*r->get(blocks, as_bytes("a"))) == "uno");
    CHECK_FALSE(*r->has(blocks, as_bytes("b")));
    CHECK(r->get(blocks, max_key)->empty());
}

TEST_CASE("lmdb: tables are separate and reopening returns the same handle", "[unit][storage][lmdb]") {
    TempDir dir;
    auto env = open_env(dir.path());
    const Table a = open_table(*env, "a");
    const Table b = open_table(*env, "b");
    CHECK(a.name() == "a");
    CHECK(open_table(*env, "a").name() == "a");
    REQUIRE(env->write([&](WriteTxn& txn) { return txn.put(a, as_bytes("k"), as_bytes("in a")); }).ok());
    auto r = env->begin_read();
    CHECK(*r->has(a, as_bytes("k")));
    CHECK_FALSE(*r->has(b, as_bytes("k")));
    auto reserved = env->open_table(kMetaTableName);
    REQUIRE_FALSE(reserved.ok());
    CHECK(reserved.error().is(Errc::kInvalidArgument));
}

TEST_CASE("lmdb: cursors, prefix and range scans walk keys in byte order", "[unit][storage][lmdb]") {
    TempDir dir;
    auto env = open_env(dir.path());
    const Table heights = open_table(*env, "heights");
    const Table names = open_table(*env, "names");

    std::vector<std::uint64_t> order(100);
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), std::mt19937(7));
    REQUIRE(env->write([&](WriteTxn& txn) -> Status {
                   for (auto h : order) VENUS_TRY_VOID(txn.put(heights, be64(h), value_for(h, 8)));
                   for (const char* k : {"p/b", "p/a", "q/a", "p", "o/z", "p/c/1"}) {
                       VENUS_TRY_VOID(txn.put(names, as_bytes(k), as_bytes(k)));
                   }
                   return {};
               }).ok());

    auto txn = env->begin_read();
    REQUIRE(txn.ok());

    std::vector<std::uint64_t> seen;
    REQUIRE(txn->for_each(heights, [&](BytesView k, BytesView v) {
                   seen.push_back(*read_be64(k));
                   CHECK(Bytes(v.begin(), v.end()) == value_for(seen.back(), 8));
                   return true;
               }).ok());
    REQUIRE(seen.size() == 100);
    CHECK(std::is_sorted(seen.begin(), seen.end()));

    seen.clear();
    REQUIRE(txn->scan_range(heights, be64(10), be64(20), [&](BytesView k, BytesView) {
                   seen.push_back(*read_be64(k));
                   return true;
               }).ok());
    CHECK(seen == std::vector<std::uint64_t>{10, 11, 12, 13, 14, 15, 16, 17, 18, 19});

    seen.clear();
    REQUIRE(txn->scan_range(heights, be64(95), {}, [&](BytesView k, BytesView) {
                   seen.push_back(*read_be64(k));
                   return seen.size() < 3;  // the visitor stops the scan
               }).ok());
    CHECK(seen == std::vector<std::uint64_t>{95, 96, 97});

    std::vector<std::string> keys;
    REQUIRE(txn->scan_prefix(names, as_bytes("p/"), [&](BytesView k, BytesView) {
                   keys.push_back(str(k));
                   return true;
               }).ok());
    CHECK(keys == std::vector<std::string>{"p/a", "p/b", "p/c/1"});
    keys.clear();
    REQUIRE(txn->scan_prefix(names, as_bytes("zz"), [&](BytesView k, BytesView) {
                   keys.push_back(str(k));
                   return true;
               }).ok());
    CHECK(keys.empty());

    auto cursor = txn->cursor(heights);
    REQUIRE(cursor.ok());
    CHECK(*read_be64((*cursor->last())->key) == 99);
    CHECK(*read_be64((*cursor->prev())->key) == 98);
    CHECK(*read_be64((*cursor->first())->key) == 0);
    CHECK_FALSE(cursor->prev()->has_value());
    CHECK(*read_be64((*cursor->seek(be64(42)))->key) == 42);
    CHECK_FALSE(cursor->seek(be64(1000))->has_value());
    auto names_cursor = txn->cursor(names);
    CHECK(str((*names_cursor->lower_bound(as_bytes("p/bb")))->key) == "p/c/1");
    CHECK_FALSE(names_cursor->lower_bound(as_bytes("r"))->has_value());
}

TEST_CASE("lmdb: erase_prefix and clear", "[unit][storage][lmdb]") {
    TempDir dir;
    auto env = open_env(dir.path());
    const Table t = open_table(*env, "t");
    REQUIRE(env->write([&](WriteTxn& txn) -> Status {
                   for (int i = 0; i < 500; ++i) {
                       const std::string k = (i % 2 == 0 ? "even/" : "odd/") + std::to_string(i);
                       VENUS_TRY_VOID(txn.put(t, as_bytes(k), as_bytes(k)));
                   }
                   return {};
               }).ok());
    std::size_t erased = 0;
    REQUIRE(env->write([&](WriteTxn& txn) -> Status {
                   VENUS_TRY(erased, txn.erase_prefix(t, as_bytes("even/")));
                   return {};
               }).ok());
    CHECK(erased == 250);
    {
        auto r = env->begin_read();
        CHECK(r->stat(t)->entries == 250);
        std::size_t odd = 0;
        REQUIRE(r->scan_prefix(t, as_bytes("odd/"), [&](BytesView, BytesView) { return ++odd, true; }).ok());
        CHECK(odd == 250);
    }
    REQUIRE(env->write([&](WriteTxn& txn) { return txn.clear(t); }).ok());
    CHECK(env->begin_read()->stat(t)->entries == 0);
}

TEST_CASE("lmdb: a transaction not committed is aborted", "[unit][storage][lmdb]") {
    TempDir dir;
    auto env = open_env(dir.path());
    const Table t = open_table(*env, "t");
    {
        auto w = env->begin_write();
        REQUIRE(w.ok());
        REQUIRE(w->put(t, as_bytes("dropped"), as_bytes("1")).ok());
        // destroyed without commit
    }
    CHECK_FALSE(*env->begin_read()->has(t, as_bytes("dropped")));

    // A failing write function aborts everything it did and its error comes back unchanged.
    auto st = env->write([&](WriteTxn& txn) -> Status {
        VENUS_TRY_VOID(txn.put(t, as_bytes("half"), as_bytes("1")));
        return make_error(Errc::kInvalidArgument, "caller changed its mind");
    });
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().is(Errc::kInvalidArgument));
    CHECK(st.error().message == "caller changed its mind");
    CHECK_FALSE(*env->begin_read()->has(t, as_bytes("half")));

    // Readers see the snapshot they began with.
    auto before = env->begin_read();
    REQUIRE(env->write([&](WriteTxn& txn) { return txn.put(t, as_bytes("later"), as_bytes("1")); }).ok());
    CHECK_FALSE(*before->has(t, as_bytes("later")));
    before->abort();
    CHECK(*env->begin_read()->has(t, as_bytes("later")));

    // Moving a transaction moves its ownership; the moved-from one does nothing on destruction.
    auto w = env->begin_write();
    REQUIRE(w.ok());
    WriteTxn moved = std::move(*w);
    REQUIRE(moved.put(t, as_bytes("moved"), as_bytes("1")).ok());
    REQUIRE(moved.commit().ok());
    CHECK(*env->begin_read()->has(t, as_bytes("moved")));
}

TEST_CASE("lmdb: the schema version is written once and checked on every open", "[unit][storage][lmdb]") {
    TempDir dir;
    EnvOptions v1;
    v1.schema_version = 1;
    {
        auto env = open_env(dir.path(), v1);
        CHECK(env->schema_version() == 1);
    }
    EnvOptions v2 = v1;
    v2.schema_version = 2;
    auto mismatch = Environment::open(dir.path(), v2);
    REQUIRE_FALSE(mismatch.ok());
    CHECK(mismatch.error().is(Errc::kStorage));
    CHECK_THAT(mismatch.error().message, Catch::Contains("schema version 1") && Catch::Contains("expects 2"));
    CHECK(Environment::open(dir.path(), v1).ok());
}

TEST_CASE("lmdb: bad options are rejected", "[unit][storage][lmdb]") {
    TempDir dir;
    EnvOptions options;
    options.map_size = 8 * kMiB;
    options.max_map_size = 4 * kMiB;
    CHECK(Environment::open(dir.path(), options).error().is(Errc::kInvalidArgument));
    EnvOptions ro;
    ro.read_only = true;
    CHECK(Environment::open(dir.path() / "absent", ro).error().is(Errc::kNotFound));
}

TEST_CASE("lmdb: data survives close and reopen, read-only opens cannot write", "[unit][storage][lmdb]") {
    TempDir dir;
    {
        auto env = open_env(dir.path());
        const Table t = open_table(*env, "t");
        REQUIRE(env->write([&](WriteTxn& txn) -> Status {
                       for (std::uint64_t i = 0; i < 1000; ++i) VENUS_TRY_VOID(txn.put(t, be64(i), value_for(i, 100)));
                       return {};
                   }).ok());
    }
    {
        auto env = open_env(dir.path());
        const Table t = open_table(*env, "t");
        auto r = env->begin_read();
        CHECK(r->stat(t)->entries == 1000);
        CHECK(Bytes(r->get(t, be64(777))->begin(), r->get(t, be64(777))->end()) == value_for(777, 100));
        auto stat = env->stat();
        REQUIRE(stat.ok());
        CHECK(stat->used_bytes >= 100 * 1000);
        CHECK(stat->used_bytes == stat->used_pages * stat->page_size);
        CHECK(stat->map_size == 1 * kGiB);
    }
    EnvOptions ro;
    ro.read_only = true;
    auto env = open_env(dir.path(), ro);
    const Table t = open_table(*env, "t");
    CHECK(env->begin_read()->stat(t)->entries == 1000);
    CHECK(env->begin_write().error().is(Errc::kPermissionDenied));
    CHECK(env->open_table("absent").error().is(Errc::kNotFound));
}

TEST_CASE("lmdb: the map grows when full and everything stays readable", "[unit][storage][lmdb]") {
    TempDir dir;
    EnvOptions options;
    options.map_size = 64 * 1024;  // 16 pages: full almost at once
    constexpr std::uint64_t kCount = 4000;
    constexpr std::size_t kValue = 700;
    {
        auto env = open_env(dir.path(), options);
        const Table t = open_table(*env, "t");
        for (std::uint64_t batch = 0; batch < kCount; batch += 100) {
            REQUIRE(env->write([&](WriteTxn& txn) -> Status {
                           for (std::uint64_t i = batch; i < batch + 100; ++i) {
                               VENUS_TRY_VOID(txn.put(t, be64(i), value_for(i, kValue)));
                           }
                           return {};
                       }).ok());
        }
        // One transaction larger than the whole current map: grows several times over.
        const std::size_t before = env->stat()->map_size;
        REQUIRE(env->write([&](WriteTxn& txn) -> Status {
                       for (std::uint64_t i = kCount; i < 3 * kCount; ++i) {
                           VENUS_TRY_VOID(txn.put(t, be64(i), value_for(i, kValue)));
                       }
                       return {};
                   }).ok());
        auto stat = env->stat();
        REQUIRE(stat.ok());
        CHECK(stat->growths >= 6);
        CHECK(stat->map_size > before);
        CHECK(stat->map_size >= stat->used_bytes);
        auto r = env->begin_read();
        CHECK(r->stat(t)->entries == 3 * kCount);
    }
    // Reopened with the original tiny map size: LMDB keeps the larger size of the file.
    auto env = open_env(dir.path(), options);
    const Table t = open_table(*env, "t");
    auto r = env->begin_read();
    std::uint64_t expected = 0;
    bool all_match = true;
    REQUIRE(r->for_each(t, [&](BytesView k, BytesView v) {
                   all_match = all_match && *read_be64(k) == expected && Bytes(v.begin(), v.end()) == value_for(expected, kValue);
                   ++expected;
                   return true;
               }).ok());
    CHECK(all_match);
    CHECK(expected == 3 * kCount);
}

TEST_CASE("lmdb: growth stops at max_map_size with a clear error", "[unit][storage][lmdb]") {
    TempDir dir;
    EnvOptions options;
    options.map_size = 64 * 1024;
    options.max_map_size = 256 * 1024;
    auto env = open_env(dir.path(), options);
    const Table t = open_table(*env, "t");
    REQUIRE(env->write([&](WriteTxn& txn) { return txn.put(t, as_bytes("small"), as_bytes("fits")); }).ok());
    auto st = env->write([&](WriteTxn& txn) -> Status {
        for (std::uint64_t i = 0; i < 1000; ++i) VENUS_TRY_VOID(txn.put(t, be64(i), value_for(i, 1000)));
        return {};
    });
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().is(Errc::kStorage));
    CHECK_THAT(st.error().message, Catch::Contains("max_map_size"));
    CHECK(env->stat()->map_size == 256 * 1024);
    // The store is still usable and the failed transaction left nothing behind.
    auto r = env->begin_read();
    CHECK(str(*r->get(t, as_bytes("small"))) == "fits");
    CHECK(r->stat(t)->entries == 1);
}

TEST_CASE("lmdb: readers in other threads carry on while the map grows", "[unit][storage][lmdb]") {
    TempDir dir;
    EnvOptions options;
    options.map_size = 128 * 1024;
    auto env = open_env(dir.path(), options);
    const Table t = open_table(*env, "t");
    constexpr std::uint64_t kBatches = 150;
    constexpr std::uint64_t kPerBatch = 20;
    constexpr std::size_t kValue = 600;

    std::atomic<std::uint64_t> committed{0};  // keys [0, committed) are durable
    std::atomic<bool> done{false};
    std::atomic<std::uint64_t> reads{0};
    std::atomic<int> failures{0};
    std::mutex first_failure_mutex;
    std::string first_failure;
    auto fail = [&](std::string what) {
        if (failures.fetch_add(1) == 0) {
            std::lock_guard g(first_failure_mutex);
            first_failure = std::move(what);
        }
    };

    std::vector<std::thread> readers;
    for (int r = 0; r < 3; ++r) {
        readers.emplace_back([&, r] {
            std::mt19937_64 rng(static_cast<std::uint64_t>(r));
            while (!done.load()) {
                const std::uint64_t visible = committed.load();  // read before the snapshot begins
                auto txn = env->begin_read();
                if (!txn.ok()) return fail(txn.error().message);
                for (int i = 0; i < 20 && visible > 0; ++i) {
                    const std::uint64_t k = rng() % visible;
                    auto v = txn->get(t, be64(k));
                    if (!v.ok()) return fail(v.error().message);
                    if (Bytes(v->begin(), v->end()) != value_for(k, kValue)) return fail("wrong value");
                    reads.fetch_add(1);
                }
            }
        });
    }

    Status write_status;
    for (std::uint64_t b = 0; b < kBatches && write_status.ok(); ++b) {
        write_status = env->write([&](WriteTxn& txn) -> Status {
            for (std::uint64_t i = b * kPerBatch; i < (b + 1) * kPerBatch; ++i) {
                VENUS_TRY_VOID(txn.put(t, be64(i), value_for(i, kValue)));
            }
            return {};
        });
        if (write_status.ok()) committed.store((b + 1) * kPerBatch);
    }
    // Let the readers see the final state at least once before stopping them.
    const std::uint64_t reads_at_end = reads.load();
    venus::test::wait_until([&] { return reads.load() > reads_at_end + 100 || failures.load() > 0; },
                            std::chrono::seconds(10));
    done.store(true);
    for (auto& th : readers) th.join();

    REQUIRE(write_status.ok());
    INFO(first_failure);
    CHECK(failures.load() == 0);
    CHECK(reads.load() > 0);
    CHECK(env->stat()->growths >= 3);
    CHECK(env->begin_read()->stat(t)->entries == kBatches * kPerBatch);
}

TEST_CASE("lmdb: copy_to makes a consistent, compacted backup", "[unit][storage][lmdb]") {
    TempDir dir;
    auto env = open_env(dir.path() / "live");
    const Table t = open_table(*env, "t");
    REQUIRE(env->write([&](WriteTxn& txn) -> Status {
                   for (std::uint64_t i = 0; i < 2000; ++i) VENUS_TRY_VOID(txn.put(t, be64(i), value_for(i, 200)));
                   return {};
               }).ok());
    REQUIRE(env->write([&](WriteTxn& txn) -> Status {
                   for (std::uint64_t i = 0; i < 1000; ++i) {
                       auto erased = txn.del(t, be64(i));
                       if (!erased.ok()) return std::move(erased).error();
                   }
                   return {};
               }).ok());
    auto reader = env->begin_read();  // an open reader does not block the copy
    REQUIRE(env->copy_to(dir.path() / "backup", true).ok());
    reader->abort();
    auto again = env->copy_to(dir.path() / "backup", true);
    CHECK(again.error().is(Errc::kAlreadyExists));
    CHECK((std::filesystem::status(dir.path() / "backup" / "data.mdb").permissions() & std::filesystem::perms::others_read) ==
          std::filesystem::perms::none);

    auto copy = open_env(dir.path() / "backup");
    const Table ct = open_table(*copy, "t");
    auto r = copy->begin_read();
    CHECK(r->stat(ct)->entries == 1000);
    CHECK(Bytes(r->get(ct, be64(1500))->begin(), r->get(ct, be64(1500))->end()) == value_for(1500, 200));
    CHECK_FALSE(*r->has(ct, be64(10)));
    CHECK(copy->stat()->used_pages <= env->stat()->used_pages);
}

TEST_CASE("lmdb: big-endian key helpers sort numerically", "[unit][storage][lmdb]") {
    const auto a = be64(255);
    const auto b = be64(256);
    CHECK(std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end()));
    CHECK(*read_be64(be64(0x0102030405060708ULL)) == 0x0102030405060708ULL);
    CHECK(*read_be32(be32(0xdeadbeef)) == 0xdeadbeefU);
    CHECK(read_be64(be32(1)).error().is(Errc::kInvalidArgument));
}

TEST_CASE("lmdb: growth blocked by this thread's own reader fails instead of hanging", "[unit][storage][lmdb]") {
    TempDir dir;
    EnvOptions options;
    options.map_size = 64 * 1024;
    options.max_growth_wait = std::chrono::milliseconds(200);
    auto env = open_env(dir.path(), options);
    const Table t = open_table(*env, "t");
    auto held = env->begin_read();
    REQUIRE(held.ok());
    auto st = env->write([&](WriteTxn& txn) -> Status {
        for (std::uint64_t i = 0; i < 500; ++i) VENUS_TRY_VOID(txn.put(t, be64(i), value_for(i, 1000)));
        return {};
    });
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().is(Errc::kTimeout));
    held->abort();
    // With the reader gone the same write goes through.
    CHECK(env->write([&](WriteTxn& txn) -> Status {
              for (std::uint64_t i = 0; i < 500; ++i) VENUS_TRY_VOID(txn.put(t, be64(i), value_for(i, 1000)));
              return {};
          }).ok());
}
