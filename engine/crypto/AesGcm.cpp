// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/AesGcm.h"

#include "crypto/Digest.h"

#include <openssl/evp.h>

#include <memory>

namespace medveil::AesGcm {

namespace {
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;
CipherCtx newCtx()
{
    return CipherCtx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
}
} // namespace

Result<Bytes> sealWithNonce(const Bytes& key, const Bytes& nonce, const Bytes& plaintext, const Bytes& aad)
{
    if (key.size() != kKeySize || nonce.size() != kNonceSize)
        return makeError(ErrorKind::Internal, "AES-256-GCM needs a 32-byte key and a 12-byte nonce");
    auto ctx = newCtx();
    Bytes out(nonce);
    out.resize(kNonceSize + plaintext.size() + kTagSize);
    int length = 0;
    bool ok = ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), nonce.data()) == 1;
    ok = ok && (aad.empty() || EVP_EncryptUpdate(ctx.get(), nullptr, &length, aad.data(),
                                                 static_cast<int>(aad.size())) == 1);
    ok = ok && EVP_EncryptUpdate(ctx.get(), out.data() + kNonceSize, &length, plaintext.data(),
                                 static_cast<int>(plaintext.size())) == 1;
    ok = ok && EVP_EncryptFinal_ex(ctx.get(), out.data() + kNonceSize + length, &length) == 1;
    ok = ok && EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagSize,
                                   out.data() + kNonceSize + plaintext.size()) == 1;
    if (!ok)
        return makeError(ErrorKind::Internal, "AES-256-GCM encryption failed");
    return out;
}

Result<Bytes> seal(const Bytes& key, const Bytes& plaintext, const Bytes& aad)
{
    auto nonce = randomBytes(kNonceSize);
    if (!nonce)
        return nonce.error();
    return sealWithNonce(key, *nonce, plaintext, aad);
}

Result<Bytes> open(const Bytes& key, const Bytes& sealed, const Bytes& aad)
{
    if (key.size() != kKeySize)
        return makeError(ErrorKind::Internal, "AES-256-GCM needs a 32-byte key");
    if (sealed.size() < kNonceSize + kTagSize)
        return makeError(ErrorKind::Auth, "encrypted data is truncated");
    const size_t cipherSize = sealed.size() - kNonceSize - kTagSize;
    auto ctx = newCtx();
    Bytes plain(cipherSize);
    Bytes tag(sealed.end() - kTagSize, sealed.end());
    int length = 0;
    bool ok =
        ctx && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), sealed.data()) == 1;
    ok = ok && (aad.empty() || EVP_DecryptUpdate(ctx.get(), nullptr, &length, aad.data(),
                                                 static_cast<int>(aad.size())) == 1);
    ok = ok && EVP_DecryptUpdate(ctx.get(), plain.data(), &length, sealed.data() + kNonceSize,
                                 static_cast<int>(cipherSize)) == 1;
    ok = ok && EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagSize, tag.data()) == 1;
    ok = ok && EVP_DecryptFinal_ex(ctx.get(), plain.data() + length, &length) == 1;
    if (!ok)
        return makeError(ErrorKind::Auth, "authentication failed: wrong key or the data was modified");
    return plain;
}

} // namespace medveil::AesGcm
