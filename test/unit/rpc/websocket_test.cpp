// SPDX-License-Identifier: Apache-2.0 OR MIT
#include <catch2/catch.hpp>

#include "websocket.hpp"

using namespace venus::rpc;

TEST_CASE("websocket: accept key from RFC 6455 §1.3", "[unit][ws]") {
    CHECK(ws::accept_key("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST_CASE("websocket: frames round-trip, masked and not, at every length class", "[unit][ws]") {
    for (std::size_t len : {0u, 1u, 125u, 126u, 65535u, 65536u, 200000u}) {
        std::string payload(len, 'x');
        for (std::size_t i = 0; i < len; ++i) payload[i] = static_cast<char>('a' + i % 26);
        for (bool masked : {false, true}) {
            auto frame = ws::encode_frame(ws::kText, payload, masked ? 0x12345678u : 0u);
            ws::Reader reader(masked, 1 << 20);
            std::vector<std::string> got;
            // Feed byte by byte for small frames to exercise partial headers.
            if (len < 300) {
                for (char c : frame) REQUIRE(reader.feed(std::string_view(&c, 1), [&](ws::Opcode, std::string&& m) { got.push_back(m); }).ok());
            } else {
                REQUIRE(reader.feed(frame, [&](ws::Opcode, std::string&& m) { got.push_back(m); }).ok());
            }
            REQUIRE(got.size() == 1);
            CHECK(got[0] == payload);
        }
    }
}

TEST_CASE("websocket: fragments reassemble, control frames interleave", "[unit][ws]") {
    // RFC 6455 §5.7: a fragmented unmasked text message "Hel" + "lo".
    std::string data = {'\x01', '\x03', 'H', 'e', 'l', '\x89', '\x00', '\x80', '\x02', 'l', 'o'};
    ws::Reader reader(false, 1024);
    std::vector<std::pair<int, std::string>> got;
    REQUIRE(reader.feed(data, [&](ws::Opcode op, std::string&& m) { got.emplace_back(op, m); }).ok());
    REQUIRE(got.size() == 2);
    CHECK(got[0].first == ws::kPing);
    CHECK(got[1].second == "Hello");
}

TEST_CASE("websocket: protocol violations and oversized messages are errors", "[unit][ws]") {
    ws::Reader server(true, 100);
    auto unmasked = ws::encode_frame(ws::kText, "hi");
    CHECK_FALSE(server.feed(unmasked, [](ws::Opcode, std::string&&) {}).ok());

    ws::Reader small(true, 100);
    auto big = ws::encode_frame(ws::kText, std::string(101, 'a'), 1);
    auto r = small.feed(big, [](ws::Opcode, std::string&&) {});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("bigger than maximum") != std::string::npos);

    ws::Reader reserved(false, 100);
    std::string rsv = {'\xC1', '\x00'};
    CHECK_FALSE(reserved.feed(rsv, [](ws::Opcode, std::string&&) {}).ok());

    ws::Reader cont(false, 100);
    std::string stray = {'\x80', '\x00'};  // continuation without a start
    CHECK_FALSE(cont.feed(stray, [](ws::Opcode, std::string&&) {}).ok());

    // A 2^63-byte length claim must be refused from the header, never allocated.
    ws::Reader huge(false, 1 << 20);
    std::string claim = {'\x81', '\x7f', '\x7f', '\xff', '\xff', '\xff', '\xff', '\xff', '\xff', '\xff'};
    CHECK_FALSE(huge.feed(claim, [](ws::Opcode, std::string&&) {}).ok());
}
