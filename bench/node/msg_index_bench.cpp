// SPDX-License-Identifier: Apache-2.0 OR MIT
// Prints, for tipsets of 1,000 signed transfers added through api::Node on the LMDB chain store:
//   - messages applied per second end to end (add_tipset: parent execution, weight, head change
//     and the message index update), next to the same chain without the index;
//   - messages indexed per second by a full index build;
//   - StateSearchMsg lookups per second (from the head, random executed messages).
//   venus_msg_index_bench [tipsets=5] [senders=100]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>

#include <unistd.h>

#include "node/genesis/genesis.hpp"
#include "node/msg_search.hpp"
#include "node/node_service.hpp"
#include "node/store/msg_index.hpp"
#include "venus/chain/keys.hpp"

using namespace venus;
using namespace venus::plugins::node;

namespace {

template <typename T>
T need(Result<T> r, const char* what) {
    if (!r) {
        std::fprintf(stderr, "%s: %s\n", what, r.error().message.c_str());
        std::exit(1);
    }
    return std::move(*r);
}

struct Chain {
    std::filesystem::path dir;
    std::unique_ptr<storage::lmdb::Environment> env;
    std::unique_ptr<ChainStore> cs;
    std::unique_ptr<NodeService> svc;
    std::unique_ptr<MsgIndex> index;

    Chain(const std::string& name, const GenesisTemplate& tpl, bool with_index) {
        dir = std::filesystem::temp_directory_path() / ("venus-msgidx-bench-" + name + std::to_string(::getpid()));
        storage::lmdb::EnvOptions opts;
        opts.no_sync = true;
        opts.max_tables = 16;
        env = need(storage::lmdb::Environment::open(dir, opts), "open");
        cs = need(ChainStore::open(*env), "chain store");
        svc = std::make_unique<NodeService>(need(parse_network(default_network_toml(), "devnet"), "network"), *cs);
        if (auto st = svc->ensure_genesis(tpl); !st) std::exit(1);
        if (with_index) {
            auto* s = svc.get();
            index = need(MsgIndex::open(*env, *cs, [s](const TipSet& ts) { return s->tipset_messages(ts.key()); }),
                         "index");
        }
    }
    ~Chain() {
        index.reset();
        svc.reset();
        cs.reset();
        env.reset();
        std::filesystem::remove_all(dir);
    }

    // One block of `msgs` on the head, as the chain harness builds it.
    void extend(const std::vector<chain::SignedMessage>& msgs) {
        const auto parent = svc->head();
        auto info = need(svc->parent_info(parent.key()), "parent info");
        auto meta = need(svc->put_messages(api::BlockContents{{}, msgs}), "put messages");
        chain::BlockHeader h;
        h.miner = need(chain::Address::new_id(1000), "miner");
        h.ticket = chain::Ticket{Bytes(96, static_cast<std::uint8_t>(parent.height() + 1))};
        h.election_proof = chain::ElectionProof{1, Bytes(96, 1)};
        h.parents = parent.cids();
        h.parent_weight = info.weight;
        h.height = parent.height() + 1;
        h.parent_state_root = info.state_root;
        h.parent_message_receipts = info.receipts_root;
        h.messages = meta;
        h.timestamp = 1'700'000'000 + 4 * static_cast<std::uint64_t>(h.height);
        h.parent_base_fee = info.base_fee;
        auto ts = need(svc->put_headers({h}), "put headers");
        need(svc->add_tipset(ts), "add tipset");
    }
};

}  // namespace

int main(int argc, char** argv) {
    const int tipsets = argc > 1 ? std::atoi(argv[1]) : 5;
    const int senders = argc > 2 ? std::atoi(argv[2]) : 100;
    std::printf("preparing %d tipsets of 1000 signed transfers from %d senders...\n", tipsets, senders);
    auto tpl = need(make_devnet_template(static_cast<std::size_t>(senders), 1, 1, 1'000'000, 1'700'000'000), "template");
    for (auto& a : tpl.accounts) a.key = need(chain::generate_key(chain::SigType::kSecp256k1), "key");
    const int per_sender = 1000 / senders;
    std::vector<std::vector<chain::SignedMessage>> blocks;
    std::vector<chain::Cid> all;
    for (int t = 0; t < tipsets; ++t) {
        std::vector<chain::SignedMessage> msgs;
        for (int i = 0; i < senders; ++i) {
            const auto& key = tpl.accounts[static_cast<std::size_t>(i)].key;
            for (int k = 0; k < per_sender; ++k) {
                chain::Message m;
                m.from = need(chain::key_address(key), "addr");
                m.to = need(chain::key_address(tpl.accounts[static_cast<std::size_t>((i + 1) % senders)].key), "addr");
                m.nonce = static_cast<std::uint64_t>(t * per_sender + k);
                m.value = 1000;
                m.gas_limit = 2'000'000;
                m.gas_fee_cap = 200'000'000;
                m.gas_premium = 1000;
                msgs.push_back(need(chain::sign_message(key, m), "sign"));
                all.push_back(need(msgs.back().cid(), "cid"));
            }
        }
        blocks.push_back(std::move(msgs));
    }
    const double n = static_cast<double>(tipsets) * 1000;
    // Each tipset is executed when its child arrives: one empty tipset on top executes the last.
    auto add_all = [&](Chain& c) {
        const auto start = std::chrono::steady_clock::now();
        for (const auto& b : blocks) c.extend(b);
        c.extend({});
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    {
        Chain plain("plain", tpl, false);
        std::printf("add_tipset without index: %10.0f messages/s\n", n / add_all(plain));
    }
    Chain c("indexed", tpl, true);
    std::printf("add_tipset with index:    %10.0f messages/s\n", n / add_all(c));
    std::printf("index entries: %zu (signed + unsigned CID per secp message)\n", need(c.index->size(), "size"));

    auto start = std::chrono::steady_clock::now();
    if (auto st = c.index->rebuild(); !st) return 1;
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("full index build:         %10.0f messages/s (%d tipsets in %.3f s)\n", n / secs, tipsets, secs);

    MsgSearch search(*c.svc, *c.index);
    std::mt19937_64 rng(7);
    const auto head = c.svc->head();
    const int lookups = 20000;
    start = std::chrono::steady_clock::now();
    for (int i = 0; i < lookups; ++i) {
        const auto& cid = all[rng() % all.size()];
        auto r = need(search.search(head, cid, 0, true), "search");
        if (!r) {
            std::fprintf(stderr, "message %s not found\n", cid.to_string().c_str());
            return 1;
        }
    }
    secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("StateSearchMsg (index):   %10.0f lookups/s\n", lookups / secs);
    return 0;
}
