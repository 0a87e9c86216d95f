// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "venus/app/backup.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <memory>
#include <mutex>

#include <fmt/format.h>

#include "core_methods.hpp"
#include "venus/app/repo.hpp"
#include "venus/app/stores.hpp"
#include "venus/core/log.hpp"
#include "venus/storage/lmdb.hpp"
#include "venus/storage/lmdb_copy.hpp"
#include "venus/storage/sqlite.hpp"

namespace venus::app {

namespace fs = std::filesystem;

namespace {

// Two backups at once would only compete for the disk; and a second one into the same directory
// must see the first one's files.
std::mutex g_backup_mu;

// Files of a repo that are not data: re-created on start, or a live lock, or SQLite's side files
// (the backup API already folds the WAL in).
bool is_run_file(const std::string& name) {
    if (name == "api" || name == "token" || name == "repo.lock" || name == kBackupManifest) return true;
    for (const char* suffix : {"-wal", "-shm", "-journal", ".tmp"}) {
        const std::string s(suffix);
        if (name.size() >= s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0) return true;
    }
    return false;
}

bool ends_with(const std::string& s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string now_rfc3339() {
    const auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

struct FileDigest {
    std::uint64_t size = 0;
    std::string sha256;
};

Result<FileDigest> digest_file(const fs::path& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return make_error(Errc::kIo, "cannot read {}: {}", path.string(), std::strerror(errno));
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
    FileDigest out;
    std::vector<unsigned char> buf(1 << 20);
    while (true) {
        const auto n = ::read(fd, buf.data(), buf.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            const int e = errno;
            ::close(fd);
            return make_error(Errc::kIo, "cannot read {}: {}", path.string(), std::strerror(e));
        }
        if (n == 0) break;
        EVP_DigestUpdate(ctx.get(), buf.data(), static_cast<std::size_t>(n));
        out.size += static_cast<std::uint64_t>(n);
    }
    ::close(fd);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    EVP_DigestFinal_ex(ctx.get(), md, &len);
    out.sha256 = to_hex(BytesView(md, len));
    return out;
}

// Copies a regular file into a new private file (0600) and fsyncs it.
Status copy_private(const fs::path& from, const fs::path& to) {
    int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
    if (in < 0) return make_error(Errc::kIo, "cannot read {}: {}", from.string(), std::strerror(errno));
    int out = ::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (out < 0) {
        const int e = errno;
        ::close(in);
        return make_error(e == EEXIST ? Errc::kAlreadyExists : Errc::kIo, "cannot create {}: {}", to.string(),
                          std::strerror(e));
    }
    ::fchmod(out, 0600);
    std::vector<char> buf(1 << 20);
    Status st;
    while (st.ok()) {
        const auto n = ::read(in, buf.data(), buf.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            st = make_error(Errc::kIo, "cannot read {}: {}", from.string(), std::strerror(errno));
            break;
        }
        if (n == 0) break;
        std::size_t off = 0;
        while (off < static_cast<std::size_t>(n)) {
            const auto w = ::write(out, buf.data() + off, static_cast<std::size_t>(n) - off);
            if (w < 0 && errno == EINTR) continue;
            if (w < 0) {
                st = make_error(Errc::kIo, "cannot write {}: {}", to.string(), std::strerror(errno));
                break;
            }
            off += static_cast<std::size_t>(w);
        }
    }
    if (st.ok() && ::fsync(out) != 0) st = make_error(Errc::kIo, "cannot sync {}: {}", to.string(), std::strerror(errno));
    ::close(in);
    if (::close(out) != 0 && st.ok()) st = make_error(Errc::kIo, "cannot write {}: {}", to.string(), std::strerror(errno));
    return st;
}

Status make_private_dir(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return make_error(Errc::kIo, "cannot create directory {}: {}", dir.string(), ec.message());
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
    if (ec) return make_error(Errc::kIo, "cannot set the mode of {}: {}", dir.string(), ec.message());
    return {};
}

// A target directory must be new: a backup or restore never mixes with older files.
Status require_empty_target(const fs::path& dir, std::string_view what) {
    std::error_code ec;
    if (!fs::exists(dir, ec)) return {};
    if (!fs::is_directory(dir, ec)) return make_error(Errc::kAlreadyExists, "{} target {} is not a directory", what, dir.string());
    if (!fs::is_empty(dir, ec)) {
        return make_error(Errc::kAlreadyExists, "{} target {} is not empty; give a new directory", what, dir.string());
    }
    return {};
}

// SQLite: a connection of its own (the daemon's writer connection belongs to its module's thread);
// the backup API copies one consistent snapshot, the WAL included.
Status backup_sqlite(const fs::path& src, const fs::path& dest) {
    storage::sqlite::Options ro;
    ro.read_only = true;
    auto db = storage::sqlite::open(src, ro);
    if (!db) {
        // A read-only connection cannot open a WAL database whose -shm is missing (offline, after a
        // clean close); the repo lock is ours then, so a normal connection is safe.
        db = storage::sqlite::open(src, storage::sqlite::Options{});
    }
    if (!db) return db.error().wrap("backup of " + src.string());
    return (*db)->backup_to(dest);
}

Status copy_tree(const fs::path& from, const fs::path& to, const fs::path& root, BackupManifest& m) {
    VENUS_TRY_VOID(make_private_dir(to));
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(from, ec)) {
        const auto name = entry.path().filename().string();
        if (entry.is_symlink(ec)) continue;  // a link could point anywhere; keys are regular files
        if (entry.is_directory(ec)) {
            VENUS_TRY_VOID(copy_tree(entry.path(), to / name, root, m));
        } else if (entry.is_regular_file(ec) && !is_run_file(name)) {
            VENUS_TRY_VOID(copy_private(entry.path(), to / name));
            m.files.push_back({fs::relative(to / name, root).generic_string(), 0, {}});
        }
    }
    if (ec) return make_error(Errc::kIo, "cannot list {}: {}", from.string(), ec.message());
    return {};
}

// Rejects manifest paths that would escape the target directory.
bool safe_relative(const std::string& p) {
    if (p.empty() || p.front() == '/') return false;
    for (const auto& part : fs::path(p)) {
        if (part == ".." || part == ".") return false;
    }
    return true;
}

}  // namespace

rpc::RawJson BackupManifest::to_json() const {
    rpc::JsonBuilder b;
    auto& o = b.out();
    o.StartObject();
    rpc::write_key(o, "Format");
    rpc::write_string(o, format);
    rpc::write_key(o, "FormatVersion");
    o.Int(format_version);
    rpc::write_key(o, "VenusdVersion");
    rpc::write_string(o, venusd_version);
    rpc::write_key(o, "Created");
    rpc::write_string(o, created);
    rpc::write_key(o, "Online");
    o.Bool(online);
    rpc::write_key(o, "Stores");
    o.StartArray();
    for (const auto& s : stores) {
        o.StartObject();
        rpc::write_key(o, "Name");
        rpc::write_string(o, s.name);
        rpc::write_key(o, "Kind");
        rpc::write_string(o, s.kind);
        o.EndObject();
    }
    o.EndArray();
    rpc::write_key(o, "Files");
    o.StartArray();
    for (const auto& f : files) {
        o.StartObject();
        rpc::write_key(o, "Path");
        rpc::write_string(o, f.path);
        rpc::write_key(o, "Size");
        o.Uint64(f.size);
        rpc::write_key(o, "Sha256");
        rpc::write_string(o, f.sha256);
        o.EndObject();
    }
    o.EndArray();
    o.EndObject();
    return b.take();
}

Result<BackupManifest> BackupManifest::parse(std::string_view json) {
    rpc::JsonDocument d;
    VENUS_TRY_VOID(rpc::parse_json(json, d));
    auto bad = [](std::string_view what) { return make_error(Errc::kInvalidArgument, "backup manifest: {}", what); };
    if (!d.IsObject()) return bad("not a JSON object");
    auto str = [&](const char* k) -> std::string {
        return d.HasMember(k) && d[k].IsString() ? d[k].GetString() : std::string();
    };
    BackupManifest m;
    m.format = str("Format");
    if (m.format != kBackupFormat) return bad("not a venusd backup (Format is '" + m.format + "')");
    if (!d.HasMember("FormatVersion") || !d["FormatVersion"].IsInt()) return bad("FormatVersion missing");
    m.format_version = d["FormatVersion"].GetInt();
    if (m.format_version != kBackupFormatVersion) {
        return bad(fmt::format("format version {} is not supported (this build reads {})", m.format_version,
                               kBackupFormatVersion));
    }
    m.venusd_version = str("VenusdVersion");
    m.created = str("Created");
    m.online = d.HasMember("Online") && d["Online"].IsBool() && d["Online"].GetBool();
    if (d.HasMember("Stores") && d["Stores"].IsArray()) {
        for (const auto& s : d["Stores"].GetArray()) {
            if (!s.IsObject() || !s.HasMember("Name") || !s["Name"].IsString() || !s.HasMember("Kind") || !s["Kind"].IsString()) {
                return bad("a store entry lacks Name or Kind");
            }
            m.stores.push_back({s["Name"].GetString(), s["Kind"].GetString()});
        }
    }
    if (!d.HasMember("Files") || !d["Files"].IsArray()) return bad("Files missing");
    for (const auto& f : d["Files"].GetArray()) {
        if (!f.IsObject() || !f.HasMember("Path") || !f["Path"].IsString() || !f.HasMember("Size") ||
            !f["Size"].IsUint64() || !f.HasMember("Sha256") || !f["Sha256"].IsString()) {
            return bad("a file entry lacks Path, Size or Sha256");
        }
        BackupFile bf{f["Path"].GetString(), f["Size"].GetUint64(), f["Sha256"].GetString()};
        if (!safe_relative(bf.path)) return bad("unsafe path '" + bf.path + "'");
        m.files.push_back(std::move(bf));
    }
    return m;
}

Result<BackupManifest> backup_repo(const fs::path& repo, const fs::path& dest, Stores* open) {
    std::lock_guard lock(g_backup_mu);
    std::error_code ec;
    if (!fs::is_directory(repo, ec)) return make_error(Errc::kNotFound, "repo {} does not exist", repo.string());
    if (dest.is_relative()) return make_error(Errc::kInvalidArgument, "backup target {} must be an absolute path", dest.string());
    const auto repo_abs = fs::weakly_canonical(repo, ec);
    const auto dest_abs = fs::weakly_canonical(dest, ec);
    auto [r, d] = std::mismatch(repo_abs.begin(), repo_abs.end(), dest_abs.begin(), dest_abs.end());
    if (r == repo_abs.end()) return make_error(Errc::kInvalidArgument, "backup target {} is inside the repo", dest.string());
    VENUS_TRY_VOID(require_empty_target(dest, "backup"));
    VENUS_TRY_VOID(make_private_dir(dest));

    BackupManifest m;
    m.venusd_version = kVersion;
    m.created = now_rfc3339();
    m.online = open != nullptr;
    auto log = log::get("app");
    const auto start = std::chrono::steady_clock::now();
    for (const auto& entry : fs::directory_iterator(repo, ec)) {
        const auto name = entry.path().filename().string();
        if (entry.is_symlink(ec) || is_run_file(name)) continue;
        if (entry.is_directory(ec)) {
            if (name == "logs") continue;
            if (fs::exists(entry.path() / "data.mdb", ec)) {
                auto* env = open != nullptr ? open->open_lmdb(name) : nullptr;
                auto st = env != nullptr ? env->copy_to(dest / name, true)
                                         : storage::lmdb::copy_closed_store(entry.path(), dest / name, true);
                if (!st) return st.error().wrap("backup of store '" + name + "'");
                m.stores.push_back({name, "lmdb"});
                m.files.push_back({name + "/data.mdb", 0, {}});
            } else {
                VENUS_TRY_VOID(copy_tree(entry.path(), dest / name, dest, m));
            }
        } else if (entry.is_regular_file(ec)) {
            if (ends_with(name, ".db")) {
                VENUS_TRY_VOID(backup_sqlite(entry.path(), dest / name));
                m.stores.push_back({name.substr(0, name.size() - 3), "sqlite"});
            } else {
                VENUS_TRY_VOID(copy_private(entry.path(), dest / name));
            }
            m.files.push_back({name, 0, {}});
        }
    }
    if (ec) return make_error(Errc::kIo, "cannot list {}: {}", repo.string(), ec.message());
    for (auto& f : m.files) {
        VENUS_TRY(auto dg, digest_file(dest / f.path));
        f.size = dg.size;
        f.sha256 = dg.sha256;
    }
    // Last: a directory without a manifest is an unfinished backup, and restore refuses it.
    VENUS_TRY_VOID(write_private_file(dest / kBackupManifest, m.to_json().text));
    std::uint64_t bytes = 0;
    for (const auto& f : m.files) bytes += f.size;
    log->info("backup of {} into {}: {} stores, {} files, {} bytes in {} ms", repo.string(), dest.string(),
              m.stores.size(), m.files.size(), bytes,
              std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count());
    return m;
}

Result<BackupManifest> verify_backup(const fs::path& backup) {
    auto text = read_file(backup / kBackupManifest);
    if (!text) {
        return make_error(Errc::kNotFound, "{} has no {}: not a venusd backup, or one that did not finish",
                          backup.string(), kBackupManifest);
    }
    VENUS_TRY(auto m, BackupManifest::parse(*text));
    for (const auto& f : m.files) {
        auto dg = digest_file(backup / f.path);
        if (!dg) return dg.error().wrap("backup file missing");
        if (dg->size != f.size || dg->sha256 != f.sha256) {
            return make_error(Errc::kStorage, "backup file {} does not match the manifest (damaged or changed)", f.path);
        }
    }
    return m;
}

Result<BackupManifest> restore_repo(const fs::path& backup, const fs::path& repo) {
    VENUS_TRY(auto m, verify_backup(backup));
    VENUS_TRY_VOID(require_empty_target(repo, "restore"));
    std::error_code ec;
    const bool created = !fs::exists(repo, ec);
    auto run = [&]() -> Status {
        VENUS_TRY_VOID(make_private_dir(repo));
        for (const auto& f : m.files) {
            const auto to = repo / f.path;
            VENUS_TRY_VOID(make_private_dir(to.parent_path()));
            VENUS_TRY_VOID(copy_private(backup / f.path, to));
            // Checked again after the copy: what the daemon will open is what the manifest describes.
            VENUS_TRY(auto dg, digest_file(to));
            if (dg.size != f.size || dg.sha256 != f.sha256) {
                return make_error(Errc::kIo, "restored file {} does not match the manifest", f.path);
            }
        }
        return {};
    };
    if (auto st = run(); !st) {
        // Leave nothing half-restored behind: a daemon must never start on a partial repo.
        if (created) {
            fs::remove_all(repo, ec);
        } else {
            for (const auto& entry : fs::directory_iterator(repo, ec)) fs::remove_all(entry.path(), ec);
        }
        return st.error().wrap("restore into " + repo.string());
    }
    log::get("app")->info("restored {} ({} stores, {} files, taken {}) into {}", backup.string(), m.stores.size(),
                          m.files.size(), m.created, repo.string());
    return m;
}

}  // namespace venus::app
