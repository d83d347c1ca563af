// SPDX-License-Identifier: GPL-3.0-or-later
// The byte-level parsers of untrusted input (the fuzz targets' subjects): a row per format version, the
// malformed inputs each must refuse, and a regression test for every finding of the sanitizer builds and
// the fuzzers (docs/SECURITY.md lists them).
#include "core/Bytes.h"
#include "crypto/Digest.h"
#include "crypto/RsaKey.h"
#include "emr/SealedCipherImage.h"
#include "emr/SealedEmrParameters.h"
#include "io/AtomicFile.h"
#include "io/DicomFile.h"
#include "io/ImageIo.h"
#include "keyregion/PredictionErrorExpander.h"
#include "keyregion/ProtectionRecord.h"
#include "keyregion/Rect.h"

#include <QtTest>

#include <filesystem>

using namespace medveil;

Q_DECLARE_METATYPE(medveil::Bytes)

namespace {

const std::string kCorpus = MEDVEIL_SOURCE_DIR "/tests/fuzz/corpus/";

Bytes digest(const char* text)
{
    return sha256(toBytes(text));
}

void append(Bytes& out, const Bytes& more)
{
    out.insert(out.end(), more.begin(), more.end());
}

/// One PEE layer in the serialised form: low and high with the 2^20 bias, bits, processed, no skips.
Bytes peeLayerBytes(uint32_t lowField, uint32_t highField)
{
    Bytes out;
    appendU16(out, 1);
    appendU32(out, lowField);
    appendU32(out, highField);
    appendU32(out, 8);
    appendU32(out, 100);
    appendU32(out, 0);
    return out;
}

} // namespace

class TestParsers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // UBSan: PeePlan::deserialize computed int(u32) − 2^20 in int, which overflows for fields ≥ 2^31; in a
    // plain build the wrapped value passed the range check (high 0x80000000 became +2146435072).
    void peePlanRangeBeyondIntIsRefused_data()
    {
        QTest::addColumn<uint32_t>("lowField");
        QTest::addColumn<uint32_t>("highField");
        QTest::newRow("high 2^31") << uint32_t(1u << 20) << uint32_t(0x80000000u);
        QTest::newRow("high 2^32 - 1") << uint32_t(1u << 20) << uint32_t(0xFFFFFFFFu);
        QTest::newRow("low 2^31") << uint32_t(0x80000000u) << uint32_t(1u << 20);
        QTest::newRow("both 2^31 + 2^20") << uint32_t(0x80100000u) << uint32_t(0x80100000u);
        QTest::newRow("high 2^21 + 1") << uint32_t(1u << 20) << uint32_t((1u << 21) + 1);
    }
    void peePlanRangeBeyondIntIsRefused()
    {
        QFETCH(uint32_t, lowField);
        QFETCH(uint32_t, highField);
        auto plan = PeePlan::deserialize(peeLayerBytes(lowField, highField));
        QVERIFY(!plan.ok());
        QCOMPARE(plan.error().kind, ErrorKind::BadInput);
    }

    void peePlanRangeLimitsRoundTrip()
    {
        // The widest range the bias allows: [−2^20, 2^20].
        const Bytes bytes = peeLayerBytes(0, 1u << 21);
        auto plan = PeePlan::deserialize(bytes);
        QVERIFY(plan.ok());
        QCOMPARE(plan->layers.at(0).low, -(1 << 20));
        QCOMPARE(plan->layers.at(0).high, 1 << 20);
        QCOMPARE(plan->serialize(), bytes);
    }

    // fuzz_protection_record (UBSan, seconds in): Rect::insideImage added x + width in int, which overflows
    // for the record's u32 fields; in a plain build the wrapped sum passed the check. Input:
    // corpus/protection_record/finding-rect-overflow (x = width = 0x5A5A5A5A).
    void rectBeyondIntIsOutsideTheImage_data()
    {
        QTest::addColumn<int>("x");
        QTest::addColumn<int>("y");
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("height");
        QTest::newRow("x + width") << 0x5A5A5A5A << 0 << 0x5A5A5A5A << 8;
        QTest::newRow("y + height") << 0 << 0x7FFFFFF0 << 8 << 0x7FFFFFF0;
        QTest::newRow("INT_MAX both") << 0x7FFFFFFF << 0x7FFFFFFF << 0x7FFFFFFF << 0x7FFFFFFF;
    }
    void rectBeyondIntIsOutsideTheImage()
    {
        QFETCH(int, x);
        QFETCH(int, y);
        QFETCH(int, width);
        QFETCH(int, height);
        const Rect huge{x, y, width, height};
        const Rect whole{0, 0, 64, 64}, shifted{1, 0, 64, 64};
        QVERIFY(!huge.insideImage(64, 64));
        QVERIFY(!huge.contains(0, 0));
        QVERIFY(!huge.intersects(whole));
        QVERIFY(whole.insideImage(64, 64));
        QVERIFY(!shifted.insideImage(64, 64));

        // The same rectangle as a protection record's key region: refused, not accepted with a wrapped sum.
        const Image image = *Image::create(64, 64, 8);
        ProtectionRecord record;
        record.width = 64;
        record.height = 64;
        record.region = huge;
        record.texture = TextureMap::compute(image, Rect{0, 0, 8, 8}, 10);
        record.originalSha256 = sha256(toBytes("x"));
        auto bytes = record.serialize();
        QVERIFY(bytes.ok());
        QCOMPARE(ProtectionRecord::deserialize(*bytes).error().kind, ErrorKind::BadInput);
        record.region = Rect{8, 8, 16, 16};
        auto fine = record.serialize();
        QVERIFY(fine.ok());
        QVERIFY(ProtectionRecord::deserialize(*fine).ok());
    }

    // One row per version of the sealed EMR parameters, written field by field as each release wrote them.
    void sealedEmrParametersEveryVersion_data()
    {
        QTest::addColumn<Bytes>("bytes");
        QTest::addColumn<int>("version");
        QTest::addColumn<int>("offset");
        QTest::addColumn<bool>("exact");
        QTest::addColumn<bool>("identity");
        QTest::addColumn<bool>("header");
        QTest::addColumn<bool>("weights");
        QTest::addColumn<int>("layout");
        Bytes v1{1, 4, 8};
        appendU16(v1, 255);
        QTest::newRow("1: base, depth, scale") << v1 << 1 << 0 << false << false << false << false << 0;
        Bytes v2{2, 4, 16};
        appendU16(v2, 4000);
        appendU16(v2, 1024);
        QTest::newRow("2: + offset") << v2 << 2 << 1024 << false << false << false << false << 0;
        Bytes v3 = v2;
        v3[0] = 3;
        append(v3, {1, 1});
        append(v3, digest("original"));
        QTest::newRow("3: + exact, identity, original")
            << v3 << 3 << 1024 << true << true << false << false << 0;
        Bytes v4 = v3;
        v4[0] = 4;
        append(v4, {1});
        append(v4, digest("header"));
        QTest::newRow("4: + DICOM header") << v4 << 4 << 1024 << true << true << true << false << 0;
        Bytes v4png = v3;
        v4png[0] = 4;
        append(v4png, {0});
        QTest::newRow("4: PNG (no header)") << v4png << 4 << 1024 << true << true << false << false << 0;
        Bytes v5 = v4;
        v5[0] = 5;
        append(v5, {1});
        append(v5, digest("weights"));
        QTest::newRow("5: + weights") << v5 << 5 << 1024 << true << true << true << true << 0;
        Bytes v6 = v5;
        v6[0] = 6;
        append(v6, {1});
        QTest::newRow("6: + layout") << v6 << 6 << 1024 << true << true << true << true << 1;
        Bytes v6planar = v4png;
        v6planar[0] = 6;
        append(v6planar, {0, 0});
        QTest::newRow("6: planar, no header, no weights")
            << v6planar << 6 << 1024 << true << true << false << false << 0;
        Bytes v7 = v6;
        v7[0] = 7;
        append(v7, {2});
        QTest::newRow("7: + cipher version") << v7 << 7 << 1024 << true << true << true << true << 1;
        Bytes v7first = v6planar;
        v7first[0] = 7;
        append(v7first, {1});
        QTest::newRow("7: cipher version 1") << v7first << 7 << 1024 << true << true << false << false << 0;
        Bytes v8 = v7;
        v8[0] = 8;
        appendU16(v8, 1024);
        appendU16(v8, 80);
        QTest::newRow("8: + tiling") << v8 << 8 << 1024 << true << true << true << true << 1;
        Bytes v8whole = v7first;
        v8whole[0] = 8;
        appendU16(v8whole, 0);
        appendU16(v8whole, 0);
        QTest::newRow("8: untiled") << v8whole << 8 << 1024 << true << true << false << false << 0;
    }
    void sealedEmrParametersEveryVersion()
    {
        QFETCH(Bytes, bytes);
        QFETCH(int, version);
        QFETCH(int, offset);
        QFETCH(bool, exact);
        QFETCH(bool, identity);
        QFETCH(bool, header);
        QFETCH(bool, weights);
        QFETCH(int, layout);
        auto p = SealedEmrParameters::parse(bytes);
        QVERIFY2(p.ok(), p.ok() ? "" : p.error().message.c_str());
        QCOMPARE(int(p->version), version);
        QCOMPARE(int(p->offset), offset);
        QCOMPARE(p->exactRecovery, exact);
        QCOMPARE(p->hasIdentity, identity);
        QCOMPARE(p->originalSha256, version >= 3 ? digest("original") : Bytes{});
        QCOMPARE(p->headerDigest, header ? digest("header") : Bytes{});
        QCOMPARE(p->weightsDigest, weights ? digest("weights") : Bytes{});
        QCOMPARE(int(p->layout), layout);
        // Before version 7 every seal used cipher version 1; the rows of version 7 name 2 and 1 (the last
        // byte; version 8's tiling follows it in 4 bytes).
        const size_t cipherAt = bytes.size() - (version >= 8 ? 5 : 1);
        QCOMPARE(int(p->cipherVersion), version < 7 ? 1 : int(bytes[cipherAt]));
        const HiNetTiling tiling = version >= 8
                                       ? HiNetTiling{uint16_t(bytes[cipherAt + 1] | bytes[cipherAt + 2] << 8),
                                                     uint16_t(bytes[cipherAt + 3] | bytes[cipherAt + 4] << 8)}
                                       : HiNetTiling{};
        QVERIFY(p->tiling == tiling);
        auto written = p->serialize();
        QVERIFY(written.ok());
        QCOMPARE(*written, bytes);
        // Every shorter prefix is truncated, one more byte is trailing data.
        for (size_t n = 0; n < bytes.size(); ++n)
            QVERIFY(
                !SealedEmrParameters::parse(Bytes(bytes.begin(), bytes.begin() + std::ptrdiff_t(n))).ok());
        Bytes longer = bytes;
        longer.push_back(0);
        QCOMPARE(SealedEmrParameters::parse(longer).error().kind, ErrorKind::BadInput);
    }

    void sealedEmrParametersRefuseInvalidFields_data()
    {
        QTest::addColumn<size_t>("at");
        QTest::addColumn<uint8_t>("value");
        QTest::newRow("version 0") << size_t(0) << uint8_t(0);
        QTest::newRow("version 9") << size_t(0) << uint8_t(9);
        QTest::newRow("base 3") << size_t(1) << uint8_t(3);
        QTest::newRow("depth 12") << size_t(2) << uint8_t(12);
        QTest::newRow("scale 0") << size_t(3) << uint8_t(0);
        QTest::newRow("exact flag 2") << size_t(7) << uint8_t(2);
        QTest::newRow("identity flag 2") << size_t(8) << uint8_t(2);
        QTest::newRow("header flag 2") << size_t(41) << uint8_t(2);
        QTest::newRow("weights flag 2") << size_t(42) << uint8_t(2);
        QTest::newRow("layout 2") << size_t(43) << uint8_t(2);
        QTest::newRow("cipher version 0") << size_t(44) << uint8_t(0);
        QTest::newRow("cipher version 3") << size_t(44) << uint8_t(3);
    }
    void sealedEmrParametersRefuseInvalidFields()
    {
        QFETCH(size_t, at);
        QFETCH(uint8_t, value);
        SealedEmrParameters p; // version 7, no header, no weights: 45 bytes
        p.version = 7;
        p.exactRecovery = true;
        p.originalSha256 = digest("original");
        auto bytes = p.serialize();
        QVERIFY(bytes.ok());
        QCOMPARE(bytes->size(), size_t(45));
        QVERIFY(SealedEmrParameters::parse(*bytes).ok());
        (*bytes)[at] = value;
        if (at == 3)
            (*bytes)[4] = 0; // scale is a u16
        auto parsed = SealedEmrParameters::parse(*bytes);
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().kind, ErrorKind::BadInput);
    }

    void sealedEmrParametersWriterRefusesFieldsItsVersionLacks()
    {
        SealedEmrParameters p;
        p.version = 2;
        p.exactRecovery = true;
        QCOMPARE(p.serialize().error().kind, ErrorKind::Internal);
        p.version = 4;
        p.originalSha256 = digest("original");
        p.weightsDigest = digest("weights");
        QCOMPARE(p.serialize().error().kind, ErrorKind::Internal);
        p.version = 5;
        p.layout = HiNetLayout::ChannelsLast;
        QCOMPARE(p.serialize().error().kind, ErrorKind::Internal);
        p.version = 6;
        QCOMPARE(p.serialize().error().kind, ErrorKind::Internal); // cipher version 2 needs version 7
        p.cipherVersion = 1;
        QVERIFY(p.serialize().ok());
        p.version = 7;
        p.cipherVersion = 3;
        QCOMPARE(p.serialize().error().kind, ErrorKind::Internal);
        p.cipherVersion = 2;
        p.tiling = {1024, 80};
        QCOMPARE(p.serialize().error().kind, ErrorKind::Internal); // tiling needs version 8
        p.version = 8;
        QVERIFY(p.serialize().ok());
        for (const HiNetTiling invalid : {HiNetTiling{0, 80}, HiNetTiling{1023, 80}, HiNetTiling{1024, 81},
                                          HiNetTiling{SealedEmrParameters::kMinimumTileSide - 2, 0}}) {
            p.tiling = invalid;
            QCOMPARE(p.serialize().error().kind, ErrorKind::Internal);
        }
    }

    // Version 8's tiling is refused when a side or halo is odd, a side is below the minimum, or a halo comes
    // without a side.
    void sealedEmrParametersRefuseInvalidTiling()
    {
        SealedEmrParameters p;
        p.exactRecovery = true;
        p.originalSha256 = digest("original");
        p.tiling = {1024, 80};
        auto bytes = p.serialize();
        QVERIFY(bytes.ok());
        QVERIFY(SealedEmrParameters::parse(*bytes).ok());
        const size_t side = bytes->size() - 4, halo = bytes->size() - 2;
        for (const auto& [at, value] : {std::pair{side, 0x01}, {side, 0x00}, {halo, 0x51}, {side, 0x3e}}) {
            Bytes changed = *bytes;
            changed[at] = uint8_t(value);
            if (at == side)
                changed[at + 1] = 0;
            auto parsed = SealedEmrParameters::parse(changed);
            QVERIFY(!parsed.ok());
            QCOMPARE(parsed.error().kind, ErrorKind::BadInput);
        }
    }

    // The committed files of the release before the layout flag carry version 5 parameters.
    void sealedV5FixturesParse_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("depth");
        QTest::newRow("mri 128² 8-bit") << QStringLiteral("mri_128") << 8;
        QTest::newRow("ct 64² 16-bit") << QStringLiteral("ct_64_16") << 16;
    }
    void sealedV5FixturesParse()
    {
        QFETCH(QString, name);
        QFETCH(int, depth);
        const std::string dir = MEDVEIL_TEST_DATA "/sealed-v5/";
        auto pem = readFileBytes(dir + "recipient-private.pem");
        QVERIFY(pem.ok());
        auto key = RsaKey::fromPem(std::string(pem->begin(), pem->end()));
        QVERIFY(key.ok());
        auto sealed = readImageFile(dir + name.toStdString() + "-sealed.png");
        auto original = readImage(dir + name.toStdString() + ".png");
        QVERIFY(sealed.ok() && original.ok());
        auto secrets = SealedCipherImage::open(sealed->image, sealed->metadata, *key, "emr-seal 1");
        QVERIFY2(secrets.ok(), secrets.ok() ? "" : secrets.error().message.c_str());
        auto p = SealedEmrParameters::parse(secrets->parameters);
        QVERIFY2(p.ok(), p.ok() ? "" : p.error().message.c_str());
        QCOMPARE(int(p->version), 5);
        QCOMPARE(int(p->bitDepth), depth);
        QVERIFY(p->exactRecovery);
        QCOMPARE(p->originalSha256, sha256(original->pixelBytes()));
        QVERIFY(p->headerDigest.empty());
        QCOMPARE(p->weightsDigest.size(), size_t(32));
        QCOMPARE(p->layout, HiNetLayout::Planar);
        QCOMPARE(int(p->cipherVersion), 1);
        QCOMPARE(*p->serialize(), secrets->parameters);
    }

    // DICOM is parsed from memory (what the fuzz target runs): the same file as read from disk.
    void dicomFromBytesEqualsRead()
    {
        const std::string path = kCorpus + "dicom_loader/MR_small_RLE.dcm";
        auto bytes = readFileBytes(path);
        QVERIFY(bytes.ok());
        auto fromDisk = DicomFile::read(path);
        auto fromMemory = DicomFile::fromBytes(*bytes, "MR_small_RLE.dcm");
        QVERIFY(fromDisk.ok() && fromMemory.ok());
        QCOMPARE(fromMemory->image().width(), 64);
        QVERIFY(fromMemory->image().pixelBytes() == fromDisk->image().pixelBytes());
        QCOMPARE(fromMemory->attribute(0x0010, 0x0010), fromDisk->attribute(0x0010, 0x0010));
        QVERIFY(!fromMemory->attribute(0x0010, 0x0010).empty());
        Bytes truncated(bytes->begin(), bytes->begin() + std::ptrdiff_t(bytes->size() / 2));
        QCOMPARE(DicomFile::fromBytes(truncated, "half.dcm").error().kind, ErrorKind::BadInput);
    }

    // fuzz_dicom_loader (time-out, 3.8 KB input): an element declaring 1,396,899,845 bytes. DCMTK's buffer
    // stream, which fromBytes used first, allocates a declared length before reading it (> 60 s under
    // ASan); the file reader fromBytes uses now skips long values and refuses one past the end at once.
    void dicomDeclaredLengthPastTheEndIsRefusedAtOnce()
    {
        auto bytes = readFileBytes(kCorpus + "dicom_loader/finding-huge-element-length.dcm");
        QVERIFY(bytes.ok());
        QElapsedTimer timer;
        timer.start();
        auto file = DicomFile::fromBytes(*bytes, "finding.dcm");
        QVERIFY(!file.ok());
        QCOMPARE(file.error().kind, ErrorKind::BadInput);
        QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed()) + " ms"));
    }

    // Every committed seed of the structured targets is a valid input of its parser: a corpus of stale
    // seeds would only fuzz the first bytes of a format.
    void fuzzCorporaHoldValidInputs()
    {
        auto each = [](const char* target, auto accepts) {
            int files = 0;
            for (const auto& entry : std::filesystem::directory_iterator(kCorpus + target)) {
                if (entry.path().filename().string().rfind("finding-", 0) == 0)
                    continue; // inputs of past findings are malformed on purpose
                auto bytes = readFileBytes(entry.path());
                QVERIFY(bytes.ok());
                QVERIFY2(accepts(*bytes), entry.path().c_str());
                ++files;
            }
            QVERIFY2(files >= 2, target);
        };
        each("sealed_emr_parameters", [](const Bytes& b) { return SealedEmrParameters::parse(b).ok(); });
        each("pee_plan", [](const Bytes& b) { return PeePlan::deserialize(b).ok(); });
        each("png_metadata", [](const Bytes& b) { return readPngMetadata(b).ok(); });
        each("image_decode", [](const Bytes& b) { return decodeImage(b).ok(); });
    }
};

QTEST_GUILESS_MAIN(TestParsers)
#include "test_parsers.moc"
