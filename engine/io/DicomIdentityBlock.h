// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Internal: the markers of the machine block in DicomIdentity::emrSection (the key of the encrypted
// attributes), written by the DICOM plugin and cut out by readableIdentity() in the programs.

namespace medveil {

inline constexpr const char* kIdentityBlockBegin = "-----BEGIN MEDVEIL DICOM ATTRIBUTES-----";
inline constexpr const char* kIdentityBlockEnd = "-----END MEDVEIL DICOM ATTRIBUTES-----";

} // namespace medveil
