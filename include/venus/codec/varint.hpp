// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Unsigned LEB128 varints as multiformats (go-varint) use them: minimal encoding only, at most 9 bytes,
//! values below 2^63. Used by CIDs, multihashes and ID/delegated address payloads.
#pragma once

#include <cstddef>
#include <cstdint>

#include "venus/core/bytes.hpp"

namespace venus::codec {

inline constexpr std::size_t kMaxUvarintLen = 9;

//! Appends the varint encoding of `v` (v < 2^63) to `out`.
inline void append_uvarint(Bytes& out, std::uint64_t v) {
    while (v >= 0x80) {
        out.push_back(static_cast<std::uint8_t>(v | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<std::uint8_t>(v));
}

//! Number of bytes append_uvarint writes for `v`.
inline std::size_t uvarint_size(std::uint64_t v) noexcept {
    std::size_t n = 1;
    while (v >= 0x80) {
        v >>= 7;
        ++n;
    }
    return n;
}

enum class UvarintError { kOk, kTruncated, kOverflow, kNotMinimal };

struct UvarintRead {
    std::uint64_t value = 0;
    std::size_t size = 0;  //!< bytes consumed (0 on error)
    UvarintError error = UvarintError::kOk;
};

//! Reads one varint from the front of `in`. Nine 7-bit groups hold at most 2^63-1, so a tenth byte is an overflow.
inline UvarintRead read_uvarint(BytesView in) noexcept {
    UvarintRead r;
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (i == kMaxUvarintLen) {
            r.error = UvarintError::kOverflow;
            return r;
        }
        const std::uint8_t b = in[i];
        v |= static_cast<std::uint64_t>(b & 0x7f) << (7 * i);
        if ((b & 0x80) == 0) {
            if (b == 0 && i > 0) {
                r.error = UvarintError::kNotMinimal;  // a trailing zero group could have been dropped
                return r;
            }
            r.value = v;
            r.size = i + 1;
            return r;
        }
    }
    r.error = UvarintError::kTruncated;
    return r;
}

inline const char* uvarint_error_text(UvarintError e) noexcept {
    switch (e) {
        case UvarintError::kOk: return "ok";
        case UvarintError::kTruncated: return "truncated varint";
        case UvarintError::kOverflow: return "varint too large";
        case UvarintError::kNotMinimal: return "varint not minimally encoded";
    }
    return "bad varint";
}

}  // namespace venus::codec
