// SPDX-License-Identifier: Apache-2.0 OR MIT
//! SQLite statement implementation and error mapping (internal to src/storage/sqlite).
#pragma once

#include <sqlite3.h>

#include <string>
#include <string_view>

#include "venus/storage/sql.hpp"

namespace venus::storage::sqlite::detail {

//! Maps an (extended) SQLite result code onto a venus error; see sqlite.hpp for the mapping.
Error sqlite_error(sqlite3* db, int rc, std::string_view what, std::string_view sql = {});

class SqliteStatement final : public SqlStatementImpl {
  public:
    SqliteStatement(sqlite3* db, sqlite3_stmt* stmt, std::string sql) noexcept
        : db_(db), stmt_(stmt), sql_(std::move(sql)) {}
    ~SqliteStatement() override { sqlite3_finalize(stmt_); }
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;

    Status bind_null(int index) override;
    Status bind_int64(int index, std::int64_t value) override;
    Status bind_double(int index, double value) override;
    Status bind_text(int index, std::string_view value) override;
    Status bind_blob(int index, BytesView value) override;
    Result<bool> step() override;
    void reset() noexcept override;
    [[nodiscard]] int column_count() const override;
    [[nodiscard]] std::string_view column_name(int col) const override;
    [[nodiscard]] SqlType column_type(int col) const override;
    [[nodiscard]] std::int64_t column_int64(int col) const override;
    [[nodiscard]] double column_double(int col) const override;
    [[nodiscard]] std::string_view column_text(int col) const override;
    [[nodiscard]] BytesView column_blob(int col) const override;
    [[nodiscard]] std::int64_t changes() const override { return changes_; }
    [[nodiscard]] const std::string& sql() const override { return sql_; }

  private:
    Status check_bind(int rc, int index);

    sqlite3* db_;
    sqlite3_stmt* stmt_;
    std::string sql_;
    std::int64_t changes_ = 0;
};

}  // namespace venus::storage::sqlite::detail
