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

/// Writes `data` to `target` atomically: writeFilesAtomically() of one file. Either the complete new file
/// exists afterwards or nothing changed (a file that was there is kept on every failure).
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

/// Writes several files all-or-nothing, never destroying what was there:
/// 1. every target is checked first (not a folder, its folder exists and is writable, not one of `inputs`
///    nor another target) — BadInput otherwise, before anything is written;
/// 2. every file is staged in its target's folder as an unlinked temporary (Linux O_TMPFILE: no name, so a
///    kill at any instant leaves nothing readable; a named owner-only temporary where the filesystem lacks
///    O_TMPFILE, removed on every error and on SIGINT/SIGTERM/SIGHUP) and synced;
/// 3. the commit links them into place; a file that existed is swapped out (renameat2 RENAME_EXCHANGE, or a
///    hard-linked backup) and kept under a hidden name until every target is in place. On any failure the
///    targets already committed are removed and the old files put back; on success the backups are
///    unlinked and the folders synced.
/// Interrupts (removeTemporariesOnSignal) are held during the commit: it completes or is rolled back first.
/// Only SIGKILL or a power cut inside the commit (a few link/rename calls, no data written) can leave part
/// of the targets, or a hidden backup of a replaced file; never a partial file.
Status writeFilesAtomically(const std::vector<PendingFile>& files,
                            const std::vector<std::filesystem::path>& inputs = {});

/// The checks writeFilesAtomically() makes before writing anything, for a command to call before its work:
/// every target a writable place for a new file (not a folder, its folder exists and takes files), none of
/// them one of `inputs` or another target. BadInput otherwise.
Status checkOutputTargets(const std::vector<std::filesystem::path>& targets,
                          const std::vector<std::filesystem::path>& inputs = {});

/// What an interrupt does once a program has committed outputs.
enum class AfterCommit
{
    Terminate, ///< the signal ends the process as usual (the GUI: its saved files stay, they are complete)
    Finish, ///< held: the program finishes normally (the CLI: outputs there, so exit 0 — never a non-zero
            ///< exit with an output left)
};

/// Installs SIGINT/SIGTERM/SIGHUP handlers: before a commit, an interrupt removes every named temporary in
/// flight and ends the process by the signal (exit status 128 + signal, nothing written); during a commit it
/// is held until the commit is complete or rolled back; afterwards `afterCommit` decides. For programs, not
/// libraries: call once from main(), before any thread starts. Idempotent (the first call decides).
void removeTemporariesOnSignal(AfterCommit afterCommit = AfterCommit::Terminate);

} // namespace medveil
