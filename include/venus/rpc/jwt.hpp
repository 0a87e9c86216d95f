// SPDX-License-Identifier: Apache-2.0 OR MIT
//! JWT HS256 as Lotus and sophon-auth use it: `{"name","perm","ext"}` (sophon) or `{"Allow":[…]}` (Lotus).
#pragma once

#include <array>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "venus/core/bytes.hpp"
#include "venus/core/result.hpp"
#include "venus/rpc/auth.hpp"
#include "venus/rpc/perm.hpp"

namespace venus::rpc {

//! HMAC-SHA256 with the key's inner and outer pad states computed once, so each MAC costs two
//! SHA-256 finalizations instead of four block compressions plus key setup.
class Hs256Key {
  public:
    explicit Hs256Key(BytesView secret);
    ~Hs256Key();
    Hs256Key(const Hs256Key&) = delete;
    Hs256Key& operator=(const Hs256Key&) = delete;
    std::array<std::uint8_t, 32> mac(BytesView data) const;

  private:
    struct State;
    std::unique_ptr<State> state_;
};

//! Signs a sophon-style token: header {"alg":"HS256","typ":"JWT"}, payload {"name","perm","ext"}.
std::string jwt_sign_sophon(const Hs256Key& key, const Claims& claims);
//! Signs arbitrary payload JSON (used for Lotus-style `{"Allow":[…]}` tokens and tests).
std::string jwt_sign_payload(const Hs256Key& key, std::string_view payload_json);

//! The decoded parts of a token before its signature is checked.
struct JwtParts {
    std::string_view signing_input;  //!< header.payload
    Bytes signature;
    std::string header_json;
    std::string payload_json;
};
Result<JwtParts> jwt_split(std::string_view token);
//! Checks alg == HS256 and the signature; returns the claims (sophon or Lotus payloads).
Result<Claims> jwt_verify(const Hs256Key& key, std::string_view token);
//! Claims from a payload without verifying anything (for picking the key by user name).
Result<Claims> jwt_claims_unverified(std::string_view token);

//! The daemon's own verifier: one persisted secret, results cached per token.
class LocalJwtVerifier final : public TokenVerifier {
  public:
    explicit LocalJwtVerifier(BytesView secret);
    void verify(std::string_view token, Done done) override;
    Result<Claims> verify_sync(std::string_view token);
    const Hs256Key& key() const noexcept { return key_; }

  private:
    Hs256Key key_;
    std::mutex mu_;
    std::unordered_map<std::string, Claims> cache_;  // only valid tokens; bounded
};

}  // namespace venus::rpc
