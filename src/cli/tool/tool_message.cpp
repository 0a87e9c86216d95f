// SPDX-License-Identifier: Apache-2.0 OR MIT
// `venusd tool message`: Filecoin messages, byte-exact with Lotus, one JSON object on stdout.
//   cid                      Lotus-JSON Message or SignedMessage on stdin -> {"cid": "...", "cbor": "<hex>"}
//                            (SignedMessage: the unsigned CID for BLS, the signed CID otherwise)
//   decode                   CBOR hex of a Message or SignedMessage on stdin -> its Lotus JSON
//   sign --key <keyinfo-hex> Message JSON on stdin -> SignedMessage JSON with "CID"
// Exit codes: 0 success, 1 invalid input (one-line error on stderr), 2 usage error.
#include <cctype>
#include <istream>
#include <iterator>
#include <ostream>
#include <sstream>
#include <string>

#include "venus/chain/json.hpp"
#include "venus/chain/keys.hpp"
#include "venus/cli/tool.hpp"

namespace venus::cli {
namespace {

constexpr int kExitInvalid = 1;
constexpr int kExitUsage = 2;

constexpr std::string_view kUsage =
    "usage: venusd tool message <command>\n"
    "  cid                       Lotus JSON Message or SignedMessage on stdin -> {\"cid\", \"cbor\"}\n"
    "  decode                    CBOR hex of a Message or SignedMessage on stdin -> Lotus JSON\n"
    "  sign --key <keyinfo-hex>  Message JSON on stdin -> SignedMessage JSON (key: `lotus wallet export` form)\n";

int usage(ToolIo& io, std::string_view why) {
    io.err << "error: " << why << "\n" << kUsage;
    return kExitUsage;
}

int invalid(ToolIo& io, std::string_view why) {
    std::string line(why);
    for (char& c : line) {
        if (c == '\n' || c == '\r') c = ' ';
    }
    io.err << "error: " << line << "\n";
    return kExitInvalid;
}

std::string read_all(std::istream& in) {
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

int cmd_cid(ToolIo& io) {
    const std::string text = read_all(io.in);
    auto doc = chain::parse_json(text);
    if (!doc) return invalid(io, doc.error().message);
    if (!doc->IsObject()) return invalid(io, "expected a JSON object");
    Result<Bytes> cbor = Bytes{};
    Result<codec::Cid> cid = codec::Cid{};
    if (chain::json_member(*doc, "Message") != nullptr && chain::json_member(*doc, "Signature") != nullptr) {
        chain::SignedMessage sm;
        if (auto s = chain::from_json(*doc, sm); !s) return invalid(io, s.error().message);
        cbor = chain::encode_cbor(sm);
        cid = sm.cid();
    } else {
        chain::Message m;
        if (auto s = chain::from_json(*doc, m); !s) return invalid(io, s.error().message);
        cbor = chain::encode_cbor(m);
        cid = m.cid();
    }
    if (!cbor) return invalid(io, cbor.error().message);
    if (!cid) return invalid(io, cid.error().message);
    io.out << R"({"cid":")" << cid->to_string() << R"(","cbor":")" << to_hex(*cbor) << "\"}\n";
    return 0;
}

int cmd_decode(ToolIo& io) {
    const std::string text = read_all(io.in);
    auto bytes = from_hex(trim(text));
    if (!bytes) return invalid(io, "input is not hex: " + bytes.error().message);
    if (auto m = chain::decode_cbor<chain::Message>(*bytes)) {
        io.out << chain::to_json_string(*m) << "\n";
        return 0;
    }
    auto sm = chain::decode_cbor<chain::SignedMessage>(*bytes);
    if (!sm) {
        // Report the Message error for an array of 10, else the SignedMessage one.
        auto as_msg = chain::decode_cbor<chain::Message>(*bytes);
        const bool looks_unsigned = !bytes->empty() && (*bytes)[0] == 0x8a;
        return invalid(io, looks_unsigned ? as_msg.error().message : sm.error().message);
    }
    io.out << chain::to_json_string(*sm) << "\n";
    return 0;
}

int cmd_sign(const ToolArgs& args, ToolIo& io) {
    std::string key;
    for (std::size_t i = 1; i < args.size(); ++i) {
        if (args[i] == "--key" && i + 1 < args.size()) {
            key = args[++i];
        } else if (args[i].rfind("--key=", 0) == 0) {
            key = args[i].substr(6);
        } else {
            return usage(io, "unexpected argument '" + args[i] + "'");
        }
    }
    if (key.empty()) return usage(io, "sign needs --key <keyinfo-hex>");
    auto ki = chain::parse_key_info_hex(key);
    if (!ki) return invalid(io, ki.error().message);
    const std::string text = read_all(io.in);
    auto msg = chain::from_json_string<chain::Message>(text);
    if (!msg) return invalid(io, msg.error().message);
    if (ki->type == crypto::SigType::kBls && !crypto::bls_available()) {
        return invalid(io, "BLS signing is not available in this build");
    }
    auto sm = chain::sign_message(*ki, *msg);
    if (!sm) return invalid(io, sm.error().message);
    if (auto c = sm->cid(); !c) return invalid(io, c.error().message);
    io.out << chain::to_json_string(*sm) << "\n";
    return 0;
}

}  // namespace

int run_tool_message(const ToolArgs& args, ToolIo& io) {
    if (args.empty()) return usage(io, "missing command");
    const std::string& cmd = args[0];
    if (cmd == "cid" || cmd == "decode") {
        if (args.size() != 1) return usage(io, "'" + cmd + "' takes no arguments (input on stdin)");
        return cmd == "cid" ? cmd_cid(io) : cmd_decode(io);
    }
    if (cmd == "sign") return cmd_sign(args, io);
    if (cmd == "-h" || cmd == "--help" || cmd == "help") {
        io.out << kUsage;
        return 0;
    }
    return usage(io, "unknown command '" + cmd + "'");
}

}  // namespace venus::cli
