// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Content-addressed block storage: CID → block bytes. The store does not re-hash what it is given
//! (callers compute CIDs as they encode); `put_cbor` is the convenient, hashing entry point.
#pragma once

#include <memory>
#include <mutex>
#include <span>
#include <unordered_map>
#include <utility>

#include "venus/codec/cid.hpp"
#include "venus/core/bytes.hpp"
#include "venus/core/result.hpp"

namespace venus::storage::lmdb {
class Environment;
}

namespace venus::chain {

using codec::Cid;

struct Block {
    Cid cid;
    Bytes data;
};

class Blockstore {
  public:
    virtual ~Blockstore() = default;
    virtual Result<bool> has(const Cid& cid) = 0;
    //! The block's bytes, or Errc::kNotFound.
    virtual Result<Bytes> get(const Cid& cid) = 0;
    virtual Status put(const Cid& cid, BytesView data) = 0;
    //! All blocks in one write (one LMDB transaction).
    virtual Status put_many(std::span<const Block> blocks) = 0;
    //! Removing a missing block is not an error.
    virtual Status remove(const Cid& cid) = 0;
};

//! Stores `cbor` under its dag-cbor/blake2b-256 CID and returns that CID.
Result<Cid> put_cbor(Blockstore& bs, BytesView cbor);

//! A thread-safe in-memory store (tests, scratch state).
class MemoryBlockstore final : public Blockstore {
  public:
    Result<bool> has(const Cid& cid) override;
    Result<Bytes> get(const Cid& cid) override;
    Status put(const Cid& cid, BytesView data) override;
    Status put_many(std::span<const Block> blocks) override;
    Status remove(const Cid& cid) override;
    [[nodiscard]] std::size_t size() const;

  private:
    mutable std::mutex mu_;
    std::unordered_map<Cid, Bytes> blocks_;
};

//! Blocks in an LMDB table.
//! Table "blocks" (name configurable):
//!   key:   the binary CID (38 bytes for chain objects; at most 511 bytes)
//!   value: the block bytes
//! A missing key means the block is not stored.
class LmdbBlockstore final : public Blockstore {
  public:
    //! Opens (creating) the table in an environment the caller keeps alive.
    static Result<std::unique_ptr<LmdbBlockstore>> open(storage::lmdb::Environment& env,
                                                        std::string_view table = "blocks");
    ~LmdbBlockstore() override;

    Result<bool> has(const Cid& cid) override;
    Result<Bytes> get(const Cid& cid) override;
    Status put(const Cid& cid, BytesView data) override;
    Status put_many(std::span<const Block> blocks) override;
    Status remove(const Cid& cid) override;

  private:
    struct Impl;
    explicit LmdbBlockstore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace venus::chain
