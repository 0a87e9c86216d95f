// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "venus/chain/address.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>

#include "venus/codec/multibase.hpp"
#include "venus/codec/varint.hpp"
#include "venus/crypto/hash.hpp"

namespace venus::chain {
namespace {

std::atomic<Network> g_network{Network::kTestnet};

constexpr std::size_t kChecksumLen = 4;
constexpr std::size_t kMaxInt64StringLen = 19;
constexpr std::uint64_t kMaxInt64 = 0x7fffffffffffffffULL;

Error err_length() { return make_error(Errc::kInvalidArgument, "invalid address length (ErrInvalidLength)"); }
Error err_payload(std::string_view why) {
    return make_error(Errc::kInvalidArgument, "invalid address payload: {} (ErrInvalidPayload)", why);
}
Error err_protocol() { return make_error(Errc::kInvalidArgument, "unknown address protocol (ErrUnknownProtocol)"); }

crypto::Checksum4 checksum(std::uint8_t protocol, BytesView payload) {
    crypto::Blake2bHasher h(kChecksumLen);
    h.update(BytesView(&protocol, 1));
    h.update(payload);
    crypto::Checksum4 out;
    h.finish(out);
    return out;
}

// strconv.ParseUint(s, 10, 63): ASCII digits only (leading zeros allowed), value < 2^63.
bool parse_u63(std::string_view s, std::uint64_t& out) {
    if (s.empty()) return false;
    std::uint64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        const auto d = static_cast<std::uint64_t>(c - '0');
        if (v > (kMaxInt64 - d) / 10) return false;
        v = v * 10 + d;
    }
    out = v;
    return true;
}

}  // namespace

Network default_network() noexcept { return g_network.load(std::memory_order_relaxed); }
void set_default_network(Network n) noexcept { g_network.store(n, std::memory_order_relaxed); }

Result<Address> Address::make(std::uint8_t protocol, BytesView payload) {
    switch (static_cast<Protocol>(protocol)) {
        case Protocol::kId: {
            auto r = codec::read_uvarint(payload);
            if (r.error != codec::UvarintError::kOk) return err_payload(codec::uvarint_error_text(r.error));
            if (r.size != payload.size()) return err_length();
            break;
        }
        case Protocol::kSecp256k1:
        case Protocol::kActor:
            if (payload.size() != kAddressPayloadHashLen) return err_length();
            break;
        case Protocol::kBls:
            if (payload.size() != kBlsPublicKeyLen) return err_length();
            break;
        case Protocol::kDelegated: {
            auto r = codec::read_uvarint(payload);
            if (r.error != codec::UvarintError::kOk) return err_payload(codec::uvarint_error_text(r.error));
            if (payload.size() - r.size > kMaxSubaddressLen) return err_length();
            break;
        }
        default: return err_protocol();
    }
    Address a;
    a.bytes_[0] = protocol;
    std::copy(payload.begin(), payload.end(), a.bytes_.begin() + 1);
    a.size_ = static_cast<std::uint8_t>(payload.size() + 1);
    return a;
}

Result<Address> Address::new_id(std::uint64_t id) {
    if (id > kMaxInt64) return err_payload("IDs must be less than 2^63");
    std::uint8_t buf[codec::kMaxUvarintLen + 1];
    std::size_t n = 0;
    for (std::uint64_t v = id;; v >>= 7) {
        if (v < 0x80) {
            buf[n++] = static_cast<std::uint8_t>(v);
            break;
        }
        buf[n++] = static_cast<std::uint8_t>(v | 0x80);
    }
    return make(0, BytesView(buf, n));
}

Result<Address> Address::new_secp256k1(BytesView pubkey) {
    if (pubkey.size() != 65 || pubkey[0] != 0x04) {
        return make_error(Errc::kInvalidArgument, "secp256k1 address needs a 65-byte uncompressed public key");
    }
    const auto h = crypto::blake2b_160(pubkey);
    return make(1, h);
}

Address Address::new_actor(BytesView data) {
    const auto h = crypto::blake2b_160(data);
    return make(2, h).value();
}

Result<Address> Address::new_bls(BytesView pubkey) { return make(3, pubkey); }

Result<Address> Address::new_delegated(std::uint64_t ns, BytesView subaddress) {
    if (ns > kMaxInt64) return err_payload("namespace must be less than 2^63");
    if (subaddress.size() > kMaxSubaddressLen) return err_length();
    Bytes payload;
    codec::append_uvarint(payload, ns);
    payload.insert(payload.end(), subaddress.begin(), subaddress.end());
    return make(4, payload);
}

Result<Address> Address::from_bytes(BytesView bytes) {
    if (bytes.empty()) return Address{};
    if (bytes.size() == 1) return err_length();
    if (bytes.size() > kMaxAddressBytes) return err_length();
    return make(bytes[0], bytes.subspan(1));
}

Result<Address> Address::parse(std::string_view a) {
    if (a.empty() || a == kUndefAddressString) return Address{};
    if (a.size() > kMaxAddressStringLen || a.size() < 3) return err_length();
    if (a[0] != 'f' && a[0] != 't') return make_error(Errc::kInvalidArgument, "unknown address network (ErrUnknownNetwork)");
    if (a[1] < '0' || a[1] > '4') return err_protocol();
    const auto protocol = static_cast<std::uint8_t>(a[1] - '0');
    std::string_view raw = a.substr(2);

    if (protocol == 0) {
        if (raw.size() > kMaxInt64StringLen) return err_length();
        std::uint64_t id = 0;
        if (!parse_u63(raw, id)) return err_payload("not a decimal ID below 2^63");
        return new_id(id);
    }

    Bytes payload;
    BytesView cksum;
    Bytes decoded;
    auto decode32 = [&](std::string_view s) -> Status {
        auto d = codec::base32_decode(s);
        if (!d) {
            return make_error(Errc::kInvalidArgument, "invalid address encoding: {} (ErrInvalidEncoding)",
                              d.error().message);
        }
        decoded = std::move(*d);
        return {};
    };
    if (protocol == 4) {
        const auto f = raw.find('f');
        if (f == std::string_view::npos) return err_payload("delegated address without 'f' separator");
        const std::string_view ns_str = raw.substr(0, f);
        if (ns_str.size() > kMaxInt64StringLen) return err_length();
        std::uint64_t ns = 0;
        if (!parse_u63(ns_str, ns)) return err_payload("bad namespace");
        VENUS_TRY_VOID(decode32(raw.substr(f + 1)));
        if (decoded.size() < kChecksumLen) return err_length();
        const std::size_t sub_len = decoded.size() - kChecksumLen;
        if (sub_len > kMaxSubaddressLen) return err_length();
        codec::append_uvarint(payload, ns);
        payload.insert(payload.end(), decoded.begin(), decoded.begin() + static_cast<std::ptrdiff_t>(sub_len));
        cksum = BytesView(decoded).subspan(sub_len);
    } else {
        VENUS_TRY_VOID(decode32(raw));
        if (decoded.size() < kChecksumLen) return err_length();
        const std::size_t len = decoded.size() - kChecksumLen;
        if ((protocol == 1 || protocol == 2) && len != kAddressPayloadHashLen) return err_length();
        if (protocol == 3 && len != kBlsPublicKeyLen) return err_length();
        payload.assign(decoded.begin(), decoded.begin() + static_cast<std::ptrdiff_t>(len));
        cksum = BytesView(decoded).subspan(len);
    }
    const auto expect = checksum(protocol, payload);
    if (!std::equal(expect.begin(), expect.end(), cksum.begin(), cksum.end())) {
        return make_error(Errc::kInvalidArgument, "invalid address checksum (ErrInvalidChecksum)");
    }
    return make(protocol, payload);
}

Result<std::uint64_t> Address::id() const {
    if (!defined() || protocol() != Protocol::kId) {
        return make_error(Errc::kInvalidArgument, "cannot get an ID from a non-ID address");
    }
    return codec::read_uvarint(payload()).value;
}

std::string Address::to_string(Network net) const {
    if (!defined()) return std::string(kUndefAddressString);
    std::string out;
    out.reserve(2 + 19 + 1 + 100);
    out.push_back(net == Network::kMainnet ? 'f' : 't');
    out.push_back(static_cast<char>('0' + bytes_[0]));
    BytesView pl = payload();
    char num[24];
    switch (protocol()) {
        case Protocol::kId: {
            auto [p, ec] = std::to_chars(num, num + sizeof num, codec::read_uvarint(pl).value);
            out.append(num, p);
            return out;
        }
        case Protocol::kDelegated: {
            auto r = codec::read_uvarint(pl);
            auto [p, ec] = std::to_chars(num, num + sizeof num, r.value);
            out.append(num, p);
            out.push_back('f');
            const auto ck = checksum(bytes_[0], pl);
            Bytes tail(pl.begin() + static_cast<std::ptrdiff_t>(r.size), pl.end());
            tail.insert(tail.end(), ck.begin(), ck.end());
            codec::base32_encode_append(tail, out);
            return out;
        }
        default: {
            const auto ck = checksum(bytes_[0], pl);
            std::uint8_t buf[kMaxAddressBytes + 4];
            std::copy(pl.begin(), pl.end(), buf);
            std::copy(ck.begin(), ck.end(), buf + pl.size());
            codec::base32_encode_append(BytesView(buf, pl.size() + 4), out);
            return out;
        }
    }
}

std::strong_ordering operator<=>(const Address& a, const Address& b) noexcept {
    const std::size_t n = std::min(a.size_, b.size_);
    const int c = n == 0 ? 0 : std::memcmp(a.bytes_.data(), b.bytes_.data(), n);
    if (c != 0) return c < 0 ? std::strong_ordering::less : std::strong_ordering::greater;
    return a.size_ <=> b.size_;
}

std::size_t AddressHash::operator()(const Address& a) const noexcept {
    std::size_t h = 1469598103934665603ULL;
    for (std::uint8_t b : a.bytes()) h = (h ^ b) * 1099511628211ULL;
    return h;
}

}  // namespace venus::chain
