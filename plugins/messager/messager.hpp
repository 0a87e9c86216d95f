// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The messager's core: what the `Message.*` methods do (push, queries, replace, mark-bad, recover,
//! address and fee settings) and the chain loop — on each new head (debounced) it follows the
//! chain (receipts, reorgs, conflicts) and selects: per active address it reconciles the nonce with
//! the chain, re-pushes pending signed messages, estimates a batch of new ones in one call, gets
//! them signed through the gateway and saves them with the address nonce in one transaction
//! before pushing (sophon-messager service/message_selector.go, message_state_refresh.go).
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <future>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "node_link.hpp"
#include "settings.hpp"
#include "store/messager_store.hpp"
#include "types.hpp"
#include "venus/api/auth.hpp"
#include "venus/api/gateway.hpp"
#include "venus/core/metrics.hpp"
#include "venus/rpc/perm.hpp"

namespace venus::plugins::messager {

struct Counters {
    std::atomic<std::uint64_t> estimate_failures{0};
    std::atomic<std::uint64_t> sign_failures{0};
    std::atomic<std::uint64_t> filled{0};
    std::atomic<std::uint64_t> pushed{0};
    std::atomic<std::uint64_t> push_failures{0};
    std::atomic<std::uint64_t> on_chain{0};
    std::atomic<std::uint64_t> conflicts{0};
    std::atomic<std::uint64_t> reverted{0};
    std::atomic<std::uint64_t> rounds{0};
    // Where selection time goes (microseconds, summed over threads).
    std::atomic<std::uint64_t> load_us{0};
    std::atomic<std::uint64_t> estimate_us{0};
    std::atomic<std::uint64_t> sign_us{0};
    std::atomic<std::uint64_t> save_us{0};
};

//! ReplacMessageParams.
struct ReplaceParams {
    std::string id;
    bool automatic = false;
    chain::TokenAmount max_fee;
    std::int64_t gas_limit = 0;
    chain::TokenAmount gas_premium;
    chain::TokenAmount gas_fee_cap;
    double gas_over_premium = 0;
};

class Messager {
  public:
    Messager(MessagerStore& store, NodeLink node, std::shared_ptr<api::Gateway> gateway, std::shared_ptr<api::Auth> auth,
             Settings settings, metrics::Registry* metrics = nullptr);
    ~Messager();

    // ---- API ----------------------------------------------------------------------------------
    //! Non-admin callers may act only on signers bound to their user (sophon-messager PR #314).
    Status check_signer(const rpc::Claims& c, const chain::Address& from);
    Status check_signer(const rpc::Claims& c, const std::string& from);
    //! PushMessage / PushMessageWithId: validated, stored UnFill; returns the id.
    Result<std::string> push(const rpc::Claims& c, std::string id, chain::Message msg, SendSpec spec);
    Result<Message> get(const std::string& id);
    Result<std::string> replace(const ReplaceParams& p);
    Status republish(const std::string& id);
    Result<std::vector<std::string>> recover_failed(const std::string& from);
    Result<std::int64_t> clear_unfill(const std::string& from);
    //! StateSearchMsg for one FillMsg (UpdateFilledMessageByID); returns the id.
    Result<std::string> update_filled(const std::string& id);
    //! StateSearchMsg for every FillMsg of an active address (UpdateAllFilledMessage).
    Result<std::int64_t> update_all_filled();
    std::int64_t head_height() const { return head_height_.load(); }
    std::uint64_t block_delay_secs() const { return block_delay_secs_.load(); }

    // ---- chain loop ---------------------------------------------------------------------------
    void start();
    void stop();
    //! Wakes the loop (the local node's head-change notification).
    void notify_head();
    //! Follows the chain to `head`: receipts of newly executed tipsets, reverts, conflicts.
    Status process_head(const chain::TipSet& head);
    //! One selection round on `head` over every active address.
    Status select(const chain::TipSet& head);

    Counters& counters() { return counters_; }
    MessagerStore& store() { return store_; }
    NodeLink& node() { return node_; }

  private:
    struct AddrRound;
    //! A signed batch of one address, saved with the rest of the round before any is pushed.
    struct PendingFill {
        FillResult result;
        std::uint64_t chain_nonce = 0;
    };
    Status select_address(const Address& a, const chain::TipSet& head, const std::map<std::string, std::uint64_t>& applied,
                          const SharedParams& shared, const std::vector<ActorCfg>& actor_cfgs,
                          const std::function<void(PendingFill)>& pending);
    Result<std::vector<std::string>> accounts_of(const chain::Address& a);
    Result<chain::Signature> sign(const std::vector<std::string>& accounts, const chain::Message& m,
                                  std::chrono::milliseconds timeout);
    std::vector<std::shared_ptr<std::promise<Result<chain::Signature>>>> sign_async(const std::vector<std::string>& accounts,
                                                                                  const std::vector<chain::Message>& msgs);
    void push_signed(std::vector<Message> msgs, bool fresh);
    Status reconcile(const Message& m);
    void loop();
    void update_nonce_metrics(const std::string& addr, std::uint64_t db_nonce, std::uint64_t chain_nonce);

    MessagerStore& store_;
    NodeLink node_;
    std::shared_ptr<api::Gateway> gateway_;
    std::shared_ptr<api::Auth> auth_;
    Settings settings_;
    metrics::Registry* metrics_;
    metrics::Histogram* push_to_chain_ = nullptr;
    Counters counters_;
    std::atomic<std::int64_t> head_height_{0};
    std::atomic<std::uint64_t> block_delay_secs_{30};

    std::mutex head_mu_;  // process_head's state
    std::deque<chain::TipSet> processed_;  // tipsets whose messages were processed, oldest first
    std::mutex select_mu_;  // one selection round at a time
    std::mutex push_mu_;
    std::map<std::string, std::chrono::steady_clock::time_point> recent_push_;  // signed CID → last push

    std::mutex loop_mu_;
    std::condition_variable loop_cv_;
    bool wake_ = false;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace venus::plugins::messager
