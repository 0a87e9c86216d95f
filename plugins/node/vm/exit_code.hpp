// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Exit codes (go-state-types exitcode) and the error category that carries them through Result:
//! an actor failing with exit code N returns `actor_error(N, …)`; anything in another category is a
//! node fault (storage, a bug) that aborts the tipset instead of producing a receipt.
#pragma once

#include <cstdint>
#include <system_error>

#include "venus/core/result.hpp"

namespace venus::plugins::node {

using ExitCode = std::int64_t;

namespace exit_code {
inline constexpr ExitCode kOk = 0;
inline constexpr ExitCode kSysErrSenderInvalid = 1;
inline constexpr ExitCode kSysErrSenderStateInvalid = 2;
inline constexpr ExitCode kSysErrIllegalInstruction = 4;
inline constexpr ExitCode kSysErrInvalidReceiver = 5;
inline constexpr ExitCode kSysErrInsufficientFunds = 6;
inline constexpr ExitCode kSysErrOutOfGas = 7;
inline constexpr ExitCode kSysErrForbidden = 8;  //!< legacy code: a negative transfer
inline constexpr ExitCode kErrIllegalArgument = 16;
inline constexpr ExitCode kErrNotFound = 17;
inline constexpr ExitCode kErrForbidden = 18;
inline constexpr ExitCode kErrInsufficientFunds = 19;
inline constexpr ExitCode kErrIllegalState = 20;
inline constexpr ExitCode kErrSerialization = 21;
inline constexpr ExitCode kErrUnhandledMessage = 22;
inline constexpr ExitCode kErrUnspecified = 23;
inline constexpr ExitCode kErrAssertionFailed = 24;
}  // namespace exit_code

const std::error_category& exit_code_category() noexcept;

template <typename... Args>
[[nodiscard]] Error actor_error(ExitCode code, fmt::format_string<Args...> f, Args&&... args) {
    return Error{std::error_code(static_cast<int>(code), exit_code_category()),
                 fmt::format(f, std::forward<Args>(args)...)};
}
inline bool is_actor_error(const Error& e) noexcept { return e.code.category() == exit_code_category(); }

}  // namespace venus::plugins::node
