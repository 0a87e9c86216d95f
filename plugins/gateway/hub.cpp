// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "hub.hpp"

#include <algorithm>
#include <chrono>
#include <optional>

#include "venus/core/log.hpp"

namespace venus::plugins::gateway {

using api::wire::RequestEvent;
using api::wire::ResponseEvent;

std::string_view to_string(StreamKind k) noexcept {
    switch (k) {
        case StreamKind::kWallet: return "wallet";
        case StreamKind::kProof: return "proof";
        case StreamKind::kMarket: return "market";
    }
    return "?";
}

void Hub::start(asio::io_context& control) {
    // Sweep often enough that a timeout fires within ~10% of its value (sophon swept every 5 min,
    // so its 5 min timeout really meant 5–10 min).
    auto shortest = std::min({options_.timeout[0], options_.timeout[1], options_.timeout[2]});
    sweep_every_ = std::clamp(shortest / 10, std::chrono::milliseconds(20), std::chrono::milliseconds(1000));
    timer_ = std::make_unique<asio::steady_timer>(control);
    arm();
}

void Hub::arm() {
    timer_->expires_after(sweep_every_);
    timer_->async_wait([this](const asio::error_code& ec) {
        if (ec) return;
        sweep();
        {
            std::lock_guard lock(mu_);
            if (stopped_) return;
        }
        arm();
    });
}

void Hub::stop() {
    std::unordered_map<std::string, Pending> pending;
    {
        std::lock_guard lock(mu_);
        stopped_ = true;
        pending.swap(pending_);
    }
    if (timer_) timer_->cancel();
    for (auto& [id, p] : pending) p.done(make_error(Errc::kCancelled, "gateway stopping"));
}

std::shared_ptr<Connection> Hub::add(StreamKind kind, std::string account, std::string miner, std::string ip,
                                     Bytes sign_bytes, std::shared_ptr<rpc::Channel> channel) {
    auto c = std::make_shared<Connection>();
    c->kind = kind;
    c->id = api::wire::new_uuid();
    c->account = std::move(account);
    c->miner = std::move(miner);
    c->ip = std::move(ip);
    c->sign_bytes = std::move(sign_bytes);
    c->channel = std::move(channel);
    c->create_time = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    std::lock_guard lock(mu_);
    conns_[c->id] = c;
    return c;
}

void Hub::remove(const std::string& conn_id, const std::string& reason) {
    std::vector<Done> failed;
    {
        std::lock_guard lock(mu_);
        if (conns_.erase(conn_id) == 0) return;
        for (auto it = pending_.begin(); it != pending_.end();) {
            if (it->second.conn_id == conn_id) {
                failed.push_back(std::move(it->second.done));
                it = pending_.erase(it);
            } else {
                ++it;
            }
        }
    }
    for (auto& d : failed) d(make_error(Errc::kUnavailable, "channel closed: {}", reason));
}

std::shared_ptr<Connection> Hub::find(const std::string& conn_id) const {
    std::lock_guard lock(mu_);
    auto it = conns_.find(conn_id);
    return it == conns_.end() ? nullptr : it->second;
}

void Hub::send(const std::string& conn_id, std::string method, std::string payload, Done done,
               std::shared_ptr<rpc::CancelToken> cancel) {
    RequestEvent ev{api::wire::new_uuid(), std::move(method), std::move(payload)};
    std::shared_ptr<rpc::Channel> channel;
    std::optional<Error> refused;
    {
        std::lock_guard lock(mu_);
        auto it = conns_.find(conn_id);
        if (stopped_) {
            refused = make_error(Errc::kCancelled, "gateway stopping");
        } else if (it == conns_.end()) {
            refused = make_error(Errc::kUnavailable, "channel closed: connection {} is gone", conn_id);
        } else if (it->second->queued >= options_.queue_size) {
            // Bounded: a stuck provider fails fast instead of queueing without limit (sophon blocked).
            it->second->failed++;
            if (metrics_) (*metrics_)[static_cast<int>(it->second->kind)].outcome[3]->inc();
            refused = make_error(Errc::kUnavailable, "{} connection {} has {} requests queued (queue_size)",
                                 to_string(it->second->kind), conn_id, it->second->queued);
        } else {
            auto& c = *it->second;
            c.queued++;
            Pending p;
            p.conn_id = conn_id;
            p.method = ev.method;
            p.timeout = options_.timeout[static_cast<int>(c.kind)];
            p.deadline = std::chrono::steady_clock::now() + p.timeout;
            p.done = metrics_ ? observed(c.kind, std::move(done)) : std::move(done);
            pending_.emplace(ev.id, std::move(p));
            channel = c.channel;
        }
    }
    if (refused) {
        done(std::move(*refused));
        return;
    }
    if (cancel) {
        cancel->on_cancel([this, id = ev.id] { fail(id, make_error(Errc::kCancelled, "request cancelled by the caller")); });
    }
    if (!channel->send(api::wire::to_json(ev))) {
        fail(ev.id, make_error(Errc::kUnavailable, "channel closed"));
    }
}

void Hub::fail(const std::string& request_id, Error e) {
    Done done;
    {
        std::lock_guard lock(mu_);
        auto it = pending_.find(request_id);
        if (it == pending_.end()) return;
        if (auto c = conns_.find(it->second.conn_id); c != conns_.end()) {
            c->second->queued--;
            c->second->failed++;
        }
        done = std::move(it->second.done);
        pending_.erase(it);
    }
    done(std::move(e));
}

Status Hub::respond(const ResponseEvent& ev) {
    Pending p;
    {
        std::lock_guard lock(mu_);
        auto it = pending_.find(ev.id);
        if (it == pending_.end()) return make_error(Errc::kNotFound, "request id {} not exit", ev.id);
        p = std::move(it->second);
        pending_.erase(it);
        if (auto c = conns_.find(p.conn_id); c != conns_.end()) {
            c->second->queued--;
            (ev.error.empty() ? c->second->served : c->second->failed)++;
        }
    }
    if (!ev.error.empty()) {
        p.done(Error{Errc::kUnavailable, ev.error});
    } else {
        p.done(ev.payload.empty() ? std::string("null") : ev.payload);
    }
    return {};
}

bool Hub::notify(const std::string& conn_id, std::string method, std::string payload) {
    auto c = find(conn_id);
    if (!c) return false;
    return c->channel->send(api::wire::to_json(RequestEvent{api::wire::new_uuid(), std::move(method), std::move(payload)}));
}

std::size_t Hub::pending_count() const {
    std::lock_guard lock(mu_);
    return pending_.size();
}

void Hub::sweep() {
    const auto now = std::chrono::steady_clock::now();
    std::vector<std::pair<Done, Error>> expired;
    {
        std::lock_guard lock(mu_);
        for (auto it = pending_.begin(); it != pending_.end();) {
            if (it->second.deadline <= now) {
                auto& p = it->second;
                if (auto c = conns_.find(p.conn_id); c != conns_.end()) {
                    c->second->queued--;
                    c->second->failed++;
                }
                expired.emplace_back(std::move(p.done),
                                     make_error(Errc::kTimeout, "timer clean this request due to exceed wait time {}ms method {}",
                                                p.timeout.count(), p.method));
                it = pending_.erase(it);
            } else {
                ++it;
            }
        }
    }
    for (auto& [d, e] : expired) d(std::move(e));
}

void Hub::send_failover(std::vector<std::string> conn_ids, std::string method, std::string payload, Done done,
                        std::shared_ptr<rpc::CancelToken> cancel) {
    if (conn_ids.empty()) {
        done(make_error(Errc::kNotFound, "send request must have channel"));
        return;
    }
    auto first = conn_ids.front();
    conn_ids.erase(conn_ids.begin());
    auto on_first = [this, rest = std::move(conn_ids), method, payload, done = std::move(done),
                     cancel](Result<std::string> r) mutable {
        if (r.ok() || rest.empty() || r.error().is(Errc::kTimeout) || r.error().is(Errc::kCancelled)) {
            done(std::move(r));
            return;
        }
        log::get("gateway")->warn("{} failed on one connection ({}); trying {} more", method, r.error().message,
                                  rest.size());
        struct Race {
            std::mutex mu;
            std::size_t remaining = 0;
            bool finished = false;
            Done done;
            std::string method;
        };
        auto race = std::make_shared<Race>();
        race->remaining = rest.size();
        race->done = std::move(done);
        race->method = method;
        for (const auto& id : rest) {
            send(id, method, payload,
                 [race](Result<std::string> r2) {
                     Done finish;
                     Result<std::string> out = std::string{};
                     {
                         std::lock_guard lock(race->mu);
                         race->remaining--;
                         if (race->finished) return;
                         if (r2.ok()) {
                             race->finished = true;
                             finish = std::move(race->done);
                             out = std::move(r2);
                         } else if (race->remaining == 0) {
                             race->finished = true;
                             finish = std::move(race->done);
                             out = Error{r2.error().code,
                                         fmt::format("all request failed: {} {}", race->method, r2.error().message)};
                         }
                     }
                     if (finish) finish(std::move(out));
                 },
                 cancel);
        }
    };
    send(first, std::move(method), std::move(payload), std::move(on_first), cancel);
}

void Hub::export_metrics(metrics::Registry& registry) {
    std::array<KindMetrics, 3> m;
    for (StreamKind kind : {StreamKind::kWallet, StreamKind::kProof, StreamKind::kMarket}) {
        const std::string k(to_string(kind));
        auto& km = m[static_cast<int>(kind)];
        int i = 0;
        for (const char* outcome : {"ok", "error", "timeout", "refused"}) {
            km.outcome[i++] = &registry.counter("venus_gateway_requests_total",
                                                "Requests routed to wallets, provers and markets, by outcome",
                                                {{"kind", k}, {"outcome", outcome}});
        }
        km.latency = &registry.histogram("venus_gateway_request_duration_seconds",
                                         "Round trip of a routed request to the provider's answer", {{"kind", k}});
        registry.gauge_fn("venus_gateway_connections", "Connected provider streams", {{"kind", k}}, [this, kind] {
            return locked([kind](const auto& conns) {
                double n = 0;
                for (const auto& [id, c] : conns) n += c->kind == kind ? 1 : 0;
                return n;
            });
        });
    }
    registry.gauge_fn("venus_gateway_requests_in_flight", "Requests sent to providers and not answered yet", {},
                      [this] { return static_cast<double>(pending_count()); });
    metrics_ = m;
}

Hub::Done Hub::observed(StreamKind kind, Done done) {
    const auto& km = (*metrics_)[static_cast<int>(kind)];
    return [&km, start = std::chrono::steady_clock::now(), done = std::move(done)](Result<std::string> r) {
        const int outcome = r ? 0 : r.error().is(Errc::kTimeout) ? 2 : 1;
        km.outcome[outcome]->inc();
        km.latency->observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        done(std::move(r));
    };
}

}  // namespace venus::plugins::gateway
