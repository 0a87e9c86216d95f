// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "node/state/state_tree.hpp"

#include "node/actors/codes.hpp"
#include "node/actors/states.hpp"

namespace venus::plugins::node {

namespace {
constexpr std::uint64_t kStateTreeVersion = 5;

const Cid& empty_info_cid(Blockstore& bs) {
    static const Bytes kEmpty{0x80};
    static const Cid c = codec::cbor_cid(kEmpty);
    (void)bs.put(c, kEmpty);
    return c;
}
}  // namespace

Result<std::uint64_t> id_of(const Address& addr) { return addr.id(); }

StateTree::StateTree(Blockstore& store) : store_(&store), hamt_(store), layers_(1) {}

StateTree::StateTree(Blockstore& store, chain::Hamt hamt) : store_(&store), hamt_(std::move(hamt)), layers_(1) {}

Result<StateTree> StateTree::load(Blockstore& store, const Cid& root) {
    VENUS_TRY(auto sr, load_cbor<chain::StateRoot>(store, root));
    if (sr.version != kStateTreeVersion) {
        return make_error(Errc::kUnsupported, "state tree version {} is not supported (want {})", sr.version,
                          kStateTreeVersion);
    }
    VENUS_TRY(auto hamt, chain::Hamt::load(store, sr.actors));
    return StateTree(store, std::move(hamt));
}

Result<std::optional<Actor>> StateTree::get_actor(std::uint64_t id) {
    for (auto it = layers_.rbegin(); it != layers_.rend(); ++it) {
        auto f = it->find(id);
        if (f != it->end()) return f->second;
    }
    auto key = id_address(id);
    VENUS_TRY(auto raw, hamt_.get(key.bytes()));
    if (!raw) return std::optional<Actor>{};
    VENUS_TRY(auto actor, chain::decode_cbor<Actor>(*raw));
    return std::optional<Actor>(std::move(actor));
}

Result<std::optional<Actor>> StateTree::get_actor(const Address& addr) {
    VENUS_TRY(auto id, lookup_id(addr));
    if (!id) return std::optional<Actor>{};
    return get_actor(*id);
}

Status StateTree::set_actor(std::uint64_t id, const Actor& actor) {
    layers_.back()[id] = actor;
    return {};
}

Status StateTree::delete_actor(std::uint64_t id) {
    layers_.back()[id] = std::nullopt;
    return {};
}

Result<std::optional<std::uint64_t>> StateTree::lookup_id(const Address& addr) {
    if (!addr.defined()) return make_error(Errc::kInvalidArgument, "undefined address");
    if (addr.protocol() == chain::Protocol::kId) {
        VENUS_TRY(auto id, addr.id());
        return std::optional<std::uint64_t>(id);
    }
    VENUS_TRY(auto init, get_actor(id::kInit));
    if (!init) return make_error(Errc::kNotFound, "init actor not found");
    VENUS_TRY(auto st, load_cbor<InitState>(*store_, init->head));
    VENUS_TRY(auto map, chain::Hamt::load(*store_, st.address_map));
    VENUS_TRY(auto raw, map.get(addr.bytes()));
    if (!raw) return std::optional<std::uint64_t>{};
    CborReader r(*raw);
    VENUS_TRY(auto id, r.read_uint());
    return std::optional<std::uint64_t>(id);
}

void StateTree::begin() { layers_.emplace_back(); }

void StateTree::commit() {
    if (layers_.size() < 2) return;  // programmer error; keep the base layer
    auto top = std::move(layers_.back());
    layers_.pop_back();
    for (auto& [id, actor] : top) layers_.back()[id] = std::move(actor);
}

void StateTree::revert() {
    if (layers_.size() < 2) {
        layers_.back().clear();
        return;
    }
    layers_.pop_back();
}

Result<Cid> StateTree::flush() {
    if (layers_.size() != 1) return make_error(Errc::kInternal, "state tree flush with {} open layers", layers_.size() - 1);
    for (auto& [id, actor] : layers_[0]) {
        auto key = id_address(id);
        if (actor) {
            VENUS_TRY(auto bytes, chain::encode_cbor(*actor));
            VENUS_TRY_VOID(hamt_.set(key.bytes(), bytes));
        } else {
            VENUS_TRY(auto existed, hamt_.remove(key.bytes()));
            (void)existed;
        }
    }
    layers_[0].clear();
    VENUS_TRY(auto actors_root, hamt_.flush());
    chain::StateRoot sr;
    sr.version = kStateTreeVersion;
    sr.actors = actors_root;
    sr.info = empty_info_cid(*store_);
    VENUS_TRY_VOID(store_->put(sr.info, Bytes{0x80}));
    return store_cbor(*store_, sr);
}

Status StateTree::for_each(const std::function<Status(std::uint64_t, const Actor&)>& fn) {
    VENUS_TRY(auto root, flush());
    (void)root;
    return hamt_.for_each([&](BytesView key, BytesView value) -> Status {
        VENUS_TRY(auto addr, Address::from_bytes(key));
        VENUS_TRY(auto id, addr.id());
        VENUS_TRY(auto actor, chain::decode_cbor<Actor>(value));
        return fn(id, actor);
    });
}

}  // namespace venus::plugins::node
