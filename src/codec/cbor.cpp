// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "venus/codec/cbor.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

namespace venus::codec {
namespace {

// DAG-CBOR map keys sort by encoded length first, then bytewise; for text keys that is the string
// length then the bytes.
bool key_less(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return a.size() < b.size();
    return a < b;
}


}  // namespace

// ---------------------------------------------------------------------------------------------
// Writer

void CborWriter::head(CborMajor major, std::uint64_t arg) {
    const auto m = static_cast<std::uint8_t>(static_cast<std::uint8_t>(major) << 5);
    if (arg < 24) {
        out_.push_back(static_cast<std::uint8_t>(m | arg));
    } else if (arg <= 0xff) {
        const std::uint8_t b[2] = {static_cast<std::uint8_t>(m | 24), static_cast<std::uint8_t>(arg)};
        out_.insert(out_.end(), b, b + 2);
    } else if (arg <= 0xffff) {
        const std::uint8_t b[3] = {static_cast<std::uint8_t>(m | 25), static_cast<std::uint8_t>(arg >> 8),
                                   static_cast<std::uint8_t>(arg)};
        out_.insert(out_.end(), b, b + 3);
    } else if (arg <= 0xffffffffULL) {
        const std::uint8_t b[5] = {static_cast<std::uint8_t>(m | 26), static_cast<std::uint8_t>(arg >> 24),
                                   static_cast<std::uint8_t>(arg >> 16), static_cast<std::uint8_t>(arg >> 8),
                                   static_cast<std::uint8_t>(arg)};
        out_.insert(out_.end(), b, b + 5);
    } else {
        std::uint8_t b[9];
        b[0] = static_cast<std::uint8_t>(m | 27);
        for (int i = 0; i < 8; ++i) b[1 + i] = static_cast<std::uint8_t>(arg >> (56 - 8 * i));
        out_.insert(out_.end(), b, b + 9);
    }
}

void CborWriter::write_bytes(BytesView b) {
    head(CborMajor::kBytes, b.size());
    out_.insert(out_.end(), b.begin(), b.end());
}

void CborWriter::write_text(std::string_view s) {
    head(CborMajor::kText, s.size());
    out_.insert(out_.end(), s.begin(), s.end());
}

void CborWriter::write_float(double d) {
    const auto bits = std::bit_cast<std::uint64_t>(d);
    std::uint8_t b[9];
    b[0] = 0xfb;
    for (int i = 0; i < 8; ++i) b[1 + i] = static_cast<std::uint8_t>(bits >> (56 - 8 * i));
    out_.insert(out_.end(), b, b + 9);
}

void CborWriter::write_cid(const Cid& c) {
    const BytesView b = c.bytes();
    const std::uint8_t tag[2] = {0xd8, 0x2a};
    out_.insert(out_.end(), tag, tag + 2);
    head(CborMajor::kBytes, b.size() + 1);
    out_.push_back(0x00);  // the multibase "identity" prefix DAG-CBOR puts before binary CIDs
    out_.insert(out_.end(), b.begin(), b.end());
}

// ---------------------------------------------------------------------------------------------
// Reader

Error CborReader::error_at(std::string_view what) const {
    return make_error(Errc::kInvalidArgument, "cbor: {} at offset {}", what, pos_);
}

Status CborReader::read_head(CborMajor& major, std::uint64_t& arg) {
    if (pos_ >= data_.size()) return error_at("unexpected end of input");
    if (data_.size() > limits_.max_input) {
        return make_error(Errc::kOutOfRange, "cbor: input of {} bytes exceeds the {} byte limit", data_.size(),
                          limits_.max_input);
    }
    const std::uint8_t ib = data_[pos_];
    major = static_cast<CborMajor>(ib >> 5);
    if (ib == 0xfa || ib == 0xf9) {  // floats other than 64-bit: only in non-canonical mode
        major = CborMajor::kSimple;
    }
    const std::uint8_t ai = ib & 31;
    if (major == CborMajor::kSimple) {
        switch (ai) {
            case 20:
            case 21:
            case 22:
                arg = ai;
                ++pos_;
                return {};
            case 27: {
                if (data_.size() - pos_ < 9) return error_at("truncated float");
                std::uint64_t bits = 0;
                for (int i = 1; i <= 8; ++i) bits = (bits << 8) | data_[pos_ + static_cast<std::size_t>(i)];
                const double d = std::bit_cast<double>(bits);
                if (!std::isfinite(d)) return error_at("NaN and infinite floats are not allowed in DAG-CBOR");
                arg = bits;
                pos_ += 9;
                return {};
            }
            case 25:
            case 26: {
                if (!limits_.allow_noncanonical) return error_at("floats must be encoded in 64 bits");
                const std::size_t n = ai == 25 ? 2 : 4;
                if (data_.size() - pos_ < n + 1) return error_at("truncated float");
                std::uint32_t raw = 0;
                for (std::size_t i = 1; i <= n; ++i) raw = (raw << 8) | data_[pos_ + i];
                double d;
                if (ai == 26) {
                    d = static_cast<double>(std::bit_cast<float>(raw));
                } else {  // IEEE 754 half precision
                    const int exp = static_cast<int>((raw >> 10) & 0x1f);
                    const double mant = static_cast<double>(raw & 0x3ff);
                    d = exp == 0 ? std::ldexp(mant, -24) : exp == 31 ? INFINITY : std::ldexp(mant + 1024, exp - 25);
                    if (raw & 0x8000) d = -d;
                }
                if (!std::isfinite(d)) return error_at("NaN and infinite floats are not allowed in DAG-CBOR");
                arg = std::bit_cast<std::uint64_t>(d);
                pos_ += n + 1;
                return {};
            }
            case 31: return error_at("unexpected break");
            default: return error_at("simple value not allowed in DAG-CBOR");
        }
    }
    if (ai < 24) {
        arg = ai;
        ++pos_;
        return {};
    }
    std::size_t n = 0;
    switch (ai) {
        case 24: n = 1; break;
        case 25: n = 2; break;
        case 26: n = 4; break;
        case 27: n = 8; break;
        case 31: return error_at("indefinite-length items are not allowed");
        default: return error_at("reserved additional information");
    }
    if (data_.size() - pos_ - 1 < n) return error_at("truncated head");
    std::uint64_t v = 0;
    for (std::size_t i = 1; i <= n; ++i) v = (v << 8) | data_[pos_ + i];
    const bool minimal = (n == 1 && v >= 24) || (n == 2 && v > 0xff) || (n == 4 && v > 0xffff) ||
                         (n == 8 && v > 0xffffffffULL);
    if (!minimal && !limits_.allow_noncanonical) return error_at("integer not minimally encoded");
    arg = v;
    pos_ += 1 + n;
    return {};
}

Status CborReader::account_items(std::uint64_t n, std::size_t min_bytes_each) {
    if (n > (data_.size() - pos_) / min_bytes_each) return error_at("container length exceeds the input");
    items_ += static_cast<std::size_t>(n);
    if (items_ > limits_.max_items) {
        return make_error(Errc::kOutOfRange, "cbor: more than {} items", limits_.max_items);
    }
    return {};
}

Status CborReader::expect_major(CborMajor want, CborMajor got) const {
    if (want == got) return {};
    static constexpr const char* kNames[] = {"unsigned integer", "negative integer", "byte string", "text string",
                                             "array", "map", "tag", "simple value/float"};
    return make_error(Errc::kInvalidArgument, "cbor: expected {}, found {} at offset {}",
                      kNames[static_cast<int>(want)], kNames[static_cast<int>(got)], pos_);
}

Result<CborMajor> CborReader::peek_major() const {
    if (pos_ >= data_.size()) return error_at("unexpected end of input");
    return static_cast<CborMajor>(data_[pos_] >> 5);
}

bool CborReader::try_read_null() noexcept {
    if (next_is_null()) {
        ++pos_;
        return true;
    }
    return false;
}

Result<std::uint64_t> CborReader::read_uint() {
    const std::size_t start = pos_;
    CborMajor m;
    std::uint64_t arg;
    VENUS_TRY_VOID(read_head(m, arg));
    if (m != CborMajor::kUnsigned) {
        pos_ = start;
        return expect_major(CborMajor::kUnsigned, m).error();
    }
    return arg;
}

Result<std::int64_t> CborReader::read_int() {
    const std::size_t start = pos_;
    CborMajor m;
    std::uint64_t arg;
    VENUS_TRY_VOID(read_head(m, arg));
    if (m != CborMajor::kUnsigned && m != CborMajor::kNegative) {
        pos_ = start;
        return error_at("expected an integer");
    }
    if (arg > static_cast<std::uint64_t>(INT64_MAX)) {
        pos_ = start;
        return error_at("integer out of int64 range");
    }
    const auto v = static_cast<std::int64_t>(arg);
    return m == CborMajor::kUnsigned ? v : -1 - v;
}

Result<std::uint64_t> CborReader::read_array_header() {
    const std::size_t start = pos_;
    CborMajor m;
    std::uint64_t n;
    VENUS_TRY_VOID(read_head(m, n));
    if (m != CborMajor::kArray) {
        pos_ = start;
        return expect_major(CborMajor::kArray, m).error();
    }
    VENUS_TRY_VOID(account_items(n, 1));
    return n;
}

Status CborReader::read_array_header(std::uint64_t n) {
    const std::size_t start = pos_;
    VENUS_TRY(std::uint64_t got, read_array_header());
    if (got != n) {
        pos_ = start;
        return make_error(Errc::kInvalidArgument, "cbor: expected an array of {} elements, found {} at offset {}", n,
                          got, start);
    }
    return {};
}

Result<std::uint64_t> CborReader::read_map_header() {
    const std::size_t start = pos_;
    CborMajor m;
    std::uint64_t n;
    VENUS_TRY_VOID(read_head(m, n));
    if (m != CborMajor::kMap) {
        pos_ = start;
        return expect_major(CborMajor::kMap, m).error();
    }
    VENUS_TRY_VOID(account_items(n, 2));
    return n;
}

Result<BytesView> CborReader::read_bytes(std::size_t max_len) {
    const std::size_t start = pos_;
    CborMajor m;
    std::uint64_t n;
    VENUS_TRY_VOID(read_head(m, n));
    if (m != CborMajor::kBytes) {
        pos_ = start;
        return expect_major(CborMajor::kBytes, m).error();
    }
    if (n > data_.size() - pos_) return error_at("byte string longer than the input");
    if (n > max_len || n > limits_.max_string) {
        pos_ = start;
        return make_error(Errc::kOutOfRange, "cbor: byte string of {} bytes exceeds the limit at offset {}", n, start);
    }
    const BytesView v = data_.subspan(pos_, static_cast<std::size_t>(n));
    pos_ += static_cast<std::size_t>(n);
    return v;
}

Result<std::string_view> CborReader::read_text(std::size_t max_len) {
    const std::size_t start = pos_;
    CborMajor m;
    std::uint64_t n;
    VENUS_TRY_VOID(read_head(m, n));
    if (m != CborMajor::kText) {
        pos_ = start;
        return expect_major(CborMajor::kText, m).error();
    }
    if (n > data_.size() - pos_) return error_at("text string longer than the input");
    if (n > max_len || n > limits_.max_string) {
        pos_ = start;
        return make_error(Errc::kOutOfRange, "cbor: text string of {} bytes exceeds the limit at offset {}", n, start);
    }
    const std::string_view s(reinterpret_cast<const char*>(data_.data() + pos_), static_cast<std::size_t>(n));
    if (!is_valid_utf8(s)) return error_at("text string is not valid UTF-8");
    pos_ += static_cast<std::size_t>(n);
    return s;
}

Result<bool> CborReader::read_bool() {
    if (pos_ < data_.size() && (data_[pos_] == 0xf4 || data_[pos_] == 0xf5)) return data_[pos_++] == 0xf5;
    return error_at("expected a boolean");
}

Status CborReader::read_null() {
    if (try_read_null()) return {};
    return error_at("expected null");
}

Result<double> CborReader::read_float() {
    if (pos_ >= data_.size() || data_[pos_] != 0xfb) return error_at("expected a 64-bit float");
    CborMajor m;
    std::uint64_t bits;
    VENUS_TRY_VOID(read_head(m, bits));
    return std::bit_cast<double>(bits);
}

Result<Cid> CborReader::read_cid() {
    const std::size_t start = pos_;
    CborMajor m;
    std::uint64_t tag;
    VENUS_TRY_VOID(read_head(m, tag));
    if (m != CborMajor::kTag || tag != kCborCidTag) {
        pos_ = start;
        return error_at(m == CborMajor::kTag ? "only tag 42 (CID) is allowed" : "expected a CID (tag 42)");
    }
    VENUS_TRY(BytesView b, read_bytes(kMaxCidBytes + 1));
    if (b.empty() || b[0] != 0x00) return error_at("CID bytes must start with the 0x00 multibase prefix");
    auto c = Cid::from_bytes(b.subspan(1));
    if (!c) return std::move(c).error().wrap(fmt::format("cbor: bad CID before offset {}", pos_));
    return c;
}

Status CborReader::skip() { return skip_depth(0); }

Status CborReader::skip_depth(std::size_t depth) {
    const std::size_t start = pos_;
    CborMajor m;
    std::uint64_t arg;
    VENUS_TRY_VOID(read_head(m, arg));
    switch (m) {
        case CborMajor::kUnsigned:
        case CborMajor::kNegative:
        case CborMajor::kSimple: return {};
        case CborMajor::kBytes:
        case CborMajor::kText: {
            pos_ = start;
            if (m == CborMajor::kBytes) {
                auto b = read_bytes();
                if (!b) return std::move(b).error();
                return {};
            }
            auto t = read_text();
            if (!t) return std::move(t).error();
            return {};
        }
        case CborMajor::kArray: {
            if (depth + 1 > limits_.max_depth) return make_error(Errc::kOutOfRange, "cbor: nesting deeper than {}", limits_.max_depth);
            VENUS_TRY_VOID(account_items(arg, 1));
            for (std::uint64_t i = 0; i < arg; ++i) VENUS_TRY_VOID(skip_depth(depth + 1));
            return {};
        }
        case CborMajor::kMap: {
            if (depth + 1 > limits_.max_depth) return make_error(Errc::kOutOfRange, "cbor: nesting deeper than {}", limits_.max_depth);
            VENUS_TRY_VOID(account_items(arg, 2));
            std::string_view prev;
            std::vector<std::string_view> seen;  // only used for non-canonical input
            for (std::uint64_t i = 0; i < arg; ++i) {
                auto key = read_text();
                if (!key) return error_at("map keys must be text strings");
                if (limits_.allow_noncanonical) {
                    seen.push_back(*key);
                } else if (i > 0 && !key_less(prev, *key)) {
                    return error_at(prev == *key ? "duplicate map key" : "map keys are not in canonical order");
                }
                prev = *key;
                VENUS_TRY_VOID(skip_depth(depth + 1));
            }
            std::sort(seen.begin(), seen.end());
            if (std::adjacent_find(seen.begin(), seen.end()) != seen.end()) return error_at("duplicate map key");
            return {};
        }
        case CborMajor::kTag: {
            pos_ = start;
            auto c = read_cid();
            if (!c) return std::move(c).error();
            return {};
        }
    }
    return error_at("unreachable");
}

Result<BytesView> CborReader::read_raw() {
    const std::size_t start = pos_;
    VENUS_TRY_VOID(skip());
    return data_.subspan(start, pos_ - start);
}

Status CborReader::expect_end() const {
    if (pos_ != data_.size()) return error_at("trailing bytes after the top-level item");
    return {};
}

// ---------------------------------------------------------------------------------------------
// Generic values

bool operator==(const CborValue& a, const CborValue& b) { return a.v_ == b.v_; }

namespace {

Result<CborValue> read_value_depth(CborReader& r, std::size_t depth) {
    VENUS_TRY(CborMajor peeked, r.peek_major());
    // Strings and links go through the typed readers, which carry the length, UTF-8 and CID checks.
    switch (peeked) {
        case CborMajor::kBytes: {
            VENUS_TRY(BytesView b, r.read_bytes());
            return CborValue(Bytes(b.begin(), b.end()));
        }
        case CborMajor::kText: {
            VENUS_TRY(std::string_view t, r.read_text());
            return CborValue(std::string(t));
        }
        case CborMajor::kTag: {
            VENUS_TRY(Cid c, r.read_cid());
            return CborValue(std::move(c));
        }
        default: break;
    }
    const std::uint8_t initial = r.remaining()[0];  // peek_major succeeded: not at the end
    CborMajor m;
    std::uint64_t arg;
    VENUS_TRY_VOID(r.read_head(m, arg));
    switch (m) {
        case CborMajor::kUnsigned: return CborValue(arg);
        case CborMajor::kNegative: return CborValue(CborValue::Negative{arg});
        case CborMajor::kSimple:
            // Decide by the initial byte: a float's bit pattern may equal a simple value's number.
            if (initial == 0xf4) return CborValue(false);
            if (initial == 0xf5) return CborValue(true);
            if (initial == 0xf6) return CborValue(nullptr);
            return CborValue(std::bit_cast<double>(arg));
        case CborMajor::kArray: {
            if (depth + 1 > r.limits().max_depth) {
                return make_error(Errc::kOutOfRange, "cbor: nesting deeper than {}", r.limits().max_depth);
            }
            VENUS_TRY_VOID(r.account_items(arg, 1));
            CborValue::Array arr;
            arr.reserve(static_cast<std::size_t>(arg));
            for (std::uint64_t i = 0; i < arg; ++i) {
                VENUS_TRY(CborValue v, read_value_depth(r, depth + 1));
                arr.push_back(std::move(v));
            }
            return CborValue(std::move(arr));
        }
        case CborMajor::kMap: {
            if (depth + 1 > r.limits().max_depth) {
                return make_error(Errc::kOutOfRange, "cbor: nesting deeper than {}", r.limits().max_depth);
            }
            VENUS_TRY_VOID(r.account_items(arg, 2));
            CborValue::Map map;
            map.reserve(static_cast<std::size_t>(arg));
            for (std::uint64_t i = 0; i < arg; ++i) {
                auto key = r.read_text();
                if (!key) return r.error_at("map keys must be text strings");
                if (i > 0 && !r.limits().allow_noncanonical && !key_less(map.back().first, *key)) {
                    return r.error_at(map.back().first == *key ? "duplicate map key"
                                                               : "map keys are not in canonical order");
                }
                VENUS_TRY(CborValue v, read_value_depth(r, depth + 1));
                map.emplace_back(std::string(*key), std::move(v));
            }
            if (r.limits().allow_noncanonical) {
                std::sort(map.begin(), map.end(), [](const auto& a, const auto& b) { return key_less(a.first, b.first); });
                for (std::size_t i = 1; i < map.size(); ++i) {
                    if (map[i - 1].first == map[i].first) return r.error_at("duplicate map key");
                }
            }
            return CborValue(std::move(map));
        }
        default: break;
    }
    return r.error_at("unexpected item");
}

struct ValueWriter {
    CborWriter& w;
    void operator()(std::uint64_t v) const { w.write_uint(v); }
    void operator()(const CborValue::Negative& n) const { w.write_negative(n.n); }
    void operator()(const Bytes& b) const { w.write_bytes(b); }
    void operator()(const std::string& s) const { w.write_text(s); }
    void operator()(const CborValue::Array& a) const {
        w.write_array_header(a.size());
        for (const auto& v : a) write_value(w, v);
    }
    void operator()(const CborValue::Map& m) const {
        std::vector<const std::pair<std::string, CborValue>*> order;
        order.reserve(m.size());
        for (const auto& kv : m) order.push_back(&kv);
        std::sort(order.begin(), order.end(), [](auto* a, auto* b) { return key_less(a->first, b->first); });
        w.write_map_header(m.size());
        for (const auto* kv : order) {
            w.write_text(kv->first);
            write_value(w, kv->second);
        }
    }
    void operator()(bool b) const { w.write_bool(b); }
    void operator()(std::nullptr_t) const { w.write_null(); }
    void operator()(double d) const { w.write_float(d); }
    void operator()(const Cid& c) const { w.write_cid(c); }
};

}  // namespace

Result<CborValue> read_value(CborReader& reader) { return read_value_depth(reader, 0); }

Result<CborValue> decode_value(BytesView data, const CborLimits& limits) {
    CborReader r(data, limits);
    VENUS_TRY(CborValue v, read_value(r));
    VENUS_TRY_VOID(r.expect_end());
    return v;
}

void write_value(CborWriter& w, const CborValue& v) { std::visit(ValueWriter{w}, v.variant()); }

Bytes encode_value(const CborValue& v) {
    Bytes out;
    CborWriter w(out);
    write_value(w, v);
    return out;
}

Status validate(BytesView data, const CborLimits& limits) {
    CborReader r(data, limits);
    VENUS_TRY_VOID(r.skip());
    return r.expect_end();
}

bool is_valid_utf8(std::string_view s) noexcept {
    const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
    const std::size_t n = s.size();
    std::size_t i = 0;
    while (i < n) {
        const std::uint8_t c = p[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t len;
        std::uint32_t cp;
        if ((c & 0xe0) == 0xc0) {
            len = 2;
            cp = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            len = 3;
            cp = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            len = 4;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (n - i < len) return false;
        for (std::size_t k = 1; k < len; ++k) {
            if ((p[i + k] & 0xc0) != 0x80) return false;
            cp = (cp << 6) | (p[i + k] & 0x3f);
        }
        static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < kMin[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
        i += len;
    }
    return true;
}

}  // namespace venus::codec
