// SPDX-License-Identifier: Apache-2.0 OR MIT
#include <catch2/catch.hpp>

#include "venus/crypto/hash.hpp"

using namespace venus;

TEST_CASE("crypto: blake2b known answers", "[unit][crypto]") {
    CHECK(to_hex(crypto::blake2b_256({})) == "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
    CHECK(to_hex(crypto::blake2b_512(as_bytes("abc"))) ==
          "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923");
    // A 20-byte BLAKE2b is its own function, not a prefix of the 32-byte one.
    CHECK(to_hex(crypto::blake2b_160({})) != to_hex(crypto::blake2b_256({})).substr(0, 40));
    crypto::Blake2bHasher h(32);
    h.update(as_bytes("a"));
    h.update(as_bytes("bc"));
    crypto::Hash256 out;
    h.finish(out);
    CHECK(out == crypto::blake2b_256(as_bytes("abc")));
}

TEST_CASE("crypto: sha256 known answers", "[unit][crypto]") {
    CHECK(to_hex(crypto::sha256(as_bytes("abc"))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(to_hex(crypto::sha256({})) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    for (int i = 0; i < 3; ++i) {  // the per-thread context is reused
        CHECK(to_hex(crypto::sha256(as_bytes("abc"))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
