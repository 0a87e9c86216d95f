// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "venus/rpc/client.hpp"

#include <httplib.h>

#include <atomic>
#include <cctype>

#include "venus/rpc/method.hpp"

namespace venus::rpc {

namespace {
class JsonRpcCategory final : public std::error_category {
  public:
    const char* name() const noexcept override { return "jsonrpc"; }
    std::string message(int ev) const override { return "remote error " + std::to_string(ev); }
};
}  // namespace

const std::error_category& jsonrpc_category() noexcept {
    static const JsonRpcCategory c;
    return c;
}

std::string url_encode(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

std::string url_query(std::initializer_list<std::pair<std::string_view, std::string_view>> params) {
    std::string out;
    for (const auto& [k, v] : params) out += (out.empty() ? "?" : "&") + std::string(k) + "=" + url_encode(v);
    return out;
}

RawJson make_params(const std::function<void(JsonOut&)>& fill) {
    JsonBuilder b;
    b.out().StartArray();
    fill(b.out());
    b.out().EndArray();
    return b.take();
}

//! Shared by both clients: turns a response envelope into the result text or an error.
Result<RawJson> parse_response_envelope(const JsonValue& v) {
    if (!v.IsObject()) return make_error(Errc::kInvalidArgument, "malformed JSON-RPC response");
    if (auto e = v.FindMember("error"); e != v.MemberEnd() && !e->value.IsNull()) {
        int c = code::kMethodError;
        std::string msg = "unknown error";
        if (e->value.IsObject()) {
            if (auto ci = e->value.FindMember("code"); ci != e->value.MemberEnd() && ci->value.IsInt()) c = ci->value.GetInt();
            if (auto mi = e->value.FindMember("message"); mi != e->value.MemberEnd() && mi->value.IsString()) {
                msg = mi->value.GetString();
            }
        }
        return Error{std::error_code(c, jsonrpc_category()), msg};
    }
    auto r = v.FindMember("result");
    if (r == v.MemberEnd()) return RawJson{"null"};
    return RawJson{to_json_text(r->value)};
}

struct HttpRpcClient::Impl {
    std::unique_ptr<httplib::Client> client;
    std::atomic<std::uint64_t> next_id{1};
};

HttpRpcClient::HttpRpcClient(ApiInfo info, std::string path, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>()), info_(std::move(info)), path_(std::move(path)) {
    std::string base = info_.http_url("");
    impl_->client = std::make_unique<httplib::Client>(base);
    auto& c = *impl_->client;
    c.set_tcp_nodelay(true);  // the default (Nagle + delayed ACK) costs ~40 ms per call
    c.set_keep_alive(true);
    const auto secs = std::chrono::duration_cast<std::chrono::seconds>(timeout);
    const auto usecs = std::chrono::duration_cast<std::chrono::microseconds>(timeout - secs);
    c.set_connection_timeout(5, 0);
    c.set_read_timeout(secs.count(), usecs.count());
    c.set_write_timeout(secs.count(), usecs.count());
    if (!info_.token.empty()) c.set_bearer_token_auth(info_.token);
}

HttpRpcClient::~HttpRpcClient() = default;

Result<HttpRpcClient::Response> HttpRpcClient::request(std::string_view method, std::string_view path,
                                                        std::string_view body, std::string_view content_type) {
    auto& c = *impl_->client;
    const std::string p(path);
    auto send = [&]() -> httplib::Result {
        if (method == "GET") return c.Get(p);
        if (method == "POST") return c.Post(p, std::string(body), std::string(content_type));
        if (method == "DELETE") return c.Delete(p, std::string(body), std::string(content_type));
        return c.Put(p, std::string(body), std::string(content_type));
    };
    if (method != "GET" && method != "POST" && method != "DELETE" && method != "PUT") {
        return make_error(Errc::kInvalidArgument, "unsupported HTTP method {}", method);
    }
    auto res = send();
    if (!res) {
        const auto err = res.error();
        const Errc kind = err == httplib::Error::Read || err == httplib::Error::Write ? Errc::kTimeout : Errc::kUnavailable;
        return make_error(kind, "cannot reach {}: {}", info_.http_url(""), httplib::to_string(err));
    }
    return Response{res->status, res->body};
}

Result<RawJson> HttpRpcClient::call(std::string_view method, const RawJson& params) {
    const auto id = impl_->next_id.fetch_add(1);
    std::string body = R"({"jsonrpc":"2.0","id":)" + std::to_string(id) + R"(,"method":)" + json_string(method).text +
                       R"(,"params":)" + params.text + "}";
    VENUS_TRY(auto resp, request("POST", path_, body));
    if (resp.status == 401) {
        return Error{std::error_code(401, jsonrpc_category()), "unauthorized: " + resp.body};
    }
    JsonDocument doc;
    if (!parse_json(resp.body, doc)) {
        return make_error(Errc::kUnavailable, "HTTP {} from {}: {}", resp.status, info_.http_url(path_), resp.body.substr(0, 200));
    }
    return parse_response_envelope(doc);
}

}  // namespace venus::rpc
