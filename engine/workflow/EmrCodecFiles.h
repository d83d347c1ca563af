// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Result.h"

#include <filesystem>
#include <string>

/// The EMR's encoded image on its own (the first stage of Guo et al., `medveil-cli emr-encode` and
/// `emr-decode`): a record file as base-k digits in a PNG, and back.
namespace medveil::workflow {

struct EncodedEmrFile
{
    size_t emrBytes = 0, capacityBytes = 0;
    int base = 4;
    int noiseTolerance = 0; ///< the per-pixel error that still decodes exactly
};

/// The UTF-8 record at `emr` as a `width`×`height` encoded image (padding from OpenSSL's CSPRNG) → `out`.
/// BadInput for invalid UTF-8, Capacity when the record does not fit.
Result<EncodedEmrFile> encodeEmrFile(const std::filesystem::path& emr, const std::filesystem::path& out,
                                     int width, int height, int base);

/// The record of the encoded image at `input` (CRC-32 checked) → `out`, owner-only. Returns its bytes.
Result<std::string> decodeEmrFile(const std::filesystem::path& input, const std::filesystem::path& out);

} // namespace medveil::workflow
