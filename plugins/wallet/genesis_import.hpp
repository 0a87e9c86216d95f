// SPDX-License-Identifier: Apache-2.0 OR MIT
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "keystore.hpp"

namespace venus::plugins::wallet {

//! On a devnet whose genesis this repo made (`<repo>/keystore/genesis/`), imports the pre-funded
//! accounts' and the genesis miners' keys into the wallet, once: a marker file in the keystore records
//! it, so a key deleted afterwards stays deleted. The first account becomes the default address when
//! none is set (a newcomer's `venusd send` needs no --from). Returns the genesis miners whose worker
//! key the wallet holds: the miners this wallet can prove and sign blocks for.
Result<std::vector<std::string>> import_genesis_keys(const std::filesystem::path& repo,
                                                     const std::filesystem::path& keystore_dir, Keystore& ks);

}  // namespace venus::plugins::wallet
