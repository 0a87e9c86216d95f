// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "messager_module.hpp"

#include "messager.hpp"
#include "rpc_methods.hpp"
#include "settings.hpp"
#include "venus/api/node.hpp"
#include "venus/app/context.hpp"
#include "venus/core/log.hpp"

namespace venus::plugins::messager {

namespace {

class MessagerModule final : public app::Module {
  public:
    std::string_view name() const noexcept override { return "messager"; }
    std::vector<std::string> dependencies() const override { return {"auth", "gateway", "node"}; }
    std::string default_config() const override { return Settings::kDefaultText; }
    bool has_remote(std::string_view dependency, const app::Config& config) const override {
        auto given = [&](const char* section, const char* key) {
            auto s = config.get_string(section, key, "");
            return s.ok() && !s->empty();
        };
        if (dependency == "node") return given("messager", "node");
        if (dependency == "gateway") return given("messager", "gateway");
        if (dependency == "auth") return given("messager", "auth") || given("api", "auth_url");
        return false;
    }

    Status initialize(app::Context& ctx) override {
        VENUS_TRY(settings_, Settings::load(ctx.config));
        stopping_ = std::make_shared<std::atomic<bool>>(false);
        RpcCaller caller;
        if (!settings_.node.empty()) {
            VENUS_TRY(auto info, rpc::parse_api_info(settings_.node));
            caller = rpc::remote_caller(std::move(info));
        } else {
            caller = rpc::local_caller(ctx.methods, ctx.control, ctx.workers, stopping_, "messager");
            node_ = ctx.services.get<api::Node>();
        }
        std::shared_ptr<api::Gateway> gateway;
        if (!settings_.gateway.empty()) {
            VENUS_TRY(auto info, rpc::parse_api_info(settings_.gateway));
            gateway = api::make_remote_gateway(std::move(info));
        } else {
            gateway = ctx.services.get<api::Gateway>();
        }
        if (!gateway) return make_error(Errc::kConfig, "[messager] needs the gateway module or [messager] gateway");
        std::shared_ptr<api::Auth> auth;
        if (!settings_.auth.empty()) {
            VENUS_TRY(auto info, rpc::parse_api_info(settings_.auth));
            auth = api::make_remote_auth(std::move(info));
        } else {
            auth = ctx.services.get<api::Auth>();
        }
        if (!auth) return make_error(Errc::kConfig, "[messager] needs the auth module, [messager] auth or [api] auth_url");

        VENUS_TRY(auto* db, ctx.stores.sql("messager"));
        VENUS_TRY(store_, MessagerStore::open(*db));
        messager_ = std::make_shared<Messager>(*store_, NodeLink(caller), gateway, auth, settings_, &ctx.metrics);
        VENUS_TRY_VOID(ctx.methods.add_all(messager_methods(messager_, auth, gateway, threads_)));
        export_metrics(ctx.metrics);
        return {};
    }

    Status start() override {
        if (node_) {
            std::weak_ptr<Messager> weak = messager_;
            subscription_ = node_->subscribe_head_changes([weak](const std::vector<api::HeadChange>&) {
                if (auto m = weak.lock()) m->notify_head();
            });
        }
        messager_->start();
        return {};
    }

    void stop() noexcept override {
        if (stopping_) stopping_->store(true);
        threads_->close();
        if (node_ && subscription_) node_->unsubscribe_head_changes(*subscription_);
        subscription_.reset();
        if (messager_) messager_->stop();
    }

    ~MessagerModule() override {
        // Calls still running on threads of their own use the store: they answer before it closes.
        if (auto left = threads_->drain(std::chrono::seconds(10)); left > 0) {
            log::get("messager")->error("{} Message.* calls still running as the store closes", left);
        }
    }

  private:
    void export_metrics(metrics::Registry& reg) {
        std::weak_ptr<Messager> weak = messager_;
        auto counter = [&](const char* name, const char* help, std::atomic<std::uint64_t> Counters::*field) {
            reg.gauge_fn(name, help, {}, [weak, field]() -> double {
                auto m = weak.lock();
                return m ? static_cast<double>((m->counters().*field).load()) : 0.0;
            });
        };
        counter("messager_estimate_failures", "messages whose gas estimate failed", &Counters::estimate_failures);
        counter("messager_sign_failures", "signing requests that failed", &Counters::sign_failures);
        counter("messager_filled_msgs", "messages signed and saved as FillMsg", &Counters::filled);
        counter("messager_pushed_msgs", "signed messages pushed to the node", &Counters::pushed);
        counter("messager_push_failures", "pushes the node refused", &Counters::push_failures);
        counter("messager_on_chain_msgs", "messages seen on chain", &Counters::on_chain);
        counter("messager_nonce_conflicts", "messages whose nonce another message used", &Counters::conflicts);
        counter("messager_reverted_msgs", "on-chain messages sent back to FillMsg by reorgs", &Counters::reverted);
        for (auto s : {MsgState::kUnFill, MsgState::kFill, MsgState::kOnChain, MsgState::kFailed, MsgState::kNonceConflict}) {
            reg.gauge_fn("messager_messages", "messages per state", {{"state", std::string(to_string(s))}},
                         [weak, s]() -> double {
                             auto m = weak.lock();
                             if (!m) return 0.0;
                             auto n = m->store().count_state(s);
                             return n ? static_cast<double>(*n) : 0.0;
                         });
        }
    }

    Settings settings_;
    std::shared_ptr<std::atomic<bool>> stopping_;
    std::shared_ptr<rpc::HandlerThreads> threads_ = rpc::HandlerThreads::create();
    std::shared_ptr<api::Node> node_;
    std::optional<std::uint64_t> subscription_;
    std::unique_ptr<MessagerStore> store_;
    std::shared_ptr<Messager> messager_;
};

}  // namespace

std::unique_ptr<app::Module> make_messager_module() { return std::make_unique<MessagerModule>(); }

}  // namespace venus::plugins::messager
