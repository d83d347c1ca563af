// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzz target over the DICOM loading path (DCMTK parse, transfer-syntax decoding, pixel module checks,
// MedVeil's private block) and what MedVeil does next with a file it accepted (identity capture,
// re-encoding). Any input must give a Result, never a crash, an abort or an exception.
// Built as a libFuzzer target with clang (-fsanitize=fuzzer) or with FuzzDriver.cpp as a plain program.
#include "core/Bytes.h"
#include "io/DicomFile.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

using namespace medveil;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static const std::string path =
        (std::filesystem::temp_directory_path() / ("medveil-fuzz-" + std::to_string(::getpid()) + ".dcm"))
            .string();
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), std::streamsize(size));
    }
    auto file = DicomFile::read(path);
    if (file) {
        (void)file->identity();
        (void)file->encode(file->image(), {{"k", "v"}}, DicomFile::Instance::Derived);
    }
    std::filesystem::remove(path);
    return 0;
}

std::vector<Bytes> fuzzSeeds()
{
    std::vector<Bytes> out;
    const std::string dir = "/usr/lib/python3/dist-packages/pydicom/data/test_files/";
    for (const char* name :
         {"CT_small.dcm", "MR_small.dcm", "MR_small_RLE.dcm", "MR_small_jpeg_ls_lossless.dcm",
          "MR_small_implicit.dcm", "MR_small_bigendian.dcm", "JPEG-lossy.dcm", "rtdose_1frame.dcm"}) {
        std::ifstream in(dir + name, std::ios::binary);
        Bytes bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (!bytes.empty())
            out.push_back(std::move(bytes));
    }
    if (out.empty())
        out.push_back(Bytes(132, 0));
    return out;
}
