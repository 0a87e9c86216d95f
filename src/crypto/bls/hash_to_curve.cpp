// SPDX-License-Identifier: Apache-2.0 OR MIT
// RFC 9380: expand_message_xmd (SHA-256 through OpenSSL 3 EVP), hash_to_field, simplified SWU on the
// 3-isogenous curve E2', the isogeny map and cofactor clearing.
#include "hash_to_curve.hpp"

#include <openssl/evp.h>

#include <cstring>
#include <memory>
#include <stdexcept>

namespace venus::crypto::bls::detail {

namespace {

struct CtxFree {
    void operator()(EVP_MD_CTX* c) const noexcept { EVP_MD_CTX_free(c); }
};
using CtxPtr = std::unique_ptr<EVP_MD_CTX, CtxFree>;

//! SHA-256 fetched once: an implicit fetch on every EVP_DigestInit costs more than the hashing here.
const EVP_MD* sha256() {
    static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (md == nullptr) throw std::runtime_error("OpenSSL: SHA256 unavailable");
    return md;
}

//! A context that has already absorbed Z_pad (64 zero bytes, exactly one SHA-256 block): every
//! expand_message_xmd call starts from a copy of it.
const EVP_MD_CTX* zpad_ctx() {
    static const CtxPtr ctx = [] {
        CtxPtr c(EVP_MD_CTX_new());
        const std::uint8_t zeros[64] = {};
        if (!c || EVP_DigestInit_ex2(c.get(), sha256(), nullptr) != 1 ||
            EVP_DigestUpdate(c.get(), zeros, sizeof zeros) != 1) {
            throw std::runtime_error("OpenSSL: SHA256 init failed");
        }
        return c;
    }();
    return ctx.get();
}

void check(int rc) {
    if (rc != 1) throw std::runtime_error("OpenSSL: SHA256 failed");
}

}  // namespace

bool expand_message_xmd(std::uint8_t* out, std::size_t len, ByteSpan msg, ByteSpan dst) {
    constexpr std::size_t kB = 32;  // SHA-256 output
    const std::size_t ell = (len + kB - 1) / kB;
    if (len == 0 || ell > 255 || len > 65535) return false;

    CtxPtr ctx(EVP_MD_CTX_new());
    if (!ctx) throw std::runtime_error("OpenSSL: out of memory");

    std::uint8_t long_dst[kB];
    if (dst.size() > 255) {
        static constexpr char kPrefix[] = "H2C-OVERSIZE-DST-";
        check(EVP_DigestInit_ex2(ctx.get(), sha256(), nullptr));
        check(EVP_DigestUpdate(ctx.get(), kPrefix, sizeof kPrefix - 1));
        check(EVP_DigestUpdate(ctx.get(), dst.data(), dst.size()));
        check(EVP_DigestFinal_ex(ctx.get(), long_dst, nullptr));
        dst = ByteSpan(long_dst, kB);
    }
    const std::uint8_t dst_len = static_cast<std::uint8_t>(dst.size());

    // b_0 = H(Z_pad || msg || I2OSP(len, 2) || I2OSP(0, 1) || DST_prime)
    std::uint8_t b0[kB];
    const std::uint8_t len_zero[3] = {static_cast<std::uint8_t>(len >> 8), static_cast<std::uint8_t>(len), 0};
    check(EVP_MD_CTX_copy_ex(ctx.get(), zpad_ctx()));
    check(EVP_DigestUpdate(ctx.get(), msg.data(), msg.size()));
    check(EVP_DigestUpdate(ctx.get(), len_zero, 3));
    check(EVP_DigestUpdate(ctx.get(), dst.data(), dst.size()));
    check(EVP_DigestUpdate(ctx.get(), &dst_len, 1));
    check(EVP_DigestFinal_ex(ctx.get(), b0, nullptr));

    // b_i = H(strxor(b_0, b_(i-1)) || I2OSP(i, 1) || DST_prime), b_1 = H(b_0 || 1 || DST_prime)
    std::uint8_t prev[kB];
    std::memcpy(prev, b0, kB);
    for (std::size_t i = 1; i <= ell; ++i) {
        std::uint8_t in[kB];
        for (std::size_t j = 0; j < kB; ++j) in[j] = (i == 1) ? b0[j] : static_cast<std::uint8_t>(b0[j] ^ prev[j]);
        const std::uint8_t idx = static_cast<std::uint8_t>(i);
        check(EVP_DigestInit_ex2(ctx.get(), sha256(), nullptr));
        check(EVP_DigestUpdate(ctx.get(), in, kB));
        check(EVP_DigestUpdate(ctx.get(), &idx, 1));
        check(EVP_DigestUpdate(ctx.get(), dst.data(), dst.size()));
        check(EVP_DigestUpdate(ctx.get(), &dst_len, 1));
        check(EVP_DigestFinal_ex(ctx.get(), prev, nullptr));
        const std::size_t off = (i - 1) * kB;
        std::memcpy(out + off, prev, std::min(kB, len - off));
    }
    return true;
}

void hash_to_field_fp2(Fp2 u[2], ByteSpan msg, ByteSpan dst) {
    std::uint8_t bytes[256];  // count 2 * m 2 * L 64
    expand_message_xmd(bytes, sizeof bytes, msg, dst);
    u[0] = {fp_from_bytes_wide(bytes), fp_from_bytes_wide(bytes + 64)};
    u[1] = {fp_from_bytes_wide(bytes + 128), fp_from_bytes_wide(bytes + 192)};
}

namespace {

//! u -> (Z u^2, Z^2 u^4 + Z u^2): the SWU denominator, inverted for both maps at once by the caller.
Fp2 sswu_denominator(const Fp2& u) {
    const Fp2 zu2 = mul(kSswuZ, sqr(u));
    return add(sqr(zu2), zu2);
}

//! Square root of g with g1 = g.c1 possibly zero, falling back to the generic routine.
Fp2 sqrt_known_square(const Fp2& g, const Fp& alpha) {
    if (is_zero(g.c1)) {
        Fp2 y;
        sqrt(y, g);
        return y;
    }
    return sqrt_with_norm_root(g, alpha);
}

//! Simplified SWU for E2' (RFC 9380 6.6.2). tv_inv = 1/(Z^2 u^4 + Z u^2), or 0 when that is 0.
//! Square roots go through the norm: g is a square in Fp2 iff N(g) is one in Fp. When g(x1) is not a
//! square, g(x2) = Z^3 u^6 g(x1) is, and the root of its norm, N(Z)^3 N(u)^6 N(g(x1)) with
//! N(Z) = 5, follows from the failed one (alpha^2 = -N(g(x1))) without another exponentiation.
G2Affine sswu(const Fp2& u, const Fp2& tv_inv) {
    const Fp2 zu2 = mul(kSswuZ, sqr(u));
    const Fp2 x1 = is_zero(tv_inv) ? kSswuBOverZA : mul(kSswuMinusBOverA, add(fp2_one(), tv_inv));
    const Fp2 gx1 = add(mul(add(sqr(x1), kSswuA), x1), kSswuB);  // x^3 + A x + B
    const Fp n1 = norm(gx1);
    Fp alpha;
    Fp2 x, y;
    if (sqrt(alpha, n1)) {
        x = x1;
        y = sqrt_known_square(gx1, alpha);
    } else {
        x = mul(zu2, x1);
        const Fp2 gx2 = add(mul(add(sqr(x), kSswuA), x), kSswuB);
        const Fp nu = norm(u);
        Fp alpha2 = mul(mul(kSqrtMinus125, alpha), mul(sqr(nu), nu));
        if (!eq(sqr(alpha2), norm(gx2))) sqrt(alpha2, norm(gx2));  // never taken; kept as a guard
        y = sqrt_known_square(gx2, alpha2);
    }
    if (sgn0(u) != sgn0(y)) y = neg(y);
    return {x, y, false};
}

//! The 3-isogeny E2' -> E2, output projective so it needs no inversion; a zero denominator gives the
//! identity, as the RFC asks.
G2 iso_map(const G2Affine& p) {
    const Fp2& x = p.x;
    const Fp2 x_num = add(mul(add(mul(add(mul(kIsoXNum[3], x), kIsoXNum[2]), x), kIsoXNum[1]), x), kIsoXNum[0]);
    const Fp2 x_den = add(mul(add(x, kIsoXDen[1]), x), kIsoXDen[0]);
    const Fp2 y_num = add(mul(add(mul(add(mul(kIsoYNum[3], x), kIsoYNum[2]), x), kIsoYNum[1]), x), kIsoYNum[0]);
    const Fp2 y_den = add(mul(add(mul(add(x, kIsoYDen[2]), x), kIsoYDen[1]), x), kIsoYDen[0]);
    const Fp2 z = mul(x_den, y_den);
    if (is_zero(z)) return identity<Fp2>();
    return {mul(x_num, y_den), mul(mul(p.y, y_num), x_den), z};
}

}  // namespace

G2 map_to_curve_g2(const Fp2& u) {
    const Fp2 tv = sswu_denominator(u);
    return iso_map(sswu(u, is_zero(tv) ? tv : inv(tv)));
}

G2 hash_to_g2(ByteSpan msg, ByteSpan dst) {
    Fp2 u[2];
    hash_to_field_fp2(u, msg, dst);
    // One inversion for both SWU denominators (Montgomery's trick); a zero one is handled apart.
    const Fp2 d0 = sswu_denominator(u[0]);
    const Fp2 d1 = sswu_denominator(u[1]);
    Fp2 i0, i1;
    if (is_zero(d0) || is_zero(d1)) {
        i0 = is_zero(d0) ? d0 : inv(d0);
        i1 = is_zero(d1) ? d1 : inv(d1);
    } else {
        const Fp2 both = inv(mul(d0, d1));
        i0 = mul(both, d1);
        i1 = mul(both, d0);
    }
    const G2 q0 = iso_map(sswu(u[0], i0));
    const G2 q1 = iso_map(sswu(u[1], i1));
    return clear_cofactor(add(q0, q1));
}

}  // namespace venus::crypto::bls::detail
