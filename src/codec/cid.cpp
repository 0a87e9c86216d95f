// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "venus/codec/cid.hpp"

#include <algorithm>

#include "venus/codec/multibase.hpp"
#include "venus/codec/varint.hpp"
#include "venus/crypto/hash.hpp"

namespace venus::codec {

void Cid::set_bytes(BytesView b) {
    size_ = static_cast<std::uint32_t>(b.size());
    if (b.size() <= kInline) {
        std::memcpy(inline_, b.data(), b.size());
    } else {
        heap_ = new std::uint8_t[b.size()];
        std::memcpy(heap_, b.data(), b.size());
    }
}

void Cid::assign(const Cid& o) {
    codec_ = o.codec_;
    hash_code_ = o.hash_code_;
    mh_offset_ = o.mh_offset_;
    digest_offset_ = o.digest_offset_;
    version_ = o.version_;
    set_bytes(o.bytes());
}

void Cid::steal(Cid& o) noexcept {
    codec_ = o.codec_;
    hash_code_ = o.hash_code_;
    mh_offset_ = o.mh_offset_;
    digest_offset_ = o.digest_offset_;
    version_ = o.version_;
    size_ = o.size_;
    if (o.heap_ != nullptr) {
        heap_ = o.heap_;
        o.heap_ = nullptr;
    } else {
        std::memcpy(inline_, o.inline_, size_);
    }
    o.size_ = 0;
}

void Cid::release() noexcept {
    delete[] heap_;
    heap_ = nullptr;
    size_ = 0;
}

std::strong_ordering operator<=>(const Cid& a, const Cid& b) noexcept {
    const std::size_t n = std::min(a.size_, b.size_);
    const int c = n == 0 ? 0 : std::memcmp(a.data(), b.data(), n);
    if (c != 0) return c < 0 ? std::strong_ordering::less : std::strong_ordering::greater;
    return a.size_ <=> b.size_;
}

Result<Cid> Cid::read_prefix(BytesView data, std::size_t& consumed) {
    consumed = 0;
    if (data.size() >= 2 && data[0] == 0x12 && data[1] == 0x20) {
        // CIDv0: a bare sha2-256 multihash.
        if (data.size() < 34) return make_error(Errc::kInvalidArgument, "cid: truncated CIDv0");
        Cid c;
        c.version_ = 0;
        c.codec_ = kCodecDagPb;
        c.hash_code_ = kHashSha2_256;
        c.mh_offset_ = 0;
        c.digest_offset_ = 2;
        c.set_bytes(data.first(34));
        consumed = 34;
        return c;
    }
    std::size_t pos = 0;
    auto next = [&](const char* what, std::uint64_t& v) -> Status {
        auto r = read_uvarint(data.subspan(pos));
        if (r.error != UvarintError::kOk) {
            return make_error(Errc::kInvalidArgument, "cid: {}: {}", what, uvarint_error_text(r.error));
        }
        v = r.value;
        pos += r.size;
        return {};
    };
    std::uint64_t version = 0, codec = 0, hash = 0, len = 0;
    VENUS_TRY_VOID(next("version", version));
    if (version != 1) return make_error(Errc::kInvalidArgument, "cid: unsupported version {}", version);
    VENUS_TRY_VOID(next("codec", codec));
    const std::size_t mh_offset = pos;
    VENUS_TRY_VOID(next("multihash code", hash));
    VENUS_TRY_VOID(next("multihash length", len));
    if (len > kMaxCidBytes || pos + len > kMaxCidBytes) return make_error(Errc::kOutOfRange, "cid: too long");
    if (data.size() - pos < len) return make_error(Errc::kInvalidArgument, "cid: truncated digest");
    // Known hash functions have fixed digest sizes; a different length cannot be a real hash.
    if ((hash == kHashSha2_256 || hash == kHashBlake2b256) && len != 32) {
        return make_error(Errc::kInvalidArgument, "cid: digest length {} does not match hash 0x{:x}", len, hash);
    }
    Cid c;
    c.version_ = 1;
    c.codec_ = codec;
    c.hash_code_ = hash;
    c.mh_offset_ = static_cast<std::uint16_t>(mh_offset);
    c.digest_offset_ = static_cast<std::uint16_t>(pos);
    consumed = pos + static_cast<std::size_t>(len);
    c.set_bytes(data.first(consumed));
    return c;
}

Result<Cid> Cid::from_bytes(BytesView data) {
    std::size_t consumed = 0;
    VENUS_TRY(Cid c, read_prefix(data, consumed));
    if (consumed != data.size()) return make_error(Errc::kInvalidArgument, "cid: trailing bytes");
    return c;
}

Result<Cid> Cid::parse(std::string_view text) {
    if (text.size() > kMaxCidBytes * 2) return make_error(Errc::kOutOfRange, "cid: text too long");
    if (text.size() == 46 && text.substr(0, 2) == "Qm") {
        VENUS_TRY(Bytes raw, base58btc_decode(text));
        VENUS_TRY(Cid c, from_bytes(raw));
        if (c.version() != 0) return make_error(Errc::kInvalidArgument, "cid: bad CIDv0 text");
        return c;
    }
    auto raw = multibase_decode(text);
    if (!raw) return std::move(raw).error().wrap("cid");
    VENUS_TRY(Cid c, from_bytes(*raw));
    if (c.version() == 0) return make_error(Errc::kInvalidArgument, "cid: CIDv0 must not carry a multibase prefix");
    return c;
}

Cid Cid::v1(std::uint64_t codec, std::uint64_t hash_code, BytesView digest) {
    // Header varints fit in 4 * 9 bytes; build small CIDs on the stack so this never allocates.
    std::uint8_t stack[kInline + 40];
    Bytes heap;
    std::uint8_t* buf = stack;
    if (digest.size() + 36 > sizeof(stack)) {
        heap.resize(digest.size() + 36);
        buf = heap.data();
    }
    std::size_t pos = 0;
    auto put = [&](std::uint64_t v) {
        while (v >= 0x80) {
            buf[pos++] = static_cast<std::uint8_t>(v | 0x80);
            v >>= 7;
        }
        buf[pos++] = static_cast<std::uint8_t>(v);
    };
    put(1);
    put(codec);
    const std::size_t mh_offset = pos;
    put(hash_code);
    put(digest.size());
    const std::size_t digest_offset = pos;
    if (!digest.empty()) std::memcpy(buf + pos, digest.data(), digest.size());
    pos += digest.size();
    Cid c;
    c.version_ = 1;
    c.codec_ = codec;
    c.hash_code_ = hash_code;
    c.mh_offset_ = static_cast<std::uint16_t>(mh_offset);
    c.digest_offset_ = static_cast<std::uint16_t>(digest_offset);
    c.set_bytes(BytesView(buf, pos));
    return c;
}

Cid Cid::v0(BytesView sha256_digest) {
    Bytes b{0x12, 0x20};
    b.insert(b.end(), sha256_digest.begin(), sha256_digest.end());
    Cid c;
    c.version_ = 0;
    c.codec_ = kCodecDagPb;
    c.hash_code_ = kHashSha2_256;
    c.mh_offset_ = 0;
    c.digest_offset_ = 2;
    c.set_bytes(b);
    return c;
}

std::string Cid::to_string() const {
    if (!defined()) return {};
    if (version_ == 0) return base58btc_encode(bytes());
    return multibase_encode(Multibase::kBase32Lower, bytes());
}

std::string Cid::to_string_base58() const {
    if (!defined()) return {};
    if (version_ == 0) return base58btc_encode(bytes());
    return multibase_encode(Multibase::kBase58Btc, bytes());
}

Cid make_cid(BytesView data, std::uint64_t codec, std::uint64_t hash_code) {
    switch (hash_code) {
        case kHashSha2_256: return Cid::v1(codec, hash_code, crypto::sha256(data));
        case kHashIdentity: return Cid::v1(codec, hash_code, data);
        default: return Cid::v1(codec, kHashBlake2b256, crypto::blake2b_256(data));
    }
}

std::size_t CidHash::operator()(const Cid& c) const noexcept {
    // The tail of a hashed CID is uniformly random already.
    const BytesView b = c.bytes();
    std::size_t h = 0;
    const std::size_t n = std::min<std::size_t>(b.size(), sizeof(h));
    if (n > 0) std::memcpy(&h, b.data() + b.size() - n, n);
    return h;
}

}  // namespace venus::codec
