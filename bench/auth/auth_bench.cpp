// SPDX-License-Identifier: Apache-2.0 OR MIT
// Token verification throughput on one thread, all on the same sophon token in the same run:
//   raw HMAC-SHA256, key pads precomputed (rpc::Hs256Key::mac) — the floor of any HS256 check
//   OpenSSL one-shot HMAC()                                      — what a naive verifier pays
//   AuthVerifier::verify, cached   — what every authenticated RPC call pays (hash lookup)
//   AuthVerifier::verify_uncached  — SQLite row lookup + key setup + HMAC + header/payload parse + user lookup
// Usage: venus_auth_bench [SECONDS_PER_CASE=2]
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <unistd.h>

#include "auth_service.hpp"
#include "rate_limiter.hpp"
#include "store/auth_store.hpp"
#include "venus/core/bytes.hpp"
#include "venus/core/log.hpp"
#include "venus/rpc/jwt.hpp"
#include "venus/storage/sqlite.hpp"
#include "verifier.hpp"

using namespace venus;
using namespace venus::plugins::auth;

namespace {
// Keeps a result alive without a volatile store in the timed loop.
inline void keep(std::uint64_t v) { asm volatile("" : : "r"(v) : "memory"); }

// Runs `fn` in batches until `seconds` pass; returns operations per second.
double rate(double seconds, const std::function<void()>& fn) {
    using Clock = std::chrono::steady_clock;
    for (int i = 0; i < 1000; ++i) fn();  // warm caches
    std::uint64_t n = 0;
    const auto start = Clock::now();
    auto now = start;
    while (std::chrono::duration<double>(now - start).count() < seconds) {
        for (int i = 0; i < 1000; ++i) fn();
        n += 1000;
        now = Clock::now();
    }
    return static_cast<double>(n) / std::chrono::duration<double>(now - start).count();
}

void row(const char* what, double per_second, double baseline) {
    std::printf("%-44s %12.0f /s %9.1f ns  %5.2fx raw HMAC\n", what, per_second, 1e9 / per_second, baseline / per_second);
}
}  // namespace

int main(int argc, char** argv) {
    const double seconds = argc > 1 ? std::atof(argv[1]) : 2.0;
    (void)log::init(log::Options{"warn", "", 1, 1, true});
    const auto dir = std::filesystem::temp_directory_path() / ("venus-auth-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);

    auto db = storage::sqlite::open(dir / "auth.db");
    if (!db) {
        std::fprintf(stderr, "sqlite: %s\n", db.error().message.c_str());
        return 1;
    }
    auto store = AuthStore::open(**db);
    if (!store) return 1;
    RateLimiter limiter;
    AuthVerifier verifier(**store, nullptr, limiter, 100000);
    AuthService service(**store, verifier, limiter);
    const rpc::Claims admin{"root", rpc::Perm::kAdmin, ""};
    if (!service.create_user(admin, "storage-provider-01", "", 1).ok()) return 1;
    auto token = service.generate_token(admin, "storage-provider-01", "sign", "");
    if (!token) return 1;
    auto rows = store->get()->find_token(*token);
    const auto secret = *from_hex((*rows)->secret_hex);
    auto parts = rpc::jwt_split(*token);
    const std::string signing_input(parts->signing_input);

    std::printf("token: %zu bytes (payload {\"name\":\"storage-provider-01\",\"perm\":\"sign\",\"ext\":\"\"}), %.1f s per case, 1 thread\n\n",
                token->size(), seconds);
    const rpc::Hs256Key key(secret);
    const double raw = rate(seconds, [&] { keep(key.mac(as_bytes(signing_input))[0]); });
    const double oneshot = rate(seconds, [&] {
        unsigned char out[32];
        unsigned int len = 0;
        HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
             reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(), out, &len);
        keep(out[0]);
    });
    const double cached = rate(seconds, [&] {
        verifier.verify(*token, [](Result<rpc::Claims> r) { keep(r.ok() ? 1 : 0); });
    });
    const double uncached = rate(seconds / 2, [&] { keep(verifier.verify_uncached(*token).ok() ? 1 : 0); });

    row("raw HMAC-SHA256, precomputed key (floor)", raw, raw);
    row("OpenSSL one-shot HMAC()", oneshot, raw);
    row("auth verify, cached (every RPC call)", cached, raw);
    row("auth verify, uncached (SQLite + HMAC + user)", uncached, raw);
    std::printf("\ntarget: cached >= 1.3 M/s -> %s\n", cached >= 1.3e6 ? "met" : "NOT met");
    store->reset();
    db->reset();
    std::filesystem::remove_all(dir);
    return 0;
}
