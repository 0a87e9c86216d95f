// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "messager.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <future>

#include "venus/chain/json.hpp"
#include "venus/core/log.hpp"
#include "venus/rpc/client.hpp"

namespace venus::plugins::messager {

namespace {

auto logger() { return log::get("messager"); }

constexpr std::int64_t kBlockGasLimit = 10'000'000'000;
constexpr std::size_t kTipsetCache = 900;    // sophon-messager's TipsetCache bound
constexpr std::size_t kStuckPerRound = 20;  // StateSearchMsg lookups per address and round

bool zero(const chain::BigInt& v) { return v.is_zero(); }

struct Timer {
    std::atomic<std::uint64_t>& sum;
    std::chrono::steady_clock::time_point t0 = std::chrono::steady_clock::now();
    ~Timer() {
        sum.fetch_add(static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                                     std::chrono::steady_clock::now() - t0)
                                                     .count()));
    }
};

// Fee precedence: message > address > actor config > shared (zero = unset at that level).
double pick(double msg, double addr, const ActorCfg* actor, double ActorCfgFee, double shared) {
    if (msg != 0) return msg;
    if (addr != 0) return addr;
    if (actor && ActorCfgFee != 0) return ActorCfgFee;
    return shared;
}

const chain::BigInt& pick_big(const chain::BigInt* msg, const chain::BigInt& addr, const ActorCfg* actor,
                              const chain::BigInt* actor_v, const chain::BigInt& shared) {
    if (msg && !zero(*msg)) return *msg;
    if (!zero(addr)) return addr;
    if (actor && actor_v && !zero(*actor_v)) return *actor_v;
    return shared;
}

// CapGasFee: the fee cap is lowered so that GasFeeCap × GasLimit ≤ maxFee (no cap when 0).
void cap_gas_fee(chain::Message& m, const chain::TokenAmount& max_fee) {
    if (zero(max_fee) || m.gas_limit <= 0) return;
    const chain::BigInt limit(m.gas_limit);
    if (m.gas_fee_cap * limit > max_fee) m.gas_fee_cap = max_fee / limit;
    if (m.gas_premium > m.gas_fee_cap) m.gas_premium = m.gas_fee_cap;
}

}  // namespace

Messager::Messager(MessagerStore& store, NodeLink node, std::shared_ptr<api::Gateway> gateway,
                   std::shared_ptr<api::Auth> auth, Settings settings, metrics::Registry* metrics)
    : store_(store),
      node_(std::move(node)),
      gateway_(std::move(gateway)),
      auth_(std::move(auth)),
      settings_(std::move(settings)),
      metrics_(metrics) {
    if (metrics_) {
        push_to_chain_ = &metrics_->histogram("messager_push_to_chain_seconds",
                                              "time from PushMessage to the message's tipset being processed", {},
                                              {1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600});
    }
}

Messager::~Messager() { stop(); }

// ---- API ---------------------------------------------------------------------------------------

Status Messager::check_signer(const rpc::Claims& c, const std::string& from) {
    if (rpc::allows(c.perm, rpc::Perm::kAdmin)) return {};
    if (c.name.empty()) return make_error(Errc::kPermissionDenied, "a token without a user can act on no signer");
    if (!auth_) return make_error(Errc::kUnavailable, "no auth service to check signer {}", from);
    VENUS_TRY(bool ok, auth_->signer_exist_in_user(c.name, from));
    if (!ok) return make_error(Errc::kPermissionDenied, "signer {} does not belong to user {}", from, c.name);
    return {};
}

Status Messager::check_signer(const rpc::Claims& c, const chain::Address& from) {
    return check_signer(c, from.to_string());
}

Result<std::string> Messager::push(const rpc::Claims& c, std::string id, chain::Message msg, SendSpec spec) {
    if (id.size() > 255) return make_error(Errc::kInvalidArgument, "message id is longer than 255 characters");
    if (msg.from == chain::Address{}) return make_error(Errc::kInvalidArgument, "message From is empty");
    if (msg.to == chain::Address{}) return make_error(Errc::kInvalidArgument, "message To is empty");
    if (msg.value.sign() < 0) return make_error(Errc::kInvalidArgument, "message Value cannot be negative");
    if (msg.gas_limit < 0) return make_error(Errc::kInvalidArgument, "message GasLimit cannot be negative");
    if (msg.gas_fee_cap.sign() < 0 || msg.gas_premium.sign() < 0) {
        return make_error(Errc::kInvalidArgument, "message GasFeeCap and GasPremium cannot be negative");
    }
    if (msg.params.size() > kMaxParamsBytes) {
        return make_error(Errc::kOutOfRange, "message Params are {} bytes, the limit is {}", msg.params.size(),
                          kMaxParamsBytes);
    }
    if (!msg.value.encoded_fits() || !msg.gas_fee_cap.encoded_fits() || !msg.gas_premium.encoded_fits()) {
        return make_error(Errc::kOutOfRange, "message amounts are too large");
    }
    if (msg.from.protocol() == chain::Protocol::kId) {
        auto key = node_.account_key(msg.from);
        if (!key) return key.error().wrap(fmt::format("resolving {}", msg.from.to_string()));
        msg.from = *key;
    }
    VENUS_TRY_VOID(check_signer(c, msg.from));
    VENUS_TRY(auto addr, store_.get_address(msg.from.to_string()));
    if (addr && addr->state == AddrState::kForbidden) {
        return make_error(Errc::kPermissionDenied, "address {} is forbidden", msg.from.to_string());
    }
    Message m;
    m.id = id.empty() ? api::wire::new_uuid() : std::move(id);
    msg.nonce = 0;  // assigned when signed
    m.msg = std::move(msg);
    m.meta = std::move(spec);
    m.wallet_name = c.name;
    m.state = MsgState::kUnFill;
    m.created_at = m.updated_at = now_us();
    VENUS_TRY_VOID(store_.insert_message(m));
    return m.id;
}

Result<Message> Messager::get(const std::string& id) {
    VENUS_TRY(auto m, store_.get_message(id));
    if (!m) return make_error(Errc::kNotFound, "message {} not found", id);
    return std::move(*m);
}

Result<std::vector<std::string>> Messager::accounts_of(const chain::Address& a) {
    if (!auth_) return make_error(Errc::kUnavailable, "no auth service");
    VENUS_TRY(auto users, auth_->get_user_by_signer(a.to_string()));
    std::vector<std::string> names;
    for (const auto& u : users) names.push_back(u.name);
    if (names.empty()) return make_error(Errc::kNotFound, "signer {} is bound to no user in auth", a.to_string());
    return names;
}

std::vector<std::shared_ptr<std::promise<Result<chain::Signature>>>> Messager::sign_async(
    const std::vector<std::string>& accounts, const std::vector<chain::Message>& msgs) {
    std::vector<std::shared_ptr<std::promise<Result<chain::Signature>>>> out;
    out.reserve(msgs.size());
    for (const auto& m : msgs) {
        auto p = std::make_shared<std::promise<Result<chain::Signature>>>();
        out.push_back(p);
        auto cid = m.cid();
        auto cbor = chain::encode_cbor(m);
        if (!cid || !cbor) {
            p->set_value(make_error(Errc::kInvalidArgument, "message cannot be encoded"));
            continue;
        }
        const auto b = cid->bytes();
        gateway_->wallet_sign(accounts, m.from, Bytes(b.begin(), b.end()),
                              api::SignMeta{std::string(api::kMetaMessage), std::move(*cbor)},
                              [p](Result<chain::Signature> r) { p->set_value(std::move(r)); });
    }
    return out;
}

Result<chain::Signature> Messager::sign(const std::vector<std::string>& accounts, const chain::Message& m,
                                        std::chrono::milliseconds timeout) {
    auto p = sign_async(accounts, {m});
    auto f = p.front()->get_future();
    if (f.wait_for(timeout) != std::future_status::ready) {
        return make_error(Errc::kTimeout, "wallet sign: no answer within {} ms", timeout.count());
    }
    return f.get();
}

Result<std::string> Messager::replace(const ReplaceParams& p) {
    VENUS_TRY(auto m, get(p.id));
    if (m.state == MsgState::kOnChain) return make_error(Errc::kInvalidArgument, "message already on chain");
    if (m.state != MsgState::kFill) {
        return make_error(Errc::kInvalidArgument, "message {} is {}: only a FillMsg can be replaced", p.id,
                          to_string(m.state));
    }
    chain::Message msg = m.msg;
    if (p.automatic) {
        VENUS_TRY(auto pct, node_.replace_by_fee_percent());
        const auto min_rbf = msg.gas_premium * chain::BigInt(pct) / chain::BigInt(100) + chain::BigInt(1);
        chain::TokenAmount max_fee = p.max_fee;
        if (zero(max_fee)) {
            VENUS_TRY(auto a, store_.get_address(msg.from.to_string()));
            VENUS_TRY(auto shared, store_.shared());
            max_fee = a && !zero(a->fee.max_fee) ? a->fee.max_fee : shared.fee.max_fee;
        }
        chain::Message probe = msg;
        probe.gas_fee_cap = chain::BigInt(0);
        probe.gas_premium = chain::BigInt(0);
        VENUS_TRY(auto est, node_.estimate_message_gas(probe, max_fee, p.gas_over_premium));
        msg.gas_premium = est.gas_premium > min_rbf ? est.gas_premium : min_rbf;
        msg.gas_fee_cap = est.gas_fee_cap > msg.gas_premium ? est.gas_fee_cap : msg.gas_premium;
        cap_gas_fee(msg, max_fee);
    } else {
        if (p.gas_premium.sign() <= 0 || p.gas_fee_cap.sign() <= 0) {
            return make_error(Errc::kInvalidArgument, "gas-premium and gas-feecap must be given (> 0) without --auto");
        }
        if (p.gas_limit < 0) return make_error(Errc::kInvalidArgument, "gas-limit cannot be negative");
        msg.gas_premium = p.gas_premium;
        msg.gas_fee_cap = p.gas_fee_cap;
        if (p.gas_limit > 0) msg.gas_limit = p.gas_limit;
    }
    VENUS_TRY(auto accounts, accounts_of(msg.from));
    VENUS_TRY(auto sig, sign(accounts, msg, settings_.sign_timeout));
    Message updated = m;
    updated.msg = msg;
    updated.signature = sig;
    VENUS_TRY(updated.unsigned_cid, msg.cid());
    VENUS_TRY(updated.signed_cid, updated.signed_message().cid());
    // Only while still FillMsg (venus#5589: a replace racing the old version's inclusion).
    VENUS_TRY(bool ok, store_.replace_signed(updated));
    if (!ok) return make_error(Errc::kInvalidArgument, "message {} left FillMsg meanwhile; not replaced", p.id);
    push_signed({updated}, true);
    return updated.signed_cid->to_string();
}

Status Messager::republish(const std::string& id) {
    VENUS_TRY(auto m, get(id));
    if (m.state != MsgState::kFill) return make_error(Errc::kInvalidArgument, "message {} is {}, not FillMsg", id, to_string(m.state));
    push_signed({m}, true);
    return {};
}

Result<std::vector<std::string>> Messager::recover_failed(const std::string& from) {
    VENUS_TRY(auto a, store_.get_address(from));
    if (!a) return make_error(Errc::kNotFound, "address {} not found", from);
    VENUS_TRY(auto head, node_.chain_head());
    VENUS_TRY(auto actor, node_.actor(a->addr, head.key()));
    const std::uint64_t chain_nonce = actor ? actor->nonce : 0;
    if (a->nonce < chain_nonce) return std::vector<std::string>{};
    return store_.recover_failed(from, chain_nonce);
}

Result<std::int64_t> Messager::clear_unfill(const std::string& from) {
    // Between selection rounds, so a round never signs a message this marks Failed.
    std::lock_guard lock(select_mu_);
    return store_.fail_unfilled(from);
}

Status Messager::reconcile(const Message& m) {
    if (!m.signed_cid) return {};
    VENUS_TRY(auto l, node_.search(*m.signed_cid));
    if (!l) return {};
    const bool same = l->message == *m.signed_cid || (m.unsigned_cid && l->message == *m.unsigned_cid);
    VENUS_TRY_VOID(store_.set_landed(m.id, same ? MsgState::kOnChain : MsgState::kNonceConflict, l->receipt, l->height,
                                     l->tipset_key));
    (same ? counters_.on_chain : counters_.conflicts).fetch_add(1);
    return {};
}

Result<std::string> Messager::update_filled(const std::string& id) {
    VENUS_TRY(auto m, get(id));
    if (m.state != MsgState::kFill) {
        return make_error(Errc::kInvalidArgument, "message {} is {}: only FillMsg is looked up", id, to_string(m.state));
    }
    VENUS_TRY_VOID(reconcile(m));
    return id;
}

Result<std::int64_t> Messager::update_all_filled() {
    VENUS_TRY(auto addrs, store_.list_addresses());
    std::int64_t n = 0;
    for (const auto& a : addrs) {
        if (!a.active()) continue;
        VENUS_TRY(auto fills, store_.filled(a.addr.to_string()));
        for (const auto& m : fills) {
            const auto before = counters_.on_chain.load() + counters_.conflicts.load();
            VENUS_TRY_VOID(reconcile(m));
            if (counters_.on_chain.load() + counters_.conflicts.load() != before) ++n;
        }
    }
    return n;
}

// ---- pushing -----------------------------------------------------------------------------------

void Messager::push_signed(std::vector<Message> msgs, bool fresh) {
    if (settings_.skip_push_message || msgs.empty()) return;
    const auto now = std::chrono::steady_clock::now();
    const auto period = settings_.republish_interval.count() > 0
                            ? settings_.republish_interval
                            : std::chrono::milliseconds(3'000 * std::max<std::uint64_t>(block_delay_secs_.load(), 1));
    std::vector<Message> todo;
    {
        std::lock_guard lock(push_mu_);
        for (auto& m : msgs) {
            if (!m.signed_cid || !m.signature) continue;
            const auto key = m.signed_cid->to_string();
            auto it = recent_push_.find(key);
            if (!fresh && it != recent_push_.end() && now - it->second < period) continue;
            recent_push_[key] = now;
            todo.push_back(std::move(m));
        }
        if (recent_push_.size() > 100'000) {
            for (auto it = recent_push_.begin(); it != recent_push_.end();) {
                it = now - it->second > period ? recent_push_.erase(it) : std::next(it);
            }
        }
    }
    if (todo.empty()) return;
    std::sort(todo.begin(), todo.end(), [](const Message& a, const Message& b) {
        return a.msg.from == b.msg.from ? a.msg.nonce < b.msg.nonce : a.msg.from.to_string() < b.msg.from.to_string();
    });
    std::vector<chain::SignedMessage> signed_msgs;
    for (const auto& m : todo) signed_msgs.push_back(m.signed_message());
    // Fresh messages are a contiguous run: one batch. Re-pushes (or a failed batch) go one by one,
    // since a batch stops at the first message the pool already has.
    bool done = false;
    if (fresh) {
        auto r = node_.batch_push_untrusted(signed_msgs);
        if (r) {
            counters_.pushed.fetch_add(signed_msgs.size());
            done = true;
        }
    }
    if (!done) {
        std::vector<std::pair<std::string, std::string>> errors;
        for (std::size_t i = 0; i < todo.size(); ++i) {
            auto r = node_.push_untrusted(signed_msgs[i]);
            if (r || is_benign_push_error(r.error().message)) {
                counters_.pushed.fetch_add(1);
                continue;
            }
            counters_.push_failures.fetch_add(1);
            errors.emplace_back(todo[i].id, "push: " + r.error().message);
        }
        if (auto st = store_.set_errors(errors); !st) logger()->warn("recording push errors: {}", st.error().message);
    }
    // Extra push targets (the nodes table, enableMultiNode): best effort.
    auto nodes = store_.list_nodes();
    if (!nodes) return;
    for (const auto& n : *nodes) {
        auto info = rpc::parse_api_info(n.token.empty() ? n.url : n.token + ":" + n.url);
        if (!info) continue;
        NodeLink extra(rpc::remote_caller(*info), std::chrono::seconds(10));
        for (const auto& sm : signed_msgs) {
            if (auto r = extra.push_untrusted(sm); !r && !is_benign_push_error(r.error().message)) {
                logger()->debug("push to node {}: {}", n.name, r.error().message);
                break;
            }
        }
    }
}

// ---- following the chain ----------------------------------------------------------------------

Status Messager::process_head(const chain::TipSet& head) {
    std::lock_guard lock(head_mu_);
    head_height_.store(head.height());
    if (head.height() == 0 || head.blocks().empty()) return {};
    if (!processed_.empty() && processed_.back().key() == head.parents()) return {};
    auto reset = [&]() -> Status {
        // No usable history (start, restart after a crash, long disconnect): look every pending
        // message up instead (sophon-messager's ReconnectCheck → UpdateAllFilledMessage).
        VENUS_TRY(auto n, update_all_filled());
        if (n > 0) logger()->info("{} pending messages found on chain by lookup", n);
        // And the other way: landed messages whose tipset left the chain meanwhile (a reorg while
        // this messager was down) go back to FillMsg. One lookup per tipset, over the last 900.
        VENUS_TRY(auto landed, store_.landed_tipsets(std::max<std::int64_t>(0, head.height() - kTipsetCache)));
        std::vector<MessagerStore::Reverted> gone;
        const auto head_key = chain::to_json_string(head.key());
        for (auto& [height, key] : landed) {
            if (height >= head.height()) {
                // Above the head only a dropped branch; at its height only the head itself.
                if (height > head.height() || key != head_key) gone.emplace_back(height, std::move(key));
                continue;
            }
            VENUS_TRY(auto ts, node_.tipset_by_height(height, head.key()));
            if (ts.height() != height || chain::to_json_string(ts.key()) != key) gone.emplace_back(height, std::move(key));
        }
        if (!gone.empty()) {
            VENUS_TRY(auto r, store_.apply_head(gone, {}, [](const std::string&) { return false; }));
            counters_.reverted.fetch_add(r.reverted);
            logger()->info("{} messages of tipsets no longer on chain back to FillMsg", r.reverted);
        }
        VENUS_TRY(auto parent, node_.tipset(head.parents()));
        processed_.clear();
        processed_.push_back(std::move(parent));
        return {};
    };
    if (processed_.empty()) return reset();

    std::vector<chain::TipSet> walk{head};  // newest first
    std::optional<std::size_t> ancestor;
    while (!ancestor) {
        if (walk.size() > kTipsetCache) return reset();
        const auto& cur = walk.back();
        if (cur.height() == 0) return reset();
        VENUS_TRY(auto parent, node_.tipset(cur.parents()));
        for (std::size_t i = processed_.size(); i-- > 0;) {
            if (processed_[i].key() == parent.key()) {
                ancestor = i;
                break;
            }
            if (processed_[i].height() < parent.height()) break;
        }
        if (ancestor) break;
        if (parent.height() < processed_.front().height()) return reset();
        walk.push_back(std::move(parent));
    }
    std::vector<MessagerStore::Reverted> reverted;
    for (std::size_t i = *ancestor + 1; i < processed_.size(); ++i) {
        reverted.emplace_back(processed_[i].height(), chain::to_json_string(processed_[i].key()));
    }

    std::vector<Landed> landed;
    for (std::size_t i = walk.size() - 1; i >= 1; --i) {
        const auto& t = walk[i];
        const auto& child = walk[i - 1];
        VENUS_TRY(auto msgs, node_.parent_messages(child.cids().front()));
        VENUS_TRY(auto rcpts, node_.parent_receipts(child.cids().front()));
        if (msgs.size() != rcpts.size()) {
            return make_error(Errc::kInternal, "tipset {}: {} messages but {} receipts", t.height(), msgs.size(),
                              rcpts.size());
        }
        const auto key = chain::to_json_string(t.key());
        for (std::size_t j = 0; j < msgs.size(); ++j) {
            landed.push_back(Landed{msgs[j].second.from.to_string(), msgs[j].second.nonce, msgs[j].first,
                                    std::move(rcpts[j]), t.height(), key});
        }
    }
    VENUS_TRY(auto addrs, store_.list_addresses());
    std::set<std::string> active;
    for (const auto& a : addrs) {
        if (a.active()) active.insert(a.addr.to_string());
    }
    VENUS_TRY(auto r, store_.apply_head(reverted, landed, [&](const std::string& a) { return active.count(a) > 0; }));
    counters_.on_chain.fetch_add(r.on_chain_ids.size());
    counters_.conflicts.fetch_add(r.conflicts);
    counters_.reverted.fetch_add(r.reverted);
    if (r.reverted > 0) logger()->info("reorg: {} messages back to FillMsg", r.reverted);
    if (push_to_chain_) {
        const auto now = now_us();
        for (const auto& id : r.on_chain_ids) {
            if (auto m = store_.get_message(id); m && *m) push_to_chain_->observe(static_cast<double>(now - (*m)->created_at) / 1e6);
        }
    }
    processed_.resize(*ancestor + 1);
    for (std::size_t i = walk.size() - 1; i >= 1; --i) processed_.push_back(std::move(walk[i]));
    while (processed_.size() > kTipsetCache) processed_.pop_front();
    return {};
}

// ---- selection ---------------------------------------------------------------------------------

void Messager::update_nonce_metrics(const std::string& addr, std::uint64_t db_nonce, std::uint64_t chain_nonce) {
    if (!metrics_) return;
    metrics_->gauge("messager_wallet_db_nonce", "the next nonce the messager assigns", {{"address", addr}})
        .set(static_cast<double>(db_nonce));
    metrics_->gauge("messager_wallet_chain_nonce", "the sender's nonce on chain", {{"address", addr}})
        .set(static_cast<double>(chain_nonce));
}

Status Messager::select(const chain::TipSet& head) {
    std::lock_guard lock(select_mu_);
    counters_.rounds.fetch_add(1);
    head_height_.store(std::max(head_height_.load(), head.height()));
    // Nonces the head's own messages use (StateGetActor reads the state before them).
    std::map<std::string, std::uint64_t> applied;
    VENUS_TRY(auto in_head, node_.tipset_messages(head.key()));
    for (const auto& [cid, m] : in_head) {
        const auto from = m.from.to_string();
        auto it = applied.find(from);
        if (it == applied.end()) {
            applied[from] = m.nonce + 1;
        } else if (it->second == m.nonce) {
            it->second = m.nonce + 1;
        }
    }
    VENUS_TRY(auto shared, store_.shared());
    VENUS_TRY(auto actor_cfgs, store_.list_actor_cfg());
    VENUS_TRY(auto addrs, store_.list_addresses());
    std::vector<Address> active;
    for (auto& a : addrs) {
        if (a.active()) active.push_back(std::move(a));
    }
    std::atomic<std::size_t> next{0};
    std::mutex pending_mu;
    std::vector<PendingFill> pending;
    auto collect = [&](PendingFill f) {
        std::lock_guard pending_lock(pending_mu);
        pending.push_back(std::move(f));
    };
    auto work = [&] {
        for (std::size_t i = next.fetch_add(1); i < active.size(); i = next.fetch_add(1)) {
            if (auto st = select_address(active[i], head, applied, shared, actor_cfgs, collect); !st) {
                logger()->warn("selecting for {}: {}", active[i].addr.to_string(), st.error().message);
            }
        }
    };
    const auto n = std::min<std::size_t>(static_cast<std::size_t>(settings_.select_concurrency), active.size());
    std::vector<std::thread> threads;
    for (std::size_t i = 1; i < n; ++i) threads.emplace_back(work);
    work();
    for (auto& t : threads) t.join();
    if (pending.empty()) return {};

    // Durable before pushed: a crash after the commit re-pushes them; before it, no nonce was used.
    std::vector<FillResult> results;
    for (auto& p : pending) results.push_back(std::move(p.result));
    auto saved = [&] {
        Timer t{counters_.save_us};
        return store_.save_fills(results);
    }();
    if (!saved) return saved.error().wrap("saving the round");
    for (std::size_t i = 0; i < results.size(); ++i) {
        auto& r = results[i];
        if (!(*saved)[i]) {
            logger()->warn("selecting for {}: {}", r.addr, (*saved)[i].error().message);
            continue;
        }
        counters_.filled.fetch_add(r.filled.size());
        update_nonce_metrics(r.addr, r.next_nonce, pending[i].chain_nonce);
        push_signed(std::move(r.filled), true);
    }
    return {};
}

Status Messager::select_address(const Address& a, const chain::TipSet& head,
                                const std::map<std::string, std::uint64_t>& applied, const SharedParams& shared,
                                const std::vector<ActorCfg>& actor_cfgs, const std::function<void(PendingFill)>& pending) {
    const auto from = a.addr.to_string();
    VENUS_TRY(auto actor, node_.actor(a.addr, head.key()));
    const std::uint64_t state_nonce = actor ? actor->nonce : 0;
    std::uint64_t chain_nonce = state_nonce;
    if (auto it = applied.find(from); it != applied.end()) chain_nonce = std::max(chain_nonce, it->second);

    // Reconcile the address nonce with the chain (and never below a nonce this DB already used).
    std::uint64_t nonce = a.nonce;
    if (chain_nonce > nonce) {
        nonce = chain_nonce;
        VENUS_TRY(auto used, store_.max_used_nonce(from));
        if (used && *used >= nonce) nonce = *used + 1;
        VENUS_TRY_VOID(store_.set_nonce(from, nonce));
    }
    update_nonce_metrics(from, nonce, chain_nonce);

    VENUS_TRY(auto fills, store_.filled(from));
    std::vector<Message> to_push;
    std::size_t stuck = 0;
    for (auto& m : fills) {
        if (m.msg.nonce >= chain_nonce) {
            to_push.push_back(std::move(m));
        } else if (m.msg.nonce < state_nonce && stuck < kStuckPerRound) {
            // Executed before this head but never seen by head processing (venus#5969): look it up.
            ++stuck;
            if (auto st = reconcile(m); !st) logger()->debug("lookup of {}: {}", m.id, st.error().message);
        }
    }
    const std::uint64_t sel = a.sel_msg_num > 0 ? a.sel_msg_num : shared.sel_msg_num;
    const std::uint64_t gap = nonce - chain_nonce;
    if (gap >= sel) {
        if (gap > 0) logger()->warn("{}: {} messages not yet on chain; no new ones this round", from, gap);
        push_signed(std::move(to_push), false);
        return {};
    }
    const std::uint64_t want = sel - gap;
    std::optional<Timer> load_timer(std::in_place, counters_.load_us);
    VENUS_TRY(auto cands, store_.unfilled(from, static_cast<std::size_t>(want)));
    load_timer.reset();
    if (cands.empty()) {
        push_signed(std::move(to_push), false);
        return {};
    }

    std::vector<std::pair<std::string, std::string>> errors;
    std::vector<std::string> accounts;
    if (auto acc = accounts_of(a.addr); acc) {
        accounts = std::move(*acc);
    } else {
        for (const auto& m : cands) errors.emplace_back(m.id, "sign: " + acc.error().message);
        counters_.sign_failures.fetch_add(1);
        VENUS_TRY_VOID(store_.set_errors(errors));
        push_signed(std::move(to_push), false);
        return {};
    }

    // Fee settings per message, the base-fee gate, then one batch estimate.
    const auto& base_fee = head.blocks().front().parent_base_fee;
    std::map<std::string, std::string> code_of;  // To → actor code, only when actor configs exist
    std::vector<const Message*> batch;
    std::vector<EstimateItem> items;
    std::vector<chain::TokenAmount> max_fees;
    for (const auto& m : cands) {
        const ActorCfg* cfg = nullptr;
        if (!actor_cfgs.empty()) {
            const auto to = m.msg.to.to_string();
            auto it = code_of.find(to);
            if (it == code_of.end()) {
                auto to_actor = node_.actor(m.msg.to, head.key());
                it = code_of.emplace(to, to_actor && *to_actor ? (*to_actor)->code.to_string() : std::string()).first;
            }
            for (const auto& c : actor_cfgs) {
                if (c.code == it->second && c.method == m.msg.method) cfg = &c;
            }
        }
        const auto& threshold = pick_big(nullptr, a.fee.base_fee, cfg, cfg ? &cfg->fee.base_fee : nullptr, shared.fee.base_fee);
        if (!zero(threshold) && base_fee > threshold) continue;  // stays UnFill, no error
        EstimateItem it;
        it.msg = m.msg;
        it.max_fee = pick_big(&m.meta.max_fee, a.fee.max_fee, cfg, cfg ? &cfg->fee.max_fee : nullptr, shared.fee.max_fee);
        it.gas_over_estimation = pick(m.meta.gas_over_estimation, a.fee.gas_over_estimation, cfg,
                                      cfg ? cfg->fee.gas_over_estimation : 0, shared.fee.gas_over_estimation);
        it.gas_over_premium = pick(m.meta.gas_over_premium, a.fee.gas_over_premium, cfg,
                                   cfg ? cfg->fee.gas_over_premium : 0, shared.fee.gas_over_premium);
        if (zero(it.msg.gas_fee_cap)) {
            it.msg.gas_fee_cap =
                pick_big(nullptr, a.fee.gas_fee_cap, cfg, cfg ? &cfg->fee.gas_fee_cap : nullptr, shared.fee.gas_fee_cap);
        }
        max_fees.push_back(it.max_fee);
        items.push_back(std::move(it));
        batch.push_back(&m);
    }
    if (items.empty()) {
        push_signed(std::move(to_push), false);
        return {};
    }
    std::optional<Timer> est_timer(std::in_place, counters_.estimate_us);
    auto est = node_.batch_estimate(items, nonce, head.key(), settings_.estimate_timeout);
    est_timer.reset();
    if (!est) {
        for (const auto* m : batch) errors.emplace_back(m->id, "gas estimate: " + est.error().message);
        counters_.estimate_failures.fetch_add(batch.size());
        VENUS_TRY_VOID(store_.set_errors(errors));
        push_signed(std::move(to_push), false);
        return {};
    }
    std::vector<Message> filled;
    std::vector<chain::Message> to_sign;
    for (std::size_t i = 0; i < batch.size() && filled.size() < want; ++i) {
        const auto& r = (*est)[i];
        if (!r.msg) {
            errors.emplace_back(batch[i]->id, "gas estimate: " + r.err);
            counters_.estimate_failures.fetch_add(1);
            continue;
        }
        if (r.msg->gas_limit > kBlockGasLimit) {
            errors.emplace_back(batch[i]->id, fmt::format("gas estimate: gas limit {} is above the block gas limit {}",
                                                          r.msg->gas_limit, kBlockGasLimit));
            continue;
        }
        Message m = *batch[i];
        m.msg.nonce = nonce + filled.size();
        m.msg.gas_limit = r.msg->gas_limit;
        m.msg.gas_fee_cap = r.msg->gas_fee_cap;
        m.msg.gas_premium = r.msg->gas_premium;
        to_sign.push_back(m.msg);
        filled.push_back(std::move(m));
    }
    // All signatures requested at once; the first failure ends the batch there (its nonces stay free).
    std::optional<Timer> sign_timer(std::in_place, counters_.sign_us);
    auto futures = sign_async(accounts, to_sign);
    const auto deadline = std::chrono::steady_clock::now() + settings_.sign_timeout;
    std::size_t ok = 0;
    for (; ok < futures.size(); ++ok) {
        auto f = futures[ok]->get_future();
        if (f.wait_until(deadline) != std::future_status::ready) {
            errors.emplace_back(filled[ok].id, fmt::format("sign: no answer within {} ms", settings_.sign_timeout.count()));
            counters_.sign_failures.fetch_add(1);
            break;
        }
        auto sig = f.get();
        if (!sig) {
            errors.emplace_back(filled[ok].id, "sign: " + sig.error().message);
            counters_.sign_failures.fetch_add(1);
            break;
        }
        filled[ok].signature = std::move(*sig);
        auto ucid = filled[ok].msg.cid();
        auto scid = filled[ok].signed_message().cid();
        if (!ucid || !scid) {
            errors.emplace_back(filled[ok].id, "message cannot be encoded");
            break;
        }
        filled[ok].unsigned_cid = std::move(*ucid);
        filled[ok].signed_cid = std::move(*scid);
        filled[ok].state = MsgState::kFill;
        filled[ok].error_msg.clear();
    }
    filled.resize(ok);
    sign_timer.reset();
    push_signed(std::move(to_push), false);
    // Saved (then pushed) by select() with the rest of the round.
    const auto next_nonce = nonce + filled.size();
    pending(PendingFill{FillResult{from, next_nonce, std::move(filled), std::move(errors)}, chain_nonce});
    return {};
}

// ---- the loop ----------------------------------------------------------------------------------

void Messager::start() {
    std::lock_guard lock(loop_mu_);
    if (thread_.joinable()) return;
    stopping_ = false;
    thread_ = std::thread([this] { loop(); });
}

void Messager::stop() {
    {
        std::lock_guard lock(loop_mu_);
        stopping_ = true;
    }
    loop_cv_.notify_all();
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void Messager::notify_head() {
    {
        std::lock_guard lock(loop_mu_);
        wake_ = true;
    }
    loop_cv_.notify_all();
}

void Messager::loop() {
    // The block delay sets the debounce; a remote node may not answer yet, so it is asked here.
    while (true) {
        if (auto d = node_.block_delay_secs(); d) {
            block_delay_secs_.store(*d);
            break;
        }
        std::unique_lock lock(loop_mu_);
        if (loop_cv_.wait_for(lock, settings_.head_poll_interval, [&] { return stopping_; })) return;
    }
    auto debounce = settings_.wait_head_stable;
    const auto delay = std::chrono::milliseconds(1000 * block_delay_secs_.load());
    if (delay <= debounce * 2) debounce = delay / 2;
    logger()->info("messager loop started (block delay {} s, head stable after {} ms)", block_delay_secs_.load(), debounce.count());
    std::optional<chain::TipSetKey> last;
    std::optional<std::chrono::steady_clock::time_point> select_at;
    bool need_process = false;
    std::chrono::steady_clock::time_point last_selection{};
    while (true) {
        {
            std::unique_lock lock(loop_mu_);
            auto wait = settings_.head_poll_interval;
            if (select_at) {
                wait = std::min(wait, std::chrono::duration_cast<std::chrono::milliseconds>(
                                          *select_at - std::chrono::steady_clock::now()));
            }
            if (wait.count() > 0) loop_cv_.wait_for(lock, wait, [&] { return stopping_ || wake_; });
            if (stopping_) return;
            wake_ = false;
        }
        auto head = node_.chain_head();
        if (!head) {
            logger()->warn("ChainHead: {}", head.error().message);
            continue;
        }
        if (!last || *last != head->key()) {
            last = head->key();
            need_process = true;
            select_at = std::chrono::steady_clock::now() + debounce;
        }
        if (need_process && !settings_.skip_process_head) {
            if (auto st = process_head(*head); !st) {
                logger()->warn("following head {}: {}", head->height(), st.error().message);
            } else {
                need_process = false;
            }
        }
        // A stalled chain (no round for a whole block delay) still gets rounds on the same head, so
        // messages pushed meanwhile are estimated and signed, or their error recorded (a gateway that
        // is away stops the miners too, and with them the heads).
        const auto now = std::chrono::steady_clock::now();
        if (!select_at && now - last_selection >= delay) select_at = now;
        if (select_at && now >= *select_at) {
            select_at.reset();
            last_selection = now;
            if (!settings_.skip_push_message) {
                if (auto st = select(*head); !st) logger()->warn("selection on {}: {}", head->height(), st.error().message);
            }
        }
    }
}

}  // namespace venus::plugins::messager
