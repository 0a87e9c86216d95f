// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "venus/app/stores.hpp"

#include "venus/storage/sqlite.hpp"

namespace venus::app {

Result<storage::SqlDatabase*> Stores::sql(const std::string& name) {
    std::lock_guard lock(mu_);
    if (auto it = sql_.find(name); it != sql_.end()) return it->second.get();
    auto db = storage::sqlite::open(repo_ / (name + ".db"));
    if (!db) return db.error().wrap("opening " + (repo_ / (name + ".db")).string());
    auto* raw = db->get();
    sql_.emplace(name, std::move(*db));
    return raw;
}

Result<storage::lmdb::Environment*> Stores::lmdb(const std::string& name, const storage::lmdb::EnvOptions& options) {
    std::lock_guard lock(mu_);
    if (auto it = lmdb_.find(name); it != lmdb_.end()) return it->second.get();
    auto env = storage::lmdb::Environment::open(repo_ / name, options);
    if (!env) return env.error().wrap("opening " + (repo_ / name).string());
    auto* raw = env->get();
    lmdb_.emplace(name, std::move(*env));
    return raw;
}

storage::lmdb::Environment* Stores::open_lmdb(const std::string& name) {
    std::lock_guard lock(mu_);
    auto it = lmdb_.find(name);
    return it == lmdb_.end() ? nullptr : it->second.get();
}

void Stores::close_all() {
    std::lock_guard lock(mu_);
    sql_.clear();
    lmdb_.clear();
}

}  // namespace venus::app
