// SPDX-License-Identifier: Apache-2.0 OR MIT
// The syncer's walk: from an announced tipset back to blocks this node has, then submitted lowest
// first; descendants of a refused block are never submitted; walks are bounded.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "support/chain_harness.hpp"
#include "node/sync/syncer.hpp"

using namespace venus;
using namespace venus::plugins::node;
using venus::test::node::ChainHarness;

namespace {

// A peer that serves a fixed set of headers and counts what it is asked for.
class FakePeer final : public sync::ChainExchange {
  public:
    std::map<chain::Cid, chain::BlockHeader> headers;
    std::size_t header_calls = 0, message_calls = 0;

    std::string name() const override { return "fake"; }
    Result<chain::BlockHeader> header(const chain::Cid& cid) override {
        ++header_calls;
        auto it = headers.find(cid);
        if (it == headers.end()) return make_error(Errc::kNotFound, "no block {}", cid.to_string());
        return it->second;
    }
    Result<api::BlockContents> messages(const chain::Cid&) override {
        ++message_calls;
        return api::BlockContents{};
    }
    Result<std::vector<chain::Cid>> head() override { return make_error(Errc::kUnsupported, "unused"); }

    chain::Cid add(chain::BlockHeader h) {
        auto cid = h.cid().value();
        headers.emplace(cid, std::move(h));
        return cid;
    }
};

// A linked chain of headers above the harness's genesis (not valid blocks: the submit seam judges).
std::vector<chain::Cid> build_chain(FakePeer& peer, const chain::BlockHeader& genesis, const chain::Cid& genesis_cid,
                                    int n, std::uint64_t salt = 0) {
    std::vector<chain::Cid> out;
    chain::Cid parent = genesis_cid;
    for (int i = 1; i <= n; ++i) {
        auto h = genesis;
        h.height = i;
        h.parents = {parent};
        h.timestamp = genesis.timestamp + 4 * static_cast<std::uint64_t>(i) + salt;
        parent = peer.add(std::move(h));
        out.push_back(parent);
    }
    return out;
}

}  // namespace

TEST_CASE("syncer walks back to known blocks and submits lowest first", "[unit][sync]") {
    ChainHarness h;
    const auto gts = h.cs->genesis().value();
    const auto& genesis = gts.blocks().front();
    FakePeer peer;
    const auto chain = build_chain(peer, genesis, gts.cids().front(), 5);

    std::vector<chain::ChainEpoch> submitted;
    std::set<chain::Cid> refuse;
    sync::Syncer syncer(*h.svc, [&](const chain::BlockHeader& b, api::BlockContents) {
        submitted.push_back(b.height);
        const bool bad = refuse.count(b.cid().value()) != 0;
        return sync::Syncer::Outcome{!bad, bad, bad ? "refused" : ""};
    });

    // What SyncState is told: stage 3 while running, then 4 (complete) or 5 (error), the peer's tipset as target.
    struct Report {
        chain::ChainEpoch target;
        int stage;
        bool done;
    };
    std::vector<Report> reports;
    syncer.set_progress([&](const chain::TipSet& base, const chain::TipSet& target, int stage, const std::string&, bool done) {
        CHECK(base.height() == 0);
        reports.push_back({target.height(), stage, done});
    });

    SECTION("every missing block once, in height order") {
        auto r = syncer.sync_to(peer, {chain.back()});
        REQUIRE(reports.size() == 2);
        CHECK((reports[0].target == 5 && reports[0].stage == 3 && !reports[0].done));
        CHECK((reports[1].target == 5 && reports[1].stage == 4 && reports[1].done));
        REQUIRE(r.ok());
        CHECK(r->fetched == 5);
        CHECK(r->accepted == 5);
        CHECK(r->from == 1);
        CHECK(r->to == 5);
        CHECK(submitted == std::vector<chain::ChainEpoch>{1, 2, 3, 4, 5});
        CHECK(peer.header_calls == 5);
        CHECK(peer.message_calls == 5);
    }
    SECTION("a refused block stops its descendants") {
        refuse.insert(chain[1]);
        auto r = syncer.sync_to(peer, {chain.back()});
        REQUIRE(r.ok());
        CHECK(submitted == std::vector<chain::ChainEpoch>{1, 2});
        CHECK(r->accepted == 1);
        CHECK(r->rejected == 1);
        REQUIRE(reports.size() == 2);
        CHECK(reports[1].stage == 5);
        CHECK(peer.message_calls == 2);
    }
    SECTION("a known target needs nothing") {
        auto r = syncer.sync_to(peer, {gts.cids().front()});
        REQUIRE(r.ok());
        CHECK(r->fetched == 0);
        CHECK(submitted.empty());
        CHECK(reports.empty());
    }
    SECTION("walks are bounded") {
        sync::Syncer limited(*h.svc, [&](const chain::BlockHeader&, api::BlockContents) { return sync::Syncer::Outcome{true, false, ""}; },
                             sync::SyncLimits{3});
        auto r = limited.sync_to(peer, {chain.back()});
        REQUIRE(!r);
        CHECK(r.error().is(Errc::kOutOfRange));
        CHECK(submitted.empty());
    }
    SECTION("a chain from another genesis is refused before anything is submitted") {
        FakePeer other;
        auto g2 = genesis;
        g2.timestamp += 1;
        const auto g2cid = other.add(g2);
        const auto foreign = build_chain(other, g2, g2cid, 2);
        auto r = syncer.sync_to(other, {foreign.back()});
        REQUIRE(!r);
        CHECK_THAT(r.error().message, Catch::Contains("another genesis"));
        CHECK(submitted.empty());
    }
    SECTION("a peer that cannot serve a parent fails the sync") {
        peer.headers.erase(chain[2]);
        auto r = syncer.sync_to(peer, {chain.back()});
        REQUIRE(!r);
        CHECK(submitted.empty());
    }
}
