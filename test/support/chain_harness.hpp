// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Builds a devnet chain through api::Node (the path Consensus and the miner use): headers carry the
//! parent's execution results, base fee and weight from parent_info(); blocks are unsigned (block
//! validation is the Consensus module's). Messages are signed with the genesis keys.
//! Header-only: tests that include it link venus_plugin_node (test/unit/node, test/unit/consensus).
#pragma once

#include <catch2/catch.hpp>

#include "node/genesis/genesis.hpp"
#include "node/node_service.hpp"
#include "node/state/state_tree.hpp"
#include "support/fixtures.hpp"
#include "venus/chain/keys.hpp"

namespace venus::test::node {

using namespace venus::plugins::node;

struct ChainHarness {
    TempDir dir;
    std::unique_ptr<storage::lmdb::Environment> env;
    std::unique_ptr<ChainStore> cs;
    std::unique_ptr<NodeService> svc;
    GenesisTemplate tpl;
    std::vector<std::uint64_t> nonces;

    explicit ChainHarness(std::size_t accounts = 2, std::size_t miners = 1) {
        env = storage::lmdb::Environment::open(dir.path() / "chain").value();
        cs = ChainStore::open(*env).value();
        auto net = parse_network(default_network_toml(), "devnet").value();
        svc = std::make_unique<NodeService>(net, *cs);
        tpl = make_devnet_template(accounts, miners, 1, 1000, 1'700'000'000).value();
        REQUIRE(svc->ensure_genesis(tpl).ok());
        nonces.assign(accounts, 0);
    }

    chain::Address account(std::size_t i) const { return chain::key_address(tpl.accounts[i].key).value(); }
    chain::Address miner(std::size_t i) const { return chain::Address::new_id(1000 + i).value(); }

    //! A signed transfer from account `from` with the next nonce.
    chain::SignedMessage transfer(std::size_t from, const chain::Address& to, const chain::TokenAmount& value) {
        chain::Message m;
        m.from = account(from);
        m.to = to;
        m.nonce = nonces[from]++;
        m.value = value;
        m.gas_limit = 10'000'000;
        m.gas_fee_cap = 300'000'000;
        m.gas_premium = 1000;
        return chain::sign_message(tpl.accounts[from].key, m).value();
    }

    //! A tipset at `height` on `parent` with one block per entry of `blocks` (secp messages), block i
    //! mined by miner 0 with ticket byte `tag + i`. Indexed, and the head if heaviest.
    chain::TipSet extend(const chain::TipSet& parent, chain::ChainEpoch height,
                         const std::vector<std::vector<chain::SignedMessage>>& blocks, std::uint8_t tag) {
        auto info = svc->parent_info(parent.key());
        REQUIRE(info.ok());
        std::vector<chain::BlockHeader> headers;
        for (std::size_t i = 0; i < blocks.size(); ++i) {
            auto meta = svc->put_messages(api::BlockContents{{}, blocks[i]});
            REQUIRE(meta.ok());
            chain::BlockHeader h;
            h.miner = miner(0);
            h.ticket = chain::Ticket{Bytes(96, static_cast<std::uint8_t>(tag + i))};
            h.election_proof = chain::ElectionProof{1, Bytes(96, static_cast<std::uint8_t>(tag + i))};
            h.parents = parent.cids();
            h.parent_weight = info->weight;
            h.height = height;
            h.parent_state_root = info->state_root;
            h.parent_message_receipts = info->receipts_root;
            h.messages = *meta;
            h.timestamp = tpl.timestamp + 4 * static_cast<std::uint64_t>(height);
            h.parent_base_fee = info->base_fee;
            headers.push_back(std::move(h));
        }
        auto ts = svc->put_headers(std::move(headers));
        REQUIRE(ts.ok());
        REQUIRE(svc->add_tipset(*ts).ok());
        return *ts;
    }

    chain::TokenAmount total_fil(const chain::Cid& root) {
        auto tree = StateTree::load(cs->blockstore(), root).value();
        chain::TokenAmount sum;
        REQUIRE(tree.for_each([&](std::uint64_t, const chain::Actor& a) -> Status {
                        sum += a.balance;
                        return {};
                    }).ok());
        return sum;
    }
};

}  // namespace venus::test::node
