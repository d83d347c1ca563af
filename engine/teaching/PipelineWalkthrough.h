// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Bytes.h"
#include "core/Image.h"
#include "core/Progress.h"
#include "core/Result.h"
#include "keyregion/Rect.h"

#include <string>
#include <utility>
#include <vector>

namespace medveil {

class HiNetModel;

/// Intermediate stages of both schemes for the GUI's teaching view. Built from the same engine components
/// the real pipelines use (KeyRegionFinder, TextureMap, PredictionErrorExpander, ArnoldScrambler, QrCodec,
/// EmrImageCodec, HiNet, LscChaoticCipher), with fresh random keys; nothing here is sealed or meant to be
/// recovered: the Protect and EMR workflows do that.
namespace teaching {

/// Li et al. 2020, stage by stage.
struct KeyRegionStages
{
    Rect region;                         ///< largest coefficient of variation
    std::vector<Rect> candidates;        ///< ranked alternatives (region first)
    double threshold = 0;                ///< T used for the texture map
    int blocksX = 0, blocksY = 0;        ///< 8×8 block grid
    std::vector<uint8_t> textureBlocks;  ///< 1 where block MSE > T (row-major, blocksX × blocksY)
    size_t payloadBits = 0;              ///< encrypted, compressed key region
    Image withQr;                        ///< original with the QR code over the key region
    Image qr;                            ///< the QR code alone (the region's pixels)
    Image marked;                        ///< after prediction-error expansion into the texture blocks
    std::vector<int> errorsBefore;       ///< rhombus prediction errors of layer 0 before embedding
    std::vector<int> errorsAfter;        ///< …and after (expanded and shifted)
    std::vector<Image> arnoldIterations; ///< marked image after k = 0, 1, … cat-map iterations per block
    Image unauthorisedRegion;            ///< what a wrong key extracts for the key region
    double unauthorisedPsnr = 0, unauthorisedSsim = 0; ///< against the original key region
};

/// What a wrong key extracts for the key region: the embedded `payload` (the AES-256-GCM-sealed, compressed
/// region) decrypted under `guessedKey` in counter mode as if its tag were ignored — MedVeil refuses it —
/// laid out as the region's pixels (16-bit images: two bytes per pixel, reduced to [0, maxValue]).
[[nodiscard]] Result<Image> unauthorisedRegion(const Image& original, const Rect& region,
                                               const Bytes& payload, const Bytes& guessedKey, int maxValue);

[[nodiscard]] Result<KeyRegionStages> walkKeyRegion(const Image& original, double threshold,
                                                    const JobControl& control = {});

/// Guo et al. 2025, stage by stage.
struct EmrStages
{
    int base = 4;
    Image encoded;           ///< EMR as base-k digits drawn as grey levels, padded
    std::vector<int> digits; ///< digit per pixel (row-major)
    size_t emrBytes = 0;
    Image stego; ///< encoded image with the medical image hidden (needs the network)
    bool hasStego = false;
    Image cipher; ///< LSC bit-level cipher of the stego (or of the encoded image without a network)
    std::vector<Image> cipherBitPlanes; ///< planes 0 (LSB) … 7 of the cipher, as 0/255 images
    std::vector<Image> plainBitPlanes;  ///< the same planes of what was encrypted
    std::vector<std::pair<int, int>> plainPairs, cipherPairs; ///< horizontal neighbour pairs (sampled)
    double plainCorrelation[3] = {0, 0, 0}, cipherCorrelation[3] = {0, 0, 0}; ///< h, v, d
    /// The medical image's own neighbours (pairs on 0–255, 16-bit data scaled by their peak): the
    /// strongly correlated picture the lesson starts from; what is encrypted is the stego.
    std::vector<std::pair<int, int>> medicalPairs;
    double medicalCorrelation[3] = {0, 0, 0};
};

/// `network` may be null: the walkthrough then encrypts the encoded image itself and marks hasStego false.
[[nodiscard]] Result<EmrStages> walkEmr(const Image& medical, const std::string& emr, HiNetModel* network,
                                        int base = 4, const JobControl& control = {});

} // namespace teaching
} // namespace medveil
