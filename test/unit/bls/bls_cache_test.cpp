// SPDX-License-Identifier: Apache-2.0 OR MIT
// The verified-signature cache: hits skip the pairing, failures are never cached, the size is bounded,
// and concurrent use is safe.
#include <thread>

#include "bls_test_util.hpp"
#include "venus/crypto/bls.hpp"

using namespace venus;
using namespace venus::test::bls;
namespace bls = venus::crypto::bls;

namespace {
struct Triple {
    bls::PublicKeyBytes pk;
    Bytes msg;
    bls::SignatureBytes sig;
};
Triple make_triple(std::uint8_t i) {
    Bytes sk = hex("ba9d6da7623aa003eb4b28805b572103d528df60e23f2fa70dbe5297b057993d");
    sk[3] = i;
    Triple t;
    t.pk = *bls::public_key_from_private(sk);
    t.msg = Bytes{i, 1, 2, 3};
    t.sig = *bls::sign(sk, t.msg);
    return t;
}
}  // namespace

TEST_CASE("bls cache: a verified triple is answered from the cache", "[unit][bls][cache]") {
    bls::VerifiedCache cache(8);
    const Triple t = make_triple(1);
    CHECK_FALSE(cache.contains(t.pk, t.msg, t.sig));
    auto r1 = cache.verify(t.pk, t.msg, t.sig);
    REQUIRE(r1.ok());
    CHECK(*r1);
    CHECK(cache.contains(t.pk, t.msg, t.sig));
    CHECK(cache.misses() == 1);
    auto r2 = cache.verify(t.pk, t.msg, t.sig);
    REQUIRE(r2.ok());
    CHECK(*r2);
    CHECK(cache.hits() == 1);

    // Failures are not remembered; a different message is a different entry.
    Bytes other = t.msg;
    other[0] ^= 0xff;
    auto r3 = cache.verify(t.pk, other, t.sig);
    REQUIRE(r3.ok());
    CHECK_FALSE(*r3);
    CHECK_FALSE(cache.contains(t.pk, other, t.sig));
    CHECK(cache.size() == 1);
    // Malformed input is an error, not cached.
    CHECK_FALSE(cache.verify(t.pk, t.msg, Bytes(3, 0)).ok());
    CHECK(cache.size() == 1);
}

TEST_CASE("bls cache: bounded, least recently used evicted", "[unit][bls][cache]") {
    bls::VerifiedCache cache(3);
    std::vector<Triple> ts;
    for (std::uint8_t i = 0; i < 5; ++i) ts.push_back(make_triple(i));
    for (int i = 0; i < 3; ++i) cache.insert(ts[i].pk, ts[i].msg, ts[i].sig);
    CHECK(cache.contains(ts[0].pk, ts[0].msg, ts[0].sig));
    // Touch 0 through verify so that 1 is now the least recently used.
    REQUIRE(*cache.verify(ts[0].pk, ts[0].msg, ts[0].sig));
    cache.insert(ts[3].pk, ts[3].msg, ts[3].sig);
    CHECK(cache.size() == 3);
    CHECK(cache.contains(ts[0].pk, ts[0].msg, ts[0].sig));
    CHECK_FALSE(cache.contains(ts[1].pk, ts[1].msg, ts[1].sig));
    CHECK(cache.contains(ts[3].pk, ts[3].msg, ts[3].sig));
}

TEST_CASE("bls cache: concurrent verification", "[unit][bls][cache]") {
    bls::VerifiedCache cache(16);
    std::vector<Triple> ts;
    for (std::uint8_t i = 0; i < 4; ++i) ts.push_back(make_triple(i));
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int th = 0; th < 4; ++th) {
        threads.emplace_back([&, th] {
            for (int k = 0; k < 6; ++k) {
                const Triple& t = ts[static_cast<std::size_t>((th + k) % 4)];
                auto r = cache.verify(t.pk, t.msg, t.sig);
                if (!r.ok() || !*r) ++failures;
            }
        });
    }
    for (auto& t : threads) t.join();
    CHECK(failures == 0);
    CHECK(cache.size() == 4);
    CHECK(cache.hits() + cache.misses() == 24);
}
