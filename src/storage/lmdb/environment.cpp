// SPDX-License-Identifier: Apache-2.0 OR MIT
// Environment: open, schema version, tables, transactions, growth, backup, stats.
#include <lmdb.h>
#include <unistd.h>

#include <limits>

#include "storage/lmdb/error.hpp"
#include "venus/storage/lmdb.hpp"

namespace venus::storage::lmdb {

namespace fs = std::filesystem;
using detail::lmdb_error;

namespace {

constexpr std::string_view kSchemaVersionKey = "schema_version";
// A write that keeps filling the map after this many doublings is not going to fit.
constexpr int kMaxGrowthsPerWrite = 32;

std::size_t round_up_to_page(std::size_t size) {
    const long page = sysconf(_SC_PAGESIZE);
    const std::size_t p = page > 0 ? static_cast<std::size_t>(page) : 4096;
    return (size + p - 1) / p * p;
}

// New transactions wait at most this long for a pending resize before going ahead anyway.
constexpr auto kHoldBackForResize = std::chrono::milliseconds(50);

// Enters the gate for the scope (stat, copy): these use LMDB's map but are not transactions.
class GateScope {
  public:
    explicit GateScope(detail::ResizeGate& gate) : gate_(gate) { gate_.enter(); }
    ~GateScope() { gate_.leave(); }
    GateScope(const GateScope&) = delete;
    GateScope& operator=(const GateScope&) = delete;

  private:
    detail::ResizeGate& gate_;
};

}  // namespace

// ---- ResizeGate ----

void detail::ResizeGate::enter() {
    std::unique_lock lock(mutex_);
    if (resizers_waiting_ > 0) {
        cv_.wait_for(lock, kHoldBackForResize, [&] { return resizers_waiting_ == 0; });
    }
    cv_.wait(lock, [&] { return !resizing_; });
    ++active_;
}

void detail::ResizeGate::leave() noexcept {
    std::lock_guard lock(mutex_);
    --active_;
    if (active_ == 0 && resizers_waiting_ > 0) cv_.notify_all();
}

bool detail::ResizeGate::lock_resize(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    ++resizers_waiting_;
    const bool ready = cv_.wait_for(lock, timeout, [&] { return active_ == 0 && !resizing_; });
    --resizers_waiting_;
    if (ready) resizing_ = true;
    // Newcomers held back for this resize may go on (to wait for its end, if it runs).
    if (resizers_waiting_ == 0) cv_.notify_all();
    return ready;
}

void detail::ResizeGate::unlock_resize() noexcept {
    std::lock_guard lock(mutex_);
    resizing_ = false;
    cv_.notify_all();
}

// ---- Environment ----

Environment::Environment(MDB_env* env, fs::path path, const EnvOptions& options)
    : env_(env), path_(std::move(path)), options_(options) {}

Environment::~Environment() {
    if (env_ != nullptr) mdb_env_close(env_);
}

Result<std::unique_ptr<Environment>> Environment::open(const fs::path& dir, const EnvOptions& options) {
    if (options.map_size == 0) return make_error(Errc::kInvalidArgument, "lmdb open {}: map_size is 0", dir.string());
    if (options.max_map_size != 0 && options.max_map_size < options.map_size) {
        return make_error(Errc::kInvalidArgument, "lmdb open {}: max_map_size {} is below map_size {}",
                          dir.string(), options.max_map_size, options.map_size);
    }
    std::error_code ec;
    if (!options.read_only) {
        fs::create_directories(dir, ec);
        if (ec) return make_error(Errc::kIo, "lmdb open {}: cannot create directory: {}", dir.string(), ec.message());
    } else if (!fs::exists(dir / "data.mdb", ec)) {
        return make_error(Errc::kNotFound, "lmdb open {}: no store there (read-only open)", dir.string());
    }

    MDB_env* raw = nullptr;
    int rc = mdb_env_create(&raw);
    if (rc != 0) return lmdb_error(rc, "env create");
    // Owned from here on, so every early return below closes it.
    std::unique_ptr<Environment> env(new Environment(raw, dir, options));

    rc = mdb_env_set_maxdbs(raw, options.max_tables + 1);  // + the meta table
    if (rc == 0) rc = mdb_env_set_maxreaders(raw, options.max_readers);
    if (rc == 0) rc = mdb_env_set_mapsize(raw, round_up_to_page(options.map_size));
    if (rc != 0) return lmdb_error(rc, "configure " + dir.string());

    // MDB_NOTLS: read transactions are not tied to a thread, so one thread may hold several and
    // a transaction may move to a worker thread.
    unsigned flags = MDB_NOTLS;
    if (options.read_only) flags |= MDB_RDONLY;
    if (options.no_sync) flags |= MDB_NOSYNC;
    if (options.no_read_ahead) flags |= MDB_NORDAHEAD;
    rc = mdb_env_open(raw, dir.c_str(), flags, static_cast<mdb_mode_t>(options.file_mode));
    if (rc != 0) return lmdb_error(rc, "open " + dir.string());
    // Free reader slots left behind by processes that died (a killed daemon, a crashed CLI):
    // a stale slot pins old pages and makes the file grow.
    int stale = 0;
    mdb_reader_check(raw, &stale);

    if (auto st = env->check_schema_version(); !st.ok()) return std::move(st).error();
    return env;
}

Status Environment::check_schema_version() {
    VENUS_TRY(Table meta, open_table_unchecked(kMetaTableName));
    const std::uint32_t expected = options_.schema_version;
    auto compare = [&](BytesView stored) -> Status {
        auto version = read_be32(stored);
        if (!version.ok()) {
            return make_error(Errc::kStorage, "lmdb store {}: unreadable schema version ({} bytes)",
                              path_.string(), stored.size());
        }
        if (*version != expected) {
            return make_error(Errc::kStorage,
                              "lmdb store {} has schema version {} but this build expects {}; "
                              "restore a matching backup or migrate the store",
                              path_.string(), *version, expected);
        }
        return {};
    };
    if (options_.read_only) {
        VENUS_TRY(ReadTxn txn, begin_read());
        VENUS_TRY(auto stored, txn.find(meta, as_bytes(kSchemaVersionKey)));
        if (!stored) return make_error(Errc::kStorage, "lmdb store {} has no schema version", path_.string());
        return compare(*stored);
    }
    // Read and first write in one write transaction, so two processes opening a fresh store
    // cannot both write.
    return write([&](WriteTxn& txn) -> Status {
        VENUS_TRY(auto stored, txn.find(meta, as_bytes(kSchemaVersionKey)));
        if (stored) return compare(*stored);
        const auto bytes = be32(expected);
        return txn.put(meta, as_bytes(kSchemaVersionKey), bytes);
    });
}

Result<Table> Environment::open_table(std::string_view name) {
    if (name == kMetaTableName) {
        return make_error(Errc::kInvalidArgument, "lmdb table name {} is reserved", name);
    }
    return open_table_unchecked(name);
}

Result<Table> Environment::open_table_unchecked(std::string_view name) {
    if (name.empty()) return make_error(Errc::kInvalidArgument, "lmdb table name is empty");
    std::lock_guard guard(tables_mutex_);
    const std::string key(name);
    if (auto it = tables_.find(key); it != tables_.end()) return it->second;

    MDB_dbi dbi = 0;
    if (options_.read_only) {
        VENUS_TRY(ReadTxn txn, begin_read());
        const int rc = mdb_dbi_open(txn.txn_, key.c_str(), 0, &dbi);
        if (rc == MDB_NOTFOUND) return make_error(Errc::kNotFound, "lmdb table {} does not exist", name);
        if (rc != 0) return lmdb_error(rc, "open table " + key);
        // Committing (rather than aborting) a read transaction keeps the new handle for others.
        const int crc = mdb_txn_commit(std::exchange(txn.txn_, nullptr));
        if (crc != 0) return lmdb_error(crc, "open table " + key);
    } else {
        VENUS_TRY(WriteTxn txn, begin_write());
        const int rc = mdb_dbi_open(txn.txn_, key.c_str(), MDB_CREATE, &dbi);
        if (rc != 0) return lmdb_error(rc, "open table " + key);
        VENUS_TRY_VOID(txn.commit());
    }
    Table table(dbi, key);
    tables_.emplace(key, table);
    return table;
}

std::size_t Environment::current_map_size() const noexcept {
    MDB_envinfo info{};
    mdb_env_info(env_, &info);
    return info.me_mapsize;
}

Status Environment::adopt_resized_map() {
    if (!gate_.lock_resize(options_.max_growth_wait)) {
        return make_error(Errc::kTimeout, "lmdb store {}: open transactions kept the map from being resized",
                          path_.string());
    }
    const int rc = mdb_env_set_mapsize(env_, 0);
    gate_.unlock_resize();
    if (rc != 0) return lmdb_error(rc, "adopt map size grown by another process");
    return {};
}

Result<ReadTxn> Environment::begin_read() {
    for (int attempt = 0; attempt < 2; ++attempt) {
        gate_.enter();
        MDB_txn* txn = nullptr;
        const int rc = mdb_txn_begin(env_, nullptr, MDB_RDONLY, &txn);
        if (rc == 0) return ReadTxn(txn, &gate_);
        gate_.leave();
        if (rc != MDB_MAP_RESIZED) return lmdb_error(rc, "begin read");
        VENUS_TRY_VOID(adopt_resized_map());
    }
    return make_error(Errc::kStorage, "lmdb begin read: map keeps being resized");
}

Result<WriteTxn> Environment::begin_write() {
    if (options_.read_only) return make_error(Errc::kPermissionDenied, "lmdb store {} is read-only", path_.string());
    for (int attempt = 0; attempt < 2; ++attempt) {
        gate_.enter();
        MDB_txn* txn = nullptr;
        const int rc = mdb_txn_begin(env_, nullptr, 0, &txn);
        if (rc == 0) return WriteTxn(txn, &gate_, current_map_size());
        gate_.leave();
        if (rc != MDB_MAP_RESIZED) return lmdb_error(rc, "begin write");
        VENUS_TRY_VOID(adopt_resized_map());
    }
    return make_error(Errc::kStorage, "lmdb begin write: map keeps being resized");
}

Status Environment::write(const std::function<Status(WriteTxn&)>& fn) {
    for (int growths = 0;; ++growths) {
        VENUS_TRY(WriteTxn txn, begin_write());
        Status st = fn(txn);
        if (st.ok() && txn.active()) st = txn.commit();
        if (st.ok() || !txn.map_full()) return st;
        if (growths == kMaxGrowthsPerWrite) {
            return st.error().wrap(fmt::format("lmdb write still full after {} map growths", growths));
        }
        const std::size_t observed = txn.map_size_;
        txn.abort();  // growth waits for every transaction, this one included
        VENUS_TRY_VOID(grow(observed));
    }
}

Status Environment::grow(std::size_t observed_map_size) {
    // Waits until no transaction of this process is active, as LMDB requires.
    if (!gate_.lock_resize(options_.max_growth_wait)) {
        return make_error(Errc::kTimeout,
                          "lmdb store {} is full and read transactions stayed open for {} ms, so the map "
                          "could not grow (does the writing thread hold a read transaction?)",
                          path_.string(), options_.max_growth_wait.count());
    }
    const Status st = grow_locked(observed_map_size);
    gate_.unlock_resize();
    return st;
}

Status Environment::grow_locked(std::size_t observed_map_size) {
    const std::size_t current = current_map_size();
    if (current > observed_map_size) return {};  // another writer grew it while we waited
    const std::size_t limit = options_.max_map_size;
    if (limit != 0 && current >= limit) {
        return make_error(Errc::kStorage, "lmdb store {} is full: map size {} reached max_map_size",
                          path_.string(), current);
    }
    std::size_t next = current > std::numeric_limits<std::size_t>::max() / 2 ? current : current * 2;
    if (limit != 0 && next > limit) next = limit;
    next = round_up_to_page(next);
    if (next <= current) return make_error(Errc::kStorage, "lmdb store {}: map cannot grow past {}", path_.string(), current);
    const int rc = mdb_env_set_mapsize(env_, next);
    if (rc != 0) return lmdb_error(rc, "grow map to " + std::to_string(next));
    ++growths_;
    return {};
}

Status Environment::copy_to(const fs::path& dest, bool compact) {
    std::error_code ec;
    if (!fs::exists(dest, ec)) {
        fs::create_directories(dest, ec);
        if (ec) return make_error(Errc::kIo, "lmdb copy: cannot create {}: {}", dest.string(), ec.message());
        // The copy holds everything the store holds; keep it private while it is written.
        fs::permissions(dest, fs::perms::owner_all, fs::perm_options::replace, ec);
    }
    if (fs::exists(dest / "data.mdb", ec)) {
        return make_error(Errc::kAlreadyExists, "lmdb copy: {} already holds a store", dest.string());
    }
    {
        // The copy runs in its own read transaction; the map must not move under it.
        GateScope scope(gate_);
        const int rc = mdb_env_copy2(env_, dest.c_str(), compact ? MDB_CP_COMPACT : 0);
        if (rc != 0) return lmdb_error(rc, "copy to " + dest.string());
    }
    fs::permissions(dest / "data.mdb", static_cast<fs::perms>(options_.file_mode), fs::perm_options::replace, ec);
    return {};
}

Result<EnvStat> Environment::stat() {
    GateScope scope(gate_);
    MDB_envinfo info{};
    MDB_stat st{};
    int rc = mdb_env_info(env_, &info);
    if (rc == 0) rc = mdb_env_stat(env_, &st);
    if (rc != 0) return lmdb_error(rc, "stat");
    EnvStat out;
    out.map_size = info.me_mapsize;
    out.page_size = st.ms_psize;
    out.used_pages = info.me_last_pgno + 1;
    out.used_bytes = out.used_pages * out.page_size;
    out.max_readers = info.me_maxreaders;
    out.reader_slots = info.me_numreaders;
    out.growths = growths_;
    return out;
}

Status Environment::sync() {
    const int rc = mdb_env_sync(env_, 1);
    if (rc != 0) return lmdb_error(rc, "sync");
    return {};
}

}  // namespace venus::storage::lmdb
