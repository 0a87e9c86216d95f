// SPDX-License-Identifier: Apache-2.0 OR MIT
// The Gateway.* method table (sophon-gateway v2 API; /rpc/v1 and /rpc/v0 get the v1 wallet signatures).
#include "rpc_methods.hpp"

#include "venus/chain/address.hpp"

namespace venus::plugins::gateway {

namespace {

using rpc::CallContext;
using rpc::Exec;
using rpc::JsonValue;
using rpc::Perm;
using rpc::Reply;

bool is_v2(const CallContext& c) { return c.path.rfind("/rpc/v2", 0) == 0; }

Result<chain::Address> param_address(const JsonValue& p, std::size_t i) {
    VENUS_TRY(auto s, rpc::param_string(p, i));
    auto a = chain::Address::parse(s);
    if (!a) return a.error().wrap(fmt::format("param {}", i));
    return std::move(*a);
}

Result<std::vector<std::string>> param_strings(const JsonValue& p, std::size_t i) {
    const auto& v = p[static_cast<rapidjson::SizeType>(i)];
    std::vector<std::string> out;
    if (v.IsNull()) return out;
    if (!v.IsArray()) return make_error(Errc::kInvalidArgument, "param {}: expected an array of strings", i);
    for (const auto& e : v.GetArray()) {
        if (!e.IsString()) return make_error(Errc::kInvalidArgument, "param {}: expected an array of strings", i);
        out.emplace_back(e.GetString(), e.GetStringLength());
    }
    return out;
}

Result<std::vector<chain::Address>> param_addresses(const JsonValue& p, std::size_t i) {
    VENUS_TRY(auto list, param_strings(p, i));
    std::vector<chain::Address> out;
    for (const auto& s : list) {
        auto a = chain::Address::parse(s);
        if (!a) return a.error().wrap(fmt::format("param {}", i));
        out.push_back(*a);
    }
    return out;
}

Result<Bytes> param_bytes(const JsonValue& p, std::size_t i) {
    const auto& v = p[static_cast<rapidjson::SizeType>(i)];
    if (v.IsNull()) return Bytes{};
    if (!v.IsString()) return make_error(Errc::kInvalidArgument, "param {}: expected base64 bytes", i);
    auto b = from_base64(std::string_view(v.GetString(), v.GetStringLength()));
    if (!b) return b.error().wrap(fmt::format("param {}", i));
    return std::move(*b);
}

rpc::Handler raw_reply(std::function<void(GatewayService&, CallContext&, const JsonValue&, Hub::Done)> fn,
                       std::shared_ptr<GatewayService> svc) {
    return [fn = std::move(fn), svc](CallContext& c, const JsonValue& p, Reply reply) {
        auto shared = std::make_shared<Reply>(std::move(reply));
        fn(*svc, c, p, [shared](Result<std::string> r) {
            if (!r) return shared->error(r.error());
            shared->ok(rpc::RawJson{std::move(*r)});
        });
    };
}

}  // namespace

std::vector<rpc::MethodSpec> method_table(std::shared_ptr<GatewayService> svc, std::string version) {
    std::vector<rpc::MethodSpec> t;
    auto sync = [&](std::string name, Perm perm, Exec exec, int min, int max,
                    std::function<Result<rpc::RawJson>(GatewayService&, CallContext&, const JsonValue&)> fn,
                    std::string doc) {
        t.push_back({"Gateway." + name, perm, exec, min, max,
                     rpc::sync_handler([svc, fn = std::move(fn)](CallContext& c, const JsonValue& p) { return fn(*svc, c, p); }),
                     std::move(doc)});
    };

    sync("Version", Perm::kRead, Exec::kInline, 0, 0,
         [version](GatewayService&, CallContext&, const JsonValue&) -> Result<rpc::RawJson> {
             rpc::JsonBuilder b;
             b.out().StartObject();
             rpc::write_key(b.out(), "Version");
             rpc::write_string(b.out(), version);
             rpc::write_key(b.out(), "APIVersion");
             b.out().Uint(0);
             b.out().EndObject();
             return b.take();
         },
         "the gateway's version");

    // ---- wallets ----
    t.push_back({"Gateway.ListenWalletEvent", Perm::kRead, Exec::kWorker, 1, 1,
                 [svc](CallContext& c, const JsonValue& p, Reply r) { svc->listen_wallet(c, p, std::move(r)); },
                 "a wallet connects: a channel of RequestEvent (WalletList, WalletSign, InitConnect)"});
    sync("ResponseWalletEvent", Perm::kRead, Exec::kInline, 1, 1,
         [](GatewayService& s, CallContext&, const JsonValue& p) -> Result<rpc::RawJson> {
             VENUS_TRY_VOID(s.respond(p));
             return rpc::json_null();
         },
         "a wallet answers a RequestEvent");
    sync("SupportNewAccount", Perm::kRead, Exec::kWorker, 2, 2,
         [](GatewayService& s, CallContext& c, const JsonValue& p) -> Result<rpc::RawJson> {
             VENUS_TRY(auto channel, rpc::param_string(p, 0));
             VENUS_TRY(auto account, rpc::param_string(p, 1));
             VENUS_TRY_VOID(s.support_new_account(c.claims, std::string(channel), std::string(account)));
             return rpc::json_null();
         },
         "a connected wallet serves one more account (signers registered in auth)");
    t.push_back({"Gateway.AddNewAddress", Perm::kRead, Exec::kWorker, 2, 2,
                 [svc](CallContext& c, const JsonValue& p, Reply reply) {
                     auto channel = rpc::param_string(p, 0);
                     if (!channel) return reply.error(channel.error());
                     auto addrs = param_addresses(p, 1);
                     if (!addrs) return reply.error(addrs.error());
                     auto shared = std::make_shared<Reply>(std::move(reply));
                     svc->add_new_address(c.claims, std::string(*channel), std::move(*addrs), [shared](Status st) {
                         if (!st) return shared->error(st.error());
                         shared->ok(rpc::json_null());
                     });
                 },
                 "a connected wallet announces new addresses (each proven by the challenge)"});
    sync("RemoveAddress", Perm::kRead, Exec::kInline, 2, 2,
         [](GatewayService& s, CallContext& c, const JsonValue& p) -> Result<rpc::RawJson> {
             VENUS_TRY(auto channel, rpc::param_string(p, 0));
             VENUS_TRY(auto addrs, param_addresses(p, 1));
             VENUS_TRY_VOID(s.remove_address(c.claims, std::string(channel), addrs));
             return rpc::json_null();
         },
         "a connected wallet withdraws addresses (auth bindings are kept)");
    sync("ListWalletInfo", Perm::kAdmin, Exec::kInline, 0, 0,
         [](GatewayService& s, CallContext&, const JsonValue&) -> Result<rpc::RawJson> { return s.list_wallet_info(); },
         "connected wallets by account");
    sync("ListWalletInfoByWallet", Perm::kAdmin, Exec::kInline, 1, 1,
         [](GatewayService& s, CallContext&, const JsonValue& p) -> Result<rpc::RawJson> {
             VENUS_TRY(auto account, rpc::param_string(p, 0));
             return s.list_wallet_info_by_wallet(std::string(account));
         },
         "one account's wallet connections");
    sync("WalletHas", Perm::kAdmin, Exec::kInline, 2, 2,
         [](GatewayService& s, CallContext& c, const JsonValue& p) -> Result<rpc::RawJson> {
             std::vector<std::string> accounts;
             chain::Address addr;
             if (is_v2(c)) {
                 VENUS_TRY(addr, param_address(p, 0));
                 VENUS_TRY(accounts, param_strings(p, 1));
             } else {
                 VENUS_TRY(auto account, rpc::param_string(p, 0));
                 accounts.emplace_back(account);
                 VENUS_TRY(addr, param_address(p, 1));
             }
             VENUS_TRY(bool has, s.wallet_has(accounts, addr));
             return rpc::json_bool(has);
         },
         "v2 (addr, accounts) / v1 (account, addr): a connected wallet holds the address");
    t.push_back({"Gateway.WalletSign", Perm::kAdmin, Exec::kInline, 4, 4,
                 raw_reply(
                     [](GatewayService& s, CallContext& c, const JsonValue& p, Hub::Done done) {
                         std::vector<std::string> accounts;
                         Result<chain::Address> addr = chain::Address{};
                         if (is_v2(c)) {
                             addr = param_address(p, 0);
                             auto list = param_strings(p, 1);
                             if (!list) return done(list.error());
                             accounts = std::move(*list);
                         } else {
                             auto account = rpc::param_string(p, 0);
                             if (!account) return done(account.error());
                             accounts.emplace_back(*account);
                             addr = param_address(p, 1);
                         }
                         if (!addr) return done(addr.error());
                         auto to_sign = param_bytes(p, 2);
                         if (!to_sign) return done(to_sign.error());
                         auto meta = api::wire::parse_meta(p[3]);
                         if (!meta) return done(meta.error());
                         s.wallet_sign_json(accounts, *addr, *to_sign, *meta, std::move(done), c.cancel);
                     },
                     svc),
                 "v2 (addr, accounts, toSign, meta) / v1 (account, addr, toSign, meta): signed by a connected wallet"});

    // ---- provers ----
    t.push_back({"Gateway.ListenProofEvent", Perm::kRead, Exec::kWorker, 1, 1,
                 [svc](CallContext& c, const JsonValue& p, Reply r) { svc->listen_miner(StreamKind::kProof, c, p, std::move(r)); },
                 "a prover connects for a miner it owns: a channel of RequestEvent (ComputeProof, InitConnect)"});
    sync("ResponseProofEvent", Perm::kRead, Exec::kInline, 1, 1,
         [](GatewayService& s, CallContext&, const JsonValue& p) -> Result<rpc::RawJson> {
             VENUS_TRY_VOID(s.respond(p));
             return rpc::json_null();
         },
         "a prover answers a RequestEvent");
    sync("ListConnectedMiners", Perm::kAdmin, Exec::kInline, 0, 0,
         [](GatewayService& s, CallContext&, const JsonValue&) -> Result<rpc::RawJson> { return s.list_connected_miners(); },
         "miners with at least one prover connection");
    sync("ListMinerConnection", Perm::kAdmin, Exec::kInline, 1, 1,
         [](GatewayService& s, CallContext&, const JsonValue& p) -> Result<rpc::RawJson> {
             VENUS_TRY(auto miner, param_address(p, 0));
             return s.list_miner_connection(miner);
         },
         "a miner's prover connections");
    t.push_back({"Gateway.ComputeProof", Perm::kAdmin, Exec::kInline, 3, 5,
                 raw_reply(
                     [](GatewayService& s, CallContext& c, const JsonValue& p, Hub::Done done) {
                         auto miner = param_address(p, 0);
                         if (!miner) return done(miner.error());
                         auto rand = param_bytes(p, 2);
                         if (!rand) return done(rand.error());
                         // v0 has no height and network version: the wrapper passed 0, 0.
                         std::int64_t height = 0;
                         std::uint64_t nv = 0;
                         if (p.Size() > 3) {
                             auto h = rpc::param_int(p, 3);
                             if (!h) return done(h.error());
                             height = *h;
                         }
                         if (p.Size() > 4) {
                             auto n = rpc::param_uint(p, 4);
                             if (!n) return done(n.error());
                             nv = *n;
                         }
                         rpc::JsonBuilder b;
                         auto& o = b.out();
                         o.StartObject();
                         rpc::write_key(o, "SectorInfos");
                         rpc::write_raw(o, rpc::RawJson{rpc::to_json_text(p[1])});
                         rpc::write_key(o, "Rand");
                         rpc::write_string(o, to_base64(*rand));
                         rpc::write_key(o, "Height");
                         o.Int64(height);
                         rpc::write_key(o, "NWVersion");
                         o.Uint64(nv);
                         o.EndObject();
                         s.send_to_miner(StreamKind::kProof, *miner, "ComputeProof", b.take().text, std::move(done), c.cancel);
                     },
                     svc),
                 "a PoSt computed by the miner's prover"});

    // ---- markets ----
    t.push_back({"Gateway.ListenMarketEvent", Perm::kRead, Exec::kWorker, 1, 1,
                 [svc](CallContext& c, const JsonValue& p, Reply r) { svc->listen_miner(StreamKind::kMarket, c, p, std::move(r)); },
                 "a market (droplet) connects for a miner it owns: a channel of RequestEvent (SectorsUnsealPiece)"});
    sync("ResponseMarketEvent", Perm::kRead, Exec::kInline, 1, 1,
         [](GatewayService& s, CallContext&, const JsonValue& p) -> Result<rpc::RawJson> {
             VENUS_TRY_VOID(s.respond(p));
             return rpc::json_null();
         },
         "a market answers a RequestEvent");
    sync("ListMarketConnectionsState", Perm::kAdmin, Exec::kInline, 0, 0,
         [](GatewayService& s, CallContext&, const JsonValue&) -> Result<rpc::RawJson> { return s.list_market_connections(); },
         "market connections by miner");
    t.push_back({"Gateway.SectorsUnsealPiece", Perm::kAdmin, Exec::kInline, 6, 6,
                 raw_reply(
                     [](GatewayService& s, CallContext& c, const JsonValue& p, Hub::Done done) {
                         auto miner = param_address(p, 0);
                         if (!miner) return done(miner.error());
                         rpc::JsonBuilder b;
                         auto& o = b.out();
                         o.StartObject();
                         const char* keys[] = {"Miner", "PieceCid", "Sid", "Offset", "Size", "Dest"};
                         for (rapidjson::SizeType i = 0; i < 6; ++i) {
                             rpc::write_key(o, keys[i]);
                             rpc::write_raw(o, rpc::RawJson{rpc::to_json_text(p[i])});
                         }
                         o.EndObject();
                         s.send_to_miner(StreamKind::kMarket, *miner, "SectorsUnsealPiece", b.take().text, std::move(done),
                                         c.cancel);
                     },
                     svc),
                 "unseal a piece on the miner's market node (UnsealState)"});

    // ---- proxy ----
    sync("RegisterReverse", Perm::kAdmin, Exec::kInline, 2, 2,
         [](GatewayService& s, CallContext&, const JsonValue& p) -> Result<rpc::RawJson> {
             VENUS_TRY(auto key, rpc::param_string(p, 0));
             VENUS_TRY(auto addr, rpc::param_string(p, 1));
             VENUS_TRY_VOID(s.register_reverse(std::string(key), std::string(addr)));
             return rpc::json_null();
         },
         "set (or with an empty address unset) the backend of an X-VENUS-API-NAMESPACE key");
    sync("ListReverse", Perm::kAdmin, Exec::kInline, 0, 0,
         [](GatewayService& s, CallContext&, const JsonValue&) -> Result<rpc::RawJson> {
             rpc::JsonBuilder b;
             b.out().StartObject();
             for (const auto& [k, v] : s.reverse_proxies()) {
                 rpc::write_key(b.out(), k);
                 rpc::write_string(b.out(), v);
             }
             b.out().EndObject();
             return b.take();
         },
         "venusd: the reverse-proxy table");
    return t;
}

}  // namespace venus::plugins::gateway
