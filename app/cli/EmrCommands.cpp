// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/CliSupport.h"
#include "core/DisplayText.h"
#include "emr/CipherAnalysis.h"
#include "emr/EmrSealer.h"
#include "emr/HiNet.h"
#include "io/AtomicFile.h"
#include "io/ImageIo.h"
#include "metrics/ImageMetrics.h"
#include "workflow/CipherFiles.h"
#include "workflow/EmrCodecFiles.h"
#include "workflow/FileWorkflows.h"

#include <charconv>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <optional>

namespace medveil::cli {

namespace {

Result<std::string> readText(const std::string& path)
{
    auto bytes = readFileBytes(path);
    if (!bytes)
        return bytes.error();
    return std::string(bytes->begin(), bytes->end());
}

/// --base 2|4|16, or `fallback` when absent.
Result<int> parseBase(const ParsedArgs& args, int fallback)
{
    const auto b = args.value("--base");
    if (!b)
        return fallback;
    if (*b != "2" && *b != "4" && *b != "16")
        return makeError(ErrorKind::Usage, "--base must be 2, 4 or 16");
    return std::stoi(*b);
}

/// --recovery exact|network (exact when absent).
Result<EmrRecovery> parseRecovery(const ParsedArgs& args)
{
    const auto mode = args.value("--recovery").value_or("exact");
    if (mode != "exact" && mode != "network")
        return makeError(ErrorKind::Usage, "--recovery must be exact or network");
    return mode == "exact" ? EmrRecovery::Exact : EmrRecovery::Network;
}

Result<int> runEmrSeal(const ParsedArgs& args)
{
    const auto start = Clock::now();
    const std::string imagePath = *args.value("--image"), emrPath = *args.value("--emr");
    const std::string out = args.positional()[0];
    // The network loads on the other core while the files and keys are read and the record encoded.
    HiNetPreload preload(args.value("--model").value_or(""));
    MEDVEIL_ASSIGN_OR_RETURN(const std::string text, readText(emrPath));
    MEDVEIL_ASSIGN_OR_RETURN(const LoadedImage loaded, readImageFile(imagePath));
    MEDVEIL_ASSIGN_OR_RETURN(const RsaKey key, loadPublicKey(*args.value("--public")));
    workflow::SealOptions options;
    MEDVEIL_ASSIGN_OR_RETURN(options.base, parseBase(args, EmrSealer::kAutoBase));
    MEDVEIL_ASSIGN_OR_RETURN(options.recovery, parseRecovery(args));
    MEDVEIL_ASSIGN_OR_RETURN(options.signer, loadSigningKey(args));
    MEDVEIL_ASSIGN_OR_RETURN(const workflow::SealedEmrFile result,
                             workflow::sealEmrLoaded(loaded, text, key, preload.source(), out,
                                                     {imagePath, emrPath}, options, cliProgress()));
    MEDVEIL_ASSIGN_OR_RETURN(const auto network, preload.get());
    const SealedEmr& sealed = result.sealed;
    const bool exact = options.recovery == EmrRecovery::Exact;
    if (args.flag("--json"))
        printJson({{"emr_bytes", sealed.emrBytes},
                   {"dicom_identity_attributes", result.identityAttributes},
                   {"dicom_private_attributes", result.privateAttributes},
                   {"stego_psnr", metricJson(sealed.stegoPsnr)},
                   {"stego_ssim", metricJson(sealed.stegoSsim)},
                   {"base", sealed.base},
                   {"pulled_pixels", sealed.pulledPixels},
                   {"recovery", exact ? "exact" : "network"},
                   {"residual_bytes", sealed.residualBytes},
                   {"reveal_psnr", metricJson(sealed.revealPsnr)},
                   {"secret_scale", sealed.secretScale},
                   {"strength_reduction_db", metricJson(sealed.strengthReductionDb)},
                   {"signed_by", signerJson(result.signedBy)},
                   {"network", network->describe()},
                   {"ms", msSince(start)}});
    else
        std::cout << "sealed " << displaySafe(out) << ": " << sealed.emrBytes << " EMR bytes, stego PSNR "
                  << sealed.stegoPsnr << " dB, "
                  << (exact ? "exact recovery (residual " + std::to_string(sealed.residualBytes) + " bytes)"
                            : "network-only recovery (lossy: revealed PSNR " +
                                  std::to_string(sealed.revealPsnr) + " dB)")
                  << "\n";
    return 0;
}

Result<int> runEmrOpen(const ParsedArgs& args)
{
    const auto start = Clock::now();
    const std::string in = args.positional()[0];
    const std::string emrOut = *args.value("--emr-out"), imageOut = *args.value("--image-out");
    const std::optional<std::string> identityOut = args.value("--identity-out");
    if (emrOut == imageOut)
        return makeError(ErrorKind::Usage, "--emr-out and --image-out must differ");
    // An output that cannot be written is refused now, not after the network ran.
    std::vector<std::filesystem::path> targets = {emrOut, imageOut};
    if (identityOut)
        targets.emplace_back(*identityOut);
    MEDVEIL_TRY(checkOutputTargets(targets, {in}));
    // The network loads on the other core while the key (its passphrase) and the file are read and the seal
    // checked and decrypted.
    HiNetPreload preload(args.value("--model").value_or(""));
    MEDVEIL_ASSIGN_OR_RETURN(const RsaKey key, loadPrivateKey(args));
    MEDVEIL_ASSIGN_OR_RETURN(const SenderCheck sender, loadSenderCheck(args));
    MEDVEIL_ASSIGN_OR_RETURN(const LoadedImage sealed, readImageFile(in));
    MEDVEIL_ASSIGN_OR_RETURN(
        const workflow::OpenedEmrFile result,
        workflow::openEmrLoaded(sealed, key, preload.source(), cliProgress(), sender.requirement));
    // Every output holds patient data: owner-only files that appear together or not at all.
    MEDVEIL_TRY(workflow::writeOpenedEmr(result, sealed, in, {emrOut, imageOut, identityOut}));
    const OpenedEmr& opened = result.opened;
    if (args.flag("--json"))
        printJson({{"emr_bytes", opened.emrBytes},
                   {"recovery", opened.recovery == EmrRecovery::Exact ? "exact" : "network"},
                   {"verified", opened.verified},
                   {"legacy_format", opened.legacyFormat},
                   {"identity", !opened.identity.empty()},
                   {"header_verified", opened.headerVerified},
                   {"signed_by", signerJson(result.signedBy)},
                   {"trusted_sender", trustedSenderJson(sender, result.signedBy)},
                   {"width", opened.revealed.width()},
                   {"height", opened.revealed.height()},
                   {"bit_depth", opened.revealed.bitDepth()},
                   {"ms", msSince(start)}});
    else
        std::cout << "opened " << displaySafe(in) << ": EMR (" << opened.emrBytes << " bytes) -> "
                  << displaySafe(emrOut) << ", image -> " << displaySafe(imageOut)
                  << (opened.verified       ? " (bit-exact, SHA-256 verified)"
                      : opened.legacyFormat ? " (network only: sealed by an earlier release without a "
                                              "residual; lossy, not for diagnosis)"
                                            : " (network only: lossy, not for diagnosis)")
                  << signerText(sender, result.signedBy) << "\n";
    return 0;
}

/// --size WIDTHxHEIGHT of emr-encode.
Result<std::pair<int, int>> parseSize(const std::string& size)
{
    int width = 0, height = 0;
    char tail = 0;
    if (std::sscanf(size.c_str(), "%dx%d%c", &width, &height, &tail) != 2 || width < 1 || height < 1 ||
        width > 16384 || height > 16384)
        return makeError(ErrorKind::Usage, "--size must be WIDTHxHEIGHT, e.g. 512x512");
    return std::pair{width, height};
}

Result<int> runEmrEncode(const ParsedArgs& args)
{
    MEDVEIL_ASSIGN_OR_RETURN(const auto size, parseSize(*args.value("--size")));
    MEDVEIL_ASSIGN_OR_RETURN(const int base, parseBase(args, 4));
    MEDVEIL_ASSIGN_OR_RETURN(
        const workflow::EncodedEmrFile encoded,
        workflow::encodeEmrFile(*args.value("--emr"), args.positional()[0], size.first, size.second, base));
    if (args.flag("--json"))
        printJson({{"emr_bytes", encoded.emrBytes},
                   {"capacity_bytes", encoded.capacityBytes},
                   {"base", encoded.base},
                   {"noise_tolerance", encoded.noiseTolerance}});
    return 0;
}

Result<int> runEmrDecode(const ParsedArgs& args)
{
    MEDVEIL_ASSIGN_OR_RETURN(const std::string text,
                             workflow::decodeEmrFile(args.positional()[0], *args.value("--emr-out")));
    if (args.flag("--json"))
        printJson({{"emr_bytes", text.size()}});
    return 0;
}

Result<int> runEncrypt(const ParsedArgs& args)
{
    const auto start = Clock::now();
    MEDVEIL_ASSIGN_OR_RETURN(const RsaKey recipient, loadPublicKey(*args.value("--public")));
    MEDVEIL_ASSIGN_OR_RETURN(
        const workflow::EncryptedImageFile encrypted,
        workflow::encryptImageFile(args.positional()[0], args.positional()[1], recipient));
    if (args.flag("--json")) {
        MEDVEIL_ASSIGN_OR_RETURN(const double changed, npcr(encrypted.plain, encrypted.cipher));
        printJson({{"entropy", entropy(encrypted.cipher)},
                   {"npcr_vs_plain", changed},
                   {"corr_h", adjacentCorrelation(encrypted.cipher, Direction::Horizontal)},
                   {"ms", msSince(start)}});
    }
    return 0;
}

Result<int> runDecrypt(const ParsedArgs& args)
{
    const auto start = Clock::now();
    MEDVEIL_ASSIGN_OR_RETURN(const RsaKey key, loadPrivateKey(args));
    MEDVEIL_TRY(workflow::decryptImageFile(args.positional()[0], args.positional()[1], key));
    if (args.flag("--json"))
        printJson({{"identical", true}, {"ms", msSince(start)}});
    return 0;
}

/// A whole decimal number in [low, high] for `option`, or Usage.
Result<uint64_t> parseWhole(const std::string& text, const std::string& option, uint64_t low, uint64_t high)
{
    uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value < low || value > high)
        return makeError(ErrorKind::Usage, option + " must be a whole number from " + std::to_string(low) +
                                               " to " + std::to_string(high));
    return value;
}

nlohmann::json diffusionRowJson(const DiffusionRow& row, double alpha)
{
    auto share = [&](int count) { return 100.0 * count / row.pairs; };
    return {{"maps", row.maps},
            {"figure", row.maps == "same" ? "diffusion" : "paper"},
            {"pairs", row.pairs},
            {"npcr", {{"median", row.npcrMedian}, {"min", row.npcrMin}, {"max", row.npcrMax}}},
            {"uaci", {{"median", row.uaciMedian}, {"min", row.uaciMin}, {"max", row.uaciMax}}},
            {"npcr_passing", row.npcrPassing},
            {"uaci_passing", row.uaciPassing},
            {"both_passing", row.bothPassing},
            {"npcr_pass_share", share(row.npcrPassing)},
            {"uaci_pass_share", share(row.uaciPassing)},
            {"both_pass_share", share(row.bothPassing)},
            {"ideal_pass_share", 100.0 * (1 - alpha)},
            {"minimum_passing", row.minimumPassing},
            {"pass", row.pass}};
}

Result<int> runCipherAnalysis(const ParsedArgs& args)
{
    CipherStudyOptions options;
    if (const auto pairs = args.value("--pairs")) {
        MEDVEIL_ASSIGN_OR_RETURN(const uint64_t count, parseWhole(*pairs, "--pairs", 1, 100000));
        options.pairs = static_cast<int>(count);
    }
    if (const auto seed = args.value("--seed")) {
        MEDVEIL_ASSIGN_OR_RETURN(options.seed, parseWhole(*seed, "--seed", 0, UINT64_MAX));
    } else { // a fresh seed, printed so that the run can be repeated
        MEDVEIL_ASSIGN_OR_RETURN(options.seed, workflow::freshAnalysisSeed());
    }
    if (const auto version = args.value("--cipher-version")) {
        MEDVEIL_ASSIGN_OR_RETURN(const uint64_t v, parseWhole(*version, "--cipher-version", 1, 2));
        MEDVEIL_ASSIGN_OR_RETURN(options.version, LscChaoticCipher::versionFromByte(uint8_t(v)));
    }
    std::vector<std::filesystem::path> inputs(args.positional().begin(), args.positional().end());
    MEDVEIL_ASSIGN_OR_RETURN(const CipherReport report, workflow::analyseCipherOfFiles(inputs, options));
    const CipherAnalysis* a = &report.first;
    if (args.flag("--json")) {
        nlohmann::json images = nlohmann::json::array();
        for (size_t i = 0; i < inputs.size(); ++i)
            images.push_back({{"path", inputs[i].string()},
                              {"npcr_critical", report.critical[i].npcr},
                              {"uaci_critical", {report.critical[i].uaciLow, report.critical[i].uaciHigh}}});
        nlohmann::json pairs = nlohmann::json::array();
        for (const CipherPair& pair : report.pairs)
            pairs.push_back({{"image", pair.image},
                             {"x", pair.x},
                             {"y", pair.y},
                             {"bit", pair.bit},
                             {"paper_npcr", pair.paperNpcr},
                             {"paper_uaci", pair.paperUaci},
                             {"same_npcr", pair.sameNpcr},
                             {"same_uaci", pair.sameUaci}});
        printJson({{"npcr", a->npcr},
                   {"uaci", a->uaci},
                   {"npcr_critical", a->critical.npcr},
                   {"uaci_critical", {a->critical.uaciLow, a->critical.uaciHigh}},
                   {"npcr_pass", a->npcrPass},
                   {"uaci_pass", a->uaciPass},
                   {"key_bit_npcr", a->keyNpcr},
                   {"wrong_key_npcr", a->wrongKeyNpcr},
                   {"wrong_key_psnr", metricJson(a->wrongKeyPsnr)},
                   {"bits", a->bits},
                   {"entropy_plain", a->entropyPlain},
                   {"entropy_cipher", a->entropyCipher},
                   {"entropy_max", a->bits},
                   {"entropy_ideal", a->entropyIdeal},
                   {"chi_square_cipher", a->chiSquareCipher},
                   {"chi_square_critical", a->chiSquareCritical},
                   {"chi_square_pass", a->chiSquarePass},
                   {"corr_plain", {a->corrPlain[0], a->corrPlain[1], a->corrPlain[2]}},
                   {"corr_cipher", {a->corrCipher[0], a->corrCipher[1], a->corrCipher[2]}},
                   {"encrypt_ms", a->encryptMs},
                   {"seed", report.options.seed},
                   {"alpha", report.options.alpha},
                   {"cipher_version", int(report.options.version)},
                   {"images", images},
                   {"diffusion",
                    {diffusionRowJson(report.paper, report.options.alpha),
                     diffusionRowJson(report.sameMaps, report.options.alpha)}},
                   {"pairs", pairs}});
        return 0;
    }
    std::cout << "cipher version " << int(report.options.version) << ", seed " << report.options.seed
              << " (--seed repeats this run)\n"
              << "first image, one key: NPCR " << a->npcr << " % (critical " << a->critical.npcr << ", "
              << (a->npcrPass ? "pass" : "FAIL") << "), UACI " << a->uaci << " % (critical "
              << a->critical.uaciLow << "-" << a->critical.uaciHigh << ", " << (a->uaciPass ? "pass" : "FAIL")
              << ")\nentropy " << a->entropyPlain << " -> " << a->entropyCipher << " bits of at most "
              << a->bits << " (" << a->bits << "-bit image; an ideal cipher's histogram of this size shows "
              << a->entropyIdeal << "), chi-square " << a->chiSquareCipher << " (critical "
              << a->chiSquareCritical << ", " << (a->chiSquarePass ? "pass" : "FAIL")
              << ")\ncorrelation h/v/d plain " << a->corrPlain[0] << " / " << a->corrPlain[1] << " / "
              << a->corrPlain[2] << ", cipher " << a->corrCipher[0] << " / " << a->corrCipher[1] << " / "
              << a->corrCipher[2] << "\nkey sensitivity: one key bit changes " << a->keyNpcr
              << " % of the cipher; a wrong key decrypts to PSNR " << a->wrongKeyPsnr << " dB\n"
              << report.paper.pairs
              << " one-pixel pairs (one bit of one pixel flipped), Wu et al. critical values at"
              << " alpha " << report.options.alpha << "; an ideal cipher passes each test "
              << 100 * (1 - report.options.alpha) << " % of the time:\n";
    for (const DiffusionRow* row : {&report.paper, &report.sameMaps}) {
        std::cout << (row->maps == "same" ? "  same maps (diffusion):        "
                                          : "  own maps (paper's figure):     ")
                  << "NPCR median " << row->npcrMedian << " % (" << row->npcrMin << "-" << row->npcrMax
                  << "), UACI median " << row->uaciMedian << " % (" << row->uaciMin << "-" << row->uaciMax
                  << "); passing NPCR " << row->npcrPassing << ", UACI " << row->uaciPassing << ", both "
                  << row->bothPassing << " of " << row->pairs << " (at least " << row->minimumPassing
                  << " each: " << (row->pass ? "pass" : "FAIL") << ")\n";
    }
    return 0;
}

} // namespace

std::vector<Command> emrCommands()
{
    return {
        Command{
            .name = "emr-seal",
            .usage = "emr-seal --image IMG --emr EMR.txt OUT --public PUB.pem [--recovery exact|network]"
                     " [--base 2|4|16] [--model HINET.pt] [--sign SENDER_PRIV.pem [--sign-passphrase-file F "
                     "| --sign-passphrase-fd N]]"
                     " [--json]",
            .summary =
                "EMR hidden encryption (Guo et al. 2025): hide IMG in the EMR's encoded image, then encrypt.",
            .details =
                R"txt(EMR.txt (UTF-8) becomes an encoded image of IMG's size (base-2 digits when the record fits, base 4
otherwise; --base forces one); HiNet hides IMG in it;
the 8-bit stego is encrypted with the logistic-sine-cosine bit-level cipher and sealed to PUB.pem
(RSA-OAEP key, HMAC-SHA-256). Exit 2 for invalid UTF-8, 4 when the EMR is too long for IMG.
--recovery exact (default): the residual between IMG and the network's reveal is coded losslessly
and carried AES-256-GCM-encrypted, so emr-open returns IMG bit-exactly (SHA-256 verified);
network: the network's reveal only (the paper; lossy, not for diagnosis).
DICOM IMG: readable identity lines (PS3.15 Annex E attributes) and a 256-bit key travel in their
own encrypted part (not in the EMR); the whole original dataset is AES-256-GCM-encrypted into the
file. With OUT ending in .dcm the result is a de-identified Secondary Capture object (8-bit
sealed pixels, new UIDs, empty identity attributes, Patient Identity Removed YES, coded
de-identification method) whose header is bound into the seal. 16-bit images enter the network by
their own range (minimum..maximum -> 0..1).
--sign SENDER_PRIV.pem signs the sealed file (RSA-PSS-SHA-256) for emr-open --verify.)txt",
            .spec = {.valueOptions = {"--image", "--emr", "--public", "--model", "--recovery", "--base",
                                      "--sign", "--sign-passphrase-file", "--sign-passphrase-fd"},
                     .flags = {"--json"},
                     .requiredOptions = {"--image", "--emr", "--public"},
                     .minPositional = 1,
                     .maxPositional = 1,
                     .outputPositionals = {0}},
            .run = runEmrSeal},
        Command{
            .name = "emr-open",
            .usage = "emr-open IN --private PRIV.pem [--passphrase-file F | --passphrase-fd N] --emr-out "
                     "EMR.txt --image-out IMG.png [--identity-out ID.txt] [--model HINET.pt] [--verify "
                     "SENDER_PUB.pem | --verify-trusted] [--json]",
            .summary = "Decrypt a sealed EMR image: the EMR byte-exactly and the revealed medical image.",
            .details =
                R"txt(Exit 3 for a wrong key or any modified pixel or metadata. Outputs are owner-only files.
A sealed DICOM with --image-out ending in .dcm gets its original header back exactly (from the
sealed identity part and the file's encrypted elements); its pixels are the recovered image.
--emr-out holds exactly the record that was sealed; --identity-out writes the identity moved out
of a DICOM header as readable lines (mode 0600), without any key. An edited sealed DICOM header
is exit 3. --verify SENDER_PUB.pem: exit 3 unless the file is signed by that key.
--verify-trusted: exit 3 unless the file is signed by a sender of the trusted-sender list
($XDG_CONFIG_HOME/MedVeil/trusted-senders, kept by the GUI's Key Manager), whose name is printed.)txt",
            .spec = {.valueOptions = {"--private", "--passphrase-file", "--passphrase-fd", "--emr-out",
                                      "--image-out", "--identity-out", "--model", "--verify"},
                     .flags = {"--json", "--verify-trusted"},
                     .requiredOptions = {"--private", "--emr-out", "--image-out"},
                     .minPositional = 1,
                     .maxPositional = 1,
                     .outputOptions = {"--emr-out", "--image-out", "--identity-out"}},
            .run = runEmrOpen},
        Command{.name = "emr-encode",
                .usage = "emr-encode --emr EMR.txt --size WxH [--base 2|4|16] OUT.png [--json]",
                .summary = "Teaching stage: EMR text -> encoded image (positional-numeral decomposition).",
                .details =
                    "Grey levels (2d+1)*128/k; a per-pixel error up to 128/k - 1 still decodes exactly.",
                .spec = {.valueOptions = {"--emr", "--size", "--base"},
                         .flags = {"--json"},
                         .requiredOptions = {"--emr", "--size"},
                         .minPositional = 1,
                         .maxPositional = 1,
                         .outputPositionals = {0}},
                .run = runEmrEncode},
        Command{.name = "emr-decode",
                .usage = "emr-decode IN.png --emr-out EMR.txt [--json]",
                .summary = "Teaching stage: encoded image -> EMR text (CRC-32 checked).",
                .spec = {.valueOptions = {"--emr-out"},
                         .flags = {"--json"},
                         .requiredOptions = {"--emr-out"},
                         .minPositional = 1,
                         .maxPositional = 1,
                         .outputOptions = {"--emr-out"}},
                .run = runEmrDecode},
        Command{.name = "encrypt",
                .usage = "encrypt IN OUT --public PUB.pem [--json]",
                .summary = "Teaching stage: logistic-sine-cosine bit-level encryption of a grey image, "
                           "sealed to PUB.pem.",
                .spec = {.valueOptions = {"--public"},
                         .flags = {"--json"},
                         .requiredOptions = {"--public"},
                         .minPositional = 2,
                         .maxPositional = 2,
                         .outputPositionals = {1}},
                .run = runEncrypt},
        Command{
            .name = "decrypt",
            .usage = "decrypt IN OUT --private PRIV.pem [--passphrase-file F | --passphrase-fd N] [--json]",
            .summary = "Teaching stage: verify and decrypt an image made by 'encrypt' (exit 3 if modified).",
            .spec = {.valueOptions = {"--private", "--passphrase-file", "--passphrase-fd"},
                     .flags = {"--json"},
                     .requiredOptions = {"--private"},
                     .minPositional = 2,
                     .maxPositional = 2,
                     .outputPositionals = {1}},
            .run = runDecrypt},
        Command{
            .name = "cipher-analysis",
            .usage = "cipher-analysis IMG [IMG ...] [--pairs N] [--seed S] [--cipher-version 1|2] [--json]",
            .summary =
                "Security analysis of the LSC cipher on IMG: NPCR/UACI with Wu et al. 2011 critical values, "
                "entropy, chi-square, correlations, key sensitivity.",
            .details =
                R"txt(The first IMG's statistics under one key, then N one-pixel pairs (default 100) over all IMGs:
each pair flips one bit of one pixel (image, position, bit and key drawn from the seed) and
reports two rows: the paper's figure (each image under the maps its own SHA-256 seeds) and the
diffusion figure (both images under the same maps). Each NPCR/UACI is tested against Wu et al.'s
alpha = 0.05 critical values for that image's size and bit depth; an ideal cipher passes 95 % of
pairs, and a row passes unless a pass count is below what an ideal cipher reaches with 99 %
probability. --seed S (0 to 2^64-1) repeats a run exactly; without it a fresh seed is drawn and
printed. --cipher-version 1 analyses the cipher of earlier releases (default: the current one).
Entropy is in bits per pixel: at most 8 for 8-bit images, 16 for 16-bit images.)txt",
            .spec = {.valueOptions = {"--pairs", "--seed", "--cipher-version"},
                     .flags = {"--json"},
                     .minPositional = 1,
                     .maxPositional = 64},
            .run = runCipherAnalysis}};
}

} // namespace medveil::cli
