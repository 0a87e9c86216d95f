// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "provider_link.hpp"

#include <asio/post.hpp>

#include "venus/core/log.hpp"

namespace venus::plugins::wallet {

namespace wire = api::wire;

namespace {
auto logger() { return log::get("wallet"); }
}  // namespace

ProviderLink::ProviderLink(Options options, Handler handler, asio::io_context& control, asio::thread_pool& workers)
    : options_(std::move(options)), handler_(std::move(handler)), control_(control), workers_(workers), timer_(control) {}

void ProviderLink::start() {
    asio::post(workers_, [self = shared_from_this()] { self->connect(); });
}

void ProviderLink::stop() {
    stopped_ = true;
    asio::post(control_, [self = shared_from_this()] { self->timer_.cancel(); });
    std::shared_ptr<rpc::WsRpcClient> c;
    {
        std::lock_guard lock(mu_);
        c = std::move(client_);
    }
    if (c) c->close();
}

std::string ProviderLink::channel_id() const {
    std::lock_guard lock(mu_);
    return channel_id_;
}

Result<rpc::RawJson> ProviderLink::call(std::string_view method, const rpc::RawJson& params) {
    std::shared_ptr<rpc::WsRpcClient> c;
    {
        std::lock_guard lock(mu_);
        c = client_;
    }
    if (!c || !c->connected()) return make_error(Errc::kUnavailable, "not connected to the gateway");
    return c->call(method, params);
}

void ProviderLink::call_async(std::string_view method, const rpc::RawJson& params,
                              std::function<void(Result<rpc::RawJson>)> done) {
    std::shared_ptr<rpc::WsRpcClient> c;
    {
        std::lock_guard lock(mu_);
        c = client_;
    }
    if (!c || !c->connected()) return done(make_error(Errc::kUnavailable, "not connected to the gateway"));
    c->call_async(method, params, std::move(done));
}

// Runs on a worker: connecting blocks.
void ProviderLink::connect() {
    if (stopped_) return;
    auto client = rpc::WsRpcClient::connect(options_.gateway, "/rpc/v2");
    if (!client) {
        logger()->warn("{}: cannot reach the gateway at {}: {}", options_.name, options_.gateway.addr.to_string(),
                       client.error().message);
        return schedule_reconnect();
    }
    auto c = *client;
    std::weak_ptr<ProviderLink> weak = weak_from_this();
    c->on_disconnect([weak](const Error& e) {
        if (auto self = weak.lock()) {
            logger()->warn("{}: gateway connection lost: {}", self->options_.name, e.message);
            self->schedule_reconnect();
        }
    });
    {
        std::lock_guard lock(mu_);
        client_ = c;
        channel_id_.clear();
    }
    auto params = rpc::make_params([&](rpc::JsonOut& o) { rpc::write_raw(o, options_.policy); });
    auto sub = c->subscribe(
        options_.listen_method, params,
        [weak](rpc::RawJson v) {
            if (auto self = weak.lock()) self->handle(std::move(v));
        },
        [weak] {
            if (auto self = weak.lock()) {
                logger()->warn("{}: the gateway closed the stream", self->options_.name);
                self->schedule_reconnect();
            }
        });
    if (!sub) {
        c->close();
        // A miner bound to another user (handed over in auth) is not ours to prove: ask again now
        // and then, quietly, instead of every second.
        if (sub.error().message.find("does not belong to user") != std::string::npos) {
            logger()->info("{}: {}; asking again in 30 s", options_.name, sub.error().message);
            return schedule_reconnect(std::chrono::seconds(30));
        }
        logger()->warn("{}: {} refused: {}", options_.name, options_.listen_method, sub.error().message);
        return schedule_reconnect();
    }
    if (stopped_) c->close();
}

void ProviderLink::schedule_reconnect(std::chrono::seconds delay) {
    if (stopped_ || reconnect_pending_.exchange(true)) return;
    std::shared_ptr<rpc::WsRpcClient> old;
    {
        std::lock_guard lock(mu_);
        channel_id_.clear();
        old = std::move(client_);
    }
    // We may be on the client's own thread (a disconnect callback): close and release it elsewhere.
    if (old) asio::post(workers_, [old] { old->close(); });
    asio::post(control_, [self = shared_from_this(), delay] {
        self->timer_.expires_after(delay);
        self->timer_.async_wait([self](const asio::error_code& ec) {
            self->reconnect_pending_ = false;
            if (ec || self->stopped_) return;
            asio::post(self->workers_, [self] { self->connect(); });
        });
    });
}

void ProviderLink::handle(rpc::RawJson value) {
    rpc::JsonDocument doc;
    if (auto st = rpc::parse_json(value.text, doc); !st) {
        logger()->warn("{}: bad event: {}", options_.name, st.error().message);
        return;
    }
    auto ev = wire::parse_request_event(doc);
    if (!ev) {
        logger()->warn("{}: bad event: {}", options_.name, ev.error().message);
        return;
    }
    if (ev->method == "InitConnect") {
        rpc::JsonDocument p;
        std::string id;
        if (rpc::parse_json(ev->payload, p).ok() && p.IsObject() && p.HasMember("ChannelId") && p["ChannelId"].IsString()) {
            id = p["ChannelId"].GetString();
        }
        {
            std::lock_guard lock(mu_);
            channel_id_ = id;
        }
        logger()->info("{}: registered with the gateway (channel {})", options_.name, id);
        if (on_ready_) asio::post(workers_, on_ready_);
        return;
    }
    // Signing (BLS especially) runs on the workers, not on the client's network thread.
    asio::post(workers_, [self = shared_from_this(), ev = std::move(*ev)] {
        wire::ResponseEvent resp{ev.id, {}, {}};
        auto r = self->handler_(ev);
        if (r) {
            resp.payload = std::move(*r);
        } else {
            resp.error = r.error().message;
            logger()->warn("{}: refused {} ({}): {}", self->options_.name, ev.method, ev.id, r.error().message);
        }
        std::shared_ptr<rpc::WsRpcClient> c;
        {
            std::lock_guard lock(self->mu_);
            c = self->client_;
        }
        if (!c) return;
        auto params = rpc::make_params([&](rpc::JsonOut& o) { rpc::write_raw(o, wire::to_json(resp)); });
        c->call_async(self->options_.response_method, params, [name = self->options_.name](Result<rpc::RawJson> r2) {
            if (!r2) logger()->debug("{}: response not taken: {}", name, r2.error().message);
        });
    });
}

}  // namespace venus::plugins::wallet
