// SPDX-License-Identifier: GPL-3.0-or-later
#include "io/AtomicFile.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace medveil {

namespace fs = std::filesystem;

Result<Bytes> readFileBytes(const fs::path& path)
{
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        return makeError(ErrorKind::BadInput, "cannot read '" + path.string() + "': not a regular file");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return makeError(ErrorKind::BadInput, "cannot open '" + path.string() + "'");
    Bytes data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad())
        return makeError(ErrorKind::BadInput, "error while reading '" + path.string() + "'");
    return data;
}

bool isSameFile(const fs::path& a, const fs::path& b)
{
    std::error_code ec;
    if (!fs::exists(a, ec) || !fs::exists(b, ec))
        return false;
    return fs::equivalent(a, b, ec) && !ec;
}

namespace {
Status systemError(const std::string& what, const fs::path& path)
{
    return makeError(ErrorKind::BadInput, what + " '" + path.string() + "': " + std::strerror(errno));
}

bool writeAll(int fd, const uint8_t* data, size_t size)
{
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        data += n;
        size -= static_cast<size_t>(n);
    }
    return true;
}
} // namespace

Status writeFileAtomically(const fs::path& target, const Bytes& data, const std::vector<fs::path>& inputs,
                           FileMode mode)
{
    for (const auto& input : inputs) {
        if (isSameFile(target, input))
            return makeError(ErrorKind::BadInput,
                             "refusing to write over the input file '" + input.string() + "'");
    }
    const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::string pattern = (folder / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0)
        return systemError("cannot create a temporary file next to", target);
    const fs::path tempPath(pattern);

    mode_t permissions = 0600;
    if (mode == FileMode::Default) {
        const mode_t mask = ::umask(0);
        ::umask(mask);
        permissions = 0666 & ~mask;
    }
    bool ok = ::fchmod(fd, permissions) == 0 && writeAll(fd, data.data(), data.size()) && ::fsync(fd) == 0;
    const int savedErrno = errno;
    ok = (::close(fd) == 0) && ok;
    if (!ok) {
        ::unlink(tempPath.c_str());
        errno = savedErrno;
        return systemError("cannot write", target);
    }
    if (::rename(tempPath.c_str(), target.c_str()) != 0) {
        const int renameErrno = errno;
        ::unlink(tempPath.c_str());
        errno = renameErrno;
        return systemError("cannot move the finished file into place at", target);
    }
    // Make the rename itself durable.
    const int dirFd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY);
    if (dirFd >= 0) {
        ::fsync(dirFd);
        ::close(dirFd);
    }
    return {};
}

} // namespace medveil
