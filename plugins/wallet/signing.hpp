// SPDX-License-Identifier: Apache-2.0 OR MIT
//! What the wallet agrees to sign. Every request names what its bytes are (SignMeta); the wallet
//! recomputes the bytes from that description and refuses on any mismatch, so a compromised gateway
//! or node cannot make it sign arbitrary data.
#pragma once

#include <cstdint>

#include "venus/api/gateway.hpp"
#include "venus/chain/keys.hpp"
#include "venus/core/bytes.hpp"
#include "venus/core/result.hpp"

namespace venus::plugins::wallet {

//! venus-shared DrawRandomParams, CBOR-encoded by fxamacker/cbor as a map with the field names.
struct DrawRandomParams {
    Bytes rbase;
    std::int64_t pers = 0;  //!< domain separation tag
    std::int64_t round = 0;
    Bytes entropy;
};
Result<DrawRandomParams> decode_draw_random_params(BytesView cbor);
Bytes encode_draw_random_params(const DrawRandomParams& p);

//! Lotus DrawRandomness (node-chain.md §3.3):
//! blake2b256(i64BE(pers) ‖ blake2b256(rbase) ‖ i64BE(round) ‖ entropy).
std::array<std::uint8_t, 32> draw_randomness(BytesView rbase, std::int64_t pers, std::int64_t round, BytesView entropy);

//! The bytes to sign for `to_sign` described by `meta`, or why not:
//! - message: Extra is the CBOR message and `to_sign` must be its CID bytes;
//! - block: `to_sign` must be a CBOR block header without BlockSig;
//! - drawrandomparam: `to_sign` is CBOR DrawRandomParams; the randomness is what gets signed;
//! - verifyaddress: `to_sign` must equal sha256(Extra ‖ wallet_rand).
//! Any other type is refused (Errc::kPermissionDenied).
Result<Bytes> checked_sign_bytes(BytesView to_sign, const api::SignMeta& meta, BytesView wallet_rand);

}  // namespace venus::plugins::wallet
