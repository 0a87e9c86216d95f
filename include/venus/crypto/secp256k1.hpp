// SPDX-License-Identifier: Apache-2.0 OR MIT
//! secp256k1 with Filecoin's conventions (lotus lib/sigs/secp): the signed digest is
//! blake2b-256(data) (no SHA-256), signatures are 65 bytes r ‖ s ‖ v (v = recovery id 0/1,
//! deterministic RFC 6979 nonces, low S), and verification recovers the public key from the
//! signature. Public keys are 65-byte uncompressed (0x04 ‖ X ‖ Y): that is what f1 addresses hash.
#pragma once

#include <array>
#include <cstdint>

#include "venus/core/bytes.hpp"
#include "venus/core/result.hpp"
#include "venus/crypto/hash.hpp"

namespace venus::crypto::secp256k1 {

inline constexpr std::size_t kPrivateKeySize = 32;
inline constexpr std::size_t kPublicKeySize = 65;
inline constexpr std::size_t kSignatureSize = 65;

using PrivateKey = std::array<std::uint8_t, kPrivateKeySize>;
using PublicKey = std::array<std::uint8_t, kPublicKeySize>;
using Signature = std::array<std::uint8_t, kSignatureSize>;

//! A random valid private key from the system CSPRNG.
Result<PrivateKey> generate_private_key();
//! Uncompressed public key; fails for keys outside [1, n).
Result<PublicKey> public_key(BytesView private_key);
//! Signs blake2b-256(data).
Result<Signature> sign(BytesView private_key, BytesView data);
//! Signs a 32-byte digest as is.
Result<Signature> sign_digest(BytesView private_key, const Hash256& digest);
//! Recovers the uncompressed public key that signed blake2b-256(data).
Result<PublicKey> recover(BytesView signature, BytesView data);
Result<PublicKey> recover_digest(BytesView signature, const Hash256& digest);
//! Plain ECDSA verification against a known public key (65 or 33 bytes), digest = blake2b-256(data).
Result<bool> verify(BytesView signature, BytesView data, BytesView public_key);

}  // namespace venus::crypto::secp256k1
