// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Expected Consensus for the devnet, on top of api::Node: mining bases and block templates for
//! miners (MinerGetBaseInfo, MinerCreateBlock), block submission (validate, store, merge into the
//! tipset of its height, add_tipset), bad blocks (persisted, never re-validated) and blocks from the
//! near future (retried when their time comes).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "consensus/beacon.hpp"
#include "consensus/params.hpp"
#include "consensus/proofs.hpp"
#include "consensus/randomness.hpp"
#include "consensus/validator.hpp"
#include "venus/api/node.hpp"
#include "venus/api/wallet.hpp"
#include "venus/storage/lmdb.hpp"

namespace asio {
class io_context;
}

namespace venus::plugins::consensus {

//! MiningBaseInfo (lotus api): what a miner needs to run the election for `round` on a base.
struct MiningBaseInfo {
    chain::BigInt miner_power;    //!< QA power in lookback state
    chain::BigInt network_power;  //!< total QA power in lookback state
    std::vector<api::SectorInfo> sectors;
    chain::Address worker_key;
    std::uint64_t sector_size = 0;
    chain::BeaconEntry prev_beacon_entry;
    std::vector<chain::BeaconEntry> beacon_entries;
    bool eligible_for_mining = false;
};

//! BlockTemplate (lotus api).
struct BlockTemplate {
    chain::Address miner;
    chain::TipSetKey parents;
    std::optional<chain::Ticket> ticket;
    std::optional<chain::ElectionProof> eproof;
    std::vector<chain::BeaconEntry> beacon_values;
    std::vector<chain::SignedMessage> messages;
    chain::ChainEpoch epoch = 0;
    std::uint64_t timestamp = 0;
    std::vector<chain::PoStProof> winning_post_proof;
};

//! Persisted verdicts on invalid blocks (LMDB table `bad_blocks`: block CID bytes → reason text).
class BadBlocks {
  public:
    //! `env` may be null: then verdicts live in memory only.
    static Result<std::unique_ptr<BadBlocks>> open(storage::lmdb::Environment* env);
    std::optional<std::string> reason(const chain::Cid& cid);
    Status mark(const chain::Cid& cid, const std::string& reason);

  private:
    storage::lmdb::Environment* env_ = nullptr;
    storage::lmdb::Table table_;
    std::mutex mu_;
    std::map<Bytes, std::string> memory_;
};

//! The last catch-up from a peer (node-to-node sync), active or finished, as SyncState shows it.
struct PeerSync {
    chain::TipSet base;    //!< this node's head when it started
    chain::TipSet target;  //!< the peer's tipset it syncs to
    int stage = 4;         //!< Lotus's SyncStateStage: 3 messages (fetching and applying), 4 complete, 5 error
    std::string message;   //!< the error, for stage 5
    std::uint64_t start = 0, end = 0;  //!< Unix seconds; end 0 while active
};

struct SyncStatus {
    chain::TipSet base;
    chain::TipSet target;
    std::uint64_t vm_applied = 0;  //!< blocks validated and applied since start
    std::uint64_t start = 0;       //!< Unix seconds of the last head change this node made
    std::optional<PeerSync> peer;  //!< the last catch-up from a peer, if any
};

class ConsensusService {
  public:
    using WalletLookup = std::function<std::shared_ptr<api::Wallet>()>;

    ConsensusService(api::Node& node, ConsensusParams params, std::unique_ptr<Beacon> beacon,
                     std::unique_ptr<ProofVerifier> proofs, std::unique_ptr<BadBlocks> bad,
                     BlockValidator::Clock now = nullptr);

    //! Where signing keys may be (the wallet module of this process, if any). Looked up per call.
    void set_wallet_lookup(WalletLookup fn) { wallet_ = std::move(fn); }
    //! Messages a submitted BlockMsg names that are not in the blockstore are looked up here (the
    //! node's message pool: a block pushed by a peer carries only CIDs, its messages came earlier).
    using MessageLookup = std::function<std::unordered_map<chain::Cid, chain::SignedMessage>(const std::vector<chain::Cid>&)>;
    void set_message_lookup(MessageLookup fn) { lookup_ = std::move(fn); }
    //! Called once for every block this node newly accepts (validated and stored), on the thread that
    //! submitted it: node-to-node sync pushes it to the peers. Never for a block it already had.
    using BlockListener = std::function<void(const FullBlock&)>;
    void set_block_listener(BlockListener fn) { on_block_ = std::move(fn); }
    using RunBlocking = std::function<void(std::function<void()>)>;
    //! Timers for retrying near-future blocks run on `io`, the retries themselves through
    //! `blocking` (the worker pool; inline when null). Without `io`, call retry_temporal().
    void attach(asio::io_context* io, RunBlocking blocking = nullptr) {
        io_ = io;
        blocking_ = std::move(blocking);
    }

    api::Node& node() noexcept { return node_; }
    const ConsensusParams& params() const noexcept { return params_; }
    const Beacon& beacon() const noexcept { return *beacon_; }
    Randomness& randomness() noexcept { return randomness_; }
    BlockValidator& validator() noexcept { return validator_; }

    //! nullopt when the miner has no power or sectors in lookback state (MinerGetBaseInfo null).
    Result<std::optional<MiningBaseInfo>> base_info(const chain::Address& miner, chain::ChainEpoch round,
                                                    const chain::TipSetKey& tsk);
    //! Builds (and, when a local wallet holds the worker key, signs) a block from a template.
    Result<FullBlock> create_block(const BlockTemplate& t);
    static chain::BlockMsg to_block_msg(const FullBlock& b);

    //! Loads the messages a BlockMsg names and submits the block.
    Status submit(const chain::BlockMsg& msg);
    //! Validates, stores and offers the block's tipset (merged with valid siblings) as the head.
    Verdict submit(const FullBlock& block);
    //! Re-validates blocks that were from the future; returns how many became valid.
    std::size_t retry_temporal();
    [[nodiscard]] std::size_t pending_temporal() const;

    SyncStatus sync_status();
    //! Node-to-node sync reports its catch-ups here, so SyncState says what is really going on
    //! (a node far behind its peers must not look synced: sophon-miner would mine on a stale head).
    void report_peer_sync(PeerSync s);
    //! Unix seconds by this service's clock.
    std::uint64_t now() const { return now_(); }

  private:
    void schedule_retry(std::uint64_t at);
    //! A valid block this process accepted within finality (the sibling groups).
    bool accepted_before(const chain::BlockHeader& h);

    api::Node& node_;
    ConsensusParams params_;
    std::unique_ptr<Beacon> beacon_;
    std::unique_ptr<ProofVerifier> proofs_;
    std::unique_ptr<BadBlocks> bad_;
    BlockValidator::Clock now_;
    Randomness randomness_;
    BlockValidator validator_;
    WalletLookup wallet_;
    MessageLookup lookup_;
    BlockListener on_block_;
    asio::io_context* io_ = nullptr;
    RunBlocking blocking_;

    mutable std::mutex mu_;
    //! Valid blocks by (parents, height): a new sibling joins them in one tipset.
    std::map<std::pair<Bytes, chain::ChainEpoch>, std::vector<chain::BlockHeader>> siblings_;
    std::vector<FullBlock> temporal_;
    std::uint64_t vm_applied_ = 0;
    std::uint64_t last_change_ = 0;
    std::optional<PeerSync> peer_sync_;
};

}  // namespace venus::plugins::consensus
