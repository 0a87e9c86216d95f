// SPDX-License-Identifier: Apache-2.0 OR MIT
//! What the auth module does, with sophon-auth's permission rules, independent of transport. The
//! REST routes call it with the caller's claims; the in-process api::Auth calls it as admin.
//! Thread-safe (the store serializes SQL).
//!
//! Errors: kInvalidArgument (bad input), kNotFound, kAlreadyExists → HTTP 400 as sophon-auth;
//! kPermissionDenied → 403; kUnauthenticated → 401.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rate_limiter.hpp"
#include "store/auth_store.hpp"
#include "venus/api/auth.hpp"
#include "venus/rpc/perm.hpp"
#include "verifier.hpp"

namespace venus::plugins::auth {

//! sophon-auth's bootstrap user, whose admin token is the repo's `token` file.
inline constexpr std::string_view kDefaultLocalUser = "defaultLocalToken";
//! sophon-auth's column widths: longer names would not fit its MySQL schema.
inline constexpr std::size_t kMaxNameLength = 50;
inline constexpr std::size_t kMaxTextLength = 255;
//! sophon-auth caps list pages at 1000.
inline constexpr std::int64_t kMaxPage = 1000;

class AuthService {
  public:
    using Claims = rpc::Claims;

    AuthService(AuthStore& store, AuthVerifier& verifier, RateLimiter& limiter)
        : store_(store), verifier_(verifier), limiter_(limiter) {}

    //! Loads the rate-limit rules into the limiter (start-up).
    Status load_rate_limits();
    //! Creates the defaultLocalToken user (enabled) and registers `token` (signed with
    //! `secret`) as its admin token unless it is registered already.
    Status bootstrap_local_token(const std::string& token, BytesView secret);

    // ---- tokens ----
    Result<std::string> generate_token(const Claims& c, std::string_view name, std::string_view perm,
                                       std::string_view extra);
    Result<std::vector<TokenRow>> get_token(const Claims& c, std::string_view name, std::string_view token);
    Result<std::vector<TokenRow>> list_tokens(const Claims& c, std::int64_t skip, std::int64_t limit);
    Status remove_token(const Claims& c, std::string_view token);
    Status recover_token(const Claims& c, std::string_view token);

    // ---- users ----
    Result<api::User> create_user(const Claims& c, std::string_view name, std::string_view comment, std::int64_t state);
    Status update_user(const Claims& c, std::string_view name, std::optional<std::string> comment, std::int64_t state);
    Result<std::vector<api::User>> list_users(const Claims& c, std::int64_t skip, std::int64_t limit, std::int64_t state);
    Result<api::User> get_user(const Claims& c, std::string_view name);
    Status verify_users(const Claims& c, const std::vector<std::string>& names);
    Result<bool> has_user(const Claims& c, std::string_view name);
    Status delete_user(const Claims& c, std::string_view name);
    Status recover_user(const Claims& c, std::string_view name);

    // ---- rate limits ----
    Result<std::string> upsert_rate_limit(const Claims& c, api::RateLimit limit);
    Result<std::string> delete_rate_limit(const Claims& c, std::string_view name, std::string_view id);
    Result<std::vector<api::RateLimit>> get_rate_limits(const Claims& c, std::string_view name, std::string_view id);

    // ---- miners ----
    Result<api::User> get_user_by_miner(const Claims& c, std::string_view miner);
    Result<bool> upsert_miner(const Claims& c, std::string_view user, std::string_view miner, bool open_mining);
    Result<bool> miner_exist_in_user(const Claims& c, std::string_view user, std::string_view miner);
    Result<std::vector<api::Miner>> list_miners(const Claims& c, std::string_view user);
    Result<bool> delete_miner(const Claims& c, std::string_view miner);
    Result<bool> has_miner(const Claims& c, std::string_view miner);

    // ---- signers ----
    Result<std::vector<api::User>> get_users_by_signer(const Claims& c, std::string_view signer);
    Status register_signers(const Claims& c, std::string_view user, const std::vector<std::string>& signers);
    Status unregister_signers(const Claims& c, std::string_view user, const std::vector<std::string>& signers);
    Result<bool> signer_exist_in_user(const Claims& c, std::string_view user, std::string_view signer);
    Result<std::vector<api::Signer>> list_signers(const Claims& c, std::string_view user);
    Result<bool> has_signer(const Claims& c, std::string_view signer);
    Result<bool> delete_signer(const Claims& c, std::string_view signer);

    AuthVerifier& verifier() noexcept { return verifier_; }

  private:
    Result<api::User> live_user(std::string_view name);
    Status refresh_limits();

    AuthStore& store_;
    AuthVerifier& verifier_;
    RateLimiter& limiter_;
};

//! The stored form of a miner (ID address) or signer (secp256k1, BLS, delegated) address: the text
//! without its network letter. Errc::kInvalidArgument with sophon's message otherwise.
Result<std::string> miner_key(std::string_view text);
Result<std::string> signer_key(std::string_view text);
//! The stored form back to text, with the process's network letter.
std::string address_text(std::string_view key);

std::int64_t unix_now();

}  // namespace venus::plugins::auth
