// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Bytes.h"
#include "core/Image.h"
#include "core/Result.h"
#include "crypto/RsaKey.h"

#include <map>
#include <optional>
#include <string>

namespace medveil {

/// Sender authentication for protected and sealed files: an RSA-PSS-SHA-256 signature over the pixels and
/// every other metadata entry of the container (the sealed record or parameters, QR geometry, residual,
/// identity part — and through them the DICOM header digest), with the signer's public key beside it.
/// Anyone can check it with no private key; only a trusted sender's key makes it mean something, which is
/// what --verify asks for.
namespace ContainerSignature {

constexpr const char* kSignatureKey = "MedVeil:signature"; ///< base64 RSA-PSS signature
constexpr const char* kSignerKey = "MedVeil:signer";       ///< base64 DER SubjectPublicKeyInfo

/// Adds the signer's public key and the signature to `metadata` (replacing an earlier signature).
Status sign(const Image& pixels, std::map<std::string, std::string>& metadata, const RsaKey& signer);

/// nullopt for an unsigned container; the SHA-256 fingerprint of the signer's public key when the signature
/// verifies; Auth when a signature is present but does not verify (or only half of it is present).
Result<std::optional<Bytes>> verify(const Image& pixels, const std::map<std::string, std::string>& metadata);

/// verify() and, when `trusted` is given, require a signature by that key (Auth otherwise).
Result<std::optional<Bytes>> check(const Image& pixels, const std::map<std::string, std::string>& metadata,
                                   const std::optional<RsaKey>& trusted);

} // namespace ContainerSignature
} // namespace medveil
