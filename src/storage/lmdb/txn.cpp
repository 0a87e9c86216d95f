// SPDX-License-Identifier: Apache-2.0 OR MIT
// Transactions and cursors.
#include <lmdb.h>

#include "storage/lmdb/error.hpp"
#include "venus/storage/lmdb.hpp"

namespace venus::storage::lmdb {

using detail::lmdb_error;
using detail::to_val;
using detail::to_view;

// ---- Cursor ----

Cursor::Cursor(Cursor&& other) noexcept : cursor_(std::exchange(other.cursor_, nullptr)) {}

Cursor& Cursor::operator=(Cursor&& other) noexcept {
    if (this != &other) {
        if (cursor_ != nullptr) mdb_cursor_close(cursor_);
        cursor_ = std::exchange(other.cursor_, nullptr);
    }
    return *this;
}

Cursor::~Cursor() {
    if (cursor_ != nullptr) mdb_cursor_close(cursor_);
}

Result<std::optional<KeyValue>> Cursor::move(int op, BytesView key) {
    MDB_val k = to_val(key);
    MDB_val v{};
    const int rc = mdb_cursor_get(cursor_, &k, &v, static_cast<MDB_cursor_op>(op));
    if (rc == MDB_NOTFOUND) return std::optional<KeyValue>{};
    if (rc != 0) return lmdb_error(rc, "cursor");
    return std::optional<KeyValue>{KeyValue{to_view(k), to_view(v)}};
}

Result<std::optional<KeyValue>> Cursor::first() { return move(MDB_FIRST); }
Result<std::optional<KeyValue>> Cursor::last() { return move(MDB_LAST); }
Result<std::optional<KeyValue>> Cursor::next() { return move(MDB_NEXT); }
Result<std::optional<KeyValue>> Cursor::prev() { return move(MDB_PREV); }
Result<std::optional<KeyValue>> Cursor::lower_bound(BytesView key) {
    if (key.empty()) return first();
    return move(MDB_SET_RANGE, key);
}
Result<std::optional<KeyValue>> Cursor::seek(BytesView key) {
    if (key.empty()) return std::optional<KeyValue>{};  // no entry can have an empty key
    return move(MDB_SET_KEY, key);
}

// ---- Txn ----

Txn::Txn(Txn&& other) noexcept
    : txn_(std::exchange(other.txn_, nullptr)), gate_(std::exchange(other.gate_, nullptr)) {}

Txn& Txn::operator=(Txn&& other) noexcept {
    if (this != &other) {
        end();
        txn_ = std::exchange(other.txn_, nullptr);
        gate_ = std::exchange(other.gate_, nullptr);
    }
    return *this;
}

Txn::~Txn() { end(); }

void Txn::end() noexcept {
    if (txn_ != nullptr) {
        mdb_txn_abort(txn_);
        txn_ = nullptr;
    }
    // Only after the transaction is gone may a waiting map growth proceed.
    if (gate_ != nullptr) std::exchange(gate_, nullptr)->leave();
}

Result<std::optional<BytesView>> Txn::find(const Table& table, BytesView key) const {
    if (txn_ == nullptr) return make_error(Errc::kInternal, "lmdb get: transaction has ended");
    if (key.empty()) return std::optional<BytesView>{};
    MDB_val k = to_val(key);
    MDB_val v{};
    const int rc = mdb_get(txn_, table.dbi_, &k, &v);
    if (rc == MDB_NOTFOUND) return std::optional<BytesView>{};
    if (rc != 0) return lmdb_error(rc, "get from " + table.name());
    return std::optional<BytesView>{to_view(v)};
}

Result<BytesView> Txn::get(const Table& table, BytesView key) const {
    VENUS_TRY(auto found, find(table, key));
    if (!found) return make_error(Errc::kNotFound, "lmdb get: key {} not in table {}", to_hex(key), table.name());
    return *found;
}

Result<bool> Txn::has(const Table& table, BytesView key) const {
    VENUS_TRY(auto found, find(table, key));
    return found.has_value();
}

Result<TableStat> Txn::stat(const Table& table) const {
    if (txn_ == nullptr) return make_error(Errc::kInternal, "lmdb stat: transaction has ended");
    MDB_stat st{};
    const int rc = mdb_stat(txn_, table.dbi_, &st);
    if (rc != 0) return lmdb_error(rc, "stat of " + table.name());
    return TableStat{st.ms_entries, st.ms_depth,
                     st.ms_branch_pages + st.ms_leaf_pages + st.ms_overflow_pages};
}

Result<Cursor> Txn::cursor(const Table& table) const {
    if (txn_ == nullptr) return make_error(Errc::kInternal, "lmdb cursor: transaction has ended");
    MDB_cursor* c = nullptr;
    const int rc = mdb_cursor_open(txn_, table.dbi_, &c);
    if (rc != 0) return lmdb_error(rc, "cursor on " + table.name());
    return Cursor(c);
}

// ---- WriteTxn ----

Error WriteTxn::fail(int rc, std::string_view what) {
    // Remember MAP_FULL even when the caller wraps or replaces the error: Environment::write
    // decides on growth from this flag, not from the error text.
    if (rc == MDB_MAP_FULL) map_full_ = true;
    return lmdb_error(rc, what);
}

Status WriteTxn::put(const Table& table, BytesView key, BytesView value, PutMode mode) {
    if (txn_ == nullptr) return make_error(Errc::kInternal, "lmdb put: transaction has ended");
    if (key.empty() || key.size() > kMaxKeySize) {
        return make_error(Errc::kInvalidArgument, "lmdb put into {}: key size {} outside 1..{}",
                          table.name(), key.size(), kMaxKeySize);
    }
    unsigned flags = 0;
    if (mode == PutMode::kNoOverwrite) flags = MDB_NOOVERWRITE;
    if (mode == PutMode::kAppend) flags = MDB_APPEND;
    MDB_val k = to_val(key);
    MDB_val v = to_val(value);
    const int rc = mdb_put(txn_, table.dbi_, &k, &v, flags);
    if (rc == MDB_KEYEXIST && mode == PutMode::kAppend) {
        return make_error(Errc::kAlreadyExists, "lmdb append into {}: key {} does not sort last",
                          table.name(), to_hex(key));
    }
    if (rc == MDB_KEYEXIST) {
        return make_error(Errc::kAlreadyExists, "lmdb put into {}: key {} exists", table.name(), to_hex(key));
    }
    if (rc != 0) return fail(rc, "put into " + table.name());
    return {};
}

Result<bool> WriteTxn::del(const Table& table, BytesView key) {
    if (txn_ == nullptr) return make_error(Errc::kInternal, "lmdb del: transaction has ended");
    if (key.empty()) return false;
    MDB_val k = to_val(key);
    const int rc = mdb_del(txn_, table.dbi_, &k, nullptr);
    if (rc == MDB_NOTFOUND) return false;
    if (rc != 0) return fail(rc, "del from " + table.name());
    return true;
}

Result<std::size_t> WriteTxn::erase_prefix(const Table& table, BytesView prefix) {
    VENUS_TRY(Cursor c, cursor(table));
    std::size_t erased = 0;
    auto entry = c.lower_bound(prefix);
    while (true) {
        if (!entry.ok()) return std::move(entry).error();
        if (!*entry) break;
        const BytesView key = (*entry)->key;
        if (key.size() < prefix.size() || !std::equal(prefix.begin(), prefix.end(), key.begin())) break;
        const int rc = mdb_cursor_del(c.cursor_, 0);
        if (rc != 0) return fail(rc, "erase from " + table.name());
        ++erased;
        // After a delete LMDB leaves the cursor on the following entry; MDB_NEXT returns it
        // rather than skipping over it.
        entry = c.next();
    }
    return erased;
}

Status WriteTxn::clear(const Table& table) {
    if (txn_ == nullptr) return make_error(Errc::kInternal, "lmdb clear: transaction has ended");
    const int rc = mdb_drop(txn_, table.dbi_, 0);
    if (rc != 0) return fail(rc, "clear " + table.name());
    return {};
}

Status WriteTxn::commit() {
    if (txn_ == nullptr) return make_error(Errc::kInternal, "lmdb commit: transaction has ended");
    // mdb_txn_commit frees the transaction whether or not it succeeds.
    const int rc = mdb_txn_commit(std::exchange(txn_, nullptr));
    end();
    if (rc != 0) return fail(rc, "commit");
    return {};
}

// ---- big-endian helpers ----

std::array<std::uint8_t, 8> be64(std::uint64_t value) noexcept {
    std::array<std::uint8_t, 8> out{};
    for (int i = 7; i >= 0; --i) {
        out[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(value & 0xff);
        value >>= 8;
    }
    return out;
}

std::array<std::uint8_t, 4> be32(std::uint32_t value) noexcept {
    std::array<std::uint8_t, 4> out{};
    for (int i = 3; i >= 0; --i) {
        out[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(value & 0xff);
        value >>= 8;
    }
    return out;
}

Result<std::uint64_t> read_be64(BytesView bytes) {
    if (bytes.size() != 8) return make_error(Errc::kInvalidArgument, "be64: {} bytes, expected 8", bytes.size());
    std::uint64_t v = 0;
    for (auto b : bytes) v = (v << 8) | b;
    return v;
}

Result<std::uint32_t> read_be32(BytesView bytes) {
    if (bytes.size() != 4) return make_error(Errc::kInvalidArgument, "be32: {} bytes, expected 4", bytes.size());
    std::uint32_t v = 0;
    for (auto b : bytes) v = (v << 8) | b;
    return v;
}

}  // namespace venus::storage::lmdb
