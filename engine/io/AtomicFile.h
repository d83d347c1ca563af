// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Bytes.h"
#include "core/Result.h"

#include <filesystem>
#include <vector>

namespace medveil {

/// Who may read a written file: Private (0600) for keys and anything with patient data in clear.
enum class FileMode
{
    Default, ///< 0666 minus the process umask
    Private, ///< 0600
};

/// Reads a whole file. Missing or unreadable files are BadInput.
Result<Bytes> readFileBytes(const std::filesystem::path& path);

/// True when `a` and `b` name the same existing file (hard links and symlinks included).
bool isSameFile(const std::filesystem::path& a, const std::filesystem::path& b);

/// Writes `data` to `target` atomically: a temporary file in the target's folder (mode 0600 while it is
/// written), fsync, rename, fsync of the folder. Either the complete new file exists afterwards or nothing
/// changed.
/// Refuses (BadInput) to write over any of `inputs`.
Status writeFileAtomically(const std::filesystem::path& target, const Bytes& data,
                           const std::vector<std::filesystem::path>& inputs = {},
                           FileMode mode = FileMode::Default);

/// One file of writeFilesAtomically().
struct PendingFile
{
    std::filesystem::path target;
    Bytes data;
    FileMode mode = FileMode::Private;
};

/// Writes several files so that they appear together: every temporary is written and synced first, then
/// all are renamed into place; on any error none of the targets is left (those already renamed are
/// removed). Refuses (BadInput) a target that names one of `inputs` or another target.
Status writeFilesAtomically(const std::vector<PendingFile>& files,
                            const std::vector<std::filesystem::path>& inputs = {});

/// Installs SIGINT/SIGTERM/SIGHUP handlers that remove the temporaries of writes in flight, then end the
/// process with the signal as before (a Ctrl+C never leaves a half-written ".NAME.tmp-XXXXXX" with patient
/// data behind). For programs, not libraries: call once from main(). Idempotent.
void removeTemporariesOnSignal();

} // namespace medveil
