// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Built-in actor identities for actors v16 (nv25/nv26), "devnet" bundle: code CIDs, singleton IDs
//! and method numbers (node-chain.md §2.8; venus-shared/actors/builtin_actors_gen.go). Clients
//! recognise actor kinds by these code CIDs, so they must be the bundle's exactly.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "venus/chain/types.hpp"

namespace venus::plugins::node {

using chain::Address;
using chain::Cid;

enum class ActorType : std::uint8_t {
    kSystem,
    kInit,
    kCron,
    kAccount,
    kPower,
    kMiner,
    kMarket,
    kPaymentChannel,
    kMultisig,
    kReward,
    kVerifiedRegistry,
    kDataCap,
    kPlaceholder,
    kEvm,
    kEam,
    kEthAccount,
};
inline constexpr std::size_t kActorTypeCount = 16;

//! The bundle's name for a type ("storageminer", "account", …).
std::string_view actor_type_name(ActorType t) noexcept;
//! The v16 devnet code CID of a type.
const Cid& actor_code(ActorType t);
//! The type of a code CID, or nullopt for a code this node does not know.
std::optional<ActorType> actor_type(const Cid& code);

//! The bundle manifest (`[1, data]`) and its data (`[[name, code]…]` in bundle order), as the
//! system actor records it. manifest_cid() equals the published v16 devnet manifest CID.
const Cid& manifest_cid();
const Cid& manifest_data_cid();
Bytes manifest_cbor();
Bytes manifest_data_cbor();

//! Singleton actor IDs (lotus chain/gen/genesis).
namespace id {
inline constexpr std::uint64_t kSystem = 0;
inline constexpr std::uint64_t kInit = 1;
inline constexpr std::uint64_t kReward = 2;
inline constexpr std::uint64_t kCron = 3;
inline constexpr std::uint64_t kPower = 4;
inline constexpr std::uint64_t kMarket = 5;
inline constexpr std::uint64_t kVerifiedRegistry = 6;
inline constexpr std::uint64_t kDataCap = 7;
inline constexpr std::uint64_t kEam = 10;
inline constexpr std::uint64_t kReserve = 90;
inline constexpr std::uint64_t kBurntFunds = 99;
inline constexpr std::uint64_t kFirstAccount = 100;  //!< genesis accounts (AccountStart)
inline constexpr std::uint64_t kFirstNonSingleton = 1000;  //!< init NextID at genesis (MinerStart)
}  // namespace id

Address id_address(std::uint64_t id);

//! Method numbers (go-state-types builtin/methods.go).
namespace method {
inline constexpr std::uint64_t kSend = 0;
inline constexpr std::uint64_t kConstructor = 1;
namespace account {
inline constexpr std::uint64_t kPubkeyAddress = 2;
}
namespace init {
inline constexpr std::uint64_t kExec = 2;
}
namespace cron {
inline constexpr std::uint64_t kEpochTick = 2;
}
namespace reward {
inline constexpr std::uint64_t kAwardBlockReward = 2;
inline constexpr std::uint64_t kThisEpochReward = 3;
inline constexpr std::uint64_t kUpdateNetworkKpi = 4;
}  // namespace reward
namespace power {
inline constexpr std::uint64_t kCreateMiner = 2;
inline constexpr std::uint64_t kUpdateClaimedPower = 3;
inline constexpr std::uint64_t kEnrollCronEvent = 4;
inline constexpr std::uint64_t kCronTick = 5;
inline constexpr std::uint64_t kUpdatePledgeTotal = 6;
inline constexpr std::uint64_t kCurrentTotalPower = 9;
}  // namespace power
namespace miner {
inline constexpr std::uint64_t kControlAddresses = 2;
inline constexpr std::uint64_t kChangeWorkerAddress = 3;
inline constexpr std::uint64_t kChangePeerId = 4;
inline constexpr std::uint64_t kApplyRewards = 14;
inline constexpr std::uint64_t kWithdrawBalance = 16;
inline constexpr std::uint64_t kChangeMultiaddrs = 18;
inline constexpr std::uint64_t kConfirmChangeWorkerAddress = 21;
inline constexpr std::uint64_t kChangeOwnerAddress = 23;
}  // namespace miner
namespace multisig {
inline constexpr std::uint64_t kPropose = 2;
inline constexpr std::uint64_t kApprove = 3;
inline constexpr std::uint64_t kCancel = 4;
inline constexpr std::uint64_t kAddSigner = 5;
inline constexpr std::uint64_t kRemoveSigner = 6;
inline constexpr std::uint64_t kSwapSigner = 7;
inline constexpr std::uint64_t kChangeNumApprovalsThreshold = 8;
}  // namespace multisig
}  // namespace method

}  // namespace venus::plugins::node
