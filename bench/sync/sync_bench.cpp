// SPDX-License-Identifier: Apache-2.0 OR MIT
// Catch-up sync speed: node A mines N blocks (genesis timestamp in the past, so none waits for its
// time), then node B starts from A's genesis CAR with A as its only peer; the figure is epochs of A's
// chain B validates, executes and adopts per second, from B's start to B's head = A's head.
//   venus_sync_bench [N=200]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "support/daemon.hpp"
#include "support/fixtures.hpp"
#include "support/rpc_miner.hpp"

using namespace venus;

int main(int argc, char** argv) {
    const int n = argc > 1 ? std::atoi(argv[1]) : 200;
    // 4 s blocks: a genesis 4·(N+30) s old lets every round up to N+30 be mined at once.
    const auto genesis_ts = static_cast<long long>(std::time(nullptr)) - 4LL * (n + 30);
    const std::string cfg = "[log]\nlevel = \"warn\"\n[api]\nanonymous_read = true\n[node]\ngenesis_accounts = 2\n"
                            "genesis_timestamp = " + std::to_string(genesis_ts) + "\n";
    test::Daemon a({"--enable", "node"}, cfg);
    if (!a.start()) {
        std::fprintf(stderr, "node A did not start: %s\n", a.log().c_str());
        return 1;
    }
    rpc::HttpRpcClient ca(a.api_info());
    auto worker = test::genesis_key(a.repo(), "miner 0 worker");
    if (!worker) {
        std::fprintf(stderr, "%s\n", worker.error().message.c_str());
        return 1;
    }
    const auto t_mine = std::chrono::steady_clock::now();
    chain::TipSet head;
    for (int i = 0; i < n; ++i) {
        auto h = test::rpc_mine(ca, *worker);
        if (!h) {
            std::fprintf(stderr, "mining: %s\n", h.error().message.c_str());
            return 1;
        }
        head = *h;
    }
    const double mine_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_mine).count();
    test::TempDir dir;
    const auto file = dir.path() / "genesis.car";
    if (test::run_venusd({"--repo", a.repo().string(), "chain", "export-genesis", file.string()}).exit_code != 0) {
        std::fprintf(stderr, "export-genesis failed\n");
        return 1;
    }
    const auto t0 = std::chrono::steady_clock::now();
    test::Daemon b({"--enable", "node", "--genesis", file.string(), "--peer", a.api_info().to_string()}, cfg);
    if (!b.start()) {
        std::fprintf(stderr, "node B did not start: %s\n", b.log().c_str());
        return 1;
    }
    rpc::HttpRpcClient cb(b.api_info());
    const bool caught_up = test::wait_until(
        [&] {
            auto h = test::rpc_head(cb);
            return h && h->key() == head.key();
        },
        std::chrono::seconds(120), std::chrono::milliseconds(10));
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!caught_up) {
        std::fprintf(stderr, "B did not catch up in 120 s: %s\n", b.log().c_str());
        return 1;
    }
    std::printf("mined on A: %d blocks to height %lld in %.2f s (RPC mining, %.1f blocks/s)\n", n,
                static_cast<long long>(head.height()), mine_s, n / mine_s);
    std::printf("catch-up of B from A over JSON-RPC: %lld epochs (%d blocks) in %.2f s (incl. daemon start) = %.1f epochs/s, "
                "%.1f blocks/s\n",
                static_cast<long long>(head.height()), n, s, static_cast<double>(head.height()) / s, n / s);
    return 0;
}
