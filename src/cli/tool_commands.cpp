// SPDX-License-Identifier: Apache-2.0 OR MIT
// `venusd tool <group> …`: offline tools whose output contract is fixed (see venus/cli/tool.hpp).
#include "venus/cli/cli.hpp"
#include "venus/cli/tool.hpp"

namespace venus::cli {

namespace {
Command tool(std::string group, std::string usage, std::string summary, int (*fn)(const ToolArgs&, ToolIo&)) {
    Command c;
    c.path = {"tool", std::move(group)};
    c.args_usage = std::move(usage);
    c.summary = std::move(summary);
    c.min_args = 0;
    c.max_args = -1;
    c.handler = [fn](Invocation& inv) {
        // Tool groups parse their own flags (e.g. --dst, --pubkeys); they arrive as args.
        ToolArgs args;
        for (const auto& [name, values] : inv.flags) {
            for (const auto& v : values) {
                args.push_back("--" + name);
                args.push_back(v);
            }
        }
        args.insert(args.end(), inv.args.begin(), inv.args.end());
        ToolIo io{inv.in, inv.out, inv.err};
        return fn(args, io);
    };
    return c;
}
}  // namespace

void add_tool_commands(CommandTable& t) {
    (void)t;
    (void)&tool;
}

}  // namespace venus::cli
