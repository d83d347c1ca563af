// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Bytes.h"
#include "core/Image.h"
#include "core/Result.h"

namespace medveil {

/// Lossless coding of the difference between a medical image and the network's reveal of it, so that
/// emr-open can give the original back bit-exactly (issue #14's exact recovery). The residual
/// original − revealed is zig-zag mapped (0, −1, 1, −2, … → 0, 1, 2, 3, …), split into byte planes (two for
/// 8-bit images, three for 16-bit) and the planes are compressed with zstd (level 19). A good reveal leaves
/// small, noise-like residuals, so the low plane carries nearly all of the size.
namespace ResidualCodec {

/// Codes original − revealed (same size and bit depth).
Result<Bytes> encode(const Image& original, const Image& revealed);

/// original = revealed + residual. BadInput for data that do not match `revealed`'s size and depth.
Result<Image> apply(const Bytes& coded, const Image& revealed);

} // namespace ResidualCodec
} // namespace medveil
