// SPDX-License-Identifier: Apache-2.0 OR MIT
//! HAMT as filecoin-project/go-hamt-ipld v3 with the actor options (node-chain.md §2.6): bit width 5
//! by default, key hash sha256, buckets of at most 3 entries, canonical form kept on delete (a child
//! left with ≤ 3 entries and no sub-shards collapses back into a bucket), so equal contents give equal
//! root CIDs whatever the order of operations.
//!
//! Node CBOR: `[bitfield bytes (big-endian, minimal), [pointer…]]`; pointer = CID link or bucket
//! `[[key bytes, value], …]` sorted by key. Values are raw CBOR items stored as given.
//! Loaded nodes stay in memory; `flush()` writes the changed nodes in one batch and returns the root.
#pragma once

#include <functional>
#include <memory>
#include <optional>

#include "venus/chain/blockstore.hpp"

namespace venus::chain {

class Hamt {
  public:
    static constexpr unsigned kDefaultBitWidth = 5;
    static constexpr std::size_t kBucketSize = 3;

    //! An empty HAMT. `bit_width` is 1..8.
    explicit Hamt(Blockstore& store, unsigned bit_width = kDefaultBitWidth);
    static Result<Hamt> load(Blockstore& store, const Cid& root, unsigned bit_width = kDefaultBitWidth);
    Hamt(Hamt&&) noexcept;
    Hamt& operator=(Hamt&&) noexcept;
    ~Hamt();

    //! The raw CBOR value under `key`, or nullopt.
    Result<std::optional<Bytes>> get(BytesView key);
    //! Stores `value` (one complete CBOR item, checked) under `key`.
    Status set(BytesView key, BytesView value);
    //! True when the key existed.
    Result<bool> remove(BytesView key);
    //! Visits every entry (in hash order); stops at the first error `fn` returns.
    Status for_each(const std::function<Status(BytesView key, BytesView value)>& fn);
    //! Writes the changed nodes and returns the root CID.
    Result<Cid> flush();

    struct Node;

  private:
    Hamt(Blockstore& store, unsigned bit_width, std::unique_ptr<Node> root);
    Blockstore* store_;
    unsigned bit_width_;
    std::unique_ptr<Node> root_;
};

}  // namespace venus::chain
