// SPDX-License-Identifier: Apache-2.0 OR MIT
//! LMDB wrapper: one `Environment` per store directory, RAII read/write transactions, named tables,
//! cursors with prefix/range scans, a schema version key, and map growth on MDB_MAP_FULL.
//!
//! Threading rules
//! - `Environment` is thread-safe. Open it once per directory per process (LMDB's locks are per
//!   process: two Environments on one directory in one process corrupt each other's lock state).
//! - Many `ReadTxn`s may run at once, in any threads. A transaction may move between threads
//!   (the env is opened with MDB_NOTLS) but must be used by one thread at a time.
//! - One `WriteTxn` at a time per store: a second `begin_write()` blocks until the first ends.
//!   Never open a second write transaction in a thread that already holds one (it deadlocks).
//! - Growing the map needs every transaction of this process to end first. `write()` does this
//!   by itself, so do not hold a `ReadTxn` in the thread that calls `write()`: the growth would
//!   wait on it until `max_growth_wait` and then fail. While a growth waits, new transactions
//!   are held back for a few milliseconds so a stream of readers cannot starve it. Keep read
//!   transactions short (they also pin old pages, which makes the file grow).
//! - Byte views returned by reads point into the map: valid until the transaction ends (in a
//!   write transaction, until the next write in it). Copy what must outlive it.
//! - A `Cursor` must be destroyed before its transaction ends.
//!
//! How a module documents its tables (next to the `TableDef`, silkworm style):
//! ```
//! //! Table "tipsets_by_height": which tipset keys were seen at a height.
//! //!   key:   be64(height) ‖ tipset key bytes   (big-endian so keys sort by height)
//! //!   value: empty
//! inline constexpr lmdb::TableDef kTipsetsByHeight{"tipsets_by_height"};
//! ```
//! Say the key and value encodings byte by byte, which byte order integers use (big-endian when
//! the table is scanned in numeric order), and what a missing key means.
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "venus/core/bytes.hpp"
#include "venus/core/result.hpp"

extern "C" {
struct MDB_env;
struct MDB_txn;
struct MDB_cursor;
}

namespace venus::storage::lmdb {

inline constexpr std::size_t kMiB = std::size_t{1} << 20;
inline constexpr std::size_t kGiB = std::size_t{1} << 30;

//! LMDB rejects keys longer than this (its compiled-in default) and empty keys.
inline constexpr std::size_t kMaxKeySize = 511;

//! Name of the table that holds the store's own metadata. Modules must not use it.
//! Table "__venus_meta":
//!   key:   ASCII name ("schema_version")
//!   value: schema_version → be32(version)
inline constexpr std::string_view kMetaTableName = "__venus_meta";

struct EnvOptions {
    std::size_t map_size = 1 * kGiB;   //!< initial map size; an existing larger file wins
    std::size_t max_map_size = 0;      //!< `write()` never grows past this (0: no limit)
    unsigned max_tables = 32;          //!< named tables the store may hold (the meta table is extra)
    unsigned max_readers = 126;        //!< concurrent read transactions, all processes together
    std::uint32_t schema_version = 1;  //!< must equal the stored version; written on first open
    bool read_only = false;            //!< no writes, no schema write, no growth
    //! MDB_NOSYNC: commits skip fsync. A crash of the process loses nothing; a power loss may
    //! lose the last commits but never corrupts the store. Off by default (durable commits).
    bool no_sync = false;
    bool no_read_ahead = false;        //!< MDB_NORDAHEAD: helps random reads on stores larger than RAM
    //! How long a map growth waits for this process's open transactions to end before the write
    //! fails (a reader that never ends, e.g. one held by the writing thread itself).
    std::chrono::milliseconds max_growth_wait{60000};
    unsigned file_mode = 0600;         //!< data.mdb and lock.mdb are created with this mode
};

//! How `WriteTxn::put` treats an existing key.
enum class PutMode {
    kUpsert,       //!< replace the value
    kNoOverwrite,  //!< fail with Errc::kAlreadyExists
    kAppend,       //!< key sorts after every existing key (fast bulk load); else kAlreadyExists
};

//! A table's name, declared once as a constant next to its key/value layout (see the file comment).
struct TableDef {
    std::string_view name;
};

//! An open named table (LMDB "named database"). Cheap to copy; valid while its Environment lives.
class Table {
  public:
    Table() = default;
    [[nodiscard]] const std::string& name() const noexcept { return name_; }
    [[nodiscard]] bool valid() const noexcept { return valid_; }

  private:
    friend class Environment;
    friend class Txn;
    friend class WriteTxn;
    Table(unsigned dbi, std::string name) : dbi_(dbi), name_(std::move(name)), valid_(true) {}
    unsigned dbi_ = 0;
    std::string name_;
    bool valid_ = false;
};

struct KeyValue {
    BytesView key;
    BytesView value;
};

//! Entry counts and B-tree shape of one table.
struct TableStat {
    std::size_t entries = 0;
    std::size_t depth = 0;
    std::size_t pages = 0;  //!< branch + leaf + overflow pages
};

//! Figures for metrics and operators.
struct EnvStat {
    std::size_t map_size = 0;    //!< bytes reserved for the map (the data file may be smaller)
    std::size_t page_size = 0;
    std::size_t used_pages = 0;  //!< pages in use up to the high-water mark (last page + 1)
    std::size_t used_bytes = 0;  //!< used_pages × page_size
    unsigned max_readers = 0;
    unsigned reader_slots = 0;   //!< reader slots used so far (high-water mark)
    std::size_t growths = 0;     //!< map growths done by this Environment since open
};

namespace detail {
//! Lets any number of transactions run, or one map resize, never both: mdb_env_set_mapsize
//! requires that no transaction of this process is active. While a resize waits, new
//! transactions are held back briefly so a steady stream of readers cannot starve it, but not
//! indefinitely, so a thread that opens a second transaction while holding one cannot deadlock.
class ResizeGate {
  public:
    void enter();
    void leave() noexcept;
    //! False when transactions are still active after `timeout`.
    bool lock_resize(std::chrono::milliseconds timeout);
    void unlock_resize() noexcept;

  private:
    std::mutex mutex_;
    std::condition_variable cv_;
    std::size_t active_ = 0;
    std::size_t resizers_waiting_ = 0;
    bool resizing_ = false;
};
}  // namespace detail

class Txn;

//! A positioned cursor over one table. Every move returns the entry it lands on, or nullopt
//! when it runs off either end. Destroy it before its transaction ends.
class Cursor {
  public:
    Cursor(Cursor&& other) noexcept;
    Cursor& operator=(Cursor&& other) noexcept;
    Cursor(const Cursor&) = delete;
    Cursor& operator=(const Cursor&) = delete;
    ~Cursor();

    Result<std::optional<KeyValue>> first();
    Result<std::optional<KeyValue>> last();
    Result<std::optional<KeyValue>> next();
    Result<std::optional<KeyValue>> prev();
    //! The first entry whose key is >= `key`.
    Result<std::optional<KeyValue>> lower_bound(BytesView key);
    //! The entry whose key is exactly `key`.
    Result<std::optional<KeyValue>> seek(BytesView key);

  private:
    friend class Txn;
    friend class WriteTxn;
    explicit Cursor(MDB_cursor* cursor) : cursor_(cursor) {}
    Result<std::optional<KeyValue>> move(int op, BytesView key = {});
    MDB_cursor* cursor_ = nullptr;
};

//! What read and write transactions share: lookups, cursors and scans. Aborted on destruction
//! unless committed.
class Txn {
  public:
    Txn(Txn&& other) noexcept;
    Txn& operator=(Txn&& other) noexcept;
    Txn(const Txn&) = delete;
    Txn& operator=(const Txn&) = delete;
    ~Txn();

    //! The value stored under `key`, or Errc::kNotFound.
    Result<BytesView> get(const Table& table, BytesView key) const;
    //! Like get, but a missing key is nullopt rather than an error (no message is formatted).
    Result<std::optional<BytesView>> find(const Table& table, BytesView key) const;
    Result<bool> has(const Table& table, BytesView key) const;
    Result<TableStat> stat(const Table& table) const;
    Result<Cursor> cursor(const Table& table) const;

    //! Calls `fn(key, value)` for every entry in key order until it returns false.
    template <typename F>
    Status for_each(const Table& table, F&& fn) const;
    //! Calls `fn(key, value)` for the entries whose key starts with `prefix`, in key order.
    template <typename F>
    Status scan_prefix(const Table& table, BytesView prefix, F&& fn) const;
    //! Calls `fn(key, value)` for the entries with `begin <= key < end`, in key order.
    //! An empty `end` means "to the last entry".
    template <typename F>
    Status scan_range(const Table& table, BytesView begin, BytesView end, F&& fn) const;

    [[nodiscard]] bool active() const noexcept { return txn_ != nullptr; }

  protected:
    // `gate` has been entered for this transaction; end() leaves it.
    Txn(MDB_txn* txn, detail::ResizeGate* gate) noexcept : txn_(txn), gate_(gate) {}
    void end() noexcept;  // aborts if still active, then lets growth proceed

    MDB_txn* txn_ = nullptr;
    // Entered for the transaction's whole life: the map must not be resized under it.
    detail::ResizeGate* gate_ = nullptr;
};

class ReadTxn : public Txn {
  public:
    //! Ends the transaction early (the destructor does it otherwise).
    void abort() noexcept { end(); }

  private:
    friend class Environment;
    ReadTxn(MDB_txn* txn, detail::ResizeGate* gate) noexcept : Txn(txn, gate) {}
};

class WriteTxn : public Txn {
  public:
    //! Errc::kInvalidArgument for an empty key or one longer than kMaxKeySize.
    Status put(const Table& table, BytesView key, BytesView value, PutMode mode = PutMode::kUpsert);
    //! True when the key existed and was removed.
    Result<bool> del(const Table& table, BytesView key);
    //! Removes every entry whose key starts with `prefix`; returns how many.
    Result<std::size_t> erase_prefix(const Table& table, BytesView prefix);
    //! Removes every entry of the table (the table stays).
    Status clear(const Table& table);
    Status commit();
    void abort() noexcept { end(); }
    //! True once an operation of this transaction failed with MDB_MAP_FULL.
    [[nodiscard]] bool map_full() const noexcept { return map_full_; }

  private:
    friend class Environment;
    WriteTxn(MDB_txn* txn, detail::ResizeGate* gate, std::size_t map_size) noexcept
        : Txn(txn, gate), map_size_(map_size) {}
    Error fail(int rc, std::string_view what);

    std::size_t map_size_ = 0;  // the map size this transaction began with (for growth)
    bool map_full_ = false;
};

//! One LMDB store directory (data.mdb + lock.mdb).
class Environment {
  public:
    //! Opens (creating when needed, unless read-only) the store in `dir`, then checks the
    //! stored schema version against `options.schema_version` (writing it on first open).
    //! A mismatch is Errc::kStorage with both versions in the message.
    static Result<std::unique_ptr<Environment>> open(const std::filesystem::path& dir,
                                                     const EnvOptions& options = {});
    ~Environment();
    Environment(const Environment&) = delete;
    Environment& operator=(const Environment&) = delete;

    //! Opens a named table, creating it unless the store is read-only (then a missing table is
    //! Errc::kNotFound). Open each table once at start-up, outside any transaction, and keep
    //! the handle; opening it again returns the same handle.
    Result<Table> open_table(std::string_view name);
    Result<Table> open_table(const TableDef& def) { return open_table(def.name); }

    Result<ReadTxn> begin_read();
    Result<WriteTxn> begin_write();

    //! Runs `fn` in a write transaction and commits it. When the map fills up, the transaction
    //! is aborted, the map grows (doubling, up to `max_map_size`) and `fn` runs again in a
    //! fresh transaction, so `fn` must not have effects outside its transaction. Errors from `fn`
    //! abort the transaction and are returned as they are.
    Status write(const std::function<Status(WriteTxn&)>& fn);

    //! Online backup into directory `dest` (created if missing; must not hold a data.mdb).
    //! `compact` omits free pages and renumbers them (slower, smaller). Readers and writers
    //! carry on meanwhile; map growth waits until the copy ends.
    Status copy_to(const std::filesystem::path& dest, bool compact = true);

    Result<EnvStat> stat();
    //! Flushes to disk; only needed with `no_sync`.
    Status sync();

    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }
    [[nodiscard]] std::uint32_t schema_version() const noexcept { return options_.schema_version; }

  private:
    Environment(MDB_env* env, std::filesystem::path path, const EnvOptions& options);
    Status check_schema_version();
    Result<Table> open_table_unchecked(std::string_view name);
    Status grow(std::size_t observed_map_size);
    Status grow_locked(std::size_t observed_map_size);
    Status adopt_resized_map();
    std::size_t current_map_size() const noexcept;

    MDB_env* env_ = nullptr;
    std::filesystem::path path_;
    EnvOptions options_;
    detail::ResizeGate gate_;
    // mdb_dbi_open must not run in two transactions at once.
    std::mutex tables_mutex_;
    std::unordered_map<std::string, Table> tables_;
    std::size_t growths_ = 0;  // written while resizing, read inside the gate
};

//! Big-endian fixed-width integers: keys that sort in numeric order.
std::array<std::uint8_t, 8> be64(std::uint64_t value) noexcept;
std::array<std::uint8_t, 4> be32(std::uint32_t value) noexcept;
//! Errc::kInvalidArgument unless `bytes` has exactly 8 (resp. 4) bytes.
Result<std::uint64_t> read_be64(BytesView bytes);
Result<std::uint32_t> read_be32(BytesView bytes);

// ---- template definitions ----

template <typename F>
Status Txn::for_each(const Table& table, F&& fn) const {
    return scan_range(table, {}, {}, std::forward<F>(fn));
}

template <typename F>
Status Txn::scan_prefix(const Table& table, BytesView prefix, F&& fn) const {
    VENUS_TRY(Cursor c, cursor(table));
    auto entry = prefix.empty() ? c.first() : c.lower_bound(prefix);
    while (true) {
        if (!entry.ok()) return std::move(entry).error();
        if (!*entry) return {};
        const KeyValue& kv = **entry;
        if (kv.key.size() < prefix.size() ||
            !std::equal(prefix.begin(), prefix.end(), kv.key.begin())) {
            return {};
        }
        if (!fn(kv.key, kv.value)) return {};
        entry = c.next();
    }
}

template <typename F>
Status Txn::scan_range(const Table& table, BytesView begin, BytesView end, F&& fn) const {
    VENUS_TRY(Cursor c, cursor(table));
    auto entry = begin.empty() ? c.first() : c.lower_bound(begin);
    while (true) {
        if (!entry.ok()) return std::move(entry).error();
        if (!*entry) return {};
        const KeyValue& kv = **entry;
        if (!end.empty() && !std::lexicographical_compare(kv.key.begin(), kv.key.end(),
                                                          end.begin(), end.end())) {
            return {};
        }
        if (!fn(kv.key, kv.value)) return {};
        entry = c.next();
    }
}

}  // namespace venus::storage::lmdb
