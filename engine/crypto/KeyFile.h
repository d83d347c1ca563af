// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Result.h"
#include "crypto/RsaKey.h"

#include <filesystem>
#include <optional>
#include <string>

namespace medveil {

enum class KeyRole
{
    Public,  ///< anything RsaKey::fromPem reads (a public key, or a private key used for its public half)
    Private, ///< must hold the private key
};

/// Reads an RSA key from a PEM file: an empty path or an unreadable file is BadInput naming the role,
/// a public key where the private one is needed is BadInput, a wrong passphrase is Auth (RsaKey::fromPem).
Result<RsaKey> loadKeyFile(const std::filesystem::path& path, KeyRole role,
                           const std::optional<std::string>& passphrase = {});

} // namespace medveil
