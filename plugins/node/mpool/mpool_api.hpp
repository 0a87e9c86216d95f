// SPDX-License-Identifier: Apache-2.0 OR MIT
//! What the node's Mpool*/Gas*/StateCall methods are served from: the pool, the estimator and
//! MpoolPushMessage (estimate, take the next nonce, sign with the in-process wallet, push).
#pragma once

#include <functional>
#include <memory>
#include <mutex>

#include "node/mpool/gas_estimator.hpp"
#include "node/mpool/message_pool.hpp"
#include "venus/api/wallet.hpp"

namespace venus::plugins::node {

struct MpoolApi {
    std::shared_ptr<NodeService> node;
    std::unique_ptr<MessagePool> pool;
    std::unique_ptr<GasEstimator> gas;
    //! The wallet module's service when it runs in this process (looked up at call time, because
    //! modules initialize in dependency order and the wallet may come after the node).
    std::function<std::shared_ptr<api::Wallet>()> wallet;

    //! MpoolPushMessage: fills gas (GasEstimateMessageGas), From as a key address and the nonce,
    //! signs with `wallet` and pushes as a local message. One at a time, so nonces never collide.
    Result<chain::SignedMessage> push_message(chain::Message msg, const MessageSendSpec& spec);

  private:
    std::mutex push_mu_;
};

}  // namespace venus::plugins::node
