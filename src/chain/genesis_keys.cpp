// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "venus/chain/genesis_keys.hpp"

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <sstream>

#include "venus/chain/json.hpp"

namespace venus::chain {

namespace {

// The index of a genesis with thousands of keys stays far below this.
constexpr std::uintmax_t kMaxIndexBytes = 4u << 20;
constexpr std::uintmax_t kMaxKeyBytes = 64u << 10;

Result<std::string> read_bounded(const std::filesystem::path& p, std::uintmax_t max) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(p, ec);
    if (ec) return make_error(Errc::kIo, "reading {}: {}", p.string(), ec.message());
    if (size > max) return make_error(Errc::kOutOfRange, "{} is larger than {} bytes", p.string(), max);
    std::ifstream f(p, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    if (!f) return make_error(Errc::kIo, "reading {}", p.string());
    return ss.str();
}

}  // namespace

std::filesystem::path genesis_key_dir(const std::filesystem::path& repo) { return repo / "keystore" / "genesis"; }

Result<std::optional<std::vector<GenesisKey>>> read_genesis_key_index(const std::filesystem::path& repo) {
    const auto path = genesis_key_dir(repo) / "genesis-keys.json";
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return std::optional<std::vector<GenesisKey>>{};
    VENUS_TRY(auto text, read_bounded(path, kMaxIndexBytes));
    VENUS_TRY(auto doc, parse_json(text));
    if (!doc.IsArray()) return make_error(Errc::kInvalidArgument, "{}: not a JSON array", path.string());
    std::vector<GenesisKey> out;
    for (const auto& e : doc.GetArray()) {
        if (!e.IsObject() || !e.HasMember("Address") || !e["Address"].IsString() || !e.HasMember("Role") ||
            !e["Role"].IsString()) {
            return make_error(Errc::kInvalidArgument, "{}: every entry needs Address and Role strings", path.string());
        }
        auto addr = Address::parse(e["Address"].GetString());
        if (!addr) return addr.error().wrap(path.string());
        GenesisKey k{*addr, e["Role"].GetString(), std::nullopt};
        if (e.HasMember("Miner")) {
            if (!e["Miner"].IsString()) return make_error(Errc::kInvalidArgument, "{}: Miner is not a string", path.string());
            auto m = Address::parse(e["Miner"].GetString());
            if (!m) return m.error().wrap(path.string());
            k.miner = *m;
        }
        out.push_back(std::move(k));
    }
    return std::optional<std::vector<GenesisKey>>(std::move(out));
}

Result<KeyInfo> read_genesis_key(const std::filesystem::path& repo, const Address& address) {
    const auto path = genesis_key_dir(repo) / (address.to_string() + ".key");
    VENUS_TRY(auto text, read_bounded(path, kMaxKeyBytes));
    VENUS_TRY(auto key, parse_key_info_json(text));
    VENUS_TRY(auto derived, key_address(key));
    if (!(derived == address)) {
        return make_error(Errc::kInvalidArgument, "{} holds the key of {}", path.string(), derived.to_string());
    }
    return key;
}

std::vector<Address> genesis_miners(const std::vector<GenesisKey>& index) {
    std::vector<Address> out;
    for (const auto& k : index) {
        if (k.miner && std::find(out.begin(), out.end(), *k.miner) == out.end()) out.push_back(*k.miner);
    }
    return out;
}

}  // namespace venus::chain
