// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The chain store on LMDB: blocks (content-addressed), tipsets indexed by key and by height, the
//! canonical chain of the current head, execution results, the persisted head, heaviest-chain choice
//! by weight and head-change notifications with the revert/apply path (lotus chain/store).
//!
//! Thread-safety: every method may be called from any thread. Head changes are serialized by a
//! mutex; subscribers are called with it released, in the order changes happened.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "node/network.hpp"
#include "venus/chain/blockstore.hpp"
#include "venus/chain/types.hpp"
#include "venus/storage/lmdb.hpp"

namespace venus::plugins::node {

using chain::BlockHeader;
using chain::TipSet;
using chain::TipSetKey;

namespace tables {
//! Table "blocks": binary CID → block bytes (chain::LmdbBlockstore). Headers, messages, MsgMeta,
//! receipts and all state live here.
inline constexpr storage::lmdb::TableDef kBlocks{"blocks"};
//! Table "tipsets": tipset key bytes (concatenated block CIDs) → CBOR
//!   [height int, weight bigint-bytes, state_root cid|null, receipts_root cid|null]
//! state_root/receipts_root: the tipset's own execution result (the ParentStateRoot/
//! ParentMessageReceipts its children must carry), null until computed. Missing: tipset unknown.
inline constexpr storage::lmdb::TableDef kTipsets{"tipsets"};
//! Table "tipsets_by_height": be64(height) ‖ tipset key bytes → empty. Every tipset seen, any fork.
inline constexpr storage::lmdb::TableDef kTipsetsByHeight{"tipsets_by_height"};
//! Table "canonical": be64(height) → tipset key bytes of the head's chain at that height. Null
//! rounds have no entry. Rewritten on every head change (revert removes, apply adds).
inline constexpr storage::lmdb::TableDef kCanonical{"canonical"};
//! Table "chain_meta": ASCII name → value. "head" → tipset key bytes; "genesis" → genesis block CID.
inline constexpr storage::lmdb::TableDef kChainMeta{"chain_meta"};
}  // namespace tables

//! What the store knows about a tipset besides its blocks.
struct TipSetInfo {
    chain::ChainEpoch height = 0;
    chain::BigInt weight;
    std::optional<chain::Cid> state_root;
    std::optional<chain::Cid> receipts_root;
};

struct HeadChange {
    enum class Type { kCurrent, kRevert, kApply };
    Type type = Type::kApply;
    TipSet tipset;
};
std::string_view head_change_type_name(HeadChange::Type t) noexcept;

class ChainStore {
  public:
    using Subscriber = std::function<void(const std::vector<HeadChange>&)>;

    //! Opens the tables in an environment the caller keeps alive (schema in the table comments).
    static Result<std::unique_ptr<ChainStore>> open(storage::lmdb::Environment& env);
    ~ChainStore();

    chain::Blockstore& blockstore() noexcept { return *blocks_; }

    //! Stores the genesis block as the first tipset and head when the store is empty; otherwise
    //! checks the stored genesis is this one.
    Status init_genesis(const BlockHeader& genesis, const chain::Cid& genesis_cid, const chain::BigInt& weight);
    [[nodiscard]] bool has_genesis();
    Result<TipSet> genesis();

    //! Stores headers (CBOR) in the blockstore and returns the tipset they form.
    Result<TipSet> put_headers(std::vector<BlockHeader> headers);
    //! Indexes a tipset (its headers must be stored) with its weight. Idempotent.
    Status put_tipset(const TipSet& ts, const chain::BigInt& weight);
    Result<std::optional<TipSetInfo>> tipset_info(const TipSetKey& key);
    //! Records the tipset's execution result.
    Status set_execution(const TipSetKey& key, const chain::Cid& state_root, const chain::Cid& receipts_root);

    Result<TipSet> load_tipset(const TipSetKey& key);
    Result<BlockHeader> load_header(const chain::Cid& cid);

    TipSet head();
    chain::BigInt head_weight();
    //! Makes `ts` (already put) the head: computes the revert/apply path from the old head, rewrites
    //! the canonical index, persists the head, then notifies subscribers.
    Status set_head(const TipSet& ts);
    //! Sets the head when `ts` is heavier than the current head (ties keep the current head).
    //! Returns true when the head changed.
    Result<bool> maybe_set_head(const TipSet& ts);

    //! Lotus ChainGetTipSetByHeight from `from`: the tipset at height h or, for a null round, the one
    //! below it (`prev`) or above it (!prev). Errors when h > from.height.
    Result<TipSet> tipset_by_height(chain::ChainEpoch h, const TipSet& from, bool prev = true);

    //! The reverts (from `from` down) then applies (up to `to`) between two tipsets.
    Result<std::vector<HeadChange>> path(const TipSet& from, const TipSet& to);

    std::uint64_t subscribe(Subscriber fn);
    void unsubscribe(std::uint64_t id);

  private:
    ChainStore(storage::lmdb::Environment& env, std::unique_ptr<chain::LmdbBlockstore> blocks);
    Status load_head();

    storage::lmdb::Environment& env_;
    std::unique_ptr<chain::LmdbBlockstore> blocks_;
    storage::lmdb::Table tipsets_;
    storage::lmdb::Table by_height_;
    storage::lmdb::Table canonical_;
    storage::lmdb::Table meta_;

    std::mutex head_mu_;     // serializes head changes
    mutable std::mutex mu_;  // guards head_ and subscribers_
    std::optional<TipSet> head_;
    chain::BigInt head_weight_;
    std::map<std::uint64_t, Subscriber> subscribers_;
    std::uint64_t next_subscriber_ = 1;
};

}  // namespace venus::plugins::node
