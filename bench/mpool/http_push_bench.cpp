// SPDX-License-Identifier: Apache-2.0 OR MIT
// MpoolPush requests per second over HTTP against a running daemon (one keep-alive connection,
// requests one after another, so this is latency-bound), and MpoolBatchPush of 100 messages per
// request. Signs transfers from the daemon's genesis secp256k1 accounts (<repo>/keystore/genesis).
//   venusd --repo R run --enable node &   then   venus_mpool_http_bench R [messages=2000]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "venus/chain/json.hpp"
#include "venus/chain/keys.hpp"
#include "venus/rpc/api_info.hpp"
#include "venus/rpc/client.hpp"

using namespace venus;
using Clock = std::chrono::steady_clock;

namespace {

std::string read_file(const std::filesystem::path& p) {
    std::ifstream f(p);
    std::stringstream ss;
    ss << f.rdbuf();
    auto s = ss.str();
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: venus_mpool_http_bench <repo of a running venusd> [messages=2000]\n");
        return 2;
    }
    const std::filesystem::path repo = argv[1];
    const int count = argc > 2 ? std::atoi(argv[2]) : 2000;
    auto info = rpc::parse_api_info(read_file(repo / "token") + ":" + read_file(repo / "api"));
    if (!info) {
        std::fprintf(stderr, "api info: %s\n", info.error().message.c_str());
        return 1;
    }
    auto index = chain::parse_json(read_file(repo / "keystore" / "genesis" / "genesis-keys.json"));
    if (!index) return 1;
    std::vector<chain::KeyInfo> keys;
    for (const auto& e : index->GetArray()) {
        if (std::string(e["Role"].GetString()) != "account") continue;
        auto k = chain::parse_key_info_json(read_file(repo / "keystore" / "genesis" / (std::string(e["Address"].GetString()) + ".key")));
        if (k && k->type == chain::SigType::kSecp256k1) keys.push_back(*k);
    }
    if (keys.empty()) {
        std::fprintf(stderr, "no secp256k1 genesis account in %s\n", repo.c_str());
        return 1;
    }
    rpc::HttpRpcClient c(*info);
    const auto from = chain::key_address(keys[0]).value();
    auto nonce_r = c.call("Filecoin.MpoolGetNonce", rpc::RawJson{"[\"" + from.to_string() + "\"]"});
    if (!nonce_r) {
        std::fprintf(stderr, "MpoolGetNonce: %s\n", nonce_r.error().message.c_str());
        return 1;
    }
    std::uint64_t nonce = std::stoull(nonce_r->text);
    auto sign = [&](std::uint64_t n) {
        chain::Message m;
        m.from = from;
        m.to = from;
        m.nonce = n;
        m.value = 1;
        m.gas_limit = 2'000'000;
        m.gas_fee_cap = 200'000'000;
        m.gas_premium = 1000;
        return chain::to_json_string(chain::sign_message(keys[0], m).value());
    };
    // Trusted pushes allow 1000 pending per sender: clear first, stay under it.
    (void)c.call("Filecoin.MpoolClear", rpc::RawJson{"[true]"});
    const int single = std::min(count, 900);
    std::vector<std::string> bodies;
    for (int i = 0; i < single; ++i) bodies.push_back("[" + sign(nonce + static_cast<std::uint64_t>(i)) + "]");
    auto t = Clock::now();
    for (const auto& b : bodies) {
        auto r = c.call("Filecoin.MpoolPush", rpc::RawJson{b});
        if (!r) {
            std::fprintf(stderr, "MpoolPush: %s\n", r.error().message.c_str());
            return 1;
        }
    }
    const double single_rate = single / std::chrono::duration<double>(Clock::now() - t).count();
    (void)c.call("Filecoin.MpoolClear", rpc::RawJson{"[true]"});

    std::vector<std::string> batches;
    for (int b = 0; b < 9; ++b) {
        std::string body = "[[";
        for (int i = 0; i < 100; ++i) body += (i ? "," : "") + sign(nonce + static_cast<std::uint64_t>(b * 100 + i));
        batches.push_back(body + "]]");
    }
    t = Clock::now();
    for (const auto& b : batches) {
        auto r = c.call("Filecoin.MpoolBatchPush", rpc::RawJson{b});
        if (!r) {
            std::fprintf(stderr, "MpoolBatchPush: %s\n", r.error().message.c_str());
            return 1;
        }
    }
    const double batch_rate = 900 / std::chrono::duration<double>(Clock::now() - t).count();
    (void)c.call("Filecoin.MpoolClear", rpc::RawJson{"[true]"});
    std::printf("MpoolPush over HTTP, 1 connection, sequential: %8.0f req/s (%d messages)\n", single_rate, single);
    std::printf("MpoolBatchPush, 100 per request:               %8.0f msg/s (900 messages)\n", batch_rate);
    return 0;
}
