// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Bytes.h"
#include "core/Image.h"
#include "core/Result.h"

namespace medveil {

/// Critical values of Wu, Noonan & Agaian (2011) for NPCR/UACI between two cipher images of
/// `pixels` pixels with peak F = 2^bits − 1 at significance α: NPCR must be ≥ npcr, UACI within
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
    double keyNpcr = 0, keyUaci = 0;           ///< cipher under K vs K with one bit flipped
    double wrongKeyNpcr = 0, wrongKeyPsnr = 0; ///< decryption with the flipped key vs the plain image
    double entropyPlain = 0, entropyCipher = 0;
    double chiSquarePlain = 0, chiSquareCipher = 0, chiSquareCritical = 0;
    bool chiSquarePass = false;
    double corrPlain[3] = {0, 0, 0}; ///< horizontal, vertical, diagonal
    double corrCipher[3] = {0, 0, 0};
    double encryptMs = 0;
};

/// Runs the analysis with `key` (32 bytes); deterministic for a given key.
Result<CipherAnalysis> analyseCipher(const Image& plain, const Bytes& key);

} // namespace medveil
