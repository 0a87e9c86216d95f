// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "venus/crypto/secp256k1.hpp"

#include <secp256k1.h>
#include <secp256k1_recovery.h>
#include <sodium.h>

#include <cstdlib>

namespace venus::crypto::secp256k1 {
namespace {

// One context for the process: signing and verification only read it, so threads may share it.
// It is randomized once to blind the signing computation against side channels.
const secp256k1_context* ctx() {
    static secp256k1_context* c = [] {
        secp256k1_context* x = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
        if (x == nullptr) std::abort();
        if (sodium_init() < 0) std::abort();
        unsigned char seed[32];
        randombytes_buf(seed, sizeof seed);
        if (secp256k1_context_randomize(x, seed) != 1) std::abort();
        sodium_memzero(seed, sizeof seed);
        return x;
    }();
    return c;
}

Status check_private_key(BytesView k) {
    if (k.size() != kPrivateKeySize) {
        return make_error(Errc::kInvalidArgument, "secp256k1: private key must be 32 bytes, got {}", k.size());
    }
    if (secp256k1_ec_seckey_verify(ctx(), k.data()) != 1) {
        return make_error(Errc::kInvalidArgument, "secp256k1: private key out of range");
    }
    return {};
}

PublicKey serialize(const secp256k1_pubkey& pk) {
    PublicKey out;
    std::size_t len = out.size();
    secp256k1_ec_pubkey_serialize(ctx(), out.data(), &len, &pk, SECP256K1_EC_UNCOMPRESSED);
    return out;
}

}  // namespace

Result<PrivateKey> generate_private_key() {
    PrivateKey k;
    for (int attempt = 0; attempt < 64; ++attempt) {
        randombytes_buf(k.data(), k.size());
        if (secp256k1_ec_seckey_verify(ctx(), k.data()) == 1) return k;
    }
    return make_error(Errc::kInternal, "secp256k1: could not generate a key");
}

Result<PublicKey> public_key(BytesView private_key) {
    VENUS_TRY_VOID(check_private_key(private_key));
    secp256k1_pubkey pk;
    if (secp256k1_ec_pubkey_create(ctx(), &pk, private_key.data()) != 1) {
        return make_error(Errc::kInvalidArgument, "secp256k1: invalid private key");
    }
    return serialize(pk);
}

Result<Signature> sign_digest(BytesView private_key, const Hash256& digest) {
    VENUS_TRY_VOID(check_private_key(private_key));
    secp256k1_ecdsa_recoverable_signature sig;
    if (secp256k1_ecdsa_sign_recoverable(ctx(), &sig, digest.data(), private_key.data(), nullptr, nullptr) != 1) {
        return make_error(Errc::kInternal, "secp256k1: signing failed");
    }
    Signature out;
    int recid = 0;
    secp256k1_ecdsa_recoverable_signature_serialize_compact(ctx(), out.data(), &recid, &sig);
    out[64] = static_cast<std::uint8_t>(recid);
    return out;
}

Result<Signature> sign(BytesView private_key, BytesView data) { return sign_digest(private_key, blake2b_256(data)); }

Result<PublicKey> recover_digest(BytesView signature, const Hash256& digest) {
    if (signature.size() != kSignatureSize) {
        return make_error(Errc::kInvalidArgument, "secp256k1: signature must be 65 bytes, got {}", signature.size());
    }
    if (signature[64] > 3) return make_error(Errc::kInvalidArgument, "secp256k1: invalid recovery id {}", signature[64]);
    secp256k1_ecdsa_recoverable_signature sig;
    if (secp256k1_ecdsa_recoverable_signature_parse_compact(ctx(), &sig, signature.data(), signature[64]) != 1) {
        return make_error(Errc::kInvalidArgument, "secp256k1: malformed signature");
    }
    secp256k1_pubkey pk;
    if (secp256k1_ecdsa_recover(ctx(), &pk, &sig, digest.data()) != 1) {
        return make_error(Errc::kInvalidArgument, "secp256k1: public key recovery failed");
    }
    return serialize(pk);
}

Result<PublicKey> recover(BytesView signature, BytesView data) { return recover_digest(signature, blake2b_256(data)); }

Result<bool> verify(BytesView signature, BytesView data, BytesView public_key) {
    if (signature.size() != kSignatureSize && signature.size() != 64) {
        return make_error(Errc::kInvalidArgument, "secp256k1: signature must be 64 or 65 bytes");
    }
    secp256k1_pubkey pk;
    if (secp256k1_ec_pubkey_parse(ctx(), &pk, public_key.data(), public_key.size()) != 1) {
        return make_error(Errc::kInvalidArgument, "secp256k1: malformed public key");
    }
    secp256k1_ecdsa_signature sig;
    if (secp256k1_ecdsa_signature_parse_compact(ctx(), &sig, signature.data()) != 1) {
        return make_error(Errc::kInvalidArgument, "secp256k1: malformed signature");
    }
    const Hash256 digest = blake2b_256(data);
    return secp256k1_ecdsa_verify(ctx(), &sig, digest.data(), &pk) == 1;
}

}  // namespace venus::crypto::secp256k1
