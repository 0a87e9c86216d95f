// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "websocket.hpp"

#include <openssl/evp.h>

#include "venus/core/bytes.hpp"

namespace venus::rpc::ws {

std::string accept_key(std::string_view client_key) {
    std::string input(client_key);
    input += "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_Digest(input.data(), input.size(), digest, &n, EVP_sha1(), nullptr);
    return to_base64(BytesView(digest, n));
}

std::string encode_frame(Opcode op, std::string_view payload, std::uint32_t mask_key) {
    std::string out;
    out.reserve(payload.size() + 14);
    out += static_cast<char>(0x80 | op);
    const std::uint8_t mask_bit = mask_key != 0 ? 0x80 : 0;
    const std::size_t n = payload.size();
    if (n < 126) {
        out += static_cast<char>(mask_bit | n);
    } else if (n <= 0xffff) {
        out += static_cast<char>(mask_bit | 126);
        out += static_cast<char>((n >> 8) & 0xff);
        out += static_cast<char>(n & 0xff);
    } else {
        out += static_cast<char>(mask_bit | 127);
        for (int i = 7; i >= 0; --i) out += static_cast<char>((static_cast<std::uint64_t>(n) >> (8 * i)) & 0xff);
    }
    if (mask_key == 0) {
        out.append(payload);
        return out;
    }
    const std::uint8_t key[4] = {static_cast<std::uint8_t>(mask_key >> 24), static_cast<std::uint8_t>(mask_key >> 16),
                                 static_cast<std::uint8_t>(mask_key >> 8), static_cast<std::uint8_t>(mask_key)};
    out.append(reinterpret_cast<const char*>(key), 4);
    const std::size_t start = out.size();
    out.append(payload);
    for (std::size_t i = 0; i < n; ++i) out[start + i] = static_cast<char>(out[start + i] ^ static_cast<char>(key[i & 3]));
    return out;
}

std::string encode_close(std::uint16_t code, std::string_view reason) {
    std::string payload;
    payload += static_cast<char>(code >> 8);
    payload += static_cast<char>(code & 0xff);
    payload.append(reason.substr(0, 120));
    return encode_frame(kClose, payload);
}

Status Reader::feed(std::string_view data, const OnMessage& on_message) {
    buf_.append(data);
    std::size_t pos = 0;
    while (true) {
        const std::size_t avail = buf_.size() - pos;
        if (avail < 2) break;
        const auto* p = reinterpret_cast<const std::uint8_t*>(buf_.data() + pos);
        const bool fin = (p[0] & 0x80) != 0;
        if ((p[0] & 0x70) != 0) return make_error(Errc::kInvalidArgument, "websocket: reserved bits set");
        const auto op = static_cast<Opcode>(p[0] & 0x0f);
        const bool masked = (p[1] & 0x80) != 0;
        if (masked != expect_masked_) {
            return Error{Errc::kInvalidArgument,
                         expect_masked_ ? "websocket: client frame not masked" : "websocket: server frame masked"};
        }
        std::uint64_t len = p[1] & 0x7f;
        std::size_t header = 2;
        if (len == 126) {
            if (avail < 4) break;
            len = (std::uint64_t{p[2]} << 8) | p[3];
            header = 4;
        } else if (len == 127) {
            if (avail < 10) break;
            len = 0;
            for (int i = 0; i < 8; ++i) len = (len << 8) | p[2 + i];
            header = 10;
        }
        const bool control = (op & 0x8) != 0;
        if (control && (len > 125 || !fin)) return make_error(Errc::kInvalidArgument, "websocket: bad control frame");
        if (len > max_message_ || (!control && message_.size() + len > max_message_)) {
            return make_error(Errc::kOutOfRange, "websocket: message bigger than maximum {} allowed", max_message_);
        }
        if (masked) header += 4;
        if (avail < header + len) break;
        std::string payload(buf_.data() + pos + header, static_cast<std::size_t>(len));
        if (masked) {
            const std::uint8_t* key = p + header - 4;
            for (std::size_t i = 0; i < payload.size(); ++i) {
                payload[i] = static_cast<char>(payload[i] ^ static_cast<char>(key[i & 3]));
            }
        }
        pos += header + static_cast<std::size_t>(len);

        if (control) {
            if (op != kClose && op != kPing && op != kPong) return make_error(Errc::kInvalidArgument, "websocket: unknown opcode");
            on_message(op, std::move(payload));
            continue;
        }
        if (op == kContinuation) {
            if (!in_message_) return make_error(Errc::kInvalidArgument, "websocket: unexpected continuation");
            message_ += payload;
        } else if (op == kText || op == kBinary) {
            if (in_message_) return make_error(Errc::kInvalidArgument, "websocket: new message inside a fragmented one");
            message_op_ = op;
            message_ = std::move(payload);
            in_message_ = true;
        } else {
            return make_error(Errc::kInvalidArgument, "websocket: unknown opcode");
        }
        if (fin) {
            in_message_ = false;
            on_message(message_op_, std::move(message_));
            message_.clear();
        }
    }
    buf_.erase(0, pos);
    return {};
}

}  // namespace venus::rpc::ws
