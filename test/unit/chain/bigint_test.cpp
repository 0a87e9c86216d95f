// SPDX-License-Identifier: Apache-2.0 OR MIT
#include <catch2/catch.hpp>

#include "venus/chain/bigint.hpp"

using namespace venus;
using namespace venus::chain;

TEST_CASE("bigint: Filecoin byte form", "[unit][chain]") {
    CHECK(BigInt(0).to_bytes().empty());
    CHECK(to_hex(BigInt(100000).to_bytes()) == "000186a0");
    CHECK(to_hex(BigInt(-1).to_bytes()) == "0101");
    auto v = BigInt::from_bytes(*from_hex("000186a0"));
    REQUIRE(v.ok());
    CHECK(*v == BigInt(100000));
    CHECK(BigInt::from_bytes(*from_hex("00"))->is_zero());  // non-canonical but accepted, as go-state-types
    CHECK_FALSE(BigInt::from_bytes(*from_hex("02ff")).ok());
    CHECK_FALSE(BigInt::from_bytes(Bytes(129, 0)).ok());
    CHECK(BigInt::pow2(1015).encoded_fits());  // 127 magnitude bytes + sign = 128
    CHECK_FALSE(BigInt::pow2(1016).encoded_fits());
}

TEST_CASE("bigint: decimal strings and arithmetic", "[unit][chain]") {
    auto a = BigInt::from_string("340282366920938463463374607431768211456");
    REQUIRE(a.ok());
    CHECK(*a == BigInt::pow2(128));
    CHECK(a->to_string() == "340282366920938463463374607431768211456");
    CHECK(BigInt::from_string("-42")->to_string() == "-42");
    CHECK(BigInt::from_string("+7")->to_string() == "7");
    CHECK_FALSE(BigInt::from_string("").ok());
    CHECK_FALSE(BigInt::from_string("-").ok());
    CHECK_FALSE(BigInt::from_string("1e5").ok());
    CHECK_FALSE(BigInt::from_string(" 1").ok());
    CHECK(BigInt::from_u64(UINT64_MAX).to_string() == "18446744073709551615");
    CHECK(BigInt(INT64_MIN).to_string() == "-9223372036854775808");
    CHECK(BigInt(INT64_MIN).fits_i64());
    CHECK(BigInt(INT64_MIN).to_i64() == INT64_MIN);
    CHECK(BigInt::from_u64(UINT64_MAX).to_u64() == UINT64_MAX);
    CHECK_FALSE(BigInt::from_u64(UINT64_MAX).fits_i64());
    // Euclidean division like Go's big.Int.Div/Mod; quo/rem truncate.
    CHECK((BigInt(-7) / BigInt(2)) == BigInt(-4));
    CHECK((BigInt(-7) % BigInt(2)) == BigInt(1));
    CHECK(BigInt::quo(BigInt(-7), BigInt(2)) == BigInt(-3));
    CHECK(BigInt::rem(BigInt(-7), BigInt(2)) == BigInt(-1));
    CHECK((BigInt(-7) / BigInt(-2)) == BigInt(4));
    CHECK((BigInt(-5) >> 1) == BigInt(-3));
    CHECK((BigInt(5) << 256) >> 256 == BigInt(5));
    const BigInt q256 = BigInt::pow2(256);
    CHECK(((q256 * q256) / q256) == q256);
    CHECK(BigInt(3) > BigInt(-3));
}

TEST_CASE("bigint: FIL text", "[unit][chain]") {
    CHECK(format_fil(BigInt(0)) == "0 FIL");
    CHECK(format_fil(*parse_fil("1.5")) == "1.5 FIL");
    CHECK(format_fil(BigInt(1)) == "0.000000000000000001 FIL");
    CHECK(format_fil(BigInt(-1)) == "-0.000000000000000001 FIL");
    CHECK(format_fil(*BigInt::from_string("2000000000000000000")) == "2 FIL");
    CHECK(parse_fil("1.5 FIL")->to_string() == "1500000000000000000");
    CHECK(parse_fil("1.5fil")->to_string() == "1500000000000000000");
    CHECK(parse_fil("150 attofil")->to_string() == "150");
    CHECK(parse_fil("150afil")->to_string() == "150");
    CHECK(parse_fil("-2")->to_string() == "-2000000000000000000");
    CHECK(parse_fil(".5")->to_string() == "500000000000000000");
    CHECK(parse_fil("1.000000000000000001")->to_string() == "1000000000000000001");
    CHECK_FALSE(parse_fil("1.0000000000000000001").ok());
    CHECK_FALSE(parse_fil("1.5 attofil").ok());
    CHECK_FALSE(parse_fil("1.5 BTC").ok());
    CHECK_FALSE(parse_fil("").ok());
    CHECK_FALSE(parse_fil("1.2.3").ok());
    CHECK_FALSE(parse_fil(std::string(60, '1')).ok());
}
