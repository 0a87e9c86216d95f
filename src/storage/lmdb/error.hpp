// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Maps LMDB return codes onto venus errors (internal to src/storage/lmdb).
#pragma once

#include <string_view>

#include <lmdb.h>

#include "venus/core/bytes.hpp"
#include "venus/core/result.hpp"

namespace venus::storage::lmdb::detail {

//! MDB_NOTFOUND → kNotFound, MDB_KEYEXIST → kAlreadyExists, MDB_BAD_VALSIZE → kInvalidArgument,
//! everything else → kStorage. The message is "<what>: <mdb_strerror>".
inline Error lmdb_error(int rc, std::string_view what) {
    Errc e = Errc::kStorage;
    if (rc == MDB_NOTFOUND) e = Errc::kNotFound;
    if (rc == MDB_KEYEXIST) e = Errc::kAlreadyExists;
    if (rc == MDB_BAD_VALSIZE) e = Errc::kInvalidArgument;
    return make_error(e, "lmdb {}: {}", what, mdb_strerror(rc));
}

inline MDB_val to_val(BytesView b) noexcept {
    // LMDB never writes through a key or value passed in; the cast only satisfies its C API.
    return MDB_val{b.size(), const_cast<std::uint8_t*>(b.data())};  // NOLINT(cppcoreguidelines-pro-type-const-cast)
}

inline BytesView to_view(const MDB_val& v) noexcept {
    return {static_cast<const std::uint8_t*>(v.mv_data), v.mv_size};
}

}  // namespace venus::storage::lmdb::detail
