// SPDX-License-Identifier: Apache-2.0 OR MIT
// Crash safety: a child process writes to both stores in a loop and is SIGKILLed at an arbitrary
// moment (almost always inside a transaction, where it spends its time). The parent then reopens
// the stores and checks that every batch the child reported as committed is complete and that no
// batch is half there.
#include <catch2/catch.hpp>

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "support/fixtures.hpp"
#include "venus/storage/lmdb.hpp"
#include "venus/storage/sql.hpp"
#include "venus/storage/sqlite.hpp"

using namespace venus;
using namespace venus::storage;
using venus::test::TempDir;

namespace {

constexpr std::uint32_t kRowsPerBatch = 40;
constexpr std::size_t kPayload = 300;

const std::vector<Migration> kMigrations = {
    {1,
     "crash test rows",
     {"CREATE TABLE rows (round_no BIGINT NOT NULL, batch BIGINT NOT NULL, idx BIGINT NOT NULL, "
      "payload BLOB NOT NULL, PRIMARY KEY (round_no, batch, idx))"}},
};

Bytes payload(std::uint32_t round, std::uint64_t batch, std::uint32_t idx) {
    Bytes p(kPayload);
    for (std::size_t i = 0; i < kPayload; ++i) {
        p[i] = static_cast<std::uint8_t>((round * 131 + batch * 31 + idx * 7 + i) & 0xff);
    }
    return p;
}

Bytes lmdb_key(std::uint32_t round, std::uint64_t batch, std::uint32_t idx) {
    Bytes k;
    for (auto b : lmdb::be32(round)) k.push_back(b);
    for (auto b : lmdb::be64(batch)) k.push_back(b);
    for (auto b : lmdb::be32(idx)) k.push_back(b);
    return k;
}

lmdb::EnvOptions chain_options() {
    lmdb::EnvOptions o;
    o.map_size = 256 * 1024;  // small, so the child also grows the map while it runs
    return o;
}

[[noreturn]] void child_fail(const Error& e) {
    std::fprintf(stderr, "crash-test child: %s\n", e.message.c_str());
    _exit(3);
}

// Runs in the forked child until it is killed. Opens its own handles: LMDB and SQLite handles
// must never cross a fork.
[[noreturn]] void child_main(const std::filesystem::path& dir, std::uint32_t round, int report_fd) {
    auto env = lmdb::Environment::open(dir / "chain", chain_options());
    if (!env.ok()) child_fail(env.error());
    auto table = (*env)->open_table("batches");
    if (!table.ok()) child_fail(table.error());
    auto db = sqlite::open(dir / "ops.db");
    if (!db.ok()) child_fail(db.error());
    if (auto m = migrate(**db, "crash", kMigrations); !m.ok()) child_fail(m.error());

    for (std::uint64_t batch = 1;; ++batch) {
        auto st = (*env)->write([&](lmdb::WriteTxn& txn) -> Status {
            for (std::uint32_t i = 0; i < kRowsPerBatch; ++i) {
                VENUS_TRY_VOID(txn.put(*table, lmdb_key(round, batch, i), payload(round, batch, i)));
            }
            return {};
        });
        if (!st.ok()) child_fail(st.error());
        st = (*db)->transaction([&]() -> Status {
            for (std::uint32_t i = 0; i < kRowsPerBatch; ++i) {
                auto r = (*db)->execute("INSERT INTO rows (round_no, batch, idx, payload) VALUES (?, ?, ?, ?)", round,
                                        batch, i, payload(round, batch, i));
                if (!r.ok()) return std::move(r).error();
            }
            return {};
        });
        if (!st.ok()) child_fail(st.error());
        // Both stores have committed this batch.
        if (::write(report_fd, &batch, sizeof batch) != sizeof batch) _exit(4);
    }
}

// Reads one report; false on EOF or timeout.
bool read_report(int fd, std::uint64_t& batch, int timeout_ms) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0) return false;
    std::uint64_t value = 0;
    if (::read(fd, &value, sizeof value) != sizeof value) return false;
    batch = value;
    return true;
}

// Rows per batch of one round, as found in each store; every payload is checked on the way.
struct Found {
    std::map<std::uint64_t, std::uint32_t> lmdb_rows;
    std::map<std::uint64_t, std::uint32_t> sql_rows;
    std::size_t bad_payloads = 0;
};

Found inspect(const std::filesystem::path& dir, std::uint32_t round) {
    Found found;
    auto env = lmdb::Environment::open(dir / "chain", chain_options());
    REQUIRE(env.ok());
    auto table = (*env)->open_table("batches");
    REQUIRE(table.ok());
    auto txn = (*env)->begin_read();
    REQUIRE(txn.ok());
    const auto prefix = lmdb::be32(round);
    REQUIRE(txn->scan_prefix(*table, prefix, [&](BytesView k, BytesView v) {
                   const std::uint64_t batch = *lmdb::read_be64(k.subspan(4, 8));
                   const std::uint32_t idx = *lmdb::read_be32(k.subspan(12, 4));
                   if (Bytes(v.begin(), v.end()) != payload(round, batch, idx)) ++found.bad_payloads;
                   ++found.lmdb_rows[batch];
                   return true;
               }).ok());

    auto db = sqlite::open(dir / "ops.db");
    REQUIRE(db.ok());
    auto st = (*db)->prepare("SELECT batch, idx, payload FROM rows WHERE round_no = ?");
    REQUIRE(st.ok());
    REQUIRE(st->bind(1, round).ok());
    while (true) {
        auto row = st->step();
        REQUIRE(row.ok());
        if (!*row) break;
        const auto batch = st->column_uint64(0);
        const auto idx = static_cast<std::uint32_t>(st->column_int64(1));
        if (st->column_blob(2) != payload(round, batch, idx)) ++found.bad_payloads;
        ++found.sql_rows[batch];
    }
    return found;
}

// Every batch up to `reported` complete; after it, at most one more, and only complete.
void check_store(const char* store, const std::map<std::uint64_t, std::uint32_t>& rows, std::uint64_t reported) {
    INFO(store << ", last batch reported committed: " << reported);
    for (std::uint64_t b = 1; b <= reported; ++b) {
        INFO("batch " << b);
        auto it = rows.find(b);
        REQUIRE(it != rows.end());
        CHECK(it->second == kRowsPerBatch);
    }
    for (const auto& [batch, count] : rows) {
        INFO("batch " << batch << " has " << count << " rows");
        CHECK(batch <= reported + 1);
        CHECK(count == kRowsPerBatch);
    }
}

}  // namespace

TEST_CASE("storage: after SIGKILL mid-write, committed batches are complete and partial ones absent",
          "[unit][storage][crash]") {
    TempDir dir;
    // Several rounds on the same files: each reopen also recovers from the previous kill
    // (stale LMDB reader slots, a SQLite WAL that was never checkpointed).
    for (std::uint32_t round = 1; round <= 4; ++round) {
        int fds[2];
        REQUIRE(::pipe(fds) == 0);
        const pid_t pid = ::fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            ::close(fds[0]);
            child_main(dir.path(), round, fds[1]);
        }
        ::close(fds[1]);

        // Kill after a different number of batches each round, at whatever point the child is.
        const std::uint64_t kill_after = 5 + 4 * round;
        std::uint64_t reported = 0;
        bool alive = true;
        while (reported < kill_after && (alive = read_report(fds[0], reported, 30000))) {
        }
        ::kill(pid, SIGKILL);
        int status = 0;
        ::waitpid(pid, &status, 0);
        // Reports written just before the kill still count as committed.
        while (read_report(fds[0], reported, 0)) {
        }
        ::close(fds[0]);
        INFO("round " << round);
        REQUIRE(alive);  // the child died on its own (see its stderr) or stalled
        REQUIRE(WIFSIGNALED(status));
        CHECK(WTERMSIG(status) == SIGKILL);

        const Found found = inspect(dir.path(), round);
        CHECK(found.bad_payloads == 0);
        check_store("lmdb", found.lmdb_rows, reported);
        check_store("sqlite", found.sql_rows, reported);
    }
}
