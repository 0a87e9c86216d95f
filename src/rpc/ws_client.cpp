// SPDX-License-Identifier: Apache-2.0 OR MIT
#include <asio/connect.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/post.hpp>
#include <asio/read_until.hpp>
#include <asio/steady_timer.hpp>
#include <asio/streambuf.hpp>
#include <asio/write.hpp>
#include <deque>
#include <future>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_map>

#include "venus/core/bytes.hpp"
#include "venus/rpc/client.hpp"
#include "websocket.hpp"

namespace venus::rpc {

Result<RawJson> parse_response_envelope(const JsonValue& v);  // client.cpp

using asio::ip::tcp;

struct WsRpcClient::Impl : std::enable_shared_from_this<Impl> {
    asio::io_context io{1};
    tcp::socket socket{io};
    asio::steady_timer ping_timer{io};
    std::thread thread;
    std::mutex thread_mu;  //!< close() may run on two threads at once (a link's retry and its cleanup)
    ws::Reader reader{false, 256u << 20};
    std::array<char, 16384> rbuf{};
    std::mt19937 rng{std::random_device{}()};

    std::mutex mu;
    struct Sub {
        ValueFn on_value;
        CloseFn on_close;
    };
    std::unordered_map<std::uint64_t, std::function<void(Result<RawJson>)>> pending;
    std::unordered_map<std::uint64_t, Sub> pending_subs;  // by request id, until the channel id arrives
    std::unordered_map<std::uint64_t, Sub> subs;          // by channel id
    std::function<void(const Error&)> on_disconnect;
    std::atomic<std::uint64_t> next_id{1};
    std::atomic<bool> open{false};

    std::deque<std::string> queue;  // io thread only
    std::vector<std::string> writing;
    std::chrono::steady_clock::time_point last_rx = std::chrono::steady_clock::now();

    void send(std::string payload) {
        asio::post(io, [self = shared_from_this(), payload = std::move(payload)]() mutable {
            if (!self->open) return;
            std::uint32_t mask = 0;
            while (mask == 0) mask = self->rng();
            self->queue.push_back(ws::encode_frame(ws::kText, payload, mask));
            if (self->writing.empty()) self->do_write();
        });
    }
    void send_control(ws::Opcode op, std::string payload) {
        std::uint32_t mask = 0;
        while (mask == 0) mask = rng();
        queue.push_back(ws::encode_frame(op, payload, mask));
        if (writing.empty()) do_write();
    }
    void do_write() {
        if (queue.empty() || !open) return;
        while (!queue.empty()) {
            writing.push_back(std::move(queue.front()));
            queue.pop_front();
        }
        std::vector<asio::const_buffer> bufs;
        for (auto& s : writing) bufs.emplace_back(asio::buffer(s));
        asio::async_write(socket, bufs, [self = shared_from_this()](const asio::error_code& ec, std::size_t) {
            self->writing.clear();
            if (ec) return self->fail(make_error(Errc::kUnavailable, "websocket write failed: {}", ec.message()));
            self->do_write();
        });
    }
    void do_read() {
        socket.async_read_some(asio::buffer(rbuf), [self = shared_from_this()](const asio::error_code& ec, std::size_t n) {
            if (ec) return self->fail(make_error(Errc::kUnavailable, "connection closed: {}", ec.message()));
            self->last_rx = std::chrono::steady_clock::now();
            auto st = self->reader.feed(std::string_view(self->rbuf.data(), n),
                                        [&](ws::Opcode op, std::string&& m) { self->on_message(op, std::move(m)); });
            if (!st) return self->fail(st.error());
            if (self->open) self->do_read();
        });
    }
    void schedule_ping() {
        ping_timer.expires_after(std::chrono::seconds(5));
        ping_timer.async_wait([self = shared_from_this()](const asio::error_code& ec) {
            if (ec || !self->open) return;
            // go-jsonrpc's client pings every 5 s and gives up after 30 s of silence; so do we.
            if (std::chrono::steady_clock::now() - self->last_rx > std::chrono::seconds(30)) {
                return self->fail(make_error(Errc::kTimeout, "websocket peer silent for 30s"));
            }
            self->send_control(ws::kPing, {});
            self->schedule_ping();
        });
    }
    void on_message(ws::Opcode op, std::string&& payload) {
        if (op == ws::kPing) return send_control(ws::kPong, std::move(payload));
        if (op == ws::kPong) return;
        if (op == ws::kClose) return fail(make_error(Errc::kUnavailable, "server closed the connection"));
        JsonDocument doc;
        if (!parse_json(payload, doc) || !doc.IsObject()) return;
        if (auto m = doc.FindMember("method"); m != doc.MemberEnd() && m->value.IsString()) {
            std::string_view method = m->value.GetString();
            auto p = doc.FindMember("params");
            if (p == doc.MemberEnd() || !p->value.IsArray() || p->value.Empty() || !p->value[0].IsUint64()) return;
            const auto chan = p->value[0].GetUint64();
            if (method == "xrpc.ch.val" && p->value.Size() >= 2) {
                ValueFn fn;
                {
                    std::lock_guard lock(mu);
                    if (auto it = subs.find(chan); it != subs.end()) fn = it->second.on_value;
                }
                if (fn) fn(RawJson{to_json_text(p->value[1])});
            } else if (method == "xrpc.ch.close") {
                CloseFn fn;
                {
                    std::lock_guard lock(mu);
                    if (auto it = subs.find(chan); it != subs.end()) {
                        fn = std::move(it->second.on_close);
                        subs.erase(it);
                    }
                }
                if (fn) fn();
            }
            return;
        }
        auto idm = doc.FindMember("id");
        if (idm == doc.MemberEnd() || !idm->value.IsUint64()) return;
        const auto id = idm->value.GetUint64();
        auto result = parse_response_envelope(doc);
        std::function<void(Result<RawJson>)> done;
        {
            std::lock_guard lock(mu);
            if (auto ps = pending_subs.find(id); ps != pending_subs.end()) {
                if (result.ok()) {
                    JsonDocument chan;
                    if (parse_json(result->text, chan) && chan.IsUint64()) subs[chan.GetUint64()] = std::move(ps->second);
                }
                pending_subs.erase(ps);
            }
            if (auto it = pending.find(id); it != pending.end()) {
                done = std::move(it->second);
                pending.erase(it);
            }
        }
        if (done) done(std::move(result));
    }
    void fail(const Error& e) {
        if (!open.exchange(false)) return;
        asio::error_code ec;
        socket.close(ec);
        ping_timer.cancel();
        decltype(pending) p;
        decltype(subs) s;
        decltype(pending_subs) ps;
        std::function<void(const Error&)> disc;
        {
            std::lock_guard lock(mu);
            p.swap(pending);
            s.swap(subs);
            ps.swap(pending_subs);
            disc = on_disconnect;
        }
        for (auto& [_, fn] : p) fn(e);
        for (auto& [_, sub] : s) {
            if (sub.on_close) sub.on_close();
        }
        for (auto& [_, sub] : ps) {
            if (sub.on_close) sub.on_close();
        }
        if (disc) disc(e);
    }
    std::string request_text(std::uint64_t id, std::string_view method, const RawJson& params) {
        return R"({"jsonrpc":"2.0","id":)" + std::to_string(id) + R"(,"method":)" + json_string(method).text +
               R"(,"params":)" + params.text + "}";
    }
};

WsRpcClient::WsRpcClient(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

WsRpcClient::~WsRpcClient() { close(); }

Result<std::shared_ptr<WsRpcClient>> WsRpcClient::connect(const ApiInfo& info, std::string path,
                                                          std::chrono::milliseconds timeout,
                                                          const std::vector<std::pair<std::string, std::string>>& headers) {
    auto impl = std::make_shared<Impl>();
    asio::error_code ec;
    tcp::resolver resolver(impl->io);
    auto endpoints = resolver.resolve(info.addr.host, std::to_string(info.addr.port), ec);
    if (ec) return make_error(Errc::kUnavailable, "cannot resolve {}: {}", info.addr.host, ec.message());

    // Connect and handshake on this thread with a deadline, then hand the socket to the client thread.
    asio::error_code op_ec = asio::error::would_block;
    asio::async_connect(impl->socket, endpoints, [&](const asio::error_code& e, const tcp::endpoint&) { op_ec = e; });
    impl->io.run_for(timeout);
    if (op_ec) {
        return make_error(op_ec == asio::error::would_block ? Errc::kTimeout : Errc::kUnavailable, "cannot connect to {}: {}",
                          info.ws_url(path), op_ec == asio::error::would_block ? "timed out" : op_ec.message());
    }
    impl->socket.set_option(tcp::no_delay(true), ec);
    std::uint8_t key_bytes[16];
    for (auto& b : key_bytes) b = static_cast<std::uint8_t>(impl->rng());
    const std::string key = to_base64(BytesView(key_bytes, 16));
    std::string req = "GET " + path + " HTTP/1.1\r\nHost: " + info.addr.host + ":" + std::to_string(info.addr.port) +
                      "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key +
                      "\r\nSec-WebSocket-Version: 13\r\n";
    if (!info.token.empty()) req += "Authorization: Bearer " + info.token + "\r\n";
    for (const auto& [name, value] : headers) req += name + ": " + value + "\r\n";
    req += "\r\n";
    asio::streambuf buf;
    op_ec = asio::error::would_block;
    impl->io.restart();
    asio::async_write(impl->socket, asio::buffer(req), [&](const asio::error_code& e, std::size_t) {
        if (e) {
            op_ec = e;
            return;
        }
        asio::async_read_until(impl->socket, buf, "\r\n\r\n", [&](const asio::error_code& e2, std::size_t) { op_ec = e2; });
    });
    impl->io.run_for(timeout);
    if (op_ec) return make_error(Errc::kUnavailable, "websocket handshake with {} failed: {}", info.ws_url(path), op_ec.message());
    std::string head(asio::buffers_begin(buf.data()), asio::buffers_end(buf.data()));
    const auto head_end = head.find("\r\n\r\n") + 4;
    std::string rest = head.substr(head_end);
    head.resize(head_end);
    if (head.rfind("HTTP/1.1 101", 0) != 0) {
        const auto line = head.substr(0, head.find("\r\n"));
        const Errc kind = line.find(" 401") != std::string::npos ? Errc::kUnauthenticated : Errc::kUnavailable;
        return make_error(kind, "websocket upgrade refused by {}: {}", info.ws_url(path), line);
    }
    if (head.find(ws::accept_key(key)) == std::string::npos) {
        return make_error(Errc::kUnavailable, "websocket handshake with {}: bad Sec-WebSocket-Accept", info.ws_url(path));
    }
    impl->open = true;
    impl->io.restart();
    if (!rest.empty()) {
        auto st = impl->reader.feed(rest, [&](ws::Opcode op, std::string&& m) { impl->on_message(op, std::move(m)); });
        if (!st) return st.error();
    }
    impl->do_read();
    impl->schedule_ping();
    impl->thread = std::thread([impl] { impl->io.run(); });
    return std::shared_ptr<WsRpcClient>(new WsRpcClient(impl));
}

void WsRpcClient::call_async(std::string_view method, const RawJson& params, std::function<void(Result<RawJson>)> done) {
    if (!impl_->open) {
        done(make_error(Errc::kUnavailable, "websocket connection is closed"));
        return;
    }
    const auto id = impl_->next_id.fetch_add(1);
    {
        std::lock_guard lock(impl_->mu);
        impl_->pending.emplace(id, std::move(done));
    }
    impl_->send(impl_->request_text(id, method, params));
}

Result<RawJson> WsRpcClient::call(std::string_view method, const RawJson& params, std::chrono::milliseconds timeout) {
    auto promise = std::make_shared<std::promise<Result<RawJson>>>();
    auto future = promise->get_future();
    call_async(method, params, [promise](Result<RawJson> r) { promise->set_value(std::move(r)); });
    if (future.wait_for(timeout) != std::future_status::ready) {
        return make_error(Errc::kTimeout, "call {} timed out after {} ms", method, timeout.count());
    }
    return future.get();
}

Result<WsRpcClient::Subscription> WsRpcClient::subscribe(std::string_view method, const RawJson& params, ValueFn on_value,
                                                         CloseFn on_close, std::chrono::milliseconds timeout) {
    if (!impl_->open) return make_error(Errc::kUnavailable, "websocket connection is closed");
    const auto id = impl_->next_id.fetch_add(1);
    auto promise = std::make_shared<std::promise<Result<RawJson>>>();
    auto future = promise->get_future();
    {
        std::lock_guard lock(impl_->mu);
        impl_->pending_subs.emplace(id, Impl::Sub{std::move(on_value), std::move(on_close)});
        impl_->pending.emplace(id, [promise](Result<RawJson> r) { promise->set_value(std::move(r)); });
    }
    impl_->send(impl_->request_text(id, method, params));
    if (future.wait_for(timeout) != std::future_status::ready) {
        return make_error(Errc::kTimeout, "subscribe {} timed out", method);
    }
    VENUS_TRY(auto result, future.get());
    JsonDocument doc;
    if (!parse_json(result.text, doc) || !doc.IsUint64()) {
        return make_error(Errc::kInvalidArgument, "{} did not return a channel id", method);
    }
    return Subscription{id, doc.GetUint64()};
}

void WsRpcClient::cancel(const Subscription& sub) {
    impl_->send(R"({"jsonrpc":"2.0","method":"xrpc.cancel","params":[)" + std::to_string(sub.request_id) + "]}");
}

void WsRpcClient::on_disconnect(std::function<void(const Error&)> fn) {
    std::lock_guard lock(impl_->mu);
    impl_->on_disconnect = std::move(fn);
}

bool WsRpcClient::connected() const { return impl_->open.load(); }

void WsRpcClient::close() {
    if (!impl_) return;
    auto impl = impl_;
    asio::post(impl->io, [impl] { impl->fail(make_error(Errc::kCancelled, "closed by client")); });
    if (impl->thread.get_id() == std::this_thread::get_id()) {
        // On the client's own thread: another thread joining it holds the lock and waits for us.
        std::unique_lock lock(impl->thread_mu, std::try_to_lock);
        if (lock.owns_lock() && impl->thread.joinable()) impl->thread.detach();
        return;
    }
    std::lock_guard lock(impl->thread_mu);
    if (impl->thread.joinable()) impl->thread.join();
}

}  // namespace venus::rpc
