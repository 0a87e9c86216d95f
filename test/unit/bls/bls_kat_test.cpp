// SPDX-License-Identifier: Apache-2.0 OR MIT
// Known answers embedded in the source (taken from the shared vector files), so a fresh clone checks
// correctness without ../shared, plus algebraic properties of the field, curves and pairing.
#include <sodium.h>

#include <algorithm>

#include "bls_test_util.hpp"
#include "hash_to_curve.hpp"
#include "pairing.hpp"
#include "venus/crypto/bls.hpp"

using namespace venus;
using namespace venus::test::bls;
namespace bls = venus::crypto::bls;
namespace d = venus::crypto::bls::detail;

namespace {

std::string fp2_hex(const d::Fp2& a) {
    std::uint8_t b0[48], b1[48];
    d::fp_to_bytes(b0, a.c0);
    d::fp_to_bytes(b1, a.c1);
    return "0x" + to_hex(BytesView(b0, 48)) + ",0x" + to_hex(BytesView(b1, 48));
}

struct SignKat {
    const char* msg;
    const char* sk_decimal;
    const char* pk;
    const char* sig;
};

// filecoin-project/bls-signatures tests/data.json (Filecoin DST).
const SignKat kSignKats[] = {
    {"", "27539689655622540958679105641905086851274830069992722298279813327323206776590",
     "b2be11dc8e54ee74dbc07569fd74fe03b5f52ad71cd49a8579b6c6387891f5a20ad980ec2747618c1b9ad35846a68a3e",
     "b53cfdf8b488a286df1ed20432e2bbc4e6361003757dfda3a4fd6cd98de95e5513f7c448d70b2681e14547a6ced47e7c"
     "10e28432e8abcb34de1dc28f39328fd2a13db12a4c6a30bd17b0e42881a429003e4c24583ba0f29a40fd836cf05e1a40"},
    {"1234", "49702461028268182420606074237888227477973439590128745083263225875180465421919",
     "981de2d88a80a2d7752ecda66443340a789ea62dd68dca6a3a8caf3b6c1e94248a8819a4f6ba554f50f5ccb8bc40e67c",
     "84aa59cad078a34c3c1f876e924ee199cd8cf74857cebcad3037561964cfda50dce5f4d0709aa690dae7113b01a9c8c3"
     "1557f5589c38eb720e86864ff0c4446fba21899d4cd0b2862ec395de1dfdb736bf38ca56d17019b257c5d4dd563bf5b7"},
};

}  // namespace

TEST_CASE("bls kat: bls-signatures sign/verify (embedded)", "[unit][bls][kat]") {
    for (const auto& k : kSignKats) {
        INFO("msg=" << k.msg);
        const Bytes sk = decimal_to_le32(k.sk_decimal);
        auto pk = bls::public_key_from_private(sk);
        REQUIRE(pk.ok());
        CHECK(to_hex(*pk) == k.pk);
        auto sig = bls::sign(sk, as_bytes(k.msg));
        REQUIRE(sig.ok());
        CHECK(to_hex(*sig) == k.sig);
        auto v = bls::verify(hex(k.pk), as_bytes(k.msg), hex(k.sig));
        REQUIRE(v.ok());
        CHECK(*v);
    }
}

TEST_CASE("bls kat: hash-to-G2 (embedded)", "[unit][bls][kat]") {
    // bls-signatures: empty message with the Filecoin DST, and with an empty DST.
    auto h = bls::hash_to_g2({}, as_bytes(bls::kFilecoinDst));
    REQUIRE(h.ok());
    CHECK(to_hex(*h) ==
          "a8aab303e33ed14f4a904004a92bd26ffc969c1d1e7d4b7f0c04150a73e1845a911e51a2b2d369d5cef06560c5ac9f57"
          "15c01566993d4469805df3e1f29b536481a832bf2751b6908faed6776d062d585521889232999d72b679d6e38bb5cfff");
    auto h0 = bls::hash_to_g2({}, {});
    REQUIRE(h0.ok());
    CHECK(to_hex(*h0) ==
          "b69327b49c7c7fce572fe4be083716f8ad5d1c986c44120e81c9c6c036fd464845fe24ed38cfce93d0f4647719f1bb5e"
          "01787c847def4592cc54656c03328f2cef62da852b6cd61ccba1447e94c6a9725278487f28f3c719f24e298e9e093aa3");

    // RFC 9380 J.10.1, msg = "abc": u, Q0 and P.
    const std::string dst = "QUUX-V01-CS02-with-BLS12381G2_XMD:SHA-256_SSWU_RO_";
    d::Fp2 u[2];
    d::hash_to_field_fp2(u, as_bytes("abc"), as_bytes(dst));
    CHECK(fp2_hex(u[0]) ==
          "0x15f7c0aa8f6b296ab5ff9c2c7581ade64f4ee6f1bf18f55179ff44a2cf355fa53dd2a2158c5ecb17d7c52f63e7195771,"
          "0x01c8067bf4c0ba709aa8b9abc3d1cef589a4758e09ef53732d670fd8739a7274e111ba2fcaa71b3d33df2a3a0c8529dd");
    const d::G2Affine q0 = d::to_affine(d::map_to_curve_g2(u[0]));
    CHECK(fp2_hex(q0.x) ==
          "0x12b2e525281b5f4d2276954e84ac4f42cf4e13b6ac4228624e17760faf94ce5706d53f0ca1952f1c5ef75239aeed55ad,"
          "0x05d8a724db78e570e34100c0bc4a5fa84ad5839359b40398151f37cff5a51de945c563463c9efbdda569850ee5a53e77");
    const d::G2Affine p = d::to_affine(d::hash_to_g2(as_bytes("abc"), as_bytes(dst)));
    CHECK(fp2_hex(p.x) ==
          "0x02c2d18e033b960562aae3cab37a27ce00d80ccd5ba4b7fe0e7a210245129dbec7780ccc7954725f4168aff2787776e6,"
          "0x139cddbccdc5e91b9623efd38c49f81a6f83f175e80b06fc374de9eb4b41dfe4ca3a230ed250fbe3a2acf73a41177fd8");
    CHECK(fp2_hex(p.y) ==
          "0x1787327b68159716a37440985269cf584bcb1e621d3a7202be6ea05c4cfe244aeb197642555a0645fb87bf7466b2ba48,"
          "0x00aa65dae3c8d732d10ecd2c50f8a1baf3001578f71c694e03866e9f3d49ac1e1ce70dd94a733534f106d4cec0eddd16");

    // RFC 9380 K.1 expand_message_xmd(SHA-256), msg = "abc", len 0x20.
    auto x = bls::expand_message_xmd(as_bytes("abc"), as_bytes("QUUX-V01-CS02-with-expander-SHA256-128"), 32);
    REQUIRE(x.ok());
    CHECK(to_hex(*x) == "d8ccab23b5985ccea865c6c97b6e5b8350e794e603b4b97902f53a8a0d605615");
    CHECK_FALSE(bls::expand_message_xmd(as_bytes("abc"), as_bytes("d"), 8161).ok());
}

TEST_CASE("bls kat: Filecoin message signatures (embedded)", "[unit][bls][kat]") {
    // serialization-vectors message_signing.json: the key signs the message's CID bytes.
    const Bytes sk = hex("ba9d6da7623aa003eb4b28805b572103d528df60e23f2fa70dbe5297b057993d");
    const Bytes cid = hex("0171a0e4022085f14c26af4fee87f75ce11fb3f98f5bab2010992eaa52211c04ce677302cf40");
    auto sig = bls::sign(sk, cid);
    REQUIRE(sig.ok());
    CHECK(to_hex(*sig) ==
          "91f790edec90f91b378e0bf68a0876c391f8cfcfa56905edb60ebc43984fb1fd6f96e88e8d715610b4b51eb32a47bc5a"
          "0d1e90db28d72c3766c66f89b05afa30d4946dd0c1057b221fd693532c5cddc03d2e2e5067479dda4fe82873e1a5e0e1");

    // Zondax bls_wallet.json + bls_signature.json (signature over the CID of the given CBOR).
    const Bytes zsk = b64("0x7Y0GGX92MeWBF9mcWuR5EYPxe2dy60r8XIQOD31BI=");
    auto zpk = bls::public_key_from_private(zsk);
    REQUIRE(zpk.ok());
    CHECK(to_hex(*zpk) ==
          "ade28c91045e89a0dcdb49d5ed0d62a4f02d78a96dbd406a4f9d37a1cd2fb5c29058def79b01b4d1556ade74ffc07904");
    const Bytes cbor = hex(
        "8a005501fd1d0f4dfcd7e99afcb99a8326b7dc459d32c628583103ade28c91045e89a0dcdb49d5ed0d62a4f02d78a96dbd"
        "406a4f9d37a1cd2fb5c29058def79b01b4d1556ade74ffc079040144000186a01961a8430009c4430009c40040");
    Bytes zcid = {0x01, 0x71, 0xa0, 0xe4, 0x02, 0x20};
    std::uint8_t digest[32];
    crypto_generichash(digest, 32, cbor.data(), cbor.size(), nullptr, 0);
    zcid.insert(zcid.end(), digest, digest + 32);
    auto zsig = bls::sign(zsk, zcid);
    REQUIRE(zsig.ok());
    CHECK(to_hex(*zsig) ==
          "a3e507f89527472ad67ddd9bf555e8e745c284944cd855e2ed4b68660a325baacd4dfd93972af2c7e2d39ddc8a5ac37e"
          "0660ddc641cb7942ef5a31f3e62e83e006341f6a4b4f9c4cdddb0ba43031b4e9dc96d2b936b9050dccca9e95b8576653");
}

TEST_CASE("bls math: field, curve and pairing properties", "[unit][bls][math]") {
    // Generators are on their curves and in their subgroups; [r]G = O.
    const d::G1 g1 = d::g1_generator();
    const d::G2 g2 = d::g2_generator();
    CHECK(d::on_curve(d::to_affine(g1)));
    CHECK(d::on_curve(d::to_affine(g2)));
    CHECK(d::g1_in_subgroup(g1));
    CHECK(d::g2_in_subgroup(g2));
    const d::u64 r[4] = {0xffffffff00000001, 0x53bda402fffe5bfe, 0x3339d80809a1d805, 0x73eda753299d7d48};
    CHECK(d::is_identity(d::mul_ct(g1, r)));
    CHECK(d::is_identity(d::mul_ct(g2, r)));

    // Field: inverse, square root, Fp12 inverse.
    const d::Fp a = d::kG1GenX;
    CHECK(d::eq(d::mul(a, d::inv(a)), d::kFpOne));
    d::Fp s;
    REQUIRE(d::sqrt(s, d::sqr(a)));
    CHECK(d::eq(d::sqr(s), d::sqr(a)));
    d::Fp2 s2;
    REQUIRE(d::sqrt(s2, d::sqr(d::kG2GenY)));
    CHECK(d::eq(d::sqr(s2), d::sqr(d::kG2GenY)));

    // Group law: 2G = G + G, complete formulas handle doubling and the identity.
    CHECK(d::eq(d::add(g2, g2), d::dbl(g2)));
    CHECK(d::eq(d::add(g1, d::identity<d::Fp>()), g1));
    CHECK(d::is_identity(d::add(g1, d::neg(g1))));
    const d::u64 k5[4] = {5, 0, 0, 0};
    CHECK(d::eq(d::mul_ct(g2, k5), d::mul_u64_vartime(g2, 5)));

    // Bilinearity: e(aP, bQ) = e(abP, Q), checked as e(aP, bQ) * e(-abP, Q) == 1.
    const d::u64 ka[4] = {0x1234567890abcdef, 0x42, 0, 0};
    const d::u64 kb[4] = {0xfedcba0987654321, 0, 0x17, 0};
    // a*b as a 256-bit product (small enough not to wrap mod r)
    d::u64 kab[4] = {0, 0, 0, 0};
    for (int i = 0; i < 4; ++i) {
        d::u128 carry = 0;
        for (int j = 0; i + j < 4; ++j) {
            const d::u128 t = static_cast<d::u128>(ka[i]) * kb[j] + kab[i + j] + carry;
            kab[i + j] = static_cast<d::u64>(t);
            carry = t >> 64;
        }
    }
    const d::G1Affine ps[2] = {d::to_affine(d::mul_ct(g1, ka)), d::to_affine(d::neg(d::mul_ct(g1, kab)))};
    const d::G2Affine qs[2] = {d::to_affine(d::mul_ct(g2, kb)), d::to_affine(g2)};
    CHECK(d::pairing_product_is_one(ps, qs, 2));
    // ... and the pairing is not degenerate.
    CHECK_FALSE(d::pairing_product_is_one(ps, qs, 1));
    const d::Fp12 e = d::final_exponentiation(d::miller_loop(ps, qs, 1));
    CHECK_FALSE(d::eq(e, d::fp12_one()));
    CHECK(d::eq(d::mul(e, d::inv(e)), d::fp12_one()));
}

TEST_CASE("bls math: assembly and portable field arithmetic agree", "[unit][bls][math]") {
    // Pseudo-random reduced elements: powers of a generator coordinate.
    d::Fp2 x = d::kG2GenX, y = d::kG2GenY;
    const std::string initial = d::mont_mul_backend();
    for (int i = 0; i < 200; ++i) {
        REQUIRE(d::set_mont_mul_backend("portable"));
        const d::Fp2 m_port = d::mul(x, y), s_port = d::sqr(x);
        const d::Fp f_port = d::mul(x.c0, y.c1);
        // add/sub (inline assembly in optimized g++ builds) against the plain C++ versions.
        for (const d::Fp& u : {x.c0, x.c1, y.c0, y.c1, d::fp_zero(), d::neg(d::kFpOne)}) {
            for (const d::Fp& v : {x.c0, y.c1, u, d::fp_zero(), d::neg(d::kFpOne)}) {
                CHECK(d::eq(d::add(u, v), d::add_c(u, v)));
                CHECK(d::eq(d::sub(u, v), d::sub_c(u, v)));
            }
        }
        if (d::set_mont_mul_backend("adx")) {
            CHECK(d::eq(d::mul(x, y), m_port));
            CHECK(d::eq(d::mul(y, x), m_port));
            CHECK(d::eq(d::sqr(x), s_port));
            CHECK(d::eq(d::mul(x.c0, y.c1), f_port));
            CHECK(d::eq(d::sqr(x.c0), d::mul(x.c0, x.c0)));
            CHECK(d::eq(d::sqr(x.c1), d::mul(x.c1, x.c1)));
            const d::Fp twice = d::add_nr(x.c0, x.c1);  // unreduced input (< 2p)
            CHECK(d::eq(d::sqr(twice), d::mul(twice, twice)));
            // Lazy reduction: unreduced products agree limb for limb and reduce to the product.
            const d::Fp2x2 mx = d::mul_x2(x, y), sx = d::sqr_x2(x);
            CHECK(d::eq(d::redc(mx), m_port));
            CHECK(d::eq(d::redc(sx), s_port));
            CHECK(d::eq(d::redc(d::add(mx, sx)), d::add(m_port, s_port)));
            CHECK(d::eq(d::redc(d::sub(sx, mx)), d::sub(s_port, m_port)));
            CHECK(d::eq(d::redc(d::mul_xi(mx)), d::mul_xi(m_port)));
            REQUIRE(d::set_mont_mul_backend("portable"));
            const d::Fp2x2 mx_port = d::mul_x2(x, y), sx_port = d::sqr_x2(x);
            CHECK(std::equal(mx.c0, mx.c0 + 12, mx_port.c0));
            CHECK(std::equal(mx.c1, mx.c1 + 12, mx_port.c1));
            CHECK(std::equal(sx.c0, sx.c0 + 12, sx_port.c0));
            CHECK(std::equal(sx.c1, sx.c1 + 12, sx_port.c1));
            CHECK(d::eq(d::redc(mx), m_port));
            CHECK(d::eq(d::redc(sx), s_port));
            REQUIRE(d::set_mont_mul_backend("adx"));
            d::Fp2 alias = x;  // output aliasing an input
            alias = d::mul(alias, alias);
            CHECK(d::eq(alias, s_port));
        }
        // Edge values: 0, 1, p - 1 in either coordinate.
        if (i == 50) x = {d::fp_zero(), d::neg(d::kFpOne)};
        else if (i == 51) y = {d::neg(d::kFpOne), d::neg(d::kFpOne)};
        else if (i == 52) x = {d::kFpOne, d::fp_zero()};
        else {
            x = d::add(m_port, d::Fp2{d::kFpOne, d::fp_zero()});
            y = d::sub(s_port, y);
        }
    }
    REQUIRE(d::set_mont_mul_backend(initial.c_str()));
}

TEST_CASE("bls math: GLS scalar multiplication on G2 matches the plain ladder", "[unit][bls][math]") {
    const d::G2 g2 = d::g2_generator();
    const d::G2 h = d::hash_to_g2(hex("abcdef"), as_bytes(std::string_view(bls::kFilecoinDst)));
    const d::u64 scalars[][4] = {
        {0, 0, 0, 0},
        {1, 0, 0, 0},
        {0xd201000000010000, 0, 0, 0},  // z: the first digit boundary
        {0xd20100000000ffff, 0, 0, 0},
        {0xffffffff00000000, 0x53bda402fffe5bfe, 0x3339d80809a1d805, 0x73eda753299d7d48},  // r - 1
        {0xffffffff00000001, 0x53bda402fffe5bfe, 0x3339d80809a1d805, 0x73eda753299d7d48},  // r
        {0x0123456789abcdef, 0xfedcba9876543210, 0x0f1e2d3c4b5a6978, 0x1234567890abcdef},
        {0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff, 0x7fffffffffffffff},  // 2^255 - 1
    };
    for (const auto& k : scalars) {
        CHECK(d::eq(d::g2_mul_ct(g2, k), d::mul_ct(g2, k)));
        CHECK(d::eq(d::g2_mul_ct(h, k), d::mul_ct(h, k)));
    }
    CHECK(d::is_identity(d::g2_mul_ct(g2, scalars[5])));
}

TEST_CASE("bls math: multi-Miller loop (lines folded in pairs) equals the product of single pairings",
          "[unit][bls][math]") {
    d::G1Affine ps[5];
    d::G2Affine qs[5];
    for (int i = 0; i < 5; ++i) {
        const d::u64 a[4] = {0x9e3779b97f4a7c15ULL * static_cast<d::u64>(i + 1), 0, 0, 0};
        const d::u64 b[4] = {0xbf58476d1ce4e5b9ULL + static_cast<d::u64>(i), static_cast<d::u64>(i), 0, 0};
        ps[i] = d::to_affine(d::mul_ct(d::g1_generator(), a));
        qs[i] = d::to_affine(d::mul_ct(d::g2_generator(), b));
    }
    for (std::size_t n = 1; n <= 5; ++n) {
        d::Fp12 expect = d::fp12_one();
        for (std::size_t i = 0; i < n; ++i) {
            expect = d::mul(expect, d::final_exponentiation(d::miller_loop(&ps[i], &qs[i], 1)));
        }
        CHECK(d::eq(d::final_exponentiation(d::miller_loop(ps, qs, n)), expect));
    }
    // An infinite point among the pairs contributes 1 and shifts the pairing-up of the others.
    d::G2Affine qs_inf[3] = {qs[0], qs[1], qs[2]};
    qs_inf[1].infinity = true;
    const d::G1Affine ps3[3] = {ps[0], ps[1], ps[2]};
    const d::G1Affine ps2[2] = {ps[0], ps[2]};
    const d::G2Affine qs2[2] = {qs[0], qs[2]};
    CHECK(d::eq(d::final_exponentiation(d::miller_loop(ps3, qs_inf, 3)),
                d::final_exponentiation(d::miller_loop(ps2, qs2, 2))));
}
