// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The node module (plugins/node) as other modules see it: the chain store, tipset execution and
//! state reads of a devnet. Consensus (block validation, sync) and the miner build on this:
//!
//!   validator:  put_messages(block's messages) → put_headers(blocks) → tipset_state(parent) to
//!               check ParentStateRoot/Receipts, parent_info(parent) for ParentBaseFee/Weight →
//!               add_tipset(ts) (indexes with its weight; the heaviest becomes head).
//!   miner:      parent_info(head) gives everything a new header copies from its parent.
//!
//! The node does not validate blocks: callers hand it tipsets they have validated.
//! Every method is thread-safe; execution is serialized inside the node.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "venus/chain/types.hpp"
#include "venus/core/result.hpp"

namespace venus::api {

struct HeadChange {
    enum class Type { kCurrent, kRevert, kApply };
    Type type = Type::kApply;
    chain::TipSet tipset;
};

//! What a block built on (or validated against) a parent tipset must carry in its header.
struct ParentInfo {
    chain::Cid state_root;     //!< ParentStateRoot: the state after executing the parent
    chain::Cid receipts_root;  //!< ParentMessageReceipts
    chain::TokenAmount base_fee;  //!< ParentBaseFee: next base fee computed from the parent
    chain::BigInt weight;      //!< ParentWeight: the parent's weight
};

//! The raw contents of a block (ChainGetBlockMessages).
struct BlockContents {
    std::vector<chain::Message> bls_messages;
    std::vector<chain::SignedMessage> secp_messages;
};

//! Network facts clients ask for (StateGetNetworkParams, Version).
struct NetworkInfo {
    std::string name;
    std::uint64_t network_version = 0;
    std::uint64_t block_delay_secs = 0;
    std::uint64_t propagation_delay_secs = 0;
    std::int64_t blocks_per_epoch = 0;
    std::int64_t chain_finality = 0;
    std::int64_t pre_commit_challenge_delay = 0;
    std::int64_t upgrade_height = 0;
    std::uint64_t eip155_chain_id = 0;
    std::int64_t block_gas_limit = 0;
    std::int64_t block_message_limit = 0;
    chain::BigInt consensus_miner_min_power;
    std::uint64_t genesis_timestamp = 0;
};

//! StateMinerInfo (IDs as stored; PeerId raw bytes).
struct MinerInfo {
    chain::Address owner;
    chain::Address worker;
    std::vector<chain::Address> control_addresses;
    std::optional<chain::Address> new_worker;
    chain::ChainEpoch worker_change_epoch = -1;
    Bytes peer_id;
    std::vector<Bytes> multiaddrs;
    std::int64_t window_post_proof_type = 0;
    std::uint64_t sector_size = 0;
    std::uint64_t window_post_partition_sectors = 0;
    chain::ChainEpoch consensus_fault_elapsed = -1;
    std::optional<chain::Address> pending_owner;
    chain::Address beneficiary;
    chain::TokenAmount quota;
    chain::TokenAmount used_quota;
    chain::ChainEpoch expiration = 0;
};

struct PowerPair {
    chain::BigInt raw_byte_power;
    chain::BigInt quality_adj_power;
};

//! StateMinerPower.
struct MinerPower {
    PowerPair miner;
    PowerPair total;
    bool has_min_power = false;
};

//! A proven sector as MinerGetBaseInfo lists it.
struct SectorInfo {
    std::int64_t seal_proof = 0;
    std::uint64_t sector_number = 0;
    chain::Cid sealed_cid;
};

class Node {
  public:
    using HeadSubscriber = std::function<void(const std::vector<HeadChange>&)>;
    virtual ~Node() = default;

    virtual const NetworkInfo& network() const = 0;

    // ---- chain ---------------------------------------------------------------------------------
    virtual chain::TipSet head() = 0;
    virtual Result<chain::TipSet> genesis() = 0;
    //! An empty key means the head.
    virtual Result<chain::TipSet> tipset(const chain::TipSetKey& key) = 0;
    //! At height h walking back from `from` (empty: head); a null round gives the tipset below it
    //! (`prev`) or above it.
    virtual Result<chain::TipSet> tipset_by_height(chain::ChainEpoch h, const chain::TipSetKey& from, bool prev) = 0;
    virtual Result<chain::BlockHeader> block(const chain::Cid& cid) = 0;
    virtual Result<BlockContents> block_messages(const chain::Cid& block_cid) = 0;
    virtual Result<chain::BigInt> weight(const chain::TipSetKey& key) = 0;
    //! The messages a tipset's execution applies (CID dedup + nonce filter), with their chain CIDs
    //! (the signed CID for secp): ChainGetMessagesInTipset.
    virtual Result<std::vector<std::pair<chain::Cid, chain::Message>>> tipset_messages(const chain::TipSetKey& key) = 0;
    //! ChainGetParentMessages / ChainGetParentReceipts of a block: index-aligned.
    virtual Result<std::vector<std::pair<chain::Cid, chain::Message>>> parent_messages(const chain::Cid& block) = 0;
    virtual Result<std::vector<chain::MessageReceipt>> parent_receipts(const chain::Cid& block) = 0;
    //! Raw IPLD blocks (ChainReadObj / ChainHasObj).
    virtual Result<Bytes> read_obj(const chain::Cid& cid) = 0;
    virtual Result<bool> has_obj(const chain::Cid& cid) = 0;

    // ---- building and extending the chain (Consensus, Miner) ----------------------------------
    //! Stores messages and their AMTs; returns the MsgMeta CID a header must carry.
    virtual Result<chain::Cid> put_messages(const BlockContents& contents) = 0;
    //! Stores validated headers (their messages must be stored) and returns the tipset.
    virtual Result<chain::TipSet> put_headers(std::vector<chain::BlockHeader> headers) = 0;
    //! Indexes a validated tipset with its weight; becomes the head when heavier. True if it did.
    virtual Result<bool> add_tipset(const chain::TipSet& ts) = 0;
    //! The state and receipts after executing `key` (computed once, then cached).
    virtual Result<std::pair<chain::Cid, chain::Cid>> tipset_state(const chain::TipSetKey& key) = 0;
    //! What a child of `key` copies into its header.
    virtual Result<ParentInfo> parent_info(const chain::TipSetKey& key) = 0;

    // ---- state (at ts.ParentStateRoot, Lotus's convention for reads) ---------------------------
    virtual Result<std::optional<chain::Actor>> actor(const chain::Address& addr, const chain::TipSetKey& key) = 0;
    virtual Result<std::optional<chain::Address>> lookup_id(const chain::Address& addr, const chain::TipSetKey& key) = 0;
    virtual Result<chain::Address> account_key(const chain::Address& addr, const chain::TipSetKey& key) = 0;

    virtual Result<MinerInfo> miner_info(const chain::Address& miner, const chain::TipSetKey& key) = 0;
    virtual Result<MinerPower> miner_power(const chain::Address& miner, const chain::TipSetKey& key) = 0;
    virtual Result<std::vector<chain::Address>> list_miners(const chain::TipSetKey& key) = 0;
    //! Every sector in the miner's Sectors AMT (the pre-sealed ones on this devnet).
    virtual Result<std::vector<SectorInfo>> miner_sectors(const chain::Address& miner, const chain::TipSetKey& key) = 0;

    // ---- notifications -------------------------------------------------------------------------
    //! Reverts (old head down) then applies (lowest first), per head change. Called on the thread
    //! that changed the head; keep it short.
    virtual std::uint64_t subscribe_head_changes(HeadSubscriber fn) = 0;
    virtual void unsubscribe_head_changes(std::uint64_t id) = 0;
};

}  // namespace venus::api
