// SPDX-License-Identifier: Apache-2.0 OR MIT
#include <catch2/catch.hpp>

#include "node/actors/states.hpp"
#include "node/vm/gas.hpp"

using namespace venus;
using namespace venus::plugins::node;

namespace {
template <typename T>
Bytes roundtrip(const T& v) {
    auto bytes = chain::encode_cbor(v);
    REQUIRE(bytes.ok());
    auto back = chain::decode_cbor<T>(*bytes);
    REQUIRE(back.ok());
    auto again = chain::encode_cbor(*back);
    REQUIRE(again.ok());
    CHECK(*again == *bytes);
    return *bytes;
}
}  // namespace

TEST_CASE("node: actor states round-trip through CBOR byte for byte", "[unit][node]") {
    const auto cid = chain::Cid::parse("bafy2bzacedswlcz5ddgqnyo3sak3jmhmkxashisnlpq6ujgyhe4mlobzpnhs6").value();
    MinerInfo info;
    info.owner = chain::Address::new_id(1000).value();
    info.worker = chain::Address::new_id(101).value();
    info.control_addresses = {chain::Address::new_id(102).value()};
    info.pending_worker_key = WorkerKeyChange{chain::Address::new_id(103).value(), 900};
    info.peer_id = {1, 2, 3};
    info.multiaddrs = {{4, 5}};
    info.window_post_proof_type = 10;
    info.sector_size = 2048;
    info.window_post_partition_sectors = 2;
    info.beneficiary = info.owner;
    auto bytes = roundtrip(info);
    CHECK(bytes[0] == 0x8e);  // 14-field tuple

    PowerState power;
    power.claims = cid;
    power.cron_event_queue = cid;
    power.total_raw_byte_power = 2048;
    CHECK(roundtrip(power)[0] == 0x91);  // 17 fields

    SectorOnChainInfo s;
    s.sealed_cid = cid;
    s.expected_day_reward = chain::BigInt(0);
    CHECK(roundtrip(s)[0] == 0x8f);  // 15 fields without DailyFee
    s.daily_fee = chain::BigInt(7);
    CHECK(roundtrip(s)[0] == 0x90);

    MultisigState ms;
    ms.signers = {info.owner, info.worker};
    ms.num_approvals_threshold = 2;
    ms.pending_txns = cid;
    roundtrip(ms);
    roundtrip(InitState{cid, 1000, "venusd-devnet"});
    roundtrip(RewardState{});
}

TEST_CASE("node: RLE+ bitfields and integer keys", "[unit][node]") {
    CHECK(rle_plus_encode({}).empty());
    for (const std::vector<std::uint64_t>& bits : std::vector<std::vector<std::uint64_t>>{
             {0}, {1}, {0, 1, 2}, {5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 40}, {1000}}) {
        auto enc = rle_plus_encode(bits);
        auto dec = rle_plus_decode(enc);
        REQUIRE(dec.ok());
        CHECK(*dec == bits);
    }
    // Bit 0 alone: version 00, first value 1, one run of length 1 → bits 0,0,1,1 (LSB first).
    CHECK(rle_plus_encode({0}) == Bytes{0x0c});
    CHECK(int_key(0) == Bytes{0x00});
    CHECK(int_key(1) == Bytes{0x02});
    CHECK(int_key(-1) == Bytes{0x01});
    CHECK(int_key(64) == Bytes{0x80, 0x01});
}

TEST_CASE("node: gas outputs split the escrow exactly", "[unit][node]") {
    // gasUsed 1e6 of 2e6, baseFee 100, feeCap 200, premium 10.
    auto g = compute_gas_outputs(1'000'000, 2'000'000, 100, 200, 10);
    CHECK(g.base_fee_burn == chain::BigInt(100'000'000));
    CHECK(g.miner_tip == chain::BigInt(20'000'000));
    CHECK(g.miner_penalty.is_zero());
    // over = 2e6 - 1.1e6 = 9e5 → burned = (1e6 × 9e5) / 1e6 = 9e5.
    CHECK(g.gas_burned == 900'000);
    CHECK(g.over_estimation_burn == chain::BigInt(90'000'000));
    CHECK(g.total() == chain::BigInt(200) * chain::BigInt(2'000'000));
    // Fee cap below the base fee: the miner pays the difference as a penalty.
    auto p = compute_gas_outputs(1000, 1000, 150, 100, 5);
    CHECK(p.miner_penalty == chain::BigInt(50 * 1000));
    CHECK(p.miner_tip.is_zero());
    CHECK(p.total() == chain::BigInt(100 * 1000));
    // Nothing used: the whole limit is burned at the base fee.
    auto z = compute_gas_outputs(0, 500, 100, 100, 0);
    CHECK(z.gas_burned == 500);
    CHECK(z.refund.is_zero());
}
