// SPDX-License-Identifier: GPL-3.0-or-later
#include "io/AtomicFile.h"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <mutex>
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

/// Temporaries in flight, for the signal handler: fixed slots (no allocation in a handler), claimed with an
/// atomic flag. A path longer than a slot is simply not tracked (still removed on every error path).
constexpr int kTempSlots = 16;
constexpr size_t kTempPathMax = 4096;
struct TempSlot
{
    std::atomic<bool> used{false};
    char path[kTempPathMax] = {};
};
TempSlot g_temps[kTempSlots];

int trackTemporary(const std::string& path)
{
    if (path.size() >= kTempPathMax)
        return -1;
    for (int i = 0; i < kTempSlots; ++i) {
        bool expected = false;
        if (g_temps[i].used.load() || !g_temps[i].used.compare_exchange_strong(expected, true))
            continue;
        std::memcpy(g_temps[i].path, path.c_str(), path.size() + 1);
        return i;
    }
    return -1;
}

void untrackTemporary(int slot)
{
    if (slot >= 0)
        g_temps[slot].used.store(false);
}

extern "C" void removeTemporariesAndDie(int signal)
{
    for (auto& slot : g_temps)
        if (slot.used.load())
            ::unlink(slot.path);
    std::signal(signal, SIG_DFL);
    std::raise(signal);
}

/// A written and synced temporary beside `target`, not yet renamed.
struct Temporary
{
    fs::path path;
    int slot = -1;
};

Result<Temporary> writeTemporary(const fs::path& target, const Bytes& data, FileMode mode)
{
    const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::string pattern =
        (folder / std::string(".").append(target.filename().string()).append(".tmp-XXXXXX")).string();
    const int fd = ::mkstemp(pattern.data()); // 0600
    if (fd < 0)
        return systemError("cannot create a temporary file next to", target).error();
    Temporary temp{fs::path(pattern), trackTemporary(pattern)};
    bool ok = writeAll(fd, data.data(), data.size()) && ::fsync(fd) == 0;
    // The final permissions only once the content is complete: a half-written file stays owner-only.
    mode_t permissions = 0600;
    if (mode == FileMode::Default) {
        const mode_t mask = ::umask(0);
        ::umask(mask);
        permissions = 0666 & ~mask;
    }
    ok = ok && ::fchmod(fd, permissions) == 0;
    const int savedErrno = errno;
    ok = (::close(fd) == 0) && ok;
    if (!ok) {
        ::unlink(temp.path.c_str());
        untrackTemporary(temp.slot);
        errno = savedErrno;
        return systemError("cannot write", target).error();
    }
    return temp;
}

void discard(const Temporary& temp)
{
    ::unlink(temp.path.c_str());
    untrackTemporary(temp.slot);
}

void syncFolder(const fs::path& target)
{
    const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
    const int dirFd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY);
    if (dirFd >= 0) {
        ::fsync(dirFd);
        ::close(dirFd);
    }
}

Status checkTargets(const std::vector<PendingFile>& files, const std::vector<fs::path>& inputs)
{
    for (size_t i = 0; i < files.size(); ++i) {
        for (const auto& input : inputs)
            if (isSameFile(files[i].target, input))
                return makeError(ErrorKind::BadInput,
                                 "refusing to write over the input file '" + input.string() + "'");
        for (size_t j = 0; j < i; ++j)
            if (fs::absolute(files[i].target).lexically_normal() ==
                    fs::absolute(files[j].target).lexically_normal() ||
                isSameFile(files[i].target, files[j].target))
                return makeError(ErrorKind::BadInput,
                                 "two outputs name the same file '" + files[i].target.string() + "'");
    }
    return {};
}

} // namespace

Status writeFileAtomically(const fs::path& target, const Bytes& data, const std::vector<fs::path>& inputs,
                           FileMode mode)
{
    return writeFilesAtomically({PendingFile{target, data, mode}}, inputs);
}

Status writeFilesAtomically(const std::vector<PendingFile>& files, const std::vector<fs::path>& inputs)
{
    MEDVEIL_TRY(checkTargets(files, inputs));
    std::vector<Temporary> temps;
    for (const auto& file : files) {
        auto temp = writeTemporary(file.target, file.data, file.mode);
        if (!temp) {
            for (const auto& t : temps)
                discard(t);
            return temp.error();
        }
        temps.push_back(*temp);
    }
    for (size_t i = 0; i < temps.size(); ++i) {
        if (::rename(temps[i].path.c_str(), files[i].target.c_str()) != 0) {
            const int renameErrno = errno;
            for (size_t j = i; j < temps.size(); ++j)
                discard(temps[j]);
            for (size_t j = 0; j < i; ++j)
                ::unlink(files[j].target.c_str());
            errno = renameErrno;
            return systemError("cannot move the finished file into place at", files[i].target);
        }
        untrackTemporary(temps[i].slot);
    }
    for (const auto& file : files)
        syncFolder(file.target);
    return {};
}

void removeTemporariesOnSignal()
{
    static std::once_flag once;
    std::call_once(once, [] {
        for (int signal : {SIGINT, SIGTERM, SIGHUP})
            std::signal(signal, removeTemporariesAndDie);
    });
}

} // namespace medveil
