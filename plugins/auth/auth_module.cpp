// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "auth_module.hpp"

#include "auth_service.hpp"
#include "genesis_miners.hpp"
#include "local_auth.hpp"
#include "routes.hpp"
#include "settings.hpp"
#include "venus/app/context.hpp"
#include "venus/app/repo.hpp"
#include "venus/core/log.hpp"
#include "venus/rpc/jwt.hpp"
#include "venus/rpc/server.hpp"

namespace venus::plugins::auth {

namespace {
constexpr const char* kVersionText = "venusd-auth 0.1.0 (sophon-auth 1.16.0 compatible)";

class AuthModule final : public app::Module {
  public:
    std::string_view name() const noexcept override { return "auth"; }
    std::string default_config() const override { return Settings::kDefaultText; }

    Status initialize(app::Context& ctx) override {
        ctx_ = &ctx;
        VENUS_TRY(settings_, Settings::load(ctx.config));
        VENUS_TRY(auto* db, ctx.stores.sql("auth"));
        VENUS_TRY(store_, AuthStore::open(*db));
        previous_ = ctx.server.verifier();
        verifier_ = std::make_shared<AuthVerifier>(*store_, previous_, limiter_, settings_.cache_size, &ctx.metrics);
        service_ = std::make_unique<AuthService>(*store_, *verifier_, limiter_);
        VENUS_TRY_VOID(service_->load_rate_limits());

        // The repo's `token` file is the daemon's own admin token (signed with keystore/jwt-secret);
        // registering it makes it sophon-auth's defaultLocalToken: listed, revocable, and verified here.
        VENUS_TRY(auto secret, app::load_or_create_jwt_secret(ctx.paths.repo));
        const rpc::Hs256Key key(secret);
        const auto token = rpc::jwt_sign_sophon(key, rpc::Claims{std::string(kDefaultLocalUser), rpc::Perm::kAdmin, ""});
        VENUS_TRY_VOID(service_->bootstrap_local_token(token, secret));

        VENUS_TRY_VOID(register_routes(ctx.routes, *service_, kVersionText));
        ctx.services.provide<api::Auth>(make_local_auth(*service_));
        ctx.server.set_verifier(verifier_);
        return {};
    }

    Status start() override {
        // In start(): the node writes the genesis keys during its initialize, which may follow ours.
        if (settings_.bind_genesis_miners) {
            // A failure (the user was disabled, say) leaves the devnet without default mining, not down.
            auto n = bind_genesis_miners(*service_, ctx_->paths.repo, kDefaultLocalUser);
            if (!n) {
                log::get("auth")->warn("binding the genesis miners to {}: {}", kDefaultLocalUser, n.error().message);
            } else if (*n > 0) {
                log::get("auth")->info("bound {} genesis miner(s) to user {}", *n, kDefaultLocalUser);
            }
        }
        if (settings_.listen.empty()) return {};
        VENUS_TRY(auto addr, rpc::parse_multiaddr(settings_.listen));
        auto bound = ctx_->server.listen(addr);
        if (!bound) return bound.error().wrap("[auth] listen");
        log::get("auth")->info("sophon-auth compatible listener on {}", bound->to_string());
        return {};
    }

    void stop() noexcept override {
        // The verifier refers to this module's store: hand verification back before going away.
        if (ctx_ != nullptr && previous_ && ctx_->server.verifier() == verifier_) ctx_->server.set_verifier(previous_);
    }

  private:
    app::Context* ctx_ = nullptr;
    Settings settings_;
    std::unique_ptr<AuthStore> store_;
    RateLimiter limiter_;
    std::shared_ptr<rpc::TokenVerifier> previous_;
    std::shared_ptr<AuthVerifier> verifier_;
    std::unique_ptr<AuthService> service_;
};
}  // namespace

std::unique_ptr<app::Module> make_auth_module() { return std::make_unique<AuthModule>(); }

}  // namespace venus::plugins::auth
