// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The randomness beacon a block's BeaconEntries come from (lotus chain/beacon). The devnet cannot
//! reach drand, so it runs MockBeacon, Lotus's mock: entry(i) = {i, blake2b256(u64BE(i))},
//! MaxBeaconRoundForEpoch(e) = e + 100, verified by recomputing.
#pragma once

#include <chrono>
#include <functional>
#include <cstdint>
#include <vector>

#include "venus/chain/types.hpp"
#include "venus/core/result.hpp"

namespace venus::plugins::consensus {

class Beacon {
  public:
    virtual ~Beacon() = default;
    //! The round whose entry a block at `epoch` must end its BeaconEntries with.
    [[nodiscard]] virtual std::uint64_t max_round_for_epoch(chain::ChainEpoch epoch) const = 0;
    //! The entry of `round`; Errc::kUnavailable while the beacon has not produced it yet.
    [[nodiscard]] virtual Result<chain::BeaconEntry> entry(std::uint64_t round) const = 0;
    //! When `round` is (or was) produced, as Unix seconds.
    [[nodiscard]] virtual std::uint64_t available_at(std::uint64_t round) const = 0;
    //! Checks one entry given the one before it.
    [[nodiscard]] virtual Status verify_entry(const chain::BeaconEntry& e, const chain::BeaconEntry& prev) const = 0;
    //! Chained beacons (each entry signs the previous) skip checks right after the genesis entry.
    [[nodiscard]] virtual bool chained() const = 0;
};

class MockBeacon final : public Beacon {
  public:
    //! Round r is produced when epoch r − 100 starts (genesis + (r − 100) × delay); `now` is Unix
    //! seconds and injectable for tests.
    MockBeacon(std::uint64_t genesis_timestamp, std::uint64_t block_delay_secs,
               std::function<std::uint64_t()> now = nullptr);

    static chain::BeaconEntry entry_for_round(std::uint64_t round);

    [[nodiscard]] std::uint64_t max_round_for_epoch(chain::ChainEpoch epoch) const override;
    [[nodiscard]] Result<chain::BeaconEntry> entry(std::uint64_t round) const override;
    [[nodiscard]] std::uint64_t available_at(std::uint64_t round) const override;
    [[nodiscard]] Status verify_entry(const chain::BeaconEntry& e, const chain::BeaconEntry& prev) const override;
    [[nodiscard]] bool chained() const override { return true; }

  private:
    std::uint64_t genesis_timestamp_;
    std::uint64_t block_delay_;
    std::function<std::uint64_t()> now_;
};

//! Unix seconds from the system clock.
std::uint64_t unix_now();

//! The entries a block at `epoch` on a parent at `parent_epoch` carries, given the latest entry on
//! the chain: one per epoch from parent_epoch+1 to epoch (null rounds included), oldest first; none
//! when `prev` is already the round wanted (BeaconEntriesForBlock).
Result<std::vector<chain::BeaconEntry>> beacon_entries_for_block(const Beacon& beacon, chain::ChainEpoch epoch,
                                                                 chain::ChainEpoch parent_epoch,
                                                                 const chain::BeaconEntry& prev);

//! ValidateBlockValues: the block's entries against the beacon and the latest entry before it.
Status validate_beacon_values(const Beacon& beacon, chain::ChainEpoch height,
                              const std::vector<chain::BeaconEntry>& entries, chain::BeaconEntry prev);

}  // namespace venus::plugins::consensus
