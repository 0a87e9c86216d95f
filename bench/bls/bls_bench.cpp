// SPDX-License-Identifier: Apache-2.0 OR MIT
// venusd BLS12-381 benchmark: sign, verify and aggregate-verify of N distinct 38-byte (CID-sized)
// messages under N distinct keys, the same work as the blst reference script (bench_blst.mjs).
// Prints "metric value unit" lines. Env: N (default 100), REPS (default 5), MICRO=1 for primitives,
// VENUS_BLS_BACKEND=portable|adx to force the field arithmetic.
#include <openssl/rand.h>

#include <ctime>
#include <string_view>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "hash_to_curve.hpp"
#include "pairing.hpp"
#include "venus/crypto/bls.hpp"

namespace bls = venus::crypto::bls;
namespace d = venus::crypto::bls::detail;
namespace {
//! Wall time by default (what the blst script measures); CLOCK=cpu uses this thread's CPU time, which
//! other tenants of a shared box disturb less while tuning.
struct Clock {
    using time_point = double;  // microseconds
    static time_point now() {
        static const bool cpu = [] {
            const char* v = std::getenv("CLOCK");
            return v != nullptr && std::string_view(v) == "cpu";
        }();
        timespec ts{};
        clock_gettime(cpu ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC, &ts);
        return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
    }
};
double us_since(Clock::time_point t0) { return Clock::now() - t0; }
int env_int(const char* name, int fallback) {
    const char* v = std::getenv(name);
    return v != nullptr ? std::atoi(v) : fallback;
}
template <class F>
double time_us(int reps, F&& f) {
    const auto t0 = Clock::now();
    for (int i = 0; i < reps; ++i) f();
    return us_since(t0) / reps;
}
volatile bool g_sink;
}  // namespace

int main() {
    if (const char* b = std::getenv("VENUS_BLS_BACKEND"); b != nullptr && !d::set_mont_mul_backend(b)) {
        return std::printf("backend %s is not available\n", b), 2;
    }
    std::printf("venus_fp_backend %s\n", d::mont_mul_backend());
    const int n = env_int("N", 100);
    const int reps = env_int("REPS", 5);

    std::vector<bls::PrivateKey> sks;
    std::vector<bls::PublicKeyBytes> pk_bytes;
    std::vector<bls::PublicKey> pks;
    std::vector<venus::Bytes> msgs;
    for (int i = 0; i < n; ++i) {
        sks.push_back(*bls::PrivateKey::generate());
        pk_bytes.push_back(sks.back().public_key());
        pks.push_back(*bls::PublicKey::from_bytes(pk_bytes.back()));
        venus::Bytes m(38);
        RAND_bytes(m.data(), 38);
        msgs.push_back(m);
    }
    std::vector<bls::SignatureBytes> sig_bytes(n);
    for (int i = 0; i < 3; ++i) g_sink = bls::verify(pks[i], msgs[i], *bls::Signature::from_bytes(sks[i].sign(msgs[i])));

    auto t0 = Clock::now();
    for (int r = 0; r < reps; ++r)
        for (int i = 0; i < n; ++i) sig_bytes[i] = sks[i].sign(msgs[i]);
    std::printf("venus_sign_us %.1f us/op\n", us_since(t0) / (reps * n));

    std::vector<bls::Signature> sigs;
    for (int i = 0; i < n; ++i) sigs.push_back(*bls::Signature::from_bytes(sig_bytes[i]));

    bool ok = true;
    t0 = Clock::now();
    for (int r = 0; r < reps; ++r)
        for (int i = 0; i < n; ++i) ok = bls::verify(pks[i], msgs[i], sigs[i]) && ok;
    std::printf("venus_verify_us %.1f us/op\n", us_since(t0) / (reps * n));
    if (!ok) return std::puts("verify failed"), 1;

    t0 = Clock::now();
    for (int r = 0; r < reps; ++r)
        for (int i = 0; i < n; ++i) ok = *bls::verify(pk_bytes[i], msgs[i], sig_bytes[i]) && ok;
    std::printf("venus_verify_from_bytes_us %.1f us/op\n", us_since(t0) / (reps * n));
    if (!ok) return std::puts("verify(bytes) failed"), 1;

    bls::Signature agg = bls::aggregate(sigs);
    std::printf("venus_aggregate_sigs_%d_us %.1f us/op\n", n,
                time_us(reps, [&] { agg = bls::aggregate(sigs); }));

    std::vector<venus::BytesView> mviews(msgs.begin(), msgs.end());
    const double av = time_us(reps, [&] { ok = bls::aggregate_verify(pks, mviews, agg) && ok; });
    if (!ok) return std::puts("aggregate verify failed"), 1;
    std::printf("venus_aggregate_verify_%d_ms %.2f ms/op\n", n, av / 1000);
    std::printf("venus_aggregate_verify_per_msg_us %.1f us/msg\n", av / n);

    std::vector<venus::BytesView> pviews;
    for (auto& p : pk_bytes) pviews.emplace_back(p);
    const double avb = time_us(reps, [&] { ok = *bls::aggregate_verify(pviews, mviews, agg.bytes()) && ok; });
    if (!ok) return std::puts("aggregate verify (bytes) failed"), 1;
    std::printf("venus_aggregate_verify_%d_from_bytes_ms %.2f ms/op\n", n, avb / 1000);

    if (env_int("MICRO", 0) != 0) {
        d::Fp a = d::kG1GenX, b = d::kG1GenY;
        const int k = 1000000;
        std::printf("micro_fp_mul_ns %.1f\n", time_us(1, [&] { for (int i = 0; i < k; ++i) a = d::mul(a, b); }) * 1000 / k);
        std::printf("micro_fp_sqr_ns %.1f\n", time_us(1, [&] { for (int i = 0; i < k; ++i) a = d::sqr(a); }) * 1000 / k);
        d::Fp2 x = d::kG2GenX, y = d::kG2GenY;
        std::printf("micro_fp2_mul_ns %.1f\n", time_us(1, [&] { for (int i = 0; i < k; ++i) x = d::mul(x, y); }) * 1000 / k);
        std::printf("micro_fp_inv_us %.2f\n", time_us(1000, [&] { a = d::inv(a); }));
        std::printf("micro_hash_to_g2_us %.1f\n",
                    time_us(200, [&] { g_sink = d::is_identity(d::hash_to_g2(msgs[0], venus::as_bytes(bls::kFilecoinDst))); }));
        const d::G1Affine p1 = d::to_affine(d::g1_generator());
        const d::G2Affine q1 = d::to_affine(d::g2_generator());
        d::Fp12 f;
        std::printf("micro_miller_loop_1_us %.1f\n", time_us(200, [&] { f = d::miller_loop(&p1, &q1, 1); }));
        std::printf("micro_final_exp_us %.1f\n", time_us(200, [&] { f = d::final_exponentiation(f); }));
        const d::G2 g2 = d::g2_generator();
        std::printf("micro_g2_subgroup_check_us %.1f\n", time_us(200, [&] { g_sink = d::g2_in_subgroup(g2); }));
        const d::G1 g1 = d::g1_generator();
        std::printf("micro_g1_subgroup_check_us %.1f\n", time_us(200, [&] { g_sink = d::g1_in_subgroup(g1); }));
        d::Fp2 uu[2];
        d::hash_to_field_fp2(uu, msgs[0], venus::as_bytes(bls::kFilecoinDst));
        std::printf("micro_hash_to_field_us %.1f\n",
                    time_us(200, [&] { d::hash_to_field_fp2(uu, msgs[1], venus::as_bytes(bls::kFilecoinDst)); }));
        std::printf("micro_map_to_curve_us %.1f\n", time_us(200, [&] { g_sink = d::is_identity(d::map_to_curve_g2(uu[0])); }));
        std::printf("micro_clear_cofactor_us %.1f\n", time_us(200, [&] { g_sink = d::is_identity(d::clear_cofactor(g2)); }));
        const d::u64 scalar[4] = {0x0123456789abcdef, 0xfedcba9876543210, 0x0f1e2d3c4b5a6978, 0x1234567890abcdef};
        std::printf("micro_g2_mul_ct_us %.1f\n", time_us(200, [&] { g_sink = d::is_identity(d::mul_ct(g2, scalar)); }));
        std::printf("micro_g1_mul_ct_us %.1f\n", time_us(200, [&] { g_sink = d::is_identity(d::mul_ct(g1, scalar)); }));
        std::printf("micro_cyclotomic_sqr_ns %.1f\n", time_us(2000, [&] { f = d::cyclotomic_sqr(f); }) * 1000);
        std::printf("micro_fp12_mul_ns %.1f\n", time_us(2000, [&] { f = d::mul(f, f); }) * 1000);
        std::printf("micro_g2_decompress_us %.1f\n", time_us(200, [&] { d::G2Affine o; g_sink = d::g2_decompress(o, sig_bytes[0].data()) == d::DecodeError::kOk; }));
    }
    return 0;
}
