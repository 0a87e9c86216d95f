// SPDX-License-Identifier: Apache-2.0 OR MIT
//! What modules receive: references only, no logic, no globals.
#pragma once

#include <asio/io_context.hpp>
#include <asio/thread_pool.hpp>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "venus/app/config.hpp"
#include "venus/app/service_registry.hpp"
#include "venus/app/stores.hpp"
#include "venus/core/metrics.hpp"
#include "venus/rpc/registry.hpp"

namespace venus::rpc {
class Server;
}

namespace venus::app {

struct Paths {
    std::filesystem::path repo;    //!< ~/.venusd, --repo or VENUSD_PATH
    std::filesystem::path config;  //!< repo/config.toml unless --config
};

struct Context {
    asio::io_context& control;      //!< one thread owns module state
    asio::thread_pool& workers;     //!< blocking work: storage, crypto
    const Config& config;
    const Paths& paths;
    rpc::MethodRegistry& methods;
    rpc::HttpRouter& routes;
    rpc::Server& server;            //!< to install a token verifier
    ServiceRegistry& services;
    Stores& stores;                 //!< SQLite and LMDB stores, opened on first use
    metrics::Registry& metrics;
    const std::vector<std::string>& enabled;  //!< modules enabled in this process
    std::function<void(std::string reason)> request_shutdown;

    bool is_enabled(std::string_view module) const {
        for (const auto& m : enabled) {
            if (m == module) return true;
        }
        return false;
    }
};

}  // namespace venus::app
