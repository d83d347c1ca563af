// SPDX-License-Identifier: GPL-3.0-or-later
#include "io/DicomFile.h"

#include "crypto/Digest.h"
#include "io/AtomicFile.h"
#include "io/DecoderHeaders.h"
#include "io/DicomDataset.h"
#include "io/ImageIo.h"

#include <dcmtk/config/osconfig.h>

#include <dcmtk/dcmdata/dcistrmb.h>
#include <dcmtk/dcmdata/dcostrmb.h>
#include <dcmtk/dcmdata/dcpxitem.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmdata/dctk.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>
#include <dcmtk/oflog/oflog.h>

#include <opencv2/core.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <regex>
#include <sstream>
#include <sys/mman.h>
#include <unistd.h>

namespace medveil {

namespace {

constexpr uint16_t kPrivateGroup = 0x0071;
const char* const kPrivateCreator = "MEDVEIL 1";
constexpr int kSignedOffset = DicomFile::kSignedOffset;
/// Files of earlier releases: the values restoration puts back as lines (UID, BitsStored, HighBit,
/// ImageType).
const char* const kSourceKey = "MedVeil:dicom-source";
/// Since this release: the original elements of every attribute a protection rewrites (kRewrittenTags), as
/// they were (absent ones absent), encoded explicit VR little endian.
const char* const kOriginalKey = "MedVeil:dicom-original";

/// Every attribute a protection rewrites in the dataset (pixel data and MedVeil's own block aside). The
/// originals travel in the bound copy (kOriginalKey) and recovery puts them back exactly.
const DcmTagKey kRewrittenTags[] = {DCM_SOPInstanceUID, DCM_ImageType, DCM_DerivationDescription,
                                    DCM_BitsStored, DCM_HighBit};

/// Tells DCMTK's data dictionary that MedVeil's block (0071,xx01) under creator "MEDVEIL 1" is OB. Without
/// it, a file that a PACS re-encoded as Implicit VR (the transfer syntax every receiver must accept) is
/// read back with VR "unknown", and the protection data would look destroyed although every byte is there.
void registerMedveilPrivateTag()
{
    DcmDataDictionary& dictionary = dcmDataDict.wrlock();
    const DcmTagKey key(kPrivateGroup, 0x0001); // private dictionary entries name the element's low byte
    if (!dictionary.findEntry(key, kPrivateCreator)) {
        // The dictionary owns its entries and deletes them itself (DCMTK's interface takes a raw pointer).
        dictionary.addEntry(new DcmDictEntry(kPrivateGroup, 0x0001, DcmVR(EVR_OB), "MedVeilProtectionData", 1,
                                             1, "private", OFTrue, kPrivateCreator));
    }
    dcmDataDict.wrunlock();
}

} // namespace

std::string stringValue(DcmItem& item, const DcmTagKey& key)
{
    OFString value;
    if (item.findAndGetOFStringArray(key, value).good())
        return value.c_str();
    return {};
}

void initialiseDcmtk()
{
    static std::once_flag once;
    std::call_once(once, [] {
        // DCMTK logs warnings about harmless quirks of real files to stderr; MedVeil reports its own errors.
        OFLog::configure(OFLogger::FATAL_LOG_LEVEL);
        DJDecoderRegistration::registerCodecs();
        DJLSDecoderRegistration::registerCodecs();
        DcmRLEDecoderRegistration::registerCodecs();
        registerMedveilPrivateTag();
    });
}

namespace {

std::optional<double> getDouble(DcmItem& item, const DcmTagKey& key)
{
    Float64 value = 0;
    if (item.findAndGetFloat64(key, value).good())
        return value;
    return std::nullopt;
}

int getInt(DcmItem& item, const DcmTagKey& key, int fallback)
{
    Uint16 value = 0;
    return item.findAndGetUint16(key, value).good() ? int(value) : fallback;
}

/// key \t base64(value) per line: the private block holds any metadata text unchanged.
std::string packMetadata(const std::map<std::string, std::string>& metadata)
{
    std::string out;
    for (const auto& [k, v] : metadata)
        out += k + "\t" + base64Encode(toBytes(v)) + "\n";
    return out;
}

std::map<std::string, std::string> unpackMetadata(const std::string& packed)
{
    std::map<std::string, std::string> out;
    std::istringstream in(packed);
    std::string line;
    while (std::getline(in, line)) {
        const auto tab = line.find('\t');
        if (tab == std::string::npos)
            continue;
        auto value = base64Decode(line.substr(tab + 1));
        if (value)
            out[line.substr(0, tab)] = std::string(value->begin(), value->end());
    }
    return out;
}

/// The private creator slot (0x10…0xFF) of group 0071 that holds "MEDVEIL 1", or 0.
Uint16 medveilSlot(DcmItem& ds)
{
    for (Uint16 slot = 0x10; slot <= 0xFF; ++slot) {
        OFString creator;
        if (ds.findAndGetOFString(DcmTagKey(kPrivateGroup, slot), creator).good() &&
            creator == kPrivateCreator)
            return slot;
    }
    return 0;
}

/// MedVeil's block as written (OB, since this release; UT text before) → metadata.
std::map<std::string, std::string> readMedveilBlock(DcmDataset& ds)
{
    const Uint16 slot = medveilSlot(ds);
    if (slot == 0)
        return {};
    DcmElement* element = nullptr;
    if (ds.findAndGetElement(DcmTagKey(kPrivateGroup, Uint16(slot << 8 | 0x01)), element).bad() || !element)
        return {};
    std::string packed;
    // OB as written; UN or "unknown" when a receiver or converter did not know the private tag (implicit VR
    // without MedVeil's dictionary entry, or an explicit-VR copy made from such a file): the bytes are the
    // same.
    const DcmEVR vr = element->ident();
    if (vr == EVR_OB || vr == EVR_UN || vr == EVR_UNKNOWN || vr == EVR_UNKNOWN2B) {
        Uint8* bytes = nullptr;
        if (element->getUint8Array(bytes).good() && bytes)
            packed.assign(reinterpret_cast<const char*>(bytes), element->getLength());
    } else {
        OFString text;
        if (element->getOFStringArray(text).good())
            packed = text.c_str();
    }
    return unpackMetadata(packed);
}

} // namespace

Result<DicomFile> DicomFile::read(const std::filesystem::path& path)
{
    // DCMTK reports through OFCondition, but a hostile length can still make an allocation throw; no
    // exception leaves the engine.
    try {
        return loadUnguarded(path, path.string(), false);
    } catch (const std::exception& e) {
        return makeError(ErrorKind::BadInput, path.string() + ": not a usable DICOM file (" + e.what() + ")");
    }
}

Result<DicomFile> DicomFile::fromBytes(const Bytes& data, const std::string& name)
{
    // DCMTK's file reader, not its buffer stream: the file reader defers values longer than 4 KB and skips
    // them, so a declared length past the end of the data is an error at once (the buffer stream allocates
    // the declared length first: a 4 KB file could ask for 1.3 GB, fuzz_dicom_loader). The file is an
    // anonymous in-memory one (memfd), read whole before it is closed: nothing touches the disk.
    const int fd = ::memfd_create("medveil-dicom", MFD_CLOEXEC);
    if (fd < 0)
        return makeError(ErrorKind::Internal,
                         "cannot create an in-memory file: " + std::string(std::strerror(errno)));
    size_t written = 0;
    while (written < data.size()) {
        const ssize_t n = ::write(fd, data.data() + written, data.size() - written);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            ::close(fd);
            return makeError(ErrorKind::Internal, "cannot write an in-memory file");
        }
        written += size_t(n);
    }
    Result<DicomFile> file = makeError(ErrorKind::Internal, "not read");
    try {
        file = loadUnguarded("/proc/self/fd/" + std::to_string(fd), name, true);
    } catch (const std::exception& e) {
        file = makeError(ErrorKind::BadInput, name + ": not a usable DICOM file (" + e.what() + ")");
    }
    ::close(fd);
    return file;
}

Result<DicomFile> DicomFile::loadUnguarded(const std::filesystem::path& path, const std::string& name,
                                           bool loadAll)
{
    initialiseDcmtk();
    auto dataset = std::make_shared<Dataset>();
    if (OFCondition status = dataset->file.loadFile(path.c_str()); status.bad())
        return makeError(ErrorKind::BadInput, name + ": not a readable DICOM file (" + status.text() + ")");
    if (loadAll) {
        if (OFCondition status = dataset->file.loadAllDataIntoMemory(); status.bad())
            return makeError(ErrorKind::BadInput,
                             name + ": not a readable DICOM file (" + status.text() + ")");
    }
    return fromDataset(std::move(dataset), name);
}

namespace {

/// The pixel module of `ds` (and the attributes the viewer uses), or why MedVeil cannot take its pixels
/// bit-exactly: lossy, multi-frame, colour, other layouts.
Result<DicomPixelInfo> readPixelInfo(DcmDataset& ds, const std::filesystem::path& path)
{
    DicomPixelInfo info;
    const DcmXfer original(ds.getOriginalXfer());
    info.transferSyntax = original.getXferName();
    if (original.isEncapsulated() && original.isLossy())
        return makeError(ErrorKind::BadInput, path.string() + ": lossy-compressed pixel data (" +
                                                  info.transferSyntax +
                                                  ") cannot be protected bit-exactly; export it uncompressed "
                                                  "or losslessly compressed");
    if (!ds.tagExistsWithValue(DCM_PixelData))
        return makeError(ErrorKind::BadInput, path.string() + ": the DICOM file has no pixel data");
    // As DCMTK's decoders read it (findAndGetSint32), and as text: either saying more than one is refused.
    Sint32 codecFrames = 1;
    if (ds.findAndGetSint32(DCM_NumberOfFrames, codecFrames).bad())
        codecFrames = 1;
    const long frames = std::max<long>(std::atol(stringValue(ds, DCM_NumberOfFrames).c_str()), codecFrames);
    if (frames > 1)
        return makeError(ErrorKind::BadInput, path.string() + ": multi-frame images (" +
                                                  std::to_string(frames) +
                                                  " frames) are not supported; split the frames first");
    if (getInt(ds, DCM_SamplesPerPixel, 1) != 1)
        return makeError(ErrorKind::BadInput, path.string() + ": colour DICOM images are not supported");
    info.photometric = stringValue(ds, DCM_PhotometricInterpretation);
    if (info.photometric != "MONOCHROME1" && info.photometric != "MONOCHROME2")
        return makeError(ErrorKind::BadInput,
                         path.string() + ": photometric interpretation " + info.photometric + " is not grey");
    info.rows = getInt(ds, DCM_Rows, 0);
    info.columns = getInt(ds, DCM_Columns, 0);
    info.bitsAllocated = getInt(ds, DCM_BitsAllocated, 16);
    info.bitsStored = getInt(ds, DCM_BitsStored, info.bitsAllocated);
    info.highBit = getInt(ds, DCM_HighBit, info.bitsStored - 1);
    info.isSigned = getInt(ds, DCM_PixelRepresentation, 0) == 1;
    info.rescaleSlope = getDouble(ds, DCM_RescaleSlope).value_or(1.0);
    info.rescaleIntercept = getDouble(ds, DCM_RescaleIntercept).value_or(0.0);
    info.windowCentre = getDouble(ds, DCM_WindowCenter);
    info.windowWidth = getDouble(ds, DCM_WindowWidth);
    info.sopClassUid = stringValue(ds, DCM_SOPClassUID);
    info.modality = stringValue(ds, DCM_Modality);
    info.sopInstanceUid = stringValue(ds, DCM_SOPInstanceUID);
    if (info.rows < 1 || info.columns < 1 || (info.bitsAllocated != 8 && info.bitsAllocated != 16))
        return makeError(ErrorKind::BadInput, path.string() + ": unsupported pixel layout (" +
                                                  std::to_string(info.bitsAllocated) + " bits allocated)");
    return info;
}

/// DCMTK's JPEG and JPEG-LS decoders allocate for the size the compressed stream declares and refuse a
/// frame larger than Rows × Columns only after decoding it: a progressive 16000² stream in a 64² file took
/// 14 s and 560 MB before the refusal. Every frame's header is read before anything is decoded.
Status checkCompressedFrames(DcmDataset& ds, const DicomPixelInfo& info, const std::filesystem::path& path)
{
    const E_TransferSyntax xfer = ds.getOriginalXfer();
    const bool jpegFamily = (xfer >= EXS_JPEGProcess1 && xfer <= EXS_JPEGProcess14SV1) ||
                            xfer == EXS_JPEGLSLossless || xfer == EXS_JPEGLSLossy;
    if (!jpegFamily)
        return {};
    DcmElement* element = nullptr;
    DcmPixelSequence* sequence = nullptr;
    auto* pixelData =
        ds.findAndGetElement(DCM_PixelData, element).good() ? dynamic_cast<DcmPixelData*>(element) : nullptr;
    // A dataset built in memory from a compressed file (DicomFile::restored) keeps the file's original
    // transfer syntax but holds native pixels: nothing is compressed, nothing to check.
    if (pixelData && !pixelData->hasRepresentation(xfer, nullptr))
        return {};
    if (!pixelData || pixelData->getEncapsulatedRepresentation(xfer, nullptr, sequence).bad() || !sequence)
        return makeError(ErrorKind::BadInput, path.string() + ": the compressed pixel data cannot be read");
    for (unsigned long i = 1; i < sequence->card(); ++i) { // item 0 is the basic offset table
        DcmPixelItem* fragment = nullptr;
        Uint8* bytes = nullptr;
        if (sequence->getItem(fragment, i).bad() || !fragment || fragment->getUint8Array(bytes).bad() ||
            !bytes)
            return makeError(ErrorKind::BadInput,
                             path.string() + ": a compressed pixel fragment cannot be read");
        const Uint32 length = fragment->getLength();
        // A frame starts with SOI; entropy-coded data never contains FF D8, so other fragments continue one.
        if (length < 2 || bytes[0] != 0xff || bytes[1] != 0xd8)
            continue;
        auto frame = jpegStreamFrameSize(bytes, length);
        if (!frame)
            return makeError(ErrorKind::BadInput, path.string() + ": " + frame.error().message);
        if (frame->width > uint64_t(info.columns) || frame->height > uint64_t(info.rows))
            return makeError(ErrorKind::BadInput,
                             path.string() + ": a compressed frame declares " + std::to_string(frame->width) +
                                 "×" + std::to_string(frame->height) + " pixels, the header " +
                                 std::to_string(info.columns) + "×" + std::to_string(info.rows));
    }
    return {};
}

/// The stored pixel words of `ds` (decoded to little endian explicit first), signed data offset by
/// kSignedOffset so that they fit an unsigned Image.
Result<Image> readPixels(DcmDataset& ds, DicomPixelInfo& info, const std::filesystem::path& path)
{
    // Before any pixel data is decoded: a small compressed file can declare gigapixels.
    MEDVEIL_TRY(checkPixelLimit(uint64_t(info.columns), uint64_t(info.rows), path.filename().string()));
    MEDVEIL_TRY(checkCompressedFrames(ds, info, path));
    if (OFCondition status = ds.chooseRepresentation(EXS_LittleEndianExplicit, nullptr);
        status.bad() || !ds.canWriteXfer(EXS_LittleEndianExplicit))
        return makeError(ErrorKind::BadInput, path.string() + ": cannot decode " + info.transferSyntax +
                                                  " pixel data (" + status.text() + ")");
    const size_t count = size_t(info.rows) * size_t(info.columns);
    // Pixel data longer than one Rows × Columns frame (a second frame without NumberOfFrames, more rows
    // than Rows says) would lose the rest silently in a protection and its "identical" recovery: refused.
    // Zero padding after the frame (pydicom's MR_small_padded) is carried whole: written back after the
    // pixels of every file made from this one.
    const auto checkLength = [&](size_t bytes, bool zeroTail) -> Status {
        const size_t expected = count * size_t(info.bitsAllocated / 8);
        if (bytes == expected || (bytes == expected + 1 && expected % 2 == 1))
            return {};
        if (bytes > expected && zeroTail) {
            info.trailingZeroBytes = bytes - expected;
            return {};
        }
        const std::string frames = stringValue(ds, DCM_NumberOfFrames);
        return makeError(
            ErrorKind::BadInput,
            path.string() + ": malformed pixel data: " + std::to_string(bytes) + " bytes where " +
                std::to_string(info.rows) + " rows × " + std::to_string(info.columns) +
                " columns × 1 frame (NumberOfFrames " + (frames.empty() ? "absent" : frames) + ") × " +
                std::to_string(info.bitsAllocated / 8) + " byte(s) = " + std::to_string(expected) +
                " bytes; " + (bytes < expected ? "truncated" : "MedVeil will not drop the rest"));
    };
    if (info.bitsAllocated == 16) {
        const Uint16* words = nullptr;
        unsigned long n = 0;
        if (ds.findAndGetUint16Array(DCM_PixelData, words, &n).bad() || !words)
            return makeError(ErrorKind::BadInput, path.string() + ": truncated pixel data");
        DcmElement* element = nullptr;
        const size_t bytes = ds.findAndGetElement(DCM_PixelData, element).good() && element
                                 ? size_t(element->getLength())
                                 : size_t(n) * 2;
        MEDVEIL_TRY(
            checkLength(bytes, bytes % 2 == 0 && n >= count &&
                                   std::all_of(words + count, words + n, [](Uint16 w) { return w == 0; })));
        cv::Mat mat(info.rows, info.columns, CV_16U);
        auto* out = mat.ptr<uint16_t>();
        for (size_t i = 0; i < count; ++i)
            out[i] = info.isSigned ? uint16_t((int(int16_t(words[i])) + kSignedOffset) & 0xFFFF) : words[i];
        return Image::fromMat(mat);
    }
    const Uint8* bytes = nullptr;
    unsigned long n = 0;
    if (ds.findAndGetUint8Array(DCM_PixelData, bytes, &n).bad() || !bytes)
        return makeError(ErrorKind::BadInput, path.string() + ": truncated pixel data");
    MEDVEIL_TRY(checkLength(
        size_t(n), n >= count && std::all_of(bytes + count, bytes + n, [](Uint8 b) { return b == 0; })));
    if (info.isSigned)
        return makeError(ErrorKind::BadInput, path.string() + ": signed 8-bit pixel data are not supported");
    cv::Mat mat(info.rows, info.columns, CV_8U);
    std::copy(bytes, bytes + count, mat.ptr<uint8_t>());
    return Image::fromMat(mat);
}

/// A lossless JPEG re-encoding (DCMTK's dcmcjpeg, and PACS that use it) prepends "Lossless JPEG compression,
/// selection value S, point transform 0, compression ratio R" to DerivationDescription, keeping the old value
/// in brackets. The pixels are unchanged, so in a MedVeil file the note is taken off again: the header then
/// verifies, and recover/emr-open write the same bytes whatever lossless transfer syntax the file came in.
/// A point transform other than 0 discards low bits (lossy) and is left alone: such a file fails its checks.
void undoLosslessTranscoderNote(DcmDataset& ds)
{
    static const std::regex note(
        R"(Lossless JPEG compression, selection value [1-7], point transform 0, compression ratio [0-9.]+(?: \[(.*)\])?)");
    for (;;) {
        OFString value;
        if (ds.findAndGetOFStringArray(DCM_DerivationDescription, value).bad())
            return;
        std::smatch match;
        const std::string text = value.c_str();
        if (!std::regex_match(text, match, note))
            return;
        if (match[1].matched)
            ds.putAndInsertString(DCM_DerivationDescription, match[1].str().c_str());
        else
            ds.findAndDeleteElement(DCM_DerivationDescription);
    }
}

} // namespace

Result<DicomFile> DicomFile::fromDataset(std::shared_ptr<Dataset> dataset, const std::string& name)
{
    const std::filesystem::path path(name);
    DcmDataset& ds = *dataset->file.getDataset();
    DicomFile file;
    MEDVEIL_ASSIGN_OR_RETURN(file.m_info, readPixelInfo(ds, path));
    MEDVEIL_ASSIGN_OR_RETURN(file.m_image, readPixels(ds, file.m_info, path));
    // A 12-bit CT in 16-bit words: PSNR's peak and SSIM's range are 4095, not 65535 (metrics::dynamicRange).
    file.m_image.setSignificantBits(file.m_info.bitsStored);
    file.m_metadata = readMedveilBlock(ds);
    if (!file.m_metadata.empty())
        undoLosslessTranscoderNote(ds);
    file.m_dataset = std::move(dataset);
    return file;
}

std::string DicomFile::attribute(uint16_t group, uint16_t element) const
{
    return stringValue(*const_cast<DcmFileFormat&>(m_dataset->file).getDataset(), DcmTagKey(group, element));
}

Result<Bytes> DicomFile::encode(const Image& pixels, const std::map<std::string, std::string>& metadata,
                                Instance instance) const
{
    initialiseDcmtk();
    if (pixels.width() != m_info.columns || pixels.height() != m_info.rows ||
        pixels.bitDepth() != m_info.bitsAllocated)
        return makeError(ErrorKind::Internal, "DICOM pixels must keep the original size and depth");
    DcmFileFormat copy(m_dataset->file);
    DcmDataset& ds = *copy.getDataset();
    std::map<std::string, std::string> privateMetadata = metadata;
    MEDVEIL_TRY(putPixelData(ds, pixels, m_info.isSigned, m_info.trailingZeroBytes));
    double lowest = 0, highest = 0;
    cv::minMaxLoc(pixels.mat(), &lowest, &highest);
    const int maxValue = int(highest);

    if (instance == Instance::Derived) {
        // Remember what a restoration must put back (not secret: the original header carried it). The
        // protection record binds it through protectionDigest().
        MEDVEIL_ASSIGN_OR_RETURN(const std::string source, restorationSource());
        privateMetadata[kOriginalKey] = source;
        ds.putAndInsertString(DCM_SOPInstanceUID, newDicomUid().c_str());
        // Values 3 and beyond say what the image is (AXIAL, LOCALIZER…; CT requires value 3): kept.
        std::string imageType = "DERIVED\\SECONDARY";
        OFString value;
        for (unsigned long i = 2; ds.findAndGetOFString(DCM_ImageType, value, i).good(); ++i)
            imageType += std::string("\\") + value.c_str();
        ds.putAndInsertString(DCM_ImageType, imageType.c_str());
        ds.putAndInsertString(DCM_DerivationDescription,
                              "MedVeil (key-region protection or EMR hidden encryption)");
        // New values may need all 16 bits (the reversible embedding can move a pixel past BitsStored).
        // Widened to what is allocated, never past it (8-bit data stay 8-bit).
        const int needed = m_info.isSigned || maxValue >= (1 << m_info.bitsStored) ? m_info.bitsAllocated
                                                                                   : m_info.bitsStored;
        if (needed != m_info.bitsStored) {
            ds.putAndInsertUint16(DCM_BitsStored, Uint16(needed));
            ds.putAndInsertUint16(DCM_HighBit, Uint16(needed - 1));
        }
        putMedveilBlock(ds, privateMetadata);
        MEDVEIL_TRY(checkValues(ds, {DCM_SOPInstanceUID, DCM_ImageType, DCM_DerivationDescription}));
    } else if (const auto original = m_metadata.find(kOriginalKey); original != m_metadata.end()) {
        // The original elements exactly as they were (absent ones stay absent); authenticated through
        // protectionDigest(), which the record binds.
        MEDVEIL_ASSIGN_OR_RETURN(const std::unique_ptr<DcmDataset> elements,
                                 decodeElements(toBytes(original->second)));
        for (const DcmTagKey& tag : kRewrittenTags)
            ds.findAndDeleteElement(tag);
        for (unsigned long i = 0; i < elements->card(); ++i) {
            const DcmTagKey tag = elements->getElement(i)->getTag();
            if (std::find(std::begin(kRewrittenTags), std::end(kRewrittenTags), tag) ==
                std::end(kRewrittenTags))
                return makeError(ErrorKind::Auth, "MedVeil's DICOM block names an attribute protection never "
                                                  "rewrites");
            ds.insert(static_cast<DcmElement*>(elements->getElement(i)->clone()), true);
        }
    } else if (const auto it = m_metadata.find(kSourceKey); it != m_metadata.end()) {
        // Files protected by earlier releases: the four values they kept (DerivationDescription was not).
        std::istringstream in(it->second);
        std::string uid, bitsStored, highBit, imageType;
        std::getline(in, uid);
        std::getline(in, bitsStored);
        std::getline(in, highBit);
        std::getline(in, imageType);
        ds.putAndInsertString(DCM_SOPInstanceUID, uid.c_str());
        ds.putAndInsertUint16(DCM_BitsStored, Uint16(std::atoi(bitsStored.c_str())));
        ds.putAndInsertUint16(DCM_HighBit, Uint16(std::atoi(highBit.c_str())));
        if (imageType.empty())
            ds.findAndDeleteElement(DCM_ImageType);
        else
            ds.putAndInsertString(DCM_ImageType, imageType.c_str());
        ds.findAndDeleteElement(DCM_DerivationDescription);
        MEDVEIL_TRY(checkValues(ds, {DCM_SOPInstanceUID, DCM_ImageType}));
    }
    if (instance == Instance::Restored)
        removeMedveilBlock(ds);
    return saveDicomToBytes(copy);
}

Result<std::string> DicomFile::restorationSource() const
{
    // A protected file: what its block holds (this release's elements, or an earlier release's lines).
    for (const char* key : {kOriginalKey, kSourceKey})
        if (const auto stored = m_metadata.find(key); stored != m_metadata.end())
            return stored->second;
    // An original: every attribute protection rewrites, as it is (absent ones absent).
    DcmDataset& ds = *const_cast<DcmFileFormat&>(m_dataset->file).getDataset();
    DcmDataset elements;
    for (const DcmTagKey& tag : kRewrittenTags) {
        DcmElement* element = nullptr;
        if (ds.findAndGetElement(tag, element).good() && element)
            elements.insert(static_cast<DcmElement*>(element->clone()), true);
    }
    MEDVEIL_ASSIGN_OR_RETURN(const Bytes encoded, encodeElements(elements));
    return std::string(encoded.begin(), encoded.end());
}

namespace {

/// SHA-256 of the dataset's canonical encoding (explicit VR little endian) without `excluded`, MedVeil's
/// block and the pixel data. Encoded, decoded and encoded again, so that an attribute DCMTK pads on writing
/// digests the same in memory and read back from the written file.
/// Data Set Trailing Padding (FFFC,FFFC) has no meaning (PS3.10 7.2) and a network transfer drops it, so it
/// is not digested: a file that went through a PACS still verifies. `withTrailingPadding` gives the digest of
/// earlier releases, which included it.
Result<Bytes> datasetDigest(const DcmDataset& dataset, const std::vector<DcmTagKey>& excluded,
                            bool withTrailingPadding = false)
{
    DcmDataset copy(dataset);
    copy.findAndDeleteElement(DCM_PixelData);
    if (!withTrailingPadding)
        copy.findAndDeleteElement(DCM_DataSetTrailingPadding);
    removeMedveilBlock(copy);
    for (const DcmTagKey& tag : excluded)
        copy.findAndDeleteElement(tag);
    auto first = encodeElements(copy);
    if (!first)
        return first.error();
    auto decoded = decodeElements(*first);
    if (!decoded)
        return decoded.error();
    auto canonical = encodeElements(**decoded);
    if (!canonical)
        return canonical.error();
    return sha256(*canonical);
}

} // namespace

Result<Bytes> DicomFile::protectionDigest() const
{
    return protectionDigest(false);
}

Result<Bytes> DicomFile::legacyProtectionDigest() const
{
    const DcmDataset& ds = *const_cast<DcmFileFormat&>(m_dataset->file).getDataset();
    if (!const_cast<DcmDataset&>(ds).tagExists(DCM_DataSetTrailingPadding))
        return Bytes{};
    return protectionDigest(true);
}

Result<Bytes> DicomFile::protectionDigest(bool withTrailingPadding) const
{
    const DcmDataset& ds = *const_cast<DcmFileFormat&>(m_dataset->file).getDataset();
    auto digest =
        datasetDigest(ds, {std::begin(kRewrittenTags), std::end(kRewrittenTags)}, withTrailingPadding);
    if (!digest)
        return digest.error();
    MEDVEIL_ASSIGN_OR_RETURN(const std::string source, restorationSource());
    appendBlob(*digest, toBytes(source));
    return sha256(*digest);
}

Result<Bytes> DicomFile::headerDigest() const
{
    return datasetDigest(*const_cast<DcmFileFormat&>(m_dataset->file).getDataset(), {});
}

/// Every element of `item` (sequences included) holds a value its VR and VM allow; the first that does
/// not is named.
Status checkValues(DcmItem& item)
{
    for (unsigned long i = 0; i < item.card(); ++i) {
        DcmElement* element = item.getElement(i);
        if (element->ident() == EVR_SQ) {
            auto& sequence = static_cast<DcmSequenceOfItems&>(*element);
            for (unsigned long j = 0; j < sequence.card(); ++j)
                MEDVEIL_TRY(checkValues(*sequence.getItem(j)));
            continue;
        }
        if (element->getLength() == 0)
            continue;
        if (OFCondition status = element->checkValue(); status.bad())
            return makeError(ErrorKind::Internal, "MedVeil would write an invalid " +
                                                      std::string(DcmTag(element->getTag()).getTagName()) +
                                                      " (" + status.text() + ")");
    }
    return {};
}

Status checkValues(DcmItem& item, const std::vector<DcmTagKey>& tags)
{
    for (const DcmTagKey& tag : tags) {
        DcmElement* element = nullptr;
        if (item.findAndGetElement(tag, element).good() && element && element->getLength() > 0)
            if (OFCondition status = element->checkValue(); status.bad())
                return makeError(ErrorKind::Internal, "MedVeil would write an invalid " +
                                                          std::string(DcmTag(tag).getTagName()) + " (" +
                                                          status.text() + ")");
    }
    return {};
}

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

Status putPixelData(DcmDataset& dataset, const Image& pixels, bool isSigned, size_t trailingZeroBytes)
{
    const unsigned long count = static_cast<unsigned long>(pixels.width()) * pixels.height();
    OFCondition status;
    if (pixels.bitDepth() == 16) {
        std::vector<Uint16> words(count + trailingZeroBytes / 2, 0);
        const auto* in = pixels.mat().ptr<uint16_t>();
        for (unsigned long i = 0; i < count; ++i)
            words[i] = isSigned ? uint16_t((int(in[i]) - kSignedOffset) & 0xFFFF) : in[i];
        status = dataset.putAndInsertUint16Array(DCM_PixelData, words.data(), words.size());
    } else {
        std::vector<Uint8> bytes(count + trailingZeroBytes, 0);
        std::copy(pixels.mat().ptr<uint8_t>(), pixels.mat().ptr<uint8_t>() + count, bytes.begin());
        status = dataset.putAndInsertUint8Array(DCM_PixelData, bytes.data(), bytes.size());
    }
    if (status.bad())
        return makeError(ErrorKind::Internal,
                         std::string("cannot set the DICOM pixel data: ") + status.text());
    return {};
}

void putMedveilBlock(DcmDataset& dataset, const std::map<std::string, std::string>& metadata)
{
    // MedVeil's own slot, else the first free one: another vendor's block in group 0071 is the input's and
    // stays exactly as it was.
    Uint16 slot = medveilSlot(dataset);
    for (Uint16 candidate = 0x10; slot == 0 && candidate <= 0xFF; ++candidate)
        if (!dataset.tagExists(DcmTagKey(kPrivateGroup, candidate)))
            slot = candidate;
    // Binary (OB): the packed lines hold tabs and newlines, which no text VR allows (dciodvfy checks).
    dataset.putAndInsertString(DcmTagKey(kPrivateGroup, slot), kPrivateCreator);
    DcmTag tag(kPrivateGroup, Uint16(slot << 8 | 0x01), DcmVR(EVR_OB));
    tag.setPrivateCreator(kPrivateCreator);
    const std::string packed = packMetadata(metadata);
    dataset.putAndInsertUint8Array(tag, reinterpret_cast<const Uint8*>(packed.data()),
                                   static_cast<unsigned long>(packed.size()));
}

void removeMedveilBlock(DcmDataset& dataset)
{
    const Uint16 slot = medveilSlot(dataset);
    if (slot == 0)
        return;
    dataset.findAndDeleteElement(DcmTagKey(kPrivateGroup, slot));
    dataset.findAndDeleteElement(DcmTagKey(kPrivateGroup, Uint16(slot << 8 | 0x01)));
}

/// A new UID under the 2.25 root (ISO/IEC 9834-8: a random 128-bit UUID as a decimal integer). OFFIS's
/// root with the process id and the time inside would tell when and by which run a study was protected.
std::string newDicomUid()
{
    auto random = randomBytes(16);
    Bytes uuid = random ? *random : Bytes(16, 0);
    uuid[6] = uint8_t((uuid[6] & 0x0f) | 0x40); // version 4
    uuid[8] = uint8_t((uuid[8] & 0x3f) | 0x80); // RFC 4122 variant
    // 128-bit big-endian number → decimal by repeated division by 10.
    std::string digits;
    std::vector<uint8_t> n(uuid.begin(), uuid.end());
    while (std::any_of(n.begin(), n.end(), [](uint8_t b) { return b != 0; })) {
        unsigned remainder = 0;
        for (auto& byte : n) {
            const unsigned value = (remainder << 8) | byte;
            byte = uint8_t(value / 10);
            remainder = value % 10;
        }
        digits.insert(digits.begin(), char('0' + remainder));
    }
    return "2.25." + (digits.empty() ? std::string("0") : digits);
}

Result<Bytes> saveDicomToBytes(DcmFileFormat& file)
{
    // In memory (DCMTK's buffer stream, the pattern dcmnet uses): the dataset holds patient data and never
    // touches a temporary file, which a kill -9 would leave behind.
    std::vector<char> chunk(1 << 20);
    DcmOutputBufferStream stream(chunk.data(), offile_off_t(chunk.size()));
    Bytes out;
    file.transferInit();
    OFCondition status = EC_StreamNotifyClient;
    while (status == EC_StreamNotifyClient) {
        status = file.write(stream, EXS_LittleEndianExplicit, EET_ExplicitLength, nullptr);
        void* data = nullptr;
        offile_off_t length = 0;
        stream.flushBuffer(data, length);
        const auto* bytes = static_cast<const uint8_t*>(data);
        out.insert(out.end(), bytes, bytes + length);
    }
    file.transferEnd();
    if (status.bad())
        return makeError(ErrorKind::Internal, std::string("cannot write DICOM: ") + status.text());
    return out;
}

} // namespace medveil
