// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "genesis_import.hpp"

#include <algorithm>
#include <fstream>

#include "venus/chain/genesis_keys.hpp"
#include "venus/core/log.hpp"

namespace venus::plugins::wallet {

Result<std::vector<std::string>> import_genesis_keys(const std::filesystem::path& repo,
                                                     const std::filesystem::path& keystore_dir, Keystore& ks) {
    VENUS_TRY(auto index, chain::read_genesis_key_index(repo));
    if (!index) return std::vector<std::string>{};
    const auto marker = keystore_dir / "genesis-imported";
    std::error_code ec;
    if (!std::filesystem::exists(marker, ec)) {
        std::size_t n = 0;
        for (const auto& k : *index) {
            if (ks.has(k.address)) continue;
            VENUS_TRY(auto key, chain::read_genesis_key(repo, k.address));
            VENUS_TRY_VOID(ks.put(key));
            ++n;
        }
        if (!ks.default_address()) {
            for (const auto& k : *index) {
                if (k.role == "account") {
                    VENUS_TRY_VOID(ks.set_default(k.address));
                    break;
                }
            }
        }
        std::ofstream(marker) << n << " genesis keys imported\n";
        if (!std::filesystem::exists(marker, ec)) return make_error(Errc::kIo, "writing {}", marker.string());
        log::get("wallet")->info("imported {} genesis key(s) from {}", n, chain::genesis_key_dir(repo).string());
    }
    std::vector<std::string> miners;
    for (const auto& k : *index) {
        if (!k.miner || k.role.find("worker") == std::string::npos || !ks.has(k.address)) continue;
        const auto m = k.miner->to_string();
        if (std::find(miners.begin(), miners.end(), m) == miners.end()) miners.push_back(m);
    }
    return miners;
}

}  // namespace venus::plugins::wallet
