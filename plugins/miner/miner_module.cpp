// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "miner_module.hpp"

#include "mining.hpp"
#include "rpc_methods.hpp"
#include "settings.hpp"
#include "venus/api/node.hpp"
#include "venus/app/context.hpp"
#include "venus/core/log.hpp"
#include "venus/storage/sqlite.hpp"

namespace venus::plugins::miner {

namespace {

class MinerModule final : public app::Module {
  public:
    std::string_view name() const noexcept override { return "miner"; }
    std::vector<std::string> dependencies() const override { return {"auth", "gateway", "node"}; }
    std::string default_config() const override { return Settings::kDefaultText; }
    bool has_remote(std::string_view dependency, const app::Config& config) const override {
        auto given = [&](const char* section, const char* key) {
            auto s = config.get_string(section, key, "");
            return s.ok() && !s->empty();
        };
        if (dependency == "node") return given("miner", "node");
        if (dependency == "gateway") return given("miner", "gateway");
        if (dependency == "auth") return given("miner", "auth") || given("api", "auth_url");
        return false;
    }

    Status initialize(app::Context& ctx) override {
        VENUS_TRY(settings_, Settings::load(ctx.config));
        stopping_ = std::make_shared<std::atomic<bool>>(false);

        RpcCaller caller;
        std::optional<std::uint64_t> propagation;
        if (!settings_.node.empty()) {
            VENUS_TRY(auto info, rpc::parse_api_info(settings_.node));
            caller = rpc::remote_caller(std::move(info));
        } else {
            caller = rpc::local_caller(ctx.methods, ctx.control, ctx.workers, stopping_, "miner");
            if (auto node = ctx.services.get<api::Node>()) propagation = node->network().propagation_delay_secs;
        }
        std::shared_ptr<api::Gateway> gateway;
        if (!settings_.gateway.empty()) {
            VENUS_TRY(auto info, rpc::parse_api_info(settings_.gateway));
            gateway = api::make_remote_gateway(std::move(info));
        } else {
            gateway = ctx.services.get<api::Gateway>();
        }
        if (!gateway) return make_error(Errc::kConfig, "[miner] needs the gateway module or [miner] gateway");
        std::shared_ptr<api::Auth> auth;
        if (!settings_.auth.empty()) {
            VENUS_TRY(auto info, rpc::parse_api_info(settings_.auth));
            auth = api::make_remote_auth(std::move(info));
        } else {
            auth = ctx.services.get<api::Auth>();
        }
        if (!auth) return make_error(Errc::kConfig, "[miner] needs the auth module, [miner] auth or [api] auth_url");

        storage::SqlDatabase* db = nullptr;
        if (settings_.slash_filter_db.empty()) {
            VENUS_TRY(db, ctx.stores.sql("miner"));
        } else {
            std::filesystem::path p = settings_.slash_filter_db;
            if (p.is_relative()) p = ctx.paths.repo / p;
            auto opened = storage::sqlite::open(p);
            if (!opened) return opened.error().wrap("[miner] slash_filter_db " + p.string());
            shared_db_ = std::move(*opened);
            db = shared_db_.get();
        }
        VENUS_TRY(store_, MinerStore::open(*db));
        std::vector<NodeLink> submit_nodes;
        for (const auto& s : settings_.submit_nodes) {
            auto info = rpc::parse_api_info(s);
            if (!info) return info.error().wrap("[miner] submit_nodes");
            submit_nodes.emplace_back(rpc::remote_caller(std::move(*info)));
        }
        mining_ = std::make_shared<Mining>(NodeLink(caller), std::move(gateway), std::move(auth), *store_, settings_,
                                           propagation);
        mining_->set_submit_nodes(std::move(submit_nodes));
        VENUS_TRY_VOID(ctx.methods.add_all(miner_methods(mining_, store_.get(), NodeLink(caller), threads_)));
        export_metrics(ctx.metrics);
        return {};
    }

    Status start() override {
        if (settings_.start_mining) mining_->start();
        return {};
    }

    void stop() noexcept override {
        if (stopping_) stopping_->store(true);
        threads_->close();
        if (mining_) mining_->stop();
    }

    ~MinerModule() override {
        // The method table keeps Mining alive past this module, but its loop and the calls running
        // on threads of their own use the store: both end before it closes.
        if (auto left = threads_->drain(std::chrono::seconds(10)); left > 0) {
            log::get("miner")->error("{} miner calls still running as the store closes", left);
        }
        if (mining_) mining_->join();
    }

  private:
    void export_metrics(metrics::Registry& reg) {
        std::weak_ptr<Mining> weak = mining_;
        auto counter = [&](const char* name, const char* help, std::atomic<std::uint64_t> Counters::*field) {
            reg.gauge_fn(name, help, {}, [weak, field]() -> double {
                auto m = weak.lock();
                return m ? static_cast<double>((m->counters().*field).load()) : 0.0;
            });
        };
        counter("miner_number_of_block", "blocks this miner submitted", &Counters::blocks);
        counter("miner_number_of_isroundwinner", "elections won", &Counters::round_winners);
        counter("miner_number_of_mining_timeout", "rounds a miner did not finish in time", &Counters::timeouts);
        counter("miner_number_of_mining_chain_fork", "rounds whose base was forked while mining", &Counters::chain_forks);
        counter("miner_number_of_mining_error", "rounds that failed", &Counters::errors);
        counter("miner_number_of_null_rounds", "rounds nobody here won", &Counters::null_rounds);
        counter("miner_last_election_ms", "the last round's elections for all open miners, ms", &Counters::last_election_ms);
        counter("miner_last_round_work_ms", "the last won round from base ready to blocks submitted (without waiting for the block timestamp), ms",
                &Counters::last_round_work_ms);
        reg.gauge_fn("miner_open_miners", "miners with OpenMining", {}, [weak]() -> double {
            auto m = weak.lock();
            if (!m) return 0.0;
            double n = 0;
            for (const auto& e : m->list()) n += e.open_mining ? 1 : 0;
            return n;
        });
    }

    Settings settings_;
    std::shared_ptr<std::atomic<bool>> stopping_;
    std::shared_ptr<rpc::HandlerThreads> threads_ = rpc::HandlerThreads::create();
    std::unique_ptr<storage::SqlDatabase> shared_db_;  //!< [miner] slash_filter_db; outlives the store
    std::unique_ptr<MinerStore> store_;
    std::shared_ptr<Mining> mining_;
};

}  // namespace

std::unique_ptr<app::Module> make_miner_module() { return std::make_unique<MinerModule>(); }

}  // namespace venus::plugins::miner
