// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Multiaddrs and api-info strings as operators write them: `/ip4/127.0.0.1/tcp/3453` and
//! `TOKEN:/ip4/10.0.0.2/tcp/3453[/http|/ws]` (FULLNODE_API_INFO and friends).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "venus/core/result.hpp"

namespace venus::rpc {

struct Multiaddr {
    enum class Family { kIp4, kIp6, kDns };
    Family family = Family::kIp4;
    std::string host;
    std::uint16_t port = 0;
    std::string scheme;  //!< "", "http", "https", "ws", "wss"

    std::string to_string() const;  //!< canonical multiaddr text
};

Result<Multiaddr> parse_multiaddr(std::string_view text);

struct ApiInfo {
    std::string token;  //!< may be empty
    Multiaddr addr;
    std::string http_url(std::string_view path = "/rpc/v1") const;  //!< http(s)://host:port/path
    std::string ws_url(std::string_view path = "/rpc/v1") const;
    std::string to_string() const;  //!< TOKEN:MULTIADDR
};

//! Accepts `TOKEN:MULTIADDR`, a bare MULTIADDR, or `TOKEN:http(s)://host:port[/…]`.
Result<ApiInfo> parse_api_info(std::string_view text);

}  // namespace venus::rpc
