// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "consensus/fault.hpp"

namespace venus::plugins::consensus {

namespace {
Bytes addr_key(const chain::Address& a) { return Bytes(a.bytes().begin(), a.bytes().end()); }
}  // namespace

Result<FaultCheck> check_consensus_fault(const MinedHistory& history, const chain::BlockHeader& header,
                                         chain::ChainEpoch parent_epoch) {
    VENUS_TRY(auto cid, header.cid());
    FaultCheck out;
    auto fault = [&](FaultKind kind, const chain::Cid& other, const char* what) {
        out.kind = kind;
        out.witness = other;
        out.message = fmt::format("produced block would trigger '{}' consensus fault; miner: {}; bh: {}, other: {}",
                                  what, header.miner.to_string(), cid.to_string(), other.to_string());
    };
    if (auto other = history.by_epoch(header.miner, header.height); other && *other != cid) {
        fault(FaultKind::kDoubleFork, *other, "double-fork mining faults");
        return out;
    }
    const chain::TipSetKey parents(header.parents);
    if (auto other = history.by_parents(header.miner, parents); other && *other != cid) {
        fault(FaultKind::kTimeOffset, *other, "time-offset mining faults");
        return out;
    }
    if (auto mine = history.by_epoch(header.miner, parent_epoch)) {
        bool found = false;
        for (const auto& p : header.parents) found = found || p == *mine;
        if (!found) {
            out.kind = FaultKind::kParentGrinding;
            out.witness = *mine;
            out.message = fmt::format(
                "produced block would trigger 'parent-grinding fault' consensus fault; miner: {}; bh: {}, expected "
                "parent: {}",
                header.miner.to_string(), cid.to_string(), mine->to_string());
        }
    }
    return out;
}

std::optional<chain::Cid> MemoryMinedHistory::by_epoch(const chain::Address& miner, chain::ChainEpoch epoch) const {
    auto it = by_epoch_.find({addr_key(miner), epoch});
    if (it == by_epoch_.end()) return std::nullopt;
    return it->second;
}

std::optional<chain::Cid> MemoryMinedHistory::by_parents(const chain::Address& miner,
                                                         const chain::TipSetKey& parents) const {
    auto it = by_parents_.find({addr_key(miner), parents.bytes()});
    if (it == by_parents_.end()) return std::nullopt;
    return it->second;
}

Status MemoryMinedHistory::record(const chain::BlockHeader& header) {
    VENUS_TRY(auto cid, header.cid());
    by_epoch_.insert_or_assign({addr_key(header.miner), header.height}, cid);
    by_parents_.insert_or_assign({addr_key(header.miner), chain::TipSetKey(header.parents).bytes()}, cid);
    return {};
}

}  // namespace venus::plugins::consensus
