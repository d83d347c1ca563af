// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Bytes.h"
#include "core/Image.h"
#include "core/Result.h"
#include "emr/LscChaoticCipher.h"

#include <cstdint>
#include <string>
#include <vector>

namespace medveil {

/// z with P(Z > z) = p for a standard normal Z, 0 < p < 1 (Acklam's rational approximation refined by
/// one Halley step on erfc: |error| < 1e-14).
double upperNormalQuantile(double p);

/// Critical values of Wu, Noonan & Agaian (2011) for NPCR/UACI between two cipher images of
/// `pixels` pixels with peak F = 2^bits − 1 at significance α, from their formulas (not their table):
/// N* = (F − Φ⁻¹(α)·√(F/MN)) / (F + 1), U* = μ ± Φ⁻¹(α/2)·σ. NPCR must be ≥ npcr, UACI within
/// [uaciLow, uaciHigh]. Percentages.
struct NpcrUaciCritical
{
    double npcr = 0;
    double uaciLow = 0;
    double uaciHigh = 0;
};
NpcrUaciCritical npcrUaciCritical(size_t pixels, int bits, double alpha = 0.05);

/// Pearson χ² of the grey-level histogram against the uniform distribution, and its α = 0.05 critical
/// value (Wilson–Hilferty approximation for 2^bits − 1 degrees of freedom; 293.25 for 8-bit).
double histogramChiSquare(const Image& image);
double chiSquareCritical(int bits);

/// Security analysis of the LSC cipher on one plain image (the chaos-cipher literature's tests):
/// plain-image sensitivity (one pixel +1), key sensitivity (one key bit flipped), wrong-key decryption,
/// and the statistics of plain and cipher images.
struct CipherAnalysis
{
    int width = 0, height = 0, bits = 8;
    NpcrUaciCritical critical;
    double npcr = 0, uaci = 0; ///< cipher(P) vs cipher(P with one pixel changed)
    bool npcrPass = false, uaciPass = false;
    double keyNpcr = 0, keyUaci = 0;            ///< cipher under K vs K with one bit flipped
    double wrongKeyNpcr = 0, wrongKeyPsnr = 0;  ///< decryption with the flipped key vs the plain image
    double entropyPlain = 0, entropyCipher = 0; ///< bits per pixel; at most `bits` (16 for 16-bit images)
    /// What an ideal cipher's histogram of this many pixels shows: bits − (2^bits − 1) / (2 N ln 2) (the
    /// plug-in estimator's bias; ≈ 15.82 for a 16-bit 512² image, 7.9993 for an 8-bit one).
    double entropyIdeal = 0;
    double chiSquarePlain = 0, chiSquareCipher = 0, chiSquareCritical = 0;
    bool chiSquarePass = false;
    double corrPlain[3] = {0, 0, 0}; ///< horizontal, vertical, diagonal
    double corrCipher[3] = {0, 0, 0};
    double encryptMs = 0;
};

/// Runs the analysis with `key` (32 bytes); deterministic for a given key.
Result<CipherAnalysis> analyseCipher(const Image& plain, const Bytes& key,
                                     LscCipherVersion version = LscChaoticCipher::kCurrentVersion);

/// The one-pixel-pair study: `pairs` pairs (P, P′) of a plain image and the same image with one bit of
/// one pixel flipped, the image, pixel, bit and 256-bit key of each pair drawn from `seed` (SHA-256 of
/// the seed and the pair's index: the same seed gives the same figures on every machine).
struct CipherStudyOptions
{
    uint64_t seed = 0;
    int pairs = 100;
    double alpha = 0.05;
    LscCipherVersion version = LscChaoticCipher::kCurrentVersion;
};

/// One pair: which image, pixel and bit, and the figures of both rows.
struct CipherPair
{
    int image = 0, x = 0, y = 0, bit = 0;
    double paperNpcr = 0, paperUaci = 0; ///< E(P) vs E(P′), each under its own plaintext-seeded maps
    double sameNpcr = 0, sameUaci = 0;   ///< E(P) vs E(P′) under P's maps: the diffusion alone
};

/// A row of the study. An ideal cipher passes each test with probability 1 − α, so the pass counts
/// follow Binomial(pairs, 1 − α); the row passes when neither count is below `minimumPassing`, the count
/// an ideal cipher falls below with probability ≤ 1 %.
struct DiffusionRow
{
    std::string maps; ///< "plaintext-seeded" (the paper's figure) or "same" (the diffusion figure)
    int pairs = 0;
    double npcrMedian = 0, npcrMin = 0, npcrMax = 0;
    double uaciMedian = 0, uaciMin = 0, uaciMax = 0;
    int npcrPassing = 0, uaciPassing = 0, bothPassing = 0;
    int minimumPassing = 0;
    bool pass = false;
};

struct CipherReport
{
    CipherStudyOptions options;
    CipherAnalysis first;  ///< the first image's statistics under the seed's key
    DiffusionRow paper;    ///< each image of a pair under its own maps
    DiffusionRow sameMaps; ///< both images of a pair under the same maps
    std::vector<CipherPair> pairs;
    std::vector<NpcrUaciCritical> critical; ///< per image (its size and bit depth)
};

/// Runs the study over `images` (one or more; 8- or 16-bit).
Result<CipherReport> analyseCipherReport(const std::vector<Image>& images, const CipherStudyOptions& options);

/// The smallest k with P(X ≤ k) > `tail` for X ~ Binomial(n, p).
int binomialLowerQuantile(int n, double p, double tail);

} // namespace medveil
