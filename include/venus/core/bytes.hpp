// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Byte buffers and the text encodings every layer needs (hex, base64, base64url).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "venus/core/result.hpp"

namespace venus {

using Bytes = std::vector<std::uint8_t>;
using BytesView = std::span<const std::uint8_t>;

inline BytesView as_bytes(std::string_view s) noexcept {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
inline std::string_view as_string(BytesView b) noexcept {
    return {reinterpret_cast<const char*>(b.data()), b.size()};
}

std::string to_hex(BytesView data);
//! Accepts upper or lower case and an optional "0x" prefix; rejects odd lengths and non-hex characters.
Result<Bytes> from_hex(std::string_view text);

//! Standard base64 with padding (Go's encoding/json form of []byte).
std::string to_base64(BytesView data);
//! Standard base64; padding is optional, whitespace and other alphabets are rejected.
Result<Bytes> from_base64(std::string_view text);

//! base64url without padding (JWT).
std::string to_base64url(BytesView data);
Result<Bytes> from_base64url(std::string_view text);

//! Constant-time comparison for secrets and MACs.
bool equal_constant_time(BytesView a, BytesView b) noexcept;

}  // namespace venus
