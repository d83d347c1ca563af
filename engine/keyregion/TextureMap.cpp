// SPDX-License-Identifier: GPL-3.0-or-later
#include "keyregion/TextureMap.h"

#include <algorithm>

namespace medveil {

namespace {

/// Σv and Σv² of the 8×8 block at (x0, y0), row by row (sums of integers: exact in doubles, in any order).
template <typename Pixel> void blockSums(const Image& image, int x0, int y0, double& sum, double& sumSq)
{
    for (int y = y0; y < y0 + TextureMap::kBlock; ++y) {
        const Pixel* row = image.mat().ptr<Pixel>(y) + x0;
        for (int x = 0; x < TextureMap::kBlock; ++x) {
            const double v = row[x];
            sum += v;
            sumSq += v * v;
        }
    }
}

} // namespace

std::vector<double> TextureMap::blockMse(const Image& image)
{
    const int bx = image.width() / kBlock, by = image.height() / kBlock;
    std::vector<double> mse(size_t(bx) * by);
    for (int j = 0; j < by; ++j) {
        for (int i = 0; i < bx; ++i) {
            double sum = 0, sumSq = 0;
            if (image.bitDepth() == 16)
                blockSums<uint16_t>(image, i * kBlock, j * kBlock, sum, sumSq);
            else
                blockSums<uint8_t>(image, i * kBlock, j * kBlock, sum, sumSq);
            const double n = kBlock * kBlock;
            const double mean = sum / n;
            mse[size_t(j) * bx + i] = std::max(0.0, sumSq / n - mean * mean);
        }
    }
    return mse;
}

TextureMap TextureMap::fromMse(const std::vector<double>& mse, int imageWidth, int imageHeight,
                               const Rect& keyRegion, double threshold)
{
    return fromMse(mse, imageWidth, imageHeight, std::vector<Rect>{keyRegion}, threshold);
}

TextureMap TextureMap::fromMse(const std::vector<double>& mse, int imageWidth, int imageHeight,
                               const std::vector<Rect>& keyRegions, double threshold)
{
    TextureMap map;
    map.m_blocksX = imageWidth / kBlock;
    map.m_blocksY = imageHeight / kBlock;
    map.m_texture.assign(size_t(map.m_blocksX) * map.m_blocksY, 0);
    for (int j = 0; j < map.m_blocksY; ++j) {
        for (int i = 0; i < map.m_blocksX; ++i) {
            const Rect block{i * kBlock, j * kBlock, kBlock, kBlock};
            const size_t index = size_t(j) * map.m_blocksX + i;
            const bool inRegion = std::any_of(keyRegions.begin(), keyRegions.end(),
                                              [&](const Rect& r) { return block.intersects(r); });
            map.m_texture[index] = !inRegion && mse[index] > threshold;
        }
    }
    return map;
}

size_t TextureMap::textureBlockCount() const
{
    size_t n = 0;
    for (uint8_t t : m_texture)
        n += t;
    return n;
}

std::vector<int> TextureMap::textureBlocks() const
{
    std::vector<int> out;
    for (size_t i = 0; i < m_texture.size(); ++i)
        if (m_texture[i])
            out.push_back(static_cast<int>(i));
    return out;
}

Bytes TextureMap::serialize() const
{
    Bytes out;
    appendU16(out, static_cast<uint16_t>(m_blocksX));
    appendU16(out, static_cast<uint16_t>(m_blocksY));
    Bytes bits((m_texture.size() + 7) / 8, 0);
    for (size_t i = 0; i < m_texture.size(); ++i)
        if (m_texture[i])
            bits[i / 8] |= uint8_t(1u << (i % 8));
    out.insert(out.end(), bits.begin(), bits.end());
    return out;
}

Result<TextureMap> TextureMap::deserialize(const Bytes& data)
{
    ByteReader reader(data);
    auto bx = reader.u16();
    auto by = reader.u16();
    if (!bx || !by)
        return makeError(ErrorKind::BadInput, "texture map is truncated");
    TextureMap map;
    map.m_blocksX = *bx;
    map.m_blocksY = *by;
    const size_t count = size_t(map.m_blocksX) * map.m_blocksY;
    auto bits = reader.take((count + 7) / 8);
    if (!bits || reader.remaining() != 0)
        return makeError(ErrorKind::BadInput, "texture map has the wrong length");
    map.m_texture.resize(count);
    for (size_t i = 0; i < count; ++i)
        map.m_texture[i] = ((*bits)[i / 8] >> (i % 8)) & 1;
    return map;
}

} // namespace medveil
