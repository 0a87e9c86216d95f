// SPDX-License-Identifier: Apache-2.0 OR MIT
// The X-VENUS-API-NAMESPACE proxy (issue 8): sophon-gateway's header routing, served locally when the
// component runs in this process and forwarded to a RegisterReverse backend otherwise.
#include <catch2/catch.hpp>
#include <httplib.h>

#include <atomic>

#include "support/daemon.hpp"
#include "support/fixtures.hpp"
#include "venus/rpc/client.hpp"
#include "venus/rpc/json.hpp"

using namespace venus;
using venus::test::Daemon;

namespace {

httplib::Result post(const Daemon& d, const std::string& path, const std::string& body,
                     std::optional<std::string> ns, const std::string& token) {
    httplib::Client c("127.0.0.1", d.port());
    httplib::Headers h{{"Authorization", "Bearer " + token}};
    if (ns) h.emplace("X-VENUS-API-NAMESPACE", *ns);
    return c.Post(path, h, body, "application/json");
}

const std::string kHead = R"({"jsonrpc":"2.0","id":1,"method":"Filecoin.ChainHead","params":[]})";

}  // namespace

TEST_CASE("namespace proxy: local components, unknown headers, unregistered and forwarded backends") {
    // A: the node (and gateway) in one process. B: auth + gateway only, so VENUS must be forwarded.
    Daemon a({"--enable", "auth,gateway,node"});
    REQUIRE(a.start());
    Daemon b({"--enable", "auth,gateway"});
    REQUIRE(b.start());

    // Served here: the node module is enabled in A, so the header changes nothing.
    auto local = post(a, "/rpc/v1", kHead, "v1.FullNode", a.token());
    REQUIRE(local);
    CHECK(local->status == 200);
    CHECK(local->body.find("\"Cids\"") != std::string::npos);
    // The empty value and gateway.IGateway mean the gateway itself.
    auto gw = post(a, "/rpc/v2", R"({"jsonrpc":"2.0","id":1,"method":"Gateway.Version","params":[]})", "",
                   a.token());
    REQUIRE(gw);
    CHECK(gw->status == 200);

    auto bogus = post(a, "/rpc/v1", kHead, "nonsense.API", a.token());
    REQUIRE(bogus);
    CHECK(bogus->status == 400);
    CHECK(bogus->body == "header(nonsense.API): invalid venus proxy header for X-VENUS-API-NAMESPACE\n");

    // B has no node and nothing registered for VENUS.
    auto missing = post(b, "/rpc/v1", kHead, "v1.FullNode", b.token());
    REQUIRE(missing);
    CHECK(missing->status == 400);
    CHECK(missing->body == "host key(VENUS) : no reverse proxy registered\n");
    // Without the header B answers itself: it has no ChainHead.
    auto plain = post(b, "/rpc/v1", kHead, std::nullopt, b.token());
    REQUIRE(plain);
    CHECK(plain->body.find("-32601") != std::string::npos);

    // Register A as B's VENUS backend: the request (with A's token: the backend authenticates) is
    // forwarded before B looks at the token at all.
    rpc::HttpRpcClient b_admin(b.api_info(), "/rpc/v2");
    const std::string backend = "/ip4/127.0.0.1/tcp/" + std::to_string(a.port());
    REQUIRE(b_admin.call("Gateway.RegisterReverse", rpc::make_params([&](rpc::JsonOut& o) {
                             o.String("VENUS");
                             o.String(backend.c_str());
                         })));
    auto forwarded = post(b, "/rpc/v1", kHead, "v1.FullNode", a.token());
    REQUIRE(forwarded);
    CHECK(forwarded->status == 200);
    CHECK(forwarded->body == post(a, "/rpc/v1", kHead, std::nullopt, a.token())->body);
    // B's own token means nothing to A.
    auto wrong_token = post(b, "/rpc/v1", kHead, "v1.FullNode", b.token());
    REQUIRE(wrong_token);
    CHECK(wrong_token->status == 401);

    // A WebSocket through B reaches A's node: ChainNotify streams A's head (B has no node at all).
    {
        rpc::ApiInfo via_b = b.api_info();
        via_b.token = a.token();
        auto ws = rpc::WsRpcClient::connect(via_b, "/rpc/v1", std::chrono::seconds(10),
                                            {{"X-VENUS-API-NAMESPACE", "v1.FullNode"}});
        REQUIRE(ws);
        auto head = (*ws)->call("Filecoin.ChainHead");
        REQUIRE(head);
        CHECK(head->text.find("\"Cids\"") != std::string::npos);
        std::atomic<int> pushes{0};
        auto sub = (*ws)->subscribe("Filecoin.ChainNotify", rpc::RawJson{"[]"}, [&](rpc::RawJson) { pushes++; }, [] {});
        REQUIRE(sub);
        REQUIRE(test::wait_until([&] { return pushes.load() >= 1; }, std::chrono::seconds(5)));
    }

    // Unregistering restores the 400; a dead backend is a 502 with the reason.
    REQUIRE(b_admin.call("Gateway.RegisterReverse", rpc::make_params([&](rpc::JsonOut& o) {
                             o.String("VENUS");
                             o.String("");
                         })));
    CHECK(post(b, "/rpc/v1", kHead, "v1.FullNode", a.token())->status == 400);
    REQUIRE(b_admin.call("Gateway.RegisterReverse", rpc::make_params([&](rpc::JsonOut& o) {
                             o.String("VENUS");
                             o.String(backend.c_str());
                         })));
    REQUIRE(a.stop() == 0);
    auto dead = post(b, "/rpc/v1", kHead, "v1.FullNode", b.token());
    REQUIRE(dead);
    CHECK(dead->status == 502);
    CHECK(dead->body.find("reverse proxy to") != std::string::npos);
}
