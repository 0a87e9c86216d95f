// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Block validation: Lotus filcns ValidateBlock + CommonBlkChecks + checkBlockMessages
//! (node-chain.md §3.7), against the chain as api::Node serves it. Reasons use Lotus's wording.
#pragma once

#include <functional>
#include <string>

#include "consensus/beacon.hpp"
#include "consensus/params.hpp"
#include "consensus/proofs.hpp"
#include "venus/api/node.hpp"

namespace venus::plugins::consensus {

//! A block with its messages, as gossip or SyncSubmitBlock delivers it.
struct FullBlock {
    chain::BlockHeader header;
    std::vector<chain::Message> bls_messages;
    std::vector<chain::SignedMessage> secp_messages;
};

enum class Failure {
    kNone,
    kInvalid,        //!< the block breaks a rule: mark it bad, never look at it again
    kTemporal,       //!< from the near future: try again later
    kMissingParent,  //!< the parent is unknown here: not the block's fault
};

struct Verdict {
    Failure failure = Failure::kNone;
    std::string reason;
    chain::Cid cid;
    std::optional<chain::TipSet> tipset;  //!< the stored single-block tipset when valid
    [[nodiscard]] bool ok() const noexcept { return failure == Failure::kNone; }
};

//! Where lookback state is read: `lbts` and the tipset whose ParentStateRoot is lbst.
struct Lookback {
    chain::TipSet lbts;
    chain::TipSetKey state_key;
};

//! GetLookbackTipSetForRound: lbr = max(0, round − finality). When lbr ≥ base.height the state is
//! base's computed state, readable through `child` (a stored block on base) or, at genesis, base.
Result<Lookback> lookback_for_round(api::Node& node, const chain::TipSet& base, chain::ChainEpoch round,
                                    const ConsensusParams& p, const std::optional<chain::TipSetKey>& child = {});

//! The worker's key address (f3) as the miner info in the state at `state_key` names it.
Result<chain::Address> worker_key(api::Node& node, const chain::Address& miner, const chain::TipSetKey& state_key);

//! MinerEligibleToMine: min power in lookback, and in base state a positive claim, no fee debt,
//! no active consensus fault.
Result<bool> miner_eligible(api::Node& node, const chain::Address& miner, const chain::TipSet& base,
                            const chain::TipSet& lbts);

//! The challenged sectors of a winning PoSt: the mock challenge picks the first sector.
Result<std::vector<api::SectorInfo>> winning_post_sectors(api::Node& node, const chain::Address& miner,
                                                          const chain::TipSetKey& state_key);

//! ValidForBlockInclusion (lotus chain/types/message.go) with min gas = OnChainMessage(chain length).
Status valid_for_block_inclusion(const chain::Message& m, std::size_t chain_length, const ConsensusParams& p);
//! Hygge OnChainMessage gas: 38863 + 475000 + (36 + len) × 1300.
std::int64_t on_chain_message_gas(std::size_t chain_length) noexcept;

class BlockValidator {
  public:
    using Clock = std::function<std::uint64_t()>;  //!< Unix seconds
    BlockValidator(api::Node& node, const Beacon& beacon, const ProofVerifier& proofs, ConsensusParams params,
                   Clock now = nullptr);

    //! Checks every rule; on success the block and its messages are stored (not yet a head candidate).
    Verdict validate(const FullBlock& block);

    [[nodiscard]] const ConsensusParams& params() const noexcept { return params_; }

  private:
    Status check_messages(const FullBlock& b, const chain::TipSetKey& block_key);

    api::Node& node_;
    const Beacon& beacon_;
    const ProofVerifier& proofs_;
    ConsensusParams params_;
    Clock now_;
};

}  // namespace venus::plugins::consensus
