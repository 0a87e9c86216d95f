// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "venus/crypto/hash.hpp"

#include <openssl/evp.h>
#include <sodium.h>

#include <cstdlib>

namespace venus::crypto {
namespace {

static_assert(sizeof(crypto_generichash_state) == 384, "libsodium BLAKE2b state size changed");

// sodium_init selects the SIMD BLAKE2b implementation; without it libsodium uses the portable one.
[[maybe_unused]] const int kSodiumReady = [] {
    if (sodium_init() < 0) std::abort();
    return 0;
}();

// Fetching the digest once avoids OpenSSL 3's implicit per-call provider lookup.
const EVP_MD* sha256_md() noexcept {
    static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return md;
}

struct ThreadSha256 {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~ThreadSha256() { EVP_MD_CTX_free(ctx); }
};

}  // namespace

void blake2b(BytesView data, std::span<std::uint8_t> out) noexcept {
    crypto_generichash(out.data(), out.size(), data.data(), data.size(), nullptr, 0);
}

Hash256 blake2b_256(BytesView data) noexcept {
    Hash256 h;
    blake2b(data, h);
    return h;
}

Hash160 blake2b_160(BytesView data) noexcept {
    Hash160 h;
    blake2b(data, h);
    return h;
}

Checksum4 blake2b_32(BytesView data) noexcept {
    Checksum4 h;
    blake2b(data, h);
    return h;
}

std::array<std::uint8_t, 64> blake2b_512(BytesView data) noexcept {
    std::array<std::uint8_t, 64> h;
    blake2b(data, h);
    return h;
}

Hash256 sha256(BytesView data) noexcept {
    thread_local ThreadSha256 t;
    Hash256 h;
    unsigned int len = 0;
    if (t.ctx == nullptr || EVP_DigestInit_ex(t.ctx, sha256_md(), nullptr) != 1 ||
        EVP_DigestUpdate(t.ctx, data.data(), data.size()) != 1 || EVP_DigestFinal_ex(t.ctx, h.data(), &len) != 1) {
        std::abort();  // only on allocation failure inside OpenSSL; nothing sensible to return
    }
    return h;
}

Blake2bHasher::Blake2bHasher(std::size_t out_len) noexcept : out_len_(out_len) {
    crypto_generichash_init(reinterpret_cast<crypto_generichash_state*>(state_), nullptr, 0, out_len);
}

void Blake2bHasher::update(BytesView data) noexcept {
    crypto_generichash_update(reinterpret_cast<crypto_generichash_state*>(state_), data.data(), data.size());
}

void Blake2bHasher::finish(std::span<std::uint8_t> out) noexcept {
    crypto_generichash_final(reinterpret_cast<crypto_generichash_state*>(state_), out.data(), out_len_);
}

}  // namespace venus::crypto
