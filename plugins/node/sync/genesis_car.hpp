// SPDX-License-Identifier: Apache-2.0 OR MIT
//! A devnet's genesis as a CAR file: exported by `venusd chain export-genesis`, loaded by
//! `venusd run --genesis FILE` ([node] genesis_file) so several nodes share one chain.
#pragma once

#include <filesystem>

#include "node/network.hpp"
#include "node/store/chain_store.hpp"
#include "node/sync/car.hpp"

namespace venus::plugins::node::sync {

//! The genesis CAR of the chain in `bs` whose genesis block is `genesis`.
Result<Bytes> export_genesis_car(const Cid& genesis, const BlockFetch& fetch);

//! Loads a genesis CAR into an empty store (or checks that a store's genesis is the CAR's root):
//! the root must be a height-0 block header whose state root and messages are in the CAR.
//! Returns the genesis block CID.
Result<Cid> import_genesis_car(ChainStore& store, const NetworkParams& net, BytesView car_bytes);
Result<Cid> import_genesis_file(ChainStore& store, const NetworkParams& net, const std::filesystem::path& file);

}  // namespace venus::plugins::node::sync
