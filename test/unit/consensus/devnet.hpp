// SPDX-License-Identifier: Apache-2.0 OR MIT
//! A devnet driven in-process the way sophon-miner drives a node: MinerGetBaseInfo → election
//! (ticket and election VRFs with the worker key) → MinerCreateBlock → sign → SyncSubmitBlock.
#pragma once

#include <catch2/catch.hpp>

#include "consensus/consensus_service.hpp"
#include "consensus/election.hpp"
#include "node/genesis/genesis.hpp"
#include "node/node_service.hpp"
#include "support/fixtures.hpp"
#include "venus/chain/keys.hpp"

namespace venus::test::consensus {

using namespace venus::plugins::consensus;
namespace pn = venus::plugins::node;

//! An api::Wallet over in-memory keys (what a local wallet module would be).
class KeyWallet final : public api::Wallet {
  public:
    std::vector<chain::KeyInfo> keys;
    Result<std::vector<chain::Address>> list() override {
        std::vector<chain::Address> out;
        for (const auto& k : keys) out.push_back(chain::key_address(k).value());
        return out;
    }
    Result<bool> has(const chain::Address& a) override {
        for (const auto& k : keys) {
            if (chain::key_address(k).value() == a) return true;
        }
        return false;
    }
    Result<chain::Address> new_key(chain::SigType) override { return make_error(Errc::kUnsupported, "no"); }
    Result<chain::Signature> sign(const chain::Address& a, BytesView data, const api::SignMeta&) override {
        for (const auto& k : keys) {
            if (chain::key_address(k).value() == a) return chain::sign(k, data);
        }
        return make_error(Errc::kNotFound, "key not found");
    }
};

struct Devnet {
    TempDir dir;
    std::unique_ptr<storage::lmdb::Environment> env;
    std::unique_ptr<storage::lmdb::Environment> cons_env;
    std::unique_ptr<pn::ChainStore> cs;
    std::unique_ptr<pn::NodeService> node;
    pn::GenesisTemplate tpl;
    std::unique_ptr<ConsensusService> svc;
    std::uint64_t now = 0;  //!< the fake clock (Unix seconds)
    std::vector<std::uint64_t> nonces;

    explicit Devnet(std::size_t miners = 1, std::size_t accounts = 2,
                    const std::function<void(ConsensusParams&)>& tweak = nullptr,
                    const std::function<void(pn::GenesisTemplate&)>& tweak_genesis = nullptr) {
        env = storage::lmdb::Environment::open(dir.path() / "chain").value();
        cons_env = storage::lmdb::Environment::open(dir.path() / "consensus").value();
        cs = pn::ChainStore::open(*env).value();
        auto net = pn::parse_network(pn::default_network_toml(), "devnet").value();
        node = std::make_unique<pn::NodeService>(net, *cs);
        tpl = pn::make_devnet_template(accounts, miners, 1, 1000, 1'700'000'000).value();
        if (tweak_genesis) tweak_genesis(tpl);
        REQUIRE(node->ensure_genesis(tpl).ok());
        now = tpl.timestamp + 1'000'000;
        auto params = ConsensusParams::from_network(node->network());
        if (tweak) tweak(params);
        svc = make_service(params);
        nonces.assign(accounts, 0);
    }

    std::unique_ptr<ConsensusService> make_service(const ConsensusParams& params) {
        auto clock = [this] { return now; };
        return std::make_unique<ConsensusService>(
            *node, params, std::make_unique<MockBeacon>(tpl.timestamp, params.block_delay_secs, clock),
            std::make_unique<MockProofVerifier>(), BadBlocks::open(cons_env.get()).value(), clock);
    }

    chain::Address miner(std::size_t i) const { return chain::Address::new_id(1000 + i).value(); }
    const chain::KeyInfo& worker(std::size_t i) const { return tpl.miners[i].worker; }
    chain::Address account(std::size_t i) const { return chain::key_address(tpl.accounts[i].key).value(); }

    chain::SignedMessage transfer(std::size_t from, const chain::Address& to, std::int64_t value) {
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

    //! The election of miner `i` for `round` on `base`: a template when it wins.
    std::optional<BlockTemplate> elect(std::size_t i, const chain::TipSet& base, chain::ChainEpoch round,
                                       std::vector<chain::SignedMessage> msgs = {}) {
        auto bi = svc->base_info(miner(i), round, base.key());
        REQUIRE(bi.ok());
        if (!*bi || !(*bi)->eligible_for_mining) return std::nullopt;
        const auto& info = **bi;
        const auto& rbase = info.beacon_entries.empty() ? info.prev_beacon_entry : info.beacon_entries.back();
        const auto& p = svc->params();
        const auto trand = ticket_randomness(rbase.data, miner(i), round, base.blocks().front().ticket->vrf_proof, p);
        const auto erand = election_randomness(rbase.data, miner(i), round);
        auto eproof = compute_vrf(worker(i), erand).value();
        const auto wins = compute_win_count(eproof, info.miner_power, info.network_power, p.blocks_per_epoch,
                                            p.max_win_count());
        if (wins == 0) return std::nullopt;
        BlockTemplate t;
        t.miner = miner(i);
        t.parents = base.key();
        t.ticket = chain::Ticket{compute_vrf(worker(i), trand).value()};
        t.eproof = chain::ElectionProof{wins, eproof};
        t.beacon_values = info.beacon_entries;
        t.messages = std::move(msgs);
        t.epoch = round;
        std::uint64_t min_ts = base.blocks().front().timestamp;
        for (const auto& b : base.blocks()) min_ts = std::min(min_ts, b.timestamp);
        t.timestamp = min_ts + p.block_delay_secs * static_cast<std::uint64_t>(round - base.height());
        t.winning_post_proof = mock_winning_post(info.sectors);
        return t;
    }

    //! Signs a header with miner i's worker key (what sophon-miner does after MinerCreateBlock).
    void sign(FullBlock& b, std::size_t i) {
        b.header.block_sig.reset();
        b.header.block_sig = chain::sign(worker(i), b.header.signing_bytes().value()).value();
    }

    //! A signed block by miner i on `base` at the first round ≥ base+1 it wins.
    FullBlock mine(std::size_t i, const chain::TipSet& base, std::vector<chain::SignedMessage> msgs = {}) {
        for (chain::ChainEpoch round = base.height() + 1; round < base.height() + 50; ++round) {
            auto t = elect(i, base, round, msgs);
            if (!t) continue;
            auto b = svc->create_block(*t);
            REQUIRE(b.ok());
            sign(*b, i);
            return *b;
        }
        FAIL("miner never won");
        return {};
    }
};

}  // namespace venus::test::consensus
