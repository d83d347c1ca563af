// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Image.h"
#include "core/Progress.h"
#include "core/Result.h"
#include "crypto/RsaKey.h"
#include "keyregion/Rect.h"

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace medveil {

using InfoPairs = std::vector<std::pair<std::string, std::string>>;

/// How the texture blocks are scrambled after embedding.
enum class Scrambling : uint8_t
{
    Arnold = 0,  ///< the paper's generalised cat map per 8×8 block (≈ 129 maps: undone without the key)
    Permute = 1, ///< a keyed pseudo-random permutation of each block's 64 pixels (BlockPermuter)
};

struct ProtectOptions
{
    std::optional<Rect> region;      ///< nullopt: largest coefficient of variation
    std::optional<double> threshold; ///< nullopt: largest T in 50, 45, …, 5 that holds the payload
    InfoPairs info;                  ///< public pairs for the QR code
    int maxPasses = 10;              ///< embedding passes allowed
    Scrambling scrambling = Scrambling::Arnold;
    /// Further key regions (de-identification boxes): hidden with the first and replaced by a neutral fill;
    /// inside the image, overlapping neither each other nor the first (else BadInput).
    std::vector<Rect> extraRegions;
    double coverage = 0.6;      ///< share of prediction errors an expansion range may cover
    bool measureQuality = true; ///< compute PSNR/SSIM of the result against the original
    /// Run the capacity trial (a second embedding to capacity on another thread, for
    /// ProtectReport::capacityBits only; as long as the protection itself at 512²). Off by default — nothing
    /// the protection writes depends on it: capacityBits is then the payload embedded, a lower bound. Those
    /// that show the figure ask for it (medveil-cli protect, the GUI's Protect tab).
    bool measureCapacity = false;
    /// DicomFile::protectionDigest() of the DICOM file the protection is written to (empty for a PNG): sealed
    /// in the record, so that recover() refuses an edited header.
    Bytes headerDigest;

    bool operator==(const ProtectOptions&) const = default;
};

struct ProtectReport
{
    Rect region;
    std::vector<Rect> extraRegions;
    double threshold = 0;
    size_t payloadBits = 0; ///< encrypted, compressed key region
    /// What the texture blocks hold at this threshold and maxPasses (ProtectOptions::measureCapacity; without
    /// it payloadBits, a lower bound).
    size_t capacityBits = 0;
    int passes = 0;
    size_t textureBlocks = 0;
    size_t embeddablePixels = 0;
    int qrVersion = 0;
    char qrEccLevel = 'L';
    int qrModuleSize = 0;
    Scrambling scrambling = Scrambling::Arnold;
    double psnr = 0;      ///< protected vs original (dB), peak psnrPeak
    double psnrPeak = 0;  ///< dynamicRange(original): 2^BitsStored − 1 for DICOM, 2^bits − 1 otherwise
    double psnrRange = 0; ///< dB, peak = the original's data range
    double ssim = 0;      ///< L = psnrPeak
};

/// A protected image and the PNG metadata that must travel with it.
struct ProtectedImage
{
    Image image;
    std::map<std::string, std::string> metadata;
    ProtectReport report;
};

struct RecoveredImage
{
    Image image;
    bool identical = false; ///< SHA-256 of the restored pixels equals the one sealed at protection
    InfoPairs info;
    Rect region;
    std::vector<Rect> extraRegions;
    Scrambling scrambling = Scrambling::Arnold; ///< what the protection used (from the record)
    /// The DICOM header equals the one protected (its digest is in the record). False for PNGs and for
    /// DICOM files protected by earlier releases, whose header is not authenticated.
    bool headerVerified = false;
};

/// Where a protected image was changed, from the per-block digests of its authenticated record.
struct TamperReport
{
    std::vector<Rect> regions; ///< changed 8×8 blocks, merged into rectangles of at most 64×64
    size_t changedBlocks = 0;
    bool qrChanged = false;       ///< a changed block touches the QR code
    bool metadataChanged = false; ///< the protection data itself changed: no block map can be trusted
};

struct InspectReport
{
    InfoPairs info;
    int qrVersion = 0;
    Rect region;
    bool intact = false; ///< QR readable and pixels unchanged since protection (unauthenticated check)
    std::string problem; ///< why not intact
    bool hasProtectionData = false;
};

struct SweepRow
{
    double threshold = 0;
    double psnr = 0; ///< peak psnrPeak (metrics/ImageMetrics: dynamicRange)
    double psnrPeak = 0;
    double psnrRange = 0; ///< peak = the original's data range
    double ssim = 0;
    size_t payloadBits = 0;
    size_t capacityBits = 0;
    bool fits = false;
    int passes = 0;
};

/// Key-region protection (Li et al. 2020) with MedVeil's security decisions (DESIGN §3):
/// key region → lossless compression → AES-256-GCM → rhombus PEE into texture blocks (MSE > T) →
/// Arnold scrambling of those blocks → QR (public info + RSA-OAEP-sealed key) replaces the region.
/// Recovery is bit-exact and verified against the original's SHA-256; any change to pixels, QR or
/// metadata is an Auth error.
namespace KeyRegionProtector {

[[nodiscard]] Result<ProtectedImage> protect(const Image& original, const RsaKey& recipient,
                                             const ProtectOptions& options, const JobControl& control = {});

/// The random inputs of one protection, which protect() draws fresh each time. Fixed, they make a protection
/// reproducible bit for bit: the golden-output test (tests/engine/test_golden.cpp) compares such outputs with
/// committed digests. Never reuse them for real files — a fixed master key and nonces reuse AES-GCM nonces.
struct ProtectionEntropy
{
    Bytes master;       ///< 32 bytes: the key every subkey is derived from
    Bytes sealedKey;    ///< RSA-OAEP ciphertext of "MV", 1, master for the recipient (what the QR carries)
    Bytes payloadNonce; ///< 12 bytes: AES-GCM nonce of the hidden key region
    Bytes recordNonce;  ///< 12 bytes: AES-GCM nonce of the protection record
};

/// protect() with `entropy` instead of fresh random material (see ProtectionEntropy).
[[nodiscard]] Result<ProtectedImage> protectWithEntropy(const Image& original, const RsaKey& recipient,
                                                        const ProtectOptions& options,
                                                        const ProtectionEntropy& entropy,
                                                        const JobControl& control = {});

/// `headerDigest`: DicomFile::protectionDigest() of the DICOM file the image was read from (empty for a
/// PNG). A header changed since protection, missing, or added around a PNG protection is an Auth error.
/// `legacyHeaderDigest`: DicomFile::legacyProtectionDigest(), also accepted (protections of earlier
/// releases).
[[nodiscard]] Result<RecoveredImage> recover(const Image& protectedImage,
                                             const std::map<std::string, std::string>& metadata,
                                             const RsaKey& privateKey, const JobControl& control = {},
                                             const Bytes& headerDigest = {},
                                             const Bytes& legacyHeaderDigest = {});

/// After recover() refused an image: which 8×8 blocks changed since protection (needs the right key — the
/// digests are inside the authenticated record; a wrong key is the same error recover() gives). Files of
/// earlier releases (no digests) and changed protection data give metadataChanged and no regions.
[[nodiscard]] Result<TamperReport> locateTampering(const Image& protectedImage,
                                                   const std::map<std::string, std::string>& metadata,
                                                   const RsaKey& privateKey);

/// BadInput when `info` cannot go into the QR code as given (invalid UTF-8, control characters, a reserved
/// or malformed key, too long): what protect() accepts, recover() gives back exactly. protect() checks it
/// first; the GUI calls it to explain a field before starting.
[[nodiscard]] Status checkPublicInfo(const InfoPairs& info);

/// Public information, no key needed.
[[nodiscard]] Result<InspectReport> inspect(const Image& protectedImage,
                                            const std::map<std::string, std::string>& metadata);

/// PSNR/SSIM of the protected image against the original, payload and capacity per threshold
/// (the paper's Figs. 9–11). Deterministic: keys are derived from the image, nothing is sealed.
[[nodiscard]] Result<std::vector<SweepRow>> sweep(const Image& original,
                                                  const std::vector<double>& thresholds,
                                                  const std::optional<Rect>& region,
                                                  const InfoPairs& info = {}, const JobControl& control = {});

/// The auto key region and the ranked alternatives for the GUI (same rules as protect()).
[[nodiscard]] Result<std::vector<Rect>> candidateRegions(const Image& original, const InfoPairs& info = {},
                                                         int rsaBits = 2048);

} // namespace KeyRegionProtector
} // namespace medveil
