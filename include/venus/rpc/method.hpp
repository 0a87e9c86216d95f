// SPDX-License-Identifier: Apache-2.0 OR MIT
//! What a module registers to serve a JSON-RPC method: one static table of MethodSpec per module.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "venus/core/result.hpp"
#include "venus/rpc/json.hpp"
#include "venus/rpc/perm.hpp"

namespace venus::rpc {

//! Where a handler runs.
enum class Exec {
    kInline,   //!< on the connection's network thread: fast, thread-safe handlers only
    kControl,  //!< posted to the control loop, where module state lives
    kWorker,   //!< on the worker pool: blocking work (storage scans, crypto)
};

enum class Transport { kHttp, kWebSocket, kInProcess };

//! JSON-RPC error codes as go-jsonrpc uses them.
namespace code {
inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;
inline constexpr int kMethodError = 1;  //!< go-jsonrpc's code for an error returned by a method
}  // namespace code

//! An error a handler wants to report with a specific JSON-RPC code (e.g. Lotus's EActorNotFound=11).
struct RpcError {
    int code = code::kMethodError;
    std::string message;
};

//! Cancellation shared between the transport and a running call (xrpc.cancel, disconnect).
class CancelToken {
  public:
    bool cancelled() const noexcept { return cancelled_.load(std::memory_order_acquire); }
    //! Runs `fn` on cancellation (at once if already cancelled). Callbacks run on the canceller's thread.
    void on_cancel(std::function<void()> fn);
    void cancel();

  private:
    std::atomic<bool> cancelled_{false};
    std::mutex mu_;
    std::vector<std::function<void()>> callbacks_;
};

//! A server → client stream (go-jsonrpc channel): values go out as `xrpc.ch.val`, the end as
//! `xrpc.ch.close`. Thread-safe; every method may be called from any thread.
class Channel {
  public:
    virtual ~Channel() = default;
    //! The id sent to the client as the call's result (per connection, counting from 1).
    virtual std::uint64_t id() const = 0;
    //! Queues a value; false once the channel is closed (client cancelled, disconnected, or closed).
    virtual bool send(RawJson value) = 0;
    virtual void close() = 0;
    virtual bool closed() const = 0;
    //! Called once when the channel closes for any reason. Producers unsubscribe here.
    virtual void on_close(std::function<void()> fn) = 0;
};

//! Completes a call exactly once, from any thread.
class Reply {
  public:
    using Fn = std::function<void(Result<RawJson>, std::shared_ptr<Channel>, std::optional<RpcError>)>;
    Reply() = default;
    explicit Reply(Fn fn) : fn_(std::move(fn)) {}
    Reply(Reply&&) noexcept = default;
    Reply& operator=(Reply&&) noexcept = default;
    Reply(const Reply&) = delete;
    Reply& operator=(const Reply&) = delete;

    void ok(RawJson value) { finish(std::move(value), nullptr, std::nullopt); }
    void error(Error e) { finish(std::move(e), nullptr, std::nullopt); }
    void error(RpcError e) { finish(Error{Errc::kInvalidArgument, e.message}, nullptr, std::move(e)); }
    void operator()(Result<RawJson> r) { finish(std::move(r), nullptr, std::nullopt); }
    //! Answers with a channel; the channel id goes out first, then values sent on it.
    void channel(std::shared_ptr<Channel> ch) { finish(RawJson{}, std::move(ch), std::nullopt); }
    bool done() const noexcept { return !fn_; }

  private:
    void finish(Result<RawJson> r, std::shared_ptr<Channel> ch, std::optional<RpcError> e) {
        if (!fn_) return;
        auto fn = std::move(fn_);
        fn_ = nullptr;
        fn(std::move(r), std::move(ch), std::move(e));
    }
    Fn fn_;
};

//! What a handler knows about its caller.
struct CallContext {
    Claims claims;
    std::string method;
    std::string path;  //!< /rpc/v0, /rpc/v1 or /rpc/v2 (selects v0 vs v1 signatures)
    Transport transport = Transport::kHttp;
    std::string remote;  //!< peer address, for logs
    std::shared_ptr<CancelToken> cancel = std::make_shared<CancelToken>();
    //! Opens a channel on this connection; fails over plain HTTP as go-jsonrpc does.
    std::function<Result<std::shared_ptr<Channel>>()> open_channel;
};

//! A handler receives the positional params array (valid only during the call) and completes
//! `reply` now or later.
using Handler = std::function<void(CallContext& ctx, const JsonValue& params, Reply reply)>;
using SyncHandler = std::function<Result<RawJson>(CallContext& ctx, const JsonValue& params)>;

//! Adapts a handler that answers at once.
Handler sync_handler(SyncHandler fn);

struct MethodSpec {
    std::string name;        //!< full name: "Filecoin.ChainHead", "Message.PushMessage"
    Perm perm = Perm::kAdmin;
    Exec exec = Exec::kControl;
    int min_params = 0;      //!< wrong counts are -32602 before the handler runs
    int max_params = 0;
    Handler handler;
    std::string doc;         //!< one line, shown by `venusd api list`
};

}  // namespace venus::rpc
