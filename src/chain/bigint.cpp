// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "venus/chain/bigint.hpp"

#include <algorithm>
#include <cassert>
#include <cctype>

namespace venus::chain {
namespace {
constexpr std::size_t kMaxDecimalLen = 1000;
}

BigInt::BigInt(std::int64_t v) noexcept {
    if (v >= 0) {
        mpz_init(v_);
        mpz_import(v_, 1, -1, sizeof(std::uint64_t), 0, 0, &v);  // full 64 bits even where long is 32
    } else {
        const std::uint64_t mag = static_cast<std::uint64_t>(-(v + 1)) + 1;
        mpz_init(v_);
        mpz_import(v_, 1, -1, sizeof mag, 0, 0, &mag);
        mpz_neg(v_, v_);
    }
}

BigInt BigInt::from_u64(std::uint64_t v) noexcept {
    BigInt b;
    mpz_import(b.v_, 1, -1, sizeof v, 0, 0, &v);
    return b;
}

Result<BigInt> BigInt::from_string(std::string_view text) {
    if (text.empty() || text.size() > kMaxDecimalLen) {
        return make_error(Errc::kInvalidArgument, "bigint: bad decimal string '{}'", text.substr(0, 64));
    }
    std::size_t i = 0;
    bool neg = false;
    if (text[0] == '+' || text[0] == '-') {
        neg = text[0] == '-';
        i = 1;
    }
    if (i == text.size()) return make_error(Errc::kInvalidArgument, "bigint: bad decimal string '{}'", text);
    for (std::size_t k = i; k < text.size(); ++k) {
        if (text[k] < '0' || text[k] > '9') {
            return make_error(Errc::kInvalidArgument, "bigint: bad decimal string '{}'", text.substr(0, 64));
        }
    }
    BigInt b;
    const std::string digits(text.substr(i));
    mpz_set_str(b.v_, digits.c_str(), 10);
    if (neg) mpz_neg(b.v_, b.v_);
    return b;
}

BigInt BigInt::pow2(unsigned n) {
    BigInt b;
    mpz_setbit(b.v_, n);
    return b;
}

std::string BigInt::to_string() const {
    std::string s(mpz_sizeinbase(v_, 10) + 2, '\0');
    mpz_get_str(s.data(), 10, v_);
    s.resize(std::char_traits<char>::length(s.c_str()));
    return s;
}

Result<BigInt> BigInt::from_bytes(BytesView bytes) {
    if (bytes.empty()) return BigInt{};
    if (bytes.size() > kBigIntMaxSerializedLen) {
        return make_error(Errc::kOutOfRange, "bigint: {} bytes exceed the {} byte limit", bytes.size(),
                          kBigIntMaxSerializedLen);
    }
    if (bytes[0] > 1) return make_error(Errc::kInvalidArgument, "bigint: sign byte must be 0 or 1, got {}", bytes[0]);
    BigInt b = from_magnitude(bytes.subspan(1));
    if (bytes[0] == 1) mpz_neg(b.v_, b.v_);
    return b;
}

Bytes BigInt::to_bytes() const {
    if (is_zero()) return {};
    Bytes out(byte_len() + 1);
    out[0] = sign() < 0 ? 1 : 0;
    std::size_t n = 0;
    mpz_export(out.data() + 1, &n, 1, 1, 1, 0, v_);
    return out;
}

BigInt BigInt::from_magnitude(BytesView be) noexcept {
    BigInt b;
    if (!be.empty()) mpz_import(b.v_, be.size(), 1, 1, 1, 0, be.data());
    return b;
}

Bytes BigInt::magnitude() const {
    Bytes out(byte_len());
    std::size_t n = 0;
    if (!out.empty()) mpz_export(out.data(), &n, 1, 1, 1, 0, v_);
    return out;
}

std::size_t BigInt::byte_len() const noexcept { return is_zero() ? 0 : (mpz_sizeinbase(v_, 2) + 7) / 8; }
std::size_t BigInt::bit_len() const noexcept { return is_zero() ? 0 : mpz_sizeinbase(v_, 2); }

bool BigInt::fits_u64() const noexcept { return sign() >= 0 && bit_len() <= 64; }
bool BigInt::fits_i64() const noexcept {
    if (sign() >= 0) return bit_len() <= 63;
    // -2^63 has 64 bits but fits.
    return bit_len() <= 63 || (bit_len() == 64 && mpz_scan1(v_, 0) == 63);
}

std::uint64_t BigInt::to_u64() const noexcept {
    std::uint64_t out = 0;
    std::size_t n = 0;
    if (is_zero()) return 0;
    // Export the low 64 bits of the magnitude.
    mpz_t low;
    mpz_init(low);
    mpz_abs(low, v_);
    mpz_fdiv_r_2exp(low, low, 64);
    if (mpz_sgn(low) != 0) mpz_export(&out, &n, -1, sizeof out, 0, 0, low);
    mpz_clear(low);
    return out;
}

std::int64_t BigInt::to_i64() const noexcept {
    const std::uint64_t mag = to_u64();
    if (sign() >= 0) return static_cast<std::int64_t>(mag);
    return static_cast<std::int64_t>(~mag + 1);
}

BigInt BigInt::operator-() const {
    BigInt r;
    mpz_neg(r.v_, v_);
    return r;
}
BigInt BigInt::abs() const {
    BigInt r;
    mpz_abs(r.v_, v_);
    return r;
}
BigInt operator+(const BigInt& a, const BigInt& b) {
    BigInt r;
    mpz_add(r.v_, a.v_, b.v_);
    return r;
}
BigInt operator-(const BigInt& a, const BigInt& b) {
    BigInt r;
    mpz_sub(r.v_, a.v_, b.v_);
    return r;
}
BigInt operator*(const BigInt& a, const BigInt& b) {
    BigInt r;
    mpz_mul(r.v_, a.v_, b.v_);
    return r;
}
BigInt operator/(const BigInt& a, const BigInt& b) {
    assert(!b.is_zero());
    BigInt r;
    if (b.sign() > 0) {
        mpz_fdiv_q(r.v_, a.v_, b.v_);
    } else {
        mpz_cdiv_q(r.v_, a.v_, b.v_);
    }
    return r;
}
BigInt operator%(const BigInt& a, const BigInt& b) {
    assert(!b.is_zero());
    BigInt r;
    mpz_mod(r.v_, a.v_, b.v_);  // always non-negative: Euclidean
    return r;
}
BigInt BigInt::quo(const BigInt& a, const BigInt& b) {
    assert(!b.is_zero());
    BigInt r;
    mpz_tdiv_q(r.v_, a.v_, b.v_);
    return r;
}
BigInt BigInt::rem(const BigInt& a, const BigInt& b) {
    assert(!b.is_zero());
    BigInt r;
    mpz_tdiv_r(r.v_, a.v_, b.v_);
    return r;
}
BigInt operator<<(const BigInt& a, unsigned n) {
    BigInt r;
    mpz_mul_2exp(r.v_, a.v_, n);
    return r;
}
BigInt operator>>(const BigInt& a, unsigned n) {
    BigInt r;
    mpz_fdiv_q_2exp(r.v_, a.v_, n);
    return r;
}
BigInt& BigInt::operator+=(const BigInt& b) {
    mpz_add(v_, v_, b.v_);
    return *this;
}
BigInt& BigInt::operator-=(const BigInt& b) {
    mpz_sub(v_, v_, b.v_);
    return *this;
}
BigInt& BigInt::operator*=(const BigInt& b) {
    mpz_mul(v_, v_, b.v_);
    return *this;
}

BigInt min(const BigInt& a, const BigInt& b) { return a < b ? a : b; }
BigInt max(const BigInt& a, const BigInt& b) { return a < b ? b : a; }

BigInt fil_precision() {
    static const BigInt kPrecision = BigInt::from_u64(1000000000000000000ULL);
    return kPrecision;
}

std::string format_fil(const TokenAmount& atto) {
    if (atto.is_zero()) return "0 FIL";
    const BigInt mag = atto.abs();
    const BigInt whole = mag / fil_precision();
    const BigInt frac = mag % fil_precision();
    std::string out;
    if (atto.sign() < 0) out.push_back('-');
    out.append(whole.to_string());
    if (!frac.is_zero()) {
        const std::string f = frac.to_string();
        std::string padded(18 - std::min<std::size_t>(f.size(), 18), '0');
        padded.append(f);
        const std::size_t end = padded.find_last_not_of('0');
        out.push_back('.');
        out.append(padded, 0, end + 1);
    }
    out.append(" FIL");
    return out;
}

Result<TokenAmount> parse_fil(std::string_view text) {
    // The number is the leading run of "-.0123456789"; what follows is the unit (Lotus ParseFIL).
    const std::size_t split = text.find_first_not_of("-.1234567890");
    std::string_view num = text.substr(0, split);
    std::string_view suffix = split == std::string_view::npos ? std::string_view{} : text.substr(split);
    bool atto = false;
    if (!suffix.empty()) {
        std::string norm;
        for (char c : suffix) norm.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        const auto b = norm.find_first_not_of(" \t\r\n");
        const auto e = norm.find_last_not_of(" \t\r\n");
        norm = b == std::string::npos ? std::string{} : norm.substr(b, e - b + 1);
        if (norm == "attofil" || norm == "afil") {
            atto = true;
        } else if (!norm.empty() && norm != "fil") {
            return make_error(Errc::kInvalidArgument, "unrecognized suffix: \"{}\"", suffix);
        }
    }
    if (num.size() > 50) return make_error(Errc::kInvalidArgument, "string length too large: {}", num.size());
    bool neg = false;
    if (!num.empty() && num[0] == '-') {
        neg = true;
        num.remove_prefix(1);
    }
    const auto dot = num.find('.');
    std::string_view int_part = num.substr(0, dot);
    std::string_view frac_part = dot == std::string_view::npos ? std::string_view{} : num.substr(dot + 1);
    const bool digits_only = int_part.find_first_not_of("0123456789") == std::string_view::npos &&
                             frac_part.find_first_not_of("0123456789") == std::string_view::npos;
    if (!digits_only || (int_part.empty() && frac_part.empty())) {
        return make_error(Errc::kInvalidArgument, "failed to parse \"{}\" as a decimal number", text);
    }
    const std::size_t scale = atto ? 0 : 18;
    // Trailing zeros of the fraction do not make it finer than the unit.
    while (!frac_part.empty() && frac_part.back() == '0') frac_part.remove_suffix(1);
    if (frac_part.size() > scale) {
        return make_error(Errc::kInvalidArgument, "invalid {}FIL value: \"{}\"", atto ? "atto" : "", text);
    }
    // value = (int_part ‖ frac_part) * 10^(scale - len(frac_part)), computed without string surgery.
    BigInt v;
    for (std::string_view part : {int_part, frac_part}) {
        for (char c : part) v = v * BigInt(10) + BigInt(c - '0');
    }
    for (std::size_t i = frac_part.size(); i < scale; ++i) v *= BigInt(10);
    return neg ? -v : v;
}

}  // namespace venus::chain
