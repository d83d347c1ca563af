// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Bytes.h"
#include "core/Image.h"
#include "core/Result.h"

#include <string>

namespace medveil {

/// Turns an EMR's UTF-8 text into an 8-bit "encoded image" and back by positional-numeral
/// decomposition (Guo et al. 2025; DESIGN §4.1).
///
/// Layout, row-major from the top-left pixel:
///  * header, 13 bytes, always in base 2 (levels 64/192) so it is readable before the base is known:
///    magic "MVE", version 1, base k, byte length (u32 LE), CRC-32 of the text bytes (u32 LE);
///  * the text bytes, most significant digit first, as base-k digits (k ∈ {2, 4, 16});
///  * padding: key-seeded pseudo-random digits up to the last pixel (no flat fill to betray the length).
/// Digit d is drawn as grey level (2d + 1) · 128 / k (k = 4: 32, 96, 160, 224). Decoding picks the
/// nearest level, so any per-pixel error |e| ≤ 128/k − 1 (63, 31, 7 for k = 2, 4, 16) decodes
/// exactly; past that bound the CRC rejects the text (never wrong text).
class EmrImageCodec
{
public:
    static constexpr int kHeaderBytes = 13;
    static constexpr int kHeaderPixels = kHeaderBytes * 8;

    explicit EmrImageCodec(int base = 4) : m_base(base) {}

    [[nodiscard]] int base() const { return m_base; }
    [[nodiscard]] int digitsPerByte() const;
    /// Grey level of digit d.
    [[nodiscard]] int level(int digit) const { return (2 * digit + 1) * 128 / m_base; }
    /// Largest per-pixel |error| that always decodes.
    [[nodiscard]] int noiseTolerance() const { return 128 / m_base - 1; }
    /// Most text bytes a width × height image holds.
    [[nodiscard]] size_t capacityBytes(int width, int height) const;

    /// Encodes `text` (must be valid UTF-8, else BadInput) into a width × height 8-bit image; padding digits
    /// come from AES-CTR under `paddingKey` (32 bytes). Too long: Capacity error naming the maximum.
    [[nodiscard]] Result<Image> encode(const std::string& text, int width, int height,
                                       const Bytes& paddingKey) const;

    /// Reads the text back from an encoded image (any base: it is in the header). A damaged header or
    /// CRC mismatch is BadInput; the text is returned byte for byte.
    [[nodiscard]] static Result<std::string> decode(const Image& encoded);

    /// Digit safety for a distorted copy of an encoded image (HiNet's stego): every pixel that carries
    /// header or text digits is pulled back to within the decodable bound of its level if the distortion
    /// pushed it further (the padding is left alone). Returns how many pixels were pulled back, which the
    /// pipeline reports; the text then always decodes byte-exactly from `distorted`.
    [[nodiscard]] static Result<size_t> keepDecodable(const Image& encoded, Image& distorted);

    /// The receiver's exact cover: every pixel of a distorted copy (the stego) snapped to its nearest digit
    /// level — the header in base 2, the rest in the header's base, the padding included. Equals the
    /// encoded image whenever every pixel lies within its tolerance (keepCoverRecoverable guarantees it), so
    /// a cover-conditioned network can reveal without any extra key. A damaged header is BadInput.
    [[nodiscard]] static Result<Image> reconstructCover(const Image& distorted);

    /// Like keepDecodable, but for every pixel (padding too), so that reconstructCover(distorted) ==
    /// encoded. Returns how many pixels were pulled back.
    [[nodiscard]] static Result<size_t> keepCoverRecoverable(const Image& encoded, Image& distorted);

    /// The digit each pixel carries after nearest-level quantisation (teaching view).
    [[nodiscard]] static std::vector<int> digits(const Image& encoded, int base);

private:
    int m_base = 4;
};

/// Strict UTF-8 validation (RFC 3629: no overlong forms, surrogates or code points above U+10FFFF).
/// NUL bytes are valid text. Returns the byte offset of the first error, or npos when valid.
size_t findInvalidUtf8(const std::string& text);

/// CRC-32 (IEEE 802.3, as zlib).
uint32_t crc32Of(const std::string& data);

} // namespace medveil
