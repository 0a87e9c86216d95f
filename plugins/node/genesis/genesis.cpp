// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "node/genesis/genesis.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <map>

#include <openssl/rand.h>

#include "node/actors/actor_util.hpp"
#include "node/chain/execute.hpp"
#include "venus/chain/amt.hpp"
#include "venus/chain/hamt.hpp"
#include "venus/crypto/hash.hpp"

namespace venus::plugins::node {

namespace {

constexpr std::int64_t kWindowPoSt2KiBV1_1 = 10;  // RegisteredPoStProof StackedDrgWindow2KiBV1_1
constexpr std::int64_t kSeal2KiBV1_1 = 5;         // RegisteredSealProof StackedDrg2KiBV1_1
constexpr std::uint64_t kSectorSize = 2048;
constexpr std::uint64_t kCodecSealed = 0xf102;    // fil-commitment-sealed
constexpr std::uint64_t kHashPoseidon = 0xb401;   // poseidon-bls12_381-a2-fc1
constexpr ChainEpoch kSectorLifetime = 540 * 2880;

Result<Cid> put_state(chain::Blockstore& bs, const auto& st) { return store_cbor(bs, st); }

Status put_actor(StateTree& tree, std::uint64_t id, ActorType type, const Cid& head, const TokenAmount& balance) {
    chain::Actor a;
    a.code = actor_code(type);
    a.head = head;
    a.balance = balance;
    return tree.set_actor(id, a);
}

// A stand-in CommR for a pre-sealed sector: a valid sealed-commitment CID with a deterministic,
// Fr32-safe digest (mock proofs never open it).
Cid fake_comm_r(std::uint64_t miner, std::uint64_t sector) {
    Bytes seed(as_bytes(std::string_view("venusd-presealed-commr")).begin(),
               as_bytes(std::string_view("venusd-presealed-commr")).end());
    for (int i = 7; i >= 0; --i) seed.push_back(static_cast<std::uint8_t>(miner >> (8 * i)));
    for (int i = 7; i >= 0; --i) seed.push_back(static_cast<std::uint8_t>(sector >> (8 * i)));
    auto d = crypto::sha256(seed);
    d[31] &= 0x3f;
    return Cid::v1(kCodecSealed, kHashPoseidon, d);
}

}  // namespace

const chain::Cid& genesis_parent_cid() {
    static const Cid c = Cid::parse("bafyreiaqpwbbyjo4a42saasj36kkrpv4tsherf2e7bvezkert2a7dhonoi").value();
    return c;
}

Result<GenesisResult> build_genesis(chain::Blockstore& bs, const NetworkParams& net, const GenesisTemplate& tpl) {
    StateTree tree(bs);
    const TokenAmount zero;

    // The bundle manifest, so StateActorManifestCID / system state readers find it.
    VENUS_TRY(auto data_cid, chain::put_cbor(bs, manifest_data_cbor()));
    VENUS_TRY(auto manifest, chain::put_cbor(bs, manifest_cbor()));
    (void)manifest;
    VENUS_TRY(auto system_head, put_state(bs, SystemState{data_cid}));
    VENUS_TRY_VOID(put_actor(tree, id::kSystem, ActorType::kSystem, system_head, zero));

    // Accounts: template accounts first, then miner keys not already listed.
    std::map<Address, std::uint64_t> key_ids;
    std::vector<std::pair<Address, TokenAmount>> accounts;
    auto add_account = [&](const chain::KeyInfo& k, const TokenAmount& bal) -> Status {
        VENUS_TRY(auto addr, chain::key_address(k));
        if (key_ids.count(addr) != 0) {
            for (auto& a : accounts) {
                if (a.first == addr) a.second += bal;
            }
            return {};
        }
        key_ids[addr] = id::kFirstAccount + accounts.size();
        accounts.emplace_back(addr, bal);
        return {};
    };
    for (const auto& a : tpl.accounts) VENUS_TRY_VOID(add_account(a.key, a.balance));
    for (const auto& m : tpl.miners) {
        VENUS_TRY_VOID(add_account(m.owner, m.owner_balance));
        VENUS_TRY_VOID(add_account(m.worker, zero));
    }
    if (id::kFirstAccount + accounts.size() > id::kFirstNonSingleton) {
        return make_error(Errc::kInvalidArgument, "too many genesis accounts ({})", accounts.size());
    }

    chain::Hamt address_map(bs);
    for (const auto& [addr, id] : key_ids) {
        Bytes v;
        CborWriter w(v);
        w.write_uint(id);
        VENUS_TRY_VOID(address_map.set(addr.bytes(), v));
    }
    VENUS_TRY(auto map_root, address_map.flush());
    VENUS_TRY(auto init_head, put_state(bs, InitState{map_root, id::kFirstNonSingleton, net.name}));
    VENUS_TRY_VOID(put_actor(tree, id::kInit, ActorType::kInit, init_head, zero));

    RewardState reward;
    reward.this_epoch_reward = net.this_epoch_reward;
    reward.this_epoch_reward_smoothed = FilterEstimate{net.this_epoch_reward << 128, 0};
    reward.simple_total = BigInt(330'000'000) * chain::fil_precision();
    reward.baseline_total = BigInt(770'000'000) * chain::fil_precision();
    VENUS_TRY(auto reward_head, put_state(bs, reward));
    VENUS_TRY_VOID(put_actor(tree, id::kReward, ActorType::kReward, reward_head, net.initial_reward_balance));

    CronState cron;
    cron.entries.push_back(CronEntry{id_address(id::kPower), method::power::kCronTick});
    VENUS_TRY(auto cron_head, put_state(bs, cron));
    VENUS_TRY_VOID(put_actor(tree, id::kCron, ActorType::kCron, cron_head, zero));

    PowerState power;
    VENUS_TRY(power.claims, detail::empty_hamt(bs));
    VENUS_TRY(power.cron_event_queue, detail::empty_hamt(bs));
    VENUS_TRY(auto power_head, put_state(bs, power));
    VENUS_TRY_VOID(put_actor(tree, id::kPower, ActorType::kPower, power_head, zero));

    VENUS_TRY(auto burnt_head, put_state(bs, AccountState{id_address(id::kBurntFunds)}));
    VENUS_TRY_VOID(put_actor(tree, id::kBurntFunds, ActorType::kAccount, burnt_head, zero));

    MultisigState reserve;
    VENUS_TRY(reserve.pending_txns, detail::empty_hamt(bs));
    VENUS_TRY(auto reserve_head, put_state(bs, reserve));
    VENUS_TRY_VOID(put_actor(tree, id::kReserve, ActorType::kMultisig, reserve_head, net.reserve_balance));

    for (const auto& [addr, bal] : accounts) {
        VENUS_TRY(auto head, put_state(bs, AccountState{addr}));
        VENUS_TRY_VOID(put_actor(tree, key_ids[addr], ActorType::kAccount, head, bal));
    }

    // Miners go through the VM as Lotus does (power.CreateMiner from the owner), then get sectors.
    GenesisResult result;
    VmContext ctx;
    ctx.epoch = 0;
    ctx.timestamp = tpl.timestamp;
    ctx.network = &net;
    Vm vm(tree, ctx);
    for (const auto& m : tpl.miners) {
        VENUS_TRY(auto owner, chain::key_address(m.owner));
        VENUS_TRY(auto worker, chain::key_address(m.worker));
        Bytes params;
        CborWriter w(params);
        w.write_array_header(5);
        VENUS_TRY_VOID(chain::write_address(w, owner));
        VENUS_TRY_VOID(chain::write_address(w, worker));
        w.write_int(kWindowPoSt2KiBV1_1);
        w.write_bytes(m.peer_id);
        w.write_array_header(0);
        chain::Message msg;
        msg.from = id_address(key_ids[owner]);
        msg.to = id_address(id::kPower);
        msg.method = method::power::kCreateMiner;
        msg.params = params;
        VENUS_TRY(auto r, vm.apply_implicit(msg));
        if (r.receipt.exit_code != exit_code::kOk) {
            return make_error(Errc::kInvalidArgument, "genesis: creating miner for {} failed (exit {}): {}",
                              owner.to_string(), r.receipt.exit_code, r.error);
        }
        CborReader rr(r.receipt.return_value);
        VENUS_TRY_VOID(rr.read_array_header(2));
        VENUS_TRY(auto miner_addr, chain::read_address(rr));
        VENUS_TRY(auto miner_id, miner_addr.id());
        result.miner_ids.push_back(miner_addr);

        VENUS_TRY(auto miner_actor, tree.get_actor(miner_id));
        VENUS_TRY(auto mst, load_cbor<MinerState>(bs, miner_actor->head));
        std::vector<SectorOnChainInfo> sectors;
        for (std::uint64_t s = 0; s < m.sectors; ++s) {
            SectorOnChainInfo si;
            si.sector_number = s;
            si.seal_proof = kSeal2KiBV1_1;
            si.sealed_cid = fake_comm_r(miner_id, s);
            si.activation = 0;
            si.expiration = kSectorLifetime;
            si.expected_day_reward = BigInt(0);
            si.expected_storage_pledge = BigInt(0);
            si.replaced_day_reward = BigInt(0);
            si.flags = 1;  // SIMPLE_QA_POWER
            sectors.push_back(std::move(si));
        }
        VENUS_TRY_VOID(add_presealed_sectors(bs, mst, sectors));
        VENUS_TRY(miner_actor->head, put_state(bs, mst));
        VENUS_TRY_VOID(tree.set_actor(miner_id, *miner_actor));

        VENUS_TRY(auto power_actor, tree.get_actor(id::kPower));
        VENUS_TRY(auto pst, load_cbor<PowerState>(bs, power_actor->head));
        const BigInt bytes = BigInt::from_u64(m.sectors * kSectorSize);
        VENUS_TRY_VOID(add_to_claim(bs, pst, miner_addr, bytes, bytes, net.consensus_miner_min_power));
        VENUS_TRY(power_actor->head, put_state(bs, pst));
        VENUS_TRY_VOID(tree.set_actor(id::kPower, *power_actor));
    }
    {
        VENUS_TRY(auto power_actor, tree.get_actor(id::kPower));
        VENUS_TRY(auto pst, load_cbor<PowerState>(bs, power_actor->head));
        pst.this_epoch_raw_byte_power = pst.total_bytes_committed;
        pst.this_epoch_quality_adj_power = pst.total_qa_bytes_committed;
        pst.this_epoch_qa_power_smoothed = FilterEstimate{pst.total_qa_bytes_committed << 128, 0};
        VENUS_TRY(power_actor->head, put_state(bs, pst));
        VENUS_TRY_VOID(tree.set_actor(id::kPower, *power_actor));
    }
    VENUS_TRY(result.state_root, tree.flush());

    // The genesis block.
    chain::BlockHeader h;
    h.miner = id_address(id::kSystem);
    Bytes ticket = tpl.ticket;
    if (ticket.empty()) ticket.assign(32, 0);
    h.ticket = chain::Ticket{ticket};
    h.election_proof = chain::ElectionProof{0, {}};
    h.beacon_entries.push_back(chain::BeaconEntry{0, Bytes(32, 0)});
    h.parents.push_back(genesis_parent_cid());
    h.parent_weight = 0;
    h.height = 0;
    h.parent_state_root = result.state_root;
    VENUS_TRY(h.parent_message_receipts, receipts_root(bs, {}));
    VENUS_TRY(auto empty_msgs, chain::Amt::build(bs, {}, chain::Amt::Format::kLegacy));
    chain::MsgMeta meta{empty_msgs, empty_msgs};
    VENUS_TRY(auto meta_bytes, chain::encode_cbor(meta));
    VENUS_TRY(h.messages, chain::put_cbor(bs, meta_bytes));
    h.timestamp = tpl.timestamp;
    h.parent_base_fee = net.initial_base_fee;
    VENUS_TRY(auto header_bytes, chain::encode_cbor(h));
    VENUS_TRY(result.cid, chain::put_cbor(bs, header_bytes));
    result.header = std::move(h);
    return result;
}

Result<GenesisTemplate> make_devnet_template(std::size_t accounts, std::size_t miners, std::uint64_t sectors,
                                             std::uint64_t balance_fil, std::uint64_t timestamp) {
    GenesisTemplate t;
    t.timestamp = timestamp;
    t.ticket.resize(32);
    if (RAND_bytes(t.ticket.data(), 32) != 1) return make_error(Errc::kInternal, "no randomness for the genesis ticket");
    const TokenAmount balance = BigInt::from_u64(balance_fil) * chain::fil_precision();
    for (std::size_t i = 0; i < accounts; ++i) {
        VENUS_TRY(auto k, chain::generate_key(i % 2 == 0 ? chain::SigType::kSecp256k1 : chain::SigType::kBls));
        t.accounts.push_back(GenesisAccount{k, balance});
    }
    for (std::size_t i = 0; i < miners; ++i) {
        GenesisMiner m;
        VENUS_TRY(m.owner, chain::generate_key(chain::SigType::kBls));
        VENUS_TRY(m.worker, chain::generate_key(chain::SigType::kBls));
        m.sectors = sectors;
        m.owner_balance = balance;
        t.miners.push_back(std::move(m));
    }
    return t;
}

Status write_template_keys(const std::filesystem::path& dir, const GenesisTemplate& tpl) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return make_error(Errc::kIo, "creating {}: {}", dir.string(), ec.message());
    std::string index = "[";
    bool first = true;
    // `miner` (the miner's ID address) lets a wallet or miner find the miners without the chain.
    auto write_key = [&](const chain::KeyInfo& k, std::string_view role, std::string_view miner = {}) -> Status {
        VENUS_TRY(auto addr, chain::key_address(k));
        const auto path = dir / (addr.to_string() + ".key");
        if (!std::filesystem::exists(path)) {
            const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
            if (fd < 0) return make_error(Errc::kIo, "creating {}", path.string());
            const auto text = chain::key_info_json(k);
            const auto n = ::write(fd, text.data(), text.size());
            ::close(fd);
            if (n != static_cast<ssize_t>(text.size())) return make_error(Errc::kIo, "writing {}", path.string());
        }
        index += fmt::format("{}{{\"Address\":\"{}\",\"Role\":\"{}\"", first ? "" : ",", addr.to_string(), role);
        index += miner.empty() ? std::string("}") : fmt::format(",\"Miner\":\"{}\"}}", miner);
        first = false;
        return {};
    };
    for (const auto& a : tpl.accounts) VENUS_TRY_VOID(write_key(a.key, "account"));
    for (std::size_t i = 0; i < tpl.miners.size(); ++i) {
        // build_genesis gives the template's miners IDs 1000, 1001, … in order.
        VENUS_TRY(auto id, chain::Address::new_id(1000 + i));
        const auto miner = id.to_string();
        VENUS_TRY_VOID(write_key(tpl.miners[i].owner, fmt::format("miner {} owner", i), miner));
        VENUS_TRY_VOID(write_key(tpl.miners[i].worker, fmt::format("miner {} worker", i), miner));
    }
    index += "]\n";
    std::ofstream f(dir / "genesis-keys.json", std::ios::trunc);
    f << index;
    if (!f) return make_error(Errc::kIo, "writing {}", (dir / "genesis-keys.json").string());
    return {};
}

}  // namespace venus::plugins::node
