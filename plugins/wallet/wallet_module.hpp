// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The built-in wallet module (see README.md).
#pragma once

#include <memory>

#include "venus/app/module.hpp"

namespace venus::plugins::wallet {

std::unique_ptr<app::Module> make_wallet_module();

}  // namespace venus::plugins::wallet
