// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/KeyFile.h"

#include "io/AtomicFile.h"

#include "core/DisplayText.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace medveil {

namespace {

/// A passphrase line longer than this is not a passphrase (and not read into memory without end).
constexpr size_t kPassphraseReadLimit = 64 * 1024;

/// The first line readable from `fd` (up to CR or LF), byte by byte: nothing after it is consumed. `what`
/// names the source in errors.
Result<std::string> readFirstLine(int fd, const std::string& what)
{
    std::string line;
    for (;;) {
        char c = 0;
        const ssize_t n = ::read(fd, &c, 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return makeError(ErrorKind::BadInput,
                             "cannot read the passphrase from " + what + ": " + std::strerror(errno));
        if (n == 0 || c == '\n' || c == '\r')
            break;
        if (line.size() >= kPassphraseReadLimit)
            return makeError(ErrorKind::BadInput, "the passphrase in " + what + " is longer than " +
                                                      std::to_string(kPassphraseReadLimit) + " bytes");
        line += c;
    }
    return line;
}

} // namespace

Status checkNewPassphrase(std::string_view passphrase, bool allowWeak)
{
    if (passphrase.empty())
        return makeError(ErrorKind::BadInput, "the passphrase is empty");
    if (passphrase.size() > RsaKey::kMaximumPassphraseBytes)
        return makeError(ErrorKind::BadInput, "the passphrase has " + std::to_string(passphrase.size()) +
                                                  " bytes; at most " +
                                                  std::to_string(RsaKey::kMaximumPassphraseBytes) +
                                                  " can be used (OpenSSL could not open the key again)");
    size_t characters = 0;
    for (size_t pos = 0; pos < passphrase.size(); ++characters) {
        const size_t length = decodeUtf8At(passphrase, pos).length;
        pos += length == 0 ? 1 : length; // a byte of another encoding counts as one character
    }
    if (characters < kMinimumPassphraseCharacters && !allowWeak)
        return makeError(
            ErrorKind::BadInput,
            "the passphrase has " + std::to_string(characters) + " characters; at least " +
                std::to_string(kMinimumPassphraseCharacters) +
                " are needed to protect a private key (--allow-weak-passphrase for a demonstration)");
    return {};
}

Result<std::string> readPassphraseFile(const std::filesystem::path& path)
{
    const std::string what = std::string(1, '\'').append(path.string()).append(1, '\'');
    if (path.empty())
        return makeError(ErrorKind::BadInput, "the passphrase file name is empty");
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return makeError(ErrorKind::BadInput,
                         errno == ENAMETOOLONG
                             ? "path too long: the passphrase file " + what
                             : "cannot read the passphrase file " + what + ": " + std::strerror(errno));
    const auto readOpened = [&]() -> Result<std::string> {
        struct stat st
        {};
        if (::fstat(fd, &st) != 0 || S_ISDIR(st.st_mode))
            return makeError(ErrorKind::BadInput, "the passphrase file " + what + " is not a file");
        // Like a private key (loadKeyFile): a passphrase others may read protects nothing.
        if ((S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode)) && (st.st_mode & 077) != 0)
            return makeError(ErrorKind::BadInput,
                             "the passphrase file " + what +
                                 " is readable by other users; restrict it first (chmod 600)");
        return readFirstLine(fd, "the passphrase file " + what);
    };
    auto line = readOpened();
    ::close(fd);
    return line;
}

Result<std::string> readPassphraseFd(int fd)
{
    const std::string what = "file descriptor " + std::to_string(fd);
    if (fd < 0 || ::fcntl(fd, F_GETFD) < 0)
        return makeError(ErrorKind::BadInput, "cannot read the passphrase: " + what + " is not open");
    return readFirstLine(fd, what);
}

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
        return makeError(ErrorKind::BadInput, std::string(1, '\'')
                                                  .append(path.string())
                                                  .append("' holds a public key; the private key is needed"));
    return key;
}

} // namespace medveil
