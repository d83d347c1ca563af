// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/Digest.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <algorithm>
#include <bit>
#include <memory>

namespace medveil {

Result<Bytes> randomBytes(size_t count)
{
    Bytes out(count);
    if (count > 0 && RAND_bytes(out.data(), static_cast<int>(count)) != 1)
        return makeError(ErrorKind::Internal, "the system random generator failed");
    return out;
}

Bytes sha256(const uint8_t* data, size_t size)
{
    Bytes digest(32);
    unsigned int length = 0;
    EVP_Digest(data, size, digest.data(), &length, EVP_sha256(), nullptr);
    return digest;
}

Bytes sha256(const Bytes& data)
{
    return sha256(data.data(), data.size());
}

Bytes sha256Pixels(const Image& image)
{
    const cv::Mat& mat = image.mat();
    const bool littleEndian = std::endian::native == std::endian::little;
    if (mat.isContinuous() && (image.bitDepth() == 8 || littleEndian))
        return sha256(mat.ptr<uint8_t>(), image.pixelCount() * mat.elemSize());
    return sha256(image.pixelBytes());
}

struct Sha256Context::State
{
    EVP_MD* md = nullptr;
    EVP_MD_CTX* ctx = nullptr;
};

Sha256Context::Sha256Context() : m_state(new State)
{
    m_state->md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    m_state->ctx = EVP_MD_CTX_new();
}

Sha256Context::~Sha256Context()
{
    EVP_MD_CTX_free(m_state->ctx);
    EVP_MD_free(m_state->md);
    delete m_state;
}

void Sha256Context::digest(const uint8_t* data, size_t size, uint8_t* out)
{
    unsigned int length = 0;
    if (!m_state->md || !m_state->ctx || EVP_DigestInit_ex2(m_state->ctx, m_state->md, nullptr) != 1 ||
        EVP_DigestUpdate(m_state->ctx, data, size) != 1 ||
        EVP_DigestFinal_ex(m_state->ctx, out, &length) != 1) {
        // Unreachable with a working OpenSSL; the one-shot path gives the same digest.
        const Bytes fallback = sha256(data, size);
        std::copy(fallback.begin(), fallback.end(), out);
    }
}

Bytes hmacSha256(const Bytes& key, const Bytes& data)
{
    Bytes mac(32);
    size_t length = 0;
    EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key.data(), key.size(), data.data(), data.size(),
              mac.data(), mac.size(), &length);
    return mac;
}

bool constantTimeEqual(const Bytes& a, const Bytes& b)
{
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

Result<Bytes> hkdfSha256(const Bytes& ikm, const Bytes& salt, std::string_view info, size_t length)
{
    std::unique_ptr<EVP_KDF, decltype(&EVP_KDF_free)> kdf(EVP_KDF_fetch(nullptr, "HKDF", nullptr),
                                                          &EVP_KDF_free);
    if (!kdf)
        return makeError(ErrorKind::Internal, "HKDF is not available in this OpenSSL");
    std::unique_ptr<EVP_KDF_CTX, decltype(&EVP_KDF_CTX_free)> ctx(EVP_KDF_CTX_new(kdf.get()),
                                                                  &EVP_KDF_CTX_free);
    char digest[] = "SHA256";
    Bytes saltCopy = salt, ikmCopy = ikm;
    std::string infoCopy(info);
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, ikmCopy.data(), ikmCopy.size()),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, saltCopy.data(), saltCopy.size()),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, infoCopy.data(), infoCopy.size()),
        OSSL_PARAM_construct_end(),
    };
    Bytes out(length);
    if (!ctx || EVP_KDF_derive(ctx.get(), out.data(), out.size(), params) != 1)
        return makeError(ErrorKind::Internal, "HKDF derivation failed");
    OPENSSL_cleanse(ikmCopy.data(), ikmCopy.size());
    return out;
}

} // namespace medveil
