// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Keys, addresses and signatures over chain types: Lotus `KeyInfo` (`{"Type":"secp256k1"|"bls",
//! "PrivateKey":base64}` and the hex of that JSON which `lotus wallet export` prints), signing and
//! verifying messages with Lotus's rules (the signed bytes are the unsigned message's CID bytes).
#pragma once

#include <string>
#include <string_view>

#include "venus/chain/types.hpp"

namespace venus::chain {

struct KeyInfo {
    SigType type = SigType::kSecp256k1;
    Bytes private_key;
    bool operator==(const KeyInfo&) const = default;
};

//! "secp256k1" | "bls" | "delegated".
std::string_view key_type_name(SigType t) noexcept;
Result<SigType> parse_key_type(std::string_view name);

Result<KeyInfo> generate_key(SigType type);
Result<KeyInfo> parse_key_info_json(std::string_view json);
std::string key_info_json(const KeyInfo& k);
//! The `lotus wallet export` form: hex of the KeyInfo JSON.
Result<KeyInfo> parse_key_info_hex(std::string_view hex);
std::string key_info_hex(const KeyInfo& k);

//! f1 (secp256k1: blake2b-160 of the uncompressed key) or f3 (BLS: the key itself).
Result<Address> key_address(const KeyInfo& k);

Result<Signature> sign(const KeyInfo& k, BytesView data);
//! Lotus sigs.Verify: secp256k1 by key recovery against an f1 address, BLS against an f3 address.
//! An error means malformed input; false means the signature does not match.
Result<bool> verify(const Signature& sig, const Address& signer, BytesView data);

//! Signs `msg.cid().bytes()`; `msg.from` should be the key's address (not checked here).
Result<SignedMessage> sign_message(const KeyInfo& k, const Message& msg);
//! Verifies a SignedMessage against its `From` (which must be an f1/f3 address).
Result<bool> verify_message(const SignedMessage& m);

}  // namespace venus::chain
