// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The state tree (state tree v5): a HAMT (bitwidth 5) keyed by ID-address bytes whose values are
//! ActorV5 tuples, under a StateRoot `[5, actors, info]` with the empty StateInfo0.
//!
//! Changes are kept in memory in layers: `begin()` opens a layer (a message or a sub-call),
//! `commit()` folds it into the one below, `revert()` drops it. `flush()` writes every change into
//! the HAMT and returns the root CID. Non-ID addresses resolve through the init actor's AddressMap.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <vector>

#include "venus/chain/hamt.hpp"
#include "venus/chain/types.hpp"

namespace venus::plugins::node {

using chain::Actor;
using chain::Address;
using chain::Blockstore;
using chain::Cid;

class StateTree {
  public:
    //! An empty tree (genesis).
    explicit StateTree(Blockstore& store);
    //! Loads a tree from a StateRoot CID (version 5 only).
    static Result<StateTree> load(Blockstore& store, const Cid& root);
    StateTree(StateTree&&) noexcept = default;
    StateTree& operator=(StateTree&&) noexcept = default;

    Blockstore& store() noexcept { return *store_; }

    //! The actor behind any address (ID or resolvable through init), or nullopt.
    Result<std::optional<Actor>> get_actor(const Address& addr);
    Result<std::optional<Actor>> get_actor(std::uint64_t id);
    Status set_actor(std::uint64_t id, const Actor& actor);
    Status delete_actor(std::uint64_t id);

    //! The ID of an address: itself for an ID address, the init actor's map entry otherwise.
    Result<std::optional<std::uint64_t>> lookup_id(const Address& addr);

    void begin();
    void commit();
    void revert();
    [[nodiscard]] std::size_t depth() const noexcept { return layers_.size(); }

    //! Writes all committed changes (every layer must be closed) and returns the StateRoot CID.
    Result<Cid> flush();

    //! Visits every actor of the flushed tree plus pending changes (flushes first).
    Status for_each(const std::function<Status(std::uint64_t id, const Actor&)>& fn);

  private:
    StateTree(Blockstore& store, chain::Hamt hamt);
    using Layer = std::map<std::uint64_t, std::optional<Actor>>;  // nullopt: deleted

    Blockstore* store_;
    chain::Hamt hamt_;
    std::vector<Layer> layers_;  // layers_[0] holds committed, unflushed changes
};

//! Reads the ID out of an ID address's bytes (the HAMT key form).
Result<std::uint64_t> id_of(const Address& addr);

}  // namespace venus::plugins::node
