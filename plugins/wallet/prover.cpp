// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "prover.hpp"

#include <thread>

#include "venus/core/bytes.hpp"
#include "venus/rpc/json.hpp"

namespace venus::plugins::wallet {

Result<std::string> MockProver::compute_proof(const std::string& request_json) {
    if (delay_.count() > 0) std::this_thread::sleep_for(delay_);
    rpc::JsonDocument doc;
    VENUS_TRY_VOID(rpc::parse_json(request_json, doc));
    if (!doc.IsObject()) return make_error(Errc::kInvalidArgument, "ComputeProofRequest must be an object");
    std::int64_t proof_type = 0;
    if (doc.HasMember("SectorInfos") && doc["SectorInfos"].IsArray() && !doc["SectorInfos"].Empty()) {
        const auto& first = doc["SectorInfos"][0];
        if (first.IsObject() && first.HasMember("SealProof") && first["SealProof"].IsInt64()) {
            // RegisteredSealProof 0..4 (V1) and 5..9 (V1_1) map to RegisteredPoStProof 0..4 (winning).
            proof_type = first["SealProof"].GetInt64() % 5;
        }
    }
    rpc::JsonBuilder b;
    auto& o = b.out();
    o.StartArray();
    o.StartObject();
    rpc::write_key(o, "PoStProof");
    o.Int64(proof_type);
    rpc::write_key(o, "ProofBytes");
    rpc::write_string(o, to_base64(as_bytes("valid proof")));
    o.EndObject();
    o.EndArray();
    return b.take().text;
}

}  // namespace venus::plugins::wallet
