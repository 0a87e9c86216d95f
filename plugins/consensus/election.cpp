// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "consensus/election.hpp"

#include <array>
#include <cmath>

#include "consensus/params.hpp"
#include "venus/crypto/bls.hpp"

namespace venus::plugins::consensus {

namespace {

constexpr unsigned kPrecision = 256;

// Lotus's coefficients, integers scaled by 2^128; highest order first.
constexpr std::array<const char*, 8> kExpNum = {
    "-648770010757830093818553637600",
    "67469480939593786226847644286976",
    "-3197587544499098424029388939001856",
    "89244641121992890118377641805348864",
    "-1579656163641440567800982336819953664",
    "17685496037279256458459817590917169152",
    "-115682590513835356866803355398940131328",
    "340282366920938463463374607431768211456",
};
constexpr std::array<const char*, 14> kExpDeno = {
    "1225524182432722209606361",
    "114095592300906098243859450",
    "5665570424063336070530214243",
    "194450132448609991765137938448",
    "5068267641632683791026134915072",
    "104716890604972796896895427629056",
    "1748338658439454459487681798864896",
    "23704654329841312470660182937960448",
    "259380097567996910282699886670381056",
    "2250336698853390384720606936038375424",
    "14978272436876548034486263159246028800",
    "72144088983913131323343765784380833792",
    "224599776407103106596571252037123047424",
    "340282366920938463463374607431768211456",
};

template <std::size_t N>
std::vector<BigInt> parse_coefs(const std::array<const char*, N>& in) {
    std::vector<BigInt> out;
    out.reserve(N);
    for (const char* s : in) out.push_back(BigInt::from_string(s).value() << (kPrecision - 128));
    return out;
}

const std::vector<BigInt>& num_coefs() {
    static const auto v = parse_coefs(kExpNum);
    return v;
}
const std::vector<BigInt>& deno_coefs() {
    static const auto v = parse_coefs(kExpDeno);
    return v;
}

// Horner in Q.256; >> is a floor shift, as Go's big.Int.Rsh on negative values.
BigInt polyval(const std::vector<BigInt>& p, const BigInt& x) {
    BigInt res = p.front();
    for (std::size_t i = 1; i < p.size(); ++i) res = ((res * x) >> kPrecision) + p[i];
    return res;
}

}  // namespace

BigInt expneg(const BigInt& x) {
    const BigInt num = polyval(num_coefs(), x);
    const BigInt deno = polyval(deno_coefs(), x);
    return (num << kPrecision) / deno;
}

BigInt lambda(const BigInt& power, const BigInt& total_power, std::int64_t blocks_per_epoch) {
    return ((power * BigInt(blocks_per_epoch)) << kPrecision) / total_power;
}

Poisson::Poisson(BigInt lam) : lam_(std::move(lam)) {
    pmf_ = expneg(lam_);
    icdf_ = BigInt::pow2(kPrecision) - pmf_;
}

const BigInt& Poisson::next() {
    ++k_;
    pmf_ = pmf_ / BigInt::from_u64(k_);
    pmf_ = (pmf_ * lam_) >> kPrecision;
    icdf_ -= pmf_;
    return icdf_;
}

std::int64_t compute_win_count(BytesView vrf_proof, const BigInt& power, const BigInt& total_power,
                               std::int64_t blocks_per_epoch, std::int64_t max_wins) {
    if (total_power.sign() <= 0 || power.sign() <= 0) return 0;
    const auto h = crypto::blake2b_256(vrf_proof);
    const BigInt lhs = BigInt::from_magnitude(BytesView(h.data(), h.size()));
    Poisson p(lambda(power, total_power, blocks_per_epoch));
    const BigInt* rhs = &p.icdf();
    std::int64_t j = 0;
    while (lhs < *rhs && j < max_wins) {
        rhs = &p.next();
        ++j;
    }
    return j;
}

double ticket_quality(BytesView vrf_proof) {
    const auto h = crypto::blake2b_256(vrf_proof);
    // Lotus converts the Q.256 value with big.Rat.Float64 (round to nearest): the top 64 bits plus
    // a sticky bit for the rest round the same way.
    std::uint64_t top = 0;
    for (std::size_t i = 0; i < 8; ++i) top = (top << 8) | h[i];
    bool rest = false;
    for (std::size_t i = 8; i < h.size(); ++i) rest = rest || h[i] != 0;
    if (rest) top |= 1;
    return 1 - std::ldexp(static_cast<double>(top), -64);
}

Bytes miner_entropy(const chain::Address& miner) {
    Bytes out;
    codec::CborWriter w(out);
    (void)chain::write_address(w, miner);
    return out;
}

Hash256 ticket_randomness(BytesView rbase, const chain::Address& miner, chain::ChainEpoch height,
                          BytesView parent_min_ticket, const ConsensusParams& p) {
    Bytes entropy = miner_entropy(miner);
    if (height > p.upgrade_smoke_height) entropy.insert(entropy.end(), parent_min_ticket.begin(), parent_min_ticket.end());
    return draw_randomness_from_base(rbase, DomainTag::kTicketProduction, height - p.ticket_randomness_lookback, entropy);
}

Hash256 election_randomness(BytesView rbase, const chain::Address& miner, chain::ChainEpoch height) {
    return draw_randomness_from_base(rbase, DomainTag::kElectionProofProduction, height, miner_entropy(miner));
}

Hash256 winning_post_randomness(BytesView rbase, const chain::Address& miner, chain::ChainEpoch height) {
    return draw_randomness_from_base(rbase, DomainTag::kWinningPoStChallengeSeed, height, miner_entropy(miner));
}

Result<Bytes> compute_vrf(const chain::KeyInfo& worker, BytesView randomness) {
    if (worker.type != chain::SigType::kBls) return make_error(Errc::kInvalidArgument, "VRF keys must be BLS");
    VENUS_TRY(auto sig, crypto::bls::sign(worker.private_key, randomness));
    return Bytes(sig.begin(), sig.end());
}

Status verify_vrf(const chain::Address& worker, BytesView randomness, BytesView proof) {
    if (worker.protocol() != chain::Protocol::kBls) {
        return make_error(Errc::kInvalidArgument, "worker {} is not a BLS address", worker.to_string());
    }
    VENUS_TRY(auto ok, crypto::bls::verify(worker.payload(), randomness, proof));
    if (!ok) return make_error(Errc::kInvalidArgument, "vrf was invalid");
    return {};
}

}  // namespace venus::plugins::consensus
