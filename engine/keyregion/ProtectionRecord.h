// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Bytes.h"
#include "core/Result.h"
#include "keyregion/PredictionErrorExpander.h"
#include "keyregion/QrCodec.h"
#include "keyregion/Rect.h"
#include "keyregion/TextureMap.h"

#include <map>
#include <string>
#include <vector>

namespace medveil {

/// Everything the decoder needs besides the private key and the pixels (DESIGN §3.4): the image's
/// size and depth, the key region, the threshold, the encoder's texture map (embedding changes block
/// MSE, so it cannot be recomputed), the embedding plan with its location maps, the payload length and
/// the SHA-256 of the original pixels; since version 2 the digest of the DICOM header the protection was
/// written in (empty for a PNG). Stored zstd-compressed and AES-256-GCM-encrypted in the PNG.
struct ProtectionRecord
{
    static constexpr uint8_t kVersion = 3;
    /// Since version 3 the per-block digests are keyed (SipHash-2-4); before, SHA-256.
    static constexpr uint8_t kKeyedBlockDigests = 3;

    int width = 0;
    int height = 0;
    int bitDepth = 8;
    Rect region;
    double threshold = 0;
    TextureMap texture;
    PeePlan plan;
    uint32_t payloadBytes = 0;
    Bytes originalSha256;
    Bytes headerDigest;     ///< DicomFile::protectionDigest(), or empty
    uint8_t scrambling = 0; ///< 0 Arnold (the paper), 1 keyed block permutation (since version 2)
    /// 16-bit digests of every 8×8 block of the protected image (partial edge blocks included, row-major),
    /// so that recovery can name the blocks changed since protection (since version 2; keyed since 3).
    Bytes blockDigests;
    /// Key regions beyond the first (the QR code's), replaced by a neutral fill (since version 2).
    std::vector<Rect> extraRegions;
    uint8_t version = kVersion; ///< as read (1: before header digests; 2: unkeyed block digests)

    /// The QR code's region, then the extra ones: every region the payload holds.
    [[nodiscard]] std::vector<Rect> regions() const
    {
        std::vector<Rect> all{region};
        all.insert(all.end(), extraRegions.begin(), extraRegions.end());
        return all;
    }

    [[nodiscard]] Result<Bytes> serialize() const;
    static Result<ProtectionRecord> deserialize(const Bytes& compressed);
};

/// The public, unencrypted part of a protected PNG's metadata (PNG iTXt keys "MedVeil:…").
struct PublicProtectionInfo
{
    static constexpr const char* kFormatKey = "MedVeil:format";
    static constexpr const char* kFormatValue = "key-region 1";
    static constexpr const char* kGeometryKey = "MedVeil:qr";
    static constexpr const char* kSideKey = "MedVeil:side";
    static constexpr const char* kPixelsKey = "MedVeil:pixels-sha256";

    int width = 0;
    int height = 0;
    QrGeometry geometry;
    Bytes sealedRecord;
    std::string pixelsSha256Hex;

    [[nodiscard]] std::map<std::string, std::string> toMetadata() const;
    /// BadInput when the metadata carries no MedVeil format tag; Auth when it does but is malformed.
    static Result<PublicProtectionInfo> fromMetadata(const std::map<std::string, std::string>& metadata);
};

} // namespace medveil
