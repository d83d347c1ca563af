// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Image.h"
#include "core/Result.h"

#include <vector>

namespace medveil {

/// The one definition of the dynamic range L of every figure that compares an image with `reference`
/// (PSNR's peak, SSIM's L, UACI's scale): 2^significantBits − 1 — 255 for 8-bit, 65535 for 16-bit PNG,
/// 2^BitsStored − 1 for DICOM (4095 for a 12-bit CT held in 16-bit words). protect, sweep, metrics, the
/// GUI and the evaluation all take it from here.
double dynamicRange(const Image& reference);

/// Peak signal-to-noise ratio in dB with peak dynamicRange(a); +infinity for identical images.
/// Both images must have the same size and bit depth (else BadInput).
Result<double> psnr(const Image& a, const Image& b);

/// PSNR with an explicit peak (e.g. 2^BitsStored − 1 for a 12-bit DICOM held in 16 bits). peak > 0.
Result<double> psnrWithPeak(const Image& a, const Image& b, double peak);

/// PSNR with the peak the data range of `a` (max − min): the honest figure for 16-bit data that use a few
/// thousand of 65536 levels, where psnr() flatters by tens of dB. +infinity for identical images.
Result<double> psnrRange(const Image& a, const Image& b);

/// Mean SSIM (Wang et al. 2004): 11×11 Gaussian window, σ = 1.5, K1 = 0.01, K2 = 0.03,
/// L = dynamicRange(a), averaged over the 'valid' window positions (as the reference ssim_index.m).
/// Images must be at least 11×11.
Result<double> ssim(const Image& a, const Image& b);

/// ssim() with every window computed by OpenCV's separable filter — the reference: ssim() computes only the
/// windows that reach a changed pixel (the others are exactly 1) and equals this to 1e-9 (test_metrics).
Result<double> ssimEveryWindow(const Image& a, const Image& b);

/// SSIM over images smaller than 11×11 too: uses the largest odd window that fits (σ scaled).
/// For the GUI/evaluation of tiny crops; equals ssim() for images of 11×11 or more.
Result<double> ssimAnySize(const Image& a, const Image& b);

/// How faithful `test` is to `reference`, every figure with the peak it uses (what protect --json, sweep,
/// metrics and the GUI show).
struct Fidelity
{
    double psnr = 0;      ///< dB, peak psnrPeak; +infinity for identical images
    double psnrPeak = 0;  ///< dynamicRange(reference)
    double psnrRange = 0; ///< dB, peak = the data range of the reference (max − min)
    double ssim = 0;      ///< ssimAnySize, L = psnrPeak
};
Result<Fidelity> fidelity(const Image& reference, const Image& test);

/// Number of pixels change rate in percent: share of positions where a and b differ.
Result<double> npcr(const Image& a, const Image& b);

/// Unified average changing intensity in percent: mean |a − b| / dynamicRange(a).
Result<double> uaci(const Image& a, const Image& b);

/// Shannon entropy in bits of the grey-level histogram (2^bits bins).
double entropy(const Image& image);

enum class Direction
{
    Horizontal,
    Vertical,
    Diagonal,
};

/// Pearson correlation of all adjacent pixel pairs in one direction; 0 when either side is constant.
double adjacentCorrelation(const Image& image, Direction direction);

/// Grey-level histogram with 2^bits bins.
std::vector<uint64_t> histogram(const Image& image);

} // namespace medveil
