// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "venus/rpc/method.hpp"

namespace venus::rpc {

void CancelToken::on_cancel(std::function<void()> fn) {
    {
        std::lock_guard lock(mu_);
        if (!cancelled_.load(std::memory_order_acquire)) {
            callbacks_.push_back(std::move(fn));
            return;
        }
    }
    fn();
}

void CancelToken::cancel() {
    std::vector<std::function<void()>> callbacks;
    {
        std::lock_guard lock(mu_);
        if (cancelled_.exchange(true, std::memory_order_acq_rel)) return;
        callbacks.swap(callbacks_);
    }
    for (auto& fn : callbacks) fn();
}

Handler sync_handler(SyncHandler fn) {
    return [fn = std::move(fn)](CallContext& ctx, const JsonValue& params, Reply reply) {
        reply(fn(ctx, params));
    };
}

}  // namespace venus::rpc
