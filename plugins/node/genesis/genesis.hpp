// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Devnet genesis from a template (lotus chain/gen/genesis, node-chain.md §2.2): singleton actors,
//! pre-funded accounts (IDs from 100), genesis miners (IDs from 1000) created through the VM with
//! power.CreateMiner and given pre-sealed 2 KiB sectors and their power claims, then the genesis
//! block (Miner f00, ElectionProof {0, ""}, one zero beacon entry, the fixed genesis parent).
#pragma once

#include <filesystem>
#include <vector>

#include "node/network.hpp"
#include "venus/chain/blockstore.hpp"
#include "venus/chain/keys.hpp"
#include "venus/chain/types.hpp"

namespace venus::plugins::node {

struct GenesisAccount {
    chain::KeyInfo key;
    chain::TokenAmount balance;
};

struct GenesisMiner {
    chain::KeyInfo owner;   //!< any key type; becomes an account
    chain::KeyInfo worker;  //!< BLS (signs blocks and VRFs)
    std::uint64_t sectors = 1;
    Bytes peer_id;
    chain::TokenAmount owner_balance;  //!< FIL for the owner's account (fees)
};

struct GenesisTemplate {
    std::uint64_t timestamp = 0;
    Bytes ticket;  //!< 32 bytes of the genesis ticket (random in Lotus)
    std::vector<GenesisAccount> accounts;
    std::vector<GenesisMiner> miners;
};

struct GenesisResult {
    chain::BlockHeader header;
    chain::Cid cid;
    chain::Cid state_root;
    std::vector<chain::Address> miner_ids;  //!< t01000, t01001, … in template order
};

//! The CID Lotus puts as the genesis block's only parent (a fixed dag-cbor/sha256 block).
const chain::Cid& genesis_parent_cid();

//! Builds the genesis state and block into `store`.
Result<GenesisResult> build_genesis(chain::Blockstore& store, const NetworkParams& net, const GenesisTemplate& tpl);

//! A fresh template: `accounts` secp256k1 and BLS accounts (alternating) with `balance_fil` each,
//! and `miners` miners with BLS owner and worker keys and `sectors` sectors each.
Result<GenesisTemplate> make_devnet_template(std::size_t accounts, std::size_t miners, std::uint64_t sectors,
                                             std::uint64_t balance_fil, std::uint64_t timestamp);

//! Writes every key of the template to `dir` as Lotus KeyInfo JSON (`<address>.key`, mode 0600) with
//! an index `genesis-keys.json` naming each key's role (`[{"Address", "Role", "Miner"?}]`, Miner = the
//! ID address of the miner an owner or worker key belongs to). Existing files are left alone.
Status write_template_keys(const std::filesystem::path& dir, const GenesisTemplate& tpl);

}  // namespace venus::plugins::node
