// SPDX-License-Identifier: Apache-2.0 OR MIT
#pragma once

#include <memory>
#include <vector>

#include "messager.hpp"
#include "venus/rpc/method.hpp"

namespace venus::plugins::messager {

//! The `Message.*` table (venus-shared/api/messager/api.go names, params and permission tags).
//! `auth` filters non-admin callers' lists and answers WalletHas with `gateway`.
std::vector<rpc::MethodSpec> messager_methods(std::shared_ptr<Messager> m, std::shared_ptr<api::Auth> auth,
                                              std::shared_ptr<api::Gateway> gateway);

}  // namespace venus::plugins::messager
