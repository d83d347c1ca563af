// SPDX-License-Identifier: GPL-3.0-or-later
#include "io/AtomicFile.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <mutex>
#include <random>
#include <sys/stat.h>
#include <unistd.h>

namespace medveil {

namespace fs = std::filesystem;

Result<Bytes> readFileBytes(const fs::path& path)
{
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        return makeError(ErrorKind::BadInput,
                         ec == std::errc::filename_too_long
                             ? "path too long: '" + path.string() + "'"
                             : "cannot read '" + path.string() + "': not a regular file");
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

fs::path folderOf(const fs::path& target)
{
    return target.has_parent_path() ? target.parent_path() : fs::path(".");
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

// ---- Interrupts ----------------------------------------------------------------------------------------
// One atomic word, so that the handler and the committing threads agree on who acts: the number of commits
// in flight, whether any output was committed, and whether the process is already ending by a signal.
constexpr uint32_t kInFlightMask = 0xFFFF;
constexpr uint32_t kCommittedBit = 1u << 16;
constexpr uint32_t kDyingBit = 1u << 17;
std::atomic<uint32_t> g_state{0};
std::atomic<int> g_heldSignal{0};
std::atomic<bool> g_handlerInstalled{false};
std::atomic<bool> g_finishAfterCommit{false};
static_assert(std::atomic<uint32_t>::is_always_lock_free && std::atomic<int>::is_always_lock_free);

/// Named temporaries in flight (only where O_TMPFILE is missing), for the handler: fixed slots (no
/// allocation in a handler), claimed with an atomic flag. A path longer than a slot is not tracked (still
/// removed on every error path).
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

/// True when a signal arriving in `state` must end the process now (rather than be held).
bool endsNow(uint32_t state)
{
    if ((state & kInFlightMask) != 0)
        return false; // a commit completes or rolls back first
    return !((state & kCommittedBit) && g_finishAfterCommit.load());
}

/// Claims the end of the process for `signal` if nothing holds it; async-signal-safe. Returns false when
/// the signal stays held (or another thread is already ending the process).
bool claimDeath()
{
    uint32_t state = g_state.load();
    for (;;) {
        if ((state & kDyingBit) || !endsNow(state))
            return false;
        if (g_state.compare_exchange_weak(state, state | kDyingBit))
            return true;
    }
}

/// Removes the named temporaries and ends the process by `signal` (async-signal-safe). Inside the handler
/// the signal is blocked, so it is delivered — with the default action — when the handler returns.
void dieBySignal(int signal, bool inHandler)
{
    for (auto& slot : g_temps)
        if (slot.used.load())
            ::unlink(slot.path);
    struct sigaction action = {};
    action.sa_handler = SIG_DFL;
    ::sigaction(signal, &action, nullptr);
    ::raise(signal);
    if (!inHandler)
        ::_exit(128 + signal); // the signal was blocked in this thread: the same status a shell reports
}

extern "C" void onTerminationSignal(int signal)
{
    const int savedErrno = errno;
    // Held first, checked second: a commit ending meanwhile sees it (endCommit), or we see the commit gone.
    g_heldSignal.store(signal);
    if (claimDeath())
        dieBySignal(signal, true);
    errno = savedErrno;
}

/// Enters a commit; false when the process is already ending by a signal (then nothing may be committed).
bool beginCommit()
{
    uint32_t state = g_state.load();
    for (;;) {
        if (state & kDyingBit)
            return false;
        if (g_state.compare_exchange_weak(state, state + 1))
            return true;
    }
}

/// Leaves a commit; an interrupt held meanwhile now takes effect where it must.
void endCommit(bool committed)
{
    uint32_t state = g_state.load();
    while (!g_state.compare_exchange_weak(state, (state - 1) | (committed ? kCommittedBit : 0))) {
    }
    const int held = g_heldSignal.load();
    if (held != 0 && g_handlerInstalled.load() && claimDeath())
        dieBySignal(held, false);
}

// ---- Staging -------------------------------------------------------------------------------------------

/// A target checked before anything is written: its folder exists and takes new files, it is no folder.
Status checkTarget(const fs::path& target)
{
    const std::string name = target.filename().string();
    if (name.empty() || name == "." || name == "..")
        return makeError(ErrorKind::BadInput,
                         std::string("'").append(target.string()).append("' does not name a file"));
    if (name.size() > NAME_MAX)
        return makeError(ErrorKind::BadInput, "file name too long: '" + target.string() + "'");
    struct stat st = {};
    if (::stat(target.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
        return makeError(ErrorKind::BadInput, "cannot write '" + target.string() + "': it is a folder");
    const fs::path folder = folderOf(target);
    if (::stat(folder.c_str(), &st) != 0)
        return systemError("cannot write into the folder", folder);
    if (!S_ISDIR(st.st_mode))
        return makeError(ErrorKind::BadInput,
                         "cannot write '" + target.string() + "': '" + folder.string() + "' is not a folder");
    if (::access(folder.c_str(), W_OK | X_OK) != 0)
        return systemError("cannot write into the folder", folder);
    return {};
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
        MEDVEIL_TRY(checkTarget(files[i].target));
    }
    return {};
}

/// A random hidden name in `folder` that does not exist yet (for backups and named temporaries).
fs::path hiddenName(const fs::path& folder)
{
    static const char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    thread_local std::mt19937_64 random{std::random_device{}()};
    std::string name = ".medveil-";
    for (int i = 0; i < 12; ++i)
        name += kAlphabet[random() % (sizeof(kAlphabet) - 1)];
    return folder / name;
}

/// One file, written and synced beside its target, not yet in place. `fd` is an O_TMPFILE descriptor (no
/// name) or -1 with `named` set (the fallback).
struct Staged
{
    fs::path target;
    int fd = -1;
    fs::path named;
    int slot = -1;
};

bool hasProcFd()
{
    static const bool present = ::access("/proc/self/fd", X_OK) == 0; // linkat of an O_TMPFILE goes there
    return present;
}

void discard(Staged& staged)
{
    if (staged.fd >= 0)
        ::close(staged.fd);
    staged.fd = -1;
    if (!staged.named.empty())
        ::unlink(staged.named.c_str());
    untrackTemporary(staged.slot);
    staged.slot = -1;
}

Result<Staged> stage(const fs::path& target, const Bytes& data, FileMode mode)
{
    const fs::path folder = folderOf(target);
    Staged staged;
    staged.target = target;
    int fd = -1;
    if (hasProcFd())
        fd = ::open(folder.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    const bool unnamed = fd >= 0;
    if (!unnamed) {
        if (hasProcFd() && errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
            return systemError("cannot create a temporary file next to", target).error();
        // No O_TMPFILE on this filesystem: a named owner-only temporary, removed on error and interrupt.
        std::string pattern = (folder / ".medveil-tmp-XXXXXX").string();
        fd = ::mkostemp(pattern.data(), O_CLOEXEC); // 0600
        if (fd < 0)
            return systemError("cannot create a temporary file next to", target).error();
        staged.named = pattern;
        staged.slot = trackTemporary(pattern);
    }
    staged.fd = fd;
    bool ok = writeAll(fd, data.data(), data.size()) && ::fsync(fd) == 0;
    // The final permissions only once the content is complete: a half-written file stays owner-only.
    mode_t permissions = 0600;
    if (mode == FileMode::Default) {
        const mode_t mask = ::umask(0);
        ::umask(mask);
        permissions = 0666 & ~mask;
    }
    ok = ok && ::fchmod(fd, permissions) == 0;
    if (!ok) {
        const int savedErrno = errno;
        discard(staged);
        errno = savedErrno;
        return systemError("cannot write", target).error();
    }
    if (!unnamed) { // the name is all that is needed from here on
        ::close(fd);
        staged.fd = -1;
    }
    return staged;
}

// ---- Commit --------------------------------------------------------------------------------------------

/// A target in place; `backup` holds the file it replaced (empty when there was none).
struct CommittedFile
{
    fs::path target;
    fs::path backup;
};

/// Gives an O_TMPFILE a hidden name in its target's folder.
Result<fs::path> linkHidden(const Staged& staged)
{
    const std::string procPath = "/proc/self/fd/" + std::to_string(staged.fd);
    for (int attempt = 0; attempt < 100; ++attempt) {
        fs::path hidden = hiddenName(folderOf(staged.target));
        if (::linkat(AT_FDCWD, procPath.c_str(), AT_FDCWD, hidden.c_str(), AT_SYMLINK_FOLLOW) == 0)
            return hidden;
        if (errno != EEXIST)
            break;
    }
    return systemError("cannot link the finished file beside", staged.target).error();
}

/// Puts one staged file in place, keeping what was there as the backup.
Result<CommittedFile> commitOne(Staged& staged)
{
    const fs::path& target = staged.target;
    if (staged.fd >= 0) {
        // A new file: it appears whole, with no name before.
        const std::string procPath = "/proc/self/fd/" + std::to_string(staged.fd);
        if (::linkat(AT_FDCWD, procPath.c_str(), AT_FDCWD, target.c_str(), AT_SYMLINK_FOLLOW) == 0)
            return CommittedFile{target, {}};
        if (errno != EEXIST)
            return systemError("cannot move the finished file into place at", target).error();
        // A file is there: a hidden name, then the swap below.
        MEDVEIL_ASSIGN_OR_RETURN(staged.named, linkHidden(staged));
    }
    struct stat st = {};
    if (::stat(target.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) { // appeared since checkTarget
        errno = EISDIR;
        return systemError("cannot move the finished file into place at", target).error();
    }
    // The swap: the target holds the new file, the hidden name the old one.
    if (::renameat2(AT_FDCWD, staged.named.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) == 0) {
        fs::path backup = std::move(staged.named);
        staged.named.clear();
        untrackTemporary(staged.slot); // now the old file, no longer a temporary of ours
        staged.slot = -1;
        return CommittedFile{target, std::move(backup)};
    }
    // No exchange here (a filesystem without it, or no file there any more): a hard-linked backup, then a
    // plain rename. Without hard links either, the old file cannot be kept; the rename still replaces it
    // whole.
    fs::path backup;
    if (errno != ENOENT) {
        for (int attempt = 0; attempt < 100 && backup.empty(); ++attempt) {
            fs::path candidate = hiddenName(folderOf(target));
            if (::link(target.c_str(), candidate.c_str()) == 0)
                backup = std::move(candidate);
            else if (errno != EEXIST)
                break;
        }
    }
    if (::rename(staged.named.c_str(), target.c_str()) != 0) {
        const int renameErrno = errno;
        if (!backup.empty())
            ::unlink(backup.c_str());
        errno = renameErrno;
        return systemError("cannot move the finished file into place at", target).error();
    }
    staged.named.clear();
    untrackTemporary(staged.slot);
    staged.slot = -1;
    return CommittedFile{target, std::move(backup)};
}

/// Undoes committed targets, the last first: each old file back in place, each new target removed.
void rollBack(const std::vector<CommittedFile>& committed)
{
    for (auto it = committed.rbegin(); it != committed.rend(); ++it) {
        if (it->backup.empty())
            ::unlink(it->target.c_str());
        else
            ::rename(it->backup.c_str(), it->target.c_str());
    }
}

void syncFolder(const fs::path& folder)
{
    const int dirFd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirFd >= 0) {
        ::fsync(dirFd);
        ::close(dirFd);
    }
}

} // namespace

Status checkOutputTargets(const std::vector<fs::path>& targets, const std::vector<fs::path>& inputs)
{
    std::vector<PendingFile> files;
    for (const auto& target : targets)
        files.push_back({target, {}});
    return checkTargets(files, inputs);
}

Status writeFileAtomically(const fs::path& target, const Bytes& data, const std::vector<fs::path>& inputs,
                           FileMode mode)
{
    return writeFilesAtomically({PendingFile{target, data, mode}}, inputs);
}

Status writeFilesAtomically(const std::vector<PendingFile>& files, const std::vector<fs::path>& inputs)
{
    MEDVEIL_TRY(checkTargets(files, inputs));
    std::vector<Staged> staged;
    const auto discardAll = [&staged] {
        for (auto& file : staged)
            discard(file);
    };
    for (const auto& file : files) {
        auto one = stage(file.target, file.data, file.mode);
        if (!one) {
            discardAll();
            return one.error();
        }
        staged.push_back(std::move(*one));
    }
    if (!beginCommit()) { // an interrupt is ending the process: nothing may appear now
        discardAll();
        return makeError(ErrorKind::Cancelled, "interrupted before the files were written");
    }
    std::vector<CommittedFile> committed;
    for (auto& file : staged) {
        auto one = commitOne(file);
        if (!one) {
            rollBack(committed);
            discardAll();
            endCommit(false);
            return one.error();
        }
        committed.push_back(std::move(*one));
    }
    std::vector<fs::path> folders;
    for (const auto& file : committed) {
        if (!file.backup.empty())
            ::unlink(file.backup.c_str());
        const fs::path folder = folderOf(file.target);
        if (std::find(folders.begin(), folders.end(), folder) == folders.end())
            folders.push_back(folder);
    }
    for (const auto& folder : folders)
        syncFolder(folder);
    discardAll(); // closes the descriptors; every name is in place
    endCommit(true);
    return {};
}

void removeTemporariesOnSignal(AfterCommit afterCommit)
{
    static std::once_flag once;
    std::call_once(once, [afterCommit] {
        g_finishAfterCommit.store(afterCommit == AfterCommit::Finish);
        g_handlerInstalled.store(true);
        struct sigaction action = {};
        action.sa_handler = onTerminationSignal;
        action.sa_flags = SA_RESTART;
        ::sigemptyset(&action.sa_mask);
        for (int signal : {SIGINT, SIGTERM, SIGHUP})
            ::sigaddset(&action.sa_mask, signal);
        for (int signal : {SIGINT, SIGTERM, SIGHUP})
            ::sigaction(signal, &action, nullptr);
    });
}

} // namespace medveil
