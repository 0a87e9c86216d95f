// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "venus/rpc/perm.hpp"

namespace venus::rpc {

std::string_view to_string(Perm p) noexcept {
    switch (p) {
        case Perm::kRead: return "read";
        case Perm::kWrite: return "write";
        case Perm::kSign: return "sign";
        case Perm::kAdmin: return "admin";
    }
    return "read";
}

std::optional<Perm> parse_perm(std::string_view s) noexcept {
    if (s == "read") return Perm::kRead;
    if (s == "write") return Perm::kWrite;
    if (s == "sign") return Perm::kSign;
    if (s == "admin") return Perm::kAdmin;
    return std::nullopt;
}

}  // namespace venus::rpc
