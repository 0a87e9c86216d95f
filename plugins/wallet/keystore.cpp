// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "keystore.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>

#include "venus/app/repo.hpp"
#include "venus/rpc/json.hpp"

namespace venus::plugins::wallet {

namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t kScryptN = 1u << 15;  // ~50 ms and 32 MiB per derivation
constexpr std::uint64_t kScryptR = 8;
constexpr std::uint64_t kScryptP = 1;
constexpr std::string_view kSealedMarker = "\"Sealed\"";

Result<Bytes> derive(const std::string& passphrase, BytesView salt) {
    Bytes key(32);
    if (EVP_PBE_scrypt(passphrase.data(), passphrase.size(), salt.data(), salt.size(), kScryptN, kScryptR, kScryptP,
                       64u << 20, key.data(), key.size()) != 1) {
        return make_error(Errc::kInternal, "scrypt failed");
    }
    return key;
}

struct CipherCtx {
    EVP_CIPHER_CTX* p = EVP_CIPHER_CTX_new();
    ~CipherCtx() { EVP_CIPHER_CTX_free(p); }
};

}  // namespace

Result<std::string> Keystore::seal(const chain::KeyInfo& key, const std::string& passphrase) {
    Bytes salt(16), nonce(12);
    if (RAND_bytes(salt.data(), 16) != 1 || RAND_bytes(nonce.data(), 12) != 1) {
        return make_error(Errc::kInternal, "no randomness for the keystore");
    }
    VENUS_TRY(auto k, derive(passphrase, salt));
    const auto plain = chain::key_info_json(key);
    Bytes out(plain.size() + 16);
    Bytes tag(16);
    CipherCtx c;
    int len = 0, fin = 0;
    if (c.p == nullptr || EVP_EncryptInit_ex(c.p, EVP_aes_256_gcm(), nullptr, k.data(), nonce.data()) != 1 ||
        EVP_EncryptUpdate(c.p, out.data(), &len, reinterpret_cast<const unsigned char*>(plain.data()),
                          static_cast<int>(plain.size())) != 1 ||
        EVP_EncryptFinal_ex(c.p, out.data() + len, &fin) != 1 ||
        EVP_CIPHER_CTX_ctrl(c.p, EVP_CTRL_GCM_GET_TAG, 16, tag.data()) != 1) {
        return make_error(Errc::kInternal, "AES-GCM encryption failed");
    }
    out.resize(static_cast<std::size_t>(len + fin));
    rpc::JsonBuilder b;
    auto& o = b.out();
    o.StartObject();
    rpc::write_key(o, "Sealed");
    o.Uint(1);
    rpc::write_key(o, "Kdf");
    rpc::write_string(o, fmt::format("scrypt:{}:{}:{}", kScryptN, kScryptR, kScryptP));
    rpc::write_key(o, "Salt");
    rpc::write_string(o, to_hex(salt));
    rpc::write_key(o, "Nonce");
    rpc::write_string(o, to_hex(nonce));
    rpc::write_key(o, "Ciphertext");
    rpc::write_string(o, to_hex(out));
    rpc::write_key(o, "Tag");
    rpc::write_string(o, to_hex(tag));
    o.EndObject();
    return b.take().text;
}

Result<chain::KeyInfo> Keystore::unseal(std::string_view text, const std::optional<std::string>& passphrase) {
    if (text.find(kSealedMarker) == std::string_view::npos) return chain::parse_key_info_json(text);
    if (!passphrase) return make_error(Errc::kPermissionDenied, "the key is encrypted: set [wallet] passphrase_file");
    rpc::JsonDocument doc;
    VENUS_TRY_VOID(rpc::parse_json(text, doc));
    auto field = [&](const char* k) -> Result<Bytes> {
        if (!doc.IsObject() || !doc.HasMember(k) || !doc[k].IsString()) {
            return make_error(Errc::kInvalidArgument, "sealed key: missing {}", k);
        }
        return from_hex(doc[k].GetString());
    };
    VENUS_TRY(auto salt, field("Salt"));
    VENUS_TRY(auto nonce, field("Nonce"));
    VENUS_TRY(auto ct, field("Ciphertext"));
    VENUS_TRY(auto tag, field("Tag"));
    if (nonce.size() != 12 || tag.size() != 16) return make_error(Errc::kInvalidArgument, "sealed key: bad nonce or tag");
    VENUS_TRY(auto k, derive(*passphrase, salt));
    Bytes plain(ct.size() + 16);
    CipherCtx c;
    int len = 0, fin = 0;
    if (c.p == nullptr || EVP_DecryptInit_ex(c.p, EVP_aes_256_gcm(), nullptr, k.data(), nonce.data()) != 1 ||
        EVP_DecryptUpdate(c.p, plain.data(), &len, ct.data(), static_cast<int>(ct.size())) != 1 ||
        EVP_CIPHER_CTX_ctrl(c.p, EVP_CTRL_GCM_SET_TAG, 16, tag.data()) != 1 ||
        EVP_DecryptFinal_ex(c.p, plain.data() + len, &fin) != 1) {
        return make_error(Errc::kPermissionDenied, "cannot decrypt the key: wrong passphrase or damaged file");
    }
    plain.resize(static_cast<std::size_t>(len + fin));
    return chain::parse_key_info_json(as_string(plain));
}

Result<std::unique_ptr<Keystore>> Keystore::open(fs::path dir, std::optional<std::string> passphrase) {
    VENUS_TRY_VOID(app::ensure_dir(dir));
    std::unique_ptr<Keystore> ks(new Keystore(dir, std::move(passphrase)));
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const auto& p = entry.path();
        if (p.extension() != ".key") continue;
        VENUS_TRY(auto text, app::read_file(p));
        auto key = unseal(text, ks->passphrase_);
        if (!key) return key.error().wrap(p.filename().string());
        VENUS_TRY(auto addr, chain::key_address(*key));
        ks->keys_[addr] = std::move(*key);
    }
    if (ec) return make_error(Errc::kIo, "reading {}: {}", dir.string(), ec.message());
    if (auto d = app::read_file(dir / "default"); d) {
        auto text = *d;
        while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
        if (auto a = chain::Address::parse(text); a && ks->keys_.contains(*a)) ks->default_ = *a;
    }
    return ks;
}

fs::path Keystore::file_of(const chain::Address& a) const {
    // Network-independent names: the same keystore works for t and f prefixes.
    return dir_ / (to_hex(a.bytes()) + ".key");
}

std::vector<chain::Address> Keystore::list() const {
    std::lock_guard lock(mu_);
    std::vector<chain::Address> out;
    for (const auto& [a, k] : keys_) out.push_back(a);
    return out;
}

bool Keystore::has(const chain::Address& a) const {
    std::lock_guard lock(mu_);
    return keys_.contains(a);
}

Result<chain::KeyInfo> Keystore::get(const chain::Address& a) const {
    std::lock_guard lock(mu_);
    auto it = keys_.find(a);
    if (it == keys_.end()) return make_error(Errc::kNotFound, "key not found for {}", a.to_string());
    return it->second;
}

Result<chain::Address> Keystore::put(const chain::KeyInfo& key) {
    VENUS_TRY(auto addr, chain::key_address(key));
    std::string text;
    if (passphrase_) {
        VENUS_TRY(text, seal(key, *passphrase_));
    } else {
        text = chain::key_info_json(key);
    }
    std::lock_guard lock(mu_);
    VENUS_TRY_VOID(app::write_private_file(file_of(addr), text));
    keys_[addr] = key;
    return addr;
}

Status Keystore::remove(const chain::Address& a) {
    std::lock_guard lock(mu_);
    if (keys_.erase(a) == 0) return make_error(Errc::kNotFound, "key not found for {}", a.to_string());
    std::error_code ec;
    fs::remove(file_of(a), ec);
    if (ec) return make_error(Errc::kIo, "removing key file: {}", ec.message());
    if (default_ == a) {
        default_.reset();
        fs::remove(dir_ / "default", ec);
    }
    return {};
}

std::optional<chain::Address> Keystore::default_address() const {
    std::lock_guard lock(mu_);
    return default_;
}

Status Keystore::set_default(const chain::Address& a) {
    std::lock_guard lock(mu_);
    if (!keys_.contains(a)) return make_error(Errc::kNotFound, "key not found for {}", a.to_string());
    VENUS_TRY_VOID(app::write_private_file(dir_ / "default", a.to_string() + "\n"));
    default_ = a;
    return {};
}

}  // namespace venus::plugins::wallet
