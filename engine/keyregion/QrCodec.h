// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Bytes.h"
#include "core/Image.h"
#include "core/Result.h"
#include "keyregion/Rect.h"

#include <string>
#include <utility>
#include <vector>

namespace medveil {

/// What the QR code that replaces the key region says: public study information anyone can read
/// (hospital, department, doctor, patient number, time, contact, image type, …) and the RSA-OAEP
/// ciphertext only the private key opens.
struct QrContent
{
    std::vector<std::pair<std::string, std::string>> info;
    Bytes sealedKey;

    bool operator==(const QrContent&) const = default;
};

/// Where the symbol sits: the key region, the module size in pixels and the module count per side.
/// The symbol is centred in the region; the rest of the region is white quiet zone (≥ 4 modules).
struct QrGeometry
{
    Rect region;
    int moduleSize = 0;
    int modules = 0;
    int white = 255; ///< grey level of light modules (the image's peak value: 255, or the 16-bit data's max)

    [[nodiscard]] int version() const { return (modules - 17) / 4; }
    [[nodiscard]] int symbolLeft() const { return region.x + (region.width - modules * moduleSize) / 2; }
    [[nodiscard]] int symbolTop() const { return region.y + (region.height - modules * moduleSize) / 2; }
};

/// An encoded symbol: dark modules row-major, plus the level libqrencode used.
struct QrSymbol
{
    int modules = 0;
    char eccLevel = 'L';
    std::vector<uint8_t> dark;
};

/// Writes QR codes with libqrencode and reads them with ZXing-C++.
///
/// Text layout (readable by any phone app): a UTF-8 byte segment (with ECI 26) holding
/// "MEDVEIL 1\n" and one "key=value\n" line per public pair, then an alphanumeric segment
/// "RSA:" + base45(ciphertext).
///
/// Reading is defensive: Debian's ZXing is built with assertions and can abort() on noisy input
/// in pure mode, so read() first checks that the crop is a perfect module grid (every module one flat
/// colour, black or white, quiet zone white) and hands ZXing a clean redrawn symbol.
class QrCodec
{
public:
    static constexpr int kQuietZone = 4;
    static constexpr const char* kMagic = "MEDVEIL 1";
    static constexpr size_t kMaxInfoPairs = 64;
    static constexpr size_t kMaxInfoKeyBytes = 64;
    static constexpr size_t kMaxInfoValueBytes = 1024;

    /// BadInput unless every pair comes back from the QR code exactly as given: key and value valid UTF-8
    /// without control characters (core/DisplayText.h), the key non-empty without '=' or spaces and not
    /// starting with the reserved "RSA:" or "MEDVEIL" (any case), at most kMaxInfoPairs pairs of at most
    /// kMaxInfoKeyBytes / kMaxInfoValueBytes. encode() checks it; protect() before any work.
    static Status checkInfo(const std::vector<std::pair<std::string, std::string>>& info);

    /// The QR text for `content` (the byte and alphanumeric parts).
    static std::pair<std::string, std::string> textSegments(const QrContent& content);
    /// Parses decoded QR text; anything that is not a MedVeil QR is BadInput.
    static Result<QrContent> parse(const std::string& text);

    /// Encodes with the highest error-correction level whose modules are ≥ 2 px in a region of
    /// `regionSide` (≥ 1 px for small regions). BadInput when even ECC L at 1 px/module does not fit.
    static Result<std::pair<QrSymbol, int>> encode(const QrContent& content, int regionSide);
    /// Smallest square region side that holds `content` at 1 px per module (2 px when `preferTwo`).
    static Result<int> minimumRegionSide(const QrContent& content, bool preferTwo);

    /// The grey level of the light modules in `image`: 255 for 8-bit, the image's own peak for 16-bit (a
    /// 12-bit CT keeps a QR that reads in its own window).
    static int whiteLevel(const Image& image);
    /// Draws the symbol into `region` of `image` (light level `white`, dark modules 0, exact pixels).
    static QrGeometry render(const QrSymbol& symbol, int moduleSize, int white, Image& image,
                             const Rect& region);

    /// Reads the symbol at `geometry` from `image`. A damaged grid is ErrorKind::Auth (the image was
    /// changed).
    static Result<QrContent> read(const Image& image, const QrGeometry& geometry,
                                  std::string* rawText = nullptr);

    /// How many decodes this process has run in a forked child (read() of a grid that is not exactly a
    /// writer's, and scan()): for the tests and the benchmark, which check that recovery needs none.
    static uint64_t isolatedDecodeCount();

    /// Searches a whole image for a MedVeil QR code (ZXing, not pure mode) and returns its text, or
    /// BadInput when there is none. Used to recognise protected images that lost their metadata.
    static Result<std::string> scan(const Image& image);
};

} // namespace medveil
