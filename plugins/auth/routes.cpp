// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "routes.hpp"

#include <cctype>
#include <charconv>
#include <ctime>
#include <functional>
#include <map>
#include <set>

#include "venus/core/log.hpp"
#include "venus/rpc/json.hpp"

namespace venus::plugins::auth {

namespace {
using rpc::Claims;
using rpc::HttpRequest;
using rpc::JsonOut;

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
    }
    return true;
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string form_unescape(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out += ' ';
        } else if (s[i] == '%' && i + 2 < s.size() && hex_digit(s[i + 1]) >= 0 && hex_digit(s[i + 2]) >= 0) {
            out += static_cast<char>(hex_digit(s[i + 1]) * 16 + hex_digit(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

//! A request's input: a JSON object body, or form fields (a form body and the query string), as
//! gin's ShouldBind reads them. Keys match case-insensitively.
class Input {
  public:
    static Result<Input> body(const HttpRequest& req) {
        Input in;
        for (const auto& [k, v] : req.query) in.form_.emplace_back(k, v);
        const auto start = req.body.find_first_not_of(" \t\r\n");
        if (start == std::string::npos) return in;
        // A form body (gin binds those too); anything starting with '{' is JSON whatever its label
        // (curl -d labels JSON as a form).
        if (req.body[start] != '{' &&
            req.header("content-type").find("application/x-www-form-urlencoded") != std::string_view::npos) {
            std::string_view rest = req.body;
            while (!rest.empty()) {
                const auto amp = rest.find('&');
                const auto pair = rest.substr(0, amp);
                const auto eq = pair.find('=');
                in.form_.emplace_back(form_unescape(pair.substr(0, eq)),
                                      eq == std::string_view::npos ? std::string() : form_unescape(pair.substr(eq + 1)));
                rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
            }
            return in;
        }
        if (auto st = rpc::parse_json(req.body, in.doc_); !st) {
            return make_error(Errc::kInvalidArgument, "invalid JSON body: {}", st.error().message);
        }
        if (!in.doc_.IsObject()) return make_error(Errc::kInvalidArgument, "invalid JSON body: expected an object");
        in.json_ = true;
        return in;
    }

    static Input query(const HttpRequest& req) {
        Input in;
        for (const auto& [k, v] : req.query) in.form_.emplace_back(k, v);
        return in;
    }

    const rpc::JsonValue* member(std::string_view key) const {
        if (!json_) return nullptr;
        for (const auto& m : doc_.GetObject()) {
            if (iequals(std::string_view(m.name.GetString(), m.name.GetStringLength()), key) && !m.value.IsNull()) {
                return &m.value;
            }
        }
        return nullptr;
    }

    const std::string* field(std::string_view key) const {
        for (const auto& [k, v] : form_) {
            if (iequals(k, key)) return &v;
        }
        return nullptr;
    }

    Result<std::optional<std::string>> str(std::string_view key) const {
        if (const auto* v = member(key)) {
            if (!v->IsString()) return make_error(Errc::kInvalidArgument, "field '{}' must be a string", key);
            return std::optional<std::string>(std::string(v->GetString(), v->GetStringLength()));
        }
        if (const auto* f = field(key)) return std::optional<std::string>(*f);
        return std::optional<std::string>{};
    }

    Result<std::string> str_or_empty(std::string_view key) const {
        VENUS_TRY(auto v, str(key));
        return v ? std::move(*v) : std::string();
    }

    Result<std::optional<std::int64_t>> integer(std::string_view key) const {
        if (const auto* v = member(key)) {
            if (!v->IsInt64()) return make_error(Errc::kInvalidArgument, "field '{}' must be an integer", key);
            return std::optional<std::int64_t>(v->GetInt64());
        }
        if (const auto* f = field(key); f && !f->empty()) {
            std::int64_t out = 0;
            const auto* end = f->data() + f->size();
            auto [p, ec] = std::from_chars(f->data(), end, out);
            if (ec != std::errc() || p != end) return make_error(Errc::kInvalidArgument, "field '{}' must be an integer", key);
            return std::optional<std::int64_t>(out);
        }
        return std::optional<std::int64_t>{};
    }

    Result<std::optional<bool>> boolean(std::string_view key) const {
        if (const auto* v = member(key)) {
            if (!v->IsBool()) return make_error(Errc::kInvalidArgument, "field '{}' must be true or false", key);
            return std::optional<bool>(v->GetBool());
        }
        if (const auto* f = field(key); f && !f->empty()) {
            if (*f == "true" || *f == "1") return std::optional<bool>(true);
            if (*f == "false" || *f == "0") return std::optional<bool>(false);
            return make_error(Errc::kInvalidArgument, "field '{}' must be true or false", key);
        }
        return std::optional<bool>{};
    }

    Result<std::vector<std::string>> strings(std::string_view key) const {
        std::vector<std::string> out;
        if (const auto* v = member(key)) {
            if (!v->IsArray()) return make_error(Errc::kInvalidArgument, "field '{}' must be an array of strings", key);
            for (const auto& e : v->GetArray()) {
                if (!e.IsString()) return make_error(Errc::kInvalidArgument, "field '{}' must be an array of strings", key);
                out.emplace_back(e.GetString(), e.GetStringLength());
            }
            return out;
        }
        for (const auto& [k, v] : form_) {
            if (iequals(k, key)) out.push_back(v);
        }
        return out;
    }

  private:
    rpc::JsonDocument doc_;
    bool json_ = false;
    std::vector<std::pair<std::string, std::string>> form_;
};

Result<std::string> required(const Input& in, std::string_view key) {
    VENUS_TRY(auto v, in.str(key));
    if (!v || v->empty()) return make_error(Errc::kInvalidArgument, "`{}` is required", key);
    return std::move(*v);
}

std::string rfc3339(std::int64_t unix_seconds) {
    const std::time_t t = static_cast<std::time_t>(unix_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

void write_kv(JsonOut& o, std::string_view k, std::string_view v) {
    rpc::write_key(o, k);
    rpc::write_string(o, v);
}

void write_user(JsonOut& o, const api::User& u) {
    o.StartObject();
    write_kv(o, "id", u.id);
    write_kv(o, "name", u.name);
    write_kv(o, "comment", u.comment);
    rpc::write_key(o, "state");
    o.Int(static_cast<int>(u.state));
    rpc::write_key(o, "createTime");
    o.Int64(u.create_time);
    rpc::write_key(o, "updateTime");
    o.Int64(u.update_time);
    o.EndObject();
}

void write_token(JsonOut& o, const TokenRow& t) {
    o.StartObject();
    write_kv(o, "token", t.token);
    write_kv(o, "name", t.name);
    write_kv(o, "perm", t.perm);
    write_kv(o, "custom", t.extra);  // sophon-auth never filled it; the token's extra is what it was meant for
    write_kv(o, "createTime", rfc3339(t.create_time));
    o.EndObject();
}

void write_miner(JsonOut& o, const api::Miner& m) {
    o.StartObject();
    write_kv(o, "Miner", m.miner);
    write_kv(o, "User", m.user);
    rpc::write_key(o, "OpenMining");
    o.Bool(m.open_mining);
    write_kv(o, "CreatedAt", rfc3339(m.created_at));
    write_kv(o, "UpdatedAt", rfc3339(m.updated_at));
    o.EndObject();
}

void write_signer(JsonOut& o, const api::Signer& s) {
    o.StartObject();
    write_kv(o, "Signer", s.signer);
    write_kv(o, "User", s.user);
    write_kv(o, "CreatedAt", rfc3339(s.created_at));
    write_kv(o, "UpdatedAt", rfc3339(s.updated_at));
    o.EndObject();
}

void write_limit(JsonOut& o, const api::RateLimit& l) {
    o.StartObject();
    write_kv(o, "Id", l.id);
    write_kv(o, "Name", l.name);
    write_kv(o, "Service", l.service);
    write_kv(o, "API", l.api);
    rpc::write_key(o, "ReqLimit");
    o.StartObject();
    rpc::write_key(o, "Cap");
    o.Int64(l.cap);
    rpc::write_key(o, "ResetDur");
    o.Int64(static_cast<std::int64_t>(l.reset_dur.count()));
    o.EndObject();
    o.EndObject();
}

template <typename T, typename W>
std::string json_array(const std::vector<T>& items, W write) {
    rpc::JsonBuilder b;
    b.out().StartArray();
    for (const auto& i : items) write(b.out(), i);
    b.out().EndArray();
    return b.take().text;
}

template <typename T, typename W>
std::string json_one(const T& item, W write) {
    rpc::JsonBuilder b;
    write(b.out(), item);
    return b.take().text;
}

std::string error_body(std::string_view message) {
    rpc::JsonBuilder b;
    b.out().StartObject();
    write_kv(b.out(), "error", message);
    b.out().EndObject();
    return b.take().text;
}

int status_of(const Error& e) {
    if (e.is(Errc::kUnauthenticated)) return 401;
    if (e.is(Errc::kPermissionDenied)) return 403;
    if (e.is(Errc::kInvalidArgument) || e.is(Errc::kNotFound) || e.is(Errc::kAlreadyExists) ||
        e.is(Errc::kOutOfRange)) {
        return 400;
    }
    return 500;
}

using Body = Result<std::string>;  // JSON text of a 200 answer ("" = empty body)
using Fn = std::function<Body(AuthService&, const HttpRequest&, const Claims&)>;

struct Def {
    const char* method;
    std::vector<const char*> paths;  // the first is the current one, the rest are sophon's aliases
    Fn fn;
    rpc::Exec exec = rpc::Exec::kWorker;
};

Body empty(const Status& st) {
    if (!st) return st.error();
    return std::string();
}

Body boolean(const Result<bool>& r) {
    if (!r) return r.error();
    return std::string(*r ? "true" : "false");
}

std::vector<Def> definitions() {
    return {
        {"POST", {"/verify"},
         [](AuthService& s, const HttpRequest& req, const Claims&) -> Body {
             VENUS_TRY(auto in, Input::body(req));
             VENUS_TRY(auto token, required(in, "token"));
             auto claims = s.verifier().verify_sync(token);
             if (!claims) {
                 if (claims.error().is(Errc::kNotFound)) return make_error(Errc::kUnauthenticated, "A non-registered token");
                 return make_error(Errc::kUnauthenticated, "{}", claims.error().message);
             }
             rpc::JsonBuilder b;
             b.out().StartObject();
             write_kv(b.out(), "name", claims->name);
             write_kv(b.out(), "perm", rpc::to_string(claims->perm));
             write_kv(b.out(), "ext", claims->ext);
             b.out().EndObject();
             return b.take().text;
         },
         rpc::Exec::kInline},
        {"POST", {"/genToken"},
         [](AuthService& s, const HttpRequest& req, const Claims& c) -> Body {
             VENUS_TRY(auto in, Input::body(req));
             VENUS_TRY(auto name, in.str_or_empty("name"));
             VENUS_TRY(auto perm, in.str_or_empty("perm"));
             VENUS_TRY(auto extra, in.str_or_empty("extra"));
             VENUS_TRY(auto token, s.generate_token(c, name, perm, extra));
             rpc::JsonBuilder b;
             b.out().StartObject();
             write_kv(b.out(), "token", token);
             b.out().EndObject();
             return b.take().text;
         }},
        {"GET", {"/token"},
         [](AuthService& s, const HttpRequest& req, const Claims& c) -> Body {
             auto in = Input::query(req);
             VENUS_TRY(auto name, in.str_or_empty("name"));
             VENUS_TRY(auto token, in.str_or_empty("token"));
             VENUS_TRY(auto rows, s.get_token(c, name, token));
             return json_array(rows, write_token);
         }},
        {"GET", {"/tokens"},
         [](AuthService& s, const HttpRequest& req, const Claims& c) -> Body {
             auto in = Input::query(req);
             VENUS_TRY(auto skip, in.integer("skip"));
             VENUS_TRY(auto limit, in.integer("limit"));
             VENUS_TRY(auto rows, s.list_tokens(c, skip.value_or(0), limit.value_or(0)));
             return json_array(rows, write_token);
         }},
        {"DELETE", {"/token"},
         [](AuthService& s, const HttpRequest& req, const Claims& c) -> Body {
             VENUS_TRY(auto in, Input::body(req));
             VENUS_TRY(auto token, required(in, "token"));
             return empty(s.remove_token(c, token));
         }},
        {"POST", {"/recoverToken"},
         [](AuthService& s, const HttpRequest& req, const Claims& c) -> Body {
             VENUS_TRY(auto in, Input::body(req));
             VENUS_TRY(auto token, required(in, "token"));
             return empty(s.recover_token(c, token));
         }},
        {"PUT", {"/user/new"},
         [](AuthService& s, const HttpRequest& req, const Claims& c) -> Body {
             VENUS_TRY(auto in, Input::body(req));
             VENUS_TRY(auto name, required(in, "Name"));
             VENUS_TRY(auto comment, in.str_or_empty("Comment"));
             VENUS_TRY(auto state, in.integer("State"));
             VENUS_TRY(auto user, s.create_user(c, name, comment, state.value_or(0)));
             return json_one(user, write_user);
         }},
        {"POST", {"/user/update"},
         [](AuthService& s, const HttpRequest& req, const Claims& c) -> Body {
             VENUS_TRY(auto in, Input::body(req));
             VENUS_TRY(auto name, required(in, "Name"));
             VENUS_TRY(auto comment, in.str("Comment"));
             VENUS_TRY(auto state, in.integer("State"));
             return empty(s.update_user(c, name, std::move(comment), state.value_or(0)));
         }},
        {"GET", {"/user/list"},
         [](AuthService& s, const HttpRequest& req, const Claims& c) -> Body {
             auto in = Input::query(req);
             VENUS_TRY(auto skip, in.integer("skip"));
             VENUS_TRY(auto limit, in.integer("limit"));
             VENUS_TRY(auto state, in.integer("state"));
             VENUS_TRY(auto users, s.list_users(c, skip.value_or(0), limit.value_or(0), state.value_or(0)));
             return json_array(users, write_user);
         }},
        {"GET", {"/user"},
         [](AuthService& s, const HttpRequest& req, const Claims& c) -> Body {
             auto in = Input::query(req);
             VENUS_TRY(auto name, required(in, "name"));
             VENUS_TRY(auto user, s.get_user(c, name));
             return json_one(user, write_user);
         }},
        {"POST", {"/user/verify"},
         [](AuthService& s, const HttpRequest& req, const Claims& c) -> Body {
             VENUS_TRY(auto in, Input::body(req));
             VENUS_TRY(auto names, in.strings("Names"));
             return empty(s.verify_users(c, names));
         }},
        {"GET", {"/user/has"},
         [](AuthService& s, const HttpRequest& req, const Claims& c) -> Body {
             VENUS_TRY(auto name, required(Input::query(req), "name"));
             return boolean(s.has_user(c, name));
         }},
        {"POST", {"/user/del"},
         [](AuthService& s, const HttpRequest& req, const Claims& c) -> Body {
             VENUS_TRY(auto in, Input::body(req));
             VENUS_TRY(auto name, required(in, "Name"));
             return empty(s.delete_user(c, name));
         }},
        {"POST", {"/user/recover"},
         [](AuthService& s, const HttpRequest& req, const Claims& c) -> Body {
             VENUS_TRY(auto in, Input::body(req));
             VENUS_TRY(auto name, required(in, "Name"));
             return empty(s.recover_user(c, name));
         }},
        {"POST", {"/user/ratelimit/upsert"},
         [](AuthService& s, const HttpRequest& req, const Claims& c) -> Body {
             VENUS_TRY(auto in, Input::body(req));
             api::RateLimit l;
             VENUS_TRY(l.id, in.str_or_empty("Id"));
             VENUS_TRY(l.name, in.str_or_empty("Name"));
             VENUS_TRY(l.service, in.str_or_empty("Service"));
             VENUS_TRY(l.api, in.str_or_empty("API"));
             if (const auto* rl = in.member("ReqLimit")) {
                 if (!rl->IsObject()) return make_error(Errc::kInvalidArgument, "field 'ReqLimit' must be an object");
                 for (const auto& m : rl->GetObject()) {
                     const std::string_view k(m.name.GetString(), m.name.GetStringLength());
                     if (!m.value.IsInt64()) return make_error(Errc::kInvalidArgument, "ReqLimit.{} must be an integer", k);
                     if (iequals(k, "Cap")) l.cap = m.value.GetInt64();
                     if (iequals(k, "ResetDur")) l.reset_dur = std::chrono::nanoseconds(m.value.GetInt64());
                 }
             }
             VENUS_TRY(auto id, s.upsert_rate_limit(c, std::move(l)));
             return rpc::json_string(id).text;
         }},
        {"POST", {"/user/ratelimit/del"},
         [](AuthService& s, const HttpRequest& req, const Claims& c) -> Body {
             VENUS_TRY(auto in, Input::body(req));
             VENUS_TRY(auto name, in.str_or_empty("Name"));
             VENUS_TRY(auto id, in.str_or_empty("Id"));
             VENUS_TRY(auto out, s.delete_rate_limit(c, name, id));
             return rpc::json_string(out).text;
         }},
        {"GET", {"/user/ratelimit"},
         [](AuthService& s, const HttpRequest& req, const Claims& c) -> Body {
             auto in = Input::query(req);
             VENUS_TRY(auto name, in.str_or_empty("name"));
             VENUS_TRY(auto id, in.str_or_empty("id"));
             VENUS_TRY(auto limits, s.get_rate_limits(c, name, id));
             return json_array(limits, write_limit);
         }},
        {"GET", {"/user/miner", "/miner"},
         [](AuthService& s, const HttpRequest& req, const Claims& c) -> Body {
             VENUS_TRY(auto miner, required(Input::query(req), "miner"));
             VENUS_TRY(auto user, s.get_user_by_miner(c, miner));
             return json_one(user, write_user);
         }},
        {"POST", {"/user/miner/add", "/miner/add-miner"},
         [](AuthService& s, const HttpRequest& req, const Claims& c) -> Body {
             VENUS_TRY(auto in, Input::body(req));
             VENUS_TRY(auto user, required(in, "User"));
             VENUS_TRY(auto miner, required(in, "Miner"));
             VENUS_TRY(auto open, in.boolean("OpenMining"));
             if (!open) return make_error(Errc::kInvalidArgument, "`OpenMining` is required");
             return boolean(s.upsert_miner(c, user, miner, *open));
         }},
        {"GET", {"/user/miner/exist"},
         [](AuthService& s, const HttpRequest& req, const Claims& c) -> Body {
             auto in = Input::query(req);
             VENUS_TRY(auto miner, required(in, "miner"));
             VENUS_TRY(auto user, required(in, "user"));
             return boolean(s.miner_exist_in_user(c, user, miner));
         }},
        {"GET", {"/user/miner/list", "/miner/list-by-user"},
         [](AuthService& s, const HttpRequest& req, const Claims& c) -> Body {
             VENUS_TRY(auto user, required(Input::query(req), "user"));
             VENUS_TRY(auto miners, s.list_miners(c, user));
             return json_array(miners, write_miner);
         }},
        {"POST", {"/user/miner/del", "/miner/del"},
         [](AuthService& s, const HttpRequest& req, const Claims& c) -> Body {
             VENUS_TRY(auto in, Input::body(req));
             VENUS_TRY(auto miner, required(in, "miner"));
             return boolean(s.delete_miner(c, miner));
         }},
        {"GET", {"/miner/has", "/miner/has-miner"},
         [](AuthService& s, const HttpRequest& req, const Claims& c) -> Body {
             VENUS_TRY(auto miner, required(Input::query(req), "miner"));
             return boolean(s.has_miner(c, miner));
         }},
        {"GET", {"/user/signer"},
         [](AuthService& s, const HttpRequest& req, const Claims& c) -> Body {
             VENUS_TRY(auto signer, required(Input::query(req), "signer"));
             VENUS_TRY(auto users, s.get_users_by_signer(c, signer));
             return json_array(users, write_user);
         }},
        {"POST", {"/user/signer/register"},
         [](AuthService& s, const HttpRequest& req, const Claims& c) -> Body {
             VENUS_TRY(auto in, Input::body(req));
             VENUS_TRY(auto user, required(in, "User"));
             VENUS_TRY(auto signers, in.strings("Signers"));
             return empty(s.register_signers(c, user, signers));
         }},
        {"GET", {"/user/signer/exist"},
         [](AuthService& s, const HttpRequest& req, const Claims& c) -> Body {
             auto in = Input::query(req);
             VENUS_TRY(auto signer, required(in, "signer"));
             VENUS_TRY(auto user, required(in, "user"));
             return boolean(s.signer_exist_in_user(c, user, signer));
         }},
        {"GET", {"/user/signer/list"},
         [](AuthService& s, const HttpRequest& req, const Claims& c) -> Body {
             VENUS_TRY(auto user, required(Input::query(req), "user"));
             VENUS_TRY(auto signers, s.list_signers(c, user));
             return json_array(signers, write_signer);
         }},
        {"POST", {"/user/signer/unregister"},
         [](AuthService& s, const HttpRequest& req, const Claims& c) -> Body {
             VENUS_TRY(auto in, Input::body(req));
             VENUS_TRY(auto user, required(in, "User"));
             VENUS_TRY(auto signers, in.strings("Signers"));
             return empty(s.unregister_signers(c, user, signers));
         }},
        {"GET", {"/signer/has"},
         [](AuthService& s, const HttpRequest& req, const Claims& c) -> Body {
             VENUS_TRY(auto signer, required(Input::query(req), "signer"));
             return boolean(s.has_signer(c, signer));
         }},
        {"POST", {"/signer/del"},
         [](AuthService& s, const HttpRequest& req, const Claims& c) -> Body {
             VENUS_TRY(auto in, Input::body(req));
             VENUS_TRY(auto signer, required(in, "signer"));
             return boolean(s.delete_signer(c, signer));
         }},
    };
}

const std::vector<std::pair<std::string, std::string>> kCors = {
    {"Access-Control-Allow-Origin", "*"},
    {"Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS"},
    {"Access-Control-Allow-Headers",
     "DNT,X-Mx-ReqToken,Keep-Alive,User-Agent,X-Requested-With,If-Modified-Since,Cache-Control,Content-Type,"
     "Authorization,X-Forwarded-For,Origin,X-Real-Ip,spanId,preHost,svcName"},
};
}  // namespace

std::vector<std::pair<std::string, std::string>> route_list() {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& d : definitions()) {
        for (const auto* p : d.paths) out.emplace_back(d.method, p);
    }
    out.emplace_back("GET", "/version");
    return out;
}

Status register_routes(rpc::HttpRouter& router, AuthService& service, std::string version) {
    std::set<std::string> paths;
    for (auto& d : definitions()) {
        for (const auto* path : d.paths) {
            paths.insert(path);
            rpc::HttpRoute route;
            route.method = d.method;
            route.path = path;
            route.requires_token = true;  // the server answers 401 and stops without a valid token
            route.exec = d.exec;
            route.handler = [&service, fn = d.fn, path = std::string(path)](
                                const HttpRequest& req, const std::optional<Claims>& claims, rpc::HttpResponder respond) {
                rpc::HttpResponse resp;
                resp.headers = kCors;
                auto body = claims ? fn(service, req, *claims)
                                   : Body(make_error(Errc::kUnauthenticated, "no token"));
                if (body) {
                    resp.body = std::move(*body);
                } else {
                    resp.status = status_of(body.error());
                    resp.body = error_body(body.error().message);
                    if (resp.status >= 500) log::get("auth")->error("{} {}: {}", req.method, path, body.error().message);
                }
                respond(std::move(resp));
            };
            VENUS_TRY_VOID(router.add(std::move(route)));
        }
    }
    rpc::HttpRoute ver;
    ver.method = "GET";
    ver.path = "/version";
    ver.requires_token = false;
    ver.exec = rpc::Exec::kInline;
    ver.handler = [version](const HttpRequest&, const std::optional<Claims>&, rpc::HttpResponder respond) {
        rpc::JsonBuilder b;
        b.out().StartObject();
        write_kv(b.out(), "Version", version);
        b.out().EndObject();
        respond(rpc::HttpResponse{200, "application/json", b.take().text, kCors});
    };
    VENUS_TRY_VOID(router.add(std::move(ver)));
    paths.insert("/version");
    // CORS preflight, answered as sophon-auth does.
    for (const auto& p : paths) {
        rpc::HttpRoute opt;
        opt.method = "OPTIONS";
        opt.path = p;
        opt.requires_token = false;
        opt.exec = rpc::Exec::kInline;
        opt.handler = [](const HttpRequest&, const std::optional<Claims>&, rpc::HttpResponder respond) {
            respond(rpc::HttpResponse{200, "application/json", "\"ok!\"", kCors});
        };
        VENUS_TRY_VOID(router.add(std::move(opt)));
    }
    return {};
}

}  // namespace venus::plugins::auth
