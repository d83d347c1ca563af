// SPDX-License-Identifier: GPL-3.0-or-later
#include "io/ImageIo.h"

#include "io/DecoderHeaders.h"
#include "io/DicomFile.h"

#include "io/AtomicFile.h"
#include "io/ImageCodecModule.h"
#include "io/PngCodec.h"

#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <cstring>

namespace medveil {

namespace {

constexpr uint8_t kPngSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

uint32_t readBigEndian32(const uint8_t* p)
{
    return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}

void appendBigEndian32(Bytes& out, uint32_t v)
{
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(static_cast<uint8_t>(v >> shift));
}

struct PngChunk
{
    std::string type;
    size_t dataOffset = 0;
    size_t length = 0;
};

/// Walks the chunk list, checking bounds and CRCs; a file without IEND is truncated.
Result<std::vector<PngChunk>> parsePngChunks(const Bytes& png)
{
    if (png.size() < 8 || std::memcmp(png.data(), kPngSignature, 8) != 0)
        return makeError(ErrorKind::BadInput, "not a PNG file");
    std::vector<PngChunk> chunks;
    size_t pos = 8;
    while (pos + 12 <= png.size()) {
        const size_t length = readBigEndian32(png.data() + pos);
        if (length > png.size() - pos - 12)
            return makeError(ErrorKind::BadInput, "PNG is truncated (a chunk runs past the end of the file)");
        PngChunk chunk;
        chunk.type.assign(reinterpret_cast<const char*>(png.data() + pos + 4), 4);
        chunk.dataOffset = pos + 8;
        chunk.length = length;
        const uint32_t storedCrc = readBigEndian32(png.data() + pos + 8 + length);
        const uint32_t crc =
            static_cast<uint32_t>(::crc32(0L, png.data() + pos + 4, static_cast<uInt>(length + 4)));
        if (crc != storedCrc)
            return makeError(ErrorKind::BadInput, "PNG chunk " + chunk.type + " is corrupt (CRC mismatch)");
        chunks.push_back(chunk);
        pos += length + 12;
        if (chunk.type == "IEND")
            return chunks;
    }
    return makeError(ErrorKind::BadInput, "PNG is truncated (no IEND chunk)");
}

Bytes makeChunk(const std::string& type, const Bytes& data)
{
    Bytes out;
    appendBigEndian32(out, static_cast<uint32_t>(data.size()));
    out.insert(out.end(), type.begin(), type.end());
    out.insert(out.end(), data.begin(), data.end());
    const uint32_t crc =
        static_cast<uint32_t>(::crc32(0L, out.data() + 4, static_cast<uInt>(data.size() + 4)));
    appendBigEndian32(out, crc);
    return out;
}

bool validMetadataKey(const std::string& key)
{
    return !key.empty() && key.size() <= 79 &&
           std::all_of(key.begin(), key.end(), [](char c) { return c >= 0x20 && c != 0x7f; }) &&
           key.front() != ' ' && key.back() != ' ';
}

bool jpegHasEndMarker(const Bytes& data)
{
    // libjpeg fills a truncated scan with grey and only warns; insist on the EOI marker near the end.
    const size_t tail = std::min<size_t>(data.size(), 4096);
    for (size_t i = data.size() - tail; i + 1 < data.size(); ++i) {
        if (data[i] == 0xff && data[i + 1] == 0xd9)
            return true;
    }
    return false;
}

void silenceOpenCvLogging()
{
    static const bool once = [] {
        cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
        return true;
    }();
    (void)once;
}

} // namespace

namespace {
std::atomic<uint64_t> g_maxPixels{kDefaultMaxPixels};
} // namespace

void setMaxPixels(uint64_t pixels)
{
    g_maxPixels = pixels;
}

uint64_t maxPixels()
{
    return g_maxPixels;
}

Status checkPixelLimit(uint64_t width, uint64_t height, const std::string& name)
{
    if (width * height > maxPixels())
        return makeError(ErrorKind::BadInput,
                         "'" + name + "' declares " + std::to_string(width) + "×" + std::to_string(height) +
                             " pixels, more than the limit of " + std::to_string(maxPixels()) +
                             " (raise it with --max-pixels if the file is genuine)");
    return {};
}

Status checkDecodedSize(const Bytes& data, const std::string& name)
{
    Result<DecoderView> view = makeError(ErrorKind::BadInput, "not a PNG, JPEG, BMP or TIFF image");
    switch (detectImageFormat(data)) {
    case ImageFormat::Png:
        view = pngDecoderView(data);
        break;
    case ImageFormat::Jpeg:
        view = jpegDecoderView(data);
        break;
    case ImageFormat::Tiff:
        view = tiffDecoderView(data);
        break;
    case ImageFormat::Bmp:
        view = bmpDecoderView(data);
        break;
    default:
        break;
    }
    if (!view)
        return makeError(ErrorKind::BadInput, "'" + name +
                                                  "' is damaged or truncated and cannot be decoded (" +
                                                  view.error().message + ")");
    MEDVEIL_TRY(checkPixelLimit(view->width, view->height, name));
    if (view->largestArea > maxPixels())
        return makeError(ErrorKind::BadInput, "'" + name + "': " + view->largestWhat + " declares " +
                                                  std::to_string(view->largestArea) +
                                                  " pixels, more than the limit of " +
                                                  std::to_string(maxPixels()) +
                                                  " (raise it with --max-pixels if the file is genuine)");
    return {};
}

ImageFormat detectImageFormat(const Bytes& data)
{
    // First: a DICOM preamble may itself look like a TIFF header (dual-personality files).
    if (DicomFile::isDicom(data))
        return ImageFormat::Dicom;
    if (data.size() >= 8 && std::memcmp(data.data(), kPngSignature, 8) == 0)
        return ImageFormat::Png;
    if (data.size() >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
        return ImageFormat::Jpeg;
    if (data.size() >= 2 && data[0] == 'B' && data[1] == 'M')
        return ImageFormat::Bmp;
    if (data.size() >= 4 && ((data[0] == 'I' && data[1] == 'I' && data[2] == 42 && data[3] == 0) ||
                             (data[0] == 'M' && data[1] == 'M' && data[2] == 0 && data[3] == 42)))
        return ImageFormat::Tiff;
    return ImageFormat::Unknown;
}

Result<Image> decodeImage(const Bytes& data, const std::string& name)
{
    silenceOpenCvLogging();
    if (data.empty())
        return makeError(ErrorKind::BadInput, "'" + name + "' is empty");
    const ImageFormat format = detectImageFormat(data);
    if (format == ImageFormat::Unknown)
        return makeError(ErrorKind::BadInput,
                         "'" + name + "' is not a supported image (PNG, TIFF, BMP, JPEG or DICOM expected)");
    if (format == ImageFormat::Png) {
        auto chunks = parsePngChunks(data);
        if (!chunks)
            return makeError(ErrorKind::BadInput, "'" + name + "': " + chunks.error().message);
    }
    if (format == ImageFormat::Jpeg && !jpegHasEndMarker(data))
        return makeError(ErrorKind::BadInput, "'" + name + "': JPEG is truncated (no end-of-image marker)");
    MEDVEIL_TRY(checkDecodedSize(data, name));

    if (format == ImageFormat::Png) {
        // libpng directly: grey only, colour and transparency refused with decodeImage's own messages.
        auto grey = decodePngPixels(data, name);
        if (!grey)
            return grey.error();
        return Image::fromMat(std::move(*grey));
    }
    // JPEG, TIFF, BMP: OpenCV's decoders, in a plugin loaded now (io/ImageCodecModule.h).
    MEDVEIL_ASSIGN_OR_RETURN(cv::Mat mat, decodeWithCodecModule(data, name));
    if (mat.empty())
        return makeError(ErrorKind::BadInput, "'" + name + "' is damaged or truncated and cannot be decoded");
    if (mat.depth() != CV_8U && mat.depth() != CV_16U)
        return makeError(ErrorKind::BadInput,
                         "'" + name + "' has an unsupported sample type (only unsigned 8- or 16-bit)");
    if (mat.channels() == 3 || mat.channels() == 4) {
        std::vector<cv::Mat> planes;
        cv::split(mat, planes);
        if (cv::countNonZero(planes[0] != planes[1]) != 0 || cv::countNonZero(planes[0] != planes[2]) != 0)
            return makeError(ErrorKind::BadInput,
                             "'" + name + "' is a colour image; MedVeil works on grey medical images");
        if (mat.channels() == 4 && cv::countNonZero(planes[3] != (mat.depth() == CV_16U ? 65535 : 255)) != 0)
            return makeError(ErrorKind::BadInput, "'" + name + "' has transparency, which is not supported");
        mat = planes[0];
    } else if (mat.channels() != 1) {
        return makeError(ErrorKind::BadInput, "'" + name + "' has an unsupported channel layout");
    }
    return Image::fromMat(mat);
}

Result<Image> readImage(const std::filesystem::path& path)
{
    auto data = readFileBytes(path);
    if (!data)
        return data.error();
    if (DicomFile::isDicom(*data)) {
        auto dicom = DicomFile::read(path);
        if (!dicom)
            return dicom.error();
        return dicom->image();
    }
    return decodeImage(*data, path.filename().string());
}

Result<LoadedImage> readImageFile(const std::filesystem::path& path)
{
    auto data = readFileBytes(path);
    if (!data)
        return data.error();
    if (DicomFile::isDicom(*data)) {
        auto dicom = DicomFile::read(path);
        if (!dicom)
            return dicom.error();
        auto shared = std::make_shared<const DicomFile>(std::move(*dicom));
        return LoadedImage{shared->image(), ImageFormat::Dicom, shared->metadata(), shared};
    }
    auto image = decodeImage(*data, path.filename().string());
    if (!image)
        return image.error();
    LoadedImage loaded{*image, detectImageFormat(*data), {}, nullptr};
    if (loaded.format == ImageFormat::Png) {
        auto metadata = readPngMetadata(*data);
        if (!metadata)
            return metadata.error();
        loaded.metadata = std::move(*metadata);
    }
    return loaded;
}

Result<Bytes> encodePng(const Image& image, const PngMetadata& metadata)
{
    silenceOpenCvLogging();
    if (image.empty())
        return makeError(ErrorKind::BadInput, "cannot encode an empty image");
    MEDVEIL_ASSIGN_OR_RETURN(const Bytes encoded, encodePngPixels(image.mat()));
    if (metadata.empty())
        return encoded;

    Bytes out(encoded.begin(), encoded.begin() + 8 + 25); // signature + IHDR (always 13 data bytes)
    for (const auto& [key, value] : metadata) {
        if (!validMetadataKey(key))
            return makeError(ErrorKind::Internal, "invalid PNG metadata key '" + key + "'");
        Bytes data(key.begin(), key.end());
        data.insert(data.end(), {0, 0, 0, 0, 0}); // NUL, no compression, method 0, empty language, empty
        data.insert(data.end(), value.begin(), value.end());
        const Bytes chunk = makeChunk("iTXt", data);
        out.insert(out.end(), chunk.begin(), chunk.end());
    }
    out.insert(out.end(), encoded.begin() + 8 + 25, encoded.end());
    return out;
}

Result<PngMetadata> readPngMetadata(const Bytes& png)
{
    auto chunks = parsePngChunks(png);
    if (!chunks)
        return chunks.error();
    PngMetadata metadata;
    for (const auto& chunk : *chunks) {
        if (chunk.type != "iTXt" && chunk.type != "tEXt")
            continue;
        const auto* begin = png.data() + chunk.dataOffset;
        const auto* end = begin + chunk.length;
        const auto* keyEnd = std::find(begin, end, uint8_t{0});
        if (keyEnd == end)
            return makeError(ErrorKind::BadInput, "malformed PNG text chunk");
        std::string key(begin, keyEnd);
        const uint8_t* text = keyEnd + 1;
        if (chunk.type == "iTXt") {
            if (end - text < 2 || text[0] != 0)
                continue; // compressed iTXt is never written by MedVeil; ignore foreign ones
            text += 2;
            for (int field = 0; field < 2; ++field) { // language tag, translated keyword
                text = std::find(text, end, uint8_t{0});
                if (text == end)
                    return makeError(ErrorKind::BadInput, "malformed PNG iTXt chunk");
                ++text;
            }
        }
        metadata[key] = std::string(text, end);
    }
    return metadata;
}

Status writePng(const std::filesystem::path& path, const Image& image, const PngMetadata& metadata,
                const std::vector<std::filesystem::path>& inputs, FileMode mode)
{
    auto png = encodePng(image, metadata);
    if (!png)
        return png.error();
    return writeFileAtomically(path, *png, inputs, mode);
}

} // namespace medveil
