// SPDX-License-Identifier: Apache-2.0 OR MIT
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/fixtures.hpp"
#include "venus/storage/sql.hpp"
#include "venus/storage/sqlite.hpp"

using namespace venus;
using namespace venus::storage;
using venus::test::TempDir;

namespace {

std::unique_ptr<SqlDatabase> open_db(const std::filesystem::path& path, const sqlite::Options& options = {}) {
    auto db = sqlite::open(path, options);
    if (!db.ok()) FAIL("open " << path << ": " << db.error().message);
    return std::move(db).value();
}

template <typename T>
T require_value(Result<T> r) {
    if (!r.ok()) FAIL(r.error().message);
    return std::move(r).value();
}

void require_ok(const Status& st) {
    if (!st.ok()) FAIL(st.error().message);
}

// The example schema uses only the portable types and syntax the header documents.
const std::vector<Migration> kAccountMigrations = {
    {1,
     "accounts",
     {"CREATE TABLE accounts (name VARCHAR(64) NOT NULL PRIMARY KEY, nonce BIGINT NOT NULL, "
      "balance TEXT NOT NULL, note TEXT, avatar BLOB, created_at BIGINT NOT NULL)"}},
    {2,
     "nonce index and the genesis account",
     {"CREATE INDEX idx_accounts_nonce ON accounts (nonce)",
      "INSERT INTO accounts (name, nonce, balance, created_at) VALUES ('genesis', 0, '0', 0)"}},
};

std::int64_t scalar(SqlDatabase& db, const std::string& sql) {
    auto st = require_value(db.prepare(sql));
    REQUIRE(require_value(st.step()));
    return st.column_int64(0);
}

bool table_exists(SqlDatabase& db, std::string_view name) {
    auto st = require_value(db.prepare("SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = ?"));
    require_ok(st.bind(1, name));
    REQUIRE(require_value(st.step()));
    return st.column_int64(0) == 1;
}

void make_values_table(SqlDatabase& db) {
    require_value(db.execute("CREATE TABLE vals (k VARCHAR(64) NOT NULL PRIMARY KEY, i BIGINT, u BIGINT, "
                             "d DOUBLE, t TEXT, b BLOB)"));
}

}  // namespace

TEST_CASE("sqlite: opens in WAL mode with foreign keys on and a private file", "[unit][storage][sqlite]") {
    TempDir dir;
    const auto path = dir.path() / "ops.db";
    auto db = open_db(path);
    CHECK(db->dialect() == SqlDialect::kSqlite);
    auto mode = require_value(db->prepare("PRAGMA journal_mode"));
    REQUIRE(require_value(mode.step()));
    CHECK(mode.column_text(0) == "wal");
    CHECK(scalar(*db, "PRAGMA foreign_keys") == 1);
    CHECK(scalar(*db, "PRAGMA synchronous") == 1);  // NORMAL

    require_value(db->execute("CREATE TABLE parent (id BIGINT NOT NULL PRIMARY KEY)"));
    require_value(db->execute("CREATE TABLE child (id BIGINT NOT NULL PRIMARY KEY, "
                              "parent_id BIGINT NOT NULL REFERENCES parent (id))"));
    auto orphan = db->execute("INSERT INTO child (id, parent_id) VALUES (?, ?)", 1, 42);
    REQUIRE_FALSE(orphan.ok());
    CHECK(orphan.error().is(Errc::kStorage));
    CHECK_THAT(orphan.error().message, Catch::Contains("FOREIGN KEY"));

    struct stat info {};
    REQUIRE(::stat(path.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
    REQUIRE(::stat((path.string() + "-wal").c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
}

TEST_CASE("sqlite: create, read, update and delete through prepared statements", "[unit][storage][sqlite]") {
    TempDir dir;
    auto db = open_db(dir.path() / "ops.db");
    REQUIRE(require_value(migrate(*db, "test", kAccountMigrations)) == 2);

    auto insert = require_value(db->prepare(
        "INSERT INTO accounts (name, nonce, balance, note, avatar, created_at) VALUES (?, ?, ?, ?, ?, ?)"));
    require_ok(insert.bind_all("alice", std::uint64_t{5}, "1000", std::optional<std::string>{}, Bytes{1, 2, 3}, 1700000000));
    CHECK(require_value(insert.execute()) == 1);
    require_ok(insert.bind_all("bob", 7, "20", "likes SQL", std::nullopt, 1700000001));
    CHECK(require_value(insert.execute()) == 1);

    auto dup = db->execute("INSERT INTO accounts (name, nonce, balance, created_at) VALUES (?, ?, ?, ?)", "alice", 0,
                           "0", 0);
    REQUIRE_FALSE(dup.ok());
    CHECK(dup.error().is(Errc::kAlreadyExists));

    {
        auto select = require_value(db->prepare("SELECT name, nonce, balance, note, avatar FROM accounts WHERE name = ?"));
        require_ok(select.bind(1, std::string("alice")));
        REQUIRE(require_value(select.step()));
        CHECK(select.column_count() == 5);
        CHECK(select.column_name(1) == "nonce");
        CHECK(select.column<std::string>(0) == "alice");
        CHECK(select.column<std::uint64_t>(1) == 5);
        CHECK(select.column_text(2) == "1000");
        CHECK(select.column_is_null(3));
        CHECK_FALSE(select.column<std::optional<std::string>>(3).has_value());
        CHECK(select.column_blob(4) == Bytes{1, 2, 3});
        CHECK(select.column_type(4) == SqlType::kBlob);
        CHECK_FALSE(require_value(select.step()));
    }

    CHECK(require_value(db->execute("UPDATE accounts SET nonce = nonce + 1 WHERE nonce >= ?", 5)) == 2);
    CHECK(scalar(*db, "SELECT nonce FROM accounts WHERE name = 'bob'") == 8);
    CHECK(require_value(db->execute("DELETE FROM accounts WHERE name = ?", "bob")) == 1);
    CHECK(require_value(db->execute("DELETE FROM accounts WHERE name = ?", "bob")) == 0);
    CHECK(scalar(*db, "SELECT COUNT(*) FROM accounts") == 2);  // genesis + alice

    // Ordered iteration over the index.
    auto list = require_value(db->prepare("SELECT name FROM accounts ORDER BY nonce DESC"));
    std::vector<std::string> names;
    while (require_value(list.step())) names.push_back(list.column_text(0));
    CHECK(names == std::vector<std::string>{"alice", "genesis"});
}

TEST_CASE("sqlite: the statement cache hands out clean statements", "[unit][storage][sqlite]") {
    TempDir dir;
    sqlite::Options options;
    options.statement_cache_size = 2;
    auto db = open_db(dir.path() / "ops.db", options);
    make_values_table(*db);
    require_value(db->execute("INSERT INTO vals (k, i) VALUES (?, ?)", "a", 1));
    require_value(db->execute("INSERT INTO vals (k, i) VALUES (?, ?)", "b", 2));

    const std::string sql = "SELECT i FROM vals WHERE k = ?";
    {
        // The same SQL twice at once: the second is a fresh statement, not the first one again.
        auto first = require_value(db->prepare(sql));
        auto second = require_value(db->prepare(sql));
        require_ok(first.bind(1, "a"));
        require_ok(second.bind(1, "b"));
        REQUIRE(require_value(first.step()));
        REQUIRE(require_value(second.step()));
        CHECK(first.column_int64(0) == 1);
        CHECK(second.column_int64(0) == 2);
    }
    // Back from the cache: rewound and with its bindings cleared (k = NULL matches nothing).
    auto again = require_value(db->prepare(sql));
    CHECK_FALSE(require_value(again.step()));
    // More distinct statements than the cache holds.
    for (int i = 0; i < 10; ++i) CHECK(scalar(*db, "SELECT " + std::to_string(i)) == i);

    auto two = db->prepare("SELECT 1; SELECT 2");
    REQUIRE_FALSE(two.ok());
    CHECK(two.error().is(Errc::kInvalidArgument));
    CHECK(db->prepare("SELEC nonsense").error().is(Errc::kStorage));
    auto one = require_value(db->prepare("SELECT ?"));
    CHECK(one.bind(2, 1).error().is(Errc::kInvalidArgument));
}

TEST_CASE("sqlite: typed values round-trip, including uint64 above 2^63", "[unit][storage][sqlite]") {
    TempDir dir;
    auto db = open_db(dir.path() / "ops.db");
    make_values_table(*db);

    const std::vector<std::uint64_t> unsigned_values = {0,
                                                        1,
                                                        (std::uint64_t{1} << 63) - 1,
                                                        std::uint64_t{1} << 63,
                                                        (std::uint64_t{1} << 63) + 1,
                                                        std::numeric_limits<std::uint64_t>::max()};
    for (std::size_t n = 0; n < unsigned_values.size(); ++n) {
        require_value(db->execute("INSERT INTO vals (k, u) VALUES (?, ?)", "u" + std::to_string(n), unsigned_values[n]));
    }
    for (std::size_t n = 0; n < unsigned_values.size(); ++n) {
        auto st = require_value(db->prepare("SELECT u FROM vals WHERE k = ?"));
        require_ok(st.bind(1, "u" + std::to_string(n)));
        REQUIRE(require_value(st.step()));
        CHECK(st.column_uint64(0) == unsigned_values[n]);
        CHECK(st.column<std::uint64_t>(0) == unsigned_values[n]);
        CHECK(st.column_type(0) == SqlType::kInteger);
    }
    // Below 2^63 the stored value is the number itself, so SQL can compare it.
    CHECK(scalar(*db, "SELECT COUNT(*) FROM vals WHERE u > 0") == 2);  // 1 and 2^63-1

    const auto i64min = std::numeric_limits<std::int64_t>::min();
    const auto i64max = std::numeric_limits<std::int64_t>::max();
    require_value(db->execute("INSERT INTO vals (k, i, d) VALUES (?, ?, ?)", "min", i64min, 0.1));
    require_value(db->execute("INSERT INTO vals (k, i, d) VALUES (?, ?, ?)", "max", i64max, -1.5e300));
    require_value(db->execute("INSERT INTO vals (k, i) VALUES (?, ?)", "bool", true));
    auto st = require_value(db->prepare("SELECT i, d FROM vals WHERE k IN ('min', 'max') ORDER BY i"));
    REQUIRE(require_value(st.step()));
    CHECK(st.column_int64(0) == i64min);
    CHECK(st.column_double(1) == 0.1);
    REQUIRE(require_value(st.step()));
    CHECK(st.column<std::int64_t>(0) == i64max);
    CHECK(st.column<double>(1) == -1.5e300);
    CHECK(scalar(*db, "SELECT i FROM vals WHERE k = 'bool'") == 1);

    CHECK(sortable_uint64(42) == "00000000000000000042");
    CHECK(sortable_uint64(std::numeric_limits<std::uint64_t>::max()) == "18446744073709551615");
    CHECK(sortable_uint64(9) < sortable_uint64(10));
}

TEST_CASE("sqlite: text and blobs are stored literally, SQL metacharacters included", "[unit][storage][sqlite]") {
    TempDir dir;
    auto db = open_db(dir.path() / "ops.db");
    make_values_table(*db);
    const std::vector<std::string> nasty = {
        "'; DROP TABLE vals; --",
        "\" OR 1=1 --",
        "Robert'); DELETE FROM vals WHERE ('1'='1",
        "100% _done_ \\ escaped? ?",
        std::string("nul\0inside", 10),
        "ünïcødé ✓ 𝔽ilecoin",
        "",
    };
    for (std::size_t n = 0; n < nasty.size(); ++n) {
        const Bytes blob(nasty[n].begin(), nasty[n].end());
        require_value(db->execute("INSERT INTO vals (k, t, b) VALUES (?, ?, ?)", "n" + std::to_string(n), nasty[n], blob));
    }
    CHECK(table_exists(*db, "vals"));
    CHECK(scalar(*db, "SELECT COUNT(*) FROM vals") == static_cast<std::int64_t>(nasty.size()));
    for (std::size_t n = 0; n < nasty.size(); ++n) {
        // Looked up by the value itself: exactly one row, the right one.
        auto st = require_value(db->prepare("SELECT k, t, b FROM vals WHERE t = ?"));
        require_ok(st.bind(1, nasty[n]));
        REQUIRE(require_value(st.step()));
        CHECK(st.column_text(0) == "n" + std::to_string(n));
        CHECK(st.column_text(1) == nasty[n]);
        CHECK(st.column_text_view(1).size() == nasty[n].size());
        CHECK(st.column_blob(2) == Bytes(nasty[n].begin(), nasty[n].end()));
        CHECK_FALSE(require_value(st.step()));
    }
    // An empty blob stays an empty blob, not NULL.
    CHECK(scalar(*db, "SELECT COUNT(*) FROM vals WHERE b IS NULL") == 0);
}

TEST_CASE("sqlite: transactions commit, roll back on error or exception, nest as savepoints",
          "[unit][storage][sqlite]") {
    TempDir dir;
    auto db = open_db(dir.path() / "ops.db");
    make_values_table(*db);
    auto put = [&](const std::string& k) -> Status {
        auto r = db->execute("INSERT INTO vals (k) VALUES (?)", k);
        if (!r.ok()) return std::move(r).error();
        return {};
    };
    auto has = [&](const std::string& k) {
        auto st = require_value(db->prepare("SELECT COUNT(*) FROM vals WHERE k = ?"));
        require_ok(st.bind(1, k));
        REQUIRE(require_value(st.step()));
        return st.column_int64(0) == 1;
    };

    require_ok(db->transaction([&]() -> Status {
        CHECK(db->transaction_depth() == 1);
        VENUS_TRY_VOID(put("committed-1"));
        return put("committed-2");
    }));
    CHECK(db->transaction_depth() == 0);
    CHECK(has("committed-1"));
    CHECK(has("committed-2"));

    auto failed = db->transaction([&]() -> Status {
        VENUS_TRY_VOID(put("rolled-back"));
        return put("committed-1");  // duplicate key: the whole transaction goes
    });
    REQUIRE_FALSE(failed.ok());
    CHECK(failed.error().is(Errc::kAlreadyExists));
    CHECK_FALSE(has("rolled-back"));

    CHECK_THROWS_AS(db->transaction([&]() -> Status {
        require_ok(put("thrown-away"));
        throw std::runtime_error("boom");
    }),
                    std::runtime_error);
    CHECK(db->transaction_depth() == 0);
    CHECK_FALSE(has("thrown-away"));

    // An inner failure undoes only the inner work.
    require_ok(db->transaction([&]() -> Status {
        VENUS_TRY_VOID(put("outer"));
        auto inner = db->transaction([&]() -> Status {
            CHECK(db->transaction_depth() == 2);
            VENUS_TRY_VOID(put("inner"));
            return make_error(Errc::kInvalidArgument, "inner fails");
        });
        CHECK_FALSE(inner.ok());
        return db->transaction([&]() { return put("inner-ok"); });
    }));
    CHECK(has("outer"));
    CHECK_FALSE(has("inner"));
    CHECK(has("inner-ok"));

    // A transaction can return a value.
    auto count = db->transaction([&]() -> Result<std::int64_t> { return scalar(*db, "SELECT COUNT(*) FROM vals"); });
    REQUIRE(count.ok());
    CHECK(*count == 4);
}

TEST_CASE("sqlite: migrations apply once, running them twice is a no-op", "[unit][storage][sqlite]") {
    TempDir dir;
    const auto path = dir.path() / "ops.db";
    {
        auto db = open_db(path);
        CHECK(require_value(migrate(*db, "auth", kAccountMigrations)) == 2);
        CHECK(require_value(migrate(*db, "auth", kAccountMigrations)) == 0);
        CHECK(require_value(schema_version(*db, "auth")) == 2);
        CHECK(scalar(*db, "SELECT COUNT(*) FROM accounts") == 1);  // the seed row was not inserted twice
        CHECK(scalar(*db, "SELECT COUNT(*) FROM schema_migrations") == 2);
        // Another component in the same database keeps its own versions.
        const std::vector<Migration> other = {{1, "notes", {"CREATE TABLE notes (id BIGINT NOT NULL PRIMARY KEY)"}}};
        CHECK(require_value(migrate(*db, "messager", other)) == 1);
        CHECK(require_value(schema_version(*db, "messager")) == 1);
        CHECK(require_value(schema_version(*db, "nobody")) == 0);
    }
    // After a reopen, too; and a later release adds one more.
    auto db = open_db(path);
    CHECK(require_value(migrate(*db, "auth", kAccountMigrations)) == 0);
    auto extended = kAccountMigrations;
    extended.push_back({3, "account labels", {"ALTER TABLE accounts ADD COLUMN label VARCHAR(64)"}});
    CHECK(require_value(migrate(*db, "auth", extended)) == 1);
    CHECK(require_value(migrate(*db, "auth", extended)) == 0);
    CHECK(require_value(schema_version(*db, "auth")) == 3);

    auto desc = require_value(db->prepare("SELECT description FROM schema_migrations WHERE component = ? AND version = ?"));
    require_ok(desc.bind_all("auth", 3));
    REQUIRE(require_value(desc.step()));
    CHECK(desc.column_text(0) == "account labels");

    // A build that knows fewer migrations than the database has refuses to run on it.
    auto older = migrate(*db, "auth", std::span<const Migration>(kAccountMigrations));
    REQUIRE_FALSE(older.ok());
    CHECK_THAT(older.error().message, Catch::Contains("version 3") && Catch::Contains("newer"));
}

TEST_CASE("sqlite: a failing migration is rolled back and reported", "[unit][storage][sqlite]") {
    TempDir dir;
    auto db = open_db(dir.path() / "ops.db");
    REQUIRE(require_value(migrate(*db, "auth", kAccountMigrations)) == 2);
    auto broken = kAccountMigrations;
    broken.push_back({3,
                      "signers table",
                      {"CREATE TABLE signers (address VARCHAR(128) NOT NULL PRIMARY KEY)",
                       "INSERT INTO signers (address) VALUES ('f1abc')",
                       "INSERT INTO no_such_table (x) VALUES (1)"}});
    auto r = migrate(*db, "auth", broken);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Catch::Contains("auth migration 3 (signers table) failed and was rolled back") &&
                                      Catch::Contains("no_such_table"));
    CHECK_FALSE(table_exists(*db, "signers"));  // SQLite DDL is transactional
    CHECK(require_value(schema_version(*db, "auth")) == 2);
    CHECK(db->transaction_depth() == 0);

    broken.back().statements.pop_back();  // the fixed release
    CHECK(require_value(migrate(*db, "auth", broken)) == 1);
    CHECK(table_exists(*db, "signers"));
    CHECK(scalar(*db, "SELECT COUNT(*) FROM signers") == 1);
}

TEST_CASE("sqlite: malformed migration lists are rejected before anything runs", "[unit][storage][sqlite]") {
    TempDir dir;
    auto db = open_db(dir.path() / "ops.db");
    const std::vector<Migration> unordered = {{2, "b", {"SELECT 1"}}, {1, "a", {"SELECT 1"}}};
    CHECK(migrate(*db, "x", unordered).error().is(Errc::kInvalidArgument));
    const std::vector<Migration> zero = {{0, "zero", {"SELECT 1"}}};
    CHECK(migrate(*db, "x", zero).error().is(Errc::kInvalidArgument));
    const std::vector<Migration> empty = {{1, "nothing", {}}};
    CHECK(migrate(*db, "x", empty).error().is(Errc::kInvalidArgument));
    CHECK(migrate(*db, "", kAccountMigrations).error().is(Errc::kInvalidArgument));
    CHECK_FALSE(table_exists(*db, "accounts"));
}

TEST_CASE("sqlite: upserts are built for each dialect", "[unit][storage][sqlite]") {
    const UpsertSpec update{"actors", {"address", "nonce", "balance"}, {"address"}, {"nonce", "balance"}};
    CHECK(upsert_sql(SqlDialect::kSqlite, update) ==
          "INSERT INTO actors (address, nonce, balance) VALUES (?, ?, ?) "
          "ON CONFLICT (address) DO UPDATE SET nonce = excluded.nonce, balance = excluded.balance");
    CHECK(upsert_sql(SqlDialect::kMysql, update) ==
          "INSERT INTO actors (address, nonce, balance) VALUES (?, ?, ?) "
          "ON DUPLICATE KEY UPDATE nonce = VALUES(nonce), balance = VALUES(balance)");
    const UpsertSpec keep{"actors", {"address", "nonce"}, {"address"}, {}};
    CHECK(upsert_sql(SqlDialect::kSqlite, keep) ==
          "INSERT INTO actors (address, nonce) VALUES (?, ?) ON CONFLICT (address) DO NOTHING");
    CHECK(upsert_sql(SqlDialect::kMysql, keep) ==
          "INSERT INTO actors (address, nonce) VALUES (?, ?) ON DUPLICATE KEY UPDATE address = address");
    CHECK(auto_id_column(SqlDialect::kSqlite) == "id INTEGER PRIMARY KEY");
    CHECK(auto_id_column(SqlDialect::kMysql, "seq") == "seq BIGINT PRIMARY KEY AUTO_INCREMENT");

    TempDir dir;
    auto db = open_db(dir.path() / "ops.db");
    require_value(db->execute("CREATE TABLE actors (address VARCHAR(128) NOT NULL PRIMARY KEY, nonce BIGINT NOT NULL, "
                              "balance TEXT NOT NULL)"));
    const std::string sql = upsert_sql(db->dialect(), update);
    require_value(db->execute(sql, "f01", 1, "10"));
    require_value(db->execute(sql, "f01", 2, "20"));
    const UpsertSpec keep_all{"actors", {"address", "nonce", "balance"}, {"address"}, {}};
    require_value(db->execute(upsert_sql(db->dialect(), keep_all), "f01", 99, "99"));
    require_value(db->execute(upsert_sql(db->dialect(), keep_all), "f02", 5, "5"));
    CHECK(scalar(*db, "SELECT nonce FROM actors WHERE address = 'f01'") == 2);
    CHECK(scalar(*db, "SELECT COUNT(*) FROM actors") == 2);

    require_value(db->execute("CREATE TABLE events (" + auto_id_column(db->dialect()) + ", what TEXT NOT NULL)"));
    require_value(db->execute("INSERT INTO events (what) VALUES (?)", "a"));
    require_value(db->execute("INSERT INTO events (what) VALUES (?)", "b"));
    CHECK(db->last_insert_id() == 2);
}

TEST_CASE("sqlite: read-only connections see committed writes and cannot write", "[unit][storage][sqlite]") {
    TempDir dir;
    const auto path = dir.path() / "ops.db";
    auto writer = open_db(path);
    make_values_table(*writer);
    sqlite::Options ro;
    ro.read_only = true;
    auto reader = open_db(path, ro);
    require_value(writer->execute("INSERT INTO vals (k, i) VALUES (?, ?)", "x", 1));
    CHECK(scalar(*reader, "SELECT i FROM vals WHERE k = 'x'") == 1);
    // While the writer holds an open transaction, the reader still reads the last commit.
    require_ok(writer->transaction([&]() -> Status {
        auto r = writer->execute("UPDATE vals SET i = 2 WHERE k = 'x'");
        if (!r.ok()) return std::move(r).error();
        CHECK(scalar(*reader, "SELECT i FROM vals WHERE k = 'x'") == 1);
        return {};
    }));
    CHECK(scalar(*reader, "SELECT i FROM vals WHERE k = 'x'") == 2);
    CHECK(reader->execute("INSERT INTO vals (k) VALUES ('y')").error().is(Errc::kStorage));
    CHECK(sqlite::open(dir.path() / "absent.db", ro).error().is(Errc::kStorage));
}

TEST_CASE("sqlite: backup_to makes a copy that opens as a database", "[unit][storage][sqlite]") {
    TempDir dir;
    const auto live = dir.path() / "live.db";
    const auto backup = dir.path() / "backup.db";
    {
        auto db = open_db(live);
        REQUIRE(require_value(migrate(*db, "auth", kAccountMigrations)) == 2);
        require_ok(db->transaction([&]() -> Status {
            for (int i = 0; i < 500; ++i) {
                auto r = db->execute("INSERT INTO accounts (name, nonce, balance, created_at) VALUES (?, ?, ?, ?)",
                                     "user" + std::to_string(i), i, "1", i);
                if (!r.ok()) return std::move(r).error();
            }
            return {};
        }));
        require_ok(db->backup_to(backup));
        CHECK(db->backup_to(backup).error().is(Errc::kAlreadyExists));
        auto inside = db->transaction([&]() -> Status { return db->backup_to(dir.path() / "other.db"); });
        CHECK(inside.error().is(Errc::kInvalidArgument));
        // Written after the backup: must not be in it.
        require_value(db->execute("INSERT INTO accounts (name, nonce, balance, created_at) VALUES ('late', 0, '0', 0)"));
    }
    struct stat info {};
    REQUIRE(::stat(backup.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);

    // Restore: the backup file replaces the live one.
    std::filesystem::remove(live);
    std::filesystem::remove(live.string() + "-wal");
    std::filesystem::remove(live.string() + "-shm");
    std::filesystem::copy_file(backup, live);
    auto restored = open_db(live);
    CHECK(scalar(*restored, "SELECT COUNT(*) FROM accounts") == 501);
    CHECK(scalar(*restored, "SELECT COUNT(*) FROM accounts WHERE name = 'late'") == 0);
    CHECK(require_value(schema_version(*restored, "auth")) == 2);
    CHECK(require_value(migrate(*restored, "auth", kAccountMigrations)) == 0);
}
