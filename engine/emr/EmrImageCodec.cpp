// SPDX-License-Identifier: GPL-3.0-or-later
#include "emr/EmrImageCodec.h"

#include "crypto/KeyStream.h"

#include <zlib.h>

#include <algorithm>

namespace medveil {

namespace {
constexpr uint8_t kMagic[3] = {'M', 'V', 'E'};
constexpr uint8_t kVersion = 1;

/// Nearest digit for a grey value in base k (levels (2d + 1)·128/k, spacing 256/k).
inline int nearestDigit(int value, int base)
{
    const int digit = value * base / 256;
    return digit < 0 ? 0 : (digit >= base ? base - 1 : digit);
}
} // namespace

size_t findInvalidUtf8(const std::string& text)
{
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const size_t n = text.size();
    size_t i = 0;
    while (i < n) {
        const unsigned char c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        int length = 0;
        uint32_t cp = 0;
        if (c >= 0xC2 && c <= 0xDF) {
            length = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            length = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            length = 4;
            cp = c & 0x07;
        } else {
            return i;
        }
        if (i + size_t(length) > n)
            return i;
        for (int k = 1; k < length; ++k) {
            if ((s[i + size_t(k)] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (s[i + size_t(k)] & 0x3F);
        }
        if ((length == 3 && cp < 0x800) || (length == 4 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += size_t(length);
    }
    return std::string::npos;
}

uint32_t crc32Of(const std::string& data)
{
    return static_cast<uint32_t>(
        ::crc32(0L, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
}

int EmrImageCodec::digitsPerByte() const
{
    return m_base == 2 ? 8 : (m_base == 4 ? 4 : 2);
}

size_t EmrImageCodec::capacityBytes(int width, int height) const
{
    const long pixels = long(width) * height - kHeaderPixels;
    return pixels > 0 ? size_t(pixels) / size_t(digitsPerByte()) : 0;
}

Result<Image> EmrImageCodec::encode(const std::string& text, int width, int height,
                                    const Bytes& paddingKey) const
{
    if (m_base != 2 && m_base != 4 && m_base != 16)
        return makeError(ErrorKind::Usage, "the EMR base must be 2, 4 or 16");
    if (const size_t bad = findInvalidUtf8(text); bad != std::string::npos)
        return makeError(ErrorKind::BadInput,
                         "the EMR is not valid UTF-8 (first bad byte at offset " + std::to_string(bad) + ")");
    const size_t capacity = capacityBytes(width, height);
    if (text.size() > capacity)
        return makeError(ErrorKind::Capacity, "the EMR has " + std::to_string(text.size()) + " bytes but a " +
                                                  std::to_string(width) + "×" + std::to_string(height) +
                                                  " encoded image holds at most " + std::to_string(capacity) +
                                                  " bytes at base " + std::to_string(m_base));
    auto image = Image::create(width, height, 8);
    if (!image)
        return image.error();
    uint8_t* pixels = image->mat().ptr<uint8_t>();
    size_t pos = 0;
    Bytes header(kMagic, kMagic + 3);
    appendU8(header, kVersion);
    appendU8(header, static_cast<uint8_t>(m_base));
    appendU32(header, static_cast<uint32_t>(text.size()));
    appendU32(header, crc32Of(text));
    for (uint8_t byte : header)
        for (int bit = 7; bit >= 0; --bit)
            pixels[pos++] = static_cast<uint8_t>(((byte >> bit) & 1) ? 192 : 64);
    const int bitsPerDigit = m_base == 2 ? 1 : (m_base == 4 ? 2 : 4);
    for (unsigned char byte : text)
        for (int shift = 8 - bitsPerDigit; shift >= 0; shift -= bitsPerDigit)
            pixels[pos++] = static_cast<uint8_t>(level((byte >> shift) & (m_base - 1)));
    const size_t total = size_t(width) * height;
    auto padding = aesCtrKeystream(paddingKey, total - pos);
    if (!padding)
        return padding.error();
    for (size_t i = 0; pos < total; ++i)
        pixels[pos++] = static_cast<uint8_t>(level((*padding)[i] % m_base));
    return image;
}

Result<std::string> EmrImageCodec::decode(const Image& encoded)
{
    if (encoded.bitDepth() != 8 || !encoded.mat().isContinuous())
        return makeError(ErrorKind::BadInput, "an encoded EMR image is 8-bit");
    const size_t total = encoded.pixelCount();
    if (total < size_t(kHeaderPixels))
        return makeError(ErrorKind::BadInput, "the image is too small to hold an EMR");
    const uint8_t* pixels = encoded.mat().ptr<uint8_t>();
    Bytes header;
    for (int b = 0; b < kHeaderBytes; ++b) {
        uint8_t byte = 0;
        for (int bit = 0; bit < 8; ++bit)
            byte = static_cast<uint8_t>((byte << 1) | nearestDigit(pixels[b * 8 + bit], 2));
        header.push_back(byte);
    }
    ByteReader reader(header);
    MEDVEIL_ASSIGN_OR_RETURN(const Bytes magic, reader.take(3));
    MEDVEIL_ASSIGN_OR_RETURN(const uint8_t version, reader.u8());
    MEDVEIL_ASSIGN_OR_RETURN(const uint8_t base, reader.u8());
    MEDVEIL_ASSIGN_OR_RETURN(const uint32_t length, reader.u32());
    MEDVEIL_ASSIGN_OR_RETURN(const uint32_t crc, reader.u32());
    if (magic != Bytes(kMagic, kMagic + 3) || version != kVersion)
        return makeError(ErrorKind::BadInput, "no EMR found in the image (header damaged)");
    if (base != 2 && base != 4 && base != 16)
        return makeError(ErrorKind::BadInput, "the EMR header is damaged (invalid base)");
    const EmrImageCodec codec(base);
    if (length > codec.capacityBytes(encoded.width(), encoded.height()))
        return makeError(ErrorKind::BadInput, "the EMR header is damaged (length exceeds the image)");
    const int bitsPerDigit = base == 2 ? 1 : (base == 4 ? 2 : 4);
    std::string text(length, '\0');
    size_t pos = kHeaderPixels;
    for (uint32_t i = 0; i < length; ++i) {
        int byte = 0;
        for (int d = 0; d < codec.digitsPerByte(); ++d)
            byte = (byte << bitsPerDigit) | nearestDigit(pixels[pos++], base);
        text[i] = static_cast<char>(byte);
    }
    if (crc32Of(text) != crc)
        return makeError(ErrorKind::BadInput,
                         "the EMR failed its CRC-32 check: the encoded image is damaged");
    return text;
}

Result<size_t> EmrImageCodec::keepDecodable(const Image& encoded, Image& distorted)
{
    if (encoded.bitDepth() != 8 || distorted.bitDepth() != 8 || encoded.width() != distorted.width() ||
        encoded.height() != distorted.height())
        return makeError(ErrorKind::Internal, "encoded and distorted images differ");
    auto text = decode(encoded);
    if (!text)
        return text.error();
    const uint8_t* pixels = encoded.mat().ptr<uint8_t>();
    int headerBase = 0; // header byte 4 holds the base
    for (int bit = 0; bit < 8; ++bit)
        headerBase = (headerBase << 1) | nearestDigit(pixels[4 * 8 + bit], 2);
    const EmrImageCodec codec(headerBase);
    const size_t informationPixels = size_t(kHeaderPixels) + text->size() * size_t(codec.digitsPerByte());
    size_t pulled = 0;
    for (size_t i = 0; i < informationPixels; ++i) {
        const int x = int(i % size_t(encoded.width())), y = int(i / size_t(encoded.width()));
        const int bound = i < size_t(kHeaderPixels) ? 63 : codec.noiseTolerance();
        const int level = encoded.at(x, y), value = distorted.at(x, y);
        const int clamped = std::clamp(value, level - bound, level + bound);
        if (clamped != value) {
            distorted.set(x, y, clamped);
            ++pulled;
        }
    }
    return pulled;
}

namespace {
/// The base written in an encoded image's header (byte 4), read in base 2; 0 when it is not 2, 4 or 16.
int headerBase(const uint8_t* pixels)
{
    int base = 0;
    for (int bit = 0; bit < 8; ++bit)
        base = (base << 1) | nearestDigit(pixels[4 * 8 + bit], 2);
    return base == 2 || base == 4 || base == 16 ? base : 0;
}
} // namespace

Result<Image> EmrImageCodec::reconstructCover(const Image& distorted)
{
    if (distorted.bitDepth() != 8 || !distorted.mat().isContinuous() ||
        distorted.pixelCount() < size_t(kHeaderPixels))
        return makeError(ErrorKind::BadInput, "an encoded EMR image is 8-bit and holds at least a header");
    const uint8_t* in = distorted.mat().ptr<uint8_t>();
    const int base = headerBase(in);
    if (base == 0)
        return makeError(ErrorKind::BadInput, "the EMR header is damaged (invalid base)");
    Image cover = distorted.clone();
    uint8_t* out = cover.mat().ptr<uint8_t>();
    const EmrImageCodec codec(base);
    for (size_t i = 0; i < distorted.pixelCount(); ++i)
        out[i] = i < size_t(kHeaderPixels) ? uint8_t(nearestDigit(in[i], 2) ? 192 : 64)
                                           : uint8_t(codec.level(nearestDigit(in[i], base)));
    return cover;
}

Result<size_t> EmrImageCodec::keepCoverRecoverable(const Image& encoded, Image& distorted)
{
    if (encoded.bitDepth() != 8 || distorted.bitDepth() != 8 || encoded.width() != distorted.width() ||
        encoded.height() != distorted.height() || !encoded.mat().isContinuous() ||
        !distorted.mat().isContinuous() || encoded.pixelCount() < size_t(kHeaderPixels))
        return makeError(ErrorKind::Internal, "encoded and distorted images differ");
    const uint8_t* levels = encoded.mat().ptr<uint8_t>();
    const int base = headerBase(levels);
    if (base == 0)
        return makeError(ErrorKind::Internal, "the encoded image has no valid header");
    const int tolerance = EmrImageCodec(base).noiseTolerance();
    uint8_t* pixels = distorted.mat().ptr<uint8_t>();
    size_t pulled = 0;
    for (size_t i = 0; i < encoded.pixelCount(); ++i) {
        const int bound = i < size_t(kHeaderPixels) ? 63 : tolerance;
        const int clamped = std::clamp(int(pixels[i]), levels[i] - bound, levels[i] + bound);
        if (clamped != pixels[i]) {
            pixels[i] = uint8_t(clamped);
            ++pulled;
        }
    }
    return pulled;
}

std::vector<int> EmrImageCodec::digits(const Image& encoded, int base)
{
    std::vector<int> out;
    out.reserve(encoded.pixelCount());
    for (int y = 0; y < encoded.height(); ++y)
        for (int x = 0; x < encoded.width(); ++x)
            out.push_back(nearestDigit(encoded.at(x, y), base));
    return out;
}

} // namespace medveil
