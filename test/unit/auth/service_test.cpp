// SPDX-License-Identifier: Apache-2.0 OR MIT
// Input validation and sophon-auth's permission rules, below the HTTP layer.
#include <catch2/catch.hpp>

#include "auth_fixture.hpp"
#include "venus/chain/address.hpp"

using namespace venus;
using namespace venus::plugins::auth;

TEST_CASE("auth service: bad input is refused with a clear error and changes nothing", "[unit][auth]") {
    test::TempDir dir;
    test::AuthStack s(dir.path());
    auto& svc = *s.service;
    REQUIRE(svc.create_user(test::kAdmin, "alice", "", 1).ok());

    auto dup = svc.create_user(test::kAdmin, "alice", "", 1);
    REQUIRE_FALSE(dup.ok());
    CHECK(dup.error().is(Errc::kAlreadyExists));
    CHECK(dup.error().message == "user already exists");

    CHECK(svc.create_user(test::kAdmin, std::string(51, 'n'), "", 1).error().is(Errc::kInvalidArgument));
    CHECK(svc.create_user(test::kAdmin, std::string(50, 'n'), "", 1).ok());
    CHECK(svc.create_user(test::kAdmin, "", "", 1).error().is(Errc::kInvalidArgument));
    CHECK(svc.create_user(test::kAdmin, "line\nbreak", "", 1).error().is(Errc::kInvalidArgument));
    CHECK(svc.create_user(test::kAdmin, "s", "", 3).error().is(Errc::kInvalidArgument));
    CHECK(svc.create_user(test::kAdmin, "c", std::string(256, 'c'), 1).error().is(Errc::kInvalidArgument));

    auto bad_perm = svc.generate_token(test::kAdmin, "alice", "root", "");
    REQUIRE_FALSE(bad_perm.ok());
    CHECK(bad_perm.error().message == "invalid perm 'root': must be read, write, sign or admin");
    auto no_user = svc.generate_token(test::kAdmin, "nobody", "read", "");
    REQUIRE_FALSE(no_user.ok());
    CHECK(no_user.error().message == "token must be based on an existing user nobody to generate");

    auto non_id = svc.upsert_miner(test::kAdmin, "alice", "t2plku564ddywnmb5b2ky7dhk4mb6uacsxuuev3pi", true);
    REQUIRE_FALSE(non_id.ok());
    CHECK(non_id.error().message.rfind("invalid protocol type: 2", 0) == 0);
    CHECK(svc.upsert_miner(test::kAdmin, "alice", "not-an-address", true).error().is(Errc::kInvalidArgument));
    auto unknown_user = svc.upsert_miner(test::kAdmin, "nobody", "t01000", true);
    REQUIRE_FALSE(unknown_user.ok());
    CHECK(unknown_user.error().is(Errc::kNotFound));

    auto id_signer = svc.register_signers(test::kAdmin, "alice", {"t01000"});
    REQUIRE_FALSE(id_signer.ok());
    CHECK(id_signer.error().message.rfind("invalid protocol type: 0", 0) == 0);
    CHECK_FALSE(*svc.has_miner(test::kAdmin, "t01000"));

    api::RateLimit l;
    l.name = "alice";
    l.cap = 1;
    CHECK(svc.upsert_rate_limit(test::kAdmin, l).error().message == "reset duration must be positive");
    CHECK(svc.get_rate_limits(test::kAdmin, "alice", "")->empty());
}

TEST_CASE("auth service: admin-only and admin-or-owner rules", "[unit][auth]") {
    test::TempDir dir;
    test::AuthStack s(dir.path());
    auto& svc = *s.service;
    REQUIRE(svc.create_user(test::kAdmin, "alice", "", 1).ok());
    REQUIRE(svc.create_user(test::kAdmin, "bob", "", 1).ok());
    REQUIRE(svc.upsert_miner(test::kAdmin, "alice", "t01000", true).ok());
    auto alice_token = svc.generate_token(test::kAdmin, "alice", "write", "");
    REQUIRE(alice_token.ok());
    const rpc::Claims alice{"alice", rpc::Perm::kSign, ""};
    const rpc::Claims bob{"bob", rpc::Perm::kSign, ""};

    auto denied = svc.create_user(alice, "x", "", 1);
    REQUIRE_FALSE(denied.ok());
    CHECK(denied.error().is(Errc::kPermissionDenied));
    CHECK(denied.error().message == "need admin prem: permission not found");

    CHECK(svc.get_user(alice, "alice").ok());
    CHECK(svc.get_user(bob, "alice").error().is(Errc::kPermissionDenied));
    CHECK(svc.list_miners(alice, "alice")->size() == 1);
    CHECK(svc.list_miners(bob, "alice").error().is(Errc::kPermissionDenied));
    CHECK(svc.get_token(alice, "alice", "").ok());
    CHECK(svc.get_token(alice, "", *alice_token).error().is(Errc::kPermissionDenied));  // by token: admin only
    CHECK(svc.remove_token(bob, *alice_token).error().is(Errc::kPermissionDenied));
    CHECK(svc.delete_miner(bob, "t01000").error().is(Errc::kPermissionDenied));
    CHECK(*svc.delete_miner(alice, "t01000"));
    CHECK(svc.remove_token(alice, *alice_token).ok());
}

TEST_CASE("auth service: signers may be secp256k1, BLS or delegated addresses, miners only ID", "[unit][auth]") {
    test::TempDir dir;
    test::AuthStack s(dir.path());
    auto& svc = *s.service;
    REQUIRE(svc.create_user(test::kAdmin, "alice", "", 1).ok());
    auto f4 = chain::Address::new_delegated(10, Bytes(20, 0x11));
    REQUIRE(f4.ok());
    const auto delegated = f4->to_string(chain::Network::kTestnet);
    REQUIRE(svc.register_signers(test::kAdmin, "alice", {delegated}).ok());
    CHECK(*svc.signer_exist_in_user(test::kAdmin, "alice", f4->to_string(chain::Network::kMainnet)));  // f and t alike
    auto listed = svc.list_signers(test::kAdmin, "alice");
    REQUIRE(listed.ok());
    REQUIRE(listed->size() == 1);
    CHECK(listed->front().signer == delegated);  // stored without the letter, shown with the process's network
    auto actor = chain::Address::new_actor(as_bytes("actor"));
    CHECK(svc.register_signers(test::kAdmin, "alice", {actor.to_string(chain::Network::kTestnet)})
              .error()
              .message.rfind("invalid protocol type: 2", 0) == 0);
    // All or nothing: one bad address registers none of the list.
    CHECK_FALSE(svc.register_signers(test::kAdmin, "alice", {"t1abjxfbp274xpdqcpuaykwkfb43omjotacm2p3za", "t099"}).ok());
    CHECK_FALSE(*svc.has_signer(test::kAdmin, "t1abjxfbp274xpdqcpuaykwkfb43omjotacm2p3za"));
}
