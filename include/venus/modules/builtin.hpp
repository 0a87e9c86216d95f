// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The modules built into this binary, in one explicit list (src/modules/builtin_modules.cpp).
#pragma once

#include "venus/app/application.hpp"

namespace venus::modules {

const app::Catalogue& builtin_modules();

}  // namespace venus::modules
