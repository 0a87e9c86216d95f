// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "node/mpool/message_pool.hpp"

#include <algorithm>
#include <queue>
#include <set>
#include <unordered_set>

#include "node/actors/codes.hpp"
#include "node/actors/states.hpp"
#include "node/state/state_tree.hpp"
#include "node/vm/gas.hpp"
#include "venus/chain/json.hpp"
#include "venus/chain/keys.hpp"
#include "venus/core/log.hpp"
#include "venus/crypto/bls.hpp"

namespace venus::plugins::node {

namespace {

const chain::TokenAmount& total_filecoin() {
    static const chain::TokenAmount v = chain::BigInt(2'000'000'000) * chain::fil_precision();
    return v;
}

// build.ZeroAddress: f3 with the payload 0xc0 ‖ 47 zero bytes.
const chain::Address& zero_address() {
    static const chain::Address a = [] {
        Bytes pk(48, 0);
        pk[0] = 0xc0;
        return chain::Address::new_bls(pk).value();
    }();
    return a;
}

bool valid_sender(const chain::Actor& a) {
    const auto t = actor_type(a.code);
    return t && (*t == ActorType::kAccount || *t == ActorType::kEthAccount || *t == ActorType::kPlaceholder);
}

chain::TokenAmount required_funds(const chain::Message& m) {
    return m.gas_fee_cap * chain::BigInt(m.gas_limit) + m.value;
}

Error not_found(const chain::Address& a) {
    return make_error(Errc::kNotFound, "resolution lookup failed ({}): actor not found", a.to_string());
}

}  // namespace

Status valid_for_block_inclusion(const chain::Message& m, std::int64_t min_gas, std::int64_t block_gas_limit) {
    auto bad = [](std::string_view what) { return make_error(Errc::kInvalidArgument, "{}", what); };
    if (m.version != 0) return bad("'Version' unsupported");
    if (!m.to.defined()) return bad("'To' address cannot be empty");
    if (m.to == zero_address()) return bad("invalid 'To' address");
    if (!m.from.defined()) return bad("'From' address cannot be empty");
    if (m.value.sign() < 0) return bad("'Value' field cannot be negative");
    if (m.value > total_filecoin()) return bad("'Value' field cannot be greater than total filecoin supply");
    if (m.gas_fee_cap.sign() < 0) return bad("'GasFeeCap' field cannot be negative");
    if (m.gas_premium.sign() < 0) return bad("'GasPremium' field cannot be negative");
    if (m.gas_premium > m.gas_fee_cap) return bad("'GasFeeCap' less than 'GasPremium'");
    if (m.gas_limit > block_gas_limit) return bad("'GasLimit' field cannot be greater than a block's gas limit");
    if (m.gas_limit <= 0) return make_error(Errc::kInvalidArgument, "'GasLimit' field {} must be positive", m.gas_limit);
    if (m.gas_limit < min_gas) {
        return make_error(Errc::kInvalidArgument,
                          "'GasLimit' field cannot be less than the cost of storing a message on chain {} < {}",
                          m.gas_limit, min_gas);
    }
    return {};
}

chain::TokenAmount min_rbf_premium(const chain::TokenAmount& old_premium) {
    return old_premium * chain::BigInt(mpool::kReplaceByFeePercentageMinimum) / chain::BigInt(100) + chain::BigInt(1);
}

std::string mpool_config_json(const MpoolConfig& c) {
    rapidjson::StringBuffer sb;
    chain::JsonWriter w(sb);
    w.StartObject();
    w.Key("PriorityAddrs");
    w.StartArray();
    for (const auto& a : c.priority_addrs) chain::to_json(w, a);
    w.EndArray();
    w.Key("SizeLimitHigh");
    w.Int64(c.size_limit_high);
    w.Key("SizeLimitLow");
    w.Int64(c.size_limit_low);
    w.Key("ReplaceByFeeRatio");
    w.Double(c.replace_by_fee_ratio);
    w.Key("PruneCooldown");
    w.Int64(c.prune_cooldown_ns);
    w.Key("GasLimitOverestimation");
    w.Double(c.gas_limit_overestimation);
    w.EndObject();
    return {sb.GetString(), sb.GetSize()};
}

Result<MpoolConfig> parse_mpool_config(const rapidjson::Value& v) {
    if (!v.IsObject()) return make_error(Errc::kInvalidArgument, "MpoolConfig must be an object");
    MpoolConfig c;
    if (const auto* p = chain::json_member(v, "PriorityAddrs"); p && !p->IsNull()) {
        if (!p->IsArray()) return make_error(Errc::kInvalidArgument, "PriorityAddrs must be an array");
        if (p->Size() > 10'000) return make_error(Errc::kInvalidArgument, "PriorityAddrs: too many addresses");
        for (const auto& e : p->GetArray()) {
            chain::Address a;
            VENUS_TRY_VOID(chain::from_json(e, a));
            c.priority_addrs.push_back(a);
        }
    }
    auto get_int = [&](const char* key, std::int64_t& out) -> Status {
        const auto* p = chain::json_member(v, key);
        if (!p) return {};
        if (!p->IsInt64()) return make_error(Errc::kInvalidArgument, "{} must be an integer", key);
        out = p->GetInt64();
        return {};
    };
    auto get_num = [&](const char* key, double& out) -> Status {
        const auto* p = chain::json_member(v, key);
        if (!p) return {};
        if (!p->IsNumber()) return make_error(Errc::kInvalidArgument, "{} must be a number", key);
        out = p->GetDouble();
        return {};
    };
    VENUS_TRY_VOID(get_int("SizeLimitHigh", c.size_limit_high));
    VENUS_TRY_VOID(get_int("SizeLimitLow", c.size_limit_low));
    VENUS_TRY_VOID(get_num("ReplaceByFeeRatio", c.replace_by_fee_ratio));
    VENUS_TRY_VOID(get_int("PruneCooldown", c.prune_cooldown_ns));
    VENUS_TRY_VOID(get_num("GasLimitOverestimation", c.gas_limit_overestimation));
    return c;
}

Status validate_mpool_config(const MpoolConfig& c) {
    // Lotus MessagePool.SetConfig / validateConfg wording.
    if (c.replace_by_fee_ratio < mpool::kMinReplaceByFeeRatio) {
        return make_error(Errc::kInvalidArgument, "'ReplaceByFeeRatio' is less than required {:.2f} < {:.2f}",
                          c.replace_by_fee_ratio, mpool::kMinReplaceByFeeRatio);
    }
    if (c.gas_limit_overestimation < 1) {
        return make_error(Errc::kInvalidArgument, "'GasLimitOverestimation' cannot be less than 1");
    }
    if (c.size_limit_low < 0 || c.size_limit_high < c.size_limit_low) {
        return make_error(Errc::kInvalidArgument, "'SizeLimitLow' must be between 0 and 'SizeLimitHigh'");
    }
    if (c.prune_cooldown_ns < 0) return make_error(Errc::kInvalidArgument, "'PruneCooldown' cannot be negative");
    return {};
}

MessagePool::MessagePool(NodeService& node, storage::lmdb::Environment* env,
                         std::shared_ptr<crypto::bls::VerifiedCache> bls)
    : node_(node), env_(env), bls_(bls ? std::move(bls) : std::make_shared<crypto::bls::VerifiedCache>()) {}

Result<std::unique_ptr<MessagePool>> MessagePool::open(NodeService& node, storage::lmdb::Environment* env,
                                                       std::shared_ptr<crypto::bls::VerifiedCache> bls) {
    std::unique_ptr<MessagePool> pool(new MessagePool(node, env, std::move(bls)));
    if (env) {
        VENUS_TRY(auto t, env->open_table(tables::kMpool));
        pool->table_ = t;
        VENUS_TRY(auto m, env->open_table(tables::kMpoolMeta));
        pool->meta_table_ = m;
        VENUS_TRY_VOID(pool->load());
        pool->writer_ = std::thread([p = pool.get()] { p->writer_loop(); });
    }
    MessagePool* raw = pool.get();
    pool->head_sub_ = node.subscribe_head_changes([raw](const std::vector<api::HeadChange>& c) { raw->head_changed(c); });
    return pool;
}

MessagePool::~MessagePool() {
    if (head_sub_ != 0) node_.unsubscribe_head_changes(head_sub_);
    if (writer_.joinable()) {
        {
            std::lock_guard lock(write_mu_);
            write_stop_ = true;
        }
        write_cv_.notify_all();
        writer_.join();
    }
}

Status MessagePool::load() {
    std::vector<Entry> stored;
    {
        VENUS_TRY(auto txn, env_->begin_read());
        if (auto cfg = txn.find(*meta_table_, as_bytes("config")); cfg && *cfg) {
            const std::string text(reinterpret_cast<const char*>((*cfg)->data()), (*cfg)->size());
            auto doc = chain::parse_json(text);
            if (doc) {
                if (auto c = parse_mpool_config(*doc); c && validate_mpool_config(*c)) config_ = *c;
            }
        }
        VENUS_TRY_VOID(txn.for_each(*table_, [&](BytesView, BytesView v) -> Status {
            if (v.empty()) return {};
            auto sm = chain::decode_cbor<SignedMessage>(v.subspan(1));
            if (!sm) return {};  // unreadable: dropped below by not being re-added
            Entry e;
            e.local = (v[0] & 1) != 0;
            e.msg = std::move(*sm);
            auto cid = e.msg.cid();
            if (!cid) return {};
            e.cid = *cid;
            stored.push_back(std::move(e));
            return {};
        }));
    }
    std::sort(stored.begin(), stored.end(), [](const Entry& a, const Entry& b) {
        return std::tie(a.msg.message.from, a.msg.message.nonce) < std::tie(b.msg.message.from, b.msg.message.nonce);
    });
    std::vector<Change> changes;
    std::vector<chain::Cid> dropped;
    std::size_t kept = 0;
    {
        std::lock_guard lock(mu_);
        // Table rows are rewritten by add_locked; start from an empty table so that what is kept
        // equals what is pending.
        VENUS_TRY_VOID(env_->write([&](storage::lmdb::WriteTxn& w) { return w.clear(*table_); }));
        for (const auto& e : stored) {
            auto len = e.msg.chain_length();
            if (!len) continue;
            if (e.msg.signature.type == chain::SigType::kBls) bls_sigs_[e.cid] = e.msg.signature;
            auto st = add_locked(e.msg, e.cid, *len, false, e.local, changes);
            if (st) ++kept;
        }
        persist_locked(changes);
    }
    if (!stored.empty()) {
        log::get("node")->info("mpool: reloaded {} of {} persisted messages", kept, stored.size());
    }
    return {};
}

Status MessagePool::verify_signature(const SignedMessage& m, const chain::Cid& unsigned_cid) {
    const auto& cid = unsigned_cid;
    const auto& from = m.message.from;
    switch (m.signature.type) {
        case chain::SigType::kBls: {
            if (from.protocol() != chain::Protocol::kBls) {
                return make_error(Errc::kInvalidArgument, "signature verification failed: BLS signature from a non-BLS address");
            }
            auto ok = bls_->verify(from.payload(), cid.bytes(), m.signature.data);
            if (!ok) return make_error(Errc::kInvalidArgument, "signature verification failed: {}", ok.error().message);
            if (!*ok) return make_error(Errc::kInvalidArgument, "signature verification failed: bls signature failed to verify");
            return {};
        }
        case chain::SigType::kSecp256k1: {
            auto ok = chain::verify(m.signature, from, cid.bytes());
            if (!ok) return make_error(Errc::kInvalidArgument, "signature verification failed: {}", ok.error().message);
            if (!*ok) return make_error(Errc::kInvalidArgument, "signature verification failed: signature did not match");
            return {};
        }
        default:
            return make_error(Errc::kInvalidArgument, "signature verification failed: signature type {} not supported",
                              static_cast<int>(m.signature.type));
    }
}

Status MessagePool::check_message(const SignedMessage& m, std::size_t size, const chain::Cid& cid) {
    // Lotus checkMessage: size, syntax with minGas 0, fee cap floor, then the signature.
    if (size > mpool::kMaxMessageSize) {
        return make_error(Errc::kInvalidArgument, "mpool message too large ({}B): message too big", size);
    }
    auto syn = valid_for_block_inclusion(m.message, 0, node_.params().block_gas_limit);
    if (!syn) return make_error(Errc::kInvalidArgument, "message not valid for block inclusion: {}", syn.error().message);
    if (m.message.gas_fee_cap < chain::BigInt(mpool::kMinimumBaseFee)) {
        return make_error(Errc::kInvalidArgument, "gas fee cap too low");
    }
    return verify_signature(m, cid);
}

Result<chain::Cid> MessagePool::push(const SignedMessage& m, bool untrusted) {
    std::uint64_t seq = 0;
    VENUS_TRY(auto cid, push_unacknowledged(m, untrusted, seq));
    VENUS_TRY_VOID(wait_durable(seq));
    return cid;
}

Result<chain::Cid> MessagePool::push_unacknowledged(const SignedMessage& m, bool untrusted, std::uint64_t& seq) {
    // One encoding serves the size check, the signed CID and the chain length; signatures cover
    // the unsigned message's CID.
    VENUS_TRY(auto bytes, chain::encode_cbor(m));
    // SignedMessage CBOR = 0x82 ‖ Message ‖ byte string (type ‖ data): the unsigned bytes are inside.
    const std::size_t sig_len = 1 + m.signature.data.size();
    const std::size_t sig_header = sig_len < 24 ? 1 : sig_len < 256 ? 2 : 3;
    if (bytes.size() < 1 + sig_header + sig_len) return make_error(Errc::kInternal, "signed message encoding");
    const auto unsigned_cid = codec::cbor_cid(BytesView(bytes).subspan(1, bytes.size() - 1 - sig_header - sig_len));
    const bool bls = m.signature.type == chain::SigType::kBls;
    chain::Cid cid = unsigned_cid;
    std::size_t len = bytes.size();
    if (bls) {
        VENUS_TRY(len, m.chain_length());
    } else {
        cid = codec::cbor_cid(bytes);
    }
    VENUS_TRY_VOID(check_message(m, bytes.size(), unsigned_cid));
    std::vector<Change> changes;
    {
        std::lock_guard lock(mu_);
        if (bls) {
            if (bls_sigs_.size() > 200'000) bls_sigs_.clear();
            bls_sigs_[cid] = m.signature;
        }
        // Untrusted pushes come from remote clients (gateway, messager): prunable and cleared by
        // MpoolClear(false); trusted ones are this node's own.
        VENUS_TRY_VOID(add_locked(m, cid, len, untrusted, !untrusted, changes));
        seq = persist_locked(changes);
    }
    notify(changes);
    return cid;
}

Result<std::vector<chain::Cid>> MessagePool::batch_push(const std::vector<SignedMessage>& msgs, bool untrusted) {
    std::vector<chain::Cid> out;
    out.reserve(msgs.size());
    std::uint64_t last_seq = 0;
    for (const auto& m : msgs) {
        std::uint64_t seq = 0;
        auto cid = push_unacknowledged(m, untrusted, seq);
        last_seq = std::max(last_seq, seq);
        if (!cid) {
            // The ones before it are in the pool: make them durable before reporting the failure.
            VENUS_TRY_VOID(wait_durable(last_seq));
            return cid.error();
        }
        out.push_back(*cid);
    }
    VENUS_TRY_VOID(wait_durable(last_seq));
    return out;
}

Status MessagePool::ensure_head_locked() {
    auto ts = node_.head();
    if (head_ && head_->ts.key() == ts.key()) return {};
    HeadState h;
    VENUS_TRY(auto st, node_.tipset_state(ts.key()));
    VENUS_TRY(auto info, node_.parent_info(ts.key()));
    h.ts = std::move(ts);
    h.state_root = st.first;
    h.base_fee = info.base_fee;
    head_ = std::move(h);
    return {};
}

Result<std::optional<chain::Actor>> MessagePool::actor_locked(const chain::Address& addr) {
    VENUS_TRY_VOID(ensure_head_locked());
    auto it = head_->actors.find(addr);
    if (it != head_->actors.end()) return it->second;
    VENUS_TRY(auto tree, StateTree::load(node_.store().blockstore(), head_->state_root));
    VENUS_TRY(auto a, tree.get_actor(addr));
    if (head_->actors.size() > 100'000) head_->actors.clear();
    head_->actors.emplace(addr, a);
    return a;
}

Result<chain::Address> MessagePool::key_locked(const chain::Address& addr) {
    if (addr.protocol() != chain::Protocol::kId) return addr;
    VENUS_TRY_VOID(ensure_head_locked());
    auto it = head_->keys.find(addr);
    if (it != head_->keys.end()) return it->second;
    VENUS_TRY(auto a, actor_locked(addr));
    if (!a) return not_found(addr);
    if (actor_type(a->code) != ActorType::kAccount) return addr;  // only accounts have a key
    VENUS_TRY(auto st, load_cbor<AccountState>(node_.store().blockstore(), a->head));
    head_->keys.emplace(addr, st.address);
    return st.address;
}

Result<chain::Address> MessagePool::resolve_to_key(const chain::Address& addr) {
    std::lock_guard lock(mu_);
    return key_locked(addr);
}

std::uint64_t MessagePool::next_nonce_locked(const chain::Address& key, std::uint64_t state_nonce) const {
    auto it = pending_.find(key);
    std::uint64_t next = state_nonce;
    if (it == pending_.end()) return next;
    const auto& msgs = it->second.msgs;
    // The common case, one contiguous run from the state nonce: no walk.
    if (!msgs.empty() && msgs.begin()->first == state_nonce &&
        msgs.rbegin()->first - state_nonce + 1 == msgs.size()) {
        return msgs.rbegin()->first + 1;
    }
    for (auto m = it->second.msgs.lower_bound(state_nonce); m != it->second.msgs.end() && m->first == next; ++m) ++next;
    return next;
}

Status MessagePool::add_locked(const SignedMessage& sm, const chain::Cid& cid, std::size_t chain_len, bool untrusted,
                               bool local, std::vector<Change>& changes) {
    const auto& m = sm.message;
    // Lotus addTs / verifyMsgBeforeAdd: the on-chain cost is known only now.
    const std::int64_t min_gas = gas::on_chain_message(chain_len);
    auto incl = valid_for_block_inclusion(m, min_gas, node_.params().block_gas_limit);
    if (!incl) return make_error(Errc::kInvalidArgument, "message will not be included in a block: {}", incl.error().message);

    VENUS_TRY(auto sender, actor_locked(m.from));
    if (!sender) return make_error(Errc::kNotFound, "failed to get sender actor: {}", not_found(m.from).message);
    if (!valid_sender(*sender)) {
        return make_error(Errc::kInvalidArgument, "sender actor {} is not a valid top-level sender", m.from.to_string());
    }
    const std::uint64_t state_nonce = sender->nonce;
    if (m.nonce < state_nonce) {
        return make_error(Errc::kInvalidArgument, "minimum expected nonce is {}, got {}", state_nonce, m.nonce);
    }

    auto& set = pending_[m.from];
    auto cleanup = [&] {
        if (set.msgs.empty()) pending_.erase(m.from);
    };

    // Balance: this message alone (hard), then with the sender's other pending messages (soft).
    chain::TokenAmount required = required_funds(m);
    if (sender->balance < required) {
        cleanup();
        return make_error(Errc::kInvalidArgument, "not enough funds (required: {}, balance: {}): not enough funds to execute transaction",
                          chain::format_fil(required), chain::format_fil(sender->balance));
    }
    required += set.required;
    if (auto same = set.msgs.find(m.nonce); same != set.msgs.end()) required -= required_funds(same->second.msg.message);
    if (sender->balance < required) {
        cleanup();
        return make_error(Errc::kInvalidArgument,
                          "not enough funds including pending messages (required: {}, balance: {}): validation failure",
                          chain::format_fil(required), chain::format_fil(sender->balance));
    }

    const std::uint64_t next = next_nonce_locked(m.from, state_nonce);
    auto existing = set.msgs.find(m.nonce);
    if (existing != set.msgs.end()) {
        if (existing->second.cid == cid) {
            return make_error(Errc::kAlreadyExists, "message from {} with nonce {} already in mpool: message with nonce already exists",
                              m.from.to_string(), m.nonce);
        }
        const auto min_premium = min_rbf_premium(existing->second.msg.message.gas_premium);
        if (m.gas_premium < min_premium) {
            return make_error(Errc::kInvalidArgument,
                              "message from {} with nonce {} already in mpool, increase GasPremium to {} from {} to trigger "
                              "replace by fee: replace by fee has too low GasPremium",
                              m.from.to_string(), m.nonce, min_premium.to_string(), m.gas_premium.to_string());
        }
        if (untrusted && next < m.nonce) {
            return make_error(Errc::kInvalidArgument,
                              "rejecting replace by fee because of nonce gap (Nonce: {}, nextNonce: {}): unfulfilled nonce gap",
                              m.nonce, next);
        }
        remove_locked(m.from, m.nonce, changes);
    } else {
        const std::uint64_t max_gap = untrusted ? 0 : mpool::kMaxNonceGap;
        if (m.nonce > next + max_gap) {
            cleanup();
            return make_error(Errc::kInvalidArgument,
                              "message nonce has too big a gap from expected nonce (Nonce: {}, nextNonce: {}): unfulfilled nonce gap",
                              m.nonce, next);
        }
        const std::size_t cap = untrusted ? mpool::kMaxActorPendingUntrusted : mpool::kMaxActorPendingTrusted;
        if (set.msgs.size() >= cap) {
            cleanup();
            return make_error(Errc::kInvalidArgument, "too many pending messages for actor");
        }
    }
    insert_locked(m.from, Entry{sm, cid, local}, changes);
    prune_locked(changes);
    return {};
}

void MessagePool::insert_locked(const chain::Address& key, Entry e, std::vector<Change>& changes) {
    auto& set = pending_[key];
    const auto nonce = e.msg.message.nonce;
    changes.push_back(Change{MpoolUpdate::Type::kAdd, e});
    set.required += required_funds(e.msg.message);
    auto old = set.msgs.find(nonce);
    if (old != set.msgs.end()) {
        set.required -= required_funds(old->second.msg.message);
        old->second = std::move(e);
    } else {
        set.msgs.emplace(nonce, std::move(e));
        ++count_;
    }
}

void MessagePool::remove_locked(const chain::Address& key, std::uint64_t nonce, std::vector<Change>& changes) {
    auto it = pending_.find(key);
    if (it == pending_.end()) return;
    auto m = it->second.msgs.find(nonce);
    if (m == it->second.msgs.end()) return;
    it->second.required -= required_funds(m->second.msg.message);
    changes.push_back(Change{MpoolUpdate::Type::kRemove, std::move(m->second)});
    it->second.msgs.erase(m);
    --count_;
    if (it->second.msgs.empty()) pending_.erase(it);
}

void MessagePool::prune_locked(std::vector<Change>& changes) {
    if (static_cast<std::int64_t>(count_) <= config_.size_limit_high) return;
    const auto now = clock_();
    if (last_prune_ != std::chrono::steady_clock::time_point{} &&
        now - last_prune_ < std::chrono::nanoseconds(config_.prune_cooldown_ns)) {
        return;
    }
    last_prune_ = now;
    // Senders whose messages may go (not local, not priority), cheapest first: Lotus drops the chains
    // with the worst gas performance; whole senders go so no nonce run is left with a hole.
    std::set<chain::Address> protected_addrs(config_.priority_addrs.begin(), config_.priority_addrs.end());
    std::vector<std::pair<chain::TokenAmount, chain::Address>> candidates;
    for (const auto& [addr, set] : pending_) {
        if (protected_addrs.count(addr) != 0) continue;
        bool any_local = false;
        chain::TokenAmount best;
        for (const auto& [n, e] : set.msgs) {
            any_local = any_local || e.local;
            if (e.msg.message.gas_premium > best) best = e.msg.message.gas_premium;
        }
        if (!any_local) candidates.emplace_back(best, addr);
    }
    std::sort(candidates.begin(), candidates.end());
    for (const auto& [premium, addr] : candidates) {
        if (static_cast<std::int64_t>(count_) <= config_.size_limit_low) break;
        auto it = pending_.find(addr);
        if (it == pending_.end()) continue;
        std::vector<std::uint64_t> nonces;
        for (const auto& [n, e] : it->second.msgs) nonces.push_back(n);
        for (auto n = nonces.rbegin(); n != nonces.rend(); ++n) remove_locked(addr, *n, changes);
    }
}

Status MessagePool::recheck_locked(std::vector<Change>& changes) {
    std::vector<std::pair<chain::Address, std::uint64_t>> stale;
    for (const auto& [addr, set] : pending_) {
        VENUS_TRY(auto a, actor_locked(addr));
        const std::uint64_t state_nonce = a ? a->nonce : 0;
        for (const auto& [n, e] : set.msgs) {
            if (n < state_nonce) stale.emplace_back(addr, n);
        }
    }
    for (const auto& [addr, n] : stale) remove_locked(addr, n, changes);
    return {};
}

void MessagePool::head_changed(const std::vector<api::HeadChange>& hc) {
    std::vector<Change> changes;
    {
        std::lock_guard lock(mu_);
        auto log = log::get("node");
        auto for_each_message = [&](const chain::TipSet& ts, auto&& fn) {
            for (const auto& c : ts.cids()) {
                auto contents = node_.block_messages(c);
                if (!contents) {
                    log->warn("mpool: messages of block {}: {}", c.to_string(), contents.error().message);
                    continue;
                }
                for (const auto& m : contents->bls_messages) fn(m, std::optional<chain::Signature>{});
                for (const auto& sm : contents->secp_messages) fn(sm.message, std::optional<chain::Signature>{sm.signature});
            }
        };
        for (const auto& c : hc) {
            if (c.type != api::HeadChange::Type::kRevert) continue;
            // Reverted messages come back without checks (Lotus addSkipChecks); the recheck below
            // drops those the new chain already carries.
            for_each_message(c.tipset, [&](const chain::Message& m, std::optional<chain::Signature> sig) {
                SignedMessage sm{m, {}};
                auto cid = m.cid();
                if (!cid) return;
                if (sig) {
                    sm.signature = *sig;
                } else {
                    auto it = bls_sigs_.find(*cid);
                    if (it == bls_sigs_.end()) return;  // a BLS message never seen signed here
                    sm.signature = it->second;
                }
                auto key = key_locked(m.from);
                if (!key) return;
                auto scid = sm.cid();
                if (!scid) return;
                auto set = pending_.find(*key);
                if (set != pending_.end() && set->second.msgs.count(m.nonce) != 0) return;
                insert_locked(*key, Entry{sm, *scid, false}, changes);
            });
        }
        for (const auto& c : hc) {
            if (c.type != api::HeadChange::Type::kApply) continue;
            for_each_message(c.tipset, [&](const chain::Message& m, const std::optional<chain::Signature>&) {
                auto key = key_locked(m.from);
                if (!key) return;
                remove_locked(*key, m.nonce, changes);
            });
        }
        head_.reset();
        if (auto st = recheck_locked(changes); !st) log->warn("mpool: re-checking after a head change: {}", st.error().message);
        persist_locked(changes);
    }
    notify(changes);
}

std::uint64_t MessagePool::persist_locked(const std::vector<Change>& changes) {
    if (!env_ || changes.empty()) return 0;
    std::uint64_t seq = 0;
    {
        std::lock_guard lock(write_mu_);
        write_queue_.insert(write_queue_.end(), changes.begin(), changes.end());
        seq = ++enqueued_seq_;
    }
    write_cv_.notify_one();
    return seq;
}

Status MessagePool::wait_durable(std::uint64_t seq) {
    if (seq == 0) return {};
    std::unique_lock lock(write_mu_);
    write_cv_.wait(lock, [&] { return committed_seq_ >= seq || writer_done_; });
    if (committed_seq_ < seq) return make_error(Errc::kUnavailable, "mpool closing before the message was persisted");
    if (write_error_) {
        return make_error(Errc::kInternal, "message is in the pool but could not be persisted: {}", write_error_->message);
    }
    return {};
}

Status MessagePool::write_batch(const std::vector<Change>& batch) {
    return env_->write([&](storage::lmdb::WriteTxn& w) -> Status {
        for (const auto& c : batch) {
            if (c.type == MpoolUpdate::Type::kRemove) {
                VENUS_TRY_VOID(w.del(*table_, c.entry.cid.bytes()));
                continue;
            }
            Bytes v{static_cast<std::uint8_t>(c.entry.local ? 1 : 0)};
            chain::CborWriter cw(v);
            VENUS_TRY_VOID(c.entry.msg.encode(cw));
            VENUS_TRY_VOID(w.put(*table_, c.entry.cid.bytes(), v));
        }
        return {};
    });
}

void MessagePool::writer_loop() {
    std::unique_lock lock(write_mu_);
    for (;;) {
        write_cv_.wait(lock, [&] { return write_stop_ || !write_queue_.empty(); });
        if (write_queue_.empty() && write_stop_) {
            writer_done_ = true;
            write_cv_.notify_all();
            return;
        }
        std::vector<Change> batch;
        batch.swap(write_queue_);
        const std::uint64_t upto = enqueued_seq_;
        writing_ = true;
        lock.unlock();
        auto st = write_batch(batch);
        if (!st) log::get("node")->error("mpool: persisting {} changes: {}", batch.size(), st.error().message);
        lock.lock();
        writing_ = false;
        committed_seq_ = upto;
        write_error_ = st ? std::nullopt : std::optional<Error>(st.error());
        write_cv_.notify_all();  // flush() and wait_durable() waiters
    }
}

void MessagePool::flush() {
    if (!env_) return;
    std::unique_lock lock(write_mu_);
    write_cv_.wait(lock, [&] { return write_queue_.empty() && !writing_; });
}

void MessagePool::notify(const std::vector<Change>& changes) {
    if (changes.empty()) return;
    std::vector<Subscriber> subs;
    {
        std::lock_guard lock(sub_mu_);
        if (subscribers_.empty()) return;
        for (const auto& [id, fn] : subscribers_) subs.push_back(fn);
    }
    std::vector<MpoolUpdate> updates;
    updates.reserve(changes.size());
    for (const auto& c : changes) updates.push_back(MpoolUpdate{c.type, c.entry.msg});
    for (const auto& fn : subs) fn(updates);
}

std::uint64_t MessagePool::subscribe(Subscriber fn) {
    std::lock_guard lock(sub_mu_);
    const auto id = next_sub_++;
    subscribers_.emplace(id, std::move(fn));
    return id;
}

void MessagePool::unsubscribe(std::uint64_t id) {
    std::lock_guard lock(sub_mu_);
    subscribers_.erase(id);
}

std::vector<SignedMessage> MessagePool::pending() {
    std::lock_guard lock(mu_);
    std::vector<SignedMessage> out;
    out.reserve(count_);
    for (const auto& [addr, set] : pending_) {
        for (const auto& [n, e] : set.msgs) out.push_back(e.msg);
    }
    return out;
}

std::unordered_map<chain::Cid, SignedMessage> MessagePool::find(const std::vector<chain::Cid>& cids) {
    std::unordered_map<chain::Cid, SignedMessage> out;
    if (cids.empty()) return out;
    const std::unordered_set<chain::Cid> wanted(cids.begin(), cids.end());
    std::lock_guard lock(mu_);
    for (const auto& [addr, set] : pending_) {
        for (const auto& [n, e] : set.msgs) {
            if (wanted.count(e.cid) != 0) out.emplace(e.cid, e.msg);
        }
    }
    return out;
}

std::vector<SignedMessage> MessagePool::pending_for(const chain::Address& addr) {
    std::lock_guard lock(mu_);
    std::vector<SignedMessage> out;
    auto key = key_locked(addr);
    if (!key) return out;
    auto it = pending_.find(*key);
    if (it == pending_.end()) return out;
    for (const auto& [n, e] : it->second.msgs) out.push_back(e.msg);
    return out;
}

Result<std::uint64_t> MessagePool::get_nonce(const chain::Address& addr) {
    std::lock_guard lock(mu_);
    VENUS_TRY(auto key, key_locked(addr));
    VENUS_TRY(auto a, actor_locked(key));
    if (!a) return not_found(addr);
    return next_nonce_locked(key, a->nonce);
}

std::size_t MessagePool::size() const {
    std::lock_guard lock(mu_);
    return count_;
}

MpoolConfig MessagePool::config() const {
    std::lock_guard lock(mu_);
    return config_;
}

Status MessagePool::set_config(const MpoolConfig& cfg) {
    VENUS_TRY_VOID(validate_mpool_config(cfg));
    std::lock_guard lock(mu_);
    if (env_) {
        const auto text = mpool_config_json(cfg);
        VENUS_TRY_VOID(env_->write([&](storage::lmdb::WriteTxn& w) { return w.put(*meta_table_, as_bytes("config"), as_bytes(text)); }));
    }
    config_ = cfg;
    return {};
}

void MessagePool::clear(bool local) {
    std::vector<Change> changes;
    {
        std::lock_guard lock(mu_);
        std::vector<std::pair<chain::Address, std::uint64_t>> gone;
        for (const auto& [addr, set] : pending_) {
            for (const auto& [n, e] : set.msgs) {
                if (local || !e.local) gone.emplace_back(addr, n);
            }
        }
        for (const auto& [addr, n] : gone) remove_locked(addr, n, changes);
        persist_locked(changes);
    }
    notify(changes);
}

Result<std::vector<SignedMessage>> MessagePool::select(const chain::TipSetKey& tsk, double ticket_quality) {
    VENUS_TRY(auto lists, selects(tsk, {ticket_quality}));
    return std::move(lists.front());
}

Result<std::vector<std::vector<SignedMessage>>> MessagePool::selects(const chain::TipSetKey& tsk,
                                                                     const std::vector<double>& ticket_qualities) {
    if (ticket_qualities.empty()) return std::vector<std::vector<SignedMessage>>{};
    for (double q : ticket_qualities) {
        if (!(q >= 0 && q <= 1)) return make_error(Errc::kInvalidArgument, "ticket quality {} is outside [0, 1]", q);
    }
    VENUS_TRY(auto ts, node_.tipset(tsk));
    VENUS_TRY(auto state, node_.tipset_state(ts.key()));
    VENUS_TRY(auto info, node_.parent_info(ts.key()));
    const auto& base_fee = info.base_fee;

    // Snapshot the pending sets; state reads happen without the pool lock.
    std::vector<std::pair<chain::Address, std::vector<SignedMessage>>> snapshot;
    {
        std::lock_guard lock(mu_);
        snapshot.reserve(pending_.size());
        for (const auto& [addr, set] : pending_) {
            std::vector<SignedMessage> msgs;
            msgs.reserve(set.msgs.size());
            for (const auto& [n, e] : set.msgs) msgs.push_back(e.msg);
            snapshot.emplace_back(addr, std::move(msgs));
        }
    }

    // Per sender: the run of messages valid in sequence on this state (nonce from the state, funds
    // for each, fee cap covering the base fee).
    struct ChainOf {
        std::vector<const SignedMessage*> msgs;
        std::vector<chain::TokenAmount> eff_premium;
        std::size_t pos = 0;
        bool used = false;
    };
    std::vector<ChainOf> chains;
    VENUS_TRY(auto tree, StateTree::load(node_.store().blockstore(), state.first));
    for (const auto& [addr, msgs] : snapshot) {
        VENUS_TRY(auto a, tree.get_actor(addr));
        if (!a || !valid_sender(*a)) continue;
        ChainOf c;
        std::uint64_t nonce = a->nonce;
        chain::TokenAmount balance = a->balance;
        for (const auto& sm : msgs) {
            const auto& m = sm.message;
            if (m.nonce < nonce) continue;
            if (m.nonce != nonce) break;
            if (m.gas_fee_cap < base_fee) break;
            const auto req = required_funds(m);
            if (balance < req) break;
            balance -= req;
            const auto headroom = m.gas_fee_cap - base_fee;
            c.msgs.push_back(&sm);
            c.eff_premium.push_back(m.gas_premium < headroom ? m.gas_premium : headroom);
            ++nonce;
        }
        if (!c.msgs.empty()) chains.push_back(std::move(c));
    }

    std::vector<std::vector<SignedMessage>> out;
    const std::int64_t gas_limit = node_.params().block_gas_limit;
    const std::int64_t msg_limit = node_.params().block_message_limit;
    for (std::size_t list = 0; list < ticket_qualities.size(); ++list) {
        // Highest effective premium first; ties: lower gas limit, then sender order (stable).
        auto worse = [&](std::size_t a, std::size_t b) {
            const auto& ca = chains[a];
            const auto& cb = chains[b];
            const auto& pa = ca.eff_premium[ca.pos];
            const auto& pb = cb.eff_premium[cb.pos];
            if (pa != pb) return pa < pb;
            const auto ga = ca.msgs[ca.pos]->message.gas_limit;
            const auto gb = cb.msgs[cb.pos]->message.gas_limit;
            if (ga != gb) return ga > gb;
            return a > b;
        };
        std::priority_queue<std::size_t, std::vector<std::size_t>, decltype(worse)> queue(worse);
        for (std::size_t i = 0; i < chains.size(); ++i) {
            if (!chains[i].used) queue.push(i);
        }
        std::vector<SignedMessage> picked;
        std::int64_t gas_left = gas_limit;
        while (!queue.empty() && static_cast<std::int64_t>(picked.size()) < msg_limit) {
            const auto i = queue.top();
            queue.pop();
            auto& c = chains[i];
            const auto& m = *c.msgs[c.pos];
            // Nonce order: a sender whose next message does not fit is done for this block.
            if (m.message.gas_limit > gas_left) continue;
            c.used = true;
            gas_left -= m.message.gas_limit;
            picked.push_back(m);
            if (++c.pos < c.msgs.size()) queue.push(i);
        }
        out.push_back(std::move(picked));
    }
    return out;
}

}  // namespace venus::plugins::node
