// SPDX-License-Identifier: Apache-2.0 OR MIT
// Repo backups: offline and online (stores open and being written), restore into a new repo with the
// same data, file modes, and refusal of damaged, unfinished or unsafe backups and of non-empty targets.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "support/fixtures.hpp"
#include "venus/app/backup.hpp"
#include "venus/app/repo.hpp"
#include "venus/app/stores.hpp"
#include "venus/storage/lmdb.hpp"
#include "venus/storage/sqlite.hpp"

using namespace venus;
using namespace venus::app;
namespace fs = std::filesystem;
using Catch::Matchers::Contains;

namespace {

constexpr storage::lmdb::TableDef kBlocks{"blocks"};

unsigned mode_of(const fs::path& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 0777;
}

// A repo as the daemon leaves it: config, keystore, an LMDB store, a SQLite database, run files, logs.
void make_repo(const fs::path& repo, int rows) {
    REQUIRE(ensure_dir(repo).ok());
    REQUIRE(write_private_file(repo / "config.toml", "[api]\nlisten = \"/ip4/127.0.0.1/tcp/0\"\n").ok());
    REQUIRE(load_or_create_jwt_secret(repo).ok());
    REQUIRE(write_private_file(repo / "token", "tok").ok());
    REQUIRE(write_private_file(repo / "api", "/ip4/127.0.0.1/tcp/1").ok());
    REQUIRE(ensure_dir(repo / "logs").ok());
    REQUIRE(write_private_file(repo / "logs" / "venusd.log", "log").ok());
    {
        auto env = storage::lmdb::Environment::open(repo / "chain").value();
        auto t = env->open_table(kBlocks).value();
        REQUIRE(env->write([&](storage::lmdb::WriteTxn& w) -> Status {
                       for (int i = 0; i < rows; ++i) {
                           const auto k = storage::lmdb::be64(static_cast<std::uint64_t>(i));
                           VENUS_TRY_VOID(w.put(t, k, as_bytes("block-" + std::to_string(i))));
                       }
                       return {};
                   }).ok());
    }
    auto db = storage::sqlite::open(repo / "auth.db").value();
    REQUIRE(db->execute("CREATE TABLE users (name VARCHAR(64) PRIMARY KEY, n BIGINT)").ok());
    for (int i = 0; i < rows; ++i) REQUIRE(db->execute("INSERT INTO users VALUES (?, ?)", "u" + std::to_string(i), i).ok());
}

std::int64_t count_rows(const fs::path& db_path) {
    storage::sqlite::Options ro;
    ro.read_only = true;
    auto db = storage::sqlite::open(db_path, ro).value();
    auto st = db->prepare("SELECT count(*) FROM users").value();
    REQUIRE(st.step().value());
    return st.column_int64(0);
}

std::size_t count_blocks(const fs::path& dir) {
    auto env = storage::lmdb::Environment::open(dir).value();
    auto t = env->open_table(kBlocks).value();
    auto txn = env->begin_read().value();
    return txn.stat(t).value().entries;
}

}  // namespace

TEST_CASE("backup: offline backup and restore give the same stores, keys and config", "[unit][app][backup]") {
    venus::test::TempDir tmp;
    const auto repo = tmp.path() / "repo";
    make_repo(repo, 50);
    const auto dest = tmp.path() / "backup";
    auto m = backup_repo(repo, dest, nullptr);
    REQUIRE(m.ok());
    CHECK_FALSE(m->online);
    CHECK(m->stores.size() == 2);
    // Run files and logs stay out; the manifest covers the rest.
    CHECK_FALSE(fs::exists(dest / "token"));
    CHECK_FALSE(fs::exists(dest / "api"));
    CHECK_FALSE(fs::exists(dest / "repo.lock"));
    CHECK_FALSE(fs::exists(dest / "logs"));
    CHECK_FALSE(fs::exists(dest / "chain" / "lock.mdb"));
    CHECK(fs::exists(dest / kBackupManifest));
    CHECK(mode_of(dest / "keystore" / "jwt-secret") == 0600);
    CHECK(mode_of(dest / "auth.db") == 0600);
    CHECK(mode_of(dest / "chain" / "data.mdb") == 0600);
    CHECK(mode_of(dest) == 0700);

    const auto restored = tmp.path() / "new";
    auto r = restore_repo(dest, restored);
    REQUIRE(r.ok());
    CHECK(count_rows(restored / "auth.db") == 50);
    CHECK(count_blocks(restored / "chain") == 50);
    CHECK(test::read_file(restored / "keystore" / "jwt-secret") == test::read_file(repo / "keystore" / "jwt-secret"));
    CHECK(test::read_file(restored / "config.toml") == test::read_file(repo / "config.toml"));
    CHECK(mode_of(restored / "keystore" / "jwt-secret") == 0600);
    CHECK(mode_of(restored / "keystore") == 0700);
    CHECK(mode_of(restored) == 0700);
    // The restored secret passes the daemon's own check (it refuses a readable one).
    CHECK(load_or_create_jwt_secret(restored).ok());
}

TEST_CASE("backup: online, through open stores, while writers keep writing", "[unit][app][backup]") {
    venus::test::TempDir tmp;
    const auto repo = tmp.path() / "repo";
    make_repo(repo, 10);
    Stores stores(repo);
    auto* env = stores.lmdb("chain").value();
    auto* db = stores.sql("auth").value();
    auto table = env->open_table(kBlocks).value();
    std::atomic<bool> stop{false};
    std::atomic<int> written{0};
    // One writer per store, as modules have: the backup must take a consistent snapshot of each.
    std::thread writer([&] {
        for (int i = 1000; !stop; ++i) {
            const auto k = storage::lmdb::be64(static_cast<std::uint64_t>(i));
            REQUIRE(env->write([&](storage::lmdb::WriteTxn& w) { return w.put(table, k, as_bytes("x")); }).ok());
            REQUIRE(db->execute("INSERT INTO users VALUES (?, ?)", "w" + std::to_string(i), i).ok());
            ++written;
        }
    });
    REQUIRE(test::wait_until([&] { return written > 20; }, std::chrono::seconds(10)));
    const auto dest = tmp.path() / "backup";
    auto m = backup_repo(repo, dest, &stores);
    stop = true;
    writer.join();
    REQUIRE(m.ok());
    CHECK(m->online);
    CHECK(stores.open_lmdb("chain") == env);
    CHECK(stores.open_lmdb("other") == nullptr);
    const auto restored = tmp.path() / "new";
    REQUIRE(restore_repo(dest, restored).ok());
    const auto users = count_rows(restored / "auth.db");
    const auto blocks = count_blocks(restored / "chain");
    CHECK(users >= 30);
    CHECK(blocks >= 30);
    CHECK(users <= 10 + written);
}

TEST_CASE("backup: targets must be new, inside-repo and relative targets are refused", "[unit][app][backup]") {
    venus::test::TempDir tmp;
    const auto repo = tmp.path() / "repo";
    make_repo(repo, 1);
    REQUIRE(ensure_dir(tmp.path() / "full").ok());
    REQUIRE(write_private_file(tmp.path() / "full" / "x", "x").ok());
    auto full = backup_repo(repo, tmp.path() / "full", nullptr);
    REQUIRE_FALSE(full.ok());
    CHECK_THAT(full.error().message, Contains("is not empty"));
    auto inside = backup_repo(repo, repo / "b", nullptr);
    REQUIRE_FALSE(inside.ok());
    CHECK_THAT(inside.error().message, Contains("inside the repo"));
    CHECK_FALSE(backup_repo(repo, "relative/dir", nullptr).ok());
    CHECK_FALSE(backup_repo(tmp.path() / "nope", tmp.path() / "b2", nullptr).ok());

    const auto dest = tmp.path() / "backup";
    REQUIRE(backup_repo(repo, dest, nullptr).ok());
    auto into_full = restore_repo(dest, tmp.path() / "full");
    REQUIRE_FALSE(into_full.ok());
    CHECK_THAT(into_full.error().message, Contains("is not empty"));
    CHECK(test::read_file(tmp.path() / "full" / "x") == "x");
}

TEST_CASE("backup: damaged, unfinished and unsafe backups are refused and restore nothing", "[unit][app][backup]") {
    venus::test::TempDir tmp;
    const auto repo = tmp.path() / "repo";
    make_repo(repo, 5);
    const auto dest = tmp.path() / "backup";
    REQUIRE(backup_repo(repo, dest, nullptr).ok());
    REQUIRE(verify_backup(dest).ok());

    SECTION("a changed file") {
        std::ofstream(dest / "config.toml", std::ios::app) << "# edited\n";
        auto v = verify_backup(dest);
        REQUIRE_FALSE(v.ok());
        CHECK_THAT(v.error().message, Contains("config.toml does not match the manifest"));
        CHECK_FALSE(restore_repo(dest, tmp.path() / "new").ok());
        CHECK_FALSE(fs::exists(tmp.path() / "new"));
    }
    SECTION("a missing manifest (unfinished backup)") {
        fs::remove(dest / kBackupManifest);
        auto v = restore_repo(dest, tmp.path() / "new");
        REQUIRE_FALSE(v.ok());
        CHECK_THAT(v.error().message, Contains("not a venusd backup, or one that did not finish"));
    }
    SECTION("a path that leaves the backup") {
        auto text = test::read_file(dest / kBackupManifest);
        const auto at = text.find("\"Path\":\"config.toml\"");
        REQUIRE(at != std::string::npos);
        text.replace(at, std::string("\"Path\":\"config.toml\"").size(), "\"Path\":\"../config.toml\"");
        REQUIRE(write_private_file(dest / kBackupManifest, text).ok());
        auto v = verify_backup(dest);
        REQUIRE_FALSE(v.ok());
        CHECK_THAT(v.error().message, Contains("unsafe path"));
    }
    SECTION("another format version") {
        auto text = test::read_file(dest / kBackupManifest);
        const auto at = text.find("\"FormatVersion\":1");
        REQUIRE(at != std::string::npos);
        text.replace(at, 17, "\"FormatVersion\":9");
        REQUIRE(write_private_file(dest / kBackupManifest, text).ok());
        auto v = verify_backup(dest);
        REQUIRE_FALSE(v.ok());
        CHECK_THAT(v.error().message, Contains("format version 9 is not supported"));
    }
}
