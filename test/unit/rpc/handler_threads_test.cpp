// SPDX-License-Identifier: Apache-2.0 OR MIT
// HandlerThreads: blocking handlers run on threads of their own, and drain() cancels and waits for
// them, so a module can close its store only once none of them still uses it.
#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <thread>

#include "venus/rpc/handler_threads.hpp"
#include "venus/rpc/json.hpp"

using namespace venus;

namespace {

// Calls `h` as the dispatcher would and returns the future answer.
std::future<Result<rpc::RawJson>> call(const rpc::Handler& h, const std::string& method = "Test.Wait") {
    auto done = std::make_shared<std::promise<Result<rpc::RawJson>>>();
    auto f = done->get_future();
    rpc::CallContext ctx;
    ctx.method = method;
    rpc::JsonDocument params;
    REQUIRE(rpc::parse_json("[1]", params).ok());
    h(ctx, params, rpc::Reply([done](Result<rpc::RawJson> r, std::shared_ptr<rpc::Channel>, std::optional<rpc::RpcError>) {
        done->set_value(std::move(r));
    }));
    return f;
}

}  // namespace

TEST_CASE("handler threads: drain cancels running calls, waits for them, refuses new ones", "[unit][rpc]") {
    auto threads = rpc::HandlerThreads::create();
    std::atomic<int> finished{0};
    std::atomic<int> params_seen{0};
    // Blocks until its call is cancelled (like WaitMessage), then answers.
    auto waiting = threads->wrap([&](rpc::CallContext& c, const rpc::JsonValue& p) -> Result<rpc::RawJson> {
        // Its own copy of the params, valid after the dispatcher's is gone (no Catch macros off the main thread).
        if (p.IsArray() && p.Size() == 1 && p[0].GetInt() == 1) ++params_seen;
        while (!c.cancel->cancelled()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        ++finished;
        return rpc::RawJson{"\"cancelled\""};
    });
    auto a = call(waiting);
    auto b = call(waiting);
    CHECK(a.wait_for(std::chrono::milliseconds(50)) == std::future_status::timeout);  // still running
    CHECK(threads->drain(std::chrono::seconds(10)) == 0);
    CHECK(finished == 2);  // both answered before drain returned
    CHECK(params_seen == 2);
    REQUIRE(a.wait_for(std::chrono::seconds(0)) == std::future_status::ready);
    CHECK(a.get()->text == "\"cancelled\"");
    CHECK(b.get()->text == "\"cancelled\"");
    auto late = call(waiting, "Test.Late").get();
    REQUIRE_FALSE(late);
    CHECK(late.error().message == "Test.Late: the daemon is shutting down");
}

TEST_CASE("handler threads: drain gives up after its timeout and says how many still run", "[unit][rpc]") {
    auto threads = rpc::HandlerThreads::create();
    std::atomic<bool> release{false};
    auto stubborn = threads->wrap([&](rpc::CallContext&, const rpc::JsonValue&) -> Result<rpc::RawJson> {
        while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));  // ignores cancellation
        return rpc::RawJson{"null"};
    });
    auto f = call(stubborn);
    CHECK(threads->drain(std::chrono::milliseconds(50)) == 1);
    release = true;
    CHECK(f.get()->text == "null");
    CHECK(threads->drain(std::chrono::seconds(10)) == 0);
}
