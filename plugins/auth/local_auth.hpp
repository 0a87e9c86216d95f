// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The in-process api::Auth: the auth service called with admin rights (other modules apply their
//! own per-user checks with what it returns).
#pragma once

#include <memory>

#include "auth_service.hpp"
#include "venus/api/auth.hpp"

namespace venus::plugins::auth {

//! `service` must outlive the returned object's use.
std::shared_ptr<api::Auth> make_local_auth(AuthService& service);

}  // namespace venus::plugins::auth
