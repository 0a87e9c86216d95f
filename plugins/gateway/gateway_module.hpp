// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The gateway module: sophon-gateway in venusd (see README.md).
#pragma once

#include <memory>

#include "venus/app/module.hpp"

namespace venus::plugins::gateway {

std::unique_ptr<app::Module> make_gateway_module();

}  // namespace venus::plugins::gateway
