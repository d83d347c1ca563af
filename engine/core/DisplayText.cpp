// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/DisplayText.h"

#include <cstdio>

namespace medveil {

Utf8CodePoint decodeUtf8At(std::string_view text, size_t pos)
{
    const auto byte = [&](size_t i) { return static_cast<uint8_t>(text[i]); };
    const uint8_t lead = byte(pos);
    if (lead < 0x80)
        return {lead, 1};
    size_t length = 0;
    char32_t value = 0, minimum = 0;
    if ((lead & 0xE0) == 0xC0) {
        length = 2, value = lead & 0x1F, minimum = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3, value = lead & 0x0F, minimum = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4, value = lead & 0x07, minimum = 0x10000;
    } else {
        return {};
    }
    if (pos + length > text.size())
        return {};
    for (size_t i = 1; i < length; ++i) {
        if ((byte(pos + i) & 0xC0) != 0x80)
            return {};
        value = (value << 6) | (byte(pos + i) & 0x3F);
    }
    // Overlong forms, UTF-16 surrogates and values past Unicode's end are not UTF-8.
    if (value < minimum || (value >= 0xD800 && value <= 0xDFFF) || value > 0x10FFFF)
        return {};
    return {value, length};
}

bool isValidUtf8(std::string_view text)
{
    for (size_t pos = 0; pos < text.size();) {
        const Utf8CodePoint cp = decodeUtf8At(text, pos);
        if (cp.length == 0)
            return false;
        pos += cp.length;
    }
    return true;
}

bool isControlCodePoint(char32_t c)
{
    return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x061C || c == 0x200E || c == 0x200F ||
           (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

std::string displaySafe(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    char escape[12];
    for (size_t pos = 0; pos < text.size();) {
        const Utf8CodePoint cp = decodeUtf8At(text, pos);
        if (cp.length == 0) {
            std::snprintf(escape, sizeof escape, "\\x%02X", static_cast<unsigned>(uint8_t(text[pos])));
            out += escape;
            ++pos;
            continue;
        }
        if (isControlCodePoint(cp.value)) {
            if (cp.value < 0x80)
                std::snprintf(escape, sizeof escape, "\\x%02X", static_cast<unsigned>(cp.value));
            else
                std::snprintf(escape, sizeof escape, "\\u%04X", static_cast<unsigned>(cp.value));
            out += escape;
        } else {
            out.append(text.substr(pos, cp.length));
        }
        pos += cp.length;
    }
    return out;
}

} // namespace medveil
