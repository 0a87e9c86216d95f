// SPDX-License-Identifier: Apache-2.0 OR MIT
#include <catch2/catch.hpp>
#include <rapidjson/document.h>

#include "support/fixtures.hpp"
#include "venus/chain/address.hpp"

using namespace venus;
using namespace venus::chain;

namespace {
Bytes hex(std::string_view s) {
    auto r = from_hex(s);
    REQUIRE(r.ok());
    return *r;
}
}  // namespace

TEST_CASE("address: embedded known answers", "[unit][chain]") {
    auto id = Address::new_id(150);
    REQUIRE(id.ok());
    CHECK(to_hex(id->bytes()) == "009601");
    CHECK(id->to_string(Network::kTestnet) == "t0150");
    CHECK(id->to_string(Network::kMainnet) == "f0150");
    CHECK(*id->id() == 150);

    auto secp = Address::new_secp256k1(hex(
        "049402fac37e6432a416a3a0ca5426b5185ab3b24f6134efa25ce487c82d2e4e13bf452511e0d2245421f8613bc10d72fa216666a96c3bc13920d3ff233fd0bc05"));
    REQUIRE(secp.ok());
    CHECK(secp->to_string(Network::kTestnet) == "t15ihq5ibzwki2b4ep2f46avlkrqzhpqgtga7pdrq");

    auto f4 = Address::parse("f432f77777777x32lpna");
    REQUIRE(f4.ok());
    CHECK(to_hex(f4->bytes()) == "0420ffffffffff");
    CHECK(f4->to_string(Network::kMainnet) == "f432f77777777x32lpna");

    const char* invalid[] = {"Q2gfvuyh7v2sx3patm5k23wdzmhyhtmqctasbr23y", "t5gfvuyh7v2sx3patm5k23wdzmhyhtmqctasbr23y",
                             "t0banananananannnnnnn", "t1234q", "t", "t0", "t0aaaaaaaaaaaaaaaaaaaa",
                             "f1xpbyy4tkdx5si2bgo37dubc2xwv6fum5tk57mid", "t09223372036854775808"};
    for (const char* s : invalid) {
        INFO(s);
        CHECK_FALSE(Address::parse(s).ok());
    }
    CHECK(Address::parse("t09223372036854775807").ok());
    CHECK_FALSE(Address::from_bytes(hex("0080")).ok());
    CHECK_FALSE(Address::from_bytes(hex("00ffffffffffffffffff01")).ok());
    CHECK_FALSE(Address::new_id(1ULL << 63).ok());
    auto undef = Address::parse("<empty>");
    REQUIRE(undef.ok());
    CHECK_FALSE(undef->defined());
    CHECK(undef->to_string() == "<empty>");
}

TEST_CASE("address: go-address vectors", "[unit][chain][vectors]") {
    VENUS_REQUIRE_VECTORS(path, "go-address/address_vectors.json");
    rapidjson::Document doc;
    doc.Parse(test::read_file(path).c_str());
    REQUIRE(doc.IsObject());
    int checked = 0;
    for (const auto& c : doc["cases"].GetArray()) {
        const std::string kind = c["kind"].GetString();
        INFO(kind << " case " << checked);
        auto str_or = [&](const char* k) { return c.HasMember(k) ? std::string(c[k].GetString()) : std::string(); };
        if (kind == "invalid_string") {
            CHECK_FALSE(Address::parse(c["input"].GetString()).ok());
        } else if (kind == "invalid_bytes") {
            CHECK_FALSE(Address::from_bytes(hex(c["bytes_hex"].GetString())).ok());
        } else if (kind == "valid_string") {
            CHECK(Address::parse(c["input"].GetString()).ok());
        } else {
            Result<Address> built = Address{};
            if (kind == "id") {
                built = Address::new_id(std::stoull(c["id"].GetString()));
            } else if (kind == "secp256k1") {
                built = Address::new_secp256k1(hex(c["pubkey_hex"].GetString()));
            } else if (kind == "actor") {
                built = Address::new_actor(hex(c["actor_input_hex"].GetString()));
            } else if (kind == "bls") {
                built = Address::new_bls(hex(c["pubkey_hex"].GetString()));
            } else if (kind == "delegated") {
                built = Address::new_delegated(std::stoull(c["namespace"].GetString()), hex(c["subaddress_hex"].GetString()));
            }
            REQUIRE(built.ok());
            CHECK(to_hex(built->bytes()) == c["bytes_hex"].GetString());
            auto from_bytes = Address::from_bytes(hex(c["bytes_hex"].GetString()));
            REQUIRE(from_bytes.ok());
            CHECK(*from_bytes == *built);
            for (auto [key, net] : {std::pair{"testnet", Network::kTestnet}, std::pair{"mainnet", Network::kMainnet}}) {
                const std::string s = str_or(key);
                if (s.empty()) continue;
                CHECK(built->to_string(net) == s);
                auto parsed = Address::parse(s);
                REQUIRE(parsed.ok());
                CHECK(*parsed == *built);
            }
        }
        ++checked;
    }
    CHECK(checked == 47);
}
