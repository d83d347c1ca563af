// SPDX-License-Identifier: GPL-3.0-or-later
#include "io/PngCodec.h"

#include <png.h>
#include <zlib.h>

#include <cstring>
#include <string>

namespace medveil {

namespace {

/// libpng reports errors by longjmp: the message is kept here and the reading function returns it.
struct PngErrorState
{
    std::string message;
};

[[noreturn]] void onPngError(png_structp png, png_const_charp message)
{
    static_cast<PngErrorState*>(png_get_error_ptr(png))->message = message ? message : "libpng error";
    png_longjmp(png, 1);
}

void onPngWarning(png_structp, png_const_charp) {}

struct PngSource
{
    const uint8_t* data;
    size_t size;
    size_t position;
};

void readFromMemory(png_structp png, png_bytep out, png_size_t length)
{
    auto* source = static_cast<PngSource*>(png_get_io_ptr(png));
    if (length > source->size - source->position)
        png_error(png, "unexpected end of data");
    std::memcpy(out, source->data + source->position, length);
    source->position += length;
}

void writeToMemory(png_structp png, png_bytep data, png_size_t length)
{
    auto* out = static_cast<Bytes*>(png_get_io_ptr(png));
    out->insert(out->end(), data, data + length);
}

void flushMemory(png_structp) {}

bool hostIsLittleEndian()
{
    const uint16_t probe = 1;
    uint8_t first = 0;
    std::memcpy(&first, &probe, 1);
    return first == 1;
}

/// Owns libpng's read structures.
struct PngReader
{
    png_structp png = nullptr;
    png_infop info = nullptr;
    ~PngReader() { png_destroy_read_struct(&png, &info, nullptr); }
};

struct PngWriter
{
    png_structp png = nullptr;
    png_infop info = nullptr;
    ~PngWriter() { png_destroy_write_struct(&png, &info); }
};

/// The libpng calls, in a function of their own whose locals are all trivially destructible, so that a
/// longjmp out of libpng skips no destructor. Fills `pixels` with the decoded samples (host order), one
/// matrix element per pixel with all its channels.
bool readPngPixels(PngReader& reader, PngSource& source, cv::Mat& pixels)
{
    if (setjmp(png_jmpbuf(reader.png)))
        return false;
    png_set_read_fn(reader.png, &source, readFromMemory);
    png_read_info(reader.png, reader.info);
    png_uint_32 width = 0, height = 0;
    int depth = 0, colorType = 0, interlace = 0;
    png_get_IHDR(reader.png, reader.info, &width, &height, &depth, &colorType, &interlace, nullptr, nullptr);
    const bool transparency = png_get_valid(reader.png, reader.info, PNG_INFO_tRNS) != 0;
    if (colorType == PNG_COLOR_TYPE_PALETTE)
        png_set_palette_to_rgb(reader.png);
    // As OpenCV's decoder: a tRNS colour key is alpha for palette and RGB images, ignored for grey ones.
    if (transparency && (colorType == PNG_COLOR_TYPE_PALETTE || colorType == PNG_COLOR_TYPE_RGB))
        png_set_tRNS_to_alpha(reader.png);
    if (colorType == PNG_COLOR_TYPE_GRAY && depth < 8)
        png_set_expand_gray_1_2_4_to_8(reader.png);
    if (depth == 16 && hostIsLittleEndian())
        png_set_swap(reader.png);
    const int passes = png_set_interlace_handling(reader.png);
    png_read_update_info(reader.png, reader.info);
    depth = png_get_bit_depth(reader.png, reader.info);
    const int channels = png_get_channels(reader.png, reader.info);
    if ((depth != 8 && depth != 16) || channels < 1 || channels > 4)
        png_error(reader.png, "unsupported sample layout");
    pixels.create(int(height), int(width), CV_MAKETYPE(depth == 16 ? CV_16U : CV_8U, channels));
    if (png_get_rowbytes(reader.png, reader.info) != pixels.step[0])
        png_error(reader.png, "unexpected row size");
    // Interlaced images: every pass over the same rows, which libpng completes in place.
    for (int pass = 0; pass < passes; ++pass)
        for (png_uint_32 y = 0; y < height; ++y)
            png_read_row(reader.png, pixels.ptr(int(y)), nullptr);
    png_read_end(reader.png, nullptr);
    return true;
}

template <typename Sample> Result<cv::Mat> toGrey(const cv::Mat& pixels, const std::string& name)
{
    const int channels = pixels.channels();
    cv::Mat grey(pixels.rows, pixels.cols, sizeof(Sample) == 2 ? CV_16UC1 : CV_8UC1);
    const Sample opaque = sizeof(Sample) == 2 ? 65535 : 255;
    const bool colour = channels >= 3;
    const bool alpha = channels == 2 || channels == 4;
    bool colourSeen = false, transparentSeen = false;
    for (int y = 0; y < pixels.rows; ++y) {
        auto* out = grey.ptr<Sample>(y);
        const auto* row = pixels.ptr<Sample>(y);
        for (int x = 0; x < pixels.cols; ++x) {
            const Sample* p = row + size_t(x) * channels;
            colourSeen |= colour && (p[0] != p[1] || p[0] != p[2]);
            transparentSeen |= alpha && p[channels - 1] != opaque;
            out[x] = p[0];
        }
    }
    if (colourSeen)
        return makeError(ErrorKind::BadInput,
                         "'" + name + "' is a colour image; MedVeil works on grey medical images");
    if (transparentSeen)
        return makeError(ErrorKind::BadInput, "'" + name + "' has transparency, which is not supported");
    return grey;
}

bool writePngRows(PngWriter& writer, const cv::Mat& mat, Bytes& out)
{
    if (setjmp(png_jmpbuf(writer.png)))
        return false;
    const bool sixteen = mat.depth() == CV_16U;
    png_set_write_fn(writer.png, &out, writeToMemory, flushMemory);
    png_set_IHDR(writer.png, writer.info, png_uint_32(mat.cols), png_uint_32(mat.rows), sixteen ? 16 : 8,
                 PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(writer.png, 6);
    png_set_compression_strategy(writer.png, sixteen ? Z_DEFAULT_STRATEGY : Z_RLE);
    png_write_info(writer.png, writer.info);
    if (sixteen && hostIsLittleEndian())
        png_set_swap(writer.png);
    for (int y = 0; y < mat.rows; ++y)
        png_write_row(writer.png, const_cast<png_bytep>(mat.ptr<png_byte>(y)));
    png_write_end(writer.png, writer.info);
    return true;
}

} // namespace

Result<cv::Mat> decodePngPixels(const Bytes& png, const std::string& name)
{
    PngErrorState error;
    PngReader reader;
    reader.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &error, onPngError, onPngWarning);
    if (!reader.png)
        return makeError(ErrorKind::Internal, "libpng cannot start");
    reader.info = png_create_info_struct(reader.png);
    if (!reader.info)
        return makeError(ErrorKind::Internal, "libpng cannot start");
    // The size was checked against the pixel limit (checkDecodedSize) before; libpng's own default limits
    // (width and height at most 1,000,000, as for OpenCV's decoder) stay.
    PngSource source{png.data(), png.size(), 0};
    cv::Mat pixels;
    if (!readPngPixels(reader, source, pixels))
        return makeError(ErrorKind::BadInput, "'" + name +
                                                  "' is damaged or truncated and cannot be decoded (" +
                                                  error.message + ")");
    if (pixels.channels() == 1)
        return pixels;
    return pixels.depth() == CV_16U ? toGrey<uint16_t>(pixels, name) : toGrey<uint8_t>(pixels, name);
}

Result<Bytes> encodePngPixels(const cv::Mat& mat)
{
    if (mat.empty() || mat.channels() != 1 || (mat.depth() != CV_8U && mat.depth() != CV_16U))
        return makeError(ErrorKind::Internal, "PNG encoding needs a 1-channel 8- or 16-bit image");
    PngErrorState error;
    PngWriter writer;
    writer.png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &error, onPngError, onPngWarning);
    if (!writer.png)
        return makeError(ErrorKind::Internal, "libpng cannot start");
    writer.info = png_create_info_struct(writer.png);
    if (!writer.info)
        return makeError(ErrorKind::Internal, "libpng cannot start");
    Bytes out;
    out.reserve(mat.total() * mat.elemSize() / 2 + 1024);
    if (!writePngRows(writer, mat, out))
        return makeError(ErrorKind::Internal, "PNG encoding failed: " + error.message);
    return out;
}

} // namespace medveil
