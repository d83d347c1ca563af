// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Progress.h"
#include "core/Result.h"

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

/// Many files (a DICOM series, a folder, an archive split over a cluster): `medveil-cli batch` and the GUI's
/// series browser run the same loop.
namespace medveil::workflow {

/// What became of one input.
struct BatchFileResult
{
    std::filesystem::path input, output;
    Status status;        ///< the file's own error; the others go on
    bool skipped = false; ///< --resume: the output was there and verified, nothing was done
    double ms = 0;
    std::string outputSha256; ///< hex SHA-256 of the output file (BatchOptions::digestOutputs, on success)
};

struct BatchResult
{
    std::vector<BatchFileResult> files; ///< those processed (skipped ones included), in input order
    size_t total = 0;                   ///< inputs given
    size_t succeeded = 0;               ///< skipped ones included
    size_t skipped = 0;
    unsigned jobs = 1;      ///< workers that ran
    bool cancelled = false; ///< stopped between files
    /// The exit code of the first failure in input order (ErrorKind's), 0 when every file went through.
    [[nodiscard]] int firstFailureExitCode() const;
};

/// `outDir`/NAME.dcm for a DICOM input (NAME.dcm), `outDir`/NAME.png otherwise.
std::filesystem::path batchOutputPath(const std::filesystem::path& input,
                                      const std::filesystem::path& outDir);

/// One file: read `input`, write `output` (atomically: a kill leaves the old state). Called from several
/// threads at once when BatchOptions::jobs > 1.
using BatchStep = std::function<Status(const std::filesystem::path& input,
                                       const std::filesystem::path& output, const JobControl& control)>;

/// Whether an existing `output` is a complete, valid result for `input` (--resume). Thread-safe.
using BatchVerify =
    std::function<Status(const std::filesystem::path& input, const std::filesystem::path& output)>;

struct BatchOptions
{
    unsigned jobs = 1; ///< files processed at once; 0: one per core (std::thread::hardware_concurrency)
    /// Set: resume. An existing output that verifies is skipped (counted as done); one that does not is
    /// redone in place. Unset: an existing output is never replaced (that file fails, exit 1).
    BatchVerify resumeVerify;
    bool digestOutputs = false; ///< fill BatchFileResult::outputSha256 (the manifest's sha256)
    /// Called by the worker as each file is done (skipped and failed ones too), in completion order.
    std::function<void(const BatchFileResult&)> fileDone;
};

/// Runs `step` on every input into `outDir` (created; it must not be the folder of any input) with
/// `options.jobs` workers. Whatever the number of workers, the outputs, the per-file results (reported in
/// input order) and the first failure are the same: two inputs with one output name (a.png, a.tif) are
/// settled by input order before any work (the later one fails). Progress per file (from the workers:
/// control.progress must be thread-safe); a cancel stops between files (a file in hand is finished or
/// refused whole: outputs are written atomically).
Result<BatchResult> runBatch(const std::vector<std::filesystem::path>& inputs,
                             const std::filesystem::path& outDir, const BatchStep& step,
                             const JobControl& control = {}, const BatchOptions& options = {});

/// The regular files of a folder (not its sub-folders) in name order: what `batch` takes.
Result<std::vector<std::filesystem::path>> folderFiles(const std::filesystem::path& folder);

/// Part K of N of an archive (`--shard K/N`, 1 ≤ K ≤ N).
struct BatchShard
{
    unsigned index = 1, count = 1;
};

/// "K/N" → BatchShard; anything else is a usage error.
Result<BatchShard> parseBatchShard(std::string_view text);

/// The shard (1 … count) a file belongs to: 1 + the first 8 bytes of SHA-256(relative path, UTF-8 as
/// stored, '/'-separated), big-endian, modulo count. Depends on the path only — not on the order, the
/// other files or the machine — so N independent runs over the same folder cover every file exactly once.
unsigned batchShardOf(const std::filesystem::path& relativePath, unsigned count);

/// The files of `files` (paths under `root`) that belong to `shard`, order kept.
std::vector<std::filesystem::path> shardFiles(const std::vector<std::filesystem::path>& files,
                                              const std::filesystem::path& root, const BatchShard& shard);

/// --resume check of a protected output: it reads completely and `inspect` finds it intact (QR code
/// readable, pixel and metadata digests as written, signature valid when signed).
Status verifyProtectedOutput(const std::filesystem::path& output);

/// --resume check of a recovered output: it decodes completely (PNG chunk CRCs and zlib checksums, or the
/// DICOM dataset) with the protected input's width, height and bit depth.
Status verifyRecoveredOutput(const std::filesystem::path& protectedInput,
                             const std::filesystem::path& output);

} // namespace medveil::workflow
