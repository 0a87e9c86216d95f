// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "venus/chain/keys.hpp"

#include "venus/chain/json.hpp"
#include <cctype>

#include "venus/crypto/hash.hpp"

namespace venus::chain {

std::string_view key_type_name(SigType t) noexcept {
    switch (t) {
        case SigType::kSecp256k1: return "secp256k1";
        case SigType::kBls: return "bls";
        case SigType::kDelegated: return "delegated";
    }
    return "unknown";
}

Result<SigType> parse_key_type(std::string_view name) {
    if (name == "secp256k1") return SigType::kSecp256k1;
    if (name == "bls") return SigType::kBls;
    if (name == "delegated") return SigType::kDelegated;
    return make_error(Errc::kInvalidArgument, "unknown key type '{}'", name);
}

Result<KeyInfo> generate_key(SigType type) {
    VENUS_TRY(Bytes k, crypto::generate_private_key(type));
    return KeyInfo{type, std::move(k)};
}

Result<KeyInfo> parse_key_info_json(std::string_view json) {
    VENUS_TRY(rapidjson::Document doc, parse_json(json, 64 * 1024));
    if (!doc.IsObject()) return make_error(Errc::kInvalidArgument, "key info: expected a JSON object");
    const JsonValue* type = json_member(doc, "Type");
    const JsonValue* key = json_member(doc, "PrivateKey");
    if (type == nullptr || !type->IsString()) return make_error(Errc::kInvalidArgument, "key info: missing Type");
    if (key == nullptr || !key->IsString()) return make_error(Errc::kInvalidArgument, "key info: missing PrivateKey");
    KeyInfo k;
    VENUS_TRY(k.type, parse_key_type(std::string_view(type->GetString(), type->GetStringLength())));
    auto pk = from_base64(std::string_view(key->GetString(), key->GetStringLength()));
    if (!pk) return pk.error().wrap("key info: PrivateKey");
    if (pk->size() != 32) return make_error(Errc::kInvalidArgument, "key info: private key must be 32 bytes");
    k.private_key = std::move(*pk);
    return k;
}

std::string key_info_json(const KeyInfo& k) {
    return fmt::format(R"({{"Type":"{}","PrivateKey":"{}"}})", key_type_name(k.type), to_base64(k.private_key));
}

Result<KeyInfo> parse_key_info_hex(std::string_view hex) {
    // Surrounding whitespace is common when the key comes from a file or a shell variable.
    while (!hex.empty() && std::isspace(static_cast<unsigned char>(hex.back()))) hex.remove_suffix(1);
    while (!hex.empty() && std::isspace(static_cast<unsigned char>(hex.front()))) hex.remove_prefix(1);
    auto raw = from_hex(hex);
    if (!raw) return raw.error().wrap("key info hex");
    return parse_key_info_json(as_string(*raw));
}

std::string key_info_hex(const KeyInfo& k) { return to_hex(as_bytes(key_info_json(k))); }

Result<Address> key_address(const KeyInfo& k) {
    VENUS_TRY(Bytes pk, crypto::public_key(k.type, k.private_key));
    switch (k.type) {
        case SigType::kSecp256k1: return Address::new_secp256k1(pk);
        case SigType::kBls: return Address::new_bls(pk);
        default: return make_error(Errc::kUnsupported, "no address for key type {}", key_type_name(k.type));
    }
}

Result<Signature> sign(const KeyInfo& k, BytesView data) {
    VENUS_TRY(Bytes sig, crypto::sign(k.type, k.private_key, data));
    return Signature{k.type, std::move(sig)};
}

Result<bool> verify(const Signature& sig, const Address& signer, BytesView data) {
    if (!signer.defined()) return make_error(Errc::kInvalidArgument, "verify: undefined signer address");
    return crypto::verify(sig.type, sig.data, signer.bytes(), data);
}

Result<SignedMessage> sign_message(const KeyInfo& k, const Message& msg) {
    VENUS_TRY(Cid c, msg.cid());
    VENUS_TRY(Signature sig, sign(k, c.bytes()));
    return SignedMessage{msg, std::move(sig)};
}

Result<bool> verify_message(const SignedMessage& m) {
    VENUS_TRY(Cid c, m.message.cid());
    return verify(m.signature, m.message.from, c.bytes());
}

}  // namespace venus::chain
