// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Image.h"
#include "core/Result.h"
#include "crypto/RsaKey.h"
#include "emr/CipherAnalysis.h"

#include <filesystem>
#include <vector>

/// The logistic-sine-cosine cipher on its own (a teaching stage of Guo et al.: `medveil-cli encrypt` and
/// `decrypt`): a grey image encrypted under a fresh 256-bit key, which travels RSA-OAEP-sealed with the
/// plain image's SHA-256 in the PNG's metadata (emr/SealedCipherImage).
namespace medveil::workflow {

/// The pipeline name written into the sealed metadata. "lsc-cipher 2" seals carry the cipher's version as
/// one parameter byte (LscCipherVersion); "lsc-cipher 1" files (earlier releases) carry none and were
/// encrypted with version 1.
constexpr const char* kCipherFormat = "lsc-cipher 2";
constexpr const char* kCipherFormatV1 = "lsc-cipher 1";

struct EncryptedImageFile
{
    Image plain, cipher; ///< for the cipher's statistics
};

/// Encrypts the image at `input` for `recipient` into the PNG `out` (atomic, never over `input`).
Result<EncryptedImageFile> encryptImageFile(const std::filesystem::path& input,
                                            const std::filesystem::path& out, const RsaKey& recipient);

/// Opens a file made by encryptImageFile() with the recipient's private key and writes the plain image to
/// `out`. Auth: a wrong key, or any change to the pixels or the metadata (the decrypted image must match
/// its sealed SHA-256).
Result<Image> decryptImageFile(const std::filesystem::path& input, const std::filesystem::path& out,
                               const RsaKey& privateKey);

/// The cipher's security analysis (emr/CipherAnalysis) of the images at `inputs`: the first image's
/// statistics and the one-pixel-pair study over all of them, every key derived from `seed`.
/// A random seed for analyseCipherOfFiles() (from the system's CSPRNG).
Result<uint64_t> freshAnalysisSeed();

Result<CipherReport> analyseCipherOfFiles(const std::vector<std::filesystem::path>& inputs,
                                          const CipherStudyOptions& options);

} // namespace medveil::workflow
