// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Bytes.h"
#include "core/Result.h"

#include <cstdint>
#include <string>

namespace medveil {

/// The size a decoding library will allocate for, read by that library itself from the same bytes.
struct DecoderView
{
    uint64_t width = 0; ///< of the image the decoder decodes (PNG, JPEG, BMP; TIFF: the first page)
    uint64_t height = 0;
    uint64_t largestArea = 0; ///< TIFF: the largest page or tile any directory declares; else width × height
    std::string largestWhat;  ///< what `largestArea` is ("page 2", "tile of page 1"), for the message
};

/// How OpenCV's decoder for this container will see `data`: libpng's png_read_info, libjpeg's
/// jpeg_read_header, libtiff's directories (TIFFClientOpen + TIFFGetField, every page), or the BMP header
/// fields exactly as OpenCV's own BMP reader takes them. OpenCV links the same shared libpng, libjpeg and
/// libtiff, so the same bytes give the same answer: a header that a hand-written parser reads one way and
/// the decoder another (duplicate TIFF tags, a fake SOF inside a JPEG APP segment) cannot pass the check.
/// A header the library refuses is BadInput.
Result<DecoderView> pngDecoderView(const Bytes& data);
Result<DecoderView> jpegDecoderView(const Bytes& data);
Result<DecoderView> tiffDecoderView(const Bytes& data);
Result<DecoderView> bmpDecoderView(const Bytes& data);

/// The frame size of a JPEG or JPEG-LS stream (a DICOM frame) from its first SOFn or SOF55 marker, found
/// by the marker walk of IJG's jdmarker.c, which DCMTK's JPEG decoders share (fill bytes and stray bytes
/// between markers skipped, TEM and RSTn without a length, every other segment skipped by its length). A
/// stream without SOI, or with a marker the decoder refuses before its frame header, is BadInput.
Result<DecoderView> jpegStreamFrameSize(const uint8_t* data, size_t size);

/// TIFF files with more pages than this are refused: only the first is decoded, and each directory costs
/// a parse.
constexpr int kMaxTiffPages = 1024;

} // namespace medveil
