// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/CliSupport.h"
#include "crypto/ContainerSignature.h"
#include "crypto/Digest.h"
#include "io/AtomicFile.h"
#include "io/ImageIo.h"
#include "keyregion/KeyRegionProtector.h"
#include "workflow/BatchWorkflows.h"
#include "workflow/FileWorkflows.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <iostream>

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

/// --region, --threshold, --max-passes and --info of protect (and batch protect).
Result<ProtectOptions> protectOptions(const ParsedArgs& args)
{
    ProtectOptions options;
    // --region may repeat: "auto" (at most once) makes the QR code's region the automatic one and every
    // X,Y,W,H a further region; without "auto" the first X,Y,W,H carries the QR code.
    bool automatic = false;
    std::vector<Rect> rects;
    for (const std::string& value : args.values("--region")) {
        auto region = parseRegion(value);
        if (!region)
            return region.error();
        if (!*region) {
            if (automatic)
                return makeError(ErrorKind::Usage, "--region auto may be given once");
            automatic = true;
        } else {
            rects.push_back(**region);
        }
    }
    if (!automatic && !rects.empty()) {
        options.region = rects.front();
        rects.erase(rects.begin());
    }
    options.extraRegions = std::move(rects);
    if (auto t = args.value("--threshold"); t && *t != "auto") {
        auto value = parseNumber(*t, "--threshold");
        if (!value)
            return value.error();
        options.threshold = *value;
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
    auto info = parseInfo(args.values("--info"));
    if (!info)
        return info.error();
    options.info = *info;
    return options;
}

using workflow::protectFile;
using workflow::RecoveredFile;
using workflow::recoverFile;

int runProtect(const ParsedArgs& args)
{
    const auto start = Clock::now();
    const std::string in = args.positional()[0], out = args.positional()[1];
    auto options = protectOptions(args);
    if (!options)
        return reportError(options.error());
    auto key = loadPublicKey(*args.value("--public"));
    if (!key)
        return reportError(key.error());
    auto signer = loadSigningKey(args);
    if (!signer)
        return reportError(signer.error());
    auto result = protectFile(in, out, *key, *options, cliProgress(), *signer);
    if (!result)
        return reportError(result.error());
    const ProtectReport& r = *result;
    std::optional<Bytes> signedBy;
    if (*signer)
        signedBy = *(*signer)->fingerprint();
    if (args.flag("--json")) {
        nlohmann::json regions = nlohmann::json::array({regionJson(r.region)});
        for (const Rect& extra : r.extraRegions)
            regions.push_back(regionJson(extra));
        printJson({{"region", regionJson(r.region)},
                   {"regions", regions},
                   {"threshold", r.threshold},
                   {"payload_bits", r.payloadBits},
                   {"capacity_bits", r.capacityBits},
                   {"passes", r.passes},
                   {"texture_blocks", r.textureBlocks},
                   {"qr_version", r.qrVersion},
                   {"qr_ecc", std::string(1, r.qrEccLevel)},
                   {"qr_module_px", r.qrModuleSize},
                   {"psnr", metricJson(r.psnr)},
                   {"ssim", metricJson(r.ssim)},
                   {"scramble", r.scrambling == Scrambling::Permute ? "permute" : "arnold"},
                   {"signed_by", signerJson(signedBy)},
                   {"ms", msSince(start)}});
    } else {
        std::cout << "protected " << out << ": region " << r.region.toString() << ", threshold "
                  << r.threshold << ", " << r.payloadBits << " of " << r.capacityBits << " bits, " << r.passes
                  << " passes, PSNR " << r.psnr << " dB, SSIM " << r.ssim << "\n";
    }
    return 0;
}

/// recover --json after a refusal (exit 3): with the right key, which 8×8 blocks changed (merged into
/// rectangles ≤ 64×64) and whether the QR code, the protection data or a DICOM header did; nothing is
/// written. With a wrong key only the error.
int reportTampering(const std::string& in, const RsaKey& key, const Error& refusal)
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
    return reportError(refusal);
}

int runRecover(const ParsedArgs& args)
{
    const auto start = Clock::now();
    const std::string in = args.positional()[0], out = args.positional()[1];
    auto key = loadPrivateKey(*args.value("--private"), args.value("--passphrase-file"));
    if (!key)
        return reportError(key.error());
    auto trusted = loadTrustedSender(args);
    if (!trusted)
        return reportError(trusted.error());
    auto result = recoverFile(in, out, *key, cliProgress(), *trusted);
    if (!result && result.error().kind == ErrorKind::Auth && args.flag("--json"))
        return reportTampering(in, *key, result.error());
    if (!result)
        return reportError(result.error());
    const RecoveredImage& recovered = result->recovered;
    if (args.flag("--json")) {
        nlohmann::json info = nlohmann::json::object();
        for (const auto& [k, v] : recovered.info)
            info[k] = v;
        nlohmann::json regions = nlohmann::json::array({regionJson(recovered.region)});
        for (const Rect& extra : recovered.extraRegions)
            regions.push_back(regionJson(extra));
        printJson({{"identical", recovered.identical},
                   {"region", regionJson(recovered.region)},
                   {"regions", regions},
                   {"scrambling", recovered.scrambling == Scrambling::Permute ? "permute" : "arnold"},
                   {"info", info},
                   {"header_verified", recovered.headerVerified},
                   {"signed_by", signerJson(result->signedBy)},
                   {"ms", msSince(start)}});
    } else {
        std::cout << "recovered " << out << ": identical to the original (SHA-256 verified)"
                  << (recovered.headerVerified ? ", DICOM header verified" : "")
                  << (result->signedBy ? ", signed by " + hexEncode(*result->signedBy) : ", not signed")
                  << "\n";
    }
    return 0;
}

/// Set by SIGINT/SIGTERM during a batch (a lock-free atomic store, safe in a signal handler).
const CancelToken g_batchCancel;

extern "C" void onInterrupt(int)
{
    g_batchCancel.cancel();
}

/// batch protect|recover IN_DIR OUT_DIR: every file of IN_DIR (name order), one at a time, each output
/// written atomically and never over an existing file; SIGINT/SIGTERM stop after the current file.
int runBatch(const ParsedArgs& args)
{
    const auto start = Clock::now();
    const std::string mode = args.positional()[0];
    const std::filesystem::path inDir = args.positional()[1], outDir = args.positional()[2];
    if (mode != "protect" && mode != "recover")
        return reportError(
            makeError(ErrorKind::Usage, "batch needs 'protect' or 'recover', got '" + mode + "'"));
    std::error_code ec;
    if (!std::filesystem::is_directory(inDir, ec))
        return reportError(makeError(ErrorKind::BadInput, inDir.string() + " is not a folder"));
    if (std::filesystem::exists(outDir, ec) && std::filesystem::equivalent(inDir, outDir, ec))
        return reportError(
            makeError(ErrorKind::Usage, "the output folder must differ from the input folder"));
    std::optional<RsaKey> key;
    Result<ProtectOptions> options = ProtectOptions{};
    auto signer = loadSigningKey(args);
    if (!signer)
        return reportError(signer.error());
    auto trusted = loadTrustedSender(args);
    if (!trusted)
        return reportError(trusted.error());
    if (mode == "protect") {
        if (!args.value("--public"))
            return reportError(makeError(ErrorKind::Usage, "batch protect needs --public"));
        options = protectOptions(args);
        if (!options)
            return reportError(options.error());
        auto k = loadPublicKey(*args.value("--public"));
        if (!k)
            return reportError(k.error());
        key = *k;
    } else {
        if (!args.value("--private"))
            return reportError(makeError(ErrorKind::Usage, "batch recover needs --private"));
        auto k = loadPrivateKey(*args.value("--private"), args.value("--passphrase-file"));
        if (!k)
            return reportError(k.error());
        key = *k;
    }
    auto files = workflow::folderFiles(inDir);
    if (!files)
        return reportError(files.error());
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    // Ctrl+C stops after the current file: the step itself is never cancelled.
    JobControl control;
    control.cancel = g_batchCancel;
    size_t done = 0;
    const auto step = [&](const std::filesystem::path& in, const std::filesystem::path& out,
                          const JobControl&) -> Status {
        Status status;
        if (mode == "protect") {
            auto r = protectFile(in, out, *key, *options, {}, *signer);
            status = r ? Status() : Status(r.error());
        } else {
            auto r = recoverFile(in, out, *key, {}, *trusted);
            status = r ? Status() : Status(r.error());
        }
        std::cerr << "[" << ++done << "/" << files->size() << "] " << in.filename().string()
                  << (status ? ": ok"
                             : ": FAILED (exit " + std::to_string(status.error().exitCode()) +
                                   "): " + status.error().message)
                  << "\n";
        return status;
    };
    auto batch = workflow::runBatch(*files, outDir, step, control);
    if (!batch)
        return reportError(batch.error());
    nlohmann::json results = nlohmann::json::array();
    for (const auto& file : batch->files) {
        nlohmann::json row = {{"file", file.input.filename().string()}, {"ms", file.ms}};
        if (file.status)
            row.update({{"ok", true}, {"output", file.output.filename().string()}});
        else
            row.update({{"ok", false},
                        {"exit_code", file.status.error().exitCode()},
                        {"error", file.status.error().message}});
        results.push_back(row);
    }
    const int firstFailure = batch->firstFailureExitCode();
    const size_t succeeded = batch->succeeded;
    const bool interrupted = batch->cancelled;
    const nlohmann::json summary = {{"mode", mode},
                                    {"total", files->size()},
                                    {"processed", results.size()},
                                    {"ok", succeeded},
                                    {"failed", results.size() - size_t(succeeded)},
                                    {"interrupted", interrupted},
                                    {"files", results},
                                    {"ms", msSince(start)}};
    if (args.flag("--json"))
        printJson(summary);
    else
        std::cout << mode << ": " << succeeded << " of " << files->size() << " files done"
                  << (interrupted ? " (interrupted)" : "") << "\n";
    return interrupted ? 130 : firstFailure;
}

int runInspect(const ParsedArgs& args)
{
    auto loaded = readImageFile(args.positional()[0]);
    if (!loaded)
        return reportError(loaded.error());
    // A signature can be checked by anyone; only a trusted key (recover --verify) makes it meaningful.
    const auto [report, signedBy] = workflow::inspectLoaded(*loaded);
    if (!report)
        return reportError(report.error());
    if (args.flag("--json")) {
        nlohmann::json info = nlohmann::json::object();
        for (const auto& [k, v] : report->info)
            info[k] = v;
        nlohmann::json json = {{"info", info},
                               {"qr_version", report->qrVersion},
                               {"intact", report->intact},
                               {"region", regionJson(report->region)},
                               {"signed_by", signedBy ? signerJson(*signedBy) : nlohmann::json(nullptr)}};
        if (!signedBy)
            json["signature_problem"] = signedBy.error().message;
        if (!report->problem.empty())
            json["problem"] = report->problem;
        printJson(json);
    } else {
        for (const auto& [k, v] : report->info)
            std::cout << k << ": " << v << "\n";
        if (report->hasProtectionData)
            std::cout << "QR version " << report->qrVersion << ", "
                      << (report->intact ? "looks intact" : "NOT intact: " + report->problem) << "\n";
        else // the QR code was read, but the data to recover it are gone
            std::cout << "QR code read; NOT recoverable: " << report->problem << "\n";
        std::cout << (!signedBy   ? "signature INVALID: " + signedBy.error().message
                      : *signedBy ? "signed by " + hexEncode(**signedBy) +
                                        " (unverified sender: use recover --verify)"
                                  : std::string("not signed"))
                  << "\n";
    }
    return 0;
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

int runSweep(const ParsedArgs& args)
{
    const auto start = Clock::now();
    auto thresholds = parseThresholds(args.value("--thresholds").value_or("5:50:5"));
    if (!thresholds)
        return reportError(thresholds.error());
    auto region = parseRegion(args.value("--region"));
    if (!region)
        return reportError(region.error());
    auto image = readImage(args.positional()[0]);
    if (!image)
        return reportError(image.error());
    auto rows = KeyRegionProtector::sweep(*image, *thresholds, *region, {}, cliProgress());
    if (!rows)
        return reportError(rows.error());
    nlohmann::json list = nlohmann::json::array();
    for (const auto& row : *rows)
        list.push_back({{"threshold", row.threshold},
                        {"psnr", metricJson(row.psnr)},
                        {"ssim", metricJson(row.ssim)},
                        {"payload_bits", row.payloadBits},
                        {"capacity_bits", row.capacityBits},
                        {"fits", row.fits},
                        {"passes", row.passes}});
    if (args.flag("--json")) {
        printJson({{"rows", list}, {"ms", msSince(start)}});
        return 0;
    }
    std::cout << "threshold  PSNR dB   SSIM     payload  capacity  fits  passes\n";
    for (const auto& row : *rows) {
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
    Command protect;
    protect.name = "protect";
    protect.usage =
        "protect IN OUT --public PUB.pem [--region auto|X,Y,W,H]... [--threshold auto|T] [--info "
        "KEY=VALUE]... "
        "[--max-passes N] [--scramble arnold|permute] [--sign SENDER_PRIV.pem [--sign-passphrase-file F]] "
        "[--json]";
    protect.summary = "Key-region protection (Li et al. 2020): hide the key region, cover it with a QR code.";
    protect.details =
        "The key region (auto: largest coefficient of variation) is compressed losslessly, encrypted with\n"
        "AES-256-GCM and embedded by rhombus prediction-error expansion into texture blocks (block MSE > T;\n"
        "auto: the largest T of 50, 45, ..., 5 that holds it), which are then Arnold-scrambled. A QR code "
        "with\n"
        "the --info pairs and the RSA-OAEP-sealed key replaces the region. OUT is a PNG of the same size "
        "and\n"
        "bit depth. Exit 4 when the region does not fit (the message gives bits needed and available).\n"
        "DICOM: IN may be a .dcm file (single-frame grey; uncompressed, RLE, JPEG lossless or JPEG-LS;\n"
        "stored values kept, signed data offset by 32768 inside MedVeil). With OUT ending in .dcm the\n"
        "header is kept (same SOP class, new SOP Instance UID, ImageType DERIVED\\SECONDARY, BitsStored\n"
        "widened to 16 when needed) and MedVeil's data go into the private block (0071,xx) \"MEDVEIL 1\".\n"
        "Exit 2 for lossy-compressed, JPEG 2000, multi-frame or colour DICOM.\n"
        "--region may repeat: every region is hidden and replaced, the first (or the automatic one with\n"
        "--region auto) by the QR code, the others by a neutral grey; overlapping or out-of-image regions\n"
        "are exit 2.\n"
        "--scramble arnold (default, the paper's cat map) | permute: a keyed pseudo-random permutation of\n"
        "each texture block's 64 pixels, which a keyless try-every-map attack cannot undo (Arnold's can).\n"
        "--sign SENDER_PRIV.pem signs the protection (RSA-PSS-SHA-256 over the pixels and every MedVeil\n"
        "metadata entry) so that the recipient can check who made it (recover --verify).";
    protect.spec.valueOptions = {
        "--public",  "--region", "--threshold", "--info", "--max-passes", "--sign", "--sign-passphrase-file",
        "--scramble"};
    protect.spec.repeatableOptions = {"--info", "--region"};
    protect.spec.requiredOptions = {"--public"};
    protect.spec.flags = {"--json"};
    protect.spec.outputPositionals = {1};
    protect.spec.minPositional = protect.spec.maxPositional = 2;
    protect.run = runProtect;

    Command recover;
    recover.name = "recover";
    recover.usage =
        "recover IN OUT --private PRIV.pem [--passphrase-file F] [--verify SENDER_PUB.pem] [--json]";
    recover.summary = "Restore the original bit-exactly from a protected PNG and the private key.";
    recover.details =
        "Exit 3 for a wrong key or passphrase or any change to the protected image (pixels, QR code,\n"
        "metadata, re-saving as JPEG, resizing); exit 2 for an image that was never protected.\n"
        "A protected .dcm recovers to a .dcm whose stored pixel words and dataset equal the original's\n"
        "(original SOP Instance UID, BitsStored and ImageType restored); only the file meta group differs\n"
        "and the transfer syntax is explicit VR little endian. The DICOM header is authenticated: any\n"
        "edit since protection is exit 3.\n"
        "--verify SENDER_PUB.pem: exit 3 unless the file is signed by that key (--json: signed_by, the\n"
        "SHA-256 fingerprint of the signer's public key; shown without --verify too).";
    recover.spec.valueOptions = {"--private", "--passphrase-file", "--verify"};
    recover.spec.requiredOptions = {"--private"};
    recover.spec.flags = {"--json"};
    recover.spec.outputPositionals = {1};
    recover.spec.minPositional = recover.spec.maxPositional = 2;
    recover.run = runRecover;

    Command inspect;
    inspect.name = "inspect";
    inspect.usage = "inspect IN [--json]";
    inspect.summary =
        "Read a protected image's QR code without a key: public info and whether it looks intact.";
    inspect.details =
        "'intact' is an unauthenticated check (QR readable, pixels unchanged since protection);\n"
        "only recover, with the private key, proves integrity.";
    inspect.spec.flags = {"--json"};
    inspect.spec.minPositional = inspect.spec.maxPositional = 1;
    inspect.run = runInspect;

    Command sweep;
    sweep.name = "sweep";
    sweep.usage = "sweep IN [--thresholds 5:50:5] [--region auto|X,Y,W,H] [--json]";
    sweep.summary = "PSNR/SSIM of the protected image, payload and capacity for each threshold (Figs. 9-11).";
    sweep.spec.valueOptions = {"--thresholds", "--region"};
    sweep.spec.flags = {"--json"};
    sweep.spec.minPositional = sweep.spec.maxPositional = 1;
    sweep.run = runSweep;

    Command batch;
    batch.name = "batch";
    batch.usage =
        "batch protect|recover IN_DIR OUT_DIR (--public PUB.pem [protect options] | --private PRIV.pem "
        "[--passphrase-file F]) [--json]";
    batch.summary = "Protect or recover every file of a folder (e.g. a DICOM series).";
    batch.details =
        "Files are processed in name order; each output (OUT_DIR/NAME.png, or NAME.dcm for DICOM inputs) is\n"
        "written atomically and never over an existing file. Progress goes to stderr, one line per file; "
        "the\n"
        "summary (per-file result, counts) to stdout, as JSON with --json. Exit 0 when every file "
        "succeeded,\n"
        "else the exit code of the first failure; Ctrl+C stops after the current file (exit 130) and\n"
        "leaves only complete outputs.";
    batch.spec.valueOptions = {
        "--public",     "--private", "--passphrase-file",      "--region", "--threshold", "--info",
        "--max-passes", "--sign",    "--sign-passphrase-file", "--verify", "--scramble"};
    batch.spec.repeatableOptions = {"--info", "--region"};
    batch.spec.flags = {"--json"};
    batch.spec.minPositional = batch.spec.maxPositional = 3;
    batch.run = runBatch;

    return {protect, recover, inspect, sweep, batch};
}

} // namespace medveil::cli
