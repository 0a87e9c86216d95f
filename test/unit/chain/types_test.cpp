// SPDX-License-Identifier: Apache-2.0 OR MIT
#include <catch2/catch.hpp>
#include <rapidjson/document.h>

#include <filesystem>

#include "support/fixtures.hpp"
#include "venus/chain/json.hpp"
#include "venus/chain/types.hpp"

using namespace venus;
using namespace venus::chain;

namespace {
Bytes hex(std::string_view s) {
    auto r = from_hex(s);
    REQUIRE(r.ok());
    return *r;
}

rapidjson::Document load(const std::filesystem::path& p) {
    rapidjson::Document doc;
    doc.Parse(test::read_file(p).c_str());
    REQUIRE_FALSE(doc.HasParseError());
    return doc;
}

std::string json_text(const JsonValue& v) {
    rapidjson::StringBuffer sb;
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    v.Accept(w);
    return sb.GetString();
}

// The Zondax get_cid.json case (node-chain/js-oracles §3.1): a secp256k1 SignedMessage.
constexpr const char* kSignedHex =
    "828a005501fd1d0f4dfcd7e99afcb99a8326b7dc459d32c62855011eaf1c8a4bbfeeb0870b1745b1f57503470b71160144000186a01a00"
    "2625a04200014200010040584201d3046b14964521587c9b4243f9fe42e7962bc43e98016b425d662286b3d329d31f80c858032f3a31586c"
    "e378522d79d5fb8ed445e4487bca85747449a8596b7801";
}  // namespace

TEST_CASE("types: embedded message known answers", "[unit][chain]") {
    const char* json = R"({"To":"f17uoq6tp427uzv7fztkbsnn64iwotfrristwpryy","From":"f1xcbgdhkgkwht3hrrnui3jdopeejsoas2rujnkdi",
        "Nonce":1,"Value":"100000","GasLimit":25000,"GasFeeCap":"1","GasPremium":"1","Method":0,"Params":""})";
    auto m = from_json_string<Message>(json);
    REQUIRE(m.ok());
    auto cbor = encode_cbor(*m);
    REQUIRE(cbor.ok());
    CHECK(to_hex(*cbor) ==
          "8a005501fd1d0f4dfcd7e99afcb99a8326b7dc459d32c6285501b882619d46558f3d9e316d11b48dcf211327025a0144000186a01961a8"
          "4200014200010040");
    auto back = decode_cbor<Message>(*cbor);
    REQUIRE(back.ok());
    CHECK(*back == *m);

    auto sm = decode_cbor<SignedMessage>(hex(kSignedHex));
    REQUIRE(sm.ok());
    CHECK(sm->signature.type == SigType::kSecp256k1);
    CHECK(sm->cid()->to_string() == "bafy2bzacebaiinljwwctblf7czp4zxwhz4747z6tpricgn5cumd4xhebftcvu");
    CHECK(sm->message.cid()->to_string() == "bafy2bzacedluvv7t2no5ujbuxtxi5mthioymz2wzorarxird736mz7wn3mucy");
    CHECK(*sm->chain_length() == hex(kSignedHex).size());
    CHECK(*encode_cbor(*sm) == hex(kSignedHex));
    // A BLS signed message takes the unsigned CID.
    SignedMessage bls = *sm;
    bls.signature.type = SigType::kBls;
    CHECK(*bls.cid() == *sm->message.cid());
    // Lotus JSON: Params null when empty, CID appended.
    const std::string js = to_json_string(sm->message);
    CHECK(js.find("\"Params\":null") != std::string::npos);
    CHECK(js.find("\"CID\":{\"/\":\"bafy2bzacedluvv7t2no5ujbuxtxi5mthioymz2wzorarxird736mz7wn3mucy\"}") != std::string::npos);
}

TEST_CASE("types: strict message decoding", "[unit][chain]") {
    const Bytes good = hex("8a00420000430096010144000186a01961a84200014200010040");
    REQUIRE(decode_cbor<Message>(good).ok());
    Bytes trailing = good;
    trailing.push_back(0x00);
    CHECK_FALSE(decode_cbor<Message>(trailing).ok());
    Bytes short_arr = good;
    short_arr[0] = 0x89;
    CHECK_FALSE(decode_cbor<Message>(short_arr).ok());
    CHECK_FALSE(decode_cbor<Message>(hex("884040004200004200004200000040")).ok());  // old 8-field form
    for (std::size_t cut = 0; cut < good.size(); ++cut) {
        CHECK_FALSE(decode_cbor<Message>(BytesView(good).first(cut)).ok());
    }
    // An empty address cannot appear in CBOR.
    CHECK_FALSE(decode_cbor<Message>(hex("8a00404300960101440001869f1961a84200014200010040")).ok());
    // Encoding an undefined address fails like Lotus.
    Message m;
    CHECK_FALSE(encode_cbor(m).ok());
}

TEST_CASE("types: empty-structure CIDs from the reference", "[unit][chain]") {
    MsgMeta meta;
    meta.bls_messages = *codec::Cid::parse("bafy2bzacedswlcz5ddgqnyo3sak3jmhmkxashisnlpq6ujgyhe4mlobzpnhs6");
    meta.secpk_messages = meta.bls_messages;
    CHECK(meta.cid()->to_string() == "bafy2bzacecmda75ovposbdateg7eyhwij65zklgyijgcjwynlklmqazpwlhba");
    StateRoot sr;
    sr.actors = meta.bls_messages;
    sr.info = meta.bls_messages;
    auto b = encode_cbor(sr);
    REQUIRE(b.ok());
    CHECK(*decode_cbor<StateRoot>(*b) == sr);
}

TEST_CASE("types: receipts, actors, tipset keys round trip", "[unit][chain]") {
    MessageReceipt r0;
    r0.version = 0;
    r0.exit_code = -3;
    r0.return_value = {1, 2};
    r0.gas_used = 1000;
    auto e0 = encode_cbor(r0);
    REQUIRE(e0.ok());
    CHECK((*e0)[0] == 0x83);
    CHECK(*decode_cbor<MessageReceipt>(*e0) == r0);
    MessageReceipt r1 = r0;
    r1.version = 1;
    r1.events_root = codec::cbor_cid(hex("80"));
    auto e1 = encode_cbor(r1);
    CHECK((*e1)[0] == 0x84);
    CHECK(*decode_cbor<MessageReceipt>(*e1) == r1);
    CHECK(to_json_string(r0) == R"({"ExitCode":-3,"Return":"AQI=","GasUsed":1000,"EventsRoot":null})");

    Actor a;
    a.code = codec::make_cid(as_bytes("fil/7/account"), codec::kCodecRaw, codec::kHashIdentity);
    a.head = codec::cbor_cid(hex("80"));
    a.nonce = 7;
    a.balance = BigInt(12345);
    auto ea = encode_cbor(a);
    REQUIRE(ea.ok());
    CHECK((*ea)[0] == 0x85);
    CHECK(*decode_cbor<Actor>(*ea) == a);
    a.delegated_address = *Address::parse("f432f77777777x32lpna");
    CHECK(*decode_cbor<Actor>(*encode_cbor(a)) == a);
    auto aj = from_json_string<Actor>(to_json_string(a));
    REQUIRE(aj.ok());
    CHECK(*aj == a);

    TipSetKey k({codec::cbor_cid(hex("80")), codec::cbor_cid(hex("824080"))});
    auto kb = encode_cbor(k);
    CHECK(kb->size() == 2 + 76);
    CHECK(*decode_cbor<TipSetKey>(*kb) == k);
    CHECK(to_json_string(TipSetKey{}) == "[]");
    CHECK(from_json_string<TipSetKey>("null")->empty());
}

TEST_CASE("types: serialization-vectors unsigned messages", "[unit][chain][vectors]") {
    VENUS_REQUIRE_VECTORS(path, "serialization-vectors/unsigned_messages.json");
    auto doc = load(path);
    int n = 0;
    for (const auto& c : doc.GetArray()) {
        Message m;
        REQUIRE(from_json(c["message"], m).ok());
        auto cbor = encode_cbor(m);
        REQUIRE(cbor.ok());
        CHECK(to_hex(*cbor) == c["hex_cbor"].GetString());
        auto back = decode_cbor<Message>(*cbor);
        REQUIRE(back.ok());
        CHECK(*back == m);
        // JSON → struct → JSON → struct is stable.
        auto again = from_json_string<Message>(to_json_string(*back));
        REQUIRE(again.ok());
        CHECK(*again == m);
        ++n;
    }
    CHECK(n == 15);
}

TEST_CASE("types: serialization-vectors block headers", "[unit][chain][vectors]") {
    VENUS_REQUIRE_VECTORS(path, "serialization-vectors/block_headers.json");
    auto doc = load(path);
    int n = 0;
    for (const auto& c : doc.GetArray()) {
        BlockHeader h;
        REQUIRE(from_json(c["block"], h).ok());
        auto cbor = encode_cbor(h);
        REQUIRE(cbor.ok());
        CHECK(to_hex(*cbor) == c["cbor_hex"].GetString());
        CHECK(h.cid()->to_string() == c["cid"].GetString());
        auto back = decode_cbor<BlockHeader>(hex(c["cbor_hex"].GetString()));
        REQUIRE(back.ok());
        CHECK(*back == h);
        CHECK(to_json_string(*back) == json_text(c["block"]));
        ++n;
    }
    CHECK(n > 0);
    // A tipset of these headers keeps Lotus's ticket order and survives JSON.
    std::vector<BlockHeader> same_height;
    BlockHeader first;
    REQUIRE(from_json(doc[0]["block"], first).ok());
    same_height.push_back(first);
    BlockHeader second = first;
    second.ticket->vrf_proof[0] ^= 1;
    same_height.push_back(second);
    auto ts = TipSet::create(same_height);
    REQUIRE(ts.ok());
    CHECK(ts->cids().size() == 2);
    auto tj = from_json_string<TipSet>(to_json_string(*ts));
    REQUIRE(tj.ok());
    CHECK(tj->key() == ts->key());
    auto tc = decode_cbor<TipSet>(*encode_cbor(*ts));
    REQUIRE(tc.ok());
    CHECK(tc->key() == ts->key());
    BlockHeader other_height = first;
    other_height.height += 1;
    CHECK_FALSE(TipSet::create({first, other_height}).ok());
}

TEST_CASE("types: zondax manual vectors", "[unit][chain][vectors]") {
    VENUS_REQUIRE_VECTORS(path, "zondax/manual_testvectors.json");
    auto doc = load(path);
    int valid = 0, rejected = 0;
    for (const auto& c : doc.GetArray()) {
        INFO(c["description"].GetString());
        Message m;
        auto parsed = from_json(c["message"], m);
        Result<Bytes> cbor = parsed.ok() ? encode_cbor(m) : Result<Bytes>(parsed.error());
        const bool ok = cbor.ok() && to_hex(*cbor) == c["encoded_tx_hex"].GetString() && m.value.sign() >= 0;
        if (c["valid"].GetBool()) {
            CHECK(ok);
            ++valid;
        } else {
            // Invalid as a message: either it does not encode, or (negative value) fails message rules.
            CHECK_FALSE(ok);
            ++rejected;
        }
    }
    CHECK(valid + rejected == 18);
}

TEST_CASE("types: oracle-generated signed messages (CBOR, CIDs)", "[unit][chain][vectors]") {
    VENUS_REQUIRE_VECTORS(path, "oracle-generated/signed_messages.json");
    auto doc = load(path);
    int n = 0;
    for (const auto& c : doc.GetArray()) {
        Message m;
        REQUIRE(from_json(c["message"], m).ok());
        CHECK(to_hex(*encode_cbor(m)) == c["unsigned_cbor_hex"].GetString());
        CHECK(m.cid()->to_string() == c["unsigned_cid"].GetString());
        CHECK(to_hex(m.cid()->bytes()) == c["signing_payload_hex"].GetString());
        SignedMessage sm;
        sm.message = m;
        REQUIRE(from_json(c["signature"], sm.signature).ok());
        CHECK(to_hex(*encode_cbor(sm)) == c["signed_cbor_hex"].GetString());
        CHECK(sm.cid()->to_string() == c["signed_message_cid"].GetString());
        CHECK(codec::cbor_cid(*encode_cbor(sm)).to_string() == c["signed_cbor_cid"].GetString());
        auto dec = decode_cbor<SignedMessage>(hex(c["signed_cbor_hex"].GetString()));
        REQUIRE(dec.ok());
        CHECK(*dec == sm);
        ++n;
    }
    CHECK(n == 28);
}

TEST_CASE("types: test-vectors message CBOR decode and re-encode", "[unit][chain][vectors]") {
    VENUS_REQUIRE_VECTORS(dir, "test-vectors");
    int n = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        auto doc = load(entry.path());
        std::vector<std::string> encoded;
        if (doc.HasMember("apply_messages")) {
            for (const auto& m : doc["apply_messages"].GetArray()) encoded.emplace_back(m["bytes"].GetString());
        }
        if (doc.HasMember("apply_tipsets")) {
            for (const auto& ts : doc["apply_tipsets"].GetArray()) {
                for (const auto& b : ts["blocks"].GetArray()) {
                    for (const auto& m : b["messages"].GetArray()) encoded.emplace_back(m.GetString());
                }
            }
        }
        for (const auto& b64 : encoded) {
            INFO(entry.path().filename().string());
            auto bytes = from_base64(b64);
            REQUIRE(bytes.ok());
            auto m = decode_cbor<Message>(*bytes);
            if (m.ok()) {
                CHECK(*encode_cbor(*m) == *bytes);
            } else {
                auto sm = decode_cbor<SignedMessage>(*bytes);
                REQUIRE(sm.ok());
                CHECK(*encode_cbor(*sm) == *bytes);
            }
            ++n;
        }
    }
    CHECK(n > 10);
}
