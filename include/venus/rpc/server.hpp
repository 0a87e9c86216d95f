// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The one listener: HTTP/1.1 keep-alive and WebSocket (RFC 6455) on the same port and paths, built on
//! Asio with one io_context per network thread (no thread per connection). Serves JSON-RPC 2.0 at
//! /rpc/v0, /rpc/v1, /rpc/v2, module REST routes, /healthz, /readyz and /metrics.
#pragma once

#include <asio/io_context.hpp>
#include <asio/thread_pool.hpp>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "venus/core/metrics.hpp"
#include "venus/core/result.hpp"
#include "venus/rpc/api_info.hpp"
#include "venus/rpc/auth.hpp"
#include "venus/rpc/registry.hpp"

namespace venus::rpc {

struct ServerOptions {
    std::vector<Multiaddr> listen;            //!< port 0 picks a free port
    int threads = 2;                          //!< network threads
    std::size_t max_request_bytes = 64 << 20; //!< HTTP body and WebSocket message limit
    std::size_t max_header_bytes = 64 << 10;
    std::size_t max_json_depth = 64;
    std::size_t max_batch = 1000;
    //! Without a token: false → HTTP 401 (Venus); true → read permission (Lotus's default).
    bool anonymous_read = false;
    std::chrono::seconds ws_ping_interval{10};
    std::chrono::seconds ws_idle_timeout{60};   //!< no frame (not even a pong) for this long: close
    std::chrono::seconds control_call_timeout{300};
    std::size_t ws_max_queued_bytes = 64 << 20; //!< a client that stops reading is disconnected
};

//! Everything the server needs from the application. References must outlive the server.
struct ServerDeps {
    asio::io_context& control;          //!< kControl handlers run here
    asio::thread_pool& workers;         //!< kWorker handlers run here
    MethodRegistry& methods;
    HttpRouter& routes;
    metrics::Registry& metrics;
    std::function<bool()> ready;        //!< /readyz
    std::function<std::string()> ready_detail;
};

class Server {
  public:
    Server(ServerOptions options, ServerDeps deps);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    //! Replaces the token verifier (thread-safe); the auth module installs itself here.
    void set_verifier(std::shared_ptr<TokenVerifier> verifier);
    std::shared_ptr<TokenVerifier> verifier() const;

    //! Binds every listen address and starts the network threads.
    Status start();
    //! Adds a listener (e.g. a module's compatibility port such as sophon-auth's 8989), before or
    //! after start(). It serves the same routes and methods as the main one.
    Result<Multiaddr> listen(const Multiaddr& addr);
    //! Closes listeners and every connection (cancelling their calls), then joins the threads.
    void stop();
    //! The bound addresses (with real ports), valid after start().
    std::vector<Multiaddr> bound() const;
    std::size_t connection_count() const;

    struct Impl;

  private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace venus::rpc
