// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "signing.hpp"

#include <algorithm>

#include "venus/chain/types.hpp"
#include "venus/codec/cbor.hpp"
#include "venus/crypto/hash.hpp"

namespace venus::plugins::wallet {

namespace {

void put_i64_be(Bytes& out, std::int64_t v) {
    auto u = static_cast<std::uint64_t>(v);
    for (int i = 7; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(u >> (i * 8)));
}

bool equal(BytesView a, BytesView b) { return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin()); }

Result<Bytes> read_bytes_or_null(codec::CborReader& r) {
    VENUS_TRY(auto major, r.peek_major());
    if (major == codec::CborMajor::kSimple) {
        VENUS_TRY_VOID(r.read_null());
        return Bytes{};
    }
    VENUS_TRY(auto b, r.read_bytes(1u << 20));
    return Bytes(b.begin(), b.end());
}

}  // namespace

Result<DrawRandomParams> decode_draw_random_params(BytesView cbor) {
    codec::CborReader r(cbor);
    VENUS_TRY(auto n, r.read_map_header());
    DrawRandomParams p;
    for (std::uint64_t i = 0; i < n; ++i) {
        VENUS_TRY(auto key, r.read_text(16));
        if (key == "Rbase") {
            VENUS_TRY(p.rbase, read_bytes_or_null(r));
        } else if (key == "Pers") {
            VENUS_TRY(p.pers, r.read_int());
        } else if (key == "Round") {
            VENUS_TRY(p.round, r.read_int());
        } else if (key == "Entropy") {
            VENUS_TRY(p.entropy, read_bytes_or_null(r));
        } else {
            return make_error(Errc::kInvalidArgument, "DrawRandomParams: unknown field {}", key);
        }
    }
    VENUS_TRY_VOID(r.expect_end());
    return p;
}

Bytes encode_draw_random_params(const DrawRandomParams& p) {
    Bytes out;
    codec::CborWriter w(out);
    w.write_map_header(4);
    w.write_text("Rbase");
    w.write_bytes(p.rbase);
    w.write_text("Pers");
    w.write_int(p.pers);
    w.write_text("Round");
    w.write_int(p.round);
    w.write_text("Entropy");
    w.write_bytes(p.entropy);
    return out;
}

std::array<std::uint8_t, 32> draw_randomness(BytesView rbase, std::int64_t pers, std::int64_t round, BytesView entropy) {
    Bytes buf;
    buf.reserve(48 + entropy.size());
    put_i64_be(buf, pers);
    const auto digest = crypto::blake2b_256(rbase);
    buf.insert(buf.end(), digest.begin(), digest.end());
    put_i64_be(buf, round);
    buf.insert(buf.end(), entropy.begin(), entropy.end());
    const auto out = crypto::blake2b_256(buf);
    std::array<std::uint8_t, 32> r{};
    std::copy(out.begin(), out.end(), r.begin());
    return r;
}

Result<Bytes> checked_sign_bytes(BytesView to_sign, const api::SignMeta& meta, BytesView wallet_rand) {
    if (meta.type == api::kMetaMessage) {
        auto msg = chain::decode_cbor<chain::Message>(meta.extra);
        if (!msg) return msg.error().wrap("message meta: Extra is not a CBOR message");
        VENUS_TRY(auto cid, msg->cid());
        if (!equal(cid.bytes(), to_sign)) {
            return make_error(Errc::kPermissionDenied, "message meta: the bytes to sign are not the CID of the message");
        }
        return Bytes(to_sign.begin(), to_sign.end());
    }
    if (meta.type == api::kMetaBlock) {
        auto header = chain::decode_cbor<chain::BlockHeader>(to_sign);
        if (!header) return header.error().wrap("block meta: the bytes to sign are not a CBOR block header");
        if (header->block_sig) return make_error(Errc::kPermissionDenied, "block meta: the header is already signed");
        return Bytes(to_sign.begin(), to_sign.end());
    }
    if (meta.type == api::kMetaDrawRandomParam) {
        auto p = decode_draw_random_params(to_sign);
        if (!p) return p.error().wrap("drawrandomparam meta");
        const auto r = draw_randomness(p->rbase, p->pers, p->round, p->entropy);
        return Bytes(r.begin(), r.end());
    }
    if (meta.type == api::kMetaVerifyAddress) {
        Bytes input(meta.extra.begin(), meta.extra.end());
        input.insert(input.end(), wallet_rand.begin(), wallet_rand.end());
        const auto digest = crypto::sha256(input);
        if (!equal(BytesView(digest.data(), digest.size()), to_sign)) {
            return make_error(Errc::kPermissionDenied, "verifyaddress meta: not sha256(gateway rand ‖ this wallet's rand)");
        }
        return Bytes(to_sign.begin(), to_sign.end());
    }
    return make_error(Errc::kPermissionDenied, "the wallet refuses to sign meta type \"{}\"", meta.type);
}

}  // namespace venus::plugins::wallet
