// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Bytes.h"
#include "core/Image.h"
#include "core/Result.h"
#include "keyregion/Rect.h"

#include <vector>

namespace medveil {

/// Per-block texture classification (Li et al. 2020, "Select texture area as embedding area"):
/// the image is cut into 8×8 blocks, each block's MSE around its own mean is computed,
/// MSE = (1/mn) Σ (I(i,j) − I_ave)², and blocks with MSE > T are texture (embedding area).
/// Blocks touching the key region are never texture; partial blocks at the right/bottom edge are
/// never texture. Embedding changes block MSE, so the encoder's map travels with the protected image.
class TextureMap
{
public:
    static constexpr int kBlock = 8;

    TextureMap() = default;

    /// MSE of every whole 8×8 block, row-major (blocksX × blocksY).
    static std::vector<double> blockMse(const Image& image);

    /// Texture map for threshold T from precomputed block MSEs (cheap: used by threshold sweeps).
    static TextureMap fromMse(const std::vector<double>& mse, int imageWidth, int imageHeight,
                              const Rect& keyRegion, double threshold);
    /// Same, with every block touching any of `keyRegions` left out (several key regions).
    static TextureMap fromMse(const std::vector<double>& mse, int imageWidth, int imageHeight,
                              const std::vector<Rect>& keyRegions, double threshold);

    static TextureMap compute(const Image& image, const Rect& keyRegion, double threshold)
    {
        return fromMse(blockMse(image), image.width(), image.height(), keyRegion, threshold);
    }

    [[nodiscard]] int blocksX() const { return m_blocksX; }
    [[nodiscard]] int blocksY() const { return m_blocksY; }
    [[nodiscard]] bool isTexture(int bx, int by) const { return m_texture[size_t(by) * m_blocksX + bx] != 0; }
    [[nodiscard]] size_t textureBlockCount() const;
    /// Indices (by · blocksX + bx) of texture blocks in raster order.
    [[nodiscard]] std::vector<int> textureBlocks() const;

    /// Compact form: dimensions + one bit per block.
    [[nodiscard]] Bytes serialize() const;
    static Result<TextureMap> deserialize(const Bytes& data);

    bool operator==(const TextureMap&) const = default;

private:
    int m_blocksX = 0;
    int m_blocksY = 0;
    std::vector<uint8_t> m_texture;
};

} // namespace medveil
