// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "venus/rpc/method_caller.hpp"

#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/thread_pool.hpp>
#include <future>

#include "venus/rpc/client.hpp"

namespace venus::rpc {

namespace {

struct Call {
    JsonDocument params;
    CallContext ctx;
    std::promise<Result<RawJson>> done;
    std::atomic<bool> answered{false};
    void answer(Result<RawJson> r) {
        if (!answered.exchange(true)) done.set_value(std::move(r));
    }
};

}  // namespace

RpcCaller local_caller(const MethodRegistry& methods, asio::io_context& control, asio::thread_pool& workers,
                       std::shared_ptr<std::atomic<bool>> stopping, std::string caller) {
    return [&methods, &control, &workers, stopping, caller](std::string_view method, const RawJson& params,
                                                           std::chrono::milliseconds timeout) -> Result<RawJson> {
        const auto* spec = methods.find(method);
        if (!spec) return make_error(Errc::kNotFound, "method '{}' not found (is its module enabled here?)", method);
        auto call = std::make_shared<Call>();
        VENUS_TRY_VOID(parse_json(params.text, call->params));
        if (!call->params.IsArray()) return make_error(Errc::kInvalidArgument, "{}: params must be an array", method);
        const auto n = static_cast<int>(call->params.Size());
        if (n < spec->min_params || n > spec->max_params) {
            return make_error(Errc::kInvalidArgument, "{}: wrong param count {}", method, n);
        }
        call->ctx.claims = Claims{"", Perm::kAdmin, ""};
        call->ctx.method = std::string(method);
        call->ctx.path = "/rpc/v1";
        call->ctx.transport = Transport::kInProcess;
        call->ctx.remote = caller;
        auto future = call->done.get_future();
        auto run = [call, spec] {
            Reply reply([call](Result<RawJson> r, std::shared_ptr<Channel>, std::optional<RpcError>) {
                call->answer(std::move(r));
            });
            try {
                spec->handler(call->ctx, call->params, std::move(reply));
            } catch (const std::exception& e) {
                call->answer(make_error(Errc::kInternal, "{}: {}", call->ctx.method, e.what()));
            }
        };
        switch (spec->exec) {
            case Exec::kInline: run(); break;
            case Exec::kControl: asio::post(control, run); break;
            case Exec::kWorker: asio::post(workers, run); break;
        }
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (future.wait_for(std::chrono::milliseconds(20)) != std::future_status::ready) {
            if (stopping->load()) return make_error(Errc::kCancelled, "{}: the {} is stopping", method, caller);
            if (std::chrono::steady_clock::now() >= deadline) {
                call->ctx.cancel->cancel();
                return make_error(Errc::kTimeout, "{}: no answer within {} ms", method, timeout.count());
            }
        }
        return future.get();
    };
}

RpcCaller remote_caller(ApiInfo info) {
    return [info](std::string_view method, const RawJson& params, std::chrono::milliseconds timeout) -> Result<RawJson> {
        HttpRpcClient client(info, "/rpc/v1", timeout);
        return client.call(method, params);
    };
}

}  // namespace venus::rpc
