// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "mining.hpp"

#include <fmt/format.h>

#include <future>
#include <random>

#include "consensus/election.hpp"
#include "consensus/randomness.hpp"
#include "venus/chain/json.hpp"
#include "venus/codec/cbor.hpp"
#include "venus/core/log.hpp"

namespace venus::plugins::miner {

namespace {

std::uint64_t now_ms() {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count());
}

auto logger() { return log::get("miner"); }

constexpr std::size_t kMaxErrors = 20;

// Waits for a gateway callback, at most `timeout`, and not past a stop.
template <typename T, typename Stopping>
Result<T> await(std::future<Result<T>>& f, std::chrono::milliseconds timeout, std::string_view what,
                Stopping stopping) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (f.wait_for(std::chrono::milliseconds(50)) != std::future_status::ready) {
        if (stopping()) return make_error(Errc::kCancelled, "{}: the miner is stopping", what);
        if (std::chrono::steady_clock::now() >= deadline) {
            return make_error(Errc::kTimeout, "{}: no answer within {} ms", what, timeout.count());
        }
    }
    return f.get();
}

}  // namespace

Bytes encode_draw_random_params(BytesView rbase, std::int64_t pers, std::int64_t round, BytesView entropy) {
    Bytes out;
    codec::CborWriter w(out);
    w.write_map_header(4);
    w.write_text("Rbase");
    w.write_bytes(rbase);
    w.write_text("Pers");
    w.write_int(pers);
    w.write_text("Round");
    w.write_int(round);
    w.write_text("Entropy");
    w.write_bytes(entropy);
    return out;
}

Mining::Mining(NodeLink node, std::shared_ptr<api::Gateway> gateway, std::shared_ptr<api::Auth> auth,
               MinerStore& store, Settings settings, std::optional<std::uint64_t> network_propagation_secs)
    : node_(std::move(node)),
      gateway_(std::move(gateway)),
      auth_(std::move(auth)),
      store_(store),
      settings_(std::move(settings)),
      network_propagation_secs_(network_propagation_secs) {}

Status Mining::ensure_params() {
    {
        std::lock_guard lock(mu_);
        if (have_params_) return {};
    }
    VENUS_TRY(auto p, node_.params());
    std::uint64_t prop = 0;
    if (settings_.propagation_delay_secs >= 0) {
        prop = static_cast<std::uint64_t>(settings_.propagation_delay_secs);
    } else if (network_propagation_secs_) {
        prop = *network_propagation_secs_;
    } else {
        // sophon-miner init: 12 s on a 30 s chain, 1 s on 4 s, half the block delay otherwise.
        prop = p.block_delay_secs == 30 ? 12 : p.block_delay_secs == 4 ? 1 : p.block_delay_secs / 2;
    }
    std::lock_guard lock(mu_);
    params_ = p;
    propagation_delay_secs_ = prop;
    have_params_ = true;
    return {};
}

Mining::~Mining() { join(); }

void Mining::join() noexcept {
    stop();
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

// ---- the miner list ----------------------------------------------------------------------------

Result<std::vector<MinerEntry>> Mining::update(std::int64_t skip, std::int64_t limit) {
    VENUS_TRY(auto users, auth_->list_users_with_miners(skip, limit, api::UserState::kUndefined));
    std::map<std::string, MinerEntry> next;
    for (const auto& u : users) {
        // sophon-miner mines only for enabled users.
        if (u.user.state != api::UserState::kEnabled) continue;
        for (const auto& m : u.miners) {
            auto addr = chain::Address::parse(m.miner);
            if (!addr) {
                logger()->warn("auth lists miner '{}' of user {}: {}", m.miner, u.user.name, addr.error().message);
                continue;
            }
            next[addr->to_string()] = MinerEntry{*addr, u.user.id, u.user.name, m.open_mining};
        }
    }
    std::lock_guard lock(mu_);
    miners_ = std::move(next);
    std::vector<MinerEntry> open;
    for (const auto& [k, m] : miners_) {
        if (m.open_mining) open.push_back(m);
    }
    return open;
}

std::vector<MinerEntry> Mining::list() const {
    std::lock_guard lock(mu_);
    std::vector<MinerEntry> out;
    for (const auto& [k, m] : miners_) out.push_back(m);
    return out;
}

std::vector<MinerEntry> Mining::open_miners() const {
    std::lock_guard lock(mu_);
    std::vector<MinerEntry> out;
    for (const auto& [k, m] : miners_) {
        if (m.open_mining) out.push_back(m);
    }
    return out;
}

std::vector<MinerState> Mining::states(const std::vector<chain::Address>& addrs) const {
    std::lock_guard lock(mu_);
    std::vector<MinerState> out;
    auto one = [&](const chain::Address& a) {
        MinerState s{a, false, {}};
        const auto key = a.to_string();
        if (auto it = miners_.find(key); it != miners_.end()) s.is_mining = it->second.open_mining;
        if (auto it = errors_.find(key); it != errors_.end()) s.errors.assign(it->second.begin(), it->second.end());
        out.push_back(std::move(s));
    };
    if (addrs.empty()) {
        for (const auto& [k, m] : miners_) one(m.addr);
    } else {
        for (const auto& a : addrs) one(a);
    }
    return out;
}

Status Mining::set_open(const std::vector<chain::Address>& addrs, bool open) {
    for (const auto& a : addrs) {
        MinerEntry entry;
        {
            std::lock_guard lock(mu_);
            auto it = miners_.find(a.to_string());
            if (it == miners_.end()) {
                return make_error(Errc::kNotFound, "miner {} not found (is it bound to a user in auth?)", a.to_string());
            }
            entry = it->second;
        }
        VENUS_TRY_VOID(auth_->upsert_miner(entry.name, a.to_string(), open));
        std::lock_guard lock(mu_);
        if (auto it = miners_.find(a.to_string()); it != miners_.end()) it->second.open_mining = open;
    }
    return {};
}

void Mining::note_error(const chain::Address& miner, const std::string& what) {
    logger()->warn("miner {}: {}", miner.to_string(), what);
    std::lock_guard lock(mu_);
    auto& q = errors_[miner.to_string()];
    q.push_back(what);
    while (q.size() > kMaxErrors) q.pop_front();
}

// ---- signing and proofs through the gateway -------------------------------------------------------

Result<chain::Signature> Mining::sign(const MinerEntry& miner, const chain::Address& signer, Bytes to_sign,
                                      api::SignMeta meta) {
    auto p = std::make_shared<std::promise<Result<chain::Signature>>>();
    auto f = p->get_future();
    gateway_->wallet_sign({miner.name}, signer, std::move(to_sign), std::move(meta),
                          [p](Result<chain::Signature> r) { p->set_value(std::move(r)); });
    return await(f, settings_.miner_once_timeout, "WalletSign", [this] { return stopping(); });
}

Result<Bytes> Mining::vrf(const MinerEntry& miner, const chain::Address& worker, const chain::BeaconEntry& rbase,
                          std::int64_t pers, chain::ChainEpoch round, Bytes entropy) {
    if (worker.protocol() != chain::Protocol::kBls) {
        return make_error(Errc::kInvalidArgument, "worker {} is not a BLS key: no VRF", worker.to_string());
    }
    const auto to_sign = encode_draw_random_params(rbase.data, pers, round, entropy);
    VENUS_TRY(auto sig, sign(miner, worker, to_sign, api::SignMeta{std::string(api::kMetaDrawRandomParam), {}}));
    if (sig.type != crypto::SigType::kBls) return make_error(Errc::kInvalidArgument, "VRF signature is not BLS");
    // A wallet that signed anything but this randomness would make the block invalid: check here.
    const auto randomness = consensus::draw_randomness_from_base(rbase.data, pers, round, entropy);
    VENUS_TRY_VOID(consensus::verify_vrf(worker, BytesView(randomness.data(), randomness.size()), sig.data));
    return sig.data;
}

// ---- the election ----------------------------------------------------------------------------------

Result<std::optional<Mining::Won>> Mining::mine_one(const MinerEntry& miner, const chain::TipSet& base,
                                                    chain::ChainEpoch round) {
    VENUS_TRY(auto bi, node_.base_info(miner.addr, round, base.key()));
    if (!bi || !bi->eligible) return std::optional<Won>{};
    const Bytes entropy = consensus::miner_entropy(miner.addr);
    Bytes ticket_entropy = entropy;
    if (round > params_.upgrade_smoke_height && base.blocks().front().ticket) {
        const auto& min_ticket = base.blocks().front().ticket->vrf_proof;
        ticket_entropy.insert(ticket_entropy.end(), min_ticket.begin(), min_ticket.end());
    }
    VENUS_TRY(auto ticket, vrf(miner, bi->worker_key, bi->rbase,
                               static_cast<std::int64_t>(consensus::DomainTag::kTicketProduction),
                               round - params_.ticket_randomness_lookback, ticket_entropy));
    VENUS_TRY(auto eproof, vrf(miner, bi->worker_key, bi->rbase,
                               static_cast<std::int64_t>(consensus::DomainTag::kElectionProofProduction), round,
                               entropy));
    const auto wins = consensus::compute_win_count(eproof, bi->miner_power, bi->network_power,
                                                   params_.blocks_per_epoch, params_.max_win_count());
    if (wins < 1) return std::optional<Won>{};
    counters_.round_winners++;
    VENUS_TRY_VOID(store_.record_stage(miner.addr, round, base.height(), base.key(), MineState::kMining));

    const auto seed = consensus::winning_post_randomness(bi->rbase.data, miner.addr, round);
    auto p = std::make_shared<std::promise<Result<rpc::RawJson>>>();
    auto f = p->get_future();
    gateway_->compute_proof(miner.addr, rpc::RawJson{bi->sectors_json}, Bytes(seed.begin(), seed.end()), round,
                            params_.network_version, [p](Result<rpc::RawJson> r) { p->set_value(std::move(r)); });
    VENUS_TRY(auto proof, await(f, settings_.miner_once_timeout, "ComputeProof", [this] { return stopping(); }));

    Won won;
    won.miner = miner;
    won.ticket = chain::Ticket{std::move(ticket)};
    won.eproof = chain::ElectionProof{wins, std::move(eproof)};
    won.beacon_values_json = bi->beacon_entries_json;
    won.winning_post_json = proof.text;
    won.worker = bi->worker_key;
    return std::optional<Won>(std::move(won));
}

Result<std::int64_t> Mining::win_count(const MinerEntry& miner, const chain::TipSet& base, chain::ChainEpoch round) {
    VENUS_TRY_VOID(ensure_params());
    VENUS_TRY(auto bi, node_.base_info(miner.addr, round, base.key()));
    if (!bi) {
        return make_error(Errc::kNotFound, "can't find base info on chain, addr {} should have some problem",
                          miner.addr.to_string());
    }
    if (!bi->eligible) return make_error(Errc::kInvalidArgument, "miner {} is not eligible", miner.addr.to_string());
    VENUS_TRY(auto eproof, vrf(miner, bi->worker_key, bi->rbase,
                               static_cast<std::int64_t>(consensus::DomainTag::kElectionProofProduction), round,
                               consensus::miner_entropy(miner.addr)));
    return consensus::compute_win_count(eproof, bi->miner_power, bi->network_power, params_.blocks_per_epoch,
                                        params_.max_win_count());
}

Result<std::chrono::milliseconds> Mining::warmup(const chain::Address& addr) {
    VENUS_TRY_VOID(ensure_params());
    std::optional<MinerEntry> entry;
    {
        std::lock_guard lock(mu_);
        if (auto it = miners_.find(addr.to_string()); it != miners_.end()) entry = it->second;
    }
    if (!entry) return make_error(Errc::kNotFound, "miner {} not found (is it bound to a user in auth?)", addr.to_string());
    VENUS_TRY(auto head, node_.chain_head());
    VENUS_TRY(auto bi, node_.base_info(addr, head.height() + 1, head.key()));
    if (!bi) return make_error(Errc::kNotFound, "miner {} has no base info: no power or no sectors", addr.to_string());
    rpc::JsonDocument sectors;
    VENUS_TRY_VOID(rpc::parse_json(bi->sectors_json, sectors));
    if (!sectors.IsArray() || sectors.Empty()) {
        return make_error(Errc::kNotFound, "miner {} has no sector to prove", addr.to_string());
    }
    const auto first = "[" + rpc::to_json_text(sectors[0]) + "]";
    Bytes rand(32);
    std::random_device rd;
    for (auto& b : rand) b = static_cast<std::uint8_t>(rd());
    const auto started = std::chrono::steady_clock::now();
    auto p = std::make_shared<std::promise<Result<rpc::RawJson>>>();
    auto f = p->get_future();
    gateway_->compute_proof(addr, rpc::RawJson{first}, std::move(rand), head.height() + 1, params_.network_version,
                            [p](Result<rpc::RawJson> r) { p->set_value(std::move(r)); });
    VENUS_TRY_VOID(await(f, settings_.miner_once_timeout, "ComputeProof", [this] { return stopping(); }));
    const auto took =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    logger()->info("miner {}: winning PoSt warm-up took {} ms", addr.to_string(), took.count());
    return took;
}

// ---- the loop ----------------------------------------------------------------------------------------

void Mining::start() {
    std::lock_guard lock(mu_);
    if (thread_.joinable()) return;
    stopping_ = false;
    thread_ = std::thread([this] { run(); });
}

void Mining::stop() noexcept {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    cv_.notify_all();
}

bool Mining::stopping() const {
    std::lock_guard lock(mu_);
    return stopping_;
}

bool Mining::sleep_until(std::uint64_t unix_ms) {
    std::unique_lock lock(mu_);
    while (!stopping_) {
        const auto now = now_ms();
        if (now >= unix_ms) return true;
        cv_.wait_for(lock, std::chrono::milliseconds(std::min<std::uint64_t>(unix_ms - now, 1000)));
    }
    return false;
}

void Mining::run() {
    while (true) {
        auto s = ensure_params();
        if (s) break;
        logger()->warn("waiting for the node: {}", s.error().message);
        if (!sleep_until(now_ms() + 2000)) return;
    }
    logger()->info("mining loop started (block delay {} s, propagation delay {} s)", params_.block_delay_secs,
                   propagation_delay_secs_);
    std::uint64_t next_poll = 0;
    std::optional<Base> base;
    while (true) {
        {
            std::lock_guard lock(mu_);
            if (stopping_) break;
        }
        if (now_ms() >= next_poll) {
            if (auto r = update(); !r) logger()->warn("miner list from auth: {}", r.error().message);
            next_poll = now_ms() + static_cast<std::uint64_t>(settings_.miner_poll_interval.count());
        }
        const auto delay_ms = params_.block_delay_secs * 1000;
        if (open_miners().empty()) {
            if (!sleep_until(now_ms() + std::min<std::uint64_t>(delay_ms, 5000))) break;
            continue;
        }
        auto head = node_.chain_head();
        if (!head) {
            logger()->warn("ChainHead: {}", head.error().message);
            if (!sleep_until(now_ms() + delay_ms)) break;
            continue;
        }
        if (!base || !(head->key() == base->ts.key())) base = Base{*head, 0};
        // Late blocks of the base's epoch get the propagation delay to arrive.
        const auto base_ms = (base->ts.blocks().front().timestamp +
                              params_.block_delay_secs * static_cast<std::uint64_t>(base->nulls) +
                              propagation_delay_secs_) *
                             1000;
        if (!sleep_until(base_ms)) break;
        // The round's beacon first (sophon-miner's getLatestBase): a round is ready to mine only
        // once it exists, and the time spent waiting for it is not the miners' work.
        if (auto b = node_.beacon_entry(base->ts.height() + base->nulls + 1); !b) {
            logger()->warn("StateGetBeaconEntry({}): {}", base->ts.height() + base->nulls + 1, b.error().message);
            if (!sleep_until(now_ms() + delay_ms)) break;
            continue;
        }
        auto again = node_.chain_head();
        if (again && !(again->key() == base->ts.key())) continue;  // a better base arrived meanwhile
        const auto round_no = base->ts.height() + base->nulls + 1;
        if (last_round_ && last_round_->first == base->ts.key() && last_round_->second == round_no) {
            // Mined this round already and the chain has not moved: wait for it (sophon-miner).
            if (!sleep_until(now_ms() + delay_ms)) break;
            continue;
        }
        mine_round(*base);
    }
    logger()->info("mining loop stopped");
}

void Mining::mine_round(Base& base) {
    const auto round_no = base.ts.height() + base.nulls + 1;
    const auto started = now_ms();
    const auto miners = open_miners();
    std::vector<std::future<Result<std::optional<Won>>>> futures;
    futures.reserve(miners.size());
    for (const auto& m : miners) {
        futures.push_back(std::async(std::launch::async, [this, m, ts = base.ts, round_no] {
            return mine_one(m, ts, round_no);
        }));
    }
    std::vector<Won> winners;
    const auto deadline = std::chrono::steady_clock::now() + settings_.miner_once_timeout;
    for (std::size_t i = 0; i < futures.size(); ++i) {
        if (futures[i].wait_until(deadline) != std::future_status::ready) {
            counters_.timeouts++;
            note_error(miners[i].addr, fmt::format("round {}: timed out", round_no));
            (void)store_.record_stage(miners[i].addr, round_no, base.ts.height(), base.ts.key(), MineState::kTimeout,
                                      static_cast<std::int64_t>(now_ms() - started));
            continue;
        }
        auto r = futures[i].get();
        if (!r) {
            counters_.errors++;
            note_error(miners[i].addr, fmt::format("round {}: {}", round_no, r.error().message));
            (void)store_.record_stage(miners[i].addr, round_no, base.ts.height(), base.ts.key(), MineState::kError,
                                      static_cast<std::int64_t>(now_ms() - started));
            continue;
        }
        if (*r) winners.push_back(std::move(**r));
    }
    const auto elected_ms = now_ms() - started;
    counters_.last_election_ms = elected_ms;
    if (winners.empty()) {
        counters_.null_rounds++;
        base.nulls++;
        logger()->debug("round {}: {} open miners, nobody won (election {} ms)", round_no, miners.size(), elected_ms);
        return;
    }
    // A sibling of the base may have arrived while we worked: the blocks would fork (recorded).
    if (auto head = node_.chain_head(); head && head->height() == base.ts.height() && !(head->key() == base.ts.key())) {
        for (const auto& w : winners) {
            counters_.chain_forks++;
            (void)store_.record_stage(w.miner.addr, round_no, base.ts.height(), base.ts.key(), MineState::kChainForked);
        }
    }
    std::vector<double> qualities;
    for (const auto& w : winners) qualities.push_back(consensus::ticket_quality(w.ticket.vrf_proof));
    auto selected = node_.mpool_selects(base.ts.key(), qualities, settings_.mpool_select_timeout);
    if (!selected) {
        logger()->warn("MpoolSelects: {}; mining empty blocks", selected.error().message);
        selected = std::vector<std::string>(winners.size(), "[]");
    }
    bool published = false;
    timestamp_wait_ms_ = 0;
    const auto timestamp = base.ts.blocks().front().timestamp +
                           params_.block_delay_secs * static_cast<std::uint64_t>(base.nulls + 1);
    for (std::size_t i = 0; i < winners.size(); ++i) {
        auto& w = winners[i];
        BlockTemplate t;
        t.miner = w.miner.addr;
        t.parents = base.ts.key();
        t.ticket = w.ticket;
        t.eproof = w.eproof;
        t.beacon_values_json = w.beacon_values_json;
        t.messages_json = (*selected)[i];
        t.epoch = round_no;
        t.timestamp = timestamp;
        t.winning_post_json = w.winning_post_json;
        auto block = node_.create_block(t);
        if (!block) {
            counters_.errors++;
            note_error(w.miner.addr, fmt::format("round {}: MinerCreateBlock: {}", round_no, block.error().message));
            (void)store_.record_stage(w.miner.addr, round_no, base.ts.height(), base.ts.key(), MineState::kError);
            continue;
        }
        published = publish(w, std::move(*block), Base{base.ts, base.nulls}, started) || published;
    }
    // From the base being ready to the last block submitted, without the wait for the blocks'
    // timestamp (which only the block delay decides): what the benchmark reads.
    const auto work_ms = now_ms() - started - timestamp_wait_ms_;
    counters_.last_round_work_ms = work_ms;
    logger()->info("round {}: {} open miners, {} won; election {} ms, base ready to blocks submitted {} ms "
                   "(+{} ms waiting for the block timestamp)",
                   round_no, miners.size(), winners.size(), elected_ms, work_ms, timestamp_wait_ms_);
    if (published) {
        // This base and round are spent: a second block on them would be a fault the filter refuses.
        last_round_ = std::make_pair(base.ts.key(), round_no);
    } else {
        // Won, but no block got as far as the slash filter (node or wallet trouble): no block exists
        // for this round, so it is retried on the same base after a block delay rather than given up.
        (void)sleep_until(now_ms() + params_.block_delay_secs * 1000);
    }
}

bool Mining::publish(const Won& won, chain::BlockMsg block, const Base& base, std::uint64_t started_ms) {
    const auto& addr = won.miner.addr;
    const auto round_no = block.header.height;
    auto fail = [&](const std::string& what) {
        counters_.errors++;
        note_error(addr, fmt::format("round {}: {}", round_no, what));
        (void)store_.record_stage(addr, round_no, base.ts.height(), base.ts.key(), MineState::kError,
                                  static_cast<std::int64_t>(now_ms() - started_ms));
    };
    if (!block.header.block_sig) {
        auto bytes = block.header.signing_bytes();
        if (!bytes) {
            fail(bytes.error().message);
            return false;
        }
        auto sig = sign(won.miner, won.worker, std::move(*bytes), api::SignMeta{std::string(api::kMetaBlock), {}});
        if (!sig) {
            fail("signing the block: " + sig.error().message);
            return false;
        }
        block.header.block_sig = std::move(*sig);
    }
    // A block published before its timestamp is refused by every node as from the future.
    const auto wait_from = now_ms();
    if (!sleep_until(block.header.timestamp * 1000)) return false;
    timestamp_wait_ms_ += now_ms() - wait_from;
    if (now_ms() > (block.header.timestamp + propagation_delay_secs_) * 1000) {
        logger()->warn("miner {}: mined block in the past (round {})", addr.to_string(), round_no);
    }
    // Another instance sharing the slash-filter database published this miner's block at this height
    // already (sophon-miner's HasBlock): skip. Two different blocks racing here are refused below.
    if (auto had = store_.has_block(addr, round_no); had && *had) {
        logger()->info("miner {}: a block at height {} is already published (another instance): skipped",
                       addr.to_string(), round_no);
        return true;
    }
    auto check = store_.check_and_record(block.header, base.ts.height());
    if (!check) {
        fail("slash filter: " + check.error().message);
        return false;
    }
    if (check->faulty()) {
        fail(check->message);
        return true;
    }
    if (auto s = submit(block); !s) {
        fail("SyncSubmitBlock: " + s.error().message);
        return true;
    }
    counters_.blocks++;
    (void)store_.record_stage(addr, round_no, base.ts.height(), base.ts.key(), MineState::kSuccess,
                              static_cast<std::int64_t>(now_ms() - started_ms));
    const auto cid = block.header.cid();
    logger()->info("miner {} mined block {} at height {} (win count {}, {} bls + {} secp messages)", addr.to_string(),
                   cid ? cid->to_string() : std::string("?"), round_no, won.eproof.win_count,
                   block.bls_messages.size(), block.secpk_messages.size());
    return true;
}

Status Mining::submit(const chain::BlockMsg& block) {
    VENUS_TRY(auto by, submit_with_fallback(node_, submit_nodes_, block));
    if (by > 0) {
        logger()->warn("miner {}: block at {} was refused by the node; fallback node {} took it",
                       block.header.miner.to_string(), block.header.height, by);
    }
    return {};
}

}  // namespace venus::plugins::miner
