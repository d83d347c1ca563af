// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Bytes.h"
#include "core/Image.h"
#include "core/Progress.h"
#include "core/Result.h"
#include "keyregion/Rect.h"
#include "keyregion/TextureMap.h"

#include <vector>

namespace medveil {

/// One checkerboard layer of one embedding pass: errors in [low, high] were expanded (e' = 2e + b),
/// the others shifted; `bits` payload bits went in; `skipped` lists the positions (indices into the
/// layer's pixel list) left untouched because their new value would leave [0, 2^bits − 1] — the
/// location map, which travels (compressed, encrypted) with the protected image.
struct PeeLayer
{
    int low = -2;
    int high = 2;
    uint32_t bits = 0;
    uint32_t processed = 0; ///< list positions visited before the payload ran out
    std::vector<uint32_t> skipped;

    bool operator==(const PeeLayer&) const = default;
};

/// Layers in embedding order: pass 0 cross layer, pass 0 dot layer, pass 1 cross layer, …
struct PeePlan
{
    std::vector<PeeLayer> layers;

    [[nodiscard]] size_t totalBits() const;
    [[nodiscard]] int passes() const { return static_cast<int>((layers.size() + 1) / 2); }
    [[nodiscard]] Bytes serialize() const;
    static Result<PeePlan> deserialize(const Bytes& data);
    bool operator==(const PeePlan&) const = default;
};

/// Reversible data hiding by rhombus prediction-error expansion (Sachnev et al. 2009; Li et al. 2020):
/// the predictor is ⌊(N + S + E + W) / 4⌋, pixels are split into two checkerboard layers so each layer
/// is predicted from the other, errors in [p, q] carry one bit each, the rest are shifted, and several
/// passes stack when one is not enough. Extraction undoes passes and layers in reverse order and
/// restores the cover bit-exactly, for 8- and 16-bit images.
///
/// Only pixels of the eligible mask are changed; every eligible pixel must have its four neighbours
/// inside the image, and those neighbours must not change between embedding and extraction except
/// through this class (use eligibleMask()).
class PredictionErrorExpander
{
public:
    /// Eligible pixels: inside texture blocks, not on the image border, no 4-neighbour in `keyRegion`.
    static std::vector<uint8_t> eligibleMask(const TextureMap& texture, const Rect& keyRegion, int width,
                                             int height);
    /// Same, away from every one of several key regions.
    static std::vector<uint8_t> eligibleMask(const TextureMap& texture, const std::vector<Rect>& keyRegions,
                                             int width, int height);

    /// `coverage`: the share of a layer's prediction errors the expansion range is widened to cover when
    /// the payload needs it (the range is never narrower than the paper's [−2, 2]).
    PredictionErrorExpander(int width, int height, const std::vector<uint8_t>& eligible, int maxPasses = 6,
                            double coverage = 0.6);

    [[nodiscard]] size_t eligibleCount() const { return m_layers[0].size() + m_layers[1].size(); }

    /// Embeds `bits` (one 0/1 value per element) into `image` in place. Stops at maxPasses: the plan's
    /// totalBits() then tells how much went in (the caller treats a shortfall as a capacity error).
    [[nodiscard]] Result<PeePlan> embed(Image& image, const std::vector<uint8_t>& bits,
                                        const JobControl& control = {}) const;

    /// Bits the image can take at maxPasses (embeds pseudo-random bits into a copy).
    [[nodiscard]] size_t capacity(const Image& image) const;

    /// Restores `image` in place and returns the embedded bits in embedding order.
    [[nodiscard]] Result<std::vector<uint8_t>> extract(Image& image, const PeePlan& plan) const;

    /// Prediction errors of one layer (for the teaching view's histogram).
    [[nodiscard]] std::vector<int> predictionErrors(const Image& image, int layer) const;

private:
    template <typename Pixel>
    PeeLayer embedLayer(Pixel* data, int layer, const std::vector<uint8_t>& bits, size_t& cursor,
                        int maxValue) const;
    /// The filler bits of capacity(), packed: bit i is the i-th value of a layer's generator (one bit more
    /// than the layer has pixels, so that a branch-free reader may look one past the last in-range pixel).
    class FillerStream
    {
    public:
        FillerStream(uint32_t seed, size_t count);
        [[nodiscard]] int bit(size_t i) const { return int((m_words[i / 64] >> (i % 64)) & 1u); }
        [[nodiscard]] const uint64_t* words() const { return m_words.data(); }

    private:
        std::vector<uint64_t> m_words;
    };
    /// capacity()'s layer: embeds filler bits everywhere they fit and counts them (no plan is kept).
    template <typename Pixel>
    size_t fillLayer(Pixel* data, int layer, int maxValue, const FillerStream& filler) const;
    /// capacity() with each checkerboard layer in a plane of its own, where a row's pixels and the
    /// neighbours they are predicted from lie side by side (vectorised); for layers that fill much of the
    /// image. Counts what fillLayer() over every pass and layer counts, bit for bit.
    template <typename Pixel>
    size_t fillOnPlanes(const Pixel* image, int maxValue, const FillerStream (&filler)[2]) const;
    template <typename Pixel>
    bool extractLayer(Pixel* data, int layer, const PeeLayer& record, std::vector<uint8_t>& out) const;

    int m_width = 0;
    int m_height = 0;
    int m_maxPasses = 6;
    double m_coverage = 0.6;
    std::vector<int32_t> m_layers[2]; ///< linear pixel indices of each checkerboard layer, raster order
};

} // namespace medveil
