// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The daemon's config.toml: one section per module plus [api], [log] and [modules]. Defaults are
//! text (documented TOML) so `venusd config default`, etc/venusd.toml and the file written on first
//! start are the same bytes.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "venus/core/result.hpp"

namespace toml {
inline namespace v3 {
class table;
}
}  // namespace toml

namespace venus::app {

//! A parsed config file. Sections are TOML tables; modules read their own.
class Config {
  public:
    Config();
    ~Config();
    Config(Config&&) noexcept;
    Config& operator=(Config&&) noexcept;

    static Result<Config> parse(std::string_view text, std::string_view source_name);
    static Result<Config> load(const std::filesystem::path& path);

    //! Typed reads with defaults; a present key of the wrong type is an error.
    Result<std::string> get_string(std::string_view section, std::string_view key, std::string fallback) const;
    Result<std::int64_t> get_int(std::string_view section, std::string_view key, std::int64_t fallback) const;
    Result<bool> get_bool(std::string_view section, std::string_view key, bool fallback) const;
    Result<std::vector<std::string>> get_strings(std::string_view section, std::string_view key,
                                                 std::vector<std::string> fallback) const;
    //! Durations as "10s", "500ms", "2m", "1h" (or integer seconds).
    Result<std::chrono::milliseconds> get_duration(std::string_view section, std::string_view key,
                                                   std::chrono::milliseconds fallback) const;
    bool has(std::string_view section, std::string_view key) const;

    //! Every key in this file that `reference` (the defaults) does not know: typos, stale keys.
    std::vector<std::string> unknown_keys(const Config& reference) const;

    //! Overrides this config with every key of `overlay` (command-line settings).
    void merge(const Config& overlay);

    const toml::table& table() const;

  private:
    std::unique_ptr<toml::table> table_;
};

Result<std::chrono::milliseconds> parse_duration(std::string_view text);

}  // namespace venus::app
