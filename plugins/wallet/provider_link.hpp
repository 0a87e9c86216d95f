// SPDX-License-Identifier: Apache-2.0 OR MIT
//! One provider stream to a gateway (sophon-gateway protocol): a WebSocket to /rpc/v2, a
//! Listen*Event channel, each RequestEvent handled on the worker pool and answered with
//! Response*Event. Reconnects 1 s after the stream or the connection ends, as the reference clients.
#pragma once

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <asio/thread_pool.hpp>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "venus/api/gateway.hpp"
#include "venus/rpc/client.hpp"

namespace venus::plugins::wallet {

class ProviderLink : public std::enable_shared_from_this<ProviderLink> {
  public:
    //! Answers one event (JSON text of the result), on a worker thread.
    using Handler = std::function<Result<std::string>(const api::wire::RequestEvent&)>;

    struct Options {
        rpc::ApiInfo gateway;
        std::string listen_method;    //!< Gateway.ListenWalletEvent
        std::string response_method;  //!< Gateway.ResponseWalletEvent
        rpc::RawJson policy;          //!< the Listen call's one param
        std::string name;             //!< for logs: "wallet", "prover t01000"
    };

    ProviderLink(Options options, Handler handler, asio::io_context& control, asio::thread_pool& workers);
    void start();
    void stop();

    //! The channel id from InitConnect; empty until registered.
    std::string channel_id() const;
    //! Calls a gateway method on the live connection (e.g. Gateway.AddNewAddress); an error when down.
    Result<rpc::RawJson> call(std::string_view method, const rpc::RawJson& params);
    //! The same without waiting (safe from any thread, including event handlers).
    void call_async(std::string_view method, const rpc::RawJson& params, std::function<void(Result<rpc::RawJson>)> done);
    //! Runs when InitConnect arrives (registration complete).
    void on_ready(std::function<void()> fn) { on_ready_ = std::move(fn); }

  private:
    void connect();
    void schedule_reconnect(std::chrono::seconds delay = std::chrono::seconds(1));
    void handle(rpc::RawJson value);

    Options options_;
    Handler handler_;
    asio::io_context& control_;
    asio::thread_pool& workers_;
    asio::steady_timer timer_;
    std::function<void()> on_ready_;
    mutable std::mutex mu_;
    std::shared_ptr<rpc::WsRpcClient> client_;
    std::string channel_id_;
    std::atomic<bool> stopped_{false};
    std::atomic<bool> reconnect_pending_{false};
};

}  // namespace venus::plugins::wallet
