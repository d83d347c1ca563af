// SPDX-License-Identifier: GPL-3.0-or-later
#include "TestImages.h"
#include "io/AtomicFile.h"
#include "io/DecoderHeaders.h"
#include "io/ImageIo.h"

#include <QTemporaryDir>
#include <QtTest>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <fstream>
#include <png.h>
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

/// A PNG written by libpng itself in any colour type and depth (OpenCV writes only 8/16-bit grey, RGB and
/// RGBA): `samples` holds width × channels values per row, `palette` RGB triples for colour type 3.
struct PngVariant
{
    int width = 0, height = 0, colorType = PNG_COLOR_TYPE_GRAY, bitDepth = 8;
    bool interlaced = false;
    std::vector<int> samples;
    std::vector<png_color> palette;
    std::vector<png_byte> paletteAlpha;            ///< tRNS of a palette image
    std::optional<png_color_16> transparentColour; ///< tRNS of a grey or RGB image
};

void appendPngBytes(png_structp png, png_bytep data, png_size_t length)
{
    auto* out = static_cast<Bytes*>(png_get_io_ptr(png));
    out->insert(out->end(), data, data + length);
}

Bytes writePngVariant(const PngVariant& v)
{
    Bytes out;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    png_infop info = png_create_info_struct(png);
    png_set_write_fn(png, &out, appendPngBytes, nullptr);
    png_set_IHDR(png, info, v.width, v.height, v.bitDepth, v.colorType,
                 v.interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    if (!v.palette.empty())
        png_set_PLTE(png, info, v.palette.data(), int(v.palette.size()));
    if (!v.paletteAlpha.empty())
        png_set_tRNS(png, info, v.paletteAlpha.data(), int(v.paletteAlpha.size()), nullptr);
    if (v.transparentColour) {
        png_color_16 colour = *v.transparentColour;
        png_set_tRNS(png, info, nullptr, 0, &colour);
    }
    png_write_info(png, info);
    const int channels = png_get_channels(png, info);
    const size_t rowBytes = png_get_rowbytes(png, info);
    std::vector<png_byte> packed(rowBytes * v.height, 0);
    for (int y = 0; y < v.height; ++y)
        for (int i = 0; i < v.width * channels; ++i) {
            const int value = v.samples[size_t(y) * v.width * channels + i];
            png_byte* row = packed.data() + rowBytes * y;
            if (v.bitDepth == 16) {
                row[2 * i] = png_byte(value >> 8);
                row[2 * i + 1] = png_byte(value);
            } else if (v.bitDepth == 8) {
                row[i] = png_byte(value);
            } else { // 1, 2 or 4 bits, most significant first
                const int perByte = 8 / v.bitDepth;
                row[i / perByte] |= png_byte(value << (8 - v.bitDepth * (i % perByte + 1)));
            }
        }
    std::vector<png_bytep> rows(v.height);
    for (int y = 0; y < v.height; ++y)
        rows[y] = packed.data() + rowBytes * y;
    png_write_image(png, rows.data());
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    return out;
}

/// What decodeImage made of OpenCV's imdecode(IMREAD_UNCHANGED) before it read PNG itself: the grey
/// plane when every colour channel is equal and every alpha opaque; nullopt (refused) otherwise.
std::optional<cv::Mat> greyAsOpenCvDecodes(const Bytes& png)
{
    const cv::Mat mat = cv::imdecode(cv::Mat(png), cv::IMREAD_UNCHANGED);
    if (mat.empty())
        return std::nullopt;
    if (mat.channels() == 1)
        return mat;
    std::vector<cv::Mat> planes;
    cv::split(mat, planes);
    if (cv::countNonZero(planes[0] != planes[1]) != 0 || cv::countNonZero(planes[0] != planes[2]) != 0)
        return std::nullopt;
    if (mat.channels() == 4 && cv::countNonZero(planes[3] != (mat.depth() == CV_16U ? 65535 : 255)) != 0)
        return std::nullopt;
    return planes[0];
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

    // decodeImage reads PNG with libpng itself (no imgcodecs in the CLI and the GUI): every colour type and
    // depth gives the pixels (or the refusal) that OpenCV's decoder gave before.
    void pngDecodingMatchesOpenCv_data()
    {
        QTest::addColumn<QByteArray>("png");
        auto add = [](const char* name, const PngVariant& v) {
            const Bytes bytes = writePngVariant(v);
            QTest::newRow(name) << QByteArray(reinterpret_cast<const char*>(bytes.data()), int(bytes.size()));
        };
        const int w = 37, h = 29;
        auto samples = [&](int channels, int maxValue, auto value) {
            std::vector<int> out;
            for (int y = 0; y < h; ++y)
                for (int x = 0; x < w; ++x)
                    for (int c = 0; c < channels; ++c)
                        out.push_back(value(x, y, c) % (maxValue + 1));
            return out;
        };
        auto grey = [](int x, int y, int) { return x * 7 + y * 13; };
        for (int depth : {1, 2, 4, 8, 16}) {
            for (bool interlaced : {false, true}) {
                PngVariant v{
                    w,
                    h,
                    PNG_COLOR_TYPE_GRAY,
                    depth,
                    interlaced,
                    samples(1, (1 << depth) - 1,
                            [&](int x, int y, int c) { return grey(x, y, c) * (depth == 16 ? 257 : 1); }),
                    {},
                    {},
                    {}};
                add(qPrintable(
                        QStringLiteral("grey %1-bit%2").arg(depth).arg(interlaced ? " interlaced" : "")),
                    v);
            }
        }
        PngVariant greyKey{w,  h,  PNG_COLOR_TYPE_GRAY,         8, false, samples(1, 255, grey),
                           {}, {}, png_color_16{0, 0, 0, 0, 13}};
        add("grey 8-bit with a tRNS key (ignored)", greyKey);
        for (int depth : {8, 16}) {
            const int maxValue = (1 << depth) - 1;
            add(depth == 8 ? "grey+alpha 8 opaque" : "grey+alpha 16 opaque",
                {w,
                 h,
                 PNG_COLOR_TYPE_GRAY_ALPHA,
                 depth,
                 false,
                 samples(2, maxValue,
                         [&](int x, int y, int c) { return c == 1 ? maxValue : grey(x, y, c) * 97; }),
                 {},
                 {},
                 {}});
            add(depth == 8 ? "grey+alpha 8 translucent" : "grey+alpha 16 translucent",
                {w,
                 h,
                 PNG_COLOR_TYPE_GRAY_ALPHA,
                 depth,
                 false,
                 samples(
                     2, maxValue,
                     [&](int x, int y, int c) { return c == 1 ? (x == 3 ? 7 : maxValue) : grey(x, y, c); }),
                 {},
                 {},
                 {}});
            add(depth == 8 ? "rgb 8 grey" : "rgb 16 grey",
                {w,
                 h,
                 PNG_COLOR_TYPE_RGB,
                 depth,
                 true,
                 samples(3, maxValue, [&](int x, int y, int) { return grey(x, y, 0) * 31; }),
                 {},
                 {},
                 {}});
            add(depth == 8 ? "rgb 8 colour" : "rgb 16 colour",
                {w,
                 h,
                 PNG_COLOR_TYPE_RGB,
                 depth,
                 false,
                 samples(3, maxValue,
                         [&](int x, int y, int c) { return grey(x, y, c) + (c == 2 && y == 5); }),
                 {},
                 {},
                 {}});
            add(depth == 8 ? "rgba 8 grey opaque" : "rgba 16 grey opaque",
                {w,
                 h,
                 PNG_COLOR_TYPE_RGB_ALPHA,
                 depth,
                 false,
                 samples(4, maxValue, [&](int x, int y, int c) { return c == 3 ? maxValue : grey(x, y, 0); }),
                 {},
                 {},
                 {}});
        }
        std::vector<png_color> greyPalette, colourPalette;
        for (int i = 0; i < 16; ++i) {
            greyPalette.push_back({png_byte(i * 17), png_byte(i * 17), png_byte(i * 17)});
            colourPalette.push_back({png_byte(i * 17), png_byte(255 - i * 17), png_byte(i * 3)});
        }
        auto index = [](int x, int y, int) { return (x + y) % 16; };
        for (int depth : {4, 8}) {
            add(depth == 4 ? "palette 4-bit grey" : "palette 8-bit grey",
                {w, h, PNG_COLOR_TYPE_PALETTE, depth, false, samples(1, 15, index), greyPalette, {}, {}});
        }
        add("palette colour",
            {w, h, PNG_COLOR_TYPE_PALETTE, 8, false, samples(1, 15, index), colourPalette, {}, {}});
        add("palette grey with an opaque tRNS", {w,
                                                 h,
                                                 PNG_COLOR_TYPE_PALETTE,
                                                 8,
                                                 false,
                                                 samples(1, 15, index),
                                                 greyPalette,
                                                 std::vector<png_byte>(16, 255),
                                                 {}});
        add("palette grey with a transparent entry", {w,
                                                      h,
                                                      PNG_COLOR_TYPE_PALETTE,
                                                      8,
                                                      false,
                                                      samples(1, 15, index),
                                                      greyPalette,
                                                      std::vector<png_byte>{255, 0},
                                                      {}});
        add("rgb grey with a tRNS key that matches",
            {w,
             h,
             PNG_COLOR_TYPE_RGB,
             8,
             false,
             samples(3, 255, [&](int x, int y, int) { return grey(x, y, 0); }),
             {},
             {},
             png_color_16{0, 13, 13, 13, 0}});
    }
    void pngDecodingMatchesOpenCv()
    {
        QFETCH(QByteArray, png);
        const Bytes bytes(png.begin(), png.end());
        const std::optional<cv::Mat> expected = greyAsOpenCvDecodes(bytes);
        auto decoded = decodeImage(bytes, "variant");
        QCOMPARE(decoded.ok(), expected.has_value());
        if (!expected) {
            QCOMPARE(decoded.error().kind, ErrorKind::BadInput);
            return;
        }
        QCOMPARE(decoded->mat().type(), expected->type());
        QCOMPARE(decoded->mat().size(), expected->size());
        QCOMPARE(cv::countNonZero(decoded->mat() != *expected), 0);
    }

    // PNG is written with zlib's run-length strategy for 8-bit images (3–8× faster than level 6): never
    // larger than zlib level 6 (what OpenCV wrote before) on the corpus, and 16-bit files as before.
    void pngEncodingIsNotLargerThanZlibLevel6()
    {
        size_t ours = 0, level6 = 0;
        for (const QString& path : corpusFiles()) {
            const Image image = loadCorpus(path);
            auto png = encodePng(image);
            QVERIFY(png.ok());
            std::vector<uint8_t> reference;
            QVERIFY(cv::imencode(".png", image.mat(), reference, {cv::IMWRITE_PNG_COMPRESSION, 6}));
            QVERIFY2(png->size() <= reference.size(),
                     qPrintable(QStringLiteral("%1: %2 bytes, zlib level 6 %3")
                                    .arg(path)
                                    .arg(png->size())
                                    .arg(reference.size())));
            ours += png->size();
            level6 += reference.size();
            QVERIFY(decodeImage(*png)->identicalTo(image));
        }
        qInfo("corpus PNG: %zu bytes (zlib level 6: %zu)", ours, level6);
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

    // The pixel limit applies to every page and tile libtiff reads, and to the size libjpeg reads, not to
    // what a hand-written parser finds first.
    void pixelLimitUsesTheDecodersView()
    {
        QTemporaryDir dir;
        const std::string multi = (fs::path(dir.path().toStdString()) / "pages.tiff").string();
        const std::vector<cv::Mat> pages{noiseImage(32, 32, 8, 1).mat(), noiseImage(300, 200, 8, 2).mat()};
        QVERIFY(cv::imwritemulti(multi, pages));
        const Bytes tiff = *readFileBytes(multi);
        auto view = tiffDecoderView(tiff);
        QVERIFY(view.ok());
        QCOMPARE(view->width, uint64_t(32));
        QCOMPARE(view->largestArea, uint64_t(300 * 200));
        QCOMPARE(view->largestWhat, std::string("page 2"));
        const uint64_t saved = maxPixels();
        setMaxPixels(300 * 200);
        auto firstPage = decodeImage(tiff, "pages.tiff");
        setMaxPixels(300 * 200 - 1);
        auto refused = decodeImage(tiff, "pages.tiff");
        setMaxPixels(saved);
        QVERIFY2(firstPage.ok(), firstPage.ok() ? "" : firstPage.error().message.c_str());
        QVERIFY(firstPage->identicalTo(noiseImage(32, 32, 8, 1)));
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().kind, ErrorKind::BadInput);
        QVERIFY2(refused.error().message.find("page 2 declares 60000 pixels") != std::string::npos,
                 refused.error().message.c_str());

        // A TEM marker, then an APP15 segment holding a fake 16×16 SOF where a parser that reads a length
        // after TEM would land: libjpeg and the DICOM frame walk both see the real 64×48 frame.
        const Bytes jpeg = encodeWithOpenCv(noiseImage(64, 48, 8, 3).mat(), ".jpg");
        Bytes hostile{0xff, 0xd8, 0xff, 0x01, 0xff, 0xef};
        const size_t fakeAt = 4 + 0xffef, payload = fakeAt + 13 - 8;
        hostile.push_back(uint8_t((payload + 2) >> 8));
        hostile.push_back(uint8_t((payload + 2) & 0xff));
        hostile.resize(fakeAt, 0);
        const Bytes fakeSof{0xff, 0xc0, 0, 11, 8, 0, 16, 0, 16, 1, 1, 0x11, 0};
        hostile.insert(hostile.end(), fakeSof.begin(), fakeSof.end());
        hostile.insert(hostile.end(), jpeg.begin() + 2, jpeg.end());
        for (const Bytes* data : std::vector<const Bytes*>{&jpeg, &hostile}) {
            auto library = jpegDecoderView(*data);
            auto walk = jpegStreamFrameSize(data->data(), data->size());
            QVERIFY(library.ok() && walk.ok());
            QCOMPARE(library->width, uint64_t(64));
            QCOMPARE(library->height, uint64_t(48));
            QCOMPARE(walk->width, uint64_t(64));
            QCOMPARE(walk->height, uint64_t(48));
        }
        auto decoded = decodeImage(hostile, "hostile.jpg");
        QVERIFY2(decoded.ok(), decoded.ok() ? "" : decoded.error().message.c_str());
        QCOMPARE(decoded->width(), 64);
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
