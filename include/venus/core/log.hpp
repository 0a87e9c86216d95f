// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Logging on spdlog: one named logger per subsystem ("rpc", "app", "auth", …), levels settable at run
//! time, optional size-rotated file next to stderr.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <spdlog/spdlog.h>

#include "venus/core/result.hpp"

namespace venus::log {

struct Options {
    std::string level = "info";  //!< trace, debug, info, warn, error, off
    std::string file;            //!< empty: stderr only
    std::size_t max_file_bytes = 64u << 20;
    std::size_t max_files = 5;
    bool to_stderr = true;
};

//! Sets up sinks for every logger created afterwards (and re-targets existing ones).
Status init(const Options& options);
//! The logger for a subsystem, created on first use with the shared sinks.
std::shared_ptr<spdlog::logger> get(const std::string& subsystem);
//! Changes one subsystem's level ("*" for all). Fails on unknown level names.
Status set_level(const std::string& subsystem, std::string_view level);
std::vector<std::string> subsystems();

//! A token as it may appear in logs: never the whole thing (sophon-auth logged tokens verbatim).
std::string redact_token(std::string_view token);

}  // namespace venus::log
