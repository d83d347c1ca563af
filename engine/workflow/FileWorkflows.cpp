// SPDX-License-Identifier: GPL-3.0-or-later
#include "workflow/FileWorkflows.h"

#include "crypto/ContainerSignature.h"
#include "io/AtomicFile.h"
#include "keyregion/ProtectionRecord.h"
#include "workflow/CipherFiles.h"

#include <algorithm>
#include <cctype>
#include <mutex>

namespace medveil::workflow {

FileKind classify(const LoadedImage& file)
{
    const auto format = file.metadata.find(PublicProtectionInfo::kFormatKey);
    if (format == file.metadata.end())
        return FileKind::Plain;
    if (format->second == EmrSealer::kFormat)
        return FileKind::SealedEmr;
    if (format->second == PublicProtectionInfo::kFormatValue)
        return FileKind::KeyRegionProtected;
    if (format->second == kCipherFormat || format->second == kCipherFormatV1)
        return FileKind::SealedCipher;
    return FileKind::OtherMedVeil;
}

bool hasDicomExtension(const std::filesystem::path& path)
{
    std::string extension = path.extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return extension == ".dcm";
}

Status writeOutputImage(const std::filesystem::path& out, const Image& image,
                        const std::map<std::string, std::string>& metadata,
                        const std::filesystem::path& input, const LoadedImage& source,
                        DicomFile::Instance instance)
{
    if (!hasDicomExtension(out))
        return writePng(out, image, metadata, {input});
    if (!source.dicom)
        return makeError(ErrorKind::Usage, "a .dcm output needs a DICOM input (its header is carried over); "
                                           "write a .png instead");
    auto bytes = source.dicom->encode(image, metadata, instance);
    if (!bytes)
        return bytes.error();
    return writeFileAtomically(out, *bytes, {input}, FileMode::Private); // patient pixels: owner-only
}

namespace {

/// The options protectLoaded() protects with for `out`: a .dcm output of a DICOM source binds its header.
Result<ProtectOptions> boundOptions(const LoadedImage& source, const ProtectOptions& options,
                                    bool dicomOutput)
{
    ProtectOptions bound = options;
    if (source.dicom && dicomOutput) { // the header is authenticated with the pixels
        MEDVEIL_ASSIGN_OR_RETURN(bound.headerDigest, source.dicom->protectionDigest());
    }
    return bound;
}

/// Signs (when asked) and writes a protection made for `source`.
Status writeProtection(ProtectedImage& protection, const LoadedImage& source,
                       const std::filesystem::path& input, const std::filesystem::path& out,
                       const std::optional<RsaKey>& signer)
{
    if (signer)
        MEDVEIL_TRY(ContainerSignature::sign(protection.image, protection.metadata, *signer));
    return writeOutputImage(out, protection.image, protection.metadata, input, source,
                            DicomFile::Instance::Derived);
}

} // namespace

Result<ProtectReport> protectLoaded(const LoadedImage& source, const std::filesystem::path& input,
                                    const std::filesystem::path& out, const RsaKey& recipient,
                                    const ProtectOptions& options, const JobControl& control,
                                    const std::optional<RsaKey>& signer)
{
    MEDVEIL_ASSIGN_OR_RETURN(const ProtectOptions bound,
                             boundOptions(source, options, hasDicomExtension(out)));
    auto result = KeyRegionProtector::protect(source.image, recipient, bound, control);
    if (!result)
        return result.error();
    MEDVEIL_TRY(writeProtection(*result, source, input, out, signer));
    return result->report;
}

Result<ProtectReport> protectFile(const std::filesystem::path& input, const std::filesystem::path& out,
                                  const RsaKey& recipient, const ProtectOptions& options,
                                  const JobControl& control, const std::optional<RsaKey>& signer)
{
    auto loaded = readImageFile(input);
    if (!loaded)
        return loaded.error();
    return protectLoaded(*loaded, input, out, recipient, options, control, signer);
}

namespace {

/// One throw-away key pair of kAssumedPreviewKeyBits per process: only its size matters to a preview.
Result<RsaKey> assumedPreviewKey()
{
    static std::mutex mutex;
    static std::optional<RsaKey> key;
    const std::lock_guard lock(mutex);
    if (!key) {
        MEDVEIL_ASSIGN_OR_RETURN(key, RsaKey::generate(kAssumedPreviewKeyBits));
    }
    return *key;
}

} // namespace

Result<ProtectPreview> preview(const LoadedImage& source, const ProtectOptions& options,
                               const std::optional<RsaKey>& recipient, const JobControl& control,
                               bool dicomOutput)
{
    ProtectPreview out;
    std::optional<RsaKey> assumed;
    if (!recipient) {
        MEDVEIL_ASSIGN_OR_RETURN(assumed, assumedPreviewKey());
        out.keyAssumed = true;
        out.note =
            "no recipient key chosen: previewed for a " + std::to_string(kAssumedPreviewKeyBits) + "-bit key";
    } else {
        MEDVEIL_ASSIGN_OR_RETURN(out.recipientFingerprint, recipient->fingerprint());
    }
    const RsaKey& key = recipient ? *recipient : *assumed;
    out.keyBits = key.bits();
    out.original = source.image;
    out.options = options;
    out.headerBound = source.dicom && dicomOutput;
    // What protectLoaded() runs for that output, header digest included.
    MEDVEIL_ASSIGN_OR_RETURN(const ProtectOptions bound, boundOptions(source, options, dicomOutput));
    MEDVEIL_ASSIGN_OR_RETURN(out.protection, KeyRegionProtector::protect(source.image, key, bound, control));
    return out;
}

Result<SavedProtection> savePreview(const ProtectPreview* previewed, const LoadedImage& source,
                                    const std::filesystem::path& input, const std::filesystem::path& out,
                                    const RsaKey& recipient, const ProtectOptions& options,
                                    const JobControl& control, const std::optional<RsaKey>& signer)
{
    MEDVEIL_ASSIGN_OR_RETURN(const Bytes fingerprint, recipient.fingerprint());
    const bool headerBound = source.dicom && hasDicomExtension(out);
    // The previewed protection is the file only if nothing it was computed from has changed since.
    const bool sameInputs = previewed && !previewed->keyAssumed &&
                            previewed->recipientFingerprint == fingerprint &&
                            previewed->headerBound == headerBound && previewed->options == options &&
                            previewed->original.identicalTo(source.image);
    SavedProtection saved;
    saved.keyBits = recipient.bits();
    if (sameInputs) {
        if (control.cancelled())
            return makeError(ErrorKind::Cancelled, "cancelled");
        ProtectedImage protection = previewed->protection;
        MEDVEIL_TRY(writeProtection(protection, source, input, out, signer));
        saved.report = protection.report;
        saved.previewWritten = true;
        return saved;
    }
    MEDVEIL_ASSIGN_OR_RETURN(saved.report,
                             protectLoaded(source, input, out, recipient, options, control, signer));
    return saved;
}

Result<std::vector<Rect>> previewRegions(const Image& image, const InfoPairs& info, int keyBits)
{
    return KeyRegionProtector::candidateRegions(image, info, keyBits);
}

Result<RecoveredFile> recoverLoaded(const LoadedImage& source, const RsaKey& privateKey,
                                    const JobControl& control, const SignerRequirement& signer)
{
    auto signedBy = signer.check(source.image, source.metadata);
    if (!signedBy)
        return signedBy.error();
    Bytes headerDigest;
    Bytes legacyHeaderDigest;
    if (source.dicom) {
        MEDVEIL_ASSIGN_OR_RETURN(headerDigest, source.dicom->protectionDigest());
        MEDVEIL_ASSIGN_OR_RETURN(legacyHeaderDigest, source.dicom->legacyProtectionDigest());
    }
    auto result = KeyRegionProtector::recover(source.image, source.metadata, privateKey, control,
                                              headerDigest, legacyHeaderDigest);
    if (!result)
        return result.error();
    return RecoveredFile{std::move(*result), std::move(*signedBy)};
}

InspectedFile inspectLoaded(const LoadedImage& file)
{
    return InspectedFile{KeyRegionProtector::inspect(file.image, file.metadata),
                         ContainerSignature::verify(file.image, file.metadata)};
}

InspectVerdict inspectVerdict(const InspectedFile& inspected)
{
    InspectVerdict verdict;
    if (!inspected.report) {
        verdict.exitCode = inspected.report.error().exitCode();
        verdict.text = inspected.report.error().message;
        return verdict;
    }
    const InspectReport& report = *inspected.report;
    verdict.intact = report.intact && inspected.signer.ok();
    verdict.exitCode = verdict.intact ? 0 : Error{ErrorKind::Auth, {}}.exitCode();
    if (!report.hasProtectionData) // the QR code was read, but the data to recover it are gone
        verdict.text = "QR code read; NOT recoverable: " + report.problem;
    else if (!report.intact)
        verdict.text = "QR version " + std::to_string(report.qrVersion) + ", NOT intact: " + report.problem;
    else if (!inspected.signer)
        verdict.text = "QR version " + std::to_string(report.qrVersion) +
                       ", NOT intact: the signature is invalid (" + inspected.signer.error().message + ")";
    else
        verdict.text = "QR version " + std::to_string(report.qrVersion) +
                       ", looks intact (an unauthenticated check: recovery verifies it with the key)";
    return verdict;
}

Result<RecoveredFile> recoverFile(const std::filesystem::path& input, const std::filesystem::path& out,
                                  const RsaKey& privateKey, const JobControl& control,
                                  const SignerRequirement& signer)
{
    auto loaded = readImageFile(input);
    if (!loaded)
        return loaded.error();
    auto result = recoverLoaded(*loaded, privateKey, control, signer);
    if (!result)
        return result.error();
    MEDVEIL_TRY(
        writeOutputImage(out, result->recovered.image, {}, input, *loaded, DicomFile::Instance::Restored));
    return result;
}

Result<SealedEmrFile> sealEmrLoaded(const LoadedImage& source, const std::string& emr,
                                    const RsaKey& recipient, HiNetModel& network,
                                    const std::filesystem::path& out,
                                    const std::vector<std::filesystem::path>& inputs,
                                    const SealOptions& options, const JobControl& control)
{
    return sealEmrLoaded(source, emr, recipient, existingNetwork(network), out, inputs, options, control);
}

Result<SealedEmrFile> sealEmrLoaded(const LoadedImage& source, const std::string& emr,
                                    const RsaKey& recipient, const HiNetSource& network,
                                    const std::filesystem::path& out,
                                    const std::vector<std::filesystem::path>& inputs,
                                    const SealOptions& options, const JobControl& control)
{
    // A DICOM input: the patient's identity leaves the header and travels in its own encrypted part of the
    // sealed payload (the record itself comes back byte for byte).
    std::optional<DicomIdentity> identity;
    if (source.dicom) {
        auto taken = source.dicom->identity();
        if (!taken)
            return taken.error();
        identity = std::move(*taken);
    }
    const bool dicomOut = hasDicomExtension(out);
    if (dicomOut && !source.dicom)
        return makeError(ErrorKind::Usage, "a .dcm output needs a DICOM image; write a .png instead");
    // A DICOM output: the de-identified header is made first, and its digest is sealed with the key, so that
    // emr-open refuses a sealed file whose header was edited.
    std::optional<DicomFile> sealedHeader;
    Bytes headerDigest;
    if (dicomOut) {
        auto header = source.dicom->deidentified();
        if (!header)
            return header.error();
        auto digest = header->headerDigest();
        if (!digest)
            return digest.error();
        sealedHeader = std::move(*header);
        headerDigest = std::move(*digest);
    }
    auto sealed =
        EmrSealer::seal(source.image, emr, recipient, network, control, options.base, {}, options.recovery,
                        identity ? identity->emrSection : std::string(), headerDigest);
    if (!sealed && sealed.error().kind == ErrorKind::Capacity && options.base != 16 && options.base != 2)
        return makeError(ErrorKind::Capacity, sealed.error().message +
                                                  "; base 16 holds twice as much as base 4 (the network's "
                                                  "reveal suffers; exact recovery stays bit-exact)");
    if (!sealed)
        return sealed.error();
    SealedEmrFile result{std::move(*sealed), identity ? identity->attributeCount : 0,
                         identity ? identity->privateAttributeCount : 0, std::nullopt};
    if (options.signer) {
        MEDVEIL_TRY(ContainerSignature::sign(result.sealed.cipher, result.sealed.metadata, *options.signer));
        auto fingerprint = options.signer->fingerprint();
        if (!fingerprint)
            return fingerprint.error();
        result.signedBy = std::move(*fingerprint);
    }
    if (dicomOut) {
        auto bytes = sealedHeader->encodeSealed(result.sealed.cipher, result.sealed.metadata, *identity);
        if (!bytes)
            return bytes.error();
        MEDVEIL_TRY(writeFileAtomically(out, *bytes, inputs, FileMode::Private));
    } else {
        MEDVEIL_TRY(writePng(out, result.sealed.cipher, result.sealed.metadata, inputs));
    }
    return result;
}

Result<OpenedEmrFile> openEmrLoaded(const LoadedImage& sealed, const RsaKey& privateKey, HiNetModel& network,
                                    const JobControl& control, const SignerRequirement& signer)
{
    return openEmrLoaded(sealed, privateKey, existingNetwork(network), control, signer);
}

Result<OpenedEmrFile> openEmrLoaded(const LoadedImage& sealed, const RsaKey& privateKey,
                                    const HiNetSource& network, const JobControl& control,
                                    const SignerRequirement& signer)
{
    auto signedBy = signer.check(sealed.image, sealed.metadata);
    if (!signedBy)
        return signedBy.error();
    Bytes headerDigest; // a sealed DICOM file's header is bound into the seal
    if (sealed.dicom) {
        auto digest = sealed.dicom->headerDigest();
        if (!digest)
            return digest.error();
        headerDigest = std::move(*digest);
    }
    // Seals made with the weights of an earlier release open with those (installed under models/archive).
    auto opened = EmrSealer::open(sealed.image, sealed.metadata, privateKey, network, control, headerDigest,
                                  [](const Bytes& digest) { return HiNetModel::loadArchived(digest); });
    if (!opened)
        return opened.error();
    OpenedEmrFile result{std::move(*opened), std::move(*signedBy), nullptr};
    if (sealed.dicom) {
        // writeOpenedEmr's header (files of earlier releases carried the identity in the EMR part).
        const OpenedEmr& what = result.opened;
        auto header = sealed.dicom->restored(what.revealed, what.identity.empty() ? what.emr : what.identity,
                                             !what.verified);
        // Only a viewer's aid: the record and the pixels are open whatever becomes of it, and a .dcm output
        // reports its own error from writeOpenedEmr.
        if (header)
            result.restoredDicom = std::make_shared<const DicomFile>(std::move(*header));
    }
    return result;
}

Status writeOpenedEmr(const OpenedEmrFile& result, const LoadedImage& sealed,
                      const std::filesystem::path& input, const OpenedEmrOutputs& outputs)
{
    const OpenedEmr& opened = result.opened;
    if (outputs.emr == outputs.image)
        return makeError(ErrorKind::Usage, "the record and the image need two different files");
    Result<Bytes> image = Bytes{};
    if (hasDicomExtension(outputs.image)) {
        // The original header comes back from the identity part's key and the file's encrypted dataset.
        if (!sealed.dicom)
            return makeError(ErrorKind::Usage, "a .dcm image output needs a sealed DICOM input");
        // Files of this release carry the identity in its own part; earlier ones appended it to the EMR.
        image = sealed.dicom->encodeRestored(
            opened.revealed, opened.identity.empty() ? opened.emr : opened.identity, !opened.verified);
    } else if (opened.verified) {
        image = encodePng(opened.revealed);
    } else {
        image = encodePng(opened.revealed, {{kLossyRevealKey, kLossyRevealText}}); // says so wherever it goes
    }
    if (!image)
        return image.error();
    std::vector<PendingFile> files = {{outputs.emr, toBytes(opened.emr), FileMode::Private},
                                      {outputs.image, std::move(*image), FileMode::Private}};
    if (outputs.identity) { // readable lines only, on request; the header key stays inside the sealed file
        if (opened.identity.empty())
            return makeError(ErrorKind::Usage, "this file carries no DICOM identity to write");
        // Every identifying attribute the restored header got back (seals of every release); the lines
        // sealed with the identity (fewer: no UIDs or times) only where the header could not be restored.
        const std::string text = result.restoredDicom && sealed.dicom
                                     ? sealed.dicom->restoredIdentity(*result.restoredDicom)
                                     : readableIdentity(opened.identity);
        files.push_back({*outputs.identity, toBytes(text), FileMode::Private});
    }
    return writeFilesAtomically(files, {input});
}

} // namespace medveil::workflow
