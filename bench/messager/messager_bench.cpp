// SPDX-License-Identifier: Apache-2.0 OR MIT
// Messager throughput, each next to the raw SQLite insert rate of the same rows in the same run:
//  (a) Message.PushMessage calls accepted per second over JSON-RPC from 16 concurrent clients, against
//      a real `venusd run --enable auth,gateway,node,messager` (selection switched off: ingestion only);
//  (b) one selection round over UnFill messages from many addresses to signed FillMsg (estimate
//      answered in process through the same JSON codecs, secp256k1 signatures by an in-process wallet,
//      one transaction per address), in messages per second.
//
//   venus_messager_bench [messages=20000] [addresses=50] [venusd=build/src/venusd] [push_seconds=10]
#include <fmt/format.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "messager.hpp"
#include "venus/chain/json.hpp"
#include "venus/chain/keys.hpp"
#include "venus/core/log.hpp"
#include "venus/rpc/client.hpp"
#include "venus/storage/sqlite.hpp"

using namespace venus;
using namespace venus::plugins::messager;
using Clock = std::chrono::steady_clock;

namespace {

double secs(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

struct Keys {
    std::vector<chain::KeyInfo> keys;
    std::vector<chain::Address> addrs;
    explicit Keys(std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) {
            keys.push_back(chain::generate_key(chain::SigType::kSecp256k1).value());
            addrs.push_back(chain::key_address(keys.back()).value());
        }
    }
};

Message row(const chain::Address& from, std::size_t i) {
    Message m;
    m.id = api::wire::new_uuid();
    m.msg.from = from;
    m.msg.to = chain::Address::new_id(1000 + i % 7).value();
    m.msg.value = chain::BigInt(static_cast<std::int64_t>(1000 + i));
    m.msg.method = 0;
    m.wallet_name = "bench";
    m.created_at = m.updated_at = now_us();
    return m;
}

// The raw rate: the same rows, INSERTs in transactions of `batch`, nothing else.
double raw_insert_rate(const std::filesystem::path& dir, const Keys& k, std::size_t n, std::size_t batch) {
    auto db = storage::sqlite::open(dir / "raw.db").value();
    (void)storage::migrate(*db, "messager", messager_migrations()).value();
    const auto t0 = Clock::now();
    std::size_t done = 0;
    while (done < n) {
        auto st = db->transaction([&]() -> Status {
            VENUS_TRY(auto ins, db->prepare(
                                    "INSERT INTO messages (id, version, from_addr, nonce, to_addr, amount, gas_limit, "
                                    "gas_fee_cap, gas_premium, method, params, signed_data, unsigned_cid, signed_cid, height, "
                                    "receipt_exit_code, receipt_return_value, receipt_gas_used, tipset_key, meta_expire_epoch, "
                                    "meta_gas_over_estimation, meta_max_fee, meta_gas_over_premium, wallet_name, state, "
                                    "error_msg, is_deleted, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                                    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
            for (std::size_t j = 0; j < batch && done < n; ++j, ++done) {
                const auto m = row(k.addrs[done % k.addrs.size()], done);
                VENUS_TRY_VOID(ins.bind_all(m.id, m.msg.version, m.msg.from.to_string(), m.msg.nonce, m.msg.to.to_string(),
                                            m.msg.value.to_string(), m.msg.gas_limit, std::string("0"), std::string("0"),
                                            m.msg.method, BytesView(), BytesView(), std::string(), std::string(),
                                            std::int64_t{0}, std::int64_t{-1}, BytesView(), std::int64_t{0}, std::string(),
                                            std::int64_t{0}, 0.0, std::string("0"), 0.0, m.wallet_name, std::int64_t{1},
                                            std::string(), std::int64_t{-1}, m.created_at, m.updated_at));
                VENUS_TRY_VOID(ins.execute());
                ins.reset();
            }
            return {};
        });
        if (!st) throw std::runtime_error(st.error().message);
    }
    return static_cast<double>(n) / secs(Clock::now() - t0);
}

// An in-process wallet: signs at once on the calling thread.
class LocalWallet final : public api::Gateway {
  public:
    explicit LocalWallet(const Keys& k) {
        for (std::size_t i = 0; i < k.keys.size(); ++i) keys_[k.addrs[i].to_string()] = k.keys[i];
    }
    void wallet_sign(std::vector<std::string>, chain::Address signer, Bytes to_sign, api::SignMeta, SignDone done) override {
        auto it = keys_.find(signer.to_string());
        if (it == keys_.end()) return done(make_error(Errc::kNotFound, "no key"));
        done(chain::sign(it->second, to_sign));
    }
    Result<bool> wallet_has(const std::vector<std::string>&, const chain::Address& a) override {
        return keys_.count(a.to_string()) > 0;
    }
    void compute_proof(chain::Address, rpc::RawJson, Bytes, std::int64_t, std::uint64_t, JsonDone done) override {
        done(make_error(Errc::kUnsupported, "no prover"));
    }

  private:
    std::map<std::string, chain::KeyInfo> keys_;
};

class OneUserAuth final : public api::Auth {
  public:
    Result<std::vector<api::User>> get_user_by_signer(std::string_view) override {
        return std::vector<api::User>{api::User{"u", "bench", "", api::UserState::kEnabled, 0, 0}};
    }
    Result<bool> signer_exist_in_user(std::string_view, std::string_view) override { return true; }
    Result<std::vector<api::Signer>> list_signers(std::string_view) override { return no(); }
    Result<rpc::Claims> verify(std::string_view) override { return no(); }
    Result<bool> has_user(std::string_view) override { return no(); }
    Result<api::User> get_user(std::string_view) override { return no(); }
    Result<api::User> get_user_by_miner(std::string_view) override { return no(); }
    Result<std::vector<api::UserWithMiners>> list_users_with_miners(std::int64_t, std::int64_t, api::UserState) override {
        return no();
    }
    Result<bool> has_miner(std::string_view) override { return no(); }
    Result<bool> miner_exist_in_user(std::string_view, std::string_view) override { return no(); }
    Result<std::vector<api::Miner>> list_miners(std::string_view) override { return no(); }
    Result<bool> upsert_miner(std::string_view, std::string_view, bool) override { return no(); }
    Result<bool> has_signer(std::string_view) override { return no(); }
    Status register_signers(std::string_view, const std::vector<std::string>&) override { return no(); }
    Status unregister_signers(std::string_view, const std::vector<std::string>&) override { return no(); }
    Result<std::vector<api::RateLimit>> get_user_rate_limits(std::string_view, std::string_view) override { return no(); }

  private:
    static Error no() { return Error(Errc::kUnsupported, "bench auth"); }
};

// The node's side of a round, answered in process: no actors yet (nonce 0), an empty head, and
// GasBatchEstimateMessageGas through the real JSON codecs with fixed gas figures.
Result<rpc::RawJson> fake_node(std::string_view method, const rpc::RawJson& params, std::atomic<std::size_t>& pushed) {
    if (method == "Filecoin.ChainGetMessagesInTipset") return rpc::RawJson{"[]"};
    if (method == "Filecoin.StateGetActor") return make_error(Errc::kNotFound, "actor not found");
    if (method == "Filecoin.StateGetNetworkParams") return rpc::RawJson{R"({"BlockDelaySecs":30})"};
    if (method == "Filecoin.MpoolBatchPushUntrusted") {
        pushed.fetch_add(1);
        return rpc::RawJson{"[]"};
    }
    if (method == "Filecoin.GasBatchEstimateMessageGas") {
        VENUS_TRY(auto p, chain::parse_json(params.text, 256u << 20));
        auto nonce = p[1].GetUint64();
        rpc::JsonBuilder b;
        b.out().StartArray();
        for (const auto& e : p[0].GetArray()) {
            chain::Message m;
            VENUS_TRY_VOID(chain::from_json(e["Msg"], m));
            m.nonce = nonce++;
            m.gas_limit = 1'000'000;
            m.gas_fee_cap = chain::BigInt(200'000);
            m.gas_premium = chain::BigInt(100'000);
            b.out().StartObject();
            rpc::write_key(b.out(), "Msg");
            chain::to_json(b.out(), m);
            rpc::write_key(b.out(), "Err");
            rpc::write_string(b.out(), "");
            b.out().EndObject();
        }
        b.out().EndArray();
        return b.take();
    }
    return make_error(Errc::kNotFound, "bench node: no {}", method);
}

chain::TipSet bench_head(const chain::Address& some) {
    chain::Message probe;
    probe.from = some;
    probe.to = some;
    const auto cid = probe.cid().value();
    chain::BlockHeader h;
    h.miner = chain::Address::new_id(1000).value();
    h.ticket = chain::Ticket{Bytes(96, 1)};
    h.parents = {cid};
    h.height = 10;
    h.parent_state_root = cid;
    h.parent_message_receipts = cid;
    h.messages = cid;
    h.parent_base_fee = chain::BigInt(100);
    return chain::TipSet::create({h}).value();
}

void selection_bench(const std::filesystem::path& dir, const Keys& k, std::size_t n) {
    auto db = storage::sqlite::open(dir / "messager.db").value();
    auto store = MessagerStore::open(*db).value();
    auto shared = store->shared().value();
    shared.sel_msg_num = n / k.addrs.size() + 1;  // one round takes everything
    (void)store->set_shared(shared);
    const auto t_ins = Clock::now();
    for (std::size_t i = 0; i < n; ++i) {
        if (auto st = store->insert_message(row(k.addrs[i % k.addrs.size()], i)); !st) throw std::runtime_error(st.error().message);
    }
    const double push_rate = static_cast<double>(n) / secs(Clock::now() - t_ins);

    std::atomic<std::size_t> pushed{0};
    RpcCaller caller = [&pushed](std::string_view m, const rpc::RawJson& p, std::chrono::milliseconds) {
        return fake_node(m, p, pushed);
    };
    Settings s;
    s.select_concurrency = 2;
    Messager messager(*store, NodeLink(caller), std::make_shared<LocalWallet>(k), std::make_shared<OneUserAuth>(), s);
    const auto head = bench_head(k.addrs[0]);
    const auto t0 = Clock::now();
    if (auto st = messager.select(head); !st) throw std::runtime_error(st.error().message);
    const double round = secs(Clock::now() - t0);
    const auto filled = store->count_state(MsgState::kFill).value();
    auto& c = messager.counters();
    fmt::print("    thread time: load UnFill {:.2f} s, estimate (JSON both ways) {:.2f} s, sign + CIDs {:.2f} s, save {:.2f} s\n",
               static_cast<double>(c.load_us.load()) / 1e6, static_cast<double>(c.estimate_us.load()) / 1e6,
               static_cast<double>(c.sign_us.load()) / 1e6, static_cast<double>(c.save_us.load()) / 1e6);
    const double raw = raw_insert_rate(dir, k, n, n / k.addrs.size());
    fmt::print("(b) selection round: {} UnFill messages from {} addresses -> {} signed FillMsg in {:.3f} s = {:.0f} msgs/s "
               "(secp256k1, 2 threads, {} batch pushes)\n",
               n, k.addrs.size(), filled, round, static_cast<double>(filled) / round, pushed.load());
    fmt::print("    store.insert_message (one transaction per message, address upsert) {:.0f} msgs/s; raw SQLite INSERT "
               "of the same rows in batches of {}: {:.0f} rows/s\n",
               push_rate, n / k.addrs.size(), raw);
}

// ---- (a) over RPC ----

std::string read(const std::filesystem::path& p) {
    std::ifstream f(p);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

void push_bench(const std::filesystem::path& dir, const Keys& k, const std::string& venusd, int seconds) {
    if (!std::filesystem::exists(venusd)) {
        fmt::print("(a) skipped: {} not found\n", venusd);
        return;
    }
    const auto repo = dir / "repo";
    std::filesystem::create_directories(repo);
    std::ofstream(repo / "config.toml") << "[api]\nlisten = \"/ip4/127.0.0.1/tcp/0\"\nthreads = 2\n[log]\nlevel = \"warn\"\n"
                                           "[messager]\nskip_push_message = true\nskip_process_head = true\n";
    std::fflush(stdout);
    const pid_t pid = fork();
    if (pid == 0) {
        const auto err = (dir / "venusd.err").string();
        if (!freopen(err.c_str(), "w", stderr)) _exit(126);
        if (!freopen("/dev/null", "w", stdout)) _exit(126);
        execl(venusd.c_str(), venusd.c_str(), "--repo", repo.c_str(), "run", "--enable", "auth,gateway,node,messager",
              static_cast<char*>(nullptr));
        _exit(127);
    }
    for (int i = 0; i < 300 && read(repo / "api").empty(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::string api = read(repo / "api");
    std::string token = read(repo / "token");
    while (!api.empty() && std::isspace(static_cast<unsigned char>(api.back()))) api.pop_back();
    while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
    auto info = rpc::parse_api_info(token + ":" + api);
    if (!info) {
        fmt::print("(a) skipped: the daemon did not start ({})\n", read(dir / "venusd.err"));
        kill(pid, SIGTERM);
        waitpid(pid, nullptr, 0);
        return;
    }
    // Wait for the messager's methods.
    {
        rpc::HttpRpcClient c(*info, "/rpc/v0");
        for (int i = 0; i < 200 && !c.call("Message.GetSharedParams"); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    std::atomic<std::size_t> ok{0}, failed{0};
    std::atomic<bool> stop{false};
    std::vector<std::thread> clients;
    const auto t0 = Clock::now();
    for (int c = 0; c < 16; ++c) {
        clients.emplace_back([&, c] {
            rpc::HttpRpcClient client(*info, "/rpc/v0");
            std::size_t i = static_cast<std::size_t>(c);
            while (!stop.load()) {
                auto m = row(k.addrs[i % k.addrs.size()], i);
                i += 16;
                auto r = client.call("Message.PushMessage", rpc::RawJson{"[" + chain::to_json_string(m.msg) + ", null]"});
                (r ? ok : failed).fetch_add(1);
            }
        });
    }
    std::this_thread::sleep_for(std::chrono::seconds(seconds));
    stop = true;
    for (auto& t : clients) t.join();
    const double el = secs(Clock::now() - t0);
    kill(pid, SIGTERM);
    waitpid(pid, nullptr, 0);
    const double raw = raw_insert_rate(dir / "repo", k, 20'000, 1);
    fmt::print("(a) Message.PushMessage over HTTP JSON-RPC, 16 clients, {} s: {} accepted ({} failed) = {:.0f} msgs/s; "
               "raw SQLite INSERT of the same rows one per transaction: {:.0f} rows/s\n",
               seconds, ok.load(), failed.load(), static_cast<double>(ok.load()) / el, raw);
}

}  // namespace

int main(int argc, char** argv) {
    const std::size_t n = argc > 1 ? std::stoul(argv[1]) : 20'000;
    const std::size_t addrs = argc > 2 ? std::stoul(argv[2]) : 50;
    const std::string venusd = argc > 3 ? argv[3] : "build/src/venusd";
    const int seconds = argc > 4 ? std::stoi(argv[4]) : 10;
    venus::log::Options lo;
    lo.level = "warn";
    (void)venus::log::init(lo);
    const auto dir = std::filesystem::temp_directory_path() / fmt::format("venus-messager-bench-{}", getpid());
    std::filesystem::create_directories(dir);
    Keys k(addrs);
    selection_bench(dir, k, n);
    push_bench(dir, k, venusd, seconds);
    std::filesystem::remove_all(dir);
    return 0;
}
