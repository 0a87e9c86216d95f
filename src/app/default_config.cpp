// SPDX-License-Identifier: Apache-2.0 OR MIT
// The documented defaults. This text is the single source: `venusd config default` prints it, the first
// start writes it to the repo, and etc/venusd.toml is a copy that a test keeps equal.
#include <fmt/format.h>

#include <algorithm>

#include "venus/app/application.hpp"

namespace venus::app {

namespace {
constexpr const char* kHeader = R"(# venusd configuration. Every key is listed with its default value.
# Module sections only matter for modules enabled in [modules].

[api]
# Multiaddr of the listener that serves JSON-RPC (HTTP and WebSocket on /rpc/v0, /rpc/v1, /rpc/v2),
# the modules' REST routes, /healthz, /readyz and /metrics.
listen = "/ip4/127.0.0.1/tcp/3453"
# Network threads serving connections (no thread per connection).
threads = 2
# Largest request body or WebSocket message accepted, in bytes.
max_request_bytes = 67108864
# Deepest JSON nesting accepted in a request.
max_json_depth = 64
# Requests without a token: false answers HTTP 401 (as Venus does); true grants read permission (as Lotus does).
anonymous_read = false
# WebSocket keepalive: the server pings this often and drops a connection silent for ws_idle_timeout.
ws_ping_interval = "10s"
ws_idle_timeout = "60s"
# When the auth module runs on another host: its api-info (venusd, or sophon-auth at e.g.
# "http://10.0.0.2:8989"; "TOKEN:/ip4/10.0.0.2/tcp/3453" to call it with TOKEN). Tokens are then verified
# by its POST /verify, and other modules use it for users, miners and signers. Ignored when auth is enabled here.
auth_url = ""
# How long a token that auth_url accepted is trusted before asking again (a removal takes this long to apply).
auth_cache_ttl = "10s"
# While auth_url cannot be reached, tokens it accepted within this long keep working (nothing can be
# revoked while it is down), so an auth restart does not stop the other hosts; unknown tokens fail closed.
auth_offline_grace = "1h"
# Serve GET /status: a read-only HTML page (no scripts) with modules, remote peers, chain head, wallets,
# provers, messages and miners. It needs no token and shows no token or key; turn it off on a listener
# that strangers can reach.
status_page = true
# Online backups (Venus.Backup, `venusd backup` while the daemon runs) write only below this directory;
# empty = any new directory the daemon can write (admin tokens only either way).
backup_dir = ""

[compat]
# Extra listeners on the original services' ports, so sophon/lotus clients configured for them reach venusd
# unchanged. Each serves the same paths as [api] listen and opens only when its module is enabled here;
# empty = off. sophon-auth's 8989 and sophon-gateway's 45132 are [auth] listen and [gateway] listen.
# lotus/venus (when [api] listen is on another port), e.g. "/ip4/0.0.0.0/tcp/3453".
node = ""
# sophon-messager, e.g. "/ip4/127.0.0.1/tcp/39812".
messager = ""
# sophon-miner, e.g. "/ip4/127.0.0.1/tcp/12308".
miner = ""

[log]
# trace, debug, info, warn, error or off.
level = "info"
# Log file, relative to the repo unless absolute; empty logs to stderr only. Rotated by size.
file = "logs/venusd.log"
max_file_mb = 64
max_files = 5

[workers]
# Threads for blocking work (storage scans, signature checks).
threads = 2

[modules]
# Modules this process runs: auth, gateway, node, messager, miner, wallet.
)";
}  // namespace

std::vector<std::string> default_enabled_modules(const Catalogue& catalogue) {
    std::vector<std::string> out;
    for (const auto& m : catalogue) {
        if (m.create && m.default_enabled) out.push_back(m.name);
    }
    return out;
}

std::string default_config_text(const std::vector<std::string>& enable, const Catalogue& catalogue) {
    std::string list;
    for (const auto& m : enable) list += (list.empty() ? "\"" : ", \"") + m + "\"";
    std::string out = kHeader;
    out += fmt::format("enable = [{}]\n", list);
    for (const auto& info : catalogue) {
        if (!info.create) continue;
        auto module = info.create();
        auto section = module->default_config();
        if (!section.empty()) out += "\n" + section;
    }
    return out;
}

std::string role_config_text(const std::vector<std::string>& enable, const Catalogue& catalogue) {
    auto enabled = [&](const std::string& name) { return std::find(enable.begin(), enable.end(), name) != enable.end(); };
    std::string list;
    for (const auto& m : enable) list += (list.empty() ? "" : ",") + m;
    std::string notes;
    for (const auto& info : catalogue) {
        if (!info.create || !enabled(info.name)) continue;
        for (const auto& dep : info.create()->dependencies()) {
            if (enabled(dep)) continue;
            notes += dep == "auth"
                         ? fmt::format("# - module '{}' needs 'auth' from another host: give its api-info in [api] "
                                       "auth_url, and in [{}] where that section has an auth key.\n",
                                       info.name, info.name)
                         : fmt::format("# - module '{}' needs '{}' from another host: give its api-info in [{}].\n",
                                       info.name, dep, info.name);
        }
    }
    std::string out = fmt::format("# venusd configuration for the role: {}\n", list.empty() ? "no module" : list);
    if (!notes.empty()) out += "# Before starting:\n" + notes;
    if (!enabled("auth")) out += "# Tokens are verified by the auth module on another host: set [api] auth_url.\n";
    // The shared sections as documented, then the enabled modules' own.
    std::string header = kHeader;
    header.erase(0, header.find("\n\n") + 2);  // drop the generic title: the role line replaces it
    out += "\n" + header;
    out += fmt::format("enable = [{}]\n", [&] {
        std::string quoted;
        for (const auto& m : enable) quoted += (quoted.empty() ? "\"" : ", \"") + m + "\"";
        return quoted;
    }());
    for (const auto& info : catalogue) {
        if (!info.create || !enabled(info.name)) continue;
        auto section = info.create()->default_config();
        if (!section.empty()) out += "\n" + section;
    }
    return out;
}

}  // namespace venus::app
