// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "consensus/beacon.hpp"

#include <algorithm>
#include <chrono>

#include "venus/crypto/hash.hpp"

namespace venus::plugins::consensus {

namespace {
// Lotus offsets mock rounds from epochs "for better testing" (chain/beacon/mock.go).
constexpr std::uint64_t kMockRoundOffset = 100;
}  // namespace

std::uint64_t unix_now() {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

MockBeacon::MockBeacon(std::uint64_t genesis_timestamp, std::uint64_t block_delay_secs,
                       std::function<std::uint64_t()> now)
    : genesis_timestamp_(genesis_timestamp), block_delay_(block_delay_secs), now_(std::move(now)) {
    if (!now_) now_ = unix_now;
}

chain::BeaconEntry MockBeacon::entry_for_round(std::uint64_t round) {
    Bytes buf(8);
    for (int i = 0; i < 8; ++i) buf[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(round >> (8 * (7 - i)));
    const auto h = crypto::blake2b_256(buf);
    return chain::BeaconEntry{round, Bytes(h.begin(), h.end())};
}

std::uint64_t MockBeacon::max_round_for_epoch(chain::ChainEpoch epoch) const {
    return static_cast<std::uint64_t>(epoch + static_cast<chain::ChainEpoch>(kMockRoundOffset));
}

std::uint64_t MockBeacon::available_at(std::uint64_t round) const {
    if (round <= kMockRoundOffset) return genesis_timestamp_;
    return genesis_timestamp_ + (round - kMockRoundOffset) * block_delay_;
}

Result<chain::BeaconEntry> MockBeacon::entry(std::uint64_t round) const {
    const auto at = available_at(round);
    if (now_() < at) {
        return make_error(Errc::kUnavailable, "beacon round {} is not produced before {} (now {})", round, at, now_());
    }
    return entry_for_round(round);
}

Status MockBeacon::verify_entry(const chain::BeaconEntry& e, const chain::BeaconEntry&) const {
    if (e.data != entry_for_round(e.round).data) return make_error(Errc::kInvalidArgument, "mock beacon entry was invalid!");
    return {};
}

Result<std::vector<chain::BeaconEntry>> beacon_entries_for_block(const Beacon& beacon, chain::ChainEpoch epoch,
                                                                 chain::ChainEpoch parent_epoch,
                                                                 const chain::BeaconEntry& prev) {
    std::vector<chain::BeaconEntry> out;
    if (beacon.max_round_for_epoch(epoch) == prev.round) return out;
    for (chain::ChainEpoch e = epoch; e > parent_epoch; --e) {
        VENUS_TRY(auto entry, beacon.entry(beacon.max_round_for_epoch(e)));
        out.push_back(std::move(entry));
    }
    std::reverse(out.begin(), out.end());
    return out;
}

Status validate_beacon_values(const Beacon& beacon, chain::ChainEpoch height,
                              const std::vector<chain::BeaconEntry>& entries, chain::BeaconEntry prev) {
    const std::uint64_t max_round = beacon.max_round_for_epoch(height);
    if (max_round == prev.round) {
        if (!entries.empty()) {
            return make_error(Errc::kInvalidArgument, "expected not to have any beacon entries in this block, got {}",
                              entries.size());
        }
        return {};
    }
    if (entries.empty()) {
        return make_error(Errc::kInvalidArgument, "expected to have beacon entries in this block, but didn't find any");
    }
    if (beacon.chained() && prev.round == 0) return {};
    if (entries.back().round != max_round) {
        return make_error(Errc::kInvalidArgument, "expected final beacon entry in block to be at round {}, got {}",
                          max_round, entries.back().round);
    }
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (auto st = beacon.verify_entry(entries[i], prev); !st) {
            return make_error(Errc::kInvalidArgument, "beacon entry {} ({}) was invalid: {}", i, entries[i].round,
                              st.error().message);
        }
        prev = entries[i];
    }
    return {};
}

}  // namespace venus::plugins::consensus
