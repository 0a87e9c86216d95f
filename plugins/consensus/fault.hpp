// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Consensus-fault checks for a miner's own blocks before it publishes them (lotus
//! chain/gen/slashfilter, sophon-miner's slash filter): double-fork mining (two blocks at one
//! epoch), time-offset mining (two blocks on the same parents) and parent grinding (not building
//! on its own block of the parent epoch). The history is the caller's (the miner module keeps it in
//! SQL); this file only decides.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "venus/chain/types.hpp"

namespace venus::plugins::consensus {

//! What a miner has produced before: block CIDs by (miner, epoch) and by (miner, parents).
class MinedHistory {
  public:
    virtual ~MinedHistory() = default;
    virtual std::optional<chain::Cid> by_epoch(const chain::Address& miner, chain::ChainEpoch epoch) const = 0;
    virtual std::optional<chain::Cid> by_parents(const chain::Address& miner, const chain::TipSetKey& parents) const = 0;
};

enum class FaultKind { kNone, kDoubleFork, kTimeOffset, kParentGrinding };

struct FaultCheck {
    FaultKind kind = FaultKind::kNone;
    std::optional<chain::Cid> witness;  //!< the other block that makes the fault
    std::string message;                //!< Lotus's wording
    [[nodiscard]] bool faulty() const noexcept { return kind != FaultKind::kNone; }
};

//! Would publishing `header` (built on a parent tipset at `parent_epoch`) be a consensus fault?
//! A block seen before (same CID) is never a fault with itself.
Result<FaultCheck> check_consensus_fault(const MinedHistory& history, const chain::BlockHeader& header,
                                         chain::ChainEpoch parent_epoch);

//! An in-memory history (tests, and a miner that keeps no store).
class MemoryMinedHistory final : public MinedHistory {
  public:
    std::optional<chain::Cid> by_epoch(const chain::Address& miner, chain::ChainEpoch epoch) const override;
    std::optional<chain::Cid> by_parents(const chain::Address& miner, const chain::TipSetKey& parents) const override;
    //! Records a published block (after check_consensus_fault said it is fine).
    Status record(const chain::BlockHeader& header);

  private:
    std::map<std::pair<Bytes, chain::ChainEpoch>, chain::Cid> by_epoch_;
    std::map<std::pair<Bytes, Bytes>, chain::Cid> by_parents_;
};

}  // namespace venus::plugins::consensus
