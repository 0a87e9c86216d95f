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

//! Simplified SWU for E2' (RFC 9380 6.6.2), straight-line version.
G2Affine sswu(const Fp2& u) {
    const Fp2 zu2 = mul(kSswuZ, sqr(u));
    const Fp2 tv = add(sqr(zu2), zu2);  // Z^2 u^4 + Z u^2
    Fp2 x1;
    if (is_zero(tv)) {
        x1 = kSswuBOverZA;
    } else {
        x1 = mul(kSswuMinusBOverA, add(fp2_one(), inv(tv)));
    }
    const Fp2 gx1 = add(mul(add(sqr(x1), kSswuA), x1), kSswuB);  // x^3 + A x + B
    Fp2 x, y;
    if (sqrt(y, gx1)) {
        x = x1;
    } else {
        x = mul(zu2, x1);
        const Fp2 gx2 = add(mul(add(sqr(x), kSswuA), x), kSswuB);
        // gx2 = Z^3 u^6 gx1 is a square whenever gx1 is not (Z is a non-square).
        sqrt(y, gx2);
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

G2 map_to_curve_g2(const Fp2& u) { return iso_map(sswu(u)); }

G2 hash_to_g2(ByteSpan msg, ByteSpan dst) {
    Fp2 u[2];
    hash_to_field_fp2(u, msg, dst);
    const G2 q0 = map_to_curve_g2(u[0]);
    const G2 q1 = map_to_curve_g2(u[1]);
    return clear_cofactor(add(q0, q1));
}

}  // namespace venus::crypto::bls::detail
