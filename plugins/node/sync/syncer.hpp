// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Brings this node's chain up to a tipset a peer announced: walks back through parents the node
//! does not have (to a block it has), then submits every block lowest height first through
//! consensus, which validates it (node-chain.md §3.7), executes its parent and offers it as head.
//! An invalid block is marked bad there and nothing above it is fetched again.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "node/sync/chain_exchange.hpp"

namespace venus::plugins::consensus {
class ConsensusService;
}

namespace venus::plugins::node::sync {

struct SyncReport {
    std::size_t fetched = 0;   //!< headers fetched from the peer
    std::size_t accepted = 0;  //!< blocks consensus accepted (valid or queued from the near future)
    std::size_t rejected = 0;  //!< blocks consensus found invalid
    chain::ChainEpoch from = 0, to = 0;
};

struct SyncLimits {
    //! How far back one sync walks before giving up (a peer on another chain would never end).
    std::size_t max_headers = 200'000;
};

class Syncer {
  public:
    //! `submit`: consensus's submit (a seam for tests): ok when accepted, else the reason, with
    //! `invalid` set when the block broke a rule.
    struct Outcome {
        bool ok = false;
        bool invalid = false;
        std::string reason;
    };
    using Submit = std::function<Outcome(const chain::BlockHeader&, api::BlockContents)>;

    //! Where a catch-up reports its stages (consensus's SyncState); optional.
    using Progress = std::function<void(const chain::TipSet& base, const chain::TipSet& target, int stage,
                                        const std::string& message, bool done)>;

    Syncer(api::Node& node, Submit submit, SyncLimits limits = {});
    void set_progress(Progress fn) { progress_ = std::move(fn); }
    //! Consensus as the judge of every block.
    static Syncer with_consensus(api::Node& node, consensus::ConsensusService& cs, SyncLimits limits = {});

    Result<SyncReport> sync_to(ChainExchange& peer, const std::vector<chain::Cid>& target);

  private:
    api::Node& node_;
    Result<SyncReport> submit_all(ChainExchange& peer, std::vector<chain::BlockHeader> missing);

    Submit submit_;
    SyncLimits limits_;
    Progress progress_;
};

}  // namespace venus::plugins::node::sync
