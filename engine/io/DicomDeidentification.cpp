// SPDX-License-Identifier: GPL-3.0-or-later
// De-identification of a DICOM header into the EMR and its exact restoration (DicomFile::identity,
// encodeSealed, encodeRestored).
#include "io/DicomBasicProfile.h"
#include "io/DicomDataset.h"
#include "io/DicomIdentityBlock.h"

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

/// The attributes releases before 0.1 de-identified in place (a subset of PS3.15 Table E.1-1). Only
/// encodeRestored's legacy path needs them: it removes exactly these before putting the originals back, so
/// an attribute those releases kept stays as it was.
const std::vector<DcmTagKey>& legacyProfileTags()
{
    static const std::vector<DcmTagKey> tags = {
        DCM_InstanceCreationDate,
        DCM_InstanceCreationTime,
        DCM_InstanceCreatorUID,
        DCM_SOPInstanceUID,
        DCM_StudyDate,
        DCM_SeriesDate,
        DCM_AcquisitionDate,
        DCM_ContentDate,
        DCM_AcquisitionDateTime,
        DCM_StudyTime,
        DCM_SeriesTime,
        DCM_AcquisitionTime,
        DCM_ContentTime,
        DCM_AccessionNumber,
        DCM_InstitutionName,
        DCM_InstitutionAddress,
        DCM_ReferringPhysicianName,
        DCM_ReferringPhysicianAddress,
        DCM_ReferringPhysicianTelephoneNumbers,
        DCM_StationName,
        DCM_StudyDescription,
        DCM_SeriesDescription,
        DCM_InstitutionalDepartmentName,
        DCM_PhysiciansOfRecord,
        DCM_PerformingPhysicianName,
        DCM_NameOfPhysiciansReadingStudy,
        DCM_OperatorsName,
        DCM_AdmittingDiagnosesDescription,
        DCM_DerivationDescription,
        DCM_PatientName,
        DCM_PatientID,
        DCM_IssuerOfPatientID,
        DCM_PatientBirthDate,
        DCM_PatientBirthTime,
        DCM_PatientSex,
        DCM_RETIRED_OtherPatientIDs,
        DCM_OtherPatientNames,
        DCM_OtherPatientIDsSequence,
        DCM_PatientBirthName,
        DCM_PatientAge,
        DCM_PatientSize,
        DCM_PatientWeight,
        DCM_PatientAddress,
        DCM_PatientMotherBirthName,
        DCM_MilitaryRank,
        DCM_RETIRED_MedicalRecordLocator,
        DCM_PatientTelephoneNumbers,
        DCM_EthnicGroup,
        DCM_Occupation,
        DCM_AdditionalPatientHistory,
        DCM_PatientComments,
        DCM_DeviceSerialNumber,
        DCM_ProtocolName,
        DCM_StudyInstanceUID,
        DCM_SeriesInstanceUID,
        DCM_StudyID,
        DCM_FrameOfReferenceUID,
        DCM_SynchronizationFrameOfReferenceUID,
        DCM_ImageComments,
        DCM_RequestAttributesSequence,
        DCM_RequestingPhysician,
        DCM_AdmissionID,
        DCM_CurrentPatientLocation,
        DCM_PerformedProcedureStepStartDate,
        DCM_PerformedProcedureStepStartTime,
        DCM_PerformedProcedureStepID,
        DCM_PerformedProcedureStepDescription,
        DCM_ReferencedPatientSequence,
        DCM_ReferencedStudySequence,
        DCM_ReferencedImageSequence,
        DCM_SourceImageSequence,
        DCM_MedicalAlerts,
        DCM_Allergies,
        DCM_PatientReligiousPreference,
        DCM_LastMenstrualDate,
        DCM_PregnancyStatus,
        DCM_SmokingStatus,
        DCM_SpecialNeeds,
        DCM_PatientState,
        DCM_CountryOfResidence,
        DCM_RegionOfResidence,
        DCM_ResponsiblePerson,
        DCM_ResponsibleOrganization,
        DCM_PatientInsurancePlanCodeSequence,
        DCM_RequestedProcedureDescription,
        DCM_RequestedProcedureID,
        DCM_ScheduledProcedureStepDescription,
        DCM_PlacerOrderNumberImagingServiceRequest,
        DCM_FillerOrderNumberImagingServiceRequest,
        DCM_RETIRED_IdentifyingComments,
        DCM_RETIRED_StudyComments,
        DCM_RETIRED_ReasonForStudy,
        DCM_DetectorID,
        DCM_DeviceUID,
        DCM_PerformingPhysicianIdentificationSequence,
        DCM_PersonName,
        DCM_UID,
        DCM_ContentSequence,
    };
    return tags;
}

/// What the Basic Profile allows in a header MedVeil wrote from `original`: every attribute the table names
/// is absent, empty where the row allows Z, a dummy different from the original where it allows D, a new UID
/// where it allows U. Checked on every sealed header before it is written (recursing into sequences), so a
/// change to the allow-list in deidentified() cannot leak what the profile removes.
Status checkBasicProfile(DcmItem& original, DcmItem& sealed, const std::string& where)
{
    for (unsigned long i = 0; i < sealed.card(); ++i) {
        DcmElement* element = sealed.getElement(i);
        const DcmTagKey tag = element->getTag();
        const BasicProfileEntry* entry = basicProfileEntry(tag.getGroup(), tag.getElement());
        if (element->ident() == EVR_SQ) {
            auto& items = static_cast<DcmSequenceOfItems&>(*element);
            for (unsigned long k = 0; k < items.card(); ++k) {
                DcmItem empty;
                DcmItem* originalItem = nullptr;
                original.findAndGetSequenceItem(tag, originalItem, long(k));
                MEDVEIL_TRY(checkBasicProfile(originalItem ? *originalItem : empty, *items.getItem(k),
                                              where + std::string(DcmTag(tag).getTagName()) + "/"));
            }
        }
        if (!entry)
            continue;
        OFString value, before;
        element->getOFStringArray(value);
        const bool had = original.findAndGetOFStringArray(tag, before).good();
        const bool empty = element->getLength() == 0;
        const bool replaced = !empty && (!had || value != before);
        const bool ok =
            (empty && entry->allows('Z')) || (replaced && (entry->allows('D') || entry->allows('U')));
        if (!ok)
            return makeError(ErrorKind::Internal,
                             "the sealed header would keep " + where + DcmTag(tag).getTagName() +
                                 ", which PS3.15's Basic Profile " +
                                 (entry->action == "X" ? "removes" : "removes or replaces") + " (" +
                                 std::string(entry->action) + ")");
    }
    return {};
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
    switch (element.ident()) { // bytes, not text: their size (the values travel in the encrypted original)
    case EVR_OB:
    case EVR_OW:
    case EVR_OF:
    case EVR_OD:
    case EVR_OL:
    case EVR_OV:
    case EVR_UN: {
        if (!element.getLength())
            return {};
        std::string size = std::to_string(element.getLength()); // appended, not "(" + …: GCC 12's -Wrestrict
        size += " bytes)";
        return "(" + size;
    }
    default:
        break;
    }
    if (element.ident() == EVR_SQ)
        return "(sequence of " + std::to_string(static_cast<DcmSequenceOfItems&>(element).card()) +
               " item(s))";
    OFString value;
    if (element.getOFStringArray(value).bad())
        return "(binary)";
    return value.c_str();
}

} // namespace

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
    for (unsigned long i = 0; i < text.card(); ++i) {
        DcmElement* element = text.getElement(i);
        const DcmTagKey tag = element->getTag();
        const BasicProfileEntry* entry = basicProfileEntry(tag.getGroup(), tag.getElement());
        if (!entry || entry->anyPrivate) // private attributes are counted below, not listed
            continue;
        ++identity.attributeCount;
        // The readable lines are for the clinician: who, where, when the study was done. UIDs, the other
        // dates and times and empty values stay in the encrypted original only.
        const std::string value = readableValue(*element);
        const std::string keyword = DcmTag(tag).getTagName();
        const bool technical = entry->allows('U') || keyword.find("Time") != std::string::npos ||
                               (keyword.find("Date") != std::string::npos && keyword != "StudyDate" &&
                                keyword != "PatientBirthDate");
        if (!technical && !value.empty())
            readable += keyword + ": " + validUtf8(value) + "\n";
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
    section += std::string(kIdentityBlockBegin) + "\n" + base64Encode(*key) + "\n" +
               std::string(kIdentityBlockEnd) + "\n";
    identity.emrSection = std::move(section);
    return identity;
}

std::string DicomFile::restoredIdentity(const DicomFile& restored) const
{
    initialiseDcmtk();
    // Both read as UTF-8 (the lines are for people); compared as printed.
    DcmFileFormat restoredUtf8(restored.m_dataset->file), sealedUtf8(m_dataset->file);
    DcmDataset& original = restoredUtf8.convertToUTF8().good()
                               ? *restoredUtf8.getDataset()
                               : *const_cast<DcmFileFormat&>(restored.m_dataset->file).getDataset();
    DcmDataset& sealed = sealedUtf8.convertToUTF8().good()
                             ? *sealedUtf8.getDataset()
                             : *const_cast<DcmFileFormat&>(m_dataset->file).getDataset();
    std::string lines = "--- DICOM identity (restored from the seal by MedVeil, PS3.15 Annex E) ---\n";
    size_t privateCount = 0;
    for (unsigned long i = 0; i < original.card(); ++i) {
        DcmElement* element = original.getElement(i);
        const DcmTagKey tag = element->getTag();
        if (tag.isPrivate()) {
            privateCount += tag.getGroup() != 0x0071 && !sealed.tagExists(tag);
            continue;
        }
        const BasicProfileEntry* entry = basicProfileEntry(tag.getGroup(), tag.getElement());
        if (!entry || entry->anyPrivate)
            continue;
        const std::string value = readableValue(*element);
        if (value.empty())
            continue;
        DcmElement* kept = nullptr;
        if (sealed.findAndGetElement(tag, kept).good() && kept && readableValue(*kept) == value)
            continue; // the sealed file carries it as it was: nothing restored
        std::string keyword = DcmTag(tag).getTagName();
        if (keyword.rfind("RETIRED_", 0) == 0) // DCMTK's name of a retired attribute: the keyword is the rest
            keyword.erase(0, 8);
        lines += keyword + ": " + validUtf8(value) + "\n";
    }
    if (privateCount)
        lines += std::to_string(privateCount) + " private attributes\n";
    return lines;
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
    // Laterality (series, Type 2C: a paired body part) is kept when the original says which side, else left
    // out — written empty it fails dciodvfy ("should be absent (not empty) if an unpaired body part"). Image
    // Laterality (General Image, Type 2C, R/L/U/B) is kept, or present and empty: unknown, as it is to
    // whoever holds only the sealed file (without it dciodvfy takes Laterality as required).
    OFString laterality;
    if (from.findAndGetOFString(DCM_Laterality, laterality).good() && !laterality.empty())
        keepAttribute(from, ds, DCM_Laterality, false);
    keepAttribute(from, ds, DCM_ImageLaterality, true);
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
    MEDVEIL_TRY(checkBasicProfile(from, ds, ""));
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
    const auto begin = identity.rfind(kIdentityBlockBegin), end = identity.rfind(kIdentityBlockEnd);
    if (begin == std::string::npos || end == std::string::npos || end < begin)
        return makeError(ErrorKind::BadInput,
                         "this seal carries no DICOM identity (it was not sealed from a DICOM file)");
    std::string encoded;
    for (size_t i = begin + std::string(kIdentityBlockBegin).size(); i < end; ++i)
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

Result<DicomFile> DicomFile::restored(const Image& pixels, const std::string& identity, bool lossy) const
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
    auto restoredDataset = std::make_shared<Dataset>();
    restoredDataset->file = m_dataset->file;
    DcmFileFormat& copy = restoredDataset->file;
    DcmDataset& ds = *copy.getDataset();
    if (whole) {
        ds.clear(); // the original dataset, as it was
    } else {
        // Sealed before this release: the header was de-identified in place; put the elements back.
        removeMedveilBlock(ds);
        ds.findAndDeleteElement(DCM_PatientIdentityRemoved);
        ds.findAndDeleteElement(DCM_DeidentificationMethod);
        ds.findAndDeleteElement(DCM_BurnedInAnnotation);
        for (const DcmTagKey& tag : legacyProfileTags())
            ds.findAndDeleteElement(tag, true, true);
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
    if (lossy) {
        // Other pixels than the original's: a derived instance that a viewer and a PACS flag as lossy.
        const std::string uid = newDicomUid();
        ds.putAndInsertString(DCM_SOPInstanceUID, uid.c_str());
        copy.getMetaInfo()->putAndInsertString(DCM_MediaStorageSOPInstanceUID, uid.c_str());
        std::string imageType = "DERIVED\\SECONDARY";
        OFString value;
        for (unsigned long i = 2; ds.findAndGetOFString(DCM_ImageType, value, i).good(); ++i)
            imageType += std::string("\\") + value.c_str();
        ds.putAndInsertString(DCM_ImageType, imageType.c_str());
        ds.putAndInsertString(DCM_LossyImageCompression, "01");
        ds.putAndInsertString(DCM_DerivationDescription,
                              "MedVeil emr-open: network-only reveal (lossy), not for diagnosis");
    }
    return fromDataset(std::move(restoredDataset), "restored");
}

Result<Bytes> DicomFile::encodeRestored(const Image& pixels, const std::string& identity, bool lossy) const
{
    MEDVEIL_ASSIGN_OR_RETURN(const DicomFile file, restored(pixels, identity, lossy));
    // `file` is the only holder of its freshly built dataset: writing it (DCMTK updates the meta header on
    // the way) touches nothing another DicomFile shares.
    return saveDicomToBytes(const_cast<DcmFileFormat&>(file.m_dataset->file));
}

} // namespace medveil
