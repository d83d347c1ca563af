// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Result.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace medveil {

using Bytes = std::vector<uint8_t>;

/// Bytes of a string, unchanged.
inline Bytes toBytes(std::string_view text)
{
    return Bytes(text.begin(), text.end());
}
inline std::string toString(const Bytes& bytes)
{
    return std::string(bytes.begin(), bytes.end());
}

/// Standard base64 (RFC 4648) with padding.
std::string base64Encode(const Bytes& bytes);
/// Strict decoder: whitespace and bad characters are BadInput.
Result<Bytes> base64Decode(std::string_view text);

/// Base45 (RFC 9285): every character is in the QR alphanumeric set, so a QR code stores it at
/// 5.5 bits per character (binary data costs ≈ 3 % more than in byte mode, and stays text).
std::string base45Encode(const Bytes& bytes);
/// Strict decoder: characters outside the set, a stray single character or values over 65535 are BadInput.
Result<Bytes> base45Decode(std::string_view text);

/// Lower-case hexadecimal.
std::string hexEncode(const Bytes& bytes);

/// Little-endian helpers for small binary records.
/// One 0/1 element per bit, most significant bit of each byte first (what the embedder carries), and back
/// (whole bytes only).
std::vector<uint8_t> bytesToBits(const Bytes& bytes);
Bytes bitsToBytes(const std::vector<uint8_t>& bits);

void appendU8(Bytes& out, uint8_t v);
void appendU16(Bytes& out, uint16_t v);
void appendU32(Bytes& out, uint32_t v);
void appendU64(Bytes& out, uint64_t v);
void appendBlob(Bytes& out, const Bytes& blob); ///< u32 length + bytes

/// Cursor over a binary record; every read fails cleanly (BadInput) past the end.
class ByteReader
{
public:
    explicit ByteReader(const Bytes& bytes) : m_bytes(bytes) {}
    Result<uint8_t> u8();
    Result<uint16_t> u16();
    Result<uint32_t> u32();
    Result<uint64_t> u64();
    Result<Bytes> take(size_t n);
    Result<Bytes> blob(); ///< u32 length + bytes
    [[nodiscard]] size_t remaining() const { return m_bytes.size() - m_pos; }

private:
    const Bytes& m_bytes;
    size_t m_pos = 0;
};

} // namespace medveil
