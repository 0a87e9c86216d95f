// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The repo directory (~/.venusd, --repo, VENUSD_PATH): config.toml, token, api, keystore/, stores, logs.
#pragma once

#include <filesystem>
#include <string>

#include "venus/core/bytes.hpp"
#include "venus/core/result.hpp"

namespace venus::app {

//! $VENUSD_PATH, else ~/.venusd.
std::filesystem::path default_repo_path();

//! Creates the directory (mode 0700) if missing.
Status ensure_dir(const std::filesystem::path& dir);

//! Writes a file atomically (temp file + rename) with mode 0600: tokens, keys, api.
Status write_private_file(const std::filesystem::path& path, std::string_view content);
Result<std::string> read_file(const std::filesystem::path& path);

//! The persisted HS256 secret of the daemon's own admin token (keystore/jwt-secret, 0600).
Result<Bytes> load_or_create_jwt_secret(const std::filesystem::path& repo);

//! Holds an exclusive lock on repo.lock while alive: two daemons on one repo is refused.
class RepoLock {
  public:
    static Result<RepoLock> acquire(const std::filesystem::path& repo);
    RepoLock(RepoLock&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
    RepoLock& operator=(RepoLock&&) = delete;
    ~RepoLock();

  private:
    explicit RepoLock(int fd) : fd_(fd) {}
    int fd_ = -1;
};

}  // namespace venus::app
