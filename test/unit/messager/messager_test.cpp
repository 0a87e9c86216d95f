// SPDX-License-Identifier: Apache-2.0 OR MIT
// The messager over a real devnet chain (ChainHarness) with a fake pool, estimator, gateway and auth:
// push checks (signer ownership, bad input), one selection round (newest first, nonces from the
// chain, estimate and sign failures recorded without blocking), receipts on chain, a reorg back to
// FillMsg and on chain again, a nonce conflict, and replace --auto.
#include <catch2/catch.hpp>

#include "fakes.hpp"
#include "messager.hpp"
#include "rpc_methods.hpp"
#include "venus/storage/sqlite.hpp"

using namespace venus;
using namespace venus::test::messager;

namespace {

struct Fixture {
    test::node::ChainHarness chain{2};
    FakeNode node{chain};
    std::shared_ptr<FakeGateway> gateway = std::make_shared<FakeGateway>();
    std::shared_ptr<FakeAuth> auth = std::make_shared<FakeAuth>();
    test::TempDir dir;
    std::unique_ptr<storage::SqlDatabase> db = storage::sqlite::open(dir.path() / "messager.db").value();
    std::unique_ptr<MessagerStore> store = MessagerStore::open(*db).value();
    std::shared_ptr<Messager> m;
    chain::Address a0 = chain.account(0);  // secp, alice's
    chain::Address a1 = chain.account(1);  // bls, bob's
    rpc::Claims alice{"alice", rpc::Perm::kWrite, ""};
    rpc::Claims bob{"bob", rpc::Perm::kWrite, ""};
    rpc::Claims admin{"", rpc::Perm::kAdmin, ""};

    Fixture() {
        gateway->add(chain.tpl.accounts[0].key, "alice");
        gateway->add(chain.tpl.accounts[1].key, "bob");
        auth->bind("alice", a0.to_string());
        auth->bind("bob", a1.to_string());
        Settings s;
        s.republish_interval = std::chrono::milliseconds(1);
        s.sign_timeout = std::chrono::seconds(5);
        m = std::make_shared<Messager>(*store, NodeLink(node.caller()), gateway, auth, s);
    }

    chain::Message msg(const chain::Address& from, const chain::Address& to, std::int64_t value = 1) {
        chain::Message x;
        x.from = from;
        x.to = to;
        x.value = chain::BigInt(value);
        return x;
    }
    Message get(const std::string& id) { return m->get(id).value(); }
    chain::TipSet mine(const chain::TipSet& parent, std::uint8_t tag) {
        return chain.extend(parent, parent.height() + 1, {node.take_pool()}, tag);
    }
    std::int64_t count() { return static_cast<std::int64_t>(store->list(MsgQuery{}).value().size()); }
};

}  // namespace

TEST_CASE("messager: push checks owners and input, writes nothing on error", "[unit][messager]") {
    Fixture f;
    auto id = f.m->push(f.alice, "", f.msg(f.a0, f.a1), {});
    REQUIRE(id.ok());
    CHECK(f.get(*id).state == MsgState::kUnFill);
    CHECK(f.get(*id).wallet_name == "alice");
    // sophon-messager PR #314: a user cannot push from another user's signer.
    auto other = f.m->push(f.alice, "", f.msg(f.a1, f.a0), {});
    REQUIRE_FALSE(other.ok());
    CHECK(other.error().code == make_error_code(Errc::kPermissionDenied));
    CHECK_THAT(other.error().message, Catch::Contains("does not belong to user alice"));
    auto bad = f.msg(f.a0, f.a1, -5);
    CHECK_THAT(f.m->push(f.alice, "", bad, {}).error().message, Catch::Contains("Value cannot be negative"));
    auto big = f.msg(f.a0, f.a1);
    big.params.assign(kMaxParamsBytes + 1, 1);
    CHECK_THAT(f.m->push(f.alice, "", big, {}).error().message, Catch::Contains("the limit is 65536"));
    auto dup = f.m->push(f.alice, *id, f.msg(f.a0, f.a1), {});
    CHECK(dup.error().code == make_error_code(Errc::kAlreadyExists));
    CHECK(f.count() == 1);
    // Forbidden addresses take no new messages.
    REQUIRE(f.store->set_address_state(f.a0.to_string(), AddrState::kForbidden).value());
    CHECK_THAT(f.m->push(f.alice, "", f.msg(f.a0, f.a1), {}).error().message, Catch::Contains("forbidden"));
    CHECK(f.count() == 1);
    CHECK(f.m->get("missing").error().code == make_error_code(Errc::kNotFound));
}

TEST_CASE("messager: selection, receipts, reorg, conflict, replace", "[unit][messager]") {
    Fixture f;
    const auto bad_to = chain::Address::new_id(99999).value();
    f.node.bad_to.insert(bad_to.to_string());
    std::vector<std::string> ids;
    for (int i = 0; i < 3; ++i) ids.push_back(f.m->push(f.alice, "", f.msg(f.a0, f.a1, 10 + i), {}).value());
    const auto bad_id = f.m->push(f.alice, "bad-to", f.msg(f.a0, bad_to), {}).value();
    const auto bob_id = f.m->push(f.bob, "", f.msg(f.a1, f.a0), {}).value();
    const auto stranger = chain::key_address(chain::generate_key(chain::SigType::kSecp256k1).value()).value();
    const auto stranger_id = f.m->push(f.admin, "", f.msg(stranger, f.a0), {}).value();

    auto head = f.chain.svc->head();
    REQUIRE(f.m->process_head(head).ok());
    REQUIRE(f.m->select(head).ok());
    CHECK(f.node.estimate_calls == 2);  // one batch per address with a wallet (the stranger has no user)
    // Newest first (venus#5675): the last pushed good message takes nonce 0.
    CHECK(f.get(ids[2]).msg.nonce == 0);
    CHECK(f.get(ids[1]).msg.nonce == 1);
    CHECK(f.get(ids[0]).msg.nonce == 2);
    for (const auto& id : ids) {
        auto x = f.get(id);
        CHECK(x.state == MsgState::kFill);
        CHECK(x.error_msg.empty());
        CHECK(chain::verify_message(x.signed_message()).value());
        CHECK(x.msg.gas_limit == 10'000'000);
    }
    CHECK(f.get(bob_id).state == MsgState::kFill);  // BLS signer
    auto bad = f.get(bad_id);
    CHECK(bad.state == MsgState::kUnFill);
    CHECK_THAT(bad.error_msg, Catch::Contains("gas estimate: actor not found"));
    auto lone = f.get(stranger_id);
    CHECK(lone.state == MsgState::kUnFill);
    CHECK_THAT(lone.error_msg, Catch::Contains("bound to no user"));
    CHECK(f.store->get_address(f.a0.to_string()).value()->nonce == 3);
    CHECK(f.node.pool.size() == 4);

    // The messages land; their receipts arrive with the next tipset.
    auto t1 = f.mine(head, 1);
    REQUIRE(f.m->process_head(t1).ok());
    auto t2 = f.mine(t1, 2);
    REQUIRE(f.m->process_head(t2).ok());
    for (const auto& id : ids) {
        auto x = f.get(id);
        CHECK(x.state == MsgState::kOnChain);
        CHECK(x.height == 1);
        CHECK(x.receipt.exit_code == 0);
        CHECK(x.tipset_key == chain::to_json_string(t1.key()));
    }
    CHECK(f.get(bob_id).state == MsgState::kOnChain);
    REQUIRE(f.m->select(t2).ok());
    CHECK(f.get(bad_id).state == MsgState::kUnFill);  // still failing, blocking nobody

    // A heavier fork from genesis drops t1: back to FillMsg, pushed again, on chain again.
    auto f1 = f.chain.extend(head, 1, {{}}, 50);
    auto f2 = f.chain.extend(f1, 2, {{}}, 51);
    auto f3 = f.chain.extend(f2, 3, {{}}, 52);
    REQUIRE(f.chain.svc->head().key() == f3.key());
    {
        // As seen by a messager restarted after the reorg (no processed tipsets in memory): the
        // landed messages' tipset is no longer on chain.
        Messager restarted(*f.store, NodeLink(f.node.caller()), f.gateway, f.auth, Settings{});
        REQUIRE(restarted.process_head(f3).ok());
        for (const auto& id : ids) CHECK(f.get(id).state == MsgState::kFill);
        CHECK(restarted.counters().reverted.load() == 4);
    }
    REQUIRE(f.m->process_head(f3).ok());
    for (const auto& id : ids) CHECK(f.get(id).state == MsgState::kFill);
    REQUIRE(f.m->select(f3).ok());
    CHECK(f.node.pool.size() == 4);  // re-pushed with the same signatures
    auto f4 = f.mine(f3, 53);
    auto f5 = f.mine(f4, 54);
    REQUIRE(f.m->process_head(f5).ok());
    for (const auto& id : ids) CHECK(f.get(id).state == MsgState::kOnChain);
    CHECK(f.get(ids[0]).height == 4);

    // Another message takes the nonce the messager assigned: NonceConflictMsg.
    const auto next = f.m->push(f.alice, "", f.msg(f.a0, f.a1, 77), {}).value();
    REQUIRE(f.m->select(f5).ok());
    CHECK(f.get(next).msg.nonce == 3);
    f.node.take_pool();
    f.chain.nonces[0] = 3;
    auto rogue = f.chain.transfer(0, f.a1, chain::BigInt(1));
    auto f6 = f.chain.extend(f5, 6, {{rogue}}, 55);
    auto f7 = f.chain.extend(f6, 7, {{}}, 56);
    REQUIRE(f.m->process_head(f7).ok());
    auto conflict = f.get(next);
    CHECK(conflict.state == MsgState::kNonceConflict);
    CHECK(conflict.height == 6);

    // replace --auto: a new signature with at least the pool's bump, one row for the nonce.
    const auto stuck = f.m->push(f.alice, "", f.msg(f.a0, f.a1, 5), {}).value();
    REQUIRE(f.m->select(f7).ok());
    auto before = f.get(stuck);
    REQUIRE(before.state == MsgState::kFill);
    CHECK(before.msg.nonce == 4);
    ReplaceParams rp;
    rp.id = stuck;
    rp.automatic = true;
    auto cid = f.m->replace(rp);
    REQUIRE(cid.ok());
    auto after = f.get(stuck);
    CHECK(after.signed_cid->to_string() == *cid);
    CHECK(after.signed_cid != before.signed_cid);
    CHECK(after.msg.gas_premium == chain::BigInt(1500));  // max(estimate 1500, 1000 × 125% + 1)
    CHECK(after.msg.nonce == 4);
    CHECK(chain::verify_message(after.signed_message()).value());
    MsgQuery q;
    q.from = {f.a0.to_string()};
    int with_nonce4 = 0;
    const auto rows = f.store->list(q).value();
    for (const auto& x : rows) with_nonce4 += x.state == MsgState::kFill && x.msg.nonce == 4;
    CHECK(with_nonce4 == 1);
    CHECK(f.node.pool.at({f.a0.to_string(), 4}).message.gas_premium == chain::BigInt(1500));
    ReplaceParams manual;
    manual.id = stuck;
    CHECK_THAT(f.m->replace(manual).error().message, Catch::Contains("must be given"));
    rp.id = ids[0];
    CHECK_THAT(f.m->replace(rp).error().message, Catch::Contains("already on chain"));

    // clear-unfill marks the failing one Failed; mark-bad; recover-failed-msg for a signed one.
    CHECK(f.m->clear_unfill(f.a0.to_string()).value() == 1);
    CHECK(f.get(bad_id).state == MsgState::kFailed);
    REQUIRE(f.store->set_state(stuck, MsgState::kFailed).value());
    auto rec = f.m->recover_failed(f.a0.to_string()).value();
    CHECK(rec == std::vector<std::string>{stuck});
    CHECK(f.get(stuck).state == MsgState::kFill);
}

// ---- the Message.* table ----------------------------------------------------------------------

namespace {

struct Rpc {
    std::vector<rpc::MethodSpec> methods;
    Result<rpc::RawJson> call(const std::string& name, const std::string& params, rpc::Claims claims) {
        const rpc::MethodSpec* spec = nullptr;
        for (const auto& m : methods) {
            if (m.name == "Message." + name) spec = &m;
        }
        if (!spec) return make_error(Errc::kNotFound, "no method {}", name);
        rpc::JsonDocument p;
        VENUS_TRY_VOID(rpc::parse_json(params, p));
        const auto n = static_cast<int>(p.Size());
        if (n < spec->min_params || n > spec->max_params) return make_error(Errc::kInvalidArgument, "param count");
        if (!rpc::allows(claims.perm, spec->perm)) return make_error(Errc::kPermissionDenied, "permission");
        rpc::CallContext ctx;
        ctx.claims = std::move(claims);
        ctx.method = spec->name;
        auto done = std::make_shared<std::promise<Result<rpc::RawJson>>>();
        auto f = done->get_future();
        spec->handler(ctx, p, rpc::Reply([done](Result<rpc::RawJson> r, std::shared_ptr<rpc::Channel>,
                                                std::optional<rpc::RpcError>) { done->set_value(std::move(r)); }));
        REQUIRE(f.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
        return f.get();
    }
};

}  // namespace

TEST_CASE("messager rpc: permissions as venus-shared, bad input answered and nothing written", "[unit][messager]") {
    Fixture f;
    Rpc r{plugins::messager::messager_methods(f.m, f.auth, f.gateway)};
    std::map<std::string, rpc::Perm> perms;
    for (const auto& m : r.methods) perms[m.name] = m.perm;
    CHECK(perms.size() == r.methods.size());  // no name twice
    CHECK(perms.at("Message.PushMessage") == rpc::Perm::kWrite);
    CHECK(perms.at("Message.GetMessageByUid") == rpc::Perm::kRead);
    CHECK(perms.at("Message.ListMessageByFromState") == rpc::Perm::kAdmin);
    CHECK(perms.at("Message.SetSharedParams") == rpc::Perm::kAdmin);
    CHECK(perms.at("Message.RepublishMessage") == rpc::Perm::kAdmin);
    CHECK(perms.at("Message.UpdateNonce") == rpc::Perm::kAdmin);
    CHECK(perms.at("Message.MarkBadMessage") == rpc::Perm::kWrite);
    CHECK(perms.at("Message.ReplaceMessage") == rpc::Perm::kWrite);
    CHECK(perms.at("Message.SaveNode") == rpc::Perm::kAdmin);

    const auto msg = [&](const std::string& value, const std::string& params = "null") {
        return R"({"Version":0,"To":")" + f.a1.to_string() + R"(","From":")" + f.a0.to_string() + R"(","Nonce":0,"Value":")" +
               value + R"(","GasLimit":0,"GasFeeCap":"0","GasPremium":"0","Method":0,"Params":)" + params + "}";
    };
    auto ok = r.call("PushMessage", "[" + msg("5") + ", null]", f.alice);
    REQUIRE(ok);
    const std::string id = ok->text;  // the JSON string, as a param
    rpc::JsonDocument idv;
    REQUIRE(rpc::parse_json(id, idv).ok());
    REQUIRE(idv.IsString());
    CHECK_THAT(r.call("PushMessage", "[" + msg("-5") + ", null]", f.alice).error().message, Catch::Contains("negative"));
    CHECK_THAT(r.call("PushMessage", R"([{"From": 5}, null])", f.alice).error().message, Catch::Contains("param 0"));
    CHECK_THAT(r.call("PushMessage", "[\"text\"]", f.alice).error().message, Catch::Contains("expected an object"));
    const std::string big = "\"" + to_base64(Bytes(kMaxParamsBytes + 1, 7)) + "\"";
    CHECK_THAT(r.call("PushMessage", "[" + msg("1", big) + ", null]", f.alice).error().message, Catch::Contains("limit"));
    CHECK_THAT(r.call("PushMessage", "[" + msg("1") + R"(, {"maxFee":"-1"}])", f.alice).error().message,
               Catch::Contains("cannot be negative"));
    CHECK(f.count() == 1);
    CHECK_THAT(r.call("GetMessageByUid", R"(["nope"])", f.alice).error().message, Catch::Contains("not found"));
    CHECK_THAT(r.call("UpdateMessageStateByID", "[" + id + ", 7]", f.alice).error().message,
               Catch::Contains("unknown message state 7"));
    CHECK_THAT(r.call("ListMessage", R"([{"State":[0]}])", f.alice).error().message, Catch::Contains("unknown message state"));
    CHECK(f.get(idv.GetString()).state == MsgState::kUnFill);  // unchanged by the refused update
    // Bob may not read or change alice's message; admin may.
    CHECK(r.call("GetMessageByUid", "[" + id + "]", f.bob).error().code == make_error_code(Errc::kPermissionDenied));
    CHECK(r.call("MarkBadMessage", "[" + id + "]", f.bob).error().code == make_error_code(Errc::kPermissionDenied));
    CHECK(r.call("GetMessageByUid", "[" + id + "]", f.admin));
    CHECK(r.call("HasMessageByUid", "[" + id + "]", f.bob)->text == "false");  // alice's: not there for bob
    CHECK(r.call("HasMessageByUid", "[" + id + "]", f.alice)->text == "true");
    CHECK(r.call("HasMessageByUid", "[" + id + "]", f.admin)->text == "true");
    auto bobs = r.call("ListMessage", "[{}]", f.bob);
    REQUIRE(bobs);
    CHECK(bobs->text == "[]");
    CHECK(r.call("SetSharedParams", R"([{"selMsgNum":5}])", f.alice).error().code == make_error_code(Errc::kPermissionDenied));
    REQUIRE(r.call("SetSharedParams", R"([{"selMsgNum":5}])", f.admin));
    CHECK(f.store->shared().value().sel_msg_num == 5);
    CHECK(f.store->shared().value().fee.gas_over_estimation == 1.25);  // absent fields unchanged

    // Send (QuickSendParams): no plain transfers, hex params only, the signer checks of PushMessage.
    CHECK(perms.at("Message.Send") == rpc::Perm::kSign);
    const rpc::Claims alice_sign{"alice", rpc::Perm::kSign, ""};
    const rpc::Claims bob_sign{"bob", rpc::Perm::kSign, ""};
    const auto quick = [&](const std::string& method, const std::string& params, const std::string& type) {
        return R"([{"To":")" + f.a1.to_string() + R"(","From":")" + f.a0.to_string() + R"(","Val":"0","Account":"",)" +
               R"("GasPremium":null,"GasFeeCap":null,"GasLimit":null,"Method":)" + method + R"(,"Params":")" + params +
               R"(","ParamsType":")" + type + R"("}])";
    };
    CHECK_THAT(r.call("Send", quick("0", "", ""), alice_sign).error().message, Catch::Equals("do not use it to send funds"));
    CHECK_THAT(r.call("Send", quick("2", "zz", "hex"), alice_sign).error().message, Catch::Contains("failed to decode hex params"));
    CHECK_THAT(r.call("Send", quick("2", "{}", "json"), alice_sign).error().message, Catch::Contains("failed to decode json params"));
    CHECK_THAT(r.call("Send", quick("2", "00", "yaml"), alice_sign).error().message, Catch::Contains("unexpected param type yaml"));
    CHECK(r.call("Send", quick("2", "8100", "hex"), bob_sign).error().code == make_error_code(Errc::kPermissionDenied));
    CHECK(f.count() == 1);  // nothing written by the refusals
    CHECK_FALSE(r.call("Send", quick("2", "8100", "hex"), f.alice));  // a write token may not
    auto sent = r.call("Send", quick("2", "8100", "hex"), alice_sign);
    REQUIRE(sent);
    rpc::JsonDocument sent_id;
    REQUIRE(rpc::parse_json(sent->text, sent_id).ok());
    const auto stored = f.get(sent_id.GetString());
    CHECK(stored.msg.method == 2);
    CHECK(stored.msg.params == Bytes{0x81, 0x00});
    CHECK(stored.state == MsgState::kUnFill);

    // Log methods are admin; the libp2p ones say why they are not there.
    CHECK(perms.at("Message.LogList") == rpc::Perm::kAdmin);
    auto logs = r.call("LogList", "[]", f.admin);
    REQUIRE(logs);
    CHECK_THAT(logs->text, Catch::StartsWith("["));
    CHECK(r.call("SetLogLevel", R"(["*", "debug"])", f.admin));
    CHECK(r.call("SetLogLevel", R"(["*", "info"])", f.admin));
    CHECK_FALSE(r.call("SetLogLevel", R"(["*", "loud"])", f.admin));
    CHECK_THAT(r.call("NetPeers", "[]", f.admin).error().message, Catch::Contains("no libp2p host"));
}
