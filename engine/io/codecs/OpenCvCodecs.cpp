// SPDX-License-Identifier: GPL-3.0-or-later
// libmedveil_codecs.so: OpenCV's imgcodecs for JPEG, TIFF and BMP input, loaded on first use
// (io/ImageCodecModule.h). The only translation unit that includes imgcodecs.
#include "io/ImageCodecModule.h"

#include <opencv2/imgcodecs.hpp>

#include <cstring>

extern "C" __attribute__((visibility("default"))) int
medveil_codecs_decode(const uint8_t* data, size_t size, cv::Mat* out, char* error, size_t errorSize)
{
    try {
        const cv::Mat buffer(1, static_cast<int>(size), CV_8UC1, const_cast<uint8_t*>(data));
        *out = cv::imdecode(buffer, cv::IMREAD_UNCHANGED);
        return 0;
    } catch (const std::exception& e) {
        if (errorSize > 0) {
            std::strncpy(error, e.what(), errorSize - 1);
            error[errorSize - 1] = '\0';
        }
        return 1;
    }
}
