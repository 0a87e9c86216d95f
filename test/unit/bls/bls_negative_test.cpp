// SPDX-License-Identifier: Apache-2.0 OR MIT
// Hostile and malformed inputs: every one gives a clear error or `false`, never a crash or a pass.
#include "bls_test_util.hpp"
#include "curve.hpp"
#include "venus/crypto/bls.hpp"

using namespace venus;
using namespace venus::test::bls;
namespace bls = venus::crypto::bls;
namespace d = venus::crypto::bls::detail;

namespace {

const Bytes kSk = *from_hex("ba9d6da7623aa003eb4b28805b572103d528df60e23f2fa70dbe5297b057993d");

bool verifies(BytesView pk, BytesView msg, BytesView sig) {
    auto r = bls::verify(pk, msg, sig);
    return r.ok() && *r;
}

bool message_contains(const Error& e, std::string_view what) {
    return e.message.find(what) != std::string::npos;
}

//! A 48-byte compressed G1 encoding of x (small integer) with the given flag byte.
Bytes g1_encoding(std::uint8_t x, std::uint8_t flags = 0x80) {
    Bytes b(48, 0);
    b[47] = x;
    b[0] |= flags;
    return b;
}

}  // namespace

TEST_CASE("bls negative: tampered signature, key or message", "[unit][bls][negative]") {
    const std::string_view text = "a message";
    const Bytes msg(text.begin(), text.end());
    auto pk = bls::public_key_from_private(kSk);
    auto sig = bls::sign(kSk, msg);
    REQUIRE(pk.ok());
    REQUIRE(sig.ok());
    CHECK(verifies(*pk, msg, *sig));

    Bytes other_msg = msg;
    other_msg.back() ^= 1;
    CHECK_FALSE(verifies(*pk, other_msg, *sig));

    // A different (valid) key.
    Bytes sk2 = kSk;
    sk2[0] ^= 1;
    auto pk2 = bls::public_key_from_private(sk2);
    REQUIRE(pk2.ok());
    auto v = bls::verify(*pk2, msg, *sig);
    REQUIRE(v.ok());
    CHECK_FALSE(*v);

    // Flipped bits anywhere in the signature or key: either undecodable or not valid.
    for (std::size_t i : {0UL, 1UL, 20UL, 47UL, 48UL, 95UL}) {
        Bytes s = Bytes(sig->begin(), sig->end());
        s[i] ^= 0x04;
        CHECK_FALSE(verifies(*pk, msg, s));
    }
    for (std::size_t i : {0UL, 5UL, 47UL}) {
        Bytes p(pk->begin(), pk->end());
        p[i] ^= 0x02;
        CHECK_FALSE(verifies(p, msg, *sig));
    }
    // Another valid signature (other message) does not verify this message.
    auto sig_other = bls::sign(kSk, other_msg);
    REQUIRE(sig_other.ok());
    CHECK_FALSE(verifies(*pk, msg, *sig_other));
}

TEST_CASE("bls negative: the point at infinity as a public key is refused", "[unit][bls][negative]") {
    Bytes inf(48, 0);
    inf[0] = 0xc0;
    auto pk = bls::PublicKey::from_bytes(inf);
    REQUIRE(pk.ok());  // it decodes...
    CHECK(pk->is_infinity());
    const Bytes msg = {1, 2, 3};
    auto r = bls::verify(inf, msg, bls::empty_aggregate());
    REQUIRE_FALSE(r.ok());  // ...but never verifies, even against the infinity signature
    CHECK(message_contains(r.error(), "infinity"));
    auto sig = bls::Signature::from_bytes(bls::empty_aggregate());
    REQUIRE(sig.ok());
    CHECK_FALSE(bls::verify(*pk, msg, *sig));
    const BytesView msgs[] = {msg};
    const bls::PublicKey pks[] = {*pk};
    CHECK_FALSE(bls::aggregate_verify(pks, msgs, *sig));

    // The zero private key (accepted, as bls-signatures does) yields exactly that key.
    auto zero_pk = bls::public_key_from_private(Bytes(32, 0));
    REQUIRE(zero_pk.ok());
    CHECK(to_hex(*zero_pk) == to_hex(inf));
}

TEST_CASE("bls negative: flag bits, lengths and non-canonical coordinates", "[unit][bls][negative]") {
    auto pk = bls::public_key_from_private(kSk);
    REQUIRE(pk.ok());
    Bytes good(pk->begin(), pk->end());

    Bytes uncompressed = good;
    uncompressed[0] &= 0x7f;
    auto r = bls::PublicKey::from_bytes(uncompressed);
    REQUIRE_FALSE(r.ok());
    CHECK(message_contains(r.error(), "flag"));

    Bytes inf_with_sign(48, 0);
    inf_with_sign[0] = 0xe0;
    CHECK_FALSE(bls::PublicKey::from_bytes(inf_with_sign).ok());
    Bytes inf_with_data(48, 0);
    inf_with_data[0] = 0xc0;
    inf_with_data[47] = 1;
    CHECK_FALSE(bls::PublicKey::from_bytes(inf_with_data).ok());
    Bytes sig_inf_with_data(96, 0);
    sig_inf_with_data[0] = 0xc0;
    sig_inf_with_data[50] = 1;
    CHECK_FALSE(bls::Signature::from_bytes(sig_inf_with_data).ok());

    CHECK_FALSE(bls::PublicKey::from_bytes(BytesView(good).first(47)).ok());
    Bytes longer = good;
    longer.push_back(0);
    auto rl = bls::PublicKey::from_bytes(longer);
    REQUIRE_FALSE(rl.ok());
    CHECK(message_contains(rl.error(), "expected 48 bytes"));
    CHECK_FALSE(bls::Signature::from_bytes(Bytes(95, 0)).ok());
    CHECK_FALSE(bls::verify(good, {}, Bytes(97, 0)).ok());

    // x = p (not canonical): the compressed flag on p's big-endian bytes.
    Bytes x_is_p = hex("1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab");
    x_is_p[0] |= 0x80;
    auto rp = bls::PublicKey::from_bytes(x_is_p);
    REQUIRE_FALSE(rp.ok());
    CHECK(message_contains(rp.error(), "canonical"));
    // Same for a signature coordinate (c0 = p).
    Bytes sig_p(96, 0);
    sig_p[0] = 0x80;
    std::copy(x_is_p.begin() + 1, x_is_p.end(), sig_p.begin() + 49);
    sig_p[48] = 0x1a;
    auto rsp = bls::Signature::from_bytes(sig_p);
    REQUIRE_FALSE(rsp.ok());
    CHECK(message_contains(rsp.error(), "canonical"));
}

TEST_CASE("bls negative: points off the curve or outside the subgroup", "[unit][bls][negative]") {
    bool off_curve_g1 = false, off_group_g1 = false;
    for (int x = 1; x < 64 && !(off_curve_g1 && off_group_g1); ++x) {
        auto r = bls::PublicKey::from_bytes(g1_encoding(static_cast<std::uint8_t>(x)));
        REQUIRE_FALSE(r.ok());  // no small x is a G1 point
        off_curve_g1 |= message_contains(r.error(), "not on the curve");
        off_group_g1 |= message_contains(r.error(), "subgroup");
    }
    CHECK(off_curve_g1);
    CHECK(off_group_g1);

    bool off_curve_g2 = false, off_group_g2 = false;
    for (int x = 1; x < 64 && !(off_curve_g2 && off_group_g2); ++x) {
        Bytes b(96, 0);
        b[0] = 0x80;
        b[95] = static_cast<std::uint8_t>(x);  // x = x + 0 u
        auto r = bls::Signature::from_bytes(b);
        REQUIRE_FALSE(r.ok());
        off_curve_g2 |= message_contains(r.error(), "not on the curve");
        off_group_g2 |= message_contains(r.error(), "subgroup");
        // And the verify path reports it instead of answering.
        auto pk = bls::public_key_from_private(kSk);
        CHECK_FALSE(bls::verify(*pk, {}, b).ok());
    }
    CHECK(off_curve_g2);
    CHECK(off_group_g2);
}

TEST_CASE("bls negative: private keys", "[unit][bls][negative]") {
    CHECK_FALSE(bls::PrivateKey::from_bytes(Bytes(31, 1)).ok());
    CHECK_FALSE(bls::PrivateKey::from_bytes(Bytes(33, 1)).ok());
    // r itself (little-endian) is rejected, r - 1 accepted: keys are not reduced, as in bls-signatures.
    Bytes r_le = hex("01000000fffffffffe5bfeff02a4bd5305d8a10908d83933487d9d2953a7ed73");
    auto kr = bls::PrivateKey::from_bytes(r_le);
    REQUIRE_FALSE(kr.ok());
    CHECK(message_contains(kr.error(), "group order"));
    r_le[0] = 0;
    CHECK(bls::PrivateKey::from_bytes(r_le).ok());
    CHECK_FALSE(bls::PrivateKey::from_bytes(Bytes(32, 0xff)).ok());
    auto k = bls::PrivateKey::generate();
    REQUIRE(k.ok());
    auto round = bls::PrivateKey::from_bytes(k->to_bytes());
    REQUIRE(round.ok());
    CHECK(round->public_key() == k->public_key());
}

TEST_CASE("bls negative: aggregates", "[unit][bls][negative]") {
    CHECK(to_hex(bls::empty_aggregate()) == "c0" + std::string(190, '0'));
    auto agg0 = bls::aggregate(std::span<const BytesView>{});
    REQUIRE(agg0.ok());
    CHECK(*agg0 == bls::empty_aggregate());

    std::vector<Bytes> sks, msgs;
    std::vector<bls::PublicKeyBytes> pks;
    std::vector<bls::SignatureBytes> sigs;
    for (int i = 0; i < 4; ++i) {
        Bytes sk = kSk;
        sk[5] = static_cast<std::uint8_t>(i);
        sks.push_back(sk);
        msgs.push_back(Bytes{static_cast<std::uint8_t>(i), 7, 7});
        pks.push_back(*bls::public_key_from_private(sk));
        sigs.push_back(*bls::sign(sk, msgs.back()));
    }
    std::vector<BytesView> pkv(pks.begin(), pks.end()), msgv(msgs.begin(), msgs.end()),
        sigv(sigs.begin(), sigs.end());
    auto agg = bls::aggregate(sigv);
    REQUIRE(agg.ok());
    auto ok = bls::aggregate_verify(pkv, msgv, *agg);
    REQUIRE(ok.ok());
    CHECK(*ok);

    // Missing one signature, swapped message, duplicate messages, mismatched lists.
    auto agg3 = bls::aggregate(std::span<const BytesView>(sigv).first(3));
    REQUIRE(agg3.ok());
    CHECK_FALSE(*bls::aggregate_verify(pkv, msgv, *agg3));
    std::vector<BytesView> swapped = msgv;
    std::swap(swapped[0], swapped[1]);
    CHECK_FALSE(*bls::aggregate_verify(pkv, swapped, *agg));
    std::vector<BytesView> dup = msgv;
    dup[1] = dup[0];
    auto rd = bls::aggregate_verify(pkv, dup, *agg);
    REQUIRE_FALSE(rd.ok());
    CHECK(message_contains(rd.error(), "distinct"));
    CHECK_FALSE(bls::aggregate_verify(std::span<const BytesView>(pkv).first(3), msgv, *agg).ok());
    CHECK_FALSE(bls::aggregate_verify(std::span<const BytesView>{}, std::span<const BytesView>{}, *agg).ok());
    // A bad signature inside the list names its index.
    Bytes bad(96, 0);
    bad[0] = 0x80;
    bad[95] = 1;
    sigv[2] = bad;
    auto rb = bls::aggregate(sigv);
    REQUIRE_FALSE(rb.ok());
    CHECK(message_contains(rb.error(), "signature 2"));
}
