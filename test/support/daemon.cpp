// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "support/daemon.hpp"

#include <cstdlib>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <thread>

#include <asio/connect.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

namespace venus::test {

// VENUSD_BINARY runs the integration tests against another build (e.g. build-asan/src/venusd).
std::filesystem::path venusd_binary() {
    if (const char* other = std::getenv("VENUSD_BINARY"); other != nullptr && *other != '\0') return other;
    return std::filesystem::path(VENUS_BINARY_DIR) / "src" / "venusd";
}

namespace {
std::vector<char*> to_argv(std::vector<std::string>& args) {
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    return argv;
}

std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}
}  // namespace

CommandResult run_venusd(const std::vector<std::string>& args, const std::string& input) {
    TempDir tmp;
    const auto in_path = tmp.path() / "stdin";
    const auto out_path = tmp.path() / "stdout";
    const auto err_path = tmp.path() / "stderr";
    std::ofstream(in_path, std::ios::binary) << input;
    std::vector<std::string> full{venusd_binary().string()};
    full.insert(full.end(), args.begin(), args.end());
    pid_t pid = ::fork();
    if (pid == 0) {
        int in = ::open(in_path.c_str(), O_RDONLY);
        int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ::dup2(in, 0);
        ::dup2(out, 1);
        ::dup2(err, 2);
        auto argv = to_argv(full);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    CommandResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = slurp(out_path);
    r.err = slurp(err_path);
    return r;
}

Daemon::Daemon(std::vector<std::string> extra_args, std::string config_toml, std::optional<std::filesystem::path> repo) {
    if (repo) {
        repo_ = *repo;
    } else {
        temp_.emplace();
        repo_ = temp_->path() / "repo";
    }
    std::filesystem::create_directories(repo_);
    if (!config_toml.empty()) std::ofstream(repo_ / "config.toml") << config_toml;
    stderr_path_ = repo_.parent_path() / (repo_.filename().string() + ".stderr");
    args_ = {venusd_binary().string(), "--repo", repo_.string(), "run"};
    bool has_listen = false;
    for (const auto& a : extra_args) has_listen = has_listen || a == "--listen";
    if (!has_listen && config_toml.find("listen") == std::string::npos) {
        args_.push_back("--listen");
        args_.push_back("/ip4/127.0.0.1/tcp/0");
    }
    args_.insert(args_.end(), extra_args.begin(), extra_args.end());
}

Daemon::~Daemon() {
    if (running()) stop(SIGKILL);
}

bool Daemon::start(std::chrono::milliseconds timeout) {
    std::filesystem::remove(repo_ / "api");
    pid_ = ::fork();
    if (pid_ == 0) {
        int err = ::open(stderr_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        int devnull = ::open("/dev/null", O_RDWR);
        ::dup2(devnull, 0);
        ::dup2(devnull, 1);
        ::dup2(err, 2);
        auto argv = to_argv(args_);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    return wait_until(
        [&] {
            if (!running()) return true;  // exited early: stop waiting
            if (!std::filesystem::exists(repo_ / "api")) return false;
            asio::io_context io;
            asio::ip::tcp::socket s(io);
            asio::error_code ec;
            const auto addr = api_info().addr;  // a test host may listen on another loopback address
            s.connect({asio::ip::make_address(addr.host.empty() ? "127.0.0.1" : addr.host), addr.port}, ec);
            return !ec;
        },
        timeout) && running();
}

bool Daemon::running() const {
    if (pid_ <= 0) return false;
    int status = 0;
    return ::waitpid(pid_, &status, WNOHANG) == 0;
}

void Daemon::send_signal(int signal) const {
    if (pid_ > 0) ::kill(pid_, signal);
}

int Daemon::stop(int signal, std::chrono::milliseconds timeout) {
    if (pid_ <= 0) return -1;
    ::kill(pid_, signal);
    int status = 0;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        pid_t r = ::waitpid(pid_, &status, WNOHANG);
        if (r == pid_) {
            pid_ = -1;
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return -2;  // did not stop in time
}

std::string Daemon::token() const {
    auto t = slurp(repo_ / "token");
    while (!t.empty() && (t.back() == '\n' || t.back() == '\r')) t.pop_back();
    return t;
}

rpc::ApiInfo Daemon::api_info() const {
    auto info = rpc::parse_api_info(slurp(repo_ / "api"));
    rpc::ApiInfo out = info ? *info : rpc::ApiInfo{};
    out.token = token();
    return out;
}

std::uint16_t Daemon::port() const { return api_info().addr.port; }

std::string Daemon::log() const { return slurp(stderr_path_); }

}  // namespace venus::test
