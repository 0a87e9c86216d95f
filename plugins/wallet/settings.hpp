// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The [wallet] config section.
#pragma once

#include <string>
#include <vector>

#include "venus/app/config.hpp"
#include "venus/core/result.hpp"

namespace venus::plugins::wallet {

struct Settings {
    std::string gateway;  //!< api-info of a remote gateway; empty = the in-process one (if enabled)
    bool connect_local = true;
    std::vector<std::string> accounts;
    std::string passphrase_file;
    std::vector<std::string> prover_miners;

    static Result<Settings> load(const app::Config& c) {
        Settings s;
        VENUS_TRY(s.gateway, c.get_string("wallet", "gateway", ""));
        VENUS_TRY(s.connect_local, c.get_bool("wallet", "connect_local", true));
        VENUS_TRY(s.accounts, c.get_strings("wallet", "accounts", {}));
        VENUS_TRY(s.passphrase_file, c.get_string("wallet", "passphrase_file", ""));
        VENUS_TRY(s.prover_miners, c.get_strings("wallet", "prover_miners", {}));
        return s;
    }

    static constexpr const char* kDefaultText = R"([wallet]
# The gateway this wallet serves: api-info "TOKEN:/ip4/host/tcp/3453" whose token names the account
# (also `venusd run --wallet-gateway`). Empty: the gateway module of this process, when enabled.
gateway = ""
# Serve the in-process gateway when [wallet] gateway is empty and the gateway module is enabled.
connect_local = true
# More accounts this wallet signs for (SupportAccounts); the token's account is always included.
accounts = []
# A file holding the keystore passphrase: keys are then encrypted at rest (scrypt + AES-256-GCM).
# The environment variable VENUS_WALLET_PASSPHRASE works too. Empty: keys are stored as KeyInfo JSON.
passphrase_file = ""
# Devnet: answer the gateway's ComputeProof for these miners with mock proofs (MockProver).
prover_miners = []
)";
};

}  // namespace venus::plugins::wallet
