// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "gateway_service.hpp"

#include <asio/post.hpp>
#include <openssl/rand.h>

#include <algorithm>
#include <ctime>
#include <set>
#include <strings.h>

#include "venus/chain/keys.hpp"
#include "venus/core/log.hpp"
#include "venus/crypto/hash.hpp"

namespace venus::plugins::gateway {

namespace wire = api::wire;

namespace {

auto logger() { return log::get("gateway"); }

const rpc::JsonValue* member(const rpc::JsonValue& v, std::string_view key) {
    if (!v.IsObject()) return nullptr;
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
        if (it->name.GetStringLength() == key.size() && ::strncasecmp(it->name.GetString(), key.data(), key.size()) == 0) {
            return &it->value;
        }
    }
    return nullptr;
}

Result<std::vector<std::string>> string_array(const rpc::JsonValue* v, std::string_view what) {
    std::vector<std::string> out;
    if (v == nullptr || v->IsNull()) return out;
    if (!v->IsArray()) return make_error(Errc::kInvalidArgument, "{} must be an array of strings", what);
    for (const auto& e : v->GetArray()) {
        if (!e.IsString()) return make_error(Errc::kInvalidArgument, "{} must be an array of strings", what);
        out.emplace_back(e.GetString(), e.GetStringLength());
    }
    return out;
}

std::string join(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
    return s;
}

std::string host_of(const std::string& ip_port) {
    auto pos = ip_port.rfind(':');
    return pos == std::string::npos ? ip_port : ip_port.substr(0, pos);
}

std::string rfc3339(std::int64_t unix_seconds) {
    std::time_t t = unix_seconds;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

//! ConnectState{"Addrs","ChannelId","Ip","RequestCount","CreateTime"} (caller holds the hub lock).
void write_state(rpc::JsonOut& o, const Connection& c) {
    o.StartObject();
    rpc::write_key(o, "Addrs");
    if (c.addrs.empty()) {
        o.Null();
    } else {
        o.StartArray();
        for (const auto& a : c.addrs) rpc::write_string(o, a.to_string());
        o.EndArray();
    }
    rpc::write_key(o, "ChannelId");
    rpc::write_string(o, c.id);
    rpc::write_key(o, "Ip");
    rpc::write_string(o, c.ip);
    rpc::write_key(o, "RequestCount");
    o.Uint64(c.queued);
    rpc::write_key(o, "CreateTime");
    rpc::write_string(o, rfc3339(c.create_time));
    // venusd additions: totals per connection, for diagnosis.
    rpc::write_key(o, "Served");
    o.Uint64(c.served);
    rpc::write_key(o, "Failed");
    o.Uint64(c.failed);
    o.EndObject();
}

void write_states(rpc::JsonOut& o, const std::vector<const Connection*>& conns) {
    o.StartObject();
    rpc::write_key(o, "Connections");
    o.StartArray();
    for (const auto* c : conns) write_state(o, *c);
    o.EndArray();
    rpc::write_key(o, "ConnectionCount");
    o.Uint64(conns.size());
    o.EndObject();
}

bool signable(const chain::Address& a) {
    auto p = a.protocol();
    return p == chain::Protocol::kSecp256k1 || p == chain::Protocol::kBls || p == chain::Protocol::kDelegated;
}

}  // namespace

GatewayService::GatewayService(const Settings& settings, std::shared_ptr<api::Auth> auth, asio::thread_pool& workers)
    : hub_(HubOptions{settings.queue_size, {settings.request_timeout, settings.request_timeout, settings.market_timeout}}),
      auth_(std::move(auth)),
      workers_(workers),
      gateway_rand_(32),
      proxy_(settings.proxy) {
    if (RAND_bytes(gateway_rand_.data(), static_cast<int>(gateway_rand_.size())) != 1) {
        logger()->error("RAND_bytes failed; the wallet challenge uses a weaker random");
        for (auto& b : gateway_rand_) b = static_cast<std::uint8_t>(std::rand());
    }
}

GatewayService::~GatewayService() = default;

// ---- provider side ------------------------------------------------------------------------------

void GatewayService::listen_wallet(rpc::CallContext& ctx, const rpc::JsonValue& params, rpc::Reply reply) {
    const std::string account = ctx.claims.name;
    if (account.empty()) return reply.error(make_error(Errc::kPermissionDenied, "the token carries no account name"));
    const auto& policy = params[0];
    if (!policy.IsObject() && !policy.IsNull()) return reply.error(make_error(Errc::kInvalidArgument, "param 0: expected WalletRegisterPolicy"));
    auto support = string_array(member(policy, "SupportAccounts"), "SupportAccounts");
    if (!support) return reply.error(support.error());
    Bytes sign_bytes;
    if (const auto* sb = member(policy, "SignBytes"); sb != nullptr && sb->IsString()) {
        auto b = from_base64(std::string_view(sb->GetString(), sb->GetStringLength()));
        if (!b) return reply.error(b.error().wrap("SignBytes"));
        sign_bytes = std::move(*b);
    }
    std::vector<std::string> accounts{account};
    for (auto& a : *support) {
        if (std::find(accounts.begin(), accounts.end(), a) == accounts.end()) accounts.push_back(a);
    }
    for (const auto& a : accounts) {
        auto has = auth_->has_user(a);
        if (!has) return reply.error(has.error().wrap(fmt::format("checking account {}", a)));
        if (!*has) return reply.error(make_error(Errc::kPermissionDenied, "verify user {} failed: not an auth user", a));
    }
    auto ch = ctx.open_channel();
    if (!ch) return reply.error(ch.error());
    auto conn = hub_.add(StreamKind::kWallet, account, "", ctx.remote, std::move(sign_bytes), *ch);
    hub_.locked([&](auto&) {
        conn->support_accounts = accounts;
        return 0;
    });
    logger()->info("wallet stream {} from {} (account {}, supports [{}]): verifying addresses", conn->id, ctx.remote,
                   account, join(accounts));
    (*ch)->on_close([weak = weak_from_this(), id = conn->id] {
        if (auto self = weak.lock()) {
            self->hub_.remove(id, "wallet disconnected");
            logger()->info("wallet stream {} closed", id);
        }
    });
    reply.channel(*ch);
    hub_.send(conn->id, "WalletList", "null", [weak = weak_from_this(), conn](Result<std::string> r) {
        if (auto self = weak.lock()) self->on_wallet_list(conn, std::move(r));
    });
}

void GatewayService::on_wallet_list(const std::shared_ptr<Connection>& conn, Result<std::string> r) {
    if (!r) return abort_stream(conn, "WalletList: " + r.error().message);
    rpc::JsonDocument doc;
    if (auto st = rpc::parse_json(*r, doc); !st) return abort_stream(conn, "WalletList: " + st.error().message);
    std::vector<chain::Address> addrs;
    if (!doc.IsNull()) {
        if (!doc.IsArray()) return abort_stream(conn, "WalletList: expected an array of addresses");
        for (const auto& v : doc.GetArray()) {
            if (!v.IsString()) return abort_stream(conn, "WalletList: expected an array of addresses");
            auto a = chain::Address::parse(std::string_view(v.GetString(), v.GetStringLength()));
            if (!a) return abort_stream(conn, "WalletList: " + a.error().message);
            addrs.push_back(*a);
        }
    }
    if (addrs.empty()) return finish_wallet(conn, {});
    // Challenges go out a window at a time: the stream's queue (queue_size) must keep room for them,
    // so a wallet with more keys than the queue holds is verified in turns, not refused.
    struct Pending {
        std::mutex mu;
        std::vector<chain::Address> addrs;
        std::size_t next = 0, done = 0;
        std::optional<Error> failure;
    };
    auto state = std::make_shared<Pending>();
    state->addrs = std::move(addrs);
    const std::size_t window = std::max<std::size_t>(1, std::min<std::size_t>(8, hub_.options().queue_size / 2));
    auto pump = std::make_shared<std::function<void()>>();
    *pump = [weak = weak_from_this(), conn, state, pump_weak = std::weak_ptr<std::function<void()>>(pump)] {
        auto self = weak.lock();
        auto me = pump_weak.lock();
        if (!self || !me) return;
        std::optional<chain::Address> a;
        {
            std::lock_guard lock(state->mu);
            if (state->failure || state->next >= state->addrs.size()) return;
            a = state->addrs[state->next++];
        }
        self->verify_address(conn, *a, [weak, conn, state, a = *a, me](Status st) {
            bool last = false;
            std::optional<Error> failure;
            {
                std::lock_guard lock(state->mu);
                if (!st && !state->failure) state->failure = st.error().wrap(a.to_string());
                last = ++state->done == state->addrs.size() || (state->failure && state->done == state->next);
                failure = state->failure;
            }
            if (!last) return (*me)();
            auto service = weak.lock();
            if (!service) return;
            // Any single failure rejects the whole stream, as in sophon-gateway.
            if (failure) return service->abort_stream(conn, "address verification failed: " + failure->message);
            service->finish_wallet(conn, state->addrs);
        });
    };
    // The pump lives as long as a callback it handed out (each holds it), not through itself.
    for (std::size_t k = 0; k < window; ++k) (*pump)();
}

void GatewayService::verify_address(const std::shared_ptr<Connection>& conn, const chain::Address& addr,
                                    std::function<void(Status)> done) {
    if (!signable(addr)) {
        done(make_error(Errc::kInvalidArgument, "address {} cannot sign", addr.to_string()));
        return;
    }
    Bytes input = gateway_rand_;
    input.insert(input.end(), conn->sign_bytes.begin(), conn->sign_bytes.end());
    const auto digest = crypto::sha256(input);
    wire::WalletSignRequest req{addr, Bytes(digest.begin(), digest.end()), {std::string(api::kMetaVerifyAddress), gateway_rand_}};
    hub_.send(conn->id, "WalletSign", wire::to_json(req).text,
              [this, addr, to_sign = req.to_sign, done = std::move(done)](Result<std::string> r) mutable {
                  if (!r) return done(r.error());
                  // Signature checks (BLS pairings) do not belong on a network thread.
                  asio::post(workers_, [addr, to_sign = std::move(to_sign), done = std::move(done), text = std::move(*r)] {
                      rpc::JsonDocument doc;
                      if (auto st = rpc::parse_json(text, doc); !st) return done(st.error());
                      auto sig = wire::parse_signature(doc);
                      if (!sig) return done(sig.error());
                      auto ok = chain::verify(*sig, addr, to_sign);
                      if (!ok) return done(ok.error());
                      if (!*ok) return done(make_error(Errc::kPermissionDenied, "wrong challenge signature"));
                      done(Status{});
                  });
              });
}

void GatewayService::finish_wallet(const std::shared_ptr<Connection>& conn, std::vector<chain::Address> addrs) {
    std::vector<std::shared_ptr<Connection>> duplicates;
    const bool alive = hub_.locked([&](const auto& conns) {
        if (!conns.contains(conn->id)) return false;
        conn->addrs.insert(addrs.begin(), addrs.end());
        conn->ready = true;
        // The same wallet process (same random SignBytes) connecting again: its old stream is dead or
        // about to be, and would keep receiving requests (venus#5689).
        for (const auto& [id, c] : conns) {
            if (c != conn && c->kind == StreamKind::kWallet && c->account == conn->account && !conn->sign_bytes.empty() &&
                c->sign_bytes == conn->sign_bytes) {
                duplicates.push_back(c);
            }
        }
        return true;
    });
    if (!alive) return;
    for (const auto& d : duplicates) {
        logger()->info("evicting wallet stream {}: replaced by {} from the same wallet", d->id, conn->id);
        d->channel->close();
        hub_.remove(d->id, "replaced by a new stream of the same wallet");
    }
    register_signers(support_of(conn->account), addrs);
    rpc::JsonBuilder b;
    b.out().StartObject();
    rpc::write_key(b.out(), "ChannelId");
    rpc::write_string(b.out(), conn->id);
    b.out().EndObject();
    hub_.notify(conn->id, "InitConnect", b.take().text);
    logger()->info("wallet stream {} ready: account {}, {} addresses", conn->id, conn->account, addrs.size());
}

void GatewayService::abort_stream(const std::shared_ptr<Connection>& conn, const std::string& why) {
    logger()->warn("rejecting {} stream {} from {} (account {}): {}", to_string(conn->kind), conn->id, conn->ip,
                   conn->account, why);
    conn->channel->close();
    hub_.remove(conn->id, why);
}

void GatewayService::register_signers(const std::vector<std::string>& accounts, const std::vector<chain::Address>& addrs) {
    std::vector<std::string> signers;
    for (const auto& a : addrs) {
        if (signable(a)) signers.push_back(a.to_string());
    }
    if (signers.empty()) return;
    for (const auto& account : accounts) {
        // Auth may be remote: keep it off network threads.
        asio::post(workers_, [auth = auth_, account, signers] {
            if (auto st = auth->register_signers(account, signers); !st) {
                logger()->warn("registering signers for {}: {}", account, st.error().message);
            }
        });
    }
}

std::vector<std::string> GatewayService::support_of(const std::string& account) const {
    return hub_.locked([&](const auto& conns) {
        std::vector<std::string> out;
        for (const auto& [id, c] : conns) {
            if (c->kind != StreamKind::kWallet || c->account != account) continue;
            for (const auto& a : c->support_accounts) {
                if (std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
            }
        }
        return out;
    });
}

void GatewayService::listen_miner(StreamKind kind, rpc::CallContext& ctx, const rpc::JsonValue& params, rpc::Reply reply) {
    const auto* m = member(params[0], kind == StreamKind::kProof ? "MinerAddress" : "Miner");
    if (m == nullptr) m = member(params[0], "MinerAddress");
    if (m == nullptr || !m->IsString()) {
        return reply.error(make_error(Errc::kInvalidArgument, "param 0: expected {{\"{}\": miner address}}",
                                      kind == StreamKind::kProof ? "MinerAddress" : "Miner"));
    }
    auto miner = chain::Address::parse(std::string_view(m->GetString(), m->GetStringLength()));
    if (!miner) return reply.error(miner.error());
    const auto miner_text = miner->to_string();
    auto owned = auth_->miner_exist_in_user(ctx.claims.name, miner_text);
    if (!owned) return reply.error(owned.error().wrap("checking miner ownership"));
    if (!*owned) {
        return reply.error(make_error(Errc::kPermissionDenied, "miner {} does not belong to user {}", miner_text,
                                      ctx.claims.name));
    }
    auto ch = ctx.open_channel();
    if (!ch) return reply.error(ch.error());
    auto conn = hub_.add(kind, ctx.claims.name, miner_text, ctx.remote, {}, *ch);
    std::vector<std::shared_ptr<Connection>> duplicates;
    hub_.locked([&](const auto& conns) {
        conn->ready = true;
        // One prover process per host and miner: a new stream from the same host replaces the old one
        // (stale damocles/vsm streams kept answering with the wrong sectors, venus#5689).
        for (const auto& [id, c] : conns) {
            if (c != conn && c->kind == kind && c->miner == miner_text && host_of(c->ip) == host_of(conn->ip)) {
                duplicates.push_back(c);
            }
        }
        return 0;
    });
    (*ch)->on_close([weak = weak_from_this(), id = conn->id, kind] {
        if (auto self = weak.lock()) {
            self->hub_.remove(id, std::string(to_string(kind)) + " provider disconnected");
            logger()->info("{} stream {} closed", to_string(kind), id);
        }
    });
    reply.channel(*ch);
    for (const auto& d : duplicates) {
        logger()->info("evicting {} stream {} of {}: replaced by {} from the same host", to_string(kind), d->id,
                       miner_text, conn->id);
        d->channel->close();
        hub_.remove(d->id, "replaced by a new stream from the same host");
    }
    rpc::JsonBuilder b;
    b.out().StartObject();
    rpc::write_key(b.out(), "ChannelId");
    rpc::write_string(b.out(), conn->id);
    b.out().EndObject();
    hub_.notify(conn->id, "InitConnect", b.take().text);
    logger()->info("{} stream {} from {} for miner {} (user {})", to_string(kind), conn->id, ctx.remote, miner_text,
                   ctx.claims.name);
}

Status GatewayService::respond(const rpc::JsonValue& params) {
    VENUS_TRY(auto ev, wire::parse_response_event(params[0]));
    return hub_.respond(ev);
}

Result<std::shared_ptr<Connection>> GatewayService::owned_wallet(const rpc::Claims& who, const std::string& channel_id) const {
    auto conn = hub_.find(channel_id);
    if (!conn || conn->kind != StreamKind::kWallet) {
        return make_error(Errc::kNotFound, "wallet channel {} not found", channel_id);
    }
    // sophon let any token change any stream; only the stream's own account (or an admin) may here.
    if (conn->account != who.name && !rpc::allows(who.perm, rpc::Perm::kAdmin)) {
        return make_error(Errc::kPermissionDenied, "channel {} belongs to another account", channel_id);
    }
    return conn;
}

Status GatewayService::support_new_account(const rpc::Claims& who, const std::string& channel_id,
                                           const std::string& account) {
    VENUS_TRY(auto conn, owned_wallet(who, channel_id));
    VENUS_TRY(bool has, auth_->has_user(account));
    if (!has) return make_error(Errc::kPermissionDenied, "verify user {} failed: not an auth user", account);
    auto addrs = hub_.locked([&](const auto&) {
        if (std::find(conn->support_accounts.begin(), conn->support_accounts.end(), account) ==
            conn->support_accounts.end()) {
            conn->support_accounts.push_back(account);
        }
        return std::vector<chain::Address>(conn->addrs.begin(), conn->addrs.end());
    });
    register_signers({account}, addrs);
    return {};
}

void GatewayService::add_new_address(const rpc::Claims& who, std::string channel_id, std::vector<chain::Address> addrs,
                                     std::function<void(Status)> done) {
    auto conn = owned_wallet(who, channel_id);
    if (!conn) return done(conn.error());
    if (addrs.empty()) return done(Status{});
    struct State {
        std::mutex mu;
        std::size_t remaining;
        std::optional<Error> failure;
    };
    auto state = std::make_shared<State>();
    state->remaining = addrs.size();
    for (const auto& a : addrs) {
        verify_address(*conn, a, [weak = weak_from_this(), conn = *conn, state, addrs, a, done](Status st) {
            std::optional<Error> failure;
            {
                std::lock_guard lock(state->mu);
                if (!st && !state->failure) state->failure = st.error().wrap(a.to_string());
                if (--state->remaining != 0) return;
                failure = state->failure;
            }
            auto self = weak.lock();
            if (!self) return done(make_error(Errc::kCancelled, "gateway stopping"));
            if (failure) return done(*failure);
            auto accounts = self->support_of(conn->account);
            self->hub_.locked([&](const auto&) {
                conn->addrs.insert(addrs.begin(), addrs.end());
                return 0;
            });
            self->register_signers(accounts, addrs);
            logger()->info("wallet stream {} added {} addresses", conn->id, addrs.size());
            done(Status{});
        });
    }
}

Status GatewayService::remove_address(const rpc::Claims& who, const std::string& channel_id,
                                      const std::vector<chain::Address>& addrs) {
    VENUS_TRY(auto conn, owned_wallet(who, channel_id));
    hub_.locked([&](const auto&) {
        for (const auto& a : addrs) conn->addrs.erase(a);
        return 0;
    });
    return {};
}

// ---- client side --------------------------------------------------------------------------------

void GatewayService::wallet_sign_json(const std::vector<std::string>& accounts, const chain::Address& signer,
                                      BytesView to_sign, const api::SignMeta& meta, Hub::Done done,
                                      std::shared_ptr<rpc::CancelToken> cancel) {
    struct Candidate {
        std::string id;
        std::size_t queued;
    };
    std::vector<Candidate> candidates;
    std::set<std::string> serving;  // accounts of wallets that serve one of `accounts`
    std::set<std::string> held;     // what those wallets hold, for the error message
    hub_.locked([&](const auto& conns) {
        std::map<std::string, std::set<std::string>> support;  // wallet account -> accounts it serves
        for (const auto& [id, c] : conns) {
            if (c->kind == StreamKind::kWallet && c->ready) {
                support[c->account].insert(c->support_accounts.begin(), c->support_accounts.end());
            }
        }
        for (const auto& [id, c] : conns) {
            if (c->kind != StreamKind::kWallet || !c->ready) continue;
            const auto& sup = support[c->account];
            if (std::none_of(accounts.begin(), accounts.end(), [&](const auto& a) { return sup.contains(a); })) continue;
            serving.insert(c->account);
            if (c->addrs.contains(signer)) {
                candidates.push_back({id, c->queued});
            } else {
                for (const auto& a : c->addrs) held.insert(a.to_string());
            }
        }
        return 0;
    });
    if (candidates.empty()) {
        // Say which link of account → wallet → address is missing (venus#4884).
        if (serving.empty()) {
            return done(make_error(Errc::kNotFound, "send request must have channel: no wallet connected for account(s) [{}]",
                                   join(accounts)));
        }
        return done(make_error(Errc::kNotFound,
                               "send request must have channel: address {} is not registered by the wallets of "
                               "account(s) [{}] (they hold [{}])",
                               signer.to_string(), join(accounts), join({held.begin(), held.end()})));
    }
    // Least loaded first, instead of map order.
    std::stable_sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) { return a.queued < b.queued; });
    std::vector<std::string> ids;
    for (auto& c : candidates) ids.push_back(std::move(c.id));
    wire::WalletSignRequest req{signer, Bytes(to_sign.begin(), to_sign.end()), meta};
    hub_.send_failover(std::move(ids), "WalletSign", wire::to_json(req).text, std::move(done), std::move(cancel));
}

void GatewayService::wallet_sign(std::vector<std::string> accounts, chain::Address signer, Bytes to_sign,
                                 api::SignMeta meta, SignDone done) {
    wallet_sign_json(accounts, signer, to_sign, meta, [done = std::move(done)](Result<std::string> r) {
        if (!r) return done(r.error());
        rpc::JsonDocument doc;
        if (auto st = rpc::parse_json(*r, doc); !st) return done(st.error());
        done(wire::parse_signature(doc));
    }, nullptr);
}

Result<bool> GatewayService::wallet_has(const std::vector<std::string>& accounts, const chain::Address& addr) {
    return hub_.locked([&](const auto& conns) {
        std::map<std::string, std::set<std::string>> support;
        for (const auto& [id, c] : conns) {
            if (c->kind == StreamKind::kWallet && c->ready) {
                support[c->account].insert(c->support_accounts.begin(), c->support_accounts.end());
            }
        }
        for (const auto& [id, c] : conns) {
            if (c->kind != StreamKind::kWallet || !c->ready || !c->addrs.contains(addr)) continue;
            const auto& sup = support[c->account];
            if (std::any_of(accounts.begin(), accounts.end(), [&](const auto& a) { return sup.contains(a); })) return true;
        }
        return false;
    });
}

void GatewayService::send_to_miner(StreamKind kind, const chain::Address& miner, std::string method, std::string payload,
                                   Hub::Done done, std::shared_ptr<rpc::CancelToken> cancel) {
    const auto text = miner.to_string();
    std::vector<std::pair<std::size_t, std::string>> found;
    std::set<std::string> connected;
    hub_.locked([&](const auto& conns) {
        for (const auto& [id, c] : conns) {
            if (c->kind != kind || !c->ready) continue;
            connected.insert(c->miner);
            if (c->miner == text) found.emplace_back(c->queued, id);
        }
        return 0;
    });
    if (found.empty()) {
        return done(make_error(Errc::kNotFound, "no connections for this miner {} (no {} provider connected for it; "
                                                "connected miners: [{}])",
                               text, to_string(kind), join({connected.begin(), connected.end()})));
    }
    std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::string> ids;
    for (auto& f : found) ids.push_back(std::move(f.second));
    hub_.send_failover(std::move(ids), std::move(method), std::move(payload), std::move(done), std::move(cancel));
}

void GatewayService::compute_proof(chain::Address miner, rpc::RawJson sector_infos, Bytes rand, std::int64_t height,
                                   std::uint64_t network_version, JsonDone done) {
    rpc::JsonBuilder b;
    auto& o = b.out();
    o.StartObject();
    rpc::write_key(o, "SectorInfos");
    rpc::write_raw(o, sector_infos.text.empty() ? rpc::RawJson{"null"} : sector_infos);
    rpc::write_key(o, "Rand");
    rpc::write_string(o, to_base64(rand));
    rpc::write_key(o, "Height");
    o.Int64(height);
    rpc::write_key(o, "NWVersion");
    o.Uint64(network_version);
    o.EndObject();
    send_to_miner(StreamKind::kProof, miner, "ComputeProof", b.take().text,
                  [done = std::move(done)](Result<std::string> r) {
                      if (!r) return done(r.error());
                      done(rpc::RawJson{std::move(*r)});
                  },
                  nullptr);
}

// ---- listings -----------------------------------------------------------------------------------

rpc::RawJson GatewayService::list_wallet_info() const {
    return hub_.locked([&](const auto& conns) {
        std::map<std::string, std::vector<const Connection*>> by_account;
        for (const auto& [id, c] : conns) {
            if (c->kind == StreamKind::kWallet && c->ready) by_account[c->account].push_back(c.get());
        }
        rpc::JsonBuilder b;
        auto& o = b.out();
        o.StartArray();
        for (const auto& [account, list] : by_account) {
            std::set<std::string> support;
            for (const auto* c : list) support.insert(c->support_accounts.begin(), c->support_accounts.end());
            o.StartObject();
            rpc::write_key(o, "Account");
            rpc::write_string(o, account);
            rpc::write_key(o, "SupportAccounts");
            o.StartArray();
            for (const auto& s : support) rpc::write_string(o, s);
            o.EndArray();
            rpc::write_key(o, "ConnectStates");
            o.StartArray();
            for (const auto* c : list) write_state(o, *c);
            o.EndArray();
            o.EndObject();
        }
        o.EndArray();
        return b.take();
    });
}

Result<rpc::RawJson> GatewayService::list_wallet_info_by_wallet(const std::string& account) const {
    auto all = list_wallet_info();
    rpc::JsonDocument doc;
    VENUS_TRY_VOID(rpc::parse_json(all.text, doc));
    for (const auto& w : doc.GetArray()) {
        if (std::string_view(w["Account"].GetString()) == account) return rpc::RawJson{rpc::to_json_text(w)};
    }
    return make_error(Errc::kNotFound, "wallet {} not exit", account);
}

rpc::RawJson GatewayService::list_connected_miners() const {
    return hub_.locked([&](const auto& conns) {
        std::set<std::string> miners;
        for (const auto& [id, c] : conns) {
            if (c->kind == StreamKind::kProof && c->ready) miners.insert(c->miner);
        }
        rpc::JsonBuilder b;
        b.out().StartArray();
        for (const auto& m : miners) rpc::write_string(b.out(), m);
        b.out().EndArray();
        return b.take();
    });
}

Result<rpc::RawJson> GatewayService::list_miner_connection(const chain::Address& miner) const {
    const auto text = miner.to_string();
    auto out = hub_.locked([&](const auto& conns) -> std::optional<rpc::RawJson> {
        std::vector<const Connection*> list;
        for (const auto& [id, c] : conns) {
            if (c->kind == StreamKind::kProof && c->ready && c->miner == text) list.push_back(c.get());
        }
        if (list.empty()) return std::nullopt;
        rpc::JsonBuilder b;
        write_states(b.out(), list);
        return b.take();
    });
    if (!out) return make_error(Errc::kNotFound, "miner {} not exit", text);
    return std::move(*out);
}

rpc::RawJson GatewayService::list_market_connections() const {
    return hub_.locked([&](const auto& conns) {
        std::map<std::string, std::vector<const Connection*>> by_miner;
        for (const auto& [id, c] : conns) {
            if (c->kind == StreamKind::kMarket && c->ready) by_miner[c->miner].push_back(c.get());
        }
        rpc::JsonBuilder b;
        auto& o = b.out();
        o.StartArray();
        for (const auto& [miner, list] : by_miner) {
            o.StartObject();
            rpc::write_key(o, "Addr");
            rpc::write_string(o, miner);
            rpc::write_key(o, "Conn");
            write_states(o, list);
            o.EndObject();
        }
        o.EndArray();
        return b.take();
    });
}

Status GatewayService::register_reverse(const std::string& key, const std::string& address) {
    static const std::set<std::string> kKeys = {"VENUS", "MESSAGER", "DROPLET", "AUTH", "MINER", "GATEWAY"};
    if (!kKeys.contains(key)) {
        return make_error(Errc::kInvalidArgument, "unknown proxy key {} (VENUS, MESSAGER, DROPLET, AUTH, MINER, GATEWAY)", key);
    }
    std::lock_guard lock(proxy_mu_);
    if (address.empty()) {
        proxy_.erase(key);
    } else {
        proxy_[key] = address;
    }
    return {};
}

std::map<std::string, std::string> GatewayService::reverse_proxies() const {
    std::lock_guard lock(proxy_mu_);
    return proxy_;
}

}  // namespace venus::plugins::gateway
