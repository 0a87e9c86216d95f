// SPDX-License-Identifier: Apache-2.0 OR MIT
//! Shared test helpers: temporary directories, paths to shared vectors, condition waits.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace venus::test {

//! A fresh directory under the system temp dir, removed with everything in it on destruction.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

  private:
    std::filesystem::path path_;
};

//! `../shared/vectors/<rel>` beside the checkout, if it is there. Tests that need it call
//! `VENUS_REQUIRE_VECTORS(path)`, which skips the test with a visible message otherwise.
std::optional<std::filesystem::path> shared_vectors(const std::string& rel);

//! Reads a whole file; throws on failure (tests only).
std::string read_file(const std::filesystem::path& p);

//! Polls `cond` until it holds or `timeout` passes. Tests never sleep blindly.
bool wait_until(const std::function<bool()>& cond, std::chrono::milliseconds timeout,
                std::chrono::milliseconds step = std::chrono::milliseconds(10));

}  // namespace venus::test

//! Skips (with a WARN that shows in the output) when the shared vectors are absent.
#define VENUS_REQUIRE_VECTORS(var, rel)                                                     \
    auto var##_opt = ::venus::test::shared_vectors(rel);                                    \
    if (!var##_opt) {                                                                       \
        WARN("SKIPPED: ../shared/vectors/" << (rel) << " not found; vector cases not run"); \
        return;                                                                             \
    }                                                                                       \
    const std::filesystem::path var = *var##_opt
