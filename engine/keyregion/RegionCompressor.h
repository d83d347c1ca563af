// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Bytes.h"
#include "core/Image.h"
#include "core/Result.h"
#include "keyregion/Rect.h"

namespace medveil {

/// Lossless coding of the key region's pixels so that they fit the reversible-hiding capacity
/// (DESIGN §3.3). Pixels are predicted with the median edge detector of LOCO-I/JPEG-LS, residuals
/// are taken modulo 2^bits (one byte per 8-bit pixel; low and high byte planes for 16-bit) and the
/// residual planes are compressed with zstd. Decoding is bit-exact.
namespace RegionCompressor {

/// Compressed pixels of `region` of `image`.
Result<Bytes> compress(const Image& image, const Rect& region);

/// Restores the region's pixels into `image` (which must have the region's size and bit depth).
Status decompress(const Bytes& data, Image& image, const Rect& region);

} // namespace RegionCompressor
} // namespace medveil
