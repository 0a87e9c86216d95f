// SPDX-License-Identifier: Apache-2.0 OR MIT
// `venusd tool bls`: BLS12-381 as Filecoin uses it, hex in and out, one JSON object on stdout.
//   pubkey <private-key-hex>                        -> {"pubkey": "<48-byte hex>", "address": "t3..."}
//   sign <private-key-hex> <message-hex>            -> {"signature": "<96-byte hex>"}
//   verify <pubkey-hex> <message-hex> <sig-hex>     -> {"valid": true|false}   (exit 1 when false)
//   hash-to-g2 [--dst <string>] <message-hex>       -> {"point": "<96-byte hex>"}
//   aggregate <sig-hex>...                          -> {"signature": "<96-byte hex>"}
//   aggregate-verify --pubkeys <hex,...> --messages <hex,...> <sig-hex> -> {"valid": ...}
// Exit codes: 0 success, 1 invalid input (one-line error on stderr), 2 usage error.
#include <sodium.h>

#include <algorithm>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "venus/cli/tool.hpp"
#include "venus/core/bytes.hpp"
#include "venus/crypto/bls.hpp"

namespace venus::cli {

namespace {

namespace bls = venus::crypto::bls;

constexpr int kExitInvalid = 1;
constexpr int kExitUsage = 2;

constexpr std::string_view kUsage =
    "usage: venusd tool bls <command>\n"
    "  pubkey <private-key-hex>                 32-byte little-endian key -> public key and t3 address\n"
    "  sign <private-key-hex> <message-hex>\n"
    "  verify <pubkey-hex> <message-hex> <signature-hex>\n"
    "  hash-to-g2 [--dst <string>] <message-hex> (default DST: Filecoin's)\n"
    "  aggregate <signature-hex>...\n"
    "  aggregate-verify --pubkeys <hex,...> --messages <hex,...> <signature-hex>\n";

int usage(ToolIo& io, std::string_view why) {
    io.err << "error: " << why << "\n" << kUsage;
    return kExitUsage;
}

int invalid(ToolIo& io, std::string_view why) {
    io.err << "error: " << why << "\n";
    return kExitInvalid;
}

//! The t3 address string of a BLS public key: "t3" + base32(pubkey || blake2b-32bit(0x03 || pubkey)),
//! RFC 4648 lower case without padding. Private to this tool until the address library lands in
//! src/chain (then this switches to it).
std::string t3_address(const bls::PublicKeyBytes& pk) {
    Bytes payload(1 + pk.size());
    payload[0] = 0x03;  // protocol 3: BLS
    std::copy(pk.begin(), pk.end(), payload.begin() + 1);
    std::uint8_t checksum[4];
    crypto_generichash(checksum, sizeof checksum, payload.data(), payload.size(), nullptr, 0);
    Bytes data(pk.begin(), pk.end());
    data.insert(data.end(), checksum, checksum + 4);

    static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
    std::string out = "t3";
    unsigned buffer = 0;
    int bits = 0;
    for (const std::uint8_t byte : data) {
        buffer = (buffer << 8) | byte;
        bits += 8;
        while (bits >= 5) {
            out += kAlphabet[(buffer >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0) out += kAlphabet[(buffer << (5 - bits)) & 31];
    return out;
}

struct Parsed {
    std::vector<std::string> positional;
    std::optional<std::string> dst, pubkeys, messages;
    std::string error;  //!< non-empty on a usage error
};

//! Splits "--name value" / "--name=value" options from positional arguments.
Parsed parse(const ToolArgs& args, std::size_t from, const std::vector<std::string_view>& allowed) {
    Parsed p;
    for (std::size_t i = from; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a.size() > 2 && a.compare(0, 2, "--") == 0) {
            std::string name = a.substr(2), value;
            bool has_value = false;
            if (auto eqpos = name.find('='); eqpos != std::string::npos) {
                value = name.substr(eqpos + 1);
                name.resize(eqpos);
                has_value = true;
            }
            if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
                p.error = "unknown option --" + name;
                return p;
            }
            if (!has_value) {
                if (i + 1 >= args.size()) {
                    p.error = "option --" + name + " needs a value";
                    return p;
                }
                value = args[++i];
            }
            if (name == "dst") p.dst = value;
            if (name == "pubkeys") p.pubkeys = value;
            if (name == "messages") p.messages = value;
        } else {
            p.positional.push_back(a);
        }
    }
    return p;
}

std::vector<std::string> split_commas(const std::string& s) {
    std::vector<std::string> out;
    if (s.empty()) return out;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = s.find(',', start);
        out.push_back(s.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

//! Hex argument -> bytes, or a one-line reason naming the argument.
std::optional<Bytes> hex_arg(ToolIo& io, std::string_view what, std::string_view text) {
    auto r = from_hex(text);
    if (!r.ok()) {
        io.err << "error: " << what << ": not valid hex (" << r.error().message << ")\n";
        return std::nullopt;
    }
    return std::move(r).value();
}

int cmd_pubkey(const Parsed& p, ToolIo& io) {
    if (p.positional.size() != 1) return usage(io, "pubkey takes one argument: <private-key-hex>");
    const auto sk = hex_arg(io, "private key", p.positional[0]);
    if (!sk) return kExitInvalid;
    const auto pk = bls::public_key_from_private(*sk);
    if (!pk.ok()) return invalid(io, pk.error().message);
    io.out << R"({"pubkey": ")" << to_hex(*pk) << R"(", "address": ")" << t3_address(*pk) << "\"}\n";
    return 0;
}

int cmd_sign(const Parsed& p, ToolIo& io) {
    if (p.positional.size() != 2) return usage(io, "sign takes two arguments: <private-key-hex> <message-hex>");
    const auto sk = hex_arg(io, "private key", p.positional[0]);
    if (!sk) return kExitInvalid;
    const auto msg = hex_arg(io, "message", p.positional[1]);
    if (!msg) return kExitInvalid;
    const auto sig = bls::sign(*sk, *msg);
    if (!sig.ok()) return invalid(io, sig.error().message);
    io.out << R"({"signature": ")" << to_hex(*sig) << "\"}\n";
    return 0;
}

//! Prints the verdict. A malformed key or signature (bad point, infinity key) is a verdict too:
//! {"valid": false} on stdout plus the reason on stderr, exit 1.
int print_verdict(ToolIo& io, const Result<bool>& r) {
    if (!r.ok()) {
        io.out << "{\"valid\": false}\n";
        return invalid(io, r.error().message);
    }
    io.out << "{\"valid\": " << (*r ? "true" : "false") << "}\n";
    return *r ? 0 : kExitInvalid;
}

int cmd_verify(const Parsed& p, ToolIo& io) {
    if (p.positional.size() != 3) {
        return usage(io, "verify takes three arguments: <pubkey-hex> <message-hex> <signature-hex>");
    }
    const auto pk = hex_arg(io, "public key", p.positional[0]);
    if (!pk) return kExitInvalid;
    const auto msg = hex_arg(io, "message", p.positional[1]);
    if (!msg) return kExitInvalid;
    const auto sig = hex_arg(io, "signature", p.positional[2]);
    if (!sig) return kExitInvalid;
    return print_verdict(io, bls::verify(*pk, *msg, *sig));
}

int cmd_hash_to_g2(const Parsed& p, ToolIo& io) {
    if (p.positional.size() != 1) return usage(io, "hash-to-g2 takes one argument: <message-hex>");
    const auto msg = hex_arg(io, "message", p.positional[0]);
    if (!msg) return kExitInvalid;
    const std::string dst = p.dst.value_or(std::string(bls::kFilecoinDst));
    const auto point = bls::hash_to_g2(*msg, as_bytes(dst));
    if (!point.ok()) return invalid(io, point.error().message);
    io.out << R"({"point": ")" << to_hex(*point) << "\"}\n";
    return 0;
}

int cmd_aggregate(const Parsed& p, ToolIo& io) {
    std::vector<Bytes> sigs;
    for (std::size_t i = 0; i < p.positional.size(); ++i) {
        const auto s = hex_arg(io, "signature " + std::to_string(i), p.positional[i]);
        if (!s) return kExitInvalid;
        sigs.push_back(*s);
    }
    std::vector<BytesView> views(sigs.begin(), sigs.end());
    const auto agg = bls::aggregate(views);
    if (!agg.ok()) return invalid(io, agg.error().message);
    io.out << R"({"signature": ")" << to_hex(*agg) << "\"}\n";
    return 0;
}

int cmd_aggregate_verify(const Parsed& p, ToolIo& io) {
    if (!p.pubkeys || !p.messages || p.positional.size() != 1) {
        return usage(io, "aggregate-verify needs --pubkeys <hex,...> --messages <hex,...> <signature-hex>");
    }
    std::vector<Bytes> pks, msgs;
    const auto pk_texts = split_commas(*p.pubkeys);
    const auto msg_texts = split_commas(*p.messages);
    for (std::size_t i = 0; i < pk_texts.size(); ++i) {
        const auto b = hex_arg(io, "public key " + std::to_string(i), pk_texts[i]);
        if (!b) return kExitInvalid;
        pks.push_back(*b);
    }
    for (std::size_t i = 0; i < msg_texts.size(); ++i) {
        const auto b = hex_arg(io, "message " + std::to_string(i), msg_texts[i]);
        if (!b) return kExitInvalid;
        msgs.push_back(*b);
    }
    const auto sig = hex_arg(io, "signature", p.positional[0]);
    if (!sig) return kExitInvalid;
    std::vector<BytesView> pk_views(pks.begin(), pks.end()), msg_views(msgs.begin(), msgs.end());
    return print_verdict(io, bls::aggregate_verify(pk_views, msg_views, *sig));
}

}  // namespace

int run_tool_bls(const ToolArgs& args, ToolIo& io) {
    if (args.empty()) return usage(io, "missing command");
    if (sodium_init() < 0) return invalid(io, "libsodium failed to initialise");
    const std::string& cmd = args[0];
    if (cmd == "help" || cmd == "--help" || cmd == "-h") {
        io.err << kUsage;
        return kExitUsage;
    }
    std::vector<std::string_view> options;
    if (cmd == "hash-to-g2") options = {"dst"};
    if (cmd == "aggregate-verify") options = {"pubkeys", "messages"};
    const Parsed p = parse(args, 1, options);
    if (!p.error.empty()) return usage(io, p.error);
    if (cmd == "pubkey") return cmd_pubkey(p, io);
    if (cmd == "sign") return cmd_sign(p, io);
    if (cmd == "verify") return cmd_verify(p, io);
    if (cmd == "hash-to-g2") return cmd_hash_to_g2(p, io);
    if (cmd == "aggregate") return cmd_aggregate(p, io);
    if (cmd == "aggregate-verify") return cmd_aggregate_verify(p, io);
    return usage(io, "unknown command '" + cmd + "'");
}

}  // namespace venus::cli
