// SPDX-License-Identifier: Apache-2.0 OR MIT
// The miner's own per-block costs, measured in one run:
// - the SQL slash filter (SQLite WAL, synchronous=NORMAL): check_and_record + the Success stage per
//   block, for 5 miners, against a table already holding `history` blocks;
// - a VRF as the wallet computes it (BLS sign of the drawn randomness) next to the check the miner
//   adds on every returned VRF (BLS verify), to show what that safety costs per election.
//   build/bench/miner/venus_miner_bench [blocks=2000] [history=20000]
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <unistd.h>

#include "consensus/election.hpp"
#include "consensus/randomness.hpp"
#include "mining.hpp"
#include "store/miner_store.hpp"
#include "venus/chain/keys.hpp"
#include "venus/storage/sqlite.hpp"

using namespace venus;
using namespace venus::plugins::miner;
using Clock = std::chrono::steady_clock;

namespace {

double us_since(Clock::time_point t) { return std::chrono::duration<double, std::micro>(Clock::now() - t).count(); }

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "bench failed: %s\n", what.c_str());
    std::exit(1);
}

template <typename T>
T must(Result<T> r, const char* what) {
    if (!r) die(std::string(what) + ": " + r.error().message);
    return std::move(*r);
}

chain::BlockHeader block(std::uint64_t miner, chain::ChainEpoch h, const chain::Cid& parent) {
    static const auto root = chain::Cid::parse("bafy2bzacecmda75ovposbdateg7eyhwij65zklgyijgcjwynlklmqazpwlhba").value();
    chain::BlockHeader b;
    b.miner = chain::Address::new_id(miner).value();
    b.ticket = chain::Ticket{Bytes(96, static_cast<std::uint8_t>(h))};
    b.election_proof = chain::ElectionProof{1, Bytes(96, static_cast<std::uint8_t>(miner))};
    b.parents = {parent};
    b.height = h;
    b.parent_state_root = root;
    b.parent_message_receipts = root;
    b.messages = root;
    return b;
}

}  // namespace

int main(int argc, char** argv) {
    const int blocks = argc > 1 ? std::max(1, std::atoi(argv[1])) : 2000;
    const int history = argc > 2 ? std::max(0, std::atoi(argv[2])) : 20000;
    constexpr int kMiners = 5;
    const auto dir = std::filesystem::temp_directory_path() / ("venus-miner-bench-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    {
        auto db = must(storage::sqlite::open(dir / "miner.db"), "sqlite");
        auto store = must(MinerStore::open(*db), "store");
        auto parent = chain::Cid::parse("bafy2bzacecmda75ovposbdateg7eyhwij65zklgyijgcjwynlklmqazpwlhba").value();
        // History: earlier epochs, one block per miner each, each miner building on its own block.
        std::vector<chain::Cid> tips(kMiners, parent);
        chain::ChainEpoch h = 1;
        for (int i = 0; i < history; i += kMiners, ++h) {
            for (int m = 0; m < kMiners; ++m) {
                auto b = block(1000 + static_cast<std::uint64_t>(m), h, tips[static_cast<std::size_t>(m)]);
                if (must(store->check_and_record(b, h - 1), "history").faulty()) die("unexpected fault");
                tips[static_cast<std::size_t>(m)] = b.cid().value();
            }
        }
        const auto t0 = Clock::now();
        int faults = 0;
        for (int i = 0; i < blocks; i += kMiners, ++h) {
            for (int m = 0; m < kMiners; ++m) {
                auto b = block(1000 + static_cast<std::uint64_t>(m), h, tips[static_cast<std::size_t>(m)]);
                if (must(store->check_and_record(b, h - 1), "check").faulty()) ++faults;
                if (auto s = store->record_stage(b.miner, h, h - 1, chain::TipSetKey(b.parents), MineState::kSuccess, 1);
                    !s) {
                    die(s.error().message);
                }
                tips[static_cast<std::size_t>(m)] = b.cid().value();
            }
        }
        const double us = us_since(t0);
        // A refused block (double fork) goes through the same queries and writes nothing.
        const auto t1 = Clock::now();
        int refused = 0;
        const int probes = std::min(blocks, 1000);
        for (int i = 0; i < probes; ++i) {
            auto b = block(1000, h - 1, parent);  // same epoch as the miner's last block, other parents
            if (must(store->check_and_record(b, h - 2), "refuse").faulty()) ++refused;
        }
        const double us_refuse = us_since(t1);
        std::printf("slash filter (SQLite WAL, %d rows before): %d blocks, %.1f us/block (check + record + Success), "
                    "%.0f blocks/s; refusing a double fork: %.1f us (%d/%d refused, %d false faults)\n",
                    history, blocks, us / blocks, blocks / (us / 1e6), us_refuse / probes, refused, probes, faults);
    }
    {
        auto key = must(chain::generate_key(chain::SigType::kBls), "bls key");
        const auto worker = must(chain::key_address(key), "address");
        const auto miner = chain::Address::new_id(1000).value();
        const Bytes rbase(32, 1);
        constexpr int kVrfs = 200;
        double sign_us = 0;
        double verify_us = 0;
        for (int i = 0; i < kVrfs; ++i) {
            const auto r = plugins::consensus::election_randomness(rbase, miner, i + 1);
            auto t = Clock::now();
            auto proof = must(plugins::consensus::compute_vrf(key, r), "vrf");
            sign_us += us_since(t);
            t = Clock::now();
            if (!plugins::consensus::verify_vrf(worker, r, proof).ok()) die("vrf did not verify");
            verify_us += us_since(t);
        }
        std::printf("VRF: wallet BLS sign %.0f us, miner-side verify of the returned VRF %.0f us (%d each)\n",
                    sign_us / kVrfs, verify_us / kVrfs, kVrfs);
    }
    std::filesystem::remove_all(dir);
    return 0;
}
