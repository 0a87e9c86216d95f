// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The [wallet] config section.
#pragma once

#include <chrono>
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
    bool genesis_keys = true;
    std::chrono::milliseconds test_prover_delay{0};  //!< test only

    static Result<Settings> load(const app::Config& c) {
        Settings s;
        VENUS_TRY(s.gateway, c.get_string("wallet", "gateway", ""));
        VENUS_TRY(s.connect_local, c.get_bool("wallet", "connect_local", true));
        VENUS_TRY(s.accounts, c.get_strings("wallet", "accounts", {}));
        VENUS_TRY(s.passphrase_file, c.get_string("wallet", "passphrase_file", ""));
        VENUS_TRY(s.prover_miners, c.get_strings("wallet", "prover_miners", {}));
        VENUS_TRY(s.genesis_keys, c.get_bool("wallet", "genesis_keys", true));
        VENUS_TRY(s.test_prover_delay, c.get_duration("wallet", "test_prover_delay", std::chrono::milliseconds(0)));
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
# Devnet: import the keys of a genesis this repo made (<repo>/keystore/genesis/: pre-funded accounts,
# genesis miners' owners and workers) once, and, serving the in-process gateway next to the auth
# module, prove for the genesis miners too. With the miner module this makes `venusd run` mine.
genesis_keys = true
# TEST ONLY: the mock prover answers this late (a prover slower than the miner's deadline). "0s" in use.
test_prover_delay = "0s"
)";
};

}  // namespace venus::plugins::wallet
