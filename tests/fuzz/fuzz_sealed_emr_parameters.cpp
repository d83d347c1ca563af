// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzz target: the sealed EMR parameters of every version (what emr-open reads after unwrapping the key).
// Any input gives a Result; an accepted record serialises back to the same bytes.
#include "FuzzCheck.h"
#include "emr/SealedEmrParameters.h"

#include <cstddef>
#include <cstdint>

using namespace medveil;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const Bytes bytes(data, data + size);
    auto parameters = SealedEmrParameters::parse(bytes);
    if (parameters) {
        auto written = parameters->serialize();
        MEDVEIL_FUZZ_CHECK(written.ok() && *written == bytes);
    }
    return 0;
}
