// SPDX-License-Identifier: Apache-2.0 OR MIT
// Three genesis miners mine 200 epochs through the consensus service the way sophon-miner drives a
// node: every block is validated, epochs nobody wins are null rounds, weights only grow.
#include "consensus/devnet.hpp"

using namespace venus;
using namespace venus::test::consensus;

TEST_CASE("3 genesis miners drive a devnet for 200 epochs", "[consensus][devnet][slow]") {
    Devnet d(3, 4);
    constexpr chain::ChainEpoch kEpochs = 200;
    chain::TipSet head = d.node->head();
    std::vector<chain::ChainEpoch> null_rounds;
    std::size_t blocks = 0;
    std::size_t max_tipset = 0;
    chain::BigInt last_weight = d.node->weight(head.key()).value();
    for (chain::ChainEpoch round = 1; round <= kEpochs; ++round) {
        // A few transfers ride along, so execution, receipts and base fees change over time.
        std::vector<chain::SignedMessage> msgs;
        if (round % 10 == 0) {
            msgs.push_back(d.transfer(0, d.account(3), round));
            msgs.push_back(d.transfer(1, d.account(3), round));
        }
        std::vector<FullBlock> mined;
        for (std::size_t i = 0; i < 3; ++i) {
            auto t = d.elect(i, head, round, mined.empty() ? msgs : std::vector<chain::SignedMessage>{});
            if (!t) continue;
            auto b = d.svc->create_block(*t);
            REQUIRE(b.ok());
            d.sign(*b, i);
            mined.push_back(std::move(*b));
        }
        if (mined.empty()) {
            null_rounds.push_back(round);
            // Nobody won: the transfers wait for the next round with their nonces unused.
            if (!msgs.empty()) {
                d.nonces[0]--;
                d.nonces[1]--;
            }
            continue;
        }
        for (const auto& b : mined) {
            auto v = d.svc->submit(b);
            INFO("round " << round << ": " << v.reason);
            REQUIRE(v.ok());
            ++blocks;
        }
        const auto next = d.node->head();
        REQUIRE(next.height() == round);
        REQUIRE(next.blocks().size() == mined.size());
        max_tipset = std::max(max_tipset, mined.size());
        const auto w = d.node->weight(next.key()).value();
        REQUIRE(w > last_weight);
        last_weight = w;
        head = next;
    }
    // Null rounds are exactly the epochs nobody won: the chain skips those heights.
    for (auto h : null_rounds) {
        auto ts = d.node->tipset_by_height(h, head.key(), true).value();
        CHECK(ts.height() < h);
    }
    // With λ = 5/3 per miner, P(nobody wins) = e^-5 ≈ 0.7 %: a handful at most in 200 epochs.
    CHECK(null_rounds.size() <= 8);
    CHECK(blocks > 300);
    CHECK(max_tipset >= 2);
    WARN("200 epochs: " << blocks << " blocks, " << null_rounds.size() << " null rounds, largest tipset "
                        << max_tipset << ", head weight " << last_weight.to_string());
}
