// SPDX-License-Identifier: Apache-2.0 OR MIT
//! How one module calls another by JSON-RPC method name, in process or on another host, through one
//! type: in process the method registry dispatches it on the handler's own execution class (control
//! loop, worker pool or inline, as the server would run it), with admin claims and
//! Transport::kInProcess; remotely it goes to the peer's /rpc/v1. So a module split off to another
//! host behaves exactly like the in-process one (the miner and the messager reach the node this way).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "venus/core/result.hpp"
#include "venus/rpc/api_info.hpp"
#include "venus/rpc/json.hpp"
#include "venus/rpc/registry.hpp"

namespace asio {
class io_context;
class thread_pool;
}  // namespace asio

namespace venus::rpc {

//! Calls `method` with a JSON params array; blocks the calling thread (never call it on the control thread).
using RpcCaller =
    std::function<Result<RawJson>(std::string_view method, const RawJson& params, std::chrono::milliseconds timeout)>;

//! In-process calls with admin claims, named `caller` (the calling module, for logs and errors). A
//! call gives up at its timeout or once `stopping` is set (the control loop may be drained then).
RpcCaller local_caller(const MethodRegistry& methods, asio::io_context& control, asio::thread_pool& workers,
                       std::shared_ptr<std::atomic<bool>> stopping, std::string caller);

//! Calls to a remote venusd's (or Lotus-compatible node's) /rpc/v1, one HTTP client per call so
//! calls from several threads run in parallel.
RpcCaller remote_caller(ApiInfo info);

}  // namespace venus::rpc
