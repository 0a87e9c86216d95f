// SPDX-License-Identifier: Apache-2.0 OR MIT
//! RFC 9380 hashing onto G2 (suite BLS12381G2_XMD:SHA-256_SSWU_RO_), each step exposed so the tests
//! can check the intermediate values of the RFC vectors.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "curve.hpp"

namespace venus::crypto::bls::detail {

using ByteSpan = std::span<const std::uint8_t>;

//! expand_message_xmd with SHA-256 (RFC 9380 5.3.1); DSTs over 255 bytes are hashed first (5.3.3).
//! False when len is over 8160 bytes (ell > 255) or zero.
bool expand_message_xmd(std::uint8_t* out, std::size_t len, ByteSpan msg, ByteSpan dst);

//! hash_to_field(msg, 2) for Fp2 (L = 64).
void hash_to_field_fp2(Fp2 u[2], ByteSpan msg, ByteSpan dst);

//! map_to_curve: simplified SWU onto E2' followed by the 3-isogeny onto E2 (not yet in G2).
G2 map_to_curve_g2(const Fp2& u);

//! The full hash_to_curve: two field elements, two maps, add, clear the cofactor.
G2 hash_to_g2(ByteSpan msg, ByteSpan dst);

}  // namespace venus::crypto::bls::detail
