// SPDX-License-Identifier: Apache-2.0 OR MIT
#include <catch2/catch.hpp>

#include "support/fixtures.hpp"
#include "venus/rpc/json.hpp"
#include "venus/rpc/jwt.hpp"

using namespace venus;
using namespace venus::rpc;

TEST_CASE("jwt: RFC 7515 A.1 HS256 vectors (golang-jwt table)", "[unit][jwt]") {
    VENUS_REQUIRE_VECTORS(path, "jwt/hmac_vectors.json");
    JsonDocument doc;
    REQUIRE(parse_json(venus::test::read_file(path), doc).ok());
    auto key_bytes = from_hex(doc["key_hex"].GetString());
    REQUIRE(key_bytes.ok());
    Hs256Key key(*key_bytes);
    int checked = 0;
    for (const auto& c : doc["cases"].GetArray()) {
        if (std::string_view(c["alg"].GetString()) != "HS256") continue;
        auto parts = jwt_split(c["token"].GetString());
        REQUIRE(parts.ok());
        auto mac = key.mac(as_bytes(parts->signing_input));
        CHECK(equal_constant_time(mac, parts->signature) == c["valid_signature"].GetBool());
        ++checked;
    }
    CHECK(checked == 3);
}

TEST_CASE("jwt: Lotus-style tokens from jsonwebtoken verify, tampered ones do not", "[unit][jwt]") {
    VENUS_REQUIRE_VECTORS(path, "oracle-generated/jwt_lotus_style.json");
    JsonDocument doc;
    REQUIRE(parse_json(venus::test::read_file(path), doc).ok());
    for (const auto& c : doc.GetArray()) {
        auto secret = from_hex(c["secret_hex"].GetString());
        REQUIRE(secret.ok());
        Hs256Key key(*secret);
        auto claims = jwt_verify(key, c["token"].GetString());
        INFO(c["token"].GetString());
        CHECK(claims.ok() == c["valid"].GetBool());
        if (claims.ok()) {
            // The strongest permission in Allow is the token's permission.
            const auto& allow = c["payload"]["Allow"];
            CHECK(to_string(claims->perm) == allow[allow.Size() - 1].GetString());
        }
    }
}

TEST_CASE("jwt: sophon tokens round-trip and reject tampering", "[unit][jwt]") {
    const Bytes secret(32, 7);
    Hs256Key key(secret);
    auto token = jwt_sign_sophon(key, Claims{"alice", Perm::kSign, "x"});
    // Known answer: header {"alg":"HS256","typ":"JWT"} and the payload in field order.
    CHECK(token.rfind("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.", 0) == 0);
    auto claims = jwt_verify(key, token);
    REQUIRE(claims.ok());
    CHECK(claims->name == "alice");
    CHECK(claims->perm == Perm::kSign);
    CHECK(claims->ext == "x");

    Hs256Key other(Bytes(32, 8));
    CHECK_FALSE(jwt_verify(other, token).ok());
    auto tampered = token;
    tampered[tampered.size() - 2] = tampered[tampered.size() - 2] == 'A' ? 'B' : 'A';
    CHECK_FALSE(jwt_verify(key, tampered).ok());
    CHECK_FALSE(jwt_verify(key, "a.b").ok());
    CHECK_FALSE(jwt_verify(key, "").ok());
    CHECK_FALSE(jwt_verify(key, "!!.??.**").ok());

    // A payload with an unknown permission is refused even when correctly signed.
    auto bad_perm = jwt_sign_payload(key, R"({"name":"bob","perm":"root","ext":""})");
    auto r = jwt_verify(key, bad_perm);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("unknown permission 'root'") != std::string::npos);
    // alg none is refused.
    auto none = to_base64url(as_bytes(R"({"alg":"none"})")) + "." + to_base64url(as_bytes(R"({"perm":"admin"})")) + ".";
    CHECK_FALSE(jwt_verify(key, none).ok());
}

TEST_CASE("jwt: HMAC matches RFC 4231 test case 2", "[unit][jwt]") {
    Hs256Key key(as_bytes("Jefe"));
    auto mac = key.mac(as_bytes("what do ya want for nothing?"));
    CHECK(to_hex(mac) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    // Keys longer than the block size are hashed first (RFC 4231 test case 6).
    Hs256Key long_key(Bytes(131, 0xaa));
    CHECK(to_hex(long_key.mac(as_bytes("Test Using Larger Than Block-Size Key - Hash Key First"))) ==
          "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST_CASE("jwt: the local verifier caches valid tokens only", "[unit][jwt]") {
    const Bytes secret(32, 1);
    LocalJwtVerifier v(secret);
    auto token = jwt_sign_sophon(v.key(), Claims{"defaultLocalToken", Perm::kAdmin, ""});
    for (int i = 0; i < 3; ++i) {
        auto c = v.verify_sync(token);
        REQUIRE(c.ok());
        CHECK(c->perm == Perm::kAdmin);
    }
    CHECK_FALSE(v.verify_sync(token + "x").ok());
    CHECK_FALSE(v.verify_sync(token + "x").ok());
}
