// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/RsaKey.h"

#include "crypto/Digest.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <cstring>

namespace medveil {

namespace {

using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)>;

std::shared_ptr<EVP_PKEY> wrap(EVP_PKEY* key)
{
    return std::shared_ptr<EVP_PKEY>(key, &EVP_PKEY_free);
}

std::string bioToString(BIO* bio)
{
    char* data = nullptr;
    const long length = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<size_t>(length));
}

struct PassphraseState
{
    const std::optional<std::string>* passphrase;
    bool asked = false;
};

int passphraseCallback(char* buffer, int size, int /*rwflag*/, void* userData)
{
    auto* state = static_cast<PassphraseState*>(userData);
    state->asked = true;
    if (!state->passphrase->has_value())
        return -1;
    const std::string& pass = **state->passphrase;
    if (static_cast<int>(pass.size()) > size)
        return -1;
    std::memcpy(buffer, pass.data(), pass.size());
    return static_cast<int>(pass.size());
}

/// An encrypted PKCS#8 PEM opened with a passphrase longer than PEM_BUFSIZE, which
/// PEM_read_bio_PrivateKey's callback cannot pass: the PBES2 decryption is called directly.
EVP_PKEY* readLongPassphrasePkcs8(BIO* bio, const std::string& passphrase, PassphraseState& state)
{
    std::unique_ptr<X509_SIG, decltype(&X509_SIG_free)> sealed(
        PEM_read_bio_PKCS8(bio, nullptr, nullptr, nullptr), &X509_SIG_free);
    if (!sealed)
        return nullptr;
    state.asked = true;
    std::unique_ptr<PKCS8_PRIV_KEY_INFO, decltype(&PKCS8_PRIV_KEY_INFO_free)> info(
        PKCS8_decrypt(sealed.get(), passphrase.data(), static_cast<int>(passphrase.size())),
        &PKCS8_PRIV_KEY_INFO_free);
    return info ? EVP_PKCS82PKEY(info.get()) : nullptr;
}

bool configureOaep(EVP_PKEY_CTX* ctx)
{
    return EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) > 0 &&
           EVP_PKEY_CTX_set_rsa_oaep_md(ctx, EVP_sha256()) > 0 &&
           EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, EVP_sha256()) > 0;
}

/// Keys MedVeil will encrypt to: ≥ 2048 bits and a public exponent that is odd and ≥ 65537 (e = 1 or 3 make
/// RSA-OAEP worthless or fragile; a small modulus can be factored). Checked for every key read.
Status checkStrength(EVP_PKEY* key)
{
    if (EVP_PKEY_get_bits(key) < RsaKey::kMinimumBits)
        return makeError(ErrorKind::BadInput, "RSA keys below 2048 bits are refused (this one has " +
                                                  std::to_string(EVP_PKEY_get_bits(key)) + ")");
    BIGNUM* e = nullptr;
    if (EVP_PKEY_get_bn_param(key, "e", &e) != 1 || !e)
        return makeError(ErrorKind::BadInput, "the RSA key has no readable public exponent");
    const bool ok = BN_is_odd(e) && BN_num_bits(e) >= 17; // 65537 = 2^16 + 1 is the smallest 17-bit value
    BN_free(e);
    if (!ok)
        return makeError(ErrorKind::BadInput,
                         "the RSA key's public exponent is weak (it must be odd and at least 65537)");
    return {};
}

} // namespace

Result<RsaKey> RsaKey::generate(int bits)
{
    if (bits < kMinimumBits)
        return makeError(ErrorKind::Usage, "RSA keys must have at least 2048 bits");
    if (bits > 16384)
        return makeError(ErrorKind::Usage, "RSA keys larger than 16384 bits are not supported");
    EVP_PKEY* key = EVP_RSA_gen(static_cast<unsigned int>(bits));
    if (!key)
        return makeError(ErrorKind::Internal, "RSA key generation failed");
    return RsaKey(wrap(key), true);
}

Result<RsaKey> RsaKey::fromPem(const std::string& pem, const std::optional<std::string>& passphrase)
{
    ERR_clear_error();
    const bool isPublic = pem.find("-----BEGIN PUBLIC KEY-----") != std::string::npos ||
                          pem.find("-----BEGIN RSA PUBLIC KEY-----") != std::string::npos;
    Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
    if (isPublic) {
        EVP_PKEY* key = pem.find("BEGIN RSA PUBLIC KEY") != std::string::npos
                            ? nullptr
                            : PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
        if (!key || EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) {
            EVP_PKEY_free(key);
            return makeError(ErrorKind::BadInput,
                             "not an RSA public key in PEM (SubjectPublicKeyInfo) format");
        }
        RsaKey result(wrap(key), false);
        MEDVEIL_TRY(checkStrength(result.m_key.get()));
        return result;
    }
    if (pem.find("-----BEGIN") == std::string::npos)
        return makeError(ErrorKind::BadInput, "not a PEM key file");
    PassphraseState state{&passphrase};
    EVP_PKEY* key = passphrase && passphrase->size() > kMaximumPassphraseBytes &&
                            pem.find("-----BEGIN ENCRYPTED PRIVATE KEY-----") != std::string::npos
                        ? readLongPassphrasePkcs8(bio.get(), *passphrase, state)
                        : PEM_read_bio_PrivateKey(bio.get(), nullptr, &passphraseCallback, &state);
    if (!key) {
        ERR_clear_error();
        if (pem.find("ENCRYPTED") != std::string::npos || state.asked) {
            if (!passphrase)
                return makeError(ErrorKind::Auth, "the private key is encrypted: a passphrase is needed");
            return makeError(ErrorKind::Auth, "wrong passphrase for the private key");
        }
        return makeError(ErrorKind::BadInput, "the private key file cannot be parsed");
    }
    if (EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) {
        EVP_PKEY_free(key);
        return makeError(ErrorKind::BadInput, "the key is not an RSA key");
    }
    RsaKey result(wrap(key), true);
    MEDVEIL_TRY(checkStrength(result.m_key.get()));
    return result;
}

int RsaKey::bits() const
{
    return m_key ? EVP_PKEY_get_bits(m_key.get()) : 0;
}

Result<std::string> RsaKey::privatePem(const std::optional<std::string>& passphrase) const
{
    if (!m_private)
        return makeError(ErrorKind::Usage, "this is a public key");
    Bio bio(BIO_new(BIO_s_mem()), &BIO_free);
    int ok = 0;
    if (passphrase && passphrase->size() > kMaximumPassphraseBytes)
        return makeError(ErrorKind::BadInput,
                         "passphrases longer than " + std::to_string(kMaximumPassphraseBytes) +
                             " bytes cannot protect a key (OpenSSL could not open it again)");
    if (passphrase) {
        // PKCS#8 with PBES2: PBKDF2-HMAC-SHA-256 at kPbkdf2Iterations (OWASP 2023's figure; OpenSSL's PEM
        // default is 2,048) and AES-256-CBC. `openssl pkey` and every PKCS#8 reader still opens it.
        std::unique_ptr<PKCS8_PRIV_KEY_INFO, decltype(&PKCS8_PRIV_KEY_INFO_free)> info(
            EVP_PKEY2PKCS8(m_key.get()), &PKCS8_PRIV_KEY_INFO_free);
        X509_ALGOR* pbe = info ? PKCS5_pbe2_set_iv(EVP_aes_256_cbc(), kPbkdf2Iterations, nullptr, 0, nullptr,
                                                   NID_hmacWithSHA256)
                               : nullptr;
        std::unique_ptr<X509_SIG, decltype(&X509_SIG_free)> sealed(
            pbe ? PKCS8_set0_pbe(passphrase->data(), static_cast<int>(passphrase->size()), info.get(), pbe)
                : nullptr,
            &X509_SIG_free);
        if (!sealed && pbe)
            X509_ALGOR_free(pbe);
        ok = sealed ? PEM_write_bio_PKCS8(bio.get(), sealed.get()) : 0;
    } else {
        ok = PEM_write_bio_PKCS8PrivateKey(bio.get(), m_key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    }
    if (ok != 1)
        return makeError(ErrorKind::Internal, "cannot write the private key as PEM");
    return bioToString(bio.get());
}

Result<std::string> RsaKey::publicPem() const
{
    Bio bio(BIO_new(BIO_s_mem()), &BIO_free);
    if (PEM_write_bio_PUBKEY(bio.get(), m_key.get()) != 1)
        return makeError(ErrorKind::Internal, "cannot write the public key as PEM");
    return bioToString(bio.get());
}

Result<Bytes> RsaKey::fingerprint() const
{
    auto der = publicDer();
    if (!der)
        return der.error();
    return sha256(*der);
}

Result<Bytes> RsaKey::encrypt(const Bytes& plaintext) const
{
    PkeyCtx ctx(EVP_PKEY_CTX_new(m_key.get(), nullptr), &EVP_PKEY_CTX_free);
    size_t length = 0;
    if (!ctx || EVP_PKEY_encrypt_init(ctx.get()) <= 0 || !configureOaep(ctx.get()) ||
        EVP_PKEY_encrypt(ctx.get(), nullptr, &length, plaintext.data(), plaintext.size()) <= 0)
        return makeError(ErrorKind::Internal, "RSA-OAEP setup failed");
    Bytes out(length);
    if (EVP_PKEY_encrypt(ctx.get(), out.data(), &length, plaintext.data(), plaintext.size()) <= 0) {
        ERR_clear_error();
        return makeError(ErrorKind::Internal, "RSA-OAEP encryption failed (plaintext too long for the key?)");
    }
    out.resize(length);
    return out;
}

Result<Bytes> RsaKey::decrypt(const Bytes& ciphertext) const
{
    if (!m_private)
        return makeError(ErrorKind::Usage, "decryption needs the private key");
    PkeyCtx ctx(EVP_PKEY_CTX_new(m_key.get(), nullptr), &EVP_PKEY_CTX_free);
    size_t length = 0;
    if (!ctx || EVP_PKEY_decrypt_init(ctx.get()) <= 0 || !configureOaep(ctx.get()) ||
        EVP_PKEY_decrypt(ctx.get(), nullptr, &length, ciphertext.data(), ciphertext.size()) <= 0) {
        ERR_clear_error();
        return makeError(ErrorKind::Auth, "this file was not protected for this private key");
    }
    Bytes out(length);
    if (EVP_PKEY_decrypt(ctx.get(), out.data(), &length, ciphertext.data(), ciphertext.size()) <= 0) {
        ERR_clear_error();
        return makeError(ErrorKind::Auth, "wrong private key: the sealed key cannot be decrypted");
    }
    out.resize(length);
    return out;
}

Result<Bytes> RsaKey::publicDer() const
{
    unsigned char* der = nullptr;
    const int length = i2d_PUBKEY(m_key.get(), &der);
    if (length <= 0)
        return makeError(ErrorKind::Internal, "cannot serialise the public key");
    Bytes out(der, der + length);
    OPENSSL_free(der);
    return out;
}

Result<RsaKey> RsaKey::fromPublicDer(const Bytes& der)
{
    const unsigned char* p = der.data();
    EVP_PKEY* key = d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size()));
    if (!key || p != der.data() + der.size() || EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) {
        EVP_PKEY_free(key);
        ERR_clear_error();
        return makeError(ErrorKind::BadInput, "not a DER RSA public key");
    }
    RsaKey result(wrap(key), false);
    MEDVEIL_TRY(checkStrength(result.m_key.get()));
    return result;
}

namespace {

using MdCtx = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

/// RSA-PSS with SHA-256 everywhere and a salt as long as the digest (RFC 8017 §9.1, the usual profile).
bool configurePss(EVP_PKEY_CTX* ctx)
{
    return EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) > 0 &&
           EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, 32) > 0 &&
           EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, EVP_sha256()) > 0;
}

} // namespace

Result<Bytes> RsaKey::sign(const Bytes& message) const
{
    if (!m_private)
        return makeError(ErrorKind::Usage, "signing needs the private key");
    MdCtx md(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    EVP_PKEY_CTX* ctx = nullptr; // owned by md
    size_t length = 0;
    if (!md || EVP_DigestSignInit(md.get(), &ctx, EVP_sha256(), nullptr, m_key.get()) <= 0 ||
        !configurePss(ctx) || EVP_DigestSign(md.get(), nullptr, &length, message.data(), message.size()) <= 0)
        return makeError(ErrorKind::Internal, "RSA-PSS setup failed");
    Bytes out(length);
    if (EVP_DigestSign(md.get(), out.data(), &length, message.data(), message.size()) <= 0) {
        ERR_clear_error();
        return makeError(ErrorKind::Internal, "RSA-PSS signing failed");
    }
    out.resize(length);
    return out;
}

Status RsaKey::verify(const Bytes& message, const Bytes& signature) const
{
    MdCtx md(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    EVP_PKEY_CTX* ctx = nullptr;
    if (!md || EVP_DigestVerifyInit(md.get(), &ctx, EVP_sha256(), nullptr, m_key.get()) <= 0 ||
        !configurePss(ctx))
        return makeError(ErrorKind::Internal, "RSA-PSS setup failed");
    const int ok =
        EVP_DigestVerify(md.get(), signature.data(), signature.size(), message.data(), message.size());
    ERR_clear_error();
    if (ok != 1)
        return makeError(ErrorKind::Auth, "the signature does not verify: the file was modified or signed by "
                                          "another key");
    return {};
}

} // namespace medveil
