// SPDX-License-Identifier: Apache-2.0 OR MIT
// Out-of-line field operations: exponentiations (inverse, square roots), byte conversions,
// and the Fp6/Fp12 operations that are not on the Miller loop's hot path.
#include "constants.hpp"
#include "tower.hpp"

#include <string_view>

#if defined(VENUS_BLS_ASM)
#include <cpuid.h>
#endif

#if defined(VENUS_BLS_ASM)
extern "C" {
void venus_bls_mont_mul_adx(std::uint64_t* r, const std::uint64_t* a, const std::uint64_t* b);
void venus_bls_mont_sqr_adx(std::uint64_t* r, const std::uint64_t* a);
void venus_bls_fp2_mul_adx(std::uint64_t* r, const std::uint64_t* a, const std::uint64_t* b);
void venus_bls_fp2_sqr_adx(std::uint64_t* r, const std::uint64_t* a);
void venus_bls_fp2_mul_x2_adx(std::uint64_t* r, const std::uint64_t* a, const std::uint64_t* b);
void venus_bls_fp2_redc_adx(std::uint64_t* r, const std::uint64_t* t);
void venus_bls_fp2_sqr_x2_adx(std::uint64_t* r, const std::uint64_t* a);
}
#endif

namespace venus::crypto::bls::detail {

namespace {
void mont_mul_generic(u64* r, const u64* a, const u64* b) { mont_mul_portable(r, a, b); }
void mont_sqr_generic(u64* r, const u64* a) { mont_mul_portable(r, a, a); }

void fp2_mul_generic(u64* r, const u64* a, const u64* b) {
    Fp a0, a1, b0, b1;
    for (int i = 0; i < 6; ++i) a0.l[i] = a[i], a1.l[i] = a[6 + i], b0.l[i] = b[i], b1.l[i] = b[6 + i];
    const Fp t0 = mul(a0, b0);
    const Fp t1 = mul(a1, b1);
    const Fp t2 = mul(add_nr(a0, a1), add_nr(b0, b1));
    const Fp c0 = sub(t0, t1), c1 = sub(sub(t2, t0), t1);
    for (int i = 0; i < 6; ++i) r[i] = c0.l[i], r[6 + i] = c1.l[i];
}

//! 384 x 384 -> 768-bit schoolbook product.
void mul384_generic(u64 t[12], const u64* a, const u64* b) {
    for (int i = 0; i < 12; ++i) t[i] = 0;
    for (int i = 0; i < 6; ++i) {
        u64 carry = 0;
        for (int j = 0; j < 6; ++j) {
            const u128 v = static_cast<u128>(a[j]) * b[i] + t[i + j] + carry;
            t[i + j] = static_cast<u64>(v);
            carry = static_cast<u64>(v >> 64);
        }
        t[i + 6] = carry;
    }
}

//! T / 2^384 mod p for T < p 2^384 (Montgomery reduction, one final subtraction).
void redc_generic(u64 r[6], const u64* t_in) {
    u64 t[13];
    for (int i = 0; i < 12; ++i) t[i] = t_in[i];
    t[12] = 0;
    for (int i = 0; i < 6; ++i) {
        const u64 m = t[i] * kPInv;
        u64 carry = 0;
        for (int j = 0; j < 6; ++j) {
            const u128 v = static_cast<u128>(m) * kP[j] + t[i + j] + carry;
            t[i + j] = static_cast<u64>(v);
            carry = static_cast<u64>(v >> 64);
        }
        for (int j = i + 6; j < 13; ++j) {  // carry propagation, always to the top (constant time)
            const u128 v = static_cast<u128>(t[j]) + carry;
            t[j] = static_cast<u64>(v);
            carry = static_cast<u64>(v >> 64);
        }
    }
    reduce_once(r, t + 6);
}

void fp2_mul_x2_generic(u64* r, const u64* a, const u64* b) {
    u64 t0[12], t1[12], t2[12], sa[6], sb[6];
    unsigned char c = 0, d = 0;
    for (int i = 0; i < 6; ++i) c = addcarry(c, a[i], a[6 + i], &sa[i]);
    for (int i = 0; i < 6; ++i) d = addcarry(d, b[i], b[6 + i], &sb[i]);
    mul384_generic(t0, a, b);
    mul384_generic(t1, a + 6, b + 6);
    mul384_generic(t2, sa, sb);
    unsigned char bo = 0;
    for (int i = 0; i < 12; ++i) bo = subborrow(bo, t2[i], t0[i], &t2[i]);
    bo = 0;
    for (int i = 0; i < 12; ++i) bo = subborrow(bo, t2[i], t1[i], &r[12 + i]);
    bo = 0;
    for (int i = 0; i < 12; ++i) bo = subborrow(bo, t0[i], t1[i], &r[i]);
    const u64 mask = 0 - static_cast<u64>(bo);
    c = 0;
    for (int i = 0; i < 6; ++i) c = addcarry(c, r[6 + i], kP[i] & mask, &r[6 + i]);
}

void fp2_sqr_x2_generic(u64* r, const u64* a) {
    Fp a0, a1;
    for (int i = 0; i < 6; ++i) a0.l[i] = a[i], a1.l[i] = a[6 + i];
    const Fp s = add_nr(a0, a1), d = sub(a0, a1), dd = add_nr(a0, a0);
    mul384_generic(r, s.l, d.l);
    mul384_generic(r + 12, dd.l, a1.l);
}

void fp2_redc_generic(u64* r, const u64* t) {
    redc_generic(r, t);
    redc_generic(r + 6, t + 12);
}

void fp2_sqr_generic(u64* r, const u64* a) {
    Fp a0, a1;
    for (int i = 0; i < 6; ++i) a0.l[i] = a[i], a1.l[i] = a[6 + i];
    const Fp c0 = mul(add_nr(a0, a1), sub(a0, a1));
    const Fp c1 = mul(add_nr(a0, a0), a1);
    for (int i = 0; i < 6; ++i) r[i] = c0.l[i], r[6 + i] = c1.l[i];
}

bool have_adx() {
#if defined(VENUS_BLS_ASM)
    // CPUID leaf 7: EBX bit 8 = BMI2 (mulx), bit 19 = ADX (adcx/adox). Read directly because clang 14's
    // __builtin_cpu_supports does not know "adx".
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) == 0) return false;
    return (ebx & (1u << 8)) != 0 && (ebx & (1u << 19)) != 0;
#else
    return false;
#endif
}

void install(bool adx) {
#if defined(VENUS_BLS_ASM)
    if (adx) {
        g_mont_mul.store(venus_bls_mont_mul_adx, std::memory_order_relaxed);
        g_mont_sqr.store(venus_bls_mont_sqr_adx, std::memory_order_relaxed);
        g_fp2_mul.store(venus_bls_fp2_mul_adx, std::memory_order_relaxed);
        g_fp2_sqr.store(venus_bls_fp2_sqr_adx, std::memory_order_relaxed);
        g_fp2_mul_x2.store(venus_bls_fp2_mul_x2_adx, std::memory_order_relaxed);
        g_fp2_redc.store(venus_bls_fp2_redc_adx, std::memory_order_relaxed);
        g_fp2_sqr_x2.store(venus_bls_fp2_sqr_x2_adx, std::memory_order_relaxed);
        return;
    }
#endif
    (void)adx;
    g_mont_mul.store(mont_mul_generic, std::memory_order_relaxed);
    g_mont_sqr.store(mont_sqr_generic, std::memory_order_relaxed);
    g_fp2_mul.store(fp2_mul_generic, std::memory_order_relaxed);
    g_fp2_sqr.store(fp2_sqr_generic, std::memory_order_relaxed);
    g_fp2_mul_x2.store(fp2_mul_x2_generic, std::memory_order_relaxed);
    g_fp2_redc.store(fp2_redc_generic, std::memory_order_relaxed);
    g_fp2_sqr_x2.store(fp2_sqr_x2_generic, std::memory_order_relaxed);
}

//! The first call through any of the pointers lands in one of these: picks the implementation,
//! installs all of them, and forwards the call.
void resolve() { install(have_adx()); }
void mont_mul_resolve(u64* r, const u64* a, const u64* b) {
    resolve();
    g_mont_mul.load(std::memory_order_relaxed)(r, a, b);
}
void mont_sqr_resolve(u64* r, const u64* a) {
    resolve();
    g_mont_sqr.load(std::memory_order_relaxed)(r, a);
}
void fp2_mul_resolve(u64* r, const u64* a, const u64* b) {
    resolve();
    g_fp2_mul.load(std::memory_order_relaxed)(r, a, b);
}
void fp2_sqr_resolve(u64* r, const u64* a) {
    resolve();
    g_fp2_sqr.load(std::memory_order_relaxed)(r, a);
}
void fp2_mul_x2_resolve(u64* r, const u64* a, const u64* b) {
    resolve();
    g_fp2_mul_x2.load(std::memory_order_relaxed)(r, a, b);
}
void fp2_sqr_x2_resolve(u64* r, const u64* a) {
    resolve();
    g_fp2_sqr_x2.load(std::memory_order_relaxed)(r, a);
}
void fp2_redc_resolve(u64* r, const u64* t) {
    resolve();
    g_fp2_redc.load(std::memory_order_relaxed)(r, t);
}
}  // namespace

std::atomic<MontMulFn> g_mont_mul{mont_mul_resolve};
std::atomic<MontSqrFn> g_mont_sqr{mont_sqr_resolve};
std::atomic<Fp2MulFn> g_fp2_mul{fp2_mul_resolve};
std::atomic<Fp2SqrFn> g_fp2_sqr{fp2_sqr_resolve};
std::atomic<Fp2MulFn> g_fp2_mul_x2{fp2_mul_x2_resolve};
std::atomic<Fp2SqrFn> g_fp2_redc{fp2_redc_resolve};
std::atomic<Fp2SqrFn> g_fp2_sqr_x2{fp2_sqr_x2_resolve};

const char* mont_mul_backend() {
    const MontMulFn f = g_mont_mul.load(std::memory_order_relaxed);
    if (f == mont_mul_resolve) return have_adx() ? "adx" : "portable";
    return f == mont_mul_generic ? "portable" : "adx";
}

bool set_mont_mul_backend(const char* name) {
    const std::string_view n(name);
    if (n == "portable") {
        install(false);
        return true;
    }
    if ((n == "adx" && have_adx()) || n == "adx!") {  // "adx!": skip the CPUID check (valgrind hides ADX)
        install(true);
        return true;
    }
    return false;
}

Fp pow(const Fp& a, const u64* e, std::size_t limbs) {
    // 4-bit fixed window, scanning the (public) exponent from the top.
    Fp table[16];
    table[0] = kFpOne;
    for (int i = 1; i < 16; ++i) table[i] = mul(table[i - 1], a);
    Fp r = kFpOne;
    bool started = false;
    for (std::size_t li = limbs; li-- > 0;) {
        for (int nib = 15; nib >= 0; --nib) {
            const unsigned w = static_cast<unsigned>((e[li] >> (4 * nib)) & 0xf);
            if (started) {
                r = sqr(sqr(sqr(sqr(r))));
            }
            if (w != 0) {
                r = started ? mul(r, table[w]) : table[w];
                started = true;
            }
        }
    }
    return r;
}

Fp inv(const Fp& a) { return pow(a, kPMinus2, 6); }

bool sqrt(Fp& out, const Fp& a) {
    // p = 3 mod 4: a^((p+1)/4) squares to a exactly when a is a square (and to -a otherwise).
    out = pow(a, kPPlus1Div4, 6);
    return eq(sqr(out), a);
}

bool is_square(const Fp& a) {
    const Fp l = pow(a, kPMinus1Div2, 6);
    return is_zero(a) || eq(l, kFpOne);
}

bool fp_from_bytes(Fp& out, const std::uint8_t in[48]) {
    Fp c{};
    for (int i = 0; i < 48; ++i) {
        c.l[5 - i / 8] |= static_cast<u64>(in[i]) << (8 * (7 - i % 8));
    }
    // canonical iff c < p, i.e. c - p borrows
    u64 borrow = 0;
    for (int i = 0; i < 6; ++i) {
        u128 d = static_cast<u128>(c.l[i]) - kP[i] - borrow;
        borrow = static_cast<u64>(d >> 64) & 1;
    }
    if (borrow == 0) return false;
    out = mul(c, kR2);
    return true;
}

void fp_to_bytes(std::uint8_t out[48], const Fp& a) {
    const Fp c = from_mont(a);
    for (int i = 0; i < 48; ++i) {
        out[i] = static_cast<std::uint8_t>(c.l[5 - i / 8] >> (8 * (7 - i % 8)));
    }
}

Fp fp_from_bytes_wide(const std::uint8_t in[64]) {
    // N = hi * 2^256 + lo with hi, lo < 2^256 < p. In Montgomery form:
    // N R = mont(hi, 2^256 R^2) + mont(lo, R^2).
    Fp hi{}, lo{};
    for (int i = 0; i < 32; ++i) {
        hi.l[3 - i / 8] |= static_cast<u64>(in[i]) << (8 * (7 - i % 8));
        lo.l[3 - i / 8] |= static_cast<u64>(in[32 + i]) << (8 * (7 - i % 8));
    }
    return add(mul(hi, kTwo256R2), mul(lo, kR2));
}

namespace {
bool gt_half(const Fp& a) {
    // canonical(a) > (p-1)/2, compared limb by limb from the top (variable time is fine: only used on
    // public points during encoding and hashing).
    const Fp c = from_mont(a);
    for (int i = 5; i >= 0; --i) {
        if (c.l[i] != kPMinus1Div2[i]) return c.l[i] > kPMinus1Div2[i];
    }
    return false;
}
}  // namespace

bool lexicographically_largest(const Fp& a) { return gt_half(a); }

bool sgn0(const Fp& a) { return (from_mont(a).l[0] & 1) != 0; }

// ---- Fp2 ----------------------------------------------------------------------------------------

Fp2 inv(const Fp2& a) {
    // 1/(a0 + a1 u) = (a0 - a1 u) / (a0^2 + a1^2)
    const Fp n = inv(add(sqr(a.c0), sqr(a.c1)));
    return {mul(a.c0, n), neg(mul(a.c1, n))};
}

bool is_square(const Fp2& a) {
    // a is a square in Fp2 iff its norm is a square in Fp.
    return is_square(add(sqr(a.c0), sqr(a.c1)));
}

Fp2 sqrt_with_norm_root(const Fp2& a, const Fp& alpha) {
    // Complex method: delta = (a0 + alpha)/2, x0 = sqrt(delta), x1 = a1/(2 x0). One exponentiation
    // t = delta^((p-3)/4) gives both s = t delta (= delta^((p+1)/4)) and 1/s = s t^2, and tells
    // whether delta is a square (s t = delta^((p-1)/2) = +-1). When it is not, s^2 = -delta and the
    // other root of the norm equation, (a0 - alpha)/2 = -a1^2/(4 delta), has square root a1/(2 s).
    const Fp delta = mul(add(a.c0, alpha), kHalf);
    const Fp t = pow(delta, kPMinus3Div4, 6);
    const Fp s = mul(t, delta);
    const Fp s_inv = mul(s, sqr(t));
    const Fp other = mul(mul(a.c1, s_inv), kHalf);  // a1 / (2 s)
    const bool delta_square = eq(mul(s, t), kFpOne);
    return delta_square ? Fp2{s, other} : Fp2{other, s};
}

bool sqrt(Fp2& out, const Fp2& a) {
    if (is_zero(a.c1)) {
        Fp s;
        if (sqrt(s, a.c0)) {
            out = {s, fp_zero()};
        } else {
            // s^2 = -a0 and u^2 = -1, so (s u)^2 = a0.
            out = {fp_zero(), s};
        }
        return true;
    }
    const Fp n = norm(a);
    Fp alpha;
    if (!sqrt(alpha, n)) return false;  // a is a square in Fp2 iff its norm is one in Fp
    const Fp2 r = sqrt_with_norm_root(a, alpha);
    if (!eq(sqr(r), a)) return false;
    out = r;
    return true;
}

bool lexicographically_largest(const Fp2& a) {
    if (!is_zero(a.c1)) return gt_half(a.c1);
    return gt_half(a.c0);
}

bool sgn0(const Fp2& a) {
    const bool sign0 = sgn0(a.c0);
    const bool zero0 = is_zero(a.c0);
    const bool sign1 = sgn0(a.c1);
    return sign0 || (zero0 && sign1);
}

// ---- Fp6 / Fp12 ---------------------------------------------------------------------------------

Fp6 inv(const Fp6& a) {
    const Fp2 t0 = sub(sqr(a.c0), mul_xi(mul(a.c1, a.c2)));
    const Fp2 t1 = sub(mul_xi(sqr(a.c2)), mul(a.c0, a.c1));
    const Fp2 t2 = sub(sqr(a.c1), mul(a.c0, a.c2));
    const Fp2 d = add(mul(a.c0, t0), mul_xi(add(mul(a.c2, t1), mul(a.c1, t2))));
    const Fp2 di = inv(d);
    return {mul(t0, di), mul(t1, di), mul(t2, di)};
}

Fp12 inv(const Fp12& a) {
    // (a0 + a1 w)^-1 = (a0 - a1 w) / (a0^2 - v a1^2)
    const Fp6 d = inv(sub(sqr(a.c0), mul_v(sqr(a.c1))));
    return {mul(a.c0, d), neg(mul(a.c1, d))};
}

Fp12 frobenius(const Fp12& a) {
    // Conjugate every Fp2 coefficient, then multiply the coefficient of w^k by xi^(k(p-1)/6).
    // Coefficient order: c0 = (1, v, v^2) = (w^0, w^2, w^4); c1 = (w, w^3, w^5).
    Fp12 r;
    r.c0.c0 = conj(a.c0.c0);
    r.c0.c1 = mul(conj(a.c0.c1), kFrob1[2]);
    r.c0.c2 = mul(conj(a.c0.c2), kFrob1[4]);
    r.c1.c0 = mul(conj(a.c1.c0), kFrob1[1]);
    r.c1.c1 = mul(conj(a.c1.c1), kFrob1[3]);
    r.c1.c2 = mul(conj(a.c1.c2), kFrob1[5]);
    return r;
}

Fp12 frobenius2(const Fp12& a) {
    // p^2 fixes Fp2; the twist factors xi^(k(p^2-1)/6) lie in Fp.
    Fp12 r;
    r.c0.c0 = a.c0.c0;
    r.c0.c1 = mul_fp(a.c0.c1, kFrob2[2]);
    r.c0.c2 = mul_fp(a.c0.c2, kFrob2[4]);
    r.c1.c0 = mul_fp(a.c1.c0, kFrob2[1]);
    r.c1.c1 = mul_fp(a.c1.c1, kFrob2[3]);
    r.c1.c2 = mul_fp(a.c1.c2, kFrob2[5]);
    return r;
}

namespace {
//! (a + b s)^2 in Fp4 = Fp2[s]/(s^2 - xi), s = w^3. (Kept reduced: the double-width version with
//! sqr_x2 measured slower.)
inline void fp4_sqr(Fp2& r0, Fp2& r1, const Fp2& a, const Fp2& b) {
    const Fp2 a2 = sqr(a);
    const Fp2 b2 = sqr(b);
    r0 = add(mul_xi(b2), a2);
    r1 = sub(sub(sqr(add(a, b)), a2), b2);
}
//! 3t - 2z and 3t + 2z, the two update shapes of Granger-Scott.
inline Fp2 three_minus_two(const Fp2& t, const Fp2& z) { return add(dbl(sub(t, z)), t); }
inline Fp2 three_plus_two(const Fp2& t, const Fp2& z) { return add(dbl(add(t, z)), t); }
}  // namespace

Fp12 cyclotomic_sqr(const Fp12& f) {
    // View f = A + B w + C w^2 with A, B, C in Fp4 = Fp2[s], s = w^3:
    //   A = c0.c0 + c1.c1 s, B = c1.c0 + c0.c2 s, C = c0.c1 + c1.c2 s.
    // For f in the cyclotomic subgroup (Granger-Scott 2010):
    //   f^2 = (3A^2 - 2 conj(A)) + (3 s C^2 + 2 conj(B)) w + (3B^2 - 2 conj(C)) w^2.
    Fp2 a0, a1, b0, b1, c0, c1;
    fp4_sqr(a0, a1, f.c0.c0, f.c1.c1);
    fp4_sqr(b0, b1, f.c1.c0, f.c0.c2);
    fp4_sqr(c0, c1, f.c0.c1, f.c1.c2);
    Fp12 r;
    r.c0.c0 = three_minus_two(a0, f.c0.c0);
    r.c1.c1 = three_plus_two(a1, f.c1.c1);
    // s C^2 = xi c1 + c0 s
    r.c1.c0 = three_plus_two(mul_xi(c1), f.c1.c0);
    r.c0.c2 = three_minus_two(c0, f.c0.c2);
    r.c0.c1 = three_minus_two(b0, f.c0.c1);
    r.c1.c2 = three_plus_two(b1, f.c1.c2);
    return r;
}

}  // namespace venus::crypto::bls::detail
