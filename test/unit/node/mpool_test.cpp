// SPDX-License-Identifier: Apache-2.0 OR MIT
#include <catch2/catch.hpp>
#include <set>

#include "support/chain_harness.hpp"
#include "node/mpool/gas_estimator.hpp"
#include "node/mpool/message_pool.hpp"
#include "node/mpool/mpool_api.hpp"
#include "node/rpc_mpool.hpp"
#include "node/vm/gas.hpp"
#include "venus/chain/json.hpp"
#include "venus/crypto/bls.hpp"

using namespace venus;
using namespace venus::plugins::node;
using Catch::Matchers::Contains;
using venus::test::node::ChainHarness;

namespace {

struct PoolHarness : ChainHarness {
    std::shared_ptr<crypto::bls::VerifiedCache> bls = std::make_shared<crypto::bls::VerifiedCache>();
    std::unique_ptr<MessagePool> pool;

    explicit PoolHarness(std::size_t accounts = 2) : ChainHarness(accounts) { reopen(); }
    void reopen() {
        pool.reset();
        pool = MessagePool::open(*svc, env.get(), bls).value();
    }

    //! A signed message from account `from` with an explicit nonce and premium.
    chain::SignedMessage msg(std::size_t from, std::uint64_t nonce, std::int64_t premium = 1000,
                             std::int64_t gas_limit = 10'000'000, chain::TokenAmount value = 1) {
        chain::Message m;
        m.from = account(from);
        m.to = account(1 - from);
        m.nonce = nonce;
        m.value = std::move(value);
        m.gas_limit = gas_limit;
        m.gas_fee_cap = 300'000'000;
        m.gas_premium = premium;
        return chain::sign_message(tpl.accounts[from].key, m).value();
    }
    chain::SignedMessage resign(std::size_t from, chain::Message m) {
        return chain::sign_message(tpl.accounts[from].key, m).value();
    }
    std::string push_error(const chain::SignedMessage& m, bool untrusted = false) {
        auto r = pool->push(m, untrusted);
        return r ? std::string("ok") : r.error().message;
    }
};

//! api::Wallet over the genesis keys, for MpoolPushMessage.
class TemplateWallet final : public api::Wallet {
  public:
    explicit TemplateWallet(const GenesisTemplate& tpl) : tpl_(tpl) {}
    Result<std::vector<chain::Address>> list() override { return std::vector<chain::Address>{}; }
    Result<bool> has(const chain::Address&) override { return true; }
    Result<chain::Address> new_key(chain::SigType) override { return make_error(Errc::kUnsupported, "no"); }
    Result<chain::Signature> sign(const chain::Address& signer, BytesView to_sign, const api::SignMeta& meta) override {
        if (meta.type != api::kMetaMessage) return make_error(Errc::kPermissionDenied, "only messages");
        auto m = chain::decode_cbor<chain::Message>(meta.extra);
        if (!m) return make_error(Errc::kPermissionDenied, "meta mismatch");
        const auto cid = m->cid().value();
        if (!std::equal(cid.bytes().begin(), cid.bytes().end(), to_sign.begin(), to_sign.end())) return make_error(Errc::kPermissionDenied, "meta mismatch");
        for (const auto& a : tpl_.accounts) {
            if (chain::key_address(a.key).value() == signer) return chain::sign(a.key, to_sign);
        }
        return make_error(Errc::kNotFound, "key not found");
    }

  private:
    const GenesisTemplate& tpl_;
};

}  // namespace

TEST_CASE("mpool: push, pending and MpoolGetNonce", "[unit][node][mpool]") {
    PoolHarness h;
    CHECK(h.pool->get_nonce(h.account(0)).value() == 0);
    auto m0 = h.msg(0, 0);
    auto cid = h.pool->push(m0);
    REQUIRE(cid.ok());
    CHECK(*cid == m0.cid().value());
    CHECK(h.pool->get_nonce(h.account(0)).value() == 1);
    REQUIRE(h.pool->push(h.msg(0, 1)).ok());
    CHECK(h.pool->get_nonce(h.account(0)).value() == 2);
    // The ID address of the same account answers the same.
    auto id = h.svc->lookup_id(h.account(0), {}).value().value();
    CHECK(h.pool->get_nonce(id).value() == 2);
    auto pending = h.pool->pending();
    REQUIRE(pending.size() == 2);
    CHECK(pending[0] == m0);
    CHECK(pending[1].message.nonce == 1);
    CHECK_THAT(h.push_error(m0), Contains("message with nonce already exists"));
    // An unknown account has no nonce.
    auto fresh = chain::key_address(chain::generate_key(chain::SigType::kSecp256k1).value()).value();
    CHECK_THAT(h.pool->get_nonce(fresh).error().message, Contains("actor not found"));
}

TEST_CASE("mpool: syntactic checks, size and fee cap floor with Lotus's texts", "[unit][node][mpool]") {
    PoolHarness h;
    auto base = h.msg(0, 0).message;

    auto big = base;
    big.params = Bytes(65 * 1024, 0xaa);
    CHECK_THAT(h.push_error(h.resign(0, big)), Contains("message too big"));

    auto low_cap = base;
    low_cap.gas_fee_cap = 99;
    low_cap.gas_premium = 1;
    CHECK(h.push_error(h.resign(0, low_cap)) == "gas fee cap too low");

    auto huge_gas = base;
    huge_gas.gas_limit = h.svc->params().block_gas_limit + 1;
    CHECK_THAT(h.push_error(h.resign(0, huge_gas)), Contains("'GasLimit' field cannot be greater than a block's gas limit"));

    auto small_gas = base;
    small_gas.gas_limit = 1000;
    CHECK_THAT(h.push_error(h.resign(0, small_gas)),
               Contains("message will not be included in a block: 'GasLimit' field cannot be less than the cost of storing a message on chain"));

    auto premium_over_cap = base;
    premium_over_cap.gas_premium = base.gas_fee_cap + 1;
    CHECK_THAT(h.push_error(h.resign(0, premium_over_cap)), Contains("'GasFeeCap' less than 'GasPremium'"));

    auto negative = base;
    negative.value = -1;
    CHECK_THAT(h.push_error(h.resign(0, negative)), Contains("'Value' field cannot be negative"));

    auto version = base;
    version.version = 1;
    CHECK_THAT(h.push_error(h.resign(0, version)), Contains("'Version' unsupported"));
    CHECK(h.pool->size() == 0);
}

TEST_CASE("mpool: signatures are checked, BLS results land in the shared verified cache", "[unit][node][mpool]") {
    PoolHarness h;
    auto good = h.msg(0, 0);
    auto tampered = good;
    tampered.message.value = 2;
    CHECK_THAT(h.push_error(tampered), Contains("signature verification failed"));
    auto wrong_type = good;
    wrong_type.signature.type = chain::SigType::kDelegated;
    CHECK_THAT(h.push_error(wrong_type), Contains("signature verification failed"));

    auto bls_msg = h.msg(1, 0);  // account 1 has a BLS key
    REQUIRE(bls_msg.signature.type == chain::SigType::kBls);
    REQUIRE(h.pool->push(bls_msg).ok());
    const auto cid = bls_msg.message.cid().value();
    CHECK(h.bls->contains(h.account(1).payload(), cid.bytes(), bls_msg.signature.data));
    auto bad_bls = h.msg(1, 1);
    bad_bls.signature.data[5] ^= 1;
    CHECK_THAT(h.push_error(bad_bls), Contains("signature verification failed"));
    CHECK(h.pool->size() == 1);
}

TEST_CASE("mpool: find by CID, a BLS message under its unsigned CID as blocks name it", "[unit][node][mpool]") {
    PoolHarness h;
    auto secp = h.msg(0, 0);
    auto bls_msg = h.msg(1, 0);
    REQUIRE(bls_msg.signature.type == chain::SigType::kBls);
    REQUIRE(h.pool->push(secp).ok());
    REQUIRE(h.pool->push(bls_msg).ok());
    const auto absent = h.msg(0, 5).cid().value();
    auto found = h.pool->find({secp.cid().value(), bls_msg.message.cid().value(), absent});
    REQUIRE(found.size() == 2);
    CHECK(found.at(secp.cid().value()) == secp);
    CHECK(found.at(bls_msg.message.cid().value()) == bls_msg);
    CHECK(h.pool->find({}).empty());
}

TEST_CASE("mpool: nonce too low, nonce gaps trusted and untrusted", "[unit][node][mpool]") {
    PoolHarness h;
    // Include nonce 0 in a block: the state nonce becomes 1.
    auto m0 = h.msg(0, 0);
    h.extend(h.svc->head(), 1, {{m0}}, 1);
    CHECK(h.push_error(m0) == "minimum expected nonce is 1, got 0");

    // Trusted: up to 4 beyond the next nonce.
    CHECK_THAT(h.push_error(h.msg(0, 6)), Contains("unfulfilled nonce gap"));
    CHECK(h.push_error(h.msg(0, 5)) == "ok");
    CHECK(h.pool->get_nonce(h.account(0)).value() == 1);  // the gap is still open
    // Untrusted: no gap at all.
    CHECK_THAT(h.push_error(h.msg(0, 2), true), Contains("unfulfilled nonce gap"));
    CHECK(h.push_error(h.msg(0, 1), true) == "ok");
    CHECK(h.pool->get_nonce(h.account(0)).value() == 2);
    // Replacing above a gap is refused for untrusted pushes.
    CHECK_THAT(h.push_error(h.msg(0, 5, 5000), true), Contains("rejecting replace by fee because of nonce gap"));
}

TEST_CASE("mpool: replace by fee needs premium >= old*110/100+1", "[unit][node][mpool]") {
    PoolHarness h;
    CHECK(min_rbf_premium(1000) == chain::BigInt(1101));
    REQUIRE(h.pool->push(h.msg(0, 0, 1000)).ok());
    CHECK_THAT(h.push_error(h.msg(0, 0, 1100)),
               Contains("increase GasPremium to 1101 from 1100 to trigger replace by fee: replace by fee has too low GasPremium"));
    std::vector<MpoolUpdate> seen;
    auto sub = h.pool->subscribe([&](const std::vector<MpoolUpdate>& u) { seen.insert(seen.end(), u.begin(), u.end()); });
    auto better = h.msg(0, 0, 1101);
    REQUIRE(h.pool->push(better).ok());
    h.pool->unsubscribe(sub);
    auto pending = h.pool->pending();
    REQUIRE(pending.size() == 1);
    CHECK(pending[0] == better);
    REQUIRE(seen.size() == 2);
    CHECK(seen[0].type == MpoolUpdate::Type::kRemove);
    CHECK(seen[0].message.message.gas_premium == chain::BigInt(1000));
    CHECK(seen[1].type == MpoolUpdate::Type::kAdd);
    CHECK(seen[1].message == better);
}

TEST_CASE("mpool: per-actor pending caps (untrusted 100, trusted 1000)", "[unit][node][mpool]") {
    PoolHarness h;
    for (std::uint64_t n = 0; n < mpool::kMaxActorPendingUntrusted; ++n) REQUIRE(h.pool->push(h.msg(0, n), true).ok());
    CHECK(h.push_error(h.msg(0, 100), true) == "too many pending messages for actor");
    // Trusted pushes may go on up to 1000.
    for (std::uint64_t n = 100; n < mpool::kMaxActorPendingTrusted; ++n) REQUIRE(h.pool->push(h.msg(0, n)).ok());
    CHECK(h.push_error(h.msg(0, 1000)) == "too many pending messages for actor");
    CHECK(h.pool->size() == 1000);
    CHECK(h.pool->get_nonce(h.account(0)).value() == 1000);
}

TEST_CASE("mpool: balance checks, alone and with pending messages", "[unit][node][mpool]") {
    PoolHarness h;
    const auto fil = chain::fil_precision();
    CHECK_THAT(h.push_error(h.msg(0, 0, 1000, 10'000'000, chain::BigInt(2000) * fil)),
               Contains("not enough funds to execute transaction"));
    REQUIRE(h.pool->push(h.msg(0, 0, 1000, 10'000'000, chain::BigInt(600) * fil)).ok());
    CHECK_THAT(h.push_error(h.msg(0, 1, 1000, 10'000'000, chain::BigInt(600) * fil)),
               Contains("not enough funds including pending messages"));
    // Replacing nonce 0 does not count the message it replaces.
    CHECK(h.push_error(h.msg(0, 0, 2000, 10'000'000, chain::BigInt(900) * fil)) == "ok");
}

TEST_CASE("mpool: a sender without an actor is refused", "[unit][node][mpool]") {
    PoolHarness h;
    auto key = chain::generate_key(chain::SigType::kSecp256k1).value();
    chain::Message m = h.msg(0, 0).message;
    m.from = chain::key_address(key).value();
    auto sm = chain::sign_message(key, m).value();
    CHECK_THAT(h.push_error(sm), Contains("failed to get sender actor") && Contains("actor not found"));
}

TEST_CASE("mpool: head changes remove applied messages and re-add reverted ones", "[unit][node][mpool]") {
    PoolHarness h;
    const auto g = h.svc->head();
    auto m0 = h.msg(0, 0);
    auto m1 = h.msg(0, 1);
    REQUIRE(h.pool->push(m0).ok());
    REQUIRE(h.pool->push(m1).ok());
    auto a1 = h.extend(g, 1, {{m0}}, 1);
    REQUIRE(h.svc->head().key() == a1.key());
    auto pending = h.pool->pending();
    REQUIRE(pending.size() == 1);
    CHECK(pending[0] == m1);
    CHECK(h.pool->get_nonce(h.account(0)).value() == 2);

    // A heavier fork without m0 reverts a1: m0 comes back.
    auto b1 = h.extend(g, 1, {{}, {}}, 50);
    REQUIRE(h.svc->head().key() == b1.key());
    pending = h.pool->pending();
    REQUIRE(pending.size() == 2);
    CHECK(pending[0] == m0);
    CHECK(pending[1] == m1);

    // Both included on the fork: the pool empties; messages of another sender in the same block
    // that were never in the pool do not matter.
    auto b2 = h.extend(b1, 2, {{m0, m1}}, 60);
    REQUIRE(h.svc->head().key() == b2.key());
    CHECK(h.pool->size() == 0);
    CHECK(h.pool->get_nonce(h.account(0)).value() == 2);
}

TEST_CASE("mpool: pending messages survive reopening the store, stale ones are dropped", "[unit][node][mpool]") {
    PoolHarness h;
    auto m0 = h.msg(0, 0);
    auto m1 = h.msg(0, 1);
    auto b0 = h.msg(1, 0);
    REQUIRE(h.pool->push(m0).ok());
    REQUIRE(h.pool->push(m1).ok());
    REQUIRE(h.pool->push(b0, true).ok());
    MpoolConfig cfg;
    cfg.size_limit_high = 5000;
    cfg.size_limit_low = 4000;
    REQUIRE(h.pool->set_config(cfg).ok());
    h.reopen();
    CHECK(h.pool->size() == 3);
    CHECK(h.pool->get_nonce(h.account(0)).value() == 2);
    CHECK(h.pool->config().size_limit_high == 5000);
    // Local flags survive: clear(false) removes only the untrusted one.
    h.pool->clear(false);
    CHECK(h.pool->size() == 2);

    // m0 gets included while the pool is closed: it is not reloaded.
    auto pool_gone = std::move(h.pool);
    pool_gone.reset();
    h.extend(h.svc->head(), 1, {{m0}}, 1);
    h.reopen();
    auto pending = h.pool->pending();
    REQUIRE(pending.size() == 1);
    CHECK(pending[0] == m1);
    h.pool->clear(true);
    h.reopen();
    CHECK(h.pool->size() == 0);
}

TEST_CASE("mpool: pruning above SizeLimitHigh keeps local and priority senders", "[unit][node][mpool]") {
    PoolHarness h(3);
    MpoolConfig cfg;
    cfg.size_limit_high = 3;
    cfg.size_limit_low = 2;
    cfg.prune_cooldown_ns = 0;
    REQUIRE(h.pool->set_config(cfg).ok());
    // Untrusted (remote) messages: account 0 pays less than account 1.
    REQUIRE(h.pool->push(h.msg(0, 0, 1000), true).ok());
    REQUIRE(h.pool->push(h.msg(0, 1, 1000), true).ok());
    REQUIRE(h.pool->push(h.msg(1, 0, 5000), true).ok());
    REQUIRE(h.pool->push(h.msg(1, 1, 5000), true).ok());  // 4 > 3: account 0 goes
    auto pending = h.pool->pending();
    REQUIRE(pending.size() == 2);
    for (const auto& m : pending) CHECK(m.message.from == h.account(1));

    MpoolConfig bad = cfg;
    bad.replace_by_fee_ratio = 1.05;
    CHECK_THAT(h.pool->set_config(bad).error().message, Contains("'ReplaceByFeeRatio' is less than required"));
    bad = cfg;
    bad.gas_limit_overestimation = 0.5;
    CHECK(h.pool->set_config(bad).error().message == "'GasLimitOverestimation' cannot be less than 1");
}

TEST_CASE("mpool: selection keeps nonce order, prefers higher premiums and respects the block gas limit",
          "[unit][node][mpool]") {
    PoolHarness h;
    const std::int64_t big = 4'000'000'000;  // two fit in a 10e9 block, three do not
    REQUIRE(h.pool->push(h.msg(0, 0, 1000, big)).ok());
    REQUIRE(h.pool->push(h.msg(0, 1, 9000, big)).ok());
    REQUIRE(h.pool->push(h.msg(0, 2, 9000, big)).ok());
    REQUIRE(h.pool->push(h.msg(1, 0, 5000)).ok());
    REQUIRE(h.pool->push(h.msg(1, 1, 5000)).ok());

    auto sel = h.pool->select({}, 0.5);
    REQUIRE(sel.ok());
    // Account 1 (premium 5000) beats account 0's first message (1000); account 0 gets two big ones.
    REQUIRE(sel->size() == 4);
    CHECK((*sel)[0].message.from == h.account(1));
    CHECK((*sel)[1].message.from == h.account(1));
    CHECK((*sel)[0].message.nonce == 0);
    CHECK((*sel)[1].message.nonce == 1);
    CHECK((*sel)[2].message.from == h.account(0));
    CHECK((*sel)[2].message.nonce == 0);
    CHECK((*sel)[3].message.nonce == 1);
    std::int64_t gas = 0;
    for (const auto& m : *sel) gas += m.message.gas_limit;
    CHECK(gas <= h.svc->params().block_gas_limit);

    // Several tickets: each sender's messages go to one list only.
    auto lists = h.pool->selects({}, {0.9, 0.1});
    REQUIRE(lists.ok());
    REQUIRE(lists->size() == 2);
    std::set<std::string> first;
    for (const auto& m : (*lists)[0]) first.insert(m.message.from.to_string());
    for (const auto& m : (*lists)[1]) CHECK(first.count(m.message.from.to_string()) == 0);
    CHECK((*lists)[0].size() + (*lists)[1].size() == 4);
    CHECK_FALSE(h.pool->selects({}, {1.5}).ok());

    // A message whose nonce the chain already used is not selected; nor is one behind a gap.
    h.extend(h.svc->head(), 1, {{h.msg(0, 0, 1000, big)}}, 1);
    auto after = h.pool->select({}, 0.5).value();
    for (const auto& m : after) {
        if (m.message.from == h.account(0)) CHECK(m.message.nonce >= 1);
    }
}

TEST_CASE("gas: median premium, fee cap and message estimation figures", "[unit][node][gas]") {
    PoolHarness h;
    GasEstimator est(*h.svc, *h.pool);
    est.set_noise([] { return 1.0; });
    // Lotus medianGasPremium: walks down until 55 % of the target times blocks is used.
    std::vector<std::pair<chain::TokenAmount, std::int64_t>> prices{{300, 3'000'000'000}, {200, 3'000'000'000},
                                                                    {100, 3'000'000'000}};
    CHECK(median_gas_premium(prices, 1, 5'000'000'000) == chain::BigInt(300));  // at = 2.625e9: one step
    CHECK(median_gas_premium(prices, 2, 5'000'000'000) == chain::BigInt(250));  // two steps: their average
    CHECK(median_gas_premium({}, 0, 5'000'000'000).is_zero());

    // Empty chain: premium falls back to MinGasPremium figures.
    CHECK(est.estimate_gas_premium(1, h.account(0), 0, {}).value() == chain::BigInt(200'000));
    CHECK(est.estimate_gas_premium(2, h.account(0), 0, {}).value() == chain::BigInt(150'000));
    CHECK(est.estimate_gas_premium(10, h.account(0), 0, {}).value() == chain::BigInt(100'000));

    // Fee cap: parent base fee * floor(1.125^20 * 256) / 256 + premium.
    const auto base_fee = h.svc->head().blocks().front().parent_base_fee;
    chain::Message m;
    m.from = h.account(0);
    m.to = h.account(1);
    m.value = 1;
    m.gas_premium = 7;
    CHECK(est.estimate_fee_cap(m, 20, {}).value() == base_fee * chain::BigInt(2699) / chain::BigInt(256) + chain::BigInt(7));

    // Gas limit: what the transfer uses, more than the on-chain cost.
    const auto used = est.estimate_gas_limit(m, {});
    REQUIRE(used.ok());
    const auto min = gas::on_chain_message(estimated_chain_length(m).value());
    CHECK(*used > min);
    CHECK(*used < 10'000'000);

    chain::Message blank = m;
    blank.gas_premium = 0;
    auto full = est.estimate_message_gas(blank, {}, {});
    REQUIRE(full.ok());
    CHECK(full->gas_limit == static_cast<std::int64_t>(static_cast<double>(*used) * 1.25));
    CHECK(full->gas_premium == chain::BigInt(100'000));
    CHECK(full->gas_fee_cap == base_fee * chain::BigInt(2699) / chain::BigInt(256) + chain::BigInt(100'000));

    // MaxFee caps the fee cap (and the premium with it).
    MessageSendSpec spec;
    spec.max_fee = chain::BigInt(full->gas_limit) * chain::BigInt(50);
    auto capped = est.estimate_message_gas(blank, spec, {}).value();
    CHECK(capped.gas_fee_cap == chain::BigInt(50));
    CHECK(capped.gas_premium == chain::BigInt(50));

    // A failing call reports the exit code.
    chain::Message too_much = m;
    too_much.value = chain::BigInt(5000) * chain::fil_precision();
    CHECK_THAT(est.estimate_gas_limit(too_much, {}).error().message, Contains("message execution failed (exit=["));

    // Premium from the chain: blocks with premium 1e6 messages.
    h.extend(h.svc->head(), 1, {{h.msg(0, 0, 1'000'000), h.msg(0, 1, 1'000'000)}}, 1);
    h.extend(h.svc->head(), 2, {{}}, 2);
    CHECK(est.estimate_gas_premium(1, h.account(0), 0, {}).value() == chain::BigInt(1'000'000));
}

TEST_CASE("gas: GasBatchEstimateMessageGas chains nonces and reports failures in place", "[unit][node][gas]") {
    PoolHarness h;
    GasEstimator est(*h.svc, *h.pool);
    est.set_noise([] { return 1.0; });
    const auto fil = chain::fil_precision();
    auto item = [&](chain::TokenAmount value, double over) {
        EstimateItem it;
        it.msg.from = h.account(0);
        it.msg.to = h.account(1);
        it.msg.value = std::move(value);
        it.spec.gas_over_estimation = over;
        it.spec.gas_over_premium = 2;
        return it;
    };
    // 600 FIL, then 600 FIL again (fails: the first already spent it), then 1 FIL.
    auto out = est.batch_estimate({item(chain::BigInt(600) * fil, 1.5), item(chain::BigInt(600) * fil, 1.5),
                                   item(chain::BigInt(1) * fil, 1.0)},
                                  0, {});
    REQUIRE(out.ok());
    REQUIRE(out->size() == 3);
    REQUIRE((*out)[0].msg);
    CHECK((*out)[0].msg->nonce == 0);
    CHECK((*out)[0].err.empty());
    CHECK((*out)[0].msg->gas_premium == chain::BigInt(200'000));  // 100000 × GasOverPremium 2
    CHECK_FALSE((*out)[1].msg);
    CHECK_THAT((*out)[1].err, Contains("message execution failed"));
    REQUIRE((*out)[2].msg);
    CHECK((*out)[2].msg->nonce == 1);
    const auto single = est.estimate_gas_limit(item(chain::BigInt(1) * fil, 1.0).msg, {}).value();
    CHECK((*out)[2].msg->gas_limit == single);
    const auto single600 = est.estimate_gas_limit(item(chain::BigInt(600) * fil, 1.0).msg, {}).value();
    CHECK((*out)[0].msg->gas_limit == static_cast<std::int64_t>(static_cast<double>(single600) * 1.5));
    CHECK_FALSE(est.batch_estimate({}, 0, {}).ok());
}

TEST_CASE("StateCall runs on the parent state and persists nothing", "[unit][node][gas]") {
    PoolHarness h;
    GasEstimator est(*h.svc, *h.pool);
    auto t1 = h.extend(h.svc->head(), 1, {{h.msg(0, 0)}}, 1);
    chain::Message m;
    m.from = h.account(0);
    m.to = h.account(1);
    m.value = 5;
    const auto before = h.svc->tipset_state(t1.key()).value();
    auto r = est.state_call(m, t1.key());
    REQUIRE(r.ok());
    CHECK(r->apply.receipt.exit_code == 0);
    CHECK(r->apply.receipt.gas_used > 0);
    CHECK(r->msg.gas_limit == h.svc->params().block_gas_limit);
    // ts's own message from the sender (nonce 0) ran first.
    CHECK(r->msg.nonce == 1);
    CHECK(r->msg_cid == r->msg.cid().value());
    CHECK(h.svc->tipset_state(t1.key()).value() == before);
    const auto json = invoc_result_json(*r).text;
    CHECK_THAT(json, Contains("\"MsgCid\"") && Contains("\"GasCost\"") && Contains("\"ExecutionTrace\"") &&
                         Contains("\"Duration\"") && Contains("\"Error\":\"\""));

    chain::Message fail = m;
    fail.value = chain::BigInt(5000) * chain::fil_precision();
    auto f = est.state_call(fail, t1.key());
    REQUIRE(f.ok());
    CHECK(f->apply.receipt.exit_code != 0);
    CHECK_FALSE(f->apply.error.empty());
}

TEST_CASE("MpoolPushMessage fills gas and nonce, signs with the wallet and pushes", "[unit][node][mpool]") {
    auto svc_h = std::make_unique<PoolHarness>();
    auto& h = *svc_h;
    MpoolApi api;
    api.node = std::shared_ptr<NodeService>(h.svc.get(), [](NodeService*) {});
    api.pool = std::move(h.pool);
    api.gas = std::make_unique<GasEstimator>(*h.svc, *api.pool);
    chain::Message m;
    m.from = h.account(0);
    m.to = h.account(1);
    m.value = 10;
    CHECK_THAT(api.push_message(m, {}).error().message, Contains("no wallet in this process"));
    auto wallet = std::make_shared<TemplateWallet>(h.tpl);
    api.wallet = [wallet] { return wallet; };
    auto first = api.push_message(m, {});
    REQUIRE(first.ok());
    CHECK(first->message.nonce == 0);
    CHECK(first->message.gas_limit > 0);
    CHECK(first->message.gas_fee_cap > first->message.gas_premium);
    CHECK(chain::verify_message(*first).value());
    auto second = api.push_message(m, {});
    REQUIRE(second.ok());
    CHECK(second->message.nonce == 1);
    CHECK(api.pool->size() == 2);
    m.nonce = 3;
    CHECK(api.push_message(m, {}).error().message == "MpoolPushMessage expects message nonce to be 0, was 3");
    m.nonce = 0;
    m.value = chain::BigInt(5000) * chain::fil_precision();
    CHECK_THAT(api.push_message(m, {}).error().message, Contains("failed"));
    api.gas.reset();
    api.pool.reset();
}

TEST_CASE("mpool RPC: MessageSendSpec accepts the Lotus and Venus fields", "[unit][node][mpool]") {
    auto doc = chain::parse_json(R"({"MaxFee":"1000","MsgUuid":"00000000-0000-0000-0000-000000000000",
                                     "MaximizeFeeCap":true,"GasOverEstimation":1.5,"GasOverPremium":2})")
                   .value();
    auto s = parse_send_spec(doc).value();
    CHECK(s.max_fee == chain::BigInt(1000));
    CHECK(s.gas_over_estimation == 1.5);
    CHECK(s.gas_over_premium == 2);
    CHECK(s.maximize_fee_cap);
    auto null_doc = chain::parse_json("null").value();
    CHECK(parse_send_spec(null_doc).value().max_fee.is_zero());
    auto bad = chain::parse_json(R"({"MaxFee":"-1"})").value();
    CHECK_FALSE(parse_send_spec(bad).ok());
    auto methods = mpool_methods(std::make_shared<MpoolApi>());
    for (const auto& spec : methods) {
        const bool expected_sign = spec.name == "Filecoin.MpoolPushMessage";
        CHECK((spec.perm == rpc::Perm::kSign) == expected_sign);
    }
}
