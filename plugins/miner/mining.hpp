// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The mining loop (sophon-miner miner/multiminer.go): every epoch, wait for the base (head +
//! propagation delay), run the election for every open miner in parallel (ticket and election VRFs
//! signed by the worker key through the gateway with meta `drawrandomparam`, win count, winning PoSt
//! from the miner's prover through the gateway), select messages for all winners at once, create the
//! blocks, sign them through the gateway (meta `block`), wait for their timestamp, pass them through
//! the slash filter and submit them. Nobody winning makes a null round.
//!
//! The loop runs on its own thread: every call it makes blocks (node, gateway, SQL), and it must
//! never hold up the control loop.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "consensus/params.hpp"
#include "node_link.hpp"
#include "settings.hpp"
#include "store/miner_store.hpp"
#include "venus/api/auth.hpp"
#include "venus/api/gateway.hpp"
#include "venus/core/metrics.hpp"

namespace venus::plugins::miner {

//! sophon-miner's MinerInfo (ListAddress, UpdateAddress).
struct MinerEntry {
    chain::Address addr;
    std::string id;    //!< the owning user's id
    std::string name;  //!< the owning user's name: the account every WalletSign names
    bool open_mining = false;
};

//! MinerState (StatesForMining).
struct MinerState {
    chain::Address addr;
    bool is_mining = false;
    std::vector<std::string> errors;  //!< the latest, at most 20
};

//! One epoch's result for one miner (CountWinners' winEpochList entry).
struct WinResult {
    chain::ChainEpoch epoch = 0;
    std::int64_t win_count = 0;
    std::string msg;
};

struct Counters {
    std::atomic<std::uint64_t> blocks{0};
    std::atomic<std::uint64_t> round_winners{0};
    std::atomic<std::uint64_t> timeouts{0};
    std::atomic<std::uint64_t> chain_forks{0};
    std::atomic<std::uint64_t> errors{0};
    std::atomic<std::uint64_t> null_rounds{0};
    std::atomic<std::uint64_t> last_election_ms{0};    //!< the last round's elections, all miners
    std::atomic<std::uint64_t> last_round_work_ms{0};  //!< base ready → blocks submitted, minus the timestamp wait
};

class Mining {
  public:
    //! `network_propagation_secs`: the node's propagation delay when it is known (a local node);
    //! [miner] propagation_delay_secs overrides it, and without either sophon-miner's rule applies.
    Mining(NodeLink node, std::shared_ptr<api::Gateway> gateway, std::shared_ptr<api::Auth> auth, MinerStore& store,
           Settings settings, std::optional<std::uint64_t> network_propagation_secs = std::nullopt);
    ~Mining();

    //! Re-reads the miners from auth (users that are enabled, their miners); returns the open ones.
    Result<std::vector<MinerEntry>> update(std::int64_t skip = 0, std::int64_t limit = 0);
    std::vector<MinerEntry> list() const;
    std::vector<MinerState> states(const std::vector<chain::Address>& addrs) const;
    //! Start/Stop: persists OpenMining in auth (a restart keeps it), then applies it at once.
    Status set_open(const std::vector<chain::Address>& addrs, bool open);

    //! The election of `miner` at `round` on `base` (VRFs through the gateway); 0 wins when it lost.
    Result<std::int64_t> win_count(const MinerEntry& miner, const chain::TipSet& base, chain::ChainEpoch round);

    //! WarmupForMiner: one winning PoSt through the gateway on the miner's first sector with random
    //! randomness (sophon-miner warms provers up so the first real proof is not the slow one);
    //! returns how long it took.
    Result<std::chrono::milliseconds> warmup(const chain::Address& miner);

    void start();
    //! Non-blocking.
    void stop() noexcept;
    //! stop(), then waits for the loop's thread. The module calls it before the store goes away: the
    //! method table keeps this object alive longer than the module.
    void join() noexcept;

    const Counters& counters() const noexcept { return counters_; }

    //! Fallback nodes for SyncSubmitBlock, tried in order when the main node fails (SubmitNodes).
    //! Before start().
    void set_submit_nodes(std::vector<NodeLink> nodes) { submit_nodes_ = std::move(nodes); }

  private:
    struct Base {
        chain::TipSet ts;
        chain::ChainEpoch nulls = 0;
    };
    struct Won {
        MinerEntry miner;
        chain::Ticket ticket;
        chain::ElectionProof eproof;
        std::string beacon_values_json;
        std::string winning_post_json;
        chain::Address worker;
    };

    void run();
    //! Reads the network's parameters from the node once (the loop waits for a reachable node).
    Status ensure_params();
    void mine_round(Base& base);
    Result<std::optional<Won>> mine_one(const MinerEntry& miner, const chain::TipSet& base, chain::ChainEpoch round);
    //! True when the block reached the slash filter (it exists: the round is spent, submitted or not).
    bool publish(const Won& won, chain::BlockMsg block, const Base& base, std::uint64_t started_ms);
    Result<chain::Signature> sign(const MinerEntry& miner, const chain::Address& signer, Bytes to_sign,
                                  api::SignMeta meta);
    Result<Bytes> vrf(const MinerEntry& miner, const chain::Address& worker, const chain::BeaconEntry& rbase,
                      std::int64_t pers, chain::ChainEpoch round, Bytes entropy);
    void note_error(const chain::Address& miner, const std::string& what);
    //! Sleeps until `unix_secs` (system clock) or stop; false when stopping.
    bool sleep_until(std::uint64_t unix_ms);
    bool stopping() const;
    std::vector<MinerEntry> open_miners() const;

    //! SyncSubmitBlock on the node, then on each fallback; the errors of all when none took it.
    Status submit(const chain::BlockMsg& block);

    NodeLink node_;
    std::vector<NodeLink> submit_nodes_;
    std::shared_ptr<api::Gateway> gateway_;
    std::shared_ptr<api::Auth> auth_;
    MinerStore& store_;
    Settings settings_;
    consensus::ConsensusParams params_;
    bool have_params_ = false;
    std::optional<std::uint64_t> network_propagation_secs_;
    std::uint64_t propagation_delay_secs_ = 0;
    Counters counters_;

    mutable std::mutex mu_;
    std::map<std::string, MinerEntry> miners_;  //!< by address string
    std::map<std::string, std::deque<std::string>> errors_;
    std::condition_variable cv_;
    bool stopping_ = false;
    std::thread thread_;
    std::optional<std::pair<chain::TipSetKey, chain::ChainEpoch>> last_round_;
    std::uint64_t timestamp_wait_ms_ = 0;  //!< the loop thread's only
};

//! venus-shared DrawRandomParams as fxamacker/cbor encodes it (a map with the field names), the
//! `to_sign` of a `drawrandomparam` WalletSign: the wallet recomputes the randomness from it.
Bytes encode_draw_random_params(BytesView rbase, std::int64_t pers, std::int64_t round, BytesView entropy);

}  // namespace venus::plugins::miner
