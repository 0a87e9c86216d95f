// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "venus/rpc/server.hpp"

#include <http_parser.h>

#include <asio/connect.hpp>
#include <asio/dispatch.hpp>
#include <asio/executor_work_guard.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <asio/write.hpp>
#include <deque>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_set>

#include "dispatcher.hpp"
#include "venus/core/log.hpp"
#include "websocket.hpp"

namespace venus::rpc {

using asio::ip::tcp;

namespace {
const char* status_text(int status) {
    switch (status) {
        case 100: return "Continue";
        case 101: return "Switching Protocols";
        case 200: return "OK";
        case 204: return "No Content";
        case 400: return "Bad Request";
        case 401: return "Unauthorized";
        case 403: return "Forbidden";
        case 404: return "Not Found";
        case 405: return "Method Not Allowed";
        case 413: return "Payload Too Large";
        case 429: return "Too Many Requests";
        case 431: return "Request Header Fields Too Large";
        case 500: return "Internal Server Error";
        case 503: return "Service Unavailable";
        default: return "Unknown";
    }
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool contains_token(std::string_view header_value, std::string_view token) {
    return lower(header_value).find(token) != std::string::npos;
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string percent_decode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && hex_digit(s[i + 1]) >= 0 && hex_digit(s[i + 2]) >= 0) {
            out += static_cast<char>(hex_digit(s[i + 1]) * 16 + hex_digit(s[i + 2]));
            i += 2;
        } else if (s[i] == '+') {
            out += ' ';
        } else {
            out += s[i];
        }
    }
    return out;
}

void parse_query(std::string_view q, std::multimap<std::string, std::string>& out) {
    while (!q.empty()) {
        auto amp = q.find('&');
        auto pair = q.substr(0, amp);
        auto eq = pair.find('=');
        if (!pair.empty()) {
            out.emplace(percent_decode(pair.substr(0, eq)),
                        eq == std::string_view::npos ? std::string{} : percent_decode(pair.substr(eq + 1)));
        }
        if (amp == std::string_view::npos) break;
        q.remove_prefix(amp + 1);
    }
}

bool is_rpc_path(std::string_view path) {
    return path == "/rpc/v0" || path == "/rpc/v1" || path == "/rpc/v2" || path == "/rpc/v0/" || path == "/rpc/v1/" ||
           path == "/rpc/v2/";
}
}  // namespace

class Connection;

struct Server::Impl {
    ServerOptions options;
    ServerDeps deps;
    Dispatcher dispatcher;
    http_parser_settings parser_settings{};

    std::vector<std::unique_ptr<asio::io_context>> ios;
    std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
    std::vector<std::thread> threads;
    std::vector<std::unique_ptr<tcp::acceptor>> acceptors;
    std::vector<std::unique_ptr<asio::steady_timer>> sweepers;
    // Live connections per network thread; touched only from that thread.
    std::vector<std::unordered_set<std::shared_ptr<Connection>>> live;
    std::atomic<std::size_t> next_io{0};
    std::atomic<std::size_t> connection_count{0};
    std::atomic<bool> stopping{false};
    mutable std::mutex bound_mu;  // listen() may add addresses while others read them
    std::vector<Multiaddr> bound;

    mutable std::mutex verifier_mu;
    std::shared_ptr<TokenVerifier> verifier;

    metrics::Gauge& open_connections;
    metrics::Counter& http_requests;
    metrics::Counter& ws_messages;
    metrics::Counter& rejected_unauthenticated;

    Impl(ServerOptions o, ServerDeps d)
        : options(std::move(o)),
          deps(std::move(d)),
          dispatcher(options, deps),
          open_connections(deps.metrics.gauge("venusd_rpc_connections", "Open API connections")),
          http_requests(deps.metrics.counter("venusd_http_requests_total", "HTTP requests served")),
          ws_messages(deps.metrics.counter("venusd_ws_messages_total", "WebSocket messages received")),
          rejected_unauthenticated(deps.metrics.counter("venusd_rpc_unauthenticated_total",
                                                        "Requests refused for a missing or invalid token")) {}

    std::shared_ptr<TokenVerifier> current_verifier() const {
        std::lock_guard lock(verifier_mu);
        return verifier;
    }
    void accept(std::size_t acceptor_index);
    void schedule_sweep(std::size_t io_index);
};

//! A server → client stream on one WebSocket connection.
class WsChannel final : public Channel, public std::enable_shared_from_this<WsChannel> {
  public:
    WsChannel(std::weak_ptr<Connection> conn, std::uint64_t id) : conn_(std::move(conn)), id_(id) {}
    std::uint64_t id() const override { return id_; }
    bool send(RawJson value) override;
    void close() override;
    bool closed() const override {
        std::lock_guard lock(mu_);
        return closed_;
    }
    void on_close(std::function<void()> fn) override;
    //! After the call's response is queued: releases values buffered before it.
    void activate();
    //! The connection went away: no more writes, just run the callbacks.
    void detach();

  private:
    std::string frame_for_value(const RawJson& v) const;
    std::string frame_for_close() const;
    void run_close_callbacks(std::unique_lock<std::mutex>& lock);

    std::weak_ptr<Connection> conn_;
    const std::uint64_t id_;
    mutable std::mutex mu_;
    bool active_ = false;
    bool closed_ = false;
    bool close_sent_ = false;
    std::vector<std::string> pending_;
    std::vector<std::function<void()>> on_close_;
};

class Connection : public std::enable_shared_from_this<Connection> {
  public:
    Connection(Server::Impl& srv, tcp::socket socket, std::size_t io_index)
        : srv_(srv), socket_(std::move(socket)), io_index_(io_index) {
        http_parser_init(&parser_, HTTP_REQUEST);
        parser_.data = this;
        asio::error_code ec;
        auto ep = socket_.remote_endpoint(ec);
        remote_ = ec ? "unknown" : ep.address().to_string() + ":" + std::to_string(ep.port());
        socket_.set_option(tcp::no_delay(true), ec);  // Nagle + delayed ACK cost 40 ms per response
        touch();
    }

    void start() {
        srv_.live[io_index_].insert(shared_from_this());
        srv_.connection_count.fetch_add(1);
        srv_.open_connections.add(1);
        do_read();
    }

    //! Thread-safe: queues bytes for this connection (posts to its thread).
    void post_write(std::string data) {
        asio::post(socket_.get_executor(), [self = shared_from_this(), data = std::move(data)]() mutable {
            self->enqueue(std::move(data));
        });
    }

    void post_close() {
        asio::post(socket_.get_executor(), [self = shared_from_this()] { self->close(); });
    }

    std::size_t queued_bytes() const noexcept { return queued_bytes_.load(std::memory_order_relaxed); }

    void close();
    //! After an error answer: stop sending, drain what the client still sends, then close. Closing
    //! with unread input would make the kernel reset the connection and lose the answer.
    void linger();
    void sweep(std::chrono::steady_clock::time_point now);

    // http_parser callbacks
    static int on_message_begin(http_parser* p);
    static int on_url(http_parser* p, const char* at, std::size_t n);
    static int on_header_field(http_parser* p, const char* at, std::size_t n);
    static int on_header_value(http_parser* p, const char* at, std::size_t n);
    static int on_headers_complete(http_parser* p);
    static int on_body(http_parser* p, const char* at, std::size_t n);
    static int on_message_complete(http_parser* p);

    void remove_channel(std::uint64_t id) {
        std::lock_guard lock(ws_mu_);
        channels_.erase(id);
    }

  private:
    void touch() { last_activity_ = std::chrono::steady_clock::now(); }
    void do_read();
    void on_read(const asio::error_code& ec, std::size_t n);
    void feed_http(std::string_view data);
    void handle_request();
    void respond(int status, std::string content_type, std::string body,
                 const std::vector<std::pair<std::string, std::string>>& extra = {}, bool close_after = false);
    void request_done();
    void reject_too_large();
    void authenticate(std::function<void(Result<Claims>)> then);
    void serve_rpc(Claims claims);
    void serve_route(const HttpRoute& route, std::optional<Claims> claims);
    void upgrade_websocket(Claims claims);
    //! Hands the socket to a Tunnel relaying it to host:port; this connection is done.
    void start_tunnel(const std::string& host, std::uint16_t port);
    void feed_ws(std::string_view data);
    void on_ws_message(ws::Opcode op, std::string&& payload);
    // Queues bytes for the socket; `tail` goes out in the same write (one TCP segment for a small
    // answer: a head sent alone would cost the client a second wake-up per response).
    void enqueue(std::string data, std::string tail = {});
    void do_write();

    Server::Impl& srv_;
    tcp::socket socket_;
    const std::size_t io_index_;
    std::string remote_;
    std::array<char, 16384> rbuf_{};
    bool reading_ = false;
    bool read_after_write_ = false;  // HTTP: the next read waits for the answer to be written
    bool closed_ = false;
    bool lingering_ = false;
    std::chrono::steady_clock::time_point linger_deadline_{};

    // HTTP request being parsed
    http_parser parser_{};
    HttpRequest req_;
    std::string url_;
    std::string field_;
    std::string value_;
    bool in_value_ = false;
    std::size_t header_bytes_ = 0;
    bool message_done_ = false;
    bool too_large_ = false;
    bool busy_ = false;  // a request is being served; later bytes wait in unparsed_
    bool keep_alive_ = true;
    std::string unparsed_;

    // WebSocket
    bool ws_ = false;
    std::unique_ptr<ws::Reader> ws_reader_;
    std::shared_ptr<CallEnv> ws_env_;
    std::mutex ws_mu_;  // channels_ and inflight_ are touched from handler threads too
    std::uint64_t next_channel_ = 1;
    std::unordered_map<std::uint64_t, std::shared_ptr<WsChannel>> channels_;
    std::unordered_map<std::string, std::shared_ptr<CancelToken>> inflight_;
    std::chrono::steady_clock::time_point last_ping_{};
    bool close_frame_sent_ = false;

    // Writing
    std::deque<std::string> queue_;
    std::vector<std::string> writing_;
    std::atomic<std::size_t> queued_bytes_{0};
    bool close_after_write_ = false;

    std::chrono::steady_clock::time_point last_activity_;
};

// ---------------------------------------------------------------------------------------------
// WsChannel

std::string WsChannel::frame_for_value(const RawJson& v) const {
    std::string msg = R"({"jsonrpc":"2.0","method":"xrpc.ch.val","params":[)";
    msg += std::to_string(id_);
    msg += ',';
    msg += v.text;
    msg += "]}";
    return ws::encode_frame(ws::kText, msg);
}

std::string WsChannel::frame_for_close() const {
    return ws::encode_frame(ws::kText,
                            R"({"jsonrpc":"2.0","method":"xrpc.ch.close","params":[)" + std::to_string(id_) + "]}");
}

bool WsChannel::send(RawJson value) {
    std::unique_lock lock(mu_);
    if (closed_) return false;
    auto frame = frame_for_value(value);
    if (!active_) {
        pending_.push_back(std::move(frame));
        return true;
    }
    auto conn = conn_.lock();
    if (!conn) return false;
    lock.unlock();
    conn->post_write(std::move(frame));
    return true;
}

void WsChannel::on_close(std::function<void()> fn) {
    std::unique_lock lock(mu_);
    if (closed_) {
        lock.unlock();
        fn();
        return;
    }
    on_close_.push_back(std::move(fn));
}

void WsChannel::run_close_callbacks(std::unique_lock<std::mutex>& lock) {
    auto callbacks = std::move(on_close_);
    on_close_.clear();
    lock.unlock();
    for (auto& fn : callbacks) fn();
}

void WsChannel::close() {
    std::unique_lock lock(mu_);
    if (closed_) return;
    closed_ = true;
    auto conn = conn_.lock();
    if (active_ && conn && !close_sent_) {
        close_sent_ = true;
        conn->post_write(frame_for_close());
    }
    if (conn) conn->remove_channel(id_);
    run_close_callbacks(lock);
}

void WsChannel::activate() {
    std::unique_lock lock(mu_);
    active_ = true;
    auto conn = conn_.lock();
    if (!conn) return;
    for (auto& f : pending_) conn->post_write(std::move(f));
    pending_.clear();
    if (closed_ && !close_sent_) {
        close_sent_ = true;
        conn->post_write(frame_for_close());
    }
}

void WsChannel::detach() {
    std::unique_lock lock(mu_);
    if (closed_) return;
    closed_ = true;
    pending_.clear();
    run_close_callbacks(lock);
}

// ---------------------------------------------------------------------------------------------
// Connection: reading and HTTP

void Connection::do_read() {
    if (reading_ || closed_ || (busy_ && !lingering_)) return;
    if (!ws_ && !writing_.empty()) {
        // A keep-alive HTTP client sends its next request only after it has our answer; reading
        // now would just fail with EAGAIN and cost a syscall plus an epoll round trip per request.
        read_after_write_ = true;
        return;
    }
    reading_ = true;
    socket_.async_read_some(asio::buffer(rbuf_), [self = shared_from_this()](const asio::error_code& ec, std::size_t n) {
        self->reading_ = false;
        self->on_read(ec, n);
    });
}

void Connection::on_read(const asio::error_code& ec, std::size_t n) {
    if (closed_) return;
    if (ec) {
        close();  // peer went away (possibly mid-request): cancel its calls, close its channels
        return;
    }
    touch();
    if (lingering_ || close_after_write_) {
        do_read();  // an answer that closes the connection is on its way: discard further input
        return;
    }
    std::string_view data(rbuf_.data(), n);
    if (ws_) {
        feed_ws(data);
    } else {
        feed_http(data);
    }
    do_read();
}

int Connection::on_message_begin(http_parser* p) {
    auto* c = static_cast<Connection*>(p->data);
    c->req_ = HttpRequest{};
    c->req_.remote = c->remote_;
    c->url_.clear();
    c->field_.clear();
    c->value_.clear();
    c->in_value_ = false;
    c->header_bytes_ = 0;
    c->message_done_ = false;
    c->too_large_ = false;
    return 0;
}

int Connection::on_url(http_parser* p, const char* at, std::size_t n) {
    auto* c = static_cast<Connection*>(p->data);
    c->header_bytes_ += n;
    if (c->header_bytes_ > c->srv_.options.max_header_bytes) return 1;
    c->url_.append(at, n);
    return 0;
}

int Connection::on_header_field(http_parser* p, const char* at, std::size_t n) {
    auto* c = static_cast<Connection*>(p->data);
    c->header_bytes_ += n;
    if (c->header_bytes_ > c->srv_.options.max_header_bytes) return 1;
    if (c->in_value_) {
        c->req_.headers[lower(c->field_)] = std::move(c->value_);
        c->field_.clear();
        c->value_.clear();
        c->in_value_ = false;
    }
    c->field_.append(at, n);
    return 0;
}

int Connection::on_header_value(http_parser* p, const char* at, std::size_t n) {
    auto* c = static_cast<Connection*>(p->data);
    c->header_bytes_ += n;
    if (c->header_bytes_ > c->srv_.options.max_header_bytes) return 1;
    c->in_value_ = true;
    c->value_.append(at, n);
    return 0;
}

int Connection::on_headers_complete(http_parser* p) {
    auto* c = static_cast<Connection*>(p->data);
    if (c->in_value_) c->req_.headers[lower(c->field_)] = std::move(c->value_);
    c->req_.method = http_method_str(static_cast<http_method>(p->method));
    auto q = c->url_.find('?');
    c->req_.path = percent_decode(std::string_view(c->url_).substr(0, q));
    if (q != std::string::npos) parse_query(std::string_view(c->url_).substr(q + 1), c->req_.query);
    if ((p->flags & F_CONTENTLENGTH) && p->content_length > c->srv_.options.max_request_bytes) {
        c->too_large_ = true;
        return -1;  // stops the parser; answered with 413
    }
    if (lower(c->req_.header("expect")) == "100-continue") c->enqueue("HTTP/1.1 100 Continue\r\n\r\n");
    return 0;
}

int Connection::on_body(http_parser* p, const char* at, std::size_t n) {
    auto* c = static_cast<Connection*>(p->data);
    if (c->req_.body.size() + n > c->srv_.options.max_request_bytes) {
        c->too_large_ = true;
        return -1;
    }
    c->req_.body.append(at, n);
    return 0;
}

int Connection::on_message_complete(http_parser* p) {
    auto* c = static_cast<Connection*>(p->data);
    c->message_done_ = true;
    c->keep_alive_ = http_should_keep_alive(p) != 0;
    http_parser_pause(p, 1);  // one request at a time: answer it before parsing the next
    return 0;
}

void Connection::feed_http(std::string_view data) {
    if (busy_) {
        unparsed_.append(data);
        return;
    }
    std::string owned;
    if (!unparsed_.empty()) {
        owned = std::move(unparsed_);
        unparsed_.clear();
        owned.append(data);
        data = owned;
    }
    const std::size_t parsed = http_parser_execute(&parser_, &srv_.parser_settings, data.data(), data.size());
    const auto err = HTTP_PARSER_ERRNO(&parser_);
    if (too_large_) {
        reject_too_large();
        return;
    }
    if (err != HPE_OK && err != HPE_PAUSED) {
        if (header_bytes_ > srv_.options.max_header_bytes) {
            respond(431, "text/plain", "request headers too large\n", {}, true);
        } else {
            respond(400, "text/plain", std::string("malformed HTTP request: ") + http_errno_description(err) + "\n", {},
                    true);
        }
        return;
    }
    if (parsed < data.size()) unparsed_.assign(data.substr(parsed));
    if (parser_.upgrade && message_done_) {
        // Bytes after the upgrade request are the first WebSocket frames.
        busy_ = true;
        handle_request();
        return;
    }
    if (message_done_) {
        busy_ = true;
        message_done_ = false;
        srv_.http_requests.inc();
        handle_request();
    }
}

void Connection::reject_too_large() {
    const auto body = Dispatcher::error_response(
        "null", code::kParseError,
        fmt::format("request bigger than maximum {} allowed", srv_.options.max_request_bytes));
    respond(413, "application/json", body, {}, true);
}

void Connection::respond(int status, std::string content_type, std::string body,
                         const std::vector<std::pair<std::string, std::string>>& extra, bool close_after) {
    if (closed_) return;
    const bool close_conn = close_after || !keep_alive_;
    std::string head = fmt::format("HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n", status,
                                   status_text(status), content_type, body.size());
    for (const auto& [k, v] : extra) head += k + ": " + v + "\r\n";
    if (close_conn) head += "Connection: close\r\n";
    head += "\r\n";
    enqueue(std::move(head), std::move(body));
    if (close_conn) {
        close_after_write_ = true;
        return;
    }
    request_done();
}

void Connection::request_done() {
    busy_ = false;
    if (closed_) return;
    http_parser_pause(&parser_, 0);
    if (!unparsed_.empty()) {
        feed_http({});
        if (busy_) return;
    }
    do_read();
}

void Connection::authenticate(std::function<void(Result<Claims>)> then) {
    std::string token;
    auto auth = req_.header("authorization");
    if (!auth.empty()) {
        if (auth.size() > 7 && lower(auth.substr(0, 7)) == "bearer ") {
            token = std::string(auth.substr(7));
        } else {
            then(make_error(Errc::kUnauthenticated, "Authorization header must be 'Bearer <token>'"));
            return;
        }
    } else if (auto q = req_.query_param("token"); !q.empty()) {
        token = std::string(q);
    }
    if (token.empty()) {
        if (srv_.options.anonymous_read) {
            then(Claims{"", Perm::kRead, ""});
        } else {
            then(make_error(Errc::kUnauthenticated, "no token: send 'Authorization: Bearer <token>'"));
        }
        return;
    }
    auto verifier = srv_.current_verifier();
    if (!verifier) {
        then(make_error(Errc::kUnavailable, "no token verifier configured"));
        return;
    }
    verifier->verify(token, [self = shared_from_this(), then = std::move(then)](Result<Claims> r) mutable {
        asio::dispatch(self->socket_.get_executor(), [self, then = std::move(then), r = std::move(r)]() mutable {
            if (self->closed_) return;
            then(std::move(r));
        });
    });
}

void Connection::handle_request() {
    const std::string& path = req_.path;
    const bool is_upgrade = parser_.upgrade != 0;

    if (!is_upgrade && req_.method == "GET") {
        if (path == "/healthz" || path == "/livez" || path == "/healthcheck") {
            respond(200, "text/plain", "ok\n");
            return;
        }
        if (path == "/readyz") {
            const bool ready = srv_.deps.ready ? srv_.deps.ready() : true;
            std::string detail = srv_.deps.ready_detail ? srv_.deps.ready_detail() : std::string{};
            respond(ready ? 200 : 503, "text/plain", (ready ? "ready\n" : "not ready\n") + detail);
            return;
        }
        if (path == "/metrics") {
            respond(200, "text/plain; version=0.0.4", srv_.deps.metrics.render());
            return;
        }
    }

    if (auto hook = srv_.deps.routes.interceptor(); hook && req_.headers.contains(hook->header)) {
        auto responder = [self = shared_from_this(), is_upgrade](HttpResponse resp) {
            asio::dispatch(self->socket_.get_executor(), [self, is_upgrade, resp = std::move(resp)]() mutable {
                if (self->closed_) return;
                if (is_upgrade && resp.tunnel_port != 0) {
                    self->start_tunnel(resp.tunnel_host, resp.tunnel_port);
                    return;
                }
                // An upgrade request that was answered over HTTP leaves nothing to keep the connection for.
                self->respond(resp.status, resp.content_type, std::move(resp.body), resp.headers, is_upgrade);
            });
        };
        if (hook->handle(req_, std::move(responder))) return;
    }

    if (is_rpc_path(path)) {
        if (is_upgrade) {
            authenticate([this](Result<Claims> claims) {
                if (!claims) {
                    srv_.rejected_unauthenticated.inc();
                    respond(401, "text/plain", "401 Unauthorized: " + claims.error().message + "\n", {}, true);
                    return;
                }
                upgrade_websocket(std::move(*claims));
            });
            return;
        }
        if (req_.method == "OPTIONS") {
            respond(204, "text/plain", "", {{"Access-Control-Allow-Origin", "*"},
                                            {"Access-Control-Allow-Headers", "Content-Type, Authorization"},
                                            {"Access-Control-Allow-Methods", "POST, GET, OPTIONS"}});
            return;
        }
        if (req_.method != "POST") {
            respond(405, "text/plain", "use POST for JSON-RPC, or a WebSocket upgrade\n", {{"Allow", "POST"}});
            return;
        }
        authenticate([this](Result<Claims> claims) {
            if (!claims) {
                srv_.rejected_unauthenticated.inc();
                respond(401, "text/plain", "401 Unauthorized: " + claims.error().message + "\n");
                return;
            }
            serve_rpc(std::move(*claims));
        });
        return;
    }

    if (const HttpRoute* route = srv_.deps.routes.find(req_.method, path)) {
        if (!route->requires_token) {
            serve_route(*route, std::nullopt);
            return;
        }
        authenticate([this, route](Result<Claims> claims) {
            if (!claims) {
                srv_.rejected_unauthenticated.inc();
                respond(401, "application/json", R"({"error":")" + claims.error().message + "\"}");
                return;
            }
            serve_route(*route, std::move(*claims));
        });
        return;
    }
    if (srv_.deps.routes.has_path(path)) {
        respond(405, "text/plain", "method not allowed\n");
        return;
    }
    respond(404, "text/plain", "404 page not found\n");
}

void Connection::serve_rpc(Claims claims) {
    auto env = std::make_shared<CallEnv>();
    env->claims = std::move(claims);
    env->path = req_.path;
    env->transport = Transport::kHttp;
    env->remote = remote_;
    env->verifier = srv_.current_verifier();
    srv_.dispatcher.handle(std::move(req_.body), std::move(env), [self = shared_from_this()](DispatchResult r) {
        asio::dispatch(self->socket_.get_executor(), [self, r = std::move(r)]() mutable {
            if (self->closed_) return;
            self->respond(r.http_status, "application/json", std::move(r.body));
        });
    });
}

void Connection::serve_route(const HttpRoute& route, std::optional<Claims> claims) {
    auto run = [self = shared_from_this(), &route, req = std::move(req_), claims = std::move(claims)]() mutable {
        auto responder = [self](HttpResponse resp) {
            asio::dispatch(self->socket_.get_executor(), [self, resp = std::move(resp)]() mutable {
                if (self->closed_) return;
                self->respond(resp.status, resp.content_type, std::move(resp.body), resp.headers);
            });
        };
        try {
            route.handler(req, claims, std::move(responder));
        } catch (const std::exception& e) {
            log::get("rpc")->error("route {} {} threw: {}", route.method, route.path, e.what());
            HttpResponse resp{500, "text/plain", std::string("internal error: ") + e.what() + "\n", {}};
            asio::dispatch(self->socket_.get_executor(), [self, resp = std::move(resp)]() mutable {
                self->respond(resp.status, resp.content_type, std::move(resp.body));
            });
        }
    };
    switch (route.exec) {
        case Exec::kInline: run(); break;
        case Exec::kControl: asio::post(srv_.deps.control, std::move(run)); break;
        case Exec::kWorker: asio::post(srv_.deps.workers, std::move(run)); break;
    }
}

// ---------------------------------------------------------------------------------------------
// WebSocket

void Connection::upgrade_websocket(Claims claims) {
    const auto key = req_.header("sec-websocket-key");
    if (req_.method != "GET" || !contains_token(req_.header("upgrade"), "websocket") || key.empty() ||
        req_.header("sec-websocket-version") != "13") {
        respond(400, "text/plain", "bad WebSocket upgrade request\n", {}, true);
        return;
    }
    std::string head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n";
    head += "Sec-WebSocket-Accept: " + ws::accept_key(key) + "\r\n";
    if (auto proto = req_.header("sec-websocket-protocol"); !proto.empty()) {
        head += "Sec-WebSocket-Protocol: " + std::string(proto.substr(0, proto.find(','))) + "\r\n";
    }
    head += "\r\n";
    enqueue(std::move(head));

    ws_ = true;
    busy_ = false;
    ws_reader_ = std::make_unique<ws::Reader>(true, srv_.options.max_request_bytes);
    last_ping_ = std::chrono::steady_clock::now();

    auto env = std::make_shared<CallEnv>();
    env->claims = std::move(claims);
    env->path = req_.path;
    env->transport = Transport::kWebSocket;
    env->remote = remote_;
    env->verifier = srv_.current_verifier();
    std::weak_ptr<Connection> weak = shared_from_this();
    env->open_channel = [weak]() -> Result<std::shared_ptr<Channel>> {
        auto self = weak.lock();
        if (!self) return make_error(Errc::kCancelled, "connection closed");
        std::lock_guard lock(self->ws_mu_);
        if (self->closed_) return make_error(Errc::kCancelled, "connection closed");
        auto ch = std::make_shared<WsChannel>(weak, self->next_channel_++);
        self->channels_.emplace(ch->id(), ch);
        return std::shared_ptr<Channel>(ch);
    };
    env->track = [weak](const std::string& id, std::shared_ptr<CancelToken> token) {
        if (auto self = weak.lock()) {
            std::lock_guard lock(self->ws_mu_);
            self->inflight_[id] = std::move(token);
        }
    };
    env->untrack = [weak](const std::string& id) {
        if (auto self = weak.lock()) {
            std::lock_guard lock(self->ws_mu_);
            self->inflight_.erase(id);
        }
    };
    env->cancel = [weak](const std::string& id) {
        auto self = weak.lock();
        if (!self) return;
        std::shared_ptr<CancelToken> token;
        {
            std::lock_guard lock(self->ws_mu_);
            if (auto it = self->inflight_.find(id); it != self->inflight_.end()) token = it->second;
        }
        if (token) token->cancel();
    };
    ws_env_ = std::move(env);

    std::string rest = std::move(unparsed_);
    unparsed_.clear();
    if (!rest.empty()) feed_ws(rest);
}

void Connection::feed_ws(std::string_view data) {
    auto status = ws_reader_->feed(data, [this](ws::Opcode op, std::string&& payload) {
        on_ws_message(op, std::move(payload));
    });
    if (!status) {
        log::get("rpc")->debug("closing WebSocket from {}: {}", remote_, status.error().message);
        const std::uint16_t code = status.error().is(Errc::kOutOfRange) ? 1009 : 1002;
        enqueue(ws::encode_close(code, status.error().message));
        close_frame_sent_ = true;
        close_after_write_ = true;
    }
}

void Connection::on_ws_message(ws::Opcode op, std::string&& payload) {
    if (closed_ || close_after_write_) return;
    switch (op) {
        case ws::kPing: enqueue(ws::encode_frame(ws::kPong, payload)); return;
        case ws::kPong: return;
        case ws::kClose:
            if (!close_frame_sent_) enqueue(ws::encode_frame(ws::kClose, payload.substr(0, 2)));
            close_frame_sent_ = true;
            close_after_write_ = true;
            if (queue_.empty() && writing_.empty()) close();
            return;
        default: break;
    }
    srv_.ws_messages.inc();
    srv_.dispatcher.handle(std::move(payload), ws_env_, [self = shared_from_this()](DispatchResult r) {
        asio::dispatch(self->socket_.get_executor(), [self, r = std::move(r)]() mutable {
            if (self->closed_) {
                for (auto& ch : r.channels) ch->close();
                return;
            }
            if (!r.body.empty()) self->enqueue(ws::encode_frame(ws::kText, r.body));
            for (auto& ch : r.channels) static_cast<WsChannel*>(ch.get())->activate();
        });
    });
}

// ---------------------------------------------------------------------------------------------
// Writing and lifetime

void Connection::enqueue(std::string data, std::string tail) {
    if (closed_) return;
    queued_bytes_.fetch_add(data.size() + tail.size(), std::memory_order_relaxed);
    queue_.push_back(std::move(data));
    if (!tail.empty()) queue_.push_back(std::move(tail));
    if (ws_ && queued_bytes() > srv_.options.ws_max_queued_bytes) {
        // A client that stops reading must not make the daemon buffer without bound.
        log::get("rpc")->warn("closing WebSocket from {}: client is not reading ({} bytes queued)", remote_,
                              queued_bytes());
        close();
        return;
    }
    if (writing_.empty()) do_write();
}

void Connection::do_write() {
    if (closed_ || queue_.empty()) return;
    std::vector<asio::const_buffer> buffers;
    while (!queue_.empty() && writing_.size() < 64) {
        writing_.push_back(std::move(queue_.front()));
        queue_.pop_front();
    }
    buffers.reserve(writing_.size());
    for (const auto& s : writing_) buffers.emplace_back(asio::buffer(s));
    asio::async_write(socket_, buffers, [self = shared_from_this()](const asio::error_code& ec, std::size_t n) {
        self->queued_bytes_.fetch_sub(n, std::memory_order_relaxed);
        self->writing_.clear();
        if (ec) {
            self->close();
            return;
        }
        if (!self->queue_.empty()) {
            self->do_write();
        } else if (self->close_after_write_) {
            self->linger();
        } else if (std::exchange(self->read_after_write_, false)) {
            self->do_read();
        }
    });
}

void Connection::linger() {
    if (closed_ || lingering_) return;
    lingering_ = true;
    linger_deadline_ = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    asio::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return close();
    do_read();
}

void Connection::sweep(std::chrono::steady_clock::time_point now) {
    if (closed_) return;
    if (lingering_) {
        if (now > linger_deadline_) close();
        return;
    }
    if (ws_) {
        if (now - last_activity_ > srv_.options.ws_idle_timeout) {
            log::get("rpc")->info("closing WebSocket from {}: no frames for {}s", remote_,
                                  srv_.options.ws_idle_timeout.count());
            close();
            return;
        }
        if (now - last_ping_ >= srv_.options.ws_ping_interval) {
            last_ping_ = now;
            enqueue(ws::encode_frame(ws::kPing, {}));
        }
        return;
    }
    // Idle keep-alive HTTP connections are closed after a while; busy ones never are.
    if (!busy_ && now - last_activity_ > std::chrono::seconds(120)) close();
}

void Connection::close() {
    if (closed_) return;
    closed_ = true;
    asio::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
    std::unordered_map<std::uint64_t, std::shared_ptr<WsChannel>> channels;
    std::unordered_map<std::string, std::shared_ptr<CancelToken>> inflight;
    {
        std::lock_guard lock(ws_mu_);
        channels.swap(channels_);
        inflight.swap(inflight_);
    }
    // A disconnect cancels the connection's calls and closes its channels (producers unsubscribe).
    for (auto& [_, token] : inflight) token->cancel();
    for (auto& [_, ch] : channels) ch->detach();
    srv_.connection_count.fetch_sub(1);
    srv_.open_connections.add(-1);
    auto self = shared_from_this();
    srv_.live[io_index_].erase(self);
}

// ---------------------------------------------------------------------------------------------
// Tunnel: a raw relay between a client socket and a backend (proxied WebSocket upgrades)

namespace {

class Tunnel : public std::enable_shared_from_this<Tunnel> {
  public:
    Tunnel(tcp::socket client, std::string first_bytes)
        : client_(std::move(client)), backend_(client_.get_executor()), resolver_(client_.get_executor()),
          first_(std::move(first_bytes)) {}

    void start(const std::string& host, std::uint16_t port) {
        resolver_.async_resolve(host, std::to_string(port), [self = shared_from_this()](const asio::error_code& ec,
                                                                                        tcp::resolver::results_type r) {
            if (ec) return self->fail("resolving the backend: " + ec.message());
            asio::async_connect(self->backend_, r, [self](const asio::error_code& ec2, const tcp::endpoint&) {
                if (ec2) return self->fail("connecting to the backend: " + ec2.message());
                asio::error_code ignored;
                self->backend_.set_option(tcp::no_delay(true), ignored);
                asio::async_write(self->backend_, asio::buffer(self->first_),
                                  [self](const asio::error_code& ec3, std::size_t) {
                                      if (ec3) return self->close();
                                      self->first_.clear();
                                      self->pump(self->client_, self->backend_, self->up_);
                                      self->pump(self->backend_, self->client_, self->down_);
                                  });
            });
        });
    }

  private:
    void pump(tcp::socket& from, tcp::socket& to, std::array<char, 16384>& buf) {
        from.async_read_some(asio::buffer(buf), [self = shared_from_this(), &from, &to, &buf](const asio::error_code& ec,
                                                                                             std::size_t n) {
            if (ec) return self->close();
            asio::async_write(to, asio::buffer(buf.data(), n), [self, &from, &to, &buf](const asio::error_code& ec2,
                                                                                       std::size_t) {
                if (ec2) return self->close();
                self->pump(from, to, buf);
            });
        });
    }
    void fail(const std::string& why) {
        log::get("rpc")->warn("WebSocket proxy: {}", why);
        auto body = std::make_shared<std::string>(
            fmt::format("HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n"
                        "Connection: close\r\n\r\n{}\n",
                        why.size() + 1, why));
        asio::async_write(client_, asio::buffer(*body),
                          [self = shared_from_this(), body](const asio::error_code&, std::size_t) { self->close(); });
    }
    void close() {
        asio::error_code ignored;
        client_.close(ignored);
        backend_.close(ignored);
    }

    tcp::socket client_;
    tcp::socket backend_;
    tcp::resolver resolver_;
    std::string first_;
    std::array<char, 16384> up_{};
    std::array<char, 16384> down_{};
};

}  // namespace

void Connection::start_tunnel(const std::string& host, std::uint16_t port) {
    // Replay the upgrade request as received (header names lower-cased: HTTP does not care), then
    // whatever the client sent after it.
    std::string head = req_.method + " " + url_ + " HTTP/1.1\r\n";
    for (const auto& [name, value] : req_.headers) head += name + ": " + value + "\r\n";
    head += "\r\n";
    head += unparsed_;
    unparsed_.clear();
    std::make_shared<Tunnel>(std::move(socket_), std::move(head))->start(host, port);
    close();  // the socket has moved: this only forgets the connection
}

// ---------------------------------------------------------------------------------------------
// Server

void Server::Impl::accept(std::size_t acceptor_index) {
    auto& acceptor = *acceptors[acceptor_index];
    const std::size_t io_index = next_io.fetch_add(1) % ios.size();
    acceptor.async_accept(*ios[io_index], [this, acceptor_index, io_index](const asio::error_code& ec, tcp::socket s) {
        if (stopping.load()) return;
        if (!ec) {
            auto conn = std::make_shared<Connection>(*this, std::move(s), io_index);
            asio::dispatch(*ios[io_index], [conn] { conn->start(); });
        } else if (ec == asio::error::operation_aborted) {
            return;
        } else {
            log::get("rpc")->warn("accept failed: {}", ec.message());
        }
        accept(acceptor_index);
    });
}

void Server::Impl::schedule_sweep(std::size_t io_index) {
    auto& timer = *sweepers[io_index];
    timer.expires_after(std::chrono::seconds(1));
    timer.async_wait([this, io_index](const asio::error_code& ec) {
        if (ec || stopping.load()) return;
        const auto now = std::chrono::steady_clock::now();
        std::vector<std::shared_ptr<Connection>> conns(live[io_index].begin(), live[io_index].end());
        for (auto& c : conns) c->sweep(now);
        schedule_sweep(io_index);
    });
}

Server::Server(ServerOptions options, ServerDeps deps) : impl_(std::make_unique<Impl>(std::move(options), std::move(deps))) {
    auto& s = impl_->parser_settings;
    http_parser_settings_init(&s);
    s.on_message_begin = &Connection::on_message_begin;
    s.on_url = &Connection::on_url;
    s.on_header_field = &Connection::on_header_field;
    s.on_header_value = &Connection::on_header_value;
    s.on_headers_complete = &Connection::on_headers_complete;
    s.on_body = &Connection::on_body;
    s.on_message_complete = &Connection::on_message_complete;
}

Server::~Server() { stop(); }

void Server::set_verifier(std::shared_ptr<TokenVerifier> verifier) {
    std::lock_guard lock(impl_->verifier_mu);
    impl_->verifier = std::move(verifier);
}

std::shared_ptr<TokenVerifier> Server::verifier() const { return impl_->current_verifier(); }

namespace {
Result<tcp::endpoint> resolve_endpoint(asio::io_context& io, const Multiaddr& addr) {
    asio::error_code ec;
    if (addr.family == Multiaddr::Family::kDns) {
        tcp::resolver resolver(io);
        auto results = resolver.resolve(addr.host, std::to_string(addr.port), ec);
        if (ec || results.empty()) {
            return make_error(Errc::kConfig, "cannot resolve listen address {}: {}", addr.to_string(), ec.message());
        }
        return tcp::endpoint(*results.begin());
    }
    auto ip = asio::ip::make_address(addr.host, ec);
    if (ec) return make_error(Errc::kConfig, "invalid listen address {}: {}", addr.to_string(), ec.message());
    return tcp::endpoint(ip, addr.port);
}

//! Opens, binds and listens; the returned address carries the bound port (for port 0).
Result<std::pair<std::unique_ptr<tcp::acceptor>, Multiaddr>> open_acceptor(asio::io_context& io, const Multiaddr& addr) {
    VENUS_TRY(auto ep, resolve_endpoint(io, addr));
    asio::error_code ec;
    auto acceptor = std::make_unique<tcp::acceptor>(io);
    acceptor->open(ep.protocol(), ec);
    if (!ec) acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor->bind(ep, ec);
    if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return make_error(Errc::kIo, "cannot listen on {}: {}", addr.to_string(), ec.message());
    Multiaddr bound = addr;
    bound.port = acceptor->local_endpoint().port();
    return std::make_pair(std::move(acceptor), bound);
}
}  // namespace

Result<Multiaddr> Server::listen(const Multiaddr& addr) {
    auto& im = *impl_;
    if (im.ios.empty()) {
        // Not started: bound with the others by start().
        im.options.listen.push_back(addr);
        return addr;
    }
    VENUS_TRY(auto opened, open_acceptor(*im.ios[0], addr));
    const Multiaddr b = opened.second;
    // Once serving, acceptors are touched on the first network thread only.
    asio::post(*im.ios[0], [&im, a = std::move(opened.first), b]() mutable {
        im.acceptors.push_back(std::move(a));
        {
            std::lock_guard lock(im.bound_mu);
            im.bound.push_back(b);
        }
        im.accept(im.acceptors.size() - 1);
    });
    return b;
}

Status Server::start() {
    auto& im = *impl_;
    const int threads = std::max(1, im.options.threads);
    for (int i = 0; i < threads; ++i) {
        im.ios.push_back(std::make_unique<asio::io_context>(1));
        im.guards.emplace_back(asio::make_work_guard(*im.ios.back()));
        im.sweepers.push_back(std::make_unique<asio::steady_timer>(*im.ios.back()));
    }
    im.live.resize(im.ios.size());
    for (const auto& addr : im.options.listen) {
        VENUS_TRY(auto opened, open_acceptor(*im.ios[0], addr));
        {
            std::lock_guard lock(im.bound_mu);
            im.bound.push_back(opened.second);
        }
        im.acceptors.push_back(std::move(opened.first));
    }
    for (std::size_t i = 0; i < im.acceptors.size(); ++i) im.accept(i);
    for (std::size_t i = 0; i < im.ios.size(); ++i) im.schedule_sweep(i);
    for (auto& io : im.ios) {
        im.threads.emplace_back([&io] {
            for (;;) {
                try {
                    io->run();
                    return;
                } catch (const std::exception& e) {
                    // Handlers are written not to throw; if one does, log it and keep serving.
                    log::get("rpc")->error("network thread caught: {}", e.what());
                }
            }
        });
    }
    return {};
}

void Server::stop() {
    auto& im = *impl_;
    if (im.stopping.exchange(true)) return;
    for (std::size_t i = 0; i < im.ios.size(); ++i) {
        asio::post(*im.ios[i], [&im, i] {
            for (auto& a : im.acceptors) {
                asio::error_code ec;
                if (a->get_executor() == im.ios[i]->get_executor()) a->close(ec);
            }
            im.sweepers[i]->cancel();
            std::vector<std::shared_ptr<Connection>> conns(im.live[i].begin(), im.live[i].end());
            for (auto& c : conns) c->close();
        });
    }
    for (auto& g : im.guards) g.reset();
    for (auto& t : im.threads) {
        if (t.joinable()) t.join();
    }
    im.threads.clear();
}

std::vector<Multiaddr> Server::bound() const {
    std::lock_guard lock(impl_->bound_mu);
    return impl_->bound;
}

std::size_t Server::connection_count() const { return impl_->connection_count.load(); }

}  // namespace venus::rpc
