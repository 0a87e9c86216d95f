// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Hash functions Filecoin uses: BLAKE2b with 32-byte (CIDs, secp256k1 signing digest), 20-byte (f1/f2
//! address payloads) and 4-byte (address checksums) outputs, and SHA-256 (HAMT key hashing, ipld CIDs).
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "venus/core/bytes.hpp"

namespace venus::crypto {

using Hash256 = std::array<std::uint8_t, 32>;
using Hash160 = std::array<std::uint8_t, 20>;
using Checksum4 = std::array<std::uint8_t, 4>;

//! BLAKE2b (unkeyed) with an output of `out.size()` bytes, 1..64. The output length is part of the
//! BLAKE2b parameter block, so a 20-byte digest is NOT a prefix of the 32-byte one.
void blake2b(BytesView data, std::span<std::uint8_t> out) noexcept;

Hash256 blake2b_256(BytesView data) noexcept;
Hash160 blake2b_160(BytesView data) noexcept;
Checksum4 blake2b_32(BytesView data) noexcept;
std::array<std::uint8_t, 64> blake2b_512(BytesView data) noexcept;

//! SHA-256 via OpenSSL EVP; the digest context is kept per thread so a call allocates nothing.
Hash256 sha256(BytesView data) noexcept;

//! Incremental BLAKE2b for data that arrives in pieces.
class Blake2bHasher {
  public:
    explicit Blake2bHasher(std::size_t out_len = 32) noexcept;
    void update(BytesView data) noexcept;
    //! Writes out_len bytes to `out` (which must have room for them).
    void finish(std::span<std::uint8_t> out) noexcept;

  private:
    alignas(64) std::uint8_t state_[384];  // crypto_generichash_state (opaque, 384 bytes in libsodium 1.0.18)
    std::size_t out_len_;
};

}  // namespace venus::crypto
