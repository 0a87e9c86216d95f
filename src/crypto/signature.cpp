// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "venus/crypto/signature.hpp"

#include <algorithm>

#include "venus/crypto/hash.hpp"
#include "venus/crypto/secp256k1.hpp"

#if VENUS_HAVE_BLS
#include "venus/crypto/bls.hpp"
#endif

namespace venus::crypto {
namespace {

Error unsupported(SigType t) {
    if (t == SigType::kBls) return make_error(Errc::kUnsupported, "BLS signatures are not available in this build");
    return make_error(Errc::kUnsupported, "signature type {} is not supported", static_cast<int>(t));
}

}  // namespace

bool bls_available() noexcept { return VENUS_HAVE_BLS != 0; }

Result<Bytes> generate_private_key(SigType type) {
    switch (type) {
        case SigType::kSecp256k1: {
            VENUS_TRY(auto k, secp256k1::generate_private_key());
            return Bytes(k.begin(), k.end());
        }
#if VENUS_HAVE_BLS
        case SigType::kBls: {
            VENUS_TRY(auto k, bls::PrivateKey::generate());
            const auto b = k.to_bytes();
            return Bytes(b.begin(), b.end());
        }
#endif
        default: return unsupported(type);
    }
}

Result<Bytes> public_key(SigType type, BytesView private_key) {
    switch (type) {
        case SigType::kSecp256k1: {
            VENUS_TRY(auto pk, secp256k1::public_key(private_key));
            return Bytes(pk.begin(), pk.end());
        }
#if VENUS_HAVE_BLS
        case SigType::kBls: {
            VENUS_TRY(auto pk, bls::public_key_from_private(private_key));
            return Bytes(pk.begin(), pk.end());
        }
#endif
        default: return unsupported(type);
    }
}

Result<Bytes> sign(SigType type, BytesView private_key, BytesView data) {
    switch (type) {
        case SigType::kSecp256k1: {
            VENUS_TRY(auto sig, secp256k1::sign(private_key, data));
            return Bytes(sig.begin(), sig.end());
        }
#if VENUS_HAVE_BLS
        case SigType::kBls: {
            VENUS_TRY(auto sig, bls::sign(private_key, data));
            return Bytes(sig.begin(), sig.end());
        }
#endif
        default: return unsupported(type);
    }
}

Result<bool> verify(SigType type, BytesView signature, BytesView address_bytes, BytesView data) {
    if (address_bytes.empty()) return make_error(Errc::kInvalidArgument, "verify: empty address");
    const std::uint8_t protocol = address_bytes[0];
    const BytesView payload = address_bytes.subspan(1);
    switch (type) {
        case SigType::kSecp256k1: {
            VENUS_TRY(auto pk, secp256k1::recover(signature, data));
            if (protocol != 1) return false;  // only an f1 address can be the signer
            const auto h = blake2b_160(pk);
            return std::equal(h.begin(), h.end(), payload.begin(), payload.end());
        }
#if VENUS_HAVE_BLS
        case SigType::kBls:
            if (protocol != 3) return false;
            return bls::verify(payload, data, signature);
#endif
        default: return unsupported(type);
    }
}

}  // namespace venus::crypto
