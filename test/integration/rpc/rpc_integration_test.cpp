// SPDX-License-Identifier: Apache-2.0 OR MIT
// The listener end to end: a real venusd on port 0, spoken to over HTTP and WebSocket.
#include <catch2/catch.hpp>

#include <asio/connect.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read.hpp>
#include <asio/write.hpp>
#include <atomic>
#include <mutex>
#include <thread>

#include "support/daemon.hpp"
#include "support/json.hpp"
#include "venus/core/bytes.hpp"
#include "venus/rpc/client.hpp"

using namespace venus;
using venus::test::parse;
using venus::test::Daemon;

namespace {
// The listener on its own: no module is enabled, so only the core methods answer and no module opens
// connections of its own (the built-in wallet dials the gateway, for instance).
const std::vector<std::string> kNoModules = {"--enable", ""};

// A raw HTTP exchange, for what a well-behaved client library would never send.
std::string raw_http(std::uint16_t port, const std::string& request, bool read_reply = true) {
    asio::io_context io;
    asio::ip::tcp::socket s(io);
    s.connect({asio::ip::make_address("127.0.0.1"), port});
    asio::write(s, asio::buffer(request));
    if (!read_reply) return {};
    std::string out;
    std::array<char, 4096> buf{};
    asio::error_code ec;
    // The server closes after error responses; for keep-alive replies read until the body is complete.
    while (true) {
        auto n = s.read_some(asio::buffer(buf), ec);
        out.append(buf.data(), n);
        if (ec) break;
        auto head_end = out.find("\r\n\r\n");
        if (head_end == std::string::npos) continue;
        auto cl = out.find("Content-Length: ");
        if (cl != std::string::npos && cl < head_end) {
            auto len = std::stoul(out.substr(cl + 16));
            if (out.size() >= head_end + 4 + len) break;
        }
    }
    return out;
}

std::string post(std::uint16_t port, const std::string& token, const std::string& body,
                 const std::string& content_type = "application/json") {
    return raw_http(port, "POST /rpc/v1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
                              "\r\nContent-Type: " + content_type + "\r\nContent-Length: " + std::to_string(body.size()) +
                              "\r\n\r\n" + body);
}

int status_of(const std::string& response) { return std::stoi(response.substr(9, 3)); }
std::string body_of(const std::string& response) { return response.substr(response.find("\r\n\r\n") + 4); }

std::string make_read_token(Daemon& d) {
    rpc::HttpRpcClient admin(d.api_info());
    auto r = admin.call("Filecoin.AuthNew", rpc::RawJson{R"([["read"]])"});
    REQUIRE(r.ok());
    auto b64 = parse(r->text);
    auto raw = from_base64(b64.GetString());
    REQUIRE(raw.ok());
    return std::string(raw->begin(), raw->end());
}
}  // namespace

TEST_CASE("rpc: HTTP calls, batches and go-jsonrpc error codes", "[integration][rpc]") {
    Daemon d(kNoModules, "[api]\nlisten = \"/ip4/127.0.0.1/tcp/0\"\nmax_request_bytes = 65536\n");
    REQUIRE(d.start());
    const auto port = d.port();
    const auto token = d.token();

    SECTION("a call") {
        auto resp = post(port, token, R"({"jsonrpc":"2.0","id":7,"method":"Filecoin.Version","params":[]})");
        CHECK(status_of(resp) == 200);
        auto doc = parse(body_of(resp));
        CHECK(doc["id"].GetInt() == 7);
        CHECK(doc["result"]["APIVersion"].GetUint() == 131840);
        CHECK(std::string(doc["result"]["Agent"].GetString()) == "venusd");
    }
    SECTION("v0 reports the v0 API version") {
        const std::string body = R"({"jsonrpc":"2.0","id":1,"method":"Filecoin.Version","params":[]})";
        auto resp = raw_http(port, "POST /rpc/v0 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
                                       "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
        CHECK(parse(body_of(resp))["result"]["APIVersion"].GetUint() == 0x010500);
    }
    SECTION("a batch answers in order and skips notifications") {
        auto resp = post(port, token,
                         R"([{"jsonrpc":"2.0","id":1,"method":"Filecoin.Version"},)"
                         R"({"jsonrpc":"2.0","method":"Filecoin.Version"},)"
                         R"({"jsonrpc":"2.0","id":"b","method":"Nope.Missing","params":[]},)"
                         R"({"jsonrpc":"2.0","id":3,"method":"Filecoin.Session","params":[]}])");
        CHECK(status_of(resp) == 200);
        auto doc = parse(body_of(resp));
        REQUIRE(doc.IsArray());
        REQUIRE(doc.Size() == 3);
        CHECK(doc[0]["id"].GetInt() == 1);
        CHECK(doc[0].HasMember("result"));
        CHECK(std::string(doc[1]["id"].GetString()) == "b");
        CHECK(doc[1]["error"]["code"].GetInt() == -32601);
        CHECK(doc[2]["id"].GetInt() == 3);
        CHECK(doc[2]["result"].IsString());
    }
    SECTION("malformed JSON is -32700") {
        auto resp = post(port, token, R"({"jsonrpc":"2.0","id":1,"method":)");
        CHECK(status_of(resp) == 500);
        auto doc = parse(body_of(resp));
        CHECK(doc["error"]["code"].GetInt() == -32700);
        CHECK(doc["id"].IsNull());
    }
    SECTION("nesting deeper than the limit is refused before parsing") {
        std::string deep(1000, '[');
        auto resp = post(port, token, R"({"jsonrpc":"2.0","id":1,"method":"Filecoin.Version","params":)" + deep);
        auto doc = parse(body_of(resp));
        CHECK(doc["error"]["code"].GetInt() == -32700);
        CHECK(std::string(doc["error"]["message"].GetString()).find("nesting") != std::string::npos);
    }
    SECTION("unknown method is -32601 with go-jsonrpc's text") {
        auto doc = parse(body_of(post(port, token, R"({"jsonrpc":"2.0","id":1,"method":"Filecoin.Nope","params":[]})")));
        CHECK(doc["error"]["code"].GetInt() == -32601);
        CHECK(std::string(doc["error"]["message"].GetString()) == "method 'Filecoin.Nope' not found");
    }
    SECTION("wrong param count is -32602") {
        auto doc = parse(body_of(post(port, token, R"({"jsonrpc":"2.0","id":1,"method":"Filecoin.Version","params":[1]})")));
        CHECK(doc["error"]["code"].GetInt() == -32602);
        CHECK(std::string(doc["error"]["message"].GetString()) == "wrong param count (method 'Filecoin.Version'): 1 != 0");
    }
    SECTION("invalid request shapes are -32600 with HTTP 400") {
        auto resp = post(port, token, R"([])");
        CHECK(status_of(resp) == 400);
        CHECK(parse(body_of(resp))["error"]["code"].GetInt() == -32600);
        resp = post(port, token, R"({"jsonrpc":"2.0","id":1,"method":5})");
        CHECK(parse(body_of(resp))["error"]["code"].GetInt() == -32600);
        resp = post(port, token, "   ");
        CHECK(parse(body_of(resp))["error"]["code"].GetInt() == -32600);
    }
    SECTION("text/plain bodies are accepted, as JavaScript clients send them") {
        auto resp = post(port, token, R"({"jsonrpc":"2.0","id":0,"method":"Filecoin.Version","params":[]})",
                         "text/plain;charset=UTF-8");
        CHECK(status_of(resp) == 200);
        CHECK(parse(body_of(resp))["id"].GetInt() == 0);
    }
    SECTION("no token is HTTP 401; a bad token too; ?token= works") {
        auto resp = raw_http(port, "POST /rpc/v1 HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
        CHECK(status_of(resp) == 401);
        resp = post(port, token.substr(0, token.size() - 3) + "abc", R"({"jsonrpc":"2.0","id":1,"method":"Filecoin.Version"})");
        CHECK(status_of(resp) == 401);
        resp = raw_http(port, "POST /rpc/v1 HTTP/1.1\r\nHost: x\r\nContent-Length: 52\r\n\r\n" +
                                  std::string(R"({"jsonrpc":"2.0","id":1,"method":"Filecoin.Version"})"));
        CHECK(status_of(resp) == 401);
        std::string body = R"({"jsonrpc":"2.0","id":1,"method":"Filecoin.Version"})";
        resp = raw_http(port, "POST /rpc/v1?token=" + token + " HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                                  std::to_string(body.size()) + "\r\n\r\n" + body);
        CHECK(status_of(resp) == 200);
    }
    SECTION("permission denial has the exact text") {
        const auto read_token = make_read_token(d);
        auto doc = parse(body_of(post(port, read_token,
                                      R"({"jsonrpc":"2.0","id":1,"method":"Filecoin.LogSetLevel","params":["rpc","debug"]})")));
        CHECK(doc["error"]["code"].GetInt() == 1);
        CHECK(std::string(doc["error"]["message"].GetString()) ==
              "missing permission to invoke 'Filecoin.LogSetLevel' (need 'write')");
        // The check comes before params are decoded: wrong params still get the permission error.
        doc = parse(body_of(post(port, read_token, R"({"jsonrpc":"2.0","id":1,"method":"Filecoin.Shutdown","params":[1,2]})")));
        CHECK(std::string(doc["error"]["message"].GetString()) == "missing permission to invoke 'Filecoin.Shutdown' (need 'admin')");
        // Read methods work with it.
        doc = parse(body_of(post(port, read_token, R"({"jsonrpc":"2.0","id":1,"method":"Filecoin.Version"})")));
        CHECK(doc.HasMember("result"));
    }
    SECTION("an oversized body is refused with 413 and nothing else breaks") {
        std::string big(70000, ' ');
        auto resp = post(port, token, big);
        CHECK(status_of(resp) == 413);
        CHECK(parse(body_of(resp))["error"]["code"].GetInt() == -32700);
        // Chunked bodies are limited as they arrive.
        std::string chunked = "POST /rpc/v1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
                              "\r\nTransfer-Encoding: chunked\r\n\r\n";
        for (int i = 0; i < 20; ++i) chunked += "1000\r\n" + std::string(4096, ' ') + "\r\n";
        chunked += "0\r\n\r\n";
        CHECK(status_of(raw_http(port, chunked)) == 413);
        auto doc = parse(body_of(post(port, token, R"({"jsonrpc":"2.0","id":1,"method":"Filecoin.Version"})")));
        CHECK(doc.HasMember("result"));
    }
    SECTION("health, readiness and metrics need no token") {
        CHECK(status_of(raw_http(port, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")) == 200);
        CHECK(status_of(raw_http(port, "GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n")) == 200);
        auto metrics = raw_http(port, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        CHECK(status_of(metrics) == 200);
        CHECK(metrics.find("# TYPE venusd_rpc_connections gauge") != std::string::npos);
        CHECK(status_of(raw_http(port, "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n")) == 404);
        CHECK(status_of(raw_http(port, "garbage\r\n\r\n")) == 400);
    }
    SECTION("a client that disconnects mid-request does not disturb the server") {
        for (int i = 0; i < 20; ++i) {
            raw_http(port,
                     "POST /rpc/v1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
                         "\r\nContent-Length: 1000\r\n\r\n{\"jsonrpc\":",
                     false);
        }
        rpc::HttpRpcClient client(d.api_info());
        auto r = client.call("Filecoin.Version");
        CHECK(r.ok());
    }
    CHECK(d.stop() == 0);
}

TEST_CASE("rpc: 1,000 requests over 32 concurrent keep-alive connections", "[integration][rpc]") {
    Daemon d(kNoModules);
    REQUIRE(d.start());
    std::atomic<int> ok{0};
    std::atomic<int> failed{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 32; ++t) {
        threads.emplace_back([&, t] {
            rpc::HttpRpcClient client(d.api_info());
            const int n = t < 8 ? 32 : 31;  // 8*32 + 24*31 = 1000
            for (int i = 0; i < n; ++i) {
                auto r = client.call("Filecoin.Version");
                (r.ok() && r->text.find("131840") != std::string::npos ? ok : failed)++;
            }
        });
    }
    for (auto& t : threads) t.join();
    CHECK(ok.load() == 1000);
    CHECK(failed.load() == 0);
    CHECK(d.stop() == 0);
}

TEST_CASE("rpc: WebSocket calls, channels, cancellation and disconnects", "[integration][rpc]") {
    Daemon d(kNoModules);
    REQUIRE(d.start());
    auto conn = rpc::WsRpcClient::connect(d.api_info(), "/rpc/v1");
    REQUIRE(conn.ok());
    auto ws = *conn;

    SECTION("a call and an error over WebSocket") {
        auto r = ws->call("Filecoin.Version");
        REQUIRE(r.ok());
        CHECK(r->text.find("\"APIVersion\":131840") != std::string::npos);
        auto missing = ws->call("Filecoin.Nope");
        REQUIRE_FALSE(missing.ok());
        CHECK(missing.error().code.value() == -32601);
        auto bad = ws->call("Filecoin.Version", rpc::RawJson{"[1,2]"});
        REQUIRE_FALSE(bad.ok());
        CHECK(bad.error().code.value() == -32602);
    }
    SECTION("a channel streams values until cancelled, then closes") {
        std::mutex mu;
        std::vector<std::string> values;
        std::atomic<bool> closed{false};
        auto sub = ws->subscribe(
            "Venus.StatusNotify", rpc::RawJson{"[20]"},
            [&](rpc::RawJson v) {
                std::lock_guard lock(mu);
                values.push_back(v.text);
            },
            [&] { closed = true; });
        REQUIRE(sub.ok());
        CHECK(sub->channel_id >= 1);
        REQUIRE(venus::test::wait_until([&] { std::lock_guard lock(mu); return values.size() >= 3; }, std::chrono::seconds(5)));
        {
            std::lock_guard lock(mu);
            CHECK(values[0].find("\"Ready\":true") != std::string::npos);
        }
        ws->cancel(*sub);
        REQUIRE(venus::test::wait_until([&] { return closed.load(); }, std::chrono::seconds(5)));
        std::size_t after_close = 0;
        {
            std::lock_guard lock(mu);
            after_close = values.size();
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));  // no values may follow the close
        std::lock_guard lock(mu);
        CHECK(values.size() == after_close);
    }
    SECTION("channel methods over plain HTTP fail as go-jsonrpc does") {
        rpc::HttpRpcClient http(d.api_info());
        auto r = http.call("Venus.StatusNotify", rpc::RawJson{"[20]"});
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().message == "method 'Venus.StatusNotify' not supported in this mode (no out channel support)");
    }
    SECTION("a client that disconnects with open channels frees them") {
        auto other = rpc::WsRpcClient::connect(d.api_info(), "/rpc/v1");
        REQUIRE(other.ok());
        auto sub = (*other)->subscribe("Venus.StatusNotify", rpc::RawJson{"[10]"}, [](rpc::RawJson) {}, [] {});
        REQUIRE(sub.ok());
        auto closing = (*other)->subscribe("Filecoin.Closing", rpc::RawJson{"[]"}, [](rpc::RawJson) {}, [] {});
        REQUIRE(closing.ok());
        (*other)->close();
        rpc::HttpRpcClient http(d.api_info());
        // Only the test's own connections remain: the ws one and this HTTP client.
        CHECK(venus::test::wait_until(
            [&] {
                auto r = http.call("Venus.Status");
                return r.ok() && r->text.find("\"Connections\":2") != std::string::npos;
            },
            std::chrono::seconds(5)));
    }
    SECTION("permission denial over WebSocket") {
        auto read_token = make_read_token(d);
        auto info = d.api_info();
        info.token = read_token;
        auto ro = rpc::WsRpcClient::connect(info, "/rpc/v1");
        REQUIRE(ro.ok());
        auto r = (*ro)->call("Filecoin.Shutdown");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().message == "missing permission to invoke 'Filecoin.Shutdown' (need 'admin')");
    }
    SECTION("a WebSocket upgrade without a token is refused with 401") {
        auto info = d.api_info();
        info.token.clear();
        auto refused = rpc::WsRpcClient::connect(info, "/rpc/v1");
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.error().is(Errc::kUnauthenticated));
    }
    ws->close();
    CHECK(d.stop() == 0);
}

TEST_CASE("rpc: Closing channels close when the daemon shuts down", "[integration][rpc]") {
    Daemon d(kNoModules);
    REQUIRE(d.start());
    auto ws = rpc::WsRpcClient::connect(d.api_info(), "/rpc/v1");
    REQUIRE(ws.ok());
    std::atomic<bool> closed{false};
    auto sub = (*ws)->subscribe("Filecoin.Closing", rpc::RawJson{"[]"}, [](rpc::RawJson) {}, [&] { closed = true; });
    REQUIRE(sub.ok());
    CHECK_FALSE(closed.load());
    CHECK(d.stop() == 0);
    CHECK(venus::test::wait_until([&] { return closed.load(); }, std::chrono::seconds(5)));
}
