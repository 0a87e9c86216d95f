// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "consensus/consensus_service.hpp"

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <algorithm>
#include <thread>

#include "consensus/election.hpp"
#include "venus/core/log.hpp"
#include "venus/crypto/bls.hpp"

namespace venus::plugins::consensus {

namespace {
constexpr storage::lmdb::TableDef kBadBlocksTable{"bad_blocks"};
Bytes cid_key(const chain::Cid& c) { return Bytes(c.bytes().begin(), c.bytes().end()); }
}  // namespace

// ---- BadBlocks ----------------------------------------------------------------------------------
Result<std::unique_ptr<BadBlocks>> BadBlocks::open(storage::lmdb::Environment* env) {
    auto out = std::make_unique<BadBlocks>();
    out->env_ = env;
    if (env) {
        VENUS_TRY(out->table_, env->open_table(kBadBlocksTable));
    }
    return out;
}

std::optional<std::string> BadBlocks::reason(const chain::Cid& cid) {
    const Bytes key = cid_key(cid);
    std::lock_guard lock(mu_);
    if (auto it = memory_.find(key); it != memory_.end()) return it->second;
    if (!env_) return std::nullopt;
    auto txn = env_->begin_read();
    if (!txn) return std::nullopt;
    auto v = txn->find(table_, key);
    if (!v || !*v) return std::nullopt;
    std::string reason(reinterpret_cast<const char*>((*v)->data()), (*v)->size());
    memory_.emplace(key, reason);
    return reason;
}

Status BadBlocks::mark(const chain::Cid& cid, const std::string& reason) {
    const Bytes key = cid_key(cid);
    std::lock_guard lock(mu_);
    memory_.insert_or_assign(key, reason);
    if (!env_) return {};
    return env_->write([&](storage::lmdb::WriteTxn& txn) -> Status {
        return txn.put(table_, key, as_bytes(reason));
    });
}

// ---- ConsensusService ---------------------------------------------------------------------------
ConsensusService::ConsensusService(api::Node& node, ConsensusParams params, std::unique_ptr<Beacon> beacon,
                                   std::unique_ptr<ProofVerifier> proofs, std::unique_ptr<BadBlocks> bad,
                                   BlockValidator::Clock now)
    : node_(node),
      params_(std::move(params)),
      beacon_(std::move(beacon)),
      proofs_(std::move(proofs)),
      bad_(std::move(bad)),
      now_(now ? std::move(now) : BlockValidator::Clock(unix_now)),
      randomness_(node_, *beacon_),
      validator_(node_, *beacon_, *proofs_, params_, now_) {}

Result<std::optional<MiningBaseInfo>> ConsensusService::base_info(const chain::Address& miner, chain::ChainEpoch round,
                                                                  const chain::TipSetKey& tsk) {
    VENUS_TRY(auto ts, node_.tipset(tsk));
    if (round <= ts.height()) {
        return make_error(Errc::kInvalidArgument, "round {} is not above the base height {}", round, ts.height());
    }
    auto prev = latest_beacon_entry(node_, ts);
    if (!prev) return prev.error().wrap("failed to get latest beacon entry");
    auto entries = beacon_entries_for_block(*beacon_, round, ts.height(), *prev);
    if (!entries && entries.error().code == make_error_code(Errc::kUnavailable)) {
        // A miner asks as its round starts, perhaps a moment early: wait for the beacon as Lotus does
        // (BeaconEntriesForBlock blocks on drand), but never longer than one block delay.
        const auto due = beacon_->available_at(beacon_->max_round_for_epoch(round));
        const auto now = now_();
        if (due > now && due - now <= params_.block_delay_secs) {
            std::this_thread::sleep_for(std::chrono::seconds(due - now) + std::chrono::milliseconds(20));
            entries = beacon_entries_for_block(*beacon_, round, ts.height(), *prev);
        }
    }
    if (!entries) return entries.error().wrap("getting beacon entries for the block");
    VENUS_TRY(auto lb, lookback_for_round(node_, ts, round, params_));
    auto info = node_.miner_info(miner, lb.state_key);
    if (!info) {
        // Absent in lookback state: null, unless it does not exist at all (Lotus's rule).
        if (auto now = node_.miner_info(miner, ts.key()); !now) return now.error().wrap("loading miner in current state");
        return std::optional<MiningBaseInfo>{};
    }
    VENUS_TRY(auto sectors, winning_post_sectors(node_, miner, lb.state_key));
    if (sectors.empty()) return std::optional<MiningBaseInfo>{};
    VENUS_TRY(auto power, node_.miner_power(miner, lb.state_key));
    VENUS_TRY(auto worker, node_.account_key(info->worker, ts.key()));
    VENUS_TRY(auto eligible, miner_eligible(node_, miner, ts, lb.lbts));
    MiningBaseInfo out;
    out.miner_power = power.miner.quality_adj_power;
    out.network_power = power.total.quality_adj_power;
    out.sectors = std::move(sectors);
    out.worker_key = worker;
    out.sector_size = info->sector_size;
    out.prev_beacon_entry = *prev;
    out.beacon_entries = std::move(*entries);
    out.eligible_for_mining = eligible;
    return std::optional<MiningBaseInfo>{std::move(out)};
}

Result<FullBlock> ConsensusService::create_block(const BlockTemplate& t) {
    VENUS_TRY(auto parent, node_.tipset(t.parents));
    if (t.parents.empty()) return make_error(Errc::kInvalidArgument, "block template has no parents");
    VENUS_TRY(auto pinfo, node_.parent_info(parent.key()));
    VENUS_TRY(auto lb, lookback_for_round(node_, parent, t.epoch, params_));
    VENUS_TRY(auto worker, worker_key(node_, t.miner, lb.state_key));

    FullBlock b;
    auto& h = b.header;
    h.miner = t.miner;
    h.parents = t.parents.cids();
    h.ticket = t.ticket;
    h.election_proof = t.eproof;
    h.beacon_entries = t.beacon_values;
    h.height = t.epoch;
    h.timestamp = t.timestamp;
    h.win_post_proof = t.winning_post_proof;
    h.parent_state_root = pinfo.state_root;
    h.parent_message_receipts = pinfo.receipts_root;
    h.parent_weight = pinfo.weight;
    h.parent_base_fee = pinfo.base_fee;

    std::vector<BytesView> bls_sigs;
    for (const auto& m : t.messages) {
        if (m.signature.type == chain::SigType::kBls) {
            b.bls_messages.push_back(m.message);
            bls_sigs.emplace_back(m.signature.data);
        } else if (m.signature.type == chain::SigType::kSecp256k1 || m.signature.type == chain::SigType::kDelegated) {
            b.secp_messages.push_back(m);
        } else {
            return make_error(Errc::kInvalidArgument, "unknown sig type: {}", static_cast<int>(m.signature.type));
        }
    }
    VENUS_TRY(h.messages, node_.put_messages(api::BlockContents{b.bls_messages, b.secp_messages}));
    VENUS_TRY(auto agg, crypto::bls::aggregate(bls_sigs));
    h.bls_aggregate = chain::Signature{chain::SigType::kBls, Bytes(agg.begin(), agg.end())};

    // Venus signs only with a key of this process's wallet; otherwise the miner signs (BlockSig null).
    if (wallet_) {
        if (auto w = wallet_(); w) {
            if (auto has = w->has(worker); has && *has) {
                VENUS_TRY(auto bytes, h.signing_bytes());
                VENUS_TRY(auto sig, w->sign(worker, bytes, api::SignMeta{std::string(api::kMetaBlock), {}}));
                h.block_sig = std::move(sig);
            }
        }
    }
    return b;
}

chain::BlockMsg ConsensusService::to_block_msg(const FullBlock& b) {
    chain::BlockMsg out;
    out.header = b.header;
    for (const auto& m : b.bls_messages) out.bls_messages.push_back(m.cid().value());
    for (const auto& m : b.secp_messages) out.secpk_messages.push_back(m.cid().value());
    return out;
}

Status ConsensusService::submit(const chain::BlockMsg& msg) {
    if (msg.header.parents.empty()) return make_error(Errc::kInvalidArgument, "loading parent block: block has no parents");
    if (auto p = node_.block(msg.header.parents.front()); !p) return p.error().wrap("loading parent block");
    // Messages not in the blockstore may still be pending in this node's pool (one lookup for all).
    std::vector<chain::Cid> absent;
    for (const auto* list : {&msg.bls_messages, &msg.secpk_messages}) {
        for (const auto& c : *list) {
            if (!node_.read_obj(c)) absent.push_back(c);
        }
    }
    std::unordered_map<chain::Cid, chain::SignedMessage> pooled;
    if (!absent.empty() && lookup_) pooled = lookup_(absent);
    FullBlock b;
    b.header = msg.header;
    for (const auto& c : msg.bls_messages) {
        if (auto it = pooled.find(c); it != pooled.end()) {
            b.bls_messages.push_back(it->second.message);
            continue;
        }
        auto raw = node_.read_obj(c);
        if (!raw) return raw.error().wrap("failed to load bls messages");
        VENUS_TRY(auto m, chain::decode_cbor<chain::Message>(*raw));
        b.bls_messages.push_back(std::move(m));
    }
    for (const auto& c : msg.secpk_messages) {
        if (auto it = pooled.find(c); it != pooled.end()) {
            b.secp_messages.push_back(it->second);
            continue;
        }
        auto raw = node_.read_obj(c);
        if (!raw) return raw.error().wrap("failed to load secpk message");
        VENUS_TRY(auto m, chain::decode_cbor<chain::SignedMessage>(*raw));
        b.secp_messages.push_back(std::move(m));
    }
    auto v = submit(b);
    if (!v.ok()) return make_error(Errc::kInvalidArgument, "sync to submitted block failed: {}", v.reason);
    return {};
}

Verdict ConsensusService::submit(const FullBlock& block) {
    Verdict v;
    if (auto cid = block.header.cid(); cid) {
        v.cid = *cid;
        if (auto why = bad_->reason(*cid)) {
            v.failure = Failure::kInvalid;
            v.reason = "block was marked bad: " + *why;
            return v;
        }
        for (const auto& p : block.header.parents) {
            if (auto why = bad_->reason(p)) {
                v.failure = Failure::kInvalid;
                v.reason = fmt::format("parent {} was marked bad: {}", p.to_string(), *why);
                (void)bad_->mark(*cid, v.reason);
                return v;
            }
        }
    }
    if (accepted_before(block.header)) return v;  // peers push a block back and forth: validate it once
    v = validator_.validate(block);
    auto log = log::get("consensus");
    if (v.failure == Failure::kInvalid) {
        log->warn("block {} at height {} is invalid: {}", v.cid.to_string(), block.header.height, v.reason);
        if (auto st = bad_->mark(v.cid, v.reason); !st) log->error("recording bad block: {}", st.error().message);
        return v;
    }
    if (v.failure == Failure::kTemporal) {
        {
            std::lock_guard lock(mu_);
            temporal_.push_back(block);
        }
        schedule_retry(block.header.timestamp - params_.allowable_clock_drift_secs);
        return v;
    }
    if (!v.ok()) return v;

    std::vector<chain::BlockHeader> group;
    {
        std::lock_guard lock(mu_);
        auto& sib = siblings_[{chain::TipSetKey(block.header.parents).bytes(), block.header.height}];
        bool seen = false;
        for (const auto& s : sib) seen = seen || s == block.header;
        if (!seen) sib.push_back(block.header);
        group = sib;
        ++vm_applied_;
        // Siblings far below the new block can no longer join a head.
        const auto floor = block.header.height - params_.chain_finality;
        for (auto it = siblings_.begin(); it != siblings_.end();) {
            it = it->first.second < floor ? siblings_.erase(it) : std::next(it);
        }
    }
    auto ts = node_.put_headers(group);
    if (!ts) {
        v.failure = Failure::kMissingParent;
        v.reason = "forming the tipset: " + ts.error().message;
        return v;
    }
    auto added = node_.add_tipset(*ts);
    if (!added) {
        v.failure = Failure::kMissingParent;
        v.reason = "adding the tipset: " + added.error().message;
        return v;
    }
    if (*added) {
        std::lock_guard lock(mu_);
        last_change_ = now_();
    }
    v.tipset = *ts;
    if (on_block_) on_block_(block);
    return v;
}

bool ConsensusService::accepted_before(const chain::BlockHeader& h) {
    std::lock_guard lock(mu_);
    auto it = siblings_.find({chain::TipSetKey(h.parents).bytes(), h.height});
    return it != siblings_.end() && std::find(it->second.begin(), it->second.end(), h) != it->second.end();
}

std::size_t ConsensusService::retry_temporal() {
    std::vector<FullBlock> todo;
    {
        std::lock_guard lock(mu_);
        todo.swap(temporal_);
    }
    std::size_t ok = 0;
    for (const auto& b : todo) ok += submit(b).ok() ? 1 : 0;  // still-temporal ones queue themselves again
    return ok;
}

std::size_t ConsensusService::pending_temporal() const {
    std::lock_guard lock(mu_);
    return temporal_.size();
}

void ConsensusService::schedule_retry(std::uint64_t at) {
    if (!io_) return;
    const auto now = now_();
    const auto wait = std::chrono::seconds(at > now ? at - now : 0) + std::chrono::milliseconds(100);
    auto timer = std::make_shared<asio::steady_timer>(*io_, wait);
    timer->async_wait([this, timer](const std::error_code& ec) {
        if (ec) return;
        if (blocking_) {
            blocking_([this] { retry_temporal(); });
        } else {
            retry_temporal();
        }
    });
}

SyncStatus ConsensusService::sync_status() {
    SyncStatus s;
    s.target = node_.head();
    s.base = s.target;
    if (s.target.height() > 0) {
        if (auto p = node_.tipset(s.target.parents())) s.base = *p;
    }
    std::lock_guard lock(mu_);
    s.vm_applied = vm_applied_;
    s.start = last_change_;
    s.peer = peer_sync_;
    return s;
}

void ConsensusService::report_peer_sync(PeerSync s) {
    std::lock_guard lock(mu_);
    peer_sync_ = std::move(s);
}

}  // namespace venus::plugins::consensus
