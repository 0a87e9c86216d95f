// SPDX-License-Identifier: Apache-2.0 OR MIT
// SQLite prepared statements and error mapping.
#include <fmt/format.h>

#include "storage/sqlite/sqlite_internal.hpp"

namespace venus::storage::sqlite::detail {

Error sqlite_error(sqlite3* db, int rc, std::string_view what, std::string_view sql) {
    Errc e = Errc::kStorage;
    const int primary = rc & 0xff;
    if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) e = Errc::kAlreadyExists;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) e = Errc::kTimeout;
    if (primary == SQLITE_RANGE) e = Errc::kInvalidArgument;
    // sqlite3_errmsg describes the connection's last failure, which is this one; without a
    // connection only the generic text for the code is known.
    const char* text = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    constexpr std::size_t kMaxSql = 200;
    if (sql.empty()) return make_error(e, "sqlite {}: {}", what, text);
    const bool cut = sql.size() > kMaxSql;
    return make_error(e, "sqlite {}: {} (in: {}{})", what, text, sql.substr(0, kMaxSql), cut ? "…" : "");
}

Status SqliteStatement::check_bind(int rc, int index) {
    if (rc == SQLITE_OK) return {};
    return sqlite_error(db_, rc, fmt::format("bind parameter {}", index), sql_);
}

Status SqliteStatement::bind_null(int index) { return check_bind(sqlite3_bind_null(stmt_, index), index); }

Status SqliteStatement::bind_int64(int index, std::int64_t value) {
    return check_bind(sqlite3_bind_int64(stmt_, index, value), index);
}

Status SqliteStatement::bind_double(int index, double value) {
    return check_bind(sqlite3_bind_double(stmt_, index, value), index);
}

Status SqliteStatement::bind_text(int index, std::string_view value) {
    // SQLITE_TRANSIENT: SQLite copies, so the caller's buffer need not outlive the step.
    return check_bind(sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
                      index);
}

Status SqliteStatement::bind_blob(int index, BytesView value) {
    // A null pointer would bind NULL; an empty blob must stay an empty blob.
    static const std::uint8_t kEmpty = 0;
    const void* data = value.empty() ? &kEmpty : value.data();
    return check_bind(sqlite3_bind_blob64(stmt_, index, data, value.size(), SQLITE_TRANSIENT), index);
}

Result<bool> SqliteStatement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) {
        changes_ = sqlite3_stmt_readonly(stmt_) != 0 ? 0 : static_cast<std::int64_t>(sqlite3_changes64(db_));
        return false;
    }
    Error error = sqlite_error(db_, rc, "step", sql_);
    sqlite3_reset(stmt_);
    return error;
}

void SqliteStatement::reset() noexcept {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

int SqliteStatement::column_count() const { return sqlite3_column_count(stmt_); }

std::string_view SqliteStatement::column_name(int col) const {
    const char* name = sqlite3_column_name(stmt_, col);
    return name != nullptr ? std::string_view(name) : std::string_view();
}

SqlType SqliteStatement::column_type(int col) const {
    switch (sqlite3_column_type(stmt_, col)) {
        case SQLITE_INTEGER: return SqlType::kInteger;
        case SQLITE_FLOAT: return SqlType::kReal;
        case SQLITE_TEXT: return SqlType::kText;
        case SQLITE_BLOB: return SqlType::kBlob;
        default: return SqlType::kNull;
    }
}

std::int64_t SqliteStatement::column_int64(int col) const { return sqlite3_column_int64(stmt_, col); }

double SqliteStatement::column_double(int col) const { return sqlite3_column_double(stmt_, col); }

std::string_view SqliteStatement::column_text(int col) const {
    // Text first, then its size: the documented order, since the first call may convert.
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    const int size = sqlite3_column_bytes(stmt_, col);
    if (text == nullptr) return {};
    return {text, static_cast<std::size_t>(size)};
}

BytesView SqliteStatement::column_blob(int col) const {
    const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, col));
    const int size = sqlite3_column_bytes(stmt_, col);
    if (data == nullptr) return {};
    return {data, static_cast<std::size_t>(size)};
}

}  // namespace venus::storage::sqlite::detail
