// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Methods every venusd serves whatever modules are enabled: Version, Session, Closing, Shutdown,
//! logging, local tokens (AuthNew/AuthVerify) and the daemon status (Venus.Status, Venus.StatusNotify).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "venus/app/context.hpp"
#include "venus/core/bytes.hpp"
#include "venus/rpc/jwt.hpp"

namespace venus::app {

inline constexpr const char* kVersion = "0.1.0";
//! Lotus/Venus clients check APIVersion; sophon-miner requires exactly FullAPIVersion1 = 2.3.0.
inline constexpr std::uint32_t kFullApiVersion1 = 0x020300;
inline constexpr std::uint32_t kFullApiVersion0 = 0x010500;
//! The user of the daemon's own admin token, as sophon-auth names its bootstrap user.
inline constexpr const char* kLocalTokenUser = "defaultLocalToken";

class CoreApi {
  public:
    CoreApi(Context& ctx, const Bytes& secret, std::function<bool()> ready);
    Status register_methods();
    //! Closes the Closing channels and status streams (shutdown phase 1).
    void stop();

  private:
    rpc::RawJson status_json() const;

    Context& ctx_;
    rpc::Hs256Key key_;
    std::function<bool()> ready_;
    std::string session_;
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
    std::mutex mu_;
    std::vector<std::shared_ptr<rpc::Channel>> streams_;  // closed on shutdown
};

}  // namespace venus::app
