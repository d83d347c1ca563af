// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Bytes.h"
#include "core/Image.h"
#include "core/Progress.h"
#include "core/Result.h"
#include "keyregion/KeyRegionProtector.h"
#include "keyregion/PredictionErrorExpander.h"
#include "keyregion/QrCodec.h"
#include "keyregion/Rect.h"
#include "keyregion/TextureMap.h"

#include <optional>
#include <vector>

/// The stages of key-region protection (Li et al. 2020), each once: protect(), sweep() and the teaching
/// walkthrough compose these, so what the walkthrough shows is what a protection does.
///   region (KeyRegionFinder) → QR cover → sealed payload → embedding in texture blocks → scrambling
namespace medveil::ProtectionStages {

/// The key region covered by its QR code (and further regions by a flat grey).
struct QrCover
{
    QrSymbol symbol;
    int moduleSize = 0;
    QrGeometry geometry;
    Image withQr; ///< the original with the QR code over `region`
    int white = 255;
};

/// Draws the QR code of `content` over `region` of `original` (light modules at QrCodec::whiteLevel) and
/// fills every `extras` region with half that level — no structure of what was there.
Result<QrCover> coverWithQr(const Image& original, const QrContent& content, const Rect& region,
                            const std::vector<Rect>& extras = {});

/// The regions' pixels compressed losslessly (RegionCompressor; several regions length-prefixed) and
/// sealed with AES-256-GCM under `key` (a random nonce, or `nonce` for the deterministic sweep).
Result<Bytes> sealRegions(const Image& original, const std::vector<Rect>& regions, const Bytes& key,
                          const std::optional<Bytes>& nonce = {});
/// The inverse of sealRegions() into `image` (Auth when the key or the payload is wrong).
Status openRegions(const Bytes& sealed, const Bytes& key, Image& image, const std::vector<Rect>& regions);

/// What embedding at one threshold produced.
struct TextureEmbedding
{
    Image marked;          ///< the QR-covered image with the bits embedded
    TextureMap texture;    ///< blocks with MSE > threshold, none touching a key region
    PeePlan plan;          ///< what extraction needs; plan.totalBits() < bits.size() means it did not fit
    size_t embeddable = 0; ///< eligible pixels
    size_t capacity = 0;   ///< bits the texture holds at maxPasses (only when asked for: a second embedding)
};

struct EmbedSettings
{
    int maxPasses = ProtectOptions{}.maxPasses;
    double coverage = ProtectOptions{}.coverage;
    bool measureCapacity = false;
};

/// Rhombus prediction-error expansion of `bits` into the texture blocks of `withQr` (`blockMse`:
/// TextureMap::blockMse of the original; `regions`: the key regions, kept out of the texture).
Result<TextureEmbedding> embedInTexture(const Image& withQr, const std::vector<double>& blockMse,
                                        const std::vector<Rect>& regions, double threshold,
                                        const std::vector<uint8_t>& bits, const EmbedSettings& settings = {},
                                        const JobControl& control = {});

/// The expander for a texture map: eligible pixels inside texture blocks, away from every key region.
PredictionErrorExpander expanderFor(const TextureMap& texture, const std::vector<Rect>& regions, int width,
                                    int height, int maxPasses, double coverage);

/// Scrambles (or, `inverse`, unscrambles) every texture block of `image` in place: Arnold's cat map with
/// parameters from `key`, or a keyed permutation of each block's pixels (key expanded by HKDF).
Status scrambleTextureBlocks(Image& image, const TextureMap& texture, const Bytes& key, Scrambling scrambling,
                             bool inverse = false);

} // namespace medveil::ProtectionStages
