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
/// MedVeil's private block (0071,0010) "MEDVEIL 1" / (0071,1001) UT with `metadata`, or its removal.
void putMedveilBlock(DcmDataset& dataset, const std::map<std::string, std::string>& metadata);
void removeMedveilBlock(DcmDataset& dataset);
/// Sets the Pixel Data element from `pixels` (8-bit: bytes; 16-bit: words, with the signed offset
/// undone when `isSigned`).
Status putPixelData(DcmDataset& dataset, const Image& pixels, bool isSigned);
/// A new UID under DCMTK's root for MedVeil-derived instances, studies and series.
std::string newDicomUid();

/// Writes a DCMTK file to bytes through a private temporary (DCMTK writes files, not buffers).
Result<Bytes> saveDicomToBytes(DcmFileFormat& file);

} // namespace medveil
