// SPDX-License-Identifier: Apache-2.0 OR MIT
// Role splitting: a venusd without the auth module verifies tokens against another venusd's /verify
// ([api] auth_url, short cache), and api::Auth's REST client reads users, miners and signers there.
#include <catch2/catch.hpp>

#include <thread>

#include "support/daemon.hpp"
#include "venus/api/auth.hpp"
#include "venus/rpc/client.hpp"
#include "venus/rpc/json.hpp"

using namespace venus;
using venus::test::Daemon;

namespace {
int status(const Daemon& d, const std::string& token, const std::string& method, const std::string& path,
           const std::string& body, std::string* out = nullptr) {
    auto info = d.api_info();
    info.token = token;
    rpc::HttpRpcClient c(info);
    auto r = c.request(method, path, body);
    REQUIRE(r.ok());
    if (out) *out = r->body;
    return r->status;
}

int rpc_status(const Daemon& d, const std::string& token) {
    return status(d, token, "POST", "/rpc/v1", R"({"jsonrpc":"2.0","id":1,"method":"Filecoin.Version","params":[]})", nullptr);
}
}  // namespace

TEST_CASE("remote auth: a daemon without auth verifies tokens with auth_url and caches briefly", "[integration][auth]") {
    Daemon auth({"--enable", "auth"}, "[api]\nlisten = \"/ip4/127.0.0.1/tcp/0\"\n");
    REQUIRE(auth.start());
    const auto admin = auth.token();
    REQUIRE(status(auth, admin, "PUT", "/user/new", R"({"Name":"alice","State":1})", nullptr) == 200);
    std::string body;
    REQUIRE(status(auth, admin, "POST", "/genToken", R"({"name":"alice","perm":"read"})", &body) == 200);
    rpc::JsonDocument doc;
    REQUIRE(rpc::parse_json(body, doc).ok());
    const std::string token = doc["token"].GetString();

    const auto url = "http://127.0.0.1:" + std::to_string(auth.port());
    Daemon node({}, "[api]\nlisten = \"/ip4/127.0.0.1/tcp/0\"\nauth_url = \"" + url +
                        "\"\nauth_cache_ttl = \"1s\"\n[modules]\nenable = []\n");
    REQUIRE(node.start());
    CHECK(node.log().find("tokens are verified by the auth service at") != std::string::npos);
    CHECK(rpc_status(node, token) == 200);                 // verified remotely
    CHECK(rpc_status(node, node.token()) == 200);          // its own token still works locally
    CHECK(rpc_status(node, token + "x") == 401);
    CHECK(rpc_status(node, "") == 401);

    // Revoked on the auth host: the other daemon refuses it once its short cache runs out.
    REQUIRE(status(auth, admin, "DELETE", "/token", R"({"token":")" + token + "\"}", nullptr) == 200);
    CHECK(test::wait_until([&] { return rpc_status(node, token) == 401; }, std::chrono::seconds(5),
                           std::chrono::milliseconds(100)));
}

TEST_CASE("remote auth: while auth is down, tokens it accepted keep working and unknown ones fail closed",
          "[integration][auth]") {
    auto auth = std::make_unique<Daemon>(std::vector<std::string>{"--enable", "auth"}, "[api]\nlisten = \"/ip4/127.0.0.1/tcp/0\"\n");
    REQUIRE(auth->start());
    const auto admin = auth->token();
    auto gen = [&](const std::string& user) {
        REQUIRE(status(*auth, admin, "PUT", "/user/new", R"({"Name":")" + user + R"(","State":1})", nullptr) == 200);
        std::string body;
        REQUIRE(status(*auth, admin, "POST", "/genToken", R"({"name":")" + user + R"(","perm":"read"})", &body) == 200);
        rpc::JsonDocument doc;
        REQUIRE(rpc::parse_json(body, doc).ok());
        return std::string(doc["token"].GetString());
    };
    const auto seen = gen("alice");
    const auto unseen = gen("bob");
    const auto url = "http://127.0.0.1:" + std::to_string(auth->port());
    Daemon node({}, "[api]\nlisten = \"/ip4/127.0.0.1/tcp/0\"\nauth_url = \"" + url +
                        "\"\nauth_cache_ttl = \"1s\"\nauth_offline_grace = \"1m\"\n[modules]\nenable = []\n");
    REQUIRE(node.start());
    CHECK(rpc_status(node, seen) == 200);

    REQUIRE(auth->stop() == 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // past the cache TTL on purpose
    CHECK(rpc_status(node, seen) == 200);      // accepted before: still good, nothing could revoke it
    CHECK(rpc_status(node, unseen) == 401);    // never verified: fails closed
    CHECK(rpc_status(node, node.token()) == 200);
    CHECK(node.log().find("tokens it accepted within 60 s keep working") != std::string::npos);
}

TEST_CASE("remote auth: api::Auth over REST reads what the auth module holds", "[integration][auth]") {
    Daemon auth({"--enable", "auth"}, "[api]\nlisten = \"/ip4/127.0.0.1/tcp/0\"\n");
    REQUIRE(auth.start());
    auto remote = api::make_remote_auth(auth.api_info());
    REQUIRE(status(auth, auth.token(), "PUT", "/user/new", R"({"Name":"alice","State":1,"Comment":"c"})", nullptr) == 200);

    auto created = remote->upsert_miner("alice", "t01000", true);
    REQUIRE(created.ok());
    CHECK(*created);
    CHECK(*remote->has_user("alice"));
    CHECK_FALSE(*remote->has_user("bob"));
    auto user = remote->get_user("alice");
    REQUIRE(user.ok());
    CHECK(user->comment == "c");
    CHECK(user->state == api::UserState::kEnabled);
    CHECK(remote->get_user_by_miner("t01000")->name == "alice");
    CHECK(*remote->miner_exist_in_user("alice", "t01000"));
    CHECK(*remote->has_miner("t01000"));
    auto miners = remote->list_miners("alice");
    REQUIRE(miners.ok());
    REQUIRE(miners->size() == 1);
    CHECK(miners->front().miner == "t01000");
    CHECK(miners->front().created_at > 1600000000);

    const std::string signer = "t1abjxfbp274xpdqcpuaykwkfb43omjotacm2p3za";
    REQUIRE(remote->register_signers("alice", {signer}).ok());
    CHECK(*remote->signer_exist_in_user("alice", signer));
    CHECK(*remote->has_signer(signer));
    CHECK(remote->get_user_by_signer(signer)->size() == 1);
    CHECK(remote->list_signers("alice")->size() == 1);
    REQUIRE(remote->unregister_signers("alice", {signer}).ok());
    CHECK_FALSE(*remote->has_signer(signer));

    auto with_miners = remote->list_users_with_miners(0, 0, api::UserState::kEnabled);
    REQUIRE(with_miners.ok());
    CHECK(with_miners->size() == 2);  // alice and defaultLocalToken
    CHECK(remote->get_user_rate_limits("alice", "")->empty());

    auto claims = remote->verify(auth.token());
    REQUIRE(claims.ok());
    CHECK(claims->perm == rpc::Perm::kAdmin);
    auto bad = remote->upsert_miner("alice", signer, true);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().is(Errc::kInvalidArgument));
    CHECK(bad.error().message.find("invalid protocol type: 1") != std::string::npos);
    auto missing = remote->get_user("nobody");
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().message == "user nobody not found");
}
