// SPDX-License-Identifier: Apache-2.0 OR MIT
// Miller loop with homogeneous projective line functions (Costello-Lange-Naehrig 2010 shapes for an
// M-type sextic twist) and the final exponentiation.
//
// For the M-twist E': y^2 = x^3 + 4 xi, a line through points of E' evaluated at P = (xP, yP) in E(Fp)
// is, after multiplying by factors that the final exponentiation removes,
//   l = l0 + (l1 * xP) v + (l4 * yP) v w,
// which is the sparse "014" shape that mul_by_014() exploits.
#include "pairing.hpp"

#include <vector>

namespace venus::crypto::bls::detail {

namespace {

//! Halving without a multiplication: a/2 = (a + (a odd ? p : 0)) >> 1, branch-free.
inline Fp half(const Fp& a) {
    u64 t[6];
    unsigned char c = 0;
    for (int i = 0; i < 6; ++i) c = addcarry(c, a.l[i], kP[i], &t[i]);
    const u64 odd = 0 - (a.l[0] & 1);
    for (int i = 0; i < 6; ++i) t[i] = (t[i] & odd) | (a.l[i] & ~odd);
    Fp r;
    for (int i = 0; i < 5; ++i) r.l[i] = (t[i] >> 1) | (t[i + 1] << 63);
    r.l[5] = t[5] >> 1;
    return r;
}
inline Fp2 half(const Fp2& a) { return {half(a.c0), half(a.c1)}; }

struct Line {
    Fp2 l0, l1, l4;
};

//! T <- 2T and the tangent line at T (before scaling by P's coordinates).
inline Line doubling_step(G2& t) {
    const Fp2 a = half(mul(t.x, t.y));
    const Fp2 b = sqr(t.y);
    const Fp2 c = sqr(t.z);
    const Fp2 c_xi = mul_xi(c);
    const Fp2 e3 = add(dbl(c_xi), c_xi);        // 3 xi C
    const Fp2 e = dbl(dbl(e3));                // 12 xi C = 3 b' Z^2
    const Fp2 f = add(dbl(e), e);              // 3E
    const Fp2 g = half(add(b, f));
    const Fp2 h = sub(sub(sqr(add(t.y, t.z)), b), c);  // 2YZ
    const Fp2 xx = sqr(t.x);
    const Fp2 e2 = sqr(e);
    Line l{sub(e, b), add(dbl(xx), xx), neg(h)};
    t.x = mul(a, sub(b, f));
    t.y = sub(sqr(g), add(dbl(e2), e2));
    t.z = mul(b, h);
    return l;
}

//! T <- T + Q (Q affine) and the line through T and Q.
inline Line addition_step(G2& t, const G2Affine& q) {
    const Fp2 theta = sub(t.y, mul(q.y, t.z));
    const Fp2 lambda = sub(t.x, mul(q.x, t.z));
    const Fp2 c = sqr(theta);
    const Fp2 d = sqr(lambda);
    const Fp2 e = mul(lambda, d);
    const Fp2 f = mul(t.z, c);
    const Fp2 g = mul(t.x, d);
    const Fp2 h = sub(add(e, f), dbl(g));
    Line l{sub(mul(theta, q.x), mul(lambda, q.y)), neg(theta), lambda};
    t.x = mul(lambda, h);
    t.y = sub(mul(theta, sub(g, h)), mul(e, t.y));
    t.z = mul(t.z, e);
    return l;
}

//! The line evaluated at P: (l0, l1 xP, l4 yP).
inline Line at(const Line& l, const G1Affine& p) { return {l.l0, mul_fp(l.l1, p.x), mul_fp(l.l4, p.y)}; }

inline Fp12 apply_line(const Fp12& f, const Line& l) { return mul_by_014(f, l.l0, l.l1, l.l4); }

//! Two evaluated lines at once: multiplied together first, then into f.
inline Fp12 apply_lines(const Fp12& f, const Line& a, const Line& b) {
    return mul_by_line_pair(f, mul_014_by_014(a.l0, a.l1, a.l4, b.l0, b.l1, b.l4));
}

//! g^x for g in the cyclotomic subgroup (x < 0, so conjugate g^|x|).
Fp12 exp_by_x(const Fp12& g) {
    Fp12 r = g;
    for (int i = 62; i >= 0; --i) {
        r = cyclotomic_sqr(r);
        if ((kXAbs >> i) & 1) r = mul(r, g);
    }
    return conj(r);
}

}  // namespace

Fp12 miller_loop(const G1Affine* ps, const G2Affine* qs, std::size_t n) {
    std::vector<std::size_t> idx;
    idx.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (!ps[i].infinity && !qs[i].infinity) idx.push_back(i);
    }
    std::vector<G2> ts(idx.size());
    for (std::size_t k = 0; k < idx.size(); ++k) ts[k] = from_affine(qs[idx[k]]);

    // Lines of consecutive pairs are multiplied together before going into f (fewer Fp2 products).
    const std::size_t m = idx.size();
    Fp12 f = fp12_one();
    for (int bit = 62; bit >= 0; --bit) {
        if (bit != 62) f = sqr(f);
        std::size_t k = 0;
        for (; k + 1 < m; k += 2) {
            const Line a = at(doubling_step(ts[k]), ps[idx[k]]);
            const Line b = at(doubling_step(ts[k + 1]), ps[idx[k + 1]]);
            f = apply_lines(f, a, b);
        }
        if (k < m) f = apply_line(f, at(doubling_step(ts[k]), ps[idx[k]]));
        if ((kXAbs >> bit) & 1) {
            k = 0;
            for (; k + 1 < m; k += 2) {
                const Line a = at(addition_step(ts[k], qs[idx[k]]), ps[idx[k]]);
                const Line b = at(addition_step(ts[k + 1], qs[idx[k + 1]]), ps[idx[k + 1]]);
                f = apply_lines(f, a, b);
            }
            if (k < m) f = apply_line(f, at(addition_step(ts[k], qs[idx[k]]), ps[idx[k]]));
        }
    }
    return conj(f);
}

Fp12 final_exponentiation(const Fp12& f) {
    // Easy part: f^((p^6 - 1)(p^2 + 1)) lands in the cyclotomic subgroup.
    Fp12 t = mul(conj(f), inv(f));
    t = mul(frobenius2(t), t);
    // Hard part, 3 (p^4 - p^2 + 1)/r = (x-1)^2 (x+p) (x^2+p^2-1) + 3.
    Fp12 a = mul(exp_by_x(t), conj(t));               // t^(x-1)
    a = mul(exp_by_x(a), conj(a));                    // t^((x-1)^2)
    const Fp12 b = mul(exp_by_x(a), frobenius(a));    // ^(x+p)
    Fp12 c = mul(exp_by_x(exp_by_x(b)), frobenius2(b));
    c = mul(c, conj(b));                              // ^(x^2+p^2-1)
    return mul(c, mul(cyclotomic_sqr(t), t));         // * t^3
}

bool pairing_product_is_one(const G1Affine* ps, const G2Affine* qs, std::size_t n) {
    return eq(final_exponentiation(miller_loop(ps, qs, n)), fp12_one());
}

}  // namespace venus::crypto::bls::detail
