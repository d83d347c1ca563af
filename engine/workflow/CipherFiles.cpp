// SPDX-License-Identifier: GPL-3.0-or-later
#include "workflow/CipherFiles.h"

#include "crypto/Digest.h"
#include "emr/LscChaoticCipher.h"
#include "emr/SealedCipherImage.h"
#include "io/ImageIo.h"

namespace medveil::workflow {

Result<EncryptedImageFile> encryptImageFile(const std::filesystem::path& input,
                                            const std::filesystem::path& out, const RsaKey& recipient)
{
    MEDVEIL_ASSIGN_OR_RETURN(Image plain, readImage(input));
    MEDVEIL_ASSIGN_OR_RETURN(const Bytes key, randomBytes(32));
    const Bytes hash = sha256(plain.pixelBytes());
    const LscCipherVersion version = LscChaoticCipher::kCurrentVersion;
    MEDVEIL_ASSIGN_OR_RETURN(Image cipher, LscChaoticCipher::encrypt(plain, key, hash, version));
    MEDVEIL_ASSIGN_OR_RETURN(const auto metadata,
                             SealedCipherImage::seal(cipher,
                                                     {key, hash, Bytes{static_cast<uint8_t>(version)}},
                                                     recipient, kCipherFormat));
    MEDVEIL_TRY(writePng(out, cipher, metadata, {input}));
    return EncryptedImageFile{std::move(plain), std::move(cipher)};
}

Result<Image> decryptImageFile(const std::filesystem::path& input, const std::filesystem::path& out,
                               const RsaKey& privateKey)
{
    MEDVEIL_ASSIGN_OR_RETURN(const LoadedImage sealed, readImageFile(input));
    const auto format = sealed.metadata.find(SealedCipherImage::kFormatKey);
    const bool firstFormat = format != sealed.metadata.end() && format->second == kCipherFormatV1;
    MEDVEIL_ASSIGN_OR_RETURN(const CipherSecrets secrets,
                             SealedCipherImage::open(sealed.image, sealed.metadata, privateKey,
                                                     firstFormat ? kCipherFormatV1 : kCipherFormat));
    LscCipherVersion version = LscCipherVersion::V1;
    if (firstFormat) {
        if (!secrets.parameters.empty())
            return makeError(ErrorKind::Auth, "the sealed key has an unknown format");
    } else {
        // Authenticated bytes this release cannot read: a forged or a future file.
        if (secrets.parameters.size() != 1)
            return makeError(ErrorKind::Auth, "the sealed key has an unknown format");
        auto named = LscChaoticCipher::versionFromByte(secrets.parameters[0]);
        if (!named)
            return makeError(ErrorKind::Auth, "the file names an unknown cipher version");
        version = *named;
    }
    MEDVEIL_ASSIGN_OR_RETURN(
        Image plain, LscChaoticCipher::decrypt(sealed.image, secrets.key, secrets.plainHash, version));
    if (!constantTimeEqual(sha256(plain.pixelBytes()), secrets.plainHash))
        return makeError(ErrorKind::Auth, "the decrypted image does not match its sealed hash");
    MEDVEIL_TRY(writePng(out, plain, {}, {input}));
    return plain;
}

Result<uint64_t> freshAnalysisSeed()
{
    MEDVEIL_ASSIGN_OR_RETURN(const Bytes random, randomBytes(8));
    uint64_t seed = 0;
    for (uint8_t b : random)
        seed = seed << 8 | b;
    return seed;
}

Result<CipherReport> analyseCipherOfFiles(const std::vector<std::filesystem::path>& inputs,
                                          const CipherStudyOptions& options)
{
    std::vector<Image> images;
    for (const auto& input : inputs) {
        MEDVEIL_ASSIGN_OR_RETURN(Image image, readImage(input));
        images.push_back(std::move(image));
    }
    return analyseCipherReport(images, options);
}

} // namespace medveil::workflow
