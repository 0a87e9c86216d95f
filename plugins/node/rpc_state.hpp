// SPDX-License-Identifier: Apache-2.0 OR MIT
//! JSON-RPC methods on the message index (StateSearchMsg, StateWaitMsg and their v0 forms,
//! StateGetReceipt) and the remaining Lotus chain/state reads (ChainGetMessage, ChainGetPath,
//! StateLookupRobustAddress, StateListActors, StateActorCodeCIDs, StateActorManifestCID,
//! StateReadState). A method whose v0 signature differs answers by the request path.
#pragma once

#include <memory>
#include <vector>

#include "node/msg_search.hpp"
#include "node/node_service.hpp"
#include "venus/rpc/method.hpp"

namespace venus::plugins::node {

std::vector<rpc::MethodSpec> state_methods(std::shared_ptr<NodeService> svc, std::shared_ptr<MsgSearch> search);

}  // namespace venus::plugins::node
