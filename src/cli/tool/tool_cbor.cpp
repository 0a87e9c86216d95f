// SPDX-License-Identifier: Apache-2.0 OR MIT
// `venusd tool cbor`: DAG-CBOR blocks.
//   cid [--hash blake2b-256|sha2-256] <hex>   strict DAG-CBOR -> {"cid": "..."} (dag-cbor CIDv1)
//   canonical <hex>                          well-formed CBOR -> {"cbor": "<canonical DAG-CBOR hex>"}
// The hex may also come on stdin when the argument is omitted.
// Exit codes: 0 success, 1 invalid input (one-line error on stderr), 2 usage error.
#include <cctype>
#include <istream>
#include <iterator>
#include <ostream>
#include <string>

#include "venus/cli/tool.hpp"
#include "venus/codec/cbor.hpp"
#include "venus/codec/cid.hpp"

namespace venus::cli {
namespace {

constexpr std::string_view kUsage =
    "usage: venusd tool cbor <command>\n"
    "  cid [--hash blake2b-256|sha2-256] <hex>  strict DAG-CBOR -> {\"cid\"} (default blake2b-256)\n"
    "  canonical <hex>                          CBOR -> canonical DAG-CBOR {\"cbor\"}\n";

int usage(ToolIo& io, std::string_view why) {
    io.err << "error: " << why << "\n" << kUsage;
    return 2;
}

int invalid(ToolIo& io, std::string_view why) {
    io.err << "error: " << why << "\n";
    return 1;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

}  // namespace

int run_tool_cbor(const ToolArgs& args, ToolIo& io) {
    if (args.empty()) return usage(io, "missing command");
    const std::string& cmd = args[0];
    if (cmd == "-h" || cmd == "--help" || cmd == "help") {
        io.out << kUsage;
        return 0;
    }
    if (cmd != "cid" && cmd != "canonical") return usage(io, "unknown command '" + cmd + "'");
    std::uint64_t hash = codec::kHashBlake2b256;
    std::string hex_arg;
    bool have_hex = false;
    for (std::size_t i = 1; i < args.size(); ++i) {
        std::string name;
        if (cmd == "cid" && args[i] == "--hash") {
            if (i + 1 >= args.size()) return usage(io, "--hash needs a value");
            name = args[++i];
        } else if (cmd == "cid" && args[i].rfind("--hash=", 0) == 0) {
            name = args[i].substr(7);
        } else if (!have_hex && (args[i].empty() || args[i][0] != '-')) {
            hex_arg = args[i];
            have_hex = true;
            continue;
        } else {
            return usage(io, "unexpected argument '" + args[i] + "'");
        }
        if (name == "blake2b-256") {
            hash = codec::kHashBlake2b256;
        } else if (name == "sha2-256") {
            hash = codec::kHashSha2_256;
        } else {
            return usage(io, "unknown hash '" + name + "' (blake2b-256 or sha2-256)");
        }
    }
    if (!have_hex) hex_arg.assign(std::istreambuf_iterator<char>(io.in), std::istreambuf_iterator<char>{});
    auto bytes = from_hex(trim(hex_arg));
    if (!bytes) return invalid(io, "not hex: " + bytes.error().message);
    if (cmd == "cid") {
        if (auto s = codec::validate(*bytes); !s) return invalid(io, s.error().message);
        io.out << R"({"cid":")" << codec::make_cid(*bytes, codec::kCodecDagCbor, hash).to_string() << "\"}\n";
        return 0;
    }
    codec::CborLimits lenient;
    lenient.allow_noncanonical = true;
    auto v = codec::decode_value(*bytes, lenient);
    if (!v) return invalid(io, v.error().message);
    io.out << R"({"cbor":")" << to_hex(codec::encode_value(*v)) << "\"}\n";
    return 0;
}

}  // namespace venus::cli
