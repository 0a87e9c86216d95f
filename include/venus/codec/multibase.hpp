// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The text encodings CIDs and addresses use: base32 (RFC 4648 lower-case alphabet, no padding) and
//! base58btc, plus the multibase prefixes `b` (base32 lower) and `z` (base58btc).
#pragma once

#include <string>
#include <string_view>

#include "venus/core/bytes.hpp"
#include "venus/core/result.hpp"

namespace venus::codec {

//! RFC 4648 base32, alphabet `abcdefghijklmnopqrstuvwxyz234567`, no padding.
std::string base32_encode(BytesView data);
void base32_encode_append(BytesView data, std::string& out);
//! Strict: lower-case alphabet only, no padding, no whitespace, a length that a whole number of bytes
//! can produce, and zero trailing bits (so every string has exactly one byte sequence and back).
Result<Bytes> base32_decode(std::string_view text);

std::string base58btc_encode(BytesView data);
//! Rejects characters outside the bitcoin alphabet. Input longer than 4 KiB is refused (quadratic).
Result<Bytes> base58btc_decode(std::string_view text);

enum class Multibase : char { kBase32Lower = 'b', kBase58Btc = 'z' };

std::string multibase_encode(Multibase base, BytesView data);
//! Accepts the `b` and `z` prefixes.
Result<Bytes> multibase_decode(std::string_view text);

}  // namespace venus::codec
