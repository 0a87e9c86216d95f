// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The wallet's keys: one file per address under <repo>/wallet/ (mode 0600, written atomically).
//! Without a passphrase a file is the Lotus KeyInfo JSON; with one it is sealed with AES-256-GCM under
//! a scrypt-derived key (a fresh salt and nonce per file). Keys are decrypted once at open and kept
//! in memory, so signing never pays for scrypt. Thread-safe.
#pragma once

#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "venus/chain/keys.hpp"
#include "venus/core/result.hpp"

namespace venus::plugins::wallet {

class Keystore {
  public:
    //! Loads every key in `dir` (created if missing). A sealed file without the passphrase, or
    //! with a wrong one, is an error: the wallet must not run with part of its keys.
    static Result<std::unique_ptr<Keystore>> open(std::filesystem::path dir, std::optional<std::string> passphrase);

    std::vector<chain::Address> list() const;
    bool has(const chain::Address& a) const;
    Result<chain::KeyInfo> get(const chain::Address& a) const;
    //! Stores a key; returns its address (an existing identical key is not an error).
    Result<chain::Address> put(const chain::KeyInfo& key);
    Status remove(const chain::Address& a);
    std::optional<chain::Address> default_address() const;
    Status set_default(const chain::Address& a);
    bool encrypted() const { return passphrase_.has_value(); }

    //! The at-rest forms, exposed for tests.
    static Result<std::string> seal(const chain::KeyInfo& key, const std::string& passphrase);
    static Result<chain::KeyInfo> unseal(std::string_view text, const std::optional<std::string>& passphrase);

  private:
    Keystore(std::filesystem::path dir, std::optional<std::string> passphrase)
        : dir_(std::move(dir)), passphrase_(std::move(passphrase)) {}
    std::filesystem::path file_of(const chain::Address& a) const;

    std::filesystem::path dir_;
    std::optional<std::string> passphrase_;
    mutable std::mutex mu_;
    std::map<chain::Address, chain::KeyInfo> keys_;
    std::optional<chain::Address> default_;
};

}  // namespace venus::plugins::wallet
