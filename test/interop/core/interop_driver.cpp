// SPDX-License-Identifier: Apache-2.0 OR MIT
// Reads interop cases (JSON array) on stdin and prints what venusd computes for each, for
// core_interop.mjs to compare with independent JavaScript libraries.
//   in:  [{"key": "<secp256k1 private key, base64>", "message": <Lotus JSON Message>,
//          "addresses": ["<address bytes hex>", ...]}, ...]
//   out: [{"address": "t1…", "pubkey": "<hex>", "unsigned_cbor": "<hex>", "cid": "…", "cid_bytes": "<hex>",
//          "signature": "<base64>", "signed_cbor": "<hex>", "signed_cid": "…", "verified": true,
//          "addresses": [{"testnet": "…", "mainnet": "…"} | {"error": "…"}]}, ...]
#include <iostream>
#include <iterator>
#include <string>

#include "venus/chain/json.hpp"
#include "venus/chain/keys.hpp"

using namespace venus;
using namespace venus::chain;

namespace {

void str(JsonWriter& w, std::string_view k, std::string_view v) {
    w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
    w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
}

Status one(const JsonValue& c, JsonWriter& w) {
    KeyInfo k{SigType::kSecp256k1, {}};
    VENUS_TRY(k.private_key, from_base64(c["key"].GetString()));
    VENUS_TRY(Address addr, key_address(k));
    VENUS_TRY(Bytes pub, crypto::public_key(k.type, k.private_key));
    Message m;
    VENUS_TRY_VOID(from_json(c["message"], m));
    VENUS_TRY(Bytes cbor, encode_cbor(m));
    VENUS_TRY(Cid cid, m.cid());
    VENUS_TRY(SignedMessage sm, sign_message(k, m));
    VENUS_TRY(Bytes signed_cbor, encode_cbor(sm));
    VENUS_TRY(Cid signed_cid, sm.cid());
    // Round trips through our own decoders must be exact too.
    VENUS_TRY(SignedMessage back, decode_cbor<SignedMessage>(signed_cbor));
    if (!(back == sm)) return make_error(Errc::kInternal, "signed message does not round-trip");
    VENUS_TRY(Message mj, from_json_string<Message>(to_json_string(m)));
    if (!(mj == m)) return make_error(Errc::kInternal, "message JSON does not round-trip");
    VENUS_TRY(bool ok, verify_message(sm));

    w.StartObject();
    str(w, "address", addr.to_string(Network::kTestnet));
    str(w, "pubkey", to_hex(pub));
    str(w, "unsigned_cbor", to_hex(cbor));
    str(w, "cid", cid.to_string());
    str(w, "cid_bytes", to_hex(cid.bytes()));
    str(w, "signature", to_base64(sm.signature.data));
    str(w, "signed_cbor", to_hex(signed_cbor));
    str(w, "signed_cid", signed_cid.to_string());
    w.Key("verified");
    w.Bool(ok);
    w.Key("addresses");
    w.StartArray();
    for (const auto& h : c["addresses"].GetArray()) {
        w.StartObject();
        auto bytes = from_hex(h.GetString());
        auto a = bytes ? Address::from_bytes(*bytes) : Result<Address>(bytes.error());
        if (a) {
            str(w, "testnet", a->to_string(Network::kTestnet));
            str(w, "mainnet", a->to_string(Network::kMainnet));
            auto parsed = Address::parse(a->to_string(Network::kMainnet));
            w.Key("reparsed");
            w.Bool(parsed.ok() && *parsed == *a);
        } else {
            str(w, "error", a.error().message);
        }
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    return {};
}

}  // namespace

int main() {
    const std::string input(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>{});
    auto doc = parse_json(input, 256u << 20);
    if (!doc || !doc->IsArray()) {
        std::cerr << "interop_driver: bad input\n";
        return 2;
    }
    rapidjson::StringBuffer sb;
    JsonWriter w(sb);
    w.StartArray();
    for (const auto& c : doc->GetArray()) {
        auto s = one(c, w);
        if (!s) {
            std::cerr << "interop_driver: " << s.error().message << "\n";
            return 1;
        }
    }
    w.EndArray();
    std::cout << sb.GetString() << "\n";
    return 0;
}
