// SPDX-License-Identifier: Apache-2.0 OR MIT
//! G1 (over Fp) and G2 (over Fp2, the M-twist) in homogeneous projective coordinates (x = X/Z,
//! y = Y/Z). Addition and doubling use the complete formulas of Renes-Costello-Batina (2016, a = 0),
//! so there are no special cases and no branches on the coordinates: the same code is constant time
//! for signing and correct for every input during verification.
#pragma once

#include <cstdint>

#include "constants.hpp"

namespace venus::crypto::bls::detail {

template <class F>
struct Proj {
    F x, y, z;
};
template <class F>
struct Affine {
    F x, y;
    bool infinity = false;
};
using G1 = Proj<Fp>;
using G2 = Proj<Fp2>;
using G1Affine = Affine<Fp>;
using G2Affine = Affine<Fp2>;

//! 3b * t by additions: 12 t on G1, 12 (1+u) t on G2 (a full multiplication costs more).
inline Fp mul_b3(const Fp& t) {
    const Fp t3 = add(dbl(t), t);
    return dbl(dbl(t3));
}
inline Fp2 mul_b3(const Fp2& t) {
    const Fp2 x = mul_xi(t);
    const Fp2 x3 = add(dbl(x), x);
    return dbl(dbl(x3));
}
inline const Fp& curve_b(const Fp&) { return kG1B; }
inline const Fp2& curve_b(const Fp2&) { return kG2B; }
inline Fp field_one(const Fp&) { return kFpOne; }
inline Fp2 field_one(const Fp2&) { return fp2_one(); }
inline Fp field_zero(const Fp&) { return fp_zero(); }
inline Fp2 field_zero(const Fp2&) { return fp2_zero(); }

template <class F>
Proj<F> identity() {
    const F z = field_zero(F{});
    return {z, field_one(F{}), z};
}
template <class F>
bool is_identity(const Proj<F>& p) {
    return is_zero(p.z);
}
template <class F>
Proj<F> from_affine(const Affine<F>& a) {
    if (a.infinity) return identity<F>();
    return {a.x, a.y, field_one(F{})};
}
template <class F>
Proj<F> neg(const Proj<F>& p) {
    return {p.x, neg(p.y), p.z};
}
template <class F>
Proj<F> select(bool c, const Proj<F>& a, const Proj<F>& b) {
    return {select(c, a.x, b.x), select(c, a.y, b.y), select(c, a.z, b.z)};
}

//! RCB Algorithm 7: complete addition for a = 0.
template <class F>
Proj<F> add(const Proj<F>& p, const Proj<F>& q) {
    F t0 = mul(p.x, q.x);
    F t1 = mul(p.y, q.y);
    F t2 = mul(p.z, q.z);
    F t3 = mul(add(p.x, p.y), add(q.x, q.y));
    F t4 = add(t0, t1);
    t3 = sub(t3, t4);
    t4 = mul(add(p.y, p.z), add(q.y, q.z));
    F x3 = add(t1, t2);
    t4 = sub(t4, x3);
    x3 = mul(add(p.x, p.z), add(q.x, q.z));
    F y3 = add(t0, t2);
    y3 = sub(x3, y3);
    x3 = dbl(t0);
    t0 = add(x3, t0);
    t2 = mul_b3(t2);
    F z3 = add(t1, t2);
    t1 = sub(t1, t2);
    y3 = mul_b3(y3);
    x3 = mul(t4, y3);
    t2 = mul(t3, t1);
    x3 = sub(t2, x3);
    y3 = mul(y3, t0);
    t1 = mul(t1, z3);
    y3 = add(t1, y3);
    t0 = mul(t0, t3);
    z3 = mul(z3, t4);
    z3 = add(z3, t0);
    return {x3, y3, z3};
}

//! RCB Algorithm 9: doubling for a = 0.
template <class F>
Proj<F> dbl(const Proj<F>& p) {
    F t0 = sqr(p.y);
    F z3 = dbl(dbl(dbl(t0)));
    F t1 = mul(p.y, p.z);
    F t2 = mul_b3(sqr(p.z));
    F x3 = mul(t2, z3);
    F y3 = add(t0, t2);
    z3 = mul(t1, z3);
    t1 = dbl(t2);
    t2 = add(t1, t2);
    t0 = sub(t0, t2);
    y3 = mul(t0, y3);
    y3 = add(x3, y3);
    t1 = mul(p.x, p.y);
    x3 = mul(t0, t1);
    x3 = dbl(x3);
    return {x3, y3, z3};
}

template <class F>
bool eq(const Proj<F>& p, const Proj<F>& q) {
    const bool pi = is_identity(p), qi = is_identity(q);
    if (pi || qi) return pi && qi;
    return eq(mul(p.x, q.z), mul(q.x, p.z)) && eq(mul(p.y, q.z), mul(q.y, p.z));
}

template <class F>
Affine<F> to_affine(const Proj<F>& p) {
    if (is_identity(p)) return {field_zero(F{}), field_zero(F{}), true};
    const F zi = inv(p.z);
    return {mul(p.x, zi), mul(p.y, zi), false};
}

//! y^2 = x^3 + b on affine coordinates.
template <class F>
bool on_curve(const Affine<F>& a) {
    if (a.infinity) return true;
    return eq(sqr(a.y), add(mul(sqr(a.x), a.x), curve_b(F{})));
}

//! Jacobian coordinates (x = X/Z^2, y = Y/Z^3) for variable-time multiplication by public scalars:
//! doubling costs 2M + 5S against 6M + 2S for the complete projective formula.
template <class F>
struct Jac {
    F x, y, z;
};

template <class F>
Jac<F> to_jac(const Proj<F>& p) {
    return {mul(p.x, p.z), mul(p.y, sqr(p.z)), p.z};
}
template <class F>
Proj<F> from_jac(const Jac<F>& p) {
    if (is_zero(p.z)) return identity<F>();
    return {mul(p.x, p.z), p.y, mul(sqr(p.z), p.z)};
}

//! dbl-2009-l (a = 0).
template <class F>
Jac<F> dbl(const Jac<F>& p) {
    const F a = sqr(p.x);
    const F b = sqr(p.y);
    const F c = sqr(b);
    const F d = dbl(sub(sub(sqr(add(p.x, b)), a), c));
    const F e = add(dbl(a), a);
    const F f = sqr(e);
    const F x3 = sub(f, dbl(d));
    const F y3 = sub(mul(e, sub(d, x3)), dbl(dbl(dbl(c))));
    const F z3 = dbl(mul(p.y, p.z));
    return {x3, y3, z3};
}

//! add-2007-bl with the special cases handled by branches (public data only).
template <class F>
Jac<F> add(const Jac<F>& p, const Jac<F>& q) {
    if (is_zero(p.z)) return q;
    if (is_zero(q.z)) return p;
    const F z1z1 = sqr(p.z);
    const F z2z2 = sqr(q.z);
    const F u1 = mul(p.x, z2z2);
    const F u2 = mul(q.x, z1z1);
    const F s1 = mul(mul(p.y, q.z), z2z2);
    const F s2 = mul(mul(q.y, p.z), z1z1);
    const F h = sub(u2, u1);
    const F r = dbl(sub(s2, s1));
    if (is_zero(h)) {
        if (is_zero(r)) return dbl(p);
        return {field_one(F{}), field_one(F{}), field_zero(F{})};
    }
    const F i = sqr(dbl(h));
    const F j = mul(h, i);
    const F v = mul(u1, i);
    const F x3 = sub(sub(sqr(r), j), dbl(v));
    const F y3 = sub(mul(r, sub(v, x3)), dbl(mul(s1, j)));
    const F z3 = mul(sub(sub(sqr(add(p.z, q.z)), z1z1), z2z2), h);
    return {x3, y3, z3};
}

//! [k]P for a public 64-bit k (subgroup checks and cofactor clearing use |x|).
template <class F>
Proj<F> mul_u64_vartime(const Proj<F>& p, u64 k) {
    const Jac<F> base = to_jac(p);
    Jac<F> r = base;
    if (k == 0) return identity<F>();
    int top = 63;
    while (((k >> top) & 1) == 0) --top;
    for (int i = top - 1; i >= 0; --i) {
        r = dbl(r);
        if ((k >> i) & 1) r = add(r, base);
    }
    return from_jac(r);
}

//! [k]P for a secret 256-bit scalar (little-endian limbs): 4-bit fixed window, every table entry is
//! read for every window, and the complete formulas never branch on the coordinates.
template <class F>
Proj<F> mul_ct(const Proj<F>& p, const u64 k[4]) {
    Proj<F> table[16];
    table[0] = identity<F>();
    table[1] = p;
    for (int i = 2; i < 16; ++i) table[i] = (i % 2 == 0) ? dbl(table[i / 2]) : add(table[i - 1], p);
    Proj<F> r = identity<F>();
    for (int w = 63; w >= 0; --w) {
        r = dbl(dbl(dbl(dbl(r))));
        const unsigned nib = static_cast<unsigned>((k[w / 16] >> (4 * (w % 16))) & 0xf);
        Proj<F> t = table[0];
        for (unsigned j = 1; j < 16; ++j) t = select(j == nib, t, table[j]);
        r = add(r, t);
    }
    return r;
}

// ---- group-specific maps (curve.cpp) -----------------------------------------------------------

G1 g1_generator();
G2 g2_generator();
//! P in G1 iff sigma(P) == [-x^2] P (Scott 2021); the identity passes.
bool g1_in_subgroup(const G1& p);
//! psi(P) == [x] P characterises G2 on the twist (Scott 2021).
bool g2_in_subgroup(const G2& p);
G2 psi(const G2& p);
G2 psi2(const G2& p);
//! [k]P for P in G2 and a secret k < 2^255 (private keys are < r): constant time like mul_ct, on the
//! four-dimensional GLS decomposition of k along psi (64 doublings and 64 additions).
G2 g2_mul_ct(const G2& p, const u64 k[4]);
//! h_eff multiplication of RFC 9380 (Budroni-Pintore via psi).
G2 clear_cofactor(const G2& p);

//! Zcash compressed encodings. Decoders check flags, canonical coordinates, the curve equation
//! (through the square root) and, when asked, the subgroup; they return a reason on failure.
void g1_compress(std::uint8_t out[48], const G1& p);
void g2_compress(std::uint8_t out[96], const G2& p);
enum class DecodeError { kOk, kLength, kFlags, kNonCanonical, kNotOnCurve, kNotInSubgroup };
DecodeError g1_decompress(G1Affine& out, const std::uint8_t in[48], bool check_subgroup = true);
DecodeError g2_decompress(G2Affine& out, const std::uint8_t in[96], bool check_subgroup = true);
const char* describe(DecodeError e);

}  // namespace venus::crypto::bls::detail
