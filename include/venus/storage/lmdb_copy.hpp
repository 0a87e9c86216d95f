// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Copying an LMDB store that this process has not opened (offline backups, or a store of a module
//! that is not enabled here). A store this process has open must be copied through its own
//! `Environment::copy_to`: opening a second environment on it would drop the first one's locks.
#pragma once

#include <filesystem>

#include "venus/core/result.hpp"

namespace venus::storage::lmdb {

//! Opens `src` read-only just for the copy and writes `dest/data.mdb` (mode 0600, `dest` 0700).
//! `compact` omits free pages. Another process may keep reading and writing `src` meanwhile.
Status copy_closed_store(const std::filesystem::path& src, const std::filesystem::path& dest, bool compact = true);

}  // namespace venus::storage::lmdb
