// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Content identifiers (CID v0 and v1) with their multihash and multicodec parts.
//! Filecoin chain objects are CIDv1 + dag-cbor (0x71) + blake2b-256 (0xb220): 38 bytes, text `bafy2bza…`.
#pragma once

#include <compare>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>

#include "venus/core/bytes.hpp"
#include "venus/core/result.hpp"

namespace venus::codec {

//! Multicodec content types.
inline constexpr std::uint64_t kCodecRaw = 0x55;
inline constexpr std::uint64_t kCodecDagPb = 0x70;
inline constexpr std::uint64_t kCodecDagCbor = 0x71;

//! Multihash function codes.
inline constexpr std::uint64_t kHashIdentity = 0x00;
inline constexpr std::uint64_t kHashSha2_256 = 0x12;
inline constexpr std::uint64_t kHashBlake2b256 = 0xb220;

//! Longest CID accepted from the wire (identity CIDs embed data; nothing legitimate is this big).
inline constexpr std::size_t kMaxCidBytes = 4096;

//! A CID, held in its binary form with the parsed header fields. Small CIDs (every hashed CID) live
//! inline, so copying one allocates nothing. A default-constructed Cid is "undefined" (JSON null).
class Cid {
  public:
    Cid() noexcept = default;
    Cid(const Cid& o) { assign(o); }
    Cid(Cid&& o) noexcept { steal(o); }
    Cid& operator=(const Cid& o) {
        if (this != &o) {
            release();
            assign(o);
        }
        return *this;
    }
    Cid& operator=(Cid&& o) noexcept {
        if (this != &o) {
            release();
            steal(o);
        }
        return *this;
    }
    ~Cid() { release(); }

    //! Parses a binary CID that must span all of `data`.
    static Result<Cid> from_bytes(BytesView data);
    //! Parses a binary CID at the front of `data`; `consumed` receives its length.
    static Result<Cid> read_prefix(BytesView data, std::size_t& consumed);
    //! Parses text: CIDv0 (`Qm…` base58btc) or multibase CIDv1 (`b…` base32, `z…` base58btc).
    static Result<Cid> parse(std::string_view text);

    //! Builds a CIDv1 from a digest (no hashing here).
    static Cid v1(std::uint64_t codec, std::uint64_t hash_code, BytesView digest);
    //! Builds a CIDv0 (dag-pb, sha2-256) from a 32-byte digest.
    static Cid v0(BytesView sha256_digest);

    [[nodiscard]] bool defined() const noexcept { return size_ != 0; }
    [[nodiscard]] std::uint64_t version() const noexcept { return version_; }
    [[nodiscard]] std::uint64_t codec() const noexcept { return codec_; }
    [[nodiscard]] std::uint64_t hash_code() const noexcept { return hash_code_; }
    //! The whole binary CID.
    [[nodiscard]] BytesView bytes() const noexcept { return {data(), size_}; }
    //! The multihash part (code ‖ length ‖ digest).
    [[nodiscard]] BytesView multihash() const noexcept { return bytes().subspan(mh_offset_); }
    [[nodiscard]] BytesView digest() const noexcept { return bytes().subspan(digest_offset_); }

    //! CIDv0 → base58btc without prefix; CIDv1 → multibase base32 lower (`b…`). Undefined → "".
    [[nodiscard]] std::string to_string() const;
    //! CIDv1 text in another multibase (base58btc gives `z…`).
    [[nodiscard]] std::string to_string_base58() const;

    friend bool operator==(const Cid& a, const Cid& b) noexcept {
        return a.size_ == b.size_ && std::memcmp(a.data(), b.data(), a.size_) == 0;
    }
    //! Bytewise order of the binary form (what Lotus uses to sort CIDs).
    friend std::strong_ordering operator<=>(const Cid& a, const Cid& b) noexcept;

  private:
    static constexpr std::size_t kInline = 40;

    const std::uint8_t* data() const noexcept { return heap_ != nullptr ? heap_ : inline_; }
    void set_bytes(BytesView b);
    void assign(const Cid& o);
    void steal(Cid& o) noexcept;
    void release() noexcept;

    std::uint8_t inline_[kInline] = {};
    std::uint8_t* heap_ = nullptr;
    std::uint64_t codec_ = 0;
    std::uint64_t hash_code_ = 0;
    std::uint32_t size_ = 0;
    std::uint16_t mh_offset_ = 0;
    std::uint16_t digest_offset_ = 0;
    std::uint8_t version_ = 0;
};

//! Hashes `data` and returns its CIDv1: `hash_code` must be blake2b-256, sha2-256 or identity.
Cid make_cid(BytesView data, std::uint64_t codec = kCodecDagCbor, std::uint64_t hash_code = kHashBlake2b256);

//! CID of a chain object: dag-cbor + blake2b-256 of its CBOR bytes.
inline Cid cbor_cid(BytesView cbor) { return make_cid(cbor, kCodecDagCbor, kHashBlake2b256); }

struct CidHash {
    std::size_t operator()(const Cid& c) const noexcept;
};

}  // namespace venus::codec

template <>
struct std::hash<venus::codec::Cid> : venus::codec::CidHash {};
