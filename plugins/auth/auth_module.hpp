// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The auth module: sophon-auth's users, tokens, miners, signers and rate limits in venusd, and the
//! token verifier of every other module's RPC (see README.md).
#pragma once

#include <memory>

#include "venus/app/module.hpp"

namespace venus::plugins::auth {

std::unique_ptr<app::Module> make_auth_module();

}  // namespace venus::plugins::auth
