// SPDX-License-Identifier: Apache-2.0 OR MIT
// Replays the fuzz corpus (fuzz/corpus/…) through the same entry points the libFuzzer binaries use,
// plus a few thousand deterministic mutations of it: a short fuzz run in every build (g++ too).
#include <catch2/catch.hpp>

#include <filesystem>
#include <random>

#include "fuzz/fuzz_targets.hpp"
#include "support/fixtures.hpp"

namespace {

std::vector<std::string> corpus(const char* name) {
    std::vector<std::string> out;
    const auto dir = std::filesystem::path(VENUS_SOURCE_DIR) / "fuzz" / "corpus" / name;
    if (!std::filesystem::exists(dir)) return out;
    for (const auto& e : std::filesystem::directory_iterator(dir)) out.push_back(venus::test::read_file(e.path()));
    std::sort(out.begin(), out.end());
    return out;
}

template <typename F>
std::size_t replay(const std::vector<std::string>& seeds, F&& target, int mutations) {
    std::size_t runs = 0;
    for (const auto& s : seeds) {
        target(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
        ++runs;
    }
    std::mt19937_64 rng(7);
    for (int i = 0; i < mutations && !seeds.empty(); ++i) {
        std::string s = seeds[rng() % seeds.size()];
        const int edits = 1 + static_cast<int>(rng() % 4);
        for (int e = 0; e < edits; ++e) {
            const auto pos = s.empty() ? 0 : rng() % s.size();
            switch (rng() % 4) {
                case 0:
                    if (!s.empty()) s[pos] = static_cast<char>(rng());
                    break;
                case 1: s.insert(s.begin() + static_cast<std::ptrdiff_t>(pos), static_cast<char>(rng())); break;
                case 2:
                    if (!s.empty()) s.erase(pos, 1);
                    break;
                default: s.resize(pos); break;
            }
        }
        target(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
        ++runs;
    }
    return runs;
}

}  // namespace

TEST_CASE("fuzz regression: CBOR decoder corpus and mutations", "[unit][codec][fuzz]") {
    const auto seeds = corpus("cbor");
    REQUIRE_FALSE(seeds.empty());
    CHECK(replay(seeds, venus::fuzz::fuzz_cbor, 20000) == seeds.size() + 20000);
}

TEST_CASE("fuzz regression: address parser corpus and mutations", "[unit][codec][fuzz]") {
    const auto seeds = corpus("address");
    REQUIRE_FALSE(seeds.empty());
    CHECK(replay(seeds, venus::fuzz::fuzz_address, 20000) == seeds.size() + 20000);
}
