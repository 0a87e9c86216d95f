// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "venus/cli/cli.hpp"

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <set>
#include <sstream>

#include "venus/app/repo.hpp"

namespace venus::cli {

namespace {
const std::vector<Flag> kGlobalFlags = {
    {"repo", "DIR", "repo directory (default $VENUSD_PATH or ~/.venusd)"},
    {"api", "API_INFO", "daemon to talk to: TOKEN:/ip4/HOST/tcp/PORT or a multiaddr"},
    {"token", "TOKEN", "API token (default: the repo's token file)"},
    {"json", "", "print machine-readable JSON"},
};

CommandTable build_table() {
    CommandTable t;
    add_daemon_commands(t);
    add_tool_commands(t);
    add_auth_commands(t);
    add_gateway_commands(t);
    add_wallet_commands(t);
    add_node_commands(t);
    add_mpool_commands(t);
    add_sync_commands(t);
    add_miner_commands(t);
    add_messager_commands(t);
    add_ops_commands(t);
    return t;
}

bool starts_with(const std::vector<std::string>& words, const std::vector<std::string>& prefix) {
    if (prefix.size() > words.size()) return false;
    return std::equal(prefix.begin(), prefix.end(), words.begin());
}

std::string flag_line(const Flag& f) {
    std::string left = "  --" + f.name + (f.value_name.empty() ? "" : " " + f.value_name);
    if (left.size() < 28) left.resize(28, ' ');
    else left += "  ";
    return left + f.help + (f.repeatable ? " (repeatable)" : "") + "\n";
}
}  // namespace

std::optional<std::string> Invocation::get(const std::string& flag) const {
    auto it = flags.find(flag);
    if (it == flags.end() || it->second.empty()) return std::nullopt;
    return it->second.back();
}

std::vector<std::string> Invocation::all(const std::string& flag) const {
    auto it = flags.find(flag);
    return it == flags.end() ? std::vector<std::string>{} : it->second;
}

std::string Invocation::repo() const { return global.repo ? *global.repo : app::default_repo_path().string(); }

Result<rpc::ApiInfo> Invocation::api_info(const std::string& env_var) const {
    std::string source;
    std::string text;
    if (global.api) {
        text = *global.api;
        source = "--api";
    } else if (const char* e = std::getenv(env_var.c_str()); e && *e) {
        text = e;
        source = env_var;
    } else if (const char* v = std::getenv("VENUSD_API_INFO"); v && *v) {
        text = v;
        source = "VENUSD_API_INFO";
    } else {
        auto api = app::read_file(std::filesystem::path(repo()) / "api");
        if (!api) {
            return make_error(Errc::kUnavailable,
                              "no daemon found: {}/api does not exist (is `venusd run` started? use --repo, --api or {})",
                              repo(), env_var);
        }
        text = *api;
        source = repo() + "/api";
    }
    auto info = rpc::parse_api_info(text);
    if (!info) return info.error().wrap(source);
    if (global.token) {
        info->token = *global.token;
    } else if (info->token.empty()) {
        if (auto tok = app::read_file(std::filesystem::path(repo()) / "token")) {
            auto t = *tok;
            while (!t.empty() && (t.back() == '\n' || t.back() == '\r')) t.pop_back();
            info->token = t;
        }
    }
    return info;
}

Result<std::unique_ptr<rpc::HttpRpcClient>> Invocation::client(const std::string& path, const std::string& env_var) const {
    VENUS_TRY(auto info, api_info(env_var));
    return std::make_unique<rpc::HttpRpcClient>(std::move(info), path);
}

int Invocation::fail(const Error& e) const {
    err << "ERROR: " << e.message << "\n";
    if (rpc::is_remote_error(e)) return kExitError;
    if (e.is(Errc::kUnavailable) || e.is(Errc::kTimeout)) return kExitConnection;
    if (e.is(Errc::kConfig)) return kExitConfig;
    if (e.is(Errc::kStorage) || e.is(Errc::kIo)) return kExitStorage;
    if (e.is(Errc::kInternal)) return kExitInternal;
    return kExitError;
}

int Invocation::usage_error(const std::string& message) const {
    err << "ERROR: " << message << "\n";
    return kExitUsage;
}

std::string command_help(const Command& c) {
    std::string out = "USAGE:\n  venusd";
    for (const auto& w : c.path) out += " " + w;
    if (!c.flags.empty()) out += " [flags]";
    if (!c.args_usage.empty()) out += " " + c.args_usage;
    out += "\n\n" + c.summary + "\n";
    if (!c.flags.empty()) {
        out += "\nFLAGS:\n";
        for (const auto& f : c.flags) out += flag_line(f);
    }
    out += "\nGLOBAL FLAGS:\n";
    for (const auto& f : kGlobalFlags) out += flag_line(f);
    return out;
}

std::string group_help(const CommandTable& table, const std::vector<std::string>& group) {
    std::string out = "USAGE:\n  venusd";
    for (const auto& w : group) out += " " + w;
    out += " <command> [flags] [args]\n\nCOMMANDS:\n";
    // One line per direct child: a leaf command or a subgroup.
    std::set<std::string> seen;
    for (const auto& c : table.commands()) {
        if (!starts_with(c.path, group) || c.path.size() <= group.size()) continue;
        const auto& word = c.path[group.size()];
        if (!seen.insert(word).second) continue;
        std::string summary = c.path.size() == group.size() + 1 ? c.summary : "(group)";
        std::string left = "  " + word;
        if (left.size() < 20) left.resize(20, ' ');
        else left += "  ";
        out += left + summary + "\n";
    }
    out += "\nGLOBAL FLAGS:\n";
    for (const auto& f : kGlobalFlags) out += flag_line(f);
    out += "\nRun 'venusd";
    for (const auto& w : group) out += " " + w;
    out += " <command> --help' for details.\n";
    return out;
}

int run_args(const std::vector<std::string>& argv, std::istream& in, std::ostream& out, std::ostream& err) {
    const CommandTable table = build_table();
    GlobalOptions global;
    std::vector<std::string> rest;
    bool help = false;

    // Pass 1: pull out global flags wherever they are (before or after the command words).
    for (std::size_t i = 0; i < argv.size(); ++i) {
        const auto& a = argv[i];
        if (a == "--") {
            rest.insert(rest.end(), argv.begin() + static_cast<std::ptrdiff_t>(i), argv.end());
            break;
        }
        if (a == "-h" || a == "--help") {
            help = true;
            continue;
        }
        bool matched = false;
        for (const auto& f : kGlobalFlags) {
            const std::string dashed = "--" + f.name;
            if (a == dashed || a.rfind(dashed + "=", 0) == 0) {
                matched = true;
                std::optional<std::string> value;
                if (a.size() > dashed.size()) {
                    value = a.substr(dashed.size() + 1);
                } else if (!f.value_name.empty()) {
                    if (i + 1 >= argv.size()) {
                        err << "ERROR: flag --" << f.name << " needs a value\n";
                        return kExitUsage;
                    }
                    value = argv[++i];
                }
                if (f.name == "repo") global.repo = value;
                if (f.name == "api") global.api = value;
                if (f.name == "token") global.token = value;
                if (f.name == "json") global.json = true;
            }
        }
        if (!matched) rest.push_back(a);
    }

    // Pass 2: the longest command path made of the leading non-flag words.
    std::vector<std::string> words;
    for (const auto& a : rest) {
        if (a.rfind("-", 0) == 0) break;
        words.push_back(a);
    }
    const Command* cmd = nullptr;
    for (const auto& c : table.commands()) {
        if (starts_with(words, c.path) && (!cmd || c.path.size() > cmd->path.size())) cmd = &c;
    }
    if (words.empty() && !cmd) {
        (help ? out : err) << "venusd: the Filecoin Venus chain service in one binary\n\n" << group_help(table, {});
        return help ? kExitOk : kExitUsage;
    }
    if (!cmd) {
        // A group word (e.g. "config") or an unknown command.
        std::vector<std::string> group;
        for (const auto& w : words) {
            auto next = group;
            next.push_back(w);
            bool is_group = std::any_of(table.commands().begin(), table.commands().end(),
                                        [&](const Command& c) { return starts_with(c.path, next); });
            if (!is_group) break;
            group = std::move(next);
        }
        if (group.size() == words.size() && !group.empty()) {
            (help ? out : err) << group_help(table, group);
            return help ? kExitOk : kExitUsage;
        }
        std::string unknown;
        for (const auto& w : words) unknown += (unknown.empty() ? "" : " ") + w;
        err << "ERROR: unknown command '" << unknown << "'\n\n" << group_help(table, group);
        return kExitUsage;
    }
    if (help) {
        out << command_help(*cmd);
        return kExitOk;
    }

    // Pass 3: the command's own flags and its positional arguments.
    Invocation inv{{}, {}, global, in, out, err};
    if (cmd->raw_args) {
        inv.args.assign(rest.begin() + static_cast<std::ptrdiff_t>(cmd->path.size()), rest.end());
        return cmd->handler(inv);
    }
    for (std::size_t i = cmd->path.size(); i < rest.size(); ++i) {
        const auto& a = rest[i];
        if (a == "--") {
            inv.args.insert(inv.args.end(), rest.begin() + static_cast<std::ptrdiff_t>(i) + 1, rest.end());
            break;
        }
        if (a.rfind("--", 0) == 0 && a.size() > 2) {
            auto eq = a.find('=');
            const std::string name = a.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
            auto f = std::find_if(cmd->flags.begin(), cmd->flags.end(), [&](const Flag& fl) { return fl.name == name; });
            if (f == cmd->flags.end()) {
                err << "ERROR: unknown flag --" << name << "\n\n" << command_help(*cmd);
                return kExitUsage;
            }
            std::string value = "true";
            if (!f->value_name.empty()) {
                if (eq != std::string::npos) {
                    value = a.substr(eq + 1);
                } else if (i + 1 < rest.size()) {
                    value = rest[++i];
                } else {
                    err << "ERROR: flag --" << name << " needs a value\n";
                    return kExitUsage;
                }
            }
            auto& vals = inv.flags[name];
            if (!vals.empty() && !f->repeatable) {
                err << "ERROR: flag --" << name << " given twice\n";
                return kExitUsage;
            }
            vals.push_back(value);
            continue;
        }
        inv.args.push_back(a);
    }
    const int n = static_cast<int>(inv.args.size());
    if (n < cmd->min_args || (cmd->max_args >= 0 && n > cmd->max_args)) {
        err << "ERROR: wrong number of arguments\n\n" << command_help(*cmd);
        return kExitUsage;
    }
    try {
        return cmd->handler(inv);
    } catch (const std::exception& e) {
        err << "ERROR: internal error: " << e.what() << "\n";
        return kExitInternal;
    }
}

int run(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    return run_args(args, std::cin, std::cout, std::cerr);
}

}  // namespace venus::cli
