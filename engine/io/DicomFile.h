// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Bytes.h"
#include "core/Image.h"
#include "core/Result.h"

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace medveil {

/// Patient identity taken out of a DICOM header for sealing into the EMR (DICOM PS3.15 Annex E).
struct DicomIdentity
{
    std::string emrSection;    ///< appended to the EMR: readable "Keyword: value" lines + the key block
    size_t attributeCount = 0; ///< profile attributes found
    size_t privateAttributeCount = 0; ///< private attributes found
    /// The original profile, private and pixel-module elements, AES-256-GCM-encrypted under a fresh key
    /// that only the EMR section holds; stored in the sealed file's MedVeil block.
    Bytes encryptedAttributes;
};

/// The readable lines of a DicomIdentity::emrSection, without the machine block that holds the key of
/// the encrypted header elements (that key never goes into a user-visible file).
std::string readableIdentity(const std::string& emrSection);

/// What the pixel module of a DICOM file says about its pixels.
struct DicomPixelInfo
{
    int rows = 0, columns = 0;
    int bitsAllocated = 16, bitsStored = 16, highBit = 15;
    bool isSigned = false;   ///< PixelRepresentation 1 (two's complement)
    std::string photometric; ///< MONOCHROME1 (inverted display) or MONOCHROME2
    double rescaleSlope = 1, rescaleIntercept = 0;
    std::optional<double> windowCentre, windowWidth; ///< first values, in modality units
    std::string transferSyntax;                      ///< name of the transfer syntax the file was read in
    std::string sopClassUid, sopInstanceUid;
};

/// A single-frame grey DICOM image read with DCMTK (uncompressed, and the lossless JPEG, JPEG-LS and RLE
/// transfer syntaxes DCMTK decodes). The pixels keep their stored words: 8-bit data become an 8-bit
/// Image, 16-bit data a 16-bit Image; signed data are offset by 32768 (exactly invertible, order kept)
/// because Image is unsigned. Multi-frame, colour and lossy-compressed files are BadInput (exit 2).
///
/// encode() writes the same dataset with new pixel values as explicit-VR little-endian (uncompressed), with
/// MedVeil's metadata (what a PNG carries as iTXt) in a private block (0071,00xx) "MEDVEIL 1":
/// - Instance::Derived (a protected or sealed image): a new SOP Instance UID, ImageType DERIVED\SECONDARY,
///   BitsStored widened to 16 when the new values need it; the original UID, transfer syntax, BitsStored
///   and HighBit are kept in the metadata so that
/// - Instance::Restored (a recovered image) puts them back and drops the private block: the header equals
///   the original apart from the transfer syntax (always uncompressed) and the file meta information.
class DicomFile
{
public:
    /// Signed stored values v are held in an Image as v + kSignedOffset.
    static constexpr int kSignedOffset = 32768;

    enum class Instance
    {
        Derived,
        Restored,
    };

    /// "DICM" at offset 128 (DICOM Part 10).
    static bool isDicom(const Bytes& data);
    static Result<DicomFile> read(const std::filesystem::path& path);

    [[nodiscard]] const Image& image() const { return m_image; }
    [[nodiscard]] const DicomPixelInfo& info() const { return m_info; }
    /// MedVeil's metadata from the private block (empty for an ordinary DICOM file).
    [[nodiscard]] const std::map<std::string, std::string>& metadata() const { return m_metadata; }
    /// Value of an attribute as text ("" when absent), e.g. attribute(0x0010, 0x0010) for PatientName.
    [[nodiscard]] std::string attribute(uint16_t group, uint16_t element) const;

    /// The Part 10 file with `pixels` (same size and depth as image()) and `metadata`.
    [[nodiscard]] Result<Bytes>
    encode(const Image& pixels, const std::map<std::string, std::string>& metadata, Instance instance) const;

    /// The attributes of the Basic Application Level Confidentiality Profile (PS3.15 Annex E, Table E.1-1,
    /// the subset listed in DicomDeidentification.cpp) present in this file, every private attribute and
    /// the pixel module (which sealing changes), captured exactly and encrypted; readable lines and the key
    /// for the EMR.
    [[nodiscard]] Result<DicomIdentity> identity() const;
    /// A de-identified file carrying an 8-bit sealed image: the profile's attributes removed, emptied or
    /// given new UIDs, private attributes removed, Patient Identity Removed = YES, De-identification Method
    /// set, an 8-bit MONOCHROME2 pixel module, `metadata` and the encrypted original attributes in
    /// MedVeil's private block.
    [[nodiscard]] Result<Bytes> encodeSealed(const Image& pixels8,
                                             const std::map<std::string, std::string>& metadata,
                                             const DicomIdentity& identity) const;
    /// The original file back from a sealed one and the opened EMR (whose key block decrypts the original
    /// attributes): those restored exactly, the de-identification marks and MedVeil's block removed,
    /// `pixels` at the original depth.
    [[nodiscard]] Result<Bytes> encodeRestored(const Image& pixels, const std::string& emr) const;

    /// Stored value → modality value (HU for CT): value · slope + intercept, undoing the signed offset.
    [[nodiscard]] double modalityValue(int stored) const;

    struct Dataset; ///< DCMTK's file (defined in DicomDataset.h, used only by the DicomFile TUs)

private:
    static Result<DicomFile> readUnguarded(const std::filesystem::path& path);

    std::shared_ptr<const Dataset> m_dataset; ///< immutable DCMTK file, copied on encode()
    Image m_image;
    DicomPixelInfo m_info;
    std::map<std::string, std::string> m_metadata;
};

} // namespace medveil
