// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The [auth] config section.
#pragma once

#include <cstddef>
#include <string>

#include "venus/app/config.hpp"
#include "venus/core/result.hpp"

namespace venus::plugins::auth {

struct Settings {
    //! Extra listener on sophon-auth's address for clients configured with it; empty = off.
    std::string listen;
    //! Verified tokens kept in memory; the cache starts over when full.
    std::size_t cache_size = 100000;
    //! Devnet: the genesis miners go to the daemon's own user at first start (genesis_miners.hpp).
    bool bind_genesis_miners = true;

    static Result<Settings> load(const app::Config& config) {
        Settings s;
        VENUS_TRY(s.listen, config.get_string("auth", "listen", ""));
        VENUS_TRY(auto cache, config.get_int("auth", "cache_size", 100000));
        if (cache < 1 || cache > 100000000) return make_error(Errc::kConfig, "[auth] cache_size must be 1..100000000");
        s.cache_size = static_cast<std::size_t>(cache);
        VENUS_TRY(s.bind_genesis_miners, config.get_bool("auth", "bind_genesis_miners", true));
        return s;
    }

    static constexpr const char* kDefaultText = R"([auth]
# A second listener on sophon-auth's address (e.g. "/ip4/127.0.0.1/tcp/8989") so clients still configured
# for the original service reach venusd unchanged; empty = off. The main [api] listener always serves
# the auth routes.
listen = ""
# Verified tokens kept in memory. Removing a token or disabling/deleting a user clears it at once.
cache_size = 100000
# On a devnet whose genesis this repo made: bind the genesis miners (OpenMining) to the daemon's own
# user, defaultLocalToken, whose token the built-in wallet serves the gateway with, so `venusd run`
# mines by itself. Miners already bound to someone are left alone.
bind_genesis_miners = true
)";
};

}  // namespace venus::plugins::auth
