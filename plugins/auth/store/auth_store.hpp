// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The auth tables, through the portable SQL layer (SQLite today, MySQL later). Every method locks
//! the store's mutex, so any thread may call it: the one SQL connection is never used by two
//! threads at once. Rows are soft-deleted as in sophon-auth (tokens, users, miners and signers
//! can be recovered); rate limits are deleted for real.
//!
//! Tables (schema in schema.cpp; times are unix seconds; addresses are stored without their
//! network letter, as sophon-auth does on MySQL: "01000", "3abc…"):
//!
//! | table | key | columns |
//! |---|---|---|
//! | auth_users | id (uuid); unique name | comment_text, state (0/1/2), create_time, update_time, is_deleted |
//! | auth_tokens | token_id = hex sha256(token) | token (the JWT), name, perm, secret (hex), extra, create_time, is_deleted |
//! | auth_miners | miner | user_name, open_mining, created_at, updated_at, is_deleted |
//! | auth_signers | (user_name, signer) | created_at, updated_at, is_deleted |
//! | auth_rate_limits | id | name, service, api, cap, reset_dur_ns |
//!
//! Tokens are keyed by a hash because a JWT can be longer than the 255 characters a portable
//! VARCHAR key allows.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "venus/api/auth.hpp"
#include "venus/core/result.hpp"
#include "venus/storage/sql.hpp"

namespace venus::plugins::auth {

//! The migrations of component "auth", one DDL statement each (MySQL commits DDL implicitly).
std::span<const storage::Migration> auth_migrations();

struct TokenRow {
    std::string token;
    std::string name;
    std::string perm;
    std::string secret_hex;
    std::string extra;
    std::int64_t create_time = 0;
    bool deleted = false;
};

struct UserRow {
    api::User user;
    bool deleted = false;
};

//! A miner or signer row; `address` is stored without its network letter.
struct MinerRow {
    std::string address;
    std::string user;
    bool open_mining = true;
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
};

struct SignerRow {
    std::string address;
    std::string user;
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
};

//! hex(sha256(token)): the token's key in the store and its name in logs.
std::string token_id(std::string_view token);

class AuthStore {
  public:
    //! Runs the migrations, then serves on `db` (which must outlive the store).
    static Result<std::unique_ptr<AuthStore>> open(storage::SqlDatabase& db);

    // ---- tokens ----
    Status insert_token(const TokenRow& row);
    //! Deleted rows included (the caller decides what a removed token means).
    Result<std::optional<TokenRow>> find_token(std::string_view token);
    Result<std::vector<TokenRow>> tokens_by_name(std::string_view name);
    //! Live tokens ordered by name then creation; limit 0 = all.
    Result<std::vector<TokenRow>> list_tokens(std::int64_t skip, std::int64_t limit);
    //! False when there is no such token.
    Result<bool> set_token_deleted(std::string_view token, bool deleted);

    // ---- users ----
    Result<std::optional<UserRow>> find_user(std::string_view name);
    Status insert_user(const api::User& user);
    Status update_user(const api::User& user);
    //! Live users ordered by creation then name; state kUndefined = all; limit 0 = all.
    Result<std::vector<api::User>> list_users(std::int64_t skip, std::int64_t limit, api::UserState state);
    //! Soft-deletes the user with its miners and signer bindings (one transaction).
    Status delete_user(std::string_view name, std::int64_t now);
    //! Undeletes the user only (miners and signers stay deleted, as in sophon-auth).
    Status recover_user(std::string_view name, std::int64_t now);

    // ---- miners ----
    //! Creates or re-binds (and undeletes) a miner; true when no live row existed.
    Result<bool> upsert_miner(std::string_view address, std::string_view user, bool open_mining, std::int64_t now);
    Result<std::optional<MinerRow>> find_miner(std::string_view address);
    Result<std::vector<MinerRow>> miners_of(std::string_view user);
    //! False when the miner was not bound.
    Result<bool> delete_miner(std::string_view address, std::int64_t now);

    // ---- signers ----
    Status register_signer(std::string_view user, std::string_view address, std::int64_t now);
    Result<bool> unregister_signer(std::string_view user, std::string_view address, std::int64_t now);
    Result<bool> signer_in_user(std::string_view user, std::string_view address);
    Result<bool> has_signer(std::string_view address);
    Result<std::vector<SignerRow>> signers_of(std::string_view user);
    Result<std::vector<std::string>> users_of_signer(std::string_view address);
    //! Unbinds the signer from every user; false when it had no binding.
    Result<bool> delete_signer(std::string_view address, std::int64_t now);

    // ---- rate limits ----
    Status upsert_rate_limit(const api::RateLimit& limit);
    Result<std::vector<api::RateLimit>> rate_limits(std::string_view name, std::string_view id);
    Result<std::vector<api::RateLimit>> all_rate_limits();
    Result<bool> delete_rate_limit(std::string_view name, std::string_view id);

  private:
    explicit AuthStore(storage::SqlDatabase& db) : db_(db) {}
    Result<std::optional<UserRow>> find_user_locked(std::string_view name);

    std::mutex mu_;
    storage::SqlDatabase& db_;
};

}  // namespace venus::plugins::auth
