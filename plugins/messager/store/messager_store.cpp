// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "store/messager_store.hpp"

#include <fmt/format.h>

#include "venus/chain/json.hpp"

namespace venus::plugins::messager {

namespace {

// Portable DDL (rules at the top of venus/storage/sql.hpp). Released entries are never edited.
const storage::Migration kMigrations[] = {
    {1, "messages",
     {"CREATE TABLE messages (id VARCHAR(255) NOT NULL PRIMARY KEY, version BIGINT NOT NULL, "
      "from_addr VARCHAR(255) NOT NULL, nonce BIGINT NOT NULL, to_addr VARCHAR(255) NOT NULL, "
      "amount VARCHAR(255) NOT NULL, gas_limit BIGINT NOT NULL, gas_fee_cap VARCHAR(255) NOT NULL, "
      "gas_premium VARCHAR(255) NOT NULL, method BIGINT NOT NULL, params BLOB, signed_data BLOB, "
      "unsigned_cid VARCHAR(255) NOT NULL, signed_cid VARCHAR(255) NOT NULL, height BIGINT NOT NULL, "
      "receipt_exit_code BIGINT NOT NULL, receipt_return_value BLOB, receipt_gas_used BIGINT NOT NULL, "
      "tipset_key TEXT, meta_expire_epoch BIGINT NOT NULL, meta_gas_over_estimation DOUBLE NOT NULL, "
      "meta_max_fee VARCHAR(255) NOT NULL, meta_gas_over_premium DOUBLE NOT NULL, wallet_name VARCHAR(255) NOT NULL, "
      "state INTEGER NOT NULL, error_msg TEXT, is_deleted SMALLINT NOT NULL, created_at BIGINT NOT NULL, "
      "updated_at BIGINT NOT NULL)"}},
    {2, "messages: by sender and nonce", {"CREATE INDEX idx_from_nonce ON messages (from_addr, nonce)"}},
    {3, "messages: by sender, state, age", {"CREATE INDEX msg_from_state ON messages (from_addr, state, created_at)"}},
    {4, "messages: by unsigned cid", {"CREATE INDEX msg_unsigned_cid ON messages (unsigned_cid)"}},
    {5, "messages: by signed cid", {"CREATE INDEX msg_signed_cid ON messages (signed_cid)"}},
    // By height only (as the original's msg_height): filling a message leaves height alone, so the
    // selection's updates do not touch this index.
    {6, "messages: by height", {"CREATE INDEX msg_height ON messages (height)"}},
    {7, "addresses",
     {"CREATE TABLE addresses (id VARCHAR(64) NOT NULL PRIMARY KEY, addr VARCHAR(255) NOT NULL UNIQUE, "
      "nonce BIGINT NOT NULL, weight BIGINT NOT NULL, state INTEGER NOT NULL, sel_msg_num BIGINT NOT NULL, "
      "gas_over_estimation DOUBLE NOT NULL, max_fee VARCHAR(255) NOT NULL, gas_fee_cap VARCHAR(255) NOT NULL, "
      "gas_over_premium DOUBLE NOT NULL, base_fee VARCHAR(255) NOT NULL, is_deleted SMALLINT NOT NULL, "
      "created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)"}},
    {8, "shared params",
     {"CREATE TABLE shared_params (id INTEGER NOT NULL PRIMARY KEY, sel_msg_num BIGINT NOT NULL, "
      "gas_over_estimation DOUBLE NOT NULL, max_fee VARCHAR(255) NOT NULL, gas_fee_cap VARCHAR(255) NOT NULL, "
      "gas_over_premium DOUBLE NOT NULL, base_fee VARCHAR(255) NOT NULL)"}},
    {9, "nodes",
     {"CREATE TABLE nodes (id VARCHAR(64) NOT NULL PRIMARY KEY, name VARCHAR(255) NOT NULL UNIQUE, url TEXT NOT NULL, "
      "token TEXT NOT NULL, node_type INTEGER NOT NULL, is_deleted SMALLINT NOT NULL, created_at BIGINT NOT NULL, "
      "updated_at BIGINT NOT NULL)"}},
    {10, "actor config",
     {"CREATE TABLE actor_cfg (id VARCHAR(64) NOT NULL PRIMARY KEY, actor_v BIGINT NOT NULL, code VARCHAR(255) NOT NULL, "
      "method BIGINT NOT NULL, gas_over_estimation DOUBLE NOT NULL, max_fee VARCHAR(255) NOT NULL, "
      "gas_fee_cap VARCHAR(255) NOT NULL, gas_over_premium DOUBLE NOT NULL, base_fee VARCHAR(255) NOT NULL, "
      "created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, UNIQUE (code, method))"}},
};

constexpr const char* kMsgColumns =
    "id, version, from_addr, nonce, to_addr, amount, gas_limit, gas_fee_cap, gas_premium, method, params, "
    "signed_data, unsigned_cid, signed_cid, height, receipt_exit_code, receipt_return_value, receipt_gas_used, "
    "tipset_key, meta_expire_epoch, meta_gas_over_estimation, meta_max_fee, meta_gas_over_premium, wallet_name, "
    "state, error_msg, is_deleted, created_at, updated_at";

constexpr const char* kFeeColumns = "gas_over_estimation, max_fee, gas_fee_cap, gas_over_premium, base_fee";

std::string cid_text(const std::optional<chain::Cid>& c) { return c ? c->to_string() : std::string(); }

Result<chain::BigInt> big(std::string_view s, std::string_view column) {
    auto v = chain::BigInt::from_string(s.empty() ? "0" : s);
    if (!v) return v.error().wrap(fmt::format("column {}", column));
    return v;
}

Result<chain::Address> addr(std::string_view s, std::string_view column) {
    auto a = chain::Address::parse(s);
    if (!a) return a.error().wrap(fmt::format("column {}", column));
    return a;
}

Result<std::optional<chain::Cid>> opt_cid(std::string_view s) {
    if (s.empty()) return std::optional<chain::Cid>{};
    VENUS_TRY(auto c, chain::Cid::parse(s));
    return std::optional<chain::Cid>(std::move(c));
}

std::string signature_json(const std::optional<chain::Signature>& s) {
    return s ? chain::to_json_string(*s) : std::string();
}

Result<Message> read_message(const storage::SqlStatement& st) {
    Message m;
    m.id = st.column_text(0);
    m.msg.version = st.column_uint64(1);
    VENUS_TRY(m.msg.from, addr(st.column_text_view(2), "from_addr"));
    m.msg.nonce = st.column_uint64(3);
    VENUS_TRY(m.msg.to, addr(st.column_text_view(4), "to_addr"));
    VENUS_TRY(m.msg.value, big(st.column_text_view(5), "amount"));
    m.msg.gas_limit = st.column_int64(6);
    VENUS_TRY(m.msg.gas_fee_cap, big(st.column_text_view(7), "gas_fee_cap"));
    VENUS_TRY(m.msg.gas_premium, big(st.column_text_view(8), "gas_premium"));
    m.msg.method = st.column_uint64(9);
    m.msg.params = st.column_blob(10);
    if (auto sig = st.column_blob_view(11); !sig.empty()) {
        VENUS_TRY(auto s, chain::from_json_string<chain::Signature>(
                              std::string_view(reinterpret_cast<const char*>(sig.data()), sig.size())));
        m.signature = std::move(s);
    }
    VENUS_TRY(m.unsigned_cid, opt_cid(st.column_text_view(12)));
    VENUS_TRY(m.signed_cid, opt_cid(st.column_text_view(13)));
    m.height = st.column_int64(14);
    m.receipt.exit_code = st.column_int64(15);
    m.receipt.return_value = st.column_blob(16);
    m.receipt.gas_used = st.column_int64(17);
    m.tipset_key = st.column_is_null(18) ? std::string() : st.column_text(18);
    m.meta.expire_epoch = st.column_int64(19);
    m.meta.gas_over_estimation = st.column_double(20);
    VENUS_TRY(m.meta.max_fee, big(st.column_text_view(21), "meta_max_fee"));
    m.meta.gas_over_premium = st.column_double(22);
    m.wallet_name = st.column_text(23);
    m.state = static_cast<MsgState>(st.column_int64(24));
    m.error_msg = st.column_is_null(25) ? std::string() : st.column_text(25);
    m.created_at = st.column_int64(27);
    m.updated_at = st.column_int64(28);
    return m;
}

Status bind_fee(storage::SqlStatement& st, int first, const FeeSpec& f) {
    VENUS_TRY_VOID(st.bind(first, f.gas_over_estimation));
    VENUS_TRY_VOID(st.bind(first + 1, f.max_fee.to_string()));
    VENUS_TRY_VOID(st.bind(first + 2, f.gas_fee_cap.to_string()));
    VENUS_TRY_VOID(st.bind(first + 3, f.gas_over_premium));
    return st.bind(first + 4, f.base_fee.to_string());
}

Result<FeeSpec> read_fee(const storage::SqlStatement& st, int first) {
    FeeSpec f;
    f.gas_over_estimation = st.column_double(first);
    VENUS_TRY(f.max_fee, big(st.column_text_view(first + 1), "max_fee"));
    VENUS_TRY(f.gas_fee_cap, big(st.column_text_view(first + 2), "gas_fee_cap"));
    f.gas_over_premium = st.column_double(first + 3);
    VENUS_TRY(f.base_fee, big(st.column_text_view(first + 4), "base_fee"));
    return f;
}

const std::string kAddrSelect = std::string("SELECT id, addr, nonce, weight, state, sel_msg_num, ") + kFeeColumns +
                                ", is_deleted, created_at, updated_at FROM addresses";

Result<Address> read_address(const storage::SqlStatement& st) {
    Address a;
    a.id = st.column_text(0);
    VENUS_TRY(a.addr, addr(st.column_text_view(1), "addr"));
    a.nonce = st.column_uint64(2);
    a.weight = st.column_int64(3);
    a.state = static_cast<AddrState>(st.column_int64(4));
    a.sel_msg_num = st.column_uint64(5);
    VENUS_TRY(a.fee, read_fee(st, 6));
    a.is_deleted = st.column_int64(11) == 1;
    a.created_at = st.column_int64(12);
    a.updated_at = st.column_int64(13);
    return a;
}

const std::string kActorSelect =
    std::string("SELECT id, actor_v, code, method, ") + kFeeColumns + ", created_at, updated_at FROM actor_cfg";

Result<ActorCfg> read_actor_cfg(const storage::SqlStatement& st) {
    ActorCfg c;
    c.id = st.column_text(0);
    c.actor_version = st.column_int64(1);
    c.code = st.column_text(2);
    c.method = st.column_uint64(3);
    VENUS_TRY(c.fee, read_fee(st, 4));
    c.created_at = st.column_int64(9);
    c.updated_at = st.column_int64(10);
    return c;
}

const char* kNodeSelect = "SELECT id, name, url, token, node_type, created_at, updated_at FROM nodes WHERE is_deleted <> 1";

Node read_node(const storage::SqlStatement& st) {
    return Node{st.column_text(0), st.column_text(1), st.column_text(2), st.column_text(3),
                static_cast<int>(st.column_int64(4)), st.column_int64(5), st.column_int64(6)};
}

template <typename T, typename Read, typename... Args>
Result<std::vector<T>> rows(storage::SqlDatabase& db, std::string_view sql, Read read, const Args&... args) {
    VENUS_TRY(auto st, db.prepare(sql));
    VENUS_TRY_VOID(st.bind_all(args...));
    std::vector<T> out;
    while (true) {
        VENUS_TRY(bool row, st.step());
        if (!row) break;
        VENUS_TRY(auto v, read(st));
        out.push_back(std::move(v));
    }
    return out;
}

template <typename T>
std::optional<T> first(std::vector<T>&& v) {
    if (v.empty()) return std::nullopt;
    return std::move(v.front());
}

bool is_unique_violation(const Error& e) {
    return e.message.find("UNIQUE") != std::string::npos || e.message.find("Duplicate") != std::string::npos ||
           e.message.find("constraint") != std::string::npos;
}

}  // namespace

std::span<const storage::Migration> messager_migrations() { return kMigrations; }

Result<std::unique_ptr<MessagerStore>> MessagerStore::open(storage::SqlDatabase& db) {
    VENUS_TRY_VOID(storage::migrate(db, "messager", kMigrations));
    if (db.dialect() == storage::SqlDialect::kSqlite) {
        // A selection round updates rows in five indexes, two of them keyed by random CIDs: with
        // SQLite's default 2 MiB page cache such rounds are bound by page reads (measured: ~3x slower).
        // A round's transaction writes a few hundred pages: checkpointing (and its fsync) after
        // every 1000 pages, SQLite's default, would run after nearly every round.
        for (const char* pragma : {"PRAGMA cache_size = -65536", "PRAGMA wal_autocheckpoint = 8192", "PRAGMA mmap_size = 268435456"}) {
            VENUS_TRY(auto st, db.prepare(pragma));
            VENUS_TRY_VOID(st.step());
        }
    }
    std::unique_ptr<MessagerStore> s(new MessagerStore(db));
    // Seeded once with sophon-messager's defaults; later changes come from SetSharedParams only.
    VENUS_TRY(auto n, rows<std::int64_t>(db, "SELECT COUNT(*) FROM shared_params",
                                         [](const storage::SqlStatement& st) -> Result<std::int64_t> {
                                             return st.column_int64(0);
                                         }));
    if (n.front() == 0) VENUS_TRY_VOID(s->set_shared(SharedParams::defaults()));
    return s;
}

Status MessagerStore::ensure_address_locked(const std::string& a, std::int64_t now) {
    const std::string sql = storage::upsert_sql(
        db_.dialect(), {"addresses",
                        {"id", "addr", "nonce", "weight", "state", "sel_msg_num", "gas_over_estimation", "max_fee",
                         "gas_fee_cap", "gas_over_premium", "base_fee", "is_deleted", "created_at", "updated_at"},
                        {"addr"},
                        {}});
    VENUS_TRY(auto st, db_.prepare(sql));
    VENUS_TRY_VOID(st.bind_all("a-" + a, a, std::int64_t{0}, std::int64_t{0}, static_cast<std::int64_t>(AddrState::kAlive),
                               std::int64_t{0}, 0.0, "0", "0", 0.0, "0", std::int64_t{-1}, now, now));
    VENUS_TRY_VOID(st.execute());
    return {};
}

Status MessagerStore::insert_message(const Message& m) {
    std::lock_guard lock(mu_);
    return db_.transaction([&]() -> Status {
        VENUS_TRY_VOID(ensure_address_locked(m.msg.from.to_string(), m.created_at));
        VENUS_TRY(auto st, db_.prepare(fmt::format("INSERT INTO messages ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                                                   "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                                   kMsgColumns)));
        const auto sig = signature_json(m.signature);
        VENUS_TRY_VOID(st.bind_all(m.id, m.msg.version, m.msg.from.to_string(), m.msg.nonce, m.msg.to.to_string(),
                                   m.msg.value.to_string(), m.msg.gas_limit, m.msg.gas_fee_cap.to_string(),
                                   m.msg.gas_premium.to_string(), m.msg.method, BytesView(m.msg.params),
                                   BytesView(reinterpret_cast<const std::uint8_t*>(sig.data()), sig.size()),
                                   cid_text(m.unsigned_cid), cid_text(m.signed_cid), m.height, m.receipt.exit_code,
                                   BytesView(m.receipt.return_value), m.receipt.gas_used, m.tipset_key,
                                   m.meta.expire_epoch, m.meta.gas_over_estimation, m.meta.max_fee.to_string(),
                                   m.meta.gas_over_premium, m.wallet_name, static_cast<std::int64_t>(m.state),
                                   m.error_msg, std::int64_t{-1}, m.created_at, m.updated_at));
        auto r = st.execute();
        if (!r) {
            if (is_unique_violation(r.error())) {
                return make_error(Errc::kAlreadyExists, "message id {} already exists", m.id);
            }
            return r.error();
        }
        return {};
    });
}

Result<std::vector<Message>> MessagerStore::query_messages(const std::string& where,
                                                           const std::vector<std::string>& binds,
                                                           const std::string& tail) {
    VENUS_TRY(auto st, db_.prepare(fmt::format("SELECT {} FROM messages {} {}", kMsgColumns, where, tail)));
    for (std::size_t i = 0; i < binds.size(); ++i) VENUS_TRY_VOID(st.bind(static_cast<int>(i + 1), binds[i]));
    std::vector<Message> out;
    while (true) {
        VENUS_TRY(bool row, st.step());
        if (!row) break;
        VENUS_TRY(auto m, read_message(st));
        out.push_back(std::move(m));
    }
    return out;
}

Result<std::optional<Message>> MessagerStore::get_message(const std::string& id) {
    std::lock_guard lock(mu_);
    VENUS_TRY(auto v, query_messages("WHERE id = ?", {id}));
    return first(std::move(v));
}

Result<std::optional<Message>> MessagerStore::by_cid(const chain::Cid& cid, bool is_signed) {
    std::lock_guard lock(mu_);
    VENUS_TRY(auto v, query_messages(is_signed ? "WHERE signed_cid = ?" : "WHERE unsigned_cid = ?", {cid.to_string()},
                                     "ORDER BY updated_at DESC"));
    return first(std::move(v));
}

Result<std::optional<Message>> MessagerStore::by_from_nonce(const std::string& from, std::uint64_t nonce) {
    std::lock_guard lock(mu_);
    // Filled, on-chain or conflicting rows only: an UnFill row's nonce is a placeholder 0.
    VENUS_TRY(auto v, query_messages("WHERE from_addr = ? AND nonce = ? AND state IN (2, 3, 4, 5)",
                                     {from, std::to_string(nonce)}, "ORDER BY updated_at DESC"));
    return first(std::move(v));
}

Result<std::vector<Message>> MessagerStore::list(const MsgQuery& q) {
    std::lock_guard lock(mu_);
    std::string where = "WHERE is_deleted <> 1";
    std::vector<std::string> binds;
    if (!q.states.empty()) {
        where += " AND state IN (";
        for (std::size_t i = 0; i < q.states.size(); ++i) {
            where += fmt::format("{}{}", i ? ", " : "", static_cast<int>(q.states[i]));
        }
        where += ")";
    }
    if (!q.from.empty()) {
        where += " AND from_addr IN (";
        for (std::size_t i = 0; i < q.from.size(); ++i) {
            where += i ? ", ?" : "?";
            binds.push_back(q.from[i]);
        }
        where += ")";
    }
    if (q.created_before > 0) where += fmt::format(" AND created_at < {}", q.created_before);
    std::string tail = fmt::format("ORDER BY {} {}", q.by_update_at ? "updated_at" : "created_at", q.asc ? "ASC" : "DESC");
    if (q.limit > 0) tail += fmt::format(" LIMIT {} OFFSET {}", q.limit, std::max<std::int64_t>(q.offset, 0));
    return query_messages(where, binds, tail);
}

Result<std::vector<Message>> MessagerStore::unfilled(const std::string& from, std::size_t limit) {
    std::lock_guard lock(mu_);
    return query_messages("WHERE from_addr = ? AND state = 1", {from}, fmt::format("ORDER BY created_at DESC LIMIT {}", limit));
}

Result<std::vector<Message>> MessagerStore::filled(const std::string& from) {
    std::lock_guard lock(mu_);
    return query_messages("WHERE from_addr = ? AND state = 2", {from}, "ORDER BY nonce ASC");
}

Result<std::optional<std::uint64_t>> MessagerStore::max_used_nonce(const std::string& from) {
    std::lock_guard lock(mu_);
    for (const char* state : {"2", "3"}) {
        VENUS_TRY(auto v, rows<std::optional<std::int64_t>>(
                              db_, "SELECT MAX(nonce) FROM messages WHERE from_addr = ? AND state = ?",
                              [](const storage::SqlStatement& st) -> Result<std::optional<std::int64_t>> {
                                  return st.column<std::optional<std::int64_t>>(0);
                              },
                              from, std::string(state)));
        if (!v.empty() && v.front()) return std::optional<std::uint64_t>(static_cast<std::uint64_t>(*v.front()));
    }
    return std::optional<std::uint64_t>{};
}

Result<std::int64_t> MessagerStore::count_state(MsgState s) {
    std::lock_guard lock(mu_);
    VENUS_TRY(auto v, rows<std::int64_t>(db_, "SELECT COUNT(*) FROM messages WHERE state = ?",
                                         [](const storage::SqlStatement& st) -> Result<std::int64_t> {
                                             return st.column_int64(0);
                                         },
                                         static_cast<std::int64_t>(s)));
    return v.front();
}

Result<std::vector<std::pair<std::string, std::int64_t>>> MessagerStore::count_by_state() {
    std::lock_guard lock(mu_);
    return rows<std::pair<std::string, std::int64_t>>(
        db_, "SELECT state, COUNT(*) FROM messages GROUP BY state",
        [](const storage::SqlStatement& st) -> Result<std::pair<std::string, std::int64_t>> {
            return std::pair{std::string(to_string(static_cast<MsgState>(st.column_int64(0)))), st.column_int64(1)};
        });
}

Status MessagerStore::save_fill(const FillResult& r) {
    std::lock_guard lock(mu_);
    return db_.transaction([&] { return write_fill(r, now_us()); });
}

Result<std::vector<Status>> MessagerStore::save_fills(const std::vector<FillResult>& rounds) {
    std::lock_guard lock(mu_);
    const auto now = now_us();
    return db_.transaction([&]() -> Result<std::vector<Status>> {
        std::vector<Status> out;
        for (const auto& r : rounds) out.push_back(db_.transaction([&] { return write_fill(r, now); }));
        return out;
    });
}

// Inside a transaction (or savepoint) of the caller's, with mu_ held.
Status MessagerStore::write_fill(const FillResult& r, std::int64_t now) {
    VENUS_TRY(auto st, db_.prepare("UPDATE messages SET nonce = ?, gas_limit = ?, gas_fee_cap = ?, gas_premium = ?, "
                                   "signed_data = ?, unsigned_cid = ?, signed_cid = ?, state = 2, error_msg = '', "
                                   "updated_at = ? WHERE id = ? AND state = 1"));
    for (const auto& m : r.filled) {
        const auto sig = signature_json(m.signature);
        VENUS_TRY_VOID(st.bind_all(m.msg.nonce, m.msg.gas_limit, m.msg.gas_fee_cap.to_string(),
                                   m.msg.gas_premium.to_string(),
                                   BytesView(reinterpret_cast<const std::uint8_t*>(sig.data()), sig.size()),
                                   cid_text(m.unsigned_cid), cid_text(m.signed_cid), now, m.id));
        VENUS_TRY(auto n, st.execute());
        st.reset();
        if (n != 1) {
            return make_error(Errc::kAlreadyExists, "message {} left UnFillMsg during selection; round dropped", m.id);
        }
    }
    VENUS_TRY(auto err, db_.prepare("UPDATE messages SET error_msg = ?, updated_at = ? WHERE id = ? AND state = 1"));
    for (const auto& [id, e] : r.errors) {
        VENUS_TRY_VOID(err.bind_all(e, now, id));
        VENUS_TRY_VOID(err.execute());
        err.reset();
    }
    VENUS_TRY_VOID(db_.execute("UPDATE addresses SET nonce = ?, updated_at = ? WHERE addr = ?", r.next_nonce, now, r.addr));
    return {};
}

Status MessagerStore::set_errors(const std::vector<std::pair<std::string, std::string>>& errors) {
    if (errors.empty()) return {};
    std::lock_guard lock(mu_);
    const auto now = now_us();
    return db_.transaction([&]() -> Status {
        VENUS_TRY(auto err, db_.prepare("UPDATE messages SET error_msg = ?, updated_at = ? WHERE id = ?"));
        for (const auto& [id, e] : errors) {
            VENUS_TRY_VOID(err.bind_all(e.substr(0, 2048), now, id));
            VENUS_TRY_VOID(err.execute());
            err.reset();
        }
        return {};
    });
}

Result<MessagerStore::HeadResult> MessagerStore::apply_head(const std::vector<Reverted>& reverted_tipsets,
                                                            const std::vector<Landed>& landed,
                                                            const std::function<bool(const std::string&)>& is_active) {
    std::lock_guard lock(mu_);
    const auto now = now_us();
    return db_.transaction([&]() -> Result<HeadResult> {
        HeadResult out;
        for (const auto& [height, tsk] : reverted_tipsets) {
            VENUS_TRY(auto n, db_.execute("UPDATE messages SET state = 2, receipt_exit_code = -1, receipt_gas_used = 0, "
                                          "receipt_return_value = NULL, height = 0, tipset_key = '', updated_at = ? "
                                          "WHERE height = ? AND tipset_key = ? AND state IN (3, 5)",
                                          now, height, tsk));
            out.reverted += static_cast<std::size_t>(n);
        }
        VENUS_TRY(auto find, db_.prepare("SELECT id, signed_cid, unsigned_cid FROM messages WHERE from_addr = ? AND "
                                         "nonce = ? AND state = 2"));
        VENUS_TRY(auto set, db_.prepare("UPDATE messages SET state = ?, receipt_exit_code = ?, receipt_return_value = ?, "
                                        "receipt_gas_used = ?, height = ?, tipset_key = ?, updated_at = ? WHERE id = ?"));
        for (const auto& l : landed) {
            if (!is_active(l.from)) continue;
            VENUS_TRY_VOID(find.bind_all(l.from, l.nonce));
            std::vector<std::pair<std::string, bool>> hits;
            const auto cid = l.cid.to_string();
            while (true) {
                VENUS_TRY(bool row, find.step());
                if (!row) break;
                hits.emplace_back(find.column_text(0), find.column_text_view(1) == cid || find.column_text_view(2) == cid);
            }
            find.reset();
            for (const auto& [id, same] : hits) {
                const auto state = same ? MsgState::kOnChain : MsgState::kNonceConflict;
                VENUS_TRY_VOID(set.bind_all(static_cast<std::int64_t>(state), l.receipt.exit_code,
                                            BytesView(l.receipt.return_value), l.receipt.gas_used, l.height,
                                            l.tipset_key, now, id));
                VENUS_TRY_VOID(set.execute());
                set.reset();
                if (same) {
                    out.on_chain_ids.push_back(id);
                } else {
                    ++out.conflicts;
                }
            }
        }
        return out;
    });
}

Result<std::vector<std::pair<std::int64_t, std::string>>> MessagerStore::landed_tipsets(std::int64_t min_height) {
    std::lock_guard lock(mu_);
    return rows<std::pair<std::int64_t, std::string>>(
        db_, "SELECT DISTINCT height, tipset_key FROM messages WHERE height >= ? AND state IN (3, 5)",
        [](const storage::SqlStatement& st) -> Result<std::pair<std::int64_t, std::string>> {
            return std::pair{st.column_int64(0), st.column_is_null(1) ? std::string() : st.column_text(1)};
        },
        min_height);
}

Status MessagerStore::set_landed(const std::string& id, MsgState state, const Receipt& r, std::int64_t height,
                                 const std::string& tipset_key) {
    std::lock_guard lock(mu_);
    VENUS_TRY_VOID(db_.execute("UPDATE messages SET state = ?, receipt_exit_code = ?, receipt_return_value = ?, "
                               "receipt_gas_used = ?, height = ?, tipset_key = ?, updated_at = ? WHERE id = ? AND state = 2",
                               static_cast<std::int64_t>(state), r.exit_code, BytesView(r.return_value), r.gas_used,
                               height, tipset_key, now_us(), id));
    return {};
}

Result<bool> MessagerStore::set_state(const std::string& id, MsgState s) {
    std::lock_guard lock(mu_);
    VENUS_TRY(auto n, db_.execute("UPDATE messages SET state = ?, updated_at = ? WHERE id = ?",
                                  static_cast<std::int64_t>(s), now_us(), id));
    return n > 0;
}

Result<bool> MessagerStore::replace_signed(const Message& m) {
    std::lock_guard lock(mu_);
    const auto sig = signature_json(m.signature);
    VENUS_TRY(auto n, db_.execute("UPDATE messages SET gas_limit = ?, gas_fee_cap = ?, gas_premium = ?, signed_data = ?, "
                                  "unsigned_cid = ?, signed_cid = ?, error_msg = '', updated_at = ? WHERE id = ? AND "
                                  "state = 2",
                                  m.msg.gas_limit, m.msg.gas_fee_cap.to_string(), m.msg.gas_premium.to_string(),
                                  BytesView(reinterpret_cast<const std::uint8_t*>(sig.data()), sig.size()),
                                  cid_text(m.unsigned_cid), cid_text(m.signed_cid), now_us(), m.id));
    return n > 0;
}

Result<std::int64_t> MessagerStore::fail_unfilled(const std::string& from) {
    std::lock_guard lock(mu_);
    return db_.execute("UPDATE messages SET state = 4, updated_at = ? WHERE from_addr = ? AND state = 1", now_us(), from);
}

Result<std::vector<std::string>> MessagerStore::recover_failed(const std::string& from, std::uint64_t min_nonce) {
    std::lock_guard lock(mu_);
    return db_.transaction([&]() -> Result<std::vector<std::string>> {
        VENUS_TRY(auto ids, rows<std::string>(
                                db_, "SELECT id FROM messages WHERE from_addr = ? AND state = 4 AND signed_cid <> '' AND nonce >= ?",
                                [](const storage::SqlStatement& st) -> Result<std::string> { return st.column_text(0); },
                                from, min_nonce));
        for (const auto& id : ids) {
            VENUS_TRY_VOID(db_.execute("UPDATE messages SET state = 2, updated_at = ? WHERE id = ?", now_us(), id));
        }
        return ids;
    });
}

Result<std::optional<Address>> MessagerStore::get_address(const std::string& a) {
    std::lock_guard lock(mu_);
    VENUS_TRY(auto v, rows<Address>(db_, kAddrSelect + " WHERE addr = ?", read_address, a));
    return first(std::move(v));
}

Result<std::vector<Address>> MessagerStore::list_addresses() {
    std::lock_guard lock(mu_);
    return rows<Address>(db_, kAddrSelect + " ORDER BY addr", read_address);
}

Status MessagerStore::set_nonce(const std::string& a, std::uint64_t nonce) {
    std::lock_guard lock(mu_);
    VENUS_TRY_VOID(db_.execute("UPDATE addresses SET nonce = ?, updated_at = ? WHERE addr = ?", nonce, now_us(), a));
    return {};
}

Result<bool> MessagerStore::set_address_state(const std::string& a, AddrState s) {
    std::lock_guard lock(mu_);
    VENUS_TRY(auto n, db_.execute("UPDATE addresses SET state = ?, updated_at = ? WHERE addr = ?",
                                  static_cast<std::int64_t>(s), now_us(), a));
    return n > 0;
}

Result<bool> MessagerStore::set_sel_msg_num(const std::string& a, std::uint64_t num) {
    std::lock_guard lock(mu_);
    VENUS_TRY(auto n, db_.execute("UPDATE addresses SET sel_msg_num = ?, updated_at = ? WHERE addr = ?", num, now_us(), a));
    return n > 0;
}

Result<bool> MessagerStore::set_address_fee(const std::string& a, const FeeSpec& f) {
    std::lock_guard lock(mu_);
    VENUS_TRY(auto st, db_.prepare("UPDATE addresses SET gas_over_estimation = ?, max_fee = ?, gas_fee_cap = ?, "
                                   "gas_over_premium = ?, base_fee = ?, updated_at = ? WHERE addr = ?"));
    VENUS_TRY_VOID(bind_fee(st, 1, f));
    VENUS_TRY_VOID(st.bind(6, now_us()));
    VENUS_TRY_VOID(st.bind(7, a));
    VENUS_TRY(auto n, st.execute());
    return n > 0;
}

Result<bool> MessagerStore::delete_address(const std::string& a) {
    std::lock_guard lock(mu_);
    VENUS_TRY(auto n, db_.execute("DELETE FROM addresses WHERE addr = ?", a));
    return n > 0;
}

Result<SharedParams> MessagerStore::shared() {
    std::lock_guard lock(mu_);
    VENUS_TRY(auto v, rows<SharedParams>(db_, std::string("SELECT sel_msg_num, ") + kFeeColumns + " FROM shared_params WHERE id = 1",
                                         [](const storage::SqlStatement& st) -> Result<SharedParams> {
                                             SharedParams p;
                                             p.sel_msg_num = st.column_uint64(0);
                                             VENUS_TRY(p.fee, read_fee(st, 1));
                                             return p;
                                         }));
    if (v.empty()) return SharedParams::defaults();
    return v.front();
}

Status MessagerStore::set_shared(const SharedParams& p) {
    std::lock_guard lock(mu_);
    const auto sql = storage::upsert_sql(db_.dialect(), {"shared_params",
                                                         {"id", "sel_msg_num", "gas_over_estimation", "max_fee",
                                                          "gas_fee_cap", "gas_over_premium", "base_fee"},
                                                         {"id"},
                                                         {"sel_msg_num", "gas_over_estimation", "max_fee", "gas_fee_cap",
                                                          "gas_over_premium", "base_fee"}});
    VENUS_TRY(auto st, db_.prepare(sql));
    VENUS_TRY_VOID(st.bind(1, std::int64_t{1}));
    VENUS_TRY_VOID(st.bind(2, p.sel_msg_num));
    VENUS_TRY_VOID(bind_fee(st, 3, p.fee));
    VENUS_TRY_VOID(st.execute());
    return {};
}

Status MessagerStore::save_node(const Node& n) {
    std::lock_guard lock(mu_);
    return db_.transaction([&]() -> Status {
        // A soft-deleted row of the same name is replaced: names are unique among live nodes.
        VENUS_TRY_VOID(db_.execute("DELETE FROM nodes WHERE name = ? AND is_deleted = 1", n.name));
        auto r = db_.execute("INSERT INTO nodes (id, name, url, token, node_type, is_deleted, created_at, updated_at) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                             n.id, n.name, n.url, n.token, static_cast<std::int64_t>(n.node_type), std::int64_t{-1},
                             n.created_at, n.updated_at);
        if (!r) {
            if (is_unique_violation(r.error())) return make_error(Errc::kAlreadyExists, "node {} already exists", n.name);
            return r.error();
        }
        return {};
    });
}

Result<std::optional<Node>> MessagerStore::get_node(const std::string& name) {
    std::lock_guard lock(mu_);
    VENUS_TRY(auto v, rows<Node>(db_, std::string(kNodeSelect) + " AND name = ?",
                                 [](const storage::SqlStatement& st) -> Result<Node> { return read_node(st); }, name));
    return first(std::move(v));
}

Result<std::vector<Node>> MessagerStore::list_nodes() {
    std::lock_guard lock(mu_);
    return rows<Node>(db_, std::string(kNodeSelect) + " ORDER BY name",
                      [](const storage::SqlStatement& st) -> Result<Node> { return read_node(st); });
}

Result<bool> MessagerStore::delete_node(const std::string& name) {
    std::lock_guard lock(mu_);
    VENUS_TRY(auto n, db_.execute("UPDATE nodes SET is_deleted = 1, updated_at = ? WHERE name = ? AND is_deleted <> 1",
                                  now_us(), name));
    return n > 0;
}

Status MessagerStore::save_actor_cfg(const ActorCfg& c) {
    std::lock_guard lock(mu_);
    VENUS_TRY(auto st, db_.prepare(std::string("INSERT INTO actor_cfg (id, actor_v, code, method, ") + kFeeColumns +
                                   ", created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    VENUS_TRY_VOID(st.bind_all(c.id, c.actor_version, c.code, c.method));
    VENUS_TRY_VOID(bind_fee(st, 5, c.fee));
    VENUS_TRY_VOID(st.bind(10, c.created_at));
    VENUS_TRY_VOID(st.bind(11, c.updated_at));
    auto r = st.execute();
    if (!r) {
        if (is_unique_violation(r.error())) {
            return make_error(Errc::kAlreadyExists, "actor config for code {} method {} already exists", c.code, c.method);
        }
        return r.error();
    }
    return {};
}

Result<std::optional<ActorCfg>> MessagerStore::get_actor_cfg(const std::string& id) {
    std::lock_guard lock(mu_);
    VENUS_TRY(auto v, rows<ActorCfg>(db_, kActorSelect + " WHERE id = ?", read_actor_cfg, id));
    return first(std::move(v));
}

Result<std::vector<ActorCfg>> MessagerStore::list_actor_cfg() {
    std::lock_guard lock(mu_);
    return rows<ActorCfg>(db_, kActorSelect + " ORDER BY code, method", read_actor_cfg);
}

Result<bool> MessagerStore::update_actor_cfg(const std::string& id, const FeeSpec& f) {
    std::lock_guard lock(mu_);
    VENUS_TRY(auto st, db_.prepare("UPDATE actor_cfg SET gas_over_estimation = ?, max_fee = ?, gas_fee_cap = ?, "
                                   "gas_over_premium = ?, base_fee = ?, updated_at = ? WHERE id = ?"));
    VENUS_TRY_VOID(bind_fee(st, 1, f));
    VENUS_TRY_VOID(st.bind(6, now_us()));
    VENUS_TRY_VOID(st.bind(7, id));
    VENUS_TRY(auto n, st.execute());
    return n > 0;
}

}  // namespace venus::plugins::messager
