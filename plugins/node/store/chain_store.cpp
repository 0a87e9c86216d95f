// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "node/store/chain_store.hpp"

#include <algorithm>

namespace venus::plugins::node {

namespace lmdb = storage::lmdb;
using chain::CborReader;
using chain::CborWriter;

namespace {

constexpr std::string_view kHeadKey = "head";
constexpr std::string_view kGenesisKey = "genesis";

Bytes height_key(chain::ChainEpoch h, BytesView tsk) {
    Bytes k;
    const auto b = lmdb::be64(static_cast<std::uint64_t>(h));
    k.insert(k.end(), b.begin(), b.end());
    k.insert(k.end(), tsk.begin(), tsk.end());
    return k;
}

Result<Bytes> encode_info(const TipSetInfo& info) {
    Bytes out;
    CborWriter w(out);
    w.write_array_header(4);
    w.write_int(info.height);
    VENUS_TRY_VOID(chain::write_bigint(w, info.weight));
    if (info.state_root) {
        w.write_cid(*info.state_root);
    } else {
        w.write_null();
    }
    if (info.receipts_root) {
        w.write_cid(*info.receipts_root);
    } else {
        w.write_null();
    }
    return out;
}

Result<TipSetInfo> decode_info(BytesView data) {
    CborReader r(data);
    VENUS_TRY_VOID(r.read_array_header(4));
    TipSetInfo info;
    VENUS_TRY(info.height, r.read_int());
    VENUS_TRY(info.weight, chain::read_bigint(r));
    if (!r.try_read_null()) {
        VENUS_TRY(auto c, r.read_cid());
        info.state_root = c;
    }
    if (!r.try_read_null()) {
        VENUS_TRY(auto c, r.read_cid());
        info.receipts_root = c;
    }
    return info;
}

}  // namespace

std::string_view head_change_type_name(HeadChange::Type t) noexcept {
    switch (t) {
        case HeadChange::Type::kCurrent:
            return "current";
        case HeadChange::Type::kRevert:
            return "revert";
        case HeadChange::Type::kApply:
            return "apply";
    }
    return "apply";
}

ChainStore::ChainStore(lmdb::Environment& env, std::unique_ptr<chain::LmdbBlockstore> blocks)
    : env_(env), blocks_(std::move(blocks)) {}

ChainStore::~ChainStore() = default;

Result<std::unique_ptr<ChainStore>> ChainStore::open(lmdb::Environment& env) {
    VENUS_TRY(auto blocks, chain::LmdbBlockstore::open(env, tables::kBlocks.name));
    std::unique_ptr<ChainStore> cs(new ChainStore(env, std::move(blocks)));
    VENUS_TRY(cs->tipsets_, env.open_table(tables::kTipsets));
    VENUS_TRY(cs->by_height_, env.open_table(tables::kTipsetsByHeight));
    VENUS_TRY(cs->canonical_, env.open_table(tables::kCanonical));
    VENUS_TRY(cs->meta_, env.open_table(tables::kChainMeta));
    VENUS_TRY_VOID(cs->load_head());
    return cs;
}

Status ChainStore::load_head() {
    VENUS_TRY(auto txn, env_.begin_read());
    VENUS_TRY(auto raw, txn.find(meta_, as_bytes(kHeadKey)));
    if (!raw) return {};
    VENUS_TRY(auto key, TipSetKey::from_bytes(*raw));
    txn.abort();
    VENUS_TRY(auto ts, load_tipset(key));
    VENUS_TRY(auto info, tipset_info(key));
    std::lock_guard lock(mu_);
    head_ = std::move(ts);
    head_weight_ = info ? info->weight : chain::BigInt(0);
    return {};
}

bool ChainStore::has_genesis() {
    std::lock_guard lock(mu_);
    return head_.has_value();
}

Status ChainStore::init_genesis(const BlockHeader& genesis, const chain::Cid& genesis_cid, const chain::BigInt& weight) {
    {
        auto txn = env_.begin_read();
        if (!txn) return txn.error();
        VENUS_TRY(auto raw, txn->find(meta_, as_bytes(kGenesisKey)));
        if (raw) {
            VENUS_TRY(auto stored, chain::Cid::from_bytes(*raw));
            if (stored != genesis_cid) {
                return make_error(Errc::kConfig, "chain store holds genesis {}, not {}", stored.to_string(),
                                  genesis_cid.to_string());
            }
            return {};
        }
    }
    VENUS_TRY(auto ts, put_headers({genesis}));
    VENUS_TRY_VOID(put_tipset(ts, weight));
    VENUS_TRY_VOID(env_.write([&](lmdb::WriteTxn& w) -> Status {
        return w.put(meta_, as_bytes(kGenesisKey), genesis_cid.bytes());
    }));
    return set_head(ts);
}

Result<TipSet> ChainStore::genesis() {
    VENUS_TRY(auto txn, env_.begin_read());
    VENUS_TRY(auto raw, txn.get(meta_, as_bytes(kGenesisKey)));
    VENUS_TRY(auto cid, chain::Cid::from_bytes(raw));
    txn.abort();
    return load_tipset(TipSetKey({cid}));
}

Result<TipSet> ChainStore::put_headers(std::vector<BlockHeader> headers) {
    std::vector<chain::Block> blocks;
    for (const auto& h : headers) {
        VENUS_TRY(auto bytes, chain::encode_cbor(h));
        blocks.push_back(chain::Block{codec::cbor_cid(bytes), std::move(bytes)});
    }
    VENUS_TRY_VOID(blocks_->put_many(blocks));
    return TipSet::create(std::move(headers));
}

Status ChainStore::put_tipset(const TipSet& ts, const chain::BigInt& weight) {
    const Bytes key = ts.key().bytes();
    if (key.size() > lmdb::kMaxKeySize - 8) return make_error(Errc::kOutOfRange, "tipset key too long");
    VENUS_TRY(auto existing, tipset_info(ts.key()));
    if (existing) return {};
    TipSetInfo info;
    info.height = ts.height();
    info.weight = weight;
    VENUS_TRY(auto value, encode_info(info));
    return env_.write([&](lmdb::WriteTxn& w) -> Status {
        VENUS_TRY_VOID(w.put(tipsets_, key, value));
        return w.put(by_height_, height_key(ts.height(), key), {});
    });
}

Result<std::optional<TipSetInfo>> ChainStore::tipset_info(const TipSetKey& key) {
    VENUS_TRY(auto txn, env_.begin_read());
    VENUS_TRY(auto raw, txn.find(tipsets_, key.bytes()));
    if (!raw) return std::optional<TipSetInfo>{};
    VENUS_TRY(auto info, decode_info(*raw));
    return std::optional<TipSetInfo>(std::move(info));
}

Status ChainStore::set_execution(const TipSetKey& key, const chain::Cid& state_root, const chain::Cid& receipts_root) {
    const Bytes k = key.bytes();
    return env_.write([&](lmdb::WriteTxn& w) -> Status {
        VENUS_TRY(auto raw, w.find(tipsets_, k));
        if (!raw) return make_error(Errc::kNotFound, "tipset not indexed");
        VENUS_TRY(auto info, decode_info(*raw));
        info.state_root = state_root;
        info.receipts_root = receipts_root;
        VENUS_TRY(auto value, encode_info(info));
        return w.put(tipsets_, k, value);
    });
}

Result<BlockHeader> ChainStore::load_header(const chain::Cid& cid) {
    VENUS_TRY(auto bytes, blocks_->get(cid));
    return chain::decode_cbor<BlockHeader>(bytes);
}

Result<TipSet> ChainStore::load_tipset(const TipSetKey& key) {
    if (key.empty()) return head();
    std::vector<BlockHeader> headers;
    for (const auto& c : key.cids()) {
        auto h = load_header(c);
        if (!h) return make_error(Errc::kNotFound, "loading block {}: {}", c.to_string(), h.error().message);
        headers.push_back(std::move(*h));
    }
    VENUS_TRY(auto ts, TipSet::create(std::move(headers)));
    if (ts.key() != key) return make_error(Errc::kInvalidArgument, "tipset key is not in canonical order");
    return ts;
}

TipSet ChainStore::head() {
    std::lock_guard lock(mu_);
    return *head_;
}

chain::BigInt ChainStore::head_weight() {
    std::lock_guard lock(mu_);
    return head_weight_;
}

Result<std::vector<HeadChange>> ChainStore::path(const TipSet& from, const TipSet& to) {
    std::vector<HeadChange> reverts;
    std::vector<HeadChange> applies;
    TipSet a = from;
    TipSet b = to;
    while (a.key() != b.key()) {
        if (a.height() >= b.height()) {
            reverts.push_back({HeadChange::Type::kRevert, a});
            if (a.height() == 0) return make_error(Errc::kInvalidArgument, "tipsets have different genesis");
            VENUS_TRY(a, load_tipset(a.parents()));
        } else {
            applies.push_back({HeadChange::Type::kApply, b});
            VENUS_TRY(b, load_tipset(b.parents()));
        }
    }
    std::reverse(applies.begin(), applies.end());
    reverts.insert(reverts.end(), applies.begin(), applies.end());
    return reverts;
}

Status ChainStore::set_head(const TipSet& ts) {
    std::vector<HeadChange> changes;
    {
        std::lock_guard serial(head_mu_);
        std::optional<TipSet> old;
        {
            std::lock_guard lock(mu_);
            old = head_;
        }
        VENUS_TRY(auto info, tipset_info(ts.key()));
        if (!info) return make_error(Errc::kNotFound, "set_head: tipset at {} is not indexed", ts.height());
        if (old) {
            VENUS_TRY(changes, path(*old, ts));
        } else {
            // First head: the canonical index is built from scratch down to genesis.
            TipSet cur = ts;
            std::vector<HeadChange> applies{{HeadChange::Type::kApply, cur}};
            while (cur.height() > 0) {
                VENUS_TRY(cur, load_tipset(cur.parents()));
                applies.push_back({HeadChange::Type::kApply, cur});
            }
            std::reverse(applies.begin(), applies.end());
            changes = std::move(applies);
        }
        const Bytes head_key = ts.key().bytes();
        auto written = env_.write([&](lmdb::WriteTxn& w) -> Status {
            for (const auto& c : changes) {
                const auto h = lmdb::be64(static_cast<std::uint64_t>(c.tipset.height()));
                if (c.type == HeadChange::Type::kRevert) {
                    VENUS_TRY(auto removed, w.del(canonical_, h));
                    (void)removed;
                } else {
                    VENUS_TRY_VOID(w.put(canonical_, h, c.tipset.key().bytes()));
                }
            }
            return w.put(meta_, as_bytes(kHeadKey), head_key);
        });
        if (!written) return written;
        std::vector<Subscriber> subs;
        {
            std::lock_guard lock(mu_);
            head_ = ts;
            head_weight_ = info->weight;
            for (const auto& [id, fn] : subscribers_) subs.push_back(fn);
        }
        if (!old) return {};
        for (const auto& fn : subs) fn(changes);
    }
    return {};
}

Result<bool> ChainStore::maybe_set_head(const TipSet& ts) {
    VENUS_TRY(auto info, tipset_info(ts.key()));
    if (!info) return make_error(Errc::kNotFound, "tipset at {} is not indexed", ts.height());
    if (has_genesis() && info->weight <= head_weight()) return false;
    VENUS_TRY_VOID(set_head(ts));
    return true;
}

Result<TipSet> ChainStore::tipset_by_height(chain::ChainEpoch h, const TipSet& from, bool prev) {
    if (h < 0) return make_error(Errc::kInvalidArgument, "negative height {}", h);
    if (h > from.height()) {
        return make_error(Errc::kInvalidArgument, "looking for tipset with height greater than start point");
    }
    if (h == from.height()) return from;
    // On the canonical chain the height index answers directly; elsewhere walk the parents.
    bool canonical = false;
    std::optional<TipSetKey> found;
    {
        VENUS_TRY(auto txn, env_.begin_read());
        VENUS_TRY(auto at_from, txn.find(canonical_, lmdb::be64(static_cast<std::uint64_t>(from.height()))));
        const Bytes from_key = from.key().bytes();
        canonical = at_from && std::equal(at_from->begin(), at_from->end(), from_key.begin(), from_key.end());
        if (canonical) {
            VENUS_TRY(auto cursor, txn.cursor(canonical_));
            if (prev) {
                VENUS_TRY(auto e, cursor.lower_bound(lmdb::be64(static_cast<std::uint64_t>(h) + 1)));
                if (e) {
                    VENUS_TRY(e, cursor.prev());
                } else {
                    VENUS_TRY(e, cursor.last());
                }
                if (e) {
                    VENUS_TRY(found, TipSetKey::from_bytes(e->value));
                }
            } else {
                VENUS_TRY(auto e, cursor.lower_bound(lmdb::be64(static_cast<std::uint64_t>(h))));
                if (e) {
                    VENUS_TRY(found, TipSetKey::from_bytes(e->value));
                }
            }
        }
    }
    if (found) return load_tipset(*found);
    TipSet cur = from;
    TipSet above = from;
    while (cur.height() > h) {
        above = cur;
        VENUS_TRY(cur, load_tipset(cur.parents()));
    }
    if (cur.height() == h || prev) return cur;
    return above;
}

std::uint64_t ChainStore::subscribe(Subscriber fn) {
    std::lock_guard lock(mu_);
    const auto id = next_subscriber_++;
    subscribers_.emplace(id, std::move(fn));
    return id;
}

void ChainStore::unsubscribe(std::uint64_t id) {
    std::lock_guard lock(mu_);
    subscribers_.erase(id);
}

}  // namespace venus::plugins::node
