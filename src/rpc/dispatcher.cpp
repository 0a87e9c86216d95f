// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "dispatcher.hpp"

#include <asio/post.hpp>
#include <atomic>
#include <chrono>
#include <mutex>

#include "venus/core/log.hpp"

namespace venus::rpc {

namespace {
constexpr int kHttpOk = 200;
constexpr int kHttpBadRequest = 400;
constexpr int kHttpServerError = 500;  // go-jsonrpc answers protocol errors with 500

std::string result_response(std::string_view id_json, const RawJson& result) {
    std::string out;
    out.reserve(40 + id_json.size() + result.text.size());
    out += R"({"jsonrpc":"2.0","id":)";
    out += id_json;
    out += R"(,"result":)";
    out += result.text;
    out += '}';
    return out;
}
}  // namespace

std::string Dispatcher::error_response(std::string_view id_json, int code, std::string_view message) {
    JsonBuilder b;
    auto& o = b.out();
    o.StartObject();
    write_key(o, "jsonrpc");
    write_string(o, "2.0");
    write_key(o, "id");
    o.RawValue(id_json.data(), id_json.size(), rapidjson::kNumberType);
    write_key(o, "error");
    o.StartObject();
    write_key(o, "code");
    o.Int(code);
    write_key(o, "message");
    write_string(o, message);
    o.EndObject();
    o.EndObject();
    return b.take().text;
}

Dispatcher::Dispatcher(const ServerOptions& options, const ServerDeps& deps)
    : options_(options),
      deps_(deps),
      parse_errors_(deps.metrics.counter("venusd_rpc_parse_errors_total", "JSON-RPC requests that were not valid JSON-RPC")),
      unknown_methods_(deps.metrics.counter("venusd_rpc_unknown_method_total", "JSON-RPC calls to unknown methods")) {}

Dispatcher::~Dispatcher() { alive_->store(false); }

Dispatcher::MethodMetrics& Dispatcher::metrics_for(const MethodSpec* spec) {
    {
        std::shared_lock lock(metrics_mu_);
        if (auto it = method_metrics_.find(spec); it != method_metrics_.end()) return *it->second;
    }
    std::unique_lock lock(metrics_mu_);
    auto& slot = method_metrics_[spec];
    if (!slot) {
        slot = std::make_unique<MethodMetrics>();
        metrics::Labels ok{{"method", spec->name}, {"result", "ok"}};
        metrics::Labels err{{"method", spec->name}, {"result", "error"}};
        slot->ok = &deps_.metrics.counter("venusd_rpc_calls_total", "JSON-RPC calls by method and result", ok);
        slot->failed = &deps_.metrics.counter("venusd_rpc_calls_total", "JSON-RPC calls by method and result", err);
        slot->latency = &deps_.metrics.histogram("venusd_rpc_call_duration_seconds", "JSON-RPC call latency by method",
                                                 {{"method", spec->name}});
    }
    return *slot;
}

namespace {
// Completes a call once; if a handler drops its Reply without answering, the client still gets an
// error instead of waiting forever.
struct ReplyState {
    std::function<void(Result<RawJson>, std::shared_ptr<Channel>, std::optional<RpcError>)> finish;
    std::atomic<bool> called{false};
    std::string method;
    std::shared_ptr<std::atomic<bool>> dispatcher_alive;
    ~ReplyState() {
        if (!called.exchange(true) && finish && dispatcher_alive->load()) {
            finish(make_error(Errc::kInternal, "method '{}' did not reply", method), nullptr, std::nullopt);
        }
    }
};
}  // namespace

void Dispatcher::process(const JsonValue& request, std::shared_ptr<JsonDocument> doc, std::shared_ptr<const CallEnv> env,
                         std::function<void(std::string, int, std::shared_ptr<Channel>)> done) {
    if (!request.IsObject()) {
        parse_errors_.inc();
        done(error_response("null", code::kInvalidRequest, "Invalid request"), kHttpBadRequest, nullptr);
        return;
    }
    std::string id_json = "null";
    bool notification = true;
    if (auto it = request.FindMember("id"); it != request.MemberEnd()) {
        const auto& id = it->value;
        if (!id.IsNull() && !id.IsString() && !id.IsInt64() && !id.IsUint64()) {
            done(error_response("null", code::kInvalidRequest, "Invalid request: id must be a number or a string"),
                 kHttpBadRequest, nullptr);
            return;
        }
        id_json = to_json_text(id);
        notification = id.IsNull();
    }
    auto method_it = request.FindMember("method");
    if (method_it == request.MemberEnd() || !method_it->value.IsString()) {
        parse_errors_.inc();
        done(error_response(id_json, code::kInvalidRequest, "Invalid request: method must be a string"), kHttpBadRequest,
             nullptr);
        return;
    }
    const std::string_view method(method_it->value.GetString(), method_it->value.GetStringLength());

    static const JsonValue kEmptyParams(rapidjson::kArrayType);
    const JsonValue* params = &kEmptyParams;
    if (auto it = request.FindMember("params"); it != request.MemberEnd() && !it->value.IsNull()) {
        if (!it->value.IsArray()) {
            done(error_response(id_json, code::kInvalidParams, "params must be an array"), kHttpServerError, nullptr);
            return;
        }
        params = &it->value;
    }

    // The go-jsonrpc client cancels a call (and closes its channel) with this notification.
    if (method == "xrpc.cancel") {
        if (env->cancel && params->Size() == 1) env->cancel(to_json_text((*params)[0]));
        done(notification ? std::string{} : result_response(id_json, json_null()), kHttpOk, nullptr);
        return;
    }

    const MethodSpec* spec = deps_.methods.find(method);
    if (spec == nullptr) {
        unknown_methods_.inc();
        done(error_response(id_json, code::kMethodNotFound, fmt::format("method '{}' not found", method)),
             kHttpServerError, nullptr);
        return;
    }
    // Authorization happens before a single param is decoded.
    if (!allows(env->claims.perm, spec->perm)) {
        done(error_response(id_json, code::kMethodError,
                            fmt::format("missing permission to invoke '{}' (need '{}')", method, to_string(spec->perm))),
             kHttpOk, nullptr);
        return;
    }
    if (env->verifier) {
        if (auto admitted = env->verifier->admit_call(env->claims, method); !admitted) {
            done(error_response(id_json, code::kMethodError, admitted.error().message), kHttpOk, nullptr);
            return;
        }
    }
    const int count = static_cast<int>(params->Size());
    if (count < spec->min_params || count > spec->max_params) {
        std::string expected = spec->min_params == spec->max_params
                                   ? std::to_string(spec->min_params)
                                   : fmt::format("{}..{}", spec->min_params, spec->max_params);
        done(error_response(id_json, code::kInvalidParams,
                            fmt::format("wrong param count (method '{}'): {} != {}", method, count, expected)),
             kHttpServerError, nullptr);
        return;
    }

    auto ctx = std::make_shared<CallContext>();
    ctx->claims = env->claims;
    ctx->method = std::string(method);
    ctx->path = env->path;
    ctx->transport = env->transport;
    ctx->remote = env->remote;
    if (env->open_channel) {
        ctx->open_channel = env->open_channel;
    } else {
        ctx->open_channel = [name = ctx->method]() -> Result<std::shared_ptr<Channel>> {
            return make_error(Errc::kUnsupported, "method '{}' not supported in this mode (no out channel support)", name);
        };
    }
    const bool tracked = !notification && env->track;
    if (tracked) env->track(id_json, ctx->cancel);

    auto& mm = metrics_for(spec);
    auto state = std::make_shared<ReplyState>();
    state->method = ctx->method;
    state->dispatcher_alive = alive_;
    const auto started = std::chrono::steady_clock::now();
    state->finish = [id_json, notification, done = std::move(done), env, tracked, &mm, started, cancel = ctx->cancel](
                        Result<RawJson> r, std::shared_ptr<Channel> ch, std::optional<RpcError> rpc_err) {
        if (ch && r.ok()) {
            // A channel lives past its call: xrpc.cancel (or a disconnect) closes it, and the call
            // stays tracked until it closes.
            cancel->on_cancel([weak = std::weak_ptr<Channel>(ch)] {
                if (auto c = weak.lock()) c->close();
            });
            if (tracked && env->untrack) ch->on_close([env, id_json] { env->untrack(id_json); });
        } else if (tracked && env->untrack) {
            env->untrack(id_json);
        }
        mm.latency->observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
        if (!r.ok()) {
            mm.failed->inc();
            if (notification) return done({}, kHttpOk, nullptr);
            int c = rpc_err ? rpc_err->code : code::kMethodError;
            const std::string& msg = rpc_err ? rpc_err->message : r.error().message;
            return done(error_response(id_json, c, msg), kHttpOk, nullptr);
        }
        mm.ok->inc();
        if (notification) return done({}, kHttpOk, std::move(ch));
        // A channel answers with the id its connection assigned; values follow as xrpc.ch.val.
        const RawJson result = ch ? json_uint(ch->id()) : std::move(r).value();
        done(result_response(id_json, result), kHttpOk, std::move(ch));
    };
    Reply reply([state](Result<RawJson> r, std::shared_ptr<Channel> ch, std::optional<RpcError> e) {
        if (state->called.exchange(true)) return;
        state->finish(std::move(r), std::move(ch), std::move(e));
    });

    auto run = [spec, ctx, params, doc, reply = std::move(reply)]() mutable {
        try {
            spec->handler(*ctx, *params, std::move(reply));
        } catch (const std::exception& e) {
            // A handler bug must not take the daemon down; the ReplyState guard answers if needed.
            log::get("rpc")->error("method {} threw: {}", spec->name, e.what());
            if (!reply.done()) reply.error(make_error(Errc::kInternal, "internal error in '{}': {}", spec->name, e.what()));
        }
    };
    switch (spec->exec) {
        case Exec::kInline: run(); break;
        case Exec::kControl: asio::post(deps_.control, std::move(run)); break;
        case Exec::kWorker: asio::post(deps_.workers, std::move(run)); break;
    }
}

struct Dispatcher::Slot {
    std::mutex mu;
    std::vector<std::string> parts;
    std::vector<std::shared_ptr<Channel>> channels;
    std::atomic<std::size_t> remaining{0};
    std::function<void(DispatchResult)> done;
};

void Dispatcher::handle(std::string body, std::shared_ptr<const CallEnv> env, std::function<void(DispatchResult)> done) {
    auto doc = std::make_shared<JsonDocument>();
    // Trim, then reject empty bodies as go-jsonrpc does.
    std::string_view text(body);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    if (text.empty()) {
        done({error_response("null", code::kInvalidRequest, "Invalid request"), kHttpBadRequest, {}});
        return;
    }
    if (auto parsed = parse_json(text, *doc, JsonLimits{options_.max_json_depth}); !parsed) {
        parse_errors_.inc();
        done({error_response("null", code::kParseError, "Parse error: " + parsed.error().message), kHttpServerError, {}});
        return;
    }

    if (!doc->IsArray()) {
        const JsonValue& req = *doc;
        process(req, doc, env, [done = std::move(done)](std::string out, int status, std::shared_ptr<Channel> ch) {
            DispatchResult r{std::move(out), status, {}};
            if (ch) r.channels.push_back(std::move(ch));
            done(std::move(r));
        });
        return;
    }

    const auto n = doc->Size();
    if (n == 0) {
        done({error_response("null", code::kInvalidRequest, "Invalid request"), kHttpBadRequest, {}});
        return;
    }
    if (n > options_.max_batch) {
        done({error_response("null", code::kInvalidRequest, fmt::format("batch bigger than maximum {} allowed", options_.max_batch)),
              kHttpBadRequest, {}});
        return;
    }
    auto slot = std::make_shared<Slot>();
    slot->parts.resize(n);
    slot->remaining = n;
    slot->done = std::move(done);
    for (rapidjson::SizeType i = 0; i < n; ++i) {
        const JsonValue& req = (*doc)[i];
        process(req, doc, env, [slot, i](std::string out, int, std::shared_ptr<Channel> ch) {
            {
                std::lock_guard lock(slot->mu);
                slot->parts[i] = std::move(out);
                if (ch) slot->channels.push_back(std::move(ch));
            }
            if (slot->remaining.fetch_sub(1) != 1) return;
            // Last one in: join the non-empty answers in request order.
            std::string joined;
            for (auto& part : slot->parts) {
                if (part.empty()) continue;
                joined += joined.empty() ? "[" : ",";
                joined += part;
            }
            if (!joined.empty()) joined += "]";
            slot->done({std::move(joined), kHttpOk, std::move(slot->channels)});
        });
    }
}

}  // namespace venus::rpc
