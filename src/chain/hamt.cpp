// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "venus/chain/hamt.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

#include "venus/codec/cbor.hpp"
#include "venus/crypto/hash.hpp"

namespace venus::chain {

namespace {

struct KV {
    Bytes key;
    Bytes value;
};

bool key_less(const Bytes& a, BytesView b) {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
}
bool key_eq(const Bytes& a, BytesView b) { return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin()); }

// The key's hash, consumed bit_width bits at a time, most significant bit of byte 0 first.
struct HashBits {
    crypto::Hash256 h;
    unsigned consumed = 0;

    explicit HashBits(BytesView key) : h(crypto::sha256(key)) {}
    Result<unsigned> next(unsigned width) {
        if (consumed + width > h.size() * 8) return make_error(Errc::kOutOfRange, "hamt: maximum depth reached");
        unsigned out = 0;
        for (unsigned i = 0; i < width; ++i, ++consumed) {
            out = (out << 1) | ((h[consumed / 8] >> (7 - consumed % 8)) & 1u);
        }
        return out;
    }
};

}  // namespace

struct Hamt::Node {
    struct Pointer {
        std::vector<KV> kvs;          // a bucket, when not a shard
        Cid link;                     // stored child
        std::unique_ptr<Node> child;  // loaded child
        bool dirty = false;
        [[nodiscard]] bool is_shard() const { return link.defined() || child != nullptr; }
    };
    std::array<std::uint64_t, 4> bits{};  // up to 2^8 slots
    std::vector<Pointer> pointers;

    [[nodiscard]] bool has(unsigned idx) const { return (bits[idx / 64] >> (idx % 64)) & 1u; }
    void set_bit(unsigned idx, bool on) {
        if (on) {
            bits[idx / 64] |= 1ULL << (idx % 64);
        } else {
            bits[idx / 64] &= ~(1ULL << (idx % 64));
        }
    }
    [[nodiscard]] std::size_t index_of(unsigned idx) const {
        std::size_t n = 0;
        for (unsigned w = 0; w < idx / 64; ++w) n += static_cast<std::size_t>(std::popcount(bits[w]));
        if (idx % 64 != 0) n += static_cast<std::size_t>(std::popcount(bits[idx / 64] & ((1ULL << (idx % 64)) - 1)));
        return n;
    }
    [[nodiscard]] std::size_t popcount() const {
        std::size_t n = 0;
        for (auto w : bits) n += static_cast<std::size_t>(std::popcount(w));
        return n;
    }
};

namespace {

using Node = Hamt::Node;

void encode_node(const Node& n, Bytes& out) {
    codec::CborWriter w(out);
    w.write_array_header(2);
    // Bitfield as the minimal big-endian bytes of the integer whose bit i marks slot i.
    std::uint8_t be[32];
    for (int i = 0; i < 32; ++i) be[31 - i] = static_cast<std::uint8_t>(n.bits[static_cast<std::size_t>(i / 8)] >> ((i % 8) * 8));
    std::size_t first = 0;
    while (first < 32 && be[first] == 0) ++first;
    w.write_bytes(BytesView(be + first, 32 - first));
    w.write_array_header(n.pointers.size());
    for (const auto& p : n.pointers) {
        if (p.is_shard()) {
            w.write_cid(p.link);
            continue;
        }
        w.write_array_header(p.kvs.size());
        for (const auto& kv : p.kvs) {
            w.write_array_header(2);
            w.write_bytes(kv.key);
            w.write_raw(kv.value);
        }
    }
}

Result<std::unique_ptr<Node>> decode_node(BytesView data, unsigned bit_width) {
    codec::CborReader r(data);
    VENUS_TRY_VOID(r.read_array_header(2));
    VENUS_TRY(BytesView bf, r.read_bytes((1u << bit_width) / 8 + 1));
    auto n = std::make_unique<Node>();
    for (std::size_t i = 0; i < bf.size(); ++i) {
        const std::size_t bit = (bf.size() - 1 - i) * 8;  // bf[i] holds bits [bit, bit + 8)
        if (bf[i] != 0 && bit >= (1u << bit_width)) return make_error(Errc::kInvalidArgument, "hamt: bitfield too wide");
        if (bit < 256) n->bits[bit / 64] |= static_cast<std::uint64_t>(bf[i]) << (bit % 64);
    }
    VENUS_TRY(std::uint64_t count, r.read_array_header());
    if (count != n->popcount()) return make_error(Errc::kInvalidArgument, "hamt: pointer count does not match bitfield");
    n->pointers.resize(static_cast<std::size_t>(count));
    for (auto& p : n->pointers) {
        VENUS_TRY(codec::CborMajor m, r.peek_major());
        if (m == codec::CborMajor::kTag) {
            VENUS_TRY(p.link, r.read_cid());
            continue;
        }
        VENUS_TRY(std::uint64_t nkv, r.read_array_header());
        if (nkv == 0 || nkv > 32) return make_error(Errc::kInvalidArgument, "hamt: bad bucket size {}", nkv);
        p.kvs.resize(static_cast<std::size_t>(nkv));
        for (auto& kv : p.kvs) {
            VENUS_TRY_VOID(r.read_array_header(2));
            VENUS_TRY(BytesView k, r.read_bytes());
            VENUS_TRY(BytesView v, r.read_raw());
            kv.key.assign(k.begin(), k.end());
            kv.value.assign(v.begin(), v.end());
        }
    }
    VENUS_TRY_VOID(r.expect_end());
    return n;
}

struct Ops {
    Blockstore& store;
    unsigned bw;

    Result<Node*> child(Node::Pointer& p) {
        if (!p.child) {
            VENUS_TRY(Bytes data, store.get(p.link));
            VENUS_TRY(p.child, decode_node(data, bw));
        }
        return p.child.get();
    }

    Result<std::optional<Bytes>> get(Node& n, HashBits& hv, BytesView key) {
        VENUS_TRY(unsigned idx, hv.next(bw));
        if (!n.has(idx)) return std::optional<Bytes>{};
        auto& p = n.pointers[n.index_of(idx)];
        if (p.is_shard()) {
            VENUS_TRY(Node * c, child(p));
            return get(*c, hv, key);
        }
        for (const auto& kv : p.kvs) {
            if (key_eq(kv.key, key)) return std::optional<Bytes>(kv.value);
        }
        return std::optional<Bytes>{};
    }

    Status set(Node& n, HashBits& hv, BytesView key, BytesView value) {
        VENUS_TRY(unsigned idx, hv.next(bw));
        const std::size_t ci = n.index_of(idx);
        if (!n.has(idx)) {
            Node::Pointer p;
            p.kvs.push_back({Bytes(key.begin(), key.end()), Bytes(value.begin(), value.end())});
            n.pointers.insert(n.pointers.begin() + static_cast<std::ptrdiff_t>(ci), std::move(p));
            n.set_bit(idx, true);
            return {};
        }
        auto& p = n.pointers[ci];
        if (p.is_shard()) {
            VENUS_TRY(Node * c, child(p));
            VENUS_TRY_VOID(set(*c, hv, key, value));
            p.dirty = true;
            return {};
        }
        for (auto& kv : p.kvs) {
            if (key_eq(kv.key, key)) {
                kv.value.assign(value.begin(), value.end());
                return {};
            }
        }
        if (p.kvs.size() >= Hamt::kBucketSize) {
            // The bucket overflows: its entries and the new one move into a child node, each
            // re-hashed from the depth reached here.
            auto sub = std::make_unique<Node>();
            const unsigned depth_bits = hv.consumed;
            HashBits nh(key);
            nh.consumed = depth_bits;
            VENUS_TRY_VOID(set(*sub, nh, key, value));
            for (const auto& kv : p.kvs) {
                HashBits kh(kv.key);
                kh.consumed = depth_bits;
                VENUS_TRY_VOID(set(*sub, kh, kv.key, kv.value));
            }
            p.kvs.clear();
            p.child = std::move(sub);
            p.dirty = true;
            return {};
        }
        auto pos = std::find_if(p.kvs.begin(), p.kvs.end(), [&](const KV& kv) { return !key_less(kv.key, key); });
        p.kvs.insert(pos, {Bytes(key.begin(), key.end()), Bytes(value.begin(), value.end())});
        return {};
    }

    // Keeps the canonical form after a delete below pointer `ci` of `n` (go-hamt-ipld cleanChild).
    void clean_child(Node& n, std::size_t ci, unsigned idx) {
        Node& c = *n.pointers[ci].child;
        std::size_t total = 0;
        for (const auto& p : c.pointers) {
            if (p.is_shard()) return;
            total += p.kvs.size();
        }
        if (total > Hamt::kBucketSize) return;
        std::vector<KV> kvs;
        for (auto& p : c.pointers) {
            for (auto& kv : p.kvs) kvs.push_back(std::move(kv));
        }
        std::sort(kvs.begin(), kvs.end(), [](const KV& a, const KV& b) { return key_less(a.key, b.key); });
        if (kvs.empty()) {  // only reachable from a non-canonical tree
            n.pointers.erase(n.pointers.begin() + static_cast<std::ptrdiff_t>(ci));
            n.set_bit(idx, false);
            return;
        }
        Node::Pointer bucket;
        bucket.kvs = std::move(kvs);
        n.pointers[ci] = std::move(bucket);
    }

    Result<bool> remove(Node& n, HashBits& hv, BytesView key) {
        VENUS_TRY(unsigned idx, hv.next(bw));
        if (!n.has(idx)) return false;
        const std::size_t ci = n.index_of(idx);
        auto& p = n.pointers[ci];
        if (p.is_shard()) {
            VENUS_TRY(Node * c, child(p));
            VENUS_TRY(bool found, remove(*c, hv, key));
            if (!found) return false;
            p.dirty = true;
            clean_child(n, ci, idx);
            return true;
        }
        for (auto it = p.kvs.begin(); it != p.kvs.end(); ++it) {
            if (key_eq(it->key, key)) {
                if (p.kvs.size() == 1) {
                    n.pointers.erase(n.pointers.begin() + static_cast<std::ptrdiff_t>(ci));
                    n.set_bit(idx, false);
                } else {
                    p.kvs.erase(it);
                }
                return true;
            }
        }
        return false;
    }

    Status for_each(Node& n, const std::function<Status(BytesView, BytesView)>& fn) {
        for (auto& p : n.pointers) {
            if (p.is_shard()) {
                VENUS_TRY(Node * c, child(p));
                VENUS_TRY_VOID(for_each(*c, fn));
                continue;
            }
            for (const auto& kv : p.kvs) VENUS_TRY_VOID(fn(kv.key, kv.value));
        }
        return {};
    }

    Result<Cid> flush(Node& n, std::vector<Block>& out) {
        for (auto& p : n.pointers) {
            if (p.child && p.dirty) {
                VENUS_TRY(p.link, flush(*p.child, out));
                p.dirty = false;
            }
        }
        Block b;
        encode_node(n, b.data);
        b.cid = codec::cbor_cid(b.data);
        Cid c = b.cid;
        out.push_back(std::move(b));
        return c;
    }
};

}  // namespace

Hamt::Hamt(Blockstore& store, unsigned bit_width)
    : store_(&store), bit_width_(std::clamp(bit_width, 1u, 8u)), root_(std::make_unique<Node>()) {}
Hamt::Hamt(Blockstore& store, unsigned bit_width, std::unique_ptr<Node> root)
    : store_(&store), bit_width_(bit_width), root_(std::move(root)) {}
Hamt::Hamt(Hamt&&) noexcept = default;
Hamt& Hamt::operator=(Hamt&&) noexcept = default;
Hamt::~Hamt() = default;

Result<Hamt> Hamt::load(Blockstore& store, const Cid& root, unsigned bit_width) {
    if (bit_width < 1 || bit_width > 8) return make_error(Errc::kInvalidArgument, "hamt: bit width {} out of range", bit_width);
    VENUS_TRY(Bytes data, store.get(root));
    VENUS_TRY(std::unique_ptr<Node> n, decode_node(data, bit_width));
    return Hamt(store, bit_width, std::move(n));
}

Result<std::optional<Bytes>> Hamt::get(BytesView key) {
    HashBits hv(key);
    return Ops{*store_, bit_width_}.get(*root_, hv, key);
}

Status Hamt::set(BytesView key, BytesView value) {
    VENUS_TRY_VOID(codec::validate(value));
    HashBits hv(key);
    return Ops{*store_, bit_width_}.set(*root_, hv, key, value);
}

Result<bool> Hamt::remove(BytesView key) {
    HashBits hv(key);
    return Ops{*store_, bit_width_}.remove(*root_, hv, key);
}

Status Hamt::for_each(const std::function<Status(BytesView, BytesView)>& fn) {
    return Ops{*store_, bit_width_}.for_each(*root_, fn);
}

Result<Cid> Hamt::flush() {
    std::vector<Block> blocks;
    VENUS_TRY(Cid root, (Ops{*store_, bit_width_}.flush(*root_, blocks)));
    VENUS_TRY_VOID(store_->put_many(blocks));
    return root;
}

}  // namespace venus::chain
