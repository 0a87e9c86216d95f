// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Handlers that block — they call back into the node or the gateway, whose in-process methods may
//! need the worker pool themselves — run on threads of their own. HandlerThreads counts those
//! threads so the module that owns what they use can cancel them and wait for them before it
//! destroys its stores: the method registry (and with it the handlers) outlives the module.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>

#include "venus/rpc/method.hpp"

namespace venus::rpc {

class HandlerThreads : public std::enable_shared_from_this<HandlerThreads> {
  public:
    static std::shared_ptr<HandlerThreads> create() { return std::shared_ptr<HandlerThreads>(new HandlerThreads()); }

    //! A handler that runs `fn` on a thread of its own (with copies of the context and params).
    Handler wrap(SyncHandler fn);

    //! Refuses new calls ("shutting down") and cancels the running ones (their CallContext::cancel).
    //! For a module's stop(): does not block.
    void close();
    //! close(), then waits until every running call has answered, at most `timeout`. For a module's
    //! destructor, before what the handlers use goes away. Returns how many were still running.
    std::size_t drain(std::chrono::milliseconds timeout);

  private:
    HandlerThreads() = default;

    std::mutex mu_;
    std::condition_variable idle_;
    bool closed_ = false;
    std::size_t next_id_ = 0;
    std::map<std::size_t, std::shared_ptr<CancelToken>> running_;
};

}  // namespace venus::rpc
