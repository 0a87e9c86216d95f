// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Another venusd (or Lotus) node reached over JSON-RPC on one WebSocket: headers by ChainReadObj
//! (raw bytes, hash-checked), messages by ChainGetBlockMessages, heads by ChainHead/ChainNotify.
#pragma once

#include <functional>
#include <memory>
#include <mutex>

#include "node/sync/chain_exchange.hpp"
#include "venus/rpc/api_info.hpp"
#include "venus/rpc/client.hpp"

namespace venus::plugins::node::sync {

class RpcPeer final : public ChainExchange {
  public:
    explicit RpcPeer(rpc::ApiInfo info) : info_(std::move(info)) {}

    std::string name() const override { return info_.addr.to_string(); }
    //! (Re)connects when not connected.
    Status connect();
    bool connected() const;
    void close();

    using HeadFn = std::function<void(std::vector<chain::Cid>)>;
    //! ChainNotify: `on_head` gets the tipset of the first "current" and of every "apply";
    //! `on_close` runs once when the channel or the connection ends.
    Status follow(HeadFn on_head, std::function<void()> on_close);

    //! MpoolSub: `on_add` gets every message the peer's pool admits (read permission suffices,
    //! so messages spread by pull just as blocks do).
    Status follow_mpool(std::function<void(chain::SignedMessage)> on_add);

    //! SyncSubmitBlock: the peer validates the block itself (write permission on its API).
    Status submit_block(const chain::BlockMsg& block);
    //! MpoolPushUntrusted: every admission check of the peer applies.
    Status push_message(const chain::SignedMessage& msg);

    Result<chain::BlockHeader> header(const chain::Cid& cid) override;
    Result<api::BlockContents> messages(const chain::Cid& block) override;
    Result<std::vector<chain::Cid>> head() override;

  private:
    Result<std::shared_ptr<rpc::WsRpcClient>> client() const;

    rpc::ApiInfo info_;
    mutable std::mutex mu_;
    std::shared_ptr<rpc::WsRpcClient> ws_;
};

}  // namespace venus::plugins::node::sync
