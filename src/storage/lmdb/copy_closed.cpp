// SPDX-License-Identifier: Apache-2.0 OR MIT
#include <lmdb.h>

#include "storage/lmdb/error.hpp"
#include "venus/storage/lmdb_copy.hpp"

namespace venus::storage::lmdb {

namespace fs = std::filesystem;

Status copy_closed_store(const fs::path& src, const fs::path& dest, bool compact) {
    std::error_code ec;
    if (!fs::exists(src / "data.mdb", ec)) return make_error(Errc::kNotFound, "lmdb copy: {} holds no store", src.string());
    if (fs::exists(dest / "data.mdb", ec)) {
        return make_error(Errc::kAlreadyExists, "lmdb copy: {} already holds a store", dest.string());
    }
    fs::create_directories(dest, ec);
    if (ec) return make_error(Errc::kIo, "lmdb copy: cannot create {}: {}", dest.string(), ec.message());
    fs::permissions(dest, fs::perms::owner_all, fs::perm_options::replace, ec);

    MDB_env* env = nullptr;
    int rc = mdb_env_create(&env);
    if (rc != 0) return detail::lmdb_error(rc, "copy: create environment");
    // Read-only: a copy never writes the source, and the map size is the file's.
    rc = mdb_env_open(env, src.c_str(), MDB_RDONLY | MDB_NOTLS, 0600);
    if (rc == 0) rc = mdb_env_copy2(env, dest.c_str(), compact ? MDB_CP_COMPACT : 0);
    mdb_env_close(env);
    if (rc != 0) {
        fs::remove(dest / "data.mdb", ec);
        return detail::lmdb_error(rc, "copy " + src.string() + " to " + dest.string());
    }
    fs::permissions(dest / "data.mdb", fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace, ec);
    return {};
}

}  // namespace venus::storage::lmdb
