// SPDX-License-Identifier: GPL-3.0-or-later
#include "workflow/FileWorkflows.h"

#include "crypto/ContainerSignature.h"
#include "io/AtomicFile.h"

#include <algorithm>
#include <cctype>

namespace medveil::workflow {

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

Result<ProtectReport> protectLoaded(const LoadedImage& source, const std::filesystem::path& input,
                                    const std::filesystem::path& out, const RsaKey& recipient,
                                    const ProtectOptions& options, const JobControl& control,
                                    const std::optional<RsaKey>& signer)
{
    ProtectOptions bound = options;
    if (source.dicom && hasDicomExtension(out)) { // the header is authenticated with the pixels
        auto digest = source.dicom->protectionDigest();
        if (!digest)
            return digest.error();
        bound.headerDigest = std::move(*digest);
    }
    auto result = KeyRegionProtector::protect(source.image, recipient, bound, control);
    if (!result)
        return result.error();
    if (signer)
        MEDVEIL_TRY(ContainerSignature::sign(result->image, result->metadata, *signer));
    MEDVEIL_TRY(
        writeOutputImage(out, result->image, result->metadata, input, source, DicomFile::Instance::Derived));
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

Result<RecoveredFile> recoverLoaded(const LoadedImage& source, const RsaKey& privateKey,
                                    const JobControl& control, const std::optional<RsaKey>& trusted)
{
    auto signedBy = ContainerSignature::check(source.image, source.metadata, trusted);
    if (!signedBy)
        return signedBy.error();
    Bytes headerDigest;
    if (source.dicom) {
        auto digest = source.dicom->protectionDigest();
        if (!digest)
            return digest.error();
        headerDigest = std::move(*digest);
    }
    auto result =
        KeyRegionProtector::recover(source.image, source.metadata, privateKey, control, headerDigest);
    if (!result)
        return result.error();
    return RecoveredFile{std::move(*result), std::move(*signedBy)};
}

Result<RecoveredFile> recoverFile(const std::filesystem::path& input, const std::filesystem::path& out,
                                  const RsaKey& privateKey, const JobControl& control,
                                  const std::optional<RsaKey>& trusted)
{
    auto loaded = readImageFile(input);
    if (!loaded)
        return loaded.error();
    auto result = recoverLoaded(*loaded, privateKey, control, trusted);
    if (!result)
        return result.error();
    MEDVEIL_TRY(
        writeOutputImage(out, result->recovered.image, {}, input, *loaded, DicomFile::Instance::Restored));
    return result;
}

} // namespace medveil::workflow
