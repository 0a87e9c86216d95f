// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "genesis_miners.hpp"

#include "venus/chain/genesis_keys.hpp"

namespace venus::plugins::auth {

Result<std::size_t> bind_genesis_miners(AuthService& service, const std::filesystem::path& repo,
                                        std::string_view user) {
    VENUS_TRY(auto index, chain::read_genesis_key_index(repo));
    if (!index) return std::size_t{0};
    const rpc::Claims admin{"", rpc::Perm::kAdmin, ""};
    std::size_t bound = 0;
    for (const auto& m : chain::genesis_miners(*index)) {
        VENUS_TRY(bool known, service.has_miner(admin, m.to_string()));
        if (known) continue;
        VENUS_TRY_VOID(service.upsert_miner(admin, user, m.to_string(), true));
        ++bound;
    }
    return bound;
}

}  // namespace venus::plugins::auth
