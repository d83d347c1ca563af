// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Result.h"
#include "crypto/RsaKey.h"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace medveil {

enum class KeyRole
{
    Public,  ///< anything RsaKey::fromPem reads (a public key, or a private key used for its public half)
    Private, ///< must hold the private key
};

/// A passphrase for a new key file has at least this many characters (code points) unless the user opts in
/// to a weak one for a demonstration: under PBKDF2 × 600,000 a 12-character passphrase is out of reach of
/// guessing, a one-word one is not.
inline constexpr size_t kMinimumPassphraseCharacters = 12;
/// BadInput when `passphrase` must not protect a new key file: empty, longer than
/// RsaKey::kMaximumPassphraseBytes, or — unless `allowWeak` — shorter than kMinimumPassphraseCharacters.
/// keygen and the Key Manager both ask.
Status checkNewPassphrase(std::string_view passphrase, bool allowWeak = false);

/// The passphrase in the first line of the file at `path` (up to the first CR or LF). A regular file or
/// named pipe that group or others may read or write is refused (BadInput), as a private key is: the
/// passphrase is the key's only protection. Pipes (`/dev/stdin`, `<(…)`, `/dev/fd/N`) are read like files.
Result<std::string> readPassphraseFile(const std::filesystem::path& path);

/// The first line of what can be read from the open descriptor `fd` (0 = stdin), up to a newline or the
/// end; the descriptor is read byte by byte so nothing after the line is consumed. BadInput when `fd` is
/// not open for reading.
Result<std::string> readPassphraseFd(int fd);

/// Reads an RSA key from a PEM file: an empty path or an unreadable file is BadInput naming the role,
/// a public key where the private one is needed is BadInput, a wrong passphrase is Auth (RsaKey::fromPem).
Result<RsaKey> loadKeyFile(const std::filesystem::path& path, KeyRole role,
                           const std::optional<std::string>& passphrase = {});

} // namespace medveil
