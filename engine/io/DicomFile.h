// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Bytes.h"
#include "core/Image.h"
#include "core/Result.h"
#include "io/ModalityScale.h"

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace medveil {

/// Patient identity taken out of a DICOM header for sealing into the EMR (DICOM PS3.15 Annex E).
struct DicomIdentity
{
    /// The sealed identity part: readable "Keyword: value" lines + the block with the key of
    /// encryptedAttributes.
    std::string emrSection;
    size_t attributeCount = 0;        ///< profile attributes found (and left out of the sealed header)
    size_t privateAttributeCount = 0; ///< private attributes found (all left out)
    /// The original dataset without its pixel data, AES-256-GCM-encrypted under a fresh key that only
    /// emrSection holds; stored in the sealed file's MedVeil block.
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
    std::string modality; ///< CT, MR, … (the viewer's units and presets depend on it)
    /// Zero bytes after the frame in Pixel Data (padding; non-zero extra data are refused as malformed):
    /// written back after the pixels, so that a recovered file's Pixel Data equals the input's byte for byte.
    size_t trailingZeroBytes = 0;
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
/// - Instance::Restored (a recovered image) puts every rewritten attribute back as it was (Derivation
///   Description included) and drops the private block: the dataset equals the original's attribute for
///   attribute; only the file meta information differs (explicit VR little endian, uncompressed).
/// One attribute as a tag viewer lists it.
struct DicomAttribute
{
    std::string tag;     ///< "(0010,0010)"
    std::string keyword; ///< PatientName; "" for unknown (private) tags
    std::string vr;      ///< PN
    std::string value;   ///< UTF-8, at most 256 characters; "(sequence of n item(s))", "(binary, n bytes)"
};

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
    /// The same for a file held in memory (no file on disk); `name` goes into error messages. Anything
    /// DCMTK or MedVeil cannot use is BadInput, never an exception.
    static Result<DicomFile> fromBytes(const Bytes& data, const std::string& name);

    [[nodiscard]] const Image& image() const { return m_image; }
    [[nodiscard]] const DicomPixelInfo& info() const { return m_info; }
    /// MedVeil's metadata from the private block (empty for an ordinary DICOM file).
    [[nodiscard]] const std::map<std::string, std::string>& metadata() const { return m_metadata; }
    /// Value of an attribute as text ("" when absent), e.g. attribute(0x0010, 0x0010) for PatientName.
    [[nodiscard]] std::string attribute(uint16_t group, uint16_t element) const;

    /// The Part 10 file with `pixels` (same size and depth as image()) and `metadata`.
    [[nodiscard]] Result<Bytes>
    encode(const Image& pixels, const std::map<std::string, std::string>& metadata, Instance instance) const;

    /// SHA-256 over every attribute of the dataset except the file meta information, the pixel data,
    /// MedVeil's private block and the attributes a protection rewrites (SOP Instance UID, Image Type,
    /// Derivation Description, Bits Stored, High Bit), followed by what a restoration puts back (the
    /// original values of those, from this file or, for a protected file, from MedVeil's block). The
    /// protection record carries it, so that recovery refuses a file whose header was edited.
    /// Data Set Trailing Padding is not digested (a network transfer drops it).
    [[nodiscard]] Result<Bytes> protectionDigest() const;
    /// The protectionDigest() of releases before Data Set Trailing Padding was left out, for a file that
    /// still carries it (empty otherwise): protections made by those releases keep opening.
    [[nodiscard]] Result<Bytes> legacyProtectionDigest() const;
    /// SHA-256 over every attribute except the file meta information, the pixel data and MedVeil's private
    /// block: what the sealed parameters bind for a sealed (de-identified) file.
    [[nodiscard]] Result<Bytes> headerDigest() const;

    /// The whole original dataset except its pixel data, AES-256-GCM-encrypted under a fresh key that only
    /// the identity part holds, and the readable identity lines (PS3.15 Annex E attributes present).
    [[nodiscard]] Result<DicomIdentity> identity() const;
    /// The file meta and dataset attributes, top level, in file order (values converted to UTF-8 from
    /// the file's character set): what View ▸ DICOM Tags lists.
    [[nodiscard]] std::vector<DicomAttribute> attributes() const;
    /// The de-identified header of the sealed file, as a Secondary Capture Image Storage object with blank
    /// 8-bit MONOCHROME2 pixels: only the attributes the Basic Application Level Confidentiality Profile
    /// keeps (new UIDs, emptied Type 2 attributes; everything else, private attributes included, left out),
    /// the SC Equipment module, Patient Identity Removed YES and the Deidentification Method Code Sequence.
    /// Its headerDigest() is bound into the seal; encodeSealed() then adds the cipher pixels.
    [[nodiscard]] Result<DicomFile> deidentified() const;
    /// This (deidentified()) header with the 8-bit cipher pixels, `metadata` and the encrypted original in
    /// MedVeil's private block.
    [[nodiscard]] Result<Bytes> encodeSealed(const Image& pixels8,
                                             const std::map<std::string, std::string>& metadata,
                                             const DicomIdentity& identity) const;
    /// The original file back from a sealed one and the opened identity part (whose key block decrypts the
    /// original dataset): the original SOP class, modules and attributes exactly, `pixels` at the original
    /// depth. `lossy` (a network-only reveal): the pixels are not the original's, so the file is a new,
    /// derived instance that says so (Lossy Image Compression 01, a new SOP Instance UID, DERIVED, a
    /// derivation description "not for diagnosis").
    [[nodiscard]] Result<Bytes> encodeRestored(const Image& pixels, const std::string& identity,
                                               bool lossy = false) const;
    /// encodeRestored()'s dataset, not encoded: the revealed image's own header (its modality scale and
    /// window, for a viewer).
    [[nodiscard]] Result<DicomFile> restored(const Image& pixels, const std::string& identity,
                                             bool lossy = false) const;

    /// What opening this sealed file gave back, readable (emr-open --identity-out): a "Keyword: value" line
    /// (UTF-8) for every PS3.15 Annex E attribute that `restored` — this file's original, back — holds with
    /// a value this file lacks or holds otherwise (names, dates, times, UIDs, sequences: all of them, in tag
    /// order), and the count of private attributes restored.
    [[nodiscard]] std::string restoredIdentity(const DicomFile& restored) const;

    /// Stored value → modality value (HU for CT): value · slope + intercept, undoing the signed offset.
    [[nodiscard]] double modalityValue(int stored) const;
    /// The same map as a value the viewer keeps (window/level in HU, the pixel read-out).
    [[nodiscard]] ModalityScale modalityScale() const;

    struct Dataset; ///< DCMTK's file (defined in DicomDataset.h, used only by the DicomFile TUs)

private:
    /// DCMTK's loadFile; `loadAll` reads deferred (> 4 KB) values too, so that the file can go away.
    static Result<DicomFile> loadUnguarded(const std::filesystem::path& path, const std::string& name,
                                           bool loadAll);
    /// Builds the pixel information and image from a loaded dataset (read, deidentified).
    static Result<DicomFile> fromDataset(std::shared_ptr<Dataset> dataset, const std::string& name);
    /// What a restoration puts back: every attribute a protection rewrites (SOP Instance UID, Image Type,
    /// Derivation Description, Bits Stored, High Bit) as the original held it, encoded; for a protected
    /// file the copy its MedVeil block carries (files of earlier releases: four values as lines).
    [[nodiscard]] Result<std::string> restorationSource() const;
    [[nodiscard]] Result<Bytes> protectionDigest(bool withTrailingPadding) const;

    std::shared_ptr<const Dataset> m_dataset; ///< immutable DCMTK file, copied on encode()
    Image m_image;
    DicomPixelInfo m_info;
    std::map<std::string, std::string> m_metadata;
};

} // namespace medveil
