// SPDX-License-Identifier: Apache-2.0 OR MIT
// Endomorphisms, subgroup checks, cofactor clearing and the zcash point encodings.
#include "curve.hpp"

#include <cstring>

namespace venus::crypto::bls::detail {

G1 g1_generator() { return {kG1GenX, kG1GenY, kFpOne}; }
G2 g2_generator() { return {kG2GenX, kG2GenY, fp2_one()}; }

bool g1_in_subgroup(const G1& p) {
    const G1 sigma{mul(p.x, kBeta), p.y, p.z};
    const G1 q = mul_u64_vartime(mul_u64_vartime(p, kXAbs), kXAbs);  // [x^2]P
    return eq(sigma, neg(q));
}

G2 psi(const G2& p) { return {mul(conj(p.x), kPsiX), mul(conj(p.y), kPsiY), conj(p.z)}; }

G2 psi2(const G2& p) { return {mul_fp(p.x, kPsi2X), neg(p.y), p.z}; }

bool g2_in_subgroup(const G2& p) {
    // x is negative: [x]P = -[|x|]P.
    return eq(psi(p), neg(mul_u64_vartime(p, kXAbs)));
}

namespace {
//! n = q z + rem for z = |x| (>= 2^63) and a secret n: restoring division, one quotient bit per step,
//! with no branch and no divide instruction on n (hardware division takes data-dependent time).
u64 div_by_z_ct(u64 q[4], const u64 n[4]) {
    u64 rem = 0;  // always < z
    for (int i = 0; i < 4; ++i) q[i] = 0;
    for (int i = 255; i >= 0; --i) {
        const u64 bit = (n[i / 64] >> (i % 64)) & 1;
        const u64 hi = rem >> 63;  // t = 2 rem + bit = hi 2^64 + lo < 2z
        const u64 lo = (rem << 1) | bit;
        u64 diff;
        const u64 borrow = subborrow(0, lo, kXAbs, &diff);
        const u64 ge = hi | (borrow ^ 1);  // t >= z
        rem = lo - (kXAbs & (0 - ge));     // t - z < z fits in 64 bits, so mod 2^64 is exact
        q[i / 64] |= ge << (i % 64);
    }
    return rem;
}
}  // namespace

G2 g2_mul_ct(const G2& p, const u64 k[4]) {
    // psi acts on G2 as [x] = [-z]: with k = k0 + k1 z + k2 z^2 + k3 z^3 (0 <= ki < 2^64),
    // [k]P = [k0]P + [k1](-psi P) + [k2](psi^2 P) + [k3](-psi^3 P): 64 doublings instead of 256.
    u64 digits[4], q1[4], q2[4], q3[4];
    digits[0] = div_by_z_ct(q1, k);
    digits[1] = div_by_z_ct(q2, q1);
    digits[2] = div_by_z_ct(q3, q2);
    digits[3] = q3[0];  // k < 2^255 < 2^64 z^3, so q3 is a single limb
    const G2 b0 = p;
    const G2 b2 = psi2(p);
    const G2 b1 = neg(psi(p));
    const G2 b3 = neg(psi(b2));
    // table[j] = sum of b_i over the set bits i of j (complete additions: no special cases).
    G2 table[16];
    table[0] = identity<Fp2>();
    table[1] = b0;
    table[2] = b1;
    table[4] = b2;
    table[8] = b3;
    for (int j = 3; j < 16; ++j) {
        const int low = j & -j;
        if (low != j) table[j] = add(table[j - low], table[low]);
    }
    G2 r = identity<Fp2>();
    for (int i = 63; i >= 0; --i) {
        r = dbl(r);
        const unsigned idx = static_cast<unsigned>(((digits[0] >> i) & 1) | (((digits[1] >> i) & 1) << 1) |
                                                   (((digits[2] >> i) & 1) << 2) | (((digits[3] >> i) & 1) << 3));
        G2 t = table[0];
        for (unsigned j = 1; j < 16; ++j) t = select(j == idx, t, table[j]);
        r = add(r, t);
    }
    return r;
}

G2 clear_cofactor(const G2& p) {
    // RFC 9380 G.3: [x^2 - x - 1]P + [x - 1]psi(P) + psi^2(2P), with c1 = x.
    const G2 t1 = neg(mul_u64_vartime(p, kXAbs));  // [x]P
    G2 t2 = psi(p);
    G2 t3 = psi2(dbl(p));
    t3 = add(t3, neg(t2));
    t2 = add(t1, t2);
    t2 = neg(mul_u64_vartime(t2, kXAbs));
    t3 = add(t3, t2);
    t3 = add(t3, neg(t1));
    return add(t3, neg(p));
}

// ---- encodings ----------------------------------------------------------------------------------

namespace {
constexpr std::uint8_t kFlagCompressed = 0x80;
constexpr std::uint8_t kFlagInfinity = 0x40;
constexpr std::uint8_t kFlagSign = 0x20;

bool rest_is_zero(const std::uint8_t* in, std::size_t n) {
    std::uint8_t acc = static_cast<std::uint8_t>(in[0] & 0x1f);
    for (std::size_t i = 1; i < n; ++i) acc |= in[i];
    return acc == 0;
}
}  // namespace

void g1_compress(std::uint8_t out[48], const G1& p) {
    if (is_identity(p)) {
        std::memset(out, 0, 48);
        out[0] = kFlagCompressed | kFlagInfinity;
        return;
    }
    const G1Affine a = to_affine(p);
    fp_to_bytes(out, a.x);
    out[0] |= kFlagCompressed;
    if (lexicographically_largest(a.y)) out[0] |= kFlagSign;
}

void g2_compress(std::uint8_t out[96], const G2& p) {
    if (is_identity(p)) {
        std::memset(out, 0, 96);
        out[0] = kFlagCompressed | kFlagInfinity;
        return;
    }
    const G2Affine a = to_affine(p);
    fp_to_bytes(out, a.x.c1);  // zcash order: c1 first
    fp_to_bytes(out + 48, a.x.c0);
    out[0] |= kFlagCompressed;
    if (lexicographically_largest(a.y)) out[0] |= kFlagSign;
}

DecodeError g1_decompress(G1Affine& out, const std::uint8_t in[48], bool check_subgroup) {
    const std::uint8_t flags = in[0];
    if ((flags & kFlagCompressed) == 0) return DecodeError::kFlags;
    if (flags & kFlagInfinity) {
        if ((flags & kFlagSign) || !rest_is_zero(in, 48)) return DecodeError::kFlags;
        out = {fp_zero(), fp_zero(), true};
        return DecodeError::kOk;
    }
    std::uint8_t buf[48];
    std::memcpy(buf, in, 48);
    buf[0] &= 0x1f;
    Fp x;
    if (!fp_from_bytes(x, buf)) return DecodeError::kNonCanonical;
    Fp y;
    if (!sqrt(y, add(mul(sqr(x), x), kG1B))) return DecodeError::kNotOnCurve;
    if (lexicographically_largest(y) != ((flags & kFlagSign) != 0)) y = neg(y);
    out = {x, y, false};
    if (check_subgroup && !g1_in_subgroup(from_affine(out))) return DecodeError::kNotInSubgroup;
    return DecodeError::kOk;
}

DecodeError g2_decompress(G2Affine& out, const std::uint8_t in[96], bool check_subgroup) {
    const std::uint8_t flags = in[0];
    if ((flags & kFlagCompressed) == 0) return DecodeError::kFlags;
    if (flags & kFlagInfinity) {
        if ((flags & kFlagSign) || !rest_is_zero(in, 96)) return DecodeError::kFlags;
        out = {fp2_zero(), fp2_zero(), true};
        return DecodeError::kOk;
    }
    std::uint8_t buf[48];
    std::memcpy(buf, in, 48);
    buf[0] &= 0x1f;
    Fp2 x;
    if (!fp_from_bytes(x.c1, buf) || !fp_from_bytes(x.c0, in + 48)) return DecodeError::kNonCanonical;
    Fp2 y;
    if (!sqrt(y, add(mul(sqr(x), x), kG2B))) return DecodeError::kNotOnCurve;
    if (lexicographically_largest(y) != ((flags & kFlagSign) != 0)) y = neg(y);
    out = {x, y, false};
    if (check_subgroup && !g2_in_subgroup(from_affine(out))) return DecodeError::kNotInSubgroup;
    return DecodeError::kOk;
}

const char* describe(DecodeError e) {
    switch (e) {
        case DecodeError::kOk: return "ok";
        case DecodeError::kLength: return "wrong length";
        case DecodeError::kFlags: return "bad flag bits (not a compressed point, or a malformed infinity)";
        case DecodeError::kNonCanonical: return "coordinate is not a canonical field element (>= p)";
        case DecodeError::kNotOnCurve: return "point is not on the curve";
        case DecodeError::kNotInSubgroup: return "point is not in the prime-order subgroup";
    }
    return "unknown";
}

}  // namespace venus::crypto::bls::detail
