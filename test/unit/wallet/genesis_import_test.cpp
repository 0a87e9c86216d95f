// SPDX-License-Identifier: Apache-2.0 OR MIT
// The genesis key index (src/chain/genesis_keys.cpp) and the wallet's one-time import of it.
#include <catch2/catch.hpp>

#include <fstream>

#include "genesis_import.hpp"
#include "keystore.hpp"
#include "support/fixtures.hpp"
#include "venus/chain/genesis_keys.hpp"

using namespace venus;
using namespace venus::plugins::wallet;

namespace {

struct GenesisDir {
    std::vector<chain::KeyInfo> keys;  // account 0, account 1, miner 0 owner, miner 0 worker
    std::vector<chain::Address> addrs;

    explicit GenesisDir(const std::filesystem::path& repo) {
        const auto dir = chain::genesis_key_dir(repo);
        std::filesystem::create_directories(dir);
        const std::vector<std::pair<chain::SigType, std::string>> roles{
            {chain::SigType::kSecp256k1, "account"}, {chain::SigType::kBls, "account"},
            {chain::SigType::kBls, "miner 0 owner"}, {chain::SigType::kBls, "miner 0 worker"}};
        std::string index = "[";
        for (const auto& [type, role] : roles) {
            auto k = chain::generate_key(type).value();
            auto a = chain::key_address(k).value();
            std::ofstream(dir / (a.to_string() + ".key")) << chain::key_info_json(k);
            index += std::string(index.size() > 1 ? "," : "") + R"({"Address":")" + a.to_string() + R"(","Role":")" +
                     role + "\"" + (role.starts_with("miner") ? R"(,"Miner":"t01000")" : "") + "}";
            keys.push_back(k);
            addrs.push_back(a);
        }
        std::ofstream(dir / "genesis-keys.json") << index << "]";
    }
};

}  // namespace

TEST_CASE("genesis keys: the index names every key's role and miner", "[wallet]") {
    test::TempDir repo;
    SECTION("no index: nothing to import") {
        auto idx = chain::read_genesis_key_index(repo.path());
        REQUIRE(idx.ok());
        CHECK_FALSE(idx->has_value());
    }
    SECTION("an index") {
        GenesisDir g(repo.path());
        auto idx = chain::read_genesis_key_index(repo.path());
        REQUIRE(idx.ok());
        REQUIRE(idx->has_value());
        REQUIRE((*idx)->size() == 4);
        CHECK((**idx)[0].role == "account");
        CHECK_FALSE((**idx)[0].miner.has_value());
        CHECK((**idx)[3].miner->to_string() == "t01000");
        CHECK(chain::genesis_miners(**idx) == std::vector<chain::Address>{chain::Address::new_id(1000).value()});
        CHECK(chain::read_genesis_key(repo.path(), g.addrs[3]).value() == g.keys[3]);
    }
    SECTION("a key file holding another key is refused") {
        GenesisDir g(repo.path());
        const auto dir = chain::genesis_key_dir(repo.path());
        std::filesystem::copy_file(dir / (g.addrs[0].to_string() + ".key"), dir / (g.addrs[1].to_string() + ".key"),
                                   std::filesystem::copy_options::overwrite_existing);
        auto k = chain::read_genesis_key(repo.path(), g.addrs[1]);
        REQUIRE_FALSE(k.ok());
        CHECK_THAT(k.error().message, Catch::Contains("holds the key of"));
    }
    SECTION("malformed indexes are refused") {
        std::filesystem::create_directories(chain::genesis_key_dir(repo.path()));
        for (const char* bad : {"{}", R"([{"Role":"account"}])", R"([{"Address":"x1","Role":"account"}])",
                                R"([{"Address":"t01000","Role":"account","Miner":7}])", "[1"}) {
            std::ofstream(chain::genesis_key_dir(repo.path()) / "genesis-keys.json", std::ios::trunc) << bad;
            INFO(bad);
            CHECK_FALSE(chain::read_genesis_key_index(repo.path()).ok());
        }
    }
}

TEST_CASE("genesis keys: the wallet imports them once, sets a default, and proves for the miners", "[wallet]") {
    test::TempDir repo;
    GenesisDir g(repo.path());
    const auto ks_dir = repo.path() / "wallet";
    auto ks = Keystore::open(ks_dir, std::nullopt).value();
    auto miners = import_genesis_keys(repo.path(), ks_dir, *ks);
    REQUIRE(miners.ok());
    CHECK(*miners == std::vector<std::string>{"t01000"});
    for (const auto& a : g.addrs) CHECK(ks->has(a));
    CHECK(ks->default_address() == g.addrs[0]);

    // Deleted afterwards: it stays deleted (the import ran once), and without the worker no miner.
    REQUIRE(ks->remove(g.addrs[3]).ok());
    REQUIRE(ks->remove(g.addrs[1]).ok());
    auto ks2 = Keystore::open(ks_dir, std::nullopt).value();
    auto again = import_genesis_keys(repo.path(), ks_dir, *ks2);
    REQUIRE(again.ok());
    CHECK(again->empty());
    CHECK_FALSE(ks2->has(g.addrs[1]));
    CHECK(ks2->has(g.addrs[0]));

    // A repo without a genesis of its own: nothing happens.
    test::TempDir other;
    auto ks3 = Keystore::open(other.path() / "wallet", std::nullopt).value();
    auto none = import_genesis_keys(other.path(), other.path() / "wallet", *ks3);
    REQUIRE(none.ok());
    CHECK(none->empty());
    CHECK(ks3->list().empty());
}
