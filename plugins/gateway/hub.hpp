// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The connections of wallets, provers and markets, and the requests in flight to them. Thread-safe:
//! calls arrive from network threads (responses, disconnects), workers (registration) and the control
//! thread (the deadline sweeper). Completion callbacks always run outside the lock.
#pragma once

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <array>
#include <map>
#include <optional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "venus/api/gateway.hpp"
#include "venus/core/metrics.hpp"
#include "venus/core/result.hpp"
#include "venus/rpc/method.hpp"

namespace venus::plugins::gateway {

enum class StreamKind { kWallet = 0, kProof = 1, kMarket = 2 };
std::string_view to_string(StreamKind k) noexcept;

//! One Listen*Event stream. Fields other than the constants are guarded by the hub's mutex.
struct Connection {
    StreamKind kind = StreamKind::kWallet;
    std::string id;       //!< channel id (uuid) given to the provider in InitConnect
    std::string account;  //!< the token's name claim
    std::string miner;    //!< proof/market: the miner served
    std::string ip;       //!< peer host:port
    Bytes sign_bytes;     //!< wallet: the wallet process's random bytes (identifies the process)
    std::shared_ptr<rpc::Channel> channel;
    std::int64_t create_time = 0;  //!< unix seconds
    // guarded
    bool ready = false;   //!< registration finished (wallet challenge passed, InitConnect sent)
    std::set<chain::Address> addrs;            //!< wallet: proven addresses
    std::vector<std::string> support_accounts; //!< wallet: accounts this stream offered
    std::size_t queued = 0;                    //!< requests sent and not yet answered
    std::uint64_t served = 0;
    std::uint64_t failed = 0;
};

struct HubOptions {
    std::size_t queue_size = 30;
    std::chrono::milliseconds timeout[3] = {std::chrono::minutes(5), std::chrono::minutes(5), std::chrono::hours(7)};
};

class Hub {
  public:
    //! The answer's payload as JSON text, or why there is none.
    using Done = std::function<void(Result<std::string>)>;

    explicit Hub(HubOptions options) : options_(options) {}
    const HubOptions& options() const noexcept { return options_; }
    Hub(const Hub&) = delete;
    Hub& operator=(const Hub&) = delete;

    //! Starts the deadline sweeper on `control`.
    void start(asio::io_context& control);
    //! Stops the sweeper and fails every request in flight.
    void stop();

    //! Adds a stream (not ready: only requests addressed to it by id reach it).
    std::shared_ptr<Connection> add(StreamKind kind, std::string account, std::string miner, std::string ip,
                                    Bytes sign_bytes, std::shared_ptr<rpc::Channel> channel);
    //! Removes a stream and fails its requests with `reason` (they fail over where the caller allows).
    void remove(const std::string& conn_id, const std::string& reason);
    std::shared_ptr<Connection> find(const std::string& conn_id) const;

    //! Runs `fn` under the lock (reads/updates of guarded fields, listings).
    template <typename Fn>
    auto locked(Fn&& fn) const {
        std::lock_guard lock(mu_);
        return fn(conns_);
    }

    //! Sends one request to one stream; `done` runs exactly once: the answer, the provider's error,
    //! a timeout, a full queue, the stream closing, or `cancel`.
    void send(const std::string& conn_id, std::string method, std::string payload, Done done,
              std::shared_ptr<rpc::CancelToken> cancel = nullptr);
    //! The first stream gets the request; if it fails for a reason other than a timeout or a
    //! cancellation, every other stream gets it at once and the first success wins (sophon-gateway).
    void send_failover(std::vector<std::string> conn_ids, std::string method, std::string payload, Done done,
                       std::shared_ptr<rpc::CancelToken> cancel = nullptr);
    //! A provider's Response*Event. Unknown ids (answered late, timed out) are an error as in sophon.
    Status respond(const api::wire::ResponseEvent& ev);

    //! Pushes an event that expects no answer (InitConnect).
    bool notify(const std::string& conn_id, std::string method, std::string payload);

    std::size_t pending_count() const;

    //! Exports request outcomes and latencies per stream kind, and live connection and in-flight
    //! counts, as venus_gateway_* metrics. Call once, before start().
    void export_metrics(metrics::Registry& registry);

  private:
    //! Per stream kind: outcome counters (ok, error, timeout, refused) and the round-trip latency.
    struct KindMetrics {
        metrics::Counter* outcome[4] = {};
        metrics::Histogram* latency = nullptr;
    };
    Done observed(StreamKind kind, Done done);
    struct Pending {
        std::string conn_id;
        std::string method;
        std::chrono::steady_clock::time_point deadline;
        std::chrono::milliseconds timeout{0};
        Done done;
    };
    void fail(const std::string& request_id, Error e);
    void sweep();
    void arm();

    HubOptions options_;
    mutable std::mutex mu_;
    std::map<std::string, std::shared_ptr<Connection>> conns_;
    std::unordered_map<std::string, Pending> pending_;
    std::unique_ptr<asio::steady_timer> timer_;
    std::chrono::milliseconds sweep_every_{1000};
    bool stopped_ = false;
    std::optional<std::array<KindMetrics, 3>> metrics_;
};

}  // namespace venus::plugins::gateway
