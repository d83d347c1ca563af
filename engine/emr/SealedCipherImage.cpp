// SPDX-License-Identifier: GPL-3.0-or-later
#include "emr/SealedCipherImage.h"

#include "crypto/Digest.h"

namespace medveil::SealedCipherImage {

namespace {

constexpr uint8_t kBlobVersion = 1;

Bytes macInput(const Image& cipher, const std::string& format, const std::string& wrappedKey)
{
    Bytes data;
    appendU32(data, static_cast<uint32_t>(cipher.width()));
    appendU32(data, static_cast<uint32_t>(cipher.height()));
    appendU8(data, static_cast<uint8_t>(cipher.bitDepth()));
    appendBlob(data, toBytes(format));
    appendBlob(data, toBytes(wrappedKey));
    const Bytes pixels = cipher.pixelBytes();
    data.insert(data.end(), pixels.begin(), pixels.end());
    return data;
}

Result<Bytes> macKey(const Bytes& cipherKey)
{
    return hkdfSha256(cipherKey, toBytes("MedVeil sealed cipher image"), "hmac", 32);
}

} // namespace

/// RSA-2048 OAEP-SHA-256 wraps at most 190 bytes (256 − 2·32 − 2): the version, key and hash take 65.
constexpr size_t kMaxParameters = 190 - 65;

Result<std::map<std::string, std::string>> seal(const Image& cipher, const CipherSecrets& secrets,
                                                const RsaKey& recipient, const std::string& format)
{
    if (secrets.key.size() != 32 || secrets.plainHash.size() != 32 ||
        secrets.parameters.size() > kMaxParameters)
        return makeError(ErrorKind::Internal, "invalid cipher secrets");
    Bytes blob;
    blob.reserve(1 + secrets.key.size() + secrets.plainHash.size() + secrets.parameters.size());
    blob.push_back(kBlobVersion);
    blob.insert(blob.end(), secrets.key.begin(), secrets.key.end());
    blob.insert(blob.end(), secrets.plainHash.begin(), secrets.plainHash.end());
    blob.insert(blob.end(), secrets.parameters.begin(), secrets.parameters.end());
    auto wrapped = recipient.encrypt(blob);
    if (!wrapped)
        return wrapped.error();
    const std::string wrappedText = base64Encode(*wrapped);
    auto key = macKey(secrets.key);
    if (!key)
        return key.error();
    return std::map<std::string, std::string>{
        {kFormatKey, format},
        {kWrappedKeyKey, wrappedText},
        {kMacKey, base64Encode(hmacSha256(*key, macInput(cipher, format, wrappedText)))}};
}

Result<CipherSecrets> open(const Image& cipher, const std::map<std::string, std::string>& metadata,
                           const RsaKey& privateKey, const std::string& format)
{
    const auto tag = metadata.find(kFormatKey);
    if (tag == metadata.end())
        return makeError(ErrorKind::BadInput, "not a MedVeil sealed image (no protection data)");
    if (tag->second != format)
        return makeError(ErrorKind::BadInput,
                         "this MedVeil file is a '" + tag->second + "', not a '" + format + "'");
    const auto wrappedText = metadata.find(kWrappedKeyKey);
    const auto macText = metadata.find(kMacKey);
    if (wrappedText == metadata.end() || macText == metadata.end())
        return makeError(ErrorKind::Auth, "the sealed image's protection data was modified");
    auto wrapped = base64Decode(wrappedText->second);
    auto mac = base64Decode(macText->second);
    if (!wrapped || !mac)
        return makeError(ErrorKind::Auth, "the sealed image's protection data was modified");
    auto blob = privateKey.decrypt(*wrapped);
    if (!blob)
        return blob.error();
    if (blob->size() < 65 || (*blob)[0] != kBlobVersion)
        return makeError(ErrorKind::Auth, "the sealed key has an unknown format");
    CipherSecrets secrets;
    secrets.key.assign(blob->begin() + 1, blob->begin() + 33);
    secrets.plainHash.assign(blob->begin() + 33, blob->begin() + 65);
    secrets.parameters.assign(blob->begin() + 65, blob->end());
    auto key = macKey(secrets.key);
    if (!key)
        return key.error();
    if (!constantTimeEqual(hmacSha256(*key, macInput(cipher, format, wrappedText->second)), *mac))
        return makeError(ErrorKind::Auth, "the sealed image was modified (HMAC-SHA-256 mismatch)");
    return secrets;
}

} // namespace medveil::SealedCipherImage
