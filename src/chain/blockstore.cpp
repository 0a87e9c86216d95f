// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "venus/chain/blockstore.hpp"

namespace venus::chain {

Result<Cid> put_cbor(Blockstore& bs, BytesView cbor) {
    Cid c = codec::cbor_cid(cbor);
    VENUS_TRY_VOID(bs.put(c, cbor));
    return c;
}

Result<bool> MemoryBlockstore::has(const Cid& cid) {
    std::lock_guard lock(mu_);
    return blocks_.count(cid) != 0;
}

Result<Bytes> MemoryBlockstore::get(const Cid& cid) {
    std::lock_guard lock(mu_);
    auto it = blocks_.find(cid);
    if (it == blocks_.end()) return make_error(Errc::kNotFound, "block {} not found", cid.to_string());
    return it->second;
}

Status MemoryBlockstore::put(const Cid& cid, BytesView data) {
    std::lock_guard lock(mu_);
    blocks_.insert_or_assign(cid, Bytes(data.begin(), data.end()));
    return {};
}

Status MemoryBlockstore::put_many(std::span<const Block> blocks) {
    std::lock_guard lock(mu_);
    for (const auto& b : blocks) blocks_.insert_or_assign(b.cid, b.data);
    return {};
}

Status MemoryBlockstore::remove(const Cid& cid) {
    std::lock_guard lock(mu_);
    blocks_.erase(cid);
    return {};
}

std::size_t MemoryBlockstore::size() const {
    std::lock_guard lock(mu_);
    return blocks_.size();
}

}  // namespace venus::chain
