// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "node/node_module.hpp"

#include <chrono>
#include <fstream>
#include <sstream>

#include <asio/post.hpp>
#include <asio/thread_pool.hpp>

#include "node/genesis/genesis.hpp"
#include "node/sync/genesis_car.hpp"
#include "node/sync/sync_service.hpp"
#include "node/network.hpp"
#include "node/node_service.hpp"
#include "consensus/consensus_service.hpp"
#include "consensus/rpc_methods.hpp"
#include "venus/api/wallet.hpp"
#include "node/rpc_methods.hpp"
#include "node/rpc_mpool.hpp"
#include "node/rpc_state.hpp"
#include "node/store/msg_index.hpp"
#include "venus/crypto/bls.hpp"
#include "node/settings.hpp"
#include "node/store/chain_store.hpp"
#include "venus/app/context.hpp"
#include "venus/core/log.hpp"

namespace venus::plugins::node {

namespace {

// Bumped when a table layout in store/chain_store.hpp changes.
constexpr std::uint32_t kChainSchemaVersion = 1;

Result<NetworkParams> load_network(const NodeSettings& s, const app::Paths& paths) {
    if (s.network_file.empty()) return parse_network(default_network_toml(), "built-in devnet");
    std::filesystem::path p = s.network_file;
    if (p.is_relative()) p = paths.repo / p;
    std::ifstream f(p);
    if (!f) return make_error(Errc::kConfig, "[node] network_file {} cannot be read", p.string());
    std::stringstream ss;
    ss << f.rdbuf();
    return parse_network(ss.str(), p.string());
}

class NodeModule final : public app::Module {
  public:
    std::string_view name() const noexcept override { return "node"; }
    std::string default_config() const override { return std::string(kNodeDefaultConfig); }

    Status initialize(app::Context& ctx) override {
        auto log = log::get("node");
        VENUS_TRY(auto settings, NodeSettings::parse(ctx.config));
        VENUS_TRY(auto net, load_network(settings, ctx.paths));
        storage::lmdb::EnvOptions opts;
        opts.map_size = static_cast<std::size_t>(settings.chain_map_size_mb) * storage::lmdb::kMiB;
        opts.schema_version = kChainSchemaVersion;
        opts.max_tables = 16;
        VENUS_TRY(auto* env, ctx.stores.lmdb("chain", opts));
        VENUS_TRY(store_, ChainStore::open(*env));
        if (!settings.genesis_file.empty()) {
            std::filesystem::path gf = settings.genesis_file;
            if (gf.is_relative()) gf = ctx.paths.repo / gf;
            VENUS_TRY(auto gen, sync::import_genesis_file(*store_, net, gf));
            log->info("genesis {} from {}", gen.to_string(), gf.string());
        }
        service_ = std::make_shared<NodeService>(net, *store_);
        if (!store_->has_genesis()) {
            const auto now = static_cast<std::uint64_t>(
                std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
                    .count());
            const std::uint64_t ts = settings.genesis_timestamp > 0 ? static_cast<std::uint64_t>(settings.genesis_timestamp) : now;
            VENUS_TRY(auto tpl, make_devnet_template(static_cast<std::size_t>(settings.genesis_accounts),
                                                     static_cast<std::size_t>(settings.genesis_miners),
                                                     static_cast<std::uint64_t>(settings.genesis_sectors_per_miner),
                                                     static_cast<std::uint64_t>(settings.genesis_account_balance_fil), ts));
            // Keys first: a genesis whose keys were lost could never mine or spend.
            VENUS_TRY_VOID(write_template_keys(ctx.paths.repo / "keystore" / "genesis", tpl));
            VENUS_TRY_VOID(service_->ensure_genesis(tpl));
            log->info("created genesis {} for network '{}' ({} accounts, {} miners)",
                      store_->head().cids().front().to_string(), net.name, tpl.accounts.size(), tpl.miners.size());
        }
        const auto head = store_->head();
        log->info("chain head at height {} ({}), network '{}' nv{}", head.height(), head.cids().front().to_string(),
                  net.name, net.network_version);
        VENUS_TRY_VOID(ctx.methods.add_all(node_methods(service_)));
        // The message index catches up with the head here (a full build on a store without one).
        auto* svc = service_.get();
        VENUS_TRY(msg_index_, MsgIndex::open(*env, *store_,
                                             [svc](const TipSet& ts) { return svc->tipset_messages(ts.key()); }));
        msg_search_ = std::make_shared<MsgSearch>(*service_, *msg_index_);
        VENUS_TRY_VOID(ctx.methods.add_all(state_methods(service_, msg_search_)));
        ctx.services.provide<api::Node>(service_);
        VENUS_TRY_VOID(init_mpool(ctx, *env));
        VENUS_TRY_VOID(init_consensus(ctx));
        VENUS_TRY_VOID(init_sync(settings));
        return {};
    }

    Status start() override {
        if (sync_) sync_->start();
        return {};
    }

    // Pending StateWaitMsg calls end here; handlers may hold the search past the index's life.
    void stop() noexcept override {
        if (sync_) sync_->stop();
        if (msg_search_) msg_search_->shutdown();
    }

    ~NodeModule() override {
        if (sync_) sync_->stop();
        if (pool_sub_ != 0 && mpool_ && mpool_->pool) mpool_->pool->unsubscribe(pool_sub_);
        if (msg_search_) msg_search_->shutdown();
        // Handlers may still hold mpool_; the pool must let go of the chain store before it closes.
        if (mpool_) {
            mpool_->gas.reset();
            mpool_->pool.reset();
        }
    }

  private:
    // The message pool shares the chain's LMDB environment (its own tables) and provides the BLS
    // verified-signature cache so block validation can skip signatures the pool checked.
    Status init_mpool(app::Context& ctx, storage::lmdb::Environment& env) {
        auto bls_cache = std::make_shared<crypto::bls::VerifiedCache>();
        ctx.services.provide<crypto::bls::VerifiedCache>(bls_cache);
        mpool_ = std::make_shared<MpoolApi>();
        mpool_->node = service_;
        VENUS_TRY(mpool_->pool, MessagePool::open(*service_, &env, bls_cache));
        mpool_->gas = std::make_unique<GasEstimator>(*service_, *mpool_->pool);
        auto* services = &ctx.services;
        mpool_->wallet = [services] { return services->get<api::Wallet>(); };
        return ctx.methods.add_all(mpool_methods(mpool_));
    }

    // Consensus (plugins/consensus) validates what reaches this node's chain; its verdicts on bad
    // blocks live in their own store, repo/consensus/.
    Status init_consensus(app::Context& ctx) {
        storage::lmdb::EnvOptions copts;
        copts.max_tables = 4;
        VENUS_TRY(auto* cenv, ctx.stores.lmdb("consensus", copts));
        VENUS_TRY(auto bad, consensus::BadBlocks::open(cenv));
        const auto params = consensus::ConsensusParams::from_network(service_->network());
        consensus_ = std::make_shared<consensus::ConsensusService>(
            *service_, params, std::make_unique<consensus::MockBeacon>(params.genesis_timestamp, params.block_delay_secs),
            std::make_unique<consensus::MockProofVerifier>(), std::move(bad));
        auto& services = ctx.services;
        consensus_->set_wallet_lookup([&services] { return services.get<api::Wallet>(); });
        // A submitted block may name messages that are still only in the pool (pushed by a peer).
        std::weak_ptr<MpoolApi> weak_mpool = mpool_;
        consensus_->set_message_lookup([weak_mpool](const std::vector<chain::Cid>& cids) {
            auto m = weak_mpool.lock();
            return m && m->pool ? m->pool->find(cids) : std::unordered_map<chain::Cid, chain::SignedMessage>{};
        });
        auto& workers = ctx.workers;
        consensus_->attach(&ctx.control, [&workers](std::function<void()> fn) { asio::post(workers, std::move(fn)); });
        return ctx.methods.add_all(consensus::consensus_methods(consensus_, &ctx.control));
    }

    // Peers ([node] peers) are followed over JSON-RPC (plugins/node/sync); blocks from them go
    // through consensus like SyncSubmitBlock's.
    Status init_sync(const NodeSettings& settings) {
        if (settings.peers.empty()) return {};
        std::vector<rpc::ApiInfo> peers;
        for (const auto& p : settings.peers) {
            auto info = rpc::parse_api_info(p);
            if (!info) return make_error(Errc::kConfig, "[node] peers: {}: {}", p, info.error().message);
            peers.push_back(std::move(*info));
        }
        sync_ = std::make_shared<sync::SyncService>(sync::Syncer::with_consensus(*service_, *consensus_),
                                                    std::move(peers));
        // Every check of an untrusted push applies; a message this pool already has is refused
        // there, which is what ends its echo between peers.
        auto* pool = mpool_->pool.get();
        sync_->set_message_sink([pool](const chain::SignedMessage& m) { (void)pool->push(m, true); });
        // And the other way: what this node accepts or admits is pushed to the peers, so a peer
        // that does not list this node (a star around one hub) still gets it.
        std::weak_ptr<sync::SyncService> weak = sync_;
        consensus_->set_block_listener([weak](const consensus::FullBlock& b) {
            if (auto s = weak.lock()) s->push_block(consensus::ConsensusService::to_block_msg(b));
        });
        pool_sub_ = pool->subscribe([weak](const std::vector<MpoolUpdate>& updates) {
            auto s = weak.lock();
            if (!s) return;
            std::vector<chain::SignedMessage> added;
            for (const auto& u : updates) {
                if (u.type == MpoolUpdate::Type::kAdd) added.push_back(u.message);
            }
            s->push_messages(std::move(added));
        });
        return {};
    }

    std::unique_ptr<ChainStore> store_;
    std::shared_ptr<NodeService> service_;
    std::shared_ptr<MpoolApi> mpool_;
    std::shared_ptr<consensus::ConsensusService> consensus_;
    std::unique_ptr<MsgIndex> msg_index_;
    std::shared_ptr<MsgSearch> msg_search_;
    std::shared_ptr<sync::SyncService> sync_;
    std::uint64_t pool_sub_ = 0;
};

}  // namespace

std::unique_ptr<app::Module> make_node_module() { return std::make_unique<NodeModule>(); }

}  // namespace venus::plugins::node
