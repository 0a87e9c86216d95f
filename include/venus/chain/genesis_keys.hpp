// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The keys of a devnet genesis this repo created: `<repo>/keystore/genesis/`, one Lotus KeyInfo
//! JSON file per key (`<address>.key`) and the index `genesis-keys.json`
//! (`[{"Address", "Role", "Miner"?}]`; Role is "account", "miner N owner" or "miner N worker", Miner
//! the ID address of the miner an owner or worker key serves). The node writes them when it makes a
//! genesis; the built-in wallet imports them and the miner module binds the miners to the devnet's
//! default user, which is how `venusd run` mines by itself.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "venus/chain/keys.hpp"

namespace venus::chain {

struct GenesisKey {
    Address address;
    std::string role;
    std::optional<Address> miner;
};

std::filesystem::path genesis_key_dir(const std::filesystem::path& repo);

//! The index, or nullopt when the repo holds none (its node did not create the genesis).
Result<std::optional<std::vector<GenesisKey>>> read_genesis_key_index(const std::filesystem::path& repo);

//! One key of the index, checked against its address.
Result<KeyInfo> read_genesis_key(const std::filesystem::path& repo, const Address& address);

//! The miners named in the index, each once, in index order.
std::vector<Address> genesis_miners(const std::vector<GenesisKey>& index);

}  // namespace venus::chain
