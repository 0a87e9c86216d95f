// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The messager's SQL store: sophon-messager's five tables through the portable SQL layer
//! (venus/storage/sql.hpp), so the same schema can later run on MySQL shared by several instances.
//!
//! Differences from the original's column names, forced by the portable rules (no keywords):
//! `to` → `to_addr`, `value` → `amount`. Times are BIGINT unix microseconds; big ints are decimal
//! text; `signed_data` is the JSON of the signature ({"Type","Data"}) as in the original;
//! `tipset_key` is the JSON array of the containing tipset's block CIDs.
//!
//!   messages      id PK, version, from_addr, nonce, to_addr, amount, gas_limit, gas_fee_cap,
//!                 gas_premium, method, params BLOB, signed_data BLOB, unsigned_cid, signed_cid,
//!                 height, receipt_exit_code, receipt_return_value BLOB, receipt_gas_used,
//!                 tipset_key TEXT, meta_expire_epoch, meta_gas_over_estimation, meta_max_fee,
//!                 meta_gas_over_premium, wallet_name, state, error_msg TEXT, is_deleted,
//!                 created_at, updated_at. Indexes (from_addr, nonce), (from_addr, state, created_at),
//!                 (unsigned_cid), (signed_cid), (height).
//!   addresses     id PK, addr UNIQUE, nonce, weight, state, sel_msg_num, FeeSpec columns,
//!                 is_deleted, created_at, updated_at
//!   shared_params id PK (always 1), sel_msg_num, FeeSpec columns
//!   nodes         id PK, name UNIQUE, url, token, node_type, is_deleted, created_at, updated_at
//!   actor_cfg     id PK, actor_v, code, method, FeeSpec columns, created_at, updated_at;
//!                 UNIQUE (code, method)
//! FeeSpec columns: gas_over_estimation DOUBLE, max_fee, gas_fee_cap, gas_over_premium DOUBLE, base_fee.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "types.hpp"
#include "venus/storage/sql.hpp"

namespace venus::plugins::messager {

std::span<const storage::Migration> messager_migrations();

//! What one selection round of an address writes, in one transaction.
struct FillResult {
    std::string addr;
    std::uint64_t next_nonce = 0;  //!< the address nonce after the round
    std::vector<Message> filled;   //!< state FillMsg, signed
    std::vector<std::pair<std::string, std::string>> errors;  //!< (id, error) of UnFill messages
};

//! One message seen on chain by head processing.
struct Landed {
    std::string from;
    std::uint64_t nonce = 0;
    chain::Cid cid;  //!< the chain CID (signed CID for secp, unsigned for BLS)
    Receipt receipt;
    std::int64_t height = 0;
    std::string tipset_key;
};

class MessagerStore {
  public:
    static Result<std::unique_ptr<MessagerStore>> open(storage::SqlDatabase& db);

    // ---- messages -----------------------------------------------------------------------------
    //! Errc::kAlreadyExists for a taken id. Creates the sender's address row (nonce 0, Alive) if new.
    Status insert_message(const Message& m);
    Result<std::optional<Message>> get_message(const std::string& id);
    Result<std::optional<Message>> by_cid(const chain::Cid& cid, bool is_signed);
    Result<std::optional<Message>> by_from_nonce(const std::string& from, std::uint64_t nonce);
    Result<std::vector<Message>> list(const MsgQuery& q);
    //! UnFill messages of `from`, newest first (venus#5675: old failing ones cannot starve new ones).
    Result<std::vector<Message>> unfilled(const std::string& from, std::size_t limit);
    //! FillMsg rows of `from` ordered by nonce.
    Result<std::vector<Message>> filled(const std::string& from);
    //! The highest nonce of the address's FillMsg rows, else of its OnChain rows; nullopt if none.
    Result<std::optional<std::uint64_t>> max_used_nonce(const std::string& from);
    Result<std::int64_t> count_state(MsgState s);
    Result<std::vector<std::pair<std::string, std::int64_t>>> count_by_state();

    //! Selection's write: the filled messages (only rows still UnFill: a row changed meanwhile
    //! aborts the whole round, so no nonce is consumed twice or skipped), their errors, and the
    //! address nonce, in one transaction.
    Status save_fill(const FillResult& r);
    //! A whole round's writes in one transaction, each address's in a savepoint of its own: one
    //! commit writes each touched index page once (a commit per address rewrote most pages of the
    //! CID indexes every time), and an address whose rows changed meanwhile drops only its own
    //! part. Returns each address's outcome, in order.
    Result<std::vector<Status>> save_fills(const std::vector<FillResult>& rounds);
    Status set_errors(const std::vector<std::pair<std::string, std::string>>& errors);
    //! Head processing: applies landed messages (FillMsg with same from+nonce: OnChain when the
    //! CID matches, NonceConflict otherwise) and reverts (OnChain in a reverted tipset → FillMsg),
    //! in one transaction. Returns (on chain, conflicts, reverted) counts.
    struct HeadResult {
        std::vector<std::string> on_chain_ids;
        std::size_t conflicts = 0;
        std::size_t reverted = 0;
    };
    //! A reverted tipset: its height and the JSON of its key.
    using Reverted = std::pair<std::int64_t, std::string>;
    Result<HeadResult> apply_head(const std::vector<Reverted>& reverted_tipsets, const std::vector<Landed>& landed,
                                  const std::function<bool(const std::string&)>& is_active);
    //! The distinct tipsets (height, key) holding OnChain or NonceConflict rows at or above `min_height`.
    Result<std::vector<std::pair<std::int64_t, std::string>>> landed_tipsets(std::int64_t min_height);
    //! Sets one message's landing (StateSearchMsg reconciliation): OnChain or NonceConflict.
    Status set_landed(const std::string& id, MsgState state, const Receipt& r, std::int64_t height,
                      const std::string& tipset_key);
    //! Returns false when the row does not exist.
    Result<bool> set_state(const std::string& id, MsgState s);
    //! replace: new fees, signature and CIDs, only while the row is FillMsg.
    Result<bool> replace_signed(const Message& m);
    //! Marks every UnFill message of `from` Failed; returns how many.
    Result<std::int64_t> fail_unfilled(const std::string& from);
    //! Failed, signed messages of `from` with nonce ≥ `min_nonce` back to FillMsg; returns their ids.
    Result<std::vector<std::string>> recover_failed(const std::string& from, std::uint64_t min_nonce);

    // ---- addresses ----------------------------------------------------------------------------
    Result<std::optional<Address>> get_address(const std::string& addr);
    Result<std::vector<Address>> list_addresses();
    Status set_nonce(const std::string& addr, std::uint64_t nonce);
    Result<bool> set_address_state(const std::string& addr, AddrState s);
    Result<bool> set_sel_msg_num(const std::string& addr, std::uint64_t n);
    Result<bool> set_address_fee(const std::string& addr, const FeeSpec& f);
    Result<bool> delete_address(const std::string& addr);

    // ---- shared params, nodes, actor config ----------------------------------------------------
    Result<SharedParams> shared();
    Status set_shared(const SharedParams& p);
    Status save_node(const Node& n);  //!< Errc::kAlreadyExists for a taken name
    Result<std::optional<Node>> get_node(const std::string& name);
    Result<std::vector<Node>> list_nodes();
    Result<bool> delete_node(const std::string& name);
    Status save_actor_cfg(const ActorCfg& c);  //!< Errc::kAlreadyExists for a taken (code, method)
    Result<std::optional<ActorCfg>> get_actor_cfg(const std::string& id);
    Result<std::vector<ActorCfg>> list_actor_cfg();
    Result<bool> update_actor_cfg(const std::string& id, const FeeSpec& f);

  private:
    Status write_fill(const FillResult& r, std::int64_t now);
    explicit MessagerStore(storage::SqlDatabase& db) : db_(db) {}
    Status ensure_address_locked(const std::string& addr, std::int64_t now);
    Result<std::vector<Message>> query_messages(const std::string& where, const std::vector<std::string>& binds,
                                                const std::string& tail = "");
    storage::SqlDatabase& db_;
    std::mutex mu_;  // one connection, one writer
};

}  // namespace venus::plugins::messager
