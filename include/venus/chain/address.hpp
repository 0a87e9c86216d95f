// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Filecoin addresses (filecoin-project/go-address rules): protocol byte ‖ payload.
//!
//! | protocol | payload | text |
//! |---|---|---|
//! | 0 ID | uvarint(id), id < 2^63 | `t0<decimal>` |
//! | 1 secp256k1 | blake2b-160(65-byte uncompressed pubkey) | `t1` base32(payload ‖ checksum) |
//! | 2 actor | blake2b-160(data) | `t2…` |
//! | 3 BLS | 48-byte G1 public key | `t3…` |
//! | 4 delegated | uvarint(namespace) ‖ subaddress (≤ 54 bytes) | `t4<ns>f` base32(sub ‖ checksum) |
//!
//! checksum = blake2b-32(protocol ‖ payload). Parsing rejects every form go-address rejects; error
//! messages name the go-address error (ErrInvalidLength, ErrInvalidChecksum, …).
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "venus/core/bytes.hpp"
#include "venus/core/result.hpp"

namespace venus::chain {

enum class Protocol : std::uint8_t { kId = 0, kSecp256k1 = 1, kActor = 2, kBls = 3, kDelegated = 4 };

//! The text prefix: `f` mainnet, `t` testnet (devnets use `t`).
enum class Network : std::uint8_t { kMainnet = 0, kTestnet = 1 };

//! Process-wide network used by Address::to_string() without an argument and by the JSON codecs.
//! Defaults to testnet (venusd runs devnets). Set it once at start-up; prefer explicit parameters.
Network default_network() noexcept;
void set_default_network(Network n) noexcept;

inline constexpr std::size_t kAddressPayloadHashLen = 20;
inline constexpr std::size_t kBlsPublicKeyLen = 48;
inline constexpr std::size_t kMaxSubaddressLen = 54;
inline constexpr std::size_t kMaxAddressBytes = 64;         //!< go-address CBOR limit
inline constexpr std::size_t kMaxAddressStringLen = 2 + 19 + 1 + 93;
inline constexpr std::string_view kUndefAddressString = "<empty>";

class Address {
  public:
    //! The undefined address (`<empty>`): cannot be CBOR-encoded.
    Address() noexcept = default;

    static Result<Address> new_id(std::uint64_t id);
    //! From a 65-byte uncompressed secp256k1 public key.
    static Result<Address> new_secp256k1(BytesView uncompressed_pubkey);
    static Address new_actor(BytesView data);
    static Result<Address> new_bls(BytesView pubkey);
    static Result<Address> new_delegated(std::uint64_t ns, BytesView subaddress);

    //! Binary form (protocol ‖ payload). Empty input gives the undefined address, as go-address.
    static Result<Address> from_bytes(BytesView bytes);
    //! Text form with `f` or `t`; "" and "<empty>" give the undefined address, as go-address.
    static Result<Address> parse(std::string_view text);

    [[nodiscard]] bool defined() const noexcept { return size_ != 0; }
    [[nodiscard]] Protocol protocol() const noexcept { return static_cast<Protocol>(bytes_[0]); }
    [[nodiscard]] BytesView bytes() const noexcept { return {bytes_.data(), size_}; }
    [[nodiscard]] BytesView payload() const noexcept {
        return size_ == 0 ? BytesView{} : BytesView{bytes_.data() + 1, size_ - 1u};
    }
    //! The actor ID of an ID address.
    [[nodiscard]] Result<std::uint64_t> id() const;

    [[nodiscard]] std::string to_string(Network net) const;
    [[nodiscard]] std::string to_string() const { return to_string(default_network()); }

    friend bool operator==(const Address& a, const Address& b) noexcept {
        return a.size_ == b.size_ && std::memcmp(a.bytes_.data(), b.bytes_.data(), a.size_) == 0;
    }
    //! Order of the binary form.
    friend std::strong_ordering operator<=>(const Address& a, const Address& b) noexcept;

  private:
    static Result<Address> make(std::uint8_t protocol, BytesView payload);

    std::array<std::uint8_t, kMaxAddressBytes> bytes_{};
    std::uint8_t size_ = 0;
};

struct AddressHash {
    std::size_t operator()(const Address& a) const noexcept;
};

}  // namespace venus::chain

template <>
struct std::hash<venus::chain::Address> : venus::chain::AddressHash {};
