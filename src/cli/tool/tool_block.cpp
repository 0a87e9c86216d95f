// SPDX-License-Identifier: Apache-2.0 OR MIT
// `venusd tool block`: block headers, byte-exact with Lotus.
//   cid    Lotus-JSON BlockHeader on stdin -> {"cid": "...", "cbor": "<hex>"}
// Exit codes: 0 success, 1 invalid input (one-line error on stderr), 2 usage error.
#include <istream>
#include <iterator>
#include <ostream>
#include <string>

#include "venus/chain/json.hpp"
#include "venus/cli/tool.hpp"

namespace venus::cli {
namespace {

constexpr std::string_view kUsage =
    "usage: venusd tool block <command>\n"
    "  cid    Lotus JSON BlockHeader on stdin -> {\"cid\", \"cbor\"}\n";

int usage(ToolIo& io, std::string_view why) {
    io.err << "error: " << why << "\n" << kUsage;
    return 2;
}

int invalid(ToolIo& io, std::string why) {
    for (char& c : why) {
        if (c == '\n' || c == '\r') c = ' ';
    }
    io.err << "error: " << why << "\n";
    return 1;
}

}  // namespace

int run_tool_block(const ToolArgs& args, ToolIo& io) {
    if (args.empty()) return usage(io, "missing command");
    if (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
        io.out << kUsage;
        return 0;
    }
    if (args[0] != "cid") return usage(io, "unknown command '" + args[0] + "'");
    if (args.size() != 1) return usage(io, "'cid' takes no arguments (input on stdin)");
    const std::string text(std::istreambuf_iterator<char>(io.in), std::istreambuf_iterator<char>{});
    auto h = chain::from_json_string<chain::BlockHeader>(text);
    if (!h) return invalid(io, h.error().message);
    auto cbor = chain::encode_cbor(*h);
    if (!cbor) return invalid(io, cbor.error().message);
    io.out << R"({"cid":")" << codec::cbor_cid(*cbor).to_string() << R"(","cbor":")" << to_hex(*cbor) << "\"}\n";
    return 0;
}

}  // namespace venus::cli
