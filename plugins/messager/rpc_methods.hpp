// SPDX-License-Identifier: Apache-2.0 OR MIT
#pragma once

#include <memory>
#include <vector>

#include "messager.hpp"
#include "venus/rpc/handler_threads.hpp"
#include "venus/rpc/method.hpp"

namespace venus::plugins::messager {

//! The `Message.*` table (venus-shared/api/messager/api.go names, params and permission tags).
//! `auth` filters non-admin callers' lists and answers WalletHas with `gateway`.
//! `threads` runs the handlers that call the node or the gateway; the module drains it before it
//! closes the store.
std::vector<rpc::MethodSpec> messager_methods(std::shared_ptr<Messager> m, std::shared_ptr<api::Auth> auth,
                                              std::shared_ptr<api::Gateway> gateway,
                                              std::shared_ptr<rpc::HandlerThreads> threads = rpc::HandlerThreads::create());

}  // namespace venus::plugins::messager
