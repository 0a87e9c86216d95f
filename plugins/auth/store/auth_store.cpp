// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "store/auth_store.hpp"

#include "venus/core/bytes.hpp"
#include "venus/crypto/hash.hpp"

namespace venus::plugins::auth {

namespace {
// Portable DDL (rules at the top of venus/storage/sql.hpp): VARCHAR keys ≤ 255, BIGINT times,
// SMALLINT booleans, no AUTOINCREMENT, no keywords as names. Released entries are never edited.
const storage::Migration kMigrations[] = {
    {1, "auth users",
     {"CREATE TABLE auth_users (id VARCHAR(64) NOT NULL PRIMARY KEY, name VARCHAR(64) NOT NULL, "
      "comment_text VARCHAR(255) NOT NULL, state SMALLINT NOT NULL, create_time BIGINT NOT NULL, "
      "update_time BIGINT NOT NULL, is_deleted SMALLINT NOT NULL)"}},
    {2, "auth users: unique name", {"CREATE UNIQUE INDEX auth_users_name_idx ON auth_users (name)"}},
    {3, "auth tokens",
     {"CREATE TABLE auth_tokens (token_id VARCHAR(64) NOT NULL PRIMARY KEY, token TEXT NOT NULL, "
      "name VARCHAR(64) NOT NULL, perm VARCHAR(16) NOT NULL, secret VARCHAR(128) NOT NULL, "
      "extra VARCHAR(255) NOT NULL, create_time BIGINT NOT NULL, is_deleted SMALLINT NOT NULL)"}},
    {4, "auth tokens: by name", {"CREATE INDEX auth_tokens_name_idx ON auth_tokens (name)"}},
    {5, "auth miners",
     {"CREATE TABLE auth_miners (miner VARCHAR(128) NOT NULL PRIMARY KEY, user_name VARCHAR(64) NOT NULL, "
      "open_mining SMALLINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, "
      "is_deleted SMALLINT NOT NULL)"}},
    {6, "auth miners: by user", {"CREATE INDEX auth_miners_user_idx ON auth_miners (user_name)"}},
    {7, "auth signers",
     {"CREATE TABLE auth_signers (user_name VARCHAR(64) NOT NULL, signer VARCHAR(128) NOT NULL, "
      "created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, is_deleted SMALLINT NOT NULL, "
      "PRIMARY KEY (user_name, signer))"}},
    {8, "auth signers: by signer", {"CREATE INDEX auth_signers_signer_idx ON auth_signers (signer)"}},
    {9, "auth rate limits",
     {"CREATE TABLE auth_rate_limits (id VARCHAR(64) NOT NULL PRIMARY KEY, name VARCHAR(64) NOT NULL, "
      "service VARCHAR(64) NOT NULL, api VARCHAR(64) NOT NULL, cap BIGINT NOT NULL, reset_dur_ns BIGINT NOT NULL)"}},
    {10, "auth rate limits: by user", {"CREATE INDEX auth_rate_limits_user_idx ON auth_rate_limits (name, service, api)"}},
};

constexpr const char* kTokenColumns = "token, name, perm, secret, extra, create_time, is_deleted";
constexpr const char* kUserColumns = "id, name, comment_text, state, create_time, update_time, is_deleted";

TokenRow read_token(const storage::SqlStatement& st) {
    return TokenRow{st.column_text(0), st.column_text(1), st.column_text(2), st.column_text(3),
                    st.column_text(4), st.column_int64(5), st.column_int64(6) != 0};
}

UserRow read_user(const storage::SqlStatement& st) {
    UserRow r;
    r.user.id = st.column_text(0);
    r.user.name = st.column_text(1);
    r.user.comment = st.column_text(2);
    r.user.state = static_cast<api::UserState>(st.column_int64(3));
    r.user.create_time = st.column_int64(4);
    r.user.update_time = st.column_int64(5);
    r.deleted = st.column_int64(6) != 0;
    return r;
}

MinerRow read_miner(const storage::SqlStatement& st) {
    return MinerRow{st.column_text(0), st.column_text(1), st.column_int64(2) != 0, st.column_int64(3),
                    st.column_int64(4)};
}

api::RateLimit read_limit(const storage::SqlStatement& st) {
    return api::RateLimit{st.column_text(0), st.column_text(1), st.column_text(2), st.column_text(3),
                          st.column_int64(4), std::chrono::nanoseconds(st.column_int64(5))};
}

// SQLite accepts LIMIT -1 for "no limit"; MySQL needs a number, so "all" is a very large one.
std::int64_t sql_limit(std::int64_t limit) { return limit <= 0 ? std::int64_t{1} << 62 : limit; }

template <typename T, typename F, typename... Args>
Result<std::vector<T>> query_all(storage::SqlDatabase& db, std::string_view sql, F read, const Args&... args) {
    VENUS_TRY(auto st, db.prepare(sql));
    VENUS_TRY_VOID(st.bind_all(args...));
    std::vector<T> out;
    while (true) {
        VENUS_TRY(bool row, st.step());
        if (!row) break;
        out.push_back(read(st));
    }
    return out;
}
}  // namespace

std::span<const storage::Migration> auth_migrations() { return kMigrations; }

std::string token_id(std::string_view token) { return to_hex(crypto::sha256(as_bytes(token))); }

Result<std::unique_ptr<AuthStore>> AuthStore::open(storage::SqlDatabase& db) {
    VENUS_TRY_VOID(storage::migrate(db, "auth", auth_migrations()));
    return std::unique_ptr<AuthStore>(new AuthStore(db));
}

// ---- tokens ----

Status AuthStore::insert_token(const TokenRow& row) {
    std::lock_guard lock(mu_);
    VENUS_TRY_VOID(db_.execute("INSERT INTO auth_tokens (token_id, token, name, perm, secret, extra, create_time, "
                               "is_deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                               token_id(row.token), row.token, row.name, row.perm, row.secret_hex, row.extra,
                               row.create_time, row.deleted));
    return {};
}

Result<std::optional<TokenRow>> AuthStore::find_token(std::string_view token) {
    std::lock_guard lock(mu_);
    VENUS_TRY(auto rows, query_all<TokenRow>(db_, std::string("SELECT ") + kTokenColumns +
                                                      " FROM auth_tokens WHERE token_id = ?",
                                             read_token, token_id(token)));
    // A hash match whose text differs would be a SHA-256 collision; compare anyway.
    if (rows.empty() || rows.front().token != token) return std::optional<TokenRow>{};
    return std::optional<TokenRow>(std::move(rows.front()));
}

Result<std::vector<TokenRow>> AuthStore::tokens_by_name(std::string_view name) {
    std::lock_guard lock(mu_);
    return query_all<TokenRow>(db_, std::string("SELECT ") + kTokenColumns +
                                        " FROM auth_tokens WHERE name = ? AND is_deleted = 0 ORDER BY create_time, token_id",
                               read_token, name);
}

Result<std::vector<TokenRow>> AuthStore::list_tokens(std::int64_t skip, std::int64_t limit) {
    std::lock_guard lock(mu_);
    return query_all<TokenRow>(db_, std::string("SELECT ") + kTokenColumns +
                                        " FROM auth_tokens WHERE is_deleted = 0 ORDER BY name, create_time, token_id "
                                        "LIMIT ? OFFSET ?",
                               read_token, sql_limit(limit), skip < 0 ? 0 : skip);
}

Result<bool> AuthStore::set_token_deleted(std::string_view token, bool deleted) {
    std::lock_guard lock(mu_);
    VENUS_TRY(auto rows, query_all<std::string>(db_, "SELECT token FROM auth_tokens WHERE token_id = ?",
                                                [](const auto& st) { return st.column_text(0); }, token_id(token)));
    if (rows.empty() || rows.front() != token) return false;
    VENUS_TRY_VOID(db_.execute("UPDATE auth_tokens SET is_deleted = ? WHERE token_id = ?", deleted, token_id(token)));
    return true;
}

// ---- users ----

Result<std::optional<UserRow>> AuthStore::find_user_locked(std::string_view name) {
    VENUS_TRY(auto rows, query_all<UserRow>(db_, std::string("SELECT ") + kUserColumns + " FROM auth_users WHERE name = ?",
                                            read_user, name));
    if (rows.empty()) return std::optional<UserRow>{};
    return std::optional<UserRow>(std::move(rows.front()));
}

Result<std::optional<UserRow>> AuthStore::find_user(std::string_view name) {
    std::lock_guard lock(mu_);
    return find_user_locked(name);
}

Status AuthStore::insert_user(const api::User& u) {
    std::lock_guard lock(mu_);
    VENUS_TRY_VOID(db_.execute("INSERT INTO auth_users (id, name, comment_text, state, create_time, update_time, "
                               "is_deleted) VALUES (?, ?, ?, ?, ?, ?, 0)",
                               u.id, u.name, u.comment, static_cast<int>(u.state), u.create_time, u.update_time));
    return {};
}

Status AuthStore::update_user(const api::User& u) {
    std::lock_guard lock(mu_);
    VENUS_TRY_VOID(db_.execute("UPDATE auth_users SET comment_text = ?, state = ?, update_time = ? WHERE name = ?",
                               u.comment, static_cast<int>(u.state), u.update_time, u.name));
    return {};
}

Result<std::vector<api::User>> AuthStore::list_users(std::int64_t skip, std::int64_t limit, api::UserState state) {
    std::lock_guard lock(mu_);
    auto read = [](const storage::SqlStatement& st) { return read_user(st).user; };
    const std::string base = std::string("SELECT ") + kUserColumns + " FROM auth_users WHERE is_deleted = 0";
    if (state == api::UserState::kUndefined) {
        return query_all<api::User>(db_, base + " ORDER BY create_time, name LIMIT ? OFFSET ?", read, sql_limit(limit),
                                    skip < 0 ? 0 : skip);
    }
    return query_all<api::User>(db_, base + " AND state = ? ORDER BY create_time, name LIMIT ? OFFSET ?", read,
                                static_cast<int>(state), sql_limit(limit), skip < 0 ? 0 : skip);
}

Status AuthStore::delete_user(std::string_view name, std::int64_t now) {
    std::lock_guard lock(mu_);
    return db_.transaction([&]() -> Status {
        VENUS_TRY_VOID(db_.execute("UPDATE auth_users SET is_deleted = 1, update_time = ? WHERE name = ?", now, name));
        VENUS_TRY_VOID(db_.execute("UPDATE auth_miners SET is_deleted = 1, updated_at = ? WHERE user_name = ? AND "
                                   "is_deleted = 0",
                                   now, name));
        VENUS_TRY_VOID(db_.execute("UPDATE auth_signers SET is_deleted = 1, updated_at = ? WHERE user_name = ? AND "
                                   "is_deleted = 0",
                                   now, name));
        return {};
    });
}

Status AuthStore::recover_user(std::string_view name, std::int64_t now) {
    std::lock_guard lock(mu_);
    VENUS_TRY_VOID(db_.execute("UPDATE auth_users SET is_deleted = 0, update_time = ? WHERE name = ?", now, name));
    return {};
}

// ---- miners ----

Result<bool> AuthStore::upsert_miner(std::string_view address, std::string_view user, bool open_mining,
                                     std::int64_t now) {
    std::lock_guard lock(mu_);
    return db_.transaction([&]() -> Result<bool> {
        VENUS_TRY(auto live, query_all<std::int64_t>(db_, "SELECT is_deleted FROM auth_miners WHERE miner = ?",
                                                     [](const auto& st) { return st.column_int64(0); }, address));
        if (live.empty()) {
            VENUS_TRY_VOID(db_.execute("INSERT INTO auth_miners (miner, user_name, open_mining, created_at, updated_at, "
                                       "is_deleted) VALUES (?, ?, ?, ?, ?, 0)",
                                       address, user, open_mining, now, now));
            return true;
        }
        // A deleted row comes back as a new binding (fresh creation time), a live one is re-bound.
        if (live.front() != 0) {
            VENUS_TRY_VOID(db_.execute("UPDATE auth_miners SET user_name = ?, open_mining = ?, created_at = ?, "
                                       "updated_at = ?, is_deleted = 0 WHERE miner = ?",
                                       user, open_mining, now, now, address));
            return true;
        }
        VENUS_TRY_VOID(db_.execute("UPDATE auth_miners SET user_name = ?, open_mining = ?, updated_at = ? WHERE miner = ?",
                                   user, open_mining, now, address));
        return false;
    });
}

Result<std::optional<MinerRow>> AuthStore::find_miner(std::string_view address) {
    std::lock_guard lock(mu_);
    VENUS_TRY(auto rows, query_all<MinerRow>(db_,
                                             "SELECT miner, user_name, open_mining, created_at, updated_at FROM "
                                             "auth_miners WHERE miner = ? AND is_deleted = 0",
                                             read_miner, address));
    if (rows.empty()) return std::optional<MinerRow>{};
    return std::optional<MinerRow>(std::move(rows.front()));
}

Result<std::vector<MinerRow>> AuthStore::miners_of(std::string_view user) {
    std::lock_guard lock(mu_);
    return query_all<MinerRow>(db_,
                               "SELECT miner, user_name, open_mining, created_at, updated_at FROM auth_miners WHERE "
                               "user_name = ? AND is_deleted = 0 ORDER BY created_at, miner",
                               read_miner, user);
}

Result<bool> AuthStore::delete_miner(std::string_view address, std::int64_t now) {
    std::lock_guard lock(mu_);
    VENUS_TRY(auto n, db_.execute("UPDATE auth_miners SET is_deleted = 1, updated_at = ? WHERE miner = ? AND "
                                  "is_deleted = 0",
                                  now, address));
    return n > 0;
}

// ---- signers ----

Status AuthStore::register_signer(std::string_view user, std::string_view address, std::int64_t now) {
    std::lock_guard lock(mu_);
    return db_.transaction([&]() -> Status {
        VENUS_TRY(auto rows, query_all<std::int64_t>(db_,
                                                     "SELECT is_deleted FROM auth_signers WHERE user_name = ? AND "
                                                     "signer = ?",
                                                     [](const auto& st) { return st.column_int64(0); }, user, address));
        if (rows.empty()) {
            VENUS_TRY_VOID(db_.execute("INSERT INTO auth_signers (user_name, signer, created_at, updated_at, is_deleted) "
                                       "VALUES (?, ?, ?, ?, 0)",
                                       user, address, now, now));
        } else if (rows.front() != 0) {
            VENUS_TRY_VOID(db_.execute("UPDATE auth_signers SET is_deleted = 0, created_at = ?, updated_at = ? WHERE "
                                       "user_name = ? AND signer = ?",
                                       now, now, user, address));
        }
        return {};
    });
}

Result<bool> AuthStore::unregister_signer(std::string_view user, std::string_view address, std::int64_t now) {
    std::lock_guard lock(mu_);
    VENUS_TRY(auto n, db_.execute("UPDATE auth_signers SET is_deleted = 1, updated_at = ? WHERE user_name = ? AND "
                                  "signer = ? AND is_deleted = 0",
                                  now, user, address));
    return n > 0;
}

Result<bool> AuthStore::signer_in_user(std::string_view user, std::string_view address) {
    std::lock_guard lock(mu_);
    VENUS_TRY(auto rows, query_all<int>(db_,
                                        "SELECT 1 FROM auth_signers WHERE user_name = ? AND signer = ? AND is_deleted = 0",
                                        [](const auto&) { return 1; }, user, address));
    return !rows.empty();
}

Result<bool> AuthStore::has_signer(std::string_view address) {
    std::lock_guard lock(mu_);
    VENUS_TRY(auto rows, query_all<int>(db_, "SELECT 1 FROM auth_signers WHERE signer = ? AND is_deleted = 0 LIMIT 1",
                                        [](const auto&) { return 1; }, address));
    return !rows.empty();
}

Result<std::vector<SignerRow>> AuthStore::signers_of(std::string_view user) {
    std::lock_guard lock(mu_);
    return query_all<SignerRow>(db_,
                                "SELECT signer, user_name, created_at, updated_at FROM auth_signers WHERE user_name = ? "
                                "AND is_deleted = 0 ORDER BY created_at, signer",
                                [](const storage::SqlStatement& st) {
                                    return SignerRow{st.column_text(0), st.column_text(1), st.column_int64(2),
                                                     st.column_int64(3)};
                                },
                                user);
}

Result<std::vector<std::string>> AuthStore::users_of_signer(std::string_view address) {
    std::lock_guard lock(mu_);
    return query_all<std::string>(db_,
                                  "SELECT user_name FROM auth_signers WHERE signer = ? AND is_deleted = 0 ORDER BY "
                                  "user_name",
                                  [](const auto& st) { return st.column_text(0); }, address);
}

Result<bool> AuthStore::delete_signer(std::string_view address, std::int64_t now) {
    std::lock_guard lock(mu_);
    VENUS_TRY(auto n, db_.execute("UPDATE auth_signers SET is_deleted = 1, updated_at = ? WHERE signer = ? AND "
                                  "is_deleted = 0",
                                  now, address));
    return n > 0;
}

// ---- rate limits ----

Status AuthStore::upsert_rate_limit(const api::RateLimit& l) {
    std::lock_guard lock(mu_);
    const std::string sql = storage::upsert_sql(
        db_.dialect(), {"auth_rate_limits", {"id", "name", "service", "api", "cap", "reset_dur_ns"}, {"id"},
                        {"name", "service", "api", "cap", "reset_dur_ns"}});
    VENUS_TRY_VOID(db_.execute(sql, l.id, l.name, l.service, l.api, l.cap,
                               static_cast<std::int64_t>(l.reset_dur.count())));
    return {};
}

Result<std::vector<api::RateLimit>> AuthStore::rate_limits(std::string_view name, std::string_view id) {
    std::lock_guard lock(mu_);
    const std::string base = "SELECT id, name, service, api, cap, reset_dur_ns FROM auth_rate_limits WHERE name = ?";
    if (id.empty()) return query_all<api::RateLimit>(db_, base + " ORDER BY id", read_limit, name);
    return query_all<api::RateLimit>(db_, base + " AND id = ?", read_limit, name, id);
}

Result<std::vector<api::RateLimit>> AuthStore::all_rate_limits() {
    std::lock_guard lock(mu_);
    return query_all<api::RateLimit>(
        db_, "SELECT id, name, service, api, cap, reset_dur_ns FROM auth_rate_limits ORDER BY name, id", read_limit);
}

Result<bool> AuthStore::delete_rate_limit(std::string_view name, std::string_view id) {
    std::lock_guard lock(mu_);
    VENUS_TRY(auto n, db_.execute("DELETE FROM auth_rate_limits WHERE name = ? AND id = ?", name, id));
    return n > 0;
}

}  // namespace venus::plugins::auth
