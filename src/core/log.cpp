// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "venus/core/log.hpp"

#include <mutex>

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

namespace venus::log {
namespace {
struct State {
    std::mutex mu;
    std::vector<spdlog::sink_ptr> sinks;
    spdlog::level::level_enum level = spdlog::level::info;
    bool initialized = false;
};
State& state() {
    static State s;
    return s;
}

void ensure_default_sinks(State& s) {
    if (s.initialized) return;
    s.sinks = {std::make_shared<spdlog::sinks::stderr_color_sink_mt>()};
    s.initialized = true;
}

Result<spdlog::level::level_enum> parse_level(std::string_view name) {
    auto lvl = spdlog::level::from_str(std::string(name));
    // from_str maps unknown names to "off": only accept it when it was asked for.
    if (lvl == spdlog::level::off && name != "off") {
        return make_error(Errc::kInvalidArgument, "unknown log level '{}' (trace, debug, info, warn, error, off)", name);
    }
    return lvl;
}
}  // namespace

Status init(const Options& options) {
    auto& s = state();
    std::lock_guard lock(s.mu);
    VENUS_TRY(s.level, parse_level(options.level));
    std::vector<spdlog::sink_ptr> sinks;
    if (options.to_stderr) sinks.push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    if (!options.file.empty()) {
        try {
            sinks.push_back(std::make_shared<spdlog::sinks::rotating_file_sink_mt>(options.file, options.max_file_bytes,
                                                                                   options.max_files));
        } catch (const spdlog::spdlog_ex& e) {
            return make_error(Errc::kIo, "cannot open log file {}: {}", options.file, e.what());
        }
    }
    s.sinks = std::move(sinks);
    s.initialized = true;
    spdlog::apply_all([&](const std::shared_ptr<spdlog::logger>& l) {
        l->sinks() = s.sinks;
        l->set_level(s.level);
    });
    return {};
}

std::shared_ptr<spdlog::logger> get(const std::string& subsystem) {
    if (auto l = spdlog::get(subsystem)) return l;
    auto& s = state();
    std::lock_guard lock(s.mu);
    if (auto l = spdlog::get(subsystem)) return l;
    ensure_default_sinks(s);
    auto l = std::make_shared<spdlog::logger>(subsystem, s.sinks.begin(), s.sinks.end());
    l->set_level(s.level);
    l->flush_on(spdlog::level::warn);
    spdlog::register_logger(l);
    return l;
}

Status set_level(const std::string& subsystem, std::string_view level) {
    VENUS_TRY(auto lvl, parse_level(level));
    if (subsystem == "*") {
        state().level = lvl;
        spdlog::apply_all([&](const std::shared_ptr<spdlog::logger>& l) { l->set_level(lvl); });
        return {};
    }
    auto l = spdlog::get(subsystem);
    if (!l) return make_error(Errc::kNotFound, "unknown log subsystem '{}'", subsystem);
    l->set_level(lvl);
    return {};
}

std::vector<std::string> subsystems() {
    std::vector<std::string> out;
    spdlog::apply_all([&](const std::shared_ptr<spdlog::logger>& l) { out.push_back(l->name()); });
    return out;
}

std::string redact_token(std::string_view token) {
    if (token.size() <= 12) return "***";
    return std::string(token.substr(0, 6)) + "…" + std::string(token.substr(token.size() - 4));
}

}  // namespace venus::log
