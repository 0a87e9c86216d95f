// SPDX-License-Identifier: Apache-2.0 OR MIT
//! sophon-gateway's X-VENUS-API-NAMESPACE routing. Clients of the original cloud services send the
//! header to say which component they mean (`v1.FullNode`, `messager.IMessager`, …). In venusd a
//! component enabled in this process is served right here, so the request just goes on to the local
//! dispatcher; a component registered with RegisterReverse (or `[gateway] proxy_*`) is forwarded to
//! that backend over HTTP, before any authentication here (the backend authenticates, as in sophon).
#pragma once

#include <asio/thread_pool.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <optional>
#include <string>

#include "venus/rpc/registry.hpp"

namespace httplib {
class Client;
}

namespace venus::plugins::gateway {

inline constexpr std::string_view kNamespaceHeader = "x-venus-api-namespace";

//! The host key (VENUS, MESSAGER, DROPLET, AUTH, MINER, GATEWAY) a header value names; nullopt for
//! a value sophon does not know. An empty value means the gateway itself.
std::optional<std::string> host_key_for_namespace(std::string_view header_value);

class NamespaceProxy {
  public:
    struct Deps {
        //! The registered backends by host key (RegisterReverse and [gateway] proxy_*).
        std::function<std::map<std::string, std::string>()> backends;
        //! Whether this process serves the host key itself.
        std::function<bool(std::string_view host_key)> served_locally;
        asio::thread_pool& workers;  //!< forwarding blocks on the backend
        std::chrono::seconds timeout{300};
    };
    explicit NamespaceProxy(Deps deps) : deps_(std::move(deps)) {}

    //! The interceptor body: false lets a locally served request go on; true means it was answered
    //! (an error) or is being forwarded.
    bool handle(const rpc::HttpRequest& req, rpc::HttpResponder respond);

    //! Aborts the forwards in flight (they answer 502) and refuses new ones, so that shutdown does
    //! not wait for a slow backend.
    void stop();

  private:
    void forward(const rpc::HttpRequest& req, const std::string& backend, const rpc::HttpResponder& respond);

    Deps deps_;
    std::mutex mu_;
    bool stopped_ = false;
    std::set<httplib::Client*> active_;  // guarded by mu_
};

}  // namespace venus::plugins::gateway
