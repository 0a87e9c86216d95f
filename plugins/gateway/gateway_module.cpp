// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "gateway_module.hpp"

#include "gateway_service.hpp"
#include "namespace_proxy.hpp"
#include "rpc_methods.hpp"
#include "settings.hpp"
#include "venus/app/context.hpp"
#include "venus/core/log.hpp"
#include "venus/rpc/server.hpp"

namespace venus::plugins::gateway {

namespace {
constexpr const char* kVersionText = "1.18.0+venusd";

class GatewayModule final : public app::Module {
  public:
    std::string_view name() const noexcept override { return "gateway"; }
    std::vector<std::string> dependencies() const override { return {"auth"}; }
    std::string default_config() const override { return Settings::kDefaultText; }
    bool has_remote(std::string_view dependency, const app::Config& config) const override {
        if (dependency != "auth") return false;
        auto s = config.get_string("api", "auth_url", "");
        return s.ok() && !s->empty();
    }

    Status initialize(app::Context& ctx) override {
        ctx_ = &ctx;
        VENUS_TRY(settings_, Settings::load(ctx.config));
        auto auth = ctx.services.get<api::Auth>();
        // The application provides the remote one when [api] auth_url is set.
        if (!auth) return make_error(Errc::kConfig, "[gateway] needs the auth module or [api] auth_url");
        service_ = std::make_shared<GatewayService>(settings_, std::move(auth), ctx.workers);
        VENUS_TRY_VOID(ctx.methods.add_all(method_table(service_, kVersionText)));
        ctx.services.provide<api::Gateway>(service_);
        service_->export_metrics(ctx.metrics);
        VENUS_TRY_VOID(install_namespace_proxy(ctx));
        return {};
    }

    Status start() override {
        service_->start(ctx_->control);
        if (settings_.listen.empty()) return {};
        VENUS_TRY(auto addr, rpc::parse_multiaddr(settings_.listen));
        auto bound = ctx_->server.listen(addr);
        if (!bound) return bound.error().wrap("[gateway] listen");
        log::get("gateway")->info("sophon-gateway compatible listener on {}", bound->to_string());
        return {};
    }

    void stop() noexcept override {
        if (ctx_) ctx_->routes.set_interceptor(nullptr);
        if (proxy_) proxy_->stop();
        if (service_) service_->stop();
    }

  private:
    Status install_namespace_proxy(app::Context& ctx) {
        // sophon registers AUTH from its auth URL; here that is [api] auth_url when auth runs elsewhere.
        std::string remote_auth;
        if (!ctx.is_enabled("auth")) {
            VENUS_TRY(remote_auth, ctx.config.get_string("api", "auth_url", ""));
        }
        static const std::map<std::string, std::string, std::less<>> kModuleOf = {
            {"VENUS", "node"}, {"MESSAGER", "messager"}, {"MINER", "miner"}, {"AUTH", "auth"}};
        proxy_ = std::make_shared<NamespaceProxy>(NamespaceProxy::Deps{
            .backends =
                [service = service_, remote_auth] {
                    auto table = service->reverse_proxies();
                    if (!remote_auth.empty()) table.emplace("AUTH", remote_auth);
                    return table;
                },
            .served_locally =
                [&ctx](std::string_view key) {
                    auto it = kModuleOf.find(key);
                    return it != kModuleOf.end() && ctx.is_enabled(it->second);
                },
            .workers = ctx.workers,
            .timeout = std::max(std::chrono::seconds(1),
                                std::chrono::duration_cast<std::chrono::seconds>(settings_.request_timeout)),
        });
        ctx.routes.set_interceptor(std::make_shared<const rpc::RequestInterceptor>(rpc::RequestInterceptor{
            std::string(kNamespaceHeader),
            [proxy = proxy_](const rpc::HttpRequest& req, rpc::HttpResponder respond) {
                return proxy->handle(req, std::move(respond));
            }}));
        return {};
    }

    app::Context* ctx_ = nullptr;
    Settings settings_;
    std::shared_ptr<GatewayService> service_;
    std::shared_ptr<NamespaceProxy> proxy_;
};
}  // namespace

std::unique_ptr<app::Module> make_gateway_module() { return std::make_unique<GatewayModule>(); }

}  // namespace venus::plugins::gateway
