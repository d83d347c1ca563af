// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/CliSupport.h"
#include "core/DisplayText.h"
#include "io/AtomicFile.h"
#include "io/ImageIo.h"
#include "keyregion/KeyRegionProtector.h"
#include "metrics/ImageMetrics.h"
#include "workflow/BatchWorkflows.h"
#include "workflow/FileWorkflows.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <mutex>

namespace medveil::cli {

namespace {

Result<std::optional<Rect>> parseRegion(const std::optional<std::string>& text)
{
    if (!text || *text == "auto")
        return std::optional<Rect>();
    Rect r;
    char tail = 0;
    if (std::sscanf(text->c_str(), "%d,%d,%d,%d%c", &r.x, &r.y, &r.width, &r.height, &tail) != 4)
        return makeError(ErrorKind::Usage, "--region must be 'auto' or X,Y,W,H");
    return std::optional<Rect>(r);
}

Result<double> parseNumber(const std::string& text, const std::string& what)
{
    try {
        size_t used = 0;
        const double value = std::stod(text, &used);
        if (used != text.size() || !std::isfinite(value) || value < 0)
            throw std::invalid_argument(text);
        return value;
    } catch (const std::exception&) {
        return makeError(ErrorKind::Usage, what + " must be a non-negative number, got '" + text + "'");
    }
}

Result<InfoPairs> parseInfo(const std::vector<std::string>& values)
{
    InfoPairs info;
    for (const auto& pair : values) {
        const auto eq = pair.find('=');
        if (eq == std::string::npos || eq == 0)
            return makeError(ErrorKind::Usage, "--info needs KEY=VALUE, got '" + pair + "'");
        info.emplace_back(pair.substr(0, eq), pair.substr(eq + 1));
    }
    return info;
}

nlohmann::json regionJson(const Rect& r)
{
    return {r.x, r.y, r.width, r.height};
}

/// The QR code's region first, then the further ones.
nlohmann::json regionsJson(const Rect& first, const std::vector<Rect>& extra)
{
    nlohmann::json regions = nlohmann::json::array({regionJson(first)});
    for (const Rect& r : extra)
        regions.push_back(regionJson(r));
    return regions;
}

/// The QR code's public pairs: anyone with the public key writes them, so escape codes are shown escaped
/// (displaySafe) here as on the terminal — protect refuses them, only a forged file carries any.
nlohmann::json infoJson(const InfoPairs& info)
{
    nlohmann::json json = nlohmann::json::object();
    for (const auto& [k, v] : info)
        json[displaySafe(k)] = displaySafe(v);
    return json;
}

/// --region, --threshold, --max-passes and --info of protect (and batch protect).
} // namespace

Result<ProtectOptions> protectOptions(const ParsedArgs& args)
{
    ProtectOptions options;
    // --region may repeat: "auto" (at most once) makes the QR code's region the automatic one and every
    // X,Y,W,H a further region; without "auto" the first X,Y,W,H carries the QR code.
    bool automatic = false;
    std::vector<Rect> rects;
    for (const std::string& value : args.values("--region")) {
        MEDVEIL_ASSIGN_OR_RETURN(const std::optional<Rect> region, parseRegion(value));
        if (!region) {
            if (automatic)
                return makeError(ErrorKind::Usage, "--region auto may be given once");
            automatic = true;
        } else {
            rects.push_back(*region);
        }
    }
    if (!automatic && !rects.empty()) {
        options.region = rects.front();
        rects.erase(rects.begin());
    }
    options.extraRegions = std::move(rects);
    if (auto t = args.value("--threshold"); t && *t != "auto") {
        MEDVEIL_ASSIGN_OR_RETURN(options.threshold, parseNumber(*t, "--threshold"));
    }
    if (auto p = args.value("--max-passes")) {
        auto value = parseNumber(*p, "--max-passes");
        if (!value || *value < 1 || *value > 16)
            return makeError(ErrorKind::Usage, "--max-passes must be between 1 and 16");
        options.maxPasses = static_cast<int>(*value);
    }
    if (auto scramble = args.value("--scramble")) {
        if (*scramble != "arnold" && *scramble != "permute")
            return makeError(ErrorKind::Usage, "--scramble must be arnold or permute");
        options.scrambling = *scramble == "permute" ? Scrambling::Permute : Scrambling::Arnold;
    }
    MEDVEIL_ASSIGN_OR_RETURN(options.info, parseInfo(args.values("--info")));
    return options;
}

namespace {

using workflow::protectFile;
using workflow::RecoveredFile;
using workflow::recoverFile;

Result<int> runProtect(const ParsedArgs& args)
{
    const auto start = Clock::now();
    const std::string in = args.positional()[0], out = args.positional()[1];
    MEDVEIL_ASSIGN_OR_RETURN(ProtectOptions options, protectOptions(args));
    options.measureCapacity = true; // printed below (capacity_bits), the trial runs beside the protection
    MEDVEIL_ASSIGN_OR_RETURN(const RsaKey key, loadPublicKey(*args.value("--public")));
    MEDVEIL_ASSIGN_OR_RETURN(const std::optional<RsaKey> signer, loadSigningKey(args));
    MEDVEIL_ASSIGN_OR_RETURN(const ProtectReport r,
                             protectFile(in, out, key, options, cliProgress(), signer));
    std::optional<Bytes> signedBy;
    if (signer) {
        MEDVEIL_ASSIGN_OR_RETURN(signedBy, signer->fingerprint());
    }
    if (args.flag("--json")) {
        printJson({{"region", regionJson(r.region)},
                   {"regions", regionsJson(r.region, r.extraRegions)},
                   {"threshold", r.threshold},
                   {"payload_bits", r.payloadBits},
                   {"capacity_bits", r.capacityBits},
                   {"passes", r.passes},
                   {"texture_blocks", r.textureBlocks},
                   {"qr_version", r.qrVersion},
                   {"qr_ecc", std::string(1, r.qrEccLevel)},
                   {"qr_module_px", r.qrModuleSize},
                   {"psnr", metricJson(r.psnr)},
                   {"psnr_peak", r.psnrPeak},
                   {"psnr_range", metricJson(r.psnrRange)},
                   {"ssim", metricJson(r.ssim)},
                   {"ssim_range", r.psnrPeak},
                   {"scramble", r.scrambling == Scrambling::Permute ? "permute" : "arnold"},
                   {"signed_by", signerJson(signedBy)},
                   {"ms", msSince(start)}});
    } else {
        std::cout << "protected " << displaySafe(out) << ": region " << r.region.toString() << ", threshold "
                  << r.threshold << ", " << r.payloadBits << " of " << r.capacityBits << " bits, " << r.passes
                  << " passes, PSNR " << r.psnr << " dB (peak " << r.psnrPeak << "), SSIM " << r.ssim << "\n";
    }
    return 0;
}

/// recover --json after a refusal (exit 3): with the right key, which 8×8 blocks changed (merged into
/// rectangles ≤ 64×64) and whether the QR code, the protection data or a DICOM header did; nothing is
/// written. With a wrong key only the error.
Error reportTampering(const std::string& in, const RsaKey& key, const Error& refusal)
{
    nlohmann::json json = {{"error", refusal.message}};
    auto loaded = readImageFile(in);
    if (loaded) {
        auto report = KeyRegionProtector::locateTampering(loaded->image, loaded->metadata, key);
        if (report) {
            nlohmann::json regions = nlohmann::json::array();
            for (const Rect& r : report->regions)
                regions.push_back(regionJson(r));
            json.update({{"tampered_regions", regions},
                         {"changed_blocks", report->changedBlocks},
                         {"qr_changed", report->qrChanged},
                         {"metadata_changed", report->metadataChanged},
                         {"header_changed", refusal.message.find("DICOM header") != std::string::npos}});
        }
    }
    printJson(json);
    return refusal;
}

Result<int> runRecover(const ParsedArgs& args)
{
    const auto start = Clock::now();
    const std::string in = args.positional()[0], out = args.positional()[1];
    MEDVEIL_ASSIGN_OR_RETURN(const RsaKey key, loadPrivateKey(args));
    MEDVEIL_ASSIGN_OR_RETURN(const SenderCheck sender, loadSenderCheck(args));
    auto result = recoverFile(in, out, key, cliProgress(), sender.requirement);
    if (!result && result.error().kind == ErrorKind::Auth && args.flag("--json"))
        return reportTampering(in, key, result.error());
    MEDVEIL_ASSIGN_OR_RETURN(const RecoveredFile file, std::move(result));
    const RecoveredImage& recovered = file.recovered;
    if (args.flag("--json")) {
        printJson({{"identical", recovered.identical},
                   {"region", regionJson(recovered.region)},
                   {"regions", regionsJson(recovered.region, recovered.extraRegions)},
                   {"scrambling", recovered.scrambling == Scrambling::Permute ? "permute" : "arnold"},
                   {"info", infoJson(recovered.info)},
                   {"header_verified", recovered.headerVerified},
                   {"signed_by", signerJson(file.signedBy)},
                   {"trusted_sender", trustedSenderJson(sender, file.signedBy)},
                   {"ms", msSince(start)}});
    } else {
        std::cout << "recovered " << displaySafe(out) << ": identical to the original (SHA-256 verified)"
                  << (recovered.headerVerified ? ", DICOM header verified" : "")
                  << signerText(sender, file.signedBy) << "\n";
    }
    return 0;
}

/// Set by SIGINT/SIGTERM/SIGHUP during a batch (a lock-free atomic store, safe in a signal handler).
const CancelToken g_batchCancel;

extern "C" void onInterrupt(int)
{
    g_batchCancel.cancel();
}

/// The keys and options of one batch: protect needs --public (and takes protect's options), recover
/// --private (`mode` is one of the two).
struct BatchSetup
{
    bool protect = true;
    std::optional<RsaKey> key; ///< always set by batchSetup()
    ProtectOptions options;
    std::optional<RsaKey> signer, trusted;
};

Result<BatchSetup> batchSetup(const ParsedArgs& args, const std::string& mode)
{
    BatchSetup setup;
    setup.protect = mode == "protect";
    const char* keyOption = setup.protect ? "--public" : "--private";
    if (!args.value(keyOption))
        return makeError(ErrorKind::Usage, "batch " + mode + " needs " + keyOption);
    MEDVEIL_ASSIGN_OR_RETURN(setup.signer, loadSigningKey(args));
    MEDVEIL_ASSIGN_OR_RETURN(setup.trusted, loadTrustedSender(args));
    if (setup.protect) {
        MEDVEIL_ASSIGN_OR_RETURN(setup.options, protectOptions(args));
        // batch reports neither PSNR/SSIM nor the capacity: not computed (a core's worth of work saved).
        setup.options.measureQuality = false;
        setup.options.measureCapacity = false; // ProtectOptions' default, said here as batch relies on it
    }
    MEDVEIL_ASSIGN_OR_RETURN(setup.key,
                             setup.protect ? loadPublicKey(*args.value("--public")) : loadPrivateKey(args));
    return setup;
}

/// One row of batch's summary and manifest (names of files in a folder someone else may have filled:
/// shown escaped).
nlohmann::json batchFileJson(const workflow::BatchFileResult& file)
{
    nlohmann::json row = {{"file", displaySafe(file.input.filename().string())}, {"ms", file.ms}};
    if (file.status)
        row.update({{"ok", true},
                    {"skipped", file.skipped},
                    {"output", displaySafe(file.output.filename().string())}});
    else
        row.update({{"ok", false},
                    {"exit_code", file.status.error().exitCode()},
                    {"error", displaySafe(file.status.error().message)}});
    return row;
}

/// batch's summary: a row per file processed (input order, whatever --jobs), the counts.
nlohmann::json batchJson(const std::string& mode, const workflow::BatchResult& batch,
                         const workflow::BatchShard& shard, double ms)
{
    nlohmann::json files = nlohmann::json::array();
    for (const auto& file : batch.files)
        files.push_back(batchFileJson(file));
    return {{"mode", mode},
            {"total", batch.total},
            {"processed", batch.files.size()},
            {"ok", batch.succeeded},
            {"skipped", batch.skipped},
            {"failed", batch.files.size() - batch.succeeded},
            {"interrupted", batch.cancelled},
            {"jobs", batch.jobs},
            {"shard", std::to_string(shard.index) + "/" + std::to_string(shard.count)},
            {"files", files},
            {"ms", ms}};
}

/// --manifest: one JSON line per input of this run (input order): input, output, status (ok, skipped,
/// failed), ms, sha256 of the output.
std::string batchManifest(const workflow::BatchResult& batch)
{
    std::string lines;
    for (const auto& file : batch.files) {
        nlohmann::json line = {
            {"input", displaySafe(file.input.string())},
            {"output", displaySafe(file.output.string())},
            {"status", !file.status   ? "failed"
                       : file.skipped ? "skipped"
                                      : "ok"},
            {"ms", file.ms},
            {"sha256", file.status ? nlohmann::json(file.outputSha256) : nlohmann::json()}};
        if (!file.status)
            line.update({{"exit_code", file.status.error().exitCode()},
                         {"error", displaySafe(file.status.error().message)}});
        lines += line.dump() + "\n";
    }
    return lines;
}

/// --jobs N: a positive count; default every core.
Result<unsigned> batchJobs(const ParsedArgs& args)
{
    const auto value = args.value("--jobs");
    if (!value)
        return 0u;
    unsigned jobs = 0;
    const auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), jobs);
    if (ec != std::errc() || end != value->data() + value->size() || jobs == 0 || jobs > 1024)
        return makeError(ErrorKind::Usage, "--jobs wants a count from 1 to 1024, got '" + *value + "'");
    return jobs;
}

/// batch protect|recover IN_DIR OUT_DIR: every file of IN_DIR (of its --shard), on --jobs workers, each
/// output written atomically and never over an existing file (--resume: one that verifies is skipped, one
/// that does not is redone); SIGINT/SIGTERM/SIGHUP stop after the files in hand.
Result<int> runBatch(const ParsedArgs& args)
{
    const auto start = Clock::now();
    const std::string mode = args.positional()[0];
    const std::filesystem::path inDir = args.positional()[1], outDir = args.positional()[2];
    if (mode != "protect" && mode != "recover")
        return makeError(ErrorKind::Usage, "batch needs 'protect' or 'recover', got '" + mode + "'");
    MEDVEIL_ASSIGN_OR_RETURN(const unsigned jobs, batchJobs(args));
    workflow::BatchShard shard;
    if (const auto text = args.value("--shard")) {
        MEDVEIL_ASSIGN_OR_RETURN(shard, workflow::parseBatchShard(*text));
    }
    const std::optional<std::string> manifest = args.value("--manifest");
    std::error_code ec;
    if (!std::filesystem::is_directory(inDir, ec))
        return makeError(ErrorKind::BadInput, ec == std::errc::filename_too_long
                                                  ? "path too long: '" + inDir.string() + "'"
                                                  : inDir.string() + " is not a folder");
    if (std::filesystem::exists(outDir, ec) && std::filesystem::equivalent(inDir, outDir, ec))
        return makeError(ErrorKind::Usage, "the output folder must differ from the input folder");
    if (manifest) {
        MEDVEIL_TRY(checkOutputTargets({*manifest}, {inDir}));
    }
    MEDVEIL_ASSIGN_OR_RETURN(const BatchSetup setup, batchSetup(args, mode));
    MEDVEIL_ASSIGN_OR_RETURN(const std::vector<std::filesystem::path> all, workflow::folderFiles(inDir));
    const std::vector<std::filesystem::path> files = workflow::shardFiles(all, inDir, shard);
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    std::signal(SIGHUP, onInterrupt);
    // Ctrl+C stops after the files in hand: the step itself is never cancelled.
    JobControl control;
    control.cancel = g_batchCancel;
    const auto step = [&](const std::filesystem::path& in, const std::filesystem::path& out,
                          const JobControl&) -> Status {
        return setup.protect ? statusOf(protectFile(in, out, *setup.key, setup.options, {}, setup.signer))
                             : statusOf(recoverFile(in, out, *setup.key, {}, setup.trusted));
    };
    workflow::BatchOptions options;
    options.jobs = jobs;
    options.digestOutputs = manifest.has_value();
    if (args.flag("--resume"))
        options.resumeVerify = setup.protect ? workflow::BatchVerify([](const auto&, const auto& out) {
            return workflow::verifyProtectedOutput(out);
        })
                                             : workflow::BatchVerify(workflow::verifyRecoveredOutput);
    std::mutex progressMutex;
    size_t done = 0;
    options.fileDone = [&](const workflow::BatchFileResult& file) {
        const std::lock_guard lock(progressMutex);
        const Status& status = file.status;
        std::cerr << "[" << ++done << "/" << files.size() << "] "
                  << displaySafe(file.input.filename().string())
                  << (!status ? ": FAILED (exit " + std::to_string(status.error().exitCode()) +
                                    "): " + displaySafe(status.error().message)
                      : file.skipped ? ": already done (verified)"
                                     : ": ok")
                  << "\n";
    };
    MEDVEIL_ASSIGN_OR_RETURN(const workflow::BatchResult batch,
                             workflow::runBatch(files, outDir, step, control, options));
    if (manifest) {
        MEDVEIL_TRY(writeFileAtomically(*manifest, toBytes(batchManifest(batch)), {inDir}));
    }
    if (args.flag("--json"))
        printJson(batchJson(mode, batch, shard, msSince(start)));
    else
        std::cout << mode << ": " << batch.succeeded << " of " << files.size() << " files done"
                  << (batch.skipped ? " (" + std::to_string(batch.skipped) + " verified from an earlier run)"
                                    : "")
                  << (shard.count > 1 ? ", shard " + std::to_string(shard.index) + "/" +
                                            std::to_string(shard.count) + " of " + std::to_string(all.size())
                                      : "")
                  << (batch.cancelled ? " (interrupted)" : "") << "\n";
    return batch.cancelled ? 130 : batch.firstFailureExitCode();
}

Result<int> runInspect(const ParsedArgs& args)
{
    MEDVEIL_ASSIGN_OR_RETURN(const LoadedImage loaded, readImageFile(args.positional()[0]));
    // A signature can be checked by anyone; only a trusted key (recover --verify) makes it meaningful.
    const workflow::InspectedFile inspection = workflow::inspectLoaded(loaded);
    const auto& [inspected, signedBy] = inspection;
    MEDVEIL_ASSIGN_OR_RETURN(const InspectReport report, inspected);
    // The Recover tab shows the same words; exit 3 whenever the file does not look intact.
    const workflow::InspectVerdict verdict = workflow::inspectVerdict(inspection);
    if (args.flag("--json")) {
        nlohmann::json json = {{"info", infoJson(report.info)},
                               {"qr_version", report.qrVersion},
                               {"intact", verdict.intact},
                               {"verdict", verdict.text},
                               {"region", regionJson(report.region)},
                               {"signed_by", signedBy ? signerJson(*signedBy) : nlohmann::json(nullptr)}};
        if (!signedBy)
            json["signature_problem"] = displaySafe(signedBy.error().message);
        if (!report.problem.empty())
            json["problem"] = displaySafe(report.problem);
        printJson(json);
        return verdict.exitCode;
    }
    for (const auto& [k, v] : report.info)
        std::cout << displaySafe(k) << ": " << displaySafe(v) << "\n"; // a forged QR can hold escape codes
    std::cout << displaySafe(verdict.text) << "\n";
    std::cout << (!signedBy ? "signature INVALID: " + displaySafe(signedBy.error().message)
                  : *signedBy
                      ? "signed by " + hexEncode(**signedBy) + " (unverified sender: use recover --verify)"
                      : std::string("not signed"))
              << "\n";
    return verdict.exitCode;
}

Result<std::vector<double>> parseThresholds(const std::string& text)
{
    double from = 0, to = 0, step = 0;
    char tail = 0;
    if (std::sscanf(text.c_str(), "%lf:%lf:%lf%c", &from, &to, &step, &tail) != 3 || step <= 0 || from < 0 ||
        to < from || (to - from) / step > 1000)
        return makeError(ErrorKind::Usage, "--thresholds must be FROM:TO:STEP, e.g. 5:50:5");
    std::vector<double> out;
    for (double t = from; t <= to + 1e-9; t += step)
        out.push_back(t);
    return out;
}

Result<int> runSweep(const ParsedArgs& args)
{
    const auto start = Clock::now();
    MEDVEIL_ASSIGN_OR_RETURN(const std::vector<double> thresholds,
                             parseThresholds(args.value("--thresholds").value_or("5:50:5")));
    MEDVEIL_ASSIGN_OR_RETURN(const std::optional<Rect> region, parseRegion(args.value("--region")));
    MEDVEIL_ASSIGN_OR_RETURN(const Image image, readImage(args.positional()[0]));
    MEDVEIL_ASSIGN_OR_RETURN(const auto rows,
                             KeyRegionProtector::sweep(image, thresholds, region, {}, cliProgress()));
    if (args.flag("--json")) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& row : rows)
            list.push_back({{"threshold", row.threshold},
                            {"psnr", metricJson(row.psnr)},
                            {"psnr_peak", row.psnrPeak},
                            {"psnr_range", metricJson(row.psnrRange)},
                            {"ssim", metricJson(row.ssim)},
                            {"payload_bits", row.payloadBits},
                            {"capacity_bits", row.capacityBits},
                            {"fits", row.fits},
                            {"passes", row.passes}});
        printJson({{"rows", list}, {"psnr_peak", dynamicRange(image)}, {"ms", msSince(start)}});
        return 0;
    }
    std::cout << "threshold  PSNR dB   SSIM     payload  capacity  fits  passes   (PSNR peak and SSIM L "
              << dynamicRange(image) << ")\n";
    for (const auto& row : rows) {
        char line[128];
        std::snprintf(line, sizeof line, "%9g  %7.2f  %7.4f  %7zu  %8zu  %4s  %6d\n", row.threshold, row.psnr,
                      row.ssim, row.payloadBits, row.capacityBits, row.fits ? "yes" : "no", row.passes);
        std::cout << line;
    }
    return 0;
}

} // namespace

std::vector<Command> keyRegionCommands()
{
    const Command protect{
        .name = "protect",
        .usage = "protect IN OUT --public PUB.pem [--region auto|X,Y,W,H]... [--threshold auto|T] [--info"
                 " KEY=VALUE]... [--max-passes N] [--scramble arnold|permute] [--sign SENDER_PRIV.pem"
                 " [--sign-passphrase-file F | --sign-passphrase-fd N]] [--json]",
        .summary = "Key-region protection (Li et al. 2020): hide the key region, cover it with a QR code.",
        .details =
            R"txt(The key region (auto: largest coefficient of variation) is compressed losslessly, encrypted with
AES-256-GCM and embedded by rhombus prediction-error expansion into texture blocks (block MSE > T;
auto: the largest T of 50, 45, ..., 5 that holds it), which are then Arnold-scrambled. A QR code with
the --info pairs and the RSA-OAEP-sealed key replaces the region. OUT is a PNG of the same size and
bit depth. Exit 4 when the region does not fit (the message gives bits needed and available).
DICOM: IN may be a .dcm file (single-frame grey; uncompressed, RLE, JPEG lossless or JPEG-LS;
stored values kept, signed data offset by 32768 inside MedVeil). With OUT ending in .dcm the
header is kept (same SOP class, new SOP Instance UID, ImageType DERIVED\SECONDARY, BitsStored
widened to 16 when needed) and MedVeil's data go into the private block (0071,xx) "MEDVEIL 1".
Exit 2 for lossy-compressed, JPEG 2000, multi-frame or colour DICOM.
--region may repeat: every region is hidden and replaced, the first (or the automatic one with
--region auto) by the QR code, the others by a neutral grey; overlapping or out-of-image regions
are exit 2.
--scramble arnold (default, the paper's cat map) | permute: a keyed pseudo-random permutation of
each texture block's 64 pixels, which a keyless try-every-map attack cannot undo (Arnold's can).
--sign SENDER_PRIV.pem signs the protection (RSA-PSS-SHA-256 over the pixels and every MedVeil
metadata entry) so that the recipient can check who made it (recover --verify).)txt",
        .spec = {.valueOptions = {"--public", "--region", "--threshold", "--info", "--max-passes", "--sign",
                                  "--sign-passphrase-file", "--sign-passphrase-fd", "--scramble"},
                 .repeatableOptions = {"--info", "--region"},
                 .flags = {"--json"},
                 .requiredOptions = {"--public"},
                 .minPositional = 2,
                 .maxPositional = 2,
                 .outputPositionals = {1}},
        .run = runProtect};
    const Command recover{
        .name = "recover",
        .usage = "recover IN OUT --private PRIV.pem [--passphrase-file F | --passphrase-fd N] [--verify "
                 "SENDER_PUB.pem | --verify-trusted] [--json]",
        .summary = "Restore the original bit-exactly from a protected PNG and the private key.",
        .details =
            R"txt(Exit 3 for a wrong key or passphrase or any change to the protected image (pixels, QR code,
metadata, re-saving as JPEG, resizing); exit 2 for an image that was never protected.
A protected .dcm recovers to a .dcm whose stored pixel words and dataset equal the original's
(original SOP Instance UID, BitsStored and ImageType restored); only the file meta group differs
and the transfer syntax is explicit VR little endian. The DICOM header is authenticated: any
edit since protection is exit 3.
--verify SENDER_PUB.pem: exit 3 unless the file is signed by that key (--json: signed_by, the
SHA-256 fingerprint of the signer's public key; shown without --verify too).
--verify-trusted: exit 3 unless the file is signed by a sender of the trusted-sender list
($XDG_CONFIG_HOME/MedVeil/trusted-senders, kept by the GUI's Key Manager); the sender's name is
printed (--json: trusted_sender).)txt",
        .spec = {.valueOptions = {"--private", "--passphrase-file", "--passphrase-fd", "--verify"},
                 .flags = {"--json", "--verify-trusted"},
                 .requiredOptions = {"--private"},
                 .minPositional = 2,
                 .maxPositional = 2,
                 .outputPositionals = {1}},
        .run = runRecover};
    const Command inspect{
        .name = "inspect",
        .usage = "inspect IN [--json]",
        .summary = "Read a protected image's QR code without a key: public info and whether it looks intact.",
        .details =
            R"txt('intact' is an unauthenticated check (QR readable, pixels and MedVeil's metadata unchanged
since protection, any signature valid); only recover, with the private key, proves integrity.
Exit 0 only when the file looks intact; exit 3 when it does not (the report, or the JSON, still
comes out); exit 2 for a file that was never protected.)txt",
        .spec = {.flags = {"--json"}, .minPositional = 1, .maxPositional = 1},
        .run = runInspect};
    const Command sweep{
        .name = "sweep",
        .usage = "sweep IN [--thresholds 5:50:5] [--region auto|X,Y,W,H] [--json]",
        .summary = "PSNR/SSIM of the protected image, payload and capacity for each threshold (Figs. 9-11).",
        .spec = {.valueOptions = {"--thresholds", "--region"},
                 .flags = {"--json"},
                 .minPositional = 1,
                 .maxPositional = 1},
        .run = runSweep};
    const Command batch{
        .name = "batch",
        .usage = "batch protect|recover IN_DIR OUT_DIR (--public PUB.pem [protect options] | --private"
                 " PRIV.pem [--passphrase-file F | --passphrase-fd N]) [--jobs N] [--shard K/N] [--resume]"
                 " [--manifest FILE] [--json]",
        .summary = "Protect or recover every file of a folder (e.g. a DICOM series), on every core.",
        .details =
            R"txt(Each output (OUT_DIR/NAME.png, or NAME.dcm for DICOM inputs) is written atomically and never over an
existing file. --jobs N files at once (default: one per core); outputs, summary and exit code are the
same for every N. --shard K/N takes only the files whose path hashes to part K of N (SHA-256 of the
name), so N independent runs (a Slurm array, a Kubernetes indexed Job) cover every file exactly once.
--resume skips an input whose output exists and verifies (protect: inspect finds it intact; recover: it
decodes completely with the input's size) and redoes one that does not. --manifest FILE writes one JSON
line per input (input, output, status ok|skipped|failed, ms, sha256 of the output). Progress goes to
stderr, one line per file; the summary (per-file result in input order, counts) to stdout, as JSON with
--json. Exit 0 when every file succeeded, else the exit code of the first failure in name order; Ctrl+C
stops after the files in hand (exit 130) and leaves only complete outputs.)txt",
        .spec = {.valueOptions = {"--public", "--private", "--passphrase-file", "--passphrase-fd", "--region",
                                  "--threshold", "--info", "--max-passes", "--sign", "--sign-passphrase-file",
                                  "--sign-passphrase-fd", "--verify", "--scramble", "--jobs", "--shard",
                                  "--manifest"},
                 .repeatableOptions = {"--info", "--region"},
                 .flags = {"--json", "--resume"},
                 .minPositional = 3,
                 .maxPositional = 3,
                 .outputOptions = {"--manifest"}},
        .run = runBatch};
    return {protect, recover, inspect, sweep, batch};
}

} // namespace medveil::cli
