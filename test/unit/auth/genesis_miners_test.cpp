// SPDX-License-Identifier: Apache-2.0 OR MIT
// The devnet default: genesis miners bound to the daemon's user once, never taken back.
#include <catch2/catch.hpp>

#include <fstream>

#include "auth_fixture.hpp"
#include "genesis_miners.hpp"
#include "venus/chain/genesis_keys.hpp"

using namespace venus;
using venus::test::kAdmin;

TEST_CASE("auth: genesis miners go to the daemon's user once, a later owner or stop stays", "[auth]") {
    test::TempDir dir;
    test::AuthStack a(dir.path());
    REQUIRE(a.service->create_user(kAdmin, "defaultLocalToken", "", 1).ok());
    REQUIRE(a.service->create_user(kAdmin, "bob", "", 1).ok());

    // No genesis in this repo: nothing is bound.
    auto none = plugins::auth::bind_genesis_miners(*a.service, dir.path(), "defaultLocalToken");
    REQUIRE(none.ok());
    CHECK(*none == 0);

    const auto keys = chain::genesis_key_dir(dir.path());
    std::filesystem::create_directories(keys);
    std::ofstream(keys / "genesis-keys.json")
        << R"([{"Address":"t01001","Role":"account"},{"Address":"t01002","Role":"miner 0 worker","Miner":"t01000"},)"
        << R"({"Address":"t01003","Role":"miner 1 worker","Miner":"t01001"}])";
    auto bound = plugins::auth::bind_genesis_miners(*a.service, dir.path(), "defaultLocalToken");
    REQUIRE(bound.ok());
    CHECK(*bound == 2);
    auto miners = a.service->list_miners(kAdmin, "defaultLocalToken").value();
    REQUIRE(miners.size() == 2);
    CHECK(miners[0].open_mining);

    // Stopped, and one given to bob: a restart binds nothing again.
    REQUIRE(a.service->upsert_miner(kAdmin, "defaultLocalToken", "t01000", false).ok());
    REQUIRE(a.service->upsert_miner(kAdmin, "bob", "t01001", true).ok());
    auto again = plugins::auth::bind_genesis_miners(*a.service, dir.path(), "defaultLocalToken");
    REQUIRE(again.ok());
    CHECK(*again == 0);
    CHECK(a.service->get_user_by_miner(kAdmin, "t01001")->name == "bob");
    CHECK_FALSE(a.service->list_miners(kAdmin, "defaultLocalToken").value()[0].open_mining);
}
