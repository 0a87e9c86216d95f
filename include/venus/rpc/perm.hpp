// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Permissions and the claims a token carries. Permissions nest: read ⊂ write ⊂ sign ⊂ admin, as in
//! Lotus's `//perm:` tags and sophon-auth's AdaptOldStrategy.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace venus::rpc {

enum class Perm { kRead = 0, kWrite = 1, kSign = 2, kAdmin = 3 };

std::string_view to_string(Perm p) noexcept;
//! Parses "read" | "write" | "sign" | "admin" exactly; anything else is nullopt (never a default).
std::optional<Perm> parse_perm(std::string_view s) noexcept;
inline bool allows(Perm have, Perm need) noexcept { return static_cast<int>(have) >= static_cast<int>(need); }

//! Who is calling, as proven by a token.
struct Claims {
    std::string name;  //!< the user (sophon `name` claim); empty for Lotus-style tokens
    Perm perm = Perm::kRead;
    std::string ext;   //!< sophon `ext` claim, passed through
};

}  // namespace venus::rpc
