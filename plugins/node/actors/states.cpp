// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "node/actors/states.hpp"

namespace venus::plugins::node {

using chain::read_address;
using chain::read_bigint;
using chain::write_address;
using chain::write_bigint;

namespace {

Status write_opt_cid(CborWriter& w, const std::optional<Cid>& c) {
    if (!c) {
        w.write_null();
        return {};
    }
    return chain::write_cid_field(w, *c);
}
Result<std::optional<Cid>> read_opt_cid(CborReader& r) {
    if (r.try_read_null()) return std::optional<Cid>{};
    VENUS_TRY(auto c, r.read_cid());
    return std::optional<Cid>(std::move(c));
}
Status write_opt_big(CborWriter& w, const std::optional<BigInt>& v) {
    if (!v) {
        w.write_null();
        return {};
    }
    return write_bigint(w, *v);
}
Result<std::optional<BigInt>> read_opt_big(CborReader& r) {
    if (r.try_read_null()) return std::optional<BigInt>{};
    VENUS_TRY(auto v, read_bigint(r));
    return std::optional<BigInt>(std::move(v));
}
Result<Bytes> read_byte_vec(CborReader& r, std::size_t max = chain::kByteArrayMaxLen) {
    VENUS_TRY(auto b, r.read_bytes(max));
    return Bytes(b.begin(), b.end());
}
Status write_addresses(CborWriter& w, const std::vector<Address>& v) {
    w.write_array_header(v.size());
    for (const auto& a : v) VENUS_TRY_VOID(write_address(w, a));
    return {};
}
Result<std::vector<Address>> read_addresses(CborReader& r) {
    VENUS_TRY(auto n, r.read_array_header());
    if (n > chain::kMaxArrayLen) return r.error_at("address list too long");
    std::vector<Address> out;
    out.reserve(n);
    for (std::uint64_t i = 0; i < n; ++i) {
        VENUS_TRY(auto a, read_address(r));
        out.push_back(a);
    }
    return out;
}
Result<std::int64_t> read_i64(CborReader& r) { return r.read_int(); }

Status write_pair(CborWriter& w, const PowerPair& p) {
    w.write_array_header(2);
    VENUS_TRY_VOID(write_bigint(w, p.raw));
    return write_bigint(w, p.qa);
}
Result<PowerPair> read_pair(CborReader& r) {
    VENUS_TRY_VOID(r.read_array_header(2));
    PowerPair p;
    VENUS_TRY(p.raw, read_bigint(r));
    VENUS_TRY(p.qa, read_bigint(r));
    return p;
}

}  // namespace

// ---- system, account, init, cron ----------------------------------------------------------------
Status SystemState::encode(CborWriter& w) const {
    w.write_array_header(1);
    return chain::write_cid_field(w, builtin_actors);
}
Result<SystemState> SystemState::decode(CborReader& r) {
    VENUS_TRY_VOID(r.read_array_header(1));
    SystemState s;
    VENUS_TRY(s.builtin_actors, r.read_cid());
    return s;
}

Status AccountState::encode(CborWriter& w) const {
    w.write_array_header(1);
    return write_address(w, address);
}
Result<AccountState> AccountState::decode(CborReader& r) {
    VENUS_TRY_VOID(r.read_array_header(1));
    AccountState s;
    VENUS_TRY(s.address, read_address(r));
    return s;
}

Status InitState::encode(CborWriter& w) const {
    w.write_array_header(3);
    VENUS_TRY_VOID(chain::write_cid_field(w, address_map));
    w.write_uint(next_id);
    w.write_text(network_name);
    return {};
}
Result<InitState> InitState::decode(CborReader& r) {
    VENUS_TRY_VOID(r.read_array_header(3));
    InitState s;
    VENUS_TRY(s.address_map, r.read_cid());
    VENUS_TRY(s.next_id, r.read_uint());
    VENUS_TRY(auto name, r.read_text(1024));
    s.network_name = std::string(name);
    return s;
}

Status CronState::encode(CborWriter& w) const {
    w.write_array_header(1);
    w.write_array_header(entries.size());
    for (const auto& e : entries) {
        w.write_array_header(2);
        VENUS_TRY_VOID(write_address(w, e.receiver));
        w.write_uint(e.method);
    }
    return {};
}
Result<CronState> CronState::decode(CborReader& r) {
    VENUS_TRY_VOID(r.read_array_header(1));
    VENUS_TRY(auto n, r.read_array_header());
    if (n > chain::kMaxArrayLen) return r.error_at("too many cron entries");
    CronState s;
    for (std::uint64_t i = 0; i < n; ++i) {
        VENUS_TRY_VOID(r.read_array_header(2));
        CronEntry e;
        VENUS_TRY(e.receiver, read_address(r));
        VENUS_TRY(e.method, r.read_uint());
        s.entries.push_back(e);
    }
    return s;
}

// ---- reward, power ------------------------------------------------------------------------------
Status FilterEstimate::encode(CborWriter& w) const {
    w.write_array_header(2);
    VENUS_TRY_VOID(write_bigint(w, position));
    return write_bigint(w, velocity);
}
Result<FilterEstimate> FilterEstimate::decode(CborReader& r) {
    VENUS_TRY_VOID(r.read_array_header(2));
    FilterEstimate f;
    VENUS_TRY(f.position, read_bigint(r));
    VENUS_TRY(f.velocity, read_bigint(r));
    return f;
}

Status PowerClaim::encode(CborWriter& w) const {
    w.write_array_header(3);
    w.write_int(window_post_proof_type);
    VENUS_TRY_VOID(write_bigint(w, raw_byte_power));
    return write_bigint(w, quality_adj_power);
}
Result<PowerClaim> PowerClaim::decode(CborReader& r) {
    VENUS_TRY_VOID(r.read_array_header(3));
    PowerClaim c;
    VENUS_TRY(c.window_post_proof_type, read_i64(r));
    VENUS_TRY(c.raw_byte_power, read_bigint(r));
    VENUS_TRY(c.quality_adj_power, read_bigint(r));
    return c;
}

Status PowerState::encode(CborWriter& w) const {
    w.write_array_header(17);
    VENUS_TRY_VOID(write_bigint(w, total_raw_byte_power));
    VENUS_TRY_VOID(write_bigint(w, total_bytes_committed));
    VENUS_TRY_VOID(write_bigint(w, total_quality_adj_power));
    VENUS_TRY_VOID(write_bigint(w, total_qa_bytes_committed));
    VENUS_TRY_VOID(write_bigint(w, total_pledge_collateral));
    VENUS_TRY_VOID(write_bigint(w, this_epoch_raw_byte_power));
    VENUS_TRY_VOID(write_bigint(w, this_epoch_quality_adj_power));
    VENUS_TRY_VOID(write_bigint(w, this_epoch_pledge_collateral));
    VENUS_TRY_VOID(this_epoch_qa_power_smoothed.encode(w));
    w.write_int(miner_count);
    w.write_int(miner_above_min_power_count);
    w.write_int(ramp_start_epoch);
    w.write_uint(ramp_duration_epochs);
    VENUS_TRY_VOID(chain::write_cid_field(w, cron_event_queue));
    w.write_int(first_cron_epoch);
    VENUS_TRY_VOID(chain::write_cid_field(w, claims));
    return write_opt_cid(w, proof_validation_batch);
}
Result<PowerState> PowerState::decode(CborReader& r) {
    VENUS_TRY_VOID(r.read_array_header(17));
    PowerState s;
    VENUS_TRY(s.total_raw_byte_power, read_bigint(r));
    VENUS_TRY(s.total_bytes_committed, read_bigint(r));
    VENUS_TRY(s.total_quality_adj_power, read_bigint(r));
    VENUS_TRY(s.total_qa_bytes_committed, read_bigint(r));
    VENUS_TRY(s.total_pledge_collateral, read_bigint(r));
    VENUS_TRY(s.this_epoch_raw_byte_power, read_bigint(r));
    VENUS_TRY(s.this_epoch_quality_adj_power, read_bigint(r));
    VENUS_TRY(s.this_epoch_pledge_collateral, read_bigint(r));
    VENUS_TRY(s.this_epoch_qa_power_smoothed, FilterEstimate::decode(r));
    VENUS_TRY(s.miner_count, read_i64(r));
    VENUS_TRY(s.miner_above_min_power_count, read_i64(r));
    VENUS_TRY(s.ramp_start_epoch, read_i64(r));
    VENUS_TRY(s.ramp_duration_epochs, r.read_uint());
    VENUS_TRY(s.cron_event_queue, r.read_cid());
    VENUS_TRY(s.first_cron_epoch, read_i64(r));
    VENUS_TRY(s.claims, r.read_cid());
    VENUS_TRY(s.proof_validation_batch, read_opt_cid(r));
    return s;
}

Status RewardState::encode(CborWriter& w) const {
    w.write_array_header(11);
    VENUS_TRY_VOID(write_bigint(w, cumsum_baseline));
    VENUS_TRY_VOID(write_bigint(w, cumsum_realized));
    w.write_int(effective_network_time);
    VENUS_TRY_VOID(write_bigint(w, effective_baseline_power));
    VENUS_TRY_VOID(write_bigint(w, this_epoch_reward));
    VENUS_TRY_VOID(this_epoch_reward_smoothed.encode(w));
    VENUS_TRY_VOID(write_bigint(w, this_epoch_baseline_power));
    w.write_int(epoch);
    VENUS_TRY_VOID(write_bigint(w, total_storage_power_reward));
    VENUS_TRY_VOID(write_bigint(w, simple_total));
    return write_bigint(w, baseline_total);
}
Result<RewardState> RewardState::decode(CborReader& r) {
    VENUS_TRY_VOID(r.read_array_header(11));
    RewardState s;
    VENUS_TRY(s.cumsum_baseline, read_bigint(r));
    VENUS_TRY(s.cumsum_realized, read_bigint(r));
    VENUS_TRY(s.effective_network_time, read_i64(r));
    VENUS_TRY(s.effective_baseline_power, read_bigint(r));
    VENUS_TRY(s.this_epoch_reward, read_bigint(r));
    VENUS_TRY(s.this_epoch_reward_smoothed, FilterEstimate::decode(r));
    VENUS_TRY(s.this_epoch_baseline_power, read_bigint(r));
    VENUS_TRY(s.epoch, read_i64(r));
    VENUS_TRY(s.total_storage_power_reward, read_bigint(r));
    VENUS_TRY(s.simple_total, read_bigint(r));
    VENUS_TRY(s.baseline_total, read_bigint(r));
    return s;
}

Status AwardBlockRewardParams::encode(CborWriter& w) const {
    w.write_array_header(4);
    VENUS_TRY_VOID(write_address(w, miner));
    VENUS_TRY_VOID(write_bigint(w, penalty));
    VENUS_TRY_VOID(write_bigint(w, gas_reward));
    w.write_int(win_count);
    return {};
}
Result<AwardBlockRewardParams> AwardBlockRewardParams::decode(CborReader& r) {
    VENUS_TRY_VOID(r.read_array_header(4));
    AwardBlockRewardParams p;
    VENUS_TRY(p.miner, read_address(r));
    VENUS_TRY(p.penalty, read_bigint(r));
    VENUS_TRY(p.gas_reward, read_bigint(r));
    VENUS_TRY(p.win_count, read_i64(r));
    return p;
}

// ---- miner --------------------------------------------------------------------------------------
Status MinerInfo::encode(CborWriter& w) const {
    w.write_array_header(14);
    VENUS_TRY_VOID(write_address(w, owner));
    VENUS_TRY_VOID(write_address(w, worker));
    VENUS_TRY_VOID(write_addresses(w, control_addresses));
    if (pending_worker_key) {
        w.write_array_header(2);
        VENUS_TRY_VOID(write_address(w, pending_worker_key->new_worker));
        w.write_int(pending_worker_key->effective_at);
    } else {
        w.write_null();
    }
    w.write_bytes(peer_id);
    w.write_array_header(multiaddrs.size());
    for (const auto& m : multiaddrs) w.write_bytes(m);
    w.write_int(window_post_proof_type);
    w.write_uint(sector_size);
    w.write_uint(window_post_partition_sectors);
    w.write_int(consensus_fault_elapsed);
    if (pending_owner_address) {
        VENUS_TRY_VOID(write_address(w, *pending_owner_address));
    } else {
        w.write_null();
    }
    VENUS_TRY_VOID(write_address(w, beneficiary));
    w.write_array_header(3);
    VENUS_TRY_VOID(write_bigint(w, beneficiary_term.quota));
    VENUS_TRY_VOID(write_bigint(w, beneficiary_term.used_quota));
    w.write_int(beneficiary_term.expiration);
    if (pending_beneficiary_term) {
        const auto& p = *pending_beneficiary_term;
        w.write_array_header(5);
        VENUS_TRY_VOID(write_address(w, p.new_beneficiary));
        VENUS_TRY_VOID(write_bigint(w, p.new_quota));
        w.write_int(p.new_expiration);
        w.write_bool(p.approved_by_beneficiary);
        w.write_bool(p.approved_by_nominee);
    } else {
        w.write_null();
    }
    return {};
}
Result<MinerInfo> MinerInfo::decode(CborReader& r) {
    VENUS_TRY_VOID(r.read_array_header(14));
    MinerInfo m;
    VENUS_TRY(m.owner, read_address(r));
    VENUS_TRY(m.worker, read_address(r));
    VENUS_TRY(m.control_addresses, read_addresses(r));
    if (!r.try_read_null()) {
        VENUS_TRY_VOID(r.read_array_header(2));
        WorkerKeyChange c;
        VENUS_TRY(c.new_worker, read_address(r));
        VENUS_TRY(c.effective_at, read_i64(r));
        m.pending_worker_key = c;
    }
    VENUS_TRY(m.peer_id, read_byte_vec(r));
    VENUS_TRY(auto n, r.read_array_header());
    if (n > chain::kMaxArrayLen) return r.error_at("too many multiaddrs");
    for (std::uint64_t i = 0; i < n; ++i) {
        VENUS_TRY(auto b, read_byte_vec(r));
        m.multiaddrs.push_back(std::move(b));
    }
    VENUS_TRY(m.window_post_proof_type, read_i64(r));
    VENUS_TRY(m.sector_size, r.read_uint());
    VENUS_TRY(m.window_post_partition_sectors, r.read_uint());
    VENUS_TRY(m.consensus_fault_elapsed, read_i64(r));
    if (!r.try_read_null()) {
        VENUS_TRY(auto a, read_address(r));
        m.pending_owner_address = a;
    }
    VENUS_TRY(m.beneficiary, read_address(r));
    VENUS_TRY_VOID(r.read_array_header(3));
    VENUS_TRY(m.beneficiary_term.quota, read_bigint(r));
    VENUS_TRY(m.beneficiary_term.used_quota, read_bigint(r));
    VENUS_TRY(m.beneficiary_term.expiration, read_i64(r));
    if (!r.try_read_null()) {
        VENUS_TRY_VOID(r.read_array_header(5));
        PendingBeneficiaryChange p;
        VENUS_TRY(p.new_beneficiary, read_address(r));
        VENUS_TRY(p.new_quota, read_bigint(r));
        VENUS_TRY(p.new_expiration, read_i64(r));
        VENUS_TRY(p.approved_by_beneficiary, r.read_bool());
        VENUS_TRY(p.approved_by_nominee, r.read_bool());
        m.pending_beneficiary_term = p;
    }
    return m;
}

namespace {
Status write_vesting_fund(CborWriter& w, const VestingFund& f) {
    w.write_array_header(2);
    w.write_int(f.epoch);
    return write_bigint(w, f.amount);
}
Result<VestingFund> read_vesting_fund(CborReader& r) {
    VENUS_TRY_VOID(r.read_array_header(2));
    VestingFund f;
    VENUS_TRY(f.epoch, read_i64(r));
    VENUS_TRY(f.amount, read_bigint(r));
    return f;
}
}  // namespace

Status VestingFunds::encode(CborWriter& w) const {
    w.write_array_header(2);
    VENUS_TRY_VOID(write_vesting_fund(w, head));
    return chain::write_cid_field(w, tail);
}
Result<VestingFunds> VestingFunds::decode(CborReader& r) {
    VENUS_TRY_VOID(r.read_array_header(2));
    VestingFunds v;
    VENUS_TRY(v.head, read_vesting_fund(r));
    VENUS_TRY(v.tail, r.read_cid());
    return v;
}
Status VestingFundsTail::encode(CborWriter& w) const {
    w.write_array_header(funds.size());
    for (const auto& f : funds) VENUS_TRY_VOID(write_vesting_fund(w, f));
    return {};
}
Result<VestingFundsTail> VestingFundsTail::decode(CborReader& r) {
    VENUS_TRY(auto n, r.read_array_header());
    if (n > (1u << 20)) return r.error_at("vesting table too long");
    VestingFundsTail t;
    for (std::uint64_t i = 0; i < n; ++i) {
        VENUS_TRY(auto f, read_vesting_fund(r));
        t.funds.push_back(std::move(f));
    }
    return t;
}

Status SectorOnChainInfo::encode(CborWriter& w) const {
    w.write_array_header(daily_fee ? 16 : 15);
    w.write_uint(sector_number);
    w.write_int(seal_proof);
    VENUS_TRY_VOID(chain::write_cid_field(w, sealed_cid));
    w.write_array_header(deprecated_deal_ids.size());
    for (auto d : deprecated_deal_ids) w.write_uint(d);
    w.write_int(activation);
    w.write_int(expiration);
    VENUS_TRY_VOID(write_bigint(w, deal_weight));
    VENUS_TRY_VOID(write_bigint(w, verified_deal_weight));
    VENUS_TRY_VOID(write_bigint(w, initial_pledge));
    VENUS_TRY_VOID(write_opt_big(w, expected_day_reward));
    VENUS_TRY_VOID(write_opt_big(w, expected_storage_pledge));
    w.write_int(power_base_epoch);
    VENUS_TRY_VOID(write_opt_big(w, replaced_day_reward));
    VENUS_TRY_VOID(write_opt_cid(w, sector_key_cid));
    w.write_uint(flags);
    if (daily_fee) VENUS_TRY_VOID(write_bigint(w, *daily_fee));
    return {};
}
Result<SectorOnChainInfo> SectorOnChainInfo::decode(CborReader& r) {
    VENUS_TRY(auto n, r.read_array_header());
    if (n != 15 && n != 16) return r.error_at("SectorOnChainInfo: expected 15 or 16 fields");
    SectorOnChainInfo s;
    VENUS_TRY(s.sector_number, r.read_uint());
    VENUS_TRY(s.seal_proof, read_i64(r));
    VENUS_TRY(s.sealed_cid, r.read_cid());
    VENUS_TRY(auto deals, r.read_array_header());
    if (deals > chain::kMaxArrayLen) return r.error_at("too many deal ids");
    for (std::uint64_t i = 0; i < deals; ++i) {
        VENUS_TRY(auto d, r.read_uint());
        s.deprecated_deal_ids.push_back(d);
    }
    VENUS_TRY(s.activation, read_i64(r));
    VENUS_TRY(s.expiration, read_i64(r));
    VENUS_TRY(s.deal_weight, read_bigint(r));
    VENUS_TRY(s.verified_deal_weight, read_bigint(r));
    VENUS_TRY(s.initial_pledge, read_bigint(r));
    VENUS_TRY(s.expected_day_reward, read_opt_big(r));
    VENUS_TRY(s.expected_storage_pledge, read_opt_big(r));
    VENUS_TRY(s.power_base_epoch, read_i64(r));
    VENUS_TRY(s.replaced_day_reward, read_opt_big(r));
    VENUS_TRY(s.sector_key_cid, read_opt_cid(r));
    VENUS_TRY(s.flags, r.read_uint());
    if (n == 16) {
        VENUS_TRY(auto fee, read_bigint(r));
        s.daily_fee = fee;
    }
    return s;
}

Status Deadline::encode(CborWriter& w) const {
    w.write_array_header(13);
    VENUS_TRY_VOID(chain::write_cid_field(w, partitions));
    VENUS_TRY_VOID(chain::write_cid_field(w, expirations_epochs));
    w.write_bytes(partitions_posted);
    w.write_bytes(early_terminations);
    w.write_uint(live_sectors);
    w.write_uint(total_sectors);
    VENUS_TRY_VOID(write_pair(w, faulty_power));
    VENUS_TRY_VOID(chain::write_cid_field(w, optimistic_post_submissions));
    VENUS_TRY_VOID(chain::write_cid_field(w, sectors_snapshot));
    VENUS_TRY_VOID(chain::write_cid_field(w, partitions_snapshot));
    VENUS_TRY_VOID(chain::write_cid_field(w, optimistic_post_submissions_snapshot));
    VENUS_TRY_VOID(write_pair(w, live_power));
    return write_bigint(w, daily_fee);
}
Result<Deadline> Deadline::decode(CborReader& r) {
    VENUS_TRY_VOID(r.read_array_header(13));
    Deadline d;
    VENUS_TRY(d.partitions, r.read_cid());
    VENUS_TRY(d.expirations_epochs, r.read_cid());
    VENUS_TRY(d.partitions_posted, read_byte_vec(r));
    VENUS_TRY(d.early_terminations, read_byte_vec(r));
    VENUS_TRY(d.live_sectors, r.read_uint());
    VENUS_TRY(d.total_sectors, r.read_uint());
    VENUS_TRY(d.faulty_power, read_pair(r));
    VENUS_TRY(d.optimistic_post_submissions, r.read_cid());
    VENUS_TRY(d.sectors_snapshot, r.read_cid());
    VENUS_TRY(d.partitions_snapshot, r.read_cid());
    VENUS_TRY(d.optimistic_post_submissions_snapshot, r.read_cid());
    VENUS_TRY(d.live_power, read_pair(r));
    VENUS_TRY(d.daily_fee, read_bigint(r));
    return d;
}

Status Deadlines::encode(CborWriter& w) const {
    w.write_array_header(1);
    w.write_array_header(due.size());
    for (const auto& c : due) VENUS_TRY_VOID(chain::write_cid_field(w, c));
    return {};
}
Result<Deadlines> Deadlines::decode(CborReader& r) {
    VENUS_TRY_VOID(r.read_array_header(1));
    VENUS_TRY_VOID(r.read_array_header(kCount));
    Deadlines d;
    for (std::size_t i = 0; i < kCount; ++i) {
        VENUS_TRY(auto c, r.read_cid());
        d.due.push_back(std::move(c));
    }
    return d;
}

Status MinerState::encode(CborWriter& w) const {
    w.write_array_header(15);
    VENUS_TRY_VOID(chain::write_cid_field(w, info));
    VENUS_TRY_VOID(write_bigint(w, pre_commit_deposits));
    VENUS_TRY_VOID(write_bigint(w, locked_funds));
    VENUS_TRY_VOID(write_opt_cid(w, vesting_funds));
    VENUS_TRY_VOID(write_bigint(w, fee_debt));
    VENUS_TRY_VOID(write_bigint(w, initial_pledge));
    VENUS_TRY_VOID(chain::write_cid_field(w, pre_committed_sectors));
    VENUS_TRY_VOID(chain::write_cid_field(w, pre_committed_sectors_clean_up));
    VENUS_TRY_VOID(chain::write_cid_field(w, allocated_sectors));
    VENUS_TRY_VOID(chain::write_cid_field(w, sectors));
    w.write_int(proving_period_start);
    w.write_uint(current_deadline);
    VENUS_TRY_VOID(chain::write_cid_field(w, deadlines));
    w.write_bytes(early_terminations);
    w.write_bool(deadline_cron_active);
    return {};
}
Result<MinerState> MinerState::decode(CborReader& r) {
    VENUS_TRY_VOID(r.read_array_header(15));
    MinerState s;
    VENUS_TRY(s.info, r.read_cid());
    VENUS_TRY(s.pre_commit_deposits, read_bigint(r));
    VENUS_TRY(s.locked_funds, read_bigint(r));
    VENUS_TRY(s.vesting_funds, read_opt_cid(r));
    VENUS_TRY(s.fee_debt, read_bigint(r));
    VENUS_TRY(s.initial_pledge, read_bigint(r));
    VENUS_TRY(s.pre_committed_sectors, r.read_cid());
    VENUS_TRY(s.pre_committed_sectors_clean_up, r.read_cid());
    VENUS_TRY(s.allocated_sectors, r.read_cid());
    VENUS_TRY(s.sectors, r.read_cid());
    VENUS_TRY(s.proving_period_start, read_i64(r));
    VENUS_TRY(s.current_deadline, r.read_uint());
    VENUS_TRY(s.deadlines, r.read_cid());
    VENUS_TRY(s.early_terminations, read_byte_vec(r));
    VENUS_TRY(s.deadline_cron_active, r.read_bool());
    return s;
}

// ---- multisig -----------------------------------------------------------------------------------
Status MultisigState::encode(CborWriter& w) const {
    w.write_array_header(7);
    VENUS_TRY_VOID(write_addresses(w, signers));
    w.write_uint(num_approvals_threshold);
    w.write_int(next_txn_id);
    VENUS_TRY_VOID(write_bigint(w, initial_balance));
    w.write_int(start_epoch);
    w.write_int(unlock_duration);
    return chain::write_cid_field(w, pending_txns);
}
Result<MultisigState> MultisigState::decode(CborReader& r) {
    VENUS_TRY_VOID(r.read_array_header(7));
    MultisigState s;
    VENUS_TRY(s.signers, read_addresses(r));
    VENUS_TRY(s.num_approvals_threshold, r.read_uint());
    VENUS_TRY(s.next_txn_id, read_i64(r));
    VENUS_TRY(s.initial_balance, read_bigint(r));
    VENUS_TRY(s.start_epoch, read_i64(r));
    VENUS_TRY(s.unlock_duration, read_i64(r));
    VENUS_TRY(s.pending_txns, r.read_cid());
    return s;
}

Status MultisigTransaction::encode(CborWriter& w) const {
    w.write_array_header(5);
    VENUS_TRY_VOID(write_address(w, to));
    VENUS_TRY_VOID(write_bigint(w, value));
    w.write_uint(method);
    w.write_bytes(params);
    return write_addresses(w, approved);
}
Result<MultisigTransaction> MultisigTransaction::decode(CborReader& r) {
    VENUS_TRY_VOID(r.read_array_header(5));
    MultisigTransaction t;
    VENUS_TRY(t.to, read_address(r));
    VENUS_TRY(t.value, read_bigint(r));
    VENUS_TRY(t.method, r.read_uint());
    VENUS_TRY(t.params, read_byte_vec(r));
    VENUS_TRY(t.approved, read_addresses(r));
    return t;
}

// ---- RLE+ bitfields (go-bitfield rlepluslazy) ---------------------------------------------------
namespace {
class BitWriter {
  public:
    void put(std::uint64_t value, unsigned bits) {
        for (unsigned i = 0; i < bits; ++i) {
            if (n_ % 8 == 0) out_.push_back(0);
            if ((value >> i) & 1u) out_.back() = static_cast<std::uint8_t>(out_.back() | (1u << (n_ % 8)));
            ++n_;
        }
    }
    Bytes take() {
        while (!out_.empty() && out_.back() == 0) out_.pop_back();
        return std::move(out_);
    }

  private:
    Bytes out_;
    std::size_t n_ = 0;
};
}  // namespace

Bytes rle_plus_encode(const std::vector<std::uint64_t>& sorted_bits) {
    if (sorted_bits.empty()) return {};
    // Runs alternate starting with the value of bit 0; the trailing run of zeros is implicit.
    std::vector<std::pair<bool, std::uint64_t>> runs;
    std::uint64_t next = 0;
    for (std::size_t i = 0; i < sorted_bits.size();) {
        std::uint64_t start = sorted_bits[i];
        std::size_t j = i;
        while (j + 1 < sorted_bits.size() && sorted_bits[j + 1] == sorted_bits[j] + 1) ++j;
        if (start > next) runs.emplace_back(false, start - next);
        runs.emplace_back(true, sorted_bits[j] - start + 1);
        next = sorted_bits[j] + 1;
        i = j + 1;
    }
    BitWriter w;
    w.put(0, 2);  // version
    w.put(runs.front().first ? 1 : 0, 1);
    for (const auto& [value, len] : runs) {
        (void)value;
        if (len == 1) {
            w.put(1, 1);
        } else if (len < 16) {
            w.put(2, 2);
            w.put(len, 4);
        } else {
            w.put(0, 2);
            std::uint64_t v = len;
            while (v >= 0x80) {
                w.put((v & 0x7f) | 0x80, 8);
                v >>= 7;
            }
            w.put(v, 8);
        }
    }
    return w.take();
}

Result<std::vector<std::uint64_t>> rle_plus_decode(BytesView data, std::uint64_t max_bits) {
    std::vector<std::uint64_t> out;
    if (data.empty()) return out;
    std::size_t pos = 0;
    const std::size_t total = data.size() * 8;
    // Bits past the end read as zero: the encoder drops trailing zero bytes (go-bitfield does too).
    auto bit = [&]() -> int {
        if (pos >= total) return 0;
        int b = (data[pos / 8] >> (pos % 8)) & 1;
        ++pos;
        return b;
    };
    auto bits = [&](unsigned n) -> std::int64_t {
        std::uint64_t v = 0;
        for (unsigned i = 0; i < n; ++i) {
            int b = bit();
            if (b < 0) return -1;
            v |= static_cast<std::uint64_t>(b) << i;
        }
        return static_cast<std::int64_t>(v);
    };
    if (bits(2) != 0) return make_error(Errc::kInvalidArgument, "rle+: bad version");
    int first = bit();
    if (first < 0) return make_error(Errc::kInvalidArgument, "rle+: truncated");
    bool value = first == 1;
    std::uint64_t index = 0;
    while (true) {
        // Stop at the zero padding of the last byte.
        bool rest_zero = true;
        for (std::size_t p = pos; p < total; ++p) {
            if ((data[p / 8] >> (p % 8)) & 1) {
                rest_zero = false;
                break;
            }
        }
        if (rest_zero) break;
        std::uint64_t len = 0;
        int b = bit();
        if (b == 1) {
            len = 1;
        } else if (bit() == 1) {
            auto v = bits(4);
            if (v < 0) return make_error(Errc::kInvalidArgument, "rle+: truncated");
            len = static_cast<std::uint64_t>(v);
        } else {
            for (unsigned shift = 0;; shift += 7) {
                auto byte = bits(8);
                if (byte < 0 || shift > 63) return make_error(Errc::kInvalidArgument, "rle+: bad varint");
                len |= (static_cast<std::uint64_t>(byte) & 0x7f) << shift;
                if ((byte & 0x80) == 0) break;
            }
        }
        if (len == 0 || index + len > max_bits) return make_error(Errc::kOutOfRange, "rle+: run out of range");
        if (value) {
            for (std::uint64_t i = 0; i < len; ++i) out.push_back(index + i);
        }
        index += len;
        value = !value;
    }
    return out;
}

Bytes int_key(std::int64_t v) {
    auto u = static_cast<std::uint64_t>(v) << 1;
    if (v < 0) u = ~u;
    Bytes out;
    while (u >= 0x80) {
        out.push_back(static_cast<std::uint8_t>(u | 0x80));
        u >>= 7;
    }
    out.push_back(static_cast<std::uint8_t>(u));
    return out;
}

}  // namespace venus::plugins::node
