// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "node/msg_search.hpp"

#include <algorithm>

#include "venus/chain/amt.hpp"

namespace venus::plugins::node {

namespace {

// Lotus ChainStore.GetCMessage: an unsigned message first, then a signed one.
Result<std::optional<chain::Message>> load_vm_message(chain::Blockstore& bs, const chain::Cid& cid) {
    VENUS_TRY(auto has, bs.has(cid));
    if (!has) return std::optional<chain::Message>{};
    VENUS_TRY(auto bytes, bs.get(cid));
    if (auto m = chain::decode_cbor<chain::Message>(bytes)) return std::optional<chain::Message>(std::move(*m));
    if (auto s = chain::decode_cbor<chain::SignedMessage>(bytes)) {
        return std::optional<chain::Message>(std::move(s->message));
    }
    return make_error(Errc::kInvalidArgument, "failed to load message: {} is not a message", cid.to_string());
}

Status replacement_check(const chain::Cid& sought, const chain::Message& vmm, const chain::Cid& found,
                         const chain::Message& fm, bool allow_replaced) {
    VENUS_TRY(auto a, vmm.cid());
    VENUS_TRY(auto b, fm.cid());
    if (a == b) return {};  // the same message (signed and unsigned CIDs name it alike)
    if (!equal_call(vmm, fm)) {
        return make_error(Errc::kInvalidArgument,
                          "found message with equal nonce as the one we are looking for that is NOT a valid "
                          "replacement message (F:{} n {}, TS: {} n{})",
                          sought.to_string(), vmm.nonce, found.to_string(), fm.nonce);
    }
    if (!allow_replaced) {
        return make_error(Errc::kInvalidArgument,
                          "found message with equal nonce as the one we are looking for (F:{} n {}, TS: {} n{})",
                          sought.to_string(), vmm.nonce, found.to_string(), fm.nonce);
    }
    return {};
}

}  // namespace

bool equal_call(const chain::Message& a, const chain::Message& b) {
    chain::Message x = a;
    chain::Message y = b;
    x.gas_limit = y.gas_limit = 0;
    x.gas_fee_cap = y.gas_fee_cap = chain::TokenAmount(0);
    x.gas_premium = y.gas_premium = chain::TokenAmount(0);
    return x == y;
}

MsgSearch::MsgSearch(NodeService& svc, MsgIndex& index) : svc_(svc), index_(index) {
    index_sub_ = index_.subscribe([this] {
        std::vector<std::uint64_t> ids;
        {
            std::lock_guard lock(mu_);
            for (const auto& [id, w] : waiters_) ids.push_back(id);
        }
        for (auto id : ids) check(id);
    });
}

MsgSearch::~MsgSearch() { shutdown(); }

void MsgSearch::shutdown() {
    std::map<std::uint64_t, Waiter> left;
    {
        std::lock_guard lock(mu_);
        if (stopped_) return;
        stopped_ = true;
        left.swap(waiters_);
    }
    index_.unsubscribe(index_sub_);
    for (auto& [id, w] : left) w.done(make_error(Errc::kCancelled, "node is shutting down"));
}

chain::ChainEpoch MsgSearch::min_exec_height(const chain::TipSet& from, std::int64_t limit) {
    if (limit < 0) return 0;
    return from.height() - std::max<std::int64_t>(limit, 1) + 1;
}

Result<chain::MessageReceipt> MsgSearch::receipt_at(const chain::TipSet& exec, std::uint32_t index) {
    VENUS_TRY(auto amt, chain::Amt::load(svc_.store().blockstore(), exec.blocks().front().parent_message_receipts,
                                         chain::Amt::Format::kLegacy));
    VENUS_TRY(auto raw, amt.get(index));
    if (!raw) return make_error(Errc::kNotFound, "no receipt {} in tipset at {}", index, exec.height());
    return chain::decode_cbor<chain::MessageReceipt>(*raw);
}

// Lotus tipsetExecutedMessage: the message with vmm's sender and nonce among the messages `ts`
// executed (its parent's), newest first.
Result<std::optional<MsgLookup>> MsgSearch::executed_in(const chain::TipSet& ts, const chain::Message& vmm,
                                                        const chain::Cid& sought, bool allow_replaced) {
    if (ts.height() == 0) return std::optional<MsgLookup>{};
    VENUS_TRY(auto msgs, svc_.tipset_messages(ts.parents()));
    for (std::size_t k = msgs.size(); k-- > 0;) {
        const auto& [cid, m] = msgs[k];
        if (m.from != vmm.from) continue;
        if (m.nonce == vmm.nonce) {
            VENUS_TRY_VOID(replacement_check(sought, vmm, cid, m, allow_replaced));
            VENUS_TRY(auto r, receipt_at(ts, static_cast<std::uint32_t>(k)));
            return std::optional<MsgLookup>(MsgLookup{cid, m, std::move(r), ts, ts.height()});
        }
        if (m.nonce < vmm.nonce) break;
    }
    return std::optional<MsgLookup>{};
}

// The index covers the head's chain; `top` is the highest height on it the search may see.
Result<std::optional<MsgLookup>> MsgSearch::from_index(chain::ChainEpoch top, const chain::Message& vmm,
                                                       const chain::Cid& sought, chain::ChainEpoch min_exec,
                                                       bool allow_replaced) {
    VENUS_TRY(auto found, index_.find_by_nonce(vmm.from, vmm.nonce));
    if (!found) return std::optional<MsgLookup>{};
    VENUS_TRY(auto loc, index_.find(*found));
    if (!loc || loc->height >= top) return std::optional<MsgLookup>{};
    // The executing tipset is the next one on the head's chain (after any null rounds).
    auto exec = svc_.store().tipset_by_height(loc->height + 1, svc_.head(), false);
    if (!exec || exec->parents() != loc->tipset) return std::optional<MsgLookup>{};  // head moved meanwhile
    if (exec->height() > top || exec->height() < min_exec) return std::optional<MsgLookup>{};
    VENUS_TRY(auto fm, load_vm_message(svc_.store().blockstore(), *found));
    if (!fm) return make_error(Errc::kStorage, "indexed message {} is not stored", found->to_string());
    VENUS_TRY_VOID(replacement_check(sought, vmm, *found, *fm, allow_replaced));
    VENUS_TRY(auto r, receipt_at(*exec, loc->index));
    return std::optional<MsgLookup>(MsgLookup{*found, std::move(*fm), std::move(r), *exec, exec->height()});
}

Result<std::optional<MsgLookup>> MsgSearch::search(const chain::TipSet& from, const chain::Cid& cid,
                                                   chain::ChainEpoch min_exec, bool allow_replaced) {
    VENUS_TRY(auto vmm, load_vm_message(svc_.store().blockstore(), cid));
    if (!vmm) {
        // Only the signed form of a secp message is stored; its unsigned CID is in the index.
        VENUS_TRY(auto loc, index_.find(cid));
        if (!loc) return std::optional<MsgLookup>{};
        VENUS_TRY(auto msgs, svc_.tipset_messages(loc->tipset));
        if (loc->index >= msgs.size()) return std::optional<MsgLookup>{};
        vmm = msgs[loc->index].second;
    }
    // Walk down the fork `from` is on (if any) until the head's chain.
    const chain::TipSet head = svc_.head();
    chain::TipSet cur = from;
    while (true) {
        if (cur.height() <= head.height()) {
            auto canon = svc_.store().tipset_by_height(cur.height(), head, true);
            if (canon && canon->key() == cur.key()) break;
        }
        if (cur.height() < min_exec || cur.height() == 0) return std::optional<MsgLookup>{};
        VENUS_TRY(auto r, executed_in(cur, *vmm, cid, allow_replaced));
        if (r) return r;
        VENUS_TRY(cur, svc_.tipset(cur.parents()));
    }
    return from_index(cur.height(), *vmm, cid, min_exec, allow_replaced);
}

std::uint64_t MsgSearch::wait(const chain::Cid& cid, std::uint64_t confidence, std::int64_t limit,
                              bool allow_replaced, Done done) {
    Waiter w{cid, confidence, min_exec_height(svc_.head(), limit), allow_replaced, std::move(done)};
    std::uint64_t id = 0;
    {
        std::lock_guard lock(mu_);
        if (stopped_) {
            w.done(make_error(Errc::kCancelled, "node is shutting down"));
            return 0;
        }
        id = next_id_++;
        waiters_.emplace(id, std::move(w));
    }
    check(id);
    return id;
}

std::optional<MsgSearch::Waiter> MsgSearch::take(std::uint64_t id) {
    std::lock_guard lock(mu_);
    auto it = waiters_.find(id);
    if (it == waiters_.end()) return std::nullopt;
    Waiter w = std::move(it->second);
    waiters_.erase(it);
    return w;
}

void MsgSearch::check(std::uint64_t id) {
    chain::Cid cid;
    std::uint64_t confidence = 0;
    chain::ChainEpoch min_exec = 0;
    bool allow = true;
    {
        std::lock_guard lock(mu_);
        auto it = waiters_.find(id);
        if (it == waiters_.end()) return;
        cid = it->second.cid;
        confidence = it->second.confidence;
        min_exec = it->second.min_exec;
        allow = it->second.allow_replaced;
    }
    const chain::TipSet head = svc_.head();
    auto r = search(head, cid, min_exec, allow);
    if (r && (!*r || head.height() < (*r)->height + static_cast<chain::ChainEpoch>(confidence))) return;
    auto w = take(id);
    if (!w) return;  // answered or cancelled by another thread meanwhile
    if (!r) return w->done(r.error());
    w->done(std::move(**r));
}

void MsgSearch::cancel(std::uint64_t id) {
    if (auto w = take(id)) w->done(make_error(Errc::kCancelled, "context canceled"));
}

std::size_t MsgSearch::waiting() const {
    std::lock_guard lock(mu_);
    return waiters_.size();
}

}  // namespace venus::plugins::node
