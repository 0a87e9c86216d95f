// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "venus/chain/blockstore.hpp"
#include "venus/storage/lmdb.hpp"

namespace venus::chain {

namespace lmdb = storage::lmdb;

struct LmdbBlockstore::Impl {
    lmdb::Environment& env;
    lmdb::Table table;
};

LmdbBlockstore::LmdbBlockstore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LmdbBlockstore::~LmdbBlockstore() = default;

Result<std::unique_ptr<LmdbBlockstore>> LmdbBlockstore::open(lmdb::Environment& env, std::string_view table) {
    VENUS_TRY(lmdb::Table t, env.open_table(table));
    return std::unique_ptr<LmdbBlockstore>(new LmdbBlockstore(std::make_unique<Impl>(Impl{env, t})));
}

Result<bool> LmdbBlockstore::has(const Cid& cid) {
    VENUS_TRY(lmdb::ReadTxn txn, impl_->env.begin_read());
    return txn.has(impl_->table, cid.bytes());
}

Result<Bytes> LmdbBlockstore::get(const Cid& cid) {
    VENUS_TRY(lmdb::ReadTxn txn, impl_->env.begin_read());
    VENUS_TRY(auto v, txn.find(impl_->table, cid.bytes()));
    if (!v) return make_error(Errc::kNotFound, "block {} not found", cid.to_string());
    return Bytes(v->begin(), v->end());  // copy out: the view dies with the transaction
}

Status LmdbBlockstore::put(const Cid& cid, BytesView data) {
    return impl_->env.write([&](lmdb::WriteTxn& txn) { return txn.put(impl_->table, cid.bytes(), data); });
}

Status LmdbBlockstore::put_many(std::span<const Block> blocks) {
    if (blocks.empty()) return {};
    return impl_->env.write([&](lmdb::WriteTxn& txn) -> Status {
        for (const auto& b : blocks) VENUS_TRY_VOID(txn.put(impl_->table, b.cid.bytes(), b.data));
        return {};
    });
}

Status LmdbBlockstore::remove(const Cid& cid) {
    return impl_->env.write([&](lmdb::WriteTxn& txn) -> Status {
        VENUS_TRY(bool existed, txn.del(impl_->table, cid.bytes()));
        (void)existed;
        return {};
    });
}

}  // namespace venus::chain
