// SPDX-License-Identifier: Apache-2.0 OR MIT
// Randomness, mock beacon, mock PoSt, election arithmetic (Lotus golden files) and consensus faults:
// everything that needs no chain.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "consensus/beacon.hpp"
#include "consensus/election.hpp"
#include "consensus/fault.hpp"
#include "consensus/proofs.hpp"
#include "consensus/randomness.hpp"
#include "venus/chain/json.hpp"
#include "wallet/prover.hpp"

using namespace venus;
using namespace venus::plugins::consensus;

namespace {

std::string hex(BytesView b) {
    static const char* d = "0123456789abcdef";
    std::string s;
    for (auto c : b) {
        s += d[c >> 4];
        s += d[c & 15];
    }
    return s;
}

std::filesystem::path election_vectors() {
    return std::filesystem::path(VENUS_SOURCE_DIR) / ".." / "shared" / "vectors" / "lotus-election";
}

std::vector<std::string> read_lines(const std::filesystem::path& p) {
    std::ifstream f(p);
    std::vector<std::string> out;
    std::string line;
    while (std::getline(f, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (!line.empty()) out.push_back(line);
    }
    return out;
}

BigInt big(const std::string& s) { return BigInt::from_string(s).value(); }

}  // namespace

TEST_CASE("DrawRandomness matches blake2b(DST || digest || round || entropy)", "[consensus][randomness]") {
    // Expected values computed independently with Python's hashlib.blake2b(digest_size=32).
    const auto digest = crypto::blake2b_256(as_bytes("rbase-for-test"));
    CHECK(hex(digest) == "07230b4925c619eab11f3970f8e4802deb6a3b50c93f6c42bf27909f16eed9cf");
    const Bytes entropy{0x43, 0x00, 0xe8, 0x07};  // CBOR of t01000
    CHECK(hex(draw_randomness(digest, 2, 1234, entropy)) ==
          "4427d14376917535e700eb51fd909fef6de7a9879297e20a9c1ed3d4c5915c50");
    CHECK(hex(draw_randomness_from_base(as_bytes("rbase-for-test"), DomainTag::kElectionProofProduction, 1234,
                                        entropy)) == "4427d14376917535e700eb51fd909fef6de7a9879297e20a9c1ed3d4c5915c50");
    // Negative rounds are encoded as two's complement int64.
    CHECK(hex(draw_randomness(crypto::Hash256{}, 1, -5, {})) ==
          "6d630fe29d453f93b9cc1f221c0bc5d46f6c252639dc59c3c889933d83b370c5");
    CHECK(miner_entropy(chain::Address::new_id(1000).value()) == entropy);
}

TEST_CASE("mock beacon is Lotus's: blake2b(u64BE(round)), round = epoch + 100", "[consensus][beacon]") {
    std::uint64_t now = 1'000'000;
    MockBeacon b(1'000'000, 4, [&] { return now; });
    CHECK(b.max_round_for_epoch(0) == 100);
    CHECK(b.max_round_for_epoch(7) == 107);
    CHECK(hex(MockBeacon::entry_for_round(1).data) == "12dd0a6a7d0e222a97926da03adb5a7768d31cc7c5c2bd6828e14a7d25fa3a60");
    CHECK(hex(MockBeacon::entry_for_round(101).data) ==
          "ae7c4c7d705110eaefdb503901312a77ae785192332484ce74032eb3b08fb35c");
    // Rounds are produced as their epochs start; a future one is unavailable until then.
    CHECK(b.entry(100).ok());
    auto future = b.entry(110);
    REQUIRE_FALSE(future.ok());
    CHECK(future.error().code == make_error_code(Errc::kUnavailable));
    CHECK(b.available_at(110) == 1'000'040);
    now = 1'000'040;
    CHECK(b.entry(110).ok());

    SECTION("entries for a block: one per epoch since the parent, oldest first") {
        auto e = beacon_entries_for_block(b, 5, 2, MockBeacon::entry_for_round(102)).value();
        REQUIRE(e.size() == 3);
        CHECK(e[0].round == 103);
        CHECK(e[2].round == 105);
        CHECK(beacon_entries_for_block(b, 5, 4, MockBeacon::entry_for_round(105)).value().empty());
    }
    SECTION("validation") {
        const auto prev = MockBeacon::entry_for_round(102);
        auto entries = beacon_entries_for_block(b, 4, 2, prev).value();
        CHECK(validate_beacon_values(b, 4, entries, prev).ok());
        auto bad = entries;
        bad.back().data[0] ^= 1;
        auto st = validate_beacon_values(b, 4, bad, prev);
        REQUIRE_FALSE(st.ok());
        CHECK_THAT(st.error().message, Catch::Contains("mock beacon entry was invalid"));
        st = validate_beacon_values(b, 4, {}, prev);
        CHECK_THAT(st.error().message, Catch::Contains("expected to have beacon entries"));
        st = validate_beacon_values(b, 5, entries, prev);
        CHECK_THAT(st.error().message, Catch::Contains("expected final beacon entry in block to be at round 105"));
        st = validate_beacon_values(b, 2, entries, prev);
        CHECK_THAT(st.error().message, Catch::Contains("expected not to have any beacon entries"));
        // Right after the genesis entry (round 0) a chained beacon skips the checks, as Lotus does.
        CHECK(validate_beacon_values(b, 1, bad, chain::BeaconEntry{0, Bytes(32, 0)}).ok());
    }
}

TEST_CASE("mock winning PoSt: the devnet prover's proofs verify, others do not", "[consensus][proofs]") {
    MockProofVerifier v;
    std::vector<api::SectorInfo> sectors{{5, 0, chain::Cid{}}};  // StackedDrg2KiBV1_1
    WinningPoStInput in;
    in.challenged = sectors;
    auto proofs = mock_winning_post(sectors);
    REQUIRE(proofs.size() == 1);
    CHECK(proofs[0].post_proof == 0);
    CHECK(v.verify_winning_post(in, proofs).ok());

    // The wallet's MockProver (what sophon-gateway's ComputeProof reaches) agrees byte for byte.
    plugins::wallet::MockProver prover;
    auto json = prover.compute_proof(R"({"SectorInfos":[{"SealProof":5,"SectorNumber":0}],"Rand":"","Height":3})");
    REQUIRE(json.ok());
    auto doc = chain::parse_json(*json).value();
    REQUIRE(doc.IsArray());
    chain::PoStProof from_prover;
    REQUIRE(chain::from_json(doc[0], from_prover).ok());
    CHECK(from_prover == proofs[0]);

    CHECK_THAT(v.verify_winning_post(in, {}).error().message, Catch::Contains("No winning post proof given"));
    auto bad = proofs;
    bad[0].proof_bytes = Bytes{1, 2, 3};
    CHECK_THAT(v.verify_winning_post(in, bad).error().message, Catch::Contains("winning post was invalid"));
    bad = proofs;
    bad[0].post_proof = 3;
    CHECK_THAT(v.verify_winning_post(in, bad).error().message, Catch::Contains("does not match"));
}

TEST_CASE("election arithmetic matches Lotus's golden files", "[consensus][election]") {
    const auto dir = election_vectors();
    if (!std::filesystem::exists(dir)) {
        WARN("SKIPPED: " << dir.string() << " is absent (../shared/vectors not mounted)");
        return;
    }
    SECTION("expneg") {
        auto lines = read_lines(dir / "TestExpFunction.golden");
        REQUIRE(lines.size() == 257);
        for (std::size_t i = 1; i < lines.size(); ++i) {
            const auto comma = lines[i].find(',');
            REQUIRE(comma != std::string::npos);
            const auto x = big(lines[i].substr(0, comma));
            INFO("row " << i);
            CHECK(expneg(x).to_string() == lines[i].substr(comma + 1));
        }
    }
    SECTION("lambda") {
        CHECK(lambda(10, 100).to_string() == read_lines(dir / "TestLambdaFunction" / "10-100.golden").at(0));
        CHECK(lambda(big("2000000000000000"), big("100000000000000000")).to_string() ==
              read_lines(dir / "TestLambdaFunction" / "2000000000000000-100000000000000000.golden").at(0));
    }
    SECTION("poisson inverse CDF") {
        int files = 0;
        for (const auto& e : std::filesystem::directory_iterator(dir / "TestPoissonFunction")) {
            // lam-<base>-<shift>.golden
            const auto name = e.path().stem().string();
            const auto a = name.find('-');
            const auto b = name.rfind('-');
            const auto base = big(name.substr(a + 1, b - a - 1));
            const auto shift = static_cast<unsigned>(std::stoul(name.substr(b + 1)));
            auto lines = read_lines(e.path());
            REQUIRE(lines.size() == 17);
            CHECK(lines[0] == "icdf");
            Poisson p(base << (256 - shift));
            INFO(name);
            CHECK(p.icdf().to_string() == lines[1]);
            for (std::size_t i = 2; i < lines.size(); ++i) CHECK(p.next().to_string() == lines[i]);
            ++files;
        }
        CHECK(files >= 6);
    }
}

TEST_CASE("win count: bounds and the Poisson walk", "[consensus][election]") {
    // lhs = 0 beats every rhs > 0: the maximum number of wins.
    Bytes proof(96, 7);
    const auto w = compute_win_count(proof, 1, 1);
    CHECK(w >= 0);
    CHECK(w <= 15);
    CHECK(compute_win_count(proof, 0, 100) == 0);
    CHECK(compute_win_count(proof, 1, 0) == 0);
    // Over many proofs, a miner with all the power wins 5 times per epoch on average and almost
    // never zero times (e^-5 ≈ 0.7 %).
    std::int64_t total = 0;
    int zeros = 0;
    for (int i = 0; i < 2000; ++i) {
        Bytes p(8);
        for (int k = 0; k < 8; ++k) p[static_cast<std::size_t>(k)] = static_cast<std::uint8_t>(i >> (8 * (k % 4)));
        p[7] = static_cast<std::uint8_t>(i * 31);
        const auto c = compute_win_count(p, 1000, 1000);
        total += c;
        zeros += c == 0 ? 1 : 0;
    }
    CHECK(total > 2000 * 45 / 10);
    CHECK(total < 2000 * 55 / 10);
    CHECK(zeros < 40);
}

TEST_CASE("ticket quality and VRFs", "[consensus][election]") {
    auto key = chain::generate_key(chain::SigType::kBls).value();
    const auto addr = chain::key_address(key).value();
    const auto rand = election_randomness(as_bytes("beacon"), chain::Address::new_id(1000).value(), 10);
    auto vrf = compute_vrf(key, rand).value();
    CHECK(vrf.size() == 96);
    CHECK(verify_vrf(addr, rand, vrf).ok());
    auto other = rand;
    other[0] ^= 1;
    CHECK_FALSE(verify_vrf(addr, other, vrf).ok());
    auto secp = chain::generate_key(chain::SigType::kSecp256k1).value();
    CHECK_FALSE(compute_vrf(secp, rand).ok());

    const double q = ticket_quality(vrf);
    CHECK(q >= 0.0);
    CHECK(q <= 1.0);
    const auto h = crypto::blake2b_256(vrf);
    CHECK(q == Approx(1.0 - (h[0] / 256.0 + h[1] / 65536.0)).margin(1.0 / 65536));
}

TEST_CASE("tipsets order blocks by ticket digest, ties by CID", "[consensus][election]") {
    std::vector<chain::BlockHeader> blocks;
    for (std::uint8_t i = 0; i < 4; ++i) {
        chain::BlockHeader h;
        h.miner = chain::Address::new_id(1000 + i).value();
        h.ticket = chain::Ticket{Bytes(96, static_cast<std::uint8_t>(i < 2 ? 9 : i))};  // two equal tickets
        h.election_proof = chain::ElectionProof{1, {}};
        h.parents = {chain::Cid::parse("bafy2bzacecmda75ovposbdateg7eyhwij65zklgyijgcjwynlklmqazpwlhba").value()};
        h.height = 3;
        h.parent_state_root = h.parents[0];
        h.parent_message_receipts = h.parents[0];
        h.messages = h.parents[0];
        blocks.push_back(h);
    }
    auto ts = chain::TipSet::create(blocks).value();
    for (std::size_t i = 1; i < ts.blocks().size(); ++i) {
        const auto a = crypto::blake2b_256(ts.blocks()[i - 1].ticket->vrf_proof);
        const auto b = crypto::blake2b_256(ts.blocks()[i].ticket->vrf_proof);
        CHECK(a <= b);
        if (a == b) {
            const auto ca = ts.cids()[i - 1].bytes();
            const auto cb = ts.cids()[i].bytes();
            CHECK(std::lexicographical_compare(ca.begin(), ca.end(), cb.begin(), cb.end()));
        }
    }
}

TEST_CASE("consensus faults of a miner's own blocks", "[consensus][fault]") {
    const auto genesis_parent =
        chain::Cid::parse("bafy2bzacecmda75ovposbdateg7eyhwij65zklgyijgcjwynlklmqazpwlhba").value();
    auto block = [&](chain::ChainEpoch h, std::vector<chain::Cid> parents, std::uint8_t tag) {
        chain::BlockHeader b;
        b.miner = chain::Address::new_id(1000).value();
        b.ticket = chain::Ticket{Bytes(96, tag)};
        b.election_proof = chain::ElectionProof{1, Bytes(96, tag)};
        b.parents = std::move(parents);
        b.height = h;
        b.parent_state_root = genesis_parent;
        b.parent_message_receipts = genesis_parent;
        b.messages = genesis_parent;
        return b;
    };
    MemoryMinedHistory hist;
    const auto a = block(10, {genesis_parent}, 1);
    auto r = check_consensus_fault(hist, a, 9).value();
    CHECK_FALSE(r.faulty());
    REQUIRE(hist.record(a).ok());
    // The same block again is not a fault.
    CHECK_FALSE(check_consensus_fault(hist, a, 9).value().faulty());

    SECTION("double-fork: another block at the same epoch") {
        auto b = block(10, {a.cid().value()}, 2);
        r = check_consensus_fault(hist, b, 9).value();
        CHECK(r.kind == FaultKind::kDoubleFork);
        CHECK(r.witness == a.cid().value());
        CHECK_THAT(r.message, Catch::Contains("double-fork mining faults"));
    }
    SECTION("time-offset: another block on the same parents") {
        auto b = block(11, {genesis_parent}, 3);
        r = check_consensus_fault(hist, b, 9).value();
        CHECK(r.kind == FaultKind::kTimeOffset);
        CHECK_THAT(r.message, Catch::Contains("time-offset mining faults"));
    }
    SECTION("parent grinding: not building on our own block of the parent epoch") {
        const auto other_parent = crypto::blake2b_256(as_bytes("x"));
        auto other = chain::Cid::parse("bafy2bzacedswlcz5ddgqnyo3sak3jmhmkxashisnlpq6ujgyhe4mlobzpnhs6").value();
        (void)other_parent;
        auto b = block(11, {other}, 4);
        r = check_consensus_fault(hist, b, 10).value();
        CHECK(r.kind == FaultKind::kParentGrinding);
        CHECK_THAT(r.message, Catch::Contains("parent-grinding fault"));
        // Building on our own block is fine.
        auto c = block(11, {a.cid().value()}, 5);
        CHECK_FALSE(check_consensus_fault(hist, c, 10).value().faulty());
    }
}
