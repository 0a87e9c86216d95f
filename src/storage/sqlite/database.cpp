// SPDX-License-Identifier: Apache-2.0 OR MIT
// The SQLite connection: open with pragmas, statement cache, transactions, online backup.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <list>
#include <unordered_map>

#include <fmt/format.h>

#include "storage/sqlite/sqlite_internal.hpp"
#include "venus/storage/sqlite.hpp"

namespace venus::storage::sqlite {

namespace fs = std::filesystem;
using detail::sqlite_error;
using detail::SqliteStatement;

namespace {

// Creates an absent file with `mode` before SQLite opens it: SQLite would use 0644 & ~umask,
// and the -wal/-shm files copy the main file's mode, so this covers all three. Tokens and
// keys live in these databases.
Status create_private_file(const fs::path& path, unsigned mode) {
    const int fd = ::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, static_cast<mode_t>(mode));
    if (fd >= 0) {
        ::close(fd);
        return {};
    }
    if (errno == EEXIST) return {};
    return make_error(Errc::kIo, "cannot create {}: {}", path.string(), std::strerror(errno));
}

class SqliteDatabase final : public SqlDatabase, private SqlStatementHome {
  public:
    SqliteDatabase(sqlite3* db, fs::path path, const Options& options)
        : db_(db), path_(std::move(path)), options_(options) {}

    ~SqliteDatabase() override {
        index_.clear();
        lru_.clear();  // finalizes the cached statements before the connection closes
        // close_v2 defers the close while a statement is still out, instead of failing.
        sqlite3_close_v2(db_);
    }

    [[nodiscard]] SqlDialect dialect() const noexcept override { return SqlDialect::kSqlite; }

    Result<SqlStatement> prepare(std::string_view sql) override {
        if (auto it = index_.find(sql); it != index_.end()) {
            std::unique_ptr<SqliteStatement> cached = std::move(*it->second);
            lru_.erase(it->second);
            index_.erase(it);
            return SqlStatement(std::move(cached), this);
        }
        sqlite3_stmt* stmt = nullptr;
        const char* tail = nullptr;
        const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                          &stmt, &tail);
        if (rc != SQLITE_OK) return sqlite_error(db_, rc, "prepare", sql);
        if (stmt == nullptr) return make_error(Errc::kInvalidArgument, "sqlite prepare: no statement in '{}'", sql);
        auto statement = std::make_unique<SqliteStatement>(db_, stmt, std::string(sql));
        const std::string_view rest = sql.substr(static_cast<std::size_t>(tail - sql.data()));
        if (rest.find_first_not_of(" \t\r\n;") != std::string_view::npos) {
            return make_error(Errc::kInvalidArgument, "sqlite prepare: one statement per call, got more in '{}'", sql);
        }
        return SqlStatement(std::move(statement), this);
    }

    [[nodiscard]] std::int64_t last_insert_id() const override { return sqlite3_last_insert_rowid(db_); }

    Status backup_to(const fs::path& dest) override {
        if (transaction_depth() != 0) {
            return make_error(Errc::kInvalidArgument, "sqlite backup of {}: not inside a transaction", path_.string());
        }
        std::error_code ec;
        if (fs::exists(dest, ec)) {
            return make_error(Errc::kAlreadyExists, "sqlite backup: {} already exists", dest.string());
        }
        VENUS_TRY_VOID(create_private_file(dest, options_.file_mode));
        sqlite3* out = nullptr;
        int rc = sqlite3_open_v2(dest.c_str(), &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
        Status result;
        if (rc != SQLITE_OK) {
            result = sqlite_error(out, rc, "backup: open " + dest.string());
        } else if (sqlite3_backup* backup = sqlite3_backup_init(out, "main", db_, "main"); backup == nullptr) {
            result = sqlite_error(out, sqlite3_errcode(out), "backup: start");
        } else {
            // One step copies every page under one read transaction: a consistent snapshot.
            rc = sqlite3_backup_step(backup, -1);
            sqlite3_backup_finish(backup);
            if (rc != SQLITE_DONE) result = sqlite_error(out, rc, "backup to " + dest.string());
        }
        sqlite3_close_v2(out);
        if (!result.ok()) fs::remove(dest, ec);
        return result;
    }

  protected:
    Status begin_transaction() override { return exec_simple("BEGIN IMMEDIATE"); }
    Status commit_transaction() override { return exec_simple("COMMIT"); }
    void rollback_transaction() noexcept override {
        // Some errors (SQLITE_FULL, SQLITE_IOERR) already rolled the transaction back.
        if (sqlite3_get_autocommit(db_) == 0) (void)exec_simple("ROLLBACK");
    }

    Status exec_simple(std::string_view sql) override {
        const std::string text(sql);
        char* message = nullptr;
        const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
        sqlite3_free(message);  // sqlite3_errmsg carries the same text
        if (rc != SQLITE_OK) return sqlite_error(db_, rc, "exec", sql);
        return {};
    }

  private:
    void recycle(std::unique_ptr<SqlStatementImpl> impl) noexcept override {
        // Only SqliteDatabase::prepare hands out statements with this home.
        std::unique_ptr<SqliteStatement> statement(static_cast<SqliteStatement*>(impl.release()));
        if (options_.statement_cache_size == 0) return;
        // The statement's own SQL text is the key: it lives as long as the cache entry.
        const std::string_view key = statement->sql();
        if (index_.count(key) != 0) return;  // an idle copy is cached already
        lru_.push_front(std::move(statement));
        index_.emplace(key, lru_.begin());
        if (lru_.size() > options_.statement_cache_size) {
            index_.erase(lru_.back()->sql());
            lru_.pop_back();
        }
    }

    sqlite3* db_;
    fs::path path_;
    Options options_;
    // Idle statements, most recently used first, and an index by SQL text.
    std::list<std::unique_ptr<SqliteStatement>> lru_;
    std::unordered_map<std::string_view, std::list<std::unique_ptr<SqliteStatement>>::iterator> index_;
};

Result<std::string> query_text(sqlite3* db, const char* sql) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
    if (rc != SQLITE_OK) return sqlite_error(db, rc, "prepare", sql);
    std::string out;
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
        if (text != nullptr) out = text;
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return sqlite_error(db, rc, "step", sql);
    return out;
}

Status exec_pragma(sqlite3* db, const std::string& sql) {
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return sqlite_error(db, rc, "exec", sql);
    return {};
}

const char* synchronous_name(Synchronous s) {
    switch (s) {
        case Synchronous::kOff: return "OFF";
        case Synchronous::kFull: return "FULL";
        case Synchronous::kNormal: break;
    }
    return "NORMAL";
}

}  // namespace

Result<std::unique_ptr<SqlDatabase>> open(const fs::path& path, const Options& options) {
    if (sqlite3_threadsafe() == 0) {
        return make_error(Errc::kUnsupported, "sqlite was built without thread support");
    }
    int flags = SQLITE_OPEN_NOMUTEX;  // a connection is used by one thread at a time (see sql.hpp)
    if (options.read_only) {
        flags |= SQLITE_OPEN_READONLY;
    } else {
        if (auto st = create_private_file(path, options.file_mode); !st.ok()) {
            return std::move(st).error().wrap("sqlite open");
        }
        flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    }
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    if (rc != SQLITE_OK) {
        Error error = sqlite_error(raw, rc, "open " + path.string());
        sqlite3_close_v2(raw);
        return error;
    }
    // Owned from here on: every early return closes it.
    auto db = std::make_unique<SqliteDatabase>(raw, path, options);
    sqlite3_extended_result_codes(raw, 1);  // tells UNIQUE violations from other constraint errors
    sqlite3_busy_timeout(raw, static_cast<int>(options.busy_timeout.count()));

    auto configure = [&]() -> Status {
        if (!options.read_only) {
            VENUS_TRY(std::string mode, query_text(raw, "PRAGMA journal_mode=WAL"));
            if (mode != "wal") {
                return make_error(Errc::kStorage, "sqlite open {}: cannot switch to WAL (journal mode is {})",
                                  path.string(), mode);
            }
            VENUS_TRY_VOID(exec_pragma(raw, fmt::format("PRAGMA synchronous={}", synchronous_name(options.synchronous))));
        }
        VENUS_TRY_VOID(exec_pragma(raw, "PRAGMA foreign_keys=ON"));
        // A read-only open of a non-database file succeeds lazily; touch the schema to fail here.
        VENUS_TRY(std::string unused, query_text(raw, "SELECT count(*) FROM sqlite_schema"));
        (void)unused;
        return {};
    };
    if (auto st = configure(); !st.ok()) return std::move(st).error();
    return std::unique_ptr<SqlDatabase>(std::move(db));
}

}  // namespace venus::storage::sqlite
