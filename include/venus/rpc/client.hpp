// SPDX-License-Identifier: Apache-2.0 OR MIT
//! JSON-RPC clients: HTTP (cpp-httplib, for the CLI and request/response module proxies) and WebSocket
//! (own RFC 6455 client on Asio, for channel subscriptions such as ChainNotify or the gateway's
//! Listen*Event streams).
#pragma once

#include <chrono>
#include <functional>
#include <initializer_list>
#include <utility>
#include <vector>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>

#include "venus/core/result.hpp"
#include "venus/rpc/api_info.hpp"
#include "venus/rpc/json.hpp"

namespace venus::rpc {

//! Errors returned by a remote JSON-RPC server carry its numeric code in this category, so callers
//! can tell "the server said no" (this category) from "could not reach it" (Errc::kUnavailable/kTimeout).
const std::error_category& jsonrpc_category() noexcept;
inline bool is_remote_error(const Error& e) noexcept { return e.code.category() == jsonrpc_category(); }

//! Percent-encodes a query value (RFC 3986 unreserved characters pass through).
std::string url_encode(std::string_view s);
//! "?k1=v1&k2=v2" with encoded values, for REST routes such as the auth service's.
std::string url_query(std::initializer_list<std::pair<std::string_view, std::string_view>> params);

//! Builds a params array: `params(b, [&](JsonOut& o){ o.String("x"); o.Int(1); })`.
RawJson make_params(const std::function<void(JsonOut&)>& fill);

class HttpRpcClient {
  public:
    //! `path` is /rpc/v0, /rpc/v1 or /rpc/v2.
    HttpRpcClient(ApiInfo info, std::string path = "/rpc/v1", std::chrono::milliseconds timeout = std::chrono::seconds(30));
    ~HttpRpcClient();
    HttpRpcClient(const HttpRpcClient&) = delete;
    HttpRpcClient& operator=(const HttpRpcClient&) = delete;

    //! Calls `method` with a params array (JSON text) and returns the raw result JSON.
    Result<RawJson> call(std::string_view method, const RawJson& params = RawJson{"[]"});
    //! Plain HTTP request on the same endpoint (REST routes such as the auth service's).
    struct Response {
        int status = 0;
        std::string body;
    };
    Result<Response> request(std::string_view method, std::string_view path, std::string_view body = {},
                             std::string_view content_type = "application/json");
    const ApiInfo& info() const noexcept { return info_; }

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    ApiInfo info_;
    std::string path_;
};

//! A WebSocket JSON-RPC connection with its own network thread. Thread-safe.
class WsRpcClient {
  public:
    using ValueFn = std::function<void(RawJson)>;  //!< one xrpc.ch.val
    using CloseFn = std::function<void()>;          //!< xrpc.ch.close, or the connection dropped

    //! `headers`: extra handshake headers (e.g. X-VENUS-API-NAMESPACE for sophon-style routing).
    static Result<std::shared_ptr<WsRpcClient>> connect(
        const ApiInfo& info, std::string path = "/rpc/v1", std::chrono::milliseconds timeout = std::chrono::seconds(10),
        const std::vector<std::pair<std::string, std::string>>& headers = {});
    ~WsRpcClient();

    Result<RawJson> call(std::string_view method, const RawJson& params = RawJson{"[]"},
                         std::chrono::milliseconds timeout = std::chrono::seconds(30));
    void call_async(std::string_view method, const RawJson& params, std::function<void(Result<RawJson>)> done);

    struct Subscription {
        std::uint64_t request_id = 0;
        std::uint64_t channel_id = 0;
    };
    //! Calls a channel-returning method; values arrive on the client's thread in order.
    Result<Subscription> subscribe(std::string_view method, const RawJson& params, ValueFn on_value, CloseFn on_close,
                                   std::chrono::milliseconds timeout = std::chrono::seconds(30));
    //! Sends xrpc.cancel for the subscription's call (the server then closes the channel).
    void cancel(const Subscription& sub);

    //! Called once if the connection drops (after failing every pending call and channel).
    void on_disconnect(std::function<void(const Error&)> fn);
    bool connected() const;
    void close();

    struct Impl;

  private:
    explicit WsRpcClient(std::shared_ptr<Impl> impl);
    std::shared_ptr<Impl> impl_;
};

}  // namespace venus::rpc
