// SPDX-License-Identifier: Apache-2.0 OR MIT
// Backup and restore figures on a generated repo (LMDB chain-like store + SQLite table), beside a plain
// copy of the same files in the same run (the ceiling: the backup cannot beat reading and writing every
// byte), plus status page rendering. Usage: venus_ops_bench [DIR] [MiB of LMDB data, default 128]
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>

#include "venus/app/backup.hpp"
#include "venus/app/repo.hpp"
#include "venus/app/status.hpp"
#include "venus/app/stores.hpp"
#include "venus/storage/lmdb.hpp"
#include "venus/storage/sql.hpp"

using namespace venus;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double secs_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::uintmax_t tree_bytes(const fs::path& dir) {
    std::uintmax_t n = 0;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        if (e.is_regular_file()) n += e.file_size();
    }
    return n;
}

void die(const Error& e) {
    std::fprintf(stderr, "error: %s\n", e.message.c_str());
    std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
    const fs::path base = fs::path(argc > 1 ? argv[1] : fs::temp_directory_path().string()) / "venus-ops-bench";
    const std::size_t mib = argc > 2 ? std::stoul(argv[2]) : 128;
    fs::remove_all(base);
    const auto repo = base / "repo";
    if (auto st = app::ensure_dir(repo); !st) die(st.error());
    (void)app::write_private_file(repo / "config.toml", "[api]\n");
    (void)app::load_or_create_jwt_secret(repo);

    app::Stores stores(repo);
    auto env = stores.lmdb("chain", storage::lmdb::EnvOptions{.map_size = (mib * 3 + 64) * storage::lmdb::kMiB});
    if (!env) die(env.error());
    auto table = (*env)->open_table("blocks").value();
    std::mt19937_64 rng(1);
    Bytes value(1024);
    const std::size_t entries = mib * 1024;
    auto t = Clock::now();
    for (std::size_t done = 0; done < entries;) {
        auto st = (*env)->write([&](storage::lmdb::WriteTxn& w) -> Status {
            for (std::size_t i = 0; i < 10000 && done + i < entries; ++i) {
                for (auto& b : value) b = static_cast<std::uint8_t>(rng());
                const auto key = storage::lmdb::be64(rng());
                VENUS_TRY_VOID(w.put(table, key, value));
            }
            return {};
        });
        if (!st) die(st.error());
        done += 10000;
    }
    auto db = stores.sql("auth");
    if (!db) die(db.error());
    (void)(*db)->execute("CREATE TABLE users (name VARCHAR(64) PRIMARY KEY, comment TEXT)");
    auto st = (*db)->transaction([&]() -> Status {
        for (int i = 0; i < 100000; ++i) {
            VENUS_TRY_VOID((*db)->execute("INSERT INTO users VALUES (?, ?)", "user" + std::to_string(i),
                                          std::string(200, 'c')));
        }
        return {};
    });
    if (!st) die(st.error());
    std::printf("repo: %zu MiB LMDB (%zu entries of 1 KiB), SQLite 100k rows; generated in %.1f s\n", mib, entries,
                secs_since(t));
    const double repo_mib = static_cast<double>(tree_bytes(repo)) / (1 << 20);

    // Ceiling: a plain copy of the same files (page cache warm, as for the backup).
    t = Clock::now();
    fs::copy(repo, base / "plain", fs::copy_options::recursive);
    const double plain = secs_since(t);
    std::printf("%-44s %8.2f s  %8.1f MiB/s\n", "plain copy of the repo files (ceiling)", plain, repo_mib / plain);

    t = Clock::now();
    auto online = app::backup_repo(repo, base / "online", &stores);
    if (!online) die(online.error());
    const double on = secs_since(t);
    const double backup_mib = static_cast<double>(tree_bytes(base / "online")) / (1 << 20);
    std::printf("%-44s %8.2f s  %8.1f MiB/s of repo (%.0f MiB written, with SHA-256)\n", "online backup (open stores)", on,
                repo_mib / on, backup_mib);
    stores.close_all();

    t = Clock::now();
    auto offline = app::backup_repo(repo, base / "offline", nullptr);
    if (!offline) die(offline.error());
    const double off = secs_since(t);
    std::printf("%-44s %8.2f s  %8.1f MiB/s of repo\n", "offline backup (stores closed)", off, repo_mib / off);

    t = Clock::now();
    auto restored = app::restore_repo(base / "online", base / "restored");
    if (!restored) die(restored.error());
    const double rs = secs_since(t);
    std::printf("%-44s %8.2f s  %8.1f MiB/s of backup (verify + copy + verify)\n", "restore", rs, backup_mib / rs);

    // Status page: a board as a busy host shows it (50 wallets, 20 miners, 100 senders).
    std::vector<app::StatusSectionData> sections(6);
    for (std::size_t i = 0; i < sections.size(); ++i) {
        sections[i].id = "s" + std::to_string(i);
        sections[i].title = "Section " + std::to_string(i);
        for (int j = 0; j < 6; ++j) sections[i].items.push_back({"i" + std::to_string(j), "Label", "value <&>", app::Health::kOk});
        app::StatusTable rows{"t", {"A", "B", "C", "D"}, {}, "none"};
        for (int r = 0; r < 30; ++r) rows.rows.push_back({"f01234", "t3abcdefghijklmnopqrstuvwxyz", "reachable", "12345"});
        sections[i].tables.push_back(rows);
    }
    std::size_t bytes = 0;
    const int rounds = 2000;
    t = Clock::now();
    for (int i = 0; i < rounds; ++i) bytes += app::render_status_html(sections).size();
    const double html = secs_since(t);
    std::printf("%-44s %8.1f µs per page (%zu bytes)\n", "render /status HTML (6 sections, 180 rows)", html / rounds * 1e6,
                bytes / rounds);
    fs::remove_all(base);
    return 0;
}
