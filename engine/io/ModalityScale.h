// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cmath>
#include <string>

namespace medveil {

/// The linear map between an Image's values and modality units (Hounsfield units for CT): DICOM's Rescale
/// Slope and Intercept with the offset signed data carry inside MedVeil (DicomFile::kSignedOffset) folded
/// in. The identity for images without a rescale (PNG, most MR). DicomFile::modalityScale() makes one.
struct ModalityScale
{
    double slope = 1.0;     ///< never 0 (a file's 0 reads as 1)
    double intercept = 0.0; ///< signed offset included
    std::string modality;   ///< DICOM Modality ("CT", "MR", …), empty for other files

    [[nodiscard]] bool isIdentity() const { return slope == 1.0 && intercept == 0.0; }
    /// " HU" for CT, empty otherwise: what follows a modality value in the interface.
    [[nodiscard]] std::string unitSuffix() const { return modality == "CT" ? " HU" : ""; }

    [[nodiscard]] double toModality(double stored) const { return stored * slope + intercept; }
    [[nodiscard]] double toStored(double value) const { return (value - intercept) / slope; }
    /// A window width (a difference of values) in modality units, and back.
    [[nodiscard]] double widthToModality(double width) const { return width * std::abs(slope); }
    [[nodiscard]] double widthToStored(double width) const { return width / std::abs(slope); }
};

} // namespace medveil
