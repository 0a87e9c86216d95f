// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The message pool (lotus chain/messagepool; node-chain.md §3.11–3.12): signed messages waiting for
//! a block, checked against the state after the head, kept per sender in nonce order, replaced by
//! fee, pruned above a size limit, updated on every head change, persisted in LMDB so a restart
//! loses nothing, and selected for block packing.
//!
//! Senders are keyed by their key address (f1/f3): an ID-address sender is resolved through its
//! account actor, as Lotus does, so MpoolGetNonce answers the same for both forms.
//!
//! Thread-safety: every public method may be called from any thread. One mutex guards the pending
//! sets; signature checks run outside it; subscribers are called with it released.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <thread>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "node/node_service.hpp"
#include "venus/chain/types.hpp"
#include "venus/rpc/json.hpp"
#include "venus/storage/lmdb.hpp"

namespace venus::crypto::bls {
class VerifiedCache;
}

namespace venus::plugins::node {

using chain::SignedMessage;

namespace tables {
//! Table "mpool": signed-message CID bytes → flags byte (bit 0: local, i.e. pushed to this node
//! trusted) ‖ SignedMessage CBOR. Every pending message is here, added and removed with the pool;
//! at start each is re-checked against the head and the ones no longer valid are dropped.
inline constexpr storage::lmdb::TableDef kMpool{"mpool"};
//! Table "mpool_meta": "config" → MpoolConfig as JSON (MpoolSetConfig survives a restart).
inline constexpr storage::lmdb::TableDef kMpoolMeta{"mpool_meta"};
}  // namespace tables

//! Lotus MpoolConfig (types.MpoolConfig).
struct MpoolConfig {
    std::vector<chain::Address> priority_addrs;  //!< never pruned
    std::int64_t size_limit_high = 30'000;
    std::int64_t size_limit_low = 20'000;
    double replace_by_fee_ratio = 1.25;          //!< what replacement tools aim for (not enforced)
    std::int64_t prune_cooldown_ns = 60'000'000'000;
    double gas_limit_overestimation = 1.25;
};

namespace mpool {
inline constexpr std::size_t kMaxMessageSize = 64 << 10;
inline constexpr std::uint64_t kMaxNonceGap = 4;
inline constexpr std::size_t kMaxActorPendingTrusted = 1000;
inline constexpr std::size_t kMaxActorPendingUntrusted = 100;
inline constexpr std::int64_t kMinimumBaseFee = 100;
inline constexpr int kReplaceByFeePercentageMinimum = 110;
inline constexpr double kMinReplaceByFeeRatio = 1.10;
}  // namespace mpool

//! Lotus ComputeMinRBF: old*110/100 + 1.
chain::TokenAmount min_rbf_premium(const chain::TokenAmount& old_premium);

//! Lotus Message.ValidForBlockInclusion with its error texts (nv ≥ 18 rules).
Status valid_for_block_inclusion(const chain::Message& m, std::int64_t min_gas, std::int64_t block_gas_limit);

//! MpoolGetConfig JSON, MpoolSetConfig parsing (missing fields keep their defaults) and checks.
std::string mpool_config_json(const MpoolConfig& c);
Result<MpoolConfig> parse_mpool_config(const rapidjson::Value& v);
Status validate_mpool_config(const MpoolConfig& c);

//! MpoolSub values.
struct MpoolUpdate {
    enum class Type { kAdd = 0, kRemove = 1 };
    Type type = Type::kAdd;
    SignedMessage message;
};

class MessagePool {
  public:
    using Subscriber = std::function<void(const std::vector<MpoolUpdate>&)>;

    //! `env` (nullable: memory only) holds the pool's tables; `bls` (nullable: a private cache)
    //! remembers verified BLS signatures so block validation can skip them later.
    static Result<std::unique_ptr<MessagePool>> open(NodeService& node, storage::lmdb::Environment* env,
                                                     std::shared_ptr<crypto::bls::VerifiedCache> bls = nullptr);
    ~MessagePool();
    MessagePool(const MessagePool&) = delete;
    MessagePool& operator=(const MessagePool&) = delete;

    //! MpoolPush (local, trusted) / MpoolPushUntrusted: every check, then added and persisted.
    Result<chain::Cid> push(const SignedMessage& m, bool untrusted = false);
    //! MpoolBatchPush: stops at the first failure; earlier messages stay added.
    Result<std::vector<chain::Cid>> batch_push(const std::vector<SignedMessage>& msgs, bool untrusted = false);

    //! Every pending message, by sender then nonce.
    std::vector<SignedMessage> pending();
    //! Pending messages by CID (a BLS message's CID is its unsigned message's, as in blocks): how a
    //! block pushed by a peer finds messages that reached this node only through its pool.
    std::unordered_map<chain::Cid, SignedMessage> find(const std::vector<chain::Cid>& cids);
    //! A sender's pending messages in nonce order (any address form).
    std::vector<SignedMessage> pending_for(const chain::Address& addr);
    //! MpoolGetNonce: the next nonce after the sender's contiguous pending run, else the state nonce.
    Result<std::uint64_t> get_nonce(const chain::Address& addr);

    //! MpoolSelect: messages valid on the state after `tsk` (empty: head), nonce-ordered per sender,
    //! greedy by effective premium, under the block gas and message limits.
    Result<std::vector<SignedMessage>> select(const chain::TipSetKey& tsk, double ticket_quality);
    //! MpoolSelects: one list per ticket; a sender's messages all go into one list, so the lists can
    //! be packed into blocks of one tipset in any order without breaking nonce runs.
    Result<std::vector<std::vector<SignedMessage>>> selects(const chain::TipSetKey& tsk,
                                                            const std::vector<double>& ticket_qualities);

    MpoolConfig config() const;
    Status set_config(const MpoolConfig& cfg);
    //! MpoolClear: every message when `local`, else only those not pushed to this node trusted.
    void clear(bool local);

    std::uint64_t subscribe(Subscriber fn);
    void unsubscribe(std::uint64_t id);

    //! Head change (called by the node's subscription; public for tests): reverted tipsets' messages
    //! come back, applied ones leave, and every pending set is re-checked against the new state.
    void head_changed(const std::vector<api::HeadChange>& changes);

    [[nodiscard]] std::size_t size() const;
    //! Waits until every queued change is in LMDB (tests, benchmarks).
    void flush();
    //! The key address of a sender at the state after the head (f1/f3 unchanged).
    Result<chain::Address> resolve_to_key(const chain::Address& addr);

    //! Tests and benchmarks: a clock for the prune cooldown.
    void set_clock(std::function<std::chrono::steady_clock::time_point()> clock) { clock_ = std::move(clock); }

  private:
    struct Entry {
        SignedMessage msg;
        chain::Cid cid;
        bool local = false;
    };
    struct Change {
        MpoolUpdate::Type type;
        Entry entry;
    };
    struct PendingSet {
        std::map<std::uint64_t, Entry> msgs;  // nonce → message
        chain::TokenAmount required;           // Σ GasLimit·GasFeeCap + Value over msgs
    };
    //! The state after the current head, read once per head.
    struct HeadState {
        chain::TipSet ts;
        chain::Cid state_root;
        chain::TokenAmount base_fee;  // the next block's base fee
        std::unordered_map<chain::Address, std::optional<chain::Actor>> actors;
        std::unordered_map<chain::Address, chain::Address> keys;
    };

    MessagePool(NodeService& node, storage::lmdb::Environment* env, std::shared_ptr<crypto::bls::VerifiedCache> bls);
    Status load();

    // Checks that need no pool state (size, syntax, fee cap floor, signature): outside the lock.
    Status check_message(const SignedMessage& m, std::size_t size, const chain::Cid& cid);
    Status verify_signature(const SignedMessage& m, const chain::Cid& cid);
    // Everything else, under mu_.
    Status add_locked(const SignedMessage& m, const chain::Cid& cid, std::size_t chain_len, bool untrusted,
                      bool local, std::vector<Change>& changes);

    Status ensure_head_locked();
    Result<std::optional<chain::Actor>> actor_locked(const chain::Address& addr);
    Result<chain::Address> key_locked(const chain::Address& addr);
    std::uint64_t next_nonce_locked(const chain::Address& key, std::uint64_t state_nonce) const;
    void remove_locked(const chain::Address& key, std::uint64_t nonce, std::vector<Change>& changes);
    void insert_locked(const chain::Address& key, Entry e, std::vector<Change>& changes);
    void prune_locked(std::vector<Change>& changes);
    Status recheck_locked(std::vector<Change>& changes);
    // Queued under mu_, so the table follows the pool in order; a writer thread commits the queue
    // in batches (one LMDB transaction and fsync per batch, not per message). The destructor
    // drains it, so a clean stop loses nothing.
    // Returns the change set's sequence number (0: nothing to write); wait_durable(seq) returns once
    // the writer has committed it, so a push is acknowledged only when a crash can no longer lose it
    // (concurrent pushes share one commit).
    std::uint64_t persist_locked(const std::vector<Change>& changes);
    Status wait_durable(std::uint64_t seq);
    Result<chain::Cid> push_unacknowledged(const SignedMessage& m, bool untrusted, std::uint64_t& seq);
    void writer_loop();
    Status write_batch(const std::vector<Change>& batch);
    void notify(const std::vector<Change>& changes);

    NodeService& node_;
    storage::lmdb::Environment* env_;
    std::optional<storage::lmdb::Table> table_;
    std::optional<storage::lmdb::Table> meta_table_;
    std::shared_ptr<crypto::bls::VerifiedCache> bls_;
    std::uint64_t head_sub_ = 0;

    mutable std::mutex mu_;
    std::map<chain::Address, PendingSet> pending_;
    std::size_t count_ = 0;
    std::optional<HeadState> head_;
    MpoolConfig config_;
    std::unordered_map<chain::Cid, chain::Signature> bls_sigs_;  // so reverted BLS messages can come back
    std::function<std::chrono::steady_clock::time_point()> clock_ = [] { return std::chrono::steady_clock::now(); };
    std::chrono::steady_clock::time_point last_prune_{};

    std::mutex write_mu_;
    std::condition_variable write_cv_;
    std::vector<Change> write_queue_;
    bool write_stop_ = false;
    bool writing_ = false;  // a batch is being committed
    std::uint64_t enqueued_seq_ = 0;   // last change set queued
    std::uint64_t committed_seq_ = 0;  // last change set in LMDB (or failed: see write_error_)
    std::optional<Error> write_error_; // the last failed commit, reported to the pushes it covered
    bool writer_done_ = false;         // the writer drained the queue and exited
    std::thread writer_;

    std::mutex sub_mu_;
    std::map<std::uint64_t, Subscriber> subscribers_;
    std::uint64_t next_sub_ = 1;
};

}  // namespace venus::plugins::node
