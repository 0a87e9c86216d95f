// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The BLS12-381 base field Fp: 6 x 64-bit limbs, little-endian, Montgomery form (R = 2^384).
//! Everything here is branch-free in the values (only the public exponents of pow() are looked at),
//! so the same code serves signing (secret data) and verification.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace venus::crypto::bls::detail {

using u64 = std::uint64_t;
__extension__ typedef unsigned __int128 u128;  // __extension__: no -Wpedantic complaint

struct Fp {
    u64 l[6];
};

//! p, little-endian limbs.
inline constexpr u64 kP[6] = {0xb9feffffffffaaab, 0x1eabfffeb153ffff, 0x6730d2a0f6b0f624,
                              0x64774b84f38512bf, 0x4b1ba7b6434bacd7, 0x1a0111ea397fe69a};
//! -p^-1 mod 2^64.
inline constexpr u64 kPInv = 0x89f3fffcfffcfffd;
//! R^2 mod p: converts into Montgomery form.
inline constexpr Fp kR2 = {{0xf4df1f341c341746, 0x0a76e6a609d104f1, 0x8de5476c4c95b6d5,
                            0x67eb88a9939d83c0, 0x9a793e85b519952d, 0x11988fe592cae3aa}};

// ---- limb helpers -------------------------------------------------------------------------------

//! Add/subtract with carry. On x86-64 the intrinsics compile to adc/sbb chains (u128 arithmetic did
//! not, and cost more than the multiplications around it).
inline unsigned char addcarry(unsigned char c, u64 a, u64 b, u64* out) {
#if defined(__x86_64__)
    unsigned long long r;
    c = _addcarry_u64(c, a, b, &r);
    *out = r;
    return c;
#else
    const u128 s = static_cast<u128>(a) + b + c;
    *out = static_cast<u64>(s);
    return static_cast<unsigned char>(s >> 64);
#endif
}
inline unsigned char subborrow(unsigned char bo, u64 x, u64 y, u64* out) {
#if defined(__x86_64__)
    unsigned long long r;
    bo = _subborrow_u64(bo, x, y, &r);
    *out = r;
    return bo;
#else
    const u128 d = static_cast<u128>(x) - y - bo;
    *out = static_cast<u64>(d);
    return static_cast<unsigned char>((d >> 64) & 1);
#endif
}

//! r = a - p if that does not borrow, else a; constant time.
constexpr void reduce_once(u64 r[6], const u64 a[6]) {
    u64 t[6];
    u64 borrow = 0;
    for (int i = 0; i < 6; ++i) {
        u128 d = static_cast<u128>(a[i]) - kP[i] - borrow;
        t[i] = static_cast<u64>(d);
        borrow = static_cast<u64>(d >> 64) & 1;
    }
    const u64 keep_a = 0 - borrow;  // all ones when a < p
    for (int i = 0; i < 6; ++i) r[i] = (a[i] & keep_a) | (t[i] & ~keep_a);
}


//! Montgomery product a*b/R mod p (CIOS). Inputs may be up to 2p (unreduced sums): p < 2^381 leaves
//! three spare bits, so the running sum never needs a seventh limb and the output is < 2p before the
//! final subtraction.
constexpr void mont_mul_portable(u64 r[6], const u64 a[6], const u64 b[6]) {
    u64 t[6] = {0, 0, 0, 0, 0, 0};
    for (int i = 0; i < 6; ++i) {
        u128 acc = static_cast<u128>(a[0]) * b[i] + t[0];
        u64 hi_a = static_cast<u64>(acc >> 64);
        const u64 t0 = static_cast<u64>(acc);
        const u64 m = t0 * kPInv;
        u128 red = static_cast<u128>(m) * kP[0] + t0;
        u64 hi_c = static_cast<u64>(red >> 64);
        for (int j = 1; j < 6; ++j) {
            acc = static_cast<u128>(a[j]) * b[i] + t[j] + hi_a;
            hi_a = static_cast<u64>(acc >> 64);
            red = static_cast<u128>(m) * kP[j] + static_cast<u64>(acc) + hi_c;
            hi_c = static_cast<u64>(red >> 64);
            t[j - 1] = static_cast<u64>(red);
        }
        t[5] = hi_a + hi_c;
    }
    reduce_once(r, t);
}

//! The multiplication actually used at run time: the mulx/adcx/adox assembly (mont_x86_64.S) when
//! the build has it and the CPU has BMI2 and ADX, else mont_mul_portable. Chosen once, on first use.
using MontMulFn = void (*)(u64*, const u64*, const u64*);
extern std::atomic<MontMulFn> g_mont_mul;
//! Montgomery squaring (the assembly computes 15 cross products and 6 squares instead of 36 products).
using MontSqrFn = void (*)(u64*, const u64*);
extern std::atomic<MontSqrFn> g_mont_sqr;
//! Fp2 products on 12 limbs (c0 then c1): the assembly computes a Karatsuba product with lazy
//! reduction (two Montgomery reductions instead of three) and a squaring in one call. Inputs < p.
using Fp2MulFn = void (*)(u64*, const u64*, const u64*);
using Fp2SqrFn = void (*)(u64*, const u64*);
extern std::atomic<Fp2MulFn> g_fp2_mul;
extern std::atomic<Fp2SqrFn> g_fp2_sqr;
//! Lazy reduction: the Fp2 product as two unreduced 768-bit coefficients (24 limbs; inputs < 2p,
//! outputs below p 2^384), and the Montgomery reduction of both (24 limbs, each < p 2^384, to 12).
extern std::atomic<Fp2MulFn> g_fp2_mul_x2;
extern std::atomic<Fp2SqrFn> g_fp2_sqr_x2;  //!< the square unreduced (inputs < p; outputs < 2 p^2)
extern std::atomic<Fp2SqrFn> g_fp2_redc;
//! Which implementation the field arithmetic resolved to ("adx" or "portable"), for benchmarks and logs.
const char* mont_mul_backend();
//! Forces a backend ("adx" or "portable"; tests and benchmarks). False when it is not available here.
//! "adx!" installs the assembly without asking CPUID (for valgrind, whose emulated CPUID hides ADX
//! although it executes adcx/adox).
bool set_mont_mul_backend(const char* name);

inline void mont_mul(u64 r[6], const u64 a[6], const u64 b[6]) {
    g_mont_mul.load(std::memory_order_relaxed)(r, a, b);
}

// ---- Fp operations -------------------------------------------------------------------------------

constexpr Fp fp_zero() { return Fp{{0, 0, 0, 0, 0, 0}}; }

inline Fp mul(const Fp& a, const Fp& b) {
    Fp r;
    mont_mul(r.l, a.l, b.l);
    return r;
}
inline Fp sqr(const Fp& a) {
    Fp r;
    g_mont_sqr.load(std::memory_order_relaxed)(r.l, a.l);
    return r;
}

// x86-64 inline assembly for add/sub mod p: one adc/sbb chain, then cmov (constant time), 3.0 ns
// against 4.5-4.9 ns for the C++ below (masked selects). It needs 14 general registers, which g++
// finds when optimizing; clang, unoptimized and AddressSanitizer builds (it keeps registers for
// itself) use the C++ versions.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__OPTIMIZE__) && \
    !defined(__SANITIZE_ADDRESS__)
#define VENUS_BLS_INLINE_ASM 1
#define VENUS_ASM_OUT6(x) [x##0] "=&r"(x##0), [x##1] "=&r"(x##1), [x##2] "=&r"(x##2), [x##3] "=&r"(x##3), \
    [x##4] "=&r"(x##4), [x##5] "=&r"(x##5)
#define VENUS_ASM_P6 [p0] "m"(kP[0]), [p1] "m"(kP[1]), [p2] "m"(kP[2]), [p3] "m"(kP[3]), [p4] "m"(kP[4]), [p5] "m"(kP[5])
inline void add_mod_asm(u64 r[6], const u64* a, const u64* b) {
    u64 s0, s1, s2, s3, s4, s5, t0, t1, t2, t3, t4, t5;
    __asm__(
        "movq 0(%[a]), %[s0]\n\tmovq 8(%[a]), %[s1]\n\tmovq 16(%[a]), %[s2]\n\t"
        "movq 24(%[a]), %[s3]\n\tmovq 32(%[a]), %[s4]\n\tmovq 40(%[a]), %[s5]\n\t"
        "addq 0(%[b]), %[s0]\n\tadcq 8(%[b]), %[s1]\n\tadcq 16(%[b]), %[s2]\n\t"
        "adcq 24(%[b]), %[s3]\n\tadcq 32(%[b]), %[s4]\n\tadcq 40(%[b]), %[s5]\n\t"
        "movq %[s0], %[t0]\n\tmovq %[s1], %[t1]\n\tmovq %[s2], %[t2]\n\t"
        "movq %[s3], %[t3]\n\tmovq %[s4], %[t4]\n\tmovq %[s5], %[t5]\n\t"
        "subq %[p0], %[t0]\n\tsbbq %[p1], %[t1]\n\tsbbq %[p2], %[t2]\n\t"
        "sbbq %[p3], %[t3]\n\tsbbq %[p4], %[t4]\n\tsbbq %[p5], %[t5]\n\t"
        "cmovcq %[s0], %[t0]\n\tcmovcq %[s1], %[t1]\n\tcmovcq %[s2], %[t2]\n\t"
        "cmovcq %[s3], %[t3]\n\tcmovcq %[s4], %[t4]\n\tcmovcq %[s5], %[t5]"
        : VENUS_ASM_OUT6(s), VENUS_ASM_OUT6(t)
        : [a] "r"(a), [b] "r"(b), VENUS_ASM_P6, "m"(*reinterpret_cast<const u64(*)[6]>(a)),
          "m"(*reinterpret_cast<const u64(*)[6]>(b))
        : "cc");
    r[0] = t0, r[1] = t1, r[2] = t2, r[3] = t3, r[4] = t4, r[5] = t5;
}
inline void sub_mod_asm(u64 r[6], const u64* a, const u64* b) {
    u64 d0, d1, d2, d3, d4, d5, t0, t1, t2, t3, t4, t5;
    __asm__(
        "movq 0(%[a]), %[d0]\n\tmovq 8(%[a]), %[d1]\n\tmovq 16(%[a]), %[d2]\n\t"
        "movq 24(%[a]), %[d3]\n\tmovq 32(%[a]), %[d4]\n\tmovq 40(%[a]), %[d5]\n\t"
        "subq 0(%[b]), %[d0]\n\tsbbq 8(%[b]), %[d1]\n\tsbbq 16(%[b]), %[d2]\n\t"
        "sbbq 24(%[b]), %[d3]\n\tsbbq 32(%[b]), %[d4]\n\tsbbq 40(%[b]), %[d5]\n\t"
        "movq $0, %[t0]\n\tmovq $0, %[t1]\n\tmovq $0, %[t2]\n\t"  // mov leaves the borrow in CF
        "movq $0, %[t3]\n\tmovq $0, %[t4]\n\tmovq $0, %[t5]\n\t"
        "cmovcq %[p0], %[t0]\n\tcmovcq %[p1], %[t1]\n\tcmovcq %[p2], %[t2]\n\t"
        "cmovcq %[p3], %[t3]\n\tcmovcq %[p4], %[t4]\n\tcmovcq %[p5], %[t5]\n\t"
        "addq %[t0], %[d0]\n\tadcq %[t1], %[d1]\n\tadcq %[t2], %[d2]\n\t"
        "adcq %[t3], %[d3]\n\tadcq %[t4], %[d4]\n\tadcq %[t5], %[d5]"
        : VENUS_ASM_OUT6(d), VENUS_ASM_OUT6(t)
        : [a] "r"(a), [b] "r"(b), VENUS_ASM_P6, "m"(*reinterpret_cast<const u64(*)[6]>(a)),
          "m"(*reinterpret_cast<const u64(*)[6]>(b))
        : "cc");
    r[0] = d0, r[1] = d1, r[2] = d2, r[3] = d3, r[4] = d4, r[5] = d5;
}
#undef VENUS_ASM_OUT6
#undef VENUS_ASM_P6
#endif

//! a + b without reduction; only for feeding mul() (both inputs < p, so the sum is < 2p).
inline Fp add_nr(const Fp& a, const Fp& b) {
    Fp r;
    unsigned char c = 0;
    for (int i = 0; i < 6; ++i) c = addcarry(c, a.l[i], b.l[i], &r.l[i]);
    return r;
}

//! (a + b) mod p; the sum of two values below p < 2^381 never carries out of 384 bits.
inline Fp add_c(const Fp& a, const Fp& b) {
    u64 s[6], t[6];
    unsigned char c = 0;
    for (int i = 0; i < 6; ++i) c = addcarry(c, a.l[i], b.l[i], &s[i]);
    unsigned char bo = 0;
    for (int i = 0; i < 6; ++i) bo = subborrow(bo, s[i], kP[i], &t[i]);
    const u64 keep_s = 0 - static_cast<u64>(bo);  // s < p: keep s
    Fp r;
    for (int i = 0; i < 6; ++i) r.l[i] = (s[i] & keep_s) | (t[i] & ~keep_s);
    return r;
}

//! (a - b) mod p: d = a - b and e = d + p as two clean carry chains, then a masked select. (Masking p
//! inside the chain makes g++ save and restore the carry flag around every limb.)
inline Fp sub_c(const Fp& a, const Fp& b) {
    u64 d[6], e[6];
    unsigned char bo = 0;
    for (int i = 0; i < 6; ++i) bo = subborrow(bo, a.l[i], b.l[i], &d[i]);
    unsigned char c = 0;
    for (int i = 0; i < 6; ++i) c = addcarry(c, d[i], kP[i], &e[i]);
    const u64 mask = 0 - static_cast<u64>(bo);
    Fp r;
    for (int i = 0; i < 6; ++i) r.l[i] = (e[i] & mask) | (d[i] & ~mask);
    return r;
}

#if defined(VENUS_BLS_INLINE_ASM)
inline Fp add(const Fp& a, const Fp& b) {
    Fp r;
    add_mod_asm(r.l, a.l, b.l);
    return r;
}
inline Fp sub(const Fp& a, const Fp& b) {
    Fp r;
    sub_mod_asm(r.l, a.l, b.l);
    return r;
}
#else
inline Fp add(const Fp& a, const Fp& b) { return add_c(a, b); }
inline Fp sub(const Fp& a, const Fp& b) { return sub_c(a, b); }
#endif

inline Fp dbl(const Fp& a) { return add(a, a); }

inline bool is_zero(const Fp& a) {
    u64 acc = 0;
    for (int i = 0; i < 6; ++i) acc |= a.l[i];
    return acc == 0;
}

inline Fp neg(const Fp& a) {
    // p - a, but 0 stays 0 (p - 0 = p is not canonical).
    Fp r;
    u64 borrow = 0;
    for (int i = 0; i < 6; ++i) {
        u128 d = static_cast<u128>(kP[i]) - a.l[i] - borrow;
        r.l[i] = static_cast<u64>(d);
        borrow = static_cast<u64>(d >> 64) & 1;
    }
    const u64 nz = 0 - static_cast<u64>(!is_zero(a));
    for (int i = 0; i < 6; ++i) r.l[i] &= nz;
    return r;
}

inline bool eq(const Fp& a, const Fp& b) {
    u64 acc = 0;
    for (int i = 0; i < 6; ++i) acc |= a.l[i] ^ b.l[i];
    return acc == 0;
}

//! r = c ? b : a, without a branch on c.
inline Fp select(bool c, const Fp& a, const Fp& b) {
    const u64 m = 0 - static_cast<u64>(c);
    Fp r;
    for (int i = 0; i < 6; ++i) r.l[i] = (a.l[i] & ~m) | (b.l[i] & m);
    return r;
}

//! Canonical (non-Montgomery) limbs -> Montgomery form. Usable at compile time for constants.
constexpr Fp to_mont(const Fp& canonical) {
    Fp r{};
    mont_mul_portable(r.l, canonical.l, kR2.l);
    return r;
}

inline Fp from_mont(const Fp& a) {
    const u64 one[6] = {1, 0, 0, 0, 0, 0};
    Fp r;
    mont_mul(r.l, a.l, one);
    return r;
}

//! Compile-time constant from a big-endian hex literal (no 0x prefix, at most 96 digits).
constexpr Fp fp_hex(const char* hex) {
    Fp c{};
    int n = 0;
    while (hex[n] != 0) ++n;
    for (int i = 0; i < n; ++i) {
        const char ch = hex[n - 1 - i];
        const u64 v = (ch >= '0' && ch <= '9')   ? static_cast<u64>(ch - '0')
                      : (ch >= 'a' && ch <= 'f') ? static_cast<u64>(ch - 'a' + 10)
                                                 : static_cast<u64>(ch - 'A' + 10);
        c.l[i / 16] |= v << (4 * (i % 16));
    }
    return to_mont(c);
}

constexpr Fp fp_u64(u64 v) { return to_mont(Fp{{v, 0, 0, 0, 0, 0}}); }

inline constexpr Fp kFpOne = fp_u64(1);

//! a^e for a public exponent e (little-endian limbs); 4-bit fixed window.
Fp pow(const Fp& a, const u64* e, std::size_t limbs);
Fp inv(const Fp& a);                   //!< a^(p-2); inv(0) = 0
bool sqrt(Fp& out, const Fp& a);       //!< false when a is not a square (out then holds sqrt(-a))
bool is_square(const Fp& a);           //!< Euler's criterion; 0 counts as a square
//! Big-endian 48 bytes -> field element; false when the value is >= p (non-canonical).
bool fp_from_bytes(Fp& out, const std::uint8_t in[48]);
void fp_to_bytes(std::uint8_t out[48], const Fp& a);
//! Reduces a 64-byte big-endian integer mod p (hash_to_field).
Fp fp_from_bytes_wide(const std::uint8_t in[64]);
//! y > (p-1)/2 on the canonical value: the "sign" bit of the zcash encoding.
bool lexicographically_largest(const Fp& a);
//! sgn0 of RFC 9380: parity of the canonical value.
bool sgn0(const Fp& a);

}  // namespace venus::crypto::bls::detail
