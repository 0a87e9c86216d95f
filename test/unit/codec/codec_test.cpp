// SPDX-License-Identifier: Apache-2.0 OR MIT
#include <catch2/catch.hpp>
#include <rapidjson/document.h>

#include "support/fixtures.hpp"
#include "venus/codec/cbor.hpp"
#include "venus/codec/cid.hpp"
#include "venus/codec/multibase.hpp"
#include "venus/codec/varint.hpp"

using namespace venus;
using namespace venus::codec;

namespace {
Bytes hex(std::string_view s) {
    auto r = from_hex(s);
    REQUIRE(r.ok());
    return *r;
}
}  // namespace

TEST_CASE("codec: base32 and base58", "[unit][codec]") {
    CHECK(base32_encode(as_bytes("foobar")) == "mzxw6ytboi");
    auto d = base32_decode("mzxw6ytboi");
    REQUIRE(d.ok());
    CHECK(as_string(*d) == "foobar");
    CHECK_FALSE(base32_decode("mzxw6ytboj").ok());  // trailing bits set
    CHECK_FALSE(base32_decode("MZXW6YTBOI").ok());  // upper case is another alphabet
    CHECK_FALSE(base32_decode("m").ok());           // impossible length
    CHECK(base58btc_encode(hex("0000287fb4cd")) == "11233QC4");
    auto b = base58btc_decode("11233QC4");
    REQUIRE(b.ok());
    CHECK(to_hex(*b) == "0000287fb4cd");
    CHECK_FALSE(base58btc_decode("0OIl").ok());
}

TEST_CASE("codec: varints are minimal and bounded", "[unit][codec]") {
    Bytes b;
    append_uvarint(b, 300);
    CHECK(to_hex(b) == "ac02");
    CHECK(read_uvarint(b).value == 300);
    CHECK(read_uvarint(hex("8000")).error == UvarintError::kNotMinimal);
    CHECK(read_uvarint(hex("80")).error == UvarintError::kTruncated);
    CHECK(read_uvarint(hex("ffffffffffffffffff01")).error == UvarintError::kOverflow);
    CHECK(read_uvarint(hex("ffffffffffffffff7f")).value == 0x7fffffffffffffffULL);
}

TEST_CASE("codec: CIDs of the reference objects", "[unit][codec]") {
    // node-chain.md §2.3
    const std::pair<const char*, const char*> known[] = {
        {"8300008341008080", "bafy2bzacedswlcz5ddgqnyo3sak3jmhmkxashisnlpq6ujgyhe4mlobzpnhs6"},
        {"824080", "bafy2bzaceamp42wmmgr2g2ymg46euououzfyck7szknvfacqscohrvaikwfay"},
        {"840300008341008080", "bafy2bzacedijw74yui7otvo63nfl3hdq2vdzuy7wx2tnptwed6zml4vvz7wee"},
        {"80", "bafy2bzacebc3bt6cedhoyw34drrmjvazhu4oj25er2ebk4u445pzycvq4ta4a"},
    };
    for (auto [h, c] : known) {
        auto bytes = hex(h);
        REQUIRE(validate(bytes).ok());
        const Cid cid = cbor_cid(bytes);
        CHECK(cid.to_string() == c);
        auto parsed = Cid::parse(c);
        REQUIRE(parsed.ok());
        CHECK(*parsed == cid);
        CHECK(parsed->codec() == kCodecDagCbor);
        CHECK(parsed->hash_code() == kHashBlake2b256);
        CHECK(parsed->bytes().size() == 38);
        CHECK(to_hex(parsed->bytes()).substr(0, 12) == "0171a0e40220");
    }
    // MsgMeta(empty AMT, empty AMT)
    const Cid amt = cbor_cid(hex("8300008341008080"));
    Bytes meta;
    CborWriter w(meta);
    w.write_array_header(2);
    w.write_cid(amt);
    w.write_cid(amt);
    CHECK(cbor_cid(meta).to_string() == "bafy2bzacecmda75ovposbdateg7eyhwij65zklgyijgcjwynlklmqazpwlhba");
}

TEST_CASE("codec: CIDv0 and base58 CIDv1", "[unit][codec]") {
    auto v0 = Cid::parse("QmQg1v4o9xdT3Q14wh4S7dxZkDjyZ9ssFzFzyep1YrVJBY");
    REQUIRE(v0.ok());
    CHECK(v0->version() == 0);
    CHECK(v0->to_string() == "QmQg1v4o9xdT3Q14wh4S7dxZkDjyZ9ssFzFzyep1YrVJBY");
    auto z = Cid::parse("zdpuAtX7ZibcWdSKQwiDCkPjWwRvtcKCPku9H7LhgA4qJW4Wk");
    REQUIRE(z.ok());
    CHECK(z->to_string_base58() == "zdpuAtX7ZibcWdSKQwiDCkPjWwRvtcKCPku9H7LhgA4qJW4Wk");
    CHECK(z->codec() == kCodecDagCbor);
    CHECK_FALSE(Cid::parse("bafy2bzacebc3bt6cedhoyw34drrmjvazhu4oj25er2ebk4u445pzycvq4ta4").ok());
    CHECK_FALSE(Cid::parse("xyz").ok());
    CHECK_FALSE(Cid::parse("").ok());
    // Copies of large (heap) CIDs stay independent.
    Bytes big(100, 7);
    Cid a = make_cid(big, kCodecRaw, kHashIdentity);
    Cid b = a;
    Cid c = std::move(a);
    CHECK(b == c);
    CHECK(c.digest().size() == 100);
}

TEST_CASE("codec: strict DAG-CBOR rejections", "[unit][codec]") {
    const char* bad[] = {
        "",                  // empty
        "1817",              // non-minimal uint (23 in one extra byte)
        "190017",            // non-minimal
        "9f01ff",            // indefinite array
        "5f4101ff",          // indefinite bytes
        "0102",              // trailing bytes
        "f7",                // undefined
        "f93c00",            // half float
        "fa3f800000",        // single float
        "fb7ff8000000000000",  // NaN
        "fb7ff0000000000000",  // +inf
        "c101",              // tag 1
        "d82a4101",          // tag 42 without the 0x00 prefix
        "d82a420001",        // tag 42 with a garbage CID
        "a2616201616101",    // map keys out of order
        "a2616101616102",    // duplicate key
        "a10101",            // non-text key
        "62c328",            // invalid UTF-8
        "9b00000000ffffffff",  // array longer than the input
        "5a00ffffff",        // byte string longer than the input
        "1c",                // reserved
        "ff",                // break
        "f820",              // simple value in extra byte
    };
    for (const char* h : bad) {
        INFO(h);
        auto bytes = hex(h);
        CHECK_FALSE(validate(bytes).ok());
        CHECK_FALSE(decode_value(bytes).ok());
    }
    // Depth limit
    Bytes deep(100, 0x81);
    deep.push_back(0x01);
    CHECK_FALSE(validate(deep).ok());
    CborLimits lim;
    lim.max_depth = 200;
    CHECK(validate(deep, lim).ok());
    // Typed reader errors
    auto b = hex("8a00");
    CborReader r(b);
    CHECK_FALSE(r.read_array_header(2).ok());
    auto neg = hex("3bffffffffffffffff");
    CborReader r2(neg);
    CHECK_FALSE(r2.read_int().ok());
    auto v = decode_value(neg);
    REQUIRE(v.ok());
    CHECK(encode_value(*v) == neg);
}

TEST_CASE("codec: writer produces canonical heads", "[unit][codec]") {
    Bytes out;
    CborWriter w(out);
    w.write_uint(23);
    w.write_uint(24);
    w.write_uint(256);
    w.write_uint(65536);
    w.write_uint(1ULL << 32);
    w.write_int(-1);
    w.write_int(INT64_MIN);
    w.write_float(1.1);
    CHECK(to_hex(out) == "17" "1818" "190100" "1a00010000" "1b0000000100000000" "20" "3b7fffffffffffffff"
                         "fb3ff199999999999a");
    CborValue::Map m;
    m.emplace_back("bb", CborValue(std::uint64_t{1}));
    m.emplace_back("a", CborValue(std::uint64_t{2}));
    CHECK(to_hex(encode_value(CborValue(m))) == "a2616102626262" "01");
}

TEST_CASE("codec: ipld dag-cbor fixtures round trip", "[unit][codec][vectors]") {
    VENUS_REQUIRE_VECTORS(path, "ipld/dag_cbor_fixtures.json");
    rapidjson::Document doc;
    doc.Parse(test::read_file(path).c_str());
    REQUIRE(doc.IsObject());
    int n = 0;
    for (const auto& c : doc["cases"].GetArray()) {
        INFO(c["name"].GetString());
        auto bytes = hex(c["dag_cbor_hex"].GetString());
        auto v = decode_value(bytes);
        REQUIRE(v.ok());
        CHECK(encode_value(*v) == bytes);
        CHECK(validate(bytes).ok());
        CHECK(make_cid(bytes, kCodecDagCbor, kHashSha2_256).to_string() == c["cid"].GetString());
        ++n;
    }
    CHECK(n == 90);
    VENUS_REQUIRE_VECTORS(neg, "ipld/dag_cbor_negative_decode.json");
    rapidjson::Document nd;
    nd.Parse(test::read_file(neg).c_str());
    for (const auto& c : nd.GetArray()) {
        auto bytes = hex(c["hex"].GetString());
        auto v = decode_value(bytes);
        REQUIRE_FALSE(v.ok());
        CHECK(v.error().message.find("duplicate") != std::string::npos);
    }
}

TEST_CASE("codec: floats with small bit patterns stay floats", "[unit][codec]") {
    auto b = hex("fb0000000000000014");
    auto v = decode_value(b);
    REQUIRE(v.ok());
    CHECK(v->is<double>());
    CHECK(encode_value(*v) == b);
}

TEST_CASE("codec: non-canonical mode canonicalizes", "[unit][codec]") {
    CborLimits lenient;
    lenient.allow_noncanonical = true;
    // {"b": 1 (as 1800 01), "a": 1.5 (as f93e00)}
    auto in = hex("a261621801" "6161f93e00");
    CHECK_FALSE(decode_value(in).ok());
    auto v = decode_value(in, lenient);
    REQUIRE(v.ok());
    CHECK(to_hex(encode_value(*v)) == "a26161fb3ff8000000000000" "616201");
    CHECK(validate(in, lenient).ok());
    CHECK_FALSE(decode_value(hex("a2616101616102"), lenient).ok());  // duplicates stay invalid
    CHECK_FALSE(validate(hex("a2616101616102"), lenient).ok());
    CHECK_FALSE(decode_value(hex("9f01ff"), lenient).ok());          // indefinite stays invalid
}
