// SPDX-License-Identifier: Apache-2.0 OR MIT
// `venusd tool address`: Filecoin addresses with go-address's rules.
//   inspect <address>     -> {"protocol": n, "payload": "<hex>", "bytes": "<hex>", "testnet": "t…", "mainnet": "f…"}
//   from-bytes <hex>      -> the same object
// Exit codes: 0 success, 1 invalid input (one-line error on stderr), 2 usage error.
#include <ostream>
#include <string>

#include "venus/chain/address.hpp"
#include "venus/cli/tool.hpp"

namespace venus::cli {
namespace {

constexpr std::string_view kUsage =
    "usage: venusd tool address <command>\n"
    "  inspect <address>   f/t address text -> protocol, payload, bytes, testnet and mainnet forms\n"
    "  from-bytes <hex>    address bytes (protocol byte ‖ payload) -> the same\n";

int usage(ToolIo& io, std::string_view why) {
    io.err << "error: " << why << "\n" << kUsage;
    return 2;
}

int invalid(ToolIo& io, std::string_view why) {
    io.err << "error: " << why << "\n";
    return 1;
}

int print(ToolIo& io, const chain::Address& a) {
    io.out << "{\"protocol\":" << static_cast<int>(a.protocol()) << ",\"payload\":\"" << to_hex(a.payload())
           << "\",\"bytes\":\"" << to_hex(a.bytes()) << "\",\"testnet\":\"" << a.to_string(chain::Network::kTestnet)
           << "\",\"mainnet\":\"" << a.to_string(chain::Network::kMainnet) << "\"}\n";
    return 0;
}

}  // namespace

int run_tool_address(const ToolArgs& args, ToolIo& io) {
    if (args.empty()) return usage(io, "missing command");
    const std::string& cmd = args[0];
    if (cmd == "-h" || cmd == "--help" || cmd == "help") {
        io.out << kUsage;
        return 0;
    }
    if (cmd != "inspect" && cmd != "from-bytes") return usage(io, "unknown command '" + cmd + "'");
    if (args.size() != 2) return usage(io, "'" + cmd + "' takes exactly one argument");
    Result<chain::Address> a = chain::Address{};
    if (cmd == "inspect") {
        a = chain::Address::parse(args[1]);
    } else {
        auto bytes = from_hex(args[1]);
        if (!bytes) return invalid(io, "not hex: " + bytes.error().message);
        a = chain::Address::from_bytes(*bytes);
    }
    if (!a) return invalid(io, a.error().message);
    if (!a->defined()) return invalid(io, "the undefined address has no bytes");
    return print(io, *a);
}

}  // namespace venus::cli
