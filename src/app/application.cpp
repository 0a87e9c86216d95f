// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "venus/app/application.hpp"

#include <asio/post.hpp>
#include <asio/signal_set.hpp>
#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <sstream>
#include <thread>

#include "core_methods.hpp"
#include "ops_methods.hpp"
#include "venus/app/config.hpp"
#include "venus/app/context.hpp"
#include "venus/api/auth.hpp"
#include "venus/app/repo.hpp"
#include "venus/core/log.hpp"
#include "venus/rpc/jwt.hpp"
#include "venus/rpc/server.hpp"

namespace venus::app {

namespace {

//! Logs the shutdown step every 10 s while it lasts.
class ShutdownWatchdog {
  public:
    explicit ShutdownWatchdog(std::shared_ptr<spdlog::logger> log)
        : log_(std::move(log)), thread_([this] { run(); }) {}
    ~ShutdownWatchdog() {
        {
            std::lock_guard lock(mu_);
            done_ = true;
        }
        cv_.notify_all();
        thread_.join();
    }
    void step(std::string what) {
        std::lock_guard lock(mu_);
        step_ = std::move(what);
    }

  private:
    void run() {
        std::unique_lock lock(mu_);
        const auto start = std::chrono::steady_clock::now();
        while (!cv_.wait_for(lock, std::chrono::seconds(10), [this] { return done_; })) {
            const auto secs = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start);
            log_->warn("still shutting down after {} s: {}", secs.count(), step_);
        }
    }

    std::shared_ptr<spdlog::logger> log_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::string step_ = "starting";
    bool done_ = false;
    std::thread thread_;
};

}  // namespace

struct Application::Impl {
    RunOptions options;
    Paths paths;
    Config config;
    asio::io_context control{1};
    std::unique_ptr<asio::thread_pool> workers;
    rpc::MethodRegistry methods;
    rpc::HttpRouter routes;
    metrics::Registry metrics;
    ServiceRegistry services;
    std::unique_ptr<Stores> stores;
    std::unique_ptr<rpc::Server> server;
    std::vector<std::string> enabled;
    std::vector<std::unique_ptr<Module>> modules;
    std::vector<Module*> started;
    std::unique_ptr<Context> context;
    std::unique_ptr<CoreApi> core;
    std::shared_ptr<StatusBoard> status;
    std::unique_ptr<StatusRefresher> status_refresher;
    std::optional<RepoLock> lock;
    std::string shutdown_reason;
    std::mutex mu;
    bool shutting_down = false;
    bool check_only = false;  // check(): nothing is written, opened or bound
    std::shared_ptr<spdlog::logger> log = log::get("app");

    Status load_config();
    Status init_logging();
    Result<rpc::ServerOptions> server_options();
    Status write_repo_files(const Bytes& secret);
    Status open_compat_listeners();
};

Application::Application(RunOptions options) : impl_(std::make_unique<Impl>()) {
    impl_->options = std::move(options);
}

Application::~Application() = default;

Status Application::Impl::load_config() {
    paths.repo = options.repo;
    paths.config = options.config_file ? *options.config_file : paths.repo / "config.toml";
    if (check_only) {
        if (!std::filesystem::exists(paths.config)) {
            return make_error(Errc::kConfig, "config file {} does not exist", paths.config.string());
        }
    } else {
        VENUS_TRY_VOID(ensure_dir(paths.repo));
    }
    const auto defaults_text = default_config_text(default_enabled_modules(options.catalogue), options.catalogue);
    if (!std::filesystem::exists(paths.config)) {
        if (options.config_file) return make_error(Errc::kConfig, "config file {} does not exist", paths.config.string());
        // First start: write the documented defaults so operators see every key.
        VENUS_TRY_VOID(write_private_file(paths.config, defaults_text));
    }
    VENUS_TRY(config, Config::load(paths.config));
    VENUS_TRY(auto reference, Config::parse(defaults_text, "defaults"));
    if (auto unknown = config.unknown_keys(reference); !unknown.empty()) {
        std::string list;
        for (const auto& k : unknown) list += (list.empty() ? "" : ", ") + k;
        return make_error(Errc::kConfig, "{}: unknown config keys: {} (see `venusd config default`)", paths.config.string(),
                          list);
    }
    // Command-line settings override the file: re-parse with them appended to their sections.
    if (!options.overrides.empty() || options.listen || options.enable) {
        // One table per section: TOML forbids a second [section] header.
        std::vector<std::pair<std::string, std::string>> tables;
        auto add = [&](const std::string& section, const std::string& key, const std::string& value) {
            auto it = std::find_if(tables.begin(), tables.end(), [&](const auto& t) { return t.first == section; });
            if (it == tables.end()) it = tables.insert(tables.end(), {section, "\n[" + section + "]\n"});
            it->second += key + " = " + value + "\n";
        };
        if (options.listen) add("api", "listen", "\"" + *options.listen + "\"");
        if (options.enable) {
            std::string list;
            for (const auto& m : *options.enable) list += (list.empty() ? "\"" : ", \"") + m + "\"";
            add("modules", "enable", "[" + list + "]");
        }
        for (const auto& [section, key, value] : options.overrides) add(section, key, value);
        std::string extra;
        for (const auto& t : tables) extra += t.second;
        VENUS_TRY(auto overlay, Config::parse(extra, "command line"));
        config.merge(overlay);
    }
    VENUS_TRY(enabled, config.get_strings("modules", "enable", default_enabled_modules(options.catalogue)));
    return {};
}

Status Application::Impl::init_logging() {
    log::Options lo;
    VENUS_TRY(lo.level, config.get_string("log", "level", "info"));
    VENUS_TRY(auto file, config.get_string("log", "file", "logs/venusd.log"));
    if (!file.empty()) {
        std::filesystem::path p(file);
        if (p.is_relative()) p = paths.repo / p;
        VENUS_TRY_VOID(ensure_dir(p.parent_path()));
        lo.file = p.string();
    }
    VENUS_TRY(auto mb, config.get_int("log", "max_file_mb", 64));
    VENUS_TRY(auto files, config.get_int("log", "max_files", 5));
    if (mb <= 0 || files <= 0) return make_error(Errc::kConfig, "[log] max_file_mb and max_files must be positive");
    lo.max_file_bytes = static_cast<std::size_t>(mb) << 20;
    lo.max_files = static_cast<std::size_t>(files);
    return log::init(lo);
}

Result<rpc::ServerOptions> Application::Impl::server_options() {
    rpc::ServerOptions so;
    VENUS_TRY(auto listen, config.get_string("api", "listen", "/ip4/127.0.0.1/tcp/3453"));
    VENUS_TRY(auto addr, rpc::parse_multiaddr(listen));
    so.listen.push_back(addr);
    VENUS_TRY(auto threads, config.get_int("api", "threads", 2));
    VENUS_TRY(auto max_bytes, config.get_int("api", "max_request_bytes", 64 << 20));
    VENUS_TRY(auto depth, config.get_int("api", "max_json_depth", 64));
    if (threads < 1 || threads > 64) return make_error(Errc::kConfig, "[api] threads must be 1..64");
    if (max_bytes < 1024) return make_error(Errc::kConfig, "[api] max_request_bytes must be at least 1024");
    if (depth < 4 || depth > 10000) return make_error(Errc::kConfig, "[api] max_json_depth must be 4..10000");
    so.threads = static_cast<int>(threads);
    so.max_request_bytes = static_cast<std::size_t>(max_bytes);
    so.max_json_depth = static_cast<std::size_t>(depth);
    VENUS_TRY(so.anonymous_read, config.get_bool("api", "anonymous_read", false));
    VENUS_TRY(auto ping, config.get_duration("api", "ws_ping_interval", std::chrono::seconds(10)));
    VENUS_TRY(auto idle, config.get_duration("api", "ws_idle_timeout", std::chrono::seconds(60)));
    so.ws_ping_interval = std::chrono::duration_cast<std::chrono::seconds>(ping);
    so.ws_idle_timeout = std::chrono::duration_cast<std::chrono::seconds>(idle);
    if (so.ws_ping_interval.count() < 1 || so.ws_idle_timeout <= so.ws_ping_interval) {
        return make_error(Errc::kConfig, "[api] ws_idle_timeout must be longer than ws_ping_interval (at least 1s)");
    }
    return so;
}

Status Application::Impl::write_repo_files(const Bytes& secret) {
    // The local admin token: the same secret gives the same token after a restart.
    rpc::Hs256Key key(secret);
    const auto token = rpc::jwt_sign_sophon(key, rpc::Claims{kLocalTokenUser, rpc::Perm::kAdmin, ""});
    VENUS_TRY_VOID(write_private_file(paths.repo / "token", token));
    auto bound = server->bound();
    if (!bound.empty()) VENUS_TRY_VOID(write_private_file(paths.repo / "api", bound.front().to_string()));
    return {};
}

// [compat]: the original services' ports for clients configured with them. Each serves the same
// router as [api] listen, and only when its module runs here (a port must not claim a service it lacks).
Status Application::Impl::open_compat_listeners() {
    for (const char* module : {"node", "messager", "miner"}) {
        VENUS_TRY(auto listen, config.get_string("compat", module, ""));
        if (listen.empty()) continue;
        if (std::find(enabled.begin(), enabled.end(), module) == enabled.end()) {
            log->warn("[compat] {} = \"{}\" ignored: module {} is not enabled here", module, listen, module);
            continue;
        }
        auto addr = rpc::parse_multiaddr(listen);
        if (!addr) return make_error(Errc::kConfig, "[compat] {}: {}", module, addr.error().message);
        auto bound = server->listen(*addr);
        if (!bound) return bound.error().wrap(fmt::format("[compat] {}", module));
        log->info("{} compatibility listener on {}", module, bound->to_string());
    }
    return {};
}

Status Application::run() {
    auto& im = *impl_;
    VENUS_TRY_VOID(im.load_config());
    VENUS_TRY_VOID(im.init_logging());
    log::get("rpc");  // subsystems exist from the start so LogList/LogSetLevel can name them
    for (const auto& m : im.enabled) log::get(m);
    VENUS_TRY(auto lock, RepoLock::acquire(im.paths.repo));
    im.lock.emplace(std::move(lock));
    VENUS_TRY(auto secret, load_or_create_jwt_secret(im.paths.repo));
    VENUS_TRY(auto server_opts, im.server_options());
    VENUS_TRY(auto worker_threads, im.config.get_int("workers", "threads", 2));
    if (worker_threads < 1 || worker_threads > 256) return make_error(Errc::kConfig, "[workers] threads must be 1..256");
    im.workers = std::make_unique<asio::thread_pool>(static_cast<std::size_t>(worker_threads));

    rpc::ServerDeps deps{im.control,
                         *im.workers,
                         im.methods,
                         im.routes,
                         im.metrics,
                         [this] { return ready_.load(); },
                         [&im] {
                             std::string out;
                             for (auto* m : im.started) out += std::string(m->name()) + ": started\n";
                             return out;
                         }};
    im.server = std::make_unique<rpc::Server>(std::move(server_opts), deps);
    // Until the auth module installs itself, the daemon verifies its own admin token.
    im.server->set_verifier(std::make_shared<rpc::LocalJwtVerifier>(secret));
    // Auth on another host: verify tokens with its /verify (short cache) and give modules its api::Auth.
    VENUS_TRY(auto auth_url, im.config.get_string("api", "auth_url", ""));
    if (!auth_url.empty() && std::find(im.enabled.begin(), im.enabled.end(), "auth") == im.enabled.end()) {
        VENUS_TRY(auto auth_info, rpc::parse_api_info(auth_url));
        VENUS_TRY(auto ttl, im.config.get_duration("api", "auth_cache_ttl", std::chrono::seconds(10)));
        VENUS_TRY(auto grace, im.config.get_duration("api", "auth_offline_grace", std::chrono::hours(1)));
        im.server->set_verifier(api::make_remote_verifier(auth_info, ttl, grace, *im.workers, im.server->verifier()));
        im.services.provide<api::Auth>(api::make_remote_auth(auth_info));
        im.log->info("tokens are verified by the auth service at {}", auth_info.addr.to_string());
    }

    im.stores = std::make_unique<Stores>(im.paths.repo);
    VENUS_TRY(im.modules, build_module_graph(im.enabled, im.config, im.options.catalogue));
    im.context = std::make_unique<Context>(Context{im.control, *im.workers, im.config, im.paths, im.methods, im.routes,
                                                   *im.server, im.services, *im.stores, im.metrics, im.enabled,
                                                   [this](std::string reason) { request_shutdown(std::move(reason)); }});
    im.core = std::make_unique<CoreApi>(*im.context, secret, [this] { return ready_.load(); });
    VENUS_TRY_VOID(im.core->register_methods());
    // Before modules initialize, so each can add its own status section.
    im.status = std::make_shared<StatusBoard>();
    im.services.provide<StatusBoard>(im.status);
    add_builtin_status_sections(*im.status, *im.context,
                                DaemonFacts{kVersion, std::chrono::steady_clock::now(), [this] { return ready_.load(); }});
    OpsOptions ops;
    VENUS_TRY(ops.status_page, im.config.get_bool("api", "status_page", true));
    VENUS_TRY(ops.backup_dir, im.config.get_string("api", "backup_dir", ""));
    if (!ops.backup_dir.empty() && std::filesystem::path(ops.backup_dir).is_relative()) {
        return make_error(Errc::kConfig, "[api] backup_dir must be an absolute path");
    }
    VENUS_TRY_VOID(register_ops(*im.context, im.status, ops));
    im.status_refresher = std::make_unique<StatusRefresher>(*im.context, im.status, std::chrono::seconds(15));

    auto teardown = [&im] {
        // A stop that hangs must say where (an operator's service manager will SIGKILL it): a
        // watchdog names the step every 10 s until teardown ends.
        ShutdownWatchdog watchdog(im.log);
        // Phase 1: no new calls, then every started module stops, in reverse.
        watchdog.step("stopping the listeners");
        if (im.server) im.server->stop();
        if (im.core) im.core->stop();
        if (im.status_refresher) im.status_refresher->stop();
        for (auto it = im.started.rbegin(); it != im.started.rend(); ++it) {
            watchdog.step("stopping module " + std::string((*it)->name()));
            (*it)->stop();
        }
        // Phase 2: let queued handlers finish, join workers, then destroy modules (closing their stores).
        // Bounded: a handler that keeps re-posting itself must not keep the process alive.
        watchdog.step("running the handlers still queued");
        im.control.restart();
        const auto drain_until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (im.control.poll() > 0) {
            if (std::chrono::steady_clock::now() > drain_until) {
                im.log->warn("handlers kept arriving for 5 s after the modules stopped; going on without them");
                break;
            }
        }
        watchdog.step("joining the worker threads");
        if (im.workers) im.workers->join();
        im.started.clear();
        while (!im.modules.empty()) {
            watchdog.step("closing module " + std::string(im.modules.back()->name()));
            im.modules.pop_back();
        }
        im.services.clear();
        watchdog.step("closing the stores");
        if (im.stores) im.stores->close_all();  // last: SQLite, then LMDB
    };

    // Caught from here on: a SIGTERM that arrives while modules start (the listener already answers)
    // is handled once the loop runs, with the same orderly teardown, instead of killing the process.
    asio::signal_set signals(im.control);
    if (im.options.install_signal_handlers) {
        signals.add(SIGINT);
        signals.add(SIGTERM);
        signals.async_wait([this](const asio::error_code& ec, int sig) {
            if (!ec) request_shutdown(sig == SIGINT ? "SIGINT" : "SIGTERM");
        });
    }
    for (auto& m : im.modules) {
        if (auto st = m->initialize(*im.context); !st) {
            // Worded before teardown, which destroys the module `m` refers to.
            auto err = st.error().wrap(fmt::format("initializing module '{}'", m->name()));
            teardown();
            return err;
        }
    }
    if (auto st = im.server->start(); !st) {
        teardown();
        return st;
    }
    if (auto st = im.open_compat_listeners(); !st) {
        teardown();
        return st;
    }
    if (auto st = im.write_repo_files(secret); !st) {
        teardown();
        return st;
    }
    for (auto& m : im.modules) {
        im.started.push_back(m.get());  // marked before start(): a failing module is still stopped
        if (auto st = m->start(); !st) {
            auto err = st.error().wrap(fmt::format("starting module '{}'", m->name()));
            teardown();
            return err;
        }
    }

    im.status_refresher->start();
    std::string listen;
    for (const auto& b : im.server->bound()) listen += (listen.empty() ? "" : ", ") + b.to_string();
    std::string mods;
    for (const auto& m : im.enabled) mods += (mods.empty() ? "" : ",") + m;
    im.log->info("venusd {} serving on {} (repo {}, modules: {})", kVersion, listen, im.paths.repo.string(),
                 mods.empty() ? "none" : mods);
    ready_ = true;

    {
        // request_shutdown() stops the loop; a stop that came before this point makes run() return at once.
        auto guard = asio::make_work_guard(im.control);
        im.control.run();
    }
    ready_ = false;
    im.log->info("shutting down ({})", im.shutdown_reason);
    asio::error_code ec;
    signals.cancel(ec);
    teardown();
    im.log->info("stopped cleanly");
    spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& l) { l->flush(); });
    return {};
}

Result<std::vector<std::string>> Application::check() {
    auto& im = *impl_;
    im.check_only = true;
    VENUS_TRY_VOID(im.load_config());
    VENUS_TRY(auto so, im.server_options());
    (void)so;
    VENUS_TRY(auto worker_threads, im.config.get_int("workers", "threads", 2));
    if (worker_threads < 1 || worker_threads > 256) return make_error(Errc::kConfig, "[workers] threads must be 1..256");
    VENUS_TRY(auto auth_url, im.config.get_string("api", "auth_url", ""));
    if (!auth_url.empty()) {
        if (auto info = rpc::parse_api_info(auth_url); !info) {
            return make_error(Errc::kConfig, "[api] auth_url: {}", info.error().message);
        }
    }
    VENUS_TRY(auto status_page, im.config.get_bool("api", "status_page", true));
    (void)status_page;
    VENUS_TRY(auto backup_dir, im.config.get_string("api", "backup_dir", ""));
    if (!backup_dir.empty() && std::filesystem::path(backup_dir).is_relative()) {
        return make_error(Errc::kConfig, "[api] backup_dir must be an absolute path");
    }
    for (const char* module : {"node", "messager", "miner"}) {
        VENUS_TRY(auto listen, im.config.get_string("compat", module, ""));
        if (listen.empty()) continue;
        if (auto addr = rpc::parse_multiaddr(listen); !addr) {
            return make_error(Errc::kConfig, "[compat] {}: {}", module, addr.error().message);
        }
    }
    VENUS_TRY(auto modules, build_module_graph(im.enabled, im.config, im.options.catalogue));
    std::vector<std::string> order;
    for (const auto& m : modules) order.emplace_back(m->name());
    return order;
}

void Application::request_shutdown(std::string reason) {
    auto& im = *impl_;
    {
        std::lock_guard lk(im.mu);
        if (im.shutting_down) return;
        im.shutting_down = true;
        im.shutdown_reason = std::move(reason);
    }
    im.control.stop();
}

std::vector<rpc::Multiaddr> Application::bound() const {
    return impl_->server ? impl_->server->bound() : std::vector<rpc::Multiaddr>{};
}

}  // namespace venus::app
