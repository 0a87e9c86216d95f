// SPDX-License-Identifier: Apache-2.0 OR MIT
//! One entry point for Filecoin signatures, whatever the scheme (lotus lib/sigs):
//! secp256k1 (type 1) here, BLS (type 2) through venus_bls when it is linked, delegated (type 3,
//! Ethereum-style) not yet. Addresses are passed in binary form (protocol ‖ payload) so this layer
//! does not depend on venus_chain; venus/chain/keys.hpp has the typed wrappers.
#pragma once

#include <cstdint>

#include "venus/core/bytes.hpp"
#include "venus/core/result.hpp"

namespace venus::crypto {

//! Values are the Filecoin signature type bytes.
enum class SigType : std::uint8_t { kSecp256k1 = 1, kBls = 2, kDelegated = 3 };

//! True when BLS signing and verification are available in this build.
bool bls_available() noexcept;

Result<Bytes> generate_private_key(SigType type);
//! secp256k1: 65-byte uncompressed key; BLS: 48-byte G1 key (private key 32 bytes little-endian).
Result<Bytes> public_key(SigType type, BytesView private_key);
//! The signature data (without the type byte): secp256k1 65 bytes over blake2b-256(data); BLS 96 bytes.
Result<Bytes> sign(SigType type, BytesView private_key, BytesView data);
//! Checks `signature` over `data` by the key behind `address_bytes`. secp256k1 recovers the key and
//! compares blake2b-160 of it with an f1 payload; BLS verifies against the 48-byte f3 payload.
//! Returns false for a well-formed signature that does not match; an error for malformed input or an
//! unsupported scheme.
Result<bool> verify(SigType type, BytesView signature, BytesView address_bytes, BytesView data);

}  // namespace venus::crypto
