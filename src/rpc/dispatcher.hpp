// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The JSON-RPC 2.0 envelope: parsing, batches, method lookup, permission and param-count checks
//! (before any param is decoded), execution on the method's exec class, and error mapping as
//! go-jsonrpc does it. Transport-agnostic: HTTP and WebSocket connections both feed it.
#pragma once

#include <functional>
#include <atomic>
#include <memory>
#include <string>
#include <unordered_map>
#include <shared_mutex>
#include <vector>

#include "venus/rpc/server.hpp"

namespace venus::rpc {

//! Per-call facts that come from the transport.
struct CallEnv {
    Claims claims;
    std::string path;
    Transport transport = Transport::kHttp;
    std::string remote;
    std::shared_ptr<TokenVerifier> verifier;  //!< for per-call admission (rate limits)
    //! WebSocket only: opens a channel on the connection.
    std::function<Result<std::shared_ptr<Channel>>()> open_channel;
    //! WebSocket only: in-flight calls by request id (JSON text), for xrpc.cancel and disconnects.
    std::function<void(const std::string& id, std::shared_ptr<CancelToken>)> track;
    std::function<void(const std::string& id)> untrack;
    std::function<void(const std::string& id)> cancel;
};

struct DispatchResult {
    std::string body;  //!< empty: nothing to send (notifications only)
    int http_status = 200;
    //! Channels answered in this result; the transport activates them after queuing `body`.
    std::vector<std::shared_ptr<Channel>> channels;
};

class Dispatcher {
  public:
    Dispatcher(const ServerOptions& options, const ServerDeps& deps);
    //! Replies still held by handlers (timers, waits) become no-ops: they may be dropped later, at
    //! the event loop's destruction, when this dispatcher and the metrics are gone.
    ~Dispatcher();
    //! Handles a request body (one call or a batch). `done` runs exactly once, on any thread.
    void handle(std::string body, std::shared_ptr<const CallEnv> env, std::function<void(DispatchResult)> done);

    //! A complete error response text (for transport-level failures such as oversized bodies).
    static std::string error_response(std::string_view id_json, int code, std::string_view message);

  private:
    struct Slot;
    struct MethodMetrics {
        metrics::Counter* ok;
        metrics::Counter* failed;
        metrics::Histogram* latency;
    };
    void process(const JsonValue& request, std::shared_ptr<JsonDocument> doc, std::shared_ptr<const CallEnv> env,
                 std::function<void(std::string, int, std::shared_ptr<Channel>)> done);
    MethodMetrics& metrics_for(const MethodSpec* spec);

    const ServerOptions& options_;
    const ServerDeps& deps_;
    std::shared_mutex metrics_mu_;
    std::unordered_map<const MethodSpec*, std::unique_ptr<MethodMetrics>> method_metrics_;
    metrics::Counter& parse_errors_;
    metrics::Counter& unknown_methods_;
    std::shared_ptr<std::atomic<bool>> alive_ = std::make_shared<std::atomic<bool>>(true);
};

}  // namespace venus::rpc
