// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The method table all modules register into, and the REST routes they add to the one listener.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "venus/core/result.hpp"
#include "venus/rpc/method.hpp"

namespace venus::rpc {

//! Methods by full name. Registration happens during module initialization (control thread); lookups
//! happen on network threads afterwards, so a shared mutex guards the map.
class MethodRegistry {
  public:
    //! Fails on a duplicate name or a spec without a handler.
    Status add(MethodSpec spec);
    Status add_all(std::vector<MethodSpec> specs);
    //! nullptr when unknown. The pointer stays valid for the registry's lifetime (node-based map).
    const MethodSpec* find(std::string_view name) const;
    std::vector<const MethodSpec*> list() const;

  private:
    mutable std::shared_mutex mu_;
    std::map<std::string, MethodSpec, std::less<>> methods_;
};

//! A plain HTTP request as REST handlers see it.
struct HttpRequest {
    std::string method;  //!< GET, POST, …
    std::string path;    //!< without the query
    std::multimap<std::string, std::string> query;  //!< decoded
    std::unordered_map<std::string, std::string> headers;  //!< lower-case names
    std::string body;
    std::string remote;

    std::string_view header(std::string_view lower_name) const;
    std::string_view query_param(std::string_view name) const;
};

struct HttpResponse {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    //! From an interceptor, for an upgrade request only: instead of answering, relay the connection
    //! byte for byte to this host:port, starting with the request itself (a WebSocket proxy).
    std::string tunnel_host{};
    std::uint16_t tunnel_port = 0;
};

using HttpResponder = std::function<void(HttpResponse)>;
//! REST handlers get the verified claims (nullopt when the route is public or no token was sent).
using HttpHandler = std::function<void(const HttpRequest&, const std::optional<Claims>&, HttpResponder)>;

struct HttpRoute {
    std::string method;
    std::string path;
    bool requires_token = true;  //!< false: public (health, the auth service's own /verify)
    Exec exec = Exec::kControl;
    HttpHandler handler;
};

//! Sees a request that carries a given header before authentication and dispatch (the gateway's
//! X-VENUS-API-NAMESPACE proxy). Returns true when it has taken the request over and will answer
//! through the responder (once, from any thread); false lets the request go on as usual.
struct RequestInterceptor {
    std::string header;  //!< lower-case name; requests without it are never shown to `handle`
    std::function<bool(const HttpRequest&, HttpResponder)> handle;
};

class HttpRouter {
  public:
    Status add(HttpRoute route);
    const HttpRoute* find(std::string_view method, std::string_view path) const;
    bool has_path(std::string_view path) const;

    //! One interceptor at most; nullptr removes it.
    void set_interceptor(std::shared_ptr<const RequestInterceptor> interceptor);
    std::shared_ptr<const RequestInterceptor> interceptor() const;

  private:
    mutable std::shared_mutex mu_;
    std::map<std::string, HttpRoute, std::less<>> routes_;  // key "METHOD path"
    std::shared_ptr<const RequestInterceptor> interceptor_;
};

}  // namespace venus::rpc
