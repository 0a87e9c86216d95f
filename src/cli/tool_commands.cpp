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
    c.raw_args = true;  // each tool parses its own flags (--dst, --key, --pubkeys, …)
    c.handler = [fn](Invocation& inv) {
        ToolIo io{inv.in, inv.out, inv.err};
        return fn(inv.args, io);
    };
    return c;
}
}  // namespace

void add_tool_commands(CommandTable& t) {
    t.add(tool("bls", "pubkey|sign|verify|hash-to-g2|aggregate|aggregate-verify …",
               "BLS12-381 (Filecoin min-pk): keys, signatures, aggregates, hash-to-G2. Hex in, JSON out.", run_tool_bls));
    t.add(tool("message", "cid|decode|sign …",
               "Message CBOR and CIDs: `cid` and `sign --key <KeyInfo hex>` read Lotus JSON on stdin, `decode` CBOR hex.",
               run_tool_message));
    t.add(tool("block", "cid", "Block header CID and CBOR from Lotus JSON on stdin.", run_tool_block));
    t.add(tool("address", "inspect <address>|from-bytes <hex>", "Address protocol, payload, bytes and both network forms.",
               run_tool_address));
    t.add(tool("cbor", "cid [--hash blake2b-256|sha2-256] <hex>|canonical <hex>",
               "CID of DAG-CBOR bytes, or their canonical re-encoding.", run_tool_cbor));
}

}  // namespace venus::cli
