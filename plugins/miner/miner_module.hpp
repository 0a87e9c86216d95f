// SPDX-License-Identifier: Apache-2.0 OR MIT
#pragma once

#include <memory>

#include "venus/app/module.hpp"

namespace venus::plugins::miner {

std::unique_ptr<app::Module> make_miner_module();

}  // namespace venus::plugins::miner
