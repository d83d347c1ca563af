// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Progress.h"
#include "core/Result.h"
#include "crypto/RsaKey.h"
#include "io/DicomFile.h"
#include "io/ImageIo.h"
#include "keyregion/KeyRegionProtector.h"

#include <filesystem>
#include <map>
#include <optional>
#include <string>

/// read → engine → write, once, for every face of MedVeil (the CLI, the GUI panels, batch): format
/// detection, DICOM in and out (header authenticated with the pixels), signatures, atomic owner-only writes
/// that never replace an input. The CLI parses and prints around these; the GUI calls them from its
/// background jobs — so a protection saved in the GUI is the same file the CLI writes.
namespace medveil::workflow {

/// True for paths ending in .dcm (any case): DICOM is written there.
bool hasDicomExtension(const std::filesystem::path& path);

/// Writes an output image atomically (never over `input`), owner-only: DICOM when `out` ends in .dcm (the
/// source must be DICOM: its dataset is written back with the new pixels, DicomFile::encode), PNG with
/// `metadata` as iTXt otherwise.
Status writeOutputImage(const std::filesystem::path& out, const Image& image,
                        const std::map<std::string, std::string>& metadata,
                        const std::filesystem::path& input, const LoadedImage& source,
                        DicomFile::Instance instance);

/// One protection of an opened file → `out` (DICOM when `out` ends in .dcm and the source is DICOM: its
/// header is then bound into the record). Signed by `signer` when given.
Result<ProtectReport> protectLoaded(const LoadedImage& source, const std::filesystem::path& input,
                                    const std::filesystem::path& out, const RsaKey& recipient,
                                    const ProtectOptions& options, const JobControl& control = {},
                                    const std::optional<RsaKey>& signer = {});
/// protectLoaded() of the file at `input`.
Result<ProtectReport> protectFile(const std::filesystem::path& input, const std::filesystem::path& out,
                                  const RsaKey& recipient, const ProtectOptions& options,
                                  const JobControl& control = {}, const std::optional<RsaKey>& signer = {});

struct RecoveredFile
{
    RecoveredImage recovered;
    std::optional<Bytes> signedBy; ///< fingerprint of the signer's public key; nullopt when unsigned
};

/// Recovery of an opened protected file, checked but not written: the signature first (with `trusted`, an
/// unsigned file or one signed by another key is Auth), then the DICOM header and the pixels.
Result<RecoveredFile> recoverLoaded(const LoadedImage& source, const RsaKey& privateKey,
                                    const JobControl& control = {},
                                    const std::optional<RsaKey>& trusted = {});
/// recoverLoaded() of the file at `input`, the original written to `out` (DICOM when it ends in .dcm).
Result<RecoveredFile> recoverFile(const std::filesystem::path& input, const std::filesystem::path& out,
                                  const RsaKey& privateKey, const JobControl& control = {},
                                  const std::optional<RsaKey>& trusted = {});

} // namespace medveil::workflow
