// SPDX-License-Identifier: Apache-2.0 OR MIT
//! The operations surface every daemon serves: the /status page, Venus.StatusReport and Venus.Backup.
#pragma once

#include <memory>

#include "status_sections.hpp"

namespace venus::app {

struct OpsOptions {
    bool status_page = true;  //!< [api] status_page
    std::string backup_dir;   //!< [api] backup_dir: online backups only below it (empty: anywhere)
};

//! Registers /status (unless disabled), Venus.StatusReport and Venus.Backup. `board` must outlive
//! the registry's use (the application keeps it until teardown).
Status register_ops(Context& ctx, std::shared_ptr<StatusBoard> board, const OpsOptions& options);

//! Collects the status board every `period` so its gauges (venusd_chain_head_height,
//! venusd_chain_head_age_seconds, venusd_remote_up, venusd_mpool_pending_messages) stay current for
//! /metrics scrapes even when nobody opens /status. Control thread only.
class StatusRefresher {
  public:
    StatusRefresher(Context& ctx, std::shared_ptr<StatusBoard> board, std::chrono::milliseconds period);
    ~StatusRefresher();
    void start();
    void stop() noexcept;

  private:
    struct State;
    std::shared_ptr<State> state_;
};

}  // namespace venus::app
