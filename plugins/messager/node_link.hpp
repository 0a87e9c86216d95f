// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The node calls sophon-messager makes, typed, by JSON-RPC method name over an RpcCaller: dispatched
//! in process through the method registry (on the handler's own execution class) or sent to a
//! remote node's /rpc/v1 — one code path, so a messager split off to another host behaves the same.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "types.hpp"
#include "venus/chain/types.hpp"
#include "venus/rpc/api_info.hpp"
#include "venus/rpc/json.hpp"
#include "venus/rpc/method_caller.hpp"

namespace venus::plugins::messager {

using rpc::RpcCaller;

struct EstimateItem {
    chain::Message msg;
    chain::TokenAmount max_fee;
    double gas_over_estimation = 0;
    double gas_over_premium = 0;
};

struct EstimateResult {
    std::optional<chain::Message> msg;
    std::string err;
};

//! StateSearchMsg's MsgLookup, as far as the messager needs it.
struct Lookup {
    chain::Cid message;  //!< the CID that executed (differs from the searched one when replaced)
    Receipt receipt;
    std::string tipset_key;  //!< JSON of the key of the tipset that executed it
    std::int64_t height = 0;  //!< of that tipset; the message's own tipset is the parent
};

class NodeLink {
  public:
    explicit NodeLink(RpcCaller call, std::chrono::milliseconds timeout = std::chrono::seconds(30))
        : call_(std::move(call)), timeout_(timeout) {}

    Result<chain::TipSet> chain_head();
    Result<chain::TipSet> tipset(const chain::TipSetKey& key);
    //! ChainGetTipSetByHeight from `from` (a null round gives the tipset below).
    Result<chain::TipSet> tipset_by_height(chain::ChainEpoch h, const chain::TipSetKey& from);
    //! nullopt when the actor does not exist (yet).
    Result<std::optional<chain::Actor>> actor(const chain::Address& a, const chain::TipSetKey& key);
    Result<chain::Address> account_key(const chain::Address& a);
    Result<std::vector<std::pair<chain::Cid, chain::Message>>> tipset_messages(const chain::TipSetKey& key);
    Result<std::vector<std::pair<chain::Cid, chain::Message>>> parent_messages(const chain::Cid& block);
    Result<std::vector<Receipt>> parent_receipts(const chain::Cid& block);
    Result<std::vector<EstimateResult>> batch_estimate(const std::vector<EstimateItem>& items, std::uint64_t from_nonce,
                                                       const chain::TipSetKey& key, std::chrono::milliseconds timeout);
    Result<chain::Message> estimate_message_gas(const chain::Message& m, const chain::TokenAmount& max_fee,
                                                double gas_over_premium);
    Status push_untrusted(const chain::SignedMessage& m);
    Status batch_push_untrusted(const std::vector<chain::SignedMessage>& msgs);
    Result<std::optional<Lookup>> search(const chain::Cid& cid);
    //! MpoolGetConfig's ReplaceByFeeRatio as a percentage (Lotus floors it at 110).
    Result<std::int64_t> replace_by_fee_percent();
    Result<std::uint64_t> block_delay_secs();

    const RpcCaller& caller() const { return call_; }

  private:
    RpcCaller call_;
    std::chrono::milliseconds timeout_;
};

//! The pool's answers that mean "already there" (sophon-messager ignores these on re-push).
bool is_benign_push_error(std::string_view message);

}  // namespace venus::plugins::messager
