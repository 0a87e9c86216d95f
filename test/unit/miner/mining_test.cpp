// SPDX-License-Identifier: Apache-2.0 OR MIT
// The miner's wire pieces: DrawRandomParams as the wallet decodes it (so a `drawrandomparam` sign
// yields exactly the consensus ticket/election randomness), and in-process node calls through the
// method registry (execution class honoured, errors, timeout).
#include <catch2/catch.hpp>

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/thread_pool.hpp>
#include <thread>

#include "consensus/election.hpp"
#include "consensus/params.hpp"
#include "consensus/randomness.hpp"
#include "mining.hpp"
#include "venus/rpc/method_caller.hpp"
#include "wallet/signing.hpp"

using namespace venus;
using namespace venus::plugins::miner;

TEST_CASE("miner: DrawRandomParams decode in the wallet to the consensus randomness", "[unit][miner]") {
    const Bytes rbase(32, 0x42);
    const auto miner = chain::Address::new_id(1000).value();
    const Bytes min_ticket(96, 7);
    plugins::consensus::ConsensusParams p;
    Bytes entropy = plugins::consensus::miner_entropy(miner);
    Bytes ticket_entropy = entropy;
    if (10 > p.upgrade_smoke_height) ticket_entropy.insert(ticket_entropy.end(), min_ticket.begin(), min_ticket.end());

    const auto ticket_cbor = encode_draw_random_params(rbase, 1, 10 - p.ticket_randomness_lookback, ticket_entropy);
    auto decoded = plugins::wallet::decode_draw_random_params(ticket_cbor);
    REQUIRE(decoded.ok());
    CHECK(decoded->pers == 1);
    CHECK(decoded->round == 9);
    // Byte-identical with the wallet's own encoder (fxamacker map, field order Rbase Pers Round Entropy).
    CHECK(plugins::wallet::encode_draw_random_params(*decoded) == ticket_cbor);
    const auto signed_bytes = plugins::wallet::checked_sign_bytes(ticket_cbor, api::SignMeta{"drawrandomparam", {}}, {});
    REQUIRE(signed_bytes.ok());
    const auto want = plugins::consensus::ticket_randomness(rbase, miner, 10, min_ticket, p);
    CHECK(*signed_bytes == Bytes(want.begin(), want.end()));

    const auto election_cbor = encode_draw_random_params(rbase, 2, 10, entropy);
    const auto election = plugins::wallet::checked_sign_bytes(election_cbor, api::SignMeta{"drawrandomparam", {}}, {});
    REQUIRE(election.ok());
    const auto want_e = plugins::consensus::election_randomness(rbase, miner, 10);
    CHECK(*election == Bytes(want_e.begin(), want_e.end()));
}

TEST_CASE("miner: in-process node calls through the method registry", "[unit][miner]") {
    rpc::MethodRegistry methods;
    asio::io_context control;
    asio::thread_pool workers(1);
    auto guard = asio::make_work_guard(control);
    std::thread control_thread([&] { control.run(); });
    std::thread::id control_id = control_thread.get_id();
    std::atomic<bool> ran_on_control{false};  // on the control thread, as admin, in process
    REQUIRE(methods.add({"Test.Echo", rpc::Perm::kRead, rpc::Exec::kControl, 1, 1,
                         rpc::sync_handler([&](rpc::CallContext& c, const rpc::JsonValue& p) -> Result<rpc::RawJson> {
                             // Catch assertions are not thread-safe: note what to check.
                             ran_on_control = std::this_thread::get_id() == control_id &&
                                              c.claims.perm == rpc::Perm::kAdmin &&
                                              c.transport == rpc::Transport::kInProcess;
                             return rpc::json_int(p[0].GetInt64() + 1);
                         }),
                         "echo"})
                .ok());
    REQUIRE(methods.add({"Test.Fail", rpc::Perm::kRead, rpc::Exec::kWorker, 0, 0,
                         rpc::sync_handler([](rpc::CallContext&, const rpc::JsonValue&) -> Result<rpc::RawJson> {
                             return make_error(Errc::kInvalidArgument, "no such thing");
                         }),
                         "fails"})
                .ok());
    REQUIRE(methods.add({"Test.Never", rpc::Perm::kRead, rpc::Exec::kInline, 0, 0,
                         [](rpc::CallContext&, const rpc::JsonValue&, rpc::Reply) {}, "never answers"})
                .ok());
    auto stopping = std::make_shared<std::atomic<bool>>(false);
    auto call = rpc::local_caller(methods, control, workers, stopping, "miner");

    auto r = call("Test.Echo", rpc::RawJson{"[41]"}, std::chrono::seconds(5));
    REQUIRE(r.ok());
    CHECK(r->text == "42");
    CHECK(ran_on_control);

    auto f = call("Test.Fail", rpc::RawJson{"[]"}, std::chrono::seconds(5));
    REQUIRE_FALSE(f.ok());
    CHECK_THAT(f.error().message, Catch::Contains("no such thing"));

    auto unknown = call("Test.Nope", rpc::RawJson{"[]"}, std::chrono::seconds(1));
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().is(Errc::kNotFound));

    auto count = call("Test.Echo", rpc::RawJson{"[1, 2]"}, std::chrono::seconds(1));
    REQUIRE_FALSE(count.ok());
    CHECK_THAT(count.error().message, Catch::Contains("wrong param count"));

    // A dropped reply ends at the timeout, and at once when the miner stops.
    auto never = call("Test.Never", rpc::RawJson{"[]"}, std::chrono::milliseconds(200));
    REQUIRE_FALSE(never.ok());
    CHECK(never.error().is(Errc::kTimeout));
    stopping->store(true);
    const auto t0 = std::chrono::steady_clock::now();
    auto cancelled = call("Test.Never", rpc::RawJson{"[]"}, std::chrono::seconds(30));
    CHECK(cancelled.error().is(Errc::kCancelled));
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(2));

    guard.reset();
    control.stop();
    control_thread.join();
    workers.join();
}

TEST_CASE("miner: a block the node refuses goes to the fallback submit nodes in order", "[unit][miner]") {
    std::vector<std::string> calls;
    auto node = [&](std::string name, bool ok) {
        return NodeLink([&calls, name, ok](std::string_view method, const rpc::RawJson& params,
                                           std::chrono::milliseconds) -> Result<rpc::RawJson> {
            calls.push_back(name + " " + std::string(method));
            CHECK(params.text.front() == '[');
            if (!ok) return make_error(Errc::kUnavailable, "{} cannot take it", name);
            return rpc::RawJson{"null"};
        });
    };
    chain::BlockMsg block;
    block.header.miner = chain::Address::new_id(1000).value();
    block.header.height = 7;

    SECTION("the node takes it: no fallback is asked") {
        auto main = node("main", true);
        std::vector<NodeLink> fallbacks{node("f1", true)};
        auto r = submit_with_fallback(main, fallbacks, block);
        REQUIRE(r.ok());
        CHECK(*r == 0);
        CHECK(calls == std::vector<std::string>{"main Filecoin.SyncSubmitBlock"});
    }
    SECTION("the node and the first fallback refuse: the second takes it") {
        auto main = node("main", false);
        std::vector<NodeLink> fallbacks{node("f1", false), node("f2", true), node("f3", true)};
        auto r = submit_with_fallback(main, fallbacks, block);
        REQUIRE(r.ok());
        CHECK(*r == 2);
        CHECK(calls == std::vector<std::string>{"main Filecoin.SyncSubmitBlock", "f1 Filecoin.SyncSubmitBlock",
                                                "f2 Filecoin.SyncSubmitBlock"});
    }
    SECTION("nobody takes it: every answer is in the error") {
        auto main = node("main", false);
        std::vector<NodeLink> fallbacks{node("f1", false)};
        auto r = submit_with_fallback(main, fallbacks, block);
        REQUIRE_FALSE(r.ok());
        CHECK_THAT(r.error().message, Catch::Contains("node: main cannot take it") &&
                                          Catch::Contains("fallback 1: f1 cannot take it"));
    }
}
