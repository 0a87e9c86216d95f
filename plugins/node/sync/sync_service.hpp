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
#include <optional>
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
    //! Pushes a block this node accepted / messages its pool admitted to every connected peer, in
    //! the order given (a block's messages reach a peer before the block). Never blocks the caller.
    void push_block(chain::BlockMsg block);
    void push_messages(std::vector<chain::SignedMessage> msgs);
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
        std::string last_push_error;  // logged once until it changes (e.g. a token without write)
    };
    //! One queued push: a block, or messages when `block` is empty.
    struct Push {
        std::optional<chain::BlockMsg> block;
        std::vector<chain::SignedMessage> messages;
    };
    void run();
    void run_pushes();
    void push_to_peers(const Push& p);
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
    // Pushes have their own thread: a long catch-up must not delay announcing a fresh block.
    std::deque<Push> pushes_;
    std::condition_variable push_cv_;
    std::thread pusher_;
};

}  // namespace venus::plugins::node::sync
