// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The extension tower: Fp2 = Fp[u]/(u^2+1), Fp6 = Fp2[v]/(v^3-xi) with xi = 1+u,
//! Fp12 = Fp6[w]/(w^2-v). Hot operations are inline so the pairing code compiles into straight lines.
#pragma once

#include "fp.hpp"

namespace venus::crypto::bls::detail {

struct Fp2 {
    Fp c0, c1;
};
struct Fp6 {
    Fp2 c0, c1, c2;
};
struct Fp12 {
    Fp6 c0, c1;
};

// ---- Fp2 ----------------------------------------------------------------------------------------

constexpr Fp2 fp2_zero() { return Fp2{fp_zero(), fp_zero()}; }
constexpr Fp2 fp2_one() { return Fp2{kFpOne, fp_zero()}; }

//! Logical AND of every flag without short-circuit branches, so comparisons take the same path whatever
//! the values (constant time); `&&` would branch, and `&` on bools trips clang's -Wbitwise-instead-of-logical.
template <typename... B>
inline bool all_of(B... flags) {
    return ((static_cast<unsigned>(flags)) & ...) != 0;
}

inline Fp2 add(const Fp2& a, const Fp2& b) { return {add(a.c0, b.c0), add(a.c1, b.c1)}; }
inline Fp2 sub(const Fp2& a, const Fp2& b) { return {sub(a.c0, b.c0), sub(a.c1, b.c1)}; }
inline Fp2 dbl(const Fp2& a) { return {dbl(a.c0), dbl(a.c1)}; }
inline Fp2 neg(const Fp2& a) { return {neg(a.c0), neg(a.c1)}; }
inline Fp2 conj(const Fp2& a) { return {a.c0, neg(a.c1)}; }
inline bool is_zero(const Fp2& a) { return all_of(is_zero(a.c0), is_zero(a.c1)); }
inline bool eq(const Fp2& a, const Fp2& b) { return all_of(eq(a.c0, b.c0), eq(a.c1, b.c1)); }
inline Fp2 select(bool c, const Fp2& a, const Fp2& b) {
    return {select(c, a.c0, b.c0), select(c, a.c1, b.c1)};
}

inline u64* limbs(Fp2& a) { return a.c0.l; }  // c0 then c1: 12 contiguous limbs
inline const u64* limbs(const Fp2& a) { return a.c0.l; }

//! Karatsuba; the portable version (field.cpp) uses 3 Montgomery products on unreduced sums (< 2p,
//! see mont_mul_portable), the assembly 3 double-width products and 2 reductions.
inline Fp2 mul(const Fp2& a, const Fp2& b) {
    Fp2 r;
    g_fp2_mul.load(std::memory_order_relaxed)(limbs(r), limbs(a), limbs(b));
    return r;
}

//! (a0 + a1 u)^2 = (a0+a1)(a0-a1) + 2 a0 a1 u: 2 Fp multiplications.
inline Fp2 sqr(const Fp2& a) {
    Fp2 r;
    g_fp2_sqr.load(std::memory_order_relaxed)(limbs(r), limbs(a));
    return r;
}

//! a + b without reduction (< 2p): only as input to mul_x2.
inline Fp2 add_nr(const Fp2& a, const Fp2& b) { return {add_nr(a.c0, b.c0), add_nr(a.c1, b.c1)}; }

// ---- lazy reduction: Fp2 products kept double-width ---------------------------------------------

//! An unreduced Fp2 product: two 768-bit coefficients, each kept in [0, p 2^384) (sums and
//! differences are reduced modulo p 2^384, which is 0 mod p), so one Montgomery reduction per
//! coefficient finishes any sum of products.
struct Fp2x2 {
    u64 c0[12], c1[12];
};

inline Fp2x2 mul_x2(const Fp2& a, const Fp2& b) {  //!< inputs < 2p
    Fp2x2 r;
    g_fp2_mul_x2.load(std::memory_order_relaxed)(r.c0, limbs(a), limbs(b));
    return r;
}
inline Fp2x2 sqr_x2(const Fp2& a) {  //!< input < p
    Fp2x2 r;
    g_fp2_sqr_x2.load(std::memory_order_relaxed)(r.c0, limbs(a));
    return r;
}
inline Fp2 redc(const Fp2x2& t) {
    Fp2 r;
    g_fp2_redc.load(std::memory_order_relaxed)(limbs(r), t.c0);
    return r;
}

//! (a + b) mod p 2^384 on 12 limbs; p 2^384 has six zero low limbs, so only the high half is compared.
inline void add_pr(u64 r[12], const u64 a[12], const u64 b[12]) {
    u64 s[12], t[6];
    unsigned char c = 0;
    for (int i = 0; i < 12; ++i) c = addcarry(c, a[i], b[i], &s[i]);
    unsigned char bo = 0;
    for (int i = 0; i < 6; ++i) bo = subborrow(bo, s[6 + i], kP[i], &t[i]);
    const u64 keep = 0 - static_cast<u64>(bo);  // s < p 2^384
    for (int i = 0; i < 6; ++i) r[i] = s[i];
    for (int i = 0; i < 6; ++i) r[6 + i] = (s[6 + i] & keep) | (t[i] & ~keep);
}
//! (a - b) mod p 2^384 on 12 limbs.
inline void sub_pr(u64 r[12], const u64 a[12], const u64 b[12]) {
    u64 d[12];
    unsigned char bo = 0;
    for (int i = 0; i < 12; ++i) bo = subborrow(bo, a[i], b[i], &d[i]);
    const u64 mask = 0 - static_cast<u64>(bo);
    u64 pm[6];
    for (int i = 0; i < 6; ++i) pm[i] = kP[i] & mask;
    unsigned char c = 0;
    for (int i = 0; i < 6; ++i) c = addcarry(c, d[6 + i], pm[i], &d[6 + i]);
    for (int i = 0; i < 12; ++i) r[i] = d[i];
}
inline Fp2x2 add(const Fp2x2& a, const Fp2x2& b) {
    Fp2x2 r;
    add_pr(r.c0, a.c0, b.c0);
    add_pr(r.c1, a.c1, b.c1);
    return r;
}
inline Fp2x2 sub(const Fp2x2& a, const Fp2x2& b) {
    Fp2x2 r;
    sub_pr(r.c0, a.c0, b.c0);
    sub_pr(r.c1, a.c1, b.c1);
    return r;
}
inline Fp2x2 mul_xi(const Fp2x2& a) {  //!< a (1 + u)
    Fp2x2 r;
    sub_pr(r.c0, a.c0, a.c1);
    add_pr(r.c1, a.c0, a.c1);
    return r;
}

inline Fp2 mul_fp(const Fp2& a, const Fp& b) { return {mul(a.c0, b), mul(a.c1, b)}; }

//! a * xi = a * (1 + u) = (a0 - a1) + (a0 + a1) u.
inline Fp2 mul_xi(const Fp2& a) { return {sub(a.c0, a.c1), add(a.c0, a.c1)}; }

Fp2 inv(const Fp2& a);
//! Square root in Fp2; false when a is not a square.
bool sqrt(Fp2& out, const Fp2& a);
//! The same, given alpha with alpha^2 = a0^2 + a1^2 (the norm's root) and a1 != 0: one exponentiation.
Fp2 sqrt_with_norm_root(const Fp2& a, const Fp& alpha);
inline Fp norm(const Fp2& a) { return add(sqr(a.c0), sqr(a.c1)); }
bool is_square(const Fp2& a);
//! The zcash "sign": c1 > (p-1)/2, or c1 == 0 and c0 > (p-1)/2.
bool lexicographically_largest(const Fp2& a);
bool sgn0(const Fp2& a);  //!< RFC 9380 sgn0 for m = 2

// ---- Fp6 ----------------------------------------------------------------------------------------

inline Fp6 add(const Fp6& a, const Fp6& b) { return {add(a.c0, b.c0), add(a.c1, b.c1), add(a.c2, b.c2)}; }
inline Fp6 sub(const Fp6& a, const Fp6& b) { return {sub(a.c0, b.c0), sub(a.c1, b.c1), sub(a.c2, b.c2)}; }
inline Fp6 neg(const Fp6& a) { return {neg(a.c0), neg(a.c1), neg(a.c2)}; }
inline Fp6 fp6_zero() { return {fp2_zero(), fp2_zero(), fp2_zero()}; }
inline Fp6 fp6_one() { return {fp2_one(), fp2_zero(), fp2_zero()}; }
inline bool eq(const Fp6& a, const Fp6& b) { return all_of(eq(a.c0, b.c0), eq(a.c1, b.c1), eq(a.c2, b.c2)); }
inline bool is_zero(const Fp6& a) { return all_of(is_zero(a.c0), is_zero(a.c1), is_zero(a.c2)); }

//! a * v: (c0 + c1 v + c2 v^2) v = xi c2 + c0 v + c1 v^2.
inline Fp6 mul_v(const Fp6& a) { return {mul_xi(a.c2), a.c0, a.c1}; }

struct Fp6x2 {
    Fp2x2 c0, c1, c2;
};
inline Fp6 redc(const Fp6x2& a) { return {redc(a.c0), redc(a.c1), redc(a.c2)}; }

//! Karatsuba over the cubic extension: 6 double-width Fp2 products, 6 Montgomery reductions.
inline Fp6x2 mul_x2(const Fp6& a, const Fp6& b) {
    const Fp2x2 t0 = mul_x2(a.c0, b.c0);
    const Fp2x2 t1 = mul_x2(a.c1, b.c1);
    const Fp2x2 t2 = mul_x2(a.c2, b.c2);
    const Fp2x2 m12 = sub(sub(mul_x2(add_nr(a.c1, a.c2), add_nr(b.c1, b.c2)), t1), t2);
    const Fp2x2 m01 = sub(sub(mul_x2(add_nr(a.c0, a.c1), add_nr(b.c0, b.c1)), t0), t1);
    const Fp2x2 m02 = sub(sub(mul_x2(add_nr(a.c0, a.c2), add_nr(b.c0, b.c2)), t0), t2);
    return {add(mul_xi(m12), t0), add(m01, mul_xi(t2)), add(m02, t1)};
}
inline Fp6 mul(const Fp6& a, const Fp6& b) { return redc(mul_x2(a, b)); }

//! Chung-Hasan SQR2.
inline Fp6 sqr(const Fp6& a) {
    const Fp2 s0 = sqr(a.c0);
    const Fp2 s1 = dbl(mul(a.c0, a.c1));
    const Fp2 s2 = sqr(add(sub(a.c0, a.c1), a.c2));
    const Fp2 s3 = dbl(mul(a.c1, a.c2));
    const Fp2 s4 = sqr(a.c2);
    return {add(mul_xi(s3), s0), add(mul_xi(s4), s1), sub(sub(add(add(s1, s2), s3), s0), s4)};
}

//! a * (b0 + b1 v): 5 Fp2 multiplications (line functions are sparse).
inline Fp6 mul_by_01(const Fp6& a, const Fp2& b0, const Fp2& b1) {
    const Fp2 t0 = mul(a.c0, b0);
    const Fp2 t1 = mul(a.c1, b1);
    const Fp2 c0 = add(mul_xi(mul(a.c2, b1)), t0);
    const Fp2 c1 = sub(sub(mul(add(a.c0, a.c1), add(b0, b1)), t0), t1);
    const Fp2 c2 = add(mul(a.c2, b0), t1);
    return {c0, c1, c2};
}

//! a * (b1 v): 3 Fp2 multiplications.
inline Fp6 mul_by_1(const Fp6& a, const Fp2& b1) {
    return {mul_xi(mul(a.c2, b1)), mul(a.c0, b1), mul(a.c1, b1)};
}

Fp6 inv(const Fp6& a);

// ---- Fp12 ---------------------------------------------------------------------------------------

inline Fp12 fp12_one() { return {fp6_one(), fp6_zero()}; }
inline bool eq(const Fp12& a, const Fp12& b) { return all_of(eq(a.c0, b.c0), eq(a.c1, b.c1)); }
inline Fp12 conj(const Fp12& a) { return {a.c0, neg(a.c1)}; }

inline Fp12 mul(const Fp12& a, const Fp12& b) {
    const Fp6 t0 = mul(a.c0, b.c0);
    const Fp6 t1 = mul(a.c1, b.c1);
    const Fp6 c1 = sub(sub(mul(add(a.c0, a.c1), add(b.c0, b.c1)), t0), t1);
    return {add(t0, mul_v(t1)), c1};
}

//! Complex squaring: (a0 + a1 w)^2 = (a0+a1)(a0+v a1) - t - v t + 2t w, t = a0 a1.
inline Fp12 sqr(const Fp12& a) {
    const Fp6 t = mul(a.c0, a.c1);
    const Fp6 c0 = sub(sub(mul(add(a.c0, a.c1), add(a.c0, mul_v(a.c1))), t), mul_v(t));
    return {c0, add(t, t)};
}

//! f * (l0 + l1 v + l4 v w): the shape of every Miller-loop line on the M-twist; 13 Fp2 muls.
//! (Kept reduced: a double-width version measured slower, its 768-bit sums cost more than the
//! reductions they save.)
inline Fp12 mul_by_014(const Fp12& f, const Fp2& l0, const Fp2& l1, const Fp2& l4) {
    const Fp6 t0 = mul_by_01(f.c0, l0, l1);
    const Fp6 t1 = mul_by_1(f.c1, l4);
    const Fp6 s = mul_by_01(add(f.c0, f.c1), l0, add(l1, l4));
    return {add(t0, mul_v(t1)), sub(sub(s, t0), t1)};
}

//! Product of two lines (a0 + a1 v + a4 v w)(b0 + b1 v + b4 v w): 6 Fp2 multiplications; the result
//! has c1.c0 = 0 (shape 0,1,2 | -,4,5): c0 = (a0b0 + xi a4b4, a0b1 + a1b0, a1b1), c1 = (0, a0b4 + a4b0,
//! a1b4 + a4b1).
inline Fp12 mul_014_by_014(const Fp2& a0, const Fp2& a1, const Fp2& a4, const Fp2& b0, const Fp2& b1,
                           const Fp2& b4) {
    const Fp2 t00 = mul(a0, b0);
    const Fp2 t11 = mul(a1, b1);
    const Fp2 t44 = mul(a4, b4);
    const Fp2 x01 = sub(sub(mul(add(a0, a1), add(b0, b1)), t00), t11);
    const Fp2 x04 = sub(sub(mul(add(a0, a4), add(b0, b4)), t00), t44);
    const Fp2 x14 = sub(sub(mul(add(a1, a4), add(b1, b4)), t11), t44);
    return {{add(t00, mul_xi(t44)), x01, t11}, {fp2_zero(), x04, x14}};
}

//! a * (b1 v + b2 v^2): 5 Fp2 multiplications.
inline Fp6 mul_by_12(const Fp6& a, const Fp2& b1, const Fp2& b2) {
    const Fp2 t11 = mul(a.c1, b1);
    const Fp2 t22 = mul(a.c2, b2);
    const Fp2 x12 = sub(sub(mul(add(a.c1, a.c2), add(b1, b2)), t11), t22);  // a1 b2 + a2 b1
    return {mul_xi(x12), add(mul(a.c0, b1), mul_xi(t22)), add(mul(a.c0, b2), t11)};
}

//! f * l for l a product of two lines (mul_014_by_014): two full Fp6 products and one mul_by_12,
//! cheaper than folding the two lines into f one at a time (2 x 13 Fp2 multiplications).
inline Fp12 mul_by_line_pair(const Fp12& f, const Fp12& l) {
    const Fp6 t0 = mul(f.c0, l.c0);
    const Fp6 t1 = mul_by_12(f.c1, l.c1.c1, l.c1.c2);
    const Fp6 s = mul(add(f.c0, f.c1), add(l.c0, l.c1));
    return {add(t0, mul_v(t1)), sub(sub(s, t0), t1)};
}

Fp12 inv(const Fp12& a);
Fp12 frobenius(const Fp12& a);   //!< a^p
Fp12 frobenius2(const Fp12& a);  //!< a^(p^2)
//! Granger-Scott squaring, valid only in the cyclotomic subgroup (after the easy final exponentiation).
Fp12 cyclotomic_sqr(const Fp12& a);

}  // namespace venus::crypto::bls::detail
