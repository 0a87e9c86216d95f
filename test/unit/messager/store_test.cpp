// SPDX-License-Identifier: Apache-2.0 OR MIT
// The messager store: migrations run once, messages round-trip every column, ids are unique, the
// selection write is all-or-nothing and refuses rows that left UnFill, head processing marks
// OnChain / NonceConflict and reverts.
#include <catch2/catch.hpp>

#include "store/messager_store.hpp"
#include "support/fixtures.hpp"
#include "venus/chain/keys.hpp"
#include "venus/storage/sqlite.hpp"

using namespace venus;
using namespace venus::plugins::messager;

namespace {

chain::Address key_addr() { return chain::key_address(chain::generate_key(chain::SigType::kSecp256k1).value()).value(); }

Message make(const std::string& id, const chain::Address& from) {
    Message m;
    m.id = id;
    m.msg.from = from;
    m.msg.to = chain::Address::new_id(1001).value();
    m.msg.value = chain::BigInt(12345);
    m.msg.method = 2;
    m.msg.params = Bytes{1, 2, 3};
    m.meta.max_fee = chain::BigInt(777);
    m.meta.gas_over_estimation = 1.5;
    m.wallet_name = "alice";
    m.created_at = m.updated_at = now_us();
    return m;
}

// Fills `msgs` as a selection round would: consecutive nonces from 0, a signature, both CIDs.
FillResult signed_round(const chain::Address& from, std::vector<Message> msgs) {
    FillResult r{from.to_string(), 0, {}, {}};
    for (auto& m : msgs) {
        m.msg.nonce = r.next_nonce++;
        m.signature = chain::Signature{chain::SigType::kSecp256k1, Bytes(65, 7)};
        m.unsigned_cid = m.msg.cid().value();
        m.signed_cid = m.signed_message().cid().value();
        r.filled.push_back(m);
    }
    return r;
}

}  // namespace

TEST_CASE("messager store: schema, round trip, unique ids", "[unit][messager]") {
    test::TempDir dir;
    auto db = storage::sqlite::open(dir.path() / "messager.db").value();
    auto store = MessagerStore::open(*db).value();
    CHECK(storage::schema_version(*db, "messager").value() == static_cast<std::int64_t>(messager_migrations().size()));
    auto again = MessagerStore::open(*db);
    REQUIRE(again.ok());

    auto shared = store->shared().value();
    CHECK(shared.sel_msg_num == 20);
    CHECK(shared.fee.gas_over_estimation == 1.25);
    CHECK(shared.fee.max_fee.to_string() == "70000000000000000");

    const auto from = key_addr();
    auto m = make("id-1", from);
    REQUIRE(store->insert_message(m).ok());
    auto dup = store->insert_message(m);
    REQUIRE_FALSE(dup.ok());
    CHECK(dup.error().code == make_error_code(Errc::kAlreadyExists));

    auto got = store->get_message("id-1").value();
    REQUIRE(got);
    CHECK(got->msg == m.msg);
    CHECK(got->meta.max_fee == m.meta.max_fee);
    CHECK(got->meta.gas_over_estimation == 1.5);
    CHECK(got->wallet_name == "alice");
    CHECK(got->state == MsgState::kUnFill);
    CHECK(got->receipt.exit_code == -1);
    CHECK_FALSE(store->get_message("nope").value());

    // The first push creates the address row (nonce 0, alive).
    auto a = store->get_address(from.to_string()).value();
    REQUIRE(a);
    CHECK(a->nonce == 0);
    CHECK(a->active());
}

TEST_CASE("messager store: a round saved at once keeps each address all-or-nothing", "[unit][messager]") {
    test::TempDir dir;
    auto db = storage::sqlite::open(dir.path() / "messager.db").value();
    auto store = MessagerStore::open(*db).value();
    const auto a = key_addr();
    const auto b = key_addr();
    for (int i = 0; i < 2; ++i) {
        REQUIRE(store->insert_message(make("a" + std::to_string(i), a)).ok());
        REQUIRE(store->insert_message(make("b" + std::to_string(i), b)).ok());
    }
    auto round_of = [&](const chain::Address& from) { return signed_round(from, store->unfilled(from.to_string(), 10).value()); };
    const auto ra = round_of(a);
    const auto rb = round_of(b);
    REQUIRE(store->set_state("b1", MsgState::kFailed).value());  // marked bad while b's batch was signed
    auto saved = store->save_fills({ra, rb});
    REQUIRE(saved.ok());
    REQUIRE(saved->size() == 2);
    CHECK((*saved)[0].ok());
    CHECK_FALSE((*saved)[1].ok());
    CHECK(store->get_address(a.to_string()).value()->nonce == 2);  // a's part committed
    CHECK(store->get_message("a0").value()->state == MsgState::kFill);
    CHECK(store->get_address(b.to_string()).value()->nonce == 0);  // b's part rolled back, nonce unused
    CHECK(store->get_message("b0").value()->state == MsgState::kUnFill);
}

TEST_CASE("messager store: fill is one transaction guarded on UnFill", "[unit][messager]") {
    test::TempDir dir;
    auto db = storage::sqlite::open(dir.path() / "messager.db").value();
    auto store = MessagerStore::open(*db).value();
    const auto from = key_addr();
    for (int i = 0; i < 3; ++i) REQUIRE(store->insert_message(make("m" + std::to_string(i), from)).ok());
    auto un = store->unfilled(from.to_string(), 10).value();
    REQUIRE(un.size() == 3);
    CHECK(un[0].id == "m2");  // newest first

    auto fill = [&](std::vector<Message> v) { return signed_round(from, std::move(v)); };
    // A row marked bad meanwhile: nothing of the round is written, the nonce is not consumed.
    REQUIRE(store->set_state("m1", MsgState::kFailed).value());
    auto r = fill(un);
    r.errors.emplace_back("m0", "gas estimate: x");
    auto st = store->save_fill(r);
    REQUIRE_FALSE(st.ok());
    CHECK(store->get_address(from.to_string()).value()->nonce == 0);
    CHECK(store->get_message("m2").value()->state == MsgState::kUnFill);
    CHECK(store->get_message("m0").value()->error_msg.empty());

    auto r2 = fill({un[0], un[2]});
    REQUIRE(store->save_fill(r2).ok());
    CHECK(store->get_address(from.to_string()).value()->nonce == 2);
    auto m2 = store->get_message("m2").value();
    CHECK(m2->state == MsgState::kFill);
    CHECK(m2->msg.nonce == 0);
    CHECK(m2->signature == r2.filled[0].signature);
    CHECK(store->by_cid(*m2->signed_cid, true).value()->id == "m2");
    CHECK(store->by_from_nonce(from.to_string(), 1).value()->id == "m0");
    CHECK(store->max_used_nonce(from.to_string()).value() == std::optional<std::uint64_t>(1));

    // Head processing: same CID → OnChain with receipt; another CID with the same nonce → conflict.
    Landed on{from.to_string(), 0, *m2->signed_cid, Receipt{0, Bytes{9}, 500}, 10, R"([{"/":"x"}])"};
    Landed other{from.to_string(), 1, *m2->unsigned_cid, Receipt{0, {}, 1}, 10, R"([{"/":"x"}])"};
    auto all = [](const std::string&) { return true; };
    auto h = store->apply_head({}, {on, other}, all).value();
    CHECK(h.on_chain_ids == std::vector<std::string>{"m2"});
    CHECK(h.conflicts == 1);
    auto landed = store->get_message("m2").value();
    CHECK(landed->state == MsgState::kOnChain);
    CHECK(landed->height == 10);
    CHECK(landed->receipt.gas_used == 500);
    CHECK(landed->receipt.return_value == Bytes{9});
    CHECK(store->get_message("m0").value()->state == MsgState::kNonceConflict);
    // Revert of that tipset: both back to FillMsg, receipts cleared.
    CHECK(store->apply_head({{9, R"([{"/":"x"}])"}}, {}, all).value().reverted == 0);  // other height
    auto rv = store->apply_head({{10, R"([{"/":"x"}])"}}, {}, all).value();
    CHECK(rv.reverted == 2);
    landed = store->get_message("m2").value();
    CHECK(landed->state == MsgState::kFill);
    CHECK(landed->height == 0);
    CHECK(landed->receipt.exit_code == -1);

    // Lists by state and sender.
    MsgQuery q;
    q.states = {MsgState::kFill};
    CHECK(store->list(q).value().size() == 2);
    q.from = {key_addr().to_string()};
    CHECK(store->list(q).value().empty());
    CHECK(store->fail_unfilled(from.to_string()).value() == 0);
    CHECK(store->recover_failed(from.to_string(), 0).value().empty());  // m1 was never signed
}

TEST_CASE("messager store: states, addresses, nodes, actor config", "[unit][messager]") {
    CHECK_FALSE(parse_state(0).ok());
    CHECK_FALSE(parse_state(6).ok());
    CHECK(parse_state(5).value() == MsgState::kNonceConflict);
    test::TempDir dir;
    auto db = storage::sqlite::open(dir.path() / "messager.db").value();
    auto store = MessagerStore::open(*db).value();
    const auto from = key_addr();
    REQUIRE(store->insert_message(make("x", from)).ok());
    const auto a = from.to_string();
    CHECK(store->set_address_state(a, AddrState::kForbidden).value());
    CHECK_FALSE(store->get_address(a).value()->active());
    CHECK(store->set_sel_msg_num(a, 7).value());
    FeeSpec f;
    f.base_fee = chain::BigInt(99);
    f.gas_over_premium = 2;
    CHECK(store->set_address_fee(a, f).value());
    auto row = store->get_address(a).value();
    CHECK(row->sel_msg_num == 7);
    CHECK(row->fee.base_fee == chain::BigInt(99));
    CHECK(row->fee.gas_over_premium == 2);
    CHECK_FALSE(store->set_sel_msg_num("t1nope", 1).value());

    Node n{"n1", "backup", "/ip4/127.0.0.1/tcp/1234", "tok", 1, 1, 1};
    REQUIRE(store->save_node(n).ok());
    n.id = "n2";
    CHECK(store->save_node(n).error().code == make_error_code(Errc::kAlreadyExists));
    CHECK(store->list_nodes().value().size() == 1);
    CHECK(store->delete_node("backup").value());
    CHECK_FALSE(store->get_node("backup").value());
    REQUIRE(store->save_node(n).ok());  // the name is free again

    ActorCfg c{"c1", 16, "bafk2bzacecode", 5, f, 1, 1};
    REQUIRE(store->save_actor_cfg(c).ok());
    c.id = "c2";
    CHECK(store->save_actor_cfg(c).error().code == make_error_code(Errc::kAlreadyExists));
    CHECK(store->get_actor_cfg("c1").value()->method == 5);
    CHECK(store->delete_address(a).value());
    CHECK_FALSE(store->get_address(a).value());
}
