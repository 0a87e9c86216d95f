// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "consensus/proofs.hpp"

namespace venus::plugins::consensus {

std::int64_t winning_post_type_for_seal(std::int64_t seal_proof) noexcept { return seal_proof % 5; }

std::vector<chain::PoStProof> mock_winning_post(std::span<const api::SectorInfo> sectors) {
    const std::int64_t type = sectors.empty() ? 0 : winning_post_type_for_seal(sectors.front().seal_proof);
    return {chain::PoStProof{type, Bytes(kMockProofBytes.begin(), kMockProofBytes.end())}};
}

Status MockProofVerifier::verify_winning_post(const WinningPoStInput& in,
                                              std::span<const chain::PoStProof> proofs) const {
    if (proofs.empty()) return make_error(Errc::kInvalidArgument, "[INSECURE-POST-VALIDATION] No winning post proof given");
    const auto& p = proofs.front();
    if (Bytes(kMockProofBytes.begin(), kMockProofBytes.end()) != p.proof_bytes) {
        return make_error(Errc::kInvalidArgument, "[INSECURE-POST-VALIDATION] winning post was invalid");
    }
    if (!in.challenged.empty() && p.post_proof != winning_post_type_for_seal(in.challenged.front().seal_proof)) {
        return make_error(Errc::kInvalidArgument, "winning post proof type {} does not match the sectors' type {}",
                          p.post_proof, winning_post_type_for_seal(in.challenged.front().seal_proof));
    }
    return {};
}

}  // namespace venus::plugins::consensus
