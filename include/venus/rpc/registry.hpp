// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The method table all modules register into, and the REST routes they add to the one listener.
#pragma once

#include <functional>
#include <map>
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

class HttpRouter {
  public:
    Status add(HttpRoute route);
    const HttpRoute* find(std::string_view method, std::string_view path) const;
    bool has_path(std::string_view path) const;

  private:
    mutable std::shared_mutex mu_;
    std::map<std::string, HttpRoute, std::less<>> routes_;  // key "METHOD path"
};

}  // namespace venus::rpc
