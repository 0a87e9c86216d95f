// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "consensus/randomness.hpp"

#include <algorithm>

namespace venus::plugins::consensus {

namespace {

void put_i64_be(Bytes& out, std::int64_t v) {
    const auto u = static_cast<std::uint64_t>(v);
    for (int i = 7; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(u >> (8 * i)));
}

// Lotus searches this many tipsets back for a beacon entry (devnets mine faster than drand).
constexpr int kBeaconSearchDepth = 20;

}  // namespace

Hash256 draw_randomness(const Hash256& digest, std::int64_t dst, chain::ChainEpoch round, BytesView entropy) {
    Bytes buf;
    buf.reserve(8 + 32 + 8 + entropy.size());
    put_i64_be(buf, dst);
    buf.insert(buf.end(), digest.begin(), digest.end());
    put_i64_be(buf, round);
    buf.insert(buf.end(), entropy.begin(), entropy.end());
    return crypto::blake2b_256(buf);
}

Hash256 draw_randomness_from_base(BytesView rbase, std::int64_t dst, chain::ChainEpoch round, BytesView entropy) {
    return draw_randomness(crypto::blake2b_256(rbase), dst, round, entropy);
}

Result<chain::BeaconEntry> latest_beacon_entry(api::Node& node, const chain::TipSet& ts) {
    chain::TipSet cur = ts;
    for (int i = 0; i < kBeaconSearchDepth; ++i) {
        const auto& entries = cur.blocks().front().beacon_entries;
        if (!entries.empty()) return entries.back();
        if (cur.height() == 0) {
            return make_error(Errc::kNotFound, "made it back to genesis block without finding beacon entry");
        }
        VENUS_TRY(cur, node.tipset(cur.parents()));
    }
    return make_error(Errc::kNotFound, "found NO beacon entries in the 20 latest tipsets");
}

Result<chain::TipSet> Randomness::rand_tipset(chain::ChainEpoch round, const chain::TipSetKey& tsk) {
    VENUS_TRY(auto ts, node_.tipset(tsk));
    if (round > ts.height()) return make_error(Errc::kInvalidArgument, "cannot draw randomness from the future");
    return node_.tipset_by_height(std::max<chain::ChainEpoch>(round, 0), ts.key(), false);
}

Result<Hash256> Randomness::chain_digest(chain::ChainEpoch round, const chain::TipSetKey& tsk) {
    VENUS_TRY(auto ts, rand_tipset(round, tsk));
    const auto& min_ticket = ts.blocks().front().ticket;
    if (!min_ticket) return make_error(Errc::kInvalidArgument, "tipset at height {} has no ticket", ts.height());
    return crypto::blake2b_256(min_ticket->vrf_proof);
}

Result<Hash256> Randomness::beacon_digest(chain::ChainEpoch round, const chain::TipSetKey& tsk) {
    VENUS_TRY(auto ts, rand_tipset(round, tsk));
    if (round < 0) {
        // Before genesis there is no round to look for: Lotus (V2 rules) takes the latest entry.
        VENUS_TRY(auto e, latest_beacon_entry(node_, ts));
        return crypto::blake2b_256(e.data);
    }
    const std::uint64_t want = beacon_.max_round_for_epoch(round);
    for (int i = 0; i < kBeaconSearchDepth; ++i) {
        for (const auto& e : ts.blocks().front().beacon_entries) {
            if (e.round == want) return crypto::blake2b_256(e.data);
        }
        if (ts.height() == 0) break;
        VENUS_TRY(ts, node_.tipset(ts.parents()));
    }
    return make_error(Errc::kNotFound, "didn't find beacon for round {} (epoch {})", want, round);
}

Result<Hash256> Randomness::from_tickets(std::int64_t dst, chain::ChainEpoch round, BytesView entropy,
                                         const chain::TipSetKey& tsk) {
    VENUS_TRY(auto digest, chain_digest(round, tsk));
    return draw_randomness(digest, dst, round, entropy);
}

Result<Hash256> Randomness::from_beacon(std::int64_t dst, chain::ChainEpoch round, BytesView entropy,
                                        const chain::TipSetKey& tsk) {
    VENUS_TRY(auto digest, beacon_digest(round, tsk));
    return draw_randomness(digest, dst, round, entropy);
}

}  // namespace venus::plugins::consensus
