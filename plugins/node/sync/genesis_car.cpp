// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "node/sync/genesis_car.hpp"

#include <fstream>
#include <iterator>

#include <fmt/format.h>

#include "node/chain/chain_rules.hpp"
#include "node/genesis/genesis.hpp"

namespace venus::plugins::node::sync {

Result<Bytes> export_genesis_car(const Cid& genesis, const BlockFetch& fetch) {
    DagExportOptions opts;
    opts.may_be_missing.insert(genesis_parent_cid());
    return export_dag_car(genesis, fetch, opts);
}

Result<Cid> import_genesis_car(ChainStore& store, const NetworkParams& net, BytesView car_bytes) {
    VENUS_TRY(auto car, read_car(car_bytes));
    if (car.roots.size() != 1) {
        return make_error(Errc::kInvalidArgument, "genesis car: {} roots (a genesis CAR has exactly one)", car.roots.size());
    }
    const Cid root = car.roots.front();
    // Everything is checked in memory first so a bad file leaves the store untouched.
    chain::MemoryBlockstore staged;
    VENUS_TRY_VOID(staged.put_many(car.blocks));
    auto header_bytes = staged.get(root);
    if (!header_bytes) return make_error(Errc::kInvalidArgument, "genesis car: root {} is not in the file", root.to_string());
    auto header = chain::decode_cbor<chain::BlockHeader>(*header_bytes);
    if (!header) {
        return make_error(Errc::kInvalidArgument, "genesis car: root {} is not a block header: {}", root.to_string(),
                          header.error().message);
    }
    if (header->height != 0) {
        return make_error(Errc::kInvalidArgument, "genesis car: root block is at height {}, not 0", header->height);
    }
    for (const auto* c : {&header->parent_state_root, &header->parent_message_receipts, &header->messages}) {
        VENUS_TRY(auto has, staged.has(*c));
        if (!has) return make_error(Errc::kInvalidArgument, "genesis car: block {} is missing", c->to_string());
    }
    VENUS_TRY(auto power, total_qa_power(staged, header->parent_state_root));
    VENUS_TRY(auto weight, compute_weight(0, power, 0, net.blocks_per_epoch));
    if (store.has_genesis()) {
        VENUS_TRY(auto g, store.genesis());
        if (g.cids().front() != root) {
            return make_error(Errc::kConfig, "genesis car root {} is not this chain store's genesis {}", root.to_string(),
                              g.cids().front().to_string());
        }
        return root;
    }
    VENUS_TRY_VOID(import_car_blocks(store.blockstore(), car));
    VENUS_TRY_VOID(store.init_genesis(*header, root, weight));
    return root;
}

Result<Cid> import_genesis_file(ChainStore& store, const NetworkParams& net, const std::filesystem::path& file) {
    std::ifstream f(file, std::ios::binary);
    if (!f) return make_error(Errc::kConfig, "genesis file {} cannot be read", file.string());
    Bytes data((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    auto r = import_genesis_car(store, net, data);
    if (!r) return r.error().wrap(fmt::format("genesis file {}", file.string()));
    return r;
}

}  // namespace venus::plugins::node::sync
