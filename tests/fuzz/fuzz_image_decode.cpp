// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzz target: the image reader (PNG, TIFF, BMP, JPEG: format detection, the header size check, the
// decoders). Any input gives a Result. The pixel limit is lowered so that each input decodes quickly; a
// header that hides its real size from the check shows as a slow input or an out-of-memory report.
#include "io/ImageIo.h"

#include <cstddef>
#include <cstdint>

using namespace medveil;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static const bool limited = [] {
        setMaxPixels(4ull << 20);
        return true;
    }();
    (void)limited;
    const Bytes bytes(data, data + size);
    (void)detectImageFormat(bytes);
    (void)checkDecodedSize(bytes, "fuzz");
    (void)decodeImage(bytes, "fuzz");
    return 0;
}
