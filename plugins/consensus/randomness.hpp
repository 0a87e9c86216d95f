// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Chain and beacon randomness (lotus chain/rand/rand.go, node-chain.md §3.3).
#pragma once

#include <cstdint>

#include "consensus/beacon.hpp"
#include "consensus/params.hpp"
#include "venus/api/node.hpp"
#include "venus/crypto/hash.hpp"

namespace venus::plugins::consensus {

using crypto::Hash256;

//! go-state-types crypto.DomainSeparationTag.
enum class DomainTag : std::int64_t {
    kTicketProduction = 1,
    kElectionProofProduction = 2,
    kWinningPoStChallengeSeed = 3,
    kWindowedPoStChallengeSeed = 4,
    kSealRandomness = 5,
    kInteractiveSealChallengeSeed = 6,
    kWindowedPoStDeadlineAssignment = 7,
    kMarketDealCronSeed = 8,
    kPoStChainCommit = 9,
};

//! blake2b256(i64BE(dst) ‖ digest ‖ i64BE(round) ‖ entropy).
Hash256 draw_randomness(const Hash256& digest, std::int64_t dst, chain::ChainEpoch round, BytesView entropy);
//! The same with digest = blake2b256(rbase).
Hash256 draw_randomness_from_base(BytesView rbase, std::int64_t dst, chain::ChainEpoch round, BytesView entropy);
inline Hash256 draw_randomness_from_base(BytesView rbase, DomainTag dst, chain::ChainEpoch round, BytesView entropy) {
    return draw_randomness_from_base(rbase, static_cast<std::int64_t>(dst), round, entropy);
}

//! The last beacon entry in `ts` or its ancestors, searching at most 20 tipsets (GetLatestBeaconEntry).
Result<chain::BeaconEntry> latest_beacon_entry(api::Node& node, const chain::TipSet& ts);

//! Randomness drawn from the chain a tipset ends; every method takes the tipset (empty key: head).
class Randomness {
  public:
    Randomness(api::Node& node, const Beacon& beacon) : node_(node), beacon_(beacon) {}

    //! blake2b256 of the min ticket of the tipset at `round` (or the first non-null one above it).
    Result<Hash256> chain_digest(chain::ChainEpoch round, const chain::TipSetKey& tsk);
    //! blake2b256 of the beacon entry for MaxBeaconRoundForEpoch(round), searched back ≤ 20 tipsets.
    Result<Hash256> beacon_digest(chain::ChainEpoch round, const chain::TipSetKey& tsk);
    Result<Hash256> from_tickets(std::int64_t dst, chain::ChainEpoch round, BytesView entropy, const chain::TipSetKey& tsk);
    Result<Hash256> from_beacon(std::int64_t dst, chain::ChainEpoch round, BytesView entropy, const chain::TipSetKey& tsk);

  private:
    //! The tipset randomness for `round` is drawn from (GetBeaconRandomnessTipset, lookback = false).
    Result<chain::TipSet> rand_tipset(chain::ChainEpoch round, const chain::TipSetKey& tsk);

    api::Node& node_;
    const Beacon& beacon_;
};

}  // namespace venus::plugins::consensus
