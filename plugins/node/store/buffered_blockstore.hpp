// SPDX-License-Identifier: Apache-2.0 OR MIT
//! A write buffer over another blockstore: execution writes many small blocks (HAMT/AMT nodes,
//! actor states), most of them intermediate. They collect in memory and reach the base store in one
//! batch (one LMDB transaction) on flush().
#pragma once

#include <unordered_map>
#include <vector>

#include "venus/chain/blockstore.hpp"

namespace venus::plugins::node {

class BufferedBlockstore final : public chain::Blockstore {
  public:
    explicit BufferedBlockstore(chain::Blockstore& base) : base_(base) {}

    Result<bool> has(const chain::Cid& cid) override {
        if (buffer_.count(cid) != 0) return true;
        return base_.has(cid);
    }
    Result<Bytes> get(const chain::Cid& cid) override {
        auto it = buffer_.find(cid);
        if (it != buffer_.end()) return it->second;
        return base_.get(cid);
    }
    Status put(const chain::Cid& cid, BytesView data) override {
        buffer_.emplace(cid, Bytes(data.begin(), data.end()));
        return {};
    }
    Status put_many(std::span<const chain::Block> blocks) override {
        for (const auto& b : blocks) buffer_.emplace(b.cid, b.data);
        return {};
    }
    Status remove(const chain::Cid& cid) override {
        buffer_.erase(cid);
        return base_.remove(cid);
    }
    //! Writes the buffered blocks to the base store in one batch.
    Status flush() {
        std::vector<chain::Block> blocks;
        blocks.reserve(buffer_.size());
        for (auto& [cid, data] : buffer_) blocks.push_back(chain::Block{cid, std::move(data)});
        buffer_.clear();
        if (blocks.empty()) return {};
        return base_.put_many(blocks);
    }
    [[nodiscard]] std::size_t buffered() const noexcept { return buffer_.size(); }

  private:
    chain::Blockstore& base_;
    std::unordered_map<chain::Cid, Bytes> buffer_;
};

}  // namespace venus::plugins::node
