// SPDX-License-Identifier: Apache-2.0 OR MIT
#include <catch2/catch.hpp>

#include "venus/core/bytes.hpp"

using namespace venus;

TEST_CASE("core: hex round trip and rejection", "[unit][core]") {
    Bytes data{0x00, 0x01, 0xab, 0xff};
    CHECK(to_hex(data) == "0001abff");
    auto back = from_hex("0x0001ABff");
    REQUIRE(back.ok());
    CHECK(*back == data);
    CHECK_FALSE(from_hex("abc").ok());
    CHECK_FALSE(from_hex("zz").ok());
}

TEST_CASE("core: base64 matches RFC 4648 test vectors", "[unit][core]") {
    const std::pair<const char*, const char*> cases[] = {
        {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
    for (auto [plain, encoded] : cases) {
        CHECK(to_base64(as_bytes(plain)) == encoded);
        auto d = from_base64(encoded);
        REQUIRE(d.ok());
        CHECK(as_string(*d) == plain);
    }
    CHECK_FALSE(from_base64("Zm9v!").ok());
    CHECK_FALSE(from_base64("Zg=").ok());
    CHECK_FALSE(from_base64("Zh==").ok());  // non-canonical trailing bits
}

TEST_CASE("core: base64url has no padding and its own alphabet", "[unit][core]") {
    Bytes data{0xfb, 0xff, 0xbf};
    CHECK(to_base64url(data) == "-_-_");
    CHECK(to_base64(data) == "+/+/");
    auto d = from_base64url("-_-_");
    REQUIRE(d.ok());
    CHECK(*d == data);
    CHECK_FALSE(from_base64url("+/+/").ok());
}

TEST_CASE("core: constant-time compare", "[unit][core]") {
    CHECK(equal_constant_time(as_bytes("abc"), as_bytes("abc")));
    CHECK_FALSE(equal_constant_time(as_bytes("abc"), as_bytes("abd")));
    CHECK_FALSE(equal_constant_time(as_bytes("abc"), as_bytes("ab")));
}
