// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/ContainerSignature.h"

#include "crypto/Digest.h"

namespace medveil::ContainerSignature {

namespace {

/// Domain tag, the pixels' SHA-256, then every metadata entry (the map's order) except the signature, each
/// length-prefixed. The signer's key is among them, so a signature cannot be moved to another key.
Bytes signedMessage(const Image& pixels, const std::map<std::string, std::string>& metadata)
{
    Bytes message = toBytes("MedVeil container signature 1");
    const Bytes hash = sha256(pixels.pixelBytes());
    message.insert(message.end(), hash.begin(), hash.end());
    appendU32(message, static_cast<uint32_t>(pixels.width()));
    appendU32(message, static_cast<uint32_t>(pixels.height()));
    appendU8(message, static_cast<uint8_t>(pixels.bitDepth()));
    for (const auto& [key, value] : metadata) {
        if (key == kSignatureKey)
            continue;
        appendBlob(message, toBytes(key));
        appendBlob(message, toBytes(value));
    }
    return message;
}

} // namespace

Status sign(const Image& pixels, std::map<std::string, std::string>& metadata, const RsaKey& signer)
{
    auto der = signer.publicDer();
    if (!der)
        return der.error();
    metadata.erase(kSignatureKey);
    metadata[kSignerKey] = base64Encode(*der);
    auto signature = signer.sign(signedMessage(pixels, metadata));
    if (!signature)
        return signature.error();
    metadata[kSignatureKey] = base64Encode(*signature);
    return {};
}

Result<std::optional<Bytes>> verify(const Image& pixels, const std::map<std::string, std::string>& metadata)
{
    const auto signature = metadata.find(kSignatureKey);
    const auto signer = metadata.find(kSignerKey);
    if (signature == metadata.end() && signer == metadata.end())
        return std::optional<Bytes>();
    if (signature == metadata.end() || signer == metadata.end())
        return makeError(ErrorKind::Auth, "the file's signature was removed or damaged");
    auto der = base64Decode(signer->second);
    auto bytes = base64Decode(signature->second);
    if (!der || !bytes)
        return makeError(ErrorKind::Auth, "the file's signature is damaged");
    auto key = RsaKey::fromPublicDer(*der);
    if (!key)
        return makeError(ErrorKind::Auth, "the file's signer key is unusable: " + key.error().message);
    MEDVEIL_TRY(key->verify(signedMessage(pixels, metadata), *bytes));
    auto fingerprint = key->fingerprint();
    if (!fingerprint)
        return fingerprint.error();
    return std::optional<Bytes>(std::move(*fingerprint));
}

Result<std::optional<Bytes>> check(const Image& pixels, const std::map<std::string, std::string>& metadata,
                                   const std::optional<RsaKey>& trusted)
{
    auto signedBy = verify(pixels, metadata);
    if (!signedBy || !trusted)
        return signedBy;
    auto expected = trusted->fingerprint();
    if (!expected)
        return expected.error();
    if (!*signedBy)
        return makeError(ErrorKind::Auth, "the file is not signed, and --verify asks for a signature by " +
                                              hexEncode(*expected).substr(0, 16) + "…");
    if (!constantTimeEqual(**signedBy, *expected))
        return makeError(ErrorKind::Auth, "the file is signed by another key (" +
                                              hexEncode(**signedBy).substr(0, 16) + "…), not by " +
                                              hexEncode(*expected).substr(0, 16) + "…");
    return signedBy;
}

} // namespace medveil::ContainerSignature
