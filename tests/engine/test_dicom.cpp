// SPDX-License-Identifier: GPL-3.0-or-later
// DICOM in and out on the real files Debian's python3-pydicom ships.
#include "crypto/RsaKey.h"
#include "io/DicomFile.h"
#include "io/DicomSeries.h"
#include "io/ImageIo.h"
#include "keyregion/KeyRegionProtector.h"

#include <opencv2/core.hpp>

#include <QtTest>

#include <filesystem>
#include <fstream>

using namespace medveil;

namespace {
const std::string kFiles = "/usr/lib/python3/dist-packages/pydicom/data/test_files/";

DicomFile reread(const Bytes& bytes)
{
    const auto path = std::filesystem::temp_directory_path() / "medveil-test-reread.dcm";
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    auto file = DicomFile::read(path);
    std::filesystem::remove(path);
    if (!file)
        qFatal("re-read failed: %s", file.error().message.c_str());
    return *file;
}
} // namespace

class TestDicom : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsCtWithItsPixelModule()
    {
        auto ct = DicomFile::read(kFiles + "CT_small.dcm");
        QVERIFY2(ct.ok(), ct.ok() ? "" : ct.error().message.c_str());
        QCOMPARE(ct->image().width(), 128);
        QCOMPARE(ct->image().bitDepth(), 16);
        QVERIFY(ct->info().isSigned);
        QCOMPARE(ct->info().rescaleIntercept, -1024.0);
        QCOMPARE(ct->info().photometric, std::string("MONOCHROME2"));
        QCOMPARE(ct->attribute(0x0010, 0x0010), std::string("CompressedSamples^CT1"));
        // Signed stored values are offset by 32768; modalityValue undoes it and applies the rescale.
        const int stored = ct->image().at(64, 64);
        QCOMPARE(ct->modalityValue(stored), double(stored - 32768) - 1024.0);
        QVERIFY(ct->metadata().empty());
        QCOMPARE(detectImageFormat(*readFileBytesForTest(kFiles + "CT_small.dcm")), ImageFormat::Dicom);
    }

    void modalityScaleIsTheViewersHounsfieldMap()
    {
        // CT: signed, intercept −1024 → HU; the viewer's window/level and read-out use this one map.
        const auto ct = *DicomFile::read(kFiles + "CT_small.dcm");
        const ModalityScale hu = ct.modalityScale();
        QCOMPARE(hu.modality, std::string("CT"));
        QCOMPARE(hu.unitSuffix(), std::string(" HU"));
        QVERIFY(!hu.isIdentity());
        double lo = 0, hi = 0;
        cv::minMaxLoc(ct.image().mat(), &lo, &hi);
        for (const int stored : {int(lo), ct.image().at(64, 64), ct.image().at(10, 100), int(hi)}) {
            QCOMPARE(hu.toModality(stored), double(stored - 32768) - 1024.0);
            QCOMPARE(hu.toModality(stored), ct.modalityValue(stored));
            QCOMPARE(hu.toStored(hu.toModality(stored)), double(stored));
        }
        // pydicom's pixel_array · RescaleSlope + RescaleIntercept on this file: −896 … 1167 HU, 904 at (64,
        // 64).
        QCOMPARE(hu.toModality(lo), -896.0);
        QCOMPARE(hu.toModality(hi), 1167.0);
        QCOMPARE(hu.toModality(ct.image().at(64, 64)), 904.0);
        // A brain window 40/80 HU is 80 stored values wide (slope 1).
        QCOMPARE(hu.widthToStored(80), 80.0);
        // MR_small: signed without a rescale → only the signed offset is undone; no unit.
        const auto mrFile = *DicomFile::read(kFiles + "MR_small.dcm");
        const ModalityScale mr = mrFile.modalityScale();
        QCOMPARE(mr.modality, std::string("MR"));
        QCOMPARE(mr.unitSuffix(), std::string());
        QCOMPARE(mr.slope, 1.0);
        QCOMPARE(mr.toModality(mrFile.image().at(32, 32)), double(mrFile.image().at(32, 32)) - 32768);
        QVERIFY(ModalityScale{}.isIdentity()); // PNG: stored values are what the user reads
    }

    void losslessTransferSyntaxesDecodeToIdenticalPixels()
    {
        const Image reference = DicomFile::read(kFiles + "MR_small.dcm")->image();
        for (const char* name :
             {"MR_small_bigendian.dcm", "MR_small_implicit.dcm", "MR_small_expb.dcm", "MR_small_RLE.dcm",
              "MR_small_jpeg_ls_lossless.dcm", "MR_small_padded.dcm"}) {
            auto file = DicomFile::read(kFiles + name);
            QVERIFY2(file.ok(), (std::string(name) + ": " + (file.ok() ? "" : file.error().message)).c_str());
            QVERIFY2(file->image().identicalTo(reference), name);
        }
    }

    void unsupportedFilesAreClearBadInputErrors()
    {
        const struct
        {
            const char* file;
            const char* says;
        } cases[] = {{"JPEG-lossy.dcm", "lossy"},
                     {"MR_small_jp2klossless.dcm", "cannot decode"},
                     {"rtdose.dcm", "multi-frame"},
                     {"SC_rgb_rle.dcm", "colour"},
                     {"MR_truncated.dcm", ""}};
        for (const auto& c : cases) {
            auto file = DicomFile::read(kFiles + c.file);
            QVERIFY2(!file.ok(), c.file);
            QCOMPARE(file.error().kind, ErrorKind::BadInput);
            QVERIFY2(file.error().message.find(c.says) != std::string::npos, file.error().message.c_str());
        }
    }

    void protectAndRecoverKeepTheHeaderAndStoredPixels()
    {
        const auto ct = *DicomFile::read(kFiles + "CT_small.dcm");
        const RsaKey key = *RsaKey::generate(2048);
        ProtectOptions options;
        options.info = {{"hospital", "Union Hospital"}};
        auto protectedImage = KeyRegionProtector::protect(ct.image(), key, options);
        QVERIFY2(protectedImage.ok(), protectedImage.ok() ? "" : protectedImage.error().message.c_str());
        auto derivedBytes =
            ct.encode(protectedImage->image, protectedImage->metadata, DicomFile::Instance::Derived);
        QVERIFY(derivedBytes.ok());
        const DicomFile derived = reread(*derivedBytes);
        QVERIFY(derived.info().sopInstanceUid != ct.info().sopInstanceUid);
        // Value 3 (AXIAL) says what the image is and CT requires it: kept.
        QCOMPARE(derived.attribute(0x0008, 0x0008), std::string("DERIVED\\SECONDARY\\AXIAL"));
        QCOMPARE(derived.attribute(0x0010, 0x0010), ct.attribute(0x0010, 0x0010));
        QVERIFY(derived.image().identicalTo(protectedImage->image));
        for (const auto& [k, v] : protectedImage->metadata)
            QCOMPARE(derived.metadata().at(k), v);

        auto recovered = KeyRegionProtector::recover(derived.image(), derived.metadata(), key);
        QVERIFY2(recovered.ok(), recovered.ok() ? "" : recovered.error().message.c_str());
        QVERIFY(recovered->identical);
        auto restoredBytes = derived.encode(recovered->image, {}, DicomFile::Instance::Restored);
        QVERIFY(restoredBytes.ok());
        const DicomFile restored = reread(*restoredBytes);
        QVERIFY(restored.image().identicalTo(ct.image()));
        QCOMPARE(restored.info().sopInstanceUid, ct.info().sopInstanceUid);
        QCOMPARE(restored.info().bitsStored, ct.info().bitsStored);
        QCOMPARE(restored.attribute(0x0008, 0x0008), ct.attribute(0x0008, 0x0008));
        QVERIFY(restored.metadata().empty());
    }

    void protectionBindsTheHeader()
    {
        const auto ct = *DicomFile::read(kFiles + "CT_small.dcm");
        const RsaKey key = *RsaKey::generate(2048);
        ProtectOptions options;
        options.headerDigest = *ct.protectionDigest();
        QCOMPARE(options.headerDigest.size(), size_t(32));
        auto protectedImage = KeyRegionProtector::protect(ct.image(), key, options);
        QVERIFY(protectedImage.ok());
        const DicomFile derived =
            reread(*ct.encode(protectedImage->image, protectedImage->metadata, DicomFile::Instance::Derived));
        // The protected file's digest equals the original's: what it rewrites is left out, what recovery
        // puts back (from MedVeil's block) is in.
        QCOMPARE(*derived.protectionDigest(), options.headerDigest);
        auto recovered = KeyRegionProtector::recover(derived.image(), derived.metadata(), key, {},
                                                     *derived.protectionDigest());
        QVERIFY2(recovered.ok(), recovered.ok() ? "" : recovered.error().message.c_str());
        QVERIFY(recovered->headerVerified);
        // Another file's header, no header at all, a PNG protection presented with a header: Auth.
        const auto other = *DicomFile::read(kFiles + "MR_small.dcm");
        for (const Bytes& digest : {*other.protectionDigest(), Bytes{}}) {
            auto refused = KeyRegionProtector::recover(derived.image(), derived.metadata(), key, {}, digest);
            QVERIFY(!refused.ok());
            QCOMPARE(refused.error().kind, ErrorKind::Auth);
        }
        auto unbound = KeyRegionProtector::protect(ct.image(), key, ProtectOptions{});
        QVERIFY(unbound.ok());
        auto wrapped =
            KeyRegionProtector::recover(unbound->image, unbound->metadata, key, {}, options.headerDigest);
        QVERIFY(!wrapped.ok());
        QCOMPARE(wrapped.error().kind, ErrorKind::Auth);
        auto plain = KeyRegionProtector::recover(unbound->image, unbound->metadata, key);
        QVERIFY(plain.ok() && !plain->headerVerified);
    }

    void sealedHeaderIsSecondaryCaptureAndRestoresTheOriginal()
    {
        const auto ct = *DicomFile::read(kFiles + "CT_small.dcm");
        auto identity = ct.identity();
        QVERIFY(identity.ok());
        QVERIFY(identity->emrSection.find("PatientName: CompressedSamples^CT1") != std::string::npos);
        auto header = ct.deidentified();
        QVERIFY2(header.ok(), header.ok() ? "" : header.error().message.c_str());
        QCOMPARE(header->info().sopClassUid, std::string("1.2.840.10008.5.1.4.1.1.7"));
        QCOMPARE(header->info().bitsAllocated, 8);
        QCOMPARE(header->attribute(0x0010, 0x0010), std::string());
        QCOMPARE(header->attribute(0x0012, 0x0062), std::string("YES"));
        QVERIFY(header->attribute(0x0012, 0x0063).size() <= 64); // LO
        QCOMPARE(header->attribute(0x0008, 0x0064), std::string("WSD"));
        QVERIFY(header->attribute(0x0020, 0x000D) != ct.attribute(0x0020, 0x000D));
        QVERIFY(header->attribute(0x0028, 0x1052).empty()); // CT Image module left out
        cv::Mat noise(ct.image().height(), ct.image().width(), CV_8U);
        cv::randu(noise, 0, 256);
        const DicomFile sealed =
            reread(*header->encodeSealed(*Image::fromMat(noise), {{"k", "v"}}, *identity));
        QCOMPARE(*sealed.headerDigest(), *header->headerDigest());
        QCOMPARE(sealed.metadata().at("k"), std::string("v"));
        // The original dataset comes back whole: SOP class, identity, CT module, pixels.
        const DicomFile restored = reread(*sealed.encodeRestored(ct.image(), identity->emrSection));
        QCOMPARE(restored.info().sopClassUid, ct.info().sopClassUid);
        QCOMPARE(restored.info().sopInstanceUid, ct.info().sopInstanceUid);
        QCOMPARE(restored.attribute(0x0010, 0x0010), ct.attribute(0x0010, 0x0010));
        QCOMPARE(restored.attribute(0x0028, 0x1052), ct.attribute(0x0028, 0x1052));
        QVERIFY(restored.image().identicalTo(ct.image()));
        QVERIFY(restored.metadata().empty());
        // Another seal's identity does not open this one's original attributes.
        auto otherIdentity = ct.identity();
        auto wrong = sealed.encodeRestored(ct.image(), otherIdentity->emrSection);
        QVERIFY(!wrong.ok());
        QCOMPARE(wrong.error().kind, ErrorKind::Auth);
    }

private:
    static Result<Bytes> readFileBytesForTest(const std::string& path)
    {
        std::ifstream in(path, std::ios::binary);
        return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    }

    // The series browser's scan: pydicom's dicomdirtests tree (two patients, CR/CT/MR studies, DICOMDIRs,
    // 51 header-only stubs without Rows, README files) read header-only and grouped by series — the counts
    // pydicom itself gives for that tree: 13 series, 31 images.
    void folderScanGroupsImagesBySeries()
    {
        const std::string root = kFiles + "dicomdirtests";
        auto scan = scanDicomFolder(root);
        QVERIFY2(scan.ok(), scan.ok() ? "" : scan.error().message.c_str());
        QCOMPARE(scan->series.size(), size_t(13));
        QCOMPARE(scan->filesRead, size_t(31));
        QVERIFY(scan->skippedFiles >= 59); // 8 DICOMDIRs, 51 stubs, the READMEs
        QVERIFY(!scan->truncated);
        const auto brain =
            std::find_if(scan->series.begin(), scan->series.end(),
                         [](const DicomSeriesEntry& s) { return s.seriesDescription == "Routine Brain"; });
        QVERIFY(brain != scan->series.end());
        QCOMPARE(brain->modality, std::string("CT"));
        QCOMPARE(brain->patientName, std::string("Doe^Archibald"));
        QCOMPARE(brain->instances.size(), size_t(4));
        for (size_t i = 1; i < brain->instances.size(); ++i)
            QVERIFY(brain->instances[i - 1].instanceNumber <= brain->instances[i].instanceNumber);
        for (const auto& instance : brain->instances)
            QCOMPARE(instance.path.parent_path().filename().string(), std::string("CT2"));
        size_t images = 0;
        for (const auto& series : scan->series)
            images += series.instances.size();
        QCOMPARE(images, size_t(31));
        // Bounded and cancellable.
        auto limited = scanDicomFolder(root, {}, 10);
        QVERIFY(limited.ok() && limited->truncated);
        JobControl cancelled;
        cancelled.cancel.cancel();
        auto stopped = scanDicomFolder(root, cancelled);
        QVERIFY(!stopped.ok());
        QCOMPARE(stopped.error().kind, ErrorKind::Cancelled);
        QCOMPARE(scanDicomFolder(kFiles + "CT_small.dcm").error().kind, ErrorKind::BadInput); // not a folder
    }

    // View ▸ DICOM Tags: every top-level attribute, names as UTF-8 from ISO_IR 100, binary values summarised.
    void attributesListTheDatasetForTheTagView()
    {
        const auto ct = *DicomFile::read(kFiles + "CT_small.dcm");
        const auto attributes = ct.attributes();
        QVERIFY(attributes.size() > 50);
        const auto find = [&](const std::string& tag) {
            return std::find_if(attributes.begin(), attributes.end(),
                                [&](const DicomAttribute& a) { return a.tag == tag; });
        };
        const auto name = find("(0010,0010)");
        QVERIFY(name != attributes.end());
        QCOMPARE(name->keyword, std::string("PatientName"));
        QCOMPARE(name->vr, std::string("PN"));
        QCOMPARE(name->value, std::string("CompressedSamples^CT1"));
        const auto pixels = find("(7FE0,0010)");
        QVERIFY(pixels != attributes.end());
        QVERIFY2(pixels->value.rfind("(binary, ", 0) == 0, pixels->value.c_str());
        QVERIFY(find("(0002,0010)") != attributes.end()); // file meta first
        QCOMPARE(attributes.front().tag.substr(0, 5), std::string("(0002"));
    }
};

QTEST_GUILESS_MAIN(TestDicom)
#include "test_dicom.moc"
