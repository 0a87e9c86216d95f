// SPDX-License-Identifier: Apache-2.0 OR MIT
#include <catch2/catch.hpp>

#include "devnet_fixture.hpp"
#include "node/chain/chain_rules.hpp"
#include "venus/chain/amt.hpp"
#include "venus/chain/hamt.hpp"

using namespace venus;
using namespace venus::plugins::node;
using venus::test::node::Devnet;

namespace {

struct Applied {
    ApplyResult result;
    chain::Cid root;
};

Applied apply(Devnet& d, const chain::Cid& root, const chain::Message& m, ChainEpoch epoch = 1) {
    auto tree = StateTree::load(d.bs, root).value();
    VmContext ctx;
    ctx.epoch = epoch;
    ctx.base_fee = d.net.initial_base_fee;
    ctx.network = &d.net;
    Vm vm(tree, ctx);
    auto len = chain::encode_cbor(m).value().size();
    auto r = vm.apply_message(m, len);
    if (!r) FAIL(r.error().message);
    auto new_root = tree.flush();
    REQUIRE(new_root.ok());
    return {std::move(*r), *new_root};
}

chain::Address new_secp_address() {
    return chain::key_address(chain::generate_key(chain::SigType::kSecp256k1).value()).value();
}

}  // namespace

TEST_CASE("node: genesis holds the singletons, accounts from 100 and miners from 1000", "[unit][node]") {
    Devnet d(3, 2, 3);
    auto tree = StateTree::load(d.bs, d.gen.state_root).value();
    for (auto id : {id::kSystem, id::kInit, id::kReward, id::kCron, id::kPower, id::kBurntFunds, id::kReserve}) {
        auto a = tree.get_actor(id);
        REQUIRE(a.ok());
        CHECK(a->has_value());
    }
    auto first = tree.lookup_id(d.account(0));
    REQUIRE(first.ok());
    CHECK(**first == 100);
    REQUIRE(d.gen.miner_ids.size() == 2);
    CHECK(d.gen.miner_ids[0].to_string() == "t01000");
    CHECK(d.gen.miner_ids[1].to_string() == "t01001");

    auto miner = d.actor(d.gen.state_root, d.gen.miner_ids[0]);
    CHECK(miner.code == actor_code(ActorType::kMiner));
    auto mst = load_cbor<MinerState>(d.bs, miner.head).value();
    auto info = load_cbor<MinerInfo>(d.bs, mst.info).value();
    CHECK(info.sector_size == 2048);
    CHECK(info.owner.protocol() == chain::Protocol::kId);
    auto sectors = chain::Amt::load(d.bs, mst.sectors, chain::Amt::Format::kV3).value();
    CHECK(sectors.count() == 3);

    auto power = load_cbor<PowerState>(d.bs, d.actor(d.gen.state_root, chain::Address::new_id(id::kPower).value()).head).value();
    CHECK(power.total_quality_adj_power == chain::BigInt(2 * 3 * 2048));
    CHECK(power.miner_count == 2);
    CHECK(power.miner_above_min_power_count == 2);

    auto init = load_cbor<InitState>(d.bs, d.actor(d.gen.state_root, chain::Address::new_id(id::kInit).value()).head).value();
    CHECK(init.network_name == "venusd-devnet");
    CHECK(init.next_id == 1002);

    const auto expected = d.net.initial_reward_balance + d.net.reserve_balance +
                          chain::BigInt(1000) * chain::fil_precision() * chain::BigInt(3 + 2);
    CHECK(d.total_fil(d.gen.state_root) == expected);

    // The genesis header as node-chain.md §2.2 describes it.
    const auto& h = d.gen.header;
    CHECK(h.miner.to_string() == "t00");
    REQUIRE(h.election_proof);
    CHECK(chain::encode_cbor(*h.election_proof).value() == Bytes{0x82, 0x00, 0x40});
    CHECK(h.parents.size() == 1);
    CHECK(h.messages.to_string() == "bafy2bzacecmda75ovposbdateg7eyhwij65zklgyijgcjwynlklmqazpwlhba");
    CHECK(h.parent_message_receipts.to_string() == "bafy2bzacedswlcz5ddgqnyo3sak3jmhmkxashisnlpq6ujgyhe4mlobzpnhs6");
    CHECK_FALSE(h.block_sig);
    CHECK(h.parent_base_fee == chain::BigInt(100'000'000));
}

TEST_CASE("node: a transfer settles gas to the attoFIL and bumps the nonce", "[unit][node]") {
    Devnet d;
    const auto value = chain::BigInt(5) * chain::fil_precision();
    auto m = d.message(0, d.account(1), value, 0);
    const auto before_from = d.actor(d.gen.state_root, d.account(0)).balance;
    const auto before_to = d.actor(d.gen.state_root, d.account(1)).balance;
    const auto burnt = chain::Address::new_id(id::kBurntFunds).value();
    const auto reward = chain::Address::new_id(id::kReward).value();
    const auto before_burnt = d.actor(d.gen.state_root, burnt).balance;
    const auto before_reward = d.actor(d.gen.state_root, reward).balance;

    auto a = apply(d, d.gen.state_root, m);
    CHECK(a.result.receipt.exit_code == 0);
    CHECK(a.result.receipt.gas_used > gas::on_chain_message(100));
    const auto& g = a.result.gas;
    CHECK(g.total() == m.gas_fee_cap * chain::BigInt(m.gas_limit));

    auto from = d.actor(a.root, d.account(0));
    CHECK(from.nonce == 1);
    CHECK(from.balance == before_from - value - g.base_fee_burn - g.over_estimation_burn - g.miner_tip);
    CHECK(d.actor(a.root, d.account(1)).balance == before_to + value);
    CHECK(d.actor(a.root, burnt).balance == before_burnt + g.base_fee_burn + g.over_estimation_burn);
    CHECK(d.actor(a.root, reward).balance == before_reward + g.miner_tip);
    CHECK(d.total_fil(a.root) == d.total_fil(d.gen.state_root));
}

TEST_CASE("node: pre-check failures give receipts with no gas and no nonce bump", "[unit][node]") {
    Devnet d;
    const auto supply = d.total_fil(d.gen.state_root);

    SECTION("wrong nonce") {
        auto a = apply(d, d.gen.state_root, d.message(0, d.account(1), 1, 5));
        CHECK(a.result.receipt.exit_code == exit_code::kSysErrSenderStateInvalid);
        CHECK(a.result.receipt.gas_used == 0);
        CHECK(a.result.penalty == d.net.initial_base_fee * chain::BigInt(10'000'000));
        CHECK(d.actor(a.root, d.account(0)).nonce == 0);
    }
    SECTION("balance below GasLimit × FeeCap") {
        auto m = d.message(0, d.account(1), 1, 0);
        m.gas_fee_cap = chain::BigInt(1) * chain::fil_precision();
        auto a = apply(d, d.gen.state_root, m);
        CHECK(a.result.receipt.exit_code == exit_code::kSysErrSenderStateInvalid);
    }
    SECTION("unknown sender") {
        auto m = d.message(0, d.account(1), 1, 0);
        m.from = new_secp_address();
        auto a = apply(d, d.gen.state_root, m);
        CHECK(a.result.receipt.exit_code == exit_code::kSysErrSenderInvalid);
    }
    SECTION("sender is not an account") {
        auto m = d.message(0, d.account(1), 1, 0);
        m.from = d.gen.miner_ids[0];
        auto a = apply(d, d.gen.state_root, m);
        CHECK(a.result.receipt.exit_code == exit_code::kSysErrSenderInvalid);
    }
    SECTION("gas limit below the on-chain message cost") {
        auto m = d.message(0, d.account(1), 1, 0);
        m.gas_limit = 1000;
        auto a = apply(d, d.gen.state_root, m);
        CHECK(a.result.receipt.exit_code == exit_code::kSysErrOutOfGas);
        CHECK(a.result.receipt.gas_used == 0);
    }
}

TEST_CASE("node: execution failures keep the nonce bump and the gas", "[unit][node]") {
    Devnet d;
    const auto supply = d.total_fil(d.gen.state_root);
    SECTION("value above the balance") {
        auto a = apply(d, d.gen.state_root, d.message(0, d.account(1), chain::BigInt(5000) * chain::fil_precision(), 0));
        CHECK(a.result.receipt.exit_code == exit_code::kSysErrInsufficientFunds);
        CHECK(a.result.receipt.gas_used > 0);
        CHECK(d.actor(a.root, d.account(0)).nonce == 1);
        CHECK(d.total_fil(a.root) == supply);
    }
    SECTION("out of gas") {
        auto m = d.message(0, new_secp_address(), 1, 0);
        m.gas_limit = gas::on_chain_message(120) + 1000;
        auto a = apply(d, d.gen.state_root, m);
        CHECK(a.result.receipt.exit_code == exit_code::kSysErrOutOfGas);
        CHECK(a.result.receipt.gas_used == m.gas_limit);
        CHECK(d.total_fil(a.root) == supply);
    }
    SECTION("unknown method on an account") {
        auto a = apply(d, d.gen.state_root, d.message(0, d.account(1), 0, 0, 99));
        CHECK(a.result.receipt.exit_code == exit_code::kErrUnhandledMessage);
    }
    SECTION("missing ID receiver") {
        auto a = apply(d, d.gen.state_root, d.message(0, chain::Address::new_id(5555).value(), 1, 0));
        CHECK(a.result.receipt.exit_code == exit_code::kSysErrInvalidReceiver);
    }
}

TEST_CASE("node: sending to a new key address creates its account", "[unit][node]") {
    Devnet d;
    const auto fresh = new_secp_address();
    auto a = apply(d, d.gen.state_root, d.message(0, fresh, 7, 0));
    REQUIRE(a.result.receipt.exit_code == 0);
    auto tree = StateTree::load(d.bs, a.root).value();
    auto id = tree.lookup_id(fresh);
    REQUIRE(id.ok());
    REQUIRE(id->has_value());
    CHECK(**id == 1001);  // after the genesis miner t01000
    auto actor = d.actor(a.root, fresh);
    CHECK(actor.code == actor_code(ActorType::kAccount));
    CHECK(actor.balance == chain::BigInt(7));
    // PubkeyAddress returns the key address.
    auto b = apply(d, a.root, d.message(0, chain::Address::new_id(1001).value(), 0, 1, method::account::kPubkeyAddress));
    REQUIRE(b.result.receipt.exit_code == 0);
    CborReader r(b.result.receipt.return_value);
    CHECK(chain::read_address(r).value() == fresh);
}

TEST_CASE("node: tipset execution dedups, filters nonces, rewards miners and runs cron over null rounds",
          "[unit][node]") {
    Devnet d;
    const auto supply = d.total_fil(d.gen.state_root);
    auto m0 = d.message(0, d.account(1), 1000, 0);
    auto m1 = d.message(0, d.account(1), 2000, 1);
    auto gap = d.message(0, d.account(1), 3000, 3);  // nonce gap: filtered out
    auto s0 = d.sign(0, m0);
    auto s1 = d.sign(0, m1);
    auto sg = d.sign(0, gap);
    std::vector<BlockMessages> blocks(2);
    blocks[0].miner = d.gen.miner_ids[0];
    blocks[0].win_count = 1;
    blocks[0].secp_messages = {s0, s1};
    blocks[1].miner = d.gen.miner_ids[0];
    blocks[1].win_count = 2;
    blocks[1].secp_messages = {s0, sg};  // s0 again: applied once

    ExecuteInput in;
    in.parent_state = d.gen.state_root;
    in.parent_epoch = 0;
    in.epoch = 3;  // epochs 1 and 2 are null rounds
    in.base_fee = d.net.initial_base_fee;
    auto out = execute_tipset(d.bs, d.net, in, blocks);
    REQUIRE(out.ok());
    REQUIRE(out->messages.size() == 2);
    CHECK(out->messages[0].cid == s0.cid().value());
    CHECK(out->messages[1].cid == s1.cid().value());
    REQUIRE(out->receipts.size() == 2);
    CHECK(out->receipts[0].exit_code == 0);
    CHECK(out->receipts[1].exit_code == 0);
    CHECK(d.actor(out->state_root, d.account(0)).nonce == 2);

    // Rewards: (1 + 2) wins × ThisEpochReward / 5 (plus tips), 75% locked.
    auto miner = d.actor(out->state_root, d.gen.miner_ids[0]);
    const auto block_reward = d.net.this_epoch_reward * chain::BigInt(3) / chain::BigInt(5);
    CHECK(miner.balance >= block_reward);
    auto mst = load_cbor<MinerState>(d.bs, miner.head).value();
    CHECK(mst.locked_funds.sign() > 0);
    CHECK(mst.vesting_funds.has_value());

    // Cron ran for epoch 3 (reward epoch = 4) and the receipts AMT holds both receipts.
    auto reward = load_cbor<RewardState>(d.bs, d.actor(out->state_root, chain::Address::new_id(id::kReward).value()).head).value();
    CHECK(reward.epoch == 4);
    auto receipts = chain::Amt::load(d.bs, out->receipts_root, chain::Amt::Format::kLegacy).value();
    CHECK(receipts.count() == 2);

    CHECK(d.total_fil(out->state_root) == supply);

    // Re-executing gives the same roots (determinism).
    auto again = execute_tipset(d.bs, d.net, in, blocks);
    REQUIRE(again.ok());
    CHECK(again->state_root == out->state_root);
    CHECK(again->receipts_root == out->receipts_root);
}

TEST_CASE("node: multisig created through init, proposed and approved", "[unit][node]") {
    Devnet d(3, 1, 1);
    // init.Exec(multisig, [[a0, a1], 2, 0, 0]) with 10 FIL.
    Bytes ctor;
    CborWriter cw(ctor);
    cw.write_array_header(4);
    cw.write_array_header(2);
    REQUIRE(chain::write_address(cw, d.account(0)).ok());
    REQUIRE(chain::write_address(cw, d.account(1)).ok());
    cw.write_uint(2);
    cw.write_int(0);
    cw.write_int(0);
    Bytes exec;
    CborWriter ew(exec);
    ew.write_array_header(2);
    ew.write_cid(actor_code(ActorType::kMultisig));
    ew.write_bytes(ctor);
    const auto ten = chain::BigInt(10) * chain::fil_precision();
    auto m = d.message(0, chain::Address::new_id(id::kInit).value(), ten, 0, method::init::kExec, exec);
    m.gas_limit = 100'000'000;
    auto created = apply(d, d.gen.state_root, m);
    REQUIRE(created.result.receipt.exit_code == 0);
    CborReader rr(created.result.receipt.return_value);
    REQUIRE(rr.read_array_header(2).ok());
    auto msig = chain::read_address(rr).value();
    auto robust = chain::read_address(rr).value();
    CHECK(robust.protocol() == chain::Protocol::kActor);
    CHECK(d.actor(created.root, msig).balance == ten);
    CHECK(d.actor(created.root, robust).code == actor_code(ActorType::kMultisig));

    // Propose 3 FIL to account 2.
    Bytes prop;
    CborWriter pw(prop);
    pw.write_array_header(4);
    REQUIRE(chain::write_address(pw, d.account(2)).ok());
    REQUIRE(chain::write_bigint(pw, chain::BigInt(3) * chain::fil_precision()).ok());
    pw.write_uint(0);
    pw.write_bytes({});
    auto p = d.message(0, msig, 0, 1, method::multisig::kPropose, prop);
    p.gas_limit = 100'000'000;
    auto proposed = apply(d, created.root, p);
    REQUIRE(proposed.result.receipt.exit_code == 0);
    CHECK(d.actor(proposed.root, msig).balance == ten);  // not applied yet: 1 of 2

    // A non-signer cannot approve; signer 1 can, which executes it.
    Bytes approve;
    CborWriter aw(approve);
    aw.write_array_header(2);
    aw.write_int(0);
    aw.write_bytes({});
    auto stranger = d.message(2, msig, 0, 0, method::multisig::kApprove, approve);
    stranger.gas_limit = 100'000'000;
    CHECK(apply(d, proposed.root, stranger).result.receipt.exit_code == exit_code::kErrForbidden);
    auto ok = d.message(1, msig, 0, 0, method::multisig::kApprove, approve);
    ok.gas_limit = 100'000'000;
    auto approved = apply(d, proposed.root, ok);
    REQUIRE(approved.result.receipt.exit_code == 0);
    CHECK(d.actor(approved.root, msig).balance == chain::BigInt(7) * chain::fil_precision());
    CHECK(d.total_fil(approved.root) == d.total_fil(d.gen.state_root));
}

TEST_CASE("node: miner peer id, worker change and withdrawal rules", "[unit][node]") {
    Devnet d(2, 1, 1);
    const auto owner_key = chain::key_address(d.tpl.miners[0].owner).value();
    // The owner's account is not in tpl.accounts: sign from its index by building messages by hand.
    auto from_owner = [&](std::uint64_t nonce, std::uint64_t method, Bytes params) {
        chain::Message m;
        m.from = owner_key;
        m.to = d.gen.miner_ids[0];
        m.nonce = nonce;
        m.gas_limit = 100'000'000;
        m.gas_fee_cap = 1000;
        m.gas_premium = 100;
        m.method = method;
        m.params = std::move(params);
        return m;
    };
    Bytes peer;
    CborWriter w(peer);
    w.write_array_header(1);
    w.write_bytes(Bytes{9, 9, 9});
    auto a = apply(d, d.gen.state_root, from_owner(0, method::miner::kChangePeerId, peer));
    REQUIRE(a.result.receipt.exit_code == 0);
    auto mst = load_cbor<MinerState>(d.bs, d.actor(a.root, d.gen.miner_ids[0]).head).value();
    CHECK(load_cbor<MinerInfo>(d.bs, mst.info).value().peer_id == Bytes{9, 9, 9});

    auto stranger = d.message(0, d.gen.miner_ids[0], 0, 0, method::miner::kChangePeerId, peer);
    stranger.gas_limit = 100'000'000;
    CHECK(apply(d, a.root, stranger).result.receipt.exit_code == exit_code::kErrForbidden);

    // A worker change to a secp key is refused (the worker must be BLS).
    Bytes change;
    CborWriter cw(change);
    cw.write_array_header(2);
    REQUIRE(chain::write_address(cw, d.account(0)).ok());
    cw.write_array_header(0);
    CHECK(apply(d, a.root, from_owner(1, method::miner::kChangeWorkerAddress, change)).result.receipt.exit_code ==
          exit_code::kErrIllegalArgument);

    // Withdraw with nothing available returns 0 and succeeds.
    Bytes wd;
    CborWriter ww(wd);
    ww.write_array_header(1);
    REQUIRE(chain::write_bigint(ww, chain::BigInt(1)).ok());
    auto wr = apply(d, a.root, from_owner(1, method::miner::kWithdrawBalance, wd));
    CHECK(wr.result.receipt.exit_code == 0);
}

TEST_CASE("node: base fee update and weight follow Lotus's formulas", "[unit][node]") {
    NetworkParams net;
    const chain::BigInt base = 100'000'000;
    // Empty tipset: −12.5%.
    CHECK(compute_next_base_fee(base, 0, 1, net) == chain::BigInt(87'500'000));
    // Full blocks: +12.5%.
    CHECK(compute_next_base_fee(base, 2 * net.block_gas_limit, 2, net) == chain::BigInt(112'500'000));
    // On target: unchanged.
    CHECK(compute_next_base_fee(base, net.block_gas_target, 1, net) == base);
    // Never below the minimum.
    CHECK(compute_next_base_fee(100, 0, 1, net) == chain::BigInt(100));

    // 6144 bytes of power: log2P = 12. w = 0 + 12<<8 + (12<<8)*1/10.
    auto w = compute_weight(0, 6144, 1, 5);
    REQUIRE(w.ok());
    CHECK(*w == chain::BigInt(3072 + 307));
    CHECK_FALSE(compute_weight(0, 0, 1, 5).ok());
}

TEST_CASE("node: miner owner change needs the new owner's confirmation", "[unit][node]") {
    Devnet d(2, 1, 1);
    const auto owner_key = chain::key_address(d.tpl.miners[0].owner).value();
    Bytes param;
    CborWriter w(param);
    REQUIRE(chain::write_address(w, d.account(0)).ok());
    chain::Message propose;
    propose.from = owner_key;
    propose.to = d.gen.miner_ids[0];
    propose.gas_limit = 100'000'000;
    propose.gas_fee_cap = 200'000'000;
    propose.method = method::miner::kChangeOwnerAddress;
    propose.params = param;
    auto a = apply(d, d.gen.state_root, propose);
    REQUIRE(a.result.receipt.exit_code == 0);
    auto info = [&](const chain::Cid& root) {
        auto mst = load_cbor<MinerState>(d.bs, d.actor(root, d.gen.miner_ids[0]).head).value();
        return load_cbor<MinerInfo>(d.bs, mst.info).value();
    };
    CHECK(info(a.root).pending_owner_address == chain::Address::new_id(100).value());
    CHECK(info(a.root).owner != chain::Address::new_id(100).value());
    // A stranger cannot confirm; the proposed owner can.
    auto stranger = d.message(1, d.gen.miner_ids[0], 0, 0, method::miner::kChangeOwnerAddress, param);
    stranger.gas_limit = 100'000'000;
    CHECK(apply(d, a.root, stranger).result.receipt.exit_code == exit_code::kErrForbidden);
    auto confirm = d.message(0, d.gen.miner_ids[0], 0, 0, method::miner::kChangeOwnerAddress, param);
    confirm.gas_limit = 100'000'000;
    auto b = apply(d, a.root, confirm);
    REQUIRE(b.result.receipt.exit_code == 0);
    CHECK(info(b.root).owner == chain::Address::new_id(100).value());
    CHECK(info(b.root).beneficiary == chain::Address::new_id(100).value());
    CHECK_FALSE(info(b.root).pending_owner_address);
}

TEST_CASE("node: multisig vesting holds back locked funds, cancel refuses unknown transactions and strangers", "[unit][node]") {
    Devnet d(3, 1, 1);
    // 2-of-2 multisig with 10 FIL vesting over 1000 epochs from epoch 0.
    Bytes ctor;
    CborWriter cw(ctor);
    cw.write_array_header(4);
    cw.write_array_header(2);
    REQUIRE(chain::write_address(cw, d.account(0)).ok());
    REQUIRE(chain::write_address(cw, d.account(1)).ok());
    cw.write_uint(1);
    cw.write_int(1000);
    cw.write_int(0);
    Bytes exec;
    CborWriter ew(exec);
    ew.write_array_header(2);
    ew.write_cid(actor_code(ActorType::kMultisig));
    ew.write_bytes(ctor);
    const auto ten = chain::BigInt(10) * chain::fil_precision();
    auto m = d.message(0, chain::Address::new_id(id::kInit).value(), ten, 0, method::init::kExec, exec);
    m.gas_limit = 100'000'000;
    auto created = apply(d, d.gen.state_root, m);
    REQUIRE(created.result.receipt.exit_code == 0);
    CborReader rr(created.result.receipt.return_value);
    REQUIRE(rr.read_array_header(2).ok());
    const auto msig = chain::read_address(rr).value();

    auto propose = [&](std::size_t from, std::uint64_t nonce, const chain::TokenAmount& value, ChainEpoch epoch) {
        Bytes prop;
        CborWriter pw(prop);
        pw.write_array_header(4);
        REQUIRE(chain::write_address(pw, d.account(2)).ok());
        REQUIRE(chain::write_bigint(pw, value).ok());
        pw.write_uint(0);
        pw.write_bytes({});
        auto p = d.message(from, msig, 0, nonce, method::multisig::kPropose, prop);
        p.gas_limit = 100'000'000;
        return apply(d, created.root, p, epoch);
    };
    // Threshold 1: a proposal executes at once, but at epoch 100 only 1 FIL has vested.
    CHECK(propose(0, 1, chain::BigInt(2) * chain::fil_precision(), 100).result.receipt.exit_code ==
          exit_code::kErrInsufficientFunds);
    auto ok = propose(0, 1, chain::fil_precision() / chain::BigInt(2), 100);
    CHECK(ok.result.receipt.exit_code == 0);
    CHECK(d.actor(ok.root, msig).balance == ten - chain::fil_precision() / chain::BigInt(2));
    // Cancel of an unknown transaction is ErrNotFound; a non-signer is refused.
    Bytes cancel;
    CborWriter xw(cancel);
    xw.write_array_header(2);
    xw.write_int(7);
    xw.write_bytes({});
    auto c = d.message(1, msig, 0, 0, method::multisig::kCancel, cancel);
    c.gas_limit = 100'000'000;
    CHECK(apply(d, ok.root, c).result.receipt.exit_code == exit_code::kErrNotFound);
    auto s = d.message(2, msig, 0, 0, method::multisig::kCancel, cancel);
    s.gas_limit = 100'000'000;
    CHECK(apply(d, ok.root, s).result.receipt.exit_code == exit_code::kErrForbidden);
}
