// SPDX-License-Identifier: Apache-2.0 OR MIT
// The built-in wallet's keystore and its sign checks.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "keystore.hpp"
#include "prover.hpp"
#include "signing.hpp"
#include "support/fixtures.hpp"
#include "venus/chain/keys.hpp"
#include "venus/crypto/hash.hpp"

using namespace venus;
using namespace venus::plugins::wallet;

namespace {
chain::Message sample_message(const chain::Address& from) {
    chain::Message m;
    m.to = *chain::Address::new_id(1000);
    m.from = from;
    m.nonce = 7;
    m.gas_limit = 1000000;
    return m;
}
}  // namespace

TEST_CASE("keystore: plain files are Lotus KeyInfo, mode 0600, reloaded", "[wallet]") {
    test::TempDir dir;
    auto ks = Keystore::open(dir.path() / "wallet", std::nullopt);
    REQUIRE(ks);
    auto key = chain::generate_key(chain::SigType::kSecp256k1);
    REQUIRE(key);
    auto addr = (*ks)->put(*key);
    REQUIRE(addr);
    REQUIRE((*ks)->set_default(*addr));
    const auto file = dir.path() / "wallet" / (to_hex(addr->bytes()) + ".key");
    struct stat st {};
    REQUIRE(::stat(file.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK(chain::parse_key_info_json(test::read_file(file)).ok());

    auto again = Keystore::open(dir.path() / "wallet", std::nullopt);
    REQUIRE(again);
    CHECK((*again)->has(*addr));
    CHECK((*again)->default_address() == *addr);
    REQUIRE((*again)->remove(*addr));
    CHECK_FALSE((*again)->has(*addr));
    CHECK_FALSE((*again)->default_address());
}

TEST_CASE("keystore: sealed at rest with a passphrase", "[wallet]") {
    test::TempDir dir;
    auto key = chain::generate_key(chain::SigType::kSecp256k1);
    REQUIRE(key);
    {
        auto ks = Keystore::open(dir.path(), std::string("correct horse"));
        REQUIRE(ks);
        REQUIRE((*ks)->put(*key));
    }
    auto addr = *chain::key_address(*key);
    const auto text = test::read_file(dir.path() / (to_hex(addr.bytes()) + ".key"));
    CHECK(text.find("Sealed") != std::string::npos);
    CHECK(text.find(to_base64(key->private_key)) == std::string::npos);

    auto ok = Keystore::open(dir.path(), std::string("correct horse"));
    REQUIRE(ok);
    CHECK((*ok)->get(addr).value() == *key);
    auto wrong = Keystore::open(dir.path(), std::string("battery staple"));
    REQUIRE_FALSE(wrong);
    CHECK(wrong.error().is(Errc::kPermissionDenied));
    auto none = Keystore::open(dir.path(), std::nullopt);
    REQUIRE_FALSE(none);
}

TEST_CASE("sign checks: message bytes must be the CID of Extra", "[wallet]") {
    auto key = *chain::generate_key(chain::SigType::kSecp256k1);
    auto msg = sample_message(*chain::key_address(key));
    auto cbor = *chain::encode_cbor(msg);
    auto cid = *msg.cid();
    Bytes cid_bytes(cid.bytes().begin(), cid.bytes().end());
    api::SignMeta meta{std::string(api::kMetaMessage), cbor};
    auto ok = checked_sign_bytes(cid_bytes, meta, {});
    REQUIRE(ok);
    CHECK(*ok == cid_bytes);

    Bytes other = cid_bytes;
    other.back() ^= 1;
    auto bad = checked_sign_bytes(other, meta, {});
    REQUIRE_FALSE(bad);
    CHECK(bad.error().is(Errc::kPermissionDenied));
    CHECK_FALSE(checked_sign_bytes(cid_bytes, api::SignMeta{"message", Bytes{1, 2, 3}}, {}));
}

TEST_CASE("sign checks: verifyaddress is sha256(gateway rand ‖ wallet rand)", "[wallet]") {
    Bytes gw(32, 7), mine(32, 9);
    Bytes input = gw;
    input.insert(input.end(), mine.begin(), mine.end());
    auto d = crypto::sha256(input);
    Bytes to_sign(d.begin(), d.end());
    CHECK(checked_sign_bytes(to_sign, {"verifyaddress", gw}, mine).ok());
    Bytes other_rand(32, 1);
    CHECK_FALSE(checked_sign_bytes(to_sign, {"verifyaddress", gw}, other_rand).ok());
}

TEST_CASE("sign checks: unknown and empty meta types are refused", "[wallet]") {
    for (const char* t : {"", "unknown", "dealproposal", "MESSAGE"}) {
        auto r = checked_sign_bytes(Bytes{1, 2, 3}, {t, {}}, {});
        REQUIRE_FALSE(r);
        CHECK(r.error().is(Errc::kPermissionDenied));
    }
}

TEST_CASE("drawrandomparam: CBOR map round trip and DrawRandomness", "[wallet]") {
    DrawRandomParams p{Bytes(96, 0xab), 2, 1234, Bytes{0x43, 0x00, 0xe8, 0x07}};
    auto cbor = encode_draw_random_params(p);
    // fxamacker's field-order map: a4 65 "Rbase" …
    CHECK(cbor[0] == 0xa4);
    auto back = decode_draw_random_params(cbor);
    REQUIRE(back);
    CHECK(back->rbase == p.rbase);
    CHECK(back->pers == 2);
    CHECK(back->round == 1234);
    CHECK(back->entropy == p.entropy);

    // Lotus DrawRandomness, spelled out: blake2b(i64BE(pers) ‖ blake2b(rbase) ‖ i64BE(round) ‖ entropy).
    Bytes buf{0, 0, 0, 0, 0, 0, 0, 2};
    auto d = crypto::blake2b_256(p.rbase);
    buf.insert(buf.end(), d.begin(), d.end());
    for (Bytes b : {Bytes{0, 0, 0, 0, 0, 0, 0x04, 0xd2}, p.entropy}) buf.insert(buf.end(), b.begin(), b.end());
    auto expect = crypto::blake2b_256(buf);
    auto got = checked_sign_bytes(cbor, {"drawrandomparam", {}}, {});
    REQUIRE(got);
    CHECK(*got == Bytes(expect.begin(), expect.end()));
    CHECK_FALSE(checked_sign_bytes(Bytes{0x80}, {"drawrandomparam", {}}, {}).ok());
}

TEST_CASE("mock prover answers with one winning PoSt proof", "[wallet]") {
    MockProver p;
    auto r = p.compute_proof(R"({"SectorInfos":[{"SealProof":8,"SectorNumber":1}],"Rand":"AAAA","Height":10,"NWVersion":21})");
    REQUIRE(r);
    CHECK(r->find(R"("PoStProof":3)") != std::string::npos);
    CHECK(r->find("dmFsaWQgcHJvb2Y=") != std::string::npos);  // "valid proof"
}
