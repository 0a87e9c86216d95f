// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The "node" module: opens the chain store (repo/chain, LMDB), creates the devnet genesis on first
//! start, provides api::Node and serves the Lotus v1 chain/state read methods.
#pragma once

#include <memory>

#include "venus/app/module.hpp"

namespace venus::plugins::node {

std::unique_ptr<app::Module> make_node_module();

}  // namespace venus::plugins::node
