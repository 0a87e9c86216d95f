// SPDX-License-Identifier: Apache-2.0 OR MIT
#include <catch2/catch.hpp>

#include "venus/rpc/api_info.hpp"

using namespace venus::rpc;

TEST_CASE("api-info: multiaddrs and the forms operators write", "[unit][rpc]") {
    auto m = parse_multiaddr("/ip4/127.0.0.1/tcp/3453");
    REQUIRE(m.ok());
    CHECK(m->host == "127.0.0.1");
    CHECK(m->port == 3453);
    CHECK(m->scheme.empty());
    CHECK(m->to_string() == "/ip4/127.0.0.1/tcp/3453");

    auto info = parse_api_info("eyJhbGciOi.abc.def:/ip4/10.0.0.2/tcp/1234/http\n");
    REQUIRE(info.ok());
    CHECK(info->token == "eyJhbGciOi.abc.def");
    CHECK(info->addr.port == 1234);
    CHECK(info->http_url("/rpc/v0") == "http://10.0.0.2:1234/rpc/v0");
    CHECK(info->ws_url("/rpc/v1") == "ws://10.0.0.2:1234/rpc/v1");
    CHECK(info->to_string() == "eyJhbGciOi.abc.def:/ip4/10.0.0.2/tcp/1234/http");

    auto bare = parse_api_info("/ip6/::1/tcp/3453/ws");
    REQUIRE(bare.ok());
    CHECK(bare->token.empty());
    CHECK(bare->http_url("") == "http://[::1]:3453");

    auto url = parse_api_info("TOKEN:http://localhost:8989");
    REQUIRE(url.ok());
    CHECK(url->token == "TOKEN");
    CHECK(url->addr.host == "localhost");
    CHECK(url->addr.port == 8989);
    auto url_only = parse_api_info("http://127.0.0.1:1234/rpc/v0");
    REQUIRE(url_only.ok());
    CHECK(url_only->token.empty());
    CHECK(url_only->addr.port == 1234);

    CHECK(parse_multiaddr("/dns/node.example/tcp/1/wss")->scheme == "wss");
}

TEST_CASE("api-info: malformed input is refused with a reason", "[unit][rpc]") {
    CHECK_FALSE(parse_multiaddr("").ok());
    CHECK_FALSE(parse_multiaddr("ip4/1.2.3.4/tcp/1").ok());
    CHECK_FALSE(parse_multiaddr("/ip4/1.2.3.4/udp/1").ok());
    CHECK_FALSE(parse_multiaddr("/ip4/1.2.3.4/tcp/70000").ok());
    CHECK_FALSE(parse_multiaddr("/ip4/1.2.3.4/tcp/12x").ok());
    CHECK_FALSE(parse_multiaddr("/ip4//tcp/1").ok());
    CHECK_FALSE(parse_multiaddr("/ip4/1.2.3.4/tcp/1/quic").ok());
    CHECK_FALSE(parse_multiaddr("/ip4/1.2.3.4/tcp/1/http/extra").ok());
    CHECK_FALSE(parse_api_info("").ok());
    CHECK_FALSE(parse_api_info("token-without-address").ok());
    CHECK_FALSE(parse_api_info("TOKEN:ftp://host").ok());
    auto e = parse_multiaddr("/sctp/1");
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().message.find("/sctp/1") != std::string::npos);
}
