// SPDX-License-Identifier: GPL-3.0-or-later
#include "emr/ResidualCodec.h"

#include <zstd.h>

namespace medveil::ResidualCodec {

namespace {

constexpr uint8_t kVersion = 1;
// Level 16 (btultra) codes these near-i.i.d. zig-zag planes within 0.1 % of level 19 in a third of the time
// (512² residual: 84,275 vs 84,285 bytes, 70 vs 210 ms); level 12 and below are 15 % larger.
constexpr int kZstdLevel = 16;

int planesFor(int bitDepth)
{
    return bitDepth == 8 ? 2 : 3; // the residual needs bitDepth + 1 bits after the zig-zag map
}

uint32_t zigzag(int32_t v)
{
    return v >= 0 ? uint32_t(v) << 1 : (uint32_t(-v) << 1) - 1;
}

int32_t unzigzag(uint32_t u)
{
    return (u & 1) ? -int32_t((u + 1) >> 1) : int32_t(u >> 1);
}

} // namespace

Result<Bytes> encode(const Image& original, const Image& revealed)
{
    if (original.width() != revealed.width() || original.height() != revealed.height() ||
        original.bitDepth() != revealed.bitDepth())
        return makeError(ErrorKind::Internal, "the reveal differs from the original in size or depth");
    const int planes = planesFor(original.bitDepth());
    const size_t n = original.pixelCount();
    Bytes planar(n * size_t(planes));
    size_t i = 0;
    for (int y = 0; y < original.height(); ++y)
        for (int x = 0; x < original.width(); ++x, ++i) {
            const uint32_t u = zigzag(int32_t(original.at(x, y)) - int32_t(revealed.at(x, y)));
            for (int p = 0; p < planes; ++p)
                planar[size_t(p) * n + i] = uint8_t(u >> (8 * p));
        }
    Bytes out;
    appendU8(out, kVersion);
    appendU32(out, uint32_t(original.width()));
    appendU32(out, uint32_t(original.height()));
    appendU8(out, uint8_t(original.bitDepth()));
    Bytes packed(ZSTD_compressBound(planar.size()));
    const size_t size = ZSTD_compress(packed.data(), packed.size(), planar.data(), planar.size(), kZstdLevel);
    if (ZSTD_isError(size))
        return makeError(ErrorKind::Internal, std::string("zstd: ") + ZSTD_getErrorName(size));
    out.insert(out.end(), packed.begin(), packed.begin() + long(size));
    return out;
}

Result<Image> apply(const Bytes& coded, const Image& revealed)
{
    ByteReader reader(coded);
    auto version = reader.u8();
    auto width = reader.u32(), height = reader.u32();
    auto depth = reader.u8();
    if (!version || !width || !height || !depth || *version != kVersion || int(*width) != revealed.width() ||
        int(*height) != revealed.height() || int(*depth) != revealed.bitDepth())
        return makeError(ErrorKind::BadInput, "the residual does not belong to this image");
    const int planes = planesFor(revealed.bitDepth());
    const size_t n = revealed.pixelCount();
    Bytes planar(n * size_t(planes)); // the size comes from the image, never from the data
    const size_t headerSize = 10;
    const size_t size =
        ZSTD_decompress(planar.data(), planar.size(), coded.data() + headerSize, coded.size() - headerSize);
    if (ZSTD_isError(size) || size != planar.size())
        return makeError(ErrorKind::BadInput, "the residual is damaged");
    MEDVEIL_ASSIGN_OR_RETURN(Image out,
                             Image::create(revealed.width(), revealed.height(), revealed.bitDepth()));
    const int32_t maxValue = out.maxValue();
    size_t i = 0;
    for (int y = 0; y < revealed.height(); ++y)
        for (int x = 0; x < revealed.width(); ++x, ++i) {
            uint32_t u = 0;
            for (int p = 0; p < planes; ++p)
                u |= uint32_t(planar[size_t(p) * n + i]) << (8 * p);
            const int32_t v = int32_t(revealed.at(x, y)) + unzigzag(u);
            if (v < 0 || v > maxValue)
                return makeError(ErrorKind::BadInput, "the residual is damaged (value out of range)");
            out.set(x, y, v);
        }
    return out;
}

} // namespace medveil::ResidualCodec
