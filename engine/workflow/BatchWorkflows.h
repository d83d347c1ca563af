// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Progress.h"
#include "core/Result.h"

#include <filesystem>
#include <functional>
#include <vector>

/// Many files, one after the other (a DICOM series, a folder): `medveil-cli batch` and the GUI's series
/// browser run the same loop.
namespace medveil::workflow {

/// What became of one input.
struct BatchFileResult
{
    std::filesystem::path input, output;
    Status status; ///< the file's own error; the others go on
    double ms = 0;
};

struct BatchResult
{
    std::vector<BatchFileResult> files; ///< those processed, in order
    size_t total = 0;                   ///< inputs given
    size_t succeeded = 0;
    bool cancelled = false; ///< stopped between two files
    /// The exit code of the first failure (ErrorKind's), 0 when every file went through.
    [[nodiscard]] int firstFailureExitCode() const;
};

/// `outDir`/NAME.dcm for a DICOM input (NAME.dcm), `outDir`/NAME.png otherwise.
std::filesystem::path batchOutputPath(const std::filesystem::path& input,
                                      const std::filesystem::path& outDir);

/// One file: read `input`, write `output`.
using BatchStep = std::function<Status(const std::filesystem::path& input,
                                       const std::filesystem::path& output, const JobControl& control)>;

/// Runs `step` on every input in order into `outDir` (created; it must not be the folder of any input),
/// never over an existing file (that file fails, the others go on). Progress per file; a cancel stops
/// between files (the current one is finished or refused whole: outputs are written atomically).
Result<BatchResult> runBatch(const std::vector<std::filesystem::path>& inputs,
                             const std::filesystem::path& outDir, const BatchStep& step,
                             const JobControl& control = {});

/// The regular files of a folder (not its sub-folders) in name order: what `batch` takes.
Result<std::vector<std::filesystem::path>> folderFiles(const std::filesystem::path& folder);

} // namespace medveil::workflow
