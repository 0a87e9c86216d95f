// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "rpc_methods.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <thread>

#include "venus/chain/json.hpp"
#include "venus/chain/json_params.hpp"
#include "venus/core/log.hpp"

namespace venus::plugins::messager {

namespace {

using rpc::Exec;
using rpc::JsonValue;
using rpc::Perm;
using rpc::RawJson;

using Fn = std::function<Result<RawJson>(const rpc::CallContext&, const JsonValue&)>;

rpc::Handler sync(Fn fn) {
    return rpc::sync_handler([fn = std::move(fn)](rpc::CallContext& c, const JsonValue& p) { return fn(c, p); });
}

// Handlers that call the node or the gateway run on a thread of their own: the local node's methods
// need the worker pool themselves, which a waiting handler must not occupy.
rpc::Handler detached(rpc::HandlerThreads& threads, Fn fn) {
    return threads.wrap(std::move(fn));
}

// PushMessage needs the node only to resolve an ID-address sender: only then a thread of its own.
rpc::Handler push_handler(rpc::HandlerThreads& threads, std::size_t msg_index, Fn fn) {
    auto slow = detached(threads, fn);
    return [fn = std::move(fn), slow = std::move(slow), msg_index](rpc::CallContext& c, const JsonValue& params,
                                                                  rpc::Reply reply) {
        const auto i = static_cast<rapidjson::SizeType>(msg_index);
        const JsonValue* from = params.Size() > i && params[i].IsObject() ? chain::json_member(params[i], "From") : nullptr;
        const bool id_sender = from && from->IsString() && from->GetStringLength() > 1 && from->GetString()[1] == '0';
        if (id_sender) return slow(c, params, std::move(reply));
        reply(fn(c, params));
    };
}

Result<std::string> str(const JsonValue& p, std::size_t i, const char* what) {
    auto s = rpc::param_string(p, i);
    if (!s) return make_error(Errc::kInvalidArgument, "param {} ({}): expected a string", i, what);
    return std::string(*s);
}

Result<chain::Address> address(const JsonValue& p, std::size_t i) {
    return chain::json_param<chain::Address>(p, i, "Address");
}

RawJson message_json(const Message& m, std::int64_t head) {
    rpc::JsonBuilder b;
    write_message(b.out(), m, head);
    return b.take();
}

RawJson messages_json(const std::vector<Message>& v, std::int64_t head) {
    rpc::JsonBuilder b;
    b.out().StartArray();
    for (const auto& m : v) write_message(b.out(), m, head);
    b.out().EndArray();
    return b.take();
}

template <typename T, typename W>
RawJson list_json(const std::vector<T>& v, W write) {
    rpc::JsonBuilder b;
    b.out().StartArray();
    for (const auto& x : v) write(b.out(), x);
    b.out().EndArray();
    return b.take();
}

RawJson ids_json(const std::vector<std::string>& ids) {
    rpc::JsonBuilder b;
    b.out().StartArray();
    for (const auto& id : ids) rpc::write_string(b.out(), id);
    b.out().EndArray();
    return b.take();
}

bool is_admin(const rpc::CallContext& c) { return rpc::allows(c.claims.perm, Perm::kAdmin); }

// venus-shared QuickSendParams {To, From, Val, Account, GasPremium*, GasFeeCap*, GasLimit*, Method,
// Params, ParamsType}. As sophon-messager: Method 0 is refused (PushMessage sends funds), Params are
// hex or JSON; venusd has no method schemas to encode JSON params with, so it takes hex only.
Result<chain::Message> parse_quick_send(const JsonValue& q) {
    if (!q.IsObject()) return make_error(Errc::kInvalidArgument, "param 0 (QuickSendParams): expected an object");
    chain::Message msg;
    auto field = [&](const char* name) { return chain::json_member(q, name); };
    auto need = [&](const char* name) -> Result<const JsonValue*> {
        const auto* v = field(name);
        if (!v || v->IsNull()) return make_error(Errc::kInvalidArgument, "QuickSendParams: {} is missing", name);
        return v;
    };
    VENUS_TRY(auto to, need("To"));
    VENUS_TRY_VOID(chain::from_json(*to, msg.to));
    VENUS_TRY(auto from, need("From"));
    VENUS_TRY_VOID(chain::from_json(*from, msg.from));
    VENUS_TRY(auto val, need("Val"));
    VENUS_TRY_VOID(chain::from_json(*val, msg.value));
    for (auto [name, out] : {std::pair{"GasPremium", &msg.gas_premium}, std::pair{"GasFeeCap", &msg.gas_fee_cap}}) {
        if (const auto* v = field(name); v && !v->IsNull()) VENUS_TRY_VOID(chain::from_json(*v, *out));
    }
    if (const auto* v = field("GasLimit"); v && !v->IsNull()) {
        if (!v->IsInt64()) return make_error(Errc::kInvalidArgument, "QuickSendParams: GasLimit: expected an integer");
        msg.gas_limit = v->GetInt64();
    }
    VENUS_TRY(auto method, need("Method"));
    if (!method->IsUint64()) return make_error(Errc::kInvalidArgument, "QuickSendParams: Method: expected an integer");
    msg.method = method->GetUint64();
    if (msg.method == 0) return make_error(Errc::kInvalidArgument, "do not use it to send funds");
    const auto* params = field("Params");
    const auto* type = field("ParamsType");
    const std::string kind = type && type->IsString() ? type->GetString() : "";
    const std::string text = params && params->IsString() ? params->GetString() : "";
    if (kind.empty() && text.empty()) {
        // No params (the original refuses this as "unexpected param type", which makes a bare
        // `send --method N` impossible).
    } else if (kind == "hex") {
        auto bytes = from_hex(text);
        if (!bytes) return make_error(Errc::kInvalidArgument, "failed to decode hex params: {}", bytes.error().message);
        msg.params = std::move(*bytes);
    } else if (kind == "json") {
        return make_error(Errc::kUnsupported,
                          "failed to decode json params: venusd has no method schemas to encode them; give them as hex");
    } else {
        return make_error(Errc::kInvalidArgument, "unexpected param type {}", kind);
    }
    return msg;
}

// Non-admin callers see only their signers' messages (sophon-messager's ListSigners filter).
Result<std::vector<std::string>> own_signers(Messager& m, const rpc::CallContext& c, std::shared_ptr<api::Auth> auth) {
    (void)m;
    std::vector<std::string> out;
    if (!auth) return make_error(Errc::kUnavailable, "no auth service");
    VENUS_TRY(auto signers, auth->list_signers(c.claims.name));
    for (const auto& s : signers) out.push_back(s.signer);
    return out;
}

Result<Message> message_for(Messager& m, const rpc::CallContext& c, const std::string& id) {
    VENUS_TRY(auto msg, m.get(id));
    VENUS_TRY_VOID(m.check_signer(c.claims, msg.msg.from));
    return msg;
}

Result<std::vector<Message>> filter_own(Messager& m, const rpc::CallContext& c, std::shared_ptr<api::Auth> auth,
                                        std::vector<Message> v) {
    if (is_admin(c)) return v;
    VENUS_TRY(auto own, own_signers(m, c, std::move(auth)));
    std::erase_if(v, [&](const Message& x) {
        return std::find(own.begin(), own.end(), x.msg.from.to_string()) == own.end();
    });
    return v;
}

Result<std::int64_t> duration_ns(const JsonValue& p, std::size_t i) {
    if (i >= p.Size() || p[static_cast<rapidjson::SizeType>(i)].IsNull()) return 0;
    const auto& v = p[static_cast<rapidjson::SizeType>(i)];
    if (!v.IsInt64() || v.GetInt64() < 0) {
        return make_error(Errc::kInvalidArgument, "param {}: expected a duration in nanoseconds", i);
    }
    return v.GetInt64();
}

Result<std::string> resolve_addr_text(const JsonValue& p, std::size_t i) {
    VENUS_TRY(auto a, address(p, i));
    return a.to_string();
}

}  // namespace

std::vector<rpc::MethodSpec> messager_methods(std::shared_ptr<Messager> mp, std::shared_ptr<api::Auth> auth,
                                              std::shared_ptr<api::Gateway> gateway,
                                              std::shared_ptr<rpc::HandlerThreads> threads) {
    std::vector<rpc::MethodSpec> t;
    Messager* m = mp.get();
    auto& store = m->store();
    auto add = [&](const char* name, Perm perm, int min, int max, rpc::Handler h, const char* doc) {
        t.push_back({std::string("Message.") + name, perm, Exec::kWorker, min, max, std::move(h), doc});
    };
    // Keeps the service alive while any handler (detached threads included) still runs.
    auto keep = [mp](Fn fn) -> Fn { return [mp, fn = std::move(fn)](const rpc::CallContext& c, const JsonValue& p) { return fn(c, p); }; };

    auto push = [m](const rpc::CallContext& c, const JsonValue& p, std::size_t first, std::string id) -> Result<RawJson> {
        if (first >= p.Size() || !p[static_cast<rapidjson::SizeType>(first)].IsObject()) {
            return make_error(Errc::kInvalidArgument, "param {} (Message): expected an object", first);
        }
        VENUS_TRY(auto msg, chain::json_param<chain::Message>(p, first, "Message"));
        SendSpec spec;
        if (p.Size() > first + 1) {
            auto s = parse_send_spec(p[static_cast<rapidjson::SizeType>(first + 1)]);
            if (!s) return make_error(Errc::kInvalidArgument, "param {} (SendSpec): {}", first + 1, s.error().message);
            spec = std::move(*s);
        }
        VENUS_TRY(auto out, m->push(c.claims, std::move(id), std::move(msg), std::move(spec)));
        return rpc::json_string(out);
    };
    add("PushMessage", Perm::kWrite, 1, 2,
        push_handler(*threads, 0, keep([push](const rpc::CallContext& c, const JsonValue& p) { return push(c, p, 0, ""); })),
        "stores an unsigned message (UnFillMsg); returns its id");
    add("PushMessageWithId", Perm::kWrite, 2, 3, push_handler(*threads, 1, keep([push](const rpc::CallContext& c, const JsonValue& p) -> Result<RawJson> {
            VENUS_TRY(auto id, str(p, 0, "id"));
            if (id.empty()) return make_error(Errc::kInvalidArgument, "param 0 (id): empty");
            return push(c, p, 1, std::move(id));
        })),
        "PushMessage with the caller's id");
    add("HasMessageByUid", Perm::kRead, 1, 1, sync(keep([m, &store](const rpc::CallContext& c, const JsonValue& p) -> Result<RawJson> {
            VENUS_TRY(auto id, str(p, 0, "id"));
            VENUS_TRY(auto msg, store.get_message(id));
            // Another user's message does not exist for a non-admin caller (no probing of ids).
            if (msg && !m->check_signer(c.claims, msg->msg.from)) return rpc::json_bool(false);
            return rpc::json_bool(msg.has_value());
        })),
        "whether a message id exists (for a non-admin caller: one of its own signers' messages)");
    add("GetMessageByUid", Perm::kRead, 1, 1, sync(keep([m](const rpc::CallContext& c, const JsonValue& p) -> Result<RawJson> {
            VENUS_TRY(auto id, str(p, 0, "id"));
            VENUS_TRY(auto msg, message_for(*m, c, id));
            return message_json(msg, m->head_height());
        })),
        "a message by id");
    for (bool is_signed : {true, false}) {
        add(is_signed ? "GetMessageBySignedCid" : "GetMessageByUnsignedCid", Perm::kRead, 1, 1,
            sync(keep([m, &store, is_signed](const rpc::CallContext& c, const JsonValue& p) -> Result<RawJson> {
                VENUS_TRY(auto cid, chain::json_param<chain::Cid>(p, 0, "Cid"));
                VENUS_TRY(auto msg, store.by_cid(cid, is_signed));
                if (!msg) return make_error(Errc::kNotFound, "no message with cid {}", cid.to_string());
                VENUS_TRY_VOID(m->check_signer(c.claims, msg->msg.from));
                return message_json(*msg, m->head_height());
            })),
            is_signed ? "a message by signed CID" : "a message by unsigned CID");
    }
    add("GetMessageByFromAndNonce", Perm::kRead, 2, 2, sync(keep([m, &store](const rpc::CallContext& c, const JsonValue& p) -> Result<RawJson> {
            VENUS_TRY(auto from, resolve_addr_text(p, 0));
            VENUS_TRY(auto nonce, rpc::param_uint(p, 1));
            VENUS_TRY_VOID(m->check_signer(c.claims, from));
            VENUS_TRY(auto msg, store.by_from_nonce(from, nonce));
            if (!msg) return make_error(Errc::kNotFound, "no message from {} with nonce {}", from, nonce);
            return message_json(*msg, m->head_height());
        })),
        "a filled message by sender and nonce");
    add("ListMessage", Perm::kRead, 1, 1, sync(keep([m, &store, auth](const rpc::CallContext& c, const JsonValue& p) -> Result<RawJson> {
            const auto& q = p[0];
            MsgQuery query;
            if (!q.IsNull()) {
                if (!q.IsObject()) return make_error(Errc::kInvalidArgument, "param 0: expected MsgQueryParams");
                if (const auto* s = chain::json_member(q, "State"); s && !s->IsNull()) {
                    if (!s->IsArray()) return make_error(Errc::kInvalidArgument, "State: expected an array of states");
                    for (const auto& v : s->GetArray()) {
                        if (!v.IsInt64()) return make_error(Errc::kInvalidArgument, "State: expected integers");
                        VENUS_TRY(auto st, parse_state(v.GetInt64()));
                        query.states.push_back(st);
                    }
                }
                if (const auto* f = chain::json_member(q, "From"); f && !f->IsNull()) {
                    if (!f->IsArray()) return make_error(Errc::kInvalidArgument, "From: expected an array of addresses");
                    for (const auto& v : f->GetArray()) {
                        chain::Address a;
                        VENUS_TRY_VOID(chain::from_json(v, a));
                        query.from.push_back(a.to_string());
                    }
                }
                if (const auto* b = chain::json_member(q, "ByUpdateAt"); b && b->IsBool()) query.by_update_at = b->GetBool();
                if (const auto* b = chain::json_member(q, "Asc"); b && b->IsBool()) query.asc = b->GetBool();
                if (const auto* l = chain::json_member(q, "Limit"); l && l->IsInt64()) query.limit = l->GetInt64();
                if (const auto* o = chain::json_member(q, "Offset"); o && o->IsInt64()) query.offset = o->GetInt64();
            }
            if (!is_admin(c)) {
                VENUS_TRY(auto own, own_signers(*m, c, auth));
                if (query.from.empty()) {
                    query.from = own;
                    if (own.empty()) return RawJson{"[]"};
                } else {
                    for (const auto& f : query.from) {
                        if (std::find(own.begin(), own.end(), f) == own.end()) {
                            return make_error(Errc::kPermissionDenied, "signer {} does not belong to user {}", f, c.claims.name);
                        }
                    }
                }
            }
            VENUS_TRY(auto v, store.list(query));
            return messages_json(v, m->head_height());
        })),
        "messages by state and sender, newest first unless Asc");
    add("ListMessageByFromState", Perm::kAdmin, 6, 6, sync(keep([m, &store](const rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
            MsgQuery q;
            if (!p[0].IsString() || p[0].GetStringLength() > 0) {
                VENUS_TRY(auto from, resolve_addr_text(p, 0));
                q.from.push_back(from);
            }
            VENUS_TRY(auto st, rpc::param_int(p, 1));
            VENUS_TRY(auto state, parse_state(st));
            q.states.push_back(state);
            VENUS_TRY(q.asc, rpc::param_bool(p, 2));
            VENUS_TRY(auto page, rpc::param_int(p, 3));
            VENUS_TRY(auto size, rpc::param_int(p, 4));
            if (page < 1 || size < 1) return make_error(Errc::kInvalidArgument, "pageIndex and pageSize start at 1");
            q.limit = size;
            q.offset = (page - 1) * size;
            VENUS_TRY(auto d, duration_ns(p, 5));
            if (d > 0) q.created_before = now_us() - d / 1000;
            VENUS_TRY(auto v, store.list(q));
            return messages_json(v, m->head_height());
        })),
        "a page of one sender's messages in one state");
    add("ListMessageByAddress", Perm::kAdmin, 1, 1, sync(keep([m, &store](const rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
            VENUS_TRY(auto from, resolve_addr_text(p, 0));
            MsgQuery q;
            q.from.push_back(from);
            VENUS_TRY(auto v, store.list(q));
            return messages_json(v, m->head_height());
        })),
        "every message of a sender");
    add("ListFailedMessage", Perm::kRead, 0, 0, sync(keep([m, &store, auth](const rpc::CallContext& c, const JsonValue&) -> Result<RawJson> {
            // As the original: UnFill messages that carry an error (not FailedMsg).
            MsgQuery q;
            q.states.push_back(MsgState::kUnFill);
            VENUS_TRY(auto v, store.list(q));
            std::erase_if(v, [](const Message& x) { return x.error_msg.empty(); });
            VENUS_TRY(v, filter_own(*m, c, auth, std::move(v)));
            return messages_json(v, m->head_height());
        })),
        "UnFillMsg messages with an error (estimate, sign or push failed)");
    add("ListBlockedMessage", Perm::kRead, 2, 2, sync(keep([m, &store, auth](const rpc::CallContext& c, const JsonValue& p) -> Result<RawJson> {
            MsgQuery q;
            q.states = {MsgState::kUnFill, MsgState::kFill};
            if (!p[0].IsString() || p[0].GetStringLength() > 0) {
                VENUS_TRY(auto from, resolve_addr_text(p, 0));
                q.from.push_back(from);
            }
            VENUS_TRY(auto d, duration_ns(p, 1));
            q.created_before = now_us() - d / 1000;
            VENUS_TRY(auto v, store.list(q));
            VENUS_TRY(v, filter_own(*m, c, auth, std::move(v)));
            return messages_json(v, m->head_height());
        })),
        "UnFill and Fill messages older than d");
    add("WaitMessage", Perm::kRead, 2, 2, detached(*threads, keep([m](const rpc::CallContext& c, const JsonValue& p) -> Result<RawJson> {
            VENUS_TRY(auto id, str(p, 0, "id"));
            VENUS_TRY(auto conf, rpc::param_uint(p, 1));
            VENUS_TRY(auto first, message_for(*m, c, id));
            (void)first;
            const auto poll = std::chrono::milliseconds(std::clamp<std::int64_t>(
                static_cast<std::int64_t>(m->block_delay_secs()) * 250, 100, 5'000));
            while (!c.cancel->cancelled()) {
                VENUS_TRY(auto msg, m->get(id));
                const bool landed = msg.state == MsgState::kOnChain || msg.state == MsgState::kNonceConflict;
                if (msg.state == MsgState::kFailed ||
                    (landed && m->head_height() - msg.height > static_cast<std::int64_t>(conf))) {
                    return message_json(msg, m->head_height());
                }
                std::this_thread::sleep_for(poll);
            }
            return make_error(Errc::kCancelled, "WaitMessage cancelled");
        })),
        "waits until the message is on chain with more than `confidence` epochs on top, or failed");
    add("UpdateMessageStateByID", Perm::kWrite, 2, 2, sync(keep([m, &store](const rpc::CallContext& c, const JsonValue& p) -> Result<RawJson> {
            VENUS_TRY(auto id, str(p, 0, "id"));
            VENUS_TRY(auto st, rpc::param_int(p, 1));
            VENUS_TRY(auto state, parse_state(st));
            VENUS_TRY_VOID(message_for(*m, c, id));
            VENUS_TRY_VOID(store.set_state(id, state));
            return rpc::json_null();
        })),
        "sets a message's state");
    add("UpdateAllFilledMessage", Perm::kAdmin, 0, 0, detached(*threads, keep([m](const rpc::CallContext&, const JsonValue&) -> Result<RawJson> {
            VENUS_TRY(auto n, m->update_all_filled());
            return rpc::json_int(n);
        })),
        "looks every FillMsg up on chain (StateSearchMsg); returns how many landed");
    add("UpdateFilledMessageByID", Perm::kWrite, 1, 1, detached(*threads, keep([m](const rpc::CallContext& c, const JsonValue& p) -> Result<RawJson> {
            VENUS_TRY(auto id, str(p, 0, "id"));
            VENUS_TRY_VOID(message_for(*m, c, id));
            VENUS_TRY(auto out, m->update_filled(id));
            return rpc::json_string(out);
        })),
        "looks one FillMsg up on chain");
    add("ReplaceMessage", Perm::kWrite, 1, 1, detached(*threads, keep([m](const rpc::CallContext& c, const JsonValue& p) -> Result<RawJson> {
            const auto& q = p[0];
            if (!q.IsObject()) return make_error(Errc::kInvalidArgument, "param 0: expected ReplacMessageParams");
            ReplaceParams r;
            const auto* id = chain::json_member(q, "ID");
            if (!id || !id->IsString()) return make_error(Errc::kInvalidArgument, "ID: expected a string");
            r.id = id->GetString();
            if (const auto* a = chain::json_member(q, "Auto"); a && a->IsBool()) r.automatic = a->GetBool();
            auto amount = [&](const char* key, chain::TokenAmount& out) -> Status {
                const auto* v = chain::json_member(q, key);
                if (!v || v->IsNull()) return {};
                VENUS_TRY_VOID(chain::from_json(*v, out));
                if (out.sign() < 0) return make_error(Errc::kInvalidArgument, "{} cannot be negative", key);
                return {};
            };
            VENUS_TRY_VOID(amount("MaxFee", r.max_fee));
            VENUS_TRY_VOID(amount("GasPremium", r.gas_premium));
            VENUS_TRY_VOID(amount("GasFeecap", r.gas_fee_cap));
            if (const auto* g = chain::json_member(q, "GasLimit"); g && !g->IsNull()) {
                if (!g->IsInt64()) return make_error(Errc::kInvalidArgument, "GasLimit: expected an integer");
                r.gas_limit = g->GetInt64();
            }
            if (const auto* g = chain::json_member(q, "GasOverPremium"); g && g->IsNumber()) r.gas_over_premium = g->GetDouble();
            VENUS_TRY_VOID(message_for(*m, c, r.id));
            VENUS_TRY(auto cid, m->replace(r));
            rpc::JsonBuilder b;
            b.out().StartObject();
            rpc::write_key(b.out(), "/");
            rpc::write_string(b.out(), cid);
            b.out().EndObject();
            return b.take();
        })),
        "re-signs a FillMsg with higher fees (Auto: the pool's minimum bump) and pushes it");
    add("RepublishMessage", Perm::kAdmin, 1, 1, detached(*threads, keep([m](const rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
            VENUS_TRY(auto id, str(p, 0, "id"));
            VENUS_TRY_VOID(m->republish(id));
            return rpc::json_null();
        })),
        "pushes a FillMsg again");
    add("MarkBadMessage", Perm::kWrite, 1, 1, sync(keep([m, &store](const rpc::CallContext& c, const JsonValue& p) -> Result<RawJson> {
            VENUS_TRY(auto id, str(p, 0, "id"));
            VENUS_TRY_VOID(message_for(*m, c, id));
            VENUS_TRY_VOID(store.set_state(id, MsgState::kFailed));
            return rpc::json_null();
        })),
        "marks a message Failed (a FillMsg's nonce stays used: fill the gap with replace)");
    add("RecoverFailedMsg", Perm::kWrite, 1, 1, detached(*threads, keep([m](const rpc::CallContext& c, const JsonValue& p) -> Result<RawJson> {
            VENUS_TRY(auto from, resolve_addr_text(p, 0));
            VENUS_TRY_VOID(m->check_signer(c.claims, from));
            VENUS_TRY(auto ids, m->recover_failed(from));
            return ids_json(ids);
        })),
        "signed Failed messages at or above the chain nonce back to FillMsg");
    add("ClearUnFillMessage", Perm::kWrite, 1, 1, detached(*threads, keep([m](const rpc::CallContext& c, const JsonValue& p) -> Result<RawJson> {
            VENUS_TRY(auto from, resolve_addr_text(p, 0));
            VENUS_TRY_VOID(m->check_signer(c.claims, from));
            VENUS_TRY(auto n, m->clear_unfill(from));
            return rpc::json_int(n);
        })),
        "marks every UnFillMsg of an address Failed; returns how many");

    // ---- addresses ----
    add("GetAddress", Perm::kRead, 1, 1, sync(keep([m, &store](const rpc::CallContext& c, const JsonValue& p) -> Result<RawJson> {
            VENUS_TRY(auto a, resolve_addr_text(p, 0));
            VENUS_TRY_VOID(m->check_signer(c.claims, a));
            VENUS_TRY(auto row, store.get_address(a));
            if (!row) return make_error(Errc::kNotFound, "address {} not found", a);
            rpc::JsonBuilder b;
            write_address(b.out(), *row);
            return b.take();
        })),
        "an address with its nonce and fee settings");
    add("HasAddress", Perm::kRead, 1, 1, sync(keep([&store](const rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
            VENUS_TRY(auto a, resolve_addr_text(p, 0));
            VENUS_TRY(auto row, store.get_address(a));
            return rpc::json_bool(row.has_value());
        })),
        "whether the messager knows an address");
    add("WalletHas", Perm::kRead, 1, 1, sync(keep([m, auth, gateway](const rpc::CallContext& c, const JsonValue& p) -> Result<RawJson> {
            VENUS_TRY(auto a, address(p, 0));
            if (!gateway || !auth) return make_error(Errc::kUnavailable, "no gateway or auth service");
            VENUS_TRY(auto users, auth->get_user_by_signer(a.to_string()));
            std::vector<std::string> accounts;
            bool mine = is_admin(c);
            for (const auto& u : users) {
                accounts.push_back(u.name);
                mine = mine || u.name == c.claims.name;
            }
            if (!mine || accounts.empty()) return rpc::json_bool(false);
            VENUS_TRY(auto has, gateway->wallet_has(accounts, a));
            return rpc::json_bool(has);
        })),
        "whether a connected wallet of the signer's users holds the address");
    add("ListAddress", Perm::kRead, 0, 0, sync(keep([m, &store, auth](const rpc::CallContext& c, const JsonValue&) -> Result<RawJson> {
            VENUS_TRY(auto rows, store.list_addresses());
            if (!is_admin(c)) {
                VENUS_TRY(auto own, own_signers(*m, c, auth));
                std::erase_if(rows, [&](const Address& a) {
                    return std::find(own.begin(), own.end(), a.addr.to_string()) == own.end();
                });
            }
            return list_json(rows, write_address);
        })),
        "every address");
    add("UpdateNonce", Perm::kAdmin, 2, 2, sync(keep([&store](const rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
            VENUS_TRY(auto a, resolve_addr_text(p, 0));
            VENUS_TRY(auto nonce, rpc::param_uint(p, 1));
            VENUS_TRY(auto row, store.get_address(a));
            if (!row) return make_error(Errc::kNotFound, "address {} not found", a);
            VENUS_TRY_VOID(store.set_nonce(a, nonce));
            return rpc::json_null();
        })),
        "sets an address's next nonce by hand");
    auto addr_state = [&](const char* name, AddrState s, const char* doc) {
        add(name, Perm::kWrite, 1, 1, sync(keep([m, &store, s](const rpc::CallContext& c, const JsonValue& p) -> Result<RawJson> {
                VENUS_TRY(auto a, resolve_addr_text(p, 0));
                VENUS_TRY_VOID(m->check_signer(c.claims, a));
                VENUS_TRY(bool ok, store.set_address_state(a, s));
                if (!ok) return make_error(Errc::kNotFound, "address {} not found", a);
                return rpc::json_null();
            })),
            doc);
    };
    addr_state("ForbiddenAddress", AddrState::kForbidden, "stops selecting and following an address");
    addr_state("ActiveAddress", AddrState::kAlive, "selects and follows an address again");
    add("DeleteAddress", Perm::kWrite, 1, 1, sync(keep([m, &store](const rpc::CallContext& c, const JsonValue& p) -> Result<RawJson> {
            VENUS_TRY(auto a, resolve_addr_text(p, 0));
            VENUS_TRY_VOID(m->check_signer(c.claims, a));
            VENUS_TRY(bool ok, store.delete_address(a));
            if (!ok) return make_error(Errc::kNotFound, "address {} not found", a);
            return rpc::json_null();
        })),
        "deletes an address row (its messages stay)");
    add("SetSelectMsgNum", Perm::kWrite, 2, 2, sync(keep([m, &store](const rpc::CallContext& c, const JsonValue& p) -> Result<RawJson> {
            VENUS_TRY(auto a, resolve_addr_text(p, 0));
            VENUS_TRY(auto n, rpc::param_uint(p, 1));
            VENUS_TRY_VOID(m->check_signer(c.claims, a));
            VENUS_TRY(bool ok, store.set_sel_msg_num(a, n));
            if (!ok) return make_error(Errc::kNotFound, "address {} not found", a);
            return rpc::json_null();
        })),
        "messages selected per round for an address (0: the shared value)");
    add("SetFeeParams", Perm::kWrite, 1, 1, sync(keep([m, &store](const rpc::CallContext& c, const JsonValue& p) -> Result<RawJson> {
            const auto& q = p[0];
            if (!q.IsObject()) return make_error(Errc::kInvalidArgument, "param 0: expected AddressSpec");
            const auto* av = chain::json_member(q, "address");
            if (!av) return make_error(Errc::kInvalidArgument, "AddressSpec: address missing");
            chain::Address addr;
            VENUS_TRY_VOID(chain::from_json(*av, addr));
            const auto a = addr.to_string();
            VENUS_TRY_VOID(m->check_signer(c.claims, a));
            VENUS_TRY(auto row, store.get_address(a));
            if (!row) return make_error(Errc::kNotFound, "address {} not found", a);
            VENUS_TRY(auto fee, parse_fee_spec(q, row->fee));
            VENUS_TRY_VOID(store.set_address_fee(a, fee));
            return rpc::json_null();
        })),
        "an address's fee settings (empty or zero fields: unchanged)");

    // ---- shared params, actor config, nodes ----
    add("GetSharedParams", Perm::kRead, 0, 0, sync(keep([&store](const rpc::CallContext&, const JsonValue&) -> Result<RawJson> {
            VENUS_TRY(auto s, store.shared());
            rpc::JsonBuilder b;
            write_shared(b.out(), s);
            return b.take();
        })),
        "the settings every address falls back to");
    add("SetSharedParams", Perm::kAdmin, 1, 1, sync(keep([&store](const rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
            VENUS_TRY(auto cur, store.shared());
            VENUS_TRY(auto s, parse_shared(p[0], cur));
            VENUS_TRY_VOID(store.set_shared(s));
            return rpc::json_null();
        })),
        "changes the shared settings (absent fields: unchanged)");
    add("SaveActorCfg", Perm::kAdmin, 1, 1, sync(keep([&store](const rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
            const auto& q = p[0];
            if (!q.IsObject()) return make_error(Errc::kInvalidArgument, "param 0: expected ActorCfg");
            ActorCfg cfg;
            const auto* code = chain::json_member(q, "code");
            if (!code) return make_error(Errc::kInvalidArgument, "ActorCfg: code missing");
            chain::Cid cid;
            VENUS_TRY_VOID(chain::from_json(*code, cid));
            cfg.code = cid.to_string();
            if (const auto* mth = chain::json_member(q, "method"); mth && mth->IsUint64()) cfg.method = mth->GetUint64();
            if (const auto* v = chain::json_member(q, "actorVersion"); v && v->IsInt64()) cfg.actor_version = v->GetInt64();
            if (const auto* id = chain::json_member(q, "id"); id && id->IsString() && id->GetStringLength() > 0) {
                cfg.id = id->GetString();
            } else {
                cfg.id = api::wire::new_uuid();
            }
            VENUS_TRY(cfg.fee, parse_fee_spec(q, {}));
            cfg.created_at = cfg.updated_at = now_us();
            VENUS_TRY_VOID(store.save_actor_cfg(cfg));
            return rpc::json_null();
        })),
        "fee settings for messages to one actor code and method");
    add("UpdateActorCfg", Perm::kAdmin, 2, 2, sync(keep([&store](const rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
            VENUS_TRY(auto id, str(p, 0, "id"));
            VENUS_TRY(auto cur, store.get_actor_cfg(id));
            if (!cur) return make_error(Errc::kNotFound, "actor config {} not found", id);
            VENUS_TRY(auto fee, parse_fee_spec(p[1], cur->fee));
            VENUS_TRY_VOID(store.update_actor_cfg(id, fee));
            return rpc::json_null();
        })),
        "changes an actor config's fee settings");
    add("ListActorCfg", Perm::kRead, 0, 0, sync(keep([&store](const rpc::CallContext&, const JsonValue&) -> Result<RawJson> {
            VENUS_TRY(auto v, store.list_actor_cfg());
            return list_json(v, write_actor_cfg);
        })),
        "every actor config");
    add("GetActorCfgByID", Perm::kRead, 1, 1, sync(keep([&store](const rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
            VENUS_TRY(auto id, str(p, 0, "id"));
            VENUS_TRY(auto v, store.get_actor_cfg(id));
            if (!v) return make_error(Errc::kNotFound, "actor config {} not found", id);
            rpc::JsonBuilder b;
            write_actor_cfg(b.out(), *v);
            return b.take();
        })),
        "one actor config");
    add("SaveNode", Perm::kAdmin, 1, 1, sync(keep([&store](const rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
            const auto& q = p[0];
            if (!q.IsObject()) return make_error(Errc::kInvalidArgument, "param 0: expected Node");
            Node n;
            auto field = [&](const char* key, std::string& out) -> Status {
                const auto* v = chain::json_member(q, key);
                if (!v || !v->IsString()) return make_error(Errc::kInvalidArgument, "Node: {} must be a string", key);
                out = v->GetString();
                return {};
            };
            VENUS_TRY_VOID(field("name", n.name));
            VENUS_TRY_VOID(field("url", n.url));
            if (chain::json_member(q, "token")) VENUS_TRY_VOID(field("token", n.token));
            if (n.name.empty() || n.name.size() > 255) return make_error(Errc::kInvalidArgument, "Node: name must be 1..255 characters");
            VENUS_TRY_VOID(rpc::parse_api_info(n.token.empty() ? n.url : n.token + ":" + n.url));
            if (const auto* nt = chain::json_member(q, "type"); nt && nt->IsInt()) n.node_type = nt->GetInt();
            n.id = api::wire::new_uuid();
            n.created_at = n.updated_at = now_us();
            VENUS_TRY_VOID(store.save_node(n));
            return rpc::json_null();
        })),
        "adds a node that signed messages are also pushed to");
    add("GetNode", Perm::kAdmin, 1, 1, sync(keep([&store](const rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
            VENUS_TRY(auto name, str(p, 0, "name"));
            VENUS_TRY(auto n, store.get_node(name));
            if (!n) return make_error(Errc::kNotFound, "node {} not found", name);
            rpc::JsonBuilder b;
            write_node(b.out(), *n);
            return b.take();
        })),
        "a push node by name");
    add("HasNode", Perm::kAdmin, 1, 1, sync(keep([&store](const rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
            VENUS_TRY(auto name, str(p, 0, "name"));
            VENUS_TRY(auto n, store.get_node(name));
            return rpc::json_bool(n.has_value());
        })),
        "whether a push node exists");
    add("ListNode", Perm::kAdmin, 0, 0, sync(keep([&store](const rpc::CallContext&, const JsonValue&) -> Result<RawJson> {
            VENUS_TRY(auto v, store.list_nodes());
            return list_json(v, write_node);
        })),
        "every push node");
    add("DeleteNode", Perm::kAdmin, 1, 1, sync(keep([&store](const rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
            VENUS_TRY(auto name, str(p, 0, "name"));
            VENUS_TRY(bool ok, store.delete_node(name));
            if (!ok) return make_error(Errc::kNotFound, "node {} not found", name);
            return rpc::json_null();
        })),
        "removes a push node");
    add("Send", Perm::kSign, 1, 1, push_handler(*threads, 0, keep([m](const rpc::CallContext& c, const JsonValue& p) -> Result<RawJson> {
            VENUS_TRY(auto msg, parse_quick_send(p[0]));
            VENUS_TRY(auto id, m->push(c.claims, "", std::move(msg), SendSpec{}));
            return rpc::json_string(id);
        })),
        "QuickSendParams: a message to an actor method (not a plain transfer); returns its id");
    add("LogList", Perm::kAdmin, 0, 0, sync([](const rpc::CallContext&, const JsonValue&) -> Result<RawJson> {
            std::vector<std::string> names = log::subsystems();
            return list_json(names, [](rpc::JsonOut& o, const std::string& n) { rpc::write_string(o, n); });
        }),
        "log subsystems of this daemon");
    add("SetLogLevel", Perm::kAdmin, 2, 2, sync([](const rpc::CallContext&, const JsonValue& p) -> Result<RawJson> {
            VENUS_TRY(auto subsystem, str(p, 0, "subsystem"));
            VENUS_TRY(auto level, str(p, 1, "level"));
            VENUS_TRY_VOID(log::set_level(subsystem, level));
            return rpc::json_null();
        }),
        "sets a subsystem's log level ('*' for all)");
    // sophon-messager publishes over a libp2p host of its own; venusd's messager pushes through its
    // node's API and the push nodes, so there are no peers to list or connect.
    for (const char* net : {"NetFindPeer", "NetPeers", "NetConnect", "NetAddrsListen"}) {
        add(net, Perm::kAdmin, 0, 1, sync([](const rpc::CallContext&, const JsonValue&) -> Result<RawJson> {
                return make_error(Errc::kUnsupported,
                                  "venusd's messager has no libp2p host: signed messages go to [messager] node and "
                                  "the push nodes (`venusd messager node list`)");
            }),
            "not supported (no libp2p host)");
    }
    add("Version", Perm::kRead, 0, 0, sync([m](const rpc::CallContext&, const JsonValue&) -> Result<RawJson> {
            return RawJson{fmt::format(R"({{"Version":"venusd-messager/1.20.0","APIVersion":65536,"BlockDelay":{}}})",
                                       m->block_delay_secs())};
        }),
        "the messager's version");
    return t;
}

}  // namespace venus::plugins::messager
