// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The status sections every daemon shows, filled from the methods its modules serve (called in
//! process, so they need no module internals) and from its config (the remote peers).
#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include "venus/app/context.hpp"
#include "venus/app/status.hpp"

namespace venus::app {

//! Calls a registered method in process, on its exec class, as the daemon itself (admin).
//! `done` runs once, on any thread.
void call_local(Context& ctx, const std::string& method, std::string params_json,
                std::function<void(Result<rpc::RawJson>)> done);

struct DaemonFacts {
    std::string version;
    std::chrono::steady_clock::time_point started;
    std::function<bool()> ready;
};

//! Adds: daemon, modules and peers, chain, wallets and provers, message pool, miners.
void add_builtin_status_sections(StatusBoard& board, Context& ctx, DaemonFacts facts);

}  // namespace venus::app
