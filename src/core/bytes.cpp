// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "venus/core/bytes.hpp"

#include <array>

namespace venus {
namespace {
constexpr char kHexDigits[] = "0123456789abcdef";
constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kB64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string encode64(BytesView data, const char* alphabet, bool pad) {
    std::string out;
    out.reserve((data.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= data.size(); i += 3) {
        std::uint32_t v = (std::uint32_t{data[i]} << 16) | (std::uint32_t{data[i + 1]} << 8) | data[i + 2];
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += alphabet[(v >> 6) & 63];
        out += alphabet[v & 63];
    }
    const std::size_t rest = data.size() - i;
    if (rest == 1) {
        std::uint32_t v = std::uint32_t{data[i]} << 16;
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        if (pad) out += "==";
    } else if (rest == 2) {
        std::uint32_t v = (std::uint32_t{data[i]} << 16) | (std::uint32_t{data[i + 1]} << 8);
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += alphabet[(v >> 6) & 63];
        if (pad) out += '=';
    }
    return out;
}

Result<Bytes> decode64(std::string_view text, const char* alphabet, bool allow_pad, const char* what) {
    std::array<int, 256> table{};
    table.fill(-1);
    for (int i = 0; i < 64; ++i) table[static_cast<unsigned char>(alphabet[i])] = i;

    std::size_t len = text.size();
    std::size_t padding = 0;
    if (allow_pad) {
        while (len > 0 && text[len - 1] == '=' && padding < 2) { --len; ++padding; }
        if (padding > 0 && text.size() % 4 != 0) return make_error(Errc::kInvalidArgument, "invalid {}: bad padding", what);
    }
    if (len % 4 == 1) return make_error(Errc::kInvalidArgument, "invalid {}: bad length", what);
    Bytes out;
    out.reserve(len * 3 / 4);
    std::uint32_t acc = 0;
    int bits = 0;
    for (std::size_t i = 0; i < len; ++i) {
        int v = table[static_cast<unsigned char>(text[i])];
        if (v < 0) return make_error(Errc::kInvalidArgument, "invalid {}: illegal character at offset {}", what, i);
        acc = (acc << 6) | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<std::uint8_t>((acc >> bits) & 0xff));
        }
    }
    // Non-canonical trailing bits (e.g. "QR==" for "A") are rejected, as Go's strict decoders do.
    if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) {
        return make_error(Errc::kInvalidArgument, "invalid {}: non-zero trailing bits", what);
    }
    return out;
}
}  // namespace

std::string to_hex(BytesView data) {
    std::string out(data.size() * 2, '\0');
    for (std::size_t i = 0; i < data.size(); ++i) {
        out[2 * i] = kHexDigits[data[i] >> 4];
        out[2 * i + 1] = kHexDigits[data[i] & 15];
    }
    return out;
}

Result<Bytes> from_hex(std::string_view text) {
    if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) text.remove_prefix(2);
    if (text.size() % 2 != 0) return make_error(Errc::kInvalidArgument, "invalid hex: odd length {}", text.size());
    Bytes out(text.size() / 2);
    for (std::size_t i = 0; i < out.size(); ++i) {
        int hi = hex_value(text[2 * i]);
        int lo = hex_value(text[2 * i + 1]);
        if (hi < 0 || lo < 0) return make_error(Errc::kInvalidArgument, "invalid hex: illegal character at offset {}", 2 * i);
        out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
    }
    return out;
}

std::string to_base64(BytesView data) { return encode64(data, kB64, true); }
Result<Bytes> from_base64(std::string_view text) { return decode64(text, kB64, true, "base64"); }
std::string to_base64url(BytesView data) { return encode64(data, kB64Url, false); }
Result<Bytes> from_base64url(std::string_view text) { return decode64(text, kB64Url, false, "base64url"); }

bool equal_constant_time(BytesView a, BytesView b) noexcept {
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

}  // namespace venus
