// SPDX-License-Identifier: Apache-2.0 OR MIT
//! RFC 6455 framing, shared by the server connections and the WebSocket client. Small on purpose:
//! websocketpp 0.8 does not build as C++20 with g++ 12 (docs/decisions.md).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "venus/core/result.hpp"

namespace venus::rpc::ws {

enum Opcode : std::uint8_t {
    kContinuation = 0x0,
    kText = 0x1,
    kBinary = 0x2,
    kClose = 0x8,
    kPing = 0x9,
    kPong = 0xA,
};

//! Sec-WebSocket-Accept for a client's Sec-WebSocket-Key.
std::string accept_key(std::string_view client_key);

//! Encodes one unfragmented frame. Clients must mask (mask_key != 0 → masked), servers must not.
std::string encode_frame(Opcode op, std::string_view payload, std::uint32_t mask_key = 0);
//! A close frame with a status code and reason.
std::string encode_close(std::uint16_t code, std::string_view reason);

//! Incremental frame reader. Reassembles fragmented messages; control frames come out at once.
class Reader {
  public:
    //! `on_message(opcode, payload)` for complete text/binary messages and for control frames.
    using OnMessage = std::function<void(Opcode, std::string&&)>;
    Reader(bool expect_masked, std::size_t max_message_bytes)
        : expect_masked_(expect_masked), max_message_(max_message_bytes) {}
    //! Consumes all of `data`. An error (protocol violation, oversized message) means: close the connection.
    Status feed(std::string_view data, const OnMessage& on_message);

  private:
    bool expect_masked_;
    std::size_t max_message_;
    std::string buf_;           // unparsed bytes
    std::string message_;       // fragments of the current data message
    Opcode message_op_ = kText;
    bool in_message_ = false;
};

}  // namespace venus::rpc::ws
