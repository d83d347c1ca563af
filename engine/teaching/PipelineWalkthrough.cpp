// SPDX-License-Identifier: GPL-3.0-or-later
#include "teaching/PipelineWalkthrough.h"

#include "crypto/Digest.h"
#include "crypto/KeyStream.h"
#include "emr/EmrImageCodec.h"
#include "emr/HiNet.h"
#include "emr/LscChaoticCipher.h"
#include "keyregion/ArnoldScrambler.h"
#include "keyregion/KeyRegionProtector.h"
#include "keyregion/ProtectionStages.h"
#include "metrics/ImageMetrics.h"

#include <opencv2/core.hpp>

#include <algorithm>
#include <random>

namespace medveil::teaching {

namespace {

Result<Image> crop(const Image& image, const Rect& r)
{
    return Image::fromMat(image.mat()(cv::Rect(r.x, r.y, r.width, r.height)).clone());
}

Result<std::vector<Image>> bitPlanes(const Image& image)
{
    std::vector<Image> planes;
    for (int bit = 0; bit < 8; ++bit) {
        cv::Mat plane(image.height(), image.width(), CV_8U);
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                plane.at<uint8_t>(y, x) = ((image.at(x, y) >> bit) & 1) ? 255 : 0;
        MEDVEIL_ASSIGN_OR_RETURN(Image planeImage, Image::fromMat(plane));
        planes.push_back(std::move(planeImage));
    }
    return planes;
}

std::vector<std::pair<int, int>> horizontalPairs(const Image& image, size_t count)
{
    std::mt19937 rng(2011);
    std::uniform_int_distribution<int> xs(0, image.width() - 2), ys(0, image.height() - 1);
    std::vector<std::pair<int, int>> pairs;
    for (size_t i = 0; i < count; ++i) {
        const int x = xs(rng), y = ys(rng);
        pairs.emplace_back(image.at(x, y), image.at(x + 1, y));
    }
    return pairs;
}

} // namespace

Result<Image> unauthorisedRegion(const Image& original, const Rect& region, const Bytes& payload,
                                 const Bytes& guessedKey, int maxValue)
{
    const size_t bytesPerPixel = size_t(original.bitDepth() / 8);
    auto stream =
        aesCtrKeystream(guessedKey, std::max(size_t(region.area()) * bytesPerPixel, payload.size()));
    if (!stream)
        return stream.error();
    for (size_t i = 0; i < payload.size(); ++i)
        (*stream)[i] ^= payload[i];
    MEDVEIL_ASSIGN_OR_RETURN(Image out, crop(original, region));
    for (int y = 0; y < region.height; ++y)
        for (int x = 0; x < region.width; ++x) {
            const size_t i = (size_t(y) * region.width + x) * bytesPerPixel;
            out.set(x, y,
                    bytesPerPixel == 1 ? (*stream)[i]
                                       : (((*stream)[i] << 8) | (*stream)[i + 1]) % (maxValue + 1));
        }
    return out;
}

Result<KeyRegionStages> walkKeyRegion(const Image& original, double threshold, const JobControl& control)
{
    KeyRegionStages s;
    control.report(0.0, "key region");
    auto candidates = KeyRegionProtector::candidateRegions(original);
    if (!candidates)
        return candidates.error();
    if (candidates->empty())
        return makeError(ErrorKind::BadInput, "the image has no key-region candidate");
    s.candidates = *candidates;
    s.region = s.candidates.front();
    s.threshold = threshold;

    // The same stages a protection runs (ProtectionStages), with fresh keys and a stand-in for the
    // RSA-2048 ciphertext the QR code carries.
    MEDVEIL_ASSIGN_OR_RETURN(const Bytes sealedKey, randomBytes(256));
    const QrContent content{{{"hospital", "Teaching Hospital"}, {"type", "MRI"}}, sealedKey};
    MEDVEIL_ASSIGN_OR_RETURN(ProtectionStages::QrCover cover,
                             ProtectionStages::coverWithQr(original, content, s.region));
    s.withQr = std::move(cover.withQr);
    const int white = cover.white;
    MEDVEIL_ASSIGN_OR_RETURN(s.qr, crop(s.withQr, s.region));

    // The payload: the key region compressed and AES-256-GCM encrypted under a fresh key.
    MEDVEIL_ASSIGN_OR_RETURN(const Bytes payloadKey, randomBytes(32));
    MEDVEIL_ASSIGN_OR_RETURN(const Bytes payload,
                             ProtectionStages::sealRegions(original, {s.region}, payloadKey));
    const std::vector<uint8_t> bits = bytesToBits(payload);
    s.payloadBits = bits.size();

    control.report(0.2, "prediction-error expansion");
    MEDVEIL_ASSIGN_OR_RETURN(ProtectionStages::TextureEmbedding embedding,
                             ProtectionStages::embedInTexture(s.withQr, TextureMap::blockMse(original),
                                                              {s.region}, threshold, bits, {},
                                                              control.stage(0.2, 0.6)));
    if (embedding.plan.totalBits() < bits.size())
        return makeError(ErrorKind::Capacity, "the texture blocks at T = " + std::to_string(int(threshold)) +
                                                  " hold " + std::to_string(embedding.plan.totalBits()) +
                                                  " of " + std::to_string(bits.size()) + " bits; lower T");
    const TextureMap& texture = embedding.texture;
    s.blocksX = texture.blocksX();
    s.blocksY = texture.blocksY();
    for (int by = 0; by < s.blocksY; ++by)
        for (int bx = 0; bx < s.blocksX; ++bx)
            s.textureBlocks.push_back(texture.isTexture(bx, by) ? 1 : 0);
    s.marked = std::move(embedding.marked);
    const PredictionErrorExpander pee =
        ProtectionStages::expanderFor(texture, {s.region}, original.width(), original.height(),
                                      ProtectOptions{}.maxPasses, ProtectOptions{}.coverage);
    s.errorsBefore = pee.predictionErrors(s.withQr, 0);
    s.errorsAfter = pee.predictionErrors(s.marked, 0);

    // Arnold's cat map, one iteration at a time (k = 0 is the marked image); the last frame is the
    // protection's own scrambling stage.
    control.report(0.7, "Arnold scrambling");
    const auto blocks = texture.textureBlocks();
    MEDVEIL_ASSIGN_OR_RETURN(const Bytes arnoldKey, randomBytes(32));
    MEDVEIL_ASSIGN_OR_RETURN(const ArnoldScrambler scrambler,
                             ArnoldScrambler::fromKey(arnoldKey, blocks.size()));
    int most = 0;
    for (const auto& p : scrambler.parameters())
        most = std::max(most, p.iterations);
    for (int k = 0; k < most; ++k) {
        if (control.cancelled())
            return makeError(ErrorKind::Cancelled, "cancelled");
        std::vector<ArnoldParameters> partial = scrambler.parameters();
        for (auto& p : partial)
            p.iterations = std::min(p.iterations, k);
        Image frame = s.marked.clone();
        if (k > 0)
            MEDVEIL_TRY(ArnoldScrambler(partial).scramble(frame, blocks));
        s.arnoldIterations.push_back(std::move(frame));
    }
    Image scrambled = s.marked.clone();
    MEDVEIL_TRY(ProtectionStages::scrambleTextureBlocks(scrambled, texture, arnoldKey, Scrambling::Arnold));
    s.arnoldIterations.push_back(std::move(scrambled));

    // An unauthorised extraction: the payload decrypted under a guessed key (the GCM tag would refuse it;
    // ignoring the tag gives random bytes), laid out as the region's pixels.
    control.report(0.9, "unauthorised extraction");
    auto guessed = randomBytes(32);
    if (!guessed)
        return guessed.error();
    auto attacker = unauthorisedRegion(original, s.region, payload, *guessed, white);
    if (!attacker)
        return attacker.error();
    s.unauthorisedRegion = std::move(*attacker);
    MEDVEIL_ASSIGN_OR_RETURN(const Image originalRegion, crop(original, s.region));
    MEDVEIL_ASSIGN_OR_RETURN(s.unauthorisedPsnr, psnr(originalRegion, s.unauthorisedRegion));
    MEDVEIL_ASSIGN_OR_RETURN(s.unauthorisedSsim, ssimAnySize(originalRegion, s.unauthorisedRegion));
    control.report(1.0, "done");
    return s;
}

Result<EmrStages> walkEmr(const Image& medical, const std::string& emr, HiNetModel* network, int base,
                          const JobControl& control)
{
    EmrStages s;
    s.base = base;
    s.emrBytes = emr.size();
    control.report(0.0, "encoding the EMR");
    auto padding = randomBytes(32);
    if (!padding)
        return padding.error();
    auto encoded = EmrImageCodec(base).encode(emr, medical.width(), medical.height(), *padding);
    if (!encoded)
        return encoded.error();
    s.encoded = *encoded;
    s.digits = EmrImageCodec::digits(s.encoded, base);
    Image plain = s.encoded;
    if (network) {
        control.report(0.2, "HiNet hides the image");
        double low = 0, high = 0;
        cv::minMaxLoc(medical.mat(), &low, &high);
        const int scale = medical.bitDepth() == 8 ? 255 : std::max(1, int(high));
        auto stego = network->hide(s.encoded, medical, scale);
        if (!stego)
            return stego.error();
        s.stego = *stego;
        s.hasStego = true;
        plain = s.stego;
    }
    control.report(0.7, "chaotic encryption");
    auto key = randomBytes(32);
    if (!key)
        return key.error();
    auto cipher = LscChaoticCipher::encrypt(plain, *key, sha256(plain.pixelBytes()));
    if (!cipher)
        return cipher.error();
    s.cipher = *cipher;
    MEDVEIL_ASSIGN_OR_RETURN(s.plainBitPlanes, bitPlanes(plain));
    MEDVEIL_ASSIGN_OR_RETURN(s.cipherBitPlanes, bitPlanes(s.cipher));
    s.plainPairs = horizontalPairs(plain, 3000);
    s.cipherPairs = horizontalPairs(s.cipher, 3000);
    const Direction directions[3] = {Direction::Horizontal, Direction::Vertical, Direction::Diagonal};
    for (int i = 0; i < 3; ++i) {
        s.plainCorrelation[i] = adjacentCorrelation(plain, directions[i]);
        s.cipherCorrelation[i] = adjacentCorrelation(s.cipher, directions[i]);
        s.medicalCorrelation[i] = adjacentCorrelation(medical, directions[i]);
    }
    s.medicalPairs = horizontalPairs(medical, 3000);
    if (medical.bitDepth() == 16) {
        double low = 0, high = 0;
        cv::minMaxLoc(medical.mat(), &low, &high);
        for (auto& [a, b] : s.medicalPairs)
            a = int(a * 255.0 / std::max(1.0, high)), b = int(b * 255.0 / std::max(1.0, high));
    }
    control.report(1.0, "done");
    return s;
}

} // namespace medveil::teaching
