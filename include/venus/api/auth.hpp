// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The auth service as other modules see it: who a token belongs to, which miners and signers a user
//! owns, who owns a miner or a signer. Two implementations behind one interface: the in-process auth
//! module (plugins/auth) and a REST client of a remote venusd or of the original sophon-auth
//! (`make_remote_auth`, src/rpc/remote_auth_client.cpp), chosen by config.
//!
//! Calls may block on a network round trip when the implementation is remote: call them from the
//! worker pool, never from the control loop. Addresses are text (`f01000`, `t1…`) exactly as the
//! sophon-auth REST API carries them; the in-process implementation parses and validates them.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "venus/core/result.hpp"
#include "venus/rpc/api_info.hpp"
#include "venus/rpc/auth.hpp"
#include "venus/rpc/perm.hpp"

namespace asio {
class thread_pool;
}

namespace venus::api {

//! sophon-auth's user state: 0 is what old clients send when they mean "unchanged" or "any".
enum class UserState : int { kUndefined = 0, kEnabled = 1, kDisabled = 2 };

//! "enabled", "disabled", or "unknown state" (sophon-auth's UserState.String()).
constexpr std::string_view to_string(UserState s) noexcept {
    switch (s) {
        case UserState::kEnabled: return "enabled";
        case UserState::kDisabled: return "disabled";
        default: return "unknown state";
    }
}

struct User {
    std::string id;  //!< uuid v4
    std::string name;
    std::string comment;
    UserState state = UserState::kUndefined;
    std::int64_t create_time = 0;  //!< unix seconds
    std::int64_t update_time = 0;
};

struct Miner {
    std::string miner;  //!< ID address with the network prefix
    std::string user;
    bool open_mining = true;
    std::int64_t created_at = 0;  //!< unix seconds
    std::int64_t updated_at = 0;
};

struct Signer {
    std::string signer;
    std::string user;
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
};

struct UserWithMiners {
    User user;
    std::vector<Miner> miners;
};

//! A per-user request limit. Only the root rule (service and api empty) is enforced, as in sophon.
struct RateLimit {
    std::string id;
    std::string name;  //!< the user
    std::string service;
    std::string api;
    std::int64_t cap = 0;                  //!< requests per window; 0 = unlimited
    std::chrono::nanoseconds reset_dur{0};  //!< window length
};

class Auth {
  public:
    virtual ~Auth() = default;

    //! The claims of a valid token; Errc::kUnauthenticated for unknown, removed, forged tokens and
    //! tokens of disabled or deleted users.
    virtual Result<rpc::Claims> verify(std::string_view token) = 0;

    virtual Result<bool> has_user(std::string_view name) = 0;
    //! Errc::kNotFound for unknown or deleted users.
    virtual Result<User> get_user(std::string_view name) = 0;
    //! The owner of a miner (Errc::kNotFound if unbound).
    virtual Result<User> get_user_by_miner(std::string_view miner) = 0;
    //! Every user the signer is bound to (possibly none).
    virtual Result<std::vector<User>> get_user_by_signer(std::string_view signer) = 0;
    //! Users with their miners, `state` kUndefined for all states; limit 0 = no limit.
    virtual Result<std::vector<UserWithMiners>> list_users_with_miners(std::int64_t skip, std::int64_t limit,
                                                                       UserState state) = 0;

    virtual Result<bool> has_miner(std::string_view miner) = 0;
    virtual Result<bool> miner_exist_in_user(std::string_view user, std::string_view miner) = 0;
    virtual Result<std::vector<Miner>> list_miners(std::string_view user) = 0;
    //! Binds (or re-binds) a miner; true when it was created. sophon-miner toggles OpenMining here.
    virtual Result<bool> upsert_miner(std::string_view user, std::string_view miner, bool open_mining) = 0;

    virtual Result<bool> has_signer(std::string_view signer) = 0;
    virtual Result<bool> signer_exist_in_user(std::string_view user, std::string_view signer) = 0;
    virtual Result<std::vector<Signer>> list_signers(std::string_view user) = 0;
    //! The gateway registers a wallet's addresses for the wallet's accounts, and removes them.
    virtual Status register_signers(std::string_view user, const std::vector<std::string>& signers) = 0;
    virtual Status unregister_signers(std::string_view user, const std::vector<std::string>& signers) = 0;

    //! The user's rules; `id` empty for all of them.
    virtual Result<std::vector<RateLimit>> get_user_rate_limits(std::string_view user, std::string_view id) = 0;
};

//! A REST client of a remote auth service (venusd with auth, or sophon-auth). `info.token` is sent
//! as the bearer token; it needs admin permission for the admin-only routes. Thread-safe.
std::shared_ptr<Auth> make_remote_auth(rpc::ApiInfo info, std::chrono::milliseconds timeout = std::chrono::seconds(10));

//! Verifies tokens against a remote auth service's POST /verify, caching valid ones for `ttl`
//! (so a removal takes effect within `ttl`). While the service cannot be reached, a token it
//! accepted within `offline_grace` keeps working (nothing can be revoked while it is down); unknown
//! tokens fail closed. The remote call runs on `workers`; the daemon's own token is checked by
//! `fallback` first when one is given. When `info.token` is empty, the token under verification
//! authenticates its own /verify request.
std::shared_ptr<rpc::TokenVerifier> make_remote_verifier(rpc::ApiInfo info, std::chrono::milliseconds ttl,
                                                         std::chrono::milliseconds offline_grace,
                                                         asio::thread_pool& workers,
                                                         std::shared_ptr<rpc::TokenVerifier> fallback);

}  // namespace venus::api
