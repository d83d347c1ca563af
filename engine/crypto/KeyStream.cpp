// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/KeyStream.h"

#include <openssl/evp.h>

#include <memory>

namespace medveil {

Result<Bytes> aesCtrKeystream(const Bytes& key, size_t length)
{
    if (key.size() != 32)
        return makeError(ErrorKind::Internal, "keystream needs a 32-byte key");
    std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(),
                                                                        &EVP_CIPHER_CTX_free);
    const uint8_t iv[16] = {};
    Bytes zeros(length, 0), out(length);
    int written = 0;
    if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_ctr(), nullptr, key.data(), iv) != 1 ||
        (length > 0 &&
         EVP_EncryptUpdate(ctx.get(), out.data(), &written, zeros.data(), static_cast<int>(length)) != 1))
        return makeError(ErrorKind::Internal, "AES-CTR keystream failed");
    return out;
}

} // namespace medveil
