// SPDX-License-Identifier: GPL-3.0-or-later
#include "workflow/BatchWorkflows.h"

#include "workflow/FileWorkflows.h"

#include <algorithm>
#include <chrono>

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

Result<BatchResult> runBatch(const std::vector<std::filesystem::path>& inputs,
                             const std::filesystem::path& outDir, const BatchStep& step,
                             const JobControl& control)
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
    for (size_t i = 0; i < inputs.size(); ++i) {
        if (control.cancelled()) {
            result.cancelled = true;
            break;
        }
        const double from = double(i) / double(inputs.size()), to = double(i + 1) / double(inputs.size());
        control.report(from, "file " + std::to_string(i + 1) + " of " + std::to_string(inputs.size()));
        BatchFileResult file;
        file.input = inputs[i];
        file.output = batchOutputPath(inputs[i], outDir);
        const auto start = std::chrono::steady_clock::now();
        if (std::filesystem::exists(file.output, ec))
            file.status =
                makeError(ErrorKind::Usage, file.output.string() + " exists; batch never replaces a file");
        else
            file.status = step(file.input, file.output, control.stage(from, to));
        // A cancel inside the step refuses that file whole; it is not counted as a failure of the file.
        if (!file.status && file.status.error().kind == ErrorKind::Cancelled) {
            result.cancelled = true;
            break;
        }
        file.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        result.succeeded += file.status.ok();
        result.files.push_back(std::move(file));
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

} // namespace medveil::workflow
