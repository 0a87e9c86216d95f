// SPDX-License-Identifier: Apache-2.0 OR MIT
// The auth module's service stack on a temporary SQLite file, without a daemon.
#pragma once

#include <memory>

#include "auth_service.hpp"
#include "rate_limiter.hpp"
#include "store/auth_store.hpp"
#include "support/fixtures.hpp"
#include "venus/rpc/jwt.hpp"
#include "venus/storage/sqlite.hpp"
#include "verifier.hpp"

namespace venus::test {

struct AuthStack {
    explicit AuthStack(const std::filesystem::path& dir, std::shared_ptr<rpc::TokenVerifier> fallback = nullptr) {
        auto opened = storage::sqlite::open(dir / "auth.db");
        REQUIRE(opened.ok());
        db = std::move(*opened);
        auto s = plugins::auth::AuthStore::open(*db);
        REQUIRE(s.ok());
        store = std::move(*s);
        verifier = std::make_unique<plugins::auth::AuthVerifier>(*store, std::move(fallback), limiter, 1000);
        service = std::make_unique<plugins::auth::AuthService>(*store, *verifier, limiter);
        REQUIRE(service->load_rate_limits().ok());
    }

    std::unique_ptr<storage::SqlDatabase> db;
    std::unique_ptr<plugins::auth::AuthStore> store;
    plugins::auth::RateLimiter limiter;
    std::unique_ptr<plugins::auth::AuthVerifier> verifier;
    std::unique_ptr<plugins::auth::AuthService> service;
};

inline const rpc::Claims kAdmin{"root", rpc::Perm::kAdmin, ""};

}  // namespace venus::test
