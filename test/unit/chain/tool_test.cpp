// SPDX-License-Identifier: Apache-2.0 OR MIT
// The `venusd tool message|block|address|cbor` handlers, driven through string streams.
#include <catch2/catch.hpp>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <sstream>

#include "support/fixtures.hpp"
#include "venus/cli/tool.hpp"

using namespace venus;
using venus::cli::ToolArgs;
using venus::cli::ToolIo;

namespace {
struct Run {
    int code;
    std::string out;
    std::string err;
};

Run run(int (*fn)(const ToolArgs&, ToolIo&), ToolArgs args, const std::string& input = "") {
    std::istringstream in(input);
    std::ostringstream out, err;
    ToolIo io{in, out, err};
    const int code = fn(args, io);
    return {code, out.str(), err.str()};
}

rapidjson::Document parse(const std::string& s) {
    rapidjson::Document d;
    d.Parse(s.c_str());
    REQUIRE_FALSE(d.HasParseError());
    return d;
}

constexpr const char* kSignedHex =
    "828a005501fd1d0f4dfcd7e99afcb99a8326b7dc459d32c62855011eaf1c8a4bbfeeb0870b1745b1f57503470b71160144000186a01a00"
    "2625a04200014200010040584201d3046b14964521587c9b4243f9fe42e7962bc43e98016b425d662286b3d329d31f80c858032f3a31586c"
    "e378522d79d5fb8ed445e4487bca85747449a8596b7801";
}  // namespace

TEST_CASE("tool message: cid, decode, sign", "[unit][chain][tool]") {
    const std::string msg = R"({"Version":0,"To":"f00","From":"f0150","Nonce":1,"Value":"100000","GasLimit":25000,
        "GasFeeCap":"1","GasPremium":"1","Method":0,"Params":""})";
    auto r = run(cli::run_tool_message, {"cid"}, msg);
    REQUIRE(r.code == 0);
    auto d = parse(r.out);
    CHECK(std::string(d["cbor"].GetString()) == "8a00420000430096010144000186a01961a84200014200010040");
    CHECK(std::string(d["cid"].GetString()).rfind("bafy2bza", 0) == 0);

    // Decode a signed message and feed its JSON back into `cid`: same CID as Zondax's get_cid.json.
    r = run(cli::run_tool_message, {"decode"}, std::string(kSignedHex) + "\n");
    REQUIRE(r.code == 0);
    auto dec = parse(r.out);
    CHECK(std::string(dec["CID"]["/"].GetString()) == "bafy2bzacebaiinljwwctblf7czp4zxwhz4747z6tpricgn5cumd4xhebftcvu");
    r = run(cli::run_tool_message, {"cid"}, r.out);
    REQUIRE(r.code == 0);
    CHECK(std::string(parse(r.out)["cid"].GetString()) == "bafy2bzacebaiinljwwctblf7czp4zxwhz4747z6tpricgn5cumd4xhebftcvu");
    CHECK(std::string(parse(r.out)["cbor"].GetString()) == kSignedHex);

    // Sign with the `lotus wallet export` form of the Zondax key and check the Zondax signature.
    const std::string key_hex =
        "7b2254797065223a22736563703235366b31222c22507269766174654b6579223a2238566357303741447377533442563263786935726e"
        "4961645673795444446859314e66444831395438556f3d227d";
    const std::string unsigned_msg = R"({"From":"t1d2xrzcslx7xlbbylc5c3d5lvandqw4iwl6epxba","GasLimit":25000,
        "GasPremium":"1","GasFeeCap":"1","Method":0,"Nonce":1,"Params":"","To":"t17uoq6tp427uzv7fztkbsnn64iwotfrristwpryy",
        "Value":"100000"})";
    r = run(cli::run_tool_message, {"sign", "--key", key_hex}, unsigned_msg);
    INFO(r.err);
    REQUIRE(r.code == 0);
    auto s = parse(r.out);
    CHECK(std::string(s["Signature"]["Data"].GetString()) ==
          "nFuTI7MxEXqTQ0QmmQTmqbUsNZfHFXlNjz+susVDkAk1SrRCdJKxlVZZrM4vUtVBSYgtMIeigNfpqdKGIFhoWQA=");
    CHECK(s.HasMember("CID"));

    // Errors: invalid input → 1 with one line; usage → 2.
    r = run(cli::run_tool_message, {"cid"}, "{\"To\":\"x\"}");
    CHECK(r.code == 1);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(run(cli::run_tool_message, {"decode"}, "8a00").code == 1);
    CHECK(run(cli::run_tool_message, {"decode"}, "zz").code == 1);
    CHECK(run(cli::run_tool_message, {"sign"}, msg).code == 2);
    CHECK(run(cli::run_tool_message, {"sign", "--key", "00"}, msg).code == 1);
    CHECK(run(cli::run_tool_message, {}).code == 2);
    CHECK(run(cli::run_tool_message, {"frobnicate"}).code == 2);
}

TEST_CASE("tool block: cid of the serialization vectors", "[unit][chain][tool][vectors]") {
    VENUS_REQUIRE_VECTORS(path, "serialization-vectors/block_headers.json");
    rapidjson::Document doc;
    doc.Parse(test::read_file(path).c_str());
    for (const auto& c : doc.GetArray()) {
        rapidjson::StringBuffer sb;
        rapidjson::Writer<rapidjson::StringBuffer> w(sb);
        c["block"].Accept(w);
        auto r = run(cli::run_tool_block, {"cid"}, sb.GetString());
        REQUIRE(r.code == 0);
        auto d = parse(r.out);
        CHECK(std::string(d["cid"].GetString()) == c["cid"].GetString());
        CHECK(std::string(d["cbor"].GetString()) == c["cbor_hex"].GetString());
    }
    CHECK(run(cli::run_tool_block, {"cid"}, "{}").code == 1);
    CHECK(run(cli::run_tool_block, {"cid"}, "not json").code == 1);
    CHECK(run(cli::run_tool_block, {"nope"}).code == 2);
}

TEST_CASE("tool address: inspect and from-bytes", "[unit][chain][tool]") {
    auto r = run(cli::run_tool_address, {"inspect", "t15ihq5ibzwki2b4ep2f46avlkrqzhpqgtga7pdrq"});
    REQUIRE(r.code == 0);
    CHECK(r.out ==
          R"({"protocol":1,"payload":"ea0f0ea039b291a0f08fd179e0556a8c3277c0d3","bytes":"01ea0f0ea039b291a0f08fd179e0556a8c3277c0d3","testnet":"t15ihq5ibzwki2b4ep2f46avlkrqzhpqgtga7pdrq","mainnet":"f15ihq5ibzwki2b4ep2f46avlkrqzhpqgtga7pdrq"})"
          "\n");
    r = run(cli::run_tool_address, {"from-bytes", "009601"});
    REQUIRE(r.code == 0);
    CHECK(std::string(parse(r.out)["testnet"].GetString()) == "t0150");
    CHECK(run(cli::run_tool_address, {"inspect", "f1xpbyy4tkdx5si2bgo37dubc2xwv6fum5tk57mid"}).code == 1);
    CHECK(run(cli::run_tool_address, {"from-bytes", "0080"}).code == 1);
    CHECK(run(cli::run_tool_address, {"inspect"}).code == 2);
}

TEST_CASE("tool cbor: cid and canonical", "[unit][chain][tool]") {
    auto r = run(cli::run_tool_cbor, {"cid", "824080"});
    REQUIRE(r.code == 0);
    CHECK(r.out == "{\"cid\":\"bafy2bzaceamp42wmmgr2g2ymg46euououzfyck7szknvfacqscohrvaikwfay\"}\n");
    r = run(cli::run_tool_cbor, {"cid", "--hash", "sha2-256", "8102"});
    REQUIRE(r.code == 0);
    CHECK(std::string(parse(r.out)["cid"].GetString()).rfind("bafyreihdb57fdysx5h3", 0) == 0);
    CHECK(run(cli::run_tool_cbor, {"cid"}, "80\n").code == 0);  // hex from stdin
    CHECK(run(cli::run_tool_cbor, {"cid", "a2616201616101"}).code == 1);  // unsorted keys
    CHECK(run(cli::run_tool_cbor, {"cid", "--hash", "md5", "80"}).code == 2);
    r = run(cli::run_tool_cbor, {"canonical", "a261621801616101"});
    REQUIRE(r.code == 0);
    CHECK(r.out == "{\"cbor\":\"a2616101616201\"}\n");
    CHECK(run(cli::run_tool_cbor, {"canonical", "9f01ff"}).code == 1);
    CHECK(run(cli::run_tool_cbor, {"canonical", "0102"}).code == 1);
}
