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

/// Writes `data` to `target` atomically: a temporary file in the target's folder, fsync, rename,
/// fsync of the folder. Either the complete new file exists afterwards or nothing changed.
/// Refuses (BadInput) to write over any of `inputs`.
Status writeFileAtomically(const std::filesystem::path& target, const Bytes& data,
                           const std::vector<std::filesystem::path>& inputs = {},
                           FileMode mode = FileMode::Default);

} // namespace medveil
