// SPDX-License-Identifier: Apache-2.0 OR MIT
//! CAR v1 (ipld/go-car, ipld.io/specs/transport/car/carv1): a varint-framed DAG-CBOR header
//! {"roots": [cid…], "version": 1} followed by sections varint(len) ‖ binary CID ‖ block bytes.
//! This is the format `lotus-seed genesis car` writes and `lotus daemon --genesis` reads, so a
//! devnet genesis moves between venusd nodes (and Lotus tools) as one file.
#pragma once

#include <functional>
#include <unordered_set>
#include <vector>

#include "venus/chain/blockstore.hpp"
#include "venus/codec/cid.hpp"
#include "venus/core/bytes.hpp"
#include "venus/core/result.hpp"

namespace venus::plugins::node::sync {

using codec::Cid;

//! Decoder limits: a CAR comes from a file or a peer, so sizes are bounded before allocation.
struct CarLimits {
    std::size_t max_header_bytes = 64 * 1024;
    std::size_t max_roots = 64;
    std::size_t max_block_bytes = 4 * 1024 * 1024;  //!< chain objects are far smaller (1 MiB gossip limit)
    std::size_t max_blocks = 10'000'000;
};

struct CarFile {
    std::vector<Cid> roots;
    std::vector<chain::Block> blocks;  //!< in file order; every block's CID was checked against its bytes
};

//! Appends a CAR v1 stream to `out`: the header at construction, one section per add().
class CarWriter {
  public:
    CarWriter(Bytes& out, const std::vector<Cid>& roots);
    void add(const Cid& cid, BytesView data);

  private:
    Bytes& out_;
};

//! Decodes a whole CAR v1. Every block's multihash is recomputed (blake2b-256, sha2-256 or
//! identity; any other hash function is rejected): a CAR is untrusted input.
Result<CarFile> read_car(BytesView data, const CarLimits& limits = {});

//! Checks that `data` hashes to `cid`'s multihash.
Status verify_block(const Cid& cid, BytesView data);

//! The links (tag-42 CIDs) in a DAG-CBOR block, in encoding order (duplicates kept).
Result<std::vector<Cid>> dag_cbor_links(BytesView data);

//! Where the exporter gets blocks: a local blockstore or a peer's ChainReadObj.
using BlockFetch = std::function<Result<Bytes>(const Cid&)>;

struct DagExportOptions {
    //! Links that may be absent: the genesis block's parent is a fixed CID of Lotus's mainnet
    //! template block that a devnet never stores.
    std::unordered_set<Cid> may_be_missing;
};

//! Writes a CAR with `root` as its only root and every DAG-CBOR block reachable from it, depth
//! first in link order, each once. Links of other codecs (raw actor code CIDs) are not followed,
//! as in Lotus's chain export. Fetched blocks are verified against their CIDs.
Result<Bytes> export_dag_car(const Cid& root, const BlockFetch& fetch, const DagExportOptions& opts = {});

//! Puts every block of `car` into `bs` in one write.
Status import_car_blocks(chain::Blockstore& bs, const CarFile& car);

}  // namespace venus::plugins::node::sync
