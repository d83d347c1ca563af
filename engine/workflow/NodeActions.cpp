// SPDX-License-Identifier: GPL-3.0-or-later
#include "workflow/NodeActions.h"

#include "core/Bytes.h"
#include "crypto/Digest.h"
#include "io/AtomicFile.h"
#include "io/DicomFile.h"
#include "io/ImageIo.h"

#include <algorithm>

namespace fs = std::filesystem;

namespace medveil::workflow {

namespace {

/// A UID from a received header as a file name: digits and dots only (PS3.5 §9.1), 1–64 characters.
Result<std::string> uidFileName(const std::string& uid, const std::string& what)
{
    if (uid.empty() || uid.size() > 64 || uid.front() == '.' ||
        !std::all_of(uid.begin(), uid.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; }))
        return makeError(ErrorKind::BadInput, "the received instance has no valid " + what);
    return uid;
}

/// The record sealed with a study: `folder`/STUDY_INSTANCE_UID.txt when present, else empty.
Result<std::string> studyRecord(const std::optional<fs::path>& folder, const DicomFile& dicom)
{
    if (!folder)
        return std::string();
    MEDVEIL_ASSIGN_OR_RETURN(const std::string study,
                             uidFileName(dicom.attribute(0x0020, 0x000D), "Study Instance UID"));
    const fs::path file = *folder / (study + ".txt");
    std::error_code ec;
    if (!fs::exists(file, ec))
        return std::string();
    MEDVEIL_ASSIGN_OR_RETURN(const Bytes bytes, readFileBytes(file));
    return std::string(bytes.begin(), bytes.end());
}

} // namespace

Result<NodeActionKind> parseNodeActionKind(const std::string& name)
{
    if (name == "protect")
        return NodeActionKind::Protect;
    if (name == "seal")
        return NodeActionKind::Seal;
    if (name == "recover")
        return NodeActionKind::Recover;
    if (name == "store")
        return NodeActionKind::Store;
    return makeError(ErrorKind::Usage,
                     "--action must be protect, seal, recover or store, got '" + name + "'");
}

const char* nodeActionName(NodeActionKind kind)
{
    switch (kind) {
    case NodeActionKind::Protect:
        return "protect";
    case NodeActionKind::Seal:
        return "seal";
    case NodeActionKind::Recover:
        return "recover";
    case NodeActionKind::Store:
        break;
    }
    return "store";
}

NodeAction::NodeAction(std::shared_ptr<const NodeActionSettings> settings)
    : m_settings(std::move(settings)), m_networkMutex(std::make_shared<std::mutex>())
{}

Result<NodeAction> NodeAction::create(NodeActionSettings settings)
{
    const char* name = nodeActionName(settings.kind);
    if (settings.kind != NodeActionKind::Store && !settings.key)
        return makeError(ErrorKind::Usage,
                         std::string("--action ") + name + " needs " +
                             (settings.kind == NodeActionKind::Recover ? "--private" : "--public"));
    if (settings.kind == NodeActionKind::Recover && !settings.key->hasPrivate())
        return makeError(ErrorKind::Usage, "--action recover needs a private key");
    if (settings.kind == NodeActionKind::Seal && !settings.network)
        return makeError(ErrorKind::Usage, "--action seal needs the HiNet network");
    return NodeAction(std::make_shared<const NodeActionSettings>(std::move(settings)));
}

Result<NodeActionResult> NodeAction::run(const fs::path& received, const fs::path& outDir) const
{
    const NodeActionSettings& s = *m_settings;
    MEDVEIL_ASSIGN_OR_RETURN(const Bytes bytes, readFileBytes(received));
    if (!DicomFile::isDicom(bytes))
        return makeError(ErrorKind::BadInput, "the received instance is not a DICOM Part-10 file");
    NodeActionResult result;
    if (s.kind == NodeActionKind::Store) {
        // Stored as it arrived: only the SOP Instance UID is read (for the name).
        MEDVEIL_ASSIGN_OR_RETURN(const DicomFile header, DicomFile::fromBytes(bytes, "received instance"));
        MEDVEIL_ASSIGN_OR_RETURN(result.sopInstanceUid,
                                 uidFileName(header.attribute(0x0008, 0x0018), "SOP Instance UID"));
        result.output = outDir / (result.sopInstanceUid + ".dcm");
        MEDVEIL_TRY(writeFileAtomically(result.output, bytes, {received}, FileMode::Private));
        return result;
    }
    MEDVEIL_ASSIGN_OR_RETURN(const LoadedImage loaded, readImageFile(received));
    if (!loaded.dicom)
        return makeError(ErrorKind::BadInput, "the received instance is not a DICOM image");
    MEDVEIL_ASSIGN_OR_RETURN(result.sopInstanceUid,
                             uidFileName(loaded.dicom->attribute(0x0008, 0x0018), "SOP Instance UID"));
    switch (s.kind) {
    case NodeActionKind::Protect:
        result.output = outDir / (result.sopInstanceUid + ".dcm");
        MEDVEIL_TRY(
            statusOf(protectLoaded(loaded, received, result.output, *s.key, s.protect, {}, s.signer)));
        break;
    case NodeActionKind::Recover: {
        MEDVEIL_ASSIGN_OR_RETURN(const RecoveredFile recovered,
                                 recoverLoaded(loaded, *s.key, {}, s.requiredSigner));
        result.output = outDir / (result.sopInstanceUid + ".dcm");
        MEDVEIL_TRY(writeOutputImage(result.output, recovered.recovered.image, {}, received, loaded,
                                     DicomFile::Instance::Restored));
        break;
    }
    case NodeActionKind::Seal: {
        MEDVEIL_ASSIGN_OR_RETURN(const std::string record, studyRecord(s.emrFolder, *loaded.dicom));
        MEDVEIL_ASSIGN_OR_RETURN(const Bytes nameBytes, randomBytes(12));
        result.output = outDir / ("sealed-" + hexEncode(nameBytes) + ".dcm");
        SealOptions options;
        options.signer = s.signer;
        const std::lock_guard lock(*m_networkMutex);
        MEDVEIL_TRY(
            statusOf(sealEmrLoaded(loaded, record, *s.key, *s.network, result.output, {received}, options)));
        break;
    }
    case NodeActionKind::Store:
        break;
    }
    return result;
}

} // namespace medveil::workflow
