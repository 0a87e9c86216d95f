// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Runs the real venusd binary in a temp repo on port 0, for integration tests.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "support/fixtures.hpp"
#include "venus/rpc/api_info.hpp"

namespace venus::test {

std::filesystem::path venusd_binary();

struct CommandResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};
//! Runs `venusd args…` to completion (stdin from `input`), capturing both streams.
CommandResult run_venusd(const std::vector<std::string>& args, const std::string& input = {});

class Daemon {
  public:
    //! `config_toml`: written to repo/config.toml before start when non-empty.
    explicit Daemon(std::vector<std::string> extra_args = {}, std::string config_toml = {},
                    std::optional<std::filesystem::path> repo = std::nullopt);
    ~Daemon();
    Daemon(const Daemon&) = delete;
    Daemon& operator=(const Daemon&) = delete;

    //! Starts and waits until the api file appears and /healthz answers. False on timeout or exit.
    bool start(std::chrono::milliseconds timeout = std::chrono::seconds(20));
    //! SIGTERM (or another signal), then waits; returns the exit status (128+n for a signal death).
    int stop(int signal = 15, std::chrono::milliseconds timeout = std::chrono::seconds(60));
    bool running() const;
    //! Sends a signal and returns at once (SIGSTOP freezes the daemon with its sockets open).
    void send_signal(int signal) const;

    const std::filesystem::path& repo() const { return repo_; }
    std::string token() const;
    rpc::ApiInfo api_info() const;   //!< token + bound address
    std::uint16_t port() const;
    std::string log() const;         //!< stderr so far

  private:
    std::optional<TempDir> temp_;
    std::filesystem::path repo_;
    std::vector<std::string> args_;
    std::filesystem::path stderr_path_;
    pid_t pid_ = -1;
};

}  // namespace venus::test
