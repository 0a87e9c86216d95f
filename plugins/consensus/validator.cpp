// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "consensus/validator.hpp"

#include <map>

#include "consensus/election.hpp"
#include "consensus/randomness.hpp"
#include "venus/chain/keys.hpp"
#include "venus/core/log.hpp"
#include "venus/crypto/bls.hpp"

namespace venus::plugins::consensus {

namespace {

// The v16 devnet bundle's account actor (node-chain.md §2.8). Eth accounts and placeholders
// would also be senders at nv ≥ 18, but this devnet never creates them.
const chain::Cid& account_code() {
    static const chain::Cid c = chain::Cid::parse("bafk2bzacebl27l7f5dt35gfeukr7kzkenhwisdy53r3gmbagbzzfejfa3ci6a").value();
    return c;
}

// 2B FIL in attoFIL: the most a message may carry.
const chain::BigInt& total_filecoin() {
    static const chain::BigInt v = chain::BigInt::from_string("2000000000000000000000000000").value();
    return v;
}

// f3yaaa…: the BLS address of the point at infinity, an invalid `To` since nv7.
const chain::Address& zero_address() {
    static const chain::Address a = [] {
        Bytes raw(49, 0);
        raw[0] = 3;
        raw[1] = 0xc0;
        return chain::Address::from_bytes(raw).value();
    }();
    return a;
}

Error invalid(std::string msg) { return Error{make_error_code(Errc::kInvalidArgument), std::move(msg)}; }

// FeeDebt is the fifth field of the miner state tuple (go-state-types builtin/v16/miner State).
Result<chain::TokenAmount> miner_fee_debt(api::Node& node, const chain::Address& miner, const chain::TipSetKey& key) {
    VENUS_TRY(auto act, node.actor(miner, key));
    if (!act) return make_error(Errc::kNotFound, "miner {} not found", miner.to_string());
    VENUS_TRY(auto raw, node.read_obj(act->head));
    codec::CborReader r(raw);
    VENUS_TRY(auto n, r.read_array_header());
    if (n < 5) return make_error(Errc::kInvalidArgument, "miner state has {} fields", n);
    VENUS_TRY_VOID(r.read_cid());
    VENUS_TRY_VOID(chain::read_bigint(r));
    VENUS_TRY_VOID(chain::read_bigint(r));
    if (!r.try_read_null()) {
        VENUS_TRY_VOID(r.read_cid());
    }
    return chain::read_bigint(r);
}

}  // namespace

std::int64_t on_chain_message_gas(std::size_t chain_length) noexcept {
    return 38863 + 475000 + (36 + static_cast<std::int64_t>(chain_length)) * 1300;
}

Status valid_for_block_inclusion(const chain::Message& m, std::size_t chain_length, const ConsensusParams& p) {
    const std::int64_t min_gas = on_chain_message_gas(chain_length);
    if (m.version != 0) return invalid("'Version' unsupported");
    if (!m.to.defined()) return invalid("'To' address cannot be empty");
    if (m.to == zero_address()) return invalid("invalid 'To' address");
    if (!m.from.defined()) return invalid("'From' address cannot be empty");
    if (m.value.sign() < 0) return invalid("'Value' field cannot be negative");
    if (m.value > total_filecoin()) return invalid("'Value' field cannot be greater than total filecoin supply");
    if (m.gas_fee_cap.sign() < 0) return invalid("'GasFeeCap' field cannot be negative");
    if (m.gas_premium.sign() < 0) return invalid("'GasPremium' field cannot be negative");
    if (m.gas_premium > m.gas_fee_cap) return invalid("'GasFeeCap' less than 'GasPremium'");
    if (m.gas_limit > p.block_gas_limit) return invalid("'GasLimit' field cannot be greater than a block's gas limit");
    if (m.gas_limit <= 0) return invalid(fmt::format("'GasLimit' field {} must be positive", m.gas_limit));
    if (m.gas_limit < min_gas) {
        return invalid(fmt::format("'GasLimit' field cannot be less than the cost of storing a message on chain {} < {}",
                                   m.gas_limit, min_gas));
    }
    return {};
}

Result<Lookback> lookback_for_round(api::Node& node, const chain::TipSet& base, chain::ChainEpoch round,
                                    const ConsensusParams& p, const std::optional<chain::TipSetKey>& child) {
    const chain::ChainEpoch lbr = round > p.chain_finality ? round - p.chain_finality : 0;
    if (lbr >= base.height()) {
        // The lookback state is base's computed state: genesis keeps it as its own ParentStateRoot,
        // a child block carries it as its ParentStateRoot.
        if (base.height() == 0) return Lookback{base, base.key()};
        if (child) return Lookback{base, *child};
        return make_error(Errc::kUnsupported, "lookback round {} is at or above the base height {}", lbr, base.height());
    }
    VENUS_TRY(auto next, node.tipset_by_height(lbr + 1, base.key(), false));
    if (lbr > next.height()) {
        return make_error(Errc::kInternal, "failed to find non-null tipset {} ({}) which is known to exist, found {}",
                          lbr + 1, base.height(), next.height());
    }
    VENUS_TRY(auto lbts, node.tipset(next.parents()));
    return Lookback{std::move(lbts), next.key()};
}

Result<chain::Address> worker_key(api::Node& node, const chain::Address& miner, const chain::TipSetKey& state_key) {
    VENUS_TRY(auto info, node.miner_info(miner, state_key));
    return node.account_key(info.worker, state_key);
}

Result<bool> miner_eligible(api::Node& node, const chain::Address& miner, const chain::TipSet& base,
                            const chain::TipSet& lbts) {
    auto lb_power = node.miner_power(miner, lbts.key());
    if (!lb_power || !lb_power->has_min_power) return false;
    VENUS_TRY(auto power, node.miner_power(miner, base.key()));
    if (power.miner.quality_adj_power.sign() <= 0) return false;
    VENUS_TRY(auto debt, miner_fee_debt(node, miner, base.key()));
    if (!debt.is_zero()) return false;
    VENUS_TRY(auto info, node.miner_info(miner, base.key()));
    if (base.height() <= info.consensus_fault_elapsed) return false;
    return true;
}

Result<std::vector<api::SectorInfo>> winning_post_sectors(api::Node& node, const chain::Address& miner,
                                                          const chain::TipSetKey& state_key) {
    VENUS_TRY(auto all, node.miner_sectors(miner, state_key));
    if (all.empty()) return all;
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.sector_number < b.sector_number; });
    all.resize(1);
    return all;
}

BlockValidator::BlockValidator(api::Node& node, const Beacon& beacon, const ProofVerifier& proofs,
                               ConsensusParams params, Clock now)
    : node_(node), beacon_(beacon), proofs_(proofs), params_(std::move(params)), now_(std::move(now)) {
    if (!now_) now_ = unix_now;
}

Verdict BlockValidator::validate(const FullBlock& b) {
    Verdict v;
    const auto& h = b.header;
    auto fail = [&v](Failure f, std::string reason) -> Verdict& {
        v.failure = f;
        v.reason = std::move(reason);
        return v;
    };
    auto cid = h.cid();
    if (!cid) return fail(Failure::kInvalid, "block cannot be encoded: " + cid.error().message);
    v.cid = *cid;

    // ---- sanity ----
    if (!h.election_proof) return fail(Failure::kInvalid, "block cannot have nil election proof");
    if (!h.ticket) return fail(Failure::kInvalid, "block cannot have nil ticket");
    if (!h.block_sig) return fail(Failure::kInvalid, "block had nil signature");
    if (!h.bls_aggregate) return fail(Failure::kInvalid, "block had nil bls aggregate signature");
    if (h.miner.protocol() != chain::Protocol::kId) return fail(Failure::kInvalid, "block had non-ID miner address");
    const std::size_t count = b.bls_messages.size() + b.secp_messages.size();
    if (count > static_cast<std::size_t>(params_.block_message_limit)) {
        return fail(Failure::kInvalid, fmt::format("block {} has too many messages ({})", v.cid.to_string(), count));
    }

    // ---- parent, height, time ----
    if (h.parents.empty()) return fail(Failure::kInvalid, "block has no parents");
    auto parent = node_.tipset(chain::TipSetKey(h.parents));
    if (!parent) return fail(Failure::kMissingParent, "loading parent tipset: " + parent.error().message);
    const auto& base = *parent;
    if (h.height <= base.height()) {
        return fail(Failure::kInvalid,
                    fmt::format("block height not greater than parent height: {} != {}", h.height, base.height()));
    }
    std::uint64_t min_ts = base.blocks().front().timestamp;
    for (const auto& pb : base.blocks()) min_ts = std::min(min_ts, pb.timestamp);
    const std::uint64_t want_ts = min_ts + params_.block_delay_secs * static_cast<std::uint64_t>(h.height - base.height());
    if (h.timestamp != want_ts) {
        return fail(Failure::kInvalid, fmt::format("block has wrong timestamp: {} != {}", h.timestamp, want_ts));
    }
    const std::uint64_t now = now_();
    if (h.timestamp > now + params_.allowable_clock_drift_secs) {
        return fail(Failure::kTemporal, fmt::format("block was from the future (now={}, blk={}): temporal error", now,
                                                    h.timestamp));
    }

    // ---- message root (ValidateMsgMeta), then store the header to read its parent state ----
    auto meta = node_.put_messages(api::BlockContents{b.bls_messages, b.secp_messages});
    if (!meta) return fail(Failure::kInvalid, "storing block messages: " + meta.error().message);
    if (*meta != h.messages) return fail(Failure::kInvalid, "messages didn't match message root in header");

    // ---- parent execution, base fee, weight ----
    auto pinfo = node_.parent_info(base.key());
    if (!pinfo) return fail(Failure::kMissingParent, "computing parent state: " + pinfo.error().message);
    if (pinfo->state_root != h.parent_state_root) {
        return fail(Failure::kInvalid, fmt::format("parent state root did not match computed state ({} != {})",
                                                   h.parent_state_root.to_string(), pinfo->state_root.to_string()));
    }
    if (pinfo->receipts_root != h.parent_message_receipts) {
        return fail(Failure::kInvalid,
                    fmt::format("parent receipts root did not match computed value ({} != {})",
                                pinfo->receipts_root.to_string(), h.parent_message_receipts.to_string()));
    }
    if (pinfo->base_fee != h.parent_base_fee) {
        return fail(Failure::kInvalid, fmt::format("base fee doesn't match: {} (header) != {} (computed)",
                                                   h.parent_base_fee.to_string(), pinfo->base_fee.to_string()));
    }
    if (pinfo->weight != h.parent_weight) {
        return fail(Failure::kInvalid, fmt::format("parent weight different: {} (header) != {} (computed)",
                                                   h.parent_weight.to_string(), pinfo->weight.to_string()));
    }
    auto stored = node_.put_headers({h});
    if (!stored) return fail(Failure::kInvalid, "storing header: " + stored.error().message);
    const chain::TipSetKey block_key = stored->key();

    // ---- miner, lookback, worker ----
    // minerIsValid: a miner actor with a power claim in the base state.
    if (auto claim = node_.miner_power(h.miner, base.key()); !claim || !node_.miner_info(h.miner, base.key())) {
        return fail(Failure::kInvalid, "minerIsValid failed: miner " + h.miner.to_string() + " not found in power claims");
    }
    auto lb = lookback_for_round(node_, base, h.height, params_, block_key);
    if (!lb) return fail(Failure::kInvalid, "failed to get lookback tipset for block: " + lb.error().message);
    auto worker = worker_key(node_, h.miner, lb->state_key);
    if (!worker) return fail(Failure::kInvalid, "GetMinerWorkerRaw failed: " + worker.error().message);

    auto prev_beacon = latest_beacon_entry(node_, base);
    if (!prev_beacon) return fail(Failure::kInvalid, "failed to get latest beacon entry: " + prev_beacon.error().message);
    const chain::BeaconEntry& rbase = h.beacon_entries.empty() ? *prev_beacon : h.beacon_entries.back();

    // ---- beacon ----
    if (auto st = validate_beacon_values(beacon_, h.height, h.beacon_entries, *prev_beacon); !st) {
        return fail(Failure::kInvalid, "failed to validate blocks random beacon values: " + st.error().message);
    }

    // ---- election ----
    if (h.election_proof->win_count < 1) return fail(Failure::kInvalid, "block is not claiming to be a winner");
    auto eligible = miner_eligible(node_, h.miner, base, lb->lbts);
    if (!eligible) return fail(Failure::kInvalid, "determining if miner has min power failed: " + eligible.error().message);
    if (!*eligible) return fail(Failure::kInvalid, "block's miner is ineligible to mine");
    const auto erand = election_randomness(rbase.data, h.miner, h.height);
    if (auto st = verify_vrf(*worker, erand, h.election_proof->vrf_proof); !st) {
        return fail(Failure::kInvalid, "validating block election proof failed: " + st.error().message);
    }
    auto power = node_.miner_power(h.miner, lb->state_key);
    if (!power) return fail(Failure::kInvalid, "failed getting power: " + power.error().message);
    const auto wins = compute_win_count(h.election_proof->vrf_proof, power->miner.quality_adj_power,
                                        power->total.quality_adj_power, params_.blocks_per_epoch,
                                        params_.max_win_count());
    if (h.election_proof->win_count != wins) {
        return fail(Failure::kInvalid, fmt::format("miner claims wrong number of wins: miner: {}, computed: {}",
                                                   h.election_proof->win_count, wins));
    }

    // ---- block signature ----
    auto signing = h.signing_bytes();
    if (!signing) return fail(Failure::kInvalid, "check block signature failed: " + signing.error().message);
    auto sig_ok = chain::verify(*h.block_sig, *worker, *signing);
    if (!sig_ok || !*sig_ok) {
        return fail(Failure::kInvalid, "check block signature failed: " +
                                           (sig_ok ? std::string("signature did not match") : sig_ok.error().message));
    }

    // ---- ticket ----
    const auto& min_ticket = base.blocks().front().ticket;
    const auto trand = ticket_randomness(rbase.data, h.miner, h.height,
                                         min_ticket ? BytesView(min_ticket->vrf_proof) : BytesView{}, params_);
    if (auto st = verify_vrf(*worker, trand, h.ticket->vrf_proof); !st) {
        return fail(Failure::kInvalid, "validating block tickets failed: " + st.error().message);
    }

    // ---- winning PoSt ----
    {
        WinningPoStInput in;
        in.miner = h.miner;
        in.height = h.height;
        in.randomness = winning_post_randomness(rbase.data, h.miner, h.height);
        auto sectors = winning_post_sectors(node_, h.miner, lb->state_key);
        if (sectors) in.challenged = std::move(*sectors);
        if (auto st = proofs_.verify_winning_post(in, h.win_post_proof); !st) {
            return fail(Failure::kInvalid, "invalid election post: " + st.error().message);
        }
    }

    // ---- messages ----
    if (auto st = check_messages(b, block_key); !st) {
        return fail(Failure::kInvalid, "block had invalid messages: " + st.error().message);
    }
    v.tipset = std::move(*stored);
    return v;
}

Status BlockValidator::check_messages(const FullBlock& b, const chain::TipSetKey& block_key) {
    const auto& h = b.header;
    // BLS aggregate over the message CIDs with the senders' keys (resolved in the parent state).
    {
        std::vector<Bytes> cids;
        std::vector<Bytes> keys;
        for (const auto& m : b.bls_messages) {
            VENUS_TRY(auto c, m.cid());
            cids.emplace_back(c.bytes().begin(), c.bytes().end());
            auto k = node_.account_key(m.from, block_key);
            if (!k) return invalid("failed to load bls public key: " + k.error().message);
            if (k->protocol() != chain::Protocol::kBls) return invalid("failed to load bls public key: not a BLS account");
            keys.emplace_back(k->payload().begin(), k->payload().end());
        }
        if (!cids.empty()) {
            std::vector<BytesView> kv(keys.begin(), keys.end());
            std::vector<BytesView> mv(cids.begin(), cids.end());
            auto ok = crypto::bls::aggregate_verify(kv, mv, h.bls_aggregate->data);
            if (!ok || !*ok) return invalid("bls aggregate signature was invalid: bls aggregate signature failed to verify");
        }
    }

    std::map<chain::Address, std::uint64_t> nonces;
    std::int64_t gas_sum = 0;
    auto check_msg = [&](const chain::Message& m, std::size_t chain_length) -> Status {
        if (auto st = valid_for_block_inclusion(m, chain_length, params_); !st) {
            VENUS_TRY(auto c, m.cid());
            return invalid(fmt::format("msg {} invalid for block inclusion: {}", c.to_string(), st.error().message));
        }
        gas_sum += m.gas_limit;
        if (gas_sum > params_.block_gas_limit) return invalid("block gas limit exceeded");
        auto id = node_.lookup_id(m.from, block_key);
        if (!id || !*id) return invalid("failed to lookup sender " + m.from.to_string() + ": actor not found");
        auto it = nonces.find(**id);
        if (it == nonces.end()) {
            auto act = node_.actor(**id, block_key);
            if (!act || !*act) return invalid("failed to get actor: actor not found");
            if ((*act)->code != account_code()) return invalid("Sender must be an account actor");
            it = nonces.emplace(**id, (*act)->nonce).first;
        }
        if (it->second != m.nonce) return invalid(fmt::format("wrong nonce (exp: {}, got: {})", it->second, m.nonce));
        ++it->second;
        return {};
    };
    for (std::size_t i = 0; i < b.bls_messages.size(); ++i) {
        VENUS_TRY(auto bytes, chain::encode_cbor(b.bls_messages[i]));
        if (auto st = check_msg(b.bls_messages[i], bytes.size()); !st) {
            return invalid(fmt::format("block had invalid bls message at index {}: {}", i, st.error().message));
        }
    }
    for (std::size_t i = 0; i < b.secp_messages.size(); ++i) {
        const auto& sm = b.secp_messages[i];
        if (sm.signature.type != chain::SigType::kSecp256k1 && sm.signature.type != chain::SigType::kDelegated) {
            return invalid(fmt::format("block had invalid signed message at index {}: invalid signature type {}", i,
                                       static_cast<int>(sm.signature.type)));
        }
        VENUS_TRY(auto len, sm.chain_length());
        if (auto st = check_msg(sm.message, len); !st) {
            return invalid(fmt::format("block had invalid secpk message at index {}: {}", i, st.error().message));
        }
        auto kaddr = node_.account_key(sm.message.from, block_key);
        if (!kaddr) return invalid("failed to resolve key addr: " + kaddr.error().message);
        VENUS_TRY(auto c, sm.message.cid());
        auto ok = chain::verify(sm.signature, *kaddr, c.bytes());
        if (!ok || !*ok) {
            return invalid(fmt::format("failed to validate signature: message {} signature did not verify",
                                       c.to_string()));
        }
    }
    return {};
}

}  // namespace venus::plugins::consensus
