// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "local_auth.hpp"

namespace venus::plugins::auth {

namespace {
class LocalAuth final : public api::Auth {
  public:
    explicit LocalAuth(AuthService& s) : s_(s) {}

    Result<rpc::Claims> verify(std::string_view token) override {
        auto r = s_.verifier().verify_sync(token);
        if (!r && r.error().is(Errc::kNotFound)) return make_error(Errc::kUnauthenticated, "token is not registered");
        return r;
    }
    Result<bool> has_user(std::string_view name) override { return s_.has_user(kAdmin, name); }
    Result<api::User> get_user(std::string_view name) override { return s_.get_user(kAdmin, name); }
    Result<api::User> get_user_by_miner(std::string_view miner) override { return s_.get_user_by_miner(kAdmin, miner); }
    Result<std::vector<api::User>> get_user_by_signer(std::string_view signer) override {
        return s_.get_users_by_signer(kAdmin, signer);
    }
    Result<std::vector<api::UserWithMiners>> list_users_with_miners(std::int64_t skip, std::int64_t limit,
                                                                    api::UserState state) override {
        VENUS_TRY(auto users, s_.list_users(kAdmin, skip, limit, static_cast<std::int64_t>(state)));
        std::vector<api::UserWithMiners> out;
        for (auto& u : users) {
            VENUS_TRY(auto miners, s_.list_miners(kAdmin, u.name));
            out.push_back(api::UserWithMiners{std::move(u), std::move(miners)});
        }
        return out;
    }
    Result<bool> has_miner(std::string_view miner) override { return s_.has_miner(kAdmin, miner); }
    Result<bool> miner_exist_in_user(std::string_view user, std::string_view miner) override {
        return s_.miner_exist_in_user(kAdmin, user, miner);
    }
    Result<std::vector<api::Miner>> list_miners(std::string_view user) override { return s_.list_miners(kAdmin, user); }
    Result<bool> upsert_miner(std::string_view user, std::string_view miner, bool open_mining) override {
        return s_.upsert_miner(kAdmin, user, miner, open_mining);
    }
    Result<bool> has_signer(std::string_view signer) override { return s_.has_signer(kAdmin, signer); }
    Result<bool> signer_exist_in_user(std::string_view user, std::string_view signer) override {
        return s_.signer_exist_in_user(kAdmin, user, signer);
    }
    Result<std::vector<api::Signer>> list_signers(std::string_view user) override {
        return s_.list_signers(kAdmin, user);
    }
    Status register_signers(std::string_view user, const std::vector<std::string>& signers) override {
        return s_.register_signers(kAdmin, user, signers);
    }
    Status unregister_signers(std::string_view user, const std::vector<std::string>& signers) override {
        return s_.unregister_signers(kAdmin, user, signers);
    }
    Result<std::vector<api::RateLimit>> get_user_rate_limits(std::string_view user, std::string_view id) override {
        return s_.get_rate_limits(kAdmin, user, id);
    }

  private:
    inline static const rpc::Claims kAdmin{"", rpc::Perm::kAdmin, ""};
    AuthService& s_;
};
}  // namespace

std::shared_ptr<api::Auth> make_local_auth(AuthService& service) { return std::make_shared<LocalAuth>(service); }

}  // namespace venus::plugins::auth
