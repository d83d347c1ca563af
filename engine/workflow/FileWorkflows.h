// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Progress.h"
#include "core/Result.h"
#include "crypto/RsaKey.h"
#include "emr/EmrSealer.h"
#include "emr/HiNet.h"
#include "io/DicomFile.h"
#include "io/ImageIo.h"
#include "keyregion/KeyRegionProtector.h"
#include "workflow/TrustedSenders.h"

#include <filesystem>
#include <map>
#include <optional>
#include <string>

/// read → engine → write, once, for every face of MedVeil (the CLI, the GUI panels, batch): format
/// detection, DICOM in and out (header authenticated with the pixels), signatures, atomic owner-only writes
/// that never replace an input. The CLI parses and prints around these; the GUI calls them from its
/// background jobs — so a protection saved in the GUI is the same file the CLI writes.
namespace medveil::workflow {

/// What an opened file is — which workflow takes it — read from MedVeil's metadata (nothing verified yet).
enum class FileKind
{
    Plain,              ///< an image to protect or seal
    KeyRegionProtected, ///< made by protect: for recovery
    SealedEmr,          ///< made by emr-seal: for emr-open
    SealedCipher,       ///< made by encrypt (the teaching cipher stage): for decrypt
    OtherMedVeil,       ///< MedVeil metadata of a format this release does not know (never protected again)
};
FileKind classify(const LoadedImage& file);

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

/// The recipient key size a preview assumes while no recipient is chosen.
constexpr int kAssumedPreviewKeyBits = 2048;

/// What the Protect tab shows before saving: the protection itself, computed with the recipient's public key
/// (the RSA ciphertext in the QR code decides its version, hence the region the automatic choice needs, the
/// capacity and PSNR/SSIM). savePreview() writes exactly these pixels, so every figure shown is the file's.
struct ProtectPreview
{
    ProtectedImage protection; ///< the protected pixels, their metadata and the report (region, QR, figures)
    int keyBits = kAssumedPreviewKeyBits; ///< the recipient key size the preview was computed for
    bool keyAssumed = false;              ///< no recipient chosen: keyBits is kAssumedPreviewKeyBits
    std::string note;                     ///< says which size is assumed, when it is
    // What it was computed from: savePreview() writes it only for the same inputs.
    Image original;             ///< the pixels protected
    ProtectOptions options;     ///< as asked (without the header digest)
    Bytes recipientFingerprint; ///< RsaKey::fingerprint() of the recipient; empty when the key was assumed
    bool headerBound = false;   ///< the DICOM header's digest is sealed in the record (a .dcm output)
};
/// The preview of protecting `source` for `recipient` (its public key); nullopt: a throw-away key of
/// kAssumedPreviewKeyBits bits, and the note says so (such a preview is never saved). `dicomOutput`: the
/// file will be DICOM (a .dcm output of a DICOM source), so the header is bound into the record as
/// protectLoaded() binds it.
Result<ProtectPreview> preview(const LoadedImage& source, const ProtectOptions& options,
                               const std::optional<RsaKey>& recipient, const JobControl& control = {},
                               bool dicomOutput = false);

/// What savePreview() wrote.
struct SavedProtection
{
    ProtectReport report;        ///< the written file's (the preview's when previewWritten)
    bool previewWritten = false; ///< the previewed pixels and record as they were; false: protected anew
    int keyBits = 0;             ///< the recipient's key size
};
/// Writes the protection of `source` for `recipient` with `options` to `out`: the previewed one itself when
/// `previewed` was computed for exactly these (pixels, options, recipient key, DICOM or PNG output), so
/// the file is what was shown; otherwise (an input changed since, or no preview) protectLoaded() runs
/// anew and the report says what was written. Signed by `signer` when given.
Result<SavedProtection> savePreview(const ProtectPreview* previewed, const LoadedImage& source,
                                    const std::filesystem::path& input, const std::filesystem::path& out,
                                    const RsaKey& recipient, const ProtectOptions& options,
                                    const JobControl& control = {}, const std::optional<RsaKey>& signer = {});
/// The automatic key region and its ranked alternatives for a recipient of `keyBits` bits (the QR code's
/// size depends on it): what the Protect tab offers and what protect chooses.
Result<std::vector<Rect>> previewRegions(const Image& image, const InfoPairs& info, int keyBits);

struct RecoveredFile
{
    RecoveredImage recovered;
    std::optional<Bytes> signedBy; ///< fingerprint of the signer's public key; nullopt when unsigned
};

/// Recovery of an opened protected file, checked but not written: the signature first (a file not signed
/// as `signer` requires is Auth), then the DICOM header and the pixels.
Result<RecoveredFile> recoverLoaded(const LoadedImage& source, const RsaKey& privateKey,
                                    const JobControl& control = {}, const SignerRequirement& signer = {});
/// What anyone can read of a protected file without a key: the QR's public information (or why the file
/// cannot be recovered) and who signed it — checked, not trusted (recover --verify trusts a sender).
struct InspectedFile
{
    Result<InspectReport> report;
    Result<std::optional<Bytes>> signer; ///< fingerprint of the signer; nullopt when unsigned
};
/// `medveil-cli inspect` and the Recover tab's first look at a file.
InspectedFile inspectLoaded(const LoadedImage& file);

/// The verdict of an inspection, worded once for `medveil-cli inspect` and the Recover tab.
struct InspectVerdict
{
    bool intact = false; ///< QR readable, pixels and metadata unchanged since protection, signature valid
    int exitCode = 0;    ///< inspect's exit code: 0 intact, 3 (modified after protection) otherwise
    std::string
        text; ///< "QR version 12 · looks intact …", "NOT intact: …", "QR code read; NOT recoverable: …"
};
/// What an inspection says. A file whose report could not be made at all is not judged here: its error
/// (exit 2 for a file that was never protected) stands.
InspectVerdict inspectVerdict(const InspectedFile& inspected);

/// recoverLoaded() of the file at `input`, the original written to `out` (DICOM when it ends in .dcm).
Result<RecoveredFile> recoverFile(const std::filesystem::path& input, const std::filesystem::path& out,
                                  const RsaKey& privateKey, const JobControl& control = {},
                                  const SignerRequirement& signer = {});

/// emr-seal's choices.
struct SealOptions
{
    int base =
        EmrSealer::kAutoBase; ///< digits of the encoded image: 2, 4, 16, or auto (2 when the record fits)
    EmrRecovery recovery = EmrRecovery::Exact; ///< exact: a lossless residual rides along
    std::optional<RsaKey> signer;              ///< signs the sealed file (RSA-PSS) when given
};

struct SealedEmrFile
{
    SealedEmr sealed;
    size_t identityAttributes = 0,
           privateAttributes = 0; ///< moved out of a DICOM header (0 for other inputs)
    std::optional<Bytes> signedBy;
};

/// emr-seal of an opened medical image with `emr` → `out`, never over `inputs` (the image, the record
/// file). A DICOM source's identity leaves the header into its own encrypted part of the payload; a .dcm
/// `out` (DICOM sources only) is a de-identified Secondary Capture whose header digest is sealed with the
/// key; PNG otherwise. Written atomically, owner-only.
Result<SealedEmrFile> sealEmrLoaded(const LoadedImage& source, const std::string& emr,
                                    const RsaKey& recipient, HiNetModel& network,
                                    const std::filesystem::path& out,
                                    const std::vector<std::filesystem::path>& inputs,
                                    const SealOptions& options = {}, const JobControl& control = {});
/// The same, with the network taken from `network` only when the seal first needs it (HiNetPreload: it loads
/// while the DICOM header is prepared and the record encoded).
Result<SealedEmrFile> sealEmrLoaded(const LoadedImage& source, const std::string& emr,
                                    const RsaKey& recipient, const HiNetSource& network,
                                    const std::filesystem::path& out,
                                    const std::vector<std::filesystem::path>& inputs,
                                    const SealOptions& options = {}, const JobControl& control = {});

struct OpenedEmrFile
{
    OpenedEmr opened;
    std::optional<Bytes> signedBy; ///< fingerprint of the signer's public key; nullopt when unsigned
    /// A sealed DICOM's original header with the revealed pixels (DicomFile::restored): the revealed image's
    /// modality scale (HU for CT) and window. Null for PNG seals.
    std::shared_ptr<const DicomFile> restoredDicom;
};

/// emr-open of an opened sealed file, checked but not written: the signature first (a file not signed as
/// `signer` requires is Auth), then the seal with the DICOM header bound into it.
Result<OpenedEmrFile> openEmrLoaded(const LoadedImage& sealed, const RsaKey& privateKey, HiNetModel& network,
                                    const JobControl& control = {}, const SignerRequirement& signer = {});
/// The same, with the network taken from `network` only when the open first needs it (HiNetPreload: it
/// loads while the signature, the seal and the record are checked and decrypted).
Result<OpenedEmrFile> openEmrLoaded(const LoadedImage& sealed, const RsaKey& privateKey,
                                    const HiNetSource& network, const JobControl& control = {},
                                    const SignerRequirement& signer = {});

/// Where an opened seal goes: the record (exactly the sealed text), the image (DICOM with the original
/// header restored when `image` ends in .dcm and the seal came from DICOM, PNG otherwise) and, only when
/// asked for, the readable identity lines.
/// The PNG text entry a network-only (lossy) reveal is saved with.
constexpr const char* kLossyRevealKey = "MedVeil:lossy";
constexpr const char* kLossyRevealText = "network-only reveal: lossy, not for diagnosis";

struct OpenedEmrOutputs
{
    std::filesystem::path emr, image;
    std::optional<std::filesystem::path> identity;
};

/// Writes an openEmrLoaded() result: owner-only files that appear together or not at all, never over
/// `input`. The key of the header's encrypted elements never reaches a file.
Status writeOpenedEmr(const OpenedEmrFile& result, const LoadedImage& sealed,
                      const std::filesystem::path& input, const OpenedEmrOutputs& outputs);

} // namespace medveil::workflow
