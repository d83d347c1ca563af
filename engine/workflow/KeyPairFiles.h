// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Bytes.h"
#include "core/Result.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

/// A new RSA key pair on disk — `medveil-cli keygen` and the Key Manager write it the same way.
namespace medveil::workflow {

struct KeyPairRequest
{
    std::filesystem::path privatePath, publicPath;
    int bits = 3072;                       ///< at least RsaKey::kMinimumBits
    std::optional<std::string> passphrase; ///< encrypts the private PEM (PKCS#8, AES-256) when given
    bool allowWeakPassphrase = false;      ///< accept one under kMinimumPassphraseCharacters (demonstrations)
    std::vector<std::filesystem::path> inputs; ///< never written over (e.g. the passphrase file)
    bool replaceExisting = false; ///< a key written over loses every file protected for it: opt-in only
    std::string replaceAdvice;    ///< ends the "exists" error: how this face opts in, e.g. "use --force"
};

struct CreatedKeyPair
{
    int bits = 0;
    Bytes fingerprint; ///< SHA-256 of the DER public key
};

/// Generates a key pair from OpenSSL's CSPRNG and writes both PEM files atomically (the private one
/// owner-only). Usage: the two paths are the same file or the size is too small; BadInput: a file exists
/// (without replaceExisting), a path is a folder or too long, the passphrase fails checkNewPassphrase().
/// Either both new files are written or neither is; an old pair being replaced stays whole on any
/// failure (both files are staged completely before the first rename, the private key renamed last).
Result<CreatedKeyPair> createKeyPair(const KeyPairRequest& request);

} // namespace medveil::workflow
