// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Result<T>: a value or an Error. No exception crosses a module or thread boundary; every fallible
//! function in venusd returns one of these.
#pragma once

#include <cassert>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>
#include <variant>

#include <fmt/format.h>

namespace venus {

//! Error kinds shared by every layer. A module may add its own category, but these cover most cases
//! and map onto JSON-RPC codes, HTTP statuses and CLI exit codes in one place each.
enum class Errc {
    kOk = 0,
    kInvalidArgument,   //!< malformed input from a caller (bad JSON, bad CBOR, bad address…)
    kOutOfRange,        //!< a size, depth or count limit was exceeded
    kNotFound,
    kAlreadyExists,
    kPermissionDenied,  //!< authenticated but not allowed
    kUnauthenticated,   //!< no or invalid credentials
    kUnavailable,       //!< a dependency (peer, remote service) cannot be reached
    kTimeout,
    kCancelled,
    kIo,                //!< file system or socket failure
    kStorage,           //!< LMDB / SQLite failure
    kConfig,            //!< configuration is wrong
    kUnsupported,
    kRateLimited,
    kInternal,          //!< a bug: an invariant did not hold
};

const std::error_category& venus_category() noexcept;
inline std::error_code make_error_code(Errc e) noexcept { return {static_cast<int>(e), venus_category()}; }

//! An error code plus a human-readable message that says what went wrong and where.
struct Error {
    std::error_code code;
    std::string message;

    Error() = default;
    Error(std::error_code c, std::string msg) : code(c), message(std::move(msg)) {}
    Error(Errc e, std::string msg) : code(make_error_code(e)), message(std::move(msg)) {}

    [[nodiscard]] bool is(Errc e) const noexcept { return code == make_error_code(e); }
    //! Prefix the message with context ("opening chain store: …").
    [[nodiscard]] Error wrap(std::string_view context) const {
        return {code, fmt::format("{}: {}", context, message)};
    }
};

template <typename... Args>
[[nodiscard]] Error make_error(Errc e, fmt::format_string<Args...> f, Args&&... args) {
    return Error{e, fmt::format(f, std::forward<Args>(args)...)};
}

template <typename T>
class [[nodiscard]] Result {
  public:
    using value_type = T;
    Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT(google-explicit-constructor)
    Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT(google-explicit-constructor)
    template <typename U, typename = std::enable_if_t<std::is_constructible_v<T, U&&> &&
                                                      !std::is_same_v<std::decay_t<U>, Error> &&
                                                      !std::is_same_v<std::decay_t<U>, Result>>>
    Result(U&& u) : v_(std::in_place_index<0>, std::forward<U>(u)) {}  // NOLINT

    [[nodiscard]] bool ok() const noexcept { return v_.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }

    T& value() & { assert(ok()); return std::get<0>(v_); }
    const T& value() const& { assert(ok()); return std::get<0>(v_); }
    T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T&& operator*() && { return std::move(*this).value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const Error& error() const& { assert(!ok()); return std::get<1>(v_); }
    Error&& error() && { assert(!ok()); return std::get<1>(std::move(v_)); }

    T value_or(T fallback) const& { return ok() ? value() : std::move(fallback); }

  private:
    std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
  public:
    Result() = default;
    Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT(google-explicit-constructor)
    [[nodiscard]] bool ok() const noexcept { return ok_; }
    explicit operator bool() const noexcept { return ok_; }
    const Error& error() const& { assert(!ok_); return error_; }
    Error&& error() && { assert(!ok_); return std::move(error_); }

  private:
    Error error_;
    bool ok_ = true;
};

using Status = Result<void>;

}  // namespace venus

template <>
struct std::is_error_code_enum<venus::Errc> : std::true_type {};

#define VENUS_CONCAT_INNER(a, b) a##b
#define VENUS_CONCAT(a, b) VENUS_CONCAT_INNER(a, b)

//! Propagate an error: `VENUS_TRY(auto x, parse(in));` or `VENUS_TRY_VOID(write(out));`
#define VENUS_TRY(decl, expr)                                                          \
    auto VENUS_CONCAT(venus_try_, __LINE__) = (expr);                                  \
    if (!VENUS_CONCAT(venus_try_, __LINE__).ok())                                      \
        return std::move(VENUS_CONCAT(venus_try_, __LINE__)).error();                  \
    decl = std::move(VENUS_CONCAT(venus_try_, __LINE__)).value()

#define VENUS_TRY_VOID(expr)                                                           \
    do {                                                                               \
        auto venus_try_void_ = (expr);                                                 \
        if (!venus_try_void_.ok()) return std::move(venus_try_void_).error();          \
    } while (0)
