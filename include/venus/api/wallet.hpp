// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The built-in wallet (plugins/wallet) as other modules see it: a keystore that signs only what it
//! can check (the request's meta must describe the bytes). The gateway reaches remote wallets over
//! its channel protocol instead; this interface is for modules in the wallet's own process.
#pragma once

#include <vector>

#include "venus/api/gateway.hpp"
#include "venus/chain/address.hpp"
#include "venus/chain/types.hpp"
#include "venus/core/result.hpp"

namespace venus::api {

class Wallet {
  public:
    virtual ~Wallet() = default;
    virtual Result<std::vector<chain::Address>> list() = 0;
    virtual Result<bool> has(const chain::Address& addr) = 0;
    virtual Result<chain::Address> new_key(chain::SigType type) = 0;
    //! Signs after checking `meta` against `to_sign` (message, block, drawrandomparam, verifyaddress);
    //! anything else is refused with Errc::kPermissionDenied.
    virtual Result<chain::Signature> sign(const chain::Address& signer, BytesView to_sign, const SignMeta& meta) = 0;
};

}  // namespace venus::api
