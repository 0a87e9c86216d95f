// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "node/node_service.hpp"

#include "node/actors/codes.hpp"
#include "node/actors/states.hpp"
#include "node/chain/chain_rules.hpp"
#include "node/genesis/genesis.hpp"
#include "node/state/state_tree.hpp"
#include "node/store/buffered_blockstore.hpp"
#include <algorithm>

#include "venus/chain/amt.hpp"
#include "venus/chain/hamt.hpp"

namespace venus::plugins::node {

namespace {

Result<std::vector<chain::Cid>> load_cid_amt(chain::Blockstore& bs, const chain::Cid& root) {
    VENUS_TRY(auto amt, chain::Amt::load(bs, root, chain::Amt::Format::kLegacy));
    std::vector<chain::Cid> out;
    VENUS_TRY_VOID(amt.for_each([&](std::uint64_t, BytesView v) -> Status {
        CborReader r(v);
        VENUS_TRY(auto c, r.read_cid());
        out.push_back(std::move(c));
        return {};
    }));
    return out;
}

Result<Cid> build_cid_amt(chain::Blockstore& bs, const std::vector<chain::Cid>& cids) {
    std::vector<Bytes> values;
    values.reserve(cids.size());
    for (const auto& c : cids) {
        Bytes v;
        CborWriter w(v);
        w.write_cid(c);
        values.push_back(std::move(v));
    }
    return chain::Amt::build(bs, values, chain::Amt::Format::kLegacy);
}

}  // namespace

NodeService::NodeService(NetworkParams net, ChainStore& store) : net_(std::move(net)), store_(store) {
    info_.name = net_.name;
    info_.network_version = net_.network_version;
    info_.block_delay_secs = net_.block_delay_secs;
    info_.propagation_delay_secs = net_.propagation_delay_secs;
    info_.blocks_per_epoch = net_.blocks_per_epoch;
    info_.chain_finality = net_.chain_finality;
    info_.pre_commit_challenge_delay = net_.pre_commit_challenge_delay;
    info_.upgrade_height = net_.upgrade_height;
    info_.eip155_chain_id = net_.eip155_chain_id;
    info_.block_gas_limit = net_.block_gas_limit;
    info_.block_message_limit = net_.block_message_limit;
    info_.consensus_miner_min_power = net_.consensus_miner_min_power;
    if (store_.has_genesis()) {
        if (auto g = store_.genesis()) info_.genesis_timestamp = g->blocks().front().timestamp;
    }
}

Status NodeService::ensure_genesis(const GenesisTemplate& tpl) {
    if (store_.has_genesis()) return {};
    BufferedBlockstore buffer(store_.blockstore());
    VENUS_TRY(auto gen, build_genesis(buffer, net_, tpl));
    VENUS_TRY_VOID(buffer.flush());
    VENUS_TRY(auto power, total_qa_power(store_.blockstore(), gen.state_root));
    VENUS_TRY(auto weight, compute_weight(0, power, 0, net_.blocks_per_epoch));
    VENUS_TRY_VOID(store_.init_genesis(gen.header, gen.cid, weight));
    info_.genesis_timestamp = gen.header.timestamp;
    return {};
}

Result<chain::TipSet> NodeService::tipset_by_height(chain::ChainEpoch h, const chain::TipSetKey& from, bool prev) {
    VENUS_TRY(auto start, store_.load_tipset(from));
    return store_.tipset_by_height(h, start, prev);
}

Result<api::BlockContents> NodeService::block_messages(const chain::Cid& block_cid) {
    VENUS_TRY(auto header, store_.load_header(block_cid));
    auto& bs = store_.blockstore();
    VENUS_TRY(auto meta_bytes, bs.get(header.messages));
    VENUS_TRY(auto meta, chain::decode_cbor<chain::MsgMeta>(meta_bytes));
    VENUS_TRY(auto bls, load_cid_amt(bs, meta.bls_messages));
    VENUS_TRY(auto secp, load_cid_amt(bs, meta.secpk_messages));
    api::BlockContents out;
    for (const auto& c : bls) {
        VENUS_TRY(auto b, bs.get(c));
        VENUS_TRY(auto m, chain::decode_cbor<chain::Message>(b));
        out.bls_messages.push_back(std::move(m));
    }
    for (const auto& c : secp) {
        VENUS_TRY(auto b, bs.get(c));
        VENUS_TRY(auto m, chain::decode_cbor<chain::SignedMessage>(b));
        out.secp_messages.push_back(std::move(m));
    }
    return out;
}

Result<std::vector<std::pair<chain::Cid, chain::Message>>> NodeService::tipset_messages(const chain::TipSetKey& key) {
    VENUS_TRY(auto ts, store_.load_tipset(key));
    std::vector<std::pair<chain::Cid, chain::Message>> out;
    if (ts.height() == 0) return out;
    std::vector<BlockMessages> blocks;
    for (const auto& c : ts.cids()) {
        VENUS_TRY(auto contents, block_messages(c));
        BlockMessages b;
        b.bls_messages = std::move(contents.bls_messages);
        b.secp_messages = std::move(contents.secp_messages);
        blocks.push_back(std::move(b));
    }
    VENUS_TRY(auto tree, StateTree::load(store_.blockstore(), ts.parent_state()));
    VENUS_TRY(auto selected, select_tipset_messages(tree, blocks));
    out.reserve(selected.size());
    for (auto& m : selected) out.emplace_back(std::move(m.cid), std::move(m.message));
    return out;
}

Result<std::vector<std::pair<chain::Cid, chain::Message>>> NodeService::parent_messages(const chain::Cid& block) {
    VENUS_TRY(auto header, store_.load_header(block));
    if (header.height == 0) return std::vector<std::pair<chain::Cid, chain::Message>>{};
    return tipset_messages(chain::TipSetKey(header.parents));
}

Result<std::vector<chain::MessageReceipt>> NodeService::parent_receipts(const chain::Cid& block) {
    VENUS_TRY(auto header, store_.load_header(block));
    std::vector<chain::MessageReceipt> out;
    VENUS_TRY(auto amt, chain::Amt::load(store_.blockstore(), header.parent_message_receipts, chain::Amt::Format::kLegacy));
    VENUS_TRY_VOID(amt.for_each([&](std::uint64_t, BytesView v) -> Status {
        VENUS_TRY(auto r, chain::decode_cbor<chain::MessageReceipt>(v));
        out.push_back(std::move(r));
        return {};
    }));
    return out;
}

Result<chain::Cid> NodeService::put_messages(const api::BlockContents& contents) {
    BufferedBlockstore buffer(store_.blockstore());
    std::vector<chain::Cid> bls;
    std::vector<chain::Cid> secp;
    for (const auto& m : contents.bls_messages) {
        VENUS_TRY(auto bytes, chain::encode_cbor(m));
        VENUS_TRY(auto cid, chain::put_cbor(buffer, bytes));
        bls.push_back(cid);
    }
    for (const auto& m : contents.secp_messages) {
        VENUS_TRY(auto bytes, chain::encode_cbor(m));
        VENUS_TRY(auto cid, chain::put_cbor(buffer, bytes));
        secp.push_back(cid);
    }
    chain::MsgMeta meta;
    VENUS_TRY(meta.bls_messages, build_cid_amt(buffer, bls));
    VENUS_TRY(meta.secpk_messages, build_cid_amt(buffer, secp));
    VENUS_TRY(auto meta_bytes, chain::encode_cbor(meta));
    VENUS_TRY(auto meta_cid, chain::put_cbor(buffer, meta_bytes));
    VENUS_TRY_VOID(buffer.flush());
    return meta_cid;
}

Result<chain::BigInt> NodeService::weight(const chain::TipSetKey& key) {
    VENUS_TRY(auto ts, store_.load_tipset(key));
    VENUS_TRY(auto info, store_.tipset_info(ts.key()));
    if (info) return info->weight;
    return tipset_weight(store_.blockstore(), ts, net_.blocks_per_epoch);
}

Result<bool> NodeService::add_tipset(const chain::TipSet& ts) {
    if (ts.height() > 0) {
        // The weight reads power from the parent's execution result: compute it first (once). A
        // header that disagrees with it can never be valid, so it is refused here as well.
        VENUS_TRY(auto parent_state, tipset_state(ts.parents()));
        if (parent_state.first != ts.parent_state() ||
            parent_state.second != ts.blocks().front().parent_message_receipts) {
            return make_error(Errc::kInvalidArgument, "tipset at {} carries a parent state {} but the parent executes to {}",
                              ts.height(), ts.parent_state().to_string(), parent_state.first.to_string());
        }
    }
    VENUS_TRY(auto w, tipset_weight(store_.blockstore(), ts, net_.blocks_per_epoch));
    VENUS_TRY_VOID(store_.put_tipset(ts, w));
    return store_.maybe_set_head(ts);
}

Result<std::pair<chain::Cid, chain::Cid>> NodeService::tipset_state(const chain::TipSetKey& key) {
    VENUS_TRY(auto ts, store_.load_tipset(key));
    VENUS_TRY(auto info, store_.tipset_info(ts.key()));
    if (info && info->state_root && info->receipts_root) {
        return std::pair<chain::Cid, chain::Cid>{*info->state_root, *info->receipts_root};
    }
    std::lock_guard lock(exec_mu_);
    const auto& first = ts.blocks().front();
    std::pair<chain::Cid, chain::Cid> result;
    if (ts.height() == 0) {
        // Genesis is not executed: its state is its own ParentStateRoot (Lotus TipSetState).
        result = {first.parent_state_root, first.parent_message_receipts};
    } else {
        VENUS_TRY(auto parent, store_.load_tipset(ts.parents()));
        std::vector<BlockMessages> blocks;
        for (std::size_t i = 0; i < ts.blocks().size(); ++i) {
            const auto& h = ts.blocks()[i];
            VENUS_TRY(auto contents, block_messages(ts.cids()[i]));
            BlockMessages b;
            b.miner = h.miner;
            b.win_count = h.election_proof ? h.election_proof->win_count : 0;
            b.bls_messages = std::move(contents.bls_messages);
            b.secp_messages = std::move(contents.secp_messages);
            blocks.push_back(std::move(b));
        }
        ExecuteInput in;
        in.parent_state = first.parent_state_root;
        in.parent_epoch = parent.height();
        in.epoch = ts.height();
        in.base_fee = first.parent_base_fee;
        in.genesis_timestamp = info_.genesis_timestamp;
        BufferedBlockstore buffer(store_.blockstore());
        VENUS_TRY(auto out, execute_tipset(buffer, net_, in, blocks));
        VENUS_TRY_VOID(buffer.flush());
        result = {out.state_root, out.receipts_root};
    }
    if (info) VENUS_TRY_VOID(store_.set_execution(ts.key(), result.first, result.second));
    return result;
}

Result<api::ParentInfo> NodeService::parent_info(const chain::TipSetKey& key) {
    VENUS_TRY(auto ts, store_.load_tipset(key));
    api::ParentInfo out;
    VENUS_TRY(auto state, tipset_state(ts.key()));
    out.state_root = state.first;
    out.receipts_root = state.second;
    VENUS_TRY(out.weight, weight(ts.key()));
    std::vector<BlockMessages> blocks;
    for (const auto& c : ts.cids()) {
        VENUS_TRY(auto contents, block_messages(c));
        BlockMessages b;
        b.bls_messages = std::move(contents.bls_messages);
        b.secp_messages = std::move(contents.secp_messages);
        blocks.push_back(std::move(b));
    }
    VENUS_TRY(auto used, unique_gas_limit(blocks));
    out.base_fee = compute_next_base_fee(ts.blocks().front().parent_base_fee, used, ts.blocks().size(), net_);
    return out;
}

Result<chain::Cid> NodeService::parent_state(const chain::TipSetKey& key) {
    VENUS_TRY(auto ts, store_.load_tipset(key));
    return ts.parent_state();
}

Result<std::optional<chain::Actor>> NodeService::actor(const chain::Address& addr, const chain::TipSetKey& key) {
    VENUS_TRY(auto root, parent_state(key));
    VENUS_TRY(auto tree, StateTree::load(store_.blockstore(), root));
    return tree.get_actor(addr);
}

Result<std::optional<chain::Address>> NodeService::lookup_id(const chain::Address& addr, const chain::TipSetKey& key) {
    VENUS_TRY(auto root, parent_state(key));
    VENUS_TRY(auto tree, StateTree::load(store_.blockstore(), root));
    VENUS_TRY(auto id, tree.lookup_id(addr));
    if (!id) return std::optional<chain::Address>{};
    return std::optional<chain::Address>(id_address(*id));
}

Result<chain::Address> NodeService::account_key(const chain::Address& addr, const chain::TipSetKey& key) {
    if (addr.protocol() == chain::Protocol::kSecp256k1 || addr.protocol() == chain::Protocol::kBls) return addr;
    VENUS_TRY(auto a, actor(addr, key));
    if (!a) return make_error(Errc::kNotFound, "actor not found: {}", addr.to_string());
    if (actor_type(a->code) != ActorType::kAccount) {
        return make_error(Errc::kInvalidArgument, "address {} is not an account actor", addr.to_string());
    }
    VENUS_TRY(auto st, load_cbor<AccountState>(store_.blockstore(), a->head));
    return st.address;
}

namespace {

// The miner actor's state at a tipset's parent state, or "actor not found".
Result<MinerState> load_miner(ChainStore& store, StateTree& tree, const chain::Address& miner) {
    VENUS_TRY(auto a, tree.get_actor(miner));
    if (!a) return make_error(Errc::kNotFound, "actor not found: {}", miner.to_string());
    if (actor_type(a->code) != ActorType::kMiner) {
        return make_error(Errc::kInvalidArgument, "{} is not a miner actor", miner.to_string());
    }
    return load_cbor<MinerState>(store.blockstore(), a->head);
}

Result<PowerState> load_power(ChainStore& store, StateTree& tree) {
    VENUS_TRY(auto a, tree.get_actor(id::kPower));
    if (!a) return make_error(Errc::kNotFound, "power actor not found");
    return load_cbor<PowerState>(store.blockstore(), a->head);
}

}  // namespace

Result<api::MinerInfo> NodeService::miner_info(const chain::Address& miner, const chain::TipSetKey& key) {
    VENUS_TRY(auto root, parent_state(key));
    VENUS_TRY(auto tree, StateTree::load(store_.blockstore(), root));
    VENUS_TRY(auto st, load_miner(store_, tree, miner));
    VENUS_TRY(auto info, load_cbor<MinerInfo>(store_.blockstore(), st.info));
    api::MinerInfo out;
    out.owner = info.owner;
    out.worker = info.worker;
    out.control_addresses = info.control_addresses;
    if (info.pending_worker_key) {
        out.new_worker = info.pending_worker_key->new_worker;
        out.worker_change_epoch = info.pending_worker_key->effective_at;
    }
    out.peer_id = info.peer_id;
    out.multiaddrs = info.multiaddrs;
    out.window_post_proof_type = info.window_post_proof_type;
    out.sector_size = info.sector_size;
    out.window_post_partition_sectors = info.window_post_partition_sectors;
    out.consensus_fault_elapsed = info.consensus_fault_elapsed;
    out.pending_owner = info.pending_owner_address;
    out.beneficiary = info.beneficiary;
    out.quota = info.beneficiary_term.quota;
    out.used_quota = info.beneficiary_term.used_quota;
    out.expiration = info.beneficiary_term.expiration;
    return out;
}

Result<api::MinerPower> NodeService::miner_power(const chain::Address& miner, const chain::TipSetKey& key) {
    VENUS_TRY(auto root, parent_state(key));
    VENUS_TRY(auto tree, StateTree::load(store_.blockstore(), root));
    VENUS_TRY(auto id, tree.lookup_id(miner));
    if (!id) return make_error(Errc::kNotFound, "actor not found: {}", miner.to_string());
    VENUS_TRY(auto power, load_power(store_, tree));
    VENUS_TRY(auto claims, chain::Hamt::load(store_.blockstore(), power.claims));
    VENUS_TRY(auto raw, claims.get(id_address(*id).bytes()));
    api::MinerPower out;
    if (raw) {
        VENUS_TRY(auto claim, chain::decode_cbor<PowerClaim>(*raw));
        out.miner = {claim.raw_byte_power, claim.quality_adj_power};
        // builtin-actors MinerNominalPowerMeetsConsensusMinimum, with ConsensusMinerMinMiners = 4.
        out.has_min_power = claim.raw_byte_power >= net_.consensus_miner_min_power ||
                            (power.miner_above_min_power_count < 4 && claim.raw_byte_power.sign() > 0);
    }
    out.total = {power.total_raw_byte_power, power.total_quality_adj_power};
    return out;
}

Result<std::vector<chain::Address>> NodeService::list_miners(const chain::TipSetKey& key) {
    VENUS_TRY(auto root, parent_state(key));
    VENUS_TRY(auto tree, StateTree::load(store_.blockstore(), root));
    VENUS_TRY(auto power, load_power(store_, tree));
    VENUS_TRY(auto claims, chain::Hamt::load(store_.blockstore(), power.claims));
    std::vector<chain::Address> out;
    VENUS_TRY_VOID(claims.for_each([&](BytesView k, BytesView) -> Status {
        VENUS_TRY(auto a, chain::Address::from_bytes(k));
        out.push_back(a);
        return {};
    }));
    std::sort(out.begin(), out.end());
    return out;
}

Result<std::vector<api::SectorInfo>> NodeService::miner_sectors(const chain::Address& miner, const chain::TipSetKey& key) {
    VENUS_TRY(auto root, parent_state(key));
    VENUS_TRY(auto tree, StateTree::load(store_.blockstore(), root));
    VENUS_TRY(auto st, load_miner(store_, tree, miner));
    VENUS_TRY(auto amt, chain::Amt::load(store_.blockstore(), st.sectors, chain::Amt::Format::kV3));
    std::vector<api::SectorInfo> out;
    VENUS_TRY_VOID(amt.for_each([&](std::uint64_t, BytesView v) -> Status {
        VENUS_TRY(auto s, chain::decode_cbor<SectorOnChainInfo>(v));
        out.push_back(api::SectorInfo{s.seal_proof, s.sector_number, s.sealed_cid});
        return {};
    }));
    return out;
}

std::uint64_t NodeService::subscribe_head_changes(HeadSubscriber fn) {
    return store_.subscribe([fn = std::move(fn)](const std::vector<HeadChange>& changes) {
        std::vector<api::HeadChange> out;
        out.reserve(changes.size());
        for (const auto& c : changes) {
            api::HeadChange h;
            h.type = c.type == HeadChange::Type::kRevert  ? api::HeadChange::Type::kRevert
                     : c.type == HeadChange::Type::kApply ? api::HeadChange::Type::kApply
                                                          : api::HeadChange::Type::kCurrent;
            h.tipset = c.tipset;
            out.push_back(std::move(h));
        }
        fn(out);
    });
}

}  // namespace venus::plugins::node
