// SPDX-License-Identifier: Apache-2.0 OR MIT
//! sophon-auth's REST API on venusd's listener: the same paths (with the old aliases), query and
//! body keys (matched case-insensitively, as Go's JSON decoding does) and JSON output keys.
#pragma once

#include <string>
#include <vector>

#include "auth_service.hpp"
#include "venus/rpc/registry.hpp"

namespace venus::plugins::auth {

//! Every route this module serves (method, path), for tests and docs.
std::vector<std::pair<std::string, std::string>> route_list();

//! Adds the routes (and a CORS preflight answer per path) to `router`.
Status register_routes(rpc::HttpRouter& router, AuthService& service, std::string version);

}  // namespace venus::plugins::auth
