// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Token verification seam. The daemon starts with a local HS256 verifier for its own admin token;
//! the auth module (in-process) or a remote auth service replaces it.
#pragma once

#include <functional>
#include <string_view>

#include "venus/core/result.hpp"
#include "venus/rpc/perm.hpp"

namespace venus::rpc {

class TokenVerifier {
  public:
    using Done = std::function<void(Result<Claims>)>;
    virtual ~TokenVerifier() = default;
    //! Verifies a bearer token. Must be thread-safe. May call `done` before returning (cache hits,
    //! local keys) or later from another thread (remote services).
    virtual void verify(std::string_view token, Done done) = 0;
    //! Called for every authenticated RPC call so per-user rate limits can refuse it; the default allows all.
    virtual Status admit_call(const Claims& /*claims*/, std::string_view /*method*/) { return {}; }
};

}  // namespace venus::rpc
