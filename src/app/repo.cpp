// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "venus/app/repo.hpp"

#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace venus::app {

std::filesystem::path default_repo_path() {
    if (const char* env = std::getenv("VENUSD_PATH"); env && *env) return env;
    const char* home = std::getenv("HOME");
    return std::filesystem::path(home && *home ? home : ".") / ".venusd";
}

Status ensure_dir(const std::filesystem::path& dir) {
    std::error_code ec;
    if (std::filesystem::is_directory(dir, ec)) return {};
    std::filesystem::create_directories(dir, ec);
    if (ec) return make_error(Errc::kIo, "cannot create directory {}: {}", dir.string(), ec.message());
    ::chmod(dir.c_str(), 0700);
    return {};
}

Status write_private_file(const std::filesystem::path& path, std::string_view content) {
    const auto tmp = path.string() + ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return make_error(Errc::kIo, "cannot write {}: {}", tmp, std::strerror(errno));
    ::fchmod(fd, 0600);  // O_CREAT's mode is masked by umask; make sure
    std::size_t off = 0;
    while (off < content.size()) {
        auto n = ::write(fd, content.data() + off, content.size() - off);
        if (n < 0) {
            if (errno == EINTR) continue;
            ::close(fd);
            return make_error(Errc::kIo, "cannot write {}: {}", tmp, std::strerror(errno));
        }
        off += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) return make_error(Errc::kIo, "cannot write {}: {}", tmp, std::strerror(errno));
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        return make_error(Errc::kIo, "cannot rename {} to {}: {}", tmp, path.string(), std::strerror(errno));
    }
    return {};
}

Result<std::string> read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error(Errc::kNotFound, "cannot read {}", path.string());
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

Result<Bytes> load_or_create_jwt_secret(const std::filesystem::path& repo) {
    const auto dir = repo / "keystore";
    VENUS_TRY_VOID(ensure_dir(dir));
    const auto path = dir / "jwt-secret";
    if (std::filesystem::exists(path)) {
        struct stat st {};
        if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
            return make_error(Errc::kConfig, "{} is readable by other users (mode {:o}); run chmod 600", path.string(),
                              st.st_mode & 0777);
        }
        VENUS_TRY(auto text, read_file(path));
        while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
        VENUS_TRY(auto secret, from_hex(text));
        if (secret.size() != 32) return make_error(Errc::kConfig, "{}: expected 32 bytes of hex", path.string());
        return secret;
    }
    Bytes secret(32);
    if (RAND_bytes(secret.data(), static_cast<int>(secret.size())) != 1) {
        return make_error(Errc::kInternal, "no randomness for the JWT secret");
    }
    VENUS_TRY_VOID(write_private_file(path, to_hex(secret) + "\n"));
    return secret;
}

Result<RepoLock> RepoLock::acquire(const std::filesystem::path& repo) {
    const auto path = repo / "repo.lock";
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return make_error(Errc::kIo, "cannot open {}: {}", path.string(), std::strerror(errno));
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd);
        return make_error(Errc::kConfig, "repo {} is in use by another venusd (lock {} is held)", repo.string(),
                          path.string());
    }
    return RepoLock(fd);
}

RepoLock::~RepoLock() {
    if (fd_ >= 0) ::close(fd_);
}

}  // namespace venus::app
