// SPDX-License-Identifier: GPL-3.0-or-later
#include "TestImages.h"
#include "io/AtomicFile.h"
#include "io/ImageIo.h"

#include <QTemporaryDir>
#include <QtTest>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <fstream>
#include <sys/stat.h>

using namespace medveil;
using namespace medveil::test;
namespace fs = std::filesystem;

namespace {
void writeRaw(const fs::path& path, const Bytes& bytes)
{
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

Bytes encodeWithOpenCv(const cv::Mat& mat, const std::string& ext)
{
    std::vector<uint8_t> buffer;
    if (!cv::imencode(ext, mat, buffer))
        qFatal("OpenCV cannot encode %s", ext.c_str());
    return Bytes(buffer.begin(), buffer.end());
}

size_t filesIn(const QString& dir)
{
    return QDir(dir).entryList(QDir::Files | QDir::Hidden).size();
}
} // namespace

class TestIo : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pngRoundTripKeepsPixelsAndMetadata_data()
    {
        QTest::addColumn<int>("bitDepth");
        QTest::newRow("8-bit") << 8;
        QTest::newRow("16-bit") << 16;
    }
    void pngRoundTripKeepsPixelsAndMetadata()
    {
        QFETCH(int, bitDepth);
        const Image image = noiseImage(37, 23, bitDepth, 42);
        PngMetadata meta{{"MedVeil:side", base64Encode(Bytes{0, 1, 2, 255, 254})},
                         {"Comment", "病历 · émoji 🩻 \r\n tab\t end"},
                         {"empty", ""}};
        auto png = encodePng(image, meta);
        QVERIFY(png.ok());
        auto decoded = decodeImage(*png);
        QVERIFY2(decoded.ok(), decoded.ok() ? "" : decoded.error().message.c_str());
        QCOMPARE(decoded->bitDepth(), bitDepth);
        QVERIFY(decoded->identicalTo(image));
        auto readBack = readPngMetadata(*png);
        QVERIFY(readBack.ok());
        QVERIFY(*readBack == meta);
        // An independent decoder (OpenCV/libpng directly) sees the same pixels.
        const cv::Mat direct = cv::imdecode(cv::Mat(*png), cv::IMREAD_UNCHANGED);
        QCOMPARE(cv::countNonZero(direct != image.mat()), 0);
    }

    void corpusImagesRoundTrip()
    {
        QTemporaryDir dir;
        for (const QString& path : corpusFiles()) {
            const Image image = loadCorpus(path);
            const fs::path out = dir.filePath(QStringLiteral("copy.png")).toStdString();
            QVERIFY(writePng(out, image).ok());
            QVERIFY2(readImage(out)->identicalTo(image), qPrintable(path));
        }
        QVERIFY(corpusFiles().size() >= 12);
    }

    void readsOtherGreyFormats_data()
    {
        QTest::addColumn<QString>("ext");
        QTest::addColumn<int>("bitDepth");
        QTest::addColumn<bool>("lossless");
        QTest::newRow("tiff 8") << ".tiff" << 8 << true;
        QTest::newRow("tiff 16") << ".tiff" << 16 << true;
        QTest::newRow("bmp 8") << ".bmp" << 8 << true;
        QTest::newRow("jpeg 8") << ".jpg" << 8 << false;
    }
    void readsOtherGreyFormats()
    {
        QFETCH(QString, ext);
        QFETCH(int, bitDepth);
        QFETCH(bool, lossless);
        const Image image =
            makeImage(64, 48, bitDepth, [&](int x, int y) { return (x * 3 + y * 5) << (bitDepth - 8); });
        auto decoded = decodeImage(encodeWithOpenCv(image.mat(), ext.toStdString()), "test");
        QVERIFY2(decoded.ok(), decoded.ok() ? "" : decoded.error().message.c_str());
        QCOMPARE(decoded->bitDepth(), bitDepth);
        QCOMPARE(decoded->width(), 64);
        if (lossless)
            QVERIFY(decoded->identicalTo(image));
    }

    void greyStoredAsRgbIsAccepted()
    {
        const Image grey = makeImage(20, 20, 8, [](int x, int y) { return x * 10 + y; });
        cv::Mat rgb;
        cv::cvtColor(grey.mat(), rgb, cv::COLOR_GRAY2BGR);
        auto decoded = decodeImage(encodeWithOpenCv(rgb, ".png"));
        QVERIFY(decoded.ok());
        QVERIFY(decoded->identicalTo(grey));
    }

    void badInputsAreClearErrors_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QString>("expected");
        cv::Mat colour(16, 16, CV_8UC3, cv::Scalar(10, 200, 30));
        const Bytes colourPng = encodeWithOpenCv(colour, ".png");
        const Image grey = noiseImage(64, 64, 8, 7);
        const Bytes png = *encodePng(grey);
        const Bytes jpeg = encodeWithOpenCv(grey.mat(), ".jpg");
        const Bytes bmp = encodeWithOpenCv(grey.mat(), ".bmp");
        const Bytes tiff = encodeWithOpenCv(grey.mat(), ".tiff");
        auto qb = [](const Bytes& b, size_t n) {
            return QByteArray(reinterpret_cast<const char*>(b.data()), int(n));
        };
        cv::Mat floating(8, 8, CV_32F, cv::Scalar(0.5));
        QTest::newRow("empty") << QByteArray() << "empty";
        QTest::newRow("text") << QByteArray("hello, not an image") << "not a supported image";
        QTest::newRow("colour") << qb(colourPng, colourPng.size()) << "colour";
        QTest::newRow("png truncated") << qb(png, png.size() / 2) << "truncated";
        QTest::newRow("png header only") << qb(png, 20) << "truncated";
        QTest::newRow("jpeg truncated") << qb(jpeg, jpeg.size() / 2) << "truncated";
        QTest::newRow("bmp truncated") << qb(bmp, bmp.size() / 2) << "damaged";
        QTest::newRow("tiff truncated") << qb(tiff, tiff.size() / 3) << "damaged";
        Bytes corrupt = png;
        corrupt[corrupt.size() / 2] ^= 0x55;
        QTest::newRow("png corrupt") << qb(corrupt, corrupt.size()) << "corrupt";
        const Bytes floatTiff = encodeWithOpenCv(floating, ".tiff");
        QTest::newRow("float tiff") << qb(floatTiff, floatTiff.size()) << "unsupported sample type";
    }
    void badInputsAreClearErrors()
    {
        QFETCH(QByteArray, data);
        QFETCH(QString, expected);
        auto result = decodeImage(Bytes(data.begin(), data.end()), "sample");
        QVERIFY(!result.ok());
        QCOMPARE(result.error().kind, ErrorKind::BadInput);
        QVERIFY2(QString::fromStdString(result.error().message).contains(expected),
                 result.error().message.c_str());
    }

    void missingFileIsBadInput()
    {
        auto result = readImage("/nonexistent/medveil.png");
        QCOMPARE(result.error().kind, ErrorKind::BadInput);
    }

    void atomicWriteReplacesWholeFileAndLeavesNoTemp()
    {
        QTemporaryDir dir;
        const fs::path target = dir.filePath(QStringLiteral("out.bin")).toStdString();
        QVERIFY(writeFileAtomically(target, toBytes("first")).ok());
        QVERIFY(writeFileAtomically(target, toBytes("second version")).ok());
        QCOMPARE(toString(*readFileBytes(target)), std::string("second version"));
        QCOMPARE(filesIn(dir.path()), size_t(1));
    }

    void atomicWriteNeverOverwritesAnInput()
    {
        QTemporaryDir dir;
        const fs::path input = dir.filePath(QStringLiteral("in.png")).toStdString();
        writeRaw(input, toBytes("precious"));
        auto status = writeFileAtomically(input, toBytes("clobber"), {input});
        QCOMPARE(status.error().kind, ErrorKind::BadInput);
        QCOMPARE(toString(*readFileBytes(input)), std::string("precious"));
        // Through a symlink too.
        const fs::path link = dir.filePath(QStringLiteral("link.png")).toStdString();
        fs::create_symlink(input, link);
        QVERIFY(!writeFileAtomically(link, toBytes("clobber"), {input}).ok());
        QCOMPARE(toString(*readFileBytes(input)), std::string("precious"));
    }

    void failedWriteLeavesNothing()
    {
        QTemporaryDir dir;
        const fs::path target = dir.filePath(QStringLiteral("missing-folder/out.png")).toStdString();
        QVERIFY(!writeFileAtomically(target, toBytes("x")).ok());
        QVERIFY(!fs::exists(target));
        QCOMPARE(filesIn(dir.path()), size_t(0));
    }

    // Issue 27 row 6: a failing emr-open deleted a file that existed before. Every target is checked before
    // anything is committed; what was there stays byte for byte.
    void failedMultiWriteKeepsTheFilesThatWereThere()
    {
        QTemporaryDir dir;
        const fs::path notes = dir.filePath(QStringLiteral("notes.txt")).toStdString();
        const fs::path folder = dir.filePath(QStringLiteral("dir.png")).toStdString();
        writeRaw(notes, toBytes("notes\n"));
        fs::create_directory(folder);
        const auto status = writeFilesAtomically(
            {{notes, toBytes("the record"), FileMode::Private}, {folder, toBytes("image")}});
        QCOMPARE(status.error().kind, ErrorKind::BadInput);
        QVERIFY2(fs::exists(notes), "the file that was there is gone");
        QCOMPARE(toString(*readFileBytes(notes)), std::string("notes\n"));
        QVERIFY(fs::is_directory(folder));
        QCOMPARE(filesIn(dir.path()), size_t(1)); // notes.txt (and the folder)
        // A target in a missing folder: refused before the first one is written too.
        const fs::path missing = dir.filePath(QStringLiteral("missing/out.png")).toStdString();
        QVERIFY(!writeFilesAtomically({{notes, toBytes("the record")}, {missing, toBytes("image")}}).ok());
        QCOMPARE(toString(*readFileBytes(notes)), std::string("notes\n"));
        QCOMPARE(filesIn(dir.path()), size_t(1)); // notes.txt (and the folder)
    }

    // Replaced files go whole, the backups kept during the commit are gone afterwards, and the new files
    // take their mode from the request, not from the old file.
    void multiWriteReplacesExistingFilesWithoutLeftovers()
    {
        QTemporaryDir dir;
        const fs::path a = dir.filePath(QStringLiteral("a.txt")).toStdString();
        const fs::path b = dir.filePath(QStringLiteral("b.txt")).toStdString();
        const fs::path c = dir.filePath(QStringLiteral("c.txt")).toStdString();
        writeRaw(a, toBytes("old a"));
        writeRaw(b, toBytes("old b"));
        ::chmod(a.c_str(), 0644);
        QVERIFY(writeFilesAtomically({{a, toBytes("new a"), FileMode::Private},
                                      {b, toBytes("new b"), FileMode::Private},
                                      {c, toBytes("new c"), FileMode::Private}})
                    .ok());
        QCOMPARE(toString(*readFileBytes(a)), std::string("new a"));
        QCOMPARE(toString(*readFileBytes(b)), std::string("new b"));
        QCOMPARE(toString(*readFileBytes(c)), std::string("new c"));
        QCOMPARE(filesIn(dir.path()), size_t(3));
        struct stat st
        {};
        QCOMPARE(::stat(a.c_str(), &st), 0);
        QCOMPARE(int(st.st_mode & 0777), 0600);
    }

    void privateModeIsOwnerOnly()
    {
        QTemporaryDir dir;
        const fs::path target = dir.filePath(QStringLiteral("key.pem")).toStdString();
        QVERIFY(writeFileAtomically(target, toBytes("secret"), {}, FileMode::Private).ok());
        struct stat st
        {};
        QCOMPARE(::stat(target.c_str(), &st), 0);
        QCOMPARE(int(st.st_mode & 0777), 0600);
    }
};

QTEST_GUILESS_MAIN(TestIo)
#include "test_io.moc"
