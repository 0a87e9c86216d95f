// SPDX-License-Identifier: Apache-2.0 OR MIT
//! An in-memory devnet for node tests: genesis from a generated template, message builders, and
//! the FIL-supply invariant.
#pragma once

#include <catch2/catch.hpp>

#include "node/chain/execute.hpp"
#include "node/genesis/genesis.hpp"
#include "venus/chain/keys.hpp"

namespace venus::test::node {

using namespace venus::plugins::node;

struct Devnet {
    chain::MemoryBlockstore bs;
    NetworkParams net;
    GenesisTemplate tpl;
    GenesisResult gen;

    explicit Devnet(std::size_t accounts = 2, std::size_t miners = 1, std::uint64_t sectors = 2) {
        net = parse_network(default_network_toml(), "devnet").value();
        tpl = make_devnet_template(accounts, miners, sectors, 1000, 1'700'000'000).value();
        auto g = build_genesis(bs, net, tpl);
        if (!g) FAIL("genesis: " << g.error().message);
        gen = std::move(*g);
    }

    chain::Address account(std::size_t i) const { return chain::key_address(tpl.accounts[i].key).value(); }

    chain::Message message(std::size_t from, const chain::Address& to, const chain::TokenAmount& value,
                           std::uint64_t nonce, std::uint64_t method = 0, Bytes params = {}) const {
        chain::Message m;
        m.from = account(from);
        m.to = to;
        m.nonce = nonce;
        m.value = value;
        m.gas_limit = 10'000'000;
        m.gas_fee_cap = 200'000'000;  // above the initial base fee (1e8)
        m.gas_premium = 100;
        m.method = method;
        m.params = std::move(params);
        return m;
    }

    chain::SignedMessage sign(std::size_t from, const chain::Message& m) const {
        return chain::sign_message(tpl.accounts[from].key, m).value();
    }

    //! Sum of every actor balance in a state: constant on every transition.
    chain::TokenAmount total_fil(const chain::Cid& root) {
        auto tree = StateTree::load(bs, root).value();
        chain::TokenAmount sum;
        REQUIRE(tree.for_each([&](std::uint64_t, const chain::Actor& a) -> Status {
                        sum += a.balance;
                        return {};
                    }).ok());
        return sum;
    }

    chain::Actor actor(const chain::Cid& root, const chain::Address& a) {
        auto tree = StateTree::load(bs, root).value();
        auto actor = tree.get_actor(a);
        REQUIRE(actor.ok());
        REQUIRE(actor->has_value());
        return **actor;
    }
};

}  // namespace venus::test::node
