// SPDX-License-Identifier: Apache-2.0 OR MIT
// Small helpers shared by the BLS tests.
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <string_view>

#include <catch2/catch.hpp>

#include "support/fixtures.hpp"
#include "venus/core/bytes.hpp"

namespace venus::test::bls {

inline Bytes hex(std::string_view s) {
    auto r = from_hex(s);
    REQUIRE(r.ok());
    return *r;
}

inline Bytes b64(std::string_view s) {
    auto r = from_base64(s);
    REQUIRE(r.ok());
    return *r;
}

//! Decimal integer -> 32-byte little-endian (bls-signatures gives private keys in decimal).
inline Bytes decimal_to_le32(std::string_view dec) {
    Bytes out(32, 0);
    for (char ch : dec) {
        unsigned carry = static_cast<unsigned>(ch - '0');
        for (auto& b : out) {
            const unsigned v = b * 10U + carry;
            b = static_cast<std::uint8_t>(v & 0xff);
            carry = v >> 8;
        }
        REQUIRE(carry == 0);
    }
    return out;
}

inline rapidjson::Document load_json(const std::filesystem::path& p) {
    rapidjson::Document d;
    const std::string text = venus::test::read_file(p);
    d.Parse(text.c_str(), text.size());
    REQUIRE_FALSE(d.HasParseError());
    return d;
}

}  // namespace venus::test::bls
