// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Follows the heads of the configured peers ([node] peers / --peer) and syncs to each one they
//! announce. One thread does all syncing, so blocks reach consensus in order and never twice at
//! once; a peer that goes away is reconnected every second, and catches this node up on return.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "node/sync/rpc_peer.hpp"
#include "node/sync/syncer.hpp"

namespace venus::plugins::node::sync {

class SyncService {
  public:
    SyncService(Syncer syncer, std::vector<rpc::ApiInfo> peers);
    ~SyncService();
    //! Where messages from peers' pools go (this node's pool, as untrusted pushes). Set before start().
    using MessageSink = std::function<void(const chain::SignedMessage&)>;
    void set_message_sink(MessageSink sink) { sink_ = std::move(sink); }
    void start();
    //! Idempotent; joins the sync thread.
    void stop() noexcept;

  private:
    struct Task {
        std::size_t peer;
        std::vector<chain::Cid> target;
    };
    struct Peer {
        std::unique_ptr<RpcPeer> rpc;
        std::atomic<bool> following{false};
        bool was_down_logged = false;
    };
    void run();
    void connect_peers();
    void enqueue(std::size_t peer, std::vector<chain::Cid> target);

    Syncer syncer_;
    MessageSink sink_;
    std::vector<std::unique_ptr<Peer>> peers_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<Task> queue_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace venus::plugins::node::sync
