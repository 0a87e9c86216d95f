// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Arbitrary-precision signed integers (GMP) with Filecoin's encodings: TokenAmount (attoFIL),
//! StoragePower, chain weight, and the Q.256 fixed-point arithmetic of the election.
//!
//! Byte form (go-state-types big.Int): empty for zero, else a sign byte (0x00 positive, 0x01
//! negative) followed by the big-endian magnitude; at most 128 bytes. JSON form: a decimal string.
//!
//! Division follows go-state-types (`big.Div`/`big.Mod` are Go's Euclidean `Div`/`Mod`): for a
//! positive divisor that is floor division and a non-negative remainder. `quo`/`rem` truncate.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include <gmp.h>

#include "venus/core/bytes.hpp"
#include "venus/core/result.hpp"

namespace venus::chain {

inline constexpr std::size_t kBigIntMaxSerializedLen = 128;

class BigInt {
  public:
    BigInt() noexcept { mpz_init(v_); }
    BigInt(std::int64_t v) noexcept;  // NOLINT(google-explicit-constructor)
    BigInt(int v) noexcept : BigInt(static_cast<std::int64_t>(v)) {}  // NOLINT(google-explicit-constructor)
    static BigInt from_u64(std::uint64_t v) noexcept;
    BigInt(const BigInt& o) noexcept { mpz_init_set(v_, o.v_); }
    BigInt(BigInt&& o) noexcept {
        mpz_init(v_);
        mpz_swap(v_, o.v_);
    }
    BigInt& operator=(const BigInt& o) noexcept {
        mpz_set(v_, o.v_);
        return *this;
    }
    BigInt& operator=(BigInt&& o) noexcept {
        mpz_swap(v_, o.v_);
        return *this;
    }
    ~BigInt() { mpz_clear(v_); }

    //! Decimal with an optional sign (Go's `SetString(s, 10)`); at most 1000 characters.
    static Result<BigInt> from_string(std::string_view text);
    //! 1 << n.
    static BigInt pow2(unsigned n);
    std::string to_string() const;

    //! Filecoin byte form (see file comment). Accepts what go-state-types accepts (also the
    //! non-canonical `00` and leading zero bytes); rejects other sign bytes and > 128 bytes.
    static Result<BigInt> from_bytes(BytesView bytes);
    //! Canonical Filecoin byte form, without the 128-byte check (see `encoded_fits`).
    Bytes to_bytes() const;
    [[nodiscard]] bool encoded_fits() const noexcept { return byte_len() + 1 <= kBigIntMaxSerializedLen; }

    //! Unsigned big-endian magnitude (no sign), empty for zero.
    static BigInt from_magnitude(BytesView be) noexcept;
    Bytes magnitude() const;
    [[nodiscard]] std::size_t byte_len() const noexcept;  //!< bytes of the magnitude
    [[nodiscard]] std::size_t bit_len() const noexcept;

    [[nodiscard]] int sign() const noexcept { return mpz_sgn(v_); }
    [[nodiscard]] bool is_zero() const noexcept { return sign() == 0; }
    [[nodiscard]] bool fits_u64() const noexcept;
    [[nodiscard]] bool fits_i64() const noexcept;
    [[nodiscard]] std::uint64_t to_u64() const noexcept;  //!< low 64 bits of the magnitude
    [[nodiscard]] std::int64_t to_i64() const noexcept;   //!< only meaningful when fits_i64()

    BigInt operator-() const;
    BigInt abs() const;
    friend BigInt operator+(const BigInt& a, const BigInt& b);
    friend BigInt operator-(const BigInt& a, const BigInt& b);
    friend BigInt operator*(const BigInt& a, const BigInt& b);
    //! Euclidean (Go `Div`); division by zero is a programmer error (asserts).
    friend BigInt operator/(const BigInt& a, const BigInt& b);
    friend BigInt operator%(const BigInt& a, const BigInt& b);
    //! Truncated division and remainder (Go `Quo`/`Rem`).
    static BigInt quo(const BigInt& a, const BigInt& b);
    static BigInt rem(const BigInt& a, const BigInt& b);
    friend BigInt operator<<(const BigInt& a, unsigned n);
    //! Arithmetic shift (rounds toward minus infinity, like Go's `Rsh`).
    friend BigInt operator>>(const BigInt& a, unsigned n);
    BigInt& operator+=(const BigInt& b);
    BigInt& operator-=(const BigInt& b);
    BigInt& operator*=(const BigInt& b);

    friend bool operator==(const BigInt& a, const BigInt& b) noexcept { return mpz_cmp(a.v_, b.v_) == 0; }
    friend std::strong_ordering operator<=>(const BigInt& a, const BigInt& b) noexcept {
        const int c = mpz_cmp(a.v_, b.v_);
        return c < 0 ? std::strong_ordering::less : c > 0 ? std::strong_ordering::greater : std::strong_ordering::equal;
    }

    //! Direct access for algorithms GMP already provides (sqrt, gcd…).
    [[nodiscard]] mpz_srcptr raw() const noexcept { return v_; }
    [[nodiscard]] mpz_ptr raw() noexcept { return v_; }

  private:
    mpz_t v_;
};

BigInt min(const BigInt& a, const BigInt& b);
BigInt max(const BigInt& a, const BigInt& b);

//! attoFIL amounts. 1 FIL = 10^18 attoFIL.
using TokenAmount = BigInt;
BigInt fil_precision();  //!< 10^18

//! Lotus `types.FIL.String()`: "1.5 FIL", "0 FIL", "-0.000000000000000001 FIL".
std::string format_fil(const TokenAmount& atto);
//! Lotus `types.ParseFIL`: "1.5", "1.5 FIL", "1.5fil", "150 attofil", "150 afil", "-2"; fractions
//! of an attoFIL are rejected.
Result<TokenAmount> parse_fil(std::string_view text);

}  // namespace venus::chain
