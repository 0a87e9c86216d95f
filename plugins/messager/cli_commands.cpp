// SPDX-License-Identifier: Apache-2.0 OR MIT
// `venusd messager …`: sophon-messager's msg, address, share-params, actor and node commands, as a
// JSON-RPC client of the daemon's Message.* methods (MESSAGER_API_INFO, else the daemon's api/token).
// Compiled into venus_cli; never links the module.
#include <charconv>
#include <chrono>
#include <iomanip>
#include <ostream>
#include <sstream>

#include "venus/chain/bigint.hpp"
#include "venus/cli/cli.hpp"
#include "venus/rpc/client.hpp"
#include "venus/rpc/json.hpp"

namespace venus::cli {

namespace {

Result<rpc::RawJson> call(Invocation& inv, std::string_view method, const rpc::RawJson& params = rpc::RawJson{"[]"}) {
    VENUS_TRY(auto client, inv.client("/rpc/v0", "MESSAGER_API_INFO"));
    return client->call(std::string("Message.") + std::string(method), params);
}

int print(Invocation& inv, Result<rpc::RawJson> r) {
    if (!r) return inv.fail(r.error());
    inv.out << rpc::pretty_json(r->text) << "\n";
    return kExitOk;
}

int done(Invocation& inv, Result<rpc::RawJson> r) {
    if (!r) return inv.fail(r.error());
    return kExitOk;
}

std::optional<std::int64_t> to_int(const std::optional<std::string>& s) {
    if (!s) return std::nullopt;
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s->data(), s->data() + s->size(), v);
    if (ec != std::errc() || p != s->data() + s->size()) return std::nullopt;
    return v;
}

std::optional<double> to_double(const std::optional<std::string>& s) {
    if (!s) return std::nullopt;
    try {
        std::size_t n = 0;
        const double d = std::stod(*s, &n);
        if (n != s->size()) return std::nullopt;
        return d;
    } catch (...) {
        return std::nullopt;
    }
}

// Go durations as the original's --time flag takes them: 90s, 30m, 3h, 1h30m.
std::optional<std::int64_t> duration_ns(const std::string& s) {
    std::int64_t total = 0;
    std::size_t i = 0;
    if (s.empty()) return std::nullopt;
    while (i < s.size()) {
        std::size_t j = i;
        while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
        if (j == i || j == s.size()) return std::nullopt;
        const auto n = std::stoll(s.substr(i, j - i));
        std::int64_t unit = 0;
        if (s.compare(j, 2, "ms") == 0) {
            unit = 1'000'000;
            j += 2;
        } else if (s[j] == 's') {
            unit = 1'000'000'000;
            ++j;
        } else if (s[j] == 'm') {
            unit = 60'000'000'000;
            ++j;
        } else if (s[j] == 'h') {
            unit = 3'600'000'000'000;
            ++j;
        } else {
            return std::nullopt;
        }
        total += n * unit;
        i = j;
    }
    return total;
}

// FIL with up to 18 decimals → attoFIL text (replace --max-fee is in FIL, as the original's ParseFIL).
std::optional<std::string> fil_to_atto(std::string s) {
    if (s.size() > 4 && s.substr(s.size() - 4) == " FIL") s.resize(s.size() - 4);
    if (s.size() > 3 && s.substr(s.size() - 3) == "FIL") s.resize(s.size() - 3);
    const auto dot = s.find('.');
    std::string whole = s.substr(0, dot);
    std::string frac = dot == std::string::npos ? "" : s.substr(dot + 1);
    if (whole.empty()) whole = "0";
    if (frac.size() > 18) return std::nullopt;
    for (char c : whole + frac) {
        if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    }
    frac.append(18 - frac.size(), '0');
    std::string out = whole + frac;
    const auto nz = out.find_first_not_of('0');
    return nz == std::string::npos ? "0" : out.substr(nz);
}

rpc::RawJson strings(std::initializer_list<std::string> v) {
    return rpc::make_params([&](rpc::JsonOut& o) {
        for (const auto& s : v) rpc::write_string(o, s);
    });
}

// ---- msg ----

int print_messages(Invocation& inv, Result<rpc::RawJson> r) {
    if (!r) return inv.fail(r.error());
    const bool as_json = inv.get("output-type").value_or("table") == "json" || inv.global.json;
    if (as_json || inv.has("verbose")) {
        inv.out << rpc::pretty_json(r->text) << "\n";
        return kExitOk;
    }
    rpc::JsonDocument d;
    if (!rpc::parse_json(r->text, d) || !d.IsArray()) return inv.fail(Error(Errc::kInvalidArgument, "unexpected answer"));
    auto s = [](const rpc::JsonValue& o, const char* k) -> std::string {
        if (!o.HasMember(k)) return "";
        const auto& v = o[k];
        if (v.IsString()) return v.GetString();
        if (v.IsInt64()) return std::to_string(v.GetInt64());
        if (v.IsUint64()) return std::to_string(v.GetUint64());
        if (v.IsObject() && v.HasMember("/")) return v["/"].GetString();
        return "";
    };
    inv.out << std::left << std::setw(38) << "ID" << std::setw(12) << "To" << std::setw(44) << "From" << std::setw(8)
            << "Nonce" << std::setw(12) << "Value" << std::setw(12) << "GasLimit" << std::setw(14) << "GasFeeCap"
            << std::setw(12) << "GasPremium" << std::setw(8) << "Method" << std::setw(18) << "State" << std::setw(10)
            << "ExitCode" << "CreateAt\n";
    static const char* kStates[] = {"UnKnown", "UnFillMsg", "FillMsg", "OnChainMsg", "Failed", "NonceConflictMsg"};
    for (const auto& m : d.GetArray()) {
        const auto st = m["State"].GetInt();
        std::string exit = "-";
        if (m.HasMember("Receipt") && m["Receipt"].IsObject()) exit = std::to_string(m["Receipt"]["ExitCode"].GetInt64());
        inv.out << std::setw(38) << s(m, "ID") << std::setw(12) << s(m, "To") << std::setw(44) << s(m, "From")
                << std::setw(8) << s(m, "Nonce") << std::setw(12) << s(m, "Value") << std::setw(12) << s(m, "GasLimit")
                << std::setw(14) << s(m, "GasFeeCap") << std::setw(12) << s(m, "GasPremium") << std::setw(8)
                << s(m, "Method") << std::setw(18) << (st >= 0 && st <= 5 ? kStates[st] : "UnKnown") << std::setw(10)
                << exit << s(m, "CreatedAt") << "\n";
        if (!s(m, "ErrorMsg").empty()) inv.out << "    error: " << s(m, "ErrorMsg") << "\n";
    }
    return kExitOk;
}

int msg_search(Invocation& inv) {
    if (auto id = inv.get("id")) return print(inv, call(inv, "GetMessageByUid", strings({*id})));
    if (auto cid = inv.get("cid")) {
        return print(inv, call(inv, "GetMessageBySignedCid", rpc::RawJson{"[{\"/\":\"" + *cid + "\"}]"}));
    }
    return inv.usage_error("give --id or --cid");
}

int msg_list(Invocation& inv) {
    const auto page = inv.has("page-index") ? to_int(inv.get("page-index")) : std::optional<std::int64_t>(1);
    const auto size = inv.has("page-size") ? to_int(inv.get("page-size")) : std::optional<std::int64_t>(100);
    const auto state = inv.has("state") ? to_int(inv.get("state")) : std::optional<std::int64_t>(1);
    if (!page || !size || !state || *page < 1 || *size < 1) return inv.usage_error("--page-index, --page-size and --state take integers");
    std::int64_t d = 0;
    if (auto t = inv.get("time")) {
        auto ns = duration_ns(*t);
        if (!ns) return inv.usage_error("--time takes a duration such as 3h");
        d = *ns;
    }
    auto params = rpc::make_params([&](rpc::JsonOut& o) {
        rpc::write_string(o, inv.get("from").value_or(""));
        o.Int64(*state);
        o.Bool(false);
        o.Int64(*page);
        o.Int64(*size);
        o.Int64(d);
    });
    return print_messages(inv, call(inv, "ListMessageByFromState", params));
}

int msg_list_fail(Invocation& inv) {
    auto r = call(inv, "ListFailedMessage");
    if (r && inv.has("from")) {
        rpc::JsonDocument d;
        if (rpc::parse_json(r->text, d) && d.IsArray()) {
            rpc::JsonBuilder b;
            b.out().StartArray();
            for (const auto& m : d.GetArray()) {
                if (m["From"].GetString() == *inv.get("from")) m.Accept(b.out());
            }
            b.out().EndArray();
            r = b.take();
        }
    }
    return print_messages(inv, std::move(r));
}

int msg_list_blocked(Invocation& inv) {
    auto ns = duration_ns(inv.get("time").value_or("3h"));
    if (!ns) return inv.usage_error("--time takes a duration such as 3h");
    auto params = rpc::make_params([&](rpc::JsonOut& o) {
        rpc::write_string(o, inv.get("from").value_or(""));
        o.Int64(*ns);
    });
    return print_messages(inv, call(inv, "ListBlockedMessage", params));
}

int msg_update_filled(Invocation& inv) {
    std::optional<std::string> id = inv.get("id");
    auto lookup = [&](const char* method, const std::string& cid) -> int {
        auto r = call(inv, method, rpc::RawJson{"[{\"/\":\"" + cid + "\"}]"});
        if (!r) return inv.fail(r.error());
        rpc::JsonDocument d;
        if (!rpc::parse_json(r->text, d) || !d.IsObject()) return inv.fail(Error(Errc::kInvalidArgument, "unexpected answer"));
        id = d["ID"].GetString();
        return kExitOk;
    };
    if (!id) {
        if (auto c = inv.get("signed_cid") ? inv.get("signed_cid") : inv.get("s_cid")) {
            if (int rc = lookup("GetMessageBySignedCid", *c)) return rc;
        } else if (auto u = inv.get("unsigned_cid") ? inv.get("unsigned_cid") : inv.get("u_cid")) {
            if (int rc = lookup("GetMessageByUnsignedCid", *u)) return rc;
        }
    }
    if (!id) return inv.usage_error("give --id, --signed_cid or --unsigned_cid");
    return print(inv, call(inv, "UpdateFilledMessageByID", strings({*id})));
}

int msg_replace(Invocation& inv) {
    std::string id;
    if (inv.args.size() == 1) {
        id = inv.args[0];
    } else if (inv.args.size() == 2) {
        const auto nonce = to_int(inv.args[1]);
        if (!nonce) return inv.usage_error("<nonce> must be an integer");
        auto r = call(inv, "GetMessageByFromAndNonce", rpc::RawJson{"[\"" + inv.args[0] + "\"," + inv.args[1] + "]"});
        if (!r) return inv.fail(r.error());
        rpc::JsonDocument d;
        if (!rpc::parse_json(r->text, d) || !d.IsObject()) return inv.fail(Error(Errc::kInvalidArgument, "unexpected answer"));
        id = d["ID"].GetString();
    } else {
        return inv.usage_error("give <id> or <from> <nonce>");
    }
    std::optional<std::string> max_fee;
    if (auto f = inv.get("max-fee")) {
        max_fee = fil_to_atto(*f);
        if (!max_fee) return inv.usage_error("--max-fee takes FIL, e.g. 0.07");
    }
    const auto limit = inv.has("gas-limit") ? to_int(inv.get("gas-limit")) : std::optional<std::int64_t>(0);
    const auto over = inv.has("gas-over-premium") ? to_double(inv.get("gas-over-premium")) : std::optional<double>(0);
    if (!limit || !over) return inv.usage_error("--gas-limit takes an integer, --gas-over-premium a number");
    auto params = rpc::make_params([&](rpc::JsonOut& o) {
        o.StartObject();
        rpc::write_key(o, "ID");
        rpc::write_string(o, id);
        rpc::write_key(o, "Auto");
        o.Bool(inv.has("auto"));
        rpc::write_key(o, "MaxFee");
        rpc::write_string(o, max_fee.value_or("0"));
        rpc::write_key(o, "GasLimit");
        o.Int64(*limit);
        rpc::write_key(o, "GasPremium");
        rpc::write_string(o, inv.get("gas-premium").value_or("0"));
        rpc::write_key(o, "GasFeecap");
        rpc::write_string(o, inv.get("gas-feecap").value_or("0"));
        rpc::write_key(o, "GasOverPremium");
        o.Double(*over);
        o.EndObject();
    });
    auto r = call(inv, "ReplaceMessage", params);
    if (!r) return inv.fail(r.error());
    rpc::JsonDocument d;
    if (rpc::parse_json(r->text, d) && d.IsObject() && d.HasMember("/")) {
        inv.out << "new message cid:  " << d["/"].GetString() << "\n";
    } else {
        inv.out << r->text << "\n";
    }
    return kExitOk;
}

int msg_wait(Invocation& inv) {
    auto r = call(inv, "WaitMessage", rpc::RawJson{"[\"" + inv.args[0] + "\", 5]"});
    if (!r) return inv.fail(r.error());
    rpc::JsonDocument d;
    if (!rpc::parse_json(r->text, d) || !d.IsObject()) return inv.fail(Error(Errc::kInvalidArgument, "unexpected answer"));
    auto cid = d["SignedCid"].IsObject() ? d["SignedCid"]["/"].GetString() : "";
    inv.out << "message cid: " << cid << "\n";
    inv.out << "Height: " << d["Height"].GetInt64() << "\n";
    inv.out << "Tipset: " << rpc::to_json_text(d["TipSetKey"]) << "\n";
    if (d["Receipt"].IsObject()) {
        const auto& rc = d["Receipt"];
        inv.out << "exitcode: " << rc["ExitCode"].GetInt64() << "\n";
        inv.out << "gas_used: " << rc["GasUsed"].GetInt64() << "\n";
        inv.out << "return: " << (rc["Return"].IsString() ? rc["Return"].GetString() : "") << "\n";
    } else {
        inv.out << "state: " << d["State"].GetInt() << " " << (d["ErrorMsg"].IsString() ? d["ErrorMsg"].GetString() : "") << "\n";
    }
    return kExitOk;
}

bool really(Invocation& inv) {
    if (inv.has("really-do-it")) return true;
    inv.err << "Pass --really-do-it to actually execute this action\n";
    return false;
}

int msg_mark_bad(Invocation& inv) {
    if (!really(inv)) return kExitUsage;
    if (auto from = inv.get("from")) {
        // Only UnFill messages with an error (those ListFailedMessage shows), as the original.
        auto r = call(inv, "ListFailedMessage");
        if (!r) return inv.fail(r.error());
        rpc::JsonDocument d;
        if (!rpc::parse_json(r->text, d) || !d.IsArray()) return inv.fail(Error(Errc::kInvalidArgument, "unexpected answer"));
        for (const auto& m : d.GetArray()) {
            if (std::string(m["From"].GetString()) != *from) continue;
            if (auto x = call(inv, "MarkBadMessage", strings({m["ID"].GetString()})); !x) return inv.fail(x.error());
            inv.out << "mark bad " << m["ID"].GetString() << "\n";
        }
        return kExitOk;
    }
    if (inv.args.empty()) return inv.usage_error("give message ids or --from");
    for (const auto& id : inv.args) {
        if (auto r = call(inv, "MarkBadMessage", strings({id})); !r) return inv.fail(r.error());
    }
    return kExitOk;
}

int msg_clear_unfill(Invocation& inv) {
    if (!really(inv)) return kExitUsage;
    auto r = call(inv, "ClearUnFillMessage", strings({inv.args[0]}));
    if (!r) return inv.fail(r.error());
    inv.out << "clear " << r->text << " unfill messages\n";
    return kExitOk;
}

int msg_recover(Invocation& inv) {
    if (!really(inv)) return kExitUsage;
    if (auto from = inv.get("from")) return print(inv, call(inv, "RecoverFailedMsg", strings({*from})));
    if (inv.args.empty()) return inv.usage_error("give message ids or --from");
    for (const auto& id : inv.args) {
        auto r = call(inv, "GetMessageByUid", strings({id}));
        if (!r) return inv.fail(r.error());
        rpc::JsonDocument d;
        if (!rpc::parse_json(r->text, d) || !d.IsObject()) return inv.fail(Error(Errc::kInvalidArgument, "unexpected answer"));
        if (d["State"].GetInt() != 4) {
            inv.err << "message " << id << " is not Failed\n";
            continue;
        }
        const bool is_signed = d["Signature"].IsObject() && d["Nonce"].GetUint64() != 0;
        if (auto x = call(inv, "UpdateMessageStateByID", rpc::RawJson{"[\"" + id + "\"," + (is_signed ? "2" : "1") + "]"}); !x) {
            return inv.fail(x.error());
        }
        inv.out << "recover " << id << " to " << (is_signed ? "FillMsg" : "UnFillMsg") << "\n";
    }
    return kExitOk;
}

int msg_update_state(Invocation& inv) {
    if (!really(inv)) return kExitUsage;
    const auto state = to_int(inv.get("state"));
    auto id = inv.get("id");
    if (!id || !state) return inv.usage_error("--id and --state (integer) are required");
    return done(inv, call(inv, "UpdateMessageStateByID", rpc::RawJson{"[\"" + *id + "\"," + std::to_string(*state) + "]"}));
}

// ---- address / share-params / actor / node ----

std::vector<Flag> fee_flags() {
    return {{"gas-overestimation", "F", "gas limit over-estimation factor"},
            {"gas-feecap", "ATTOFIL", "fixed fee cap"},
            {"max-fee", "ATTOFIL", "maximum fee per message"},
            {"base-fee", "ATTOFIL", "no new messages while the base fee is above this"},
            {"gas-over-premium", "F", "gas premium factor"}};
}

Status write_fee(Invocation& inv, rpc::JsonOut& o, bool str_suffix) {
    auto num = [&](const char* flag, const char* key) -> Status {
        if (!inv.has(flag)) return {};
        auto d = to_double(inv.get(flag));
        if (!d) return make_error(Errc::kInvalidArgument, "--{} takes a number", flag);
        rpc::write_key(o, key);
        o.Double(*d);
        return {};
    };
    auto big = [&](const char* flag, std::string key) {
        if (!inv.has(flag)) return;
        rpc::write_key(o, str_suffix ? key + "Str" : key);
        rpc::write_string(o, *inv.get(flag));
    };
    VENUS_TRY_VOID(num("gas-overestimation", "gasOverEstimation"));
    VENUS_TRY_VOID(num("gas-over-estimation", "gasOverEstimation"));
    VENUS_TRY_VOID(num("gas-over-premium", "gasOverPremium"));
    big("gas-feecap", "gasFeeCap");
    big("max-fee", "maxFee");
    big("base-fee", "baseFee");
    return {};
}

int set_fee_params(Invocation& inv) {
    Status st;
    auto params = rpc::make_params([&](rpc::JsonOut& o) {
        o.StartObject();
        rpc::write_key(o, "address");
        rpc::write_string(o, inv.args[0]);
        st = write_fee(inv, o, true);
        o.EndObject();
    });
    if (!st) return inv.usage_error(st.error().message);
    return done(inv, call(inv, "SetFeeParams", params));
}

int share_params_set(Invocation& inv) {
    Status st;
    std::optional<std::int64_t> num;
    if (inv.has("sel-msg-num")) {
        num = to_int(inv.get("sel-msg-num"));
        if (!num || *num < 0) return inv.usage_error("--sel-msg-num takes a non-negative integer");
    }
    auto params = rpc::make_params([&](rpc::JsonOut& o) {
        o.StartObject();
        if (num) {
            rpc::write_key(o, "selMsgNum");
            o.Int64(*num);
        }
        st = write_fee(inv, o, false);
        o.EndObject();
    });
    if (!st) return inv.usage_error(st.error().message);
    return done(inv, call(inv, "SetSharedParams", params));
}

// sophon-messager `send <to> <amount FIL>`: Message.Send (QuickSendParams), prints "msg uuid <id> ".
int send(Invocation& inv) {
    auto from = inv.get("from");
    if (!from) return inv.usage_error("--from is required");
    auto amount = chain::parse_fil(inv.args[1]);
    if (!amount) return inv.usage_error("<amount>: " + amount.error().message);
    if (inv.has("params-json") && inv.has("params-hex")) {
        return inv.usage_error("can only specify one of 'params-json' and 'params-hex'");
    }
    std::optional<std::int64_t> method = 0;
    if (inv.has("method")) method = to_int(inv.get("method"));
    if (!method || *method < 0) return inv.usage_error("--method must be a non-negative integer");
    std::optional<std::int64_t> gas_limit;
    if (inv.has("gas-limit")) {
        gas_limit = to_int(inv.get("gas-limit"));
        if (!gas_limit) return inv.usage_error("--gas-limit must be an integer");
    }
    auto params = rpc::make_params([&](rpc::JsonOut& o) {
        o.StartObject();
        rpc::write_key(o, "To");
        rpc::write_string(o, inv.args[0]);
        rpc::write_key(o, "From");
        rpc::write_string(o, *from);
        rpc::write_key(o, "Val");
        rpc::write_string(o, amount->to_string());
        rpc::write_key(o, "Account");
        rpc::write_string(o, inv.get("account").value_or(""));
        for (const char* fee : {"gas-premium", "gas-feecap"}) {
            if (auto v = inv.get(fee)) {
                rpc::write_key(o, std::string_view(fee) == "gas-premium" ? "GasPremium" : "GasFeeCap");
                rpc::write_string(o, *v);
            }
        }
        if (gas_limit) {
            rpc::write_key(o, "GasLimit");
            o.Int64(*gas_limit);
        }
        rpc::write_key(o, "Method");
        o.Uint64(static_cast<std::uint64_t>(*method));
        const bool json = inv.has("params-json");
        rpc::write_key(o, "Params");
        rpc::write_string(o, json ? *inv.get("params-json") : inv.get("params-hex").value_or(""));
        rpc::write_key(o, "ParamsType");
        rpc::write_string(o, json ? "json" : (inv.has("params-hex") ? "hex" : ""));
        o.EndObject();
    });
    auto r = call(inv, "Send", params);
    if (!r) return inv.fail(r.error());
    rpc::JsonDocument d;
    if (!rpc::parse_json(r->text, d) || !d.IsString()) return inv.fail(Error(Errc::kInvalidArgument, "unexpected answer"));
    inv.out << "msg uuid " << d.GetString() << " \n";
    return kExitOk;
}

int log_list(Invocation& inv) {
    auto r = call(inv, "LogList");
    if (!r) return inv.fail(r.error());
    rpc::JsonDocument d;
    if (!rpc::parse_json(r->text, d) || !d.IsArray()) return inv.fail(Error(Errc::kInvalidArgument, "unexpected answer"));
    for (const auto& s : d.GetArray()) inv.out << s.GetString() << "\n";
    return kExitOk;
}

// `log set-level <level> [--system X]…`: every subsystem when none is named, as the original.
int log_set_level(Invocation& inv) {
    auto systems = inv.all("system");
    if (systems.empty()) systems.push_back("*");
    for (const auto& s : systems) {
        auto r = call(inv, "SetLogLevel", strings({s, inv.args[0]}));
        if (!r) return inv.fail(r.error());
    }
    return kExitOk;
}

int actor_add(Invocation& inv) {
    const auto method = to_int(inv.args[1]);
    if (!method || *method < 0) return inv.usage_error("<method> must be a non-negative integer");
    Status st;
    auto params = rpc::make_params([&](rpc::JsonOut& o) {
        o.StartObject();
        rpc::write_key(o, "code");
        o.StartObject();
        rpc::write_key(o, "/");
        rpc::write_string(o, inv.args[0]);
        o.EndObject();
        rpc::write_key(o, "method");
        o.Int64(*method);
        if (auto v = to_int(inv.get("version"))) {
            rpc::write_key(o, "actorVersion");
            o.Int64(*v);
        }
        st = write_fee(inv, o, false);
        o.EndObject();
    });
    if (!st) return inv.usage_error(st.error().message);
    return done(inv, call(inv, "SaveActorCfg", params));
}

int actor_update(Invocation& inv) {
    Status st;
    auto params = rpc::make_params([&](rpc::JsonOut& o) {
        rpc::write_string(o, inv.args[0]);
        o.StartObject();
        st = write_fee(inv, o, false);
        o.EndObject();
    });
    if (!st) return inv.usage_error(st.error().message);
    return done(inv, call(inv, "UpdateActorCfg", params));
}

int node_add(Invocation& inv) {
    auto name = inv.get("name");
    auto url = inv.get("url");
    if (!name || !url) return inv.usage_error("--name and --url are required");
    auto params = rpc::make_params([&](rpc::JsonOut& o) {
        o.StartObject();
        rpc::write_key(o, "name");
        rpc::write_string(o, *name);
        rpc::write_key(o, "url");
        rpc::write_string(o, *url);
        rpc::write_key(o, "token");
        rpc::write_string(o, inv.get("token").value_or(""));
        o.EndObject();
    });
    return done(inv, call(inv, "SaveNode", params));
}

}  // namespace

void add_messager_commands(CommandTable& t) {
    const std::vector<Flag> out_flags = {{"output-type", "table|json", "output format (table)"},
                                         {"verbose", "", "print whole messages as JSON"}};
    auto with = [](std::vector<Flag> a, const std::vector<Flag>& b) {
        a.insert(a.end(), b.begin(), b.end());
        return a;
    };
    using P = std::vector<std::string>;
    t.add({P{"messager", "msg", "search"}, "", "Shows a message by --id or signed --cid.",
           {{"id", "ID", "message id"}, {"cid", "CID", "signed message CID"}}, msg_search});
    t.add({P{"messager", "msg", "list"}, "", "Lists messages of one state (default 1 UnFillMsg).",
           with({{"page-index", "N", "page (from 1)"},
                 {"page-size", "N", "messages per page (100)"},
                 {"time", "DURATION", "only messages older than this, e.g. 3h"},
                 {"from", "ADDR", "sender"},
                 {"state", "N", "1 UnFillMsg, 2 FillMsg, 3 OnChainMsg, 4 FailedMsg, 5 NonceConflictMsg"}},
                out_flags),
           msg_list});
    t.add({P{"messager", "msg", "list-fail"}, "", "Lists UnFill messages whose estimate, signing or push failed.",
           with({{"from", "ADDR", "sender"}}, out_flags), msg_list_fail});
    t.add({P{"messager", "msg", "list-blocked"}, "", "Lists UnFill and Fill messages older than --time (3h).",
           with({{"from", "ADDR", "sender"}, {"time", "DURATION", "age, e.g. 3h"}}, out_flags), msg_list_blocked});
    t.add({P{"messager", "msg", "update-filled-msg"}, "", "Looks a FillMsg up on chain and records it if it landed.",
           {{"id", "ID", "message id"},
            {"signed_cid", "CID", "signed CID"},
            {"s_cid", "CID", "signed CID"},
            {"unsigned_cid", "CID", "unsigned CID"},
            {"u_cid", "CID", "unsigned CID"}},
           msg_update_filled});
    t.add({P{"messager", "msg", "update-all-filled-msg"}, "", "Looks every FillMsg up on chain.", {},
           [](Invocation& inv) {
               auto r = call(inv, "UpdateAllFilledMessage");
               if (!r) return inv.fail(r.error());
               inv.out << "update " << r->text << " messages\n";
               return static_cast<int>(kExitOk);
           }});
    t.add({P{"messager", "msg", "replace"}, "<id> | <from> <nonce>",
           "Re-signs a FillMsg with higher fees (--auto: the pool's minimum bump) and pushes it.",
           {{"gas-feecap", "ATTOFIL", "fee cap"},
            {"gas-premium", "ATTOFIL", "premium"},
            {"gas-limit", "N", "gas limit (default: unchanged)"},
            {"auto", "", "estimate the fees and bump the premium by the pool's replace ratio"},
            {"max-fee", "FIL", "cap on GasFeeCap × GasLimit with --auto, in FIL"},
            {"gas-over-premium", "F", "premium factor with --auto"}},
           msg_replace, 1, 2});
    t.add({P{"messager", "msg", "wait"}, "<id>", "Waits until a message is on chain with 5 confirmations.", {}, msg_wait, 1, 1});
    t.add({P{"messager", "msg", "republish"}, "<id>", "Pushes a FillMsg again.", {},
           [](Invocation& inv) { return done(inv, call(inv, "RepublishMessage", strings({inv.args[0]}))); }, 1, 1});
    t.add({P{"messager", "msg", "mark-bad"}, "<id…>", "Marks messages Failed (--from: its UnFill ones with errors).",
           {{"really-do-it", "", "confirm"}, {"from", "ADDR", "sender"}}, msg_mark_bad, 0, -1});
    t.add({P{"messager", "msg", "clear-unfill-msg"}, "<address>", "Marks every UnFill message of an address Failed.",
           {{"really-do-it", "", "confirm"}}, msg_clear_unfill, 1, 1});
    t.add({P{"messager", "msg", "recover-failed-msg"}, "<id…>",
           "Failed messages back to FillMsg (signed) or UnFillMsg; --from: the signed ones not yet on chain.",
           {{"really-do-it", "", "confirm"}, {"from", "ADDR", "sender"}}, msg_recover, 0, -1});
    t.add({P{"messager", "msg", "update-state"}, "", "Sets a message's state by hand.",
           {{"id", "ID", "message id"}, {"state", "N", "new state"}, {"really-do-it", "", "confirm"}}, msg_update_state});

    t.add({P{"messager", "address", "search"}, "<address>", "Shows an address.", {},
           [](Invocation& inv) { return print(inv, call(inv, "GetAddress", strings({inv.args[0]}))); }, 1, 1});
    t.add({P{"messager", "address", "list"}, "", "Lists addresses.", {},
           [](Invocation& inv) { return print(inv, call(inv, "ListAddress")); }});
    t.add({P{"messager", "address", "del"}, "<address>", "Deletes an address.", {},
           [](Invocation& inv) { return done(inv, call(inv, "DeleteAddress", strings({inv.args[0]}))); }, 1, 1});
    t.add({P{"messager", "address", "forbidden"}, "<address>", "Stops selecting for an address.", {},
           [](Invocation& inv) { return done(inv, call(inv, "ForbiddenAddress", strings({inv.args[0]}))); }, 1, 1});
    t.add({P{"messager", "address", "active"}, "<address>", "Selects for an address again.", {},
           [](Invocation& inv) { return done(inv, call(inv, "ActiveAddress", strings({inv.args[0]}))); }, 1, 1});
    t.add({P{"messager", "address", "set-sel-msg-num"}, "<address>", "Messages selected per round for an address.",
           {{"num", "N", "count (0: the shared value)"}},
           [](Invocation& inv) {
               const auto n = to_int(inv.get("num"));
               if (!n || *n < 0) return inv.usage_error("--num takes a non-negative integer");
               return done(inv, call(inv, "SetSelectMsgNum", rpc::RawJson{"[\"" + inv.args[0] + "\"," + std::to_string(*n) + "]"}));
           },
           1, 1});
    t.add({P{"messager", "address", "set-fee-params"}, "<address>", "Sets an address's fee settings.", fee_flags(),
           set_fee_params, 1, 1});

    t.add({P{"messager", "share-params", "get"}, "", "Shows the shared settings.", {},
           [](Invocation& inv) { return print(inv, call(inv, "GetSharedParams")); }});
    auto share_flags = fee_flags();
    share_flags.push_back({"gas-over-estimation", "F", "gas limit over-estimation factor (1.25)"});
    share_flags.push_back({"sel-msg-num", "N", "messages per address and round (20)"});
    t.add({P{"messager", "share-params", "set"}, "", "Changes the shared settings (only the flags given).", share_flags,
           share_params_set});

    t.add({P{"messager", "actor", "list"}, "", "Lists actor fee configs.", {},
           [](Invocation& inv) { return print(inv, call(inv, "ListActorCfg")); }});
    t.add({P{"messager", "actor", "get"}, "<id>", "Shows an actor fee config.", {},
           [](Invocation& inv) { return print(inv, call(inv, "GetActorCfgByID", strings({inv.args[0]}))); }, 1, 1});
    auto actor_flags = fee_flags();
    actor_flags.push_back({"version", "N", "actors version"});
    t.add({P{"messager", "actor", "add"}, "<code> <method>", "Adds fee settings for an actor code and method.",
           actor_flags, actor_add, 2, 2});
    t.add({P{"messager", "actor", "update-fee-params"}, "<id>", "Changes an actor config's fee settings.", fee_flags(),
           actor_update, 1, 1});

    t.add({P{"messager", "send"}, "<to> <amount FIL>", "Sends a message to an actor method (Method 0, a plain transfer, is refused).",
           {{"from", "ADDR", "sender (required)"},
            {"gas-premium", "ATTOFIL", "gas premium"},
            {"gas-feecap", "ATTOFIL", "gas fee cap"},
            {"gas-limit", "N", "gas limit"},
            {"method", "N", "method number (0)"},
            {"params-json", "JSON", "params as JSON (not supported by venusd: no method schemas)"},
            {"params-hex", "HEX", "params as CBOR hex"},
            {"account", "NAME", "ignored, as by the original"}},
           send, 2, 2});
    t.add({P{"messager", "log", "list"}, "", "Lists the daemon's log subsystems.", {}, log_list});
    t.add({P{"messager", "log", "set-level"}, "<level>", "Sets the log level of --system subsystems (all when none).",
           {{"system", "NAME", "subsystem (repeatable)", true}}, log_set_level, 1, 1});
    t.add({P{"messager", "node", "add"}, "", "Adds a node signed messages are also pushed to.",
           {{"name", "NAME", "node name"}, {"url", "MULTIADDR", "node API address"}, {"token", "TOKEN", "node token"}},
           node_add});
    t.add({P{"messager", "node", "search"}, "<name>", "Shows a push node.", {},
           [](Invocation& inv) { return print(inv, call(inv, "GetNode", strings({inv.args[0]}))); }, 1, 1});
    t.add({P{"messager", "node", "list"}, "", "Lists push nodes.", {},
           [](Invocation& inv) { return print(inv, call(inv, "ListNode")); }});
    t.add({P{"messager", "node", "del"}, "<name>", "Removes a push node.", {},
           [](Invocation& inv) { return done(inv, call(inv, "DeleteNode", strings({inv.args[0]}))); }, 1, 1});
}

}  // namespace venus::cli
