// SPDX-License-Identifier: GPL-3.0-or-later
// Median time of every stage of both schemes at 256² and 512² on a real MRI slice, next to two baselines
// measured in the same process (AES-256-GCM over the same pixel bytes; PNG encoding of the same image).
// Each scheme and size runs in a fresh process of this program so its peak resident memory is its own.
#include "../BenchSupport.h"
#include "Evaluation.h"

#include "crypto/AesGcm.h"
#include "crypto/Digest.h"
#include "emr/EmrImageCodec.h"
#include "emr/EmrSealer.h"
#include "emr/HiNet.h"
#include "emr/LscChaoticCipher.h"
#include "io/ImageIo.h"
#include "keyregion/ArnoldScrambler.h"
#include "keyregion/KeyRegionProtector.h"
#include "keyregion/PredictionErrorExpander.h"
#include "keyregion/QrCodec.h"
#include "keyregion/TextureMap.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <random>

namespace medveil::evaluation {

using bench::medianMs;

namespace {

const InfoPairs kInfo = {{"hospital", "Union Hospital"}, {"department", "Radiology"}, {"type", "MRI"}};

nlohmann::json baselines(const Image& image, int runs)
{
    const Bytes pixels = image.pixelBytes();
    const Bytes key = sha256(toBytes("speed baseline"));
    return {{"aes_256_gcm_ms", medianMs(runs, [&] { (void)AesGcm::seal(key, pixels); })},
            {"png_encode_ms", medianMs(runs, [&] { (void)encodePng(image); })}};
}

nlohmann::json keyRegionStages(const Image& image)
{
    constexpr int kRuns = 9;
    const RsaKey key = *RsaKey::generate(2048);
    ProtectOptions options;
    options.info = kInfo;
    options.measureQuality = false;
    auto sample = KeyRegionProtector::protect(image, key, options);
    if (!sample)
        return {{"error", sample.error().message}};
    const Rect region = sample->report.region;
    const double threshold = sample->report.threshold;
    nlohmann::json stages = nlohmann::json::object();
    stages["find_key_region"] =
        medianMs(kRuns, [&] { (void)KeyRegionProtector::candidateRegions(image, kInfo); });
    stages["texture_map"] = medianMs(kRuns, [&] { (void)TextureMap::compute(image, region, threshold); });
    const TextureMap texture = TextureMap::compute(image, region, threshold);
    const auto mask = PredictionErrorExpander::eligibleMask(texture, region, image.width(), image.height());
    const PredictionErrorExpander pee(image.width(), image.height(), mask, options.maxPasses,
                                      options.coverage);
    std::mt19937 rng(1);
    std::vector<uint8_t> bits(sample->report.payloadBits);
    for (auto& b : bits)
        b = uint8_t(rng() & 1u);
    stages["pee_embed_payload"] = medianMs(kRuns, [&] {
        Image marked = image.clone();
        (void)pee.embed(marked, bits);
    });
    const auto blocks = texture.textureBlocks();
    const ArnoldScrambler arnold = *ArnoldScrambler::fromKey(sha256(toBytes("arnold")), blocks.size());
    stages["arnold_scramble"] = medianMs(kRuns, [&] {
        Image copy = image.clone();
        (void)arnold.scramble(copy, blocks);
    });
    const QrContent content{kInfo, Bytes(256, 0xA5)};
    stages["qr_encode_render"] = medianMs(kRuns, [&] {
        auto symbol = QrCodec::encode(content, region.width);
        Image copy = image.clone();
        (void)QrCodec::render(symbol->first, symbol->second, 255, copy, region);
    });
    stages["protect_total"] =
        medianMs(kRuns, [&] { (void)KeyRegionProtector::protect(image, key, options); });
    stages["recover_total"] =
        medianMs(kRuns, [&] { (void)KeyRegionProtector::recover(sample->image, sample->metadata, key); });
    return {{"stages_ms", stages}, {"baselines_ms", baselines(image, kRuns)}, {"threshold", threshold}};
}

nlohmann::json emrStages(const Paths& paths, const Image& image)
{
    constexpr int kRuns = 9, kNetworkRuns = 3;
    std::ifstream in(paths.notes / "en_discharge.txt", std::ios::binary);
    std::string note((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (note.empty())
        note = "Discharge summary: no acute intracranial abnormality.";
    const Bytes paddingKey = sha256(toBytes("speed padding"));
    const EmrImageCodec codec(4);
    nlohmann::json stages = nlohmann::json::object();
    stages["emr_encode"] =
        medianMs(kRuns, [&] { (void)codec.encode(note, image.width(), image.height(), paddingKey); });
    const Image cover = *codec.encode(note, image.width(), image.height(), paddingKey);
    stages["emr_decode"] = medianMs(kRuns, [&] { (void)EmrImageCodec::decode(cover); });
    const auto loadStart = std::chrono::steady_clock::now();
    auto network = HiNetModel::load();
    if (!network)
        return {{"error", network.error().message}};
    stages["hinet_load_once"] =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - loadStart).count();
    HiNetModel& net = **network;
    stages["hinet_hide"] = medianMs(kNetworkRuns, [&] { (void)net.hide(cover, image, 255); });
    const Image stego = *net.hide(cover, image, 255);
    stages["hinet_reveal"] = medianMs(kNetworkRuns, [&] { (void)net.reveal(stego, 8, 255, {}, cover); });
    const Bytes key = sha256(toBytes("speed key")), hash = sha256(stego.pixelBytes());
    stages["lsc_encrypt"] = medianMs(kRuns, [&] { (void)LscChaoticCipher::encrypt(stego, key, hash); });
    const Image cipher = *LscChaoticCipher::encrypt(stego, key, hash);
    stages["lsc_decrypt"] = medianMs(kRuns, [&] {
        (void)LscChaoticCipher::decrypt(cipher, key, hash, LscChaoticCipher::kCurrentVersion);
    });
    const RsaKey rsa = *RsaKey::generate(2048);
    stages["seal_total"] = medianMs(kNetworkRuns, [&] { (void)EmrSealer::seal(image, note, rsa, net); });
    const auto sealed = EmrSealer::seal(image, note, rsa, net);
    if (!sealed)
        return {{"error", sealed.error().message}};
    stages["open_total"] =
        medianMs(kNetworkRuns, [&] { (void)EmrSealer::open(sealed->cipher, sealed->metadata, rsa, net); });
    return {{"stages_ms", stages}, {"baselines_ms", baselines(image, kRuns)}, {"network", net.describe()}};
}

} // namespace

int runSpeedChild(const Paths& paths, const std::string& scheme, int size)
{
    const Image image = resizedTo(*readImage(paths.corpus / "mri_colin_axial_z160_512.png"), size);
    nlohmann::json out = scheme == "keyregion" ? keyRegionStages(image) : emrStages(paths, image);
    out["peak_rss_mib"] = bench::peakRssMiB();
    std::cout << out.dump() << std::endl;
    return out.contains("error") ? 1 : 0;
}

nlohmann::json evaluateSpeed(const Paths& paths)
{
    nlohmann::json result = nlohmann::json::object();
    for (const char* scheme : {"keyregion", "emr"}) {
        for (int size : {256, 512}) {
            std::cerr << "speed: " << scheme << " " << size << "…\n";
            const std::string command = "'" + paths.self.string() + "' --speed-child " + scheme + " " +
                                        std::to_string(size) + " --corpus '" + paths.corpus.string() +
                                        "' --notes '" + paths.notes.string() + "'";
            const std::string output = bench::commandOutput(command);
            auto parsed = nlohmann::json::parse(output, nullptr, false);
            result[scheme][std::to_string(size)] =
                parsed.is_discarded() ? nlohmann::json{{"error", "no result: " + output}} : parsed;
        }
    }
    return result;
}

} // namespace medveil::evaluation
