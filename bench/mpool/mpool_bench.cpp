// SPDX-License-Identifier: Apache-2.0 OR MIT
// Prints how many signed secp256k1 messages per second the message pool validates and adds
// in-process (CBOR decode, CIDs, signature recovery and address check, every pool rule), next to
// the raw libsecp256k1 recover rate measured in the same run on the same messages, and the same
// pool with its LMDB persistence on (a push returns once it is durable), from 1 and 16 pushers.
//   venus_mpool_bench [senders=50] [per_sender=100] [rounds=3]
#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>
#include <vector>

#include <unistd.h>

#include "node/genesis/genesis.hpp"
#include "node/mpool/message_pool.hpp"
#include "venus/chain/keys.hpp"
#include "venus/crypto/hash.hpp"
#include "venus/storage/lmdb.hpp"

using namespace venus;
using namespace venus::plugins::node;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

}  // namespace

int main(int argc, char** argv) {
    const int senders = argc > 1 ? std::atoi(argv[1]) : 50;
    const int per_sender = argc > 2 ? std::atoi(argv[2]) : 100;
    const int rounds = argc > 3 ? std::atoi(argv[3]) : 3;
    if (senders < 1 || senders > 800 || per_sender < 1 || per_sender > 1000 || rounds < 1) {
        std::fprintf(stderr, "usage: venus_mpool_bench [senders 1..800] [per_sender 1..1000] [rounds]\n");
        return 2;
    }
    const auto dir = std::filesystem::temp_directory_path() / ("venus_mpool_bench_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto env = storage::lmdb::Environment::open(dir / "chain").value();
    auto cs = ChainStore::open(*env).value();
    auto net = parse_network(default_network_toml(), "devnet").value();
    NodeService svc(net, *cs);
    auto tpl = make_devnet_template(static_cast<std::size_t>(senders), 1, 1, 1'000'000, 1'700'000'000).value();
    for (auto& a : tpl.accounts) a.key = chain::generate_key(chain::SigType::kSecp256k1).value();
    if (!svc.ensure_genesis(tpl)) return 1;

    // The messages as they arrive: CBOR bytes of SignedMessage.
    std::vector<Bytes> wire;
    std::vector<crypto::Hash256> digests;
    std::vector<std::array<std::uint8_t, 65>> sigs;
    for (int k = 0; k < per_sender; ++k) {
        for (int i = 0; i < senders; ++i) {
            const auto& key = tpl.accounts[static_cast<std::size_t>(i)].key;
            chain::Message m;
            m.from = chain::key_address(key).value();
            m.to = chain::key_address(tpl.accounts[static_cast<std::size_t>((i + 1) % senders)].key).value();
            m.nonce = static_cast<std::uint64_t>(k);
            m.value = 1000;
            m.gas_limit = 2'000'000;
            m.gas_fee_cap = 200'000'000;
            m.gas_premium = 1000 + k;
            auto sm = chain::sign_message(key, m).value();
            wire.push_back(chain::encode_cbor(sm).value());
            digests.push_back(crypto::blake2b_256(m.cid().value().bytes()));
            std::array<std::uint8_t, 65> s{};
            std::copy(sm.signature.data.begin(), sm.signature.data.end(), s.begin());
            sigs.push_back(s);
        }
    }
    const auto n = static_cast<double>(wire.size());

    // Raw ceiling: parse the recoverable signature and recover the key, nothing else.
    secp256k1_context* ctx = secp256k1_context_create(SECP256K1_CONTEXT_VERIFY);
    double raw_best = 0;
    for (int r = 0; r < rounds; ++r) {
        const auto t = Clock::now();
        std::size_t ok = 0;
        for (std::size_t i = 0; i < sigs.size(); ++i) {
            secp256k1_ecdsa_recoverable_signature rs;
            secp256k1_pubkey pk;
            if (secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &rs, sigs[i].data(), sigs[i][64]) == 1 &&
                secp256k1_ecdsa_recover(ctx, &pk, &rs, digests[i].data()) == 1) {
                ++ok;
            }
        }
        if (ok != sigs.size()) return 1;
        raw_best = std::max(raw_best, n / seconds_since(t));
    }
    secp256k1_context_destroy(ctx);

    // `threads` pushers, each owning the senders i ≡ t (mod threads), pushing in wire order (so each
    // sender's nonces arrive in order). With persistence a push returns only once its change is
    // committed; concurrent pushers share commits.
    auto run_pool = [&](storage::lmdb::Environment* penv, int threads) {
        auto pool = MessagePool::open(svc, penv).value();
        double best = 0;
        for (int r = 0; r < rounds; ++r) {
            pool->clear(true);
            const auto t = Clock::now();
            std::vector<std::thread> workers;
            for (int w = 0; w < threads; ++w) {
                workers.emplace_back([&, w] {
                    for (std::size_t j = 0; j < wire.size(); ++j) {
                        if (static_cast<int>(j % static_cast<std::size_t>(senders)) % threads != w) continue;
                        auto sm = chain::decode_cbor<chain::SignedMessage>(wire[j]);
                        if (!sm || !pool->push(*sm, true)) {
                            std::fprintf(stderr, "push failed\n");
                            std::exit(1);
                        }
                    }
                });
            }
            for (auto& th : workers) th.join();
            best = std::max(best, n / seconds_since(t));
        }
        if (pool->size() != wire.size()) std::exit(1);
        pool->flush();
        pool->clear(true);
        return best;
    };
    const double mem = run_pool(nullptr, 1);
    const double persisted = run_pool(env.get(), 1);
    const double persisted16 = run_pool(env.get(), 16);

    std::printf("messages: %zu (%d senders x %d), best of %d rounds\n", wire.size(), senders, per_sender, rounds);
    std::printf("raw libsecp256k1 recover, 1 thread:              %9.0f /s\n", raw_best);
    std::printf("mpool push (decode+CID+sig+checks), 1 thread:    %9.0f /s  (%.0f %% of raw)\n", mem, 100.0 * mem / raw_best);
    std::printf("mpool push acknowledged durable, 1 pusher:       %9.0f /s  (one LMDB commit per push)\n", persisted);
    std::printf("mpool push acknowledged durable, 16 pushers:     %9.0f /s  (pushes share commits)\n", persisted16);
    std::filesystem::remove_all(dir);
    return 0;
}
