// SPDX-License-Identifier: GPL-3.0-or-later
#include "keyregion/RegionCompressor.h"

#include <zstd.h>

#include <algorithm>

namespace medveil::RegionCompressor {

namespace {

// Chosen by measured size and time on the 160×160 key regions of the corpus (issue #28): level 9 takes 0.7 ms
// (MRI) / 1.3 ms (16-bit CT) where level 12 took 1.8 / 5.8 ms (fastest of 15 runs), for 1.0 / 2.3 % more
// bytes; levels above 9 switch zstd to its slower match finders. Any level decompresses the same way, so
// files protected at level 12 recover unchanged.
constexpr int kZstdLevel = 9;

/// Median edge detector (JPEG-LS): W, N, NW → prediction.
inline int medPredict(int w, int n, int nw)
{
    const int low = std::min(w, n), high = std::max(w, n);
    return nw >= high ? low : (nw <= low ? high : w + n - nw);
}

/// The MED predictions of a region in raster order, each from the pixels left (W), above (N) and above-left
/// (NW) inside the region (the region's first pixel predicts 0, its first row from W, its first column from
/// N). `fn(x, y, pixel, prediction)` may change the pixel before the next prediction reads it. Pixel is const
/// (uint8_t or uint16_t) for a const matrix.
template <typename Pixel, typename Matrix, typename Fn>
void forEachPrediction(Matrix& mat, const Rect& r, Fn&& fn)
{
    // The edge cases taken out of the inner loop: MED of (w, w, w) is w, so the first row predicts from
    // the left neighbour (0 for the first pixel) and every later row's first pixel from the one above.
    for (int y = 0; y < r.height; ++y) {
        Pixel* row = mat.template ptr<Pixel>(r.y + y) + r.x;
        if (y == 0) {
            for (int x = 0; x < r.width; ++x)
                fn(x, y, row[x], x > 0 ? int(row[x - 1]) : 0);
            continue;
        }
        const Pixel* above = mat.template ptr<Pixel>(r.y + y - 1) + r.x;
        fn(0, y, row[0], int(above[0]));
        for (int x = 1; x < r.width; ++x)
            fn(x, y, row[x], medPredict(row[x - 1], above[x], above[x - 1]));
    }
}

template <typename Pixel> void residualsOf(const Image& image, const Rect& region, Bytes& residuals)
{
    const int mask = image.maxValue();
    const size_t count = size_t(region.area());
    forEachPrediction<const Pixel>(image.mat(), region,
                                   [&](int x, int y, const Pixel& pixel, int prediction) {
                                       const int r = (int(pixel) - prediction) & mask;
                                       const size_t i = size_t(y) * region.width + x;
                                       residuals[i] = static_cast<uint8_t>(r & 0xff);
                                       if constexpr (sizeof(Pixel) == 2)
                                           residuals[count + i] = static_cast<uint8_t>(r >> 8);
                                   });
}

template <typename Pixel> void restoreFrom(const Bytes& residuals, Image& image, const Rect& region)
{
    const int mask = image.maxValue();
    const size_t count = size_t(region.area());
    forEachPrediction<Pixel>(image.mat(), region, [&](int x, int y, Pixel& pixel, int prediction) {
        const size_t i = size_t(y) * region.width + x;
        int r = residuals[i];
        if constexpr (sizeof(Pixel) == 2)
            r |= residuals[count + i] << 8;
        pixel = static_cast<Pixel>((prediction + r) & mask);
    });
}

} // namespace

Result<Bytes> compress(const Image& image, const Rect& region)
{
    if (!region.insideImage(image.width(), image.height()))
        return makeError(ErrorKind::Internal, "region outside the image");
    const size_t count = size_t(region.area());
    const bool wide = image.bitDepth() == 16;
    Bytes residuals(count * (wide ? 2 : 1));
    if (wide)
        residualsOf<uint16_t>(image, region, residuals);
    else
        residualsOf<uint8_t>(image, region, residuals);
    Bytes out(ZSTD_compressBound(residuals.size()));
    const size_t size = ZSTD_compress(out.data(), out.size(), residuals.data(), residuals.size(), kZstdLevel);
    if (ZSTD_isError(size))
        return makeError(ErrorKind::Internal, std::string("zstd: ") + ZSTD_getErrorName(size));
    out.resize(size);
    return out;
}

Status decompress(const Bytes& data, Image& image, const Rect& region)
{
    if (!region.insideImage(image.width(), image.height()))
        return makeError(ErrorKind::BadInput, "region outside the image");
    const bool wide = image.bitDepth() == 16;
    const size_t count = size_t(region.area());
    Bytes residuals(count * (wide ? 2 : 1));
    const size_t size = ZSTD_decompress(residuals.data(), residuals.size(), data.data(), data.size());
    if (ZSTD_isError(size) || size != residuals.size())
        return makeError(ErrorKind::Auth, "the key-region data is damaged");
    if (wide)
        restoreFrom<uint16_t>(residuals, image, region);
    else
        restoreFrom<uint8_t>(residuals, image, region);
    return {};
}

} // namespace medveil::RegionCompressor
