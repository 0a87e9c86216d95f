// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "node/sync/sync_service.hpp"

#include <chrono>

#include "venus/core/log.hpp"

namespace venus::plugins::node::sync {

SyncService::SyncService(Syncer syncer, std::vector<rpc::ApiInfo> peers) : syncer_(std::move(syncer)) {
    for (auto& p : peers) {
        auto peer = std::make_unique<Peer>();
        peer->rpc = std::make_unique<RpcPeer>(std::move(p));
        peers_.push_back(std::move(peer));
    }
}

SyncService::~SyncService() { stop(); }

void SyncService::start() {
    std::lock_guard lock(mu_);
    if (thread_.joinable() || stopping_) return;
    thread_ = std::thread([this] { run(); });
    pusher_ = std::thread([this] { run_pushes(); });
}

void SyncService::stop() noexcept {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    cv_.notify_all();
    push_cv_.notify_all();
    // Closing first fails any call in flight, so a frozen peer cannot hold up the stop.
    for (auto& p : peers_) p->rpc->close();
    if (thread_.joinable()) thread_.join();
    if (pusher_.joinable()) pusher_.join();
}

void SyncService::enqueue(std::size_t peer, std::vector<chain::Cid> target) {
    {
        std::lock_guard lock(mu_);
        // A newer head from the same peer supersedes one not yet synced to.
        for (auto& t : queue_) {
            if (t.peer == peer) {
                t.target = std::move(target);
                cv_.notify_one();
                return;
            }
        }
        queue_.push_back(Task{peer, std::move(target)});
    }
    cv_.notify_one();
}

void SyncService::push_block(chain::BlockMsg block) {
    {
        std::lock_guard lock(mu_);
        if (stopping_) return;
        pushes_.push_back(Push{std::move(block), {}});
    }
    push_cv_.notify_one();
}

void SyncService::push_messages(std::vector<chain::SignedMessage> msgs) {
    if (msgs.empty()) return;
    {
        std::lock_guard lock(mu_);
        if (stopping_) return;
        // Consecutive message batches merge: one wake-up for a burst of admissions.
        if (!pushes_.empty() && !pushes_.back().block) {
            auto& tail = pushes_.back().messages;
            tail.insert(tail.end(), std::make_move_iterator(msgs.begin()), std::make_move_iterator(msgs.end()));
        } else {
            pushes_.push_back(Push{std::nullopt, std::move(msgs)});
        }
    }
    push_cv_.notify_one();
}

void SyncService::run_pushes() {
    for (;;) {
        Push p;
        {
            std::unique_lock lock(mu_);
            push_cv_.wait(lock, [this] { return stopping_ || !pushes_.empty(); });
            if (stopping_) return;
            p = std::move(pushes_.front());
            pushes_.pop_front();
        }
        push_to_peers(p);
    }
}

void SyncService::push_to_peers(const Push& p) {
    auto log = log::get("sync");
    for (auto& peer : peers_) {
        // A peer that is down catches up by pull when it comes back: nothing to queue for it.
        if (!peer->following.load()) continue;
        auto& rpc = *peer->rpc;
        if (p.block) {
            // The peer validates the block itself; one it already has is answered at once.
            auto st = rpc.submit_block(*p.block);
            const std::string why = st ? std::string() : st.error().message;
            if (!why.empty() && why != peer->last_push_error) {
                // Not fatal: a peer that follows this node still pulls the block.
                log->warn("pushing block at height {} to {} failed (further identical failures not logged): {}",
                          p.block->header.height, rpc.name(), why);
            }
            peer->last_push_error = why;
            continue;
        }
        std::size_t refused = 0;
        for (const auto& m : p.messages) {
            // Refusals are expected (the peer has it already, or got it from another peer first).
            if (!rpc.push_message(m)) ++refused;
        }
        if (refused > 0) log->debug("{} of {} messages not taken by {}", refused, p.messages.size(), rpc.name());
    }
}

void SyncService::connect_peers() {
    auto log = log::get("sync");
    for (std::size_t i = 0; i < peers_.size(); ++i) {
        auto& p = *peers_[i];
        if (p.following.load()) continue;
        auto st = p.rpc->connect();
        if (st) {
            // The first ChainNotify value is the peer's current head: that is the catch-up.
            st = p.rpc->follow([this, i](std::vector<chain::Cid> head) { enqueue(i, std::move(head)); },
                               [this, &p] {
                                   p.following.store(false);
                                   cv_.notify_one();
                               });
        }
        if (st && sink_) {
            // A peer without a message pool still serves blocks: its MpoolSub failing is only logged.
            if (auto m = p.rpc->follow_mpool([this](chain::SignedMessage msg) { sink_(msg); }); !m) {
                log->warn("peer {}: not following its message pool: {}", p.rpc->name(), m.error().message);
            }
        }
        if (st) {
            p.following.store(true);
            p.was_down_logged = false;
            log->info("following peer {}", p.rpc->name());
        } else if (!p.was_down_logged) {
            p.was_down_logged = true;
            log->warn("peer {} unavailable (retrying every second): {}", p.rpc->name(), st.error().message);
        }
    }
}

void SyncService::run() {
    auto log = log::get("sync");
    for (;;) {
        connect_peers();
        Task task;
        {
            std::unique_lock lock(mu_);
            cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_ || !queue_.empty(); });
            if (stopping_) return;
            if (queue_.empty()) continue;
            task = std::move(queue_.front());
            queue_.pop_front();
        }
        auto& peer = *peers_[task.peer]->rpc;
        auto r = syncer_.sync_to(peer, task.target);
        if (!r) {
            log->warn("sync from {} failed: {}", peer.name(), r.error().message);
        } else if (r->fetched > 0) {
            log->info("synced from {}: heights {}..{}, {} blocks fetched, {} accepted, {} rejected", peer.name(), r->from,
                      r->to, r->fetched, r->accepted, r->rejected);
        }
    }
}

}  // namespace venus::plugins::node::sync
