// SPDX-License-Identifier: Apache-2.0 OR MIT
// The gateway's wire format and its request hub (routing, failover, timeouts, bounded queues).
#include <catch2/catch.hpp>

#include <asio/executor_work_guard.hpp>
#include <thread>

#include "hub.hpp"
#include "support/fixtures.hpp"

using namespace venus;
using namespace venus::plugins::gateway;
namespace wire = venus::api::wire;

namespace {

//! Records what the hub pushes; a test plays the provider.
class FakeChannel final : public rpc::Channel {
  public:
    std::uint64_t id() const override { return 1; }
    bool send(rpc::RawJson v) override {
        std::lock_guard lock(mu);
        if (closed_) return false;
        sent.push_back(std::move(v.text));
        return true;
    }
    void close() override {
        std::vector<std::function<void()>> fns;
        {
            std::lock_guard lock(mu);
            if (closed_) return;
            closed_ = true;
            fns.swap(on_close_);
        }
        for (auto& f : fns) f();
    }
    bool closed() const override {
        std::lock_guard lock(mu);
        return closed_;
    }
    void on_close(std::function<void()> fn) override {
        std::lock_guard lock(mu);
        on_close_.push_back(std::move(fn));
    }
    std::vector<wire::RequestEvent> events() {
        std::lock_guard lock(mu);
        std::vector<wire::RequestEvent> out;
        for (const auto& s : sent) {
            rpc::JsonDocument d;
            REQUIRE(rpc::parse_json(s, d).ok());
            out.push_back(*wire::parse_request_event(d));
        }
        return out;
    }
    mutable std::mutex mu;
    std::vector<std::string> sent;
    bool closed_ = false;
    std::vector<std::function<void()>> on_close_;
};

struct Outcome {
    std::mutex mu;
    std::optional<Result<std::string>> r;
    void set(Result<std::string> v) {
        std::lock_guard lock(mu);
        REQUIRE_FALSE(r.has_value());  // exactly once
        r = std::move(v);
    }
    bool done() {
        std::lock_guard lock(mu);
        return r.has_value();
    }
};

}  // namespace

TEST_CASE("wire: events carry base64 JSON payloads", "[gateway]") {
    auto j = wire::to_json(wire::RequestEvent{"id-1", "WalletSign", R"({"a":1})"});
    CHECK(j.text == R"({"Id":"id-1","Method":"WalletSign","Payload":"eyJhIjoxfQ=="})");
    rpc::JsonDocument d;
    REQUIRE(rpc::parse_json(R"({"id":"x","payload":"bnVsbA==","error":""})", d).ok());
    auto r = wire::parse_response_event(d);
    REQUIRE(r);
    CHECK(r->id == "x");
    CHECK(r->payload == "null");
    auto uuid = wire::new_uuid();
    CHECK(uuid.size() == 36);
    CHECK(uuid[14] == '4');
}

TEST_CASE("wire: WalletSignRequest and Signature", "[gateway]") {
    auto addr = *chain::Address::new_id(1000);
    auto j = wire::to_json(wire::WalletSignRequest{addr, Bytes{1, 2}, {"verifyaddress", Bytes{3}}});
    CHECK(j.text == R"({"Signer":"t01000","ToSign":"AQI=","Meta":{"Type":"verifyaddress","Extra":"Aw=="}})");
    rpc::JsonDocument d;
    REQUIRE(rpc::parse_json(j.text, d).ok());
    auto back = wire::parse_wallet_sign_request(d);
    REQUIRE(back);
    CHECK(back->to_sign == Bytes{1, 2});
    CHECK(back->meta.extra == Bytes{3});
    REQUIRE(rpc::parse_json(R"({"Type":4,"Data":"AA=="})", d).ok());
    CHECK_FALSE(wire::parse_signature(d));
}

TEST_CASE("hub: a response completes the request, unknown ids are refused", "[gateway]") {
    Hub hub(HubOptions{});
    auto ch = std::make_shared<FakeChannel>();
    auto c = hub.add(StreamKind::kWallet, "alice", "", "127.0.0.1:1", {}, ch);
    Outcome out;
    hub.send(c->id, "WalletList", "null", [&](Result<std::string> r) { out.set(std::move(r)); });
    auto evs = ch->events();
    REQUIRE(evs.size() == 1);
    CHECK(evs[0].method == "WalletList");
    CHECK(hub.respond({"nope", "1", ""}).error().message == "request id nope not exit");
    REQUIRE(hub.respond({evs[0].id, R"(["t01"])", ""}));
    REQUIRE(out.done());
    CHECK(out.r->value() == R"(["t01"])");
    CHECK(hub.pending_count() == 0);
}

TEST_CASE("hub: closing a stream fails its requests, failover reaches the other stream", "[gateway]") {
    Hub hub(HubOptions{});
    auto a = std::make_shared<FakeChannel>();
    auto b = std::make_shared<FakeChannel>();
    auto ca = hub.add(StreamKind::kWallet, "alice", "", "h:1", {}, a);
    auto cb = hub.add(StreamKind::kWallet, "alice", "", "h:2", {}, b);
    Outcome out;
    hub.send_failover({ca->id, cb->id}, "WalletSign", "{}", [&](Result<std::string> r) { out.set(std::move(r)); });
    REQUIRE(a->events().size() == 1);
    CHECK(b->events().empty());
    hub.remove(ca->id, "killed");  // the first wallet dies mid-request
    REQUIRE(b->events().size() == 1);
    CHECK_FALSE(out.done());
    REQUIRE(hub.respond({b->events()[0].id, R"({"Type":1,"Data":"AA=="})", ""}));
    REQUIRE(out.done());
    CHECK(out.r->ok());
}

TEST_CASE("hub: every stream failing gives 'all request failed'", "[gateway]") {
    Hub hub(HubOptions{});
    auto a = std::make_shared<FakeChannel>();
    auto b = std::make_shared<FakeChannel>();
    auto ca = hub.add(StreamKind::kWallet, "alice", "", "h:1", {}, a);
    auto cb = hub.add(StreamKind::kWallet, "alice", "", "h:2", {}, b);
    Outcome out;
    hub.send_failover({ca->id, cb->id}, "WalletSign", "{}", [&](Result<std::string> r) { out.set(std::move(r)); });
    REQUIRE(hub.respond({a->events()[0].id, "", "refused"}));
    REQUIRE(hub.respond({b->events()[0].id, "", "refused too"}));
    REQUIRE(out.done());
    REQUIRE_FALSE(out.r->ok());
    CHECK(out.r->error().message == "all request failed: WalletSign refused too");
}

TEST_CASE("hub: bounded queue per stream", "[gateway]") {
    HubOptions o;
    o.queue_size = 2;
    Hub hub(o);
    auto a = std::make_shared<FakeChannel>();
    auto ca = hub.add(StreamKind::kProof, "alice", "t01000", "h:1", {}, a);
    Outcome o1, o2, o3;
    hub.send(ca->id, "ComputeProof", "{}", [&](Result<std::string> r) { o1.set(std::move(r)); });
    hub.send(ca->id, "ComputeProof", "{}", [&](Result<std::string> r) { o2.set(std::move(r)); });
    hub.send(ca->id, "ComputeProof", "{}", [&](Result<std::string> r) { o3.set(std::move(r)); });
    REQUIRE(o3.done());
    CHECK(o3.r->error().message.find("queue_size") != std::string::npos);
    CHECK_FALSE(o1.done());
    hub.stop();
    CHECK(o1.done());
    CHECK(o2.done());
}

TEST_CASE("hub: a request that is never answered times out (no failover)", "[gateway]") {
    HubOptions o;
    o.timeout[0] = std::chrono::milliseconds(200);
    Hub hub(o);
    asio::io_context io;
    auto guard = asio::make_work_guard(io);
    std::thread t([&] { io.run(); });
    hub.start(io);
    auto a = std::make_shared<FakeChannel>();
    auto b = std::make_shared<FakeChannel>();
    auto ca = hub.add(StreamKind::kWallet, "alice", "", "h:1", {}, a);
    auto cb = hub.add(StreamKind::kWallet, "alice", "", "h:2", {}, b);
    Outcome out;
    const auto t0 = std::chrono::steady_clock::now();
    hub.send_failover({ca->id, cb->id}, "WalletSign", "{}", [&](Result<std::string> r) { out.set(std::move(r)); });
    REQUIRE(test::wait_until([&] { return out.done(); }, std::chrono::seconds(5)));
    const auto took = std::chrono::steady_clock::now() - t0;
    CHECK(took >= std::chrono::milliseconds(200));
    CHECK(took < std::chrono::milliseconds(1500));
    CHECK(out.r->error().is(Errc::kTimeout));
    CHECK(out.r->error().message.find("exceed wait time") != std::string::npos);
    CHECK(b->events().empty());
    hub.stop();
    guard.reset();
    io.stop();
    t.join();
}
