// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzz target: a PNG's text chunks (iTXt/tEXt, with chunk lengths and CRCs) as readPngMetadata reads them,
// then the public protection info recover() and inspect() take from them.
#include "io/ImageIo.h"
#include "keyregion/ProtectionRecord.h"

#include <cstddef>
#include <cstdint>

using namespace medveil;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const Bytes bytes(data, data + size);
    auto metadata = readPngMetadata(bytes);
    if (metadata)
        (void)PublicProtectionInfo::fromMetadata(*metadata);
    return 0;
}
