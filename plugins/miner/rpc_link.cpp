// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "rpc_link.hpp"

#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/thread_pool.hpp>
#include <future>

#include "venus/rpc/client.hpp"

namespace venus::plugins::miner {

namespace {

struct Call {
    rpc::JsonDocument params;
    rpc::CallContext ctx;
    std::promise<Result<rpc::RawJson>> done;
    std::atomic<bool> answered{false};
    void answer(Result<rpc::RawJson> r) {
        if (!answered.exchange(true)) done.set_value(std::move(r));
    }
};

}  // namespace

RpcCaller local_caller(const rpc::MethodRegistry& methods, asio::io_context& control, asio::thread_pool& workers,
                       std::shared_ptr<std::atomic<bool>> stopping) {
    return [&methods, &control, &workers, stopping](std::string_view method, const rpc::RawJson& params,
                                                   std::chrono::milliseconds timeout) -> Result<rpc::RawJson> {
        const auto* spec = methods.find(method);
        if (!spec) return make_error(Errc::kNotFound, "method '{}' not found (is the node module enabled?)", method);
        auto call = std::make_shared<Call>();
        VENUS_TRY_VOID(rpc::parse_json(params.text, call->params));
        if (!call->params.IsArray()) return make_error(Errc::kInvalidArgument, "{}: params must be an array", method);
        const auto n = static_cast<int>(call->params.Size());
        if (n < spec->min_params || n > spec->max_params) {
            return make_error(Errc::kInvalidArgument, "{}: wrong param count {}", method, n);
        }
        call->ctx.claims = rpc::Claims{"", rpc::Perm::kAdmin, ""};
        call->ctx.method = std::string(method);
        call->ctx.path = "/rpc/v1";
        call->ctx.transport = rpc::Transport::kInProcess;
        call->ctx.remote = "miner";
        auto future = call->done.get_future();
        auto run = [call, spec] {
            rpc::Reply reply([call](Result<rpc::RawJson> r, std::shared_ptr<rpc::Channel>, std::optional<rpc::RpcError>) {
                call->answer(std::move(r));
            });
            try {
                spec->handler(call->ctx, call->params, std::move(reply));
            } catch (const std::exception& e) {
                call->answer(make_error(Errc::kInternal, "{}: {}", call->ctx.method, e.what()));
            }
        };
        switch (spec->exec) {
            case rpc::Exec::kInline: run(); break;
            case rpc::Exec::kControl: asio::post(control, run); break;
            case rpc::Exec::kWorker: asio::post(workers, run); break;
        }
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (future.wait_for(std::chrono::milliseconds(50)) != std::future_status::ready) {
            if (stopping->load()) return make_error(Errc::kCancelled, "{}: the miner is stopping", method);
            if (std::chrono::steady_clock::now() >= deadline) {
                call->ctx.cancel->cancel();
                return make_error(Errc::kTimeout, "{}: no answer within {} ms", method, timeout.count());
            }
        }
        return future.get();
    };
}

RpcCaller remote_caller(rpc::ApiInfo info) {
    return [info](std::string_view method, const rpc::RawJson& params,
                  std::chrono::milliseconds timeout) -> Result<rpc::RawJson> {
        rpc::HttpRpcClient client(info, "/rpc/v1", timeout);
        return client.call(method, params);
    };
}

}  // namespace venus::plugins::miner
