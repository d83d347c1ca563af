// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Bytes.h"
#include "core/Result.h"

namespace medveil {

/// AES-256-GCM with a 96-bit nonce and 128-bit tag (OpenSSL EVP).
/// Sealed layout: nonce (12) ‖ ciphertext ‖ tag (16).
namespace AesGcm {

constexpr size_t kKeySize = 32;
constexpr size_t kNonceSize = 12;
constexpr size_t kTagSize = 16;

/// Encrypts under `key` (32 bytes) with a fresh random nonce, binding `aad`.
Result<Bytes> seal(const Bytes& key, const Bytes& plaintext, const Bytes& aad = {});

/// Same with a caller-chosen nonce (known-answer tests only: never reuse a nonce under one key).
Result<Bytes> sealWithNonce(const Bytes& key, const Bytes& nonce, const Bytes& plaintext, const Bytes& aad);

/// Decrypts and verifies; a wrong key, wrong aad or any changed byte is ErrorKind::Auth.
Result<Bytes> open(const Bytes& key, const Bytes& sealed, const Bytes& aad = {});

} // namespace AesGcm
} // namespace medveil
