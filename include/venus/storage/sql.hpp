// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The portable SQL interface: a database connection, prepared statements with typed binds and
//! column reads, transactions, versioned migrations and an upsert builder. SQLite implements it
//! today (venus/storage/sqlite.hpp); a MySQL/MariaDB backend can implement it later, so the
//! SQL that modules write must run on both.
//!
//! Portable SQL rules
//! - Placeholders are `?` only (no `?NNN`, `:name`, `$1`). One statement per string.
//! - Types: INTEGER / BIGINT, DOUBLE, VARCHAR(n) (≤ 255 when indexed or a key: MySQL limits
//!   index length), TEXT (never a key or indexed), BLOB (never a key; store binary keys as hex in
//!   VARCHAR). Booleans are SMALLINT 0/1. Times are BIGINT (unix seconds or milliseconds), never
//!   DATETIME or database-side defaults. Big integers (token amounts) are decimal text.
//! - Unsigned 64-bit values (nonces, method numbers) go into BIGINT through `bind(i, uint64_t)`:
//!   values below 2^63 are stored as themselves, so SQL comparisons and ORDER BY work on them;
//!   values from 2^63 up are stored as the negative int64 with the same bits and read back exactly
//!   by `column_uint64`, but compare and sort below 0 in SQL. A column that needs SQL ordering over
//!   the full uint64 range stores `sortable_uint64()` text instead.
//! - No AUTOINCREMENT: SQLite and MySQL spell it differently and reuse ids differently. Prefer
//!   natural keys (CIDs, addresses, names) or ids the application generates. If a table really
//!   needs a database-assigned id, build the column with `auto_id_column(dialect)`.
//! - No SQLite-only syntax: no `INSERT OR REPLACE`, no `ON CONFLICT` written by hand (use
//!   `upsert_sql()`), no `WITHOUT ROWID`, no `strftime`, no `||` concatenation, no
//!   `IF NOT EXISTS` on CREATE INDEX (migrations run once anyway).
//! - Identifiers: lower_snake_case, never a keyword of either database (`from`, `to`, `key`,
//!   `order`, `range`, `index`, `value`…): quoting differs between them (`"x"` vs `` `x` ``), so
//!   names must never need it. Say `from_addr`, `amount`.
//! - DDL in MySQL commits implicitly, so a migration should hold one DDL statement, or
//!   statements that can safely run again, for a failed migration to be retried there.
//!
//! Threading: a `SqlDatabase` is one connection and is used by one thread at a time (the writer
//! connection lives on one thread, or behind a single-writer queue). Reads that must not wait for
//! the writer use separate read-only connections, one per thread (see sqlite::Options).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "venus/core/bytes.hpp"
#include "venus/core/result.hpp"

namespace venus::storage {

enum class SqlDialect { kSqlite, kMysql };
enum class SqlType { kNull, kInteger, kReal, kText, kBlob };

//! What a backend implements for one prepared statement. Modules use SqlStatement instead.
class SqlStatementImpl {
  public:
    virtual ~SqlStatementImpl() = default;
    virtual Status bind_null(int index) = 0;
    virtual Status bind_int64(int index, std::int64_t value) = 0;
    virtual Status bind_double(int index, double value) = 0;
    virtual Status bind_text(int index, std::string_view value) = 0;  //!< copied
    virtual Status bind_blob(int index, BytesView value) = 0;         //!< copied
    virtual Result<bool> step() = 0;
    //! Ready to run again: rewinds and clears every binding.
    virtual void reset() noexcept = 0;
    [[nodiscard]] virtual int column_count() const = 0;
    [[nodiscard]] virtual std::string_view column_name(int col) const = 0;
    [[nodiscard]] virtual SqlType column_type(int col) const = 0;
    [[nodiscard]] virtual std::int64_t column_int64(int col) const = 0;
    [[nodiscard]] virtual double column_double(int col) const = 0;
    [[nodiscard]] virtual std::string_view column_text(int col) const = 0;
    [[nodiscard]] virtual BytesView column_blob(int col) const = 0;
    //! Rows inserted, updated or deleted by the statement's last run.
    [[nodiscard]] virtual std::int64_t changes() const = 0;
    [[nodiscard]] virtual const std::string& sql() const = 0;
};

//! Where a finished statement goes back to (a database's statement cache).
class SqlStatementHome {
  public:
    virtual void recycle(std::unique_ptr<SqlStatementImpl> statement) noexcept = 0;

  protected:
    ~SqlStatementHome() = default;
};

//! A prepared statement, borrowed from its database's cache and given back (reset, bindings
//! cleared) when destroyed. Must not outlive its database. Parameters are numbered from 1 in
//! the order of the `?`s; columns from 0.
class SqlStatement {
  public:
    SqlStatement(std::unique_ptr<SqlStatementImpl> impl, SqlStatementHome* home) noexcept
        : impl_(std::move(impl)), home_(home) {}
    SqlStatement(SqlStatement&& other) noexcept = default;
    SqlStatement& operator=(SqlStatement&& other) noexcept;
    SqlStatement(const SqlStatement&) = delete;
    SqlStatement& operator=(const SqlStatement&) = delete;
    ~SqlStatement();

    //! Binds by C++ type: signed integers and bool → BIGINT, unsigned → bind_uint64, floating →
    //! DOUBLE, anything convertible to std::string_view → text, to BytesView → blob,
    //! nullptr / std::nullopt → NULL, std::optional<T> → T or NULL.
    template <typename T>
    Status bind(int index, const T& value);
    //! Binds every argument, the first to parameter 1.
    template <typename... Args>
    Status bind_all(const Args&... args);
    //! See the file comment for how values from 2^63 up are stored.
    Status bind_uint64(int index, std::uint64_t value) {
        return impl_->bind_int64(index, static_cast<std::int64_t>(value));
    }

    //! True when a row is ready to read, false when the statement has finished.
    Result<bool> step() { return impl_->step(); }
    //! Runs the statement to its end (any rows are skipped); returns the rows it changed.
    Result<std::int64_t> execute();
    //! Rewinds and clears bindings, to run the statement again.
    void reset() noexcept { impl_->reset(); }

    [[nodiscard]] int column_count() const { return impl_->column_count(); }
    [[nodiscard]] std::string_view column_name(int col) const { return impl_->column_name(col); }
    [[nodiscard]] SqlType column_type(int col) const { return impl_->column_type(col); }
    [[nodiscard]] bool column_is_null(int col) const { return column_type(col) == SqlType::kNull; }
    [[nodiscard]] std::int64_t column_int64(int col) const { return impl_->column_int64(col); }
    [[nodiscard]] std::uint64_t column_uint64(int col) const {
        return static_cast<std::uint64_t>(impl_->column_int64(col));
    }
    [[nodiscard]] double column_double(int col) const { return impl_->column_double(col); }
    [[nodiscard]] std::string column_text(int col) const { return std::string(impl_->column_text(col)); }
    [[nodiscard]] Bytes column_blob(int col) const {
        const BytesView b = impl_->column_blob(col);
        return {b.begin(), b.end()};
    }
    //! Views valid until the next step() or reset(): no copy.
    [[nodiscard]] std::string_view column_text_view(int col) const { return impl_->column_text(col); }
    [[nodiscard]] BytesView column_blob_view(int col) const { return impl_->column_blob(col); }
    //! Reads by C++ type, the inverse of bind(): integers, bool, floating, std::string, Bytes,
    //! std::optional<T> (NULL → nullopt).
    template <typename T>
    [[nodiscard]] T column(int col) const;

    [[nodiscard]] std::int64_t changes() const { return impl_->changes(); }
    [[nodiscard]] const std::string& sql() const { return impl_->sql(); }

  private:
    std::unique_ptr<SqlStatementImpl> impl_;
    SqlStatementHome* home_ = nullptr;
};

//! One database connection (see the file comment for the threading rule).
class SqlDatabase {
  public:
    virtual ~SqlDatabase() = default;
    SqlDatabase() = default;
    SqlDatabase(const SqlDatabase&) = delete;
    SqlDatabase& operator=(const SqlDatabase&) = delete;

    [[nodiscard]] virtual SqlDialect dialect() const noexcept = 0;
    //! A prepared statement for `sql`, from the statement cache when one is idle there.
    virtual Result<SqlStatement> prepare(std::string_view sql) = 0;
    //! The id the database assigned to the last inserted row (see auto_id_column).
    [[nodiscard]] virtual std::int64_t last_insert_id() const = 0;
    //! Online, consistent copy of the whole database into a new file `dest` (an existing file is
    //! Errc::kAlreadyExists). Not inside a transaction.
    virtual Status backup_to(const std::filesystem::path& dest) = 0;

    //! prepare + bind_all + execute: returns the rows changed.
    template <typename... Args>
    Result<std::int64_t> execute(std::string_view sql, const Args&... args);

    //! Runs `fn` (returning Status or Result<T>) in a transaction: committed when it succeeds,
    //! rolled back when it fails or throws. Nested calls become savepoints, so an inner failure
    //! undoes only the inner work. In SQLite the outer transaction is BEGIN IMMEDIATE: it takes
    //! the write lock up front (waiting up to the busy timeout) instead of failing at commit.
    template <typename F>
    auto transaction(F&& fn) -> std::invoke_result_t<F&>;

    [[nodiscard]] int transaction_depth() const noexcept { return depth_; }

  protected:
    //! Backend hooks for the outermost transaction.
    virtual Status begin_transaction() = 0;
    virtual Status commit_transaction() = 0;
    virtual void rollback_transaction() noexcept = 0;
    //! Runs one statement without parameters or rows (savepoints, DDL).
    virtual Status exec_simple(std::string_view sql) = 0;

  private:
    Status enter_transaction();
    Status leave_transaction(bool commit);

    int depth_ = 0;
};

// ---- migrations ----

//! One schema change. `statements` run in order, in one transaction, together with recording the
//! version in `schema_migrations`. Versions of a component are unique and increasing; a released
//! migration is never edited, only followed by a new one.
struct Migration {
    std::int64_t version = 0;
    std::string description;
    std::vector<std::string> statements;
};

//! Applies the migrations of `component` (e.g. "auth", "messager") that are not yet recorded, in
//! version order, each in its own transaction; returns how many ran (0 the second time). Several
//! modules can share one database: each has its own component. A failing migration is rolled
//! back and reported with its version and description; the ones before it stay applied. A
//! database recording a version this list does not have (made by a newer build) is an error.
//!
//! Table schema_migrations (created on first use):
//!   component VARCHAR(64), version BIGINT, description VARCHAR(255), applied_at BIGINT (unix s),
//!   PRIMARY KEY (component, version)
Result<std::size_t> migrate(SqlDatabase& db, std::string_view component, std::span<const Migration> migrations);

//! The highest applied version of `component`; 0 when none.
Result<std::int64_t> schema_version(SqlDatabase& db, std::string_view component);

// ---- portable helpers ----

//! An insert that updates (or leaves alone) the row whose key already exists:
//!   SQLite/PostgreSQL: INSERT … ON CONFLICT (key) DO UPDATE SET c = excluded.c
//!   MySQL/MariaDB:     INSERT … ON DUPLICATE KEY UPDATE c = VALUES(c)
//! With `update` empty the existing row is kept (SQLite: DO NOTHING; MySQL: a no-op assignment
//! rather than INSERT IGNORE, which would also swallow other errors). On MySQL the conflict is on
//! any unique key of the table, not only `key`: give such tables one unique key.
struct UpsertSpec {
    std::string_view table;
    std::vector<std::string_view> columns;  //!< all inserted columns, bound in this order
    std::vector<std::string_view> key;      //!< the primary or unique key columns
    std::vector<std::string_view> update;   //!< columns to overwrite on conflict
};
std::string upsert_sql(SqlDialect dialect, const UpsertSpec& spec);

//! Column definition of a database-assigned 64-bit id: "id INTEGER PRIMARY KEY" on SQLite (the
//! rowid), "id BIGINT PRIMARY KEY AUTO_INCREMENT" on MySQL.
std::string auto_id_column(SqlDialect dialect, std::string_view name = "id");

//! 20-digit zero-padded decimal: sorts like the number over the whole uint64 range.
std::string sortable_uint64(std::uint64_t value);

// ---- template definitions ----

namespace detail {
template <typename T>
struct IsOptional : std::false_type {};
template <typename T>
struct IsOptional<std::optional<T>> : std::true_type {};
template <typename T>
inline constexpr bool kAlwaysFalse = false;
}  // namespace detail

template <typename T>
Status SqlStatement::bind(int index, const T& value) {
    if constexpr (std::is_same_v<T, std::nullptr_t> || std::is_same_v<T, std::nullopt_t>) {
        return impl_->bind_null(index);
    } else if constexpr (detail::IsOptional<T>::value) {
        if (!value) return impl_->bind_null(index);
        return bind(index, *value);
    } else if constexpr (std::is_same_v<T, bool>) {
        return impl_->bind_int64(index, value ? 1 : 0);
    } else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
        return impl_->bind_int64(index, static_cast<std::int64_t>(value));
    } else if constexpr (std::is_integral_v<T>) {
        return bind_uint64(index, static_cast<std::uint64_t>(value));
    } else if constexpr (std::is_floating_point_v<T>) {
        return impl_->bind_double(index, static_cast<double>(value));
    } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
        return impl_->bind_text(index, std::string_view(value));
    } else if constexpr (std::is_convertible_v<const T&, BytesView>) {
        return impl_->bind_blob(index, BytesView(value));
    } else {
        static_assert(detail::kAlwaysFalse<T>, "no SQL binding for this type (convert enums explicitly)");
    }
}

template <typename... Args>
Status SqlStatement::bind_all(const Args&... args) {
    Status st;
    [[maybe_unused]] int index = 0;
    // Stops at the first failure; the fold keeps the order of the arguments.
    ((st.ok() ? (st = bind(++index, args), 0) : 0), ...);
    return st;
}

template <typename T>
T SqlStatement::column(int col) const {
    if constexpr (detail::IsOptional<T>::value) {
        if (column_is_null(col)) return std::nullopt;
        return column<typename T::value_type>(col);
    } else if constexpr (std::is_same_v<T, bool>) {
        return column_int64(col) != 0;
    } else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
        return static_cast<T>(column_int64(col));
    } else if constexpr (std::is_integral_v<T>) {
        return static_cast<T>(column_uint64(col));
    } else if constexpr (std::is_floating_point_v<T>) {
        return static_cast<T>(column_double(col));
    } else if constexpr (std::is_same_v<T, std::string>) {
        return column_text(col);
    } else if constexpr (std::is_same_v<T, Bytes>) {
        return column_blob(col);
    } else {
        static_assert(detail::kAlwaysFalse<T>, "no SQL column read for this type");
    }
}

template <typename... Args>
Result<std::int64_t> SqlDatabase::execute(std::string_view sql, const Args&... args) {
    VENUS_TRY(SqlStatement st, prepare(sql));
    VENUS_TRY_VOID(st.bind_all(args...));
    return st.execute();
}

template <typename F>
auto SqlDatabase::transaction(F&& fn) -> std::invoke_result_t<F&> {
    using R = std::invoke_result_t<F&>;
    if (auto st = enter_transaction(); !st.ok()) return R(std::move(st).error());
    try {
        R result = fn();
        if (!result.ok()) {
            (void)leave_transaction(false);
            return result;
        }
        if (auto st = leave_transaction(true); !st.ok()) return R(std::move(st).error());
        return result;
    } catch (...) {
        (void)leave_transaction(false);
        throw;
    }
}

}  // namespace venus::storage
