// SPDX-License-Identifier: Apache-2.0 OR MIT
//! `venusd <group> <command> [flags] [args]`: the daemon (`run`) and every client command in one binary.
//! Global flags (--repo, --api, --token, --json) work before or after the command words.
#pragma once

#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "venus/core/result.hpp"
#include "venus/rpc/client.hpp"

namespace venus::cli {

//! Distinct exit codes so scripts can tell what went wrong.
enum ExitCode : int {
    kExitOk = 0,
    kExitError = 1,       //!< the command failed: invalid input, or the daemon answered with an error
    kExitUsage = 2,       //!< wrong command, flag or argument count
    kExitConnection = 3,  //!< the daemon (or remote service) could not be reached
    kExitConfig = 4,      //!< `run`: configuration is wrong (unknown module, missing dependency, bad key)
    kExitStorage = 5,     //!< `run`: a store could not be opened or written
    kExitInternal = 70,
};

int run(int argc, char** argv);

struct Flag {
    std::string name;        //!< without dashes
    std::string value_name;  //!< empty for a boolean flag
    std::string help;
    bool repeatable = false;
};

struct GlobalOptions {
    std::optional<std::string> repo;
    std::optional<std::string> api;
    std::optional<std::string> token;
    bool json = false;
};

struct Invocation {
    std::vector<std::string> args;  //!< positional arguments after the command words
    std::map<std::string, std::vector<std::string>> flags;
    GlobalOptions global;
    std::istream& in;
    std::ostream& out;
    std::ostream& err;

    bool has(const std::string& flag) const { return flags.count(flag) > 0; }
    std::optional<std::string> get(const std::string& flag) const;
    std::vector<std::string> all(const std::string& flag) const;

    //! The repo: --repo, else $VENUSD_PATH, else ~/.venusd.
    std::string repo() const;
    //! How to reach the daemon: --api/--token, else `env_var` (e.g. FULLNODE_API_INFO), else
    //! $VENUSD_API_INFO, else the repo's `api` and `token` files.
    Result<rpc::ApiInfo> api_info(const std::string& env_var = "FULLNODE_API_INFO") const;
    Result<std::unique_ptr<rpc::HttpRpcClient>> client(const std::string& path = "/rpc/v1",
                                                       const std::string& env_var = "FULLNODE_API_INFO") const;

    //! Prints an error for `e` and returns the matching exit code (connection vs remote vs input).
    int fail(const Error& e) const;
    //! Prints a usage error and returns kExitUsage.
    int usage_error(const std::string& message) const;
};

struct Command {
    std::vector<std::string> path;  //!< {"auth", "token", "gen"}
    std::string args_usage;         //!< "<name>"
    std::string summary;
    std::vector<Flag> flags;
    std::function<int(Invocation&)> handler;
    int min_args = 0;
    int max_args = 0;  //!< -1: unlimited
    //! Pass every word after the command path to the handler untouched (tools parse their own flags).
    bool raw_args = false;
};

class CommandTable {
  public:
    void add(Command c) { commands_.push_back(std::move(c)); }
    const std::vector<Command>& commands() const { return commands_; }

  private:
    std::vector<Command> commands_;
};

//! Help text for a group word ("" for the top level), listing its commands.
std::string group_help(const CommandTable& table, const std::vector<std::string>& group);
std::string command_help(const Command& c);

//! Runs the CLI with explicit streams (tests call this directly).
int run_args(const std::vector<std::string>& argv, std::istream& in, std::ostream& out, std::ostream& err);

// Command groups, each in its own file.
void add_daemon_commands(CommandTable& table);
void add_tool_commands(CommandTable& table);
void add_auth_commands(CommandTable& table);  // plugins/auth/cli_commands.cpp
void add_gateway_commands(CommandTable& table);  // plugins/gateway/cli_commands.cpp
void add_wallet_commands(CommandTable& table);   // plugins/wallet/cli_commands.cpp
void add_node_commands(CommandTable& table);     // plugins/node/cli_chain.cpp
void add_mpool_commands(CommandTable& table);    // plugins/node/mpool/cli_commands.cpp
void add_sync_commands(CommandTable& table);     // plugins/node/sync/cli_sync.cpp
void add_miner_commands(CommandTable& table);    // plugins/miner/cli_commands.cpp
void add_messager_commands(CommandTable& table);  // plugins/messager/cli_commands.cpp
void add_ops_commands(CommandTable& table);      // src/cli/ops_commands.cpp (backup, restore, config check)

}  // namespace venus::cli
