// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "venus/rpc/registry.hpp"

#include <mutex>

namespace venus::rpc {

Status MethodRegistry::add(MethodSpec spec) {
    if (!spec.handler) return make_error(Errc::kInternal, "method {} has no handler", spec.name);
    if (spec.min_params < 0 || spec.max_params < spec.min_params) {
        return make_error(Errc::kInternal, "method {} has an invalid param range", spec.name);
    }
    std::unique_lock lock(mu_);
    auto name = spec.name;
    auto [it, inserted] = methods_.emplace(name, std::move(spec));
    if (!inserted) return make_error(Errc::kAlreadyExists, "method {} registered twice", name);
    return {};
}

Status MethodRegistry::add_all(std::vector<MethodSpec> specs) {
    for (auto& s : specs) VENUS_TRY_VOID(add(std::move(s)));
    return {};
}

const MethodSpec* MethodRegistry::find(std::string_view name) const {
    std::shared_lock lock(mu_);
    auto it = methods_.find(name);
    return it == methods_.end() ? nullptr : &it->second;
}

std::vector<const MethodSpec*> MethodRegistry::list() const {
    std::shared_lock lock(mu_);
    std::vector<const MethodSpec*> out;
    out.reserve(methods_.size());
    for (const auto& [_, spec] : methods_) out.push_back(&spec);
    return out;
}

std::string_view HttpRequest::header(std::string_view lower_name) const {
    auto it = headers.find(std::string(lower_name));
    return it == headers.end() ? std::string_view{} : std::string_view(it->second);
}

std::string_view HttpRequest::query_param(std::string_view name) const {
    auto it = query.find(std::string(name));
    return it == query.end() ? std::string_view{} : std::string_view(it->second);
}

Status HttpRouter::add(HttpRoute route) {
    if (!route.handler) return make_error(Errc::kInternal, "route {} {} has no handler", route.method, route.path);
    std::unique_lock lock(mu_);
    auto key = route.method + " " + route.path;
    auto [it, inserted] = routes_.emplace(key, std::move(route));
    if (!inserted) return make_error(Errc::kAlreadyExists, "route {} registered twice", key);
    return {};
}

const HttpRoute* HttpRouter::find(std::string_view method, std::string_view path) const {
    std::string key;
    key.reserve(method.size() + 1 + path.size());
    key.append(method).append(" ").append(path);
    std::shared_lock lock(mu_);
    auto it = routes_.find(key);
    return it == routes_.end() ? nullptr : &it->second;
}

bool HttpRouter::has_path(std::string_view path) const {
    std::shared_lock lock(mu_);
    for (const auto& [_, r] : routes_) {
        if (r.path == path) return true;
    }
    return false;
}

void HttpRouter::set_interceptor(std::shared_ptr<const RequestInterceptor> interceptor) {
    std::unique_lock lock(mu_);
    interceptor_ = std::move(interceptor);
}

std::shared_ptr<const RequestInterceptor> HttpRouter::interceptor() const {
    std::shared_lock lock(mu_);
    return interceptor_;
}

}  // namespace venus::rpc
