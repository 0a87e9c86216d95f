// SPDX-License-Identifier: Apache-2.0 OR MIT
// Operations commands: `venusd backup`, `venusd restore`, `venusd config check`.
#include <filesystem>
#include <sstream>

#include <fmt/format.h>

#include "venus/app/application.hpp"
#include "venus/app/backup.hpp"
#include "venus/app/repo.hpp"
#include "venus/cli/cli.hpp"
#include "venus/modules/builtin.hpp"

namespace venus::cli {

namespace {

namespace fs = std::filesystem;

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

void print_manifest(Invocation& inv, const app::BackupManifest& m, const std::string& what) {
    if (inv.global.json) {
        inv.out << m.to_json().text << "\n";
        return;
    }
    std::uint64_t bytes = 0;
    for (const auto& f : m.files) bytes += f.size;
    std::string stores;
    for (const auto& s : m.stores) stores += (stores.empty() ? "" : ", ") + s.name + " (" + s.kind + ")";
    inv.out << what << "\n";
    inv.out << "  taken:   " << m.created << (m.online ? " from the running daemon" : " offline") << " by venusd "
            << m.venusd_version << "\n";
    inv.out << "  stores:  " << (stores.empty() ? "none" : stores) << "\n";
    inv.out << "  files:   " << m.files.size() << ", " << fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1 << 20))
            << "\n";
}

int cmd_backup(Invocation& inv) {
    std::error_code ec;
    const auto dest = fs::absolute(inv.args[0], ec);
    const fs::path repo = inv.repo();
    // A daemon on this repo holds its lock: then the backup must run inside it, where the open
    // stores are (LMDB allows one environment per process, and the daemon's writes go on).
    const bool remote = inv.global.api.has_value();
    if (!remote && !inv.has("online")) {
        if (!fs::exists(repo / "config.toml", ec) && !fs::exists(repo / "keystore", ec)) {
            return inv.fail(make_error(Errc::kNotFound, "{} is not a venusd repo", repo.string()));
        }
        auto lock = app::RepoLock::acquire(repo);
        if (lock) {
            auto m = app::backup_repo(repo, dest, nullptr);
            if (!m) return inv.fail(m.error());
            print_manifest(inv, *m, "backup of " + repo.string() + " written to " + dest.string());
            return kExitOk;
        }
        if (inv.has("offline")) return inv.fail(lock.error());
    }
    auto info = inv.api_info();
    if (!info) return inv.fail(info.error());
    // A large chain store takes minutes to copy; the call returns when the backup is complete.
    rpc::HttpRpcClient client(*info, "/rpc/v1", std::chrono::hours(6));
    auto r = client.call("Venus.Backup", rpc::make_params([&](rpc::JsonOut& o) { rpc::write_string(o, dest.string()); }));
    if (!r) return inv.fail(r.error());
    auto m = app::BackupManifest::parse(r->text);
    if (!m) return inv.fail(m.error());
    print_manifest(inv, *m, "backup written by the daemon to " + dest.string());
    return kExitOk;
}

int cmd_restore(Invocation& inv) {
    const fs::path backup = inv.args[0];
    if (inv.has("verify-only")) {
        auto m = app::verify_backup(backup);
        if (!m) return inv.fail(m.error());
        print_manifest(inv, *m, "backup " + backup.string() + " is complete and matches its manifest");
        return kExitOk;
    }
    if (!inv.global.repo) {
        return inv.usage_error("give the new repo with --repo NEW (restore never writes into a repo in use)");
    }
    const fs::path repo = *inv.global.repo;
    auto m = app::restore_repo(backup, repo);
    if (!m) return inv.fail(m.error());
    print_manifest(inv, *m, "restored " + backup.string() + " into " + repo.string());
    if (!inv.global.json) inv.out << "start it with: venusd run --repo " << repo.string() << "\n";
    return kExitOk;
}

int cmd_config_check(Invocation& inv) {
    app::RunOptions opts;
    opts.repo = inv.repo();
    if (auto c = inv.get("config")) opts.config_file = *c;
    if (inv.has("enable")) opts.enable = split_list(inv.all("enable"));
    opts.install_signal_handlers = false;
    opts.catalogue = modules::builtin_modules();
    app::Application application(std::move(opts));
    auto order = application.check();
    if (!order) {
        inv.err << "ERROR: " << order.error().message << "\n";
        return kExitConfig;
    }
    std::string list;
    for (const auto& m : *order) list += (list.empty() ? "" : ", ") + m;
    inv.out << "config OK; modules in start order: " << (list.empty() ? "none" : list) << "\n";
    return kExitOk;
}

}  // namespace

void add_ops_commands(CommandTable& t) {
    t.add({{"backup"},
           "<DIR>",
           "Writes a backup of the repo into the new directory DIR: LMDB stores (compact copy), SQLite databases "
           "(online backup API), config and keystore, with a manifest of SHA-256 sums. With a daemon running on the "
           "repo the backup is taken inside it (online); otherwise it is taken directly (offline).",
           {{"offline", "", "fail rather than ask a running daemon"},
            {"online", "", "always ask the daemon (DIR is then a path on the daemon's host)"}},
           cmd_backup,
           1,
           1});
    t.add({{"restore"},
           "<BACKUP-DIR>",
           "Restores a backup into a new repo (--repo NEW, which must not exist or be empty), checking every file "
           "against the manifest.",
           {{"verify-only", "", "only check the backup against its manifest"}},
           cmd_restore,
           1,
           1});
    t.add({{"config", "check"},
           "",
           "Checks a config without starting: syntax, unknown keys, listen addresses, and that every enabled module's "
           "dependencies run here or have an api-info.",
           {{"config", "FILE", "config file (default REPO/config.toml)"},
            {"enable", "MODULES", "modules to check as enabled, comma-separated (overrides [modules] enable)", true}},
           cmd_config_check});
}

}  // namespace venus::cli
