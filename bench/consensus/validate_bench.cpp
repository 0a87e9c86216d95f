// SPDX-License-Identifier: Apache-2.0 OR MIT
// Validation of one block with 1,000 secp256k1 and 1,000 BLS messages on a fresh devnet, next to
// the summed cost of only its signature checks (1,000 secp recoveries, one 1,000-message BLS
// aggregate, two VRFs and the block signature) measured in the same run.
//   build/bench/consensus/venus_consensus_bench [runs=3]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "consensus/consensus_service.hpp"
#include "consensus/election.hpp"
#include "node/genesis/genesis.hpp"
#include "node/node_service.hpp"
#include "venus/chain/keys.hpp"
#include "venus/crypto/bls.hpp"

using namespace venus;
using namespace venus::plugins::consensus;
namespace pn = venus::plugins::node;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "bench failed: %s\n", what.c_str());
    std::exit(1);
}

template <typename T>
T must(Result<T> r, const char* what) {
    if (!r) die(std::string(what) + ": " + r.error().message);
    return std::move(*r);
}

}  // namespace

int main(int argc, char** argv) {
    const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 3;
    constexpr std::size_t kSenders = 20;     // 10 secp256k1 + 10 BLS accounts (alternating)
    constexpr std::size_t kPerSender = 100;  // → 1,000 messages of each kind
    const auto dir = std::filesystem::temp_directory_path() / ("venus-consensus-bench-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    {
        auto env = must(storage::lmdb::Environment::open(dir / "chain"), "lmdb");
        auto cs = must(pn::ChainStore::open(*env), "chain store");
        auto net = must(pn::parse_network(pn::default_network_toml(), "devnet"), "network");
        pn::NodeService node(net, *cs);
        auto tpl = must(pn::make_devnet_template(kSenders, 1, 1, 1000, 1'700'000'000), "template");
        if (auto st = node.ensure_genesis(tpl); !st) die(st.error().message);
        const std::uint64_t now = tpl.timestamp + 1'000'000;
        auto clock = [now] { return now; };
        auto params = ConsensusParams::from_network(node.network());
        ConsensusService svc(node, params, std::make_unique<MockBeacon>(tpl.timestamp, params.block_delay_secs, clock),
                             std::make_unique<MockProofVerifier>(), must(BadBlocks::open(nullptr), "bad"), clock);

        // Messages: 100 sequential nonces per sender.
        std::vector<chain::SignedMessage> msgs;
        const auto to = must(chain::key_address(tpl.accounts[0].key), "addr");
        auto t0 = Clock::now();
        for (std::size_t s = 0; s < kSenders; ++s) {
            const auto from = must(chain::key_address(tpl.accounts[s].key), "addr");
            for (std::size_t n = 0; n < kPerSender; ++n) {
                chain::Message m;
                m.from = from;
                m.to = to;
                m.nonce = n;
                m.value = 1;
                m.gas_limit = 1'000'000;
                m.gas_fee_cap = 300'000'000;
                m.gas_premium = 1000;
                msgs.push_back(must(chain::sign_message(tpl.accounts[s].key, m), "sign"));
            }
        }
        std::printf("signed %zu messages in %.0f ms\n", msgs.size(), ms_since(t0));

        // The block: miner t01000 at the first round it wins on genesis.
        const auto genesis = node.head();
        const auto miner = must(chain::Address::new_id(1000), "id");
        const auto& worker = tpl.miners[0].worker;
        std::optional<FullBlock> block;
        for (chain::ChainEpoch round = 1; round < 50 && !block; ++round) {
            auto bi = must(svc.base_info(miner, round, genesis.key()), "base info");
            if (!bi) die("no base info");
            const auto& rbase = bi->beacon_entries.empty() ? bi->prev_beacon_entry : bi->beacon_entries.back();
            const auto eproof = must(compute_vrf(worker, election_randomness(rbase.data, miner, round)), "vrf");
            const auto wins = compute_win_count(eproof, bi->miner_power, bi->network_power);
            if (wins == 0) continue;
            BlockTemplate t;
            t.miner = miner;
            t.parents = genesis.key();
            t.ticket = chain::Ticket{must(
                compute_vrf(worker, ticket_randomness(rbase.data, miner, round, genesis.blocks()[0].ticket->vrf_proof, params)),
                "vrf")};
            t.eproof = chain::ElectionProof{wins, eproof};
            t.beacon_values = bi->beacon_entries;
            t.messages = msgs;
            t.epoch = round;
            t.timestamp = genesis.blocks()[0].timestamp + params.block_delay_secs * static_cast<std::uint64_t>(round);
            t.winning_post_proof = mock_winning_post(bi->sectors);
            auto b = must(svc.create_block(t), "create block");
            b.header.block_sig = must(chain::sign(worker, must(b.header.signing_bytes(), "bytes")), "block sig");
            block = std::move(b);
        }
        if (!block) die("the miner never won");
        std::printf("block: %zu BLS + %zu secp messages\n", block->bls_messages.size(), block->secp_messages.size());

        std::vector<double> full;
        std::vector<double> sigs;
        for (int run = 0; run < runs; ++run) {
            BlockValidator v(node, svc.beacon(), MockProofVerifier{}, params, clock);
            t0 = Clock::now();
            auto verdict = v.validate(*block);
            full.push_back(ms_since(t0));
            if (!verdict.ok()) die("block rejected: " + verdict.reason);

            // Only the signature checks of the same block.
            t0 = Clock::now();
            bool ok = true;
            for (const auto& sm : block->secp_messages) {
                const auto c = must(sm.message.cid(), "cid");
                ok = ok && must(chain::verify(sm.signature, sm.message.from, c.bytes()), "secp");
            }
            std::vector<Bytes> cids;
            std::vector<Bytes> keys;
            for (const auto& m : block->bls_messages) {
                const auto c = must(m.cid(), "cid");
                cids.emplace_back(c.bytes().begin(), c.bytes().end());
                keys.emplace_back(m.from.payload().begin(), m.from.payload().end());
            }
            std::vector<BytesView> kv(keys.begin(), keys.end());
            std::vector<BytesView> mv(cids.begin(), cids.end());
            ok = ok && must(crypto::bls::aggregate_verify(kv, mv, block->header.bls_aggregate->data), "agg");
            const auto waddr = must(chain::key_address(worker), "worker");
            const auto& h = block->header;
            const auto& rbase = h.beacon_entries.back();
            ok = ok && verify_vrf(waddr, election_randomness(rbase.data, miner, h.height), h.election_proof->vrf_proof).ok();
            ok = ok && verify_vrf(waddr,
                                  ticket_randomness(rbase.data, miner, h.height, genesis.blocks()[0].ticket->vrf_proof,
                                                    params),
                                  h.ticket->vrf_proof)
                           .ok();
            ok = ok && must(chain::verify(*h.block_sig, waddr, must(h.signing_bytes(), "bytes")), "block sig");
            sigs.push_back(ms_since(t0));
            if (!ok) die("a signature did not verify");
        }
        std::sort(full.begin(), full.end());
        std::sort(sigs.begin(), sigs.end());
        const auto med = [](const std::vector<double>& v) { return v[v.size() / 2]; };
        std::printf("runs: %d\n", runs);
        std::printf("validate block (1000 secp + 1000 BLS msgs): median %.1f ms, min %.1f ms\n", med(full), full.front());
        std::printf("its signature checks alone:                 median %.1f ms, min %.1f ms (%.0f%% of validation)\n",
                    med(sigs), sigs.front(), 100.0 * med(sigs) / med(full));
    }
    std::filesystem::remove_all(dir);
    return 0;
}
