// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "venus/codec/multibase.hpp"

#include <array>

namespace venus::codec {
namespace {

constexpr std::string_view kBase32Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
constexpr std::string_view kBase58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
constexpr std::size_t kMaxBase58Input = 4096;

constexpr std::array<std::int8_t, 256> make_reverse(std::string_view alphabet) {
    std::array<std::int8_t, 256> t{};
    for (auto& x : t) x = -1;
    for (std::size_t i = 0; i < alphabet.size(); ++i) t[static_cast<std::uint8_t>(alphabet[i])] = static_cast<std::int8_t>(i);
    return t;
}
constexpr auto kBase32Reverse = make_reverse(kBase32Alphabet);
constexpr auto kBase58Reverse = make_reverse(kBase58Alphabet);

}  // namespace

void base32_encode_append(BytesView data, std::string& out) {
    out.reserve(out.size() + (data.size() * 8 + 4) / 5);
    std::uint32_t buffer = 0;
    int bits = 0;
    for (std::uint8_t b : data) {
        buffer = (buffer << 8) | b;
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            out.push_back(kBase32Alphabet[(buffer >> bits) & 31]);
        }
    }
    if (bits > 0) out.push_back(kBase32Alphabet[(buffer << (5 - bits)) & 31]);
}

std::string base32_encode(BytesView data) {
    std::string out;
    base32_encode_append(data, out);
    return out;
}

Result<Bytes> base32_decode(std::string_view text) {
    // Lengths 1, 3 and 6 (mod 8) leave a partial group that no byte sequence encodes to.
    const std::size_t rem = text.size() % 8;
    if (rem == 1 || rem == 3 || rem == 6) {
        return make_error(Errc::kInvalidArgument, "base32: invalid length {}", text.size());
    }
    Bytes out;
    out.reserve(text.size() * 5 / 8);
    std::uint32_t buffer = 0;
    int bits = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const std::int8_t v = kBase32Reverse[static_cast<std::uint8_t>(text[i])];
        if (v < 0) return make_error(Errc::kInvalidArgument, "base32: invalid character at offset {}", i);
        buffer = (buffer << 5) | static_cast<std::uint32_t>(v);
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<std::uint8_t>(buffer >> bits));
        }
    }
    if ((buffer & ((1u << bits) - 1)) != 0) {
        return make_error(Errc::kInvalidArgument, "base32: non-canonical encoding (trailing bits set)");
    }
    return out;
}

std::string base58btc_encode(BytesView data) {
    std::size_t zeros = 0;
    while (zeros < data.size() && data[zeros] == 0) ++zeros;
    // log(256)/log(58) ~ 1.366: room for the base-58 digits, little-endian while computing.
    std::vector<std::uint8_t> digits((data.size() - zeros) * 138 / 100 + 1);
    std::size_t used = 0;
    for (std::size_t i = zeros; i < data.size(); ++i) {
        std::uint32_t carry = data[i];
        for (std::size_t j = 0; j < used; ++j) {
            carry += static_cast<std::uint32_t>(digits[j]) << 8;
            digits[j] = static_cast<std::uint8_t>(carry % 58);
            carry /= 58;
        }
        while (carry > 0) {
            digits[used++] = static_cast<std::uint8_t>(carry % 58);
            carry /= 58;
        }
    }
    std::string out(zeros, '1');
    for (std::size_t j = used; j > 0; --j) out.push_back(kBase58Alphabet[digits[j - 1]]);
    return out;
}

Result<Bytes> base58btc_decode(std::string_view text) {
    if (text.size() > kMaxBase58Input) return make_error(Errc::kOutOfRange, "base58: input too long");
    std::size_t zeros = 0;
    while (zeros < text.size() && text[zeros] == '1') ++zeros;
    std::vector<std::uint8_t> bytes(text.size() * 733 / 1000 + 1);  // log(58)/log(256) ~ 0.733
    std::size_t used = 0;
    for (std::size_t i = zeros; i < text.size(); ++i) {
        const std::int8_t v = kBase58Reverse[static_cast<std::uint8_t>(text[i])];
        if (v < 0) return make_error(Errc::kInvalidArgument, "base58: invalid character at offset {}", i);
        std::uint32_t carry = static_cast<std::uint32_t>(v);
        for (std::size_t j = 0; j < used; ++j) {
            carry += static_cast<std::uint32_t>(bytes[j]) * 58;
            bytes[j] = static_cast<std::uint8_t>(carry & 0xff);
            carry >>= 8;
        }
        while (carry > 0) {
            bytes[used++] = static_cast<std::uint8_t>(carry & 0xff);
            carry >>= 8;
        }
    }
    Bytes out(zeros, 0);
    for (std::size_t j = used; j > 0; --j) out.push_back(bytes[j - 1]);
    return out;
}

std::string multibase_encode(Multibase base, BytesView data) {
    std::string out(1, static_cast<char>(base));
    if (base == Multibase::kBase32Lower) {
        base32_encode_append(data, out);
    } else {
        out += base58btc_encode(data);
    }
    return out;
}

Result<Bytes> multibase_decode(std::string_view text) {
    if (text.empty()) return make_error(Errc::kInvalidArgument, "multibase: empty string");
    switch (text[0]) {
        case 'b': return base32_decode(text.substr(1));
        case 'z': return base58btc_decode(text.substr(1));
        default: return make_error(Errc::kUnsupported, "multibase: unsupported prefix '{}'", text[0]);
    }
}

}  // namespace venus::codec
