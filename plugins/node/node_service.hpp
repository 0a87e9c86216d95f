// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The in-process api::Node: the chain store plus execution and state reads.
#pragma once

#include <memory>
#include <mutex>

#include "node/network.hpp"
#include "node/store/chain_store.hpp"
#include "venus/api/node.hpp"

namespace venus::plugins::node {

struct GenesisTemplate;

class NodeService final : public api::Node {
  public:
    NodeService(NetworkParams net, ChainStore& store);

    //! Creates the genesis from `tpl` when the store is empty. Keys go to `key_dir` first.
    Status ensure_genesis(const GenesisTemplate& tpl);

    const api::NetworkInfo& network() const override { return info_; }
    const NetworkParams& params() const noexcept { return net_; }
    ChainStore& store() noexcept { return store_; }

    chain::TipSet head() override { return store_.head(); }
    Result<chain::TipSet> genesis() override { return store_.genesis(); }
    Result<chain::TipSet> tipset(const chain::TipSetKey& key) override { return store_.load_tipset(key); }
    Result<chain::TipSet> tipset_by_height(chain::ChainEpoch h, const chain::TipSetKey& from, bool prev) override;
    Result<chain::BlockHeader> block(const chain::Cid& cid) override { return store_.load_header(cid); }
    Result<api::BlockContents> block_messages(const chain::Cid& block_cid) override;
    Result<chain::BigInt> weight(const chain::TipSetKey& key) override;
    Result<std::vector<std::pair<chain::Cid, chain::Message>>> tipset_messages(const chain::TipSetKey& key) override;
    Result<std::vector<std::pair<chain::Cid, chain::Message>>> parent_messages(const chain::Cid& block) override;
    Result<std::vector<chain::MessageReceipt>> parent_receipts(const chain::Cid& block) override;
    Result<Bytes> read_obj(const chain::Cid& cid) override { return store_.blockstore().get(cid); }
    Result<bool> has_obj(const chain::Cid& cid) override { return store_.blockstore().has(cid); }

    Result<chain::Cid> put_messages(const api::BlockContents& contents) override;
    Result<chain::TipSet> put_headers(std::vector<chain::BlockHeader> headers) override {
        return store_.put_headers(std::move(headers));
    }
    //! Executes the parent first when needed and refuses a tipset whose ParentStateRoot or
    //! ParentMessageReceipts disagree with it.
    Result<bool> add_tipset(const chain::TipSet& ts) override;
    Result<std::pair<chain::Cid, chain::Cid>> tipset_state(const chain::TipSetKey& key) override;
    Result<api::ParentInfo> parent_info(const chain::TipSetKey& key) override;

    Result<std::optional<chain::Actor>> actor(const chain::Address& addr, const chain::TipSetKey& key) override;
    Result<std::optional<chain::Address>> lookup_id(const chain::Address& addr, const chain::TipSetKey& key) override;
    Result<chain::Address> account_key(const chain::Address& addr, const chain::TipSetKey& key) override;

    Result<api::MinerInfo> miner_info(const chain::Address& miner, const chain::TipSetKey& key) override;
    Result<api::MinerPower> miner_power(const chain::Address& miner, const chain::TipSetKey& key) override;
    Result<std::vector<chain::Address>> list_miners(const chain::TipSetKey& key) override;
    Result<std::vector<api::SectorInfo>> miner_sectors(const chain::Address& miner, const chain::TipSetKey& key) override;

    std::uint64_t subscribe_head_changes(HeadSubscriber fn) override;
    void unsubscribe_head_changes(std::uint64_t id) override { store_.unsubscribe(id); }

  private:
    Result<chain::Cid> parent_state(const chain::TipSetKey& key);

    NetworkParams net_;
    api::NetworkInfo info_;
    ChainStore& store_;
    std::mutex exec_mu_;  // one tipset execution at a time
};

}  // namespace venus::plugins::node
