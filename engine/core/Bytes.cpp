// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/Bytes.h"

#include <algorithm>
#include <array>

namespace medveil {

namespace {
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// The value of each base64 character, -1 for the others (a table: the sealed record's text is tens of KB).
constexpr std::array<int8_t, 256> kBase64Values = [] {
    std::array<int8_t, 256> values{};
    values.fill(-1);
    for (int i = 0; i < 26; ++i) {
        values[size_t('A' + i)] = static_cast<int8_t>(i);
        values[size_t('a' + i)] = static_cast<int8_t>(26 + i);
    }
    for (int i = 0; i < 10; ++i)
        values[size_t('0' + i)] = static_cast<int8_t>(52 + i);
    values[size_t('+')] = 62;
    values[size_t('/')] = 63;
    return values;
}();

int base64Value(char c)
{
    return kBase64Values[static_cast<unsigned char>(c)];
}
} // namespace

std::string base64Encode(const Bytes& bytes)
{
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const uint32_t v = (uint32_t(bytes[i]) << 16) | (uint32_t(bytes[i + 1]) << 8) | bytes[i + 2];
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
        out += kAlphabet[v & 63];
    }
    if (i + 1 == bytes.size()) {
        const uint32_t v = uint32_t(bytes[i]) << 16;
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += "==";
    } else if (i + 2 == bytes.size()) {
        const uint32_t v = (uint32_t(bytes[i]) << 16) | (uint32_t(bytes[i + 1]) << 8);
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
        out += '=';
    }
    return out;
}

Result<Bytes> base64Decode(std::string_view text)
{
    if (text.size() % 4 != 0)
        return makeError(ErrorKind::BadInput, "base64 length is not a multiple of 4");
    Bytes out;
    out.reserve(text.size() / 4 * 3);
    for (size_t i = 0; i < text.size(); i += 4) {
        std::array<int, 4> v{};
        int pad = 0;
        for (int k = 0; k < 4; ++k) {
            const char c = text[i + static_cast<size_t>(k)];
            if (c == '=' && i + 4 == text.size() && k >= 2) {
                v[static_cast<size_t>(k)] = 0;
                ++pad;
                continue;
            }
            if (pad > 0)
                return makeError(ErrorKind::BadInput, "base64 padding in the middle");
            v[static_cast<size_t>(k)] = base64Value(c);
            if (v[static_cast<size_t>(k)] < 0)
                return makeError(ErrorKind::BadInput, "invalid base64 character");
        }
        const uint32_t w =
            (uint32_t(v[0]) << 18) | (uint32_t(v[1]) << 12) | (uint32_t(v[2]) << 6) | uint32_t(v[3]);
        out.push_back(static_cast<uint8_t>(w >> 16));
        if (pad < 2)
            out.push_back(static_cast<uint8_t>((w >> 8) & 0xff));
        if (pad < 1)
            out.push_back(static_cast<uint8_t>(w & 0xff));
    }
    return out;
}

namespace {
constexpr char kBase45[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
int base45Value(char c)
{
    for (int i = 0; i < 45; ++i)
        if (kBase45[i] == c)
            return i;
    return -1;
}
} // namespace

std::string base45Encode(const Bytes& bytes)
{
    std::string out;
    out.reserve(bytes.size() / 2 * 3 + 2);
    size_t i = 0;
    for (; i + 1 < bytes.size(); i += 2) {
        int n = bytes[i] * 256 + bytes[i + 1];
        out += kBase45[n % 45];
        n /= 45;
        out += kBase45[n % 45];
        out += kBase45[n / 45];
    }
    if (i < bytes.size()) {
        out += kBase45[bytes[i] % 45];
        out += kBase45[bytes[i] / 45];
    }
    return out;
}

Result<Bytes> base45Decode(std::string_view text)
{
    if (text.size() % 3 == 1)
        return makeError(ErrorKind::BadInput, "base45 text has a stray character");
    Bytes out;
    out.reserve(text.size() / 3 * 2 + 1);
    for (size_t i = 0; i < text.size(); i += 3) {
        const size_t n = std::min<size_t>(3, text.size() - i);
        int value = 0, scale = 1;
        for (size_t k = 0; k < n; ++k) {
            const int digit = base45Value(text[i + k]);
            if (digit < 0)
                return makeError(ErrorKind::BadInput, "invalid base45 character");
            value += digit * scale;
            scale *= 45;
        }
        if (n == 3) {
            if (value > 65535)
                return makeError(ErrorKind::BadInput, "invalid base45 triple");
            out.push_back(static_cast<uint8_t>(value / 256));
            out.push_back(static_cast<uint8_t>(value % 256));
        } else {
            if (value > 255)
                return makeError(ErrorKind::BadInput, "invalid base45 pair");
            out.push_back(static_cast<uint8_t>(value));
        }
    }
    return out;
}

std::string hexEncode(const Bytes& bytes)
{
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (uint8_t b : bytes) {
        out += kHex[b >> 4];
        out += kHex[b & 15];
    }
    return out;
}

std::vector<uint8_t> bytesToBits(const Bytes& bytes)
{
    std::vector<uint8_t> bits(bytes.size() * 8);
    for (size_t i = 0; i < bits.size(); ++i)
        bits[i] = (bytes[i / 8] >> (7 - i % 8)) & 1;
    return bits;
}

Bytes bitsToBytes(const std::vector<uint8_t>& bits)
{
    Bytes bytes(bits.size() / 8, 0);
    const uint8_t* bit = bits.data();
    for (uint8_t& byte : bytes) {
        unsigned value = 0;
        for (int k = 0; k < 8; ++k)
            value = (value << 1) | bit[k];
        byte = static_cast<uint8_t>(value);
        bit += 8;
    }
    return bytes;
}

void appendU8(Bytes& out, uint8_t v)
{
    out.push_back(v);
}
void appendU16(Bytes& out, uint16_t v)
{
    out.push_back(static_cast<uint8_t>(v));
    out.push_back(static_cast<uint8_t>(v >> 8));
}
void appendU32(Bytes& out, uint32_t v)
{
    for (int i = 0; i < 4; ++i)
        out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
void appendU64(Bytes& out, uint64_t v)
{
    for (int i = 0; i < 8; ++i)
        out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
void appendBlob(Bytes& out, const Bytes& blob)
{
    appendU32(out, static_cast<uint32_t>(blob.size()));
    out.insert(out.end(), blob.begin(), blob.end());
}

Result<Bytes> ByteReader::take(size_t n)
{
    if (n > remaining())
        return makeError(ErrorKind::BadInput, "record is truncated");
    Bytes out(m_bytes.begin() + static_cast<std::ptrdiff_t>(m_pos),
              m_bytes.begin() + static_cast<std::ptrdiff_t>(m_pos + n));
    m_pos += n;
    return out;
}

namespace {
template <typename T> Result<T> readLittleEndian(const Bytes& bytes, size_t& pos)
{
    if (sizeof(T) > bytes.size() - pos)
        return makeError(ErrorKind::BadInput, "record is truncated");
    T v = 0;
    for (size_t i = 0; i < sizeof(T); ++i)
        v = static_cast<T>(v | (static_cast<T>(bytes[pos + i]) << (8 * i)));
    pos += sizeof(T);
    return v;
}
} // namespace

Result<uint8_t> ByteReader::u8()
{
    return readLittleEndian<uint8_t>(m_bytes, m_pos);
}
Result<uint16_t> ByteReader::u16()
{
    return readLittleEndian<uint16_t>(m_bytes, m_pos);
}
Result<uint32_t> ByteReader::u32()
{
    return readLittleEndian<uint32_t>(m_bytes, m_pos);
}
Result<uint64_t> ByteReader::u64()
{
    return readLittleEndian<uint64_t>(m_bytes, m_pos);
}
Result<Bytes> ByteReader::blob()
{
    auto n = u32();
    if (!n)
        return n.error();
    return take(*n);
}

} // namespace medveil
