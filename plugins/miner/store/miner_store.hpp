// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The miner's SQL store: sophon-miner's `miner_blocks` table (the MySQL slash filter, which also
//! records every mining stage), through the portable SQL layer. It is the `MinedHistory` the
//! consensus-fault checks run over, so a restart (or a second venusd on the same MySQL) keeps
//! refusing blocks that would be slashed.
//!
//! Table miner_blocks, key (epoch, miner):
//!   parent_epoch BIGINT, parent_key TEXT (hex of the parents' TipSetKey bytes; can exceed the
//!   255-character key limit), parent_hash VARCHAR(64) (hex sha256 of those bytes: the indexed form),
//!   cid VARCHAR(255) ('' until a block passed the fault checks), winning_at BIGINT (unix ms),
//!   mine_state SMALLINT (MineState), consuming BIGINT (ms from start to the last stage),
//!   update_time BIGINT (unix ms). Index (miner, parent_hash).
//! Addresses are stored as their string form ("t01000").
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "consensus/fault.hpp"
#include "venus/chain/types.hpp"
#include "venus/core/result.hpp"
#include "venus/storage/sql.hpp"

namespace venus::plugins::miner {

//! sophon-miner's mine_state values.
enum class MineState : std::int64_t { kMining = 0, kSuccess = 1, kTimeout = 2, kChainForked = 3, kError = 4 };
std::string_view to_string(MineState s);

//! A row of miner_blocks (ListBlocks' MinedBlock).
struct MinedBlock {
    std::string miner;
    chain::ChainEpoch epoch = 0;
    chain::ChainEpoch parent_epoch = 0;
    std::string parent_key;  //!< hex TipSetKey bytes
    std::string cid;         //!< empty until the block passed the fault checks
    std::int64_t winning_at = 0;
    MineState state = MineState::kMining;
    std::int64_t consuming = 0;
};

std::span<const storage::Migration> miner_migrations();

class MinerStore {
  public:
    //! Runs the migrations of component "miner".
    static Result<std::unique_ptr<MinerStore>> open(storage::SqlDatabase& db);

    //! Records a stage of (miner, epoch). A Timeout never creates a row (sophon-miner: a miner that
    //! timed out before winning has nothing to record); the other stages upsert it. A stage never
    //! clears a CID already recorded.
    Status record_stage(const chain::Address& miner, chain::ChainEpoch epoch, chain::ChainEpoch parent_epoch,
                        const chain::TipSetKey& parents, MineState state, std::int64_t consuming_ms = 0);

    //! The slash filter before publishing: refuses (Errc::kPermissionDenied, Lotus's wording) a block
    //! at an epoch where this miner already has one, a second block on the same parents, and parent
    //! grinding. When fine, the block's CID is recorded in the same transaction, so two concurrent
    //! callers can never both pass.
    Result<consensus::FaultCheck> check_and_record(const chain::BlockHeader& header, chain::ChainEpoch parent_epoch);

    //! HasBlock: a block CID is recorded for (miner, epoch).
    Result<bool> has_block(const chain::Address& miner, chain::ChainEpoch epoch);

    //! Newest first; `miners` empty = all; limit 0 = no limit.
    Result<std::vector<MinedBlock>> list_blocks(const std::vector<std::string>& miners, std::int64_t limit,
                                                std::int64_t offset);
    Result<std::optional<MinedBlock>> get(const chain::Address& miner, chain::ChainEpoch epoch);

  private:
    explicit MinerStore(storage::SqlDatabase& db) : db_(db) {}
    storage::SqlDatabase& db_;
    std::mutex mu_;
};

}  // namespace venus::plugins::miner
