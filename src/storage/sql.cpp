// SPDX-License-Identifier: Apache-2.0 OR MIT
// Backend-neutral parts of the SQL interface: statement handles, nested transactions,
// migrations and the portable SQL builders.
#include "venus/storage/sql.hpp"

#include <algorithm>
#include <chrono>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace venus::storage {

// ---- SqlStatement ----

SqlStatement& SqlStatement::operator=(SqlStatement&& other) noexcept {
    if (this != &other) {
        SqlStatement old(std::move(*this));  // gives the current statement back to its cache
        impl_ = std::move(other.impl_);
        home_ = other.home_;
    }
    return *this;
}

SqlStatement::~SqlStatement() {
    if (!impl_) return;
    impl_->reset();
    if (home_ != nullptr) home_->recycle(std::move(impl_));
}

Result<std::int64_t> SqlStatement::execute() {
    while (true) {
        VENUS_TRY(bool row, impl_->step());
        if (!row) break;
    }
    const std::int64_t changed = impl_->changes();
    impl_->reset();
    return changed;
}

// ---- transactions ----

Status SqlDatabase::enter_transaction() {
    if (depth_ == 0) {
        VENUS_TRY_VOID(begin_transaction());
    } else {
        VENUS_TRY_VOID(exec_simple(fmt::format("SAVEPOINT venus_sp_{}", depth_)));
    }
    ++depth_;
    return {};
}

Status SqlDatabase::leave_transaction(bool commit) {
    --depth_;
    if (depth_ == 0) {
        if (!commit) {
            rollback_transaction();
            return {};
        }
        if (auto st = commit_transaction(); !st.ok()) {
            rollback_transaction();
            return st;
        }
        return {};
    }
    const std::string name = fmt::format("venus_sp_{}", depth_);
    if (commit) return exec_simple("RELEASE SAVEPOINT " + name);
    // ROLLBACK TO keeps the savepoint open; release it so the outer transaction goes on clean.
    auto rolled_back = exec_simple("ROLLBACK TO SAVEPOINT " + name);
    auto released = exec_simple("RELEASE SAVEPOINT " + name);
    if (!rolled_back.ok()) return rolled_back;
    return released;
}

// ---- migrations ----

namespace {

constexpr std::string_view kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "component VARCHAR(64) NOT NULL, "
    "version BIGINT NOT NULL, "
    "description VARCHAR(255) NOT NULL, "
    "applied_at BIGINT NOT NULL, "
    "PRIMARY KEY (component, version))";

Result<std::set<std::int64_t>> applied_versions(SqlDatabase& db, std::string_view component) {
    VENUS_TRY(SqlStatement st, db.prepare("SELECT version FROM schema_migrations WHERE component = ?"));
    VENUS_TRY_VOID(st.bind(1, component));
    std::set<std::int64_t> out;
    while (true) {
        VENUS_TRY(bool row, st.step());
        if (!row) break;
        out.insert(st.column_int64(0));
    }
    return out;
}

Status check_list(std::string_view component, std::span<const Migration> migrations) {
    if (component.empty() || component.size() > 64) {
        return make_error(Errc::kInvalidArgument, "migrations: component name '{}' must have 1..64 characters", component);
    }
    std::int64_t previous = 0;
    for (const auto& m : migrations) {
        if (m.version <= previous) {
            return make_error(Errc::kInvalidArgument,
                              "migrations of {}: version {} must be positive and above the previous ({})",
                              component, m.version, previous);
        }
        if (m.statements.empty() || m.description.empty() || m.description.size() > 255) {
            return make_error(Errc::kInvalidArgument,
                              "migrations of {}: version {} needs statements and a description of 1..255 characters",
                              component, m.version);
        }
        previous = m.version;
    }
    return {};
}

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

Result<std::size_t> migrate(SqlDatabase& db, std::string_view component, std::span<const Migration> migrations) {
    VENUS_TRY_VOID(check_list(component, migrations));
    if (auto st = db.execute(kCreateMigrationsTable); !st.ok()) {
        return std::move(st).error().wrap("creating schema_migrations");
    }
    VENUS_TRY(auto applied, applied_versions(db, component));
    const std::int64_t newest_applied = applied.empty() ? 0 : *applied.rbegin();
    for (std::int64_t v : applied) {
        const bool known = std::any_of(migrations.begin(), migrations.end(),
                                       [v](const Migration& m) { return m.version == v; });
        if (!known) {
            return make_error(Errc::kStorage,
                              "database has {} schema version {}, which this build does not know "
                              "(was it written by a newer venusd?)",
                              component, v);
        }
    }

    std::size_t ran = 0;
    for (const auto& m : migrations) {
        if (applied.count(m.version) != 0) continue;
        if (m.version < newest_applied) {
            return make_error(Errc::kStorage, "{} migration {} ({}) is pending but version {} is already applied",
                              component, m.version, m.description, newest_applied);
        }
        auto st = db.transaction([&]() -> Status {
            // Another process sharing the database may have applied it since we looked.
            VENUS_TRY(auto now_applied, applied_versions(db, component));
            if (now_applied.count(m.version) != 0) return {};
            for (const auto& sql : m.statements) {
                if (auto r = db.execute(sql); !r.ok()) return std::move(r).error();
            }
            auto rec = db.execute(
                "INSERT INTO schema_migrations (component, version, description, applied_at) VALUES (?, ?, ?, ?)",
                component, m.version, m.description, unix_now());
            if (!rec.ok()) return std::move(rec).error();
            ++ran;
            return {};
        });
        if (!st.ok()) {
            return std::move(st).error().wrap(
                fmt::format("{} migration {} ({}) failed and was rolled back", component, m.version, m.description));
        }
    }
    return ran;
}

Result<std::int64_t> schema_version(SqlDatabase& db, std::string_view component) {
    VENUS_TRY(auto applied, applied_versions(db, component));
    return applied.empty() ? std::int64_t{0} : *applied.rbegin();
}

// ---- portable builders ----

std::string upsert_sql(SqlDialect dialect, const UpsertSpec& spec) {
    std::string sql = fmt::format("INSERT INTO {} ({}) VALUES (", spec.table, fmt::join(spec.columns, ", "));
    for (std::size_t i = 0; i < spec.columns.size(); ++i) sql += i == 0 ? "?" : ", ?";
    sql += ")";
    if (dialect == SqlDialect::kMysql) {
        sql += " ON DUPLICATE KEY UPDATE ";
        if (spec.update.empty()) {
            // Assigning a key column to itself keeps the row and, unlike INSERT IGNORE, still
            // reports every other kind of error.
            const std::string_view k = spec.key.empty() ? spec.columns.front() : spec.key.front();
            return sql + fmt::format("{} = {}", k, k);
        }
        for (std::size_t i = 0; i < spec.update.size(); ++i) {
            sql += fmt::format("{}{} = VALUES({})", i == 0 ? "" : ", ", spec.update[i], spec.update[i]);
        }
        return sql;
    }
    sql += fmt::format(" ON CONFLICT ({}) DO ", fmt::join(spec.key, ", "));
    if (spec.update.empty()) return sql + "NOTHING";
    sql += "UPDATE SET ";
    for (std::size_t i = 0; i < spec.update.size(); ++i) {
        sql += fmt::format("{}{} = excluded.{}", i == 0 ? "" : ", ", spec.update[i], spec.update[i]);
    }
    return sql;
}

std::string auto_id_column(SqlDialect dialect, std::string_view name) {
    if (dialect == SqlDialect::kMysql) return fmt::format("{} BIGINT PRIMARY KEY AUTO_INCREMENT", name);
    // Exactly "INTEGER PRIMARY KEY" makes the column SQLite's rowid, which it assigns.
    return fmt::format("{} INTEGER PRIMARY KEY", name);
}

std::string sortable_uint64(std::uint64_t value) { return fmt::format("{:020}", value); }

}  // namespace venus::storage
