// SPDX-License-Identifier: Apache-2.0 OR MIT
#include <catch2/catch.hpp>

#include "node/actors/codes.hpp"
#include "node/network.hpp"

using namespace venus;
using namespace venus::plugins::node;

TEST_CASE("node: the compiled-in devnet file parses to the documented defaults", "[unit][node]") {
    auto p = parse_network(default_network_toml(), "devnet.toml");
    REQUIRE(p.ok());
    CHECK(p->name == "venusd-devnet");
    CHECK(p->network_version == 26);
    CHECK(p->actors_version() == 16);
    CHECK(p->block_delay_secs == 4);
    CHECK(p->block_gas_limit == 10'000'000'000);
    CHECK(p->initial_base_fee == chain::BigInt(100'000'000));
    CHECK(p->initial_reward_balance == chain::BigInt(1'100'000'000) * chain::fil_precision());
    CHECK_FALSE(is_public_network_name(p->name));
}

TEST_CASE("node: network files with public names, bad versions or zero delay are refused", "[unit][node]") {
    CHECK_FALSE(parse_network("[network]\nname = \"mainnet\"\n", "x").ok());
    CHECK_FALSE(parse_network("[network]\nname = \"calibrationnet\"\n", "x").ok());
    CHECK_FALSE(parse_network("[network]\nversion = 24\n", "x").ok());
    CHECK_FALSE(parse_network("[network]\nblock_delay_secs = 0\n", "x").ok());
    auto one = parse_network("[network]\nblock_delay_secs = 1\n", "x");
    REQUIRE(one.ok());
    CHECK(one->block_delay_secs == 1);
}

TEST_CASE("node: actor code CIDs and the manifest match the v16 devnet bundle", "[unit][node]") {
    CHECK(actor_code(ActorType::kAccount).to_string() == "bafk2bzacebl27l7f5dt35gfeukr7kzkenhwisdy53r3gmbagbzzfejfa3ci6a");
    CHECK(actor_code(ActorType::kMiner).to_string() == "bafk2bzacebmdlcmrseltgqqcw36q4njwp5cjw24kqf5q5cohonhbbrhv3hxbk");
    CHECK(actor_type(actor_code(ActorType::kMultisig)) == ActorType::kMultisig);
    CHECK_FALSE(actor_type(chain::Cid::parse("bafy2bzacedswlcz5ddgqnyo3sak3jmhmkxashisnlpq6ujgyhe4mlobzpnhs6").value()));
    // The manifest rebuilt from the code table hashes to the published manifest CID, which pins
    // both every code CID and the bundle order.
    CHECK(manifest_cid().to_string() == "bafy2bzaceclp3wfrwdjgh6c3gee5smwj3zmmrhb4fdbc4yfchfaia6rlljx5o");
}
