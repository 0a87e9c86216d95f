// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "store/miner_store.hpp"

#include <chrono>

#include "venus/core/bytes.hpp"
#include "venus/crypto/hash.hpp"

namespace venus::plugins::miner {

namespace {
// Portable DDL (rules at the top of venus/storage/sql.hpp). Released entries are never edited.
const storage::Migration kMigrations[] = {
    {1, "miner blocks (slash filter and mining stages)",
     {"CREATE TABLE miner_blocks (epoch BIGINT NOT NULL, miner VARCHAR(128) NOT NULL, parent_epoch BIGINT NOT NULL, "
      "parent_key TEXT NOT NULL, parent_hash VARCHAR(64) NOT NULL, cid VARCHAR(255) NOT NULL, "
      "winning_at BIGINT NOT NULL, mine_state SMALLINT NOT NULL, consuming BIGINT NOT NULL, "
      "update_time BIGINT NOT NULL, PRIMARY KEY (epoch, miner))"}},
    {2, "miner blocks: by parents", {"CREATE INDEX miner_blocks_parents_idx ON miner_blocks (miner, parent_hash)"}},
};

constexpr const char* kColumns = "miner, epoch, parent_epoch, parent_key, cid, winning_at, mine_state, consuming";

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string parent_hash(const chain::TipSetKey& k) {
    const auto b = k.bytes();
    const auto h = crypto::sha256(b);
    return to_hex(BytesView(h.data(), h.size()));
}

MinedBlock read_block(const storage::SqlStatement& st) {
    MinedBlock b;
    b.miner = st.column_text(0);
    b.epoch = st.column_int64(1);
    b.parent_epoch = st.column_int64(2);
    b.parent_key = st.column_text(3);
    b.cid = st.column_text(4);
    b.winning_at = st.column_int64(5);
    b.state = static_cast<MineState>(st.column_int64(6));
    b.consuming = st.column_int64(7);
    return b;
}

template <typename... Args>
Result<std::vector<MinedBlock>> query(storage::SqlDatabase& db, std::string_view sql, const Args&... args) {
    VENUS_TRY(auto st, db.prepare(sql));
    VENUS_TRY_VOID(st.bind_all(args...));
    std::vector<MinedBlock> out;
    while (true) {
        VENUS_TRY(bool row, st.step());
        if (!row) break;
        out.push_back(read_block(st));
    }
    return out;
}

// The fault checks ask through a const interface without errors; a failed query is kept and
// turned into the check's error, so the filter fails closed.
class SqlHistory final : public consensus::MinedHistory {
  public:
    explicit SqlHistory(storage::SqlDatabase& db) : db_(db) {}
    std::optional<chain::Cid> by_epoch(const chain::Address& miner, chain::ChainEpoch epoch) const override {
        return first(query(db_, "SELECT cid FROM miner_blocks WHERE miner = ? AND epoch = ? AND cid <> ''",
                           miner.to_string(), epoch));
    }
    std::optional<chain::Cid> by_parents(const chain::Address& miner, const chain::TipSetKey& parents) const override {
        return first(query(db_, "SELECT cid FROM miner_blocks WHERE miner = ? AND parent_hash = ? AND cid <> ''",
                           miner.to_string(), parent_hash(parents)));
    }
    mutable std::optional<Error> error;

  private:
    template <typename... Args>
    static Result<std::vector<std::string>> query(storage::SqlDatabase& db, std::string_view sql, const Args&... args) {
        VENUS_TRY(auto st, db.prepare(sql));
        VENUS_TRY_VOID(st.bind_all(args...));
        std::vector<std::string> out;
        while (true) {
            VENUS_TRY(bool row, st.step());
            if (!row) break;
            out.push_back(st.column_text(0));
        }
        return out;
    }
    std::optional<chain::Cid> first(Result<std::vector<std::string>> r) const {
        if (!r) {
            error = r.error();
            return std::nullopt;
        }
        if (r->empty()) return std::nullopt;
        auto cid = chain::Cid::parse(r->front());
        if (!cid) {
            error = cid.error().wrap("miner_blocks: bad cid");
            return std::nullopt;
        }
        return *cid;
    }
    storage::SqlDatabase& db_;
};

}  // namespace

std::string_view to_string(MineState s) {
    switch (s) {
        case MineState::kMining: return "Mining";
        case MineState::kSuccess: return "Success";
        case MineState::kTimeout: return "Timeout";
        case MineState::kChainForked: return "ChainForked";
        case MineState::kError: return "Error";
    }
    return "Unknown";
}

std::span<const storage::Migration> miner_migrations() { return kMigrations; }

Result<std::unique_ptr<MinerStore>> MinerStore::open(storage::SqlDatabase& db) {
    VENUS_TRY_VOID(storage::migrate(db, "miner", miner_migrations()));
    return std::unique_ptr<MinerStore>(new MinerStore(db));
}

Status MinerStore::record_stage(const chain::Address& miner, chain::ChainEpoch epoch, chain::ChainEpoch parent_epoch,
                                const chain::TipSetKey& parents, MineState state, std::int64_t consuming_ms) {
    std::lock_guard lock(mu_);
    const auto m = miner.to_string();
    const auto now = now_ms();
    if (state == MineState::kTimeout) {
        VENUS_TRY_VOID(db_.execute("UPDATE miner_blocks SET mine_state = ?, consuming = ?, update_time = ? "
                                   "WHERE epoch = ? AND miner = ?",
                                   static_cast<std::int64_t>(state), consuming_ms, now, epoch, m));
        return {};
    }
    return db_.transaction([&]() -> Status {
        VENUS_TRY(auto n, db_.execute("UPDATE miner_blocks SET mine_state = ?, consuming = ?, update_time = ? "
                                      "WHERE epoch = ? AND miner = ?",
                                      static_cast<std::int64_t>(state), consuming_ms, now, epoch, m));
        if (n > 0) return {};
        VENUS_TRY_VOID(db_.execute("INSERT INTO miner_blocks (epoch, miner, parent_epoch, parent_key, parent_hash, cid, "
                                   "winning_at, mine_state, consuming, update_time) VALUES (?, ?, ?, ?, ?, '', ?, ?, ?, ?)",
                                   epoch, m, parent_epoch, to_hex(parents.bytes()), parent_hash(parents), now,
                                   static_cast<std::int64_t>(state), consuming_ms, now));
        return {};
    });
}

Result<consensus::FaultCheck> MinerStore::check_and_record(const chain::BlockHeader& header,
                                                          chain::ChainEpoch parent_epoch) {
    std::lock_guard lock(mu_);
    VENUS_TRY(auto cid, header.cid());
    const chain::TipSetKey parents(header.parents);
    return db_.transaction([&]() -> Result<consensus::FaultCheck> {
        SqlHistory history(db_);
        VENUS_TRY(auto check, consensus::check_consensus_fault(history, header, parent_epoch));
        if (history.error) return history.error->wrap("slash filter");
        if (check.faulty()) return check;
        const auto m = header.miner.to_string();
        const auto now = now_ms();
        VENUS_TRY(auto n, db_.execute("UPDATE miner_blocks SET cid = ?, parent_epoch = ?, parent_key = ?, parent_hash = ?, "
                                      "update_time = ? WHERE epoch = ? AND miner = ?",
                                      cid.to_string(), parent_epoch, to_hex(parents.bytes()), parent_hash(parents), now,
                                      header.height, m));
        if (n == 0) {
            VENUS_TRY_VOID(db_.execute("INSERT INTO miner_blocks (epoch, miner, parent_epoch, parent_key, parent_hash, "
                                       "cid, winning_at, mine_state, consuming, update_time) "
                                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?)",
                                       header.height, m, parent_epoch, to_hex(parents.bytes()), parent_hash(parents),
                                       cid.to_string(), now, static_cast<std::int64_t>(MineState::kMining), now));
        }
        return check;
    });
}

Result<bool> MinerStore::has_block(const chain::Address& miner, chain::ChainEpoch epoch) {
    std::lock_guard lock(mu_);
    VENUS_TRY(auto rows, query(db_, std::string("SELECT ") + kColumns +
                                        " FROM miner_blocks WHERE miner = ? AND epoch = ? AND cid <> ''",
                               miner.to_string(), epoch));
    return !rows.empty();
}

Result<std::vector<MinedBlock>> MinerStore::list_blocks(const std::vector<std::string>& miners, std::int64_t limit,
                                                        std::int64_t offset) {
    std::lock_guard lock(mu_);
    std::string sql = std::string("SELECT ") + kColumns + " FROM miner_blocks";
    if (!miners.empty()) {
        sql += " WHERE miner IN (";
        for (std::size_t i = 0; i < miners.size(); ++i) sql += i ? ", ?" : "?";
        sql += ")";
    }
    sql += " ORDER BY epoch DESC, miner LIMIT ? OFFSET ?";
    VENUS_TRY(auto st, db_.prepare(sql));
    int i = 1;
    for (const auto& m : miners) VENUS_TRY_VOID(st.bind(i++, m));
    VENUS_TRY_VOID(st.bind(i++, limit <= 0 ? std::int64_t{1} << 62 : limit));
    VENUS_TRY_VOID(st.bind(i++, offset < 0 ? std::int64_t{0} : offset));
    std::vector<MinedBlock> out;
    while (true) {
        VENUS_TRY(bool row, st.step());
        if (!row) break;
        out.push_back(read_block(st));
    }
    return out;
}

Result<std::optional<MinedBlock>> MinerStore::get(const chain::Address& miner, chain::ChainEpoch epoch) {
    std::lock_guard lock(mu_);
    VENUS_TRY(auto rows, query(db_, std::string("SELECT ") + kColumns + " FROM miner_blocks WHERE miner = ? AND epoch = ?",
                               miner.to_string(), epoch));
    if (rows.empty()) return std::optional<MinedBlock>{};
    return std::optional<MinedBlock>(std::move(rows.front()));
}

}  // namespace venus::plugins::miner
