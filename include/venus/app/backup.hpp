// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Backups of a repo: a directory with a consistent copy of every store (LMDB through
//! mdb_env_copy2, compacted; SQLite through its online backup API), the config and the keystore, and
//! MANIFEST.json (written last) with each file's size and SHA-256. Restore copies a backup into a new
//! repo after checking every file against the manifest, so a daemon started there has the same
//! users, tokens, messages and chain head.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "venus/core/result.hpp"
#include "venus/rpc/json.hpp"

namespace venus::app {

class Stores;

inline constexpr const char* kBackupManifest = "MANIFEST.json";
inline constexpr const char* kBackupFormat = "venusd-backup";
inline constexpr int kBackupFormatVersion = 1;

struct BackupFile {
    std::string path;  //!< relative, '/'-separated
    std::uint64_t size = 0;
    std::string sha256;  //!< hex
};

struct BackupStore {
    std::string name;  //!< "chain", "auth", …
    std::string kind;  //!< "lmdb" or "sqlite"
};

struct BackupManifest {
    std::string format = kBackupFormat;
    int format_version = kBackupFormatVersion;
    std::string venusd_version;
    std::string created;  //!< RFC 3339 UTC
    bool online = false;  //!< taken from a running daemon
    std::vector<BackupStore> stores;
    std::vector<BackupFile> files;

    rpc::RawJson to_json() const;
    static Result<BackupManifest> parse(std::string_view json);
};

//! Copies `repo` into `dest` (which must not exist, or be an empty directory). `open` holds the
//! stores a running daemon has open (copied through their handles); stores it does not hold are
//! opened read-only just for the copy. Logs and run files (api, token, repo.lock) are left out: the
//! token is re-derived from keystore/jwt-secret on start. Concurrent calls are serialized.
Result<BackupManifest> backup_repo(const std::filesystem::path& repo, const std::filesystem::path& dest, Stores* open);

//! Reads `backup`'s manifest and checks every file's size and SHA-256.
Result<BackupManifest> verify_backup(const std::filesystem::path& backup);

//! Restores `backup` into `repo` (must not exist, or be empty): every file is checked against the
//! manifest; on any failure the partly written repo is removed. Files are 0600, directories 0700.
Result<BackupManifest> restore_repo(const std::filesystem::path& backup, const std::filesystem::path& repo);

}  // namespace venus::app
