// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Internal to the DicomFile translation units: DCMTK's types and shared helpers. Not a public header.

#include "io/DicomFile.h"

#include <dcmtk/config/osconfig.h>

#include <dcmtk/dcmdata/dctk.h>

namespace medveil {

struct DicomFile::Dataset
{
    DcmFileFormat file;
};

/// Registers the decoders and silences DCMTK's logging, once.
void initialiseDcmtk();
/// The element's whole value as text (all values, backslash-separated); empty when absent.
std::string stringValue(DcmItem& item, const DcmTagKey& key);
/// MedVeil's private block (0071,0010) "MEDVEIL 1" / (0071,1001) OB with `metadata`, or its removal.
void putMedveilBlock(DcmDataset& dataset, const std::map<std::string, std::string>& metadata);
void removeMedveilBlock(DcmDataset& dataset);
/// Sets the Pixel Data element from `pixels` (8-bit: bytes; 16-bit: words, with the signed offset
/// undone when `isSigned`), followed by `trailingZeroBytes` zero bytes (the source's padding, carried whole).
Status putPixelData(DcmDataset& dataset, const Image& pixels, bool isSigned, size_t trailingZeroBytes = 0);
/// Every element of `item` (sequences included), or the listed ones, hold values their VR and VM allow
/// (DCMTK's checkValue: lengths, characters, DS/IS/UI formats); the first that does not is named. Run on
/// what MedVeil sets before it writes.
Status checkValues(DcmItem& item);
Status checkValues(DcmItem& item, const std::vector<DcmTagKey>& tags);
/// Attributes ↔ bytes (explicit VR little endian, no file meta): what the sealed file carries encrypted.
Result<Bytes> encodeElements(DcmDataset& subset);
Result<std::unique_ptr<DcmDataset>> decodeElements(const Bytes& bytes);
/// A new UID under the 2.25 UUID root for MedVeil-derived instances, studies and series.
std::string newDicomUid();

/// Writes a DCMTK file to bytes in memory (DCMTK's buffer stream; no temporary file).
Result<Bytes> saveDicomToBytes(DcmFileFormat& file);

} // namespace medveil
