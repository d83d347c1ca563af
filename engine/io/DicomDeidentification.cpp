// SPDX-License-Identifier: GPL-3.0-or-later
// De-identification of a DICOM header into the EMR and its exact restoration (DicomFile::identity,
// encodeSealed, encodeRestored).
#include "io/DicomDataset.h"

#include "core/Bytes.h"
#include "crypto/AesGcm.h"
#include "crypto/Digest.h"

#include <dcmtk/dcmdata/dcistrmb.h>
#include <dcmtk/dcmdata/dcostrmb.h>

#include <opencv2/core.hpp>

#include <cstdio>

namespace medveil {

namespace {

/// What the profile does with an attribute (PS3.15 Table E.1-1 action codes).
enum class Action
{
    Remove, ///< X
    Empty,  ///< Z: zero-length value (the attribute is Type 2 in its IOD)
    NewUid, ///< U: a new UID, consistent within the file
};

struct ProfileEntry
{
    DcmTagKey tag;
    const char* keyword;
    Action action;
};

/// The attributes of the Basic Application Level Confidentiality Profile that single-frame CT/MR/CR/
/// secondary-capture headers carry in practice (a subset of Table E.1-1; private attributes are handled
/// separately: all removed).
const std::vector<ProfileEntry>& basicProfile()
{
    static const std::vector<ProfileEntry> profile = {
        {DCM_InstanceCreationDate, "InstanceCreationDate", Action::Remove},
        {DCM_InstanceCreationTime, "InstanceCreationTime", Action::Remove},
        {DCM_InstanceCreatorUID, "InstanceCreatorUID", Action::NewUid},
        {DCM_SOPInstanceUID, "SOPInstanceUID", Action::NewUid},
        {DCM_StudyDate, "StudyDate", Action::Empty},
        {DCM_SeriesDate, "SeriesDate", Action::Remove},
        {DCM_AcquisitionDate, "AcquisitionDate", Action::Remove},
        {DCM_ContentDate, "ContentDate", Action::Empty},
        {DCM_AcquisitionDateTime, "AcquisitionDateTime", Action::Remove},
        {DCM_StudyTime, "StudyTime", Action::Empty},
        {DCM_SeriesTime, "SeriesTime", Action::Remove},
        {DCM_AcquisitionTime, "AcquisitionTime", Action::Remove},
        {DCM_ContentTime, "ContentTime", Action::Empty},
        {DCM_AccessionNumber, "AccessionNumber", Action::Empty},
        {DCM_InstitutionName, "InstitutionName", Action::Remove},
        {DCM_InstitutionAddress, "InstitutionAddress", Action::Remove},
        {DCM_ReferringPhysicianName, "ReferringPhysicianName", Action::Empty},
        {DCM_ReferringPhysicianAddress, "ReferringPhysicianAddress", Action::Remove},
        {DCM_ReferringPhysicianTelephoneNumbers, "ReferringPhysicianTelephoneNumbers", Action::Remove},
        {DCM_StationName, "StationName", Action::Remove},
        {DCM_StudyDescription, "StudyDescription", Action::Remove},
        {DCM_SeriesDescription, "SeriesDescription", Action::Remove},
        {DCM_InstitutionalDepartmentName, "InstitutionalDepartmentName", Action::Remove},
        {DCM_PhysiciansOfRecord, "PhysiciansOfRecord", Action::Remove},
        {DCM_PerformingPhysicianName, "PerformingPhysicianName", Action::Remove},
        {DCM_NameOfPhysiciansReadingStudy, "NameOfPhysiciansReadingStudy", Action::Remove},
        {DCM_OperatorsName, "OperatorsName", Action::Remove},
        {DCM_AdmittingDiagnosesDescription, "AdmittingDiagnosesDescription", Action::Remove},
        {DCM_DerivationDescription, "DerivationDescription", Action::Remove},
        {DCM_PatientName, "PatientName", Action::Empty},
        {DCM_PatientID, "PatientID", Action::Empty},
        {DCM_IssuerOfPatientID, "IssuerOfPatientID", Action::Remove},
        {DCM_PatientBirthDate, "PatientBirthDate", Action::Empty},
        {DCM_PatientBirthTime, "PatientBirthTime", Action::Remove},
        {DCM_PatientSex, "PatientSex", Action::Empty},
        {DCM_RETIRED_OtherPatientIDs, "OtherPatientIDs", Action::Remove},
        {DCM_OtherPatientNames, "OtherPatientNames", Action::Remove},
        {DCM_OtherPatientIDsSequence, "OtherPatientIDsSequence", Action::Remove},
        {DCM_PatientBirthName, "PatientBirthName", Action::Remove},
        {DCM_PatientAge, "PatientAge", Action::Remove},
        {DCM_PatientSize, "PatientSize", Action::Remove},
        {DCM_PatientWeight, "PatientWeight", Action::Remove},
        {DCM_PatientAddress, "PatientAddress", Action::Remove},
        {DCM_PatientMotherBirthName, "PatientMotherBirthName", Action::Remove},
        {DCM_MilitaryRank, "MilitaryRank", Action::Remove},
        {DCM_RETIRED_MedicalRecordLocator, "MedicalRecordLocator", Action::Remove},
        {DCM_PatientTelephoneNumbers, "PatientTelephoneNumbers", Action::Remove},
        {DCM_EthnicGroup, "EthnicGroup", Action::Remove},
        {DCM_Occupation, "Occupation", Action::Remove},
        {DCM_AdditionalPatientHistory, "AdditionalPatientHistory", Action::Remove},
        {DCM_PatientComments, "PatientComments", Action::Remove},
        {DCM_DeviceSerialNumber, "DeviceSerialNumber", Action::Remove},
        {DCM_ProtocolName, "ProtocolName", Action::Remove},
        {DCM_StudyInstanceUID, "StudyInstanceUID", Action::NewUid},
        {DCM_SeriesInstanceUID, "SeriesInstanceUID", Action::NewUid},
        {DCM_StudyID, "StudyID", Action::Empty},
        {DCM_FrameOfReferenceUID, "FrameOfReferenceUID", Action::NewUid},
        {DCM_SynchronizationFrameOfReferenceUID, "SynchronizationFrameOfReferenceUID", Action::NewUid},
        {DCM_ImageComments, "ImageComments", Action::Remove},
        {DCM_RequestAttributesSequence, "RequestAttributesSequence", Action::Remove},
        {DCM_RequestingPhysician, "RequestingPhysician", Action::Remove},
        {DCM_AdmissionID, "AdmissionID", Action::Remove},
        {DCM_CurrentPatientLocation, "CurrentPatientLocation", Action::Remove},
        {DCM_PerformedProcedureStepStartDate, "PerformedProcedureStepStartDate", Action::Remove},
        {DCM_PerformedProcedureStepStartTime, "PerformedProcedureStepStartTime", Action::Remove},
        {DCM_PerformedProcedureStepID, "PerformedProcedureStepID", Action::Remove},
        {DCM_PerformedProcedureStepDescription, "PerformedProcedureStepDescription", Action::Remove},
        {DCM_ReferencedPatientSequence, "ReferencedPatientSequence", Action::Remove},
        {DCM_ReferencedStudySequence, "ReferencedStudySequence", Action::Remove},
        {DCM_ReferencedImageSequence, "ReferencedImageSequence", Action::Remove},
        {DCM_SourceImageSequence, "SourceImageSequence", Action::Remove},
    };
    return profile;
}

/// The pixel module and image type: sealing replaces them (8-bit cipher pixels), restoring puts them back.
const std::vector<DcmTagKey>& pixelModule()
{
    static const std::vector<DcmTagKey> tags = {DCM_ImageType,
                                                DCM_SamplesPerPixel,
                                                DCM_PhotometricInterpretation,
                                                DCM_BitsAllocated,
                                                DCM_BitsStored,
                                                DCM_HighBit,
                                                DCM_PixelRepresentation,
                                                DCM_WindowCenter,
                                                DCM_WindowWidth,
                                                DCM_RescaleIntercept,
                                                DCM_RescaleSlope,
                                                DCM_RescaleType,
                                                DCM_SmallestImagePixelValue,
                                                DCM_LargestImagePixelValue,
                                                DCM_WindowCenterWidthExplanation};
    return tags;
}

constexpr const char* kBegin = "-----BEGIN MEDVEIL DICOM ATTRIBUTES-----";
constexpr const char* kEnd = "-----END MEDVEIL DICOM ATTRIBUTES-----";
constexpr const char* kIdentityBlobKey = "MedVeil:dicom-identity";
const Bytes kIdentityAad = toBytes("MedVeil DICOM identity 1");

Result<Bytes> encodeElements(DcmDataset& subset)
{
    const E_TransferSyntax xfer = EXS_LittleEndianExplicit;
    subset.computeGroupLengthAndPadding(EGL_withoutGL, EPD_noChange, xfer, EET_ExplicitLength);
    const Uint32 length = subset.calcElementLength(xfer, EET_ExplicitLength);
    Bytes out(length + 1024);
    DcmOutputBufferStream stream(out.data(), out.size());
    subset.transferInit();
    const OFCondition status = subset.write(stream, xfer, EET_ExplicitLength, nullptr);
    subset.transferEnd();
    if (status.bad())
        return makeError(ErrorKind::Internal,
                         std::string("cannot encode the DICOM attributes: ") + status.text());
    void* buffer = nullptr;
    offile_off_t written = 0;
    stream.flushBuffer(buffer, written);
    out.resize(size_t(written));
    return out;
}

Result<std::unique_ptr<DcmDataset>> decodeElements(const Bytes& bytes)
{
    auto subset = std::make_unique<DcmDataset>();
    DcmInputBufferStream stream;
    stream.setBuffer(bytes.data(), offile_off_t(bytes.size()));
    stream.setEos();
    subset->transferInit();
    const OFCondition status = subset->read(stream, EXS_LittleEndianExplicit);
    subset->transferEnd();
    if (status.bad())
        return makeError(ErrorKind::Auth,
                         std::string("the sealed DICOM attributes are unreadable: ") + status.text());
    return subset;
}

std::string readableValue(DcmElement& element)
{
    if (element.ident() == EVR_SQ)
        return "(sequence of " + std::to_string(static_cast<DcmSequenceOfItems&>(element).card()) +
               " item(s))";
    OFString value;
    if (element.getOFStringArray(value).bad())
        return "(binary)";
    return value.c_str();
}

} // namespace

std::string readableIdentity(const std::string& emrSection)
{
    const auto begin = emrSection.rfind(kBegin), end = emrSection.rfind(kEnd);
    if (begin == std::string::npos || end == std::string::npos || end < begin)
        return emrSection;
    std::string out = emrSection.substr(0, begin);
    const size_t after = emrSection.find('\n', end);
    if (after != std::string::npos)
        out += emrSection.substr(after + 1);
    // The section starts with a blank line (it was once appended to the EMR); a file starts with text.
    while (!out.empty() && out.front() == '\n')
        out.erase(out.begin());
    return out;
}

Result<DicomIdentity> DicomFile::identity() const
{
    initialiseDcmtk();
    DcmDataset& ds = *const_cast<DcmFileFormat&>(m_dataset->file).getDataset();
    DcmDataset subset;
    DicomIdentity identity;
    std::string readable;
    for (const auto& entry : basicProfile()) {
        DcmElement* element = nullptr;
        if (ds.findAndGetElement(entry.tag, element).bad() || !element)
            continue;
        subset.insert(static_cast<DcmElement*>(element->clone()), true);
        ++identity.attributeCount;
        // The readable lines are for the clinician: who, where, when the study was done. UIDs, the other
        // dates and times and empty values stay in the machine block only (a 64×64 image holds < 1 kB).
        const std::string value = readableValue(*element);
        const std::string keyword = entry.keyword;
        const bool technical = entry.action == Action::NewUid || keyword.find("Time") != std::string::npos ||
                               (keyword.find("Date") != std::string::npos && keyword != "StudyDate" &&
                                keyword != "PatientBirthDate");
        if (!technical && !value.empty())
            readable += std::string(entry.keyword) + ": " + value + "\n";
    }
    // Private attributes can hold anything, identity included: all of them leave the file (MedVeil's own
    // block aside). They are often bulky vendor data, so they travel encrypted in the sealed file itself,
    // under a key only the EMR holds.
    for (unsigned long i = 0; i < ds.card(); ++i) {
        DcmElement* element = ds.getElement(i);
        const DcmTagKey tag = element->getTag();
        if (!tag.isPrivate() || tag.getGroup() == 0x0071)
            continue;
        subset.insert(static_cast<DcmElement*>(element->clone()), true);
        ++identity.privateAttributeCount;
    }
    for (const DcmTagKey& tag : pixelModule()) {
        DcmElement* element = nullptr;
        if (ds.findAndGetElement(tag, element).good() && element)
            subset.insert(static_cast<DcmElement*>(element->clone()), true);
    }
    // The original elements travel AES-256-GCM-encrypted in the sealed file; the EMR carries the readable
    // lines and the 32-byte key, so only who can open the EMR can restore the header (and the EMR stays
    // small enough for small images: a 64×64 image holds under 1 kB).
    auto elements = encodeElements(subset);
    auto key = randomBytes(32);
    if (!elements || !key)
        return !elements ? elements.error() : key.error();
    auto encrypted = AesGcm::seal(*key, *elements, kIdentityAad);
    if (!encrypted)
        return encrypted.error();
    identity.encryptedAttributes = std::move(*encrypted);
    std::string section = "\n--- DICOM identity (moved from the header by MedVeil, PS3.15 Annex E) ---\n";
    section += readable;
    if (identity.privateAttributeCount)
        section += std::to_string(identity.privateAttributeCount) + " private attributes\n";
    section += std::string(kBegin) + "\n" + base64Encode(*key) + "\n" + std::string(kEnd) + "\n";
    identity.emrSection = std::move(section);
    return identity;
}

Result<Bytes> DicomFile::encodeSealed(const Image& pixels8,
                                      const std::map<std::string, std::string>& metadata,
                                      const DicomIdentity& identity) const
{
    initialiseDcmtk();
    if (pixels8.bitDepth() != 8 || pixels8.width() != m_info.columns || pixels8.height() != m_info.rows)
        return makeError(ErrorKind::Internal, "a sealed DICOM image is 8-bit and keeps the original size");
    DcmFileFormat copy(m_dataset->file);
    DcmDataset& ds = *copy.getDataset();
    for (const auto& entry : basicProfile()) {
        if (!ds.tagExists(entry.tag))
            continue;
        switch (entry.action) {
        case Action::Remove:
            ds.findAndDeleteElement(entry.tag, true, true);
            break;
        case Action::Empty:
            ds.putAndInsertString(entry.tag, "");
            break;
        case Action::NewUid:
            ds.putAndInsertString(entry.tag, newDicomUid().c_str());
            break;
        }
    }
    for (unsigned long i = ds.card(); i-- > 0;) {
        const DcmTagKey tag = ds.getElement(i)->getTag();
        if (tag.isPrivate())
            delete ds.remove(i);
    }
    for (const DcmTagKey& tag : pixelModule())
        ds.findAndDeleteElement(tag);
    ds.putAndInsertUint16(DCM_SamplesPerPixel, 1);
    ds.putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME2");
    ds.putAndInsertUint16(DCM_BitsAllocated, 8);
    ds.putAndInsertUint16(DCM_BitsStored, 8);
    ds.putAndInsertUint16(DCM_HighBit, 7);
    ds.putAndInsertUint16(DCM_PixelRepresentation, 0);
    ds.putAndInsertString(DCM_ImageType, "DERIVED\\SECONDARY");
    ds.putAndInsertString(DCM_BurnedInAnnotation, "NO");
    ds.putAndInsertString(DCM_PatientIdentityRemoved, "YES");
    ds.putAndInsertString(DCM_DeidentificationMethod,
                          "MedVeil: PS3.15 Annex E Basic Profile; identity sealed in the EMR (emr-seal)");
    MEDVEIL_TRY(putPixelData(ds, pixels8, false));
    std::map<std::string, std::string> block = metadata;
    block[kIdentityBlobKey] = base64Encode(identity.encryptedAttributes);
    putMedveilBlock(ds, block);
    return saveDicomToBytes(copy);
}

Result<Bytes> DicomFile::encodeRestored(const Image& pixels, const std::string& emr) const
{
    initialiseDcmtk();
    // The machine block at the end of the EMR: elements and the key of the private attributes.
    const auto begin = emr.rfind(kBegin), end = emr.rfind(kEnd);
    if (begin == std::string::npos || end == std::string::npos || end < begin)
        return makeError(ErrorKind::BadInput,
                         "this EMR carries no DICOM identity (it was not sealed from a DICOM file)");
    std::string encoded;
    for (size_t i = begin + std::string(kBegin).size(); i < end; ++i)
        if (emr[i] != '\n' && emr[i] != '\r')
            encoded += emr[i];
    auto key = base64Decode(encoded);
    if (!key || key->size() != 32)
        return makeError(ErrorKind::Auth, "the EMR's DICOM identity block is damaged");
    const auto blob = m_metadata.find(kIdentityBlobKey);
    if (blob == m_metadata.end())
        return makeError(ErrorKind::Auth, "the sealed DICOM file lacks its encrypted identity attributes");
    auto sealedElements = base64Decode(blob->second);
    auto elements = sealedElements ? AesGcm::open(*key, *sealedElements, kIdentityAad)
                                   : Result<Bytes>(sealedElements.error());
    if (!elements)
        return makeError(ErrorKind::Auth,
                         "the identity attributes do not decrypt with the EMR's key: this EMR "
                         "belongs to another sealed file, or the file was modified");
    auto subset = decodeElements(*elements);
    if (!subset)
        return subset.error();
    DcmFileFormat copy(m_dataset->file);
    DcmDataset& ds = *copy.getDataset();
    removeMedveilBlock(ds);
    ds.findAndDeleteElement(DCM_PatientIdentityRemoved);
    ds.findAndDeleteElement(DCM_DeidentificationMethod);
    ds.findAndDeleteElement(DCM_BurnedInAnnotation);
    for (const auto& entry : basicProfile())
        ds.findAndDeleteElement(entry.tag, true, true);
    for (const DcmTagKey& tag : pixelModule())
        ds.findAndDeleteElement(tag);
    for (unsigned long i = 0; i < (*subset)->card(); ++i)
        ds.insert(static_cast<DcmElement*>((*subset)->getElement(i)->clone()), true);
    Uint16 bitsAllocated = 8, pixelRepresentation = 0;
    ds.findAndGetUint16(DCM_BitsAllocated, bitsAllocated);
    ds.findAndGetUint16(DCM_PixelRepresentation, pixelRepresentation);
    if (pixels.bitDepth() != int(bitsAllocated) || pixels.width() != m_info.columns ||
        pixels.height() != m_info.rows)
        return makeError(ErrorKind::Internal, "the revealed image does not match the original pixel module");
    MEDVEIL_TRY(putPixelData(ds, pixels, pixelRepresentation == 1));
    return saveDicomToBytes(copy);
}

} // namespace medveil
