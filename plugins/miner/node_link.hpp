// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The node calls sophon-miner makes (ChainHead, MinerGetBaseInfo, MpoolSelects, MinerCreateBlock,
//! SyncSubmitBlock, ChainGetTipSetByHeight), typed, over an RpcCaller (local or remote).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "consensus/params.hpp"
#include "venus/rpc/method_caller.hpp"
#include "venus/chain/types.hpp"

namespace venus::plugins::miner {

using rpc::RpcCaller;

//! MiningBaseInfo as the miner needs it; `sectors_json` and `beacon_entries_json` are passed on
//! verbatim (ComputeProof, BlockTemplate.BeaconValues).
struct BaseInfo {
    chain::BigInt miner_power;
    chain::BigInt network_power;
    chain::Address worker_key;
    chain::BeaconEntry rbase;  //!< the last beacon entry, else the previous one
    std::string sectors_json;
    std::string beacon_entries_json;
    bool eligible = false;
};

//! The block to create (MinerCreateBlock's BlockTemplate); messages as the JSON array MpoolSelects gave.
struct BlockTemplate {
    chain::Address miner;
    chain::TipSetKey parents;
    chain::Ticket ticket;
    chain::ElectionProof eproof;
    std::string beacon_values_json = "[]";
    std::string messages_json = "[]";
    chain::ChainEpoch epoch = 0;
    std::uint64_t timestamp = 0;
    std::string winning_post_json = "[]";
};

class NodeLink {
  public:
    explicit NodeLink(RpcCaller call, std::chrono::milliseconds timeout = std::chrono::seconds(30))
        : call_(std::move(call)), timeout_(timeout) {}

    //! The consensus constants the miner needs (StateGetNetworkParams, StateNetworkVersion); the
    //! rest keep the devnet's values.
    Result<consensus::ConsensusParams> params();
    Result<chain::TipSet> chain_head();
    Result<chain::TipSet> tipset_by_height(chain::ChainEpoch h, const chain::TipSetKey& from);
    //! nullopt when the node has no base info (no power or sectors in lookback state).
    Result<std::optional<BaseInfo>> base_info(const chain::Address& miner, chain::ChainEpoch round,
                                              const chain::TipSetKey& tsk);
    //! One JSON array of SignedMessage per ticket quality, no message in two of them.
    Result<std::vector<std::string>> mpool_selects(const chain::TipSetKey& tsk, const std::vector<double>& qualities,
                                                   std::chrono::milliseconds timeout);
    //! StateGetBeaconEntry: returns once the beacon of `epoch` exists (the node waits for drand).
    Status beacon_entry(chain::ChainEpoch epoch);
    Result<chain::BlockMsg> create_block(const BlockTemplate& t);
    Status submit_block(const chain::BlockMsg& b);

  private:
    RpcCaller call_;
    std::chrono::milliseconds timeout_;
};

//! SyncSubmitBlock on `node`, then on each fallback in order (sophon-miner's SubmitNodes: one node
//! that cannot take a block must not lose it, venus#5548). Returns which one took it (0 = `node`,
//! i = fallback i); when none did, an error naming every node's answer.
Result<std::size_t> submit_with_fallback(NodeLink& node, std::vector<NodeLink>& fallbacks, const chain::BlockMsg& b);

}  // namespace venus::plugins::miner
