// SPDX-License-Identifier: Apache-2.0 OR MIT
#include <algorithm>
#include <map>
#include <set>

#include "venus/app/application.hpp"
#include "venus/app/config.hpp"

namespace venus::app {

Result<std::vector<std::unique_ptr<Module>>> build_module_graph(const std::vector<std::string>& enabled,
                                                                const Config& config,
                                                                const std::vector<ModuleInfo>& catalogue) {
    auto find = [&](const std::string& name) {
        return std::find_if(catalogue.begin(), catalogue.end(), [&](const ModuleInfo& m) { return m.name == name; });
    };
    // Unknown names first: a typo is the likeliest mistake and deserves the first word.
    for (const auto& name : enabled) {
        if (find(name) == catalogue.end()) {
            std::string known;
            for (const auto& m : catalogue) known += (known.empty() ? "" : ", ") + m.name;
            return make_error(Errc::kConfig, "unknown module '{}' (known: {})", name, known);
        }
    }
    std::map<std::string, std::unique_ptr<Module>> modules;
    for (const auto& name : enabled) {
        if (modules.count(name)) continue;
        auto it = find(name);
        if (!it->create) return make_error(Errc::kConfig, "module '{}' is not available in this build yet", name);
        modules.emplace(name, it->create());
    }

    // Every dependency must be local (enabled here) or remote (an api-info in this module's config).
    std::map<std::string, std::vector<std::string>> local_deps;
    for (const auto& [name, module] : modules) {
        auto& deps = local_deps[name];
        for (const auto& dep : module->dependencies()) {
            if (modules.count(dep)) {
                deps.push_back(dep);
            } else if (!module->has_remote(dep, config)) {
                return make_error(Errc::kConfig,
                                  "module '{}' needs '{}': enable it here (--enable {},{}) or give its api-info in "
                                  "the [{}] section of the config",
                                  name, dep, name, dep, name);
            }
        }
    }

    // Kahn's algorithm, visiting names in sorted order so the start order is deterministic.
    std::map<std::string, int> indegree;
    for (const auto& [name, deps] : local_deps) indegree[name] = static_cast<int>(deps.size());
    std::vector<std::unique_ptr<Module>> ordered;
    std::set<std::string> ready;
    for (const auto& [name, d] : indegree) {
        if (d == 0) ready.insert(name);
    }
    while (!ready.empty()) {
        auto name = *ready.begin();
        ready.erase(ready.begin());
        ordered.push_back(std::move(modules[name]));
        for (const auto& [other, deps] : local_deps) {
            if (std::find(deps.begin(), deps.end(), name) != deps.end() && --indegree[other] == 0) ready.insert(other);
        }
    }
    if (ordered.size() != modules.size()) {
        std::string cycle;
        for (const auto& [name, d] : indegree) {
            if (d > 0) cycle += (cycle.empty() ? "" : ", ") + name;
        }
        return make_error(Errc::kConfig, "modules depend on each other in a cycle: {}", cycle);
    }
    return ordered;
}

}  // namespace venus::app
