// SPDX-License-Identifier: Apache-2.0 OR MIT
#include <catch2/catch.hpp>
#include <rapidjson/document.h>

#include "support/fixtures.hpp"
#include "venus/chain/json.hpp"
#include "venus/chain/keys.hpp"

using namespace venus;
using namespace venus::chain;

TEST_CASE("keys: KeyInfo forms and a Zondax signed message", "[unit][chain]") {
    // zondax signed_message.json (secp256k1, deterministic RFC 6979)
    KeyInfo k{SigType::kSecp256k1, *from_base64("8VcW07ADswS4BV2cxi5rnIadVsyTDDhY1NfDH19T8Uo=")};
    CHECK(key_address(k)->to_string(Network::kMainnet) == "f1d2xrzcslx7xlbbylc5c3d5lvandqw4iwl6epxba");
    auto json = key_info_json(k);
    CHECK(json == R"({"Type":"secp256k1","PrivateKey":"8VcW07ADswS4BV2cxi5rnIadVsyTDDhY1NfDH19T8Uo="})");
    CHECK(*parse_key_info_hex(key_info_hex(k)) == k);
    CHECK_FALSE(parse_key_info_json(R"({"Type":"rsa","PrivateKey":"AA=="})").ok());
    CHECK_FALSE(parse_key_info_hex("zz").ok());

    auto msg = from_json_string<Message>(R"({"From":"t1d2xrzcslx7xlbbylc5c3d5lvandqw4iwl6epxba","GasLimit":25000,
        "GasPremium":"1","GasFeeCap":"1","Method":0,"Nonce":1,"Params":"","To":"t17uoq6tp427uzv7fztkbsnn64iwotfrristwpryy",
        "Value":"100000"})");
    REQUIRE(msg.ok());
    auto sm = sign_message(k, *msg);
    REQUIRE(sm.ok());
    CHECK(to_base64(sm->signature.data) ==
          "nFuTI7MxEXqTQ0QmmQTmqbUsNZfHFXlNjz+susVDkAk1SrRCdJKxlVZZrM4vUtVBSYgtMIeigNfpqdKGIFhoWQA=");
    CHECK(*verify_message(*sm));
    SignedMessage tampered = *sm;
    tampered.message.nonce += 1;
    CHECK_FALSE(*verify_message(tampered));
}

TEST_CASE("keys: oracle-generated signed messages (keys, addresses, signatures)", "[unit][chain][vectors]") {
    VENUS_REQUIRE_VECTORS(path, "oracle-generated/signed_messages.json");
    rapidjson::Document doc;
    doc.Parse(test::read_file(path).c_str());
    int secp = 0, bls = 0;
    for (const auto& c : doc.GetArray()) {
        const std::string type = c["sig_type"].GetString();
        auto k = parse_key_info_hex(c["lotus_keyinfo_hex"].GetString());
        REQUIRE(k.ok());
        CHECK(to_base64(k->private_key) == c["private_key_base64"].GetString());
        if (type == "bls" && !crypto::bls_available()) continue;
        auto pub = crypto::public_key(k->type, k->private_key);
        REQUIRE(pub.ok());
        CHECK(to_hex(*pub) == c["public_key_hex"].GetString());
        CHECK(key_address(*k)->to_string(Network::kTestnet) == c["address_testnet"].GetString());
        Message m;
        REQUIRE(from_json(c["message"], m).ok());
        auto sm = sign_message(*k, m);
        REQUIRE(sm.ok());
        Signature expect;
        REQUIRE(from_json(c["signature"], expect).ok());
        CHECK(sm->signature == expect);
        CHECK(*verify_message(*sm));
        CHECK(sm->cid()->to_string() == c["signed_message_cid"].GetString());
        (type == "bls" ? bls : secp)++;
    }
    CHECK(secp == 16);
    if (crypto::bls_available()) CHECK(bls == 12);
}

TEST_CASE("keys: serialization-vectors message_signing (BLS)", "[unit][chain][vectors]") {
    VENUS_REQUIRE_VECTORS(path, "serialization-vectors/message_signing.json");
    rapidjson::Document doc;
    doc.Parse(test::read_file(path).c_str());
    for (const auto& c : doc.GetArray()) {
        Message m;
        REQUIRE(from_json(c["Unsigned"], m).ok());
        CHECK(m.cid()->to_string() == c["Cid"].GetString());
        CHECK(to_hex(m.cid()->bytes()) == c["CidHexBytes"].GetString());
        if (!crypto::bls_available()) continue;
        KeyInfo k{SigType::kBls, *from_base64(c["PrivateKey"].GetString())};
        CHECK(*key_address(k) == m.from);
        auto sm = sign_message(k, m);
        REQUIRE(sm.ok());
        Signature expect;
        REQUIRE(from_json(c["Signature"], expect).ok());
        CHECK(sm->signature == expect);
        CHECK(*verify_message(*sm));
        CHECK(*sm->cid() == *m.cid());  // BLS: the signed message's CID is the unsigned one
    }
}
