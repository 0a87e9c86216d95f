// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Expected Consensus election (lotus chain/types/electionproof.go, filcns; node-chain.md §3.4–3.5):
//! VRFs are BLS signatures of the worker key over drawn randomness; the win count is the Poisson
//! inverse CDF in Q.256 fixed point, bit-exact with Lotus.
#pragma once

#include <cstdint>

#include "consensus/randomness.hpp"
#include "venus/chain/bigint.hpp"
#include "venus/chain/keys.hpp"

namespace venus::plugins::consensus {

using chain::BigInt;

//! e^-x for x in Q.256 (rational approximation, Horner in Q.256), result in Q.256.
BigInt expneg(const BigInt& x);
//! λ = (power × blocksPerEpoch << 256) / totalPower, Q.256.
BigInt lambda(const BigInt& power, const BigInt& total_power, std::int64_t blocks_per_epoch = 5);

//! The inverse CDF of Poisson(λ): icdf(k) = 1 − Σ_{i≤k} pmf(i), in Q.256.
class Poisson {
  public:
    explicit Poisson(BigInt lam);
    [[nodiscard]] const BigInt& icdf() const noexcept { return icdf_; }
    //! k++ and returns icdf(k).
    const BigInt& next();

  private:
    BigInt lam_;
    BigInt pmf_;
    BigInt icdf_;
    std::uint64_t k_ = 0;
};

//! How many blocks an election proof wins: 0..max_wins.
std::int64_t compute_win_count(BytesView vrf_proof, const BigInt& power, const BigInt& total_power,
                               std::int64_t blocks_per_epoch = 5, std::int64_t max_wins = 15);

//! 1 − blake2b256(VRFProof)/2^256 (Ticket.Quality, for MpoolSelect).
double ticket_quality(BytesView vrf_proof);

//! CBOR of the miner address: the entropy of election and PoSt randomness.
Bytes miner_entropy(const chain::Address& miner);

//! The randomness a ticket signs: DST 1 at h − lookback with the parent's min ticket appended above Smoke.
Hash256 ticket_randomness(BytesView rbase, const chain::Address& miner, chain::ChainEpoch height,
                          BytesView parent_min_ticket, const struct ConsensusParams& p);
Hash256 election_randomness(BytesView rbase, const chain::Address& miner, chain::ChainEpoch height);
Hash256 winning_post_randomness(BytesView rbase, const chain::Address& miner, chain::ChainEpoch height);

//! A VRF proof: the BLS signature of `worker` over the randomness.
Result<Bytes> compute_vrf(const chain::KeyInfo& worker, BytesView randomness);
//! Checks a VRF proof against the worker's BLS key address.
Status verify_vrf(const chain::Address& worker, BytesView randomness, BytesView proof);

}  // namespace venus::plugins::consensus
