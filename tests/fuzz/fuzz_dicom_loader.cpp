// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzz target over the DICOM loading path from memory (DCMTK parse, transfer-syntax decoding, pixel module
// checks, MedVeil's private block) and what MedVeil does next with a file it accepted (identity capture,
// tag listing, digests, re-encoding). Any input must give a Result, never a crash, an abort or an exception.
#include "io/DicomFile.h"

#include <cstddef>
#include <cstdint>

using namespace medveil;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    auto file = DicomFile::fromBytes(Bytes(data, data + size), "fuzz.dcm");
    if (file) {
        (void)file->identity();
        (void)file->attributes();
        (void)file->headerDigest();
        (void)file->protectionDigest();
        (void)file->encode(file->image(), {{"k", "v"}}, DicomFile::Instance::Derived);
    }
    return 0;
}
