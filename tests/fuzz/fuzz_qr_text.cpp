// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzz target: the text read from a QR code (MedVeil magic, key=value lines, "RSA:" + base45) and the
// base45/base64 decoders under it. Any input gives a Result.
#include "keyregion/QrCodec.h"

#include <cstddef>
#include <cstdint>
#include <string>

using namespace medveil;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    (void)QrCodec::parse(text);
    (void)base45Decode(text);
    (void)base64Decode(text);
    return 0;
}
