// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzz target: the protection record recover() reads once the payload is decrypted: size, regions, texture
// map, embedding plan, digests. The input is the record's uncompressed form (the corpus holds real ones);
// the target compresses it as serialize() does, so that mutations reach the fields rather than break the
// zstd frame, and also reads the input itself as a frame. Any input gives a Result; an accepted record
// serialises and reads back to the same fields.
#include "FuzzCheck.h"
#include "keyregion/ProtectionRecord.h"

#include <cstddef>
#include <cstdint>
#include <zstd.h>

using namespace medveil;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const Bytes bytes(data, data + size);
    Bytes frame(ZSTD_compressBound(size));
    const size_t framed = ZSTD_compress(frame.data(), frame.size(), data, size, 1);
    if (ZSTD_isError(framed))
        return 0;
    frame.resize(framed);
    (void)ProtectionRecord::deserialize(bytes);
    auto record = ProtectionRecord::deserialize(frame);
    if (record) {
        (void)record->regions();
        auto written = record->serialize();
        if (written) {
            auto again = ProtectionRecord::deserialize(*written);
            MEDVEIL_FUZZ_CHECK(again.ok() && again->width == record->width &&
                               again->height == record->height && again->plan == record->plan &&
                               again->texture.serialize() == record->texture.serialize() &&
                               again->originalSha256 == record->originalSha256 &&
                               again->blockDigests == record->blockDigests);
        }
    }
    (void)TextureMap::deserialize(bytes);
    return 0;
}
