// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The stores of a repo, opened on first request by the modules that need them and closed by the
//! application after every module is destroyed (shutdown phase 2). A module that is not enabled never
//! asks, so its store is never opened.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "venus/core/result.hpp"
#include "venus/storage/lmdb.hpp"
#include "venus/storage/sql.hpp"

namespace venus::app {

class Stores {
  public:
    explicit Stores(std::filesystem::path repo) : repo_(std::move(repo)) {}
    ~Stores() { close_all(); }
    Stores(const Stores&) = delete;
    Stores& operator=(const Stores&) = delete;

    //! repo/<name>.db (SQLite, WAL), one writer connection shared by the modules that use it.
    Result<storage::SqlDatabase*> sql(const std::string& name);
    //! repo/<name>/ (LMDB). `options` apply on first open only.
    Result<storage::lmdb::Environment*> lmdb(const std::string& name, const storage::lmdb::EnvOptions& options = {});
    //! The LMDB store `name` when this process has it open, else nullptr (never opens it): an
    //! online backup must copy an open store through its own environment.
    storage::lmdb::Environment* open_lmdb(const std::string& name);
    //! Closes SQLite databases, then LMDB environments.
    void close_all();

  private:
    std::filesystem::path repo_;
    std::mutex mu_;
    std::map<std::string, std::unique_ptr<storage::SqlDatabase>> sql_;
    std::map<std::string, std::unique_ptr<storage::lmdb::Environment>> lmdb_;
};

}  // namespace venus::app
