// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

/// Text that came from outside (a QR code's public information, file names, DICOM strings) made safe to
/// show: anyone with the public key can write a file whose information holds terminal escape codes, line
/// breaks or bidirectional overrides that fake a "signed by … (trusted sender)" line. The CLI and the GUI
/// both print such text only through displaySafe().
namespace medveil {

/// The code point at `text[pos]` when it starts a valid UTF-8 sequence (shortest form, no surrogates,
/// at most U+10FFFF): the value and the sequence's length in bytes; length 0 otherwise.
struct Utf8CodePoint
{
    char32_t value = 0;
    size_t length = 0;
};
Utf8CodePoint decodeUtf8At(std::string_view text, size_t pos);

/// True when `text` is valid UTF-8 throughout.
bool isValidUtf8(std::string_view text);

/// C0 controls (U+0000–U+001F), DEL, C1 controls (U+0080–U+009F) and the bidirectional formatting
/// characters (U+061C, U+200E/F, U+202A–U+202E, U+2066–U+2069) — what can move a terminal's cursor,
/// change its state or reorder what is shown.
bool isControlCodePoint(char32_t c);

/// `text` with every control code point (isControlCodePoint) written as a visible escape — "\x1B" for C0
/// and DEL, "\u202E" for the others — and every byte of invalid UTF-8 as "\xFF". Valid printable UTF-8
/// (CJK, accents, emoji) is kept as it is, so ordinary text looks the same.
std::string displaySafe(std::string_view text);

} // namespace medveil
