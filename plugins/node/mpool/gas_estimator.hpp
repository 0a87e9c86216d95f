// SPDX-License-Identifier: Apache-2.0 OR MIT
//! StateCall and gas estimation (lotus chain/stmgr/call.go, node/impl/gasutils; Venus
//! GasBatchEstimateMessageGas; node-chain.md §1.5, §3.12). Every simulation runs the VM over a
//! write buffer that is thrown away: nothing is persisted.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "node/mpool/message_pool.hpp"
#include "node/node_service.hpp"
#include "node/vm/vm.hpp"

namespace venus::plugins::node {

//! The union of Lotus's {MaxFee, MsgUuid, MaximizeFeeCap} and Venus's {MaxFee, GasOverEstimation,
//! GasOverPremium}. Zero values mean "use the default".
struct MessageSendSpec {
    chain::TokenAmount max_fee;
    double gas_over_estimation = 0;
    double gas_over_premium = 0;
    std::string msg_uuid;
    bool maximize_fee_cap = false;
};

//! StateCall's InvocResult.
struct InvocResult {
    chain::Message msg;
    chain::Cid msg_cid;
    ApplyResult apply;
    std::int64_t duration_ns = 0;
};

struct EstimateItem {
    chain::Message msg;
    MessageSendSpec spec;
};
struct EstimateResult {
    std::optional<chain::Message> msg;  //!< null when estimation failed
    std::string err;
};

namespace gas_estimation {
inline constexpr std::int64_t kMinGasPremium = 100'000;
//! Lotus DefaultDefaultMaxFee: 0.07 FIL.
inline const chain::TokenAmount& default_max_fee() {
    static const chain::TokenAmount v = chain::BigInt(7) * chain::fil_precision() / chain::BigInt(100);
    return v;
}
}  // namespace gas_estimation

//! Lotus medianGasPremium over (premium, gas limit) pairs of `blocks` blocks.
chain::TokenAmount median_gas_premium(std::vector<std::pair<chain::TokenAmount, std::int64_t>> prices, std::int64_t blocks,
                                      std::int64_t block_gas_target);

//! The bytes a message will be charged for once signed by its sender's key type (a dummy
//! signature of the right length for f1, the unsigned message for f3).
Result<std::size_t> estimated_chain_length(const chain::Message& m);

class GasEstimator {
  public:
    GasEstimator(NodeService& node, MessagePool& pool) : node_(node), pool_(pool) {}

    //! StateCall: on ts.ParentStateRoot at ts.Height, after ts's own messages from the same sender.
    //! Zero GasLimit → BlockGasLimit; the nonce is the sender's; gas is not paid (fee cap 0), as
    //! Lotus runs calls as implicit messages.
    Result<InvocResult> state_call(chain::Message msg, const chain::TipSetKey& tsk);

    //! GasEstimateGasLimit: GasUsed of the message after the sender's pending messages, on the
    //! state after the tipset.
    Result<std::int64_t> estimate_gas_limit(const chain::Message& msg, const chain::TipSetKey& tsk);
    Result<chain::TokenAmount> estimate_gas_premium(std::uint64_t nblocksincl, const chain::Address& sender,
                                                    std::int64_t gas_limit, const chain::TipSetKey& tsk);
    Result<chain::TokenAmount> estimate_fee_cap(const chain::Message& msg, std::int64_t max_queue_blocks,
                                                const chain::TipSetKey& tsk);
    //! GasEstimateMessageGas: fills the zero fields, then caps the fee at spec.MaxFee (or 0.07 FIL).
    Result<chain::Message> estimate_message_gas(chain::Message msg, const MessageSendSpec& spec,
                                                const chain::TipSetKey& tsk);
    //! GasBatchEstimateMessageGas: nonces from `from_nonce`; each estimate runs after the earlier
    //! successful ones; a failure is reported in its slot and does not use a nonce.
    Result<std::vector<EstimateResult>> batch_estimate(const std::vector<EstimateItem>& items, std::uint64_t from_nonce,
                                                       const chain::TipSetKey& tsk);

    //! The multiplicative noise on premiums (Lotus: N(1, 0.005)); tests make it 1.
    void set_noise(std::function<double()> fn) { noise_ = std::move(fn); }

  private:
    struct Prior {
        chain::Message msg;
        std::size_t chain_length;
    };
    //! The message (nonce set to the sender's after `prior`) applied after `prior` on the state after
    //! `ts`, at epoch ts.Height+1 with ts's ParentBaseFee (Lotus CallWithGas).
    Result<ApplyResult> call_with_gas(chain::Message& msg, const std::vector<Prior>& prior, const chain::TipSet& ts);
    Result<std::int64_t> gas_used_after(chain::Message msg, const std::vector<Prior>& prior, const chain::TipSet& ts);
    void cap_gas_fee(chain::Message& msg, const MessageSendSpec& spec) const;

    NodeService& node_;
    MessagePool& pool_;
    std::function<double()> noise_;
};

}  // namespace venus::plugins::node
