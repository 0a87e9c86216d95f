// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "namespace_proxy.hpp"

#include <asio/post.hpp>
#include <fmt/format.h>
#include <httplib.h>

#include "venus/core/log.hpp"
#include "venus/rpc/api_info.hpp"
#include "venus/rpc/client.hpp"

namespace venus::plugins::gateway {
namespace {

// Header values as venus-shared's APINamespace constants (sophon-gateway proxy.Header2HostPreset).
const std::map<std::string, std::string, std::less<>>& namespaces() {
    static const std::map<std::string, std::string, std::less<>> kMap = {
        {"v1.FullNode", "VENUS"},        {"v0.FullNode", "VENUS"},       {"v0.IMarket", "DROPLET"},
        {"v1.IMarket", "DROPLET"},       {"messager.IMessager", "MESSAGER"}, {"auth.IAuthClient", "AUTH"},
        {"miner.MinerAPI", "MINER"},     {"gateway.IGateway", "GATEWAY"}, {"", "GATEWAY"},
    };
    return kMap;
}

rpc::HttpResponse plain(int status, std::string text) {
    // Go's http.Error: text/plain with a trailing newline.
    return {status, "text/plain; charset=utf-8", std::move(text) + "\n", {{"X-Content-Type-Options", "nosniff"}}};
}

//! Hop-by-hop headers are the connection's own, never forwarded (RFC 9110 §7.6.1).
bool hop_by_hop(std::string_view name) {
    return name == "connection" || name == "keep-alive" || name == "transfer-encoding" || name == "upgrade" ||
           name == "te" || name == "trailer" || name == "proxy-connection" || name == "host" ||
           name == "content-length";
}

}  // namespace

std::optional<std::string> host_key_for_namespace(std::string_view header_value) {
    auto it = namespaces().find(header_value);
    if (it == namespaces().end()) return std::nullopt;
    return it->second;
}

bool NamespaceProxy::handle(const rpc::HttpRequest& req, rpc::HttpResponder respond) {
    const std::string value(req.header(kNamespaceHeader));
    auto key = host_key_for_namespace(value);
    if (!key) {
        respond(plain(400, fmt::format("header({}): invalid venus proxy header for X-VENUS-API-NAMESPACE", value)));
        return true;
    }
    // An explicitly registered backend wins over the local module: the operator asked for it.
    auto backends = deps_.backends();
    auto it = backends.find(*key);
    if (it == backends.end()) {
        if (*key == "GATEWAY" || deps_.served_locally(*key)) return false;
        respond(plain(400, fmt::format("host key({}) : no reverse proxy registered", *key)));
        return true;
    }
    if (!req.header("upgrade").empty()) {
        // A WebSocket: the listener relays the connection to the backend byte for byte, the upgrade
        // request included, so the backend does the handshake (and checks the token) itself.
        auto info = rpc::parse_api_info(it->second);
        if (!info) {
            respond(plain(502, fmt::format("bad reverse proxy address {}: {}", it->second, info.error().message)));
        } else if (info->addr.scheme == "https" || info->addr.scheme == "wss") {
            respond(plain(501, fmt::format("WebSocket proxying to a TLS backend ({}) is not supported", it->second)));
        } else {
            rpc::HttpResponse tunnel;
            tunnel.tunnel_host = info->addr.host;
            tunnel.tunnel_port = info->addr.port;
            respond(std::move(tunnel));
        }
        return true;
    }
    asio::post(deps_.workers, [this, req, backend = it->second, respond = std::move(respond)] {
        forward(req, backend, respond);
    });
    return true;
}

void NamespaceProxy::forward(const rpc::HttpRequest& req, const std::string& backend,
                             const rpc::HttpResponder& respond) {
    auto info = rpc::parse_api_info(backend);
    if (!info) {
        respond(plain(502, fmt::format("bad reverse proxy address {}: {}", backend, info.error().message)));
        return;
    }
    httplib::Client client(info->http_url(""));
    client.set_connection_timeout(std::chrono::seconds(10));
    client.set_read_timeout(deps_.timeout);
    client.set_write_timeout(deps_.timeout);
    {
        std::lock_guard lock(mu_);
        if (stopped_) {
            respond(plain(503, "gateway stopping"));
            return;
        }
        active_.insert(&client);
    }
    httplib::Request out;
    out.method = req.method;
    out.path = req.path;
    char sep = '?';
    for (const auto& [k, v] : req.query) {
        out.path += sep + rpc::url_encode(k) + "=" + rpc::url_encode(v);
        sep = '&';
    }
    for (const auto& [name, value] : req.headers) {
        if (!hop_by_hop(name)) out.headers.emplace(name, value);
    }
    out.body = req.body;
    auto res = client.send(out);
    {
        std::lock_guard lock(mu_);
        active_.erase(&client);
    }
    if (!res) {
        respond(plain(502, fmt::format("reverse proxy to {} failed: {}", info->addr.to_string(),
                                       httplib::to_string(res.error()))));
        return;
    }
    rpc::HttpResponse resp;
    resp.status = res->status;
    resp.content_type = res->get_header_value("Content-Type");
    if (resp.content_type.empty()) resp.content_type = "application/octet-stream";
    resp.body = std::move(res->body);
    respond(std::move(resp));
}

void NamespaceProxy::stop() {
    std::lock_guard lock(mu_);
    stopped_ = true;
    for (auto* c : active_) c->stop();
}

}  // namespace venus::plugins::gateway
