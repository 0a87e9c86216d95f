// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Strict DAG-CBOR.
//!
//! * CborWriter appends canonical DAG-CBOR to a byte vector (shortest heads, definite lengths,
//!   64-bit floats, CIDs as tag 42 over `0x00 ‖ cid bytes`). Writing typed structs allocates nothing
//!   beyond the output vector.
//! * CborReader is a cursor over a byte span with typed reads for code that knows the layout
//!   (`read_array_header`, `read_uint`, `read_bytes`, `read_cid`, …). Byte and text strings come back
//!   as views into the input. Every read validates DAG-CBOR rules: minimal integer heads, no
//!   indefinite lengths, only tag 42, only false/true/null simple values, 64-bit finite floats.
//! * CborValue is a generic tree for tools and fixtures; `decode_value` additionally checks map keys
//!   (text only, canonical length-first order, no duplicates) and UTF-8.
//!
//! Limits bound the work any input can cause: container counts are checked against the bytes left
//! before anything is reserved, and depth/item totals are capped.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "venus/codec/cid.hpp"
#include "venus/core/bytes.hpp"
#include "venus/core/result.hpp"

namespace venus::codec {

enum class CborMajor : std::uint8_t {
    kUnsigned = 0,
    kNegative = 1,
    kBytes = 2,
    kText = 3,
    kArray = 4,
    kMap = 5,
    kTag = 6,
    kSimple = 7,  //!< false/true/null and floats
};

inline constexpr std::uint64_t kCborCidTag = 42;

struct CborLimits {
    std::size_t max_input = 64u << 20;   //!< whole input, bytes
    std::size_t max_depth = 64;          //!< container nesting (generic decode and skip)
    std::size_t max_items = 1u << 22;    //!< total array elements + map entries announced
    std::size_t max_string = 16u << 20;  //!< one byte/text string
    //! Accept well-formed but non-canonical input: non-minimal heads, 16/32-bit floats (widened)
    //! and unsorted map keys (duplicates are still rejected). Only for tools that canonicalize;
    //! everything on the chain path stays strict.
    bool allow_noncanonical = false;
};

//! Canonical DAG-CBOR writer appending to `out` (which it does not clear).
class CborWriter {
  public:
    explicit CborWriter(Bytes& out) noexcept : out_(out) {}

    void head(CborMajor major, std::uint64_t arg);
    void write_uint(std::uint64_t v) { head(CborMajor::kUnsigned, v); }
    void write_int(std::int64_t v) {
        if (v >= 0) {
            head(CborMajor::kUnsigned, static_cast<std::uint64_t>(v));
        } else {
            head(CborMajor::kNegative, static_cast<std::uint64_t>(-(v + 1)));
        }
    }
    //! The negative integer -1 - n (covers the whole CBOR range down to -2^64).
    void write_negative(std::uint64_t n) { head(CborMajor::kNegative, n); }
    void write_bytes(BytesView b);
    void write_text(std::string_view s);
    void write_array_header(std::uint64_t n) { head(CborMajor::kArray, n); }
    void write_map_header(std::uint64_t n) { head(CborMajor::kMap, n); }
    void write_bool(bool b) { out_.push_back(b ? 0xf5 : 0xf4); }
    void write_null() { out_.push_back(0xf6); }
    //! DAG-CBOR floats are always 8 bytes; callers must not pass NaN or infinities.
    void write_float(double d);
    //! Tag 42 link; an undefined CID cannot be written (use write_null for optional links).
    void write_cid(const Cid& c);
    //! Appends already-encoded CBOR (one or more complete items).
    void write_raw(BytesView encoded) { out_.insert(out_.end(), encoded.begin(), encoded.end()); }

    [[nodiscard]] Bytes& buffer() noexcept { return out_; }

  private:
    Bytes& out_;
};

//! Byte length of a CBOR head with argument `arg`.
constexpr std::size_t cbor_head_size(std::uint64_t arg) noexcept {
    return arg < 24 ? 1 : arg <= 0xff ? 2 : arg <= 0xffff ? 3 : arg <= 0xffffffffULL ? 5 : 9;
}

//! Cursor-style strict DAG-CBOR reader. Errors carry the byte offset.
class CborReader {
  public:
    explicit CborReader(BytesView data, const CborLimits& limits = {}) noexcept
        : data_(data), limits_(limits) {}

    [[nodiscard]] std::size_t position() const noexcept { return pos_; }
    [[nodiscard]] bool at_end() const noexcept { return pos_ == data_.size(); }
    [[nodiscard]] BytesView remaining() const noexcept { return data_.subspan(pos_); }

    //! Major type of the next item without consuming it.
    Result<CborMajor> peek_major() const;
    //! True (and consumed) when the next item is null.
    bool try_read_null() noexcept;
    [[nodiscard]] bool next_is_null() const noexcept { return pos_ < data_.size() && data_[pos_] == 0xf6; }

    Result<std::uint64_t> read_uint();
    //! Major 0 or 1 within int64 range (cbor-gen's int64 fields).
    Result<std::int64_t> read_int();
    Result<std::uint64_t> read_array_header();
    //! Reads an array header and checks it announces exactly `n` elements.
    Status read_array_header(std::uint64_t n);
    Result<std::uint64_t> read_map_header();
    //! A byte string as a view into the input; `max_len` lets callers apply per-field limits.
    Result<BytesView> read_bytes(std::size_t max_len = SIZE_MAX);
    Result<std::string_view> read_text(std::size_t max_len = SIZE_MAX);
    Result<bool> read_bool();
    Status read_null();
    Result<double> read_float();
    //! Tag 42 + byte string `0x00 ‖ cid`.
    Result<Cid> read_cid();
    //! Skips one complete item (validating it) with the depth limit.
    Status skip();
    //! Returns the raw bytes of the next complete item and advances past it.
    Result<BytesView> read_raw();
    //! Fails unless every byte was consumed.
    Status expect_end() const;

    [[nodiscard]] const CborLimits& limits() const noexcept { return limits_; }

    //! Low level: reads a head (major, argument), enforcing minimal encoding and definite lengths.
    Status read_head(CborMajor& major, std::uint64_t& arg);
    //! Counts `n` announced elements (×2 for maps) against the item limit and the bytes left.
    Status account_items(std::uint64_t n, std::size_t min_bytes_each);
    Error error_at(std::string_view what) const;

  private:
    Status skip_depth(std::size_t depth);
    Status expect_major(CborMajor want, CborMajor got) const;

    BytesView data_;
    std::size_t pos_ = 0;
    std::size_t items_ = 0;
    CborLimits limits_;
};

//! A generic DAG-CBOR value (for tools, tests and fixtures; typed code uses CborReader directly).
class CborValue {
  public:
    struct Negative {
        std::uint64_t n;  //!< the value is -1 - n
        bool operator==(const Negative&) const = default;
    };
    using Array = std::vector<CborValue>;
    using Map = std::vector<std::pair<std::string, CborValue>>;  //!< kept in canonical key order
    using Variant = std::variant<std::uint64_t, Negative, Bytes, std::string, Array, Map, bool, std::nullptr_t,
                                 double, Cid>;

    CborValue() : v_(nullptr) {}
    template <typename T, typename = std::enable_if_t<std::is_constructible_v<Variant, T&&> &&
                                                      !std::is_same_v<std::decay_t<T>, CborValue>>>
    CborValue(T&& v) : v_(std::forward<T>(v)) {}  // NOLINT(google-explicit-constructor)

    [[nodiscard]] const Variant& variant() const noexcept { return v_; }
    [[nodiscard]] Variant& variant() noexcept { return v_; }
    template <typename T>
    [[nodiscard]] bool is() const noexcept { return std::holds_alternative<T>(v_); }
    template <typename T>
    [[nodiscard]] const T& as() const { return std::get<T>(v_); }
    template <typename T>
    [[nodiscard]] T& as() { return std::get<T>(v_); }

    friend bool operator==(const CborValue& a, const CborValue& b);

  private:
    Variant v_;
};

//! Decodes one complete DAG-CBOR item spanning all of `data`.
Result<CborValue> decode_value(BytesView data, const CborLimits& limits = {});
//! Reads one item at the reader's position.
Result<CborValue> read_value(CborReader& reader);
//! Canonical encoding (map keys are re-sorted length-first, then bytewise).
void write_value(CborWriter& w, const CborValue& v);
Bytes encode_value(const CborValue& v);
//! Checks that `data` is exactly one valid DAG-CBOR item (including map key order and UTF-8)
//! without building a tree.
Status validate(BytesView data, const CborLimits& limits = {});

//! True when `s` is well-formed UTF-8 (no overlongs, no surrogates, ≤ U+10FFFF).
bool is_valid_utf8(std::string_view s) noexcept;

}  // namespace venus::codec
