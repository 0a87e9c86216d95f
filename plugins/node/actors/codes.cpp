// SPDX-License-Identifier: Apache-2.0 OR MIT
#include "node/actors/codes.hpp"

#include <array>

namespace venus::plugins::node {

namespace {

struct Entry {
    ActorType type;
    std::string_view name;
    std::string_view code;
};

// Bundle order (builtin-actors build order), which the manifest data keeps.
constexpr std::array<Entry, kActorTypeCount> kEntries = {{
    {ActorType::kSystem, "system", "bafk2bzaceapx3vuukaqkj76ck4k6b46ktle452ek2nxeoy5qrtaxdktchrb6k"},
    {ActorType::kInit, "init", "bafk2bzaceanl3arbn3vbx7qoxjbxbygm3g5rgibypt4ukxia3lhwniqumwmfm"},
    {ActorType::kCron, "cron", "bafk2bzacedzo57rpw6debpc7aaenevimqdw44o47l5kjk27xd6qynjx7spyls"},
    {ActorType::kAccount, "account", "bafk2bzacebl27l7f5dt35gfeukr7kzkenhwisdy53r3gmbagbzzfejfa3ci6a"},
    {ActorType::kPower, "storagepower", "bafk2bzaceattnfxccxgeickyhei4txzi2qj6jaks5h7im4uaqmaoxk2jthlri"},
    {ActorType::kMiner, "storageminer", "bafk2bzacebmdlcmrseltgqqcw36q4njwp5cjw24kqf5q5cohonhbbrhv3hxbk"},
    {ActorType::kMarket, "storagemarket", "bafk2bzaced2fw4smkqrhoshiskvvmdak2vzmkgxijanp24xqumkhyhwioz6bc"},
    {ActorType::kPaymentChannel, "paymentchannel", "bafk2bzacedetue6b2ekilnzam7derkslpuhmy45bhsrcj36tuwpuoyi56i734"},
    {ActorType::kMultisig, "multisig", "bafk2bzacedym2qai72hu53yggfx5czuu7cluu3ft4gyparnw7l624on2uoqqo"},
    {ActorType::kReward, "reward", "bafk2bzacebrtvcnof275odfobuw6k5chzl23p4mac75bg3amnempzauj57i6a"},
    {ActorType::kVerifiedRegistry, "verifiedregistry", "bafk2bzaceat7zehx2y5joxtufcwbx4ium47fw4mrubdlquzpla4esqfzimkas"},
    {ActorType::kDataCap, "datacap", "bafk2bzaceddnadztnvgblxukwhwygtynyiee26itbpkncoolxpspvryspvii4"},
    {ActorType::kPlaceholder, "placeholder", "bafk2bzacedfvut2myeleyq67fljcrw4kkmn5pb5dpyozovj7jpoez5irnc3ro"},
    {ActorType::kEvm, "evm", "bafk2bzacecnukm3qvrefmtrxvazdvghclk67o47p4o42fnpzv4l6cm3etfjqc"},
    {ActorType::kEam, "eam", "bafk2bzacecogdrpspcsorwamsrmtpmofocc5si7bcavo4jhtbcgpxq6rl5s5q"},
    {ActorType::kEthAccount, "ethaccount", "bafk2bzacebxukyx7vernilg3fcz2h4ale43zj2gijpsa5lon2bcqtme32mss6"},
}};

const std::array<Cid, kActorTypeCount>& codes() {
    static const auto table = [] {
        std::array<Cid, kActorTypeCount> out{};
        for (const auto& e : kEntries) out[static_cast<std::size_t>(e.type)] = Cid::parse(e.code).value();
        return out;
    }();
    return table;
}

}  // namespace

std::string_view actor_type_name(ActorType t) noexcept {
    for (const auto& e : kEntries) {
        if (e.type == t) return e.name;
    }
    return "unknown";
}

const Cid& actor_code(ActorType t) { return codes()[static_cast<std::size_t>(t)]; }

std::optional<ActorType> actor_type(const Cid& code) {
    const auto& table = codes();
    for (std::size_t i = 0; i < table.size(); ++i) {
        if (table[i] == code) return static_cast<ActorType>(i);
    }
    return std::nullopt;
}

Bytes manifest_data_cbor() {
    Bytes out;
    chain::CborWriter w(out);
    w.write_array_header(kEntries.size());
    for (const auto& e : kEntries) {
        w.write_array_header(2);
        w.write_text(e.name);
        w.write_cid(actor_code(e.type));
    }
    return out;
}

const Cid& manifest_data_cid() {
    static const Cid c = codec::cbor_cid(manifest_data_cbor());
    return c;
}

Bytes manifest_cbor() {
    Bytes out;
    chain::CborWriter w(out);
    w.write_array_header(2);
    w.write_uint(1);
    w.write_cid(manifest_data_cid());
    return out;
}

const Cid& manifest_cid() {
    static const Cid c = codec::cbor_cid(manifest_cbor());
    return c;
}

Address id_address(std::uint64_t id) { return Address::new_id(id).value(); }

}  // namespace venus::plugins::node
