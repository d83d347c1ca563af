// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Bytes.h"
#include "core/Result.h"

#include <opencv2/core/mat.hpp>

namespace medveil {

/// PNG read and written with libpng directly: the commands that only see PNG never load OpenCV's
/// imgcodecs (and the GDAL/GDCM/… chain behind it on Debian), which cost the CLI most of its start-up.

/// Decodes a PNG to a 1-channel 8- or 16-bit matrix. Pixels are what OpenCV's imdecode(IMREAD_UNCHANGED)
/// gives and decodeImage() used to accept: grey as it is; palette, RGB and grey + alpha only when every
/// pixel is grey (equal colour channels) and opaque. Grey of 1, 2 or 4 bits is widened to 8 bits by
/// repeating the bits (as libpng expands them; 1 → 255). BadInput with `name` otherwise.
Result<cv::Mat> decodePngPixels(const Bytes& png, const std::string& name);

/// A PNG of a 1-channel 8- or 16-bit matrix without text chunks. 8-bit: zlib's run-length strategy with
/// libpng's adaptive row filters (3–8× faster than zlib level 6, and on MedVeil's corpus its originals
/// are 7–18 % smaller and its protected images as large in total, ±1.6 % each); 16-bit: zlib level 6,
/// whose files are up to 20 % smaller than the run-length ones on 12-bit CT/MR data.
Result<Bytes> encodePngPixels(const cv::Mat& mat);

} // namespace medveil
