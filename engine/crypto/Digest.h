// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Bytes.h"
#include "core/Result.h"

#include <string_view>

namespace medveil {

/// Bytes from OpenSSL's CSPRNG (RAND_bytes). Fails only when the CSPRNG is not seeded.
Result<Bytes> randomBytes(size_t count);

/// SHA-256 of `data` (32 bytes).
Bytes sha256(const Bytes& data);
Bytes sha256(const uint8_t* data, size_t size);

/// HMAC-SHA-256 (32 bytes).
Bytes hmacSha256(const Bytes& key, const Bytes& data);

/// Constant-time equality of two byte strings (false when the sizes differ).
bool constantTimeEqual(const Bytes& a, const Bytes& b);

/// HKDF-SHA-256 (RFC 5869): `length` bytes from input keying material, salt and context info.
Result<Bytes> hkdfSha256(const Bytes& ikm, const Bytes& salt, std::string_view info, size_t length);

} // namespace medveil
