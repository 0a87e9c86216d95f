// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "support/devnet.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <stdexcept>

#include "support/fixtures.hpp"

namespace venus::test {

std::filesystem::path fast_network(const std::filesystem::path& dir) {
    auto text = read_file(std::filesystem::path(VENUS_SOURCE_DIR) / "etc" / "networks" / "devnet.toml");
    text = std::regex_replace(text, std::regex(R"(block_delay_secs = \d+)"), "block_delay_secs = 1");
    text = std::regex_replace(text, std::regex(R"(propagation_delay_secs = \d+)"), "propagation_delay_secs = 0");
    const auto p = dir / "fast.toml";
    std::ofstream(p) << text;
    return p;
}

std::uint16_t free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) throw std::runtime_error("free_port: no socket");
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
                    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0;
    ::close(fd);
    if (!ok) throw std::runtime_error("free_port: bind failed");
    return ntohs(a.sin_port);
}

}  // namespace venus::test
