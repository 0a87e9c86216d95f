// SPDX-License-Identifier: Apache-2.0 OR MIT
// The explicit list of modules this binary can run (no static self-registration: easy to grep, and a
// linker never drops one silently). A module appears here with a factory once it is built.
#include "venus/modules/builtin.hpp"

#include "auth/auth_module.hpp"
#include "gateway/gateway_module.hpp"
#include "messager/messager_module.hpp"
#include "miner/miner_module.hpp"
#include "node/node_module.hpp"
#include "wallet/wallet_module.hpp"

namespace venus::modules {

using app::ModuleInfo;

const app::Catalogue& builtin_modules() {
    static const app::Catalogue modules = {
        {"auth", "users, tokens, miners, signers and rate limits (sophon-auth)", plugins::auth::make_auth_module},
        {"gateway", "wallet and prover connections, sign and proof routing (sophon-gateway)",
         plugins::gateway::make_gateway_module},
        {"node", "chain store, state, VM, message pool, Lotus v1 API", plugins::node::make_node_module},
        {"messager", "message nonces, gas, signing and tracking (sophon-messager)",
         plugins::messager::make_messager_module},
        // Enabled by default: on a fresh devnet auth binds the genesis miners to the daemon's user and
        // the built-in wallet holds their keys and proves, so `venusd run` mines by itself.
        {"miner", "per-epoch election and block production (sophon-miner)", plugins::miner::make_miner_module},
        {"wallet", "built-in keystore that serves the gateway as a wallet", plugins::wallet::make_wallet_module},
    };
    return modules;
}

}  // namespace venus::modules
