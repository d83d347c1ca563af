// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Progress.h"
#include "core/Result.h"

#include <string>
#include <vector>

namespace medveil {

/// The interface between the torch-free engine and the LibTorch plugin (libmedveil_hinet.so), which is
/// loaded with dlopen on first use so that neither the GUI's start-up nor medveil-cli's other commands
/// pay for LibTorch (and the OpenCV highgui / Qt 5 it drags in on Debian). Images are single-channel
/// float planes in [0, 1], row-major, with even width and height.
class HiNetBackend
{
public:
    virtual ~HiNetBackend() = default;

    /// Loads exported weights (train_hinet --export).
    virtual Status load(const std::string& weightsPath) = 0;
    /// cover, secret → stego (same size). `channelsLast`: compute in LibTorch's channels-last layout
    /// (faster; rounds differently from the planar layout, see HiNetLayout).
    virtual Status hide(const std::vector<float>& cover, const std::vector<float>& secret, int width,
                        int height, bool channelsLast, std::vector<float>& stego,
                        const JobControl& control) = 0;
    /// stego → revealed secret, with z = 0. `cover` is the receiver's rebuilt cover for a conditioned
    /// network (same size as the stego) and ignored (may be empty) by the plain one.
    virtual Status reveal(const std::vector<float>& stego, const std::vector<float>& cover, int width,
                          int height, bool channelsLast, std::vector<float>& secret,
                          const JobControl& control) = 0;
    /// True when the loaded weights are a cover-conditioned network (reveal needs the cover).
    virtual bool conditioned() const = 0;
    /// How far, in image pixels, an output pixel of hide or reveal reaches into its input (0 without
    /// weights): a tile with this much context on every side computes its core as the whole image does.
    virtual int receptiveRadius() const = 0;
    /// Architecture and parameter count, for reports.
    virtual std::string describe() const = 0;
    /// Weight-free checks: Haar DWT/IWT exact and coupling blocks invertible to 1e-5 on random weights.
    /// Returns the largest errors seen.
    virtual Status selfTest(double& dwtError, double& inverseError) = 0;
    /// The network's one-level Haar DWT of a width × height plane (even sizes) into `bands`: LL, HL, LH,
    /// HH, each (height/2) × (width/2) row-major, one after the other — so tests can pin the transform.
    virtual Status haarDwt(const std::vector<float>& plane, int width, int height,
                           std::vector<float>& bands) = 0;
};

} // namespace medveil

/// Factory exported by the plugin.
extern "C" medveil::HiNetBackend* medveil_create_hinet_backend();
