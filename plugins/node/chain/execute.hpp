// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Tipset execution (lotus chain/consensus/compute_state.go ApplyBlocks; node-chain.md §3.8): cron for
//! null rounds, the tipset's messages once each (BlockMsgsForTipset: CID dedup + per-sender nonce
//! filter), a block reward per block, cron for the epoch, then flush → (state root, receipts root).
//!
//! This is the function the validator (Consensus) and the block producer (Miner) call: pass the
//! parent tipset's state and the blocks' messages, compare or fill in the next header's
//! ParentStateRoot / ParentMessageReceipts.
#pragma once

#include <span>
#include <vector>

#include "node/network.hpp"
#include "node/vm/vm.hpp"

namespace venus::plugins::node {

using chain::SignedMessage;

//! One block's contribution to a tipset, in block order.
struct BlockMessages {
    Address miner;
    std::int64_t win_count = 1;
    std::vector<Message> bls_messages;
    std::vector<SignedMessage> secp_messages;
};

//! A message selected for execution, with the CID clients know it by (the signed CID for secp).
struct ChainMessage {
    Cid cid;
    Message message;
    std::size_t chain_length = 0;
};

struct ExecuteInput {
    Cid parent_state;                 //!< the tipset's ParentStateRoot
    ChainEpoch parent_epoch = 0;      //!< height of the tipset's parent
    ChainEpoch epoch = 0;             //!< the tipset's height
    TokenAmount base_fee;             //!< the tipset's ParentBaseFee
    std::uint64_t genesis_timestamp = 0;
};

struct ExecuteOutput {
    Cid state_root;
    Cid receipts_root;                  //!< AMT (legacy) of MessageReceipt, index-aligned with `messages`
    std::vector<ChainMessage> messages; //!< what was executed (ChainGetParentMessages)
    std::vector<chain::MessageReceipt> receipts;
};

//! BlockMsgsForTipset against the tipset's parent state: CID dedup and the nonce filter.
Result<std::vector<ChainMessage>> select_tipset_messages(StateTree& parent_state,
                                                         std::span<const BlockMessages> blocks);

Result<ExecuteOutput> execute_tipset(Blockstore& store, const NetworkParams& net, const ExecuteInput& in,
                                     std::span<const BlockMessages> blocks);

//! Builds the receipts AMT (legacy format, node-chain.md §2.7) and returns its root.
Result<Cid> receipts_root(Blockstore& store, std::span<const chain::MessageReceipt> receipts);

}  // namespace venus::plugins::node
