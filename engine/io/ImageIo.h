// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Bytes.h"
#include "core/Image.h"
#include "core/Result.h"
#include "io/AtomicFile.h"

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace medveil {

class DicomFile;

/// Text pairs stored in PNG iTXt chunks (UTF-8, uncompressed). Keys are 1–79 printable Latin-1
/// characters; binary values must be base64-encoded by the caller.
using PngMetadata = std::map<std::string, std::string>;

/// Container formats MedVeil recognises by their signature bytes.
enum class ImageFormat
{
    Png,
    Jpeg,
    Bmp,
    Tiff,
    Dicom,
    Unknown,
};

ImageFormat detectImageFormat(const Bytes& data);

/// The largest image (width × height) any reader decodes; larger ones are BadInput before a byte of pixel
/// data is decoded (a 261 KB PNG can declare 16384² pixels and take gigabytes). Default kDefaultMaxPixels;
/// the CLI's --max-pixels raises it for the process.
constexpr uint64_t kDefaultMaxPixels = 64ull * 1000 * 1000;
void setMaxPixels(uint64_t pixels);
uint64_t maxPixels();

/// BadInput naming `name` when width × height exceeds maxPixels().
Status checkPixelLimit(uint64_t width, uint64_t height, const std::string& name);

/// Checks a PNG, JPEG, BMP or TIFF image against maxPixels() as its decoder will decode it, before a pixel
/// is allocated: the dimensions come from the decoding library itself (libpng, libjpeg, libtiff: every
/// page and tile; OpenCV's BMP rules), so no header trick can show the check one size and the decoder
/// another. A header the library refuses is BadInput.
Status checkDecodedSize(const Bytes& data, const std::string& name);

/// Decodes a grey 8- or 16-bit PNG, TIFF, BMP or JPEG. Colour, empty, truncated or unrecognised data
/// is BadInput with a message naming `name`. Grey images stored as identical RGB channels are accepted.
Result<Image> decodeImage(const Bytes& data, const std::string& name = "image");

/// readFileBytes + decodeImage.
Result<Image> readImage(const std::filesystem::path& path);

/// An image file's pixels, its container format and (for PNG) its text metadata.
struct LoadedImage
{
    Image image;
    ImageFormat format = ImageFormat::Unknown;
    PngMetadata metadata;                   ///< PNG iTXt, or a DICOM file's MedVeil private block
    std::shared_ptr<const DicomFile> dicom; ///< the dataset, for DICOM inputs (to write DICOM back)
};

/// readImage plus the metadata protected images carry; DICOM files (Part 10) keep their dataset.
Result<LoadedImage> readImageFile(const std::filesystem::path& path);

/// Lossless PNG of the image at its own bit depth, with `metadata` as iTXt chunks before the pixels.
Result<Bytes> encodePng(const Image& image, const PngMetadata& metadata = {});

/// The iTXt/tEXt pairs of a PNG file (empty when there are none). Malformed PNG data is BadInput.
Result<PngMetadata> readPngMetadata(const Bytes& png);

/// encodePng + writeFileAtomically (never over one of `inputs`). Owner-only (0600) by default: images hold
/// patient pixels.
Status writePng(const std::filesystem::path& path, const Image& image, const PngMetadata& metadata = {},
                const std::vector<std::filesystem::path>& inputs = {}, FileMode mode = FileMode::Private);

} // namespace medveil
