// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "venus/chain/amt.hpp"

#include <algorithm>

#include "venus/codec/cbor.hpp"

namespace venus::chain {

struct Amt::Node {
    struct Link {
        Cid cid;
        std::unique_ptr<Node> node;
        bool dirty = false;
    };
    // Only one of the two is used: values in leaves (height 0), links above. Sized to the width
    // on first use.
    std::vector<std::optional<Bytes>> values;
    std::vector<std::unique_ptr<Link>> links;

    [[nodiscard]] bool empty() const {
        for (const auto& v : values) {
            if (v) return false;
        }
        for (const auto& l : links) {
            if (l) return false;
        }
        return true;
    }
};

namespace {

using Node = Amt::Node;

std::uint64_t nodes_for_height(unsigned bw, std::uint64_t height) {
    const std::uint64_t bits = static_cast<std::uint64_t>(bw) * height;
    return bits >= 64 ? UINT64_MAX : (1ULL << bits);
}

std::size_t bmap_bytes(unsigned bw) { return bw <= 3 ? 1 : (std::size_t{1} << (bw - 3)); }

void encode_node(const Node& n, unsigned bw, codec::CborWriter& w) {
    const std::size_t width = std::size_t{1} << bw;
    Bytes bmap(bmap_bytes(bw), 0);
    std::size_t nlinks = 0, nvalues = 0;
    for (std::size_t i = 0; i < width; ++i) {
        const bool link = i < n.links.size() && n.links[i];
        const bool value = i < n.values.size() && n.values[i];
        if (link || value) bmap[i / 8] |= static_cast<std::uint8_t>(1u << (i % 8));
        nlinks += link;
        nvalues += value;
    }
    w.write_array_header(3);
    w.write_bytes(bmap);
    w.write_array_header(nlinks);
    for (const auto& l : n.links) {
        if (l) w.write_cid(l->cid);
    }
    w.write_array_header(nvalues);
    for (const auto& v : n.values) {
        if (v) w.write_raw(*v);
    }
}

Result<std::unique_ptr<Node>> read_node(codec::CborReader& r, unsigned bw, bool is_root, bool leaf) {
    const std::size_t width = std::size_t{1} << bw;
    VENUS_TRY_VOID(r.read_array_header(3));
    VENUS_TRY(BytesView bmap, r.read_bytes(bmap_bytes(bw)));
    if (bmap.size() != bmap_bytes(bw)) {
        return make_error(Errc::kInvalidArgument, "amt: expected a {}-byte bitfield, found {}", bmap_bytes(bw), bmap.size());
    }
    std::size_t set = 0;
    for (std::size_t i = 0; i < width; ++i) set += (bmap[i / 8] >> (i % 8)) & 1u;
    VENUS_TRY(std::uint64_t nlinks, r.read_array_header());
    std::vector<Cid> cids;
    for (std::uint64_t i = 0; i < nlinks; ++i) {
        VENUS_TRY(Cid c, r.read_cid());
        cids.push_back(std::move(c));
    }
    VENUS_TRY(std::uint64_t nvalues, r.read_array_header());
    std::vector<BytesView> vals;
    for (std::uint64_t i = 0; i < nvalues; ++i) {
        VENUS_TRY(BytesView v, r.read_raw());
        vals.push_back(v);
    }
    if (nlinks > 0 && nvalues > 0) return make_error(Errc::kInvalidArgument, "amt: node has both links and values");
    if (nlinks + nvalues == 0 && (!is_root || set != 0)) return make_error(Errc::kInvalidArgument, "amt: empty node");
    if (leaf && nlinks > 0) return make_error(Errc::kInvalidArgument, "amt: links in a leaf node");
    if (!leaf && nvalues > 0) return make_error(Errc::kInvalidArgument, "amt: values in an internal node");
    if (set != nlinks + nvalues) return make_error(Errc::kInvalidArgument, "amt: bitfield does not match the entries");
    auto n = std::make_unique<Node>();
    std::size_t k = 0;
    if (nvalues > 0) {
        n->values.resize(width);
        for (std::size_t i = 0; i < width; ++i) {
            if ((bmap[i / 8] >> (i % 8)) & 1u) n->values[i] = Bytes(vals[k].begin(), vals[k].end()), ++k;
        }
    } else if (nlinks > 0) {
        n->links.resize(width);
        for (std::size_t i = 0; i < width; ++i) {
            if ((bmap[i / 8] >> (i % 8)) & 1u) {
                n->links[i] = std::make_unique<Node::Link>();
                n->links[i]->cid = std::move(cids[k++]);
            }
        }
    }
    return n;
}

struct Ops {
    Blockstore& store;
    unsigned bw;

    [[nodiscard]] std::size_t width() const { return std::size_t{1} << bw; }

    Result<Node*> load(Node::Link& l, std::uint64_t height) {
        if (!l.node) {
            VENUS_TRY(Bytes data, store.get(l.cid));
            codec::CborReader r(data);
            VENUS_TRY(l.node, read_node(r, bw, false, height == 0));
            VENUS_TRY_VOID(r.expect_end());
        }
        return l.node.get();
    }

    Result<std::optional<Bytes>> get(Node& n, std::uint64_t height, std::uint64_t i) {
        if (height == 0) {
            if (i >= n.values.size() || !n.values[i]) return std::optional<Bytes>{};
            return n.values[i];
        }
        const std::uint64_t nfh = nodes_for_height(bw, height);
        const std::uint64_t sub = i / nfh;
        if (sub >= n.links.size() || !n.links[sub]) return std::optional<Bytes>{};
        VENUS_TRY(Node * c, load(*n.links[sub], height - 1));
        return get(*c, height - 1, i % nfh);
    }

    Result<bool> set(Node& n, std::uint64_t height, std::uint64_t i, BytesView value) {
        if (height == 0) {
            if (n.values.empty()) n.values.resize(width());
            const bool added = !n.values[i];
            n.values[i] = Bytes(value.begin(), value.end());
            return added;
        }
        const std::uint64_t nfh = nodes_for_height(bw, height);
        const std::uint64_t sub = i / nfh;
        if (n.links.empty()) n.links.resize(width());
        auto& l = n.links[sub];
        if (!l) {
            l = std::make_unique<Node::Link>();
            l->node = std::make_unique<Node>();
        }
        VENUS_TRY(Node * c, load(*l, height - 1));
        VENUS_TRY(bool added, set(*c, height - 1, i % nfh, value));
        l->dirty = true;
        return added;
    }

    Result<bool> remove(Node& n, std::uint64_t height, std::uint64_t i) {
        if (height == 0) {
            if (i >= n.values.size() || !n.values[i]) return false;
            n.values[i].reset();
            return true;
        }
        const std::uint64_t nfh = nodes_for_height(bw, height);
        const std::uint64_t sub = i / nfh;
        if (sub >= n.links.size() || !n.links[sub]) return false;
        auto& l = n.links[sub];
        VENUS_TRY(Node * c, load(*l, height - 1));
        VENUS_TRY(bool found, remove(*c, height - 1, i % nfh));
        if (!found) return false;
        if (c->empty()) {
            l.reset();
        } else {
            l->dirty = true;
        }
        return true;
    }

    // While the root's only child is in slot 0, that child becomes the root (go-amt-ipld collapse).
    Result<std::uint64_t> collapse(std::unique_ptr<Node>& root, std::uint64_t height) {
        while (height > 0) {
            if (root->links.empty()) return std::uint64_t{0};
            for (std::size_t s = 1; s < root->links.size(); ++s) {
                if (root->links[s]) return height;
            }
            if (!root->links[0]) return std::uint64_t{0};
            VENUS_TRY(Node * c, load(*root->links[0], height - 1));
            (void)c;
            std::unique_ptr<Node> child = std::move(root->links[0]->node);
            root = std::move(child);
            --height;
        }
        return height;
    }

    Status for_each(Node& n, std::uint64_t height, std::uint64_t offset,
                    const std::function<Status(std::uint64_t, BytesView)>& fn) {
        if (height == 0) {
            for (std::size_t s = 0; s < n.values.size(); ++s) {
                if (n.values[s]) VENUS_TRY_VOID(fn(offset + s, *n.values[s]));
            }
            return {};
        }
        const std::uint64_t nfh = nodes_for_height(bw, height);
        for (std::size_t s = 0; s < n.links.size(); ++s) {
            if (!n.links[s]) continue;
            VENUS_TRY(Node * c, load(*n.links[s], height - 1));
            VENUS_TRY_VOID(for_each(*c, height - 1, offset + s * nfh, fn));
        }
        return {};
    }

    Status flush(Node& n, std::vector<Block>& out) {
        for (auto& l : n.links) {
            if (l && l->node && l->dirty) {
                VENUS_TRY_VOID(flush(*l->node, out));
                Block b;
                codec::CborWriter w(b.data);
                encode_node(*l->node, bw, w);
                b.cid = codec::cbor_cid(b.data);
                l->cid = b.cid;
                l->dirty = false;
                out.push_back(std::move(b));
            }
        }
        return {};
    }
};

}  // namespace

Amt::Amt(Blockstore& store, Format format, unsigned bit_width)
    : store_(&store),
      format_(format),
      bit_width_(format == Format::kLegacy ? 3 : std::clamp(bit_width, 1u, 16u)),
      root_(std::make_unique<Node>()) {}

Amt::Amt(Blockstore& store, Format format, unsigned bit_width, std::uint64_t height, std::uint64_t count,
         std::unique_ptr<Node> root)
    : store_(&store), format_(format), bit_width_(bit_width), height_(height), count_(count), root_(std::move(root)) {}

Amt::Amt(Amt&&) noexcept = default;
Amt& Amt::operator=(Amt&&) noexcept = default;
Amt::~Amt() = default;

Result<Amt> Amt::load(Blockstore& store, const Cid& root, Format format) {
    VENUS_TRY(Bytes data, store.get(root));
    codec::CborReader r(data);
    unsigned bw = 3;
    if (format == Format::kV3) {
        VENUS_TRY_VOID(r.read_array_header(4));
        VENUS_TRY(std::uint64_t b, r.read_uint());
        if (b < 1 || b > 16) return make_error(Errc::kInvalidArgument, "amt: bit width {} out of range", b);
        bw = static_cast<unsigned>(b);
    } else {
        VENUS_TRY_VOID(r.read_array_header(3));
    }
    VENUS_TRY(std::uint64_t height, r.read_uint());
    VENUS_TRY(std::uint64_t count, r.read_uint());
    if (height * bw > 64) return make_error(Errc::kInvalidArgument, "amt: height {} too large", height);
    VENUS_TRY(std::unique_ptr<Node> n, read_node(r, bw, true, height == 0));
    VENUS_TRY_VOID(r.expect_end());
    return Amt(store, format, bw, height, count, std::move(n));
}

Result<Cid> Amt::build(Blockstore& store, std::span<const Bytes> values, Format format, unsigned bit_width) {
    Amt a(store, format, bit_width);
    for (std::size_t i = 0; i < values.size(); ++i) VENUS_TRY_VOID(a.set(i, values[i]));
    return a.flush();
}

Result<std::optional<Bytes>> Amt::get(std::uint64_t index) {
    if (index > kMaxIndex) return make_error(Errc::kOutOfRange, "amt: index {} out of range", index);
    if (index >= nodes_for_height(bit_width_, height_ + 1)) return std::optional<Bytes>{};
    return Ops{*store_, bit_width_}.get(*root_, height_, index);
}

Status Amt::set(std::uint64_t index, BytesView value) {
    if (index > kMaxIndex) return make_error(Errc::kOutOfRange, "amt: index {} out of range", index);
    VENUS_TRY_VOID(codec::validate(value));
    while (index >= nodes_for_height(bit_width_, height_ + 1)) {
        if (!root_->empty()) {
            auto grown = std::make_unique<Node>();
            grown->links.resize(std::size_t{1} << bit_width_);
            grown->links[0] = std::make_unique<Node::Link>();
            grown->links[0]->node = std::move(root_);
            grown->links[0]->dirty = true;
            root_ = std::move(grown);
        } else {
            root_ = std::make_unique<Node>();  // an empty root changes role (leaf → internal) freely
        }
        ++height_;
    }
    VENUS_TRY(bool added, (Ops{*store_, bit_width_}.set(*root_, height_, index, value)));
    if (added) ++count_;
    return {};
}

Result<bool> Amt::remove(std::uint64_t index) {
    if (index > kMaxIndex) return make_error(Errc::kOutOfRange, "amt: index {} out of range", index);
    if (index >= nodes_for_height(bit_width_, height_ + 1)) return false;
    Ops ops{*store_, bit_width_};
    VENUS_TRY(bool found, ops.remove(*root_, height_, index));
    if (!found) return false;
    VENUS_TRY(height_, ops.collapse(root_, height_));
    if (root_->empty()) root_ = std::make_unique<Node>();
    if (count_ == 0) return make_error(Errc::kInvalidArgument, "amt: count underflow (corrupt root)");
    --count_;
    return true;
}

Status Amt::for_each(const std::function<Status(std::uint64_t, BytesView)>& fn) {
    return Ops{*store_, bit_width_}.for_each(*root_, height_, 0, fn);
}

Result<Cid> Amt::flush() {
    std::vector<Block> blocks;
    Ops ops{*store_, bit_width_};
    VENUS_TRY_VOID(ops.flush(*root_, blocks));
    Block root;
    codec::CborWriter w(root.data);
    if (format_ == Format::kV3) {
        w.write_array_header(4);
        w.write_uint(bit_width_);
    } else {
        w.write_array_header(3);
    }
    w.write_uint(height_);
    w.write_uint(count_);
    encode_node(*root_, bit_width_, w);
    root.cid = codec::cbor_cid(root.data);
    Cid c = root.cid;
    blocks.push_back(std::move(root));
    VENUS_TRY_VOID(store_->put_many(blocks));
    return c;
}

}  // namespace venus::chain
