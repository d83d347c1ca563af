// SPDX-License-Identifier: GPL-3.0-or-later
#include "workflow/BatchWorkflows.h"

#include "crypto/Digest.h"
#include "io/AtomicFile.h"
#include "io/ImageIo.h"
#include "workflow/FileWorkflows.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <map>
#include <opencv2/core/utility.hpp>
#include <thread>

namespace medveil::workflow {

int BatchResult::firstFailureExitCode() const
{
    for (const auto& file : files)
        if (!file.status)
            return file.status.error().exitCode();
    return 0;
}

std::filesystem::path batchOutputPath(const std::filesystem::path& input, const std::filesystem::path& outDir)
{
    return outDir / (input.stem().string() + (hasDicomExtension(input) ? ".dcm" : ".png"));
}

namespace {

/// One input's work: the resume check, the step, the output's digest.
BatchFileResult processOne(const std::filesystem::path& input, const std::filesystem::path& output,
                           const BatchStep& step, const JobControl& control, const BatchOptions& options)
{
    BatchFileResult file;
    file.input = input;
    file.output = output;
    const auto start = std::chrono::steady_clock::now();
    std::error_code ec;
    const bool exists = std::filesystem::exists(output, ec) || std::filesystem::is_symlink(output, ec);
    if (exists && !options.resumeVerify) {
        file.status = makeError(ErrorKind::Usage, output.string() + " exists; batch never replaces a file");
    } else if (exists && options.resumeVerify(input, output)) {
        file.skipped = true; // done by an earlier run and still valid
    } else {
        // New, or (--resume) an output that does not verify: (re)made, replacing it atomically.
        file.status = step(input, output, control);
    }
    if (file.status && options.digestOutputs) {
        auto bytes = readFileBytes(output);
        if (bytes)
            file.outputSha256 = hexEncode(sha256(*bytes));
        else
            file.status = bytes.error();
    }
    file.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return file;
}

} // namespace

Result<BatchResult> runBatch(const std::vector<std::filesystem::path>& inputs,
                             const std::filesystem::path& outDir, const BatchStep& step,
                             const JobControl& control, const BatchOptions& options)
{
    std::error_code ec;
    for (const auto& input : inputs)
        if (std::filesystem::exists(outDir, ec) &&
            std::filesystem::equivalent(input.parent_path(), outDir, ec))
            return makeError(ErrorKind::Usage, "the output folder must differ from the input folder");
    std::filesystem::create_directories(outDir, ec);
    if (ec)
        return makeError(ErrorKind::BadInput, "cannot create " + outDir.string() + ": " + ec.message());
    BatchResult result;
    result.total = inputs.size();
    const size_t n = inputs.size();
    // Outputs first, in input order: a name two inputs share goes to the first, whoever runs first.
    std::vector<std::filesystem::path> outputs(n);
    std::vector<std::optional<Status>> refused(n);
    std::map<std::filesystem::path, size_t> owner;
    for (size_t i = 0; i < n; ++i) {
        outputs[i] = batchOutputPath(inputs[i], outDir);
        const auto [it, first] = owner.emplace(outputs[i], i);
        if (!first)
            refused[i] = makeError(ErrorKind::Usage, inputs[i].filename().string() + " and " +
                                                         inputs[it->second].filename().string() +
                                                         " would both be written to " + outputs[i].string());
    }
    unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
    jobs = unsigned(std::min<size_t>(jobs, std::max<size_t>(n, 1)));
    result.jobs = jobs;

    std::vector<std::optional<BatchFileResult>> slots(n);
    std::atomic<size_t> next{0}, finished{0};
    std::atomic<bool> cancelled{false};
    const auto worker = [&] {
        for (;;) {
            if (control.cancelled()) {
                cancelled = true;
                return;
            }
            const size_t i = next.fetch_add(1);
            if (i >= n)
                return;
            const size_t done = finished.load();
            control.report(double(done) / double(n),
                           "file " + std::to_string(i + 1) + " of " + std::to_string(n));
            BatchFileResult file;
            if (refused[i]) {
                file.input = inputs[i];
                file.output = outputs[i];
                file.status = *refused[i];
            } else {
                // One worker: the file's own progress maps into its share; several: per file only.
                const JobControl stepControl =
                    jobs == 1 ? control.stage(double(i) / double(n), double(i + 1) / double(n))
                              : JobControl{{}, control.cancel};
                file = processOne(inputs[i], outputs[i], step, stepControl, options);
            }
            // A cancel inside the step refuses that file whole; it is not counted as a failure of the file.
            if (!file.status && file.status.error().kind == ErrorKind::Cancelled) {
                cancelled = true;
                return;
            }
            if (options.fileDone)
                options.fileDone(file);
            slots[i] = std::move(file);
            ++finished;
        }
    };
    if (jobs == 1) {
        worker();
    } else {
        // The files are the parallelism: OpenCV's own pool (morphology, blurs inside a protection) would
        // only add threads spinning in sched_yield for cores the workers already use.
        struct OpenCvThreads
        {
            int before = cv::getNumThreads();
            OpenCvThreads() { cv::setNumThreads(1); }
            ~OpenCvThreads() { cv::setNumThreads(before); }
        } openCvThreads;
        std::vector<std::thread> threads;
        threads.reserve(jobs);
        for (unsigned t = 0; t < jobs; ++t)
            threads.emplace_back(worker);
        for (auto& thread : threads)
            thread.join();
    }
    result.cancelled = cancelled;
    for (auto& slot : slots)
        if (slot) {
            result.succeeded += slot->status.ok();
            result.skipped += slot->skipped;
            result.files.push_back(std::move(*slot));
        }
    control.report(1.0, result.cancelled ? "cancelled" : "done");
    return result;
}

Result<std::vector<std::filesystem::path>> folderFiles(const std::filesystem::path& folder)
{
    std::error_code ec;
    if (!std::filesystem::is_directory(folder, ec))
        return makeError(ErrorKind::BadInput, folder.string() + " is not a folder");
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(folder, ec))
        if (entry.is_regular_file())
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

Result<BatchShard> parseBatchShard(std::string_view text)
{
    const auto usage = [&] {
        return makeError(ErrorKind::Usage,
                         "--shard wants K/N with 1 <= K <= N (e.g. 2/8), got '" + std::string(text) + "'");
    };
    const size_t slash = text.find('/');
    if (slash == std::string_view::npos)
        return usage();
    BatchShard shard;
    const auto parse = [](std::string_view part, unsigned& value) {
        const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
        return ec == std::errc() && end == part.data() + part.size() && !part.empty();
    };
    if (!parse(text.substr(0, slash), shard.index) || !parse(text.substr(slash + 1), shard.count) ||
        shard.count == 0 || shard.index == 0 || shard.index > shard.count)
        return usage();
    return shard;
}

unsigned batchShardOf(const std::filesystem::path& relativePath, unsigned count)
{
    const std::string text = relativePath.generic_string();
    const Bytes digest = sha256(reinterpret_cast<const uint8_t*>(text.data()), text.size());
    uint64_t value = 0;
    for (size_t i = 0; i < 8; ++i)
        value = (value << 8) | digest[i];
    return 1 + unsigned(value % std::max(1u, count));
}

std::vector<std::filesystem::path> shardFiles(const std::vector<std::filesystem::path>& files,
                                              const std::filesystem::path& root, const BatchShard& shard)
{
    std::vector<std::filesystem::path> mine;
    for (const auto& file : files)
        if (batchShardOf(file.lexically_relative(root), shard.count) == shard.index)
            mine.push_back(file);
    return mine;
}

Status verifyProtectedOutput(const std::filesystem::path& output)
{
    auto loaded = readImageFile(output);
    if (!loaded)
        return loaded.error();
    const InspectVerdict verdict = inspectVerdict(inspectLoaded(*loaded));
    if (!verdict.intact)
        return makeError(ErrorKind::Auth, output.string() + ": " + verdict.text);
    return {};
}

Status verifyRecoveredOutput(const std::filesystem::path& protectedInput, const std::filesystem::path& output)
{
    auto recovered = readImageFile(output);
    if (!recovered)
        return recovered.error();
    auto input = readImageFile(protectedInput);
    if (!input)
        return input.error();
    const Image &a = input->image, &b = recovered->image;
    if (a.width() != b.width() || a.height() != b.height() || a.bitDepth() != b.bitDepth())
        return makeError(ErrorKind::BadInput, output.string() + " does not have the protected image's size");
    return {};
}

} // namespace medveil::workflow
