// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Where a node gets chain data it does not have. Today the only implementation is RpcPeer: another
//! venusd over JSON-RPC/WebSocket (ChainNotify, ChainReadObj, ChainGetBlockMessages), not libp2p.
//! A libp2p ChainExchange/bitswap client would implement this same interface.
#pragma once

#include <string>
#include <vector>

#include "venus/api/node.hpp"
#include "venus/chain/types.hpp"

namespace venus::plugins::node::sync {

class ChainExchange {
  public:
    virtual ~ChainExchange() = default;
    //! For logs: the peer's address.
    virtual std::string name() const = 0;
    //! A block header, checked against its CID.
    virtual Result<chain::BlockHeader> header(const chain::Cid& cid) = 0;
    //! A block's messages (the validator checks them against the header's Messages root).
    virtual Result<api::BlockContents> messages(const chain::Cid& block) = 0;
    //! The peer's current head.
    virtual Result<std::vector<chain::Cid>> head() = 0;
};

}  // namespace venus::plugins::node::sync
