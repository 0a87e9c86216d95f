// SPDX-License-Identifier: Apache-2.0 OR MIT
// Stand-in for `venusd tool bls` until the CLI dispatcher links it: `venus_bls_tool <command> ...`
// behaves exactly like `venusd tool bls <command> ...`. The interop scripts drive it.
#include <iostream>

#include "venus/cli/tool.hpp"

int main(int argc, char** argv) {
    venus::cli::ToolArgs args(argv + 1, argv + argc);
    venus::cli::ToolIo io{std::cin, std::cout, std::cerr};
    return venus::cli::run_tool_bls(args, io);
}
