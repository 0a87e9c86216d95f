// SPDX-License-Identifier: Apache-2.0 OR MIT
//! BLS12-381 constants. Values are written canonically (big-endian hex) and converted to Montgomery
//! form at compile time. Derived values come from gen_constants.py (which also checks psi and beta).
#pragma once

#include "tower.hpp"

namespace venus::crypto::bls::detail {

// Exponents (canonical little-endian limbs; public).
inline constexpr u64 kPMinus2[6] = {0xb9feffffffffaaa9, 0x1eabfffeb153ffff, 0x6730d2a0f6b0f624,
                                    0x64774b84f38512bf, 0x4b1ba7b6434bacd7, 0x1a0111ea397fe69a};
inline constexpr u64 kPPlus1Div4[6] = {0xee7fbfffffffeaab, 0x07aaffffac54ffff, 0xd9cc34a83dac3d89,
                                       0xd91dd2e13ce144af, 0x92c6e9ed90d2eb35, 0x0680447a8e5ff9a6};
inline constexpr u64 kPMinus1Div2[6] = {0xdcff7fffffffd555, 0x0f55ffff58a9ffff, 0xb39869507b587b12,
                                        0xb23ba5c279c2895f, 0x258dd3db21a5d66b, 0x0d0088f51cbff34d};

inline constexpr u64 kPMinus3Div4[6] = {0xee7fbfffffffeaaa, 0x07aaffffac54ffff, 0xd9cc34a83dac3d89,
                                        0xd91dd2e13ce144af, 0x92c6e9ed90d2eb35, 0x0680447a8e5ff9a6};
//! sqrt(-125) = sqrt(-N(Z)^3) in Fp: relates the norms' square roots of the two SSWU candidates.
inline constexpr Fp kSqrtMinus125 =
    fp_hex("810e5a23cbb86fd12ded1af502287a397ed25c1d6fe0444e38c48e9c7ddb3c27cfebdd464e90f201fda0eb6983f2533");

//! |x| where x = -0xd201000000010000 is the BLS parameter.
inline constexpr u64 kXAbs = 0xd201000000010000;

inline constexpr Fp kHalf = fp_hex(
    "d0088f51cbff34d258dd3db21a5d66bb23ba5c279c2895fb39869507b587b120f55ffff58a9ffffdcff7fffffffd556");
//! Montgomery image of 2^256: mul(hi, kTwo256R2) = hi * 2^256 in Montgomery form.
inline constexpr Fp kTwo256R2 = fp_hex(
    "0f9628b49caa2e8515f34c83ddc8d83087663c4bf8c449d2168a13d82bff6bce3ec6ba621c3edb0b075b3cd7c5ce820f");

constexpr Fp2 fp2_hex(const char* c0, const char* c1) { return Fp2{fp_hex(c0), fp_hex(c1)}; }

//! Frobenius: kFrob1[k] = xi^(k(p-1)/6), kFrob2[k] = xi^(k(p^2-1)/6) (in Fp). Index 0 unused.
inline constexpr Fp2 kFrob1[6] = {
    fp2_hex("1", "0"),
    fp2_hex("1904d3bf02bb0667c231beb4202c0d1f0fd603fd3cbd5f4f7b2443d784bab9c4f67ea53d63e7813d8d0775ed92235fb8",
            "fc3e2b36c4e03288e9e902231f9fb854a14787b6c7b36fec0c8ec971f63c5f282d5ac14d6c7ec22cf78a126ddc4af3"),
    fp2_hex("0",
            "1a0111ea397fe699ec02408663d4de85aa0d857d89759ad4897d29650fb85f9b409427eb4f49fffd8bfd00000000aaac"),
    fp2_hex("6af0e0437ff400b6831e36d6bd17ffe48395dabc2d3435e77f76e17009241c5ee67992f72ec05f4c81084fbede3cc09",
            "6af0e0437ff400b6831e36d6bd17ffe48395dabc2d3435e77f76e17009241c5ee67992f72ec05f4c81084fbede3cc09"),
    fp2_hex("1a0111ea397fe699ec02408663d4de85aa0d857d89759ad4897d29650fb85f9b409427eb4f49fffd8bfd00000000aaad",
            "0"),
    fp2_hex("5b2cfd9013a5fd8df47fa6b48b1e045f39816240c0b8fee8beadf4d8e9c0566c63a3e6e257f87329b18fae980078116",
            "144e4211384586c16bd3ad4afa99cc9170df3560e77982d0db45f3536814f0bd5871c1908bd478cd1ee605167ff82995"),
};
inline constexpr Fp kFrob2[6] = {
    fp_hex("1"),
    fp_hex("5f19672fdf76ce51ba69c6076a0f77eaddb3a93be6f89688de17d813620a00022e01fffffffeffff"),
    fp_hex("5f19672fdf76ce51ba69c6076a0f77eaddb3a93be6f89688de17d813620a00022e01fffffffefffe"),
    fp_hex("1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaaa"),
    fp_hex("1a0111ea397fe699ec02408663d4de85aa0d857d89759ad4897d29650fb85f9b409427eb4f49fffd8bfd00000000aaac"),
    fp_hex("1a0111ea397fe699ec02408663d4de85aa0d857d89759ad4897d29650fb85f9b409427eb4f49fffd8bfd00000000aaad"),
};

//! psi(x, y) = (conj(x) * kPsiX, conj(y) * kPsiY) on E'(Fp2): untwist, Frobenius, twist.
inline constexpr Fp2 kPsiX = fp2_hex(
    "0", "1a0111ea397fe699ec02408663d4de85aa0d857d89759ad4897d29650fb85f9b409427eb4f49fffd8bfd00000000aaad");
inline constexpr Fp2 kPsiY = fp2_hex(
    "135203e60180a68ee2e9c448d77a2cd91c3dedd930b1cf60ef396489f61eb45e304466cf3e67fa0af1ee7b04121bdea2",
    "6af0e0437ff400b6831e36d6bd17ffe48395dabc2d3435e77f76e17009241c5ee67992f72ec05f4c81084fbede3cc09");
//! psi^2(x, y) = (x * kPsi2X, -y).
inline constexpr Fp kPsi2X =
    fp_hex("1a0111ea397fe699ec02408663d4de85aa0d857d89759ad4897d29650fb85f9b409427eb4f49fffd8bfd00000000aaac");
//! G1 endomorphism sigma(x, y) = (beta x, y) with eigenvalue -x^2 on G1.
inline constexpr Fp kBeta = fp_hex("5f19672fdf76ce51ba69c6076a0f77eaddb3a93be6f89688de17d813620a00022e01fffffffefffe");

// Curves: E: y^2 = x^3 + 4 over Fp; E': y^2 = x^3 + 4(1+u) over Fp2.
inline constexpr Fp kG1B = fp_hex("4");
inline constexpr Fp kG1B3 = fp_hex("c");  // 3b, used by the complete formulas
inline constexpr Fp2 kG2B = fp2_hex("4", "4");
inline constexpr Fp2 kG2B3 = fp2_hex("c", "c");

inline constexpr Fp kG1GenX = fp_hex(
    "17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb");
inline constexpr Fp kG1GenY = fp_hex(
    "08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1");
inline constexpr Fp2 kG2GenX = fp2_hex(
    "024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8",
    "13e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e");
inline constexpr Fp2 kG2GenY = fp2_hex(
    "0ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801",
    "0606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be");

// RFC 9380 8.8.2: simplified SWU on E2': y^2 = x^3 + A' x + B', A' = 240u, B' = 1012(1+u), Z = -(2+u).
inline constexpr Fp2 kSswuA = fp2_hex("0", "f0");
inline constexpr Fp2 kSswuB = fp2_hex("3f4", "3f4");
inline constexpr Fp2 kSswuZ = fp2_hex(
    "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaa9",
    "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaaa");

//! Precomputed for the SSWU map: -B'/A' and B'/(Z A') (the exceptional case).
inline constexpr Fp2 kSswuMinusBOverA = fp2_hex(
    "83c12791abdd5d2fe2f284f0cc6e5aa9b8c2d3f6f3f792302cf75e62bfc4df1d6834443da498888725d8cccccccb1c3",
    "11c4ff711ec210c74cec7f673684c72cc8eb1e458445999c64615cbacab4a8324828bbbad70a777747a173333332f8e8");
inline constexpr Fp2 kSswuBOverZA = fp2_hex(
    "1a59d4b6bbf912a32d63b43028e2deeebe8d5d97ca64b6d66f64ac7a265a9305e1a40da5edb81b4e3ac4f5c28f5bd27",
    "15103a07f641331bb298f5ed3ba1230aa0bcc9f87d923077324df24a0f7ffa93045d3d6f94c17ae10efa11eb851e7336");

// RFC 9380 Appendix E.3: the 3-isogeny E2' -> E2. k_(i,j), j ascending.
inline constexpr Fp2 kIsoXNum[4] = {
    fp2_hex("5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97d6",
            "5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97d6"),
    fp2_hex("0",
            "11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71a"),
    fp2_hex("11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71e",
            "8ab05f8bdd54cde190937e76bc3e447cc27c3d6fbd7063fcd104635a790520c0a395554e5c6aaaa9354ffffffffe38d"),
    fp2_hex("171d6541fa38ccfaed6dea691f5fb614cb14b4e7f4e810aa22d6108f142b85757098e38d0f671c7188e2aaaaaaaa5ed1",
            "0"),
};
// x_den = x'^2 + k_(2,1) x' + k_(2,0)
inline constexpr Fp2 kIsoXDen[2] = {
    fp2_hex("0",
            "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa63"),
    fp2_hex("c",
            "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa9f"),
};
inline constexpr Fp2 kIsoYNum[4] = {
    fp2_hex("1530477c7ab4113b59a4c18b076d11930f7da5d4a07f649bf54439d87d27e500fc8c25ebf8c92f6812cfc71c71c6d706",
            "1530477c7ab4113b59a4c18b076d11930f7da5d4a07f649bf54439d87d27e500fc8c25ebf8c92f6812cfc71c71c6d706"),
    fp2_hex("0",
            "5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97be"),
    fp2_hex("11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71c",
            "8ab05f8bdd54cde190937e76bc3e447cc27c3d6fbd7063fcd104635a790520c0a395554e5c6aaaa9354ffffffffe38f"),
    fp2_hex("124c9ad43b6cf79bfbf7043de3811ad0761b0f37a1e26286b0e977c69aa274524e79097a56dc4bd9e1b371c71c718b10",
            "0"),
};
// y_den = x'^3 + k_(4,2) x'^2 + k_(4,1) x' + k_(4,0)
inline constexpr Fp2 kIsoYDen[3] = {
    fp2_hex("1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa8fb",
            "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa8fb"),
    fp2_hex("0",
            "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa9d3"),
    fp2_hex("12",
            "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa99"),
};

}  // namespace venus::crypto::bls::detail
