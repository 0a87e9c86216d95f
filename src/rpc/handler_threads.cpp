// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "venus/rpc/handler_threads.hpp"

#include <thread>
#include <vector>

#include "venus/rpc/json.hpp"

namespace venus::rpc {

Handler HandlerThreads::wrap(SyncHandler fn) {
    return [self = shared_from_this(), fn = std::move(fn)](CallContext& c, const JsonValue& params, Reply reply) {
        auto ctx = std::make_shared<CallContext>(c);
        std::size_t id = 0;
        {
            std::lock_guard lock(self->mu_);
            if (self->closed_) return reply(make_error(Errc::kUnavailable, "{}: the daemon is shutting down", c.method));
            id = self->next_id_++;
            self->running_[id] = ctx->cancel;
        }
        auto copy = std::make_shared<JsonDocument>();
        copy->CopyFrom(params, copy->GetAllocator());
        auto r = std::make_shared<Reply>(std::move(reply));
        std::thread([self, fn, ctx, copy, r, id] {
            (*r)(fn(*ctx, *copy));
            {
                std::lock_guard lock(self->mu_);
                self->running_.erase(id);
            }
            self->idle_.notify_all();
        }).detach();  // counted in running_: the owner waits for it with drain()
    };
}

void HandlerThreads::close() {
    std::vector<std::shared_ptr<CancelToken>> tokens;
    {
        std::lock_guard lock(mu_);
        closed_ = true;
        for (const auto& [id, t] : running_) tokens.push_back(t);
    }
    for (const auto& t : tokens) t->cancel();
}

std::size_t HandlerThreads::drain(std::chrono::milliseconds timeout) {
    close();
    std::unique_lock lock(mu_);
    idle_.wait_for(lock, timeout, [&] { return running_.empty(); });
    return running_.size();
}

}  // namespace venus::rpc
