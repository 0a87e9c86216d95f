// SPDX-License-Identifier: Apache-2.0 OR MIT
//! AMT (filecoin-project/go-amt-ipld), node-chain.md §2.7, in two root formats:
//! * kLegacy — `[height, count, node]`, width 8: block message lists (MsgMeta) and receipts.
//! * kV3     — `[bitWidth, height, count, node]`: actor state arrays (bit width per use).
//! Node = `[bmap bytes (LSB-first bit per slot), [links], [values]]`. A height-h node covers
//! width^(h+1) indices; the tree grows when an index needs it and shrinks when only slot 0 remains
//! after a delete, as go-amt-ipld does. Values are raw CBOR items.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>

#include "venus/chain/blockstore.hpp"

namespace venus::chain {

class Amt {
  public:
    enum class Format { kLegacy, kV3 };
    static constexpr std::uint64_t kMaxIndex = UINT64_MAX - 1;

    //! An empty AMT; kLegacy always has bit width 3 (width 8).
    explicit Amt(Blockstore& store, Format format = Format::kV3, unsigned bit_width = 3);
    static Result<Amt> load(Blockstore& store, const Cid& root, Format format);
    //! Builds the array [0, values.size()) and flushes it (Lotus `ToAMT` / `adt.MakeArray`).
    static Result<Cid> build(Blockstore& store, std::span<const Bytes> values, Format format = Format::kLegacy,
                             unsigned bit_width = 3);
    Amt(Amt&&) noexcept;
    Amt& operator=(Amt&&) noexcept;
    ~Amt();

    Result<std::optional<Bytes>> get(std::uint64_t index);
    //! `value` must be one complete CBOR item (checked).
    Status set(std::uint64_t index, BytesView value);
    Result<bool> remove(std::uint64_t index);
    //! Visits entries in index order.
    Status for_each(const std::function<Status(std::uint64_t index, BytesView value)>& fn);
    [[nodiscard]] std::uint64_t count() const noexcept { return count_; }
    [[nodiscard]] unsigned bit_width() const noexcept { return bit_width_; }
    Result<Cid> flush();

    struct Node;

  private:
    Amt(Blockstore& store, Format format, unsigned bit_width, std::uint64_t height, std::uint64_t count,
        std::unique_ptr<Node> root);
    Blockstore* store_;
    Format format_;
    unsigned bit_width_;
    std::uint64_t height_ = 0;
    std::uint64_t count_ = 0;
    std::unique_ptr<Node> root_;
};

}  // namespace venus::chain
