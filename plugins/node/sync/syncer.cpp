// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "node/sync/syncer.hpp"

#include <algorithm>
#include <unordered_set>

#include "consensus/consensus_service.hpp"
#include "venus/core/log.hpp"

namespace venus::plugins::node::sync {

Syncer::Syncer(api::Node& node, Submit submit, SyncLimits limits)
    : node_(node), submit_(std::move(submit)), limits_(limits) {}

Syncer Syncer::with_consensus(api::Node& node, consensus::ConsensusService& cs, SyncLimits limits) {
    auto* c = &cs;
    Syncer s(
        node,
        [c](const chain::BlockHeader& h, api::BlockContents msgs) {
            consensus::FullBlock b{h, std::move(msgs.bls_messages), std::move(msgs.secp_messages)};
            const auto v = c->submit(b);
            // A block from the near future is queued by consensus: accepted as far as sync goes.
            return Outcome{v.ok() || v.failure == consensus::Failure::kTemporal,
                           v.failure == consensus::Failure::kInvalid, v.reason};
        },
        limits);
    s.set_progress([c, started = std::uint64_t{0}](const chain::TipSet& base, const chain::TipSet& target, int stage,
                                                   const std::string& message, bool done) mutable {
        if (!done) started = c->now();
        c->report_peer_sync(consensus::PeerSync{base, target, stage, message, started, done ? c->now() : 0});
    });
    return s;
}

Result<SyncReport> Syncer::sync_to(ChainExchange& peer, const std::vector<chain::Cid>& target) {
    SyncReport report;
    std::vector<chain::BlockHeader> missing;
    std::unordered_set<chain::Cid> queued;
    std::vector<chain::Cid> frontier;
    std::vector<chain::BlockHeader> target_headers;  // for SyncState
    for (const auto& c : target) {
        if (!node_.block(c) && queued.insert(c).second) frontier.push_back(c);
    }
    // Walk back to blocks this node has: every header is fetched once, whatever the fork shape.
    while (!frontier.empty()) {
        if (missing.size() >= limits_.max_headers) {
            return make_error(Errc::kOutOfRange, "sync from {}: more than {} missing blocks", peer.name(),
                              limits_.max_headers);
        }
        const chain::Cid c = std::move(frontier.back());
        frontier.pop_back();
        VENUS_TRY(auto h, peer.header(c));
        ++report.fetched;
        if (std::find(target.begin(), target.end(), c) != target.end()) target_headers.push_back(h);
        if (h.height == 0) {
            return make_error(Errc::kInvalidArgument, "sync from {}: peer's chain has another genesis {}", peer.name(),
                              c.to_string());
        }
        for (const auto& p : h.parents) {
            if (!node_.block(p) && queued.insert(p).second) frontier.push_back(p);
        }
        missing.push_back(std::move(h));
    }
    if (missing.empty()) return report;
    // What SyncState shows while this runs: this node's head, the peer's tipset.
    std::optional<chain::TipSet> base, target_ts;
    if (progress_) {
        if (auto ts = chain::TipSet::create(std::move(target_headers)); ts) target_ts = std::move(*ts);
        base = node_.head();
        if (target_ts) progress_(*base, *target_ts, 3, "", false);
    }
    auto r = submit_all(peer, std::move(missing));
    if (progress_ && target_ts) {
        if (!r) {
            progress_(*base, *target_ts, 5, r.error().message, true);
        } else if (r->rejected > 0 || r->accepted == 0) {
            progress_(*base, *target_ts, 5, fmt::format("{} blocks rejected", r->rejected), true);
        } else {
            progress_(*base, *target_ts, 4, "", true);
        }
    }
    if (r) {
        r->fetched += report.fetched;
    }
    return r;
}

Result<SyncReport> Syncer::submit_all(ChainExchange& peer, std::vector<chain::BlockHeader> missing) {
    SyncReport report;
    std::stable_sort(missing.begin(), missing.end(),
                     [](const chain::BlockHeader& a, const chain::BlockHeader& b) { return a.height < b.height; });
    report.from = missing.front().height;
    report.to = missing.back().height;
    std::unordered_set<chain::Cid> failed;
    for (const auto& h : missing) {
        VENUS_TRY(auto cid, h.cid());
        const bool parent_failed =
            std::any_of(h.parents.begin(), h.parents.end(), [&](const chain::Cid& p) { return failed.count(p) != 0; });
        if (parent_failed) {
            failed.insert(cid);
            continue;
        }
        VENUS_TRY(auto msgs, peer.messages(cid));
        const auto out = submit_(h, std::move(msgs));
        if (out.ok) {
            ++report.accepted;
            continue;
        }
        failed.insert(cid);
        if (out.invalid) ++report.rejected;
        log::get("sync")->warn("block {} at height {} from {} not accepted: {}", cid.to_string(), h.height, peer.name(),
                               out.reason);
    }
    return report;
}

}  // namespace venus::plugins::node::sync
