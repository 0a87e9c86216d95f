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
}

void SyncService::stop() noexcept {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
    for (auto& p : peers_) p->rpc->close();
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
