// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Actor state and parameter tuples of actors v16 (go-state-types builtin/v16/*), byte-exact DAG-CBOR.
//! Only the types the native actors here read or write; field order = CBOR array order.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "venus/chain/blockstore.hpp"
#include "venus/chain/types.hpp"

namespace venus::plugins::node {

using chain::Address;
using chain::BigInt;
using chain::Blockstore;
using chain::CborReader;
using chain::CborWriter;
using chain::ChainEpoch;
using chain::Cid;
using chain::TokenAmount;

//! Decodes a state object of type T stored under `cid`.
template <typename T>
Result<T> load_cbor(Blockstore& bs, const Cid& cid) {
    VENUS_TRY(auto bytes, bs.get(cid));
    auto v = chain::decode_cbor<T>(bytes);
    if (!v) return v.error().wrap(fmt::format("decoding {}", cid.to_string()));
    return v;
}
//! Encodes and stores a state object; returns its CID.
template <typename T>
Result<Cid> store_cbor(Blockstore& bs, const T& v) {
    VENUS_TRY(auto bytes, chain::encode_cbor(v));
    return chain::put_cbor(bs, bytes);
}

struct SystemState {
    Cid builtin_actors;  //!< the manifest data CID
    Status encode(CborWriter& w) const;
    static Result<SystemState> decode(CborReader& r);
};

struct AccountState {
    Address address;  //!< the key address (f1/f3); the burnt-funds account holds its own ID address
    Status encode(CborWriter& w) const;
    static Result<AccountState> decode(CborReader& r);
};

//! AddressMap: HAMT (bitwidth 5) of address bytes → CBOR uint actor ID.
struct InitState {
    Cid address_map;
    std::uint64_t next_id = 0;
    std::string network_name;
    Status encode(CborWriter& w) const;
    static Result<InitState> decode(CborReader& r);
};

struct CronEntry {
    Address receiver;
    std::uint64_t method = 0;
};
struct CronState {
    std::vector<CronEntry> entries;
    Status encode(CborWriter& w) const;
    static Result<CronState> decode(CborReader& r);
};

//! smoothing.FilterEstimate: Q.128 position and velocity.
struct FilterEstimate {
    BigInt position;
    BigInt velocity;
    Status encode(CborWriter& w) const;
    static Result<FilterEstimate> decode(CborReader& r);
};

struct PowerClaim {
    std::int64_t window_post_proof_type = 0;
    BigInt raw_byte_power;
    BigInt quality_adj_power;
    Status encode(CborWriter& w) const;
    static Result<PowerClaim> decode(CborReader& r);
};

//! Claims: HAMT (bitwidth 5) keyed by miner ID-address bytes → PowerClaim.
//! CronEventQueue: HAMT of epoch → AMT of events (kept empty on this devnet).
struct PowerState {
    BigInt total_raw_byte_power;
    BigInt total_bytes_committed;
    BigInt total_quality_adj_power;
    BigInt total_qa_bytes_committed;
    TokenAmount total_pledge_collateral;
    BigInt this_epoch_raw_byte_power;
    BigInt this_epoch_quality_adj_power;
    TokenAmount this_epoch_pledge_collateral;
    FilterEstimate this_epoch_qa_power_smoothed;
    std::int64_t miner_count = 0;
    std::int64_t miner_above_min_power_count = 0;
    std::int64_t ramp_start_epoch = 0;
    std::uint64_t ramp_duration_epochs = 0;
    Cid cron_event_queue;
    ChainEpoch first_cron_epoch = 0;
    Cid claims;
    std::optional<Cid> proof_validation_batch;
    Status encode(CborWriter& w) const;
    static Result<PowerState> decode(CborReader& r);
};

struct RewardState {
    BigInt cumsum_baseline;
    BigInt cumsum_realized;
    ChainEpoch effective_network_time = 0;
    BigInt effective_baseline_power;
    TokenAmount this_epoch_reward;
    FilterEstimate this_epoch_reward_smoothed;
    BigInt this_epoch_baseline_power;
    ChainEpoch epoch = 0;
    TokenAmount total_storage_power_reward;
    TokenAmount simple_total;
    TokenAmount baseline_total;
    Status encode(CborWriter& w) const;
    static Result<RewardState> decode(CborReader& r);
};

struct AwardBlockRewardParams {
    Address miner;
    TokenAmount penalty;
    TokenAmount gas_reward;
    std::int64_t win_count = 0;
    Status encode(CborWriter& w) const;
    static Result<AwardBlockRewardParams> decode(CborReader& r);
};

// ---- miner --------------------------------------------------------------------------------------
struct WorkerKeyChange {
    Address new_worker;
    ChainEpoch effective_at = 0;
};
struct BeneficiaryTerm {
    TokenAmount quota;
    TokenAmount used_quota;
    ChainEpoch expiration = 0;
};
struct PendingBeneficiaryChange {
    Address new_beneficiary;
    TokenAmount new_quota;
    ChainEpoch new_expiration = 0;
    bool approved_by_beneficiary = false;
    bool approved_by_nominee = false;
};

struct MinerInfo {
    Address owner;   //!< ID address
    Address worker;  //!< ID address
    std::vector<Address> control_addresses;
    std::optional<WorkerKeyChange> pending_worker_key;
    Bytes peer_id;
    std::vector<Bytes> multiaddrs;
    std::int64_t window_post_proof_type = 0;
    std::uint64_t sector_size = 0;
    std::uint64_t window_post_partition_sectors = 0;
    ChainEpoch consensus_fault_elapsed = -1;
    std::optional<Address> pending_owner_address;
    Address beneficiary;
    BeneficiaryTerm beneficiary_term;
    std::optional<PendingBeneficiaryChange> pending_beneficiary_term;
    Status encode(CborWriter& w) const;
    static Result<MinerInfo> decode(CborReader& r);
};

struct VestingFund {
    ChainEpoch epoch = 0;
    TokenAmount amount;
};
//! VestingFunds: the next batch inline, the rest in a separate block (a CBOR array of VestingFund).
struct VestingFunds {
    VestingFund head;
    Cid tail;
    Status encode(CborWriter& w) const;
    static Result<VestingFunds> decode(CborReader& r);
};
struct VestingFundsTail {
    std::vector<VestingFund> funds;
    Status encode(CborWriter& w) const;
    static Result<VestingFundsTail> decode(CborReader& r);
};

//! Sectors AMT (bitwidth 5) value.
struct SectorOnChainInfo {
    std::uint64_t sector_number = 0;
    std::int64_t seal_proof = 0;
    Cid sealed_cid;
    std::vector<std::uint64_t> deprecated_deal_ids;
    ChainEpoch activation = 0;
    ChainEpoch expiration = 0;
    BigInt deal_weight;
    BigInt verified_deal_weight;
    TokenAmount initial_pledge;
    std::optional<TokenAmount> expected_day_reward;
    std::optional<TokenAmount> expected_storage_pledge;
    ChainEpoch power_base_epoch = 0;
    std::optional<TokenAmount> replaced_day_reward;
    std::optional<Cid> sector_key_cid;
    std::uint64_t flags = 0;
    std::optional<TokenAmount> daily_fee;  //!< the optional 16th field
    Status encode(CborWriter& w) const;
    static Result<SectorOnChainInfo> decode(CborReader& r);
};

struct PowerPair {
    BigInt raw;
    BigInt qa;
};

struct Deadline {
    Cid partitions;
    Cid expirations_epochs;
    Bytes partitions_posted;   //!< RLE+ bitfield
    Bytes early_terminations;  //!< RLE+ bitfield
    std::uint64_t live_sectors = 0;
    std::uint64_t total_sectors = 0;
    PowerPair faulty_power;
    Cid optimistic_post_submissions;
    Cid sectors_snapshot;
    Cid partitions_snapshot;
    Cid optimistic_post_submissions_snapshot;
    PowerPair live_power;
    TokenAmount daily_fee;
    Status encode(CborWriter& w) const;
    static Result<Deadline> decode(CborReader& r);
};

struct Deadlines {
    static constexpr std::size_t kCount = 48;  //!< WPoStPeriodDeadlines
    std::vector<Cid> due;
    Status encode(CborWriter& w) const;
    static Result<Deadlines> decode(CborReader& r);
};

struct MinerState {
    Cid info;
    TokenAmount pre_commit_deposits;
    TokenAmount locked_funds;
    std::optional<Cid> vesting_funds;  //!< VestingFunds block; null when nothing vests
    TokenAmount fee_debt;
    TokenAmount initial_pledge;
    Cid pre_committed_sectors;
    Cid pre_committed_sectors_clean_up;
    Cid allocated_sectors;  //!< a block holding the RLE+ bitfield bytes (CBOR byte string)
    Cid sectors;
    ChainEpoch proving_period_start = 0;
    std::uint64_t current_deadline = 0;
    Cid deadlines;
    Bytes early_terminations;  //!< RLE+ bitfield
    bool deadline_cron_active = false;
    Status encode(CborWriter& w) const;
    static Result<MinerState> decode(CborReader& r);
};

// ---- multisig -----------------------------------------------------------------------------------
//! PendingTxns: HAMT (bitwidth 5) keyed by varint(TxnID) (Go binary.PutVarint) → Transaction.
struct MultisigState {
    std::vector<Address> signers;  //!< ID addresses
    std::uint64_t num_approvals_threshold = 0;
    std::int64_t next_txn_id = 0;
    TokenAmount initial_balance;
    ChainEpoch start_epoch = 0;
    ChainEpoch unlock_duration = 0;
    Cid pending_txns;
    Status encode(CborWriter& w) const;
    static Result<MultisigState> decode(CborReader& r);
};

struct MultisigTransaction {
    Address to;
    TokenAmount value;
    std::uint64_t method = 0;
    Bytes params;
    std::vector<Address> approved;
    Status encode(CborWriter& w) const;
    static Result<MultisigTransaction> decode(CborReader& r);
};

//! Writes a bitfield with the listed bits set in go-bitfield's RLE+ form (empty set → empty bytes).
Bytes rle_plus_encode(const std::vector<std::uint64_t>& sorted_bits);
//! Decodes RLE+ into the set bits (bounded by `max_bits`).
Result<std::vector<std::uint64_t>> rle_plus_decode(BytesView data, std::uint64_t max_bits = 1u << 24);

//! Go binary.PutVarint (zig-zag) key of a signed integer, as abi.IntKey uses.
Bytes int_key(std::int64_t v);

}  // namespace venus::plugins::node
