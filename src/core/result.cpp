// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "venus/core/result.hpp"

namespace venus {
namespace {
class VenusCategory final : public std::error_category {
  public:
    const char* name() const noexcept override { return "venus"; }
    std::string message(int ev) const override {
        switch (static_cast<Errc>(ev)) {
            case Errc::kOk: return "ok";
            case Errc::kInvalidArgument: return "invalid argument";
            case Errc::kOutOfRange: return "limit exceeded";
            case Errc::kNotFound: return "not found";
            case Errc::kAlreadyExists: return "already exists";
            case Errc::kPermissionDenied: return "permission denied";
            case Errc::kUnauthenticated: return "unauthenticated";
            case Errc::kUnavailable: return "unavailable";
            case Errc::kTimeout: return "timed out";
            case Errc::kCancelled: return "cancelled";
            case Errc::kIo: return "i/o error";
            case Errc::kStorage: return "storage error";
            case Errc::kConfig: return "configuration error";
            case Errc::kUnsupported: return "unsupported";
            case Errc::kRateLimited: return "rate limited";
            case Errc::kInternal: return "internal error";
        }
        return "unknown error";
    }
};
}  // namespace

const std::error_category& venus_category() noexcept {
    static const VenusCategory category;
    return category;
}
}  // namespace venus
