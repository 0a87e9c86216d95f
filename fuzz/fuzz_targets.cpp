// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "fuzz_targets.hpp"

#include <algorithm>
#include <cstdlib>
#include <string>
#include <string_view>

#include "venus/chain/address.hpp"
#include "venus/chain/types.hpp"
#include "venus/codec/cbor.hpp"

namespace venus::fuzz {
namespace {

void check(bool ok) {
    if (!ok) std::abort();
}

// Whatever a typed decoder accepts encodes, and that encoding is a fixed point. (It may differ from
// the input only where go-state-types is lenient too: BigInt bytes with leading zeros.)
template <typename T>
void typed_round_trip(BytesView in) {
    auto v = chain::decode_cbor<T>(in);
    if (!v) return;
    auto out = chain::encode_cbor(*v);
    check(out.ok());
    auto again = chain::decode_cbor<T>(*out);
    check(again.ok());
    check(*chain::encode_cbor(*again) == *out);
}

}  // namespace

void fuzz_cbor(const std::uint8_t* data, std::size_t size) {
    const BytesView in(data, size);
    codec::CborLimits limits;
    limits.max_depth = 32;
    limits.max_items = 1u << 16;
    auto v = codec::decode_value(in, limits);
    const bool valid = codec::validate(in, limits).ok();
    check(v.ok() == valid);  // the tree decoder and the validator agree
    if (v) check(codec::encode_value(*v) == Bytes(in.begin(), in.end()));

    codec::CborLimits lenient = limits;
    lenient.allow_noncanonical = true;
    if (auto l = codec::decode_value(in, lenient)) {
        const Bytes canon = codec::encode_value(*l);
        check(codec::validate(canon).ok());  // canonicalization yields strict DAG-CBOR
    }

    typed_round_trip<chain::Message>(in);
    typed_round_trip<chain::SignedMessage>(in);
    typed_round_trip<chain::BlockHeader>(in);
    typed_round_trip<chain::MessageReceipt>(in);
    typed_round_trip<chain::Actor>(in);
    // TipSetKey and TipSet re-encode canonically but may legitimately differ (sorting); decode only.
    (void)chain::decode_cbor<chain::TipSet>(in);
}

void fuzz_address(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (auto a = chain::Address::parse(text); a && a->defined()) {
        // Printing and parsing again gives the same address. Decimal parts (the ID, the f4
        // namespace) may lose leading zeros: go-address parses them with ParseUint too.
        const auto net = text[0] == 'f' ? chain::Network::kMainnet : chain::Network::kTestnet;
        const std::string printed = a->to_string(net);
        const bool decimal = a->protocol() == chain::Protocol::kId || a->protocol() == chain::Protocol::kDelegated;
        check(decimal || printed == text);
        auto reparsed = chain::Address::parse(printed);
        check(reparsed.ok() && *reparsed == *a);
        auto b = chain::Address::from_bytes(a->bytes());
        check(b.ok() && *b == *a);
    }
    const BytesView bytes(data, size);
    if (auto a = chain::Address::from_bytes(bytes); a && a->defined()) {
        check(a->bytes().size() == size && std::equal(bytes.begin(), bytes.end(), a->bytes().begin()));
        for (auto net : {chain::Network::kMainnet, chain::Network::kTestnet}) {
            auto back = chain::Address::parse(a->to_string(net));
            check(back.ok() && *back == *a);
        }
    }
}

}  // namespace venus::fuzz
