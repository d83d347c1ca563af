// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Bytes.h"
#include "core/Image.h"
#include "core/Result.h"
#include "crypto/RsaKey.h"

#include <map>
#include <string>

namespace medveil {

/// What the recipient needs to decrypt an LSC cipher image: the 256-bit cipher key, the SHA-256 of the
/// plain image (it salts the chaotic initial values) and up to 125 bytes of pipeline parameters (what
/// RSA-2048 OAEP-SHA-256 still wraps).
struct CipherSecrets
{
    Bytes key;        ///< 32 bytes
    Bytes plainHash;  ///< 32 bytes
    Bytes parameters; ///< opaque to the container (e.g. the EMR base and the original bit depth)
};

/// The sealed container of DESIGN §4.4: a PNG of cipher pixels whose iTXt metadata carries
/// RSA-OAEP(key ‖ image hash ‖ parameters) for the recipient and an HMAC-SHA-256 (key derived from the
/// cipher key by HKDF) over the cipher pixels, their size and depth, the format tag and the wrapped key.
/// A wrong private key or any changed pixel or metadata value is ErrorKind::Auth.
namespace SealedCipherImage {

constexpr const char* kFormatKey = "MedVeil:format";
constexpr const char* kWrappedKeyKey = "MedVeil:wrapped-key";
constexpr const char* kMacKey = "MedVeil:hmac-sha256";

/// Metadata for `cipher` sealed to `recipient` (`format` names the pipeline, e.g. "lsc-cipher 1").
Result<std::map<std::string, std::string>> seal(const Image& cipher, const CipherSecrets& secrets,
                                                const RsaKey& recipient, const std::string& format);

/// Unwraps and verifies. BadInput when the metadata is not a MedVeil cipher container of `format`.
Result<CipherSecrets> open(const Image& cipher, const std::map<std::string, std::string>& metadata,
                           const RsaKey& privateKey, const std::string& format);

} // namespace SealedCipherImage
} // namespace medveil
