// SPDX-License-Identifier: Apache-2.0 OR MIT
// The auth tables: migrations, round trips, soft deletes, literal storage of hostile names, reopening.
#include <catch2/catch.hpp>

#include "auth_fixture.hpp"

using namespace venus;
using namespace venus::plugins::auth;

TEST_CASE("auth store: migrations apply once and are recorded", "[unit][auth]") {
    test::TempDir dir;
    auto db = storage::sqlite::open(dir.path() / "a.db");
    REQUIRE(db.ok());
    auto first = storage::migrate(**db, "auth", auth_migrations());
    REQUIRE(first.ok());
    CHECK(*first == auth_migrations().size());
    auto again = storage::migrate(**db, "auth", auth_migrations());
    REQUIRE(again.ok());
    CHECK(*again == 0);
    auto version = storage::schema_version(**db, "auth");
    REQUIRE(version.ok());
    CHECK(*version == auth_migrations().back().version);
    // Versions increase strictly: a released migration is only ever followed by a new one.
    for (std::size_t i = 1; i < auth_migrations().size(); ++i) {
        CHECK(auth_migrations()[i].version == auth_migrations()[i - 1].version + 1);
        CHECK(auth_migrations()[i].statements.size() == 1);  // one DDL each (MySQL commits DDL)
    }
}

TEST_CASE("auth store: every kind of row survives closing and reopening", "[unit][auth]") {
    test::TempDir dir;
    const std::string hostile = "x'); DROP TABLE auth_users; --";
    std::string token;
    {
        test::AuthStack s(dir.path());
        REQUIRE(s.service->create_user(test::kAdmin, hostile, "it's \"quoted\"", 1).ok());
        REQUIRE(s.service->create_user(test::kAdmin, "bob", "", 1).ok());
        auto t = s.service->generate_token(test::kAdmin, hostile, "sign", "ext");
        REQUIRE(t.ok());
        token = *t;
        auto removed = s.service->generate_token(test::kAdmin, "bob", "read", "");
        REQUIRE(removed.ok());
        REQUIRE(s.service->remove_token(test::kAdmin, *removed).ok());
        REQUIRE(s.service->upsert_miner(test::kAdmin, hostile, "t01000", false).ok());
        REQUIRE(s.service->register_signers(test::kAdmin, "bob", {"t1abjxfbp274xpdqcpuaykwkfb43omjotacm2p3za"}).ok());
        api::RateLimit l;
        l.name = "bob";
        l.cap = 10;
        l.reset_dur = std::chrono::minutes(1);
        REQUIRE(s.service->upsert_rate_limit(test::kAdmin, l).ok());
    }
    test::AuthStack s(dir.path());
    auto u = s.service->get_user(test::kAdmin, hostile);
    REQUIRE(u.ok());
    CHECK(u->name == hostile);
    CHECK(u->comment == "it's \"quoted\"");
    auto claims = s.verifier->verify_sync(token);
    REQUIRE(claims.ok());
    CHECK(claims->name == hostile);
    CHECK(claims->perm == rpc::Perm::kSign);
    CHECK(claims->ext == "ext");
    auto tokens = s.service->list_tokens(test::kAdmin, 0, 0);
    REQUIRE(tokens.ok());
    CHECK(tokens->size() == 1);  // the removed one stays removed
    auto miners = s.service->list_miners(test::kAdmin, hostile);
    REQUIRE(miners.ok());
    REQUIRE(miners->size() == 1);
    CHECK(miners->front().miner == "t01000");
    CHECK_FALSE(miners->front().open_mining);
    auto signers = s.service->list_signers(test::kAdmin, "bob");
    REQUIRE(signers.ok());
    CHECK(signers->size() == 1);
    auto limits = s.service->get_rate_limits(test::kAdmin, "bob", "");
    REQUIRE(limits.ok());
    REQUIRE(limits->size() == 1);
    CHECK(limits->front().cap == 10);
    CHECK(limits->front().reset_dur == std::chrono::minutes(1));
    auto users = s.service->list_users(test::kAdmin, 0, 0, 0);
    REQUIRE(users.ok());
    CHECK(users->size() == 2);
}

TEST_CASE("auth store: miners re-bind, signers are many-to-many, deletes are soft", "[unit][auth]") {
    test::TempDir dir;
    test::AuthStack s(dir.path());
    auto& svc = *s.service;
    REQUIRE(svc.create_user(test::kAdmin, "a", "", 1).ok());
    REQUIRE(svc.create_user(test::kAdmin, "b", "", 1).ok());
    auto created = svc.upsert_miner(test::kAdmin, "a", "f01234", true);
    REQUIRE(created.ok());
    CHECK(*created);
    auto rebound = svc.upsert_miner(test::kAdmin, "b", "t01234", true);
    REQUIRE(rebound.ok());
    CHECK_FALSE(*rebound);
    CHECK(svc.get_user_by_miner(test::kAdmin, "t01234")->name == "b");
    CHECK_FALSE(*svc.miner_exist_in_user(test::kAdmin, "a", "t01234"));
    CHECK(*svc.miner_exist_in_user(test::kAdmin, "b", "t01234"));
    CHECK(*svc.delete_miner(test::kAdmin, "t01234"));
    CHECK_FALSE(*svc.delete_miner(test::kAdmin, "t01234"));
    CHECK_FALSE(*svc.has_miner(test::kAdmin, "t01234"));
    CHECK(*svc.upsert_miner(test::kAdmin, "a", "t01234", true));  // a deleted miner comes back as created

    const std::string signer = "t3vvmn62lofvhjd2ugzca6sof2j2ubwok6cj4xxbfzz4yuxfkgobpihhd2thlanmsh3w2ptld2gqkn2jvlss4a";
    REQUIRE(svc.register_signers(test::kAdmin, "a", {signer}).ok());
    REQUIRE(svc.register_signers(test::kAdmin, "b", {signer}).ok());
    REQUIRE(svc.register_signers(test::kAdmin, "b", {signer}).ok());  // idempotent
    auto owners = svc.get_users_by_signer(test::kAdmin, signer);
    REQUIRE(owners.ok());
    CHECK(owners->size() == 2);
    REQUIRE(svc.unregister_signers(test::kAdmin, "a", {signer}).ok());
    CHECK_FALSE(*svc.signer_exist_in_user(test::kAdmin, "a", signer));
    CHECK(*svc.has_signer(test::kAdmin, signer));
    CHECK(*svc.delete_signer(test::kAdmin, signer));
    CHECK_FALSE(*svc.has_signer(test::kAdmin, signer));
    CHECK_FALSE(*svc.delete_signer(test::kAdmin, signer));

    // Deleting a user cascades to its miners and signers; recovering brings back the user only.
    REQUIRE(svc.register_signers(test::kAdmin, "a", {signer}).ok());
    REQUIRE(svc.delete_user(test::kAdmin, "a").ok());
    CHECK_FALSE(*svc.has_user(test::kAdmin, "a"));
    CHECK_FALSE(*svc.has_miner(test::kAdmin, "t01234"));
    CHECK_FALSE(*svc.has_signer(test::kAdmin, signer));
    REQUIRE(svc.recover_user(test::kAdmin, "a").ok());
    CHECK(*svc.has_user(test::kAdmin, "a"));
    CHECK_FALSE(*svc.has_miner(test::kAdmin, "t01234"));
    CHECK(svc.list_miners(test::kAdmin, "a")->empty());
}
