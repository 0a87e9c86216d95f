// SPDX-License-Identifier: Apache-2.0 OR MIT
//! A pluggable in-process subsystem (appbase model, no singleton). Every method runs on the control
//! thread. Lifecycle: initialize → start → stop, in dependency order (stop in reverse).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "venus/core/result.hpp"

namespace venus::app {

struct Context;
class Config;

class Module {
  public:
    virtual ~Module() = default;
    [[nodiscard]] virtual std::string_view name() const noexcept = 0;
    //! Modules that must be initialized and started before this one. A dependency that is not enabled
    //! locally must be given as a remote api-info in this module's config (see remote_dependency()).
    [[nodiscard]] virtual std::vector<std::string> dependencies() const { return {}; }
    //! The module's documented config section (TOML text, defaults), printed by `venusd config default`.
    [[nodiscard]] virtual std::string default_config() const { return {}; }
    //! True when `dependency` is reachable remotely by this module's config (an api-info was given).
    [[nodiscard]] virtual bool has_remote(std::string_view /*dependency*/, const Config& /*config*/) const { return false; }
    //! Parse settings, open storage, register RPC methods and services. No timers or sockets yet.
    virtual Status initialize(Context& ctx) = 0;
    //! Begin work (timers, background tasks). Never blocks.
    virtual Status start() { return {}; }
    //! Cancel work; idempotent, non-blocking.
    virtual void stop() noexcept {}
};

}  // namespace venus::app
