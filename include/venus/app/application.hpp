// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The daemon: reads config, builds the enabled modules in dependency order, serves the API, and
//! shuts down in two phases on SIGINT/SIGTERM (stop everything in reverse, drain the loop, then
//! destroy modules so their SQLite and LMDB stores close last).
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "venus/app/module.hpp"
#include "venus/core/result.hpp"
#include "venus/rpc/api_info.hpp"

namespace venus::app {

//! A module the binary knows about. The list lives in src/modules (venus/modules/builtin.hpp), above
//! the plugins, so the framework here never depends on a module.
struct ModuleInfo {
    std::string name;
    std::string summary;
    std::function<std::unique_ptr<Module>()> create;  //!< null while the module is not built in yet
    //! Listed in `[modules] enable` of the default config (a built module may still need setup first).
    bool default_enabled = true;
};
using Catalogue = std::vector<ModuleInfo>;

struct RunOptions {
    std::filesystem::path repo;
    std::optional<std::filesystem::path> config_file;
    std::optional<std::vector<std::string>> enable;  //!< --enable, overrides [modules] enable
    std::optional<std::string> listen;               //!< --listen, overrides [api] listen
    //! Further command-line settings as TOML: {"node", "genesis", "\"/path\""} (section, key, value).
    std::vector<std::tuple<std::string, std::string, std::string>> overrides;
    bool install_signal_handlers = true;
    Catalogue catalogue;  //!< the modules this binary can run
};


//! Modules run when neither config nor --enable says otherwise: every one that is built in.
std::vector<std::string> default_enabled_modules(const Catalogue& catalogue);

//! The documented default config: [api], [log], [workers], [modules] and each module's section.
std::string default_config_text(const std::vector<std::string>& enable, const Catalogue& catalogue);

//! A config for one role (`venusd config default --enable auth,gateway`): [api], [log], [workers],
//! [compat], [modules] and the sections of the enabled modules only, headed by a note for every
//! dependency that must then come from another host (and the key that says where).
std::string role_config_text(const std::vector<std::string>& enable, const Catalogue& catalogue);

//! Sorts `enabled` so every module comes after its local dependencies. Fails on an unknown module,
//! a cycle, or a dependency that is neither enabled nor configured as remote.
class Config;
Result<std::vector<std::unique_ptr<Module>>> build_module_graph(const std::vector<std::string>& enabled,
                                                                const Config& config,
                                                                const std::vector<ModuleInfo>& catalogue);

class Application {
  public:
    explicit Application(RunOptions options);
    ~Application();
    Application(const Application&) = delete;
    Application& operator=(const Application&) = delete;

    //! Blocks until shutdown. Returns an error (with its Errc) when configuration or startup fails.
    Status run();
    //! Validates the config as run() would (syntax, unknown keys, [api] settings, listen addresses, the
    //! module graph with its remote dependencies) without opening stores or sockets. Returns the
    //! modules in start order.
    Result<std::vector<std::string>> check();
    //! Thread-safe; run() returns after the two-phase shutdown.
    void request_shutdown(std::string reason);

    //! For tests and status: valid while run() is serving.
    bool ready() const noexcept { return ready_.load(); }
    std::vector<rpc::Multiaddr> bound() const;

    struct Impl;

  private:
    std::unique_ptr<Impl> impl_;
    std::atomic<bool> ready_{false};
};

}  // namespace venus::app
