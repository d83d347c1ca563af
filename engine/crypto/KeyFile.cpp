// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/KeyFile.h"

#include "io/AtomicFile.h"

#include <sys/stat.h>

namespace medveil {

Result<RsaKey> loadKeyFile(const std::filesystem::path& path, KeyRole role,
                           const std::optional<std::string>& passphrase)
{
    const std::string what = role == KeyRole::Private ? "private key" : "recipient's public key";
    if (path.empty())
        return makeError(ErrorKind::BadInput, "choose the " + what + " first");
    if (role == KeyRole::Private) {
        // Like ssh: a private key that others may read is refused, not silently used.
        struct stat st
        {};
        if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0)
            return makeError(ErrorKind::BadInput,
                             "the private key '" + path.string() +
                                 "' is readable by other users; restrict it first (chmod 600)");
    }
    auto pem = readFileBytes(path);
    if (!pem)
        return makeError(ErrorKind::BadInput, "cannot read the " + what + ": " + pem.error().message);
    auto key = RsaKey::fromPem(std::string(pem->begin(), pem->end()), passphrase);
    if (key && role == KeyRole::Private && !key->hasPrivate())
        return makeError(
            ErrorKind::BadInput,
            std::string("'").append(path.string()).append("' holds a public key; the private key is needed"));
    return key;
}

} // namespace medveil
