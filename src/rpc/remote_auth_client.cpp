// SPDX-License-Identifier: Apache-2.0 OR MIT
// The remote implementations of venus/api/auth.hpp: a REST client of sophon-auth's API (served by a
// venusd with the auth module, or by the original service) and a token verifier on its /verify.
#include <asio/post.hpp>
#include <asio/thread_pool.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <unordered_map>

#include "venus/api/auth.hpp"
#include "venus/core/log.hpp"
#include "venus/rpc/client.hpp"
#include "venus/rpc/json.hpp"

namespace venus::api {

namespace {

//! RFC 3339 as Go writes time.Time ("2006-01-02T15:04:05.999999999+08:00" or "…Z") → unix seconds.
std::int64_t parse_rfc3339(std::string_view s) {
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
    const std::string text(s);
    if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &sec) != 6) return 0;
    std::tm tm{};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    std::int64_t t = timegm(&tm);
    auto zone = s.find_first_of("Z+-", 19);
    if (zone != std::string_view::npos && s[zone] != 'Z' && s.size() >= zone + 6) {
        const int oh = std::atoi(text.substr(zone + 1, 2).c_str());
        const int om = std::atoi(text.substr(zone + 4, 2).c_str());
        const int off = (oh * 60 + om) * 60;
        t += s[zone] == '+' ? -off : off;
    }
    return t;
}

const rpc::JsonValue* member(const rpc::JsonValue& o, const char* key) {
    if (!o.IsObject()) return nullptr;
    auto it = o.FindMember(key);
    return it == o.MemberEnd() || it->value.IsNull() ? nullptr : &it->value;
}
std::string str(const rpc::JsonValue& o, const char* key) {
    const auto* v = member(o, key);
    return v && v->IsString() ? std::string(v->GetString(), v->GetStringLength()) : std::string();
}
std::int64_t num(const rpc::JsonValue& o, const char* key) {
    const auto* v = member(o, key);
    return v && v->IsInt64() ? v->GetInt64() : 0;
}
std::int64_t when(const rpc::JsonValue& o, const char* key) {
    const auto* v = member(o, key);
    if (v && v->IsString()) return parse_rfc3339(v->GetString());
    return v && v->IsInt64() ? v->GetInt64() : 0;
}

User to_user(const rpc::JsonValue& v) {
    return User{str(v, "id"), str(v, "name"), str(v, "comment"), static_cast<UserState>(num(v, "state")),
                num(v, "createTime"), num(v, "updateTime")};
}
Miner to_miner(const rpc::JsonValue& v) {
    const auto* open = member(v, "OpenMining");
    return Miner{str(v, "Miner"), str(v, "User"), open && open->IsBool() ? open->GetBool() : true, when(v, "CreatedAt"),
                 when(v, "UpdatedAt")};
}
Signer to_signer(const rpc::JsonValue& v) {
    return Signer{str(v, "Signer"), str(v, "User"), when(v, "CreatedAt"), when(v, "UpdatedAt")};
}

Error http_error(int status, const std::string& body) {
    std::string msg = body;
    rpc::JsonDocument doc;
    if (rpc::parse_json(body, doc) && doc.IsObject()) {
        if (auto m = str(doc, "error"); !m.empty()) msg = m;
    }
    if (msg.empty()) msg = "HTTP " + std::to_string(status);
    switch (status) {
        case 401: return Error{Errc::kUnauthenticated, msg};
        case 403: return Error{Errc::kPermissionDenied, msg};
        case 400: return Error{Errc::kInvalidArgument, msg};
        case 404: return Error{Errc::kNotFound, msg};
        default: return Error{Errc::kUnavailable, fmt::format("auth service answered HTTP {}: {}", status, msg)};
    }
}

class RemoteAuth final : public Auth {
  public:
    RemoteAuth(rpc::ApiInfo info, std::chrono::milliseconds timeout) : client_(std::move(info), "/rpc/v1", timeout) {}

    Result<rpc::Claims> verify(std::string_view token) override {
        VENUS_TRY(auto doc, call("POST", "/verify", json_object({{"token", token}})));
        auto perm = rpc::parse_perm(str(doc, "perm"));
        if (!perm) return make_error(Errc::kUnauthenticated, "token has an unknown permission");
        return rpc::Claims{str(doc, "name"), *perm, str(doc, "ext")};
    }
    Result<bool> has_user(std::string_view name) override { return boolean("/user/has" + rpc::url_query({{"name", name}})); }
    Result<User> get_user(std::string_view name) override {
        VENUS_TRY(auto doc, call("GET", "/user" + rpc::url_query({{"name", name}})));
        return to_user(doc);
    }
    Result<User> get_user_by_miner(std::string_view miner) override {
        VENUS_TRY(auto doc, call("GET", "/user/miner" + rpc::url_query({{"miner", miner}})));
        return to_user(doc);
    }
    Result<std::vector<User>> get_user_by_signer(std::string_view signer) override {
        VENUS_TRY(auto doc, call("GET", "/user/signer" + rpc::url_query({{"signer", signer}})));
        return list<User>(doc, to_user);
    }
    Result<std::vector<UserWithMiners>> list_users_with_miners(std::int64_t skip, std::int64_t limit,
                                                               UserState state) override {
        // As jwtclient does: the user list, then each user's miners.
        const auto s = std::to_string(skip), l = std::to_string(limit), st = std::to_string(static_cast<int>(state));
        VENUS_TRY(auto doc, call("GET", "/user/list" + rpc::url_query({{"skip", s}, {"limit", l}, {"state", st}})));
        std::vector<UserWithMiners> out;
        for (auto& u : list<User>(doc, to_user)) {
            VENUS_TRY(auto miners, list_miners(u.name));
            out.push_back(UserWithMiners{std::move(u), std::move(miners)});
        }
        return out;
    }
    Result<bool> has_miner(std::string_view miner) override { return boolean("/miner/has" + rpc::url_query({{"miner", miner}})); }
    Result<bool> miner_exist_in_user(std::string_view user, std::string_view miner) override {
        return boolean("/user/miner/exist" + rpc::url_query({{"miner", miner}, {"user", user}}));
    }
    Result<std::vector<Miner>> list_miners(std::string_view user) override {
        VENUS_TRY(auto doc, call("GET", "/user/miner/list" + rpc::url_query({{"user", user}})));
        return list<Miner>(doc, to_miner);
    }
    Result<bool> upsert_miner(std::string_view user, std::string_view miner, bool open_mining) override {
        rpc::JsonBuilder b;
        auto& o = b.out();
        o.StartObject();
        rpc::write_key(o, "User");
        rpc::write_string(o, user);
        rpc::write_key(o, "Miner");
        rpc::write_string(o, miner);
        rpc::write_key(o, "OpenMining");
        o.Bool(open_mining);
        o.EndObject();
        VENUS_TRY(auto doc, call("POST", "/user/miner/add", b.take().text));
        return doc.IsBool() && doc.GetBool();
    }
    Result<bool> has_signer(std::string_view signer) override { return boolean("/signer/has" + rpc::url_query({{"signer", signer}})); }
    Result<bool> signer_exist_in_user(std::string_view user, std::string_view signer) override {
        return boolean("/user/signer/exist" + rpc::url_query({{"signer", signer}, {"user", user}}));
    }
    Result<std::vector<Signer>> list_signers(std::string_view user) override {
        VENUS_TRY(auto doc, call("GET", "/user/signer/list" + rpc::url_query({{"user", user}})));
        return list<Signer>(doc, to_signer);
    }
    Status register_signers(std::string_view user, const std::vector<std::string>& signers) override {
        VENUS_TRY_VOID(call("POST", "/user/signer/register", user_signers(user, signers)));
        return {};
    }
    Status unregister_signers(std::string_view user, const std::vector<std::string>& signers) override {
        VENUS_TRY_VOID(call("POST", "/user/signer/unregister", user_signers(user, signers)));
        return {};
    }
    Result<std::vector<RateLimit>> get_user_rate_limits(std::string_view user, std::string_view id) override {
        VENUS_TRY(auto doc, call("GET", "/user/ratelimit" + rpc::url_query({{"name", user}, {"id", id}})));
        return list<RateLimit>(doc, [](const rpc::JsonValue& v) {
            RateLimit l{str(v, "Id"), str(v, "Name"), str(v, "Service"), str(v, "API"), 0, std::chrono::nanoseconds(0)};
            if (const auto* rl = member(v, "ReqLimit")) {
                l.cap = num(*rl, "Cap");
                l.reset_dur = std::chrono::nanoseconds(num(*rl, "ResetDur"));
            }
            return l;
        });
    }

  private:
    static std::string json_object(std::initializer_list<std::pair<std::string_view, std::string_view>> kv) {
        rpc::JsonBuilder b;
        b.out().StartObject();
        for (const auto& [k, v] : kv) {
            rpc::write_key(b.out(), k);
            rpc::write_string(b.out(), v);
        }
        b.out().EndObject();
        return b.take().text;
    }
    static std::string user_signers(std::string_view user, const std::vector<std::string>& signers) {
        rpc::JsonBuilder b;
        auto& o = b.out();
        o.StartObject();
        rpc::write_key(o, "User");
        rpc::write_string(o, user);
        rpc::write_key(o, "Signers");
        o.StartArray();
        for (const auto& s : signers) rpc::write_string(o, s);
        o.EndArray();
        o.EndObject();
        return b.take().text;
    }
    template <typename T, typename F>
    static std::vector<T> list(const rpc::JsonValue& doc, F convert) {
        std::vector<T> out;
        if (doc.IsArray()) {
            for (const auto& v : doc.GetArray()) out.push_back(convert(v));
        }
        return out;
    }

    Result<rpc::JsonDocument> call(std::string_view method, const std::string& path, const std::string& body = {}) {
        Result<rpc::HttpRpcClient::Response> resp = Error{};
        {
            // One keep-alive connection; cpp-httplib's client is not safe for concurrent requests.
            std::lock_guard lock(mu_);
            resp = client_.request(method, path, body);
        }
        if (!resp) return resp.error();
        if (resp->status != 200) return http_error(resp->status, resp->body);
        rpc::JsonDocument doc;
        if (resp->body.empty()) return doc;  // an empty 200 (null document)
        if (auto st = rpc::parse_json(resp->body, doc); !st) {
            return make_error(Errc::kUnavailable, "auth service sent invalid JSON: {}", st.error().message);
        }
        return doc;
    }
    Result<bool> boolean(const std::string& path) {
        VENUS_TRY(auto doc, call("GET", path));
        if (!doc.IsBool()) return make_error(Errc::kUnavailable, "auth service: expected true or false from {}", path);
        return doc.GetBool();
    }

    std::mutex mu_;
    rpc::HttpRpcClient client_;
};

// Verifies tokens with the auth host's POST /verify and caches each verdict for `ttl`. When the auth
// host cannot be reached, a token it accepted before keeps its claims for up to `offline_grace` after
// that acceptance: nothing can be revoked while auth is down, so the verdict is as good as when it
// was given, and the node, messager and miner hosts ride out an auth restart. Tokens never seen
// before fail closed, and an answer "invalid" from auth always wins.
class RemoteVerifier final : public rpc::TokenVerifier, public std::enable_shared_from_this<RemoteVerifier> {
  public:
    RemoteVerifier(rpc::ApiInfo info, std::chrono::milliseconds ttl, std::chrono::milliseconds offline_grace,
                   asio::thread_pool& workers, std::shared_ptr<rpc::TokenVerifier> fallback)
        : info_(std::move(info)), ttl_(ttl), grace_(offline_grace), workers_(workers), fallback_(std::move(fallback)) {}

    void verify(std::string_view token, Done done) override {
        {
            std::lock_guard lock(mu_);
            const auto now = Clock::now();
            if (auto it = cache_.find(std::string(token)); it != cache_.end()) {
                // Fresh, or auth is known to be down right now (no point waiting for it on every call).
                if (now < it->second.verified + ttl_ || (now < unreachable_until_ && usable_offline(it->second, now))) {
                    auto claims = it->second.claims;
                    done(std::move(claims));
                    return;
                }
            }
        }
        // The daemon's own token first: it needs no round trip.
        if (fallback_) {
            std::string copy(token);
            fallback_->verify(token, [self = shared_from_this(), copy = std::move(copy), done](Result<rpc::Claims> r) mutable {
                if (r) {
                    done(std::move(r));
                    return;
                }
                self->ask_remote(std::move(copy), std::move(done));
            });
            return;
        }
        ask_remote(std::string(token), std::move(done));
    }

  private:
    using Clock = std::chrono::steady_clock;
    struct Entry {
        rpc::Claims claims;
        Clock::time_point verified;  // when auth last accepted the token
    };

    bool usable_offline(const Entry& e, Clock::time_point now) const { return now < e.verified + grace_; }

    void ask_remote(std::string token, Done done) {
        asio::post(workers_, [self = shared_from_this(), token = std::move(token), done = std::move(done)]() mutable {
            auto info = self->info_;
            if (info.token.empty()) info.token = token;  // a token may authenticate its own verification
            RemoteAuth remote(std::move(info), std::chrono::seconds(5));
            auto r = remote.verify(token);
            const auto now = Clock::now();
            std::lock_guard lock(self->mu_);
            if (r) {
                if (self->cache_.size() > 100000) self->cache_.clear();
                self->cache_[token] = Entry{*r, now};
                self->unreachable_until_ = {};
                self->warned_offline_ = false;
            } else if (!r.error().is(Errc::kUnavailable) && !r.error().is(Errc::kTimeout)) {
                self->cache_.erase(token);
                r = Error{Errc::kUnauthenticated, r.error().message};
            } else {
                // Ask again at most once a second while it stays down.
                self->unreachable_until_ = now + std::chrono::seconds(1);
                auto it = self->cache_.find(token);
                if (it != self->cache_.end() && self->usable_offline(it->second, now)) {
                    if (!self->warned_offline_) {
                        log::get("rpc")->warn("remote auth {} unreachable ({}): tokens it accepted within {} s keep working",
                                              self->info_.addr.to_string(), r.error().message,
                                              std::chrono::duration_cast<std::chrono::seconds>(self->grace_).count());
                    }
                    self->warned_offline_ = true;
                    r = it->second.claims;
                } else {
                    log::get("rpc")->warn("remote auth {} unreachable: {}", self->info_.addr.to_string(), r.error().message);
                }
            }
            done(std::move(r));
        });
    }

    rpc::ApiInfo info_;
    std::chrono::milliseconds ttl_;
    std::chrono::milliseconds grace_;
    asio::thread_pool& workers_;
    std::shared_ptr<rpc::TokenVerifier> fallback_;
    std::mutex mu_;
    std::unordered_map<std::string, Entry> cache_;
    Clock::time_point unreachable_until_{};
    bool warned_offline_ = false;
};

}  // namespace

std::shared_ptr<Auth> make_remote_auth(rpc::ApiInfo info, std::chrono::milliseconds timeout) {
    return std::make_shared<RemoteAuth>(std::move(info), timeout);
}

std::shared_ptr<rpc::TokenVerifier> make_remote_verifier(rpc::ApiInfo info, std::chrono::milliseconds ttl,
                                                         std::chrono::milliseconds offline_grace,
                                                         asio::thread_pool& workers,
                                                         std::shared_ptr<rpc::TokenVerifier> fallback) {
    return std::make_shared<RemoteVerifier>(std::move(info), ttl, offline_grace, workers, std::move(fallback));
}

}  // namespace venus::api
