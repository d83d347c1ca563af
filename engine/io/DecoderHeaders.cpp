// SPDX-License-Identifier: GPL-3.0-or-later
#include "io/DecoderHeaders.h"

#include <png.h>
#include <tiffio.h>

#include <algorithm>
#include <csetjmp>
#include <cstdarg>
#include <cstdio>
#include <cstring>

// jpeglib.h needs size_t and FILE declared first.
#include <jerror.h>
#include <jpeglib.h>

namespace medveil {

namespace {

// libpng and libjpeg report fatal errors through a callback that must not return: it longjmps back to
// the setjmp in the reading function. Between the two only C code and trivially destructible locals run.

struct PngSource
{
    const uint8_t* data = nullptr;
    size_t size = 0;
    size_t position = 0;
    char message[200] = {};
};

void pngReadFromMemory(png_structp png, png_bytep out, size_t count)
{
    auto* source = static_cast<PngSource*>(png_get_io_ptr(png));
    if (count > source->size - source->position)
        png_error(png, "the file ends inside the PNG header");
    std::memcpy(out, source->data + source->position, count);
    source->position += count;
}

void pngFatal(png_structp png, png_const_charp message)
{
    auto* source = static_cast<PngSource*>(png_get_error_ptr(png));
    std::snprintf(source->message, sizeof source->message, "%s", message);
    png_longjmp(png, 1);
}

void pngIgnoreWarning(png_structp, png_const_charp) {}

struct JpegErrors
{
    jpeg_error_mgr manager{};
    std::jmp_buf jump{};
    char message[JMSG_LENGTH_MAX] = {};
};

void jpegFatal(j_common_ptr cinfo)
{
    auto* errors = reinterpret_cast<JpegErrors*>(cinfo->err);
    cinfo->err->format_message(cinfo, errors->message);
    std::longjmp(errors->jump, 1);
}

void jpegIgnoreMessage(j_common_ptr, int) {}

struct TiffSource
{
    const uint8_t* data = nullptr;
    uint64_t size = 0;
    uint64_t position = 0;
    std::string firstError;
};

tmsize_t tiffRead(thandle_t handle, void* out, tmsize_t count)
{
    auto* source = static_cast<TiffSource*>(handle);
    if (count < 0 || source->position >= source->size)
        return 0;
    const uint64_t n = std::min<uint64_t>(uint64_t(count), source->size - source->position);
    std::memcpy(out, source->data + source->position, n);
    source->position += n;
    return tmsize_t(n);
}

tmsize_t tiffWrite(thandle_t, void*, tmsize_t)
{
    return 0;
}

toff_t tiffSeek(thandle_t handle, toff_t offset, int whence)
{
    auto* source = static_cast<TiffSource*>(handle);
    const uint64_t base = whence == SEEK_CUR ? source->position : whence == SEEK_END ? source->size : 0;
    source->position = base + offset;
    return source->position;
}

int tiffClose(thandle_t)
{
    return 0;
}

toff_t tiffSize(thandle_t handle)
{
    return static_cast<TiffSource*>(handle)->size;
}

// Like OpenCV's buffer reader: the bytes are "mapped", so libtiff reads them in place.
int tiffMap(thandle_t handle, void** base, toff_t* size)
{
    auto* source = static_cast<TiffSource*>(handle);
    *base = const_cast<uint8_t*>(source->data);
    *size = source->size;
    return 1;
}

void tiffUnmap(thandle_t, void*, toff_t) {}

int tiffError(TIFF*, void* user, const char* module, const char* format, va_list arguments)
{
    auto* source = static_cast<TiffSource*>(user);
    if (source->firstError.empty()) {
        char text[300];
        std::vsnprintf(text, sizeof text, format, arguments);
        source->firstError = std::string(module ? module : "libtiff") + ": " + text;
    }
    return 1; // handled: nothing on stderr
}

int tiffIgnoreWarning(TIFF*, void*, const char*, const char*, va_list)
{
    return 1;
}

uint32_t littleEndian(const uint8_t* p, int bytes)
{
    uint32_t v = 0;
    for (int i = bytes - 1; i >= 0; --i)
        v = (v << 8) | p[i];
    return v;
}

} // namespace

Result<DecoderView> pngDecoderView(const Bytes& data)
{
    PngSource source;
    source.data = data.data();
    source.size = data.size();
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &source, pngFatal, pngIgnoreWarning);
    if (!png)
        return makeError(ErrorKind::Internal, "libpng could not start");
    png_infop info = png_create_info_struct(png);
    volatile png_uint_32 width = 0, height = 0; // volatile: set after setjmp
    volatile bool ok = false;
    if (info && setjmp(png_jmpbuf(png)) == 0) {
        png_set_read_fn(png, &source, pngReadFromMemory);
        png_read_info(png, info); // the signature and every chunk up to the first IDAT, as OpenCV reads
        width = png_get_image_width(png, info);
        height = png_get_image_height(png, info);
        ok = true;
    }
    png_destroy_read_struct(&png, info ? &info : nullptr, nullptr);
    if (!ok)
        return makeError(ErrorKind::BadInput, std::string("the PNG header is invalid (libpng: ") +
                                                  (source.message[0] ? source.message : "no image header") +
                                                  ")");
    return DecoderView{width, height, uint64_t(width) * height, "image"};
}

Result<DecoderView> jpegDecoderView(const Bytes& data)
{
    jpeg_decompress_struct cinfo{};
    JpegErrors errors;
    cinfo.err = jpeg_std_error(&errors.manager);
    errors.manager.error_exit = jpegFatal;
    errors.manager.emit_message = jpegIgnoreMessage;
    volatile JDIMENSION width = 0, height = 0; // volatile: set after setjmp
    volatile bool ok = false;
    if (setjmp(errors.jump) == 0) {
        jpeg_create_decompress(&cinfo);
        jpeg_mem_src(&cinfo, data.data(), static_cast<unsigned long>(data.size()));
        // The frame header (SOFn) libjpeg will decode; markers it skips (APPn, COM, TEM) are skipped here
        // in the same way.
        jpeg_read_header(&cinfo, TRUE);
        width = cinfo.image_width;
        height = cinfo.image_height;
        ok = true;
    }
    jpeg_destroy_decompress(&cinfo);
    if (!ok)
        return makeError(ErrorKind::BadInput,
                         std::string("the JPEG header is invalid (libjpeg: ") + errors.message + ")");
    return DecoderView{width, height, uint64_t(width) * height, "image"};
}

Result<DecoderView> tiffDecoderView(const Bytes& data)
{
    TiffSource source;
    source.data = data.data();
    source.size = data.size();
    TIFFOpenOptions* options = TIFFOpenOptionsAlloc();
    if (!options)
        return makeError(ErrorKind::Internal, "libtiff could not start");
    TIFFOpenOptionsSetErrorHandlerExtR(options, tiffError, &source);
    TIFFOpenOptionsSetWarningHandlerExtR(options, tiffIgnoreWarning, nullptr);
    // Reading directories needs little memory; a directory that asks for more is hostile.
    TIFFOpenOptionsSetMaxSingleMemAlloc(options, 64 << 20);
    // "r" and a mapped buffer, as OpenCV opens it: the first directory is read on open.
    TIFF* tif = TIFFClientOpenExt("image", "r", &source, tiffRead, tiffWrite, tiffSeek, tiffClose, tiffSize,
                                  tiffMap, tiffUnmap, options);
    TIFFOpenOptionsFree(options);
    if (!tif)
        return makeError(ErrorKind::BadInput,
                         "the TIFF header is invalid (" +
                             (source.firstError.empty() ? "libtiff cannot open it" : source.firstError) +
                             ")");
    DecoderView view;
    int page = 0;
    bool more = true;
    while (more && page < kMaxTiffPages) {
        ++page;
        uint32_t width = 0, height = 0;
        if (!TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &width) ||
            !TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &height)) {
            TIFFClose(tif);
            return makeError(ErrorKind::BadInput,
                             "TIFF page " + std::to_string(page) + " has no image width or length");
        }
        if (page == 1) {
            view.width = width;
            view.height = height;
        }
        const uint64_t area = uint64_t(width) * height;
        if (area > view.largestArea) {
            view.largestArea = area;
            view.largestWhat = "page " + std::to_string(page);
        }
        // A tiled page is decoded one whole tile at a time: a 64² image can declare a gigapixel tile.
        uint32_t tileWidth = 0, tileLength = 0;
        if (TIFFIsTiled(tif) && TIFFGetField(tif, TIFFTAG_TILEWIDTH, &tileWidth) &&
            TIFFGetField(tif, TIFFTAG_TILELENGTH, &tileLength) &&
            uint64_t(tileWidth) * tileLength > view.largestArea) {
            view.largestArea = uint64_t(tileWidth) * tileLength;
            view.largestWhat = "a tile of page " + std::to_string(page);
        }
        more = TIFFReadDirectory(tif) == 1;
    }
    TIFFClose(tif);
    if (more)
        return makeError(ErrorKind::BadInput,
                         "the TIFF has more than " + std::to_string(kMaxTiffPages) + " pages");
    return view;
}

Result<DecoderView> jpegStreamFrameSize(const uint8_t* data, size_t size)
{
    if (size < 4 || data[0] != 0xff || data[1] != 0xd8)
        return makeError(ErrorKind::BadInput, "the JPEG stream does not start with SOI");
    size_t pos = 2;
    while (true) {
        // next_marker(): skip to an 0xFF, then past fill bytes; FF 00 is not a marker
        uint8_t marker = 0;
        while (marker == 0) {
            while (pos < size && data[pos] != 0xff)
                ++pos;
            while (pos < size && data[pos] == 0xff)
                ++pos;
            if (pos >= size)
                return makeError(ErrorKind::BadInput, "the JPEG stream ends before its frame header");
            marker = data[pos++];
        }
        const bool sof =
            (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc) ||
            marker == 0xf7; // SOF55: JPEG-LS
        if (sof) {
            if (pos + 7 > size)
                return makeError(ErrorKind::BadInput, "the JPEG frame header is truncated");
            const uint64_t height = (uint64_t(data[pos + 3]) << 8) | data[pos + 4];
            const uint64_t width = (uint64_t(data[pos + 5]) << 8) | data[pos + 6];
            return DecoderView{width, height, width * height, "image"};
        }
        if ((marker >= 0xd0 && marker <= 0xd7) || marker == 0x01) // RSTn, TEM: no length
            continue;
        const bool segment = marker == 0xc4 || marker == 0xcc || (marker >= 0xdb && marker <= 0xdd) ||
                             (marker >= 0xe0 && marker <= 0xef) || marker == 0xfe || marker == 0xf8;
        if (!segment) // SOI again, SOS or EOI before a frame header, or a marker IJG does not know
            return makeError(ErrorKind::BadInput, "the JPEG stream has marker 0xFF" +
                                                      std::string(1, "0123456789ABCDEF"[marker >> 4]) +
                                                      std::string(1, "0123456789ABCDEF"[marker & 15]) +
                                                      " before its frame header");
        if (pos + 2 > size)
            return makeError(ErrorKind::BadInput, "the JPEG stream ends inside a marker segment");
        const size_t length = (size_t(data[pos]) << 8) | data[pos + 1];
        pos += std::max<size_t>(length, 2); // IJG's skip_variable: a length under 2 skips only itself
    }
}

Result<DecoderView> bmpDecoderView(const Bytes& data)
{
    // OpenCV's BMP reader is its own code: these are its rules (grfmt_bmp.cpp, BmpDecoder::readHeader).
    if (data.size() < 14 + 12)
        return makeError(ErrorKind::BadInput, "the BMP header is truncated");
    const uint32_t headerSize = littleEndian(data.data() + 14, 4);
    int64_t width = 0, height = 0;
    if (headerSize >= 36 && data.size() >= 14 + 36) { // BITMAPINFOHEADER and later: signed 32-bit
        width = int32_t(littleEndian(data.data() + 18, 4));
        height = int32_t(littleEndian(data.data() + 22, 4));
    } else if (headerSize == 12) { // OS/2 BITMAPCOREHEADER: unsigned 16-bit
        width = littleEndian(data.data() + 18, 2);
        height = littleEndian(data.data() + 20, 2);
    } else {
        return makeError(ErrorKind::BadInput,
                         "unsupported BMP header (" + std::to_string(headerSize) + " bytes)");
    }
    height = std::abs(height); // negative: rows stored top-down
    if (width <= 0 || height == 0)
        return makeError(ErrorKind::BadInput, "the BMP declares an empty image");
    return DecoderView{uint64_t(width), uint64_t(height), uint64_t(width) * uint64_t(height), "image"};
}

} // namespace medveil
