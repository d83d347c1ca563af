// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Bytes.h"
#include "core/Result.h"

#include <opencv2/core/mat.hpp>

#include <string>

namespace medveil {

/// JPEG, TIFF and BMP are decoded by OpenCV's imgcodecs, which on Debian drags in ~120 shared libraries
/// (GDAL, GDCM, OpenEXR, …). It lives in a plugin, libmedveil_codecs.so, loaded on the first such file,
/// so PNG and DICOM work (and every start-up) never map it. MEDVEIL_CODECS_PLUGIN names another plugin
/// file (tests); the default is the plugin directory beside the executable (core/InstallLayout.h).
/// Returns what cv::imdecode(IMREAD_UNCHANGED) returns; an empty matrix when it cannot decode the data.
/// A missing plugin is an Internal error naming the file.
Result<cv::Mat> decodeWithCodecModule(const Bytes& data, const std::string& name);

} // namespace medveil

/// The plugin's entry point: 0 decoded (possibly to an empty matrix), 1 OpenCV threw (message in `error`).
extern "C" int medveil_codecs_decode(const uint8_t* data, size_t size, cv::Mat* out, char* error,
                                     size_t errorSize);
