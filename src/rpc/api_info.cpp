// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "venus/rpc/api_info.hpp"

#include <charconv>
#include <vector>

namespace venus::rpc {
namespace {
std::vector<std::string_view> split_path(std::string_view text) {
    std::vector<std::string_view> parts;
    std::size_t pos = 1;
    while (pos <= text.size()) {
        auto next = text.find('/', pos);
        if (next == std::string_view::npos) next = text.size();
        parts.push_back(text.substr(pos, next - pos));
        pos = next + 1;
    }
    return parts;
}

Result<std::uint16_t> parse_port(std::string_view s) {
    unsigned v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size() || v > 65535) {
        return make_error(Errc::kInvalidArgument, "invalid port '{}'", s);
    }
    return static_cast<std::uint16_t>(v);
}
}  // namespace

std::string Multiaddr::to_string() const {
    std::string out;
    switch (family) {
        case Family::kIp4: out = "/ip4/"; break;
        case Family::kIp6: out = "/ip6/"; break;
        case Family::kDns: out = "/dns/"; break;
    }
    out += host;
    out += "/tcp/" + std::to_string(port);
    if (!scheme.empty()) out += "/" + scheme;
    return out;
}

Result<Multiaddr> parse_multiaddr(std::string_view text) {
    if (text.empty() || text[0] != '/') {
        return make_error(Errc::kInvalidArgument, "invalid multiaddr '{}': must start with '/'", text);
    }
    auto parts = split_path(text);
    if (parts.size() < 4) {
        return make_error(Errc::kInvalidArgument, "invalid multiaddr '{}': expected /ip4|ip6|dns/HOST/tcp/PORT", text);
    }
    Multiaddr m;
    if (parts[0] == "ip4") m.family = Multiaddr::Family::kIp4;
    else if (parts[0] == "ip6") m.family = Multiaddr::Family::kIp6;
    else if (parts[0] == "dns" || parts[0] == "dns4" || parts[0] == "dns6") m.family = Multiaddr::Family::kDns;
    else return make_error(Errc::kInvalidArgument, "invalid multiaddr '{}': unsupported protocol '{}'", text, parts[0]);
    if (parts[1].empty()) return make_error(Errc::kInvalidArgument, "invalid multiaddr '{}': empty host", text);
    m.host = std::string(parts[1]);
    if (parts[2] != "tcp") return make_error(Errc::kInvalidArgument, "invalid multiaddr '{}': expected tcp", text);
    VENUS_TRY(m.port, parse_port(parts[3]));
    if (parts.size() >= 5) {
        auto s = parts[4];
        if (s != "http" && s != "https" && s != "ws" && s != "wss") {
            return make_error(Errc::kInvalidArgument, "invalid multiaddr '{}': unsupported '{}'", text, s);
        }
        m.scheme = std::string(s);
        if (parts.size() > 5) return make_error(Errc::kInvalidArgument, "invalid multiaddr '{}': trailing parts", text);
    }
    return m;
}

namespace {
std::string host_port(const Multiaddr& a) {
    if (a.family == Multiaddr::Family::kIp6) return "[" + a.host + "]:" + std::to_string(a.port);
    return a.host + ":" + std::to_string(a.port);
}
}  // namespace

std::string ApiInfo::http_url(std::string_view path) const {
    const bool tls = addr.scheme == "https" || addr.scheme == "wss";
    return std::string(tls ? "https://" : "http://") + host_port(addr) + std::string(path);
}

std::string ApiInfo::ws_url(std::string_view path) const {
    const bool tls = addr.scheme == "https" || addr.scheme == "wss";
    return std::string(tls ? "wss://" : "ws://") + host_port(addr) + std::string(path);
}

std::string ApiInfo::to_string() const { return token.empty() ? addr.to_string() : token + ":" + addr.to_string(); }

Result<ApiInfo> parse_api_info(std::string_view text) {
    ApiInfo info;
    // Trim whitespace and newlines (files and env vars often carry them).
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.remove_suffix(1);
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    if (text.empty()) return make_error(Errc::kInvalidArgument, "empty api-info");
    if (text[0] == '/') {
        VENUS_TRY(info.addr, parse_multiaddr(text));
        return info;
    }
    auto colon = text.find(':');
    if (colon == std::string_view::npos) return make_error(Errc::kInvalidArgument, "invalid api-info: expected TOKEN:MULTIADDR");
    auto rest = text.substr(colon + 1);
    // A URL in place of a multiaddr: "http://host:port/rpc/v0". The token may not contain ':' (JWTs do not).
    if (text.substr(0, colon) == "http" || text.substr(0, colon) == "https" || text.substr(0, colon) == "ws") {
        rest = text;
    } else {
        info.token = std::string(text.substr(0, colon));
    }
    if (!rest.empty() && rest[0] == '/') {
        VENUS_TRY(info.addr, parse_multiaddr(rest));
        return info;
    }
    auto scheme_end = rest.find("://");
    if (scheme_end == std::string_view::npos) return make_error(Errc::kInvalidArgument, "invalid api-info address '{}'", rest);
    info.addr.scheme = std::string(rest.substr(0, scheme_end));
    auto hostport = rest.substr(scheme_end + 3);
    hostport = hostport.substr(0, hostport.find('/'));
    auto pc = hostport.rfind(':');
    if (pc == std::string_view::npos) return make_error(Errc::kInvalidArgument, "invalid api-info address '{}': no port", rest);
    auto host = hostport.substr(0, pc);
    if (host.size() >= 2 && host.front() == '[') {
        info.addr.family = Multiaddr::Family::kIp6;
        host = host.substr(1, host.size() - 2);
    } else if (!host.empty() && (host[0] < '0' || host[0] > '9')) {
        info.addr.family = Multiaddr::Family::kDns;
    }
    info.addr.host = std::string(host);
    VENUS_TRY(info.addr.port, parse_port(hostport.substr(pc + 1)));
    return info;
}

}  // namespace venus::rpc
