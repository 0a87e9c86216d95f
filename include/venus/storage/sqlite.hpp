// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The SQLite backend of the SQL interface (venus/storage/sql.hpp).
//!
//! A writer connection opens the file in WAL mode with synchronous=NORMAL (a commit is durable
//! once the WAL is checkpointed or the OS flushes it; a process crash loses nothing committed, a
//! power loss may lose the last commits but never corrupts), foreign_keys=ON and a busy timeout.
//! WAL lets read-only connections (`Options::read_only`) read while the writer writes; give each
//! reading thread its own. Keep one writer connection per database file per process: SQLite
//! serializes writers anyway, and a second one only adds lock waits.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>

#include "venus/storage/sql.hpp"

namespace venus::storage::sqlite {

enum class Synchronous { kOff, kNormal, kFull };

struct Options {
    bool read_only = false;  //!< the file must exist; writes fail
    //! How long a statement waits for another connection's lock before failing with kTimeout.
    std::chrono::milliseconds busy_timeout{5000};
    Synchronous synchronous = Synchronous::kNormal;
    std::size_t statement_cache_size = 64;  //!< idle prepared statements kept (LRU)
    unsigned file_mode = 0600;              //!< a new database file gets this mode; -wal/-shm follow it
};

//! Opens (creating unless read-only) the database file at `path`.
//!
//! Errors from its statements map to: UNIQUE / PRIMARY KEY violations → Errc::kAlreadyExists,
//! lock waits past the busy timeout → Errc::kTimeout, a bad parameter index →
//! Errc::kInvalidArgument, anything else → Errc::kStorage; messages carry SQLite's text and the SQL.
Result<std::unique_ptr<SqlDatabase>> open(const std::filesystem::path& path, const Options& options = {});

}  // namespace venus::storage::sqlite
