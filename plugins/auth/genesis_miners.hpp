// SPDX-License-Identifier: Apache-2.0 OR MIT
#pragma once

#include <cstddef>
#include <filesystem>
#include <string_view>

#include "auth_service.hpp"

namespace venus::plugins::auth {

//! On a devnet whose genesis this repo made (`<repo>/keystore/genesis/genesis-keys.json`), binds the
//! genesis miners to `user` with OpenMining, so that the built-in wallet, which serves the gateway
//! under the daemon's own token, proves and signs for them and the miner module mines them. A miner
//! already bound (to anyone, open or stopped) is left alone: a stop or a new owner survives restarts.
//! Returns how many miners were bound now.
Result<std::size_t> bind_genesis_miners(AuthService& service, const std::filesystem::path& repo,
                                        std::string_view user);

}  // namespace venus::plugins::auth
