// SPDX-License-Identifier: Apache-2.0 OR MIT
// The Filecoin min-pk scheme on top of the curve, pairing and hash-to-curve code.
#include "venus/crypto/bls.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <stdexcept>
#include <cstring>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "hash_to_curve.hpp"
#include "pairing.hpp"

namespace venus::crypto::bls {

using namespace detail;  // NOLINT(google-build-using-namespace): this file is the adapter

//! Moves points between the public classes (opaque limb arrays) and the internal types.
struct Access {
    static G1Affine point(const PublicKey& pk) {
        G1Affine a{};
        std::memcpy(a.x.l, pk.point_.data(), 48);
        std::memcpy(a.y.l, pk.point_.data() + 6, 48);
        a.infinity = pk.infinity_;
        return a;
    }
    static G2Affine point(const Signature& s) {
        G2Affine a{};
        std::memcpy(a.x.c0.l, s.point_.data(), 48);
        std::memcpy(a.x.c1.l, s.point_.data() + 6, 48);
        std::memcpy(a.y.c0.l, s.point_.data() + 12, 48);
        std::memcpy(a.y.c1.l, s.point_.data() + 18, 48);
        a.infinity = s.infinity_;
        return a;
    }
    static PublicKey make(const PublicKeyBytes& bytes, const G1Affine& a) {
        PublicKey pk;
        pk.bytes_ = bytes;
        std::memcpy(pk.point_.data(), a.x.l, 48);
        std::memcpy(pk.point_.data() + 6, a.y.l, 48);
        pk.infinity_ = a.infinity;
        return pk;
    }
    static Signature make(const SignatureBytes& bytes, const G2Affine& a) {
        Signature s;
        s.bytes_ = bytes;
        std::memcpy(s.point_.data(), a.x.c0.l, 48);
        std::memcpy(s.point_.data() + 6, a.x.c1.l, 48);
        std::memcpy(s.point_.data() + 12, a.y.c0.l, 48);
        std::memcpy(s.point_.data() + 18, a.y.c1.l, 48);
        s.infinity_ = a.infinity;
        return s;
    }
};

namespace {

//! r, the group order, little-endian limbs.
constexpr u64 kR[4] = {0xffffffff00000001, 0x53bda402fffe5bfe, 0x3339d80809a1d805, 0x73eda753299d7d48};

bool scalar_below_r(const std::array<u64, 4>& k) {
    u64 borrow = 0;
    for (int i = 0; i < 4; ++i) {
        u128 d = static_cast<u128>(k[i]) - kR[i] - borrow;
        borrow = static_cast<u64>(d >> 64) & 1;
    }
    return borrow == 1;
}

ByteSpan dst_bytes(std::string_view dst) { return as_bytes(dst); }

G2Affine hash_affine(BytesView msg, std::string_view dst) { return to_affine(detail::hash_to_g2(msg, dst_bytes(dst))); }

//! Affine forms of many points with one field inversion (Montgomery's trick).
std::vector<G2Affine> batch_to_affine(const std::vector<G2>& pts) {
    const std::size_t n = pts.size();
    std::vector<G2Affine> out(n);
    std::vector<Fp2> prefix(n);
    Fp2 acc = fp2_one();
    for (std::size_t i = 0; i < n; ++i) {
        prefix[i] = acc;
        if (!is_identity(pts[i])) acc = mul(acc, pts[i].z);
    }
    Fp2 inv_acc = inv(acc);
    for (std::size_t i = n; i-- > 0;) {
        if (is_identity(pts[i])) {
            out[i] = {fp2_zero(), fp2_zero(), true};
            continue;
        }
        const Fp2 zi = mul(inv_acc, prefix[i]);  // 1/z_i
        inv_acc = mul(inv_acc, pts[i].z);
        out[i] = {mul(pts[i].x, zi), mul(pts[i].y, zi), false};
    }
    return out;
}

G1Affine neg_g1_generator() { return {kG1GenX, neg(kG1GenY), false}; }

Error decode_error(std::string_view what, DecodeError e) {
    return make_error(Errc::kInvalidArgument, "{}: {}", what, describe(e));
}

Result<PublicKey> decode_public_key(BytesView bytes, std::string_view what) {
    if (bytes.size() != kPublicKeySize) {
        return make_error(Errc::kInvalidArgument, "{}: expected {} bytes, got {}", what, kPublicKeySize,
                          bytes.size());
    }
    G1Affine a;
    const DecodeError e = g1_decompress(a, bytes.data());
    if (e != DecodeError::kOk) return decode_error(what, e);
    PublicKeyBytes b;
    std::memcpy(b.data(), bytes.data(), b.size());
    return Access::make(b, a);
}

Result<Signature> decode_signature(BytesView bytes, std::string_view what) {
    if (bytes.size() != kSignatureSize) {
        return make_error(Errc::kInvalidArgument, "{}: expected {} bytes, got {}", what, kSignatureSize,
                          bytes.size());
    }
    G2Affine a;
    const DecodeError e = g2_decompress(a, bytes.data());
    if (e != DecodeError::kOk) return decode_error(what, e);
    SignatureBytes b;
    std::memcpy(b.data(), bytes.data(), b.size());
    return Access::make(b, a);
}

bool messages_distinct(std::span<const BytesView> messages) {
    std::unordered_set<std::string_view> seen;
    seen.reserve(messages.size() * 2);
    for (const BytesView m : messages) {
        if (!seen.insert(as_string(m)).second) return false;
    }
    return true;
}

}  // namespace

// ---- PrivateKey ---------------------------------------------------------------------------------

Result<PrivateKey> PrivateKey::from_bytes(BytesView le_bytes) {
    if (le_bytes.size() != kPrivateKeySize) {
        return make_error(Errc::kInvalidArgument, "private key: expected {} bytes, got {}", kPrivateKeySize,
                          le_bytes.size());
    }
    PrivateKey k;
    for (std::size_t i = 0; i < 32; ++i) k.scalar_[i / 8] |= static_cast<u64>(le_bytes[i]) << (8 * (i % 8));
    if (!scalar_below_r(k.scalar_)) {
        return make_error(Errc::kInvalidArgument,
                          "private key: scalar is not below the group order r (not a canonical key)");
    }
    return k;
}

Result<PrivateKey> PrivateKey::generate() {
    for (int attempt = 0; attempt < 64; ++attempt) {
        PrivateKeyBytes b;
        if (RAND_bytes(b.data(), static_cast<int>(b.size())) != 1) {
            return make_error(Errc::kInternal, "private key: the OpenSSL random generator failed");
        }
        b[31] &= 0x7f;  // r < 2^255: keeps rejection rare (about 1 in 2.2)
        auto k = from_bytes(b);
        OPENSSL_cleanse(b.data(), b.size());
        if (k.ok()) return k;
    }
    return make_error(Errc::kInternal, "private key: could not draw a scalar below r");
}

PrivateKey::~PrivateKey() { OPENSSL_cleanse(scalar_.data(), sizeof scalar_); }

PrivateKeyBytes PrivateKey::to_bytes() const {
    PrivateKeyBytes b;
    for (std::size_t i = 0; i < 32; ++i) b[i] = static_cast<std::uint8_t>(scalar_[i / 8] >> (8 * (i % 8)));
    return b;
}

PublicKeyBytes PrivateKey::public_key() const {
    PublicKeyBytes out;
    g1_compress(out.data(), mul_ct(g1_generator(), scalar_.data()));
    return out;
}

SignatureBytes PrivateKey::sign(BytesView msg, std::string_view dst) const {
    const G2 h = detail::hash_to_g2(msg, dst_bytes(dst));
    SignatureBytes out;
    g2_compress(out.data(), g2_mul_ct(h, scalar_.data()));
    return out;
}

// ---- PublicKey / Signature ----------------------------------------------------------------------

Result<PublicKey> PublicKey::from_bytes(BytesView bytes) { return decode_public_key(bytes, "public key"); }

Result<Signature> Signature::from_bytes(BytesView bytes) { return decode_signature(bytes, "signature"); }

// ---- scheme -------------------------------------------------------------------------------------

Result<PublicKeyBytes> public_key_from_private(BytesView private_key) {
    VENUS_TRY(const PrivateKey sk, PrivateKey::from_bytes(private_key));
    return sk.public_key();
}

Result<SignatureBytes> sign(BytesView private_key, BytesView msg) {
    VENUS_TRY(const PrivateKey sk, PrivateKey::from_bytes(private_key));
    return sk.sign(msg);
}

bool verify(const PublicKey& pk, BytesView msg, const Signature& sig) {
    if (pk.is_infinity()) return false;
    const G1Affine ps[2] = {Access::point(pk), neg_g1_generator()};
    const G2Affine qs[2] = {hash_affine(msg, kFilecoinDst), Access::point(sig)};
    return pairing_product_is_one(ps, qs, 2);
}

Result<bool> verify(BytesView public_key, BytesView msg, BytesView signature) {
    VENUS_TRY(const PublicKey pk, decode_public_key(public_key, "public key"));
    if (pk.is_infinity()) {
        return make_error(Errc::kInvalidArgument, "public key: the point at infinity is not a valid key");
    }
    VENUS_TRY(const Signature sig, decode_signature(signature, "signature"));
    return verify(pk, msg, sig);
}

Signature aggregate(std::span<const Signature> signatures) {
    G2 acc = identity<Fp2>();
    for (const Signature& s : signatures) acc = add(acc, from_affine(Access::point(s)));
    SignatureBytes b;
    g2_compress(b.data(), acc);
    return Access::make(b, to_affine(acc));
}

Result<SignatureBytes> aggregate(std::span<const BytesView> signatures) {
    G2 acc = identity<Fp2>();
    for (std::size_t i = 0; i < signatures.size(); ++i) {
        G2Affine a;
        if (signatures[i].size() != kSignatureSize) {
            return make_error(Errc::kInvalidArgument, "signature {}: expected {} bytes, got {}", i, kSignatureSize,
                              signatures[i].size());
        }
        const DecodeError e = g2_decompress(a, signatures[i].data());
        if (e != DecodeError::kOk) return make_error(Errc::kInvalidArgument, "signature {}: {}", i, describe(e));
        acc = add(acc, from_affine(a));
    }
    SignatureBytes out;
    g2_compress(out.data(), acc);
    return out;
}

SignatureBytes empty_aggregate() {
    SignatureBytes b{};
    b[0] = 0xc0;
    return b;
}

bool aggregate_verify(std::span<const PublicKey> public_keys, std::span<const BytesView> messages,
                      const Signature& signature) {
    const std::size_t n = messages.size();
    if (n == 0 || public_keys.size() != n) return false;
    if (!messages_distinct(messages)) return false;
    std::vector<G1Affine> ps;
    ps.reserve(n + 1);
    for (const PublicKey& pk : public_keys) {
        if (pk.is_infinity()) return false;
        ps.push_back(Access::point(pk));
    }
    std::vector<G2> hs;
    hs.reserve(n);
    for (const BytesView m : messages) hs.push_back(detail::hash_to_g2(m, dst_bytes(kFilecoinDst)));
    std::vector<G2Affine> qs = batch_to_affine(hs);
    ps.push_back(neg_g1_generator());
    qs.push_back(Access::point(signature));
    return pairing_product_is_one(ps.data(), qs.data(), ps.size());
}

Result<bool> aggregate_verify(std::span<const BytesView> public_keys, std::span<const BytesView> messages,
                              BytesView signature) {
    if (public_keys.size() != messages.size()) {
        return make_error(Errc::kInvalidArgument, "aggregate verify: {} public keys but {} messages",
                          public_keys.size(), messages.size());
    }
    if (messages.empty()) return make_error(Errc::kInvalidArgument, "aggregate verify: no messages");
    if (!messages_distinct(messages)) {
        return make_error(Errc::kInvalidArgument, "aggregate verify: messages must be distinct");
    }
    std::vector<PublicKey> pks;
    pks.reserve(public_keys.size());
    for (std::size_t i = 0; i < public_keys.size(); ++i) {
        VENUS_TRY(PublicKey pk, decode_public_key(public_keys[i], fmt::format("public key {}", i)));
        if (pk.is_infinity()) {
            return make_error(Errc::kInvalidArgument, "public key {}: the point at infinity is not a valid key", i);
        }
        pks.push_back(std::move(pk));
    }
    VENUS_TRY(const Signature sig, decode_signature(signature, "signature"));
    return aggregate_verify(pks, messages, sig);
}

Result<SignatureBytes> hash_to_g2(BytesView msg, BytesView dst) {
    SignatureBytes out;
    g2_compress(out.data(), detail::hash_to_g2(msg, dst));
    return out;
}

Result<Bytes> expand_message_xmd(BytesView msg, BytesView dst, std::size_t len) {
    Bytes out(len);
    if (!detail::expand_message_xmd(out.data(), len, msg, dst)) {
        return make_error(Errc::kInvalidArgument, "expand_message_xmd: length {} is out of range (1..8160)", len);
    }
    return out;
}

// ---- VerifiedCache ------------------------------------------------------------------------------

VerifiedCache::VerifiedCache(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

std::size_t VerifiedCache::KeyHash::operator()(const Key& k) const noexcept {
    std::size_t h;
    std::memcpy(&h, k.data(), sizeof h);  // the key is already a SHA-256 digest
    return h;
}

VerifiedCache::Key VerifiedCache::key_of(BytesView public_key, BytesView msg, BytesView signature) {
    static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    // Length-prefix the variable parts so that no two different triples share an input.
    std::uint8_t lens[16];
    const std::uint64_t pl = public_key.size(), sl = signature.size();
    std::memcpy(lens, &pl, 8);
    std::memcpy(lens + 8, &sl, 8);
    Key k{};
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    const bool ok = ctx != nullptr && md != nullptr && EVP_DigestInit_ex2(ctx, md, nullptr) == 1 &&
                    EVP_DigestUpdate(ctx, lens, sizeof lens) == 1 &&
                    EVP_DigestUpdate(ctx, public_key.data(), public_key.size()) == 1 &&
                    EVP_DigestUpdate(ctx, signature.data(), signature.size()) == 1 &&
                    EVP_DigestUpdate(ctx, msg.data(), msg.size()) == 1 &&
                    EVP_DigestFinal_ex(ctx, k.data(), nullptr) == 1;
    EVP_MD_CTX_free(ctx);
    if (!ok) throw std::runtime_error("OpenSSL: SHA256 failed");  // only on allocation failure
    return k;
}

bool VerifiedCache::lookup(const Key& k) const {
    std::lock_guard lock(mu_);
    auto it = index_.find(k);
    if (it == index_.end()) {
        ++misses_;
        return false;
    }
    lru_.splice(lru_.begin(), lru_, it->second);
    ++hits_;
    return true;
}

void VerifiedCache::remember(const Key& k) {
    std::lock_guard lock(mu_);
    auto it = index_.find(k);
    if (it != index_.end()) {
        lru_.splice(lru_.begin(), lru_, it->second);
        return;
    }
    lru_.push_front(k);
    index_.emplace(k, lru_.begin());
    while (index_.size() > capacity_) {
        index_.erase(lru_.back());
        lru_.pop_back();
    }
}

Result<bool> VerifiedCache::verify(BytesView public_key, BytesView msg, BytesView signature) {
    const Key k = key_of(public_key, msg, signature);
    if (lookup(k)) return true;
    VENUS_TRY(const bool ok, bls::verify(public_key, msg, signature));
    if (ok) remember(k);
    return ok;
}

bool VerifiedCache::contains(BytesView public_key, BytesView msg, BytesView signature) const {
    const Key k = key_of(public_key, msg, signature);
    std::lock_guard lock(mu_);
    return index_.count(k) != 0;
}

void VerifiedCache::insert(BytesView public_key, BytesView msg, BytesView signature) {
    remember(key_of(public_key, msg, signature));
}

std::size_t VerifiedCache::size() const {
    std::lock_guard lock(mu_);
    return index_.size();
}
std::uint64_t VerifiedCache::hits() const {
    std::lock_guard lock(mu_);
    return hits_;
}
std::uint64_t VerifiedCache::misses() const {
    std::lock_guard lock(mu_);
    return misses_;
}

}  // namespace venus::crypto::bls
