// SPDX-License-Identifier: Apache-2.0 OR MIT
//! How the miner reaches the node: by JSON-RPC method name, either dispatched in process through the
//! method registry (on the handler's own execution class: control loop, worker pool or inline, as
//! the server would run it) or sent to a remote node. One code path for both, so a miner split off
//! to another host behaves exactly like the in-process one.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string_view>

#include "venus/core/result.hpp"
#include "venus/rpc/api_info.hpp"
#include "venus/rpc/json.hpp"
#include "venus/rpc/registry.hpp"

namespace asio {
class io_context;
class thread_pool;
}  // namespace asio

namespace venus::plugins::miner {

//! Calls `method` with a JSON params array; blocks the calling thread (never the control thread).
using RpcCaller = std::function<Result<rpc::RawJson>(std::string_view method, const rpc::RawJson& params,
                                                     std::chrono::milliseconds timeout)>;

//! In-process calls with admin claims. A call gives up at its timeout or when `stopping` is set
//! (the control loop may already be drained then).
RpcCaller local_caller(const rpc::MethodRegistry& methods, asio::io_context& control, asio::thread_pool& workers,
                       std::shared_ptr<std::atomic<bool>> stopping);

//! Calls to a remote node's /rpc/v1 (one HTTP client per call: calls run in parallel).
RpcCaller remote_caller(rpc::ApiInfo info);

}  // namespace venus::plugins::miner
