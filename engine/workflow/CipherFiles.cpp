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
    MEDVEIL_ASSIGN_OR_RETURN(Image cipher, LscChaoticCipher::encrypt(plain, key, hash));
    MEDVEIL_ASSIGN_OR_RETURN(const auto metadata,
                             SealedCipherImage::seal(cipher, {key, hash, {}}, recipient, kCipherFormat));
    MEDVEIL_TRY(writePng(out, cipher, metadata, {input}));
    return EncryptedImageFile{std::move(plain), std::move(cipher)};
}

Result<Image> decryptImageFile(const std::filesystem::path& input, const std::filesystem::path& out,
                               const RsaKey& privateKey)
{
    MEDVEIL_ASSIGN_OR_RETURN(const LoadedImage sealed, readImageFile(input));
    MEDVEIL_ASSIGN_OR_RETURN(
        const CipherSecrets secrets,
        SealedCipherImage::open(sealed.image, sealed.metadata, privateKey, kCipherFormat));
    MEDVEIL_ASSIGN_OR_RETURN(Image plain,
                             LscChaoticCipher::decrypt(sealed.image, secrets.key, secrets.plainHash));
    if (!constantTimeEqual(sha256(plain.pixelBytes()), secrets.plainHash))
        return makeError(ErrorKind::Auth, "the decrypted image does not match its sealed hash");
    MEDVEIL_TRY(writePng(out, plain, {}, {input}));
    return plain;
}

Result<CipherAnalysis> analyseCipherOfFile(const std::filesystem::path& input)
{
    MEDVEIL_ASSIGN_OR_RETURN(const Image image, readImage(input));
    MEDVEIL_ASSIGN_OR_RETURN(const Bytes key, randomBytes(32));
    return analyseCipher(image, key);
}

} // namespace medveil::workflow
