// SPDX-License-Identifier: Apache-2.0 OR MIT
#pragma once

#include <memory>

#include "venus/app/module.hpp"

namespace venus::plugins::messager {

std::unique_ptr<app::Module> make_messager_module();

}  // namespace venus::plugins::messager
