// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Helpers for tests and benchmarks that run real devnets.
#pragma once

#include <cstdint>
#include <filesystem>

namespace venus::test {

//! etc/networks/devnet.toml with a 1 s block delay and no propagation delay (the test setting),
//! written to `dir/fast.toml`; give it as `[node] network_file`.
std::filesystem::path fast_network(const std::filesystem::path& dir);

//! A TCP port on 127.0.0.1 that is free now, for a daemon that must come back on the same port
//! after a restart. Throws when no socket can be had.
std::uint16_t free_port();

}  // namespace venus::test
