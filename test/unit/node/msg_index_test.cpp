// SPDX-License-Identifier: Apache-2.0 OR MIT
// The message index, StateSearchMsg and StateWaitMsg over chains built with the chain harness.
#include <catch2/catch.hpp>

#include "support/chain_harness.hpp"
#include "node/actors/codes.hpp"
#include "node/msg_search.hpp"
#include "node/state_reads.hpp"
#include "node/store/msg_index.hpp"

using namespace venus;
using namespace venus::plugins::node;
using venus::test::node::ChainHarness;

namespace {

struct Indexed : ChainHarness {
    std::unique_ptr<MsgIndex> index;
    std::unique_ptr<MsgSearch> search;

    Indexed() { open(); }
    void open() {
        auto* s = svc.get();
        index = MsgIndex::open(*env, *cs, [s](const TipSet& ts) { return s->tipset_messages(ts.key()); }).value();
        search = std::make_unique<MsgSearch>(*svc, *index);
    }
    void close() {
        search.reset();
        index.reset();
    }
    // What the index holds now must be what a build from scratch at the same head holds.
    void check_equals_rebuild() {
        auto before = index->dump();
        REQUIRE(before.ok());
        REQUIRE(index->rebuild().ok());
        auto after = index->dump();
        REQUIRE(after.ok());
        CHECK(*before == *after);
        CHECK(index->indexed_head().value().value() == svc->head().key());
    }
    std::optional<MsgLookup> find(const chain::TipSet& from, const chain::SignedMessage& m, std::int64_t limit = -1,
                                  bool allow = true) {
        auto r = search->search(from, m.cid().value(), MsgSearch::min_exec_height(from, limit), allow);
        REQUIRE(r.ok());
        return *r;
    }
    // Stores a message as a pool would, without including it.
    void store_only(const chain::SignedMessage& m) { REQUIRE(svc->put_messages(api::BlockContents{{}, {m}}).ok()); }
};

chain::SignedMessage resign(ChainHarness& h, std::size_t from, chain::Message m) {
    return chain::sign_message(h.tpl.accounts[from].key, m).value();
}

}  // namespace

TEST_CASE("msg index: applied tipsets index signed and unsigned CIDs with the executed position", "[unit][node]") {
    Indexed h;
    const auto g = h.svc->head();
    auto m0 = h.transfer(0, h.account(1), 10);
    auto m1 = h.transfer(0, h.account(1), 20);
    auto m2 = h.transfer(1, h.account(0), 30);
    auto t1 = h.extend(g, 1, {{m0, m1}, {m2}}, 1);
    auto t2 = h.extend(t1, 2, {{}}, 5);

    auto loc = h.index->find(m1.cid().value()).value();
    REQUIRE(loc);
    CHECK(loc->tipset == t1.key());
    CHECK(loc->height == 1);
    auto unsigned_loc = h.index->find(m1.message.cid().value()).value();
    REQUIRE(unsigned_loc);
    CHECK(unsigned_loc->index == loc->index);
    CHECK(h.index->find_by_nonce(h.account(0), 1).value().value() == m1.cid().value());
    // Account 1 has a BLS key: its message has one CID; the secp ones have two.
    CHECK(h.index->size().value() == 5);
    // The executed list orders the messages as ChainGetMessagesInTipset does.
    auto executed = h.svc->tipset_messages(t1.key()).value();
    CHECK(executed[loc->index].first == m1.cid().value());

    // Found from t2 (it executed t1), with the receipt from t2's ParentMessageReceipts.
    auto r = h.find(t2, m1);
    REQUIRE(r);
    CHECK(r->tipset.key() == t2.key());
    CHECK(r->height == 2);
    CHECK(r->message == m1.cid().value());
    CHECK(r->receipt.exit_code == 0);
    CHECK(r->receipt == h.svc->parent_receipts(t2.cids()[0]).value()[loc->index]);
    // From t1 the message is included but not executed yet.
    CHECK_FALSE(h.find(t1, m1));
    // The unsigned CID finds the same message.
    auto ru = h.search->search(t2, m1.message.cid().value(), 0, false);
    REQUIRE(ru.ok());
    REQUIRE(*ru);
    CHECK((*ru)->message == m1.cid().value());
    // A CID that is no stored message is null, not an error.
    auto unknown = h.transfer(0, h.account(1), 1);  // signed, never stored
    CHECK(h.search->search(t2, unknown.cid().value(), 0, true).value() == std::nullopt);
    // A stored block that is not a message is an error.
    CHECK_FALSE(h.search->search(t2, h.svc->genesis().value().cids()[0], 0, true).ok());
    h.check_equals_rebuild();
}

TEST_CASE("msg index: reverts remove, a reorg leaves what a fresh build holds, a restart catches up",
          "[unit][node]") {
    Indexed h;
    const auto g = h.svc->head();
    auto a_msg = h.transfer(0, h.account(1), 111);
    auto a1 = h.extend(g, 1, {{a_msg}}, 1);
    auto a2 = h.extend(a1, 2, {{h.transfer(0, h.account(1), 222)}}, 2);
    REQUIRE(h.svc->head().key() == a2.key());
    REQUIRE(h.index->find(a_msg.cid().value()).value());
    h.check_equals_rebuild();

    h.nonces[0] = 0;
    auto b_msg = h.transfer(0, h.account(1), 7);
    auto b1 = h.extend(g, 1, {{b_msg}, {}}, 50);
    auto b2 = h.extend(b1, 2, {{}, {}}, 60);
    auto b3 = h.extend(b2, 3, {{}}, 70);
    REQUIRE(h.svc->head().key() == b3.key());
    CHECK_FALSE(h.index->find(a_msg.cid().value()).value());
    CHECK(h.index->find(b_msg.cid().value()).value().value().tipset == b1.key());
    CHECK(h.index->find_by_nonce(h.account(0), 1).value() == std::nullopt);
    h.check_equals_rebuild();

    // From the abandoned fork's tip the fork's own message is still found (walking the fork).
    auto on_fork = h.find(a2, a_msg);
    REQUIRE(on_fork);
    CHECK(on_fork->tipset.key() == a2.key());
    // From the head, the sender's nonce 0 went to a different call: an error, as in Lotus.
    auto clash = h.search->search(b3, a_msg.cid().value(), 0, true);
    REQUIRE_FALSE(clash.ok());
    CHECK_THAT(clash.error().message, Catch::Contains("NOT a valid replacement"));
    CHECK(h.find(b3, b_msg).value().tipset.key() == b2.key());

    // Restart: the index is closed while the chain grows, then catches up on open.
    h.close();
    auto c_msg = h.transfer(0, h.account(1), 9);
    auto b4 = h.extend(b3, 4, {{c_msg}}, 80);
    auto b5 = h.extend(b4, 5, {{}}, 90);
    h.open();
    CHECK(h.index->indexed_head().value().value() == b5.key());
    CHECK(h.index->find(c_msg.cid().value()).value().value().height == 4);
    h.check_equals_rebuild();
}

TEST_CASE("msg index: a store without the index (or with another layout version) is indexed on open",
          "[unit][node]") {
    Indexed h;
    const auto g = h.svc->head();
    auto m = h.transfer(0, h.account(1), 1);
    h.extend(h.extend(g, 1, {{m}}, 1), 2, {{}}, 2);
    auto full = h.index->dump().value();
    h.close();
    // Forget the index as a store written before it existed would.
    auto meta = h.env->open_table(tables::kMsgIndexMeta).value();
    REQUIRE(h.env->write([&](storage::lmdb::WriteTxn& w) -> Status { return w.clear(meta); }).ok());
    h.open();
    CHECK(h.index->dump().value() == full);
    h.close();
    REQUIRE(h.env->write([&](storage::lmdb::WriteTxn& w) -> Status {
                     const auto v = storage::lmdb::be32(kMsgIndexVersion + 7);
                     return w.put(meta, as_bytes("version"), v);
                 }).ok());
    auto table = h.env->open_table(tables::kMsgIndex).value();
    REQUIRE(h.env->write([&](storage::lmdb::WriteTxn& w) -> Status { return w.clear(table); }).ok());
    h.open();
    CHECK(h.index->dump().value() == full);
}

TEST_CASE("StateSearchMsg: lookback limit and replaced messages follow Lotus", "[unit][node]") {
    Indexed h;
    auto g = h.svc->head();
    auto m = h.transfer(0, h.account(1), 10);
    auto t1 = h.extend(g, 1, {{m}}, 1);
    auto t = h.extend(t1, 2, {{}}, 2);  // executes t1
    for (int i = 3; i <= 6; ++i) t = h.extend(t, i, {{}}, static_cast<std::uint8_t>(i * 3));
    // Executed at height 2, searched from 6: needs a lookback of at least 5 epochs.
    CHECK(h.find(t, m, -1));
    CHECK(h.find(t, m, 5));
    CHECK_FALSE(h.find(t, m, 4));
    CHECK_FALSE(h.find(t, m, 0));
    auto t2 = h.svc->tipset_by_height(2, {}, true).value();
    CHECK(h.find(t2, m, 0));  // limit 0 still looks at `from` itself

    // A replacement (same call, higher premium) was included instead of the original.
    chain::Message orig = h.transfer(0, h.account(1), 55).message;
    chain::Message repl = orig;
    repl.gas_premium = 5000;
    auto s_orig = resign(h, 0, orig);
    auto s_repl = resign(h, 0, repl);
    h.store_only(s_orig);
    auto t7 = h.extend(t, 7, {{s_repl}}, 100);
    auto t8 = h.extend(t7, 8, {{}}, 101);
    auto r = h.find(t8, s_orig, -1, true);
    REQUIRE(r);
    CHECK(r->message == s_repl.cid().value());
    auto refused = h.search->search(t8, s_orig.cid().value(), 0, false);
    REQUIRE_FALSE(refused.ok());
    CHECK_THAT(refused.error().message, Catch::Contains("found message with equal nonce as the one we are looking for"));

    // A different call under the sought nonce is never a replacement.
    chain::Message other = h.transfer(0, h.account(1), 77).message;
    chain::Message different = other;
    different.value = 78;
    auto s_other = resign(h, 0, other);
    h.store_only(s_other);
    auto t9 = h.extend(t8, 9, {{resign(h, 0, different)}}, 102);
    auto t10 = h.extend(t9, 10, {{}}, 103);
    auto bad = h.search->search(t10, s_other.cid().value(), 0, true);
    REQUIRE_FALSE(bad.ok());
    CHECK_THAT(bad.error().message, Catch::Contains("NOT a valid replacement message"));
}

TEST_CASE("StateWaitMsg: answers once the message is confidence deep, follows reorgs, cancels", "[unit][node]") {
    Indexed h;
    const auto g = h.svc->head();
    auto m = h.transfer(0, h.account(1), 10);
    h.store_only(m);
    std::optional<Result<MsgLookup>> got;
    h.search->wait(m.cid().value(), 2, -1, true, [&](Result<MsgLookup> r) { got = std::move(r); });
    CHECK(h.search->waiting() == 1);

    auto a1 = h.extend(g, 1, {{m}}, 1);
    auto a2 = h.extend(a1, 2, {{}}, 2);  // executes m
    auto a3 = h.extend(a2, 3, {{}}, 3);
    CHECK_FALSE(got);  // 1 deep
    // A heavier fork without m replaces a1..a3: m is no longer executed on the head's chain.
    h.nonces[0] = 0;
    auto b1 = h.extend(g, 1, {{}, {}}, 50);
    auto b2 = h.extend(b1, 2, {{}, {}}, 51);
    auto b3 = h.extend(b2, 3, {{}, {}}, 52);
    auto b4 = h.extend(b3, 4, {{}}, 53);
    REQUIRE(h.svc->head().key() == b4.key());
    CHECK_FALSE(got);
    // The fork includes m at 5; executed at 6; 2 deep at 8.
    auto b5 = h.extend(b4, 5, {{m}}, 54);
    auto b6 = h.extend(b5, 6, {{}}, 55);
    auto b7 = h.extend(b6, 7, {{}}, 56);
    CHECK_FALSE(got);
    h.extend(b7, 8, {{}}, 57);
    REQUIRE(got);
    REQUIRE(got->ok());
    CHECK((*got)->tipset.key() == b6.key());
    CHECK((*got)->height == 6);
    CHECK(h.search->waiting() == 0);
    (void)a3;

    // Already deep enough: answered at once. Cancel ends a pending wait with an error.
    std::optional<Result<MsgLookup>> now;
    h.search->wait(m.cid().value(), 0, -1, true, [&](Result<MsgLookup> r) { now = std::move(r); });
    REQUIRE(now);
    CHECK(now->ok());
    std::optional<Result<MsgLookup>> cancelled;
    auto never = h.transfer(1, h.account(0), 1);
    h.store_only(never);
    auto id = h.search->wait(never.cid().value(), 0, -1, true, [&](Result<MsgLookup> r) { cancelled = std::move(r); });
    CHECK_FALSE(cancelled);
    h.search->cancel(id);
    REQUIRE(cancelled);
    CHECK_FALSE(cancelled->ok());
    CHECK(h.search->waiting() == 0);
}

TEST_CASE("state reads: robust address, actor list, read state, chain message", "[unit][node]") {
    ChainHarness h;
    const auto g = h.svc->head();
    auto acct_id = h.svc->lookup_id(h.account(0), g.key()).value().value();
    CHECK(lookup_robust_address(*h.svc, acct_id, g.key()).value() == h.account(0));
    CHECK_FALSE(lookup_robust_address(*h.svc, h.account(0), g.key()).ok());
    auto missing = lookup_robust_address(*h.svc, chain::Address::new_id(4242).value(), g.key());
    REQUIRE_FALSE(missing.ok());
    CHECK_THAT(missing.error().message, Catch::Contains("not found"));

    auto actors = list_actors(*h.svc, g.key()).value();
    CHECK(std::find(actors.begin(), actors.end(), acct_id) != actors.end());
    CHECK(std::find(actors.begin(), actors.end(), h.miner(0)) != actors.end());
    CHECK(std::is_sorted(actors.begin(), actors.end()));

    auto acct = read_state_json(*h.svc, h.account(0), g.key()).value();
    CHECK_THAT(acct, Catch::Contains("\"State\":{\"Address\":\"" + h.account(0).to_string() + "\"}"));
    auto init = read_state_json(*h.svc, chain::Address::new_id(1).value(), g.key()).value();
    CHECK_THAT(init, Catch::Contains("\"NetworkName\":\"" + h.svc->network().name + "\""));
    auto miner = read_state_json(*h.svc, h.miner(0), g.key()).value();
    CHECK_THAT(miner, Catch::Contains("\"DeadlineCronActive\""));
    CHECK_FALSE(read_state_json(*h.svc, chain::Address::new_id(4242).value(), g.key()).ok());

    auto m = h.transfer(0, h.account(1), 3);
    REQUIRE(h.svc->put_messages(api::BlockContents{{}, {m}}).ok());
    CHECK(load_chain_message(*h.svc, m.cid().value()).value() == m.message);
    CHECK(load_chain_message(*h.svc, m.message.cid().value()).ok() == false);  // only the signed form is stored
    CHECK_FALSE(load_chain_message(*h.svc, g.cids()[0]).ok());
}

TEST_CASE("ChainGetTipSetAfterHeight gives the tipset above a null round, ByHeight the one below", "[unit][node]") {
    ChainHarness h;
    const auto g = h.svc->head();
    auto t1 = h.extend(g, 1, {{}}, 1);
    auto t3 = h.extend(t1, 3, {{}}, 3);  // 2 is a null round
    CHECK(h.svc->tipset_by_height(2, {}, false).value().key() == t3.key());
    CHECK(h.svc->tipset_by_height(2, {}, true).value().key() == t1.key());
    CHECK(h.svc->tipset_by_height(1, {}, false).value().key() == t1.key());
    CHECK(h.svc->tipset_by_height(3, t3.key(), false).value().key() == t3.key());
    auto above = h.svc->tipset_by_height(4, t3.key(), false);
    REQUIRE_FALSE(above.ok());
    CHECK_THAT(above.error().message, Catch::Contains("greater than start point"));
    // ChainGetPath from t3 down to t1: one revert (t3), nothing to apply.
    auto path = h.cs->path(t3, t1).value();
    REQUIRE(path.size() == 1);
    CHECK(path[0].type == HeadChange::Type::kRevert);
    CHECK(path[0].tipset.key() == t3.key());
}

TEST_CASE("StateSearchMsg: ReturnDec of an init Exec is {IDAddress, RobustAddress}", "[unit][node]") {
    Indexed h;
    Bytes ctor;
    chain::CborWriter cw(ctor);
    cw.write_array_header(4);
    cw.write_array_header(1);
    REQUIRE(chain::write_address(cw, h.account(0)).ok());
    cw.write_uint(1);
    cw.write_int(0);
    cw.write_int(0);
    Bytes exec;
    chain::CborWriter ew(exec);
    ew.write_array_header(2);
    ew.write_cid(actor_code(ActorType::kMultisig));
    ew.write_bytes(ctor);
    chain::Message m;
    m.from = h.account(0);
    m.to = chain::Address::new_id(id::kInit).value();
    m.nonce = h.nonces[0]++;
    m.value = 5;
    m.gas_limit = 100'000'000;
    m.gas_fee_cap = 300'000'000;
    m.gas_premium = 1000;
    m.method = method::init::kExec;
    m.params = exec;
    auto sm = resign(h, 0, m);
    auto t1 = h.extend(h.svc->head(), 1, {{sm}}, 1);
    auto t2 = h.extend(t1, 2, {{}}, 2);
    auto r = h.find(t2, sm);
    REQUIRE(r);
    REQUIRE(r->receipt.exit_code == 0);
    const auto dec = decode_return_json(*h.svc, r->vm_message, r->tipset.key(), r->receipt.return_value);
    CHECK_THAT(dec, Catch::StartsWith("{\"IDAddress\":\"t0"));
    CHECK_THAT(dec, Catch::Contains("\"RobustAddress\":\"t2"));
    // Propose on the 1-of-1 multisig applies at once: ProposeReturn.
    const auto msig = chain::Address::parse(dec.substr(14, dec.find('"', 14) - 14)).value();
    Bytes prop;
    chain::CborWriter pw(prop);
    pw.write_array_header(4);
    REQUIRE(chain::write_address(pw, h.account(1)).ok());
    REQUIRE(chain::write_bigint(pw, chain::BigInt(2)).ok());
    pw.write_uint(0);
    pw.write_bytes({});
    chain::Message p = m;
    p.to = msig;
    p.nonce = h.nonces[0]++;
    p.value = 0;
    p.method = method::multisig::kPropose;
    p.params = prop;
    auto sp = resign(h, 0, p);
    auto t3 = h.extend(t2, 3, {{sp}}, 3);
    auto t4 = h.extend(t3, 4, {{}}, 4);
    auto rp = h.find(t4, sp);
    REQUIRE(rp);
    REQUIRE(rp->receipt.exit_code == 0);
    CHECK(decode_return_json(*h.svc, rp->vm_message, rp->tipset.key(), rp->receipt.return_value) ==
          "{\"TxnID\":0,\"Applied\":true,\"Code\":0,\"Ret\":null}");
    // A plain transfer returns nothing: null.
    CHECK(decode_return_json(*h.svc, h.transfer(0, h.account(1), 1).message, t2.key(), {}) == "null");
}
