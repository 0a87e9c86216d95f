// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Winning PoSt behind an interface. Devnet sectors are pre-sealed without real proofs, so the
//! devnet uses Lotus's InsecurePoStValidation rule: the proof bytes are "valid proof". The wallet's
//! MockProver (plugins/wallet/prover.hpp) answers the gateway's ComputeProof with the same proof.
#pragma once

#include <span>
#include <vector>

#include "venus/api/node.hpp"
#include "venus/chain/types.hpp"
#include "venus/crypto/hash.hpp"

namespace venus::plugins::consensus {

struct WinningPoStInput {
    chain::Address miner;
    chain::ChainEpoch height = 0;
    crypto::Hash256 randomness{};                 //!< DST 3 drawn from the block's beacon base
    std::vector<api::SectorInfo> challenged;      //!< the sectors MinerGetBaseInfo offered
};

class ProofVerifier {
  public:
    virtual ~ProofVerifier() = default;
    virtual Status verify_winning_post(const WinningPoStInput& in, std::span<const chain::PoStProof> proofs) const = 0;
};

//! The proof bytes the mock verifier accepts (lotus build.InsecurePoStValidation).
inline constexpr std::string_view kMockProofBytes = "valid proof";

//! RegisteredSealProof 0..4 (V1) and 5..9 (V1_1) → the winning RegisteredPoStProof 0..4.
std::int64_t winning_post_type_for_seal(std::int64_t seal_proof) noexcept;

//! What the devnet prover produces for `sectors`: one PoStProof of the first sector's winning type.
std::vector<chain::PoStProof> mock_winning_post(std::span<const api::SectorInfo> sectors);

class MockProofVerifier final : public ProofVerifier {
  public:
    Status verify_winning_post(const WinningPoStInput& in, std::span<const chain::PoStProof> proofs) const override;
};

}  // namespace venus::plugins::consensus
