// SPDX-License-Identifier: Apache-2.0 OR MIT
// `venusd run` and the commands about the daemon itself: version, config, status, stop, log.
#include <filesystem>
#include <iostream>
#include <sstream>

#include "venus/app/application.hpp"
#include "venus/app/status.hpp"
#include "venus/cli/cli.hpp"
#include "venus/modules/builtin.hpp"
#include "venus/rpc/json.hpp"

namespace venus::cli {

namespace {
constexpr const char* kClientVersion = "0.1.0";

std::vector<std::string> split_list(const std::vector<std::string>& values) {
    std::vector<std::string> out;
    for (const auto& v : values) {
        std::stringstream ss(v);
        std::string item;
        while (std::getline(ss, item, ',')) {
            if (!item.empty()) out.push_back(item);
        }
    }
    return out;
}

int cmd_run(Invocation& inv) {
    app::RunOptions opts;
    opts.repo = inv.repo();
    if (auto c = inv.get("config")) opts.config_file = *c;
    if (inv.has("enable")) opts.enable = split_list(inv.all("enable"));
    if (auto l = inv.get("listen")) opts.listen = *l;
    if (auto g = inv.get("wallet-gateway")) {
        rpc::JsonBuilder quoted;  // a TOML basic string is a JSON string for api-info text
        rpc::write_string(quoted.out(), *g);
        opts.overrides.emplace_back("wallet", "gateway", quoted.take().text);
    }
    if (auto g = inv.get("genesis")) {
        rpc::JsonBuilder quoted;
        // Relative to where the command runs, not to the repo as the config key is.
        rpc::write_string(quoted.out(), std::filesystem::absolute(*g).string());
        opts.overrides.emplace_back("node", "genesis_file", quoted.take().text);
    }
    if (inv.has("peer")) {
        rpc::JsonBuilder list;  // a JSON array of strings is a TOML array
        list.out().StartArray();
        for (const auto& p : inv.all("peer")) rpc::write_string(list.out(), p);
        list.out().EndArray();
        opts.overrides.emplace_back("node", "peers", list.take().text);
    }
    opts.catalogue = modules::builtin_modules();
    app::Application application(std::move(opts));
    auto st = application.run();
    if (!st) {
        inv.err << "ERROR: " << st.error().message << "\n";
        if (st.error().is(Errc::kConfig) || st.error().is(Errc::kInvalidArgument)) return kExitConfig;
        if (st.error().is(Errc::kStorage) || st.error().is(Errc::kIo)) return kExitStorage;
        return kExitError;
    }
    return kExitOk;
}

int print_result(Invocation& inv, const rpc::RawJson& r) {
    inv.out << rpc::pretty_json(r.text) << "\n";
    return kExitOk;
}

int cmd_version(Invocation& inv) {
    auto client = inv.client("/rpc/v1");
    if (!client) return inv.fail(client.error());
    auto r = (*client)->call("Filecoin.Version");
    if (!r) return inv.fail(r.error());
    rpc::JsonDocument doc;
    if (!rpc::parse_json(r->text, doc) || !doc.IsObject() || !doc.HasMember("Version") || !doc["Version"].IsString()) {
        return inv.fail(make_error(Errc::kInvalidArgument, "unexpected Version result: {}", r->text));
    }
    if (inv.global.json) {
        inv.out << R"({"Client":")" << kClientVersion << R"(","Daemon":)" << r->text << "}\n";
        return kExitOk;
    }
    const auto api = doc.HasMember("APIVersion") && doc["APIVersion"].IsUint() ? doc["APIVersion"].GetUint() : 0;
    inv.out << "Client: venusd " << kClientVersion << "\n";
    inv.out << "Daemon: " << doc["Version"].GetString() << " (API " << ((api >> 16) & 0xff) << "." << ((api >> 8) & 0xff)
            << "." << (api & 0xff) << ")\n";
    return kExitOk;
}

int cmd_config_default(Invocation& inv) {
    const auto& all = modules::builtin_modules();
    auto enable = inv.has("enable") ? split_list(inv.all("enable")) : app::default_enabled_modules(all);
    for (const auto& m : enable) {
        if (std::none_of(all.begin(), all.end(), [&](const app::ModuleInfo& i) { return i.name == m; })) {
            return inv.usage_error("unknown module '" + m + "'");
        }
    }
    inv.out << (inv.has("enable") ? app::role_config_text(enable, all) : app::default_config_text(enable, all));
    return kExitOk;
}

// The same sections as the daemon's /status page, as text (Venus.StatusReport).
int cmd_status(Invocation& inv) {
    auto client = inv.client("/rpc/v1");
    if (!client) return inv.fail(client.error());
    auto r = (*client)->call("Venus.StatusReport");
    if (!r) return inv.fail(r.error());
    if (inv.global.json) {
        inv.out << r->text << "\n";
        return kExitOk;
    }
    auto sections = app::status_from_json(r->text);
    if (!sections) return inv.fail(sections.error());
    inv.out << app::render_status_text(*sections);
    return kExitOk;
}

int cmd_stop(Invocation& inv) {
    auto client = inv.client("/rpc/v1");
    if (!client) return inv.fail(client.error());
    auto r = (*client)->call("Filecoin.Shutdown");
    if (!r) return inv.fail(r.error());
    inv.out << "Shutdown requested\n";
    return kExitOk;
}

int cmd_log_list(Invocation& inv) {
    auto client = inv.client("/rpc/v1");
    if (!client) return inv.fail(client.error());
    auto r = (*client)->call("Filecoin.LogList");
    if (!r) return inv.fail(r.error());
    if (inv.global.json) return print_result(inv, *r);
    rpc::JsonDocument doc;
    if (rpc::parse_json(r->text, doc) && doc.IsArray()) {
        for (const auto& s : doc.GetArray()) inv.out << s.GetString() << "\n";
    }
    return kExitOk;
}

int cmd_log_set_level(Invocation& inv) {
    auto client = inv.client("/rpc/v1");
    if (!client) return inv.fail(client.error());
    const auto level = inv.args.back();
    std::vector<std::string> subsystems(inv.args.begin(), inv.args.end() - 1);
    if (subsystems.empty()) subsystems.push_back("*");
    for (const auto& s : subsystems) {
        auto r = (*client)->call("Filecoin.LogSetLevel", rpc::make_params([&](rpc::JsonOut& o) {
                                     rpc::write_string(o, s);
                                     rpc::write_string(o, level);
                                 }));
        if (!r) return inv.fail(r.error());
    }
    return kExitOk;
}
}  // namespace

void add_daemon_commands(CommandTable& t) {
    t.add({{"run"},
           "",
           "Runs the daemon: the enabled modules behind one JSON-RPC/WebSocket listener.",
           {{"config", "FILE", "config file (default REPO/config.toml, written with defaults on first start)"},
            {"enable", "MODULES", "modules to run, comma-separated: auth,gateway,node,messager,miner,wallet", true},
            {"listen", "MULTIADDR", "API listen address, e.g. /ip4/127.0.0.1/tcp/3453"},
            {"wallet-gateway", "API-INFO", "the gateway the wallet module serves ([wallet] gateway), TOKEN:MULTIADDR"},
            {"genesis", "FILE", "genesis CAR to start the node from ([node] genesis_file)"},
            {"peer", "API-INFO", "a venusd node to sync with ([node] peers), TOKEN:MULTIADDR", true}},
           cmd_run});
    t.add({{"version"}, "", "Prints the client's version and asks the daemon for its own.", {}, cmd_version});
    t.add({{"config", "default"},
           "",
           "Prints the documented default config (what the first start writes to the repo); with --enable, a config "
           "for that role: only the enabled modules' sections, with notes on what must come from other hosts.",
           {{"enable", "MODULES", "modules to enable in the printed config (a role, e.g. auth,gateway)", true}},
           cmd_config_default});
    t.add({{"status"}, "", "Shows the daemon's status (as its /status page): modules, remote peers and whether they answer, chain head and sync, wallets, provers, message pool, miners.", {}, cmd_status});
    t.add({{"stop"}, "", "Asks the daemon to shut down cleanly (admin token).", {}, cmd_stop});
    t.add({{"log", "list"}, "", "Lists the daemon's log subsystems.", {}, cmd_log_list});
    t.add({{"log", "set-level"},
           "[subsystem…] <level>",
           "Sets the log level (trace, debug, info, warn, error, off) of subsystems, or all when none is given.",
           {},
           cmd_log_set_level,
           1,
           -1});
}

}  // namespace venus::cli
