// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "auth_service.hpp"

#include <openssl/rand.h>

#include <algorithm>

#include "venus/chain/address.hpp"
#include "venus/core/bytes.hpp"
#include "venus/core/log.hpp"
#include "venus/rpc/jwt.hpp"

namespace venus::plugins::auth {

namespace {
using rpc::Perm;

Status need_admin(const rpc::Claims& c) {
    if (allows(c.perm, Perm::kAdmin)) return {};
    return make_error(Errc::kPermissionDenied, "need admin prem: permission not found");
}

Status need_admin_or_user(const rpc::Claims& c, std::string_view user) {
    if (allows(c.perm, Perm::kAdmin) || (!c.name.empty() && c.name == user)) return {};
    return make_error(Errc::kPermissionDenied, "need admin prem or user {} does not match: permission not found", user);
}

Status check_name(std::string_view what, std::string_view name) {
    if (name.empty()) return make_error(Errc::kInvalidArgument, "{} is required", what);
    if (name.size() > kMaxNameLength) {
        return make_error(Errc::kInvalidArgument, "{} is longer than {} bytes", what, kMaxNameLength);
    }
    // Control characters would break the CLI's line-oriented output and logs.
    if (std::any_of(name.begin(), name.end(), [](char ch) { return static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f; })) {
        return make_error(Errc::kInvalidArgument, "{} contains control characters", what);
    }
    return {};
}

Status check_text(std::string_view what, std::string_view text) {
    if (text.size() > kMaxTextLength) return make_error(Errc::kInvalidArgument, "{} is longer than {} bytes", what, kMaxTextLength);
    return {};
}

Status check_state(std::int64_t state) {
    if (state < 0 || state > 2) {
        return make_error(Errc::kInvalidArgument, "invalid user state {} (1: enabled, 2: disabled)", state);
    }
    return {};
}

std::int64_t page_limit(std::int64_t limit) { return limit < 0 || limit > kMaxPage ? kMaxPage : limit; }

Result<Bytes> random_bytes(std::size_t n) {
    Bytes out(n);
    if (RAND_bytes(out.data(), static_cast<int>(n)) != 1) return make_error(Errc::kInternal, "no randomness");
    return out;
}

Result<std::string> new_uuid() {
    VENUS_TRY(auto b, random_bytes(16));
    b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40);  // version 4
    b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
    const std::string h = to_hex(b);
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
}

api::Miner to_api(const MinerRow& m) {
    return api::Miner{address_text(m.address), m.user, m.open_mining, m.created_at, m.updated_at};
}
}  // namespace

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

Result<std::string> miner_key(std::string_view text) {
    auto a = chain::Address::parse(text);
    if (!a || !a->defined()) {
        return make_error(Errc::kInvalidArgument, "invalid miner address '{}': {}", text,
                          a ? std::string("empty address") : a.error().message);
    }
    if (a->protocol() != chain::Protocol::kId) {
        return make_error(Errc::kInvalidArgument, "invalid protocol type: {} (a miner must be an ID address)",
                          static_cast<int>(a->protocol()));
    }
    return a->to_string(chain::Network::kMainnet).substr(1);
}

Result<std::string> signer_key(std::string_view text) {
    auto a = chain::Address::parse(text);
    if (!a || !a->defined()) {
        return make_error(Errc::kInvalidArgument, "invalid signer address '{}': {}", text,
                          a ? std::string("empty address") : a.error().message);
    }
    const auto p = a->protocol();
    if (p != chain::Protocol::kSecp256k1 && p != chain::Protocol::kBls && p != chain::Protocol::kDelegated) {
        return make_error(Errc::kInvalidArgument,
                          "invalid protocol type: {} (a signer must be a secp256k1, BLS or delegated address)",
                          static_cast<int>(p));
    }
    return a->to_string(chain::Network::kMainnet).substr(1);
}

std::string address_text(std::string_view key) {
    return (chain::default_network() == chain::Network::kMainnet ? "f" : "t") + std::string(key);
}

Result<api::User> AuthService::live_user(std::string_view name) {
    VENUS_TRY(auto row, store_.find_user(name));
    if (!row || row->deleted) return make_error(Errc::kNotFound, "user {} not found", name);
    return std::move(row->user);
}

Status AuthService::refresh_limits() {
    VENUS_TRY(auto rules, store_.all_rate_limits());
    limiter_.set_rules(rules);
    return {};
}

Status AuthService::load_rate_limits() { return refresh_limits(); }

Status AuthService::bootstrap_local_token(const std::string& token, BytesView secret) {
    const auto now = unix_now();
    VENUS_TRY(auto user, store_.find_user(kDefaultLocalUser));
    if (!user) {
        VENUS_TRY(auto id, new_uuid());
        VENUS_TRY_VOID(store_.insert_user(
            api::User{id, std::string(kDefaultLocalUser), "the daemon's own admin token", api::UserState::kEnabled, now, now}));
    } else if (user->deleted || user->user.state == api::UserState::kDisabled) {
        log::get("auth")->warn("user {} is deleted or disabled: the repo's token file will be refused", kDefaultLocalUser);
    }
    VENUS_TRY(auto row, store_.find_token(token));
    if (!row) {
        VENUS_TRY_VOID(store_.insert_token(
            TokenRow{token, std::string(kDefaultLocalUser), "admin", to_hex(secret), "", now, false}));
    } else if (row->deleted) {
        // Removed on purpose: restarting must not bring it back.
        log::get("auth")->warn("the repo's admin token {} was removed: it stays refused (recover it with another admin token)",
                               log::redact_token(token));
    }
    return {};
}

// ---- tokens ----

Result<std::string> AuthService::generate_token(const Claims& c, std::string_view name, std::string_view perm,
                                                std::string_view extra) {
    VENUS_TRY_VOID(need_admin(c));
    VENUS_TRY_VOID(check_name("name", name));
    VENUS_TRY_VOID(check_text("extra", extra));
    auto p = rpc::parse_perm(perm);
    if (!p) return make_error(Errc::kInvalidArgument, "invalid perm '{}': must be read, write, sign or admin", perm);
    auto user = live_user(name);
    if (!user) return make_error(Errc::kInvalidArgument, "token must be based on an existing user {} to generate", name);
    VENUS_TRY(auto secret, random_bytes(32));
    const rpc::Hs256Key key(secret);
    std::string token = rpc::jwt_sign_sophon(key, Claims{std::string(name), *p, std::string(extra)});
    VENUS_TRY_VOID(store_.insert_token(
        TokenRow{token, std::string(name), std::string(perm), to_hex(secret), std::string(extra), unix_now(), false}));
    log::get("auth")->info("token {} generated for user {} ({})", log::redact_token(token), name, perm);
    return token;
}

Result<std::vector<TokenRow>> AuthService::get_token(const Claims& c, std::string_view name, std::string_view token) {
    if (name.empty() && token.empty()) return make_error(Errc::kInvalidArgument, "`name` and `token` both empty");
    if (!token.empty()) {
        VENUS_TRY_VOID(need_admin(c));
        VENUS_TRY(auto row, store_.find_token(token));
        if (!row || row->deleted) return make_error(Errc::kNotFound, "token not found");
        return std::vector<TokenRow>{std::move(*row)};
    }
    VENUS_TRY_VOID(need_admin_or_user(c, name));
    return store_.tokens_by_name(name);
}

Result<std::vector<TokenRow>> AuthService::list_tokens(const Claims& c, std::int64_t skip, std::int64_t limit) {
    VENUS_TRY_VOID(need_admin(c));
    return store_.list_tokens(skip, page_limit(limit));
}

Status AuthService::remove_token(const Claims& c, std::string_view token) {
    if (token.empty()) return make_error(Errc::kInvalidArgument, "token is required");
    VENUS_TRY(auto row, store_.find_token(token));
    if (!allows(c.perm, Perm::kAdmin) && !(row && !c.name.empty() && row->name == c.name)) {
        return make_error(Errc::kPermissionDenied, "need admin prem or token {} check failed: permission not found",
                          log::redact_token(token));
    }
    if (!row || row->deleted) return make_error(Errc::kNotFound, "remove token {}: token not found", log::redact_token(token));
    VENUS_TRY_VOID(store_.set_token_deleted(token, true));
    verifier_.invalidate();
    log::get("auth")->info("token {} of user {} removed", log::redact_token(token), row->name);
    return {};
}

Status AuthService::recover_token(const Claims& c, std::string_view token) {
    if (token.empty()) return make_error(Errc::kInvalidArgument, "token is required");
    VENUS_TRY(auto row, store_.find_token(token));
    if (!allows(c.perm, Perm::kAdmin) && !(row && !c.name.empty() && row->name == c.name)) {
        return make_error(Errc::kPermissionDenied, "need admin prem or token {} check failed: permission not found",
                          log::redact_token(token));
    }
    if (!row) return make_error(Errc::kNotFound, "recover token {}: token not found", log::redact_token(token));
    VENUS_TRY_VOID(store_.set_token_deleted(token, false));
    return {};
}

// ---- users ----

Result<api::User> AuthService::create_user(const Claims& c, std::string_view name, std::string_view comment,
                                           std::int64_t state) {
    VENUS_TRY_VOID(need_admin(c));
    VENUS_TRY_VOID(check_name("name", name));
    VENUS_TRY_VOID(check_text("comment", comment));
    VENUS_TRY_VOID(check_state(state));
    VENUS_TRY(auto existing, store_.find_user(name));
    if (existing) {
        if (existing->deleted) {
            return make_error(Errc::kAlreadyExists, "user already exists (deleted: `user recover {}` brings it back)", name);
        }
        return make_error(Errc::kAlreadyExists, "user already exists");
    }
    VENUS_TRY(auto id, new_uuid());
    const auto now = unix_now();
    api::User u{id, std::string(name), std::string(comment), static_cast<api::UserState>(state), now, now};
    VENUS_TRY_VOID(store_.insert_user(u));
    return u;
}

Status AuthService::update_user(const Claims& c, std::string_view name, std::optional<std::string> comment,
                                std::int64_t state) {
    VENUS_TRY_VOID(need_admin(c));
    VENUS_TRY_VOID(check_state(state));
    if (comment) {
        VENUS_TRY_VOID(check_text("comment", *comment));
    }
    VENUS_TRY(auto u, live_user(name));
    if (comment) u.comment = std::move(*comment);
    if (state != 0) u.state = static_cast<api::UserState>(state);
    u.update_time = unix_now();
    VENUS_TRY_VOID(store_.update_user(u));
    if (u.state == api::UserState::kDisabled) verifier_.invalidate();
    return {};
}

Result<std::vector<api::User>> AuthService::list_users(const Claims& c, std::int64_t skip, std::int64_t limit,
                                                       std::int64_t state) {
    VENUS_TRY_VOID(need_admin(c));
    VENUS_TRY_VOID(check_state(state));
    return store_.list_users(skip, page_limit(limit), static_cast<api::UserState>(state));
}

Result<api::User> AuthService::get_user(const Claims& c, std::string_view name) {
    VENUS_TRY_VOID(need_admin_or_user(c, name));
    return live_user(name);
}

Status AuthService::verify_users(const Claims& c, const std::vector<std::string>& names) {
    VENUS_TRY_VOID(need_admin(c));
    for (const auto& n : names) VENUS_TRY_VOID(live_user(n));
    return {};
}

Result<bool> AuthService::has_user(const Claims& c, std::string_view name) {
    VENUS_TRY_VOID(need_admin(c));
    VENUS_TRY(auto row, store_.find_user(name));
    return row && !row->deleted;
}

Status AuthService::delete_user(const Claims& c, std::string_view name) {
    VENUS_TRY_VOID(need_admin(c));
    VENUS_TRY_VOID(live_user(name));
    VENUS_TRY_VOID(store_.delete_user(name, unix_now()));
    verifier_.invalidate();
    log::get("auth")->info("user {} deleted with its miners and signer bindings", name);
    return {};
}

Status AuthService::recover_user(const Claims& c, std::string_view name) {
    VENUS_TRY_VOID(need_admin(c));
    VENUS_TRY(auto row, store_.find_user(name));
    if (!row) return make_error(Errc::kNotFound, "user {} not found", name);
    if (!row->deleted) return make_error(Errc::kInvalidArgument, "user {} is not deleted", name);
    return store_.recover_user(name, unix_now());
}

// ---- rate limits ----

Result<std::string> AuthService::upsert_rate_limit(const Claims& c, api::RateLimit limit) {
    VENUS_TRY_VOID(need_admin(c));
    VENUS_TRY_VOID(check_name("Name", limit.name));
    VENUS_TRY_VOID(check_text("Id", limit.id));
    VENUS_TRY_VOID(check_text("Service", limit.service));
    VENUS_TRY_VOID(check_text("API", limit.api));
    VENUS_TRY_VOID(live_user(limit.name));
    if (limit.cap < 0) return make_error(Errc::kInvalidArgument, "ReqLimit.Cap must not be negative");
    if (limit.reset_dur.count() <= 0) return make_error(Errc::kInvalidArgument, "reset duration must be positive");
    if (limit.id.empty()) {
        VENUS_TRY(limit.id, new_uuid());
    }
    VENUS_TRY_VOID(store_.upsert_rate_limit(limit));
    VENUS_TRY_VOID(refresh_limits());
    return limit.id;
}

Result<std::string> AuthService::delete_rate_limit(const Claims& c, std::string_view name, std::string_view id) {
    VENUS_TRY_VOID(need_admin(c));
    if (name.empty() || id.empty()) return make_error(Errc::kInvalidArgument, "`Name` and `Id` are both required");
    VENUS_TRY(bool existed, store_.delete_rate_limit(name, id));
    if (!existed) return make_error(Errc::kNotFound, "rate limit {} of user {} not found", id, name);
    VENUS_TRY_VOID(refresh_limits());
    return std::string(id);
}

Result<std::vector<api::RateLimit>> AuthService::get_rate_limits(const Claims& c, std::string_view name,
                                                                 std::string_view id) {
    VENUS_TRY_VOID(need_admin(c));
    if (name.empty()) return make_error(Errc::kInvalidArgument, "`name` is required");
    return store_.rate_limits(name, id);
}

// ---- miners ----

Result<api::User> AuthService::get_user_by_miner(const Claims& c, std::string_view miner) {
    VENUS_TRY_VOID(need_admin(c));
    VENUS_TRY(auto key, miner_key(miner));
    VENUS_TRY(auto row, store_.find_miner(key));
    if (!row) return make_error(Errc::kNotFound, "miner {} not found", miner);
    return live_user(row->user);
}

Result<bool> AuthService::upsert_miner(const Claims& c, std::string_view user, std::string_view miner, bool open_mining) {
    VENUS_TRY_VOID(need_admin(c));
    VENUS_TRY(auto key, miner_key(miner));
    VENUS_TRY_VOID(check_name("User", user));
    VENUS_TRY_VOID(live_user(user));
    return store_.upsert_miner(key, user, open_mining, unix_now());
}

Result<bool> AuthService::miner_exist_in_user(const Claims& c, std::string_view user, std::string_view miner) {
    VENUS_TRY_VOID(need_admin_or_user(c, user));
    VENUS_TRY(auto key, miner_key(miner));
    VENUS_TRY(auto row, store_.find_miner(key));
    return row && row->user == user;
}

Result<std::vector<api::Miner>> AuthService::list_miners(const Claims& c, std::string_view user) {
    VENUS_TRY_VOID(need_admin_or_user(c, user));
    VENUS_TRY(auto rows, store_.miners_of(user));
    std::vector<api::Miner> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(to_api(r));
    return out;
}

Result<bool> AuthService::delete_miner(const Claims& c, std::string_view miner) {
    VENUS_TRY(auto key, miner_key(miner));
    VENUS_TRY(auto row, store_.find_miner(key));
    if (!allows(c.perm, Perm::kAdmin) && !(row && !c.name.empty() && row->user == c.name)) {
        return make_error(Errc::kPermissionDenied, "need admin prem or {} ownership check error: permission not found",
                          miner);
    }
    if (!row) return false;
    return store_.delete_miner(key, unix_now());
}

Result<bool> AuthService::has_miner(const Claims& c, std::string_view miner) {
    VENUS_TRY_VOID(need_admin(c));
    VENUS_TRY(auto key, miner_key(miner));
    VENUS_TRY(auto row, store_.find_miner(key));
    return row.has_value();
}

// ---- signers ----

Result<std::vector<api::User>> AuthService::get_users_by_signer(const Claims& c, std::string_view signer) {
    VENUS_TRY_VOID(need_admin(c));
    VENUS_TRY(auto key, signer_key(signer));
    VENUS_TRY(auto names, store_.users_of_signer(key));
    std::vector<api::User> out;
    for (const auto& n : names) {
        if (auto u = live_user(n)) out.push_back(std::move(*u));
    }
    return out;
}

Status AuthService::register_signers(const Claims& c, std::string_view user, const std::vector<std::string>& signers) {
    VENUS_TRY_VOID(need_admin(c));
    VENUS_TRY_VOID(check_name("User", user));
    VENUS_TRY_VOID(live_user(user));
    if (signers.empty()) return make_error(Errc::kInvalidArgument, "`Signers` is empty");
    std::vector<std::string> keys;
    for (const auto& s : signers) {  // all valid, or nothing registered
        VENUS_TRY(auto k, signer_key(s));
        keys.push_back(std::move(k));
    }
    const auto now = unix_now();
    for (const auto& k : keys) VENUS_TRY_VOID(store_.register_signer(user, k, now));
    return {};
}

Status AuthService::unregister_signers(const Claims& c, std::string_view user, const std::vector<std::string>& signers) {
    VENUS_TRY_VOID(need_admin(c));
    std::vector<std::string> keys;
    for (const auto& s : signers) {
        VENUS_TRY(auto k, signer_key(s));
        keys.push_back(std::move(k));
    }
    const auto now = unix_now();
    for (const auto& k : keys) VENUS_TRY_VOID(store_.unregister_signer(user, k, now));
    return {};
}

Result<bool> AuthService::signer_exist_in_user(const Claims& c, std::string_view user, std::string_view signer) {
    VENUS_TRY_VOID(need_admin_or_user(c, user));
    VENUS_TRY(auto key, signer_key(signer));
    return store_.signer_in_user(user, key);
}

Result<std::vector<api::Signer>> AuthService::list_signers(const Claims& c, std::string_view user) {
    VENUS_TRY_VOID(need_admin_or_user(c, user));
    VENUS_TRY(auto rows, store_.signers_of(user));
    std::vector<api::Signer> out;
    for (const auto& r : rows) out.push_back(api::Signer{address_text(r.address), r.user, r.created_at, r.updated_at});
    return out;
}

Result<bool> AuthService::has_signer(const Claims& c, std::string_view signer) {
    VENUS_TRY_VOID(need_admin(c));
    VENUS_TRY(auto key, signer_key(signer));
    return store_.has_signer(key);
}

Result<bool> AuthService::delete_signer(const Claims& c, std::string_view signer) {
    VENUS_TRY(auto key, signer_key(signer));
    if (!allows(c.perm, Perm::kAdmin)) {
        VENUS_TRY(bool own, c.name.empty() ? Result<bool>(false) : store_.signer_in_user(c.name, key));
        if (!own) {
            return make_error(Errc::kPermissionDenied, "need admin prem or {} ownership check error: permission not found",
                              signer);
        }
    }
    return store_.delete_signer(key, unix_now());
}

}  // namespace venus::plugins::auth
