// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The message index: where each message executed on the head's chain was included, so
//! StateSearchMsg/StateWaitMsg answer with a few lookups instead of walking the chain.
//!
//! It covers exactly the canonical chain: applying a tipset adds the messages it includes (its
//! executed list: deduplicated and nonce-filtered), reverting one removes them, so after any
//! reorg the tables hold what a fresh build from the new head would. Each tipset's update and
//! the "indexed head" marker commit in one LMDB transaction; on open (or after a crash between a
//! head change and its index update) the index catches up along the revert/apply path from the
//! marker to the store's head, and builds itself from the canonical table when the marker is
//! missing (a store written before the index existed) or has another layout version.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "node/store/chain_store.hpp"

namespace venus::plugins::node {

namespace tables {
//! Table "msg_index": message CID bytes → be64(inclusion height) ‖ be32(position in the executed
//! list) ‖ inclusion tipset key bytes. A secp message is under its signed and its unsigned CID.
inline constexpr storage::lmdb::TableDef kMsgIndex{"msg_index"};
//! Table "msg_by_nonce": sender address bytes (as in the message) ‖ be64(nonce) → chain CID bytes
//! (the signed CID for secp). Lets a search find a replacement of the sought message.
inline constexpr storage::lmdb::TableDef kMsgByNonce{"msg_by_nonce"};
//! Table "msg_index_meta": "head" → tipset key bytes the index reflects; "version" → be32.
inline constexpr storage::lmdb::TableDef kMsgIndexMeta{"msg_index_meta"};
}  // namespace tables

//! Bumped when the layout above changes: a store with another version is re-indexed on open.
inline constexpr std::uint32_t kMsgIndexVersion = 1;

struct MsgLocation {
    chain::TipSetKey tipset;      //!< the tipset that included the message
    chain::ChainEpoch height = 0;  //!< its height
    std::uint32_t index = 0;      //!< position in its executed list (= receipt index)
};

class MsgIndex {
  public:
    //! The executed list of a tipset with chain CIDs (NodeService::tipset_messages).
    using ExecutedFn = std::function<Result<std::vector<std::pair<chain::Cid, chain::Message>>>(const TipSet&)>;

    //! Opens the tables, catches up with the store's head and follows its head changes.
    static Result<std::unique_ptr<MsgIndex>> open(storage::lmdb::Environment& env, ChainStore& store,
                                                  ExecutedFn executed);
    ~MsgIndex();

    Result<std::optional<MsgLocation>> find(const chain::Cid& cid);
    //! The chain CID of the message from `from` with `nonce` on the head's chain.
    Result<std::optional<chain::Cid>> find_by_nonce(const chain::Address& from, std::uint64_t nonce);
    //! The head the index reflects.
    Result<std::optional<chain::TipSetKey>> indexed_head();
    //! Number of CID entries (tests and benchmarks).
    Result<std::size_t> size();
    //! Every entry of both tables in key order (tests compare an updated index with a rebuild).
    Result<std::vector<std::pair<Bytes, Bytes>>> dump();

    //! Brings the index to the store's head (what every head change does).
    Status sync();
    //! Drops everything and indexes the canonical chain from genesis.
    Status rebuild();

    //! Called after each update, on the thread that changed the head (StateWaitMsg re-checks).
    std::uint64_t subscribe(std::function<void()> fn);
    void unsubscribe(std::uint64_t id);

  private:
    MsgIndex(storage::lmdb::Environment& env, ChainStore& store, ExecutedFn executed);
    Status apply(storage::lmdb::WriteTxn& w, const TipSet& ts, bool add);
    Status sync_locked();
    Status rebuild_locked();

    storage::lmdb::Environment& env_;
    ChainStore& store_;
    ExecutedFn executed_;
    storage::lmdb::Table by_cid_;
    storage::lmdb::Table by_nonce_;
    storage::lmdb::Table meta_;
    std::uint64_t store_sub_ = 0;

    std::mutex update_mu_;  // one update at a time
    std::mutex subs_mu_;
    std::map<std::uint64_t, std::function<void()>> subs_;
    std::uint64_t next_sub_ = 1;
};

}  // namespace venus::plugins::node
