// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Bytes.h"
#include "core/Result.h"

#include <memory>
#include <optional>
#include <string>

struct evp_pkey_st;

namespace medveil {

/// An RSA key (public, or private with its public half) held as an OpenSSL EVP_PKEY.
/// Cheap to copy (shared, immutable). Encryption is RSA-OAEP with SHA-256 and MGF1-SHA-256.
class RsaKey
{
public:
    static constexpr int kMinimumBits = 2048;
    /// PBKDF2-HMAC-SHA-256 iterations of passphrase-encrypted private keys.
    static constexpr int kPbkdf2Iterations = 600000;
    /// The longest passphrase a key is written with: OpenSSL's PEM readers (a passphrase callback gets a
    /// PEM_BUFSIZE = 1024-byte buffer, `openssl pkey` too) could not open a key made with a longer one.
    static constexpr size_t kMaximumPassphraseBytes = 1024;

    /// A fresh key pair from OpenSSL's CSPRNG; fewer than 2048 bits is a Usage error.
    static Result<RsaKey> generate(int bits = 2048);

    /// Loads a PEM private key (PKCS#8, encrypted or not, or traditional RSA) or public key. Passphrases of
    /// any length open an encrypted PKCS#8 key (earlier releases wrote keys under passphrases longer than
    /// kMaximumPassphraseBytes). A wrong or missing passphrase for an encrypted key is ErrorKind::Auth; a key
    /// below 2048 bits or with a public exponent that is even or below 65537 is BadInput.
    static Result<RsaKey> fromPem(const std::string& pem, const std::optional<std::string>& passphrase = {});

    [[nodiscard]] bool hasPrivate() const { return m_private; }
    [[nodiscard]] int bits() const;

    /// PKCS#8 PEM of the private key, encrypted with AES-256-CBC under PBKDF2-HMAC-SHA-256
    /// (kPbkdf2Iterations) when a passphrase is given; a passphrase over kMaximumPassphraseBytes is BadInput.
    Result<std::string> privatePem(const std::optional<std::string>& passphrase = {}) const;
    /// SubjectPublicKeyInfo PEM ("BEGIN PUBLIC KEY").
    Result<std::string> publicPem() const;
    /// SHA-256 of the DER public key: identifies the key pair without revealing it.
    Result<Bytes> fingerprint() const;
    /// DER SubjectPublicKeyInfo, and back (a weak key is BadInput, as for fromPem).
    Result<Bytes> publicDer() const;
    static Result<RsaKey> fromPublicDer(const Bytes& der);

    /// RSA-PSS signature (SHA-256, MGF1-SHA-256, salt of 32 bytes) of `message`; needs the private key.
    Result<Bytes> sign(const Bytes& message) const;
    /// Checks an RSA-PSS signature made by sign(); a wrong one is ErrorKind::Auth.
    Status verify(const Bytes& message, const Bytes& signature) const;

    /// RSA-OAEP(SHA-256) encryption; at most bits/8 − 66 bytes of plaintext.
    Result<Bytes> encrypt(const Bytes& plaintext) const;
    /// RSA-OAEP(SHA-256) decryption; a ciphertext made for another key is ErrorKind::Auth.
    Result<Bytes> decrypt(const Bytes& ciphertext) const;

private:
    RsaKey(std::shared_ptr<evp_pkey_st> key, bool isPrivate) : m_key(std::move(key)), m_private(isPrivate) {}
    std::shared_ptr<evp_pkey_st> m_key;
    bool m_private = false;
};

} // namespace medveil
