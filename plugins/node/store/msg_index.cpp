// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "node/store/msg_index.hpp"

#include "venus/core/log.hpp"

namespace venus::plugins::node {

namespace lmdb = storage::lmdb;

namespace {

constexpr std::string_view kHeadKey = "head";
constexpr std::string_view kVersionKey = "version";

Bytes nonce_key(const chain::Address& from, std::uint64_t nonce) {
    const auto b = from.bytes();
    Bytes k(b.begin(), b.end());
    const auto n = lmdb::be64(nonce);
    k.insert(k.end(), n.begin(), n.end());
    return k;
}

Bytes encode_location(chain::ChainEpoch height, std::uint32_t index, BytesView tsk) {
    Bytes v;
    const auto h = lmdb::be64(static_cast<std::uint64_t>(height));
    v.insert(v.end(), h.begin(), h.end());
    const auto i = lmdb::be32(index);
    v.insert(v.end(), i.begin(), i.end());
    v.insert(v.end(), tsk.begin(), tsk.end());
    return v;
}

Result<MsgLocation> decode_location(BytesView v) {
    if (v.size() < 12) return make_error(Errc::kStorage, "message index entry of {} bytes", v.size());
    MsgLocation loc;
    VENUS_TRY(auto h, lmdb::read_be64(v.subspan(0, 8)));
    VENUS_TRY(loc.index, lmdb::read_be32(v.subspan(8, 4)));
    loc.height = static_cast<chain::ChainEpoch>(h);
    VENUS_TRY(loc.tipset, chain::TipSetKey::from_bytes(v.subspan(12)));
    return loc;
}

}  // namespace

MsgIndex::MsgIndex(lmdb::Environment& env, ChainStore& store, ExecutedFn executed)
    : env_(env), store_(store), executed_(std::move(executed)) {}

MsgIndex::~MsgIndex() {
    if (store_sub_ != 0) store_.unsubscribe(store_sub_);
}

Result<std::unique_ptr<MsgIndex>> MsgIndex::open(lmdb::Environment& env, ChainStore& store, ExecutedFn executed) {
    std::unique_ptr<MsgIndex> idx(new MsgIndex(env, store, std::move(executed)));
    VENUS_TRY(idx->by_cid_, env.open_table(tables::kMsgIndex));
    VENUS_TRY(idx->by_nonce_, env.open_table(tables::kMsgByNonce));
    VENUS_TRY(idx->meta_, env.open_table(tables::kMsgIndexMeta));
    // Subscribe before catching up: a head change in between is then caught by sync() either way.
    auto* raw = idx.get();
    idx->store_sub_ = store.subscribe([raw](const std::vector<HeadChange>&) {
        if (auto st = raw->sync(); !st) log::get("node")->error("message index update failed: {}", st.error().message);
    });
    VENUS_TRY_VOID(idx->sync());
    return idx;
}

Status MsgIndex::apply(lmdb::WriteTxn& w, const TipSet& ts, bool add) {
    if (ts.height() == 0) return {};  // genesis includes no messages
    VENUS_TRY(auto msgs, executed_(ts));
    const Bytes tsk = ts.key().bytes();
    for (std::size_t i = 0; i < msgs.size(); ++i) {
        const auto& [cid, msg] = msgs[i];
        VENUS_TRY(auto unsigned_cid, msg.cid());
        const Bytes nk = nonce_key(msg.from, msg.nonce);
        if (add) {
            const Bytes loc = encode_location(ts.height(), static_cast<std::uint32_t>(i), tsk);
            VENUS_TRY_VOID(w.put(by_cid_, cid.bytes(), loc));
            if (unsigned_cid != cid) VENUS_TRY_VOID(w.put(by_cid_, unsigned_cid.bytes(), loc));
            VENUS_TRY_VOID(w.put(by_nonce_, nk, cid.bytes()));
        } else {
            VENUS_TRY_VOID(w.del(by_cid_, cid.bytes()));
            if (unsigned_cid != cid) VENUS_TRY_VOID(w.del(by_cid_, unsigned_cid.bytes()));
            VENUS_TRY_VOID(w.del(by_nonce_, nk));
        }
    }
    return {};
}

Status MsgIndex::sync() {
    Status st;
    {
        std::lock_guard lock(update_mu_);
        st = sync_locked();
    }
    std::vector<std::function<void()>> subs;
    {
        std::lock_guard lock(subs_mu_);
        for (const auto& [id, fn] : subs_) subs.push_back(fn);
    }
    for (const auto& fn : subs) fn();
    return st;
}

Status MsgIndex::sync_locked() {
    std::optional<chain::TipSetKey> marker;
    bool current_version = false;
    {
        VENUS_TRY(auto txn, env_.begin_read());
        VENUS_TRY(auto v, txn.find(meta_, as_bytes(kVersionKey)));
        if (v) {
            auto ver = lmdb::read_be32(*v);
            current_version = ver && *ver == kMsgIndexVersion;
        }
        VENUS_TRY(auto h, txn.find(meta_, as_bytes(kHeadKey)));
        if (h) {
            VENUS_TRY(marker, chain::TipSetKey::from_bytes(*h));
        }
    }
    if (!current_version || !marker) return rebuild_locked();
    const TipSet head = store_.head();
    if (*marker == head.key()) return {};
    auto from = store_.load_tipset(*marker);
    if (!from) return rebuild_locked();
    VENUS_TRY(auto changes, store_.path(*from, head));
    for (const auto& c : changes) {
        auto written = env_.write([&](lmdb::WriteTxn& w) -> Status {
            const bool add = c.type != HeadChange::Type::kRevert;
            VENUS_TRY_VOID(apply(w, c.tipset, add));
            // After a revert the index reflects the reverted tipset's parent.
            const Bytes now = add ? c.tipset.key().bytes() : c.tipset.parents().bytes();
            return w.put(meta_, as_bytes(kHeadKey), now);
        });
        if (!written) return written;
    }
    return {};
}

Status MsgIndex::rebuild() {
    std::lock_guard lock(update_mu_);
    return rebuild_locked();
}

Status MsgIndex::rebuild_locked() {
    const TipSet head = store_.head();
    // The canonical chain from the head down (null rounds have no tipset), indexed lowest first.
    std::vector<TipSet> chain;
    for (TipSet cur = head; cur.height() > 0;) {
        VENUS_TRY(auto parent, store_.load_tipset(cur.parents()));
        chain.push_back(std::move(cur));
        cur = std::move(parent);
    }
    log::get("node")->info("building the message index over {} tipsets", chain.size());
    return env_.write([&](lmdb::WriteTxn& w) -> Status {
        VENUS_TRY_VOID(w.clear(by_cid_));
        VENUS_TRY_VOID(w.clear(by_nonce_));
        for (auto it = chain.rbegin(); it != chain.rend(); ++it) VENUS_TRY_VOID(apply(w, *it, true));
        const auto v = lmdb::be32(kMsgIndexVersion);
        VENUS_TRY_VOID(w.put(meta_, as_bytes(kVersionKey), v));
        return w.put(meta_, as_bytes(kHeadKey), head.key().bytes());
    });
}

Result<std::optional<MsgLocation>> MsgIndex::find(const chain::Cid& cid) {
    VENUS_TRY(auto txn, env_.begin_read());
    VENUS_TRY(auto raw, txn.find(by_cid_, cid.bytes()));
    if (!raw) return std::optional<MsgLocation>{};
    VENUS_TRY(auto loc, decode_location(*raw));
    return std::optional<MsgLocation>(std::move(loc));
}

Result<std::optional<chain::Cid>> MsgIndex::find_by_nonce(const chain::Address& from, std::uint64_t nonce) {
    VENUS_TRY(auto txn, env_.begin_read());
    VENUS_TRY(auto raw, txn.find(by_nonce_, nonce_key(from, nonce)));
    if (!raw) return std::optional<chain::Cid>{};
    VENUS_TRY(auto cid, chain::Cid::from_bytes(*raw));
    return std::optional<chain::Cid>(std::move(cid));
}

Result<std::optional<chain::TipSetKey>> MsgIndex::indexed_head() {
    VENUS_TRY(auto txn, env_.begin_read());
    VENUS_TRY(auto raw, txn.find(meta_, as_bytes(kHeadKey)));
    if (!raw) return std::optional<chain::TipSetKey>{};
    VENUS_TRY(auto key, chain::TipSetKey::from_bytes(*raw));
    return std::optional<chain::TipSetKey>(std::move(key));
}

Result<std::size_t> MsgIndex::size() {
    VENUS_TRY(auto txn, env_.begin_read());
    VENUS_TRY(auto st, txn.stat(by_cid_));
    return st.entries;
}

Result<std::vector<std::pair<Bytes, Bytes>>> MsgIndex::dump() {
    VENUS_TRY(auto txn, env_.begin_read());
    std::vector<std::pair<Bytes, Bytes>> out;
    for (const auto* t : {&by_cid_, &by_nonce_}) {
        VENUS_TRY_VOID(txn.for_each(*t, [&](BytesView k, BytesView v) {
            out.emplace_back(Bytes(k.begin(), k.end()), Bytes(v.begin(), v.end()));
            return true;
        }));
        out.emplace_back(Bytes{}, Bytes{});  // table separator
    }
    return out;
}

std::uint64_t MsgIndex::subscribe(std::function<void()> fn) {
    std::lock_guard lock(subs_mu_);
    const auto id = next_sub_++;
    subs_.emplace(id, std::move(fn));
    return id;
}

void MsgIndex::unsubscribe(std::uint64_t id) {
    std::lock_guard lock(subs_mu_);
    subs_.erase(id);
}

}  // namespace venus::plugins::node
