// SPDX-License-Identifier: Apache-2.0 OR MIT
// WalletSign through the gateway: a caller → venusd (auth, gateway) → WebSocket channel → venusd
// (wallet, secp256k1 key) → ResponseWalletEvent → caller. Each caller has its own WebSocket and
// waits for each answer before the next request (round trips, not pipelining).
//
//   venus_gateway_bench [seconds per run, default 5]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include "support/daemon.hpp"
#include "support/fixtures.hpp"
#include "venus/api/gateway.hpp"
#include "venus/chain/keys.hpp"
#include "venus/rpc/client.hpp"

using namespace venus;
using Clock = std::chrono::steady_clock;

namespace {

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "gateway bench: %s\n", what.c_str());
    std::exit(1);
}

std::string field(const std::string& json, const char* key) {
    rpc::JsonDocument d;
    if (!rpc::parse_json(json, d).ok() || !d.IsObject() || !d.HasMember(key) || !d[key].IsString()) die("bad reply " + json);
    return d[key].GetString();
}

void run(int callers, double seconds, const rpc::ApiInfo& gw, const chain::Address& addr) {
    std::vector<std::vector<double>> lat(static_cast<std::size_t>(callers));
    std::atomic<bool> stop{false};
    std::atomic<long> errors{0};
    std::vector<std::thread> threads;
    for (int c = 0; c < callers; ++c) {
        threads.emplace_back([&, c] {
            auto client = rpc::WsRpcClient::connect(gw, "/rpc/v2");
            if (!client) die(client.error().message);
            std::uint64_t nonce = static_cast<std::uint64_t>(c) << 32;
            while (!stop.load(std::memory_order_relaxed)) {
                chain::Message m;
                m.to = *chain::Address::new_id(1000);
                m.from = addr;
                m.nonce = nonce++;
                m.gas_limit = 1000;
                auto cid = *m.cid();
                auto params = rpc::make_params([&](rpc::JsonOut& o) {
                    rpc::write_string(o, addr.to_string());
                    o.StartArray();
                    rpc::write_string(o, "bench");
                    o.EndArray();
                    rpc::write_string(o, to_base64(cid.bytes()));
                    api::wire::write_meta(o, {"message", *chain::encode_cbor(m)});
                });
                const auto t0 = Clock::now();
                auto r = (*client)->call("Gateway.WalletSign", params);
                const auto dt = std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
                if (!r) {
                    errors++;
                    continue;
                }
                lat[static_cast<std::size_t>(c)].push_back(dt);
            }
        });
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    stop = true;
    for (auto& t : threads) t.join();
    std::vector<double> all;
    for (auto& v : lat) all.insert(all.end(), v.begin(), v.end());
    std::sort(all.begin(), all.end());
    if (all.empty()) die("no successful round trip");
    auto pct = [&](double p) { return all[std::min(all.size() - 1, static_cast<std::size_t>(p * static_cast<double>(all.size())))]; };
    std::printf("WalletSign secp256k1 via gateway  callers=%2d  %8.0f round trips/s  p50 %7.0f us  p99 %7.0f us  (%zu ok, %ld errors)\n",
                callers, static_cast<double>(all.size()) / seconds, pct(0.50), pct(0.99), all.size(), errors.load());
}

}  // namespace

int main(int argc, char** argv) {
    const double seconds = argc > 1 ? std::atof(argv[1]) : 5.0;
    test::Daemon gw({"--enable", "auth,gateway"}, "[log]\nlevel = \"warn\"\n");
    if (!gw.start()) die("gateway did not start: " + gw.log());
    rpc::HttpRpcClient admin(gw.api_info(), "/rpc/v2");
    if (auto r = admin.request("PUT", "/user/new", R"({"Name":"bench"})"); !r || r->status != 200) die("user/new");
    auto tok = admin.request("POST", "/genToken", R"({"name":"bench","perm":"sign"})");
    if (!tok || tok->status != 200) die("genToken");
    auto wallet_info = gw.api_info();
    wallet_info.token = field(tok->body, "token");
    test::Daemon wallet({"--enable", "wallet", "--wallet-gateway", wallet_info.to_string()}, "[log]\nlevel = \"warn\"\n");
    if (!wallet.start()) die("wallet did not start: " + wallet.log());
    rpc::HttpRpcClient wc(wallet.api_info());
    auto a = wc.call("Filecoin.WalletNew", rpc::RawJson{R"(["secp256k1"])"});
    if (!a) die(a.error().message);
    rpc::JsonDocument d;
    (void)rpc::parse_json(a->text, d);
    auto addr = *chain::Address::parse(d.GetString());
    if (!test::wait_until([&] {
            auto r = admin.call("Gateway.ListWalletInfo");
            return r && r->text.find(addr.to_string()) != std::string::npos;
        }, std::chrono::seconds(20))) {
        die("the wallet did not register");
    }
    run(1, seconds, gw.api_info(), addr);
    run(16, seconds, gw.api_info(), addr);
    wallet.stop();
    gw.stop();
    return 0;
}
