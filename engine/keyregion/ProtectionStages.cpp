// SPDX-License-Identifier: GPL-3.0-or-later
#include "keyregion/ProtectionStages.h"

#include "crypto/AesGcm.h"
#include "crypto/Digest.h"
#include "crypto/KeyStream.h"
#include "keyregion/ArnoldScrambler.h"
#include "keyregion/BlockPermuter.h"
#include "keyregion/RegionCompressor.h"

#include <opencv2/core.hpp>

namespace medveil::ProtectionStages {

namespace {

const std::string kPayloadAad = "MedVeil key-region payload v1";

/// Several regions' compressed pixels, each length-prefixed (one region: its bytes alone, as before).
Result<Bytes> compressRegions(const Image& original, const std::vector<Rect>& regions)
{
    if (regions.size() == 1)
        return RegionCompressor::compress(original, regions.front());
    Bytes out;
    for (const Rect& r : regions) {
        MEDVEIL_ASSIGN_OR_RETURN(const Bytes part, RegionCompressor::compress(original, r));
        appendBlob(out, part);
    }
    return out;
}

Status decompressRegions(const Bytes& data, Image& image, const std::vector<Rect>& regions)
{
    if (regions.size() == 1)
        return RegionCompressor::decompress(data, image, regions.front());
    ByteReader reader(data);
    for (const Rect& r : regions) {
        auto part = reader.blob();
        if (!part)
            return makeError(ErrorKind::Auth, "the hidden key regions are incomplete");
        MEDVEIL_TRY(RegionCompressor::decompress(*part, image, r));
    }
    return {};
}

} // namespace

Result<QrCover> coverWithQr(const Image& original, const QrContent& content, const Rect& region,
                            const std::vector<Rect>& extras)
{
    QrCover cover;
    MEDVEIL_ASSIGN_OR_RETURN(auto encoded, QrCodec::encode(content, std::min(region.width, region.height)));
    cover.symbol = std::move(encoded.first);
    cover.moduleSize = encoded.second;
    cover.withQr = original.clone();
    cover.white = QrCodec::whiteLevel(original);
    cover.geometry = QrCodec::render(cover.symbol, cover.moduleSize, cover.white, cover.withQr, region);
    for (const Rect& r : extras)
        cover.withQr.mat()(cv::Rect(r.x, r.y, r.width, r.height)).setTo(cv::Scalar(cover.white / 2));
    return cover;
}

Result<Bytes> sealRegions(const Image& original, const std::vector<Rect>& regions, const Bytes& key,
                          const std::optional<Bytes>& nonce)
{
    MEDVEIL_ASSIGN_OR_RETURN(const Bytes compressed, compressRegions(original, regions));
    return nonce ? AesGcm::sealWithNonce(key, *nonce, compressed, toBytes(kPayloadAad))
                 : AesGcm::seal(key, compressed, toBytes(kPayloadAad));
}

Status openRegions(const Bytes& sealed, const Bytes& key, Image& image, const std::vector<Rect>& regions)
{
    auto compressed = AesGcm::open(key, sealed, toBytes(kPayloadAad));
    if (!compressed)
        return makeError(ErrorKind::Auth, "the hidden key region failed authentication");
    return decompressRegions(*compressed, image, regions);
}

PredictionErrorExpander expanderFor(const TextureMap& texture, const std::vector<Rect>& regions, int width,
                                    int height, int maxPasses, double coverage)
{
    return PredictionErrorExpander(width, height,
                                   PredictionErrorExpander::eligibleMask(texture, regions, width, height),
                                   maxPasses, coverage);
}

Result<TextureEmbedding> embedInTexture(const Image& withQr, const std::vector<double>& blockMse,
                                        const std::vector<Rect>& regions, double threshold,
                                        const std::vector<uint8_t>& bits, const EmbedSettings& settings,
                                        const JobControl& control)
{
    const int w = withQr.width(), h = withQr.height();
    TextureEmbedding e{Image(), TextureMap::fromMse(blockMse, w, h, regions, threshold), PeePlan(), 0, 0};
    const PredictionErrorExpander expander =
        expanderFor(e.texture, regions, w, h, settings.maxPasses, settings.coverage);
    e.embeddable = expander.eligibleCount();
    e.marked = withQr.clone();
    MEDVEIL_ASSIGN_OR_RETURN(e.plan, expander.embed(e.marked, bits, control));
    if (settings.measureCapacity)
        e.capacity = std::max(expander.capacity(withQr), e.plan.totalBits());
    return e;
}

Status scrambleTextureBlocks(Image& image, const TextureMap& texture, const Bytes& key, Scrambling scrambling,
                             bool inverse)
{
    const auto blocks = texture.textureBlocks();
    if (scrambling == Scrambling::Permute) {
        MEDVEIL_ASSIGN_OR_RETURN(
            const Bytes permutationKey,
            hkdfSha256(key, toBytes("MedVeil key-region protection"), "block permutation", 32));
        MEDVEIL_ASSIGN_OR_RETURN(const BlockPermuter permuter,
                                 BlockPermuter::fromKey(permutationKey, blocks.size()));
        return inverse ? permuter.unscramble(image, blocks) : permuter.scramble(image, blocks);
    }
    MEDVEIL_ASSIGN_OR_RETURN(const ArnoldScrambler scrambler, ArnoldScrambler::fromKey(key, blocks.size()));
    return inverse ? scrambler.unscramble(image, blocks) : scrambler.scramble(image, blocks);
}

} // namespace medveil::ProtectionStages
