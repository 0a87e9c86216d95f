// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Who answers the gateway's ComputeProof for a miner. Devnets have no real proofs: MockProver gives
//! the mock PoSt the devnet's proof verifier accepts (Lotus's mock sector builder shape).
#pragma once

#include <chrono>
#include <string>

#include "venus/core/result.hpp"

namespace venus::plugins::wallet {

class Prover {
  public:
    virtual ~Prover() = default;
    //! `request_json`: ComputeProofRequest{SectorInfos, Rand, Height, NWVersion}; returns [PoStProof] JSON.
    virtual Result<std::string> compute_proof(const std::string& request_json) = 0;
};

//! Mock proofs for devnet genesis miners: one PoStProof whose type is the winning PoSt type of the
//! first sector's seal proof, with ProofBytes "valid proof" (what lotus's mock verifier accepts).
class MockProver final : public Prover {
  public:
    MockProver() = default;
    //! Test only: answers `delay` late, a prover slower than the miner's deadline.
    explicit MockProver(std::chrono::milliseconds delay) : delay_(delay) {}
    Result<std::string> compute_proof(const std::string& request_json) override;

  private:
    std::chrono::milliseconds delay_{0};
};

}  // namespace venus::plugins::wallet
