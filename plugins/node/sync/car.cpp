// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "node/sync/car.hpp"

#include <algorithm>
#include <unordered_set>
#include <variant>

#include <fmt/format.h>

#include "venus/codec/cbor.hpp"
#include "venus/codec/varint.hpp"
#include "venus/crypto/hash.hpp"

namespace venus::plugins::node::sync {

namespace {

void append_section(Bytes& out, BytesView cid_bytes, BytesView data) {
    codec::append_uvarint(out, cid_bytes.size() + data.size());
    out.insert(out.end(), cid_bytes.begin(), cid_bytes.end());
    out.insert(out.end(), data.begin(), data.end());
}

// Reads one varint-length-prefixed frame at `pos`.
Result<BytesView> read_frame(BytesView data, std::size_t& pos, std::size_t max_len, const char* what) {
    const auto v = codec::read_uvarint(data.subspan(pos));
    if (v.size == 0) return make_error(Errc::kInvalidArgument, "car: bad {} length varint at offset {}", what, pos);
    pos += v.size;
    if (v.value > max_len) {
        return make_error(Errc::kOutOfRange, "car: {} of {} bytes at offset {} exceeds the limit of {}", what, v.value,
                          pos, max_len);
    }
    if (v.value > data.size() - pos) {
        return make_error(Errc::kInvalidArgument, "car: truncated {} at offset {} ({} bytes announced, {} left)", what,
                          pos, v.value, data.size() - pos);
    }
    auto frame = data.subspan(pos, static_cast<std::size_t>(v.value));
    pos += frame.size();
    return frame;
}

Result<std::vector<Cid>> read_header(BytesView header, const CarLimits& limits) {
    codec::CborReader r(header);
    VENUS_TRY(auto n, r.read_map_header());
    std::vector<Cid> roots;
    bool have_roots = false;
    bool have_version = false;
    for (std::uint64_t i = 0; i < n; ++i) {
        VENUS_TRY(auto key, r.read_text(16));
        if (key == "roots") {
            VENUS_TRY(auto count, r.read_array_header());
            if (count > limits.max_roots) return make_error(Errc::kOutOfRange, "car: {} roots (limit {})", count, limits.max_roots);
            for (std::uint64_t j = 0; j < count; ++j) {
                VENUS_TRY(auto c, r.read_cid());
                roots.push_back(std::move(c));
            }
            have_roots = true;
        } else if (key == "version") {
            VENUS_TRY(auto v, r.read_uint());
            if (v != 1) return make_error(Errc::kUnsupported, "car: version {} (only CAR v1 is read)", v);
            have_version = true;
        } else {
            VENUS_TRY_VOID(r.skip());
        }
    }
    VENUS_TRY_VOID(r.expect_end());
    if (!have_version) return make_error(Errc::kInvalidArgument, "car: header has no version");
    if (!have_roots || roots.empty()) return make_error(Errc::kInvalidArgument, "car: header has no roots");
    return roots;
}

void collect_links(const codec::CborValue& v, std::vector<Cid>& out) {
    std::visit(
        [&](const auto& x) {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, Cid>) {
                out.push_back(x);
            } else if constexpr (std::is_same_v<T, codec::CborValue::Array>) {
                for (const auto& e : x) collect_links(e, out);
            } else if constexpr (std::is_same_v<T, codec::CborValue::Map>) {
                for (const auto& [k, e] : x) collect_links(e, out);
            }
        },
        v.variant());
}

}  // namespace

CarWriter::CarWriter(Bytes& out, const std::vector<Cid>& roots) : out_(out) {
    Bytes header;
    codec::CborWriter w(header);
    // DAG-CBOR map keys in canonical (length-first) order: "roots" before "version".
    w.write_map_header(2);
    w.write_text("roots");
    w.write_array_header(roots.size());
    for (const auto& c : roots) w.write_cid(c);
    w.write_text("version");
    w.write_uint(1);
    codec::append_uvarint(out_, header.size());
    out_.insert(out_.end(), header.begin(), header.end());
}

void CarWriter::add(const Cid& cid, BytesView data) { append_section(out_, cid.bytes(), data); }

Status verify_block(const Cid& cid, BytesView data) {
    const auto mh = cid.multihash();
    // multihash = varint(code) ‖ varint(len) ‖ digest; both varints are one byte or the code is 0xb220.
    const auto code = codec::read_uvarint(mh);
    if (code.size == 0) return make_error(Errc::kInvalidArgument, "car: CID {} has a bad multihash", cid.to_string());
    const auto len = codec::read_uvarint(mh.subspan(code.size));
    if (len.size == 0) return make_error(Errc::kInvalidArgument, "car: CID {} has a bad multihash", cid.to_string());
    const auto digest = mh.subspan(code.size + len.size);
    bool ok = false;
    switch (code.value) {
        case codec::kHashBlake2b256: {
            const auto h = crypto::blake2b_256(data);
            ok = digest.size() == h.size() && std::equal(h.begin(), h.end(), digest.begin());
            break;
        }
        case codec::kHashSha2_256: {
            const auto h = crypto::sha256(data);
            ok = digest.size() == h.size() && std::equal(h.begin(), h.end(), digest.begin());
            break;
        }
        case codec::kHashIdentity:
            ok = digest.size() == data.size() && std::equal(data.begin(), data.end(), digest.begin());
            break;
        default:
            return make_error(Errc::kUnsupported, "car: CID {} uses multihash 0x{:x}, which is not verified here",
                              cid.to_string(), code.value);
    }
    if (!ok) return make_error(Errc::kInvalidArgument, "car: block data does not match its CID {}", cid.to_string());
    return {};
}

Result<CarFile> read_car(BytesView data, const CarLimits& limits) {
    std::size_t pos = 0;
    VENUS_TRY(auto header, read_frame(data, pos, limits.max_header_bytes, "header"));
    CarFile car;
    VENUS_TRY(car.roots, read_header(header, limits));
    while (pos < data.size()) {
        if (car.blocks.size() >= limits.max_blocks) {
            return make_error(Errc::kOutOfRange, "car: more than {} blocks", limits.max_blocks);
        }
        const std::size_t at = pos;
        VENUS_TRY(auto section, read_frame(data, pos, limits.max_block_bytes + codec::kMaxCidBytes, "section"));
        std::size_t consumed = 0;
        auto cid = Cid::read_prefix(section, consumed);
        if (!cid) return make_error(Errc::kInvalidArgument, "car: bad CID in section at offset {}: {}", at, cid.error().message);
        const auto body = section.subspan(consumed);
        if (body.size() > limits.max_block_bytes) {
            return make_error(Errc::kOutOfRange, "car: block {} of {} bytes exceeds the limit of {}", cid->to_string(),
                              body.size(), limits.max_block_bytes);
        }
        VENUS_TRY_VOID(verify_block(*cid, body));
        car.blocks.push_back(chain::Block{std::move(*cid), Bytes(body.begin(), body.end())});
    }
    return car;
}

Result<std::vector<Cid>> dag_cbor_links(BytesView data) {
    VENUS_TRY(auto v, codec::decode_value(data));
    std::vector<Cid> out;
    collect_links(v, out);
    return out;
}

Result<Bytes> export_dag_car(const Cid& root, const BlockFetch& fetch, const DagExportOptions& opts) {
    Bytes out;
    CarWriter writer(out, {root});
    std::unordered_set<Cid> seen{root};
    // Explicit stack (reversed children) instead of recursion: state trees can be deep.
    std::vector<Cid> stack{root};
    while (!stack.empty()) {
        Cid c = std::move(stack.back());
        stack.pop_back();
        auto data = fetch(c);
        if (!data) {
            if (opts.may_be_missing.count(c) != 0) continue;
            return data.error().wrap(fmt::format("export {}: block {}", root.to_string(), c.to_string()));
        }
        VENUS_TRY_VOID(verify_block(c, *data));
        writer.add(c, *data);
        if (c.codec() != codec::kCodecDagCbor) continue;
        VENUS_TRY(auto links, dag_cbor_links(*data));
        for (auto it = links.rbegin(); it != links.rend(); ++it) {
            if (it->codec() != codec::kCodecDagCbor) continue;
            if (seen.insert(*it).second) stack.push_back(*it);
        }
    }
    return out;
}

Status import_car_blocks(chain::Blockstore& bs, const CarFile& car) { return bs.put_many(car.blocks); }

}  // namespace venus::plugins::node::sync
