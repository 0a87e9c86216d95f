// SPDX-License-Identifier: Apache-2.0 OR MIT
// `venusd auth …`: sophon-auth's command tree (token, user, user miner, user signer, user rate-limit,
// miner, signer) with its flags and output, as a REST client of the daemon. Compiled into venus_cli:
// it speaks HTTP only and never links the auth module.
#include <charconv>
#include <cmath>
#include <ctime>
#include <ostream>

#include "venus/cli/cli.hpp"
#include "venus/rpc/client.hpp"
#include "venus/rpc/json.hpp"
#include "venus/rpc/perm.hpp"

namespace venus::cli {

namespace {
using rpc::JsonDocument;
using rpc::JsonValue;

// ---- talking to the daemon ----

//! One REST call; the parsed JSON body of a 200, else the daemon's {"error"} as the error.
Result<JsonDocument> rest(Invocation& inv, std::string_view method, const std::string& path, const std::string& body = {}) {
    VENUS_TRY(auto client, inv.client("/rpc/v1", "AUTH_API_INFO"));
    VENUS_TRY(auto resp, client->request(method, path, body));
    JsonDocument doc;
    const bool parsed = !resp.body.empty() && rpc::parse_json(resp.body, doc).ok();
    if (resp.status != 200) {
        std::string msg = resp.body;
        if (parsed && doc.IsObject()) {
            if (auto it = doc.FindMember("error"); it != doc.MemberEnd() && it->value.IsString()) msg = it->value.GetString();
        }
        while (!msg.empty() && msg.back() == '\n') msg.pop_back();
        return make_error(Errc::kInvalidArgument, "{}", msg.empty() ? "HTTP " + std::to_string(resp.status) : msg);
    }
    if (!resp.body.empty() && !parsed) return make_error(Errc::kUnavailable, "the daemon sent invalid JSON for {}", path);
    return doc;
}

std::string json_body(std::initializer_list<std::pair<std::string_view, std::string_view>> kv) {
    rpc::JsonBuilder b;
    b.out().StartObject();
    for (const auto& [k, v] : kv) {
        rpc::write_key(b.out(), k);
        rpc::write_string(b.out(), v);
    }
    b.out().EndObject();
    return b.take().text;
}

std::string str(const JsonValue& v, const char* key) {
    if (!v.IsObject()) return {};
    auto it = v.FindMember(key);
    return it != v.MemberEnd() && it->value.IsString() ? it->value.GetString() : std::string();
}

std::int64_t num(const JsonValue& v, const char* key) {
    if (!v.IsObject()) return 0;
    auto it = v.FindMember(key);
    return it != v.MemberEnd() && it->value.IsInt64() ? it->value.GetInt64() : 0;
}

// ---- formatting as the Go originals print ----

std::tm local_tm(std::int64_t unix_seconds) {
    const std::time_t t = static_cast<std::time_t>(unix_seconds);
    std::tm tm{};
    localtime_r(&t, &tm);
    return tm;
}
//! Go's time.RFC1123: "Mon, 02 Jan 2006 15:04:05 MST".
std::string rfc1123(std::int64_t t) {
    const auto tm = local_tm(t);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S %Z", &tm);
    return buf;
}
//! "2006-01-02 15:04:05", the token list's layout.
std::string datetime(std::int64_t t) {
    const auto tm = local_tm(t);
    char buf[64];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    return buf;
}
//! Go's time.Time String(): "2006-01-02 15:04:05 -0700 MST".
std::string go_time(std::int64_t t) {
    const auto tm = local_tm(t);
    char buf[64];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %z %Z", &tm);
    return buf;
}

//! "2024-01-02T03:04:05Z" (the daemon's RFC 3339 times) → unix seconds.
std::int64_t parse_rfc3339(const std::string& s) {
    std::tm tm{};
    if (strptime(s.c_str(), "%Y-%m-%dT%H:%M:%S", &tm) == nullptr) return 0;
    return timegm(&tm);
}

std::string state_name(std::int64_t s) {
    if (s == 1) return "enabled";
    if (s == 2) return "disabled";
    return "unknown state";
}

//! Go's text/tabwriter with padding 2 and ' ' padding: every tab-terminated cell is padded to
//! its column's widest cell plus two spaces.
std::string tabulate(const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> width;
    for (const auto& r : rows) {
        for (std::size_t i = 0; i < r.size(); ++i) {
            if (width.size() <= i) width.push_back(0);
            width[i] = std::max(width[i], r[i].size());
        }
    }
    std::string out;
    for (const auto& r : rows) {
        for (std::size_t i = 0; i < r.size(); ++i) out += r[i] + std::string(width[i] + 2 - r[i].size(), ' ');
        out += "\n";
    }
    return out;
}

//! Go's time.ParseDuration ("2h", "1h20m", "1.5s", "300ms").
Result<std::int64_t> parse_go_duration(std::string_view s) {
    if (s.empty()) return make_error(Errc::kInvalidArgument, "time: invalid duration \"\"");
    const std::string orig(s);
    bool neg = false;
    if (s[0] == '-' || s[0] == '+') {
        neg = s[0] == '-';
        s.remove_prefix(1);
    }
    if (s == "0") return std::int64_t{0};
    double total = 0;
    while (!s.empty()) {
        std::size_t i = 0;
        while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
        if (i == 0) return make_error(Errc::kInvalidArgument, "time: invalid duration \"{}\"", orig);
        const double value = std::strtod(std::string(s.substr(0, i)).c_str(), nullptr);
        s.remove_prefix(i);
        std::size_t u = 0;
        while (u < s.size() && !std::isdigit(static_cast<unsigned char>(s[u])) && s[u] != '.') ++u;
        const std::string unit(s.substr(0, u));
        s.remove_prefix(u);
        double scale = 0;
        if (unit == "ns") scale = 1;
        else if (unit == "us" || unit == "µs") scale = 1e3;
        else if (unit == "ms") scale = 1e6;
        else if (unit == "s") scale = 1e9;
        else if (unit == "m") scale = 60e9;
        else if (unit == "h") scale = 3600e9;
        else if (unit.empty()) return make_error(Errc::kInvalidArgument, "time: missing unit in duration \"{}\"", orig);
        else return make_error(Errc::kInvalidArgument, "time: unknown unit \"{}\" in duration \"{}\"", unit, orig);
        total += value * scale;
    }
    if (total > 9.2e18) return make_error(Errc::kInvalidArgument, "time: invalid duration \"{}\"", orig);
    return static_cast<std::int64_t>(neg ? -total : total);
}

Result<std::int64_t> parse_int(std::string_view what, std::string_view s) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) return make_error(Errc::kInvalidArgument, "invalid {} '{}'", what, s);
    return v;
}

Result<bool> parse_bool(std::string_view what, std::string_view s) {
    if (s == "true" || s == "1") return true;
    if (s == "false" || s == "0") return false;
    return make_error(Errc::kInvalidArgument, "invalid {} '{}': expected true or false", what, s);
}

//! Runs `body`, turning its error into the right exit code.
int guarded(Invocation& inv, const std::function<Status()>& body) {
    auto st = body();
    return st ? kExitOk : inv.fail(st.error());
}

bool print_json(Invocation& inv, const JsonDocument& doc) {
    if (!inv.global.json) return false;
    inv.out << rpc::pretty_json(rpc::to_json_text(doc)) << "\n";
    return true;
}

// ---- tokens ----

void add_token_commands(CommandTable& t) {
    t.add({{"auth", "token", "gen"}, "<name>", "generate a token for a user",
           {{"perm", "PERM", "permission for API auth (read, write, sign, admin); required"},
            {"extra", "TEXT", "custom string in the JWT payload"}},
           [](Invocation& inv) {
               if (!inv.has("perm")) return inv.usage_error("`perm` flag not set");
               const auto perm = *inv.get("perm");
               if (!rpc::parse_perm(perm)) return inv.usage_error("`perm` flag invalid");
               return guarded(inv, [&]() -> Status {
                   VENUS_TRY(auto doc, rest(inv, "POST", "/genToken",
                                            json_body({{"name", inv.args[0]}, {"perm", perm},
                                                       {"extra", inv.get("extra").value_or("")}})));
                   inv.out << "generate token success: " << str(doc, "token") << "\n";
                   return {};
               });
           },
           1, 1});
    t.add({{"auth", "token", "get"}, "", "show the tokens of a user (--name) or one token (--token)",
           {{"name", "NAME", "user name"},
            {"token", "TOKEN", "the token to show (here not the API token: give that with --api TOKEN:ADDR)"}},
           [](Invocation& inv) {
               // sophon's `token get --token T` collides with the global --token (the API token), which
               // the parser takes first: here it names the token to show.
               std::string shown = inv.get("token").value_or("");
               if (shown.empty() && inv.global.token) {
                   shown = *inv.global.token;
                   inv.global.token.reset();
               }
               return guarded(inv, [&]() -> Status {
                   VENUS_TRY(auto doc, rest(inv, "GET", "/token" + rpc::url_query({{"name", inv.get("name").value_or("")},
                                                                          {"token", shown}})));
                   if (print_json(inv, doc) || !doc.IsArray()) return {};
                   for (const auto& v : doc.GetArray()) {
                       inv.out << "name:        " << str(v, "name") << "\n";
                       inv.out << "perm:        " << str(v, "perm") << "\n";
                       inv.out << "create time: "
                               << go_time(parse_rfc3339(str(v, "createTime"))) << "\n";
                       inv.out << "token:       " << str(v, "token") << "\n\n";
                   }
                   return {};
               });
           },
           0, 0});
    t.add({{"auth", "token", "list"}, "", "list tokens",
           {{"skip", "N", "tokens to skip (default 0)"}, {"limit", "N", "max value:100 (default: 20)"}},
           [](Invocation& inv) {
               return guarded(inv, [&]() -> Status {
                   VENUS_TRY(auto skip, parse_int("skip", inv.get("skip").value_or("0")));
                   VENUS_TRY(auto limit, parse_int("limit", inv.get("limit").value_or("20")));
                   if (skip < 0 || limit < 0) return make_error(Errc::kInvalidArgument, "skip and limit must not be negative");
                   VENUS_TRY(auto doc, rest(inv, "GET", "/tokens" + rpc::url_query({{"skip", std::to_string(skip)},
                                                                           {"limit", std::to_string(limit)}})));
                   if (print_json(inv, doc) || !doc.IsArray()) return {};
                   inv.out << "num\tname\t\tperm\t\tcreateTime\t\ttoken\n";
                   int k = 0;
                   for (const auto& v : doc.GetArray()) {
                       std::string name = str(v, "name");
                       if (name.size() < 8) name += "\t";
                       inv.out << ++k << "\t" << name << "\t" << str(v, "perm") << "\t"
                               << datetime(parse_rfc3339(str(v, "createTime"))) << "\t"
                               << str(v, "token") << "\n";
                   }
                   return {};
               });
           },
           0, 0});
    t.add({{"auth", "token", "rm"}, "<token>", "remove a token (it can be recovered)", {},
           [](Invocation& inv) {
               return guarded(inv, [&]() -> Status {
                   VENUS_TRY_VOID(rest(inv, "DELETE", "/token", json_body({{"token", inv.args[0]}})));
                   inv.out << "remove token success: " << inv.args[0] << "\n";
                   return {};
               });
           },
           1, 1});
    t.add({{"auth", "token", "recover"}, "<token>", "recover a removed token", {},
           [](Invocation& inv) {
               return guarded(inv, [&]() -> Status {
                   VENUS_TRY_VOID(rest(inv, "POST", "/recoverToken", json_body({{"token", inv.args[0]}})));
                   inv.out << "recover token success: " << inv.args[0] << "\n";
                   return {};
               });
           },
           1, 1});
}

// ---- users ----

void print_user_block(Invocation& inv, const JsonValue& u) {
    inv.out << "createTime: " << rfc1123(num(u, "createTime")) << "\n";
    // sophon-auth printed createTime here too; this is the real update time.
    inv.out << "updateTime: " << rfc1123(num(u, "updateTime")) << "\n\n";
}

std::string user_json(std::string_view name, const std::optional<std::string>& comment, std::int64_t state) {
    rpc::JsonBuilder b;
    auto& o = b.out();
    o.StartObject();
    rpc::write_key(o, "Name");
    rpc::write_string(o, name);
    if (comment) {
        rpc::write_key(o, "Comment");
        rpc::write_string(o, *comment);
    }
    rpc::write_key(o, "State");
    o.Int64(state);
    o.EndObject();
    return b.take().text;
}

void add_user_commands(CommandTable& t) {
    t.add({{"auth", "user", "add"}, "<name>", "add a user",
           {{"comment", "TEXT", "comment"}, {"state", "N", "1: enabled (default), 2: disabled"}},
           [](Invocation& inv) {
               return guarded(inv, [&]() -> Status {
                   VENUS_TRY(auto state, parse_int("state", inv.get("state").value_or("1")));
                   VENUS_TRY(auto doc, rest(inv, "PUT", "/user/new", user_json(inv.args[0], inv.get("comment"), state)));
                   inv.out << "Add user success: " << str(doc, "id") << ", next can add miner for this user\n";
                   return {};
               });
           },
           1, 1});
    t.add({{"auth", "user", "get"}, "<name>", "show a user", {},
           [](Invocation& inv) {
               return guarded(inv, [&]() -> Status {
                   VENUS_TRY(auto doc, rest(inv, "GET", "/user" + rpc::url_query({{"name", inv.args[0]}})));
                   if (print_json(inv, doc)) return {};
                   inv.out << "name: " << str(doc, "name") << "\n";
                   inv.out << "state " << state_name(num(doc, "state")) << " \t// 2: disable, 1: enable\n";
                   inv.out << "comment: " << str(doc, "comment") << "\n";
                   print_user_block(inv, doc);
                   return {};
               });
           },
           1, 1});
    t.add({{"auth", "user", "update"}, "", "update a user's comment or state",
           {{"name", "NAME", "user name (required)"}, {"comment", "TEXT", "new comment"},
            {"state", "N", "1: enabled, 2: disabled (absent: unchanged)"}},
           [](Invocation& inv) {
               if (!inv.has("name")) return inv.usage_error("Required flag \"name\" not set");
               return guarded(inv, [&]() -> Status {
                   VENUS_TRY(auto state, parse_int("state", inv.get("state").value_or("0")));
                   VENUS_TRY_VOID(rest(inv, "POST", "/user/update", user_json(*inv.get("name"), inv.get("comment"), state)));
                   inv.out << "update user success\n";
                   return {};
               });
           },
           0, 0});
    t.add({{"auth", "user", "active"}, "<name>", "enable a user", {},
           [](Invocation& inv) {
               return guarded(inv, [&]() -> Status {
                   VENUS_TRY_VOID(rest(inv, "POST", "/user/update", user_json(inv.args[0], std::nullopt, 1)));
                   inv.out << "active user success\n";
                   return {};
               });
           },
           1, 1});
    t.add({{"auth", "user", "list"}, "", "list users with their miners",
           {{"skip", "N", "users to skip (default 0)"}, {"limit", "N", "users to show (default 20)"},
            {"state", "N", "1: enabled, 2: disabled (default: all)"}},
           [](Invocation& inv) {
               return guarded(inv, [&]() -> Status {
                   VENUS_TRY(auto skip, parse_int("skip", inv.get("skip").value_or("0")));
                   VENUS_TRY(auto limit, parse_int("limit", inv.get("limit").value_or("20")));
                   VENUS_TRY(auto state, parse_int("state", inv.get("state").value_or("0")));
                   VENUS_TRY(auto doc, rest(inv, "GET", "/user/list" + rpc::url_query({{"skip", std::to_string(skip)},
                                                                              {"limit", std::to_string(limit)},
                                                                              {"state", std::to_string(state)}})));
                   if (print_json(inv, doc) || !doc.IsArray()) return {};
                   int k = 0;
                   for (const auto& u : doc.GetArray()) {
                       const auto name = str(u, "name");
                       VENUS_TRY(auto miners, rest(inv, "GET", "/user/miner/list" + rpc::url_query({{"user", name}})));
                       inv.out << "number: " << ++k << "\n";
                       inv.out << "name: " << name << "\n";
                       inv.out << "state: " << state_name(num(u, "state")) << "\n";
                       if (miners.IsArray() && !miners.Empty()) {
                           std::string list;
                           for (const auto& m : miners.GetArray()) list += (list.empty() ? "" : " ") + str(m, "Miner");
                           inv.out << "miners: [" << list << "]\n";
                       }
                       if (const auto c = str(u, "comment"); !c.empty()) inv.out << "comment: " << c << "\n";
                       print_user_block(inv, u);
                   }
                   return {};
               });
           },
           0, 0});
    t.add({{"auth", "user", "delete"}, "<name>", "delete a user (with its miners and signer bindings)", {},
           [](Invocation& inv) {
               return guarded(inv, [&]() -> Status {
                   VENUS_TRY(auto has, rest(inv, "GET", "/user/has" + rpc::url_query({{"name", inv.args[0]}})));
                   if (!has.IsBool() || !has.GetBool()) return make_error(Errc::kNotFound, "not found user");
                   VENUS_TRY_VOID(rest(inv, "POST", "/user/del", json_body({{"Name", inv.args[0]}})));
                   inv.out << "remove user success\n";
                   return {};
               });
           },
           1, 1});
    t.add({{"auth", "user", "recover"}, "<name>", "recover a deleted user (not its miners and signers)", {},
           [](Invocation& inv) {
               return guarded(inv, [&]() -> Status {
                   VENUS_TRY_VOID(rest(inv, "POST", "/user/recover", json_body({{"Name", inv.args[0]}})));
                   inv.out << "recover user success\n";
                   return {};
               });
           },
           1, 1});
}

// ---- rate limits ----

Result<JsonDocument> get_limits(Invocation& inv, const std::string& name, const std::string& id) {
    return rest(inv, "GET", "/user/ratelimit" + rpc::url_query({{"name", name}, {"id", id}}));
}

Status upsert_limit(Invocation& inv, const std::string& id, const std::string& name, const std::string& cap_text,
                    const std::string& dur_text) {
    VENUS_TRY(auto cap, parse_int("cap", cap_text));
    VENUS_TRY(auto dur, parse_go_duration(dur_text));
    if (dur <= 0) return make_error(Errc::kInvalidArgument, "reset duration must be positive");
    rpc::JsonBuilder b;
    auto& o = b.out();
    o.StartObject();
    rpc::write_key(o, "Id");
    rpc::write_string(o, id);
    rpc::write_key(o, "Name");
    rpc::write_string(o, name);
    rpc::write_key(o, "ReqLimit");
    o.StartObject();
    rpc::write_key(o, "Cap");
    o.Int64(cap);
    rpc::write_key(o, "ResetDur");
    o.Int64(dur);
    o.EndObject();
    o.EndObject();
    VENUS_TRY(auto doc, rest(inv, "POST", "/user/ratelimit/upsert", b.take().text));
    inv.out << "upsert user rate limit success:\t" << (doc.IsString() ? doc.GetString() : "") << "\n";
    return {};
}

void add_rate_limit_commands(CommandTable& t) {
    t.add({{"auth", "user", "rate-limit", "add"}, "<name> <cap> <duration>",
           "limit a user to <cap> requests per <duration> (Go syntax: 1h20m)", {{"id", "ID", "rate limit id"}},
           [](Invocation& inv) {
               return guarded(inv, [&]() -> Status {
                   VENUS_TRY(auto existing, get_limits(inv, inv.args[0], ""));
                   if (existing.IsArray() && !existing.Empty()) {
                       return make_error(Errc::kAlreadyExists, "user rate limit:{} exists", str(existing[0], "Id"));
                   }
                   return upsert_limit(inv, inv.get("id").value_or(""), inv.args[0], inv.args[1], inv.args[2]);
               });
           },
           3, 3});
    t.add({{"auth", "user", "rate-limit", "update"}, "<name> <id> <cap> <duration>", "change a rate limit", {},
           [](Invocation& inv) {
               return guarded(inv, [&]() -> Status {
                   VENUS_TRY(auto existing, get_limits(inv, inv.args[0], inv.args[1]));
                   if (!existing.IsArray() || existing.Empty()) {
                       return make_error(Errc::kNotFound, "user rate limit:{} NOT exists", inv.args[1]);
                   }
                   return upsert_limit(inv, inv.args[1], inv.args[0], inv.args[2], inv.args[3]);
               });
           },
           4, 4});
    t.add({{"auth", "user", "rate-limit", "get"}, "<name>", "show a user's rate limits", {},
           [](Invocation& inv) {
               return guarded(inv, [&]() -> Status {
                   VENUS_TRY(auto doc, get_limits(inv, inv.args[0], ""));
                   if (print_json(inv, doc)) return {};
                   if (!doc.IsArray() || doc.Empty()) {
                       inv.out << "user have no request rate limit\n";
                       return {};
                   }
                   for (const auto& l : doc.GetArray()) {
                       std::int64_t cap = 0, dur = 0;
                       if (auto it = l.FindMember("ReqLimit"); it != l.MemberEnd()) {
                           cap = num(it->value, "Cap");
                           dur = num(it->value, "ResetDur");
                       }
                       inv.out << fmt::format("user:{}, limit id:{}, request limit amount:{}, duration:{:.2f}(h)\n",
                                              str(l, "Name"), str(l, "Id"), cap, static_cast<double>(dur) / 3600e9);
                   }
                   return {};
               });
           },
           1, 1});
    t.add({{"auth", "user", "rate-limit", "del"}, "<name> <id>", "remove a rate limit", {},
           [](Invocation& inv) {
               return guarded(inv, [&]() -> Status {
                   VENUS_TRY(auto existing, get_limits(inv, inv.args[0], inv.args[1]));
                   if (!existing.IsArray() || existing.Empty()) {
                       inv.out << "user:" << inv.args[0] << ", rate-limit-id:" << inv.args[1] << " Not exits\n";
                       return {};
                   }
                   VENUS_TRY(auto doc, rest(inv, "POST", "/user/ratelimit/del",
                                            json_body({{"Name", inv.args[0]}, {"Id", inv.args[1]}})));
                   inv.out << "delete rate limit success, " << (doc.IsString() ? doc.GetString() : "") << "\n";
                   return {};
               });
           },
           2, 2});
}

// ---- miners and signers ----

Status print_bool(Invocation& inv, const std::string& path) {
    VENUS_TRY(auto doc, rest(inv, "GET", path));
    inv.out << (doc.IsBool() && doc.GetBool() ? "true" : "false") << "\n";
    return {};
}

void add_miner_signer_commands(CommandTable& t) {
    t.add({{"auth", "user", "miner", "add"}, "<user> <miner>", "bind a miner (ID address) to a user",
           {{"openMining", "BOOL", "whether the miner mines (default true)"}},
           [](Invocation& inv) {
               return guarded(inv, [&]() -> Status {
                   VENUS_TRY(auto open, parse_bool("openMining", inv.get("openMining").value_or("true")));
                   rpc::JsonBuilder b;
                   auto& o = b.out();
                   o.StartObject();
                   rpc::write_key(o, "User");
                   rpc::write_string(o, inv.args[0]);
                   rpc::write_key(o, "Miner");
                   rpc::write_string(o, inv.args[1]);
                   rpc::write_key(o, "OpenMining");
                   o.Bool(open);
                   o.EndObject();
                   VENUS_TRY(auto doc, rest(inv, "POST", "/user/miner/add", b.take().text));
                   const bool created = doc.IsBool() && doc.GetBool();
                   inv.out << (created ? "create" : "update") << " user:" << inv.args[0] << " miner:" << inv.args[1]
                           << " success.\n";
                   return {};
               });
           },
           2, 2});
    t.add({{"auth", "user", "miner", "exist"}, "<miner>", "check if a miner belongs to the user",
           {{"user", "NAME", "user name (required)"}},
           [](Invocation& inv) {
               if (!inv.has("user")) return inv.usage_error("Required flag \"user\" not set");
               return guarded(inv, [&]() {
                   return print_bool(inv, "/user/miner/exist" + rpc::url_query({{"miner", inv.args[0]}, {"user", *inv.get("user")}}));
               });
           },
           1, 1});
    t.add({{"auth", "user", "miner", "list"}, "<user>", "list the miners of a user", {},
           [](Invocation& inv) {
               return guarded(inv, [&]() -> Status {
                   VENUS_TRY(auto doc, rest(inv, "GET", "/user/miner/list" + rpc::url_query({{"user", inv.args[0]}})));
                   if (print_json(inv, doc)) return {};
                   const auto n = doc.IsArray() ? doc.Size() : 0;
                   inv.out << "user: " << inv.args[0] << ", miner count:" << n << "\n";
                   if (n == 0) return {};
                   std::vector<std::vector<std::string>> rows{{"idx", "miner", "openMining", "create-time"}};
                   int idx = 0;
                   for (const auto& m : doc.GetArray()) {
                       auto open = m.FindMember("OpenMining");
                       const bool is_open = open != m.MemberEnd() && open->value.IsBool() && open->value.GetBool();
                       rows.push_back({std::to_string(idx++), str(m, "Miner"), is_open ? "true" : "false",
                                       rfc1123(parse_rfc3339(str(m, "CreatedAt")))});
                   }
                   inv.out << tabulate(rows);
                   return {};
               });
           },
           1, 1});
    t.add({{"auth", "user", "miner", "delete"}, "<miner>", "unbind a miner", {},
           [](Invocation& inv) {
               return guarded(inv, [&]() -> Status {
                   VENUS_TRY(auto doc, rest(inv, "POST", "/user/miner/del", json_body({{"miner", inv.args[0]}})));
                   if (doc.IsBool() && doc.GetBool()) {
                       inv.out << "remove miner:" << inv.args[0] << " success.\n";
                   } else {
                       inv.out << "miner:" << inv.args[0] << " not exists.\n";
                   }
                   return {};
               });
           },
           1, 1});
    t.add({{"auth", "user", "signer", "register"}, "<user> <signer address>", "bind a signer address to a user", {},
           [](Invocation& inv) {
               return guarded(inv, [&]() -> Status {
                   rpc::JsonBuilder b;
                   auto& o = b.out();
                   o.StartObject();
                   rpc::write_key(o, "User");
                   rpc::write_string(o, inv.args[0]);
                   rpc::write_key(o, "Signers");
                   o.StartArray();
                   rpc::write_string(o, inv.args[1]);
                   o.EndArray();
                   o.EndObject();
                   VENUS_TRY_VOID(rest(inv, "POST", "/user/signer/register", b.take().text));
                   inv.out << "register signer address:" << inv.args[1] << " success for " << inv.args[0] << ".\n";
                   return {};
               });
           },
           2, 2});
    t.add({{"auth", "user", "signer", "exist"}, "<signer address>", "check if a signer belongs to the user",
           {{"user", "NAME", "user name (required)"}},
           [](Invocation& inv) {
               if (!inv.has("user")) return inv.usage_error("Required flag \"user\" not set");
               return guarded(inv, [&]() {
                   return print_bool(inv,
                                     "/user/signer/exist" + rpc::url_query({{"signer", inv.args[0]}, {"user", *inv.get("user")}}));
               });
           },
           1, 1});
    t.add({{"auth", "user", "signer", "list"}, "<user>", "list the signers of a user", {},
           [](Invocation& inv) {
               return guarded(inv, [&]() -> Status {
                   VENUS_TRY(auto doc, rest(inv, "GET", "/user/signer/list" + rpc::url_query({{"user", inv.args[0]}})));
                   if (print_json(inv, doc)) return {};
                   const auto n = doc.IsArray() ? doc.Size() : 0;
                   inv.out << "user: " << inv.args[0] << ", signer count:" << n << "\n";
                   if (n == 0) return {};
                   std::vector<std::vector<std::string>> rows{{"idx", "signer", "create-time"}};
                   int idx = 0;
                   for (const auto& s : doc.GetArray()) {
                       rows.push_back({std::to_string(idx++), str(s, "Signer"), rfc1123(parse_rfc3339(str(s, "CreatedAt")))});
                   }
                   inv.out << tabulate(rows);
                   return {};
               });
           },
           1, 1});
    t.add({{"auth", "user", "signer", "unregister"}, "<signer address>", "unbind a signer from the user",
           {{"user", "NAME", "user name (required)"}},
           [](Invocation& inv) {
               if (!inv.has("user")) return inv.usage_error("Required flag \"user\" not set");
               return guarded(inv, [&]() -> Status {
                   rpc::JsonBuilder b;
                   auto& o = b.out();
                   o.StartObject();
                   rpc::write_key(o, "User");
                   rpc::write_string(o, *inv.get("user"));
                   rpc::write_key(o, "Signers");
                   o.StartArray();
                   rpc::write_string(o, inv.args[0]);
                   o.EndArray();
                   o.EndObject();
                   VENUS_TRY_VOID(rest(inv, "POST", "/user/signer/unregister", b.take().text));
                   inv.out << "unregister signers: " << inv.args[0] << " of " << *inv.get("user") << " success.\n";
                   return {};
               });
           },
           1, 1});
    t.add({{"auth", "miner", "has"}, "<miner>", "check if a miner is bound to any user", {},
           [](Invocation& inv) {
               return guarded(inv, [&]() { return print_bool(inv, "/miner/has" + rpc::url_query({{"miner", inv.args[0]}})); });
           },
           1, 1});
    t.add({{"auth", "signer", "has"}, "<signer>", "check if a signer is bound to any user", {},
           [](Invocation& inv) {
               return guarded(inv, [&]() { return print_bool(inv, "/signer/has" + rpc::url_query({{"signer", inv.args[0]}})); });
           },
           1, 1});
    t.add({{"auth", "signer", "del"}, "<signer>", "unbind a signer from every user",
           {{"really-do-it", "", "must be specified for the action to take effect"}},
           [](Invocation& inv) {
               if (!inv.has("really-do-it")) {
                   return inv.fail(Error{Errc::kInvalidArgument,
                                         "--really-do-it must be specified for this action to have an effect; you have "
                                         "been warned"});
               }
               return guarded(inv, [&]() -> Status {
                   VENUS_TRY_VOID(rest(inv, "POST", "/signer/del", json_body({{"signer", inv.args[0]}})));
                   inv.out << "delete success\n";
                   return {};
               });
           },
           1, 1});
}
}  // namespace

void add_auth_commands(CommandTable& table) {
    add_token_commands(table);
    add_user_commands(table);
    add_rate_limit_commands(table);
    add_miner_signer_commands(table);
}

}  // namespace venus::cli
