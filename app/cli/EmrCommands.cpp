// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/CliSupport.h"
#include "crypto/ContainerSignature.h"
#include "crypto/Digest.h"
#include "emr/CipherAnalysis.h"
#include "emr/EmrImageCodec.h"
#include "emr/EmrSealer.h"
#include "emr/HiNet.h"
#include "emr/LscChaoticCipher.h"
#include "emr/SealedCipherImage.h"
#include "io/AtomicFile.h"
#include "io/ImageIo.h"
#include "metrics/ImageMetrics.h"
#include "workflow/FileWorkflows.h"

#include <chrono>
#include <iostream>
#include <optional>

namespace medveil::cli {

namespace {

constexpr const char* kCipherFormat = "lsc-cipher 1";

Result<std::string> readText(const std::string& path)
{
    auto bytes = readFileBytes(path);
    if (!bytes)
        return bytes.error();
    return std::string(bytes->begin(), bytes->end());
}

Result<std::shared_ptr<HiNetModel>> loadNetwork(const ParsedArgs& args)
{
    const std::string weights = args.value("--model").value_or("");
    return HiNetModel::load(weights);
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

int runEmrSeal(const ParsedArgs& args)
{
    const auto start = Clock::now();
    const std::string imagePath = *args.value("--image"), emrPath = *args.value("--emr");
    const std::string out = args.positional()[0];
    auto text = readText(emrPath);
    if (!text)
        return reportError(text.error());
    auto loaded = readImageFile(imagePath);
    if (!loaded)
        return reportError(loaded.error());
    auto key = loadPublicKey(*args.value("--public"));
    if (!key)
        return reportError(key.error());
    workflow::SealOptions options;
    auto base = parseBase(args, EmrSealer::kAutoBase);
    if (!base)
        return reportError(base.error());
    options.base = *base;
    if (auto mode = args.value("--recovery")) {
        if (*mode != "exact" && *mode != "network")
            return reportError(makeError(ErrorKind::Usage, "--recovery must be exact or network"));
        options.recovery = *mode == "exact" ? EmrRecovery::Exact : EmrRecovery::Network;
    }
    auto signer = loadSigningKey(args);
    if (!signer)
        return reportError(signer.error());
    options.signer = *signer;
    auto network = loadNetwork(args);
    if (!network)
        return reportError(network.error());
    auto result = workflow::sealEmrLoaded(*loaded, *text, *key, **network, out, {imagePath, emrPath}, options,
                                          cliProgress());
    if (!result)
        return reportError(result.error());
    const SealedEmr* sealed = &result->sealed;
    const EmrRecovery recovery = options.recovery;
    const std::optional<Bytes>& signedBy = result->signedBy;
    if (args.flag("--json"))
        printJson({{"emr_bytes", sealed->emrBytes},
                   {"dicom_identity_attributes", result->identityAttributes},
                   {"dicom_private_attributes", result->privateAttributes},
                   {"stego_psnr", metricJson(sealed->stegoPsnr)},
                   {"stego_ssim", metricJson(sealed->stegoSsim)},
                   {"base", sealed->base},
                   {"pulled_pixels", sealed->pulledPixels},
                   {"recovery", recovery == EmrRecovery::Exact ? "exact" : "network"},
                   {"residual_bytes", sealed->residualBytes},
                   {"reveal_psnr", metricJson(sealed->revealPsnr)},
                   {"signed_by", signerJson(signedBy)},
                   {"network", (*network)->describe()},
                   {"ms", msSince(start)}});
    else
        std::cout << "sealed " << out << ": " << sealed->emrBytes << " EMR bytes, stego PSNR "
                  << sealed->stegoPsnr << " dB, "
                  << (recovery == EmrRecovery::Exact
                          ? "exact recovery (residual " + std::to_string(sealed->residualBytes) + " bytes)"
                          : "network-only recovery (lossy: revealed PSNR " +
                                std::to_string(sealed->revealPsnr) + " dB)")
                  << "\n";
    return 0;
}

int runEmrOpen(const ParsedArgs& args)
{
    const auto start = Clock::now();
    const std::string in = args.positional()[0];
    const std::string emrOut = *args.value("--emr-out"), imageOut = *args.value("--image-out");
    const std::optional<std::string> identityOut = args.value("--identity-out");
    if (emrOut == imageOut)
        return reportError(makeError(ErrorKind::Usage, "--emr-out and --image-out must differ"));
    auto key = loadPrivateKey(*args.value("--private"), args.value("--passphrase-file"));
    if (!key)
        return reportError(key.error());
    auto trusted = loadTrustedSender(args);
    if (!trusted)
        return reportError(trusted.error());
    auto sealed = readImageFile(in);
    if (!sealed)
        return reportError(sealed.error());
    auto network = loadNetwork(args);
    if (!network)
        return reportError(network.error());
    auto result = workflow::openEmrLoaded(*sealed, *key, **network, cliProgress(), *trusted);
    if (!result)
        return reportError(result.error());
    // Every output holds patient data: owner-only files that appear together or not at all.
    if (auto status = workflow::writeOpenedEmr(*result, *sealed, in, {emrOut, imageOut, identityOut});
        !status)
        return reportError(status.error());
    const OpenedEmr* opened = &result->opened;
    const std::optional<Bytes>* signedBy = &result->signedBy;
    if (args.flag("--json"))
        printJson({{"emr_bytes", opened->emrBytes},
                   {"recovery", opened->recovery == EmrRecovery::Exact ? "exact" : "network"},
                   {"verified", opened->verified},
                   {"legacy_format", opened->legacyFormat},
                   {"identity", !opened->identity.empty()},
                   {"header_verified", opened->headerVerified},
                   {"signed_by", signerJson(*signedBy)},
                   {"width", opened->revealed.width()},
                   {"height", opened->revealed.height()},
                   {"bit_depth", opened->revealed.bitDepth()},
                   {"ms", msSince(start)}});
    else
        std::cout << "opened " << in << ": EMR (" << opened->emrBytes << " bytes) -> " << emrOut
                  << ", image -> " << imageOut
                  << (opened->verified       ? " (bit-exact, SHA-256 verified)"
                      : opened->legacyFormat ? " (network only: sealed by an earlier release without a "
                                               "residual; lossy, not for diagnosis)"
                                             : " (network only: lossy, not for diagnosis)")
                  << "\n";
    return 0;
}

int runEmrEncode(const ParsedArgs& args)
{
    const std::string out = args.positional()[0];
    int width = 0, height = 0;
    char tail = 0;
    const std::string size = *args.value("--size");
    if (std::sscanf(size.c_str(), "%dx%d%c", &width, &height, &tail) != 2 || width < 1 || height < 1 ||
        width > 16384 || height > 16384)
        return reportError(makeError(ErrorKind::Usage, "--size must be WIDTHxHEIGHT, e.g. 512x512"));
    auto parsedBase = parseBase(args, 4);
    if (!parsedBase)
        return reportError(parsedBase.error());
    const int base = *parsedBase;
    auto text = readText(*args.value("--emr"));
    if (!text)
        return reportError(text.error());
    auto paddingKey = randomBytes(32);
    const EmrImageCodec codec(base);
    auto image = codec.encode(*text, width, height, *paddingKey);
    if (!image)
        return reportError(image.error());
    if (auto status = writePng(out, *image, {}, {*args.value("--emr")}); !status)
        return reportError(status.error());
    if (args.flag("--json"))
        printJson({{"emr_bytes", text->size()},
                   {"capacity_bytes", codec.capacityBytes(width, height)},
                   {"base", base},
                   {"noise_tolerance", codec.noiseTolerance()}});
    return 0;
}

int runEmrDecode(const ParsedArgs& args)
{
    const std::string in = args.positional()[0], out = *args.value("--emr-out");
    auto image = readImage(in);
    if (!image)
        return reportError(image.error());
    auto text = EmrImageCodec::decode(*image);
    if (!text)
        return reportError(text.error());
    if (auto status = writeFileAtomically(out, toBytes(*text), {in}, FileMode::Private); !status)
        return reportError(status.error());
    if (args.flag("--json"))
        printJson({{"emr_bytes", text->size()}});
    return 0;
}

int runEncrypt(const ParsedArgs& args)
{
    const auto start = Clock::now();
    const std::string in = args.positional()[0], out = args.positional()[1];
    auto image = readImage(in);
    if (!image)
        return reportError(image.error());
    auto recipient = loadPublicKey(*args.value("--public"));
    if (!recipient)
        return reportError(recipient.error());
    auto key = randomBytes(32);
    const Bytes hash = sha256(image->pixelBytes());
    auto cipher = LscChaoticCipher::encrypt(*image, *key, hash);
    if (!cipher)
        return reportError(cipher.error());
    auto meta = SealedCipherImage::seal(*cipher, {*key, hash, {}}, *recipient, kCipherFormat);
    if (!meta)
        return reportError(meta.error());
    if (auto status = writePng(out, *cipher, *meta, {in}); !status)
        return reportError(status.error());
    if (args.flag("--json"))
        printJson({{"entropy", entropy(*cipher)},
                   {"npcr_vs_plain", *npcr(*image, *cipher)},
                   {"corr_h", adjacentCorrelation(*cipher, Direction::Horizontal)},
                   {"ms", msSince(start)}});
    return 0;
}

int runDecrypt(const ParsedArgs& args)
{
    const auto start = Clock::now();
    const std::string in = args.positional()[0], out = args.positional()[1];
    auto key = loadPrivateKey(*args.value("--private"), args.value("--passphrase-file"));
    if (!key)
        return reportError(key.error());
    auto sealed = readImageFile(in);
    if (!sealed)
        return reportError(sealed.error());
    auto secrets = SealedCipherImage::open(sealed->image, sealed->metadata, *key, kCipherFormat);
    if (!secrets)
        return reportError(secrets.error());
    auto plain = LscChaoticCipher::decrypt(sealed->image, secrets->key, secrets->plainHash);
    if (!plain)
        return reportError(plain.error());
    const bool identical = constantTimeEqual(sha256(plain->pixelBytes()), secrets->plainHash);
    if (!identical)
        return reportError(makeError(ErrorKind::Auth, "the decrypted image does not match its sealed hash"));
    if (auto status = writePng(out, *plain, {}, {in}); !status)
        return reportError(status.error());
    if (args.flag("--json"))
        printJson({{"identical", identical}, {"ms", msSince(start)}});
    return 0;
}

int runCipherAnalysis(const ParsedArgs& args)
{
    auto image = readImage(args.positional()[0]);
    if (!image)
        return reportError(image.error());
    auto key = randomBytes(32);
    auto a = analyseCipher(*image, *key);
    if (!a)
        return reportError(a.error());
    const nlohmann::json json = {{"npcr", a->npcr},
                                 {"uaci", a->uaci},
                                 {"npcr_critical", a->critical.npcr},
                                 {"uaci_critical", {a->critical.uaciLow, a->critical.uaciHigh}},
                                 {"npcr_pass", a->npcrPass},
                                 {"uaci_pass", a->uaciPass},
                                 {"key_bit_npcr", a->keyNpcr},
                                 {"wrong_key_npcr", a->wrongKeyNpcr},
                                 {"wrong_key_psnr", metricJson(a->wrongKeyPsnr)},
                                 {"entropy_plain", a->entropyPlain},
                                 {"entropy_cipher", a->entropyCipher},
                                 {"chi_square_cipher", a->chiSquareCipher},
                                 {"chi_square_critical", a->chiSquareCritical},
                                 {"chi_square_pass", a->chiSquarePass},
                                 {"corr_plain", {a->corrPlain[0], a->corrPlain[1], a->corrPlain[2]}},
                                 {"corr_cipher", {a->corrCipher[0], a->corrCipher[1], a->corrCipher[2]}},
                                 {"encrypt_ms", a->encryptMs}};
    if (args.flag("--json")) {
        printJson(json);
        return 0;
    }
    std::cout << "NPCR " << a->npcr << " % (critical " << a->critical.npcr << ", "
              << (a->npcrPass ? "pass" : "FAIL") << "), UACI " << a->uaci << " % (critical "
              << a->critical.uaciLow << "-" << a->critical.uaciHigh << ", " << (a->uaciPass ? "pass" : "FAIL")
              << ")\nentropy " << a->entropyPlain << " -> " << a->entropyCipher << " bits, chi-square "
              << a->chiSquareCipher << " (critical " << a->chiSquareCritical << ", "
              << (a->chiSquarePass ? "pass" : "FAIL") << ")\ncorrelation h/v/d plain " << a->corrPlain[0]
              << " / " << a->corrPlain[1] << " / " << a->corrPlain[2] << ", cipher " << a->corrCipher[0]
              << " / " << a->corrCipher[1] << " / " << a->corrCipher[2]
              << "\nkey sensitivity: one key bit changes " << a->keyNpcr
              << " % of the cipher; a wrong key decrypts to PSNR " << a->wrongKeyPsnr << " dB\n";
    return 0;
}

Command make(std::string name, std::string usage, std::string summary, std::string details, CommandSpec spec,
             std::function<int(const ParsedArgs&)> run)
{
    return Command{std::move(name),    std::move(usage), std::move(summary),
                   std::move(details), std::move(spec),  std::move(run)};
}

} // namespace

std::vector<Command> emrCommands()
{
    std::vector<Command> out;
    CommandSpec seal;
    seal.valueOptions = {"--image",    "--emr",  "--public", "--model",
                         "--recovery", "--base", "--sign",   "--sign-passphrase-file"};
    seal.requiredOptions = {"--image", "--emr", "--public"};
    seal.flags = {"--json"};
    seal.minPositional = seal.maxPositional = 1;
    seal.outputPositionals = {0};
    out.push_back(make(
        "emr-seal",
        "emr-seal --image IMG --emr EMR.txt OUT --public PUB.pem [--recovery exact|network] [--base 2|4|16] "
        "[--model HINET.pt] [--sign SENDER_PRIV.pem [--sign-passphrase-file F]] [--json]",
        "EMR hidden encryption (Guo et al. 2025): hide IMG in the EMR's encoded image, then encrypt.",
        "EMR.txt (UTF-8) becomes an encoded image of IMG's size (base-2 digits when the record fits, base 4\n"
        "otherwise; --base forces one); HiNet hides IMG in it;\n"
        "the 8-bit stego is encrypted with the logistic-sine-cosine bit-level cipher and sealed to PUB.pem\n"
        "(RSA-OAEP key, HMAC-SHA-256). Exit 2 for invalid UTF-8, 4 when the EMR is too long for IMG.\n"
        "--recovery exact (default): the residual between IMG and the network's reveal is coded losslessly\n"
        "and carried AES-256-GCM-encrypted, so emr-open returns IMG bit-exactly (SHA-256 verified);\n"
        "network: the network's reveal only (the paper; lossy, not for diagnosis).\n"
        "DICOM IMG: readable identity lines (PS3.15 Annex E attributes) and a 256-bit key travel in their\n"
        "own encrypted part (not in the EMR); the whole original dataset is AES-256-GCM-encrypted into the\n"
        "file. With OUT ending in .dcm the result is a de-identified Secondary Capture object (8-bit\n"
        "sealed pixels, new UIDs, empty identity attributes, Patient Identity Removed YES, coded\n"
        "de-identification method) whose header is bound into the seal. 16-bit images enter the network by\n"
        "their own range (minimum..maximum -> 0..1).\n"
        "--sign SENDER_PRIV.pem signs the sealed file (RSA-PSS-SHA-256) for emr-open --verify.",
        seal, runEmrSeal));
    CommandSpec open;
    open.valueOptions = {"--private",      "--passphrase-file", "--emr-out", "--image-out",
                         "--identity-out", "--model",           "--verify"};
    open.requiredOptions = {"--private", "--emr-out", "--image-out"};
    open.flags = {"--json"};
    open.minPositional = open.maxPositional = 1;
    open.outputOptions = {"--emr-out", "--image-out", "--identity-out"};
    out.push_back(make(
        "emr-open",
        "emr-open IN --private PRIV.pem [--passphrase-file F] --emr-out EMR.txt --image-out IMG.png "
        "[--identity-out ID.txt] [--model HINET.pt] [--verify SENDER_PUB.pem] [--json]",
        "Decrypt a sealed EMR image: the EMR byte-exactly and the revealed medical image.",
        "Exit 3 for a wrong key or any modified pixel or metadata. Outputs are owner-only files.\n"
        "A sealed DICOM with --image-out ending in .dcm gets its original header back exactly (from the\n"
        "sealed identity part and the file's encrypted elements); its pixels are the recovered image.\n"
        "--emr-out holds exactly the record that was sealed; --identity-out writes the identity moved out\n"
        "of a DICOM header as readable lines (mode 0600), without any key. An edited sealed DICOM header\n"
        "is exit 3. --verify SENDER_PUB.pem: exit 3 unless the file is signed by that key.",
        open, runEmrOpen));
    CommandSpec encode;
    encode.valueOptions = {"--emr", "--size", "--base"};
    encode.requiredOptions = {"--emr", "--size"};
    encode.flags = {"--json"};
    encode.minPositional = encode.maxPositional = 1;
    encode.outputPositionals = {0};
    out.push_back(make("emr-encode", "emr-encode --emr EMR.txt --size WxH [--base 2|4|16] OUT.png [--json]",
                       "Teaching stage: EMR text -> encoded image (positional-numeral decomposition).",
                       "Grey levels (2d+1)*128/k; a per-pixel error up to 128/k - 1 still decodes exactly.",
                       encode, runEmrEncode));
    CommandSpec decode;
    decode.valueOptions = {"--emr-out"};
    decode.requiredOptions = {"--emr-out"};
    decode.flags = {"--json"};
    decode.minPositional = decode.maxPositional = 1;
    decode.outputOptions = {"--emr-out"};
    out.push_back(make("emr-decode", "emr-decode IN.png --emr-out EMR.txt [--json]",
                       "Teaching stage: encoded image -> EMR text (CRC-32 checked).", "", decode,
                       runEmrDecode));
    CommandSpec encrypt;
    encrypt.valueOptions = {"--public"};
    encrypt.requiredOptions = {"--public"};
    encrypt.flags = {"--json"};
    encrypt.minPositional = encrypt.maxPositional = 2;
    encrypt.outputPositionals = {1};
    out.push_back(
        make("encrypt", "encrypt IN OUT --public PUB.pem [--json]",
             "Teaching stage: logistic-sine-cosine bit-level encryption of a grey image, sealed to PUB.pem.",
             "", encrypt, runEncrypt));
    CommandSpec decrypt;
    decrypt.valueOptions = {"--private", "--passphrase-file"};
    decrypt.requiredOptions = {"--private"};
    decrypt.flags = {"--json"};
    decrypt.minPositional = decrypt.maxPositional = 2;
    decrypt.outputPositionals = {1};
    out.push_back(make("decrypt", "decrypt IN OUT --private PRIV.pem [--passphrase-file F] [--json]",
                       "Teaching stage: verify and decrypt an image made by 'encrypt' (exit 3 if modified).",
                       "", decrypt, runDecrypt));
    CommandSpec analysis;
    analysis.flags = {"--json"};
    analysis.minPositional = analysis.maxPositional = 1;
    out.push_back(
        make("cipher-analysis", "cipher-analysis IMG [--json]",
             "Security analysis of the LSC cipher on IMG: NPCR/UACI with Wu et al. 2011 critical values, "
             "entropy, chi-square, correlations, key sensitivity.",
             "", analysis, runCipherAnalysis));
    return out;
}

} // namespace medveil::cli
