// SPDX-License-Identifier: Apache-2.0 OR MIT
// Prints how many messages per second the VM applies in tipsets of 1,000 secp256k1 transfers
// (message selection, gas, settlement, rewards, cron and the state flush included), on an in-memory
// blockstore and on the LMDB chain store (writes buffered and committed once per tipset).
//   venus_node_bench [tipsets=5] [senders=100]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include <unistd.h>

#include "node/chain/execute.hpp"
#include "node/genesis/genesis.hpp"
#include "node/store/buffered_blockstore.hpp"
#include "venus/chain/keys.hpp"
#include "venus/storage/lmdb.hpp"

using namespace venus;
using namespace venus::plugins::node;

namespace {

struct Setup {
    NetworkParams net = parse_network(default_network_toml(), "devnet").value();
    GenesisTemplate tpl;
    std::vector<std::vector<chain::SignedMessage>> tipsets;  // one block of 1,000 messages each
};

Setup make_setup(int tipsets, int senders) {
    Setup s;
    s.tpl = make_devnet_template(static_cast<std::size_t>(senders), 1, 1, 1'000'000, 1'700'000'000).value();
    for (auto& a : s.tpl.accounts) a.key = chain::generate_key(chain::SigType::kSecp256k1).value();
    const int per_sender = 1000 / senders;
    for (int t = 0; t < tipsets; ++t) {
        std::vector<chain::SignedMessage> msgs;
        for (int i = 0; i < senders; ++i) {
            const auto from = chain::key_address(s.tpl.accounts[static_cast<std::size_t>(i)].key).value();
            const auto to = chain::key_address(s.tpl.accounts[static_cast<std::size_t>((i + 1) % senders)].key).value();
            for (int k = 0; k < per_sender; ++k) {
                chain::Message m;
                m.from = from;
                m.to = to;
                m.nonce = static_cast<std::uint64_t>(t * per_sender + k);
                m.value = 1000;
                m.gas_limit = 2'000'000;
                m.gas_fee_cap = 200'000'000;
                m.gas_premium = 1000;
                msgs.push_back(chain::sign_message(s.tpl.accounts[static_cast<std::size_t>(i)].key, m).value());
            }
        }
        s.tipsets.push_back(std::move(msgs));
    }
    return s;
}

double run(chain::Blockstore& bs, const Setup& s, BufferedBlockstore* buffer) {
    auto gen = build_genesis(buffer ? static_cast<chain::Blockstore&>(*buffer) : bs, s.net, s.tpl).value();
    if (buffer) (void)buffer->flush();
    chain::Cid state = gen.state_root;
    std::size_t applied = 0;
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t t = 0; t < s.tipsets.size(); ++t) {
        BlockMessages b;
        b.miner = gen.miner_ids[0];
        b.secp_messages = s.tipsets[t];
        ExecuteInput in;
        in.parent_state = state;
        in.parent_epoch = static_cast<ChainEpoch>(t);
        in.epoch = static_cast<ChainEpoch>(t + 1);
        in.base_fee = s.net.initial_base_fee;
        auto out = execute_tipset(buffer ? static_cast<chain::Blockstore&>(*buffer) : bs, s.net, in, {&b, 1});
        if (!out) {
            std::fprintf(stderr, "execution failed: %s\n", out.error().message.c_str());
            std::exit(1);
        }
        for (const auto& r : out->receipts) {
            if (r.exit_code != 0) {
                std::fprintf(stderr, "a transfer failed with exit %lld\n", static_cast<long long>(r.exit_code));
                std::exit(1);
            }
        }
        if (buffer) (void)buffer->flush();
        applied += out->receipts.size();
        state = out->state_root;
    }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return static_cast<double>(applied) / secs;
}

}  // namespace

int main(int argc, char** argv) {
    const int tipsets = argc > 1 ? std::atoi(argv[1]) : 5;
    const int senders = argc > 2 ? std::atoi(argv[2]) : 100;
    std::printf("preparing %d tipsets of 1000 signed transfers from %d senders...\n", tipsets, senders);
    const auto setup = make_setup(tipsets, senders);

    chain::MemoryBlockstore mem;
    std::printf("memory blockstore: %10.0f messages/s\n", run(mem, setup, nullptr));

    const auto dir = std::filesystem::temp_directory_path() / ("venus-node-bench-" + std::to_string(::getpid()));
    {
        storage::lmdb::EnvOptions opts;
        opts.no_sync = true;
        auto env = storage::lmdb::Environment::open(dir, opts).value();
        auto bs = chain::LmdbBlockstore::open(*env).value();
        BufferedBlockstore buffer(*bs);
        std::printf("LMDB (buffered):   %10.0f messages/s\n", run(*bs, setup, &buffer));
    }
    std::filesystem::remove_all(dir);
    return 0;
}
