// SPDX-License-Identifier: GPL-3.0-or-later
// De-identification of a DICOM header into the EMR and its exact restoration (DicomFile::identity,
// encodeSealed, encodeRestored).
#include "io/DicomDataset.h"

#include "core/Bytes.h"
#include "crypto/AesGcm.h"
#include "crypto/Digest.h"
#include "emr/EmrImageCodec.h"

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

/// Attributes of the Basic Application Level Confidentiality Profile (PS3.15 Table E.1-1) that single-frame
/// CT/MR/CR/secondary-capture headers carry in practice, with the table's action. They name the readable
/// identity lines; the sealed header itself is built from an allow-list (deidentified()), so an attribute
/// missing here is removed all the same. Files sealed before this release were de-identified in place by
/// this table (encodeRestored's legacy path).
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
        {DCM_MedicalAlerts, "MedicalAlerts", Action::Remove},
        {DCM_Allergies, "Allergies", Action::Remove},
        {DCM_PatientReligiousPreference, "PatientReligiousPreference", Action::Remove},
        {DCM_LastMenstrualDate, "LastMenstrualDate", Action::Remove},
        {DCM_PregnancyStatus, "PregnancyStatus", Action::Remove},
        {DCM_SmokingStatus, "SmokingStatus", Action::Remove},
        {DCM_SpecialNeeds, "SpecialNeeds", Action::Remove},
        {DCM_PatientState, "PatientState", Action::Remove},
        {DCM_CountryOfResidence, "CountryOfResidence", Action::Remove},
        {DCM_RegionOfResidence, "RegionOfResidence", Action::Remove},
        {DCM_ResponsiblePerson, "ResponsiblePerson", Action::Remove},
        {DCM_ResponsibleOrganization, "ResponsibleOrganization", Action::Remove},
        {DCM_PatientInsurancePlanCodeSequence, "PatientInsurancePlanCodeSequence", Action::Remove},
        {DCM_RequestedProcedureDescription, "RequestedProcedureDescription", Action::Remove},
        {DCM_RequestedProcedureID, "RequestedProcedureID", Action::Remove},
        {DCM_ScheduledProcedureStepDescription, "ScheduledProcedureStepDescription", Action::Remove},
        {DCM_PlacerOrderNumberImagingServiceRequest, "PlacerOrderNumberImagingServiceRequest",
         Action::Remove},
        {DCM_FillerOrderNumberImagingServiceRequest, "FillerOrderNumberImagingServiceRequest",
         Action::Remove},
        {DCM_RETIRED_IdentifyingComments, "IdentifyingComments", Action::Remove},
        {DCM_RETIRED_StudyComments, "StudyComments", Action::Remove},
        {DCM_RETIRED_ReasonForStudy, "ReasonForStudy", Action::Remove},
        {DCM_DetectorID, "DetectorID", Action::Remove},
        {DCM_DeviceUID, "DeviceUID", Action::NewUid},
        {DCM_PerformingPhysicianIdentificationSequence, "PerformingPhysicianIdentificationSequence",
         Action::Remove},
        {DCM_PersonName, "PersonName", Action::Remove},
        {DCM_UID, "UID", Action::NewUid},
        {DCM_ContentSequence, "ContentSequence", Action::Remove},
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
/// Before this release: the profile's, private and pixel-module elements (merged back on restoring).
constexpr const char* kIdentityBlobKey = "MedVeil:dicom-identity";
const Bytes kIdentityAad = toBytes("MedVeil DICOM identity 1");
/// Since: the whole original dataset but its pixel data (the restored file is that dataset).
constexpr const char* kOriginalBlobKey = "MedVeil:dicom-original";
const Bytes kOriginalAad = toBytes("MedVeil DICOM original 1");
constexpr const char* kDeidentificationMethod = "MedVeil emr-seal: PS3.15 Basic Profile, identity sealed";

/// The attribute copied from `from` when it holds a value its VR allows; otherwise absent, or empty when
/// `type2` (the IOD requires it present).
void keepAttribute(DcmDataset& from, DcmDataset& to, const DcmTagKey& tag, bool type2)
{
    DcmElement* element = nullptr;
    if (from.findAndGetElement(tag, element).good() && element && element->checkValue().good()) {
        to.insert(static_cast<DcmElement*>(element->clone()), true);
        return;
    }
    if (type2)
        to.insertEmptyElement(tag, true);
}

/// `text` with every byte that is not part of a valid UTF-8 sequence replaced by U+FFFD (a character set
/// DCMTK could not convert must not make the identity part unreadable).
std::string validUtf8(const std::string& text)
{
    std::string out;
    std::string rest = text;
    while (!rest.empty()) {
        const size_t bad = findInvalidUtf8(rest);
        if (bad == std::string::npos) {
            out += rest;
            break;
        }
        out += rest.substr(0, bad) + "\xEF\xBF\xBD";
        rest.erase(0, bad + 1);
    }
    return out;
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
    DicomIdentity identity;
    std::string readable;
    // The readable lines are UTF-8 whatever the file's Specific Character Set (ISO_IR 100 "Müller", GB18030,
    // …): read from a copy DCMTK converted. The original bytes travel unchanged in the encrypted dataset.
    DcmFileFormat utf8(m_dataset->file);
    const bool converted = utf8.convertToUTF8().good();
    DcmDataset& text = converted ? *utf8.getDataset() : ds;
    for (const auto& entry : basicProfile()) {
        DcmElement* element = nullptr;
        if (text.findAndGetElement(entry.tag, element).bad() || !element)
            continue;
        ++identity.attributeCount;
        // The readable lines are for the clinician: who, where, when the study was done. UIDs, the other
        // dates and times and empty values stay in the encrypted original only.
        const std::string value = readableValue(*element);
        const std::string keyword = entry.keyword;
        const bool technical = entry.action == Action::NewUid || keyword.find("Time") != std::string::npos ||
                               (keyword.find("Date") != std::string::npos && keyword != "StudyDate" &&
                                keyword != "PatientBirthDate");
        if (!technical && !value.empty())
            readable += std::string(entry.keyword) + ": " + validUtf8(value) + "\n";
    }
    for (unsigned long i = 0; i < ds.card(); ++i) {
        const DcmTagKey tag = ds.getElement(i)->getTag();
        if (tag.isPrivate() && tag.getGroup() != 0x0071)
            ++identity.privateAttributeCount;
    }
    // The whole original header (pixel data aside: the seal carries the image) travels AES-256-GCM-
    // encrypted in the sealed file; the identity part holds the readable lines and the 32-byte key, so only
    // who can open the seal can restore the header — exactly, SOP class and modules included.
    DcmDataset original(ds);
    original.findAndDeleteElement(DCM_PixelData);
    removeMedveilBlock(original);
    auto elements = encodeElements(original);
    auto key = randomBytes(32);
    if (!elements || !key)
        return !elements ? elements.error() : key.error();
    auto encrypted = AesGcm::seal(*key, *elements, kOriginalAad);
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

Result<DicomFile> DicomFile::deidentified() const
{
    initialiseDcmtk();
    DcmDataset& from = *const_cast<DcmFileFormat&>(m_dataset->file).getDataset();
    auto dataset = std::make_shared<Dataset>();
    DcmDataset& ds = *dataset->file.getDataset();
    // SOP Common, Patient, General Study, General Series, General Equipment, SC Equipment, General Image,
    // Image Pixel: what a Secondary Capture Image Storage object needs. Identifying Type 2 attributes are
    // present and empty (Z), the UIDs new (U); the few kept (K) say nothing about the patient. Everything
    // else — identity, modality-specific modules, private attributes — is left out (X) and travels only
    // encrypted, to come back on emr-open.
    keepAttribute(from, ds, DCM_SpecificCharacterSet, false);
    ds.putAndInsertString(DCM_SOPClassUID, UID_SecondaryCaptureImageStorage);
    ds.putAndInsertString(DCM_SOPInstanceUID, newDicomUid().c_str());
    for (const DcmTagKey& tag :
         {DCM_PatientName, DCM_PatientID, DCM_PatientBirthDate, DCM_PatientSex, DCM_StudyDate, DCM_StudyTime,
          DCM_ReferringPhysicianName, DCM_StudyID, DCM_AccessionNumber})
        ds.insertEmptyElement(tag, true);
    ds.putAndInsertString(DCM_PatientIdentityRemoved, "YES");
    ds.putAndInsertString(DCM_DeidentificationMethod, kDeidentificationMethod);
    DcmItem* code = nullptr;
    if (ds.findOrCreateSequenceItem(DCM_DeidentificationMethodCodeSequence, code, 0).good() && code) {
        code->putAndInsertString(DCM_CodeValue, "113100");
        code->putAndInsertString(DCM_CodingSchemeDesignator, "DCM");
        code->putAndInsertString(DCM_CodeMeaning, "Basic Application Confidentiality Profile");
    }
    ds.putAndInsertString(DCM_StudyInstanceUID, newDicomUid().c_str());
    ds.putAndInsertString(DCM_SeriesInstanceUID, newDicomUid().c_str());
    OFString modality;
    if (from.findAndGetOFString(DCM_Modality, modality).bad() || modality.empty())
        modality = "OT";
    ds.putAndInsertString(DCM_Modality, modality.c_str());
    keepAttribute(from, ds, DCM_SeriesNumber, true);
    keepAttribute(from, ds, DCM_Laterality, true); // Type 2C; empty (unknown) when the original has none
    keepAttribute(from, ds, DCM_Manufacturer, true);
    ds.putAndInsertString(DCM_ConversionType, "WSD"); // workstation: MedVeil made these pixels
    ds.putAndInsertString(DCM_SecondaryCaptureDeviceManufacturer, "MedVeil");
    keepAttribute(from, ds, DCM_InstanceNumber, true);
    keepAttribute(from, ds, DCM_PatientOrientation, true);
    ds.putAndInsertString(DCM_ImageType, "DERIVED\\SECONDARY");
    ds.putAndInsertString(DCM_BurnedInAnnotation, "NO");
    ds.putAndInsertUint16(DCM_SamplesPerPixel, 1);
    ds.putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME2");
    ds.putAndInsertUint16(DCM_Rows, Uint16(m_info.rows));
    ds.putAndInsertUint16(DCM_Columns, Uint16(m_info.columns));
    ds.putAndInsertUint16(DCM_BitsAllocated, 8);
    ds.putAndInsertUint16(DCM_BitsStored, 8);
    ds.putAndInsertUint16(DCM_HighBit, 7);
    ds.putAndInsertUint16(DCM_PixelRepresentation, 0);
    MEDVEIL_TRY(checkValues(ds));
    const std::vector<Uint8> blank(size_t(m_info.rows) * size_t(m_info.columns), 0);
    ds.putAndInsertUint8Array(DCM_PixelData, blank.data(), static_cast<unsigned long>(blank.size()));
    return fromDataset(std::move(dataset), "the sealed DICOM header");
}

Result<Bytes> DicomFile::encodeSealed(const Image& pixels8,
                                      const std::map<std::string, std::string>& metadata,
                                      const DicomIdentity& identity) const
{
    initialiseDcmtk();
    if (m_info.sopClassUid != UID_SecondaryCaptureImageStorage || m_info.bitsAllocated != 8)
        return makeError(ErrorKind::Internal, "encodeSealed() writes the header deidentified() made");
    if (pixels8.bitDepth() != 8 || pixels8.width() != m_info.columns || pixels8.height() != m_info.rows)
        return makeError(ErrorKind::Internal, "a sealed DICOM image is 8-bit and keeps the original size");
    DcmFileFormat copy(m_dataset->file);
    DcmDataset& ds = *copy.getDataset();
    MEDVEIL_TRY(putPixelData(ds, pixels8, false));
    std::map<std::string, std::string> block = metadata;
    block[kOriginalBlobKey] = base64Encode(identity.encryptedAttributes);
    putMedveilBlock(ds, block);
    return saveDicomToBytes(copy);
}

namespace {

/// The 32-byte key from the identity part's machine block.
Result<Bytes> identityKey(const std::string& identity)
{
    const auto begin = identity.rfind(kBegin), end = identity.rfind(kEnd);
    if (begin == std::string::npos || end == std::string::npos || end < begin)
        return makeError(ErrorKind::BadInput,
                         "this seal carries no DICOM identity (it was not sealed from a DICOM file)");
    std::string encoded;
    for (size_t i = begin + std::string(kBegin).size(); i < end; ++i)
        if (identity[i] != '\n' && identity[i] != '\r')
            encoded += identity[i];
    auto key = base64Decode(encoded);
    if (!key || key->size() != 32)
        return makeError(ErrorKind::Auth, "the seal's DICOM identity block is damaged");
    return key;
}

Result<std::unique_ptr<DcmDataset>> openAttributes(const std::map<std::string, std::string>& metadata,
                                                   const char* name, const Bytes& key, const Bytes& aad)
{
    const auto blob = metadata.find(name);
    if (blob == metadata.end())
        return makeError(ErrorKind::Auth, "the sealed DICOM file lacks its encrypted original attributes");
    auto sealedElements = base64Decode(blob->second);
    auto elements =
        sealedElements ? AesGcm::open(key, *sealedElements, aad) : Result<Bytes>(sealedElements.error());
    if (!elements)
        return makeError(ErrorKind::Auth,
                         "the original attributes do not decrypt with the seal's identity key: the "
                         "identity belongs to another sealed file, or the file was modified");
    return decodeElements(*elements);
}

} // namespace

Result<Bytes> DicomFile::encodeRestored(const Image& pixels, const std::string& identity) const
{
    initialiseDcmtk();
    auto key = identityKey(identity);
    if (!key)
        return key.error();
    const bool whole = m_metadata.count(kOriginalBlobKey) != 0;
    auto subset = whole ? openAttributes(m_metadata, kOriginalBlobKey, *key, kOriginalAad)
                        : openAttributes(m_metadata, kIdentityBlobKey, *key, kIdentityAad);
    if (!subset)
        return subset.error();
    DcmFileFormat copy(m_dataset->file);
    DcmDataset& ds = *copy.getDataset();
    if (whole) {
        ds.clear(); // the original dataset, as it was
    } else {
        // Sealed before this release: the header was de-identified in place; put the elements back.
        removeMedveilBlock(ds);
        ds.findAndDeleteElement(DCM_PatientIdentityRemoved);
        ds.findAndDeleteElement(DCM_DeidentificationMethod);
        ds.findAndDeleteElement(DCM_BurnedInAnnotation);
        for (const auto& entry : basicProfile())
            ds.findAndDeleteElement(entry.tag, true, true);
        for (const DcmTagKey& tag : pixelModule())
            ds.findAndDeleteElement(tag);
    }
    for (unsigned long i = 0; i < (*subset)->card(); ++i)
        ds.insert(static_cast<DcmElement*>((*subset)->getElement(i)->clone()), true);
    Uint16 bitsAllocated = 8, pixelRepresentation = 0, rows = 0, columns = 0;
    ds.findAndGetUint16(DCM_BitsAllocated, bitsAllocated);
    ds.findAndGetUint16(DCM_PixelRepresentation, pixelRepresentation);
    ds.findAndGetUint16(DCM_Rows, rows);
    ds.findAndGetUint16(DCM_Columns, columns);
    if (pixels.bitDepth() != int(bitsAllocated) || pixels.width() != int(columns) ||
        pixels.height() != int(rows))
        return makeError(ErrorKind::Internal, "the revealed image does not match the original pixel module");
    MEDVEIL_TRY(putPixelData(ds, pixels, pixelRepresentation == 1));
    return saveDicomToBytes(copy);
}

} // namespace medveil
