// SPDX-License-Identifier: Apache-2.0 OR MIT
//! `venusd tool <group> …`: offline developer tools (like lotus-shed). Each group is one function
//! implemented in src/cli/tool/tool_<group>.cpp. Contract shared by every group (checks outside the
//! test suite rely on it): one JSON object on `out`; on invalid input exit code 1 and a one-line
//! error on `err`; exit code 2 for usage errors.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace venus::cli {

struct ToolIo {
    std::istream& in;
    std::ostream& out;
    std::ostream& err;
};

using ToolArgs = std::vector<std::string>;  //!< the arguments after `venusd tool <group>`

int run_tool_bls(const ToolArgs& args, ToolIo& io);      //!< pubkey|sign|verify|hash-to-g2|aggregate|aggregate-verify
int run_tool_message(const ToolArgs& args, ToolIo& io);  //!< cid|decode|sign
int run_tool_block(const ToolArgs& args, ToolIo& io);    //!< cid
int run_tool_address(const ToolArgs& args, ToolIo& io);  //!< inspect|from-bytes
int run_tool_cbor(const ToolArgs& args, ToolIo& io);     //!< cid|canonical

}  // namespace venus::cli
