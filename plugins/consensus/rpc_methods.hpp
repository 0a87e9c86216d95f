// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The consensus JSON-RPC table: randomness, beacon, mining and sync methods (Lotus v1 + v0 names).
#pragma once

#include <memory>
#include <vector>

#include "consensus/consensus_service.hpp"
#include "venus/rpc/method.hpp"

namespace venus::plugins::consensus {

//! `io` runs the timers of StateGetBeaconEntry waits (null: a future round is an error at once).
std::vector<rpc::MethodSpec> consensus_methods(std::shared_ptr<ConsensusService> svc, asio::io_context* io);

//! JSON shapes (exposed for tests).
std::string mining_base_info_json(const std::optional<MiningBaseInfo>& info);
std::string sync_state_json(const SyncStatus& s);
Status from_json(const rpc::JsonValue& v, BlockTemplate& out);

}  // namespace venus::plugins::consensus
