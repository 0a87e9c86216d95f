// SPDX-License-Identifier: Apache-2.0 OR MIT
//! BLS12-381 signatures as Filecoin uses them (the min-pk scheme of filecoin-project/bls-signatures):
//! 32-byte little-endian private keys, 48-byte compressed G1 public keys, 96-byte compressed G2
//! signatures over the message bytes, hashed to G2 with RFC 9380 and the DST
//! `BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_`. Points use the zcash compressed encoding; every
//! decoder rejects bad flags, non-canonical coordinates, points off the curve and points outside the
//! prime-order subgroup. Implemented in this project (no BLS library is packaged for Debian 12).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <span>
#include <string_view>
#include <unordered_map>

#include "venus/core/bytes.hpp"
#include "venus/core/result.hpp"

namespace venus::crypto::bls {

inline constexpr std::size_t kPrivateKeySize = 32;
inline constexpr std::size_t kPublicKeySize = 48;
inline constexpr std::size_t kSignatureSize = 96;
//! The ciphersuite Filecoin signs with (NUL: no proof of possession; messages must be distinct).
inline constexpr std::string_view kFilecoinDst = "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_";

using PrivateKeyBytes = std::array<std::uint8_t, kPrivateKeySize>;
using PublicKeyBytes = std::array<std::uint8_t, kPublicKeySize>;
using SignatureBytes = std::array<std::uint8_t, kSignatureSize>;

//! A secret scalar in [0, r). Zeroed on destruction. Keys are little-endian, as in Lotus, Venus and
//! filecoin-ffi; like filecoin-project/bls-signatures, a value >= r is rejected (not reduced) and zero
//! is accepted (its public key is the point at infinity, which no verifier accepts).
class PrivateKey {
  public:
    //! Exactly 32 bytes, little-endian, < r.
    static Result<PrivateKey> from_bytes(BytesView le_bytes);
    //! A uniformly random key from the OpenSSL CSPRNG.
    static Result<PrivateKey> generate();

    PrivateKey(const PrivateKey&) = default;
    PrivateKey& operator=(const PrivateKey&) = default;
    ~PrivateKey();

    [[nodiscard]] PrivateKeyBytes to_bytes() const;
    //! pk = sk * G1, compressed. Constant time in the key.
    [[nodiscard]] PublicKeyBytes public_key() const;
    //! sig = sk * H(msg), compressed. Constant time in the key (the message is public).
    [[nodiscard]] SignatureBytes sign(BytesView msg, std::string_view dst = kFilecoinDst) const;

  private:
    PrivateKey() = default;
    std::array<std::uint64_t, 4> scalar_{};
};

//! A decoded, validated G1 public key (possibly the point at infinity, see is_infinity()).
class PublicKey {
  public:
    static Result<PublicKey> from_bytes(BytesView bytes);
    [[nodiscard]] const PublicKeyBytes& bytes() const noexcept { return bytes_; }
    [[nodiscard]] bool is_infinity() const noexcept { return infinity_; }

  private:
    friend struct Access;
    PublicKeyBytes bytes_{};
    std::array<std::uint64_t, 12> point_{};  //!< affine x, y in the internal field representation
    bool infinity_ = false;
};

//! A decoded, validated G2 signature (or aggregate).
class Signature {
  public:
    static Result<Signature> from_bytes(BytesView bytes);
    [[nodiscard]] const SignatureBytes& bytes() const noexcept { return bytes_; }
    [[nodiscard]] bool is_infinity() const noexcept { return infinity_; }

  private:
    friend struct Access;
    SignatureBytes bytes_{};
    std::array<std::uint64_t, 24> point_{};
    bool infinity_ = false;
};

//! Convenience for byte-level callers (wallets, the CLI).
Result<PublicKeyBytes> public_key_from_private(BytesView private_key);
Result<SignatureBytes> sign(BytesView private_key, BytesView msg);

//! e(pk, H(msg)) == e(G1, sig). False for an infinity public key.
bool verify(const PublicKey& pk, BytesView msg, const Signature& sig);
//! Decodes then verifies. An error means malformed input (the message says which part and why);
//! `false` means well-formed but not a valid signature.
Result<bool> verify(BytesView public_key, BytesView msg, BytesView signature);

//! Sum of the signatures. The aggregate of nothing is the point at infinity (`c0` then 95 zeros).
Signature aggregate(std::span<const Signature> signatures);
//! Decodes (with subgroup checks) and aggregates; an error names the first bad signature.
Result<SignatureBytes> aggregate(std::span<const BytesView> signatures);
//! The encoding of the empty aggregate.
SignatureBytes empty_aggregate();

//! prod e(pk_i, H(msg_i)) == e(G1, sig), one multi-pairing with a single final exponentiation.
//! False when the lists are empty or of different lengths, when two messages are equal (the NUL
//! scheme needs distinct messages against rogue keys) or when a public key is the point at infinity.
bool aggregate_verify(std::span<const PublicKey> public_keys, std::span<const BytesView> messages,
                      const Signature& signature);
Result<bool> aggregate_verify(std::span<const BytesView> public_keys, std::span<const BytesView> messages,
                              BytesView signature);

//! hash_to_curve onto G2 (RFC 9380, suite BLS12381G2_XMD:SHA-256_SSWU_RO_) with any DST, compressed.
Result<SignatureBytes> hash_to_g2(BytesView msg, BytesView dst);
//! expand_message_xmd with SHA-256 (RFC 9380 5.3.1); exposed for tests and tools.
Result<Bytes> expand_message_xmd(BytesView msg, BytesView dst, std::size_t len);

//! A bounded, thread-safe record of (public key, message, signature) triples that verified, so a
//! message checked when it enters the pool is not checked again when a block carries it (Lotus keeps
//! the same kind of cache). Least recently used entries are evicted. Only successes are remembered:
//! a failure is never cached, so an attacker cannot poison it.
class VerifiedCache {
  public:
    explicit VerifiedCache(std::size_t capacity = 1U << 16);
    VerifiedCache(const VerifiedCache&) = delete;
    VerifiedCache& operator=(const VerifiedCache&) = delete;

    //! Answers from the cache when it can, else verifies and remembers a success.
    Result<bool> verify(BytesView public_key, BytesView msg, BytesView signature);
    //! True when this exact triple verified before.
    [[nodiscard]] bool contains(BytesView public_key, BytesView msg, BytesView signature) const;
    //! Records a triple the caller verified some other way.
    void insert(BytesView public_key, BytesView msg, BytesView signature);

    [[nodiscard]] std::size_t size() const;
    [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }
    [[nodiscard]] std::uint64_t hits() const;
    [[nodiscard]] std::uint64_t misses() const;

  private:
    using Key = std::array<std::uint8_t, 32>;
    struct KeyHash {
        std::size_t operator()(const Key& k) const noexcept;
    };
    static Key key_of(BytesView public_key, BytesView msg, BytesView signature);
    bool lookup(const Key& k) const;
    void remember(const Key& k);

    std::size_t capacity_;
    mutable std::mutex mu_;
    mutable std::list<Key> lru_;  //!< front = most recently used
    std::unordered_map<Key, std::list<Key>::iterator, KeyHash> index_;
    mutable std::uint64_t hits_ = 0;
    mutable std::uint64_t misses_ = 0;
};

}  // namespace venus::crypto::bls
