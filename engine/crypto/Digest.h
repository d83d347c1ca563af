// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Bytes.h"
#include "core/Image.h"
#include "core/Result.h"

#include <string_view>

namespace medveil {

/// Bytes from OpenSSL's CSPRNG (RAND_bytes). Fails only when the CSPRNG is not seeded.
Result<Bytes> randomBytes(size_t count);

/// SHA-256 of `data` (32 bytes).
Bytes sha256(const Bytes& data);
Bytes sha256(const uint8_t* data, size_t size);

/// SHA-256 of `image.pixelBytes()` (row-major, 16-bit values little-endian), hashed where the pixels lie
/// when their memory already has that layout (a continuous matrix, 8-bit or on a little-endian host): no copy
/// of the image (the 16-bit copy cost recovery as much as the hash).
Bytes sha256Pixels(const Image& image);

/// SHA-256 of many short messages through one reused context, the algorithm fetched once: for messages of a
/// few hundred bytes, sha256()'s per-call set-up costs more than the hashing. Not shared between threads.
class Sha256Context
{
public:
    Sha256Context();
    ~Sha256Context();
    Sha256Context(const Sha256Context&) = delete;
    Sha256Context& operator=(const Sha256Context&) = delete;
    /// Writes the 32-byte digest of `data` to `out`.
    void digest(const uint8_t* data, size_t size, uint8_t* out);

private:
    struct State;
    State* m_state;
};

/// HMAC-SHA-256 (32 bytes).
Bytes hmacSha256(const Bytes& key, const Bytes& data);

/// Constant-time equality of two byte strings (false when the sizes differ).
bool constantTimeEqual(const Bytes& a, const Bytes& b);

/// HKDF-SHA-256 (RFC 5869): `length` bytes from input keying material, salt and context info.
Result<Bytes> hkdfSha256(const Bytes& ikm, const Bytes& salt, std::string_view info, size_t length);

} // namespace medveil
