// SPDX-License-Identifier: Apache-2.0 OR MIT
// The mining loop end to end: one venusd on the embedded defaults (auth, gateway, node, built-in
// wallet and mock prover, miner) with 1, 10 and 100 open genesis miners on a 1 s devnet. Each round
// the miner logs how long the elections of all open miners took and the time from the base being
// ready to the last block submitted (VRFs signed through the gateway and verified, winning PoSt,
// MpoolSelects, MinerCreateBlock, block signature, slash filter, SyncSubmitBlock), without the wait
// for the block's timestamp. This program reads those lines and prints the medians, then how many
// miners one venusd serves inside a 4 s block delay with 0.5 s to spare, extrapolated from the
// per-miner cost measured between 10 and 100 miners.
//   build/bench/miner/venus_miner_loop_bench [rounds=5]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "support/devnet.hpp"
#include "support/daemon.hpp"
#include "support/fixtures.hpp"

using namespace venus;
using namespace std::chrono_literals;

namespace {

struct Figures {
    std::size_t miners = 0;
    std::size_t rounds = 0;
    double winners = 0;  //!< average per round
    double election_ms = 0;
    double work_ms = 0;
};

double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

Figures run(std::size_t miners, std::size_t rounds) {
    test::TempDir tmp;
    const auto repo = tmp.path() / "repo";
    std::filesystem::create_directories(repo);
    std::ofstream(repo / "config.toml") << "[node]\nnetwork_file = \"" << test::fast_network(tmp.path()).string()
                                        << "\"\ngenesis_miners = " << miners << "\n[miner]\nminer_once_timeout = \"10s\"\n"
                                        // The gateway checks each of the wallet's 2 keys per miner at once.
                                        << "[gateway]\nqueue_size = 1000\n";
    test::Daemon d({}, {}, repo);
    if (!d.start(60s)) {
        std::fprintf(stderr, "venusd did not start:\n%s\n", d.log().c_str());
        std::exit(1);
    }
    const std::regex line(R"(round (\d+): (\d+) open miners, (\d+) won; election (\d+) ms, base ready to blocks submitted (\d+) ms)");
    Figures f;
    f.miners = miners;
    std::vector<double> election;
    std::vector<double> work;
    double winners = 0;
    const auto deadline = std::chrono::steady_clock::now() + 12s;
    while (std::chrono::steady_clock::now() < deadline) {
        const auto log = d.log();
        election.clear();
        work.clear();
        winners = 0;
        std::size_t seen = 0;
        for (std::sregex_iterator it(log.begin(), log.end(), line), end; it != end; ++it) {
            if (std::stoul((*it)[2].str()) != miners) continue;  // before every prover was connected
            if (++seen == 1) continue;                           // the first round warms caches up
            winners += std::stod((*it)[3].str());
            election.push_back(std::stod((*it)[4].str()));
            work.push_back(std::stod((*it)[5].str()));
        }
        if (work.size() >= rounds) break;
        std::this_thread::sleep_for(200ms);
    }
    if (work.empty()) {
        std::fprintf(stderr, "no round with %zu open miners was logged:\n%s\n", miners, d.log().c_str());
        std::exit(1);
    }
    f.rounds = work.size();
    f.winners = winners / static_cast<double>(work.size());
    f.election_ms = median(election);
    f.work_ms = median(work);
    return f;
}

}  // namespace

int main(int argc, char** argv) {
    const std::size_t rounds = argc > 1 ? std::stoul(argv[1]) : 5;
    std::vector<Figures> all;
    for (std::size_t n : {1u, 10u, 100u}) {
        auto f = run(n, rounds);
        std::printf("%3zu open miners: median of %zu won rounds (%.1f winners each): elections %.0f ms, "
                    "base ready to blocks submitted %.0f ms\n",
                    f.miners, f.rounds, f.winners, f.election_ms, f.work_ms);
        std::fflush(stdout);
        all.push_back(f);
    }
    // Each open miner adds its election (two VRFs through the gateway, checked here) to a round; the
    // winners' blocks add a fixed part. Budget: a 4 s block delay less 0.5 s to spare.
    const auto& ten = all[1];
    const auto& hundred = all[2];
    const double per_miner = (hundred.work_ms - ten.work_ms) / 90.0;
    const double fixed = ten.work_ms - 10.0 * per_miner;
    if (per_miner <= 0) {
        std::printf("per-miner cost not measurable between 10 and 100 miners (%.0f vs %.0f ms)\n", ten.work_ms,
                    hundred.work_ms);
        return 0;
    }
    const double capacity = (3500.0 - fixed) / per_miner;
    std::printf("per open miner %.2f ms, fixed %.0f ms per round: about %.0f open miners fit in a 4 s block delay "
                "with 0.5 s to spare (extrapolated from the 10 and 100 miner rounds)\n",
                per_miner, fixed, capacity);
    return 0;
}
