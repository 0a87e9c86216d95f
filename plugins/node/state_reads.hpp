// SPDX-License-Identifier: Apache-2.0 OR MIT
//! State reads beyond api::Node that only the RPC table needs (StateLookupRobustAddress,
//! StateListActors, StateReadState, ChainGetMessage), at a tipset's ParentStateRoot as Lotus reads.
#pragma once

#include <string>
#include <vector>

#include "node/node_service.hpp"

namespace venus::plugins::node {

//! The robust (f1/f2/f3) address the init actor maps to an ID address; "address %s not found".
Result<chain::Address> lookup_robust_address(NodeService& svc, const chain::Address& id_addr,
                                             const chain::TipSetKey& key);
//! Every actor's ID address, ascending.
Result<std::vector<chain::Address>> list_actors(NodeService& svc, const chain::TipSetKey& key);
//! StateReadState: {"Balance","Code","State"} with State as go-state-types' JSON for the actor
//! types this devnet has.
Result<std::string> read_state_json(NodeService& svc, const chain::Address& addr, const chain::TipSetKey& key);
//! ChainGetMessage: the unsigned message under a CID (a signed CID gives its inner message).
Result<chain::Message> load_chain_message(NodeService& svc, const chain::Cid& cid);
//! ReturnDec of a receipt's return bytes: go-state-types' JSON for the returns this devnet's
//! actors produce (init Exec, power CreateMiner, multisig Propose/Approve), else "null".
std::string decode_return_json(NodeService& svc, const chain::Message& msg, const chain::TipSetKey& at,
                               BytesView ret);

}  // namespace venus::plugins::node
