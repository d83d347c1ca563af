// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzz target: the embedding plan (PEE layers and location maps) as it comes out of a decrypted protection
// record. Any input gives a Result; an accepted plan serialises back to the same bytes.
#include "FuzzCheck.h"
#include "keyregion/PredictionErrorExpander.h"

#include <cstddef>
#include <cstdint>

using namespace medveil;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const Bytes bytes(data, data + size);
    auto plan = PeePlan::deserialize(bytes);
    if (plan) {
        MEDVEIL_FUZZ_CHECK(plan->serialize() == bytes);
        (void)plan->totalBits();
    }
    return 0;
}
