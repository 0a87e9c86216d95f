// SPDX-License-Identifier: Apache-2.0 OR MIT
//! StateSearchMsg / StateWaitMsg (lotus chain/stmgr/searchwait.go semantics) answered from the
//! message index. A search follows the sender's nonce, as Lotus does: the message found is the
//! one with the sought message's sender and nonce, which may be a replacement (same call, other
//! gas fields); a different call under that nonce is an error, and a replacement is an error
//! unless allowReplaced.
//!
//! Only the part of `from`'s chain that is not on the head's chain (a fork) is walked, tipset by
//! tipset; below the fork point the index answers.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "node/node_service.hpp"
#include "node/store/msg_index.hpp"

namespace venus::plugins::node {

//! MsgLookup.
struct MsgLookup {
    chain::Cid message;              //!< chain CID of the message found (a replacement if replaced)
    chain::Message vm_message;       //!< its unsigned message (for ReturnDec)
    chain::MessageReceipt receipt;
    chain::TipSet tipset;            //!< the tipset whose state includes the execution
    chain::ChainEpoch height = 0;
};

//! Lotus LookbackNoLimit.
inline constexpr std::int64_t kLookbackNoLimit = -1;

class MsgSearch {
  public:
    using Done = std::function<void(Result<MsgLookup>)>;

    MsgSearch(NodeService& svc, MsgIndex& index);
    ~MsgSearch();

    //! The lowest executing height a search from `from` with lookback `limit` may report
    //! (limit < 0: no limit; 0 looks at `from` only, like 1).
    static chain::ChainEpoch min_exec_height(const chain::TipSet& from, std::int64_t limit);

    //! The message executed on `from`'s chain at a height >= min_exec, or nullopt. A CID that
    //! is not a stored message is nullopt too (it may still be in the message pool).
    Result<std::optional<MsgLookup>> search(const chain::TipSet& from, const chain::Cid& cid,
                                            chain::ChainEpoch min_exec, bool allow_replaced);

    //! Calls `done` (once, from the thread that changed the head or from this call) when the
    //! message is executed on the head's chain and the head is `confidence` epochs above the
    //! executing tipset; follows reorgs. No thread waits. Returns an id for cancel().
    std::uint64_t wait(const chain::Cid& cid, std::uint64_t confidence, std::int64_t limit, bool allow_replaced,
                       Done done);
    //! Ends a wait with "context canceled" (client cancelled or disconnected).
    void cancel(std::uint64_t id);
    //! Ends every wait, refuses new ones and stops following the index (the module stops; RPC
    //! handlers may keep this object alive longer than the index).
    void shutdown();
    std::size_t waiting() const;

  private:
    struct Waiter {
        chain::Cid cid;
        std::uint64_t confidence = 0;
        chain::ChainEpoch min_exec = 0;
        bool allow_replaced = true;
        Done done;
    };
    Result<std::optional<MsgLookup>> executed_in(const chain::TipSet& ts, const chain::Message& vmm,
                                                 const chain::Cid& sought, bool allow_replaced);
    Result<std::optional<MsgLookup>> from_index(chain::ChainEpoch top, const chain::Message& vmm,
                                                const chain::Cid& sought, chain::ChainEpoch min_exec,
                                                bool allow_replaced);
    Result<chain::MessageReceipt> receipt_at(const chain::TipSet& exec, std::uint32_t index);
    //! Completes the waiter if its message is deep enough; false when it keeps waiting.
    void check(std::uint64_t id);
    std::optional<Waiter> take(std::uint64_t id);

    NodeService& svc_;
    MsgIndex& index_;
    std::uint64_t index_sub_ = 0;
    mutable std::mutex mu_;
    std::map<std::uint64_t, Waiter> waiters_;
    std::uint64_t next_id_ = 1;
    bool stopped_ = false;
};

//! Lotus Message.EqualCall: equal but for GasLimit, GasFeeCap and GasPremium.
bool equal_call(const chain::Message& a, const chain::Message& b);

}  // namespace venus::plugins::node
