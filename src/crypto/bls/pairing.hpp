// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Optimal ate pairing on BLS12-381: a multi-Miller loop (all pairs share the Fp12 squarings) and one
//! final exponentiation.
#pragma once

#include <cstddef>

#include "curve.hpp"

namespace venus::crypto::bls::detail {

//! prod_i f_{|x|,Q_i}(P_i), conjugated for the negative x. Pairs with an infinite point are skipped
//! (they contribute 1).
Fp12 miller_loop(const G1Affine* ps, const G2Affine* qs, std::size_t n);

//! f^(3 (p^12 - 1)/r): the cube of the reduced pairing (the hard part uses the Hayashida-Hayasaka-Teruya
//! decomposition, which yields the cube; harmless since gcd(3, r) = 1 and we only compare with 1).
Fp12 final_exponentiation(const Fp12& f);

//! e(P_1, Q_1) * ... * e(P_n, Q_n) == 1.
bool pairing_product_is_one(const G1Affine* ps, const G2Affine* qs, std::size_t n);

}  // namespace venus::crypto::bls::detail
