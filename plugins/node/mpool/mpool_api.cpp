// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "node/mpool/mpool_api.hpp"

namespace venus::plugins::node {

Result<chain::SignedMessage> MpoolApi::push_message(chain::Message msg, const MessageSendSpec& spec) {
    if (msg.nonce != 0) {
        return make_error(Errc::kInvalidArgument, "MpoolPushMessage expects message nonce to be 0, was {}", msg.nonce);
    }
    auto w = wallet ? wallet() : nullptr;
    if (!w) {
        return make_error(Errc::kUnavailable,
                          "MpoolPushMessage: no wallet in this process to sign for {} (enable the wallet module, or "
                          "sign elsewhere and use MpoolPush)",
                          msg.from.to_string());
    }
    VENUS_TRY(auto key, pool->resolve_to_key(msg.from));
    std::lock_guard lock(push_mu_);
    VENUS_TRY(auto est, gas->estimate_message_gas(msg, spec, {}));
    if (est.gas_premium > est.gas_fee_cap) {
        return make_error(Errc::kInvalidArgument, "After estimation, GasPremium is greater than GasFeeCap");
    }
    est.from = key;
    VENUS_TRY(auto actor, node->actor(key, {}));
    const chain::TokenAmount total = est.value + est.gas_fee_cap * chain::BigInt(est.gas_limit);
    const chain::TokenAmount balance = actor ? actor->balance : chain::TokenAmount{};
    if (balance < total) {
        return make_error(Errc::kInvalidArgument, "mpool push: not enough funds: {} < {}", chain::format_fil(balance),
                          chain::format_fil(total));
    }
    VENUS_TRY(est.nonce, pool->get_nonce(key));
    VENUS_TRY(auto bytes, chain::encode_cbor(est));
    VENUS_TRY(auto cid, est.cid());
    VENUS_TRY(auto sig, w->sign(key, cid.bytes(), api::SignMeta{std::string(api::kMetaMessage), bytes}));
    chain::SignedMessage sm{std::move(est), std::move(sig)};
    VENUS_TRY(auto pushed, pool->push(sm, false));
    (void)pushed;
    return sm;
}

}  // namespace venus::plugins::node
