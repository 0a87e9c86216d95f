// SPDX-License-Identifier: Apache-2.0 OR MIT
#include <catch2/catch.hpp>

#include "venus/codec/cid.hpp"
#include "venus/crypto/secp256k1.hpp"
#include "venus/crypto/signature.hpp"

using namespace venus;
using namespace venus::crypto;

namespace {
Bytes hex(std::string_view s) {
    auto r = from_hex(s);
    REQUIRE(r.ok());
    return *r;
}
}  // namespace

TEST_CASE("secp256k1: Zondax utils.json known answers", "[unit][crypto]") {
    // public_from_private
    auto pk = secp256k1::public_key(hex("6f48d2978a1cd05bf0110702fd8c2f1e73978dfda66048dad7c6a76e3bb5ab2e"));
    REQUIRE(pk.ok());
    CHECK(to_hex(*pk) ==
          "043ba3c9c97454d6d5caaf3fa129228ca7b9aeb0b82de0c3a883fb2a96ea7d27b51a1e84dab69b756f69974ae55d7e20739b186e8151"
          "43a22dd345720b108fcbe5");
    // signature_test: the signed bytes are the CID bytes of the message CBOR.
    const Bytes priv = hex("b6e3f4e621e89656ed1f3a34023e8204a9f3416fdf6f4ba57f9a4c8971a91341");
    const auto cid = codec::cbor_cid(hex("884300e9075501f7c7cd6e87ca5cc5782b259c389f46f52617569c00420001404200010040"));
    auto sig = secp256k1::sign(priv, cid.bytes());
    REQUIRE(sig.ok());
    CHECK(to_hex(*sig) ==
          "8808dead9bd0d6953e7519f8a7ffd07eac98313f645c792664146b7727e33d782b6a3c803949c5520cb73869a003e59f173f0f9326fd"
          "2d8825e1a1d9df59afb201");
    auto rec = secp256k1::recover(*sig, cid.bytes());
    REQUIRE(rec.ok());
    CHECK(*rec == *secp256k1::public_key(priv));
    CHECK(*secp256k1::verify(*sig, cid.bytes(), *rec));
    CHECK_FALSE(*secp256k1::verify(*sig, as_bytes("other"), *rec));
}

TEST_CASE("secp256k1: rejects malformed input", "[unit][crypto]") {
    CHECK_FALSE(secp256k1::public_key(Bytes(32, 0)).ok());     // zero key
    CHECK_FALSE(secp256k1::public_key(Bytes(31, 1)).ok());     // short key
    CHECK_FALSE(secp256k1::public_key(Bytes(32, 0xff)).ok());  // >= n
    CHECK_FALSE(secp256k1::recover(Bytes(64, 1), as_bytes("x")).ok());
    Bytes bad(65, 1);
    bad[64] = 4;
    CHECK_FALSE(secp256k1::recover(bad, as_bytes("x")).ok());
    CHECK_FALSE(secp256k1::recover(Bytes(65, 0), as_bytes("x")).ok());  // r = s = 0
}

TEST_CASE("signature seam: secp256k1 sign and verify against an f1 address", "[unit][crypto]") {
    auto key = generate_private_key(SigType::kSecp256k1);
    REQUIRE(key.ok());
    auto pub = public_key(SigType::kSecp256k1, *key);
    REQUIRE(pub.ok());
    const auto h = blake2b_160(*pub);
    Bytes addr{1};
    addr.insert(addr.end(), h.begin(), h.end());
    auto sig = sign(SigType::kSecp256k1, *key, as_bytes("hello"));
    REQUIRE(sig.ok());
    CHECK(*verify(SigType::kSecp256k1, *sig, addr, as_bytes("hello")));
    CHECK_FALSE(*verify(SigType::kSecp256k1, *sig, addr, as_bytes("hellO")));
    Bytes id_addr{0, 0x64};
    CHECK_FALSE(*verify(SigType::kSecp256k1, *sig, id_addr, as_bytes("hello")));
    CHECK_FALSE(verify(SigType::kDelegated, *sig, addr, as_bytes("hello")).ok());
}
