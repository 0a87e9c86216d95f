// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "core_methods.hpp"

#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <openssl/rand.h>

#include "venus/core/log.hpp"
#include "venus/rpc/server.hpp"

namespace venus::app {

using rpc::Exec;
using rpc::JsonValue;
using rpc::Perm;
using rpc::RawJson;

namespace {
std::string random_uuid() {
    std::uint8_t b[16];
    RAND_bytes(b, sizeof b);
    b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40);
    b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);
    auto h = to_hex(BytesView(b, 16));
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
}
}  // namespace

CoreApi::CoreApi(Context& ctx, const Bytes& secret, std::function<bool()> ready)
    : ctx_(ctx), key_(secret), ready_(std::move(ready)), session_(random_uuid()) {}

RawJson CoreApi::status_json() const {
    rpc::JsonBuilder b;
    auto& o = b.out();
    o.StartObject();
    rpc::write_key(o, "Version");
    rpc::write_string(o, kVersion);
    rpc::write_key(o, "Session");
    rpc::write_string(o, session_);
    rpc::write_key(o, "Ready");
    o.Bool(ready_());
    rpc::write_key(o, "Modules");
    o.StartArray();
    for (const auto& m : ctx_.enabled) rpc::write_string(o, m);
    o.EndArray();
    rpc::write_key(o, "Connections");
    o.Uint64(ctx_.server.connection_count());
    rpc::write_key(o, "UptimeSeconds");
    o.Int64(std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started_).count());
    o.EndObject();
    return b.take();
}

void CoreApi::stop() {
    std::vector<std::shared_ptr<rpc::Channel>> streams;
    {
        std::lock_guard lock(mu_);
        streams.swap(streams_);
    }
    for (auto& ch : streams) ch->close();
}

Status CoreApi::register_methods() {
    std::vector<rpc::MethodSpec> specs;

    specs.push_back({"Filecoin.Version", Perm::kRead, Exec::kInline, 0, 0,
                     rpc::sync_handler([](rpc::CallContext& c, const JsonValue&) -> Result<RawJson> {
                         rpc::JsonBuilder b;
                         auto& o = b.out();
                         o.StartObject();
                         rpc::write_key(o, "Version");
                         rpc::write_string(o, std::string("1.0.0+venusd-") + kVersion);
                         rpc::write_key(o, "APIVersion");
                         o.Uint(c.path.rfind("/rpc/v0", 0) == 0 ? kFullApiVersion0 : kFullApiVersion1);
                         rpc::write_key(o, "BlockDelay");
                         o.Uint(4);
                         rpc::write_key(o, "Agent");
                         rpc::write_string(o, "venusd");
                         o.EndObject();
                         return b.take();
                     }),
                     "the daemon's version and API version"});

    specs.push_back({"Filecoin.Session", Perm::kRead, Exec::kInline, 0, 0,
                     rpc::sync_handler([this](rpc::CallContext&, const JsonValue&) -> Result<RawJson> {
                         return rpc::json_string(session_);
                     }),
                     "a UUID that changes when the daemon restarts"});

    specs.push_back({"Filecoin.Closing", Perm::kRead, Exec::kControl, 0, 0,
                     [this](rpc::CallContext& c, const JsonValue&, rpc::Reply reply) {
                         auto ch = c.open_channel();
                         if (!ch) return reply.error(ch.error());
                         {
                             std::lock_guard lock(mu_);
                             streams_.push_back(*ch);
                         }
                         reply.channel(*ch);
                     },
                     "a channel that closes when the daemon shuts down"});

    specs.push_back({"Filecoin.Shutdown", Perm::kAdmin, Exec::kControl, 0, 0,
                     rpc::sync_handler([this](rpc::CallContext& c, const JsonValue&) -> Result<RawJson> {
                         log::get("app")->warn("shutdown requested over the API by '{}'", c.claims.name);
                         // Answer first: the shutdown starts once this reply has had time to leave.
                         auto timer = std::make_shared<asio::steady_timer>(ctx_.control, std::chrono::milliseconds(200));
                         timer->async_wait([this, timer](const asio::error_code&) {
                             ctx_.request_shutdown("Shutdown API call");
                         });
                         return rpc::json_null();
                     }),
                     "stops the daemon"});

    specs.push_back({"Filecoin.LogList", Perm::kWrite, Exec::kInline, 0, 0,
                     rpc::sync_handler([](rpc::CallContext&, const JsonValue&) -> Result<RawJson> {
                         rpc::JsonBuilder b;
                         b.out().StartArray();
                         for (const auto& s : log::subsystems()) rpc::write_string(b.out(), s);
                         b.out().EndArray();
                         return b.take();
                     }),
                     "log subsystems"});

    specs.push_back({"Filecoin.LogSetLevel", Perm::kWrite, Exec::kInline, 2, 2,
                     rpc::sync_handler([](rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
                         VENUS_TRY(auto subsystem, rpc::param_string(p, 0));
                         VENUS_TRY(auto level, rpc::param_string(p, 1));
                         VENUS_TRY_VOID(log::set_level(std::string(subsystem), level));
                         return rpc::json_null();
                     }),
                     "sets a subsystem's log level ('*' for all)"});

    specs.push_back({"Filecoin.AuthVerify", Perm::kRead, Exec::kInline, 1, 1,
                     [this](rpc::CallContext&, const JsonValue& p, rpc::Reply reply) {
                         auto token = rpc::param_string(p, 0);
                         if (!token) return reply.error(token.error());
                         auto verifier = ctx_.server.verifier();
                         auto shared = std::make_shared<rpc::Reply>(std::move(reply));
                         verifier->verify(*token, [shared](Result<rpc::Claims> claims) {
                             if (!claims) return shared->error(claims.error());
                             rpc::JsonBuilder b;
                             b.out().StartArray();
                             for (int i = 0; i <= static_cast<int>(claims->perm); ++i) {
                                 rpc::write_string(b.out(), rpc::to_string(static_cast<Perm>(i)));
                             }
                             b.out().EndArray();
                             shared->ok(b.take());
                         });
                     },
                     "the permissions a token grants"});

    specs.push_back({"Filecoin.AuthNew", Perm::kAdmin, Exec::kInline, 1, 1,
                     rpc::sync_handler([this](rpc::CallContext& c, const JsonValue& p) -> Result<RawJson> {
                         if (!p[0].IsArray() || p[0].Empty()) {
                             return make_error(Errc::kInvalidArgument, "param 0: expected a non-empty list of permissions");
                         }
                         Perm strongest = Perm::kRead;
                         for (const auto& v : p[0].GetArray()) {
                             auto perm = v.IsString() ? rpc::parse_perm(v.GetString()) : std::nullopt;
                             if (!perm) return make_error(Errc::kInvalidArgument, "unknown permission in param 0");
                             if (rpc::allows(*perm, strongest)) strongest = *perm;
                         }
                         auto token = rpc::jwt_sign_sophon(key_, rpc::Claims{c.claims.name, strongest, ""});
                         return rpc::json_string(to_base64(as_bytes(token)));  // Lotus returns []byte
                     }),
                     "a new token signed by the daemon's own key"});

    specs.push_back({"Venus.Status", Perm::kRead, Exec::kInline, 0, 0,
                     rpc::sync_handler([this](rpc::CallContext&, const JsonValue&) -> Result<RawJson> {
                         return status_json();
                     }),
                     "daemon status: version, modules, readiness, connections, uptime"});

    specs.push_back({"Venus.StatusNotify", Perm::kRead, Exec::kControl, 1, 1,
                     [this](rpc::CallContext& c, const JsonValue& p, rpc::Reply reply) {
                         auto interval = rpc::param_int(p, 0);
                         if (!interval) return reply.error(interval.error());
                         if (*interval < 10 || *interval > 3'600'000) {
                             return reply.error(make_error(Errc::kInvalidArgument, "interval must be 10..3600000 ms"));
                         }
                         auto ch = c.open_channel();
                         if (!ch) return reply.error(ch.error());
                         auto channel = *ch;
                         {
                             std::lock_guard lock(mu_);
                             streams_.push_back(channel);
                         }
                         auto timer = std::make_shared<asio::steady_timer>(ctx_.control);
                         auto period = std::chrono::milliseconds(*interval);
                         // Closing (cancel, disconnect, shutdown) stops the timer on the control thread.
                         channel->on_close([this, timer, weak = std::weak_ptr<rpc::Channel>(channel)] {
                             asio::post(ctx_.control, [timer] { timer->cancel(); });
                             std::lock_guard lock(mu_);
                             auto strong = weak.lock();
                             std::erase(streams_, strong);
                         });
                         auto tick = std::make_shared<std::function<void()>>();
                         *tick = [this, timer, channel, period, weak_tick = std::weak_ptr<std::function<void()>>(tick)] {
                             if (!channel->send(status_json())) return;
                             timer->expires_after(period);
                             timer->async_wait([timer, weak_tick, channel](const asio::error_code& ec) {
                                 if (ec || channel->closed()) return;
                                 if (auto t = weak_tick.lock()) (*t)();
                             });
                         };
                         // The tick owns itself through the timer handler chain until the channel closes.
                         channel->on_close([tick] { (void)tick; });
                         reply.channel(channel);
                         (*tick)();
                     },
                     "a channel that streams Venus.Status every interval ms"});

    return ctx_.methods.add_all(std::move(specs));
}

}  // namespace venus::app
