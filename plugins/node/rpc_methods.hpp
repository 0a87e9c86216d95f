// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The node's JSON-RPC table (Lotus v1 chain/state reads and ChainNotify).
#pragma once

#include <memory>
#include <vector>

#include "node/node_service.hpp"
#include "venus/rpc/method.hpp"

namespace venus::plugins::node {

std::vector<rpc::MethodSpec> node_methods(std::shared_ptr<NodeService> svc);

}  // namespace venus::plugins::node
