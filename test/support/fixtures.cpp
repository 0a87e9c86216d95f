// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "support/fixtures.hpp"

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace venus::test {

TempDir::TempDir() {
    std::random_device rd;
    for (int attempt = 0; attempt < 100; ++attempt) {
        auto candidate = std::filesystem::temp_directory_path() /
                         ("venusd-test-" + std::to_string(rd()) + std::to_string(attempt));
        if (std::filesystem::create_directory(candidate)) {
            path_ = candidate;
            return;
        }
    }
    throw std::runtime_error("cannot create a temporary directory");
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

std::optional<std::filesystem::path> shared_vectors(const std::string& rel) {
    std::filesystem::path base;
    if (const char* env = std::getenv("VENUS_SHARED_VECTORS")) {
        base = env;
    } else {
        base = std::filesystem::path(VENUS_SOURCE_DIR) / ".." / "shared" / "vectors";
    }
    auto p = base / rel;
    if (std::filesystem::exists(p)) return p;
    return std::nullopt;
}

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + p.string());
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

bool wait_until(const std::function<bool()>& cond, std::chrono::milliseconds timeout,
                std::chrono::milliseconds step) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (cond()) return true;
        std::this_thread::sleep_for(step);
    }
    return cond();
}

}  // namespace venus::test
