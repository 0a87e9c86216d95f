// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "venus/app/config.hpp"

#include <toml++/toml.h>

#include <charconv>
#include <fstream>
#include <sstream>

namespace venus::app {

Config::Config() : table_(std::make_unique<toml::table>()) {}
Config::~Config() = default;
Config::Config(Config&&) noexcept = default;
Config& Config::operator=(Config&&) noexcept = default;

const toml::table& Config::table() const { return *table_; }

Result<Config> Config::parse(std::string_view text, std::string_view source_name) {
    Config c;
    try {
        *c.table_ = toml::parse(text, source_name);
    } catch (const toml::parse_error& e) {
        const auto& where = e.source().begin;
        return make_error(Errc::kConfig, "{}:{}:{}: {}", source_name, where.line, where.column, e.description());
    }
    return c;
}

Result<Config> Config::load(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error(Errc::kConfig, "cannot read config file {}", path.string());
    std::stringstream ss;
    ss << in.rdbuf();
    return parse(ss.str(), path.string());
}

namespace {
const toml::node* find(const toml::table& t, std::string_view section, std::string_view key) {
    const auto* sec = t.get(section);
    if (!sec || !sec->is_table()) return nullptr;
    return sec->as_table()->get(key);
}
Error wrong_type(std::string_view section, std::string_view key, const char* expected) {
    return make_error(Errc::kConfig, "config [{}] {}: expected {}", section, key, expected);
}
}  // namespace

bool Config::has(std::string_view section, std::string_view key) const { return find(*table_, section, key) != nullptr; }

Result<std::string> Config::get_string(std::string_view section, std::string_view key, std::string fallback) const {
    const auto* n = find(*table_, section, key);
    if (!n) return fallback;
    if (!n->is_string()) return wrong_type(section, key, "a string");
    return std::string(**n->as_string());
}

Result<std::int64_t> Config::get_int(std::string_view section, std::string_view key, std::int64_t fallback) const {
    const auto* n = find(*table_, section, key);
    if (!n) return fallback;
    if (!n->is_integer()) return wrong_type(section, key, "an integer");
    return n->as_integer()->get();
}

Result<bool> Config::get_bool(std::string_view section, std::string_view key, bool fallback) const {
    const auto* n = find(*table_, section, key);
    if (!n) return fallback;
    if (!n->is_boolean()) return wrong_type(section, key, "true or false");
    return n->as_boolean()->get();
}

Result<std::vector<std::string>> Config::get_strings(std::string_view section, std::string_view key,
                                                     std::vector<std::string> fallback) const {
    const auto* n = find(*table_, section, key);
    if (!n) return fallback;
    if (!n->is_array()) return wrong_type(section, key, "an array of strings");
    std::vector<std::string> out;
    for (const auto& item : *n->as_array()) {
        if (!item.is_string()) return wrong_type(section, key, "an array of strings");
        out.emplace_back(**item.as_string());
    }
    return out;
}

Result<std::chrono::milliseconds> parse_duration(std::string_view text) {
    std::int64_t value = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || value < 0) return make_error(Errc::kConfig, "invalid duration '{}'", text);
    std::string_view unit(p, static_cast<std::size_t>(text.data() + text.size() - p));
    if (unit == "ms") return std::chrono::milliseconds(value);
    if (unit == "s" || unit.empty()) return std::chrono::milliseconds(value * 1000);
    if (unit == "m") return std::chrono::milliseconds(value * 60'000);
    if (unit == "h") return std::chrono::milliseconds(value * 3'600'000);
    return make_error(Errc::kConfig, "invalid duration '{}': use ms, s, m or h", text);
}

Result<std::chrono::milliseconds> Config::get_duration(std::string_view section, std::string_view key,
                                                       std::chrono::milliseconds fallback) const {
    const auto* n = find(*table_, section, key);
    if (!n) return fallback;
    if (n->is_integer()) return std::chrono::milliseconds(n->as_integer()->get() * 1000);
    if (!n->is_string()) return wrong_type(section, key, "a duration such as \"10s\"");
    const std::string text = **n->as_string();
    auto d = parse_duration(text);
    if (!d) return make_error(Errc::kConfig, "config [{}] {}: {}", section, key, d.error().message);
    return d;
}

void Config::merge(const Config& overlay) {
    for (const auto& [section, node] : *overlay.table_) {
        auto* target = table_->get(section.str());
        if (!target || !target->is_table() || !node.is_table()) {
            table_->insert_or_assign(section.str(), node);
            continue;
        }
        for (const auto& [key, value] : *node.as_table()) target->as_table()->insert_or_assign(key.str(), value);
    }
}

std::vector<std::string> Config::unknown_keys(const Config& reference) const {
    std::vector<std::string> out;
    for (const auto& [section, node] : *table_) {
        const auto* ref = reference.table_->get(section.str());
        if (!ref) {
            out.push_back("[" + std::string(section.str()) + "]");
            continue;
        }
        if (!node.is_table() || !ref->is_table()) continue;
        for (const auto& [key, _] : *node.as_table()) {
            if (!ref->as_table()->get(key.str())) out.push_back("[" + std::string(section.str()) + "] " + std::string(key.str()));
        }
    }
    return out;
}

}  // namespace venus::app
