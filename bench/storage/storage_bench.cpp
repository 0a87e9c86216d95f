// SPDX-License-Identifier: Apache-2.0 OR MIT
// Storage benchmark through the venus_storage wrappers, in the shapes of the reference programs
// (../shared/perf-anchors/store/bench_lmdb.c, bench_sqlite.c) so the figures can be set beside
// ../shared/reference/perf-anchors.md:
//   LMDB:   N random 32-byte keys × 200-byte values, BATCH puts per write transaction (durable
//           unless LMDB_NOSYNC=1), a warm-up scan, then G random gets in one read transaction and
//           G/2 gets with a fresh read transaction each.
//   SQLite: a 15-column message row (VARCHAR CID primary key + (from_addr, nonce) index), WAL,
//           synchronous=NORMAL: NS rows in BATCH-row transactions, NA autocommit inserts and
//           updates, NL point lookups by primary key and by (from_addr, nonce).
// Usage: venus_storage_bench [DIR]   (DIR/lmdb and DIR/msg.db are replaced; default under $TMPDIR)
// Env:   N BATCH G LMDB_NOSYNC  NS NA NL  ONLY=lmdb|sqlite
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "venus/storage/lmdb.hpp"
#include "venus/storage/sql.hpp"
#include "venus/storage/sqlite.hpp"

namespace fs = std::filesystem;
using namespace venus;
using namespace venus::storage;

namespace {

long env_long(const char* name, long fallback) {
    const char* v = std::getenv(name);
    return v != nullptr ? std::atol(v) : fallback;
}

double now_s() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// splitmix64: deterministic, so runs are comparable.
struct Prng {
    std::uint64_t state;
    std::uint64_t next() {
        std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    void fill(std::uint8_t* out, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(next());
    }
};

volatile std::uint64_t g_sink = 0;  // keeps reads from being optimised away

void report(std::string_view name, double value, std::string_view unit, std::string_view anchor) {
    std::printf("%-44s %12.0f %-10s %s\n", std::string(name).c_str(), value, std::string(unit).c_str(),
                std::string(anchor).c_str());
    std::fflush(stdout);
}

[[noreturn]] void die(const Error& e) {
    std::fprintf(stderr, "venus_storage_bench: %s\n", e.message.c_str());
    std::exit(1);
}

template <typename T>
T check(Result<T> r) {
    if (!r.ok()) die(r.error());
    return std::move(r).value();
}
void check(const Status& st) {
    if (!st.ok()) die(st.error());
}

void bench_lmdb(const fs::path& dir) {
    const long n = env_long("N", 1000000);
    const long batch = env_long("BATCH", 1000);
    const long gets = env_long("G", 1000000);
    const bool nosync = env_long("LMDB_NOSYNC", 0) != 0;
    fs::remove_all(dir);

    std::vector<std::uint8_t> keys(static_cast<std::size_t>(n) * 32);
    Prng rng{42};
    rng.fill(keys.data(), keys.size());
    std::uint8_t value[200];
    rng.fill(value, sizeof value);
    auto key = [&](long i) { return BytesView(keys.data() + i * 32, 32); };

    lmdb::EnvOptions options;
    options.map_size = 8 * lmdb::kGiB;
    options.no_sync = nosync;
    auto env = check(lmdb::Environment::open(dir, options));
    const lmdb::Table table = check(env->open_table("blocks"));

    double t0 = now_s();
    for (long i = 0; i < n; i += batch) {
        check(env->write([&](lmdb::WriteTxn& txn) -> Status {
            for (long j = i; j < i + batch && j < n; ++j) {
                value[0] = static_cast<std::uint8_t>(j);
                VENUS_TRY_VOID(txn.put(table, key(j), BytesView(value, sizeof value)));
            }
            return {};
        }));
    }
    double t1 = now_s();
    report(fmt::format("lmdb_put_batch{}{}_per_s", batch, nosync ? "_nosync" : ""), static_cast<double>(n) / (t1 - t0),
           "puts/s", nosync ? "(anchor 130,043 nosync)" : "(anchor 29,279 durable)");

    {
        auto txn = check(env->begin_read());
        long count = 0;
        t0 = now_s();
        check(txn.for_each(table, [&](BytesView, BytesView v) {
            g_sink = g_sink + v[2];
            ++count;
            return true;
        }));
        t1 = now_s();
        report("lmdb_cold_scan_per_s", static_cast<double>(count) / (t1 - t0), "entries/s", "");

        t0 = now_s();
        for (long i = 0; i < gets; ++i) {
            const long j = static_cast<long>(rng.next() % static_cast<std::uint64_t>(n));
            g_sink = g_sink + check(txn.get(table, key(j)))[1];
        }
        t1 = now_s();
        report("lmdb_get_1txn_per_s", static_cast<double>(gets) / (t1 - t0), "gets/s", "(anchor 741k)");
    }

    const long gets2 = gets / 2;
    t0 = now_s();
    for (long i = 0; i < gets2; ++i) {
        const long j = static_cast<long>(rng.next() % static_cast<std::uint64_t>(n));
        auto txn = check(env->begin_read());
        g_sink = g_sink + check(txn.get(table, key(j)))[1];
    }
    t1 = now_s();
    report("lmdb_get_txn_per_get_per_s", static_cast<double>(gets2) / (t1 - t0), "gets/s", "(anchor 745k)");

    const auto stat = check(env->stat());
    report("lmdb_file_MiB", static_cast<double>(stat.used_bytes) / 1048576.0, "MiB", "(anchor 376 MiB)");
}

constexpr char kBase32[] = "abcdefghijklmnopqrstuvwxyz234567";

// 62-character CIDv1-like text, the same for the same i.
std::string make_cid(long i) {
    Prng p{0x1234567ULL + static_cast<std::uint64_t>(i) * 0x9E3779B97F4A7C15ULL};
    std::string cid = "bafy2bzace";
    while (cid.size() < 62) cid.push_back(kBase32[p.next() & 31]);
    return cid;
}

std::string make_addr(long a) { return fmt::format("f1{:038x}", static_cast<unsigned long>(a) * 2654435761UL); }

const std::vector<Migration> kMessageSchema = {
    {1,
     "messages",
     {"CREATE TABLE messages (cid VARCHAR(128) NOT NULL PRIMARY KEY, version BIGINT NOT NULL, "
      "to_addr VARCHAR(128) NOT NULL, from_addr VARCHAR(128) NOT NULL, nonce BIGINT NOT NULL, "
      "amount TEXT NOT NULL, gas_limit BIGINT NOT NULL, gas_fee_cap TEXT NOT NULL, gas_premium TEXT NOT NULL, "
      "method BIGINT NOT NULL, params BLOB, signed_cid VARCHAR(128), state BIGINT NOT NULL, "
      "created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)",
      "CREATE INDEX idx_messages_from_nonce ON messages (from_addr, nonce)"}},
};

constexpr std::string_view kInsert =
    "INSERT INTO messages (cid, version, to_addr, from_addr, nonce, amount, gas_limit, gas_fee_cap, gas_premium, "
    "method, params, signed_cid, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

Status insert_row(SqlStatement& st, long i, BytesView params) {
    VENUS_TRY_VOID(st.bind_all(make_cid(i), 0, make_addr(i % 97), make_addr(i % 1000), std::uint64_t(i / 1000),
                               "1000000000000000000", 2500000 + i % 1000, "100000", "99000", std::uint64_t{0}, params,
                               make_cid(i + 100000000L), 1, 1700000000L + i, 1700000000L + i));
    auto r = st.execute();
    if (!r.ok()) return std::move(r).error();
    return {};
}

void bench_sqlite(const fs::path& file) {
    const long rows = env_long("NS", 100000);
    const long batch = env_long("BATCH", 1000);
    const long autocommit = env_long("NA", 5000);
    const long lookups = env_long("NL", 200000);
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(file.string() + suffix);

    auto db = check(sqlite::open(file));
    check(migrate(*db, "bench", kMessageSchema));
    std::uint8_t params[64];
    Prng rng{7};
    rng.fill(params, sizeof params);
    const BytesView params_view(params, sizeof params);

    auto insert = check(db->prepare(kInsert));
    double t0 = now_s();
    for (long i = 0; i < rows; i += batch) {
        check(db->transaction([&]() -> Status {
            for (long j = i; j < i + batch && j < rows; ++j) VENUS_TRY_VOID(insert_row(insert, j, params_view));
            return {};
        }));
    }
    double t1 = now_s();
    report(fmt::format("sqlite_insert_batch{}_NORMAL_per_s", batch), static_cast<double>(rows) / (t1 - t0), "rows/s",
           "(anchor 19,584)");

    t0 = now_s();
    for (long j = rows; j < rows + autocommit; ++j) check(insert_row(insert, j, params_view));
    t1 = now_s();
    report("sqlite_insert_autocommit_NORMAL_per_s", static_cast<double>(autocommit) / (t1 - t0), "rows/s",
           "(anchor 9,161)");
    const long total = rows + autocommit;

    {
        auto update = check(db->prepare("UPDATE messages SET state = ?, updated_at = ? WHERE cid = ?"));
        t0 = now_s();
        for (long n = 0; n < autocommit; ++n) {
            check(update.bind_all(2, 1800000000L + n, make_cid(static_cast<long>(rng.next() % static_cast<std::uint64_t>(total)))));
            check(update.execute());
        }
        t1 = now_s();
        report("sqlite_update_autocommit_NORMAL_per_s", static_cast<double>(autocommit) / (t1 - t0), "rows/s",
               "(anchor 21,786)");
    }

    constexpr std::string_view kByCid = "SELECT * FROM messages WHERE cid = ?";
    auto by_cid = check(db->prepare(kByCid));
    long found = 0;
    t0 = now_s();
    for (long n = 0; n < lookups; ++n) {
        check(by_cid.bind(1, make_cid(static_cast<long>(rng.next() % static_cast<std::uint64_t>(total)))));
        while (check(by_cid.step())) {
            ++found;
            g_sink = g_sink + by_cid.column_uint64(4) + by_cid.column_blob_view(10).size();
        }
        by_cid.reset();
    }
    t1 = now_s();
    if (found != lookups) die(make_error(Errc::kInternal, "lookup by cid found {} of {}", found, lookups));
    report("sqlite_lookup_pk_per_s", static_cast<double>(lookups) / (t1 - t0), "lookups/s", "(anchor 90,476)");

    // The way module code usually runs a query: prepare (a cache hit) for every call.
    found = 0;
    t0 = now_s();
    for (long n = 0; n < lookups; ++n) {
        auto st = check(db->prepare(kByCid));
        check(st.bind(1, make_cid(static_cast<long>(rng.next() % static_cast<std::uint64_t>(total)))));
        while (check(st.step())) {
            ++found;
            g_sink = g_sink + st.column_uint64(4);
        }
    }
    t1 = now_s();
    if (found != lookups) die(make_error(Errc::kInternal, "cached lookup by cid found {} of {}", found, lookups));
    report("sqlite_lookup_pk_cached_prepare_per_s", static_cast<double>(lookups) / (t1 - t0), "lookups/s", "");

    auto by_from = check(db->prepare("SELECT * FROM messages WHERE from_addr = ? AND nonce = ?"));
    found = 0;
    t0 = now_s();
    for (long n = 0; n < lookups; ++n) {
        const long i = static_cast<long>(rng.next() % static_cast<std::uint64_t>(rows));
        check(by_from.bind_all(make_addr(i % 1000), std::uint64_t(i / 1000)));
        while (check(by_from.step())) {
            ++found;
            g_sink = g_sink + by_from.column_uint64(4);
        }
        by_from.reset();
    }
    t1 = now_s();
    if (found < lookups) die(make_error(Errc::kInternal, "lookup by from/nonce found {} of {}", found, lookups));
    report("sqlite_lookup_from_nonce_per_s", static_cast<double>(lookups) / (t1 - t0), "lookups/s",
           "(anchor 89,749)");
}

}  // namespace

int main(int argc, char** argv) {
    const fs::path dir = argc > 1 ? fs::path(argv[1]) : fs::temp_directory_path() / "venusd-bench-storage";
    std::error_code ec;
    fs::create_directories(dir, ec);
    const std::string only = std::getenv("ONLY") != nullptr ? std::getenv("ONLY") : "";
    std::printf("venus_storage_bench in %s (anchors: ../shared/reference/perf-anchors.md, medians)\n",
                dir.string().c_str());
    if (only.empty() || only == "lmdb") bench_lmdb(dir / "lmdb");
    if (only.empty() || only == "sqlite") bench_sqlite(dir / "msg.db");
    return 0;
}
