// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The Gateway.* JSON-RPC table.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "gateway_service.hpp"
#include "venus/rpc/method.hpp"

namespace venus::plugins::gateway {

std::vector<rpc::MethodSpec> method_table(std::shared_ptr<GatewayService> svc, std::string version);

}  // namespace venus::plugins::gateway
