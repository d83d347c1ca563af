// SPDX-License-Identifier: GPL-3.0-or-later
// EMR encoded image codec, LSC chaotic cipher, sealed container and security analysis.
#include "TestImages.h"
#include "crypto/Digest.h"
#include "crypto/RsaKey.h"
#include "emr/CipherAnalysis.h"
#include "emr/EmrImageCodec.h"
#include "emr/EmrSealer.h"
#include "emr/HiNet.h"
#include "emr/HiNetBackend.h"
#include "emr/LscChaoticCipher.h"
#include "emr/ResidualCodec.h"
#include "emr/SealedCipherImage.h"
#include "emr/SealedEmrParameters.h"
#include "io/AtomicFile.h"
#include "io/ImageIo.h"
#include "metrics/ImageMetrics.h"
#include "workflow/CipherFiles.h"

#include <opencv2/imgproc.hpp>

#include <QDirIterator>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

#include <cstdio>
#include <cstring>
#include <dlfcn.h>
#include <filesystem>
#include <numbers>
#include <random>

using namespace medveil;
using namespace medveil::test;

namespace {

/// Random valid UTF-8: ASCII (with controls, CR/LF, NUL), 2-, 3- and 4-byte code points (no surrogates).
std::string randomUtf8(std::mt19937& rng, size_t codePoints)
{
    std::string s;
    for (size_t i = 0; i < codePoints; ++i) {
        uint32_t cp;
        switch (rng() % 4) {
        case 0:
            cp = rng() % 0x80;
            break;
        case 1:
            cp = 0x80 + rng() % (0x800 - 0x80);
            break;
        case 2:
            do
                cp = 0x800 + rng() % (0x10000 - 0x800);
            while (cp >= 0xD800 && cp <= 0xDFFF);
            break;
        default:
            cp = 0x10000 + rng() % (0x110000 - 0x10000);
        }
        if (cp < 0x80) {
            s += char(cp);
        } else if (cp < 0x800) {
            s += char(0xC0 | (cp >> 6));
            s += char(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            s += char(0xE0 | (cp >> 12));
            s += char(0x80 | ((cp >> 6) & 0x3F));
            s += char(0x80 | (cp & 0x3F));
        } else {
            s += char(0xF0 | (cp >> 18));
            s += char(0x80 | ((cp >> 12) & 0x3F));
            s += char(0x80 | ((cp >> 6) & 0x3F));
            s += char(0x80 | (cp & 0x3F));
        }
    }
    return s;
}

std::vector<std::pair<QString, std::string>> realNotes()
{
    std::vector<std::pair<QString, std::string>> notes;
    QDirIterator it(QStringLiteral(MEDVEIL_TEST_DATA "/emr"), {QStringLiteral("*.txt")});
    while (it.hasNext()) {
        QFile f(it.next());
        if (f.open(QIODevice::ReadOnly))
            notes.emplace_back(QFileInfo(f).fileName(), f.readAll().toStdString());
    }
    return notes;
}

Bytes fixedKey(uint8_t fill)
{
    return Bytes(32, fill);
}

} // namespace

class TestEmr : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void utf8Validation()
    {
        QCOMPARE(findInvalidUtf8(""), std::string::npos);
        QCOMPARE(findInvalidUtf8(std::string("a\0b", 3)), std::string::npos);
        QCOMPARE(findInvalidUtf8("病历 🩻 𠮷"), std::string::npos);
        QCOMPARE(findInvalidUtf8("ok\xC0\xAF"), size_t(2));       // overlong '/'
        QCOMPARE(findInvalidUtf8("\xED\xA0\x80"), size_t(0));     // surrogate
        QCOMPARE(findInvalidUtf8("\xF4\x90\x80\x80"), size_t(0)); // > U+10FFFF
        QCOMPARE(findInvalidUtf8("abc\xE4\xB8"), size_t(3));      // truncated
        QCOMPARE(findInvalidUtf8("\x80"), size_t(0));             // stray continuation
        QCOMPARE(findInvalidUtf8("\xFF"), size_t(0));
    }

    void codecRoundTripsTenThousandRandomTexts()
    {
        std::mt19937 rng(20261121);
        const int bases[] = {2, 4, 16};
        for (int i = 0; i < 10000; ++i) {
            const int base = bases[i % 3];
            const int w = 16 + int(rng() % 80), h = 16 + int(rng() % 80);
            const EmrImageCodec codec(base);
            std::string text = randomUtf8(rng, rng() % 200);
            if (text.size() > codec.capacityBytes(w, h))
                text.resize(0);
            auto image = codec.encode(text, w, h, fixedKey(uint8_t(i)));
            QVERIFY2(image.ok(), image.ok() ? "" : image.error().message.c_str());
            auto decoded = EmrImageCodec::decode(*image);
            QVERIFY(decoded.ok());
            QVERIFY(*decoded == text);
        }
    }

    void realNotesSurviveAtManySizes()
    {
        const auto notes = realNotes();
        QVERIFY(notes.size() >= 5);
        const std::vector<std::pair<int, int>> sizes = {{64, 64},   {128, 96},    {256, 256}, {300, 171},
                                                        {512, 512}, {1024, 1024}, {97, 1000}};
        for (const auto& [name, text] : notes) {
            for (const auto& [w, h] : sizes) {
                const EmrImageCodec codec(4);
                if (text.size() > codec.capacityBytes(w, h)) {
                    auto tooLong = codec.encode(text, w, h, fixedKey(1));
                    QCOMPARE(tooLong.error().kind, ErrorKind::Capacity);
                    continue;
                }
                auto image = codec.encode(text, w, h, fixedKey(1));
                QVERIFY(image.ok());
                QCOMPARE(image->width(), w);
                auto decoded = EmrImageCodec::decode(*image);
                QVERIFY2(decoded.ok() && *decoded == text, qPrintable(name));
            }
        }
    }

    void paddingIsKeySeededNotFlat()
    {
        const EmrImageCodec codec(4);
        const Image a = *codec.encode("short", 64, 64, fixedKey(1));
        const Image b = *codec.encode("short", 64, 64, fixedKey(2));
        QVERIFY(!a.identicalTo(b));
        const auto bins = histogram(a);
        for (int level : {32, 96, 160, 224})
            QVERIFY(bins[size_t(level)] > 800); // every digit well represented
        QVERIFY(a.identicalTo(*codec.encode("short", 64, 64, fixedKey(1))));
    }

    void noiseUpToTheBoundDecodesPastItFailsCleanly_data()
    {
        QTest::addColumn<int>("base");
        QTest::newRow("base 2") << 2;
        QTest::newRow("base 4") << 4;
        QTest::newRow("base 16") << 16;
    }
    void noiseUpToTheBoundDecodesPastItFailsCleanly()
    {
        QFETCH(int, base);
        const EmrImageCodec codec(base);
        const int bound = codec.noiseTolerance();
        QCOMPARE(bound, 128 / base - 1);
        std::string text;
        for (const auto& note : realNotes())
            if (note.second.size() > text.size())
                text = note.second;
        const Image clean = *codec.encode(text, 128, 128, fixedKey(3));
        std::mt19937 rng(base);
        for (int trial = 0; trial < 20; ++trial) {
            // i.i.d. noise in [-bound, bound], including exactly ±bound on many pixels.
            Image noisy = clean.clone();
            for (int y = 0; y < 128; ++y)
                for (int x = 0; x < 128; ++x) {
                    const int e = (rng() % 3 == 0) ? (rng() & 1 ? bound : -bound)
                                                   : int(rng() % (2 * bound + 1)) - bound;
                    noisy.set(x, y, std::clamp(clean.at(x, y) + e, 0, 255));
                }
            auto decoded = EmrImageCodec::decode(noisy);
            QVERIFY(decoded.ok());
            QVERIFY(*decoded == text);
        }
        for (int trial = 0; trial < 50; ++trial) {
            // Past the bound: |e| = bound + 1 .. 2·bound on a sprinkling of pixels → never wrong text.
            Image noisy = clean.clone();
            const int count = 1 + int(rng() % 40);
            for (int k = 0; k < count; ++k) {
                const int index =
                    EmrImageCodec::kHeaderPixels + int(rng() % (text.size() * codec.digitsPerByte()));
                const int x = index % 128, y = index / 128;
                const int magnitude = bound + 1 + int(rng() % bound + 1);
                const int v = clean.at(x, y);
                noisy.set(x, y, std::clamp(v + (v < 128 ? magnitude : -magnitude), 0, 255));
            }
            auto decoded = EmrImageCodec::decode(noisy);
            QVERIFY2(!decoded.ok() || *decoded == text, "wrong text decoded");
            if (!decoded.ok())
                QVERIFY(QString::fromStdString(decoded.error().message).contains(QStringLiteral("CRC")) ||
                        QString::fromStdString(decoded.error().message).contains(QStringLiteral("header")));
        }
        // Exactly one step past the bound (upwards, where the bin edge is bound + 1 away) on one digit
        // pixel flips that digit: CRC error.
        int index = EmrImageCodec::kHeaderPixels;
        while (clean.at(index % 128, index / 128) >= 256 - 256 / base)
            ++index;
        Image flipped = clean.clone();
        flipped.set(index % 128, index / 128, clean.at(index % 128, index / 128) + bound + 1);
        auto broken = EmrImageCodec::decode(flipped);
        QVERIFY(!broken.ok());
        QVERIFY(QString::fromStdString(broken.error().message).contains(QStringLiteral("CRC")));
    }

    void codecRejectsBadInput()
    {
        const EmrImageCodec codec(4);
        QCOMPARE(codec.encode("bad \xFF utf8", 64, 64, fixedKey(0)).error().kind, ErrorKind::BadInput);
        auto tooLong = codec.encode(std::string(5000, 'x'), 64, 64, fixedKey(0));
        QCOMPARE(tooLong.error().kind, ErrorKind::Capacity);
        QVERIFY(
            QString::fromStdString(tooLong.error().message).contains(QStringLiteral("at most 998 bytes")));
        QCOMPARE(EmrImageCodec::decode(noiseImage(64, 64, 8, 1)).error().kind, ErrorKind::BadInput);
        QCOMPARE(EmrImageCodec::decode(noiseImage(8, 8, 8, 1)).error().kind, ErrorKind::BadInput);
    }

    void cipherRoundTripsAndIsSensitive_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("version");
        for (int version : {1, 2}) {
            const QByteArray v = " v" + QByteArray::number(version);
            QTest::newRow("mri 512 8-bit" + v) << "mri_colin_axial_z160_512.png" << version;
            QTest::newRow("ct 512 16-bit" + v) << "ct_small_512_16.png" << version;
            QTest::newRow("mri 181x217" + v) << "mri_colin_axial_z90_native.png" << version;
            QTest::newRow("mr 64x64 16-bit" + v) << "mr_small_native_16.png" << version;
        }
    }
    void cipherRoundTripsAndIsSensitive()
    {
        QFETCH(QString, file);
        QFETCH(int, version);
        const auto v = static_cast<LscCipherVersion>(version);
        const Image plain = loadCorpus(corpusDir() + QLatin1Char('/') + file);
        const Bytes key = sha256(toBytes("test key")), hash = sha256(plain.pixelBytes());
        const Image cipher = *LscChaoticCipher::encrypt(plain, key, hash, v);
        QCOMPARE(cipher.bitDepth(), plain.bitDepth());
        QVERIFY(LscChaoticCipher::decrypt(cipher, key, hash, v)->identicalTo(plain));
        QVERIFY(*npcr(plain, cipher) > 99.0);
        // The versions are different ciphers: decrypting with the other one gives noise.
        const auto otherVersion = version == 1 ? LscCipherVersion::V2 : LscCipherVersion::V1;
        QVERIFY(*npcr(plain, *LscChaoticCipher::decrypt(cipher, key, hash, otherVersion)) > 99.0);
        // One key bit.
        Bytes other = key;
        other[17] ^= 0x08;
        QVERIFY(*npcr(cipher, *LscChaoticCipher::encrypt(plain, other, hash, v)) > 99.0);
        QVERIFY(*npcr(plain, *LscChaoticCipher::decrypt(cipher, other, hash, v)) > 99.0);
        // One pixel.
        Image changed = plain.clone();
        changed.set(1, 1, (plain.at(1, 1) + 1) % (plain.maxValue() + 1));
        QVERIFY(*npcr(cipher, *LscChaoticCipher::encrypt(changed, key, sha256(changed.pixelBytes()), v)) >
                99.0);
    }

    // Exact decryption at every size the bit matrix and the feedback passes have edge cases for (one
    // pixel, one row or column, widths that are not multiples of 8 or 64), both depths and versions: fixed
    // seeds, then random sizes, contents and keys for a second.
    void cipherRoundTripsOnTinyAndOddSizes()
    {
        auto roundTrip = [](int w, int h, int depth, uint32_t seed, LscCipherVersion v) {
            const Image plain = noiseImage(w, h, depth, seed);
            const Bytes key = sha256(toBytes("odd sizes " + std::to_string(seed)));
            const Bytes hash = sha256(plain.pixelBytes());
            auto cipher = LscChaoticCipher::encrypt(plain, key, hash, v);
            if (!cipher || cipher->width() != w || cipher->height() != h || cipher->bitDepth() != depth)
                return false;
            auto back = LscChaoticCipher::decrypt(*cipher, key, hash, v);
            return back.ok() && back->identicalTo(plain);
        };
        const std::pair<int, int> sizes[] = {{1, 1},   {1, 9},   {9, 1},   {2, 3},  {7, 5},   {8, 8},
                                             {13, 11}, {63, 65}, {65, 63}, {64, 1}, {130, 3}, {3, 130}};
        for (LscCipherVersion v : {LscCipherVersion::V1, LscCipherVersion::V2})
            for (int depth : {8, 16})
                for (const auto& [w, h] : sizes)
                    for (uint32_t seed : {1u, 2u, 3u})
                        QVERIFY2(roundTrip(w, h, depth, seed, v),
                                 qPrintable(QStringLiteral("%1x%2 %3-bit seed %4 v%5")
                                                .arg(w)
                                                .arg(h)
                                                .arg(depth)
                                                .arg(seed)
                                                .arg(int(v))));
        std::mt19937 rng(std::random_device{}());
        QElapsedTimer timer;
        timer.start();
        int runs = 0;
        while (timer.elapsed() < 1000) {
            const int w = 1 + int(rng() % 97), h = 1 + int(rng() % 97), depth = rng() % 2 ? 16 : 8;
            const uint32_t seed = rng();
            const auto v = rng() % 2 ? LscCipherVersion::V2 : LscCipherVersion::V1;
            QVERIFY2(roundTrip(w, h, depth, seed, v), qPrintable(QStringLiteral("%1x%2 %3-bit seed %4 v%5")
                                                                     .arg(w)
                                                                     .arg(h)
                                                                     .arg(depth)
                                                                     .arg(seed)
                                                                     .arg(int(v))));
            ++runs;
        }
        QVERIFY(runs > 10);
    }

    void keystreamMatchesKnownAnswers()
    {
        // Sealed files depend on the keystream never changing. The expected values come from a separate
        // Python implementation of the map written from its description (tools/lsc_keystream_kat.py), not
        // from this code: the first iterates, and a SHA-256 over 17 MB that spans ~16,600 perturbations
        // and the first re-keying of the perturbation stream (at byte 16,777,312).
        struct Row
        {
            uint8_t salt;
            size_t count;
            const char* firstBytes; // hex of bytes 0..15
            const char* sha256;     // hex, of all `count` bytes (nullptr: not checked)
            const char* lastBytes;  // hex of the last 16 bytes (nullptr: not checked)
        };
        static const Row kRows[] = {
            {9, 16, "a9b2f5b1fc0a1bcd311387b3fef8a79c", nullptr, nullptr},
            {10, 16, "5cd7130e714a29f4b3fc379a4fc48b32", nullptr, nullptr},
            {9, 17000000, "a9b2f5b1fc0a1bcd311387b3fef8a79c",
             "6e53798f1af61ea70dc9054d7b7ac1c1c4d084f16b07db91b190a039d12a68b6",
             "ea19bc508da5d28281d78e9ef0b05f45"},
        };
        for (const Row& row : kRows) {
            auto ks = LscChaoticCipher::keystream(Bytes(32, 7), Bytes(32, row.salt), row.count,
                                                  LscCipherVersion::V1);
            QVERIFY(ks.ok());
            QCOMPARE(ks->size(), row.count);
            QCOMPARE(hexEncode(Bytes(ks->begin(), ks->begin() + 16)), std::string(row.firstBytes));
            if (row.sha256)
                QCOMPARE(hexEncode(sha256(*ks)), std::string(row.sha256));
            if (row.lastBytes)
                QCOMPARE(hexEncode(Bytes(ks->end() - 16, ks->end())), std::string(row.lastBytes));
        }
    }

    // Version 2 against the same independent Python implementation: the eight-lane map with its own sinπ,
    // over 17 MB (past the re-keying of the perturbation stream), and the whole cipher (bit permutation
    // and the three feedback passes) on small 8- and 16-bit images.
    void keystreamV2MatchesKnownAnswers()
    {
        QCOMPARE(
            hexEncode(*LscChaoticCipher::keystream(Bytes(32, 7), Bytes(32, 9), 16, LscCipherVersion::V2)),
            std::string("99ea8dca21bf9f9429647b18e0cc8d3f"));
        QCOMPARE(
            hexEncode(*LscChaoticCipher::keystream(Bytes(32, 7), Bytes(32, 10), 16, LscCipherVersion::V2)),
            std::string("8fdcdb19ed6b69c9f680a319d4854124"));
        auto ks = LscChaoticCipher::keystream(Bytes(32, 7), Bytes(32, 9), 17000000, LscCipherVersion::V2);
        QVERIFY(ks.ok());
        QCOMPARE(hexEncode(sha256(*ks)),
                 std::string("eafbb7b74e0a054652f857e10ad8e55a9aff9f69402937ec3981246094f30c8c"));
        QCOMPARE(hexEncode(Bytes(ks->end() - 16, ks->end())),
                 std::string("a85516dcb9b3f3562989e5797b6a6aa4"));
        // sinπ at the points where its reduction changes branch.
        QCOMPARE(LscLaneMap::sinPi(0.0), 0.0);
        QCOMPARE(LscLaneMap::sinPi(1.0), 0.0);
        QVERIFY(std::abs(LscLaneMap::sinPi(0.5) - 1.0) < 1e-15);
        QVERIFY(std::abs(LscLaneMap::sinPi(-2.5) + 1.0) < 1e-15);
        for (double t = -9.75; t < 2; t += 0.0625)
            QVERIFY2(std::abs(LscLaneMap::sinPi(t) - std::sin(std::numbers::pi * t)) < 1e-14,
                     qPrintable(QString::number(t)));
    }

    void cipherV2MatchesKnownAnswers_data()
    {
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("height");
        QTest::addColumn<int>("depth");
        QTest::addColumn<QString>("cipherHex");
        QTest::newRow("13x7 8-bit")
            << 13 << 7 << 8
            << "899527dd8d4accf35f019f0c11dce04416000011637c1fb08829fce6533e7e5c976f4dd6034d1a28"
               "fcb29a66e0f89f9149bd12e04edf89af9d2346d2b79549b2fa1f0dcb8dd22c06e14c34391e79f6f7"
               "0bc1bf8be90e77b854aeaa";
        QTest::newRow("5x3 16-bit") << 5 << 3 << 16
                                    << "8a2020ac8880d4dedaec4185b9eaaf2ac9b6d60eeaa3459f90eb607c993e";
        QTest::newRow("1x1 8-bit") << 1 << 1 << 8 << "59";
        QTest::newRow("1x1 16-bit") << 1 << 1 << 16 << "d29e";
    }
    void cipherV2MatchesKnownAnswers()
    {
        QFETCH(int, width);
        QFETCH(int, height);
        QFETCH(int, depth);
        QFETCH(QString, cipherHex);
        const Image plain = makeImage(width, height, depth, [&](int x, int y) {
            return depth == 8 ? (x * 37 + y * 11 + 3) % 256 : (x * 4099 + y * 257 + 1000) % 65536;
        });
        const Bytes key(32, 7), salt(32, 9);
        auto cipher = LscChaoticCipher::encrypt(plain, key, salt, LscCipherVersion::V2);
        QVERIFY(cipher.ok());
        std::string hex;
        char digits[8];
        for (int y = 0; y < height; ++y)
            for (int x = 0; x < width; ++x) {
                std::snprintf(digits, sizeof digits, depth == 8 ? "%02x" : "%04x", cipher->at(x, y));
                hex += digits;
            }
        QCOMPARE(QString::fromStdString(hex), cipherHex);
        QVERIFY(LscChaoticCipher::decrypt(*cipher, key, salt, LscCipherVersion::V2)->identicalTo(plain));
    }

    // The diffusion alone: one-pixel pairs under the same maps. Version 1's additive feedback fails Wu's
    // critical values for most pairs; version 2 passes as often as an ideal cipher, as does the paper's
    // figure (each image under its own maps) for both.
    void sameMapDiffusionPassesWuCriticalValues_data()
    {
        QTest::addColumn<int>("version");
        QTest::addColumn<quint64>("seed");
        QTest::newRow("v2 seed 1") << 2 << quint64(1);
        QTest::newRow("v2 seed 7") << 2 << quint64(7);
        QTest::newRow("v1 seed 1") << 1 << quint64(1);
    }
    void sameMapDiffusionPassesWuCriticalValues()
    {
        QFETCH(int, version);
        QFETCH(quint64, seed);
        std::vector<Image> images;
        for (const char* name : {"mri_colin_axial_z130_512.png", "ct_small_512_16.png", "camera_512.png",
                                 "mri_natbrainlab_axial_z80_512.png", "mri_colin_axial_z90_native.png"})
            images.push_back(loadCorpus(corpusDir() + QLatin1Char('/') + QLatin1String(name)));
        CipherStudyOptions options;
        options.seed = seed;
        options.pairs = 100;
        options.version = static_cast<LscCipherVersion>(version);
        auto report = analyseCipherReport(images, options);
        QVERIFY(report.ok());
        QCOMPARE(int(report->pairs.size()), 100);
        QCOMPARE(report->paper.minimumPassing, 89); // Binomial(100, 0.95): P(X ≤ 88) < 1 % < P(X ≤ 89)
        QVERIFY2(report->paper.pass, qPrintable(QStringLiteral("paper row: NPCR %1, UACI %2 passing")
                                                    .arg(report->paper.npcrPassing)
                                                    .arg(report->paper.uaciPassing)));
        const QString same = QStringLiteral("same maps: NPCR %1, UACI %2 passing, NPCR median %3")
                                 .arg(report->sameMaps.npcrPassing)
                                 .arg(report->sameMaps.uaciPassing)
                                 .arg(report->sameMaps.npcrMedian);
        if (version == 1) {
            QVERIFY2(!report->sameMaps.pass && report->sameMaps.npcrPassing < 50, qPrintable(same));
        } else {
            QVERIFY2(report->sameMaps.pass, qPrintable(same));
            // No pair with a structured failure (version 1 and a narrow-carry draft left pairs at NPCR 3–50
            // %).
            QVERIFY2(report->sameMaps.npcrMin > 99.4 && report->sameMaps.uaciMin > 32.9, qPrintable(same));
        }
        // The same seed gives the same pairs and figures.
        options.pairs = 3;
        auto again = analyseCipherReport(images, options);
        QVERIFY(again.ok());
        for (size_t i = 0; i < 3; ++i) {
            QCOMPARE(again->pairs[i].x, report->pairs[i].x);
            QCOMPARE(again->pairs[i].sameNpcr, report->pairs[i].sameNpcr);
            QCOMPARE(again->pairs[i].paperUaci, report->pairs[i].paperUaci);
        }
    }

    void cipherStatisticsOnRealImage()
    {
        const Image plain = loadCorpus(corpusDir() + QStringLiteral("/mri_colin_axial_z130_512.png"));
        auto a = analyseCipher(plain, sha256(toBytes("analysis")));
        QVERIFY(a.ok());
        QVERIFY(a->entropyCipher >= 7.999);
        for (double c : a->corrCipher)
            QVERIFY(std::abs(c) < 0.01);
        QVERIFY(a->corrPlain[0] > 0.9);
        QVERIFY(a->chiSquarePass);
        QVERIFY(a->keyNpcr >= 99.5);
        QVERIFY(a->wrongKeyPsnr < 10);
    }

    void criticalValuesMatchWu2011()
    {
        const auto c512 = npcrUaciCritical(512 * 512, 8);
        QVERIFY(std::abs(c512.npcr - 99.5893) < 5e-4);
        QVERIFY(std::abs(c512.uaciLow - 33.3730) < 5e-4);
        QVERIFY(std::abs(c512.uaciHigh - 33.5541) < 5e-4);
        // Wu et al. 2011, Table 3 (α = 0.01 and 0.001) from the same formulas with any α.
        const auto c512strict = npcrUaciCritical(512 * 512, 8, 0.01);
        QVERIFY(std::abs(c512strict.npcr - 99.5810) < 5e-4);
        QVERIFY(std::abs(c512strict.uaciLow - 33.3445) < 5e-4);
        QVERIFY(std::abs(c512strict.uaciHigh - 33.5826) < 5e-4);
        const auto c512strictest = npcrUaciCritical(512 * 512, 8, 0.001);
        QVERIFY(std::abs(c512strictest.npcr - 99.5717) < 5e-4);
        QVERIFY(std::abs(c512strictest.uaciLow - 33.3115) < 5e-4);
        QVERIFY(std::abs(c512strictest.uaciHigh - 33.6156) < 5e-4);
        QVERIFY(std::abs(upperNormalQuantile(0.05) - 1.6448536269514722) < 1e-12);
        QVERIFY(std::abs(upperNormalQuantile(0.0005) - 3.2905267314918945) < 1e-12);
        QVERIFY(std::abs(upperNormalQuantile(0.975) + 1.959963984540054) < 1e-12);
        // 16-bit: the formulas with F = 65535 (NPCR's expectation 1 − 2⁻¹⁶).
        const auto c16 = npcrUaciCritical(512 * 512, 16);
        QVERIFY(std::abs(c16.npcr - 99.99722) < 5e-5);
        const auto c256 = npcrUaciCritical(256 * 256, 8);
        QVERIFY(std::abs(c256.npcr - 99.5693) < 5e-4);
        QVERIFY(std::abs(c256.uaciLow - 33.2824) < 5e-4);
        QVERIFY(std::abs(c256.uaciHigh - 33.6447) < 5e-4);
        QVERIFY(std::abs(chiSquareCritical(8) - 293.2478) < 0.1);
    }

    void sealedContainerDetectsEverything()
    {
        const RsaKey key = *RsaKey::generate(2048), other = *RsaKey::generate(2048);
        const Image plain = loadCorpus(corpusDir() + QStringLiteral("/mri_colin_axial_z190_512.png"));
        const Bytes k = *randomBytes(32), hash = sha256(plain.pixelBytes());
        const Image cipher = *LscChaoticCipher::encrypt(plain, k, hash);
        const auto meta = *SealedCipherImage::seal(cipher, {k, hash, Bytes{1, 2, 3}}, key, "lsc-cipher 1");
        auto secrets = SealedCipherImage::open(cipher, meta, key, "lsc-cipher 1");
        QVERIFY(secrets.ok());
        QCOMPARE(secrets->key, k);
        QCOMPARE(secrets->parameters, (Bytes{1, 2, 3}));
        QCOMPARE(SealedCipherImage::open(cipher, meta, other, "lsc-cipher 1").error().kind, ErrorKind::Auth);
        Image tampered = cipher.clone();
        tampered.set(300, 200, tampered.at(300, 200) ^ 1);
        QCOMPARE(SealedCipherImage::open(tampered, meta, key, "lsc-cipher 1").error().kind, ErrorKind::Auth);
        auto edited = meta;
        edited[SealedCipherImage::kMacKey][3] ^= 1;
        QCOMPARE(SealedCipherImage::open(cipher, edited, key, "lsc-cipher 1").error().kind, ErrorKind::Auth);
        QCOMPARE(SealedCipherImage::open(cipher, {}, key, "lsc-cipher 1").error().kind, ErrorKind::BadInput);
        QCOMPARE(SealedCipherImage::open(cipher, meta, key, "emr-seal 1").error().kind, ErrorKind::BadInput);
    }

    // The receiver's cover: within tolerance every pixel snaps back to its level (padding included), so a
    // cover-conditioned network reveals with the exact cover; past it keepCoverRecoverable pulls it back.
    void coverIsRebuiltExactlyFromADistortedCopy_data()
    {
        QTest::addColumn<int>("base");
        QTest::newRow("base 2") << 2;
        QTest::newRow("base 4") << 4;
        QTest::newRow("base 16") << 16;
    }
    void coverIsRebuiltExactlyFromADistortedCopy()
    {
        QFETCH(int, base);
        const EmrImageCodec codec(base);
        const auto notes = realNotes();
        for (unsigned seed : {1u, 7u, 40u, 2026u}) {
            std::mt19937 rng(seed);
            const int w = 17 + int(rng() % 300), h = 11 + int(rng() % 200);
            std::string note = notes[seed % notes.size()].second;
            note.resize(std::min(note.size(), codec.capacityBytes(w, h)));
            auto encoded = codec.encode(note, w, h, fixedKey(uint8_t(seed)));
            QVERIFY(encoded.ok());
            Image distorted = encoded->clone();
            for (int y = 0; y < h; ++y)
                for (int x = 0; x < w; ++x) {
                    const int i = y * w + x;
                    const int bound = i < EmrImageCodec::kHeaderPixels ? 63 : codec.noiseTolerance();
                    const int e = int(rng() % uint32_t(2 * bound + 1)) - bound;
                    distorted.set(x, y, std::clamp(encoded->at(x, y) + e, 0, 255));
                }
            auto rebuilt = EmrImageCodec::reconstructCover(distorted);
            QVERIFY(rebuilt.ok());
            QCOMPARE(cv::countNonZero(rebuilt->mat() != encoded->mat()), 0);
            // Push a quarter of the pixels past the tolerance: the rebuilt cover differs ...
            for (int k = 0; k < w * h / 4; ++k) {
                const int x = int(rng() % uint32_t(w)), y = int(rng() % uint32_t(h));
                distorted.set(x, y, std::clamp(encoded->at(x, y) + (rng() & 1 ? 90 : -90), 0, 255));
            }
            auto broken = EmrImageCodec::reconstructCover(distorted);
            QVERIFY(!broken.ok() || cv::countNonZero(broken->mat() != encoded->mat()) > 0);
            // ... until keepCoverRecoverable pulls every pixel back inside its level's tolerance.
            auto pulled = EmrImageCodec::keepCoverRecoverable(*encoded, distorted);
            QVERIFY(pulled.ok());
            QVERIFY(*pulled > 0);
            rebuilt = EmrImageCodec::reconstructCover(distorted);
            QVERIFY(rebuilt.ok());
            QCOMPARE(cv::countNonZero(rebuilt->mat() != encoded->mat()), 0);
            auto text = EmrImageCodec::decode(distorted);
            QVERIFY(text.ok());
            QCOMPARE(*text, note);
        }
    }

    // The lossless residual of exact recovery on real images with real-looking reveals (blurred and noisy
    // copies), 8- and 16-bit, saturated, flat black, odd and tiny sizes; damaged data are refused.
    void residualRoundTripsBitExactly()
    {
        std::vector<std::pair<QString, Image>> images;
        for (const QString& file : corpusFiles())
            images.emplace_back(file, loadCorpus(file));
        images.emplace_back(QStringLiteral("saturated"),
                            makeImage(64, 48, 8, [](int x, int) { return x < 32 ? 255 : 0; }));
        images.emplace_back(QStringLiteral("flat black"), makeImage(33, 17, 8, [](int, int) { return 0; }));
        images.emplace_back(QStringLiteral("16-bit saturated"),
                            makeImage(31, 9, 16, [](int x, int) { return x % 2 ? 65535 : 0; }));
        images.emplace_back(QStringLiteral("1x1"), makeImage(1, 1, 8, [](int, int) { return 200; }));
        std::mt19937 rng(5);
        for (const auto& [name, original] : images) {
            cv::Mat blurred;
            cv::GaussianBlur(original.mat(), blurred, cv::Size(3, 3), 0.8);
            Image revealed = *Image::fromMat(blurred);
            for (int k = 0; k < int(original.pixelCount() / 50); ++k) // saturating noise on top
                revealed.set(int(rng() % uint32_t(original.width())),
                             int(rng() % uint32_t(original.height())), rng() & 1 ? revealed.maxValue() : 0);
            auto coded = ResidualCodec::encode(original, revealed);
            QVERIFY2(coded.ok(), qPrintable(name));
            auto back = ResidualCodec::apply(*coded, revealed);
            QVERIFY2(back.ok(), qPrintable(name));
            QVERIFY2(back->pixelBytes() == original.pixelBytes(), qPrintable(name));
            // Damage: a truncated or altered residual never gives wrong pixels silently.
            Bytes truncated(coded->begin(), coded->begin() + long(coded->size() / 2));
            QVERIFY(!ResidualCodec::apply(truncated, revealed).ok());
            Bytes other = *coded;
            other[1] ^= 1; // width field
            QVERIFY(!ResidualCodec::apply(other, revealed).ok());
        }
    }

    // Exact recovery through the whole seal → open pipeline with the shipped weights: the medical image
    // comes back bit-exactly (SHA-256 verified) on every corpus image and on edge cases, the EMR
    // byte-exactly.
    void exactSealOpensBitExactly_data()
    {
        QTest::addColumn<QString>("name");
        for (const QString& file : corpusFiles())
            QTest::newRow(qPrintable(QFileInfo(file).fileName())) << file;
        for (const char* edge : {"odd 101x77 noise", "saturated", "flat black", "16-bit odd"})
            QTest::newRow(edge) << QString::fromLatin1(edge);
    }
    void exactSealOpensBitExactly()
    {
        QFETCH(QString, name);
        static auto network = HiNetModel::load();
        QVERIFY2(network.ok(), network.ok() ? "" : network.error().message.c_str());
        static auto pair = RsaKey::generate(2048);
        QVERIFY(pair.ok());
        Image medical;
        if (name == QStringLiteral("odd 101x77 noise"))
            medical = noiseImage(101, 77, 8, 3);
        else if (name == QStringLiteral("saturated"))
            medical = makeImage(96, 64, 8, [](int x, int y) { return (x / 8 + y / 8) % 2 ? 255 : 0; });
        else if (name == QStringLiteral("flat black"))
            medical = makeImage(64, 64, 8, [](int, int) { return 0; });
        else if (name == QStringLiteral("16-bit odd"))
            medical = noiseImage(45, 23, 16, 9);
        else
            medical = loadCorpus(name);
        const auto notes = realNotes();
        const std::string& note = notes[size_t(qHash(name)) % notes.size()].second;
        const std::string text =
            note.substr(0, EmrImageCodec(4).capacityBytes(medical.width(), medical.height()));
        auto sealed = EmrSealer::seal(medical, text, *pair, **network);
        QVERIFY2(sealed.ok(), sealed.ok() ? "" : sealed.error().message.c_str());
        QVERIFY(sealed->residualBytes > 0);
        auto opened = EmrSealer::open(sealed->cipher, sealed->metadata, *pair, **network);
        QVERIFY2(opened.ok(), opened.ok() ? "" : opened.error().message.c_str());
        QVERIFY(opened->verified);
        QCOMPARE(opened->recovery, EmrRecovery::Exact);
        QCOMPARE(opened->emr, text);
        QCOMPARE(opened->revealed.bitDepth(), medical.bitDepth());
        QVERIFY(opened->revealed.pixelBytes() == medical.pixelBytes());
    }

    // Issue #13: base 2 (±63 levels of tolerance) whenever the record fits, base 4 otherwise; on a real
    // held-out-style slice base 2 pulls no stego pixel back and the network alone reveals better.
    void baseIsTwoWhenTheRecordFits()
    {
        auto network = HiNetModel::load();
        QVERIFY(network.ok());
        auto pair = RsaKey::generate(2048);
        QVERIFY(pair.ok());
        std::string note;
        for (const auto& [name, text] : realNotes())
            if (name == QStringLiteral("en_discharge.txt"))
                note = text;
        // A subject the network never trained on, at the 256² of its native slices, and saturated black and
        // white squares (where the network's perturbation is largest).
        cv::Mat slice;
        cv::resize(loadCorpus(corpusDir() + QStringLiteral("/mri_natbrainlab_axial_z80_512.png")).mat(),
                   slice, cv::Size(256, 256), 0, 0, cv::INTER_AREA);
        const Image saturated =
            makeImage(256, 256, 8, [](int x, int y) { return (x / 8 + y / 8) % 2 ? 255 : 0; });
        const Image images[] = {*Image::fromMat(slice), saturated};
        for (int which = 0; which < 2; ++which) {
            const Image& medical = images[which];
            const size_t base2 = EmrImageCodec(2).capacityBytes(medical.width(), medical.height());
            QCOMPARE(EmrSealer::chooseBase(base2, medical.width(), medical.height()), 2);
            QCOMPARE(EmrSealer::chooseBase(base2 + 1, medical.width(), medical.height()), 4);
            QVERIFY(!note.empty() && note.size() <= base2);
            // Fixed padding keys: the comparison is the same every run.
            auto two = EmrSealer::seal(medical, note, *pair, **network, {}, EmrSealer::kAutoBase, fixedKey(5),
                                       EmrRecovery::Network);
            auto four =
                EmrSealer::seal(medical, note, *pair, **network, {}, 4, fixedKey(5), EmrRecovery::Network);
            QVERIFY(two.ok() && four.ok());
            qInfo("base 2: reveal %.2f dB, %zu pixels pulled; base 4: %.2f dB, %zu pulled", two->revealPsnr,
                  two->pulledPixels, four->revealPsnr, four->pulledPixels);
            QCOMPARE(two->base, 2);
            QCOMPARE(two->pulledPixels, size_t(0)); // ±63 levels: the network's stego needs no correction
            // Nothing pulled at either base on a natural slice: the reveals differ only through the cover
            // (within a dB); on saturated squares base 2 is far better (below).
            QVERIFY2(two->revealPsnr >= four->revealPsnr - 1.0,
                     qPrintable(QStringLiteral("%1 vs %2").arg(two->revealPsnr).arg(four->revealPsnr)));
            if (which == 0)
                continue;
            // Base 4's ±31 levels are too tight for saturated squares: pixels are pulled back, the reveal
            // pays for it.
            QVERIFY(four->pulledPixels > 1000);
            QVERIFY2(two->revealPsnr > four->revealPsnr + 10,
                     qPrintable(QStringLiteral("%1 vs %2").arg(two->revealPsnr).arg(four->revealPsnr)));
            auto opened = EmrSealer::open(two->cipher, two->metadata, *pair, **network);
            QVERIFY(opened.ok());
            QCOMPARE(opened->emr, note);
            // One byte more than base 2 holds: base 4, still exact.
            std::string longer;
            while (longer.size() <= base2)
                longer += "Follow-up CT in six weeks; compare with the prior study. ";
            longer.resize(base2 + 1);
            auto large = EmrSealer::seal(medical, longer, *pair, **network);
            QVERIFY2(large.ok(), large.ok() ? "" : large.error().message.c_str());
            QCOMPARE(large->base, 4);
            auto back = EmrSealer::open(large->cipher, large->metadata, *pair, **network);
            QVERIFY(back.ok() && back->verified);
            QCOMPARE(back->emr, longer);
        }
    }

    // An exact seal names its HiNet weights: after an update it still opens bit-exactly with the archived
    // weights of the release that made it; without them it is refused with a message naming the weights,
    // never answered with another network's image.
    void exactSealsOpenWithTheWeightsTheyWereMadeWith()
    {
        const auto archived = HiNetModel::archivedWeightsPaths();
        QVERIFY2(!archived.empty(), "resources/models/archive holds the previous release's weights");
        auto previous = HiNetModel::load(archived.front());
        auto current = HiNetModel::load();
        QVERIFY(previous.ok() && current.ok());
        QVERIFY((*previous)->weightsDigest() != (*current)->weightsDigest());
        auto pair = RsaKey::generate(2048);
        QVERIFY(pair.ok());
        const Image medical = loadCorpus(corpusDir() + QStringLiteral("/mri_colin_axial_z90_native.png"));
        auto sealed = EmrSealer::seal(medical, "Sealed by the previous release.", *pair, **previous);
        QVERIFY(sealed.ok());
        auto refused = EmrSealer::open(sealed->cipher, sealed->metadata, *pair, **current);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().kind, ErrorKind::BadInput);
        QVERIFY2(refused.error().message.find("other HiNet weights") != std::string::npos,
                 refused.error().message.c_str());
        auto opened = EmrSealer::open(sealed->cipher, sealed->metadata, *pair, **current, {}, {},
                                      [](const Bytes& digest) { return HiNetModel::loadArchived(digest); });
        QVERIFY2(opened.ok(), opened.ok() ? "" : opened.error().message.c_str());
        QVERIFY(opened->verified);
        QVERIFY(opened->revealed.pixelBytes() == medical.pixelBytes());
        // Network mode has no residual to complete: it opens with this installation's network all the same.
        auto lossy = EmrSealer::seal(medical, "Network only.", *pair, **previous, {}, EmrSealer::kAutoBase,
                                     {}, EmrRecovery::Network);
        QVERIFY(lossy.ok());
        auto lossyOpened = EmrSealer::open(lossy->cipher, lossy->metadata, *pair, **current);
        QVERIFY(lossyOpened.ok());
        QCOMPARE(lossyOpened->emr, std::string("Network only."));
    }

    // Adaptive strength (issue #29: stego >= 32 dB on every image): where the network's stego at the
    // image's own scale falls below kStegoFloorDb, the seal hides the secret with less amplitude, keeping
    // only steps that raise the stego while the reveal stays at kRevealFloorDb; elsewhere it changes
    // nothing. The stego at the plain scale is computed here with the same network, cover and tiling.
    void adaptiveStrengthKeepsTheStegoAtItsFloor()
    {
        auto network = HiNetModel::load();
        QVERIFY(network.ok());
        auto pair = RsaKey::generate(2048);
        QVERIFY(pair.ok());
        const std::string note = "Adaptive strength: the record comes back byte-exactly.";
        struct Case
        {
            const char* name;
            Image medical;
            bool mustAdapt; ///< below the floor at its own scale with the shipped weights
        };
        // Should later weights reach the floor on the atlas unaided, draw a harder one here.
        const Case cases[] = {{"label atlas 157²", labelAtlasSlice(), true},
                              {"camera 512²", loadCorpus(corpusDir() + "/camera_512.png"), false},
                              {"CT 16-bit", loadCorpus(corpusDir() + "/ct_small_native_16.png"), false}};
        for (const Case& c : cases) {
            const Image& medical = c.medical;
            auto sealed = EmrSealer::seal(medical, note, *pair, **network, {}, EmrSealer::kAutoBase,
                                          fixedKey(7), EmrRecovery::Exact);
            QVERIFY2(sealed.ok(), sealed.ok() ? "" : sealed.error().message.c_str());
            double low = 0, high = 0;
            cv::minMaxLoc(medical.mat(), &low, &high);
            const int ownScale = medical.bitDepth() == 8 ? 255 : int(high - low);
            Image secret = medical;
            if (medical.bitDepth() == 16) {
                cv::Mat shifted;
                cv::subtract(medical.mat(), cv::Scalar(low), shifted);
                secret = *Image::fromMat(shifted);
            }
            const HiNetTiling tiling = (*network)->tilingFor(medical.width(), medical.height());
            auto plain =
                (*network)->hide(sealed->encoded, secret, ownScale, {}, HiNetLayout::ChannelsLast, tiling);
            QVERIFY(plain.ok());
            QVERIFY(EmrImageCodec::keepCoverRecoverable(sealed->encoded, *plain).ok());
            const double plainStego = *psnr(sealed->encoded, *plain);
            qInfo("%s: stego %.2f dB at scale %d; sealed at scale %d: stego %.2f dB, reveal %.2f dB", c.name,
                  plainStego, ownScale, sealed->secretScale, sealed->stegoPsnr, sealed->revealPsnr);
            // The reduction reported beside the stego figure (GUI status, emr-seal --json) is this scale's.
            QCOMPARE(sealed->strengthReductionDb, 20.0 * std::log10(double(sealed->secretScale) / ownScale));
            if (sealed->secretScale == ownScale) {
                QVERIFY(!c.mustAdapt);
                QCOMPARE(sealed->strengthReductionDb, 0.0);
                QVERIFY(std::abs(sealed->stegoPsnr - plainStego) < 1e-9);
            } else {
                QVERIFY(plainStego < EmrSealer::kStegoFloorDb);
                QVERIFY(sealed->secretScale > ownScale && sealed->secretScale <= 2 * ownScale);
                QVERIFY(sealed->strengthReductionDb > 0.5 && sealed->strengthReductionDb <= 6.03);
                QVERIFY(sealed->stegoPsnr > plainStego);
                QVERIFY(sealed->revealPsnr >= EmrSealer::kRevealFloorDb);
            }
            if (c.mustAdapt)
                QVERIFY2(plainStego < EmrSealer::kStegoFloorDb && sealed->secretScale > ownScale,
                         "the dark MRI slice was expected below the stego floor at its own scale");
            // Exact recovery is bit-exact whatever the scale; the sealed scale is what open() reveals with.
            auto opened = EmrSealer::open(sealed->cipher, sealed->metadata, *pair, **network);
            QVERIFY2(opened.ok(), opened.ok() ? "" : opened.error().message.c_str());
            QVERIFY(opened->verified);
            QCOMPARE(opened->emr, note);
            QVERIFY(opened->revealed.pixelBytes() == medical.pixelBytes());
            // The reported reveal is the receiver's: the sealed stego revealed at the sealed scale.
            if (medical.bitDepth() == 8) {
                auto revealed = (*network)->reveal(sealed->stego, 8, sealed->secretScale, {},
                                                   *EmrImageCodec::reconstructCover(sealed->stego),
                                                   HiNetLayout::ChannelsLast, tiling);
                QVERIFY(revealed.ok());
                QVERIFY(std::abs(*psnr(medical, *revealed) - sealed->revealPsnr) < 1e-9);
            }
        }
    }

    // Files sealed by the release before the layout flag (parameters version 5, planar reveal; made with
    // that release's medveil-cli, 8-bit base 2 and 16-bit base 4) open bit-exactly; the same stego revealed
    // channels-last (what new seals use) differs by rounding only, which is why the layout is sealed.
    void sealsFromBeforeTheLayoutFlagOpenExactly_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("mri 128² 8-bit") << QStringLiteral("mri_128");
        QTest::newRow("ct 64² 16-bit") << QStringLiteral("ct_64_16");
    }
    void sealsFromBeforeTheLayoutFlagOpenExactly()
    {
        QFETCH(QString, name);
        const std::string dir = MEDVEIL_TEST_DATA "/sealed-v5/";
        auto network = HiNetModel::load();
        QVERIFY(network.ok());
        auto pem = readFileBytes(dir + "recipient-private.pem");
        QVERIFY(pem.ok());
        auto key = RsaKey::fromPem(std::string(pem->begin(), pem->end()));
        QVERIFY(key.ok());
        auto sealed = readImageFile(dir + name.toStdString() + "-sealed.png");
        auto original = readImage(dir + name.toStdString() + ".png");
        auto note = readFileBytes(dir + "note.txt");
        QVERIFY(sealed.ok() && original.ok() && note.ok());
        auto opened = EmrSealer::open(sealed->image, sealed->metadata, *key, **network, {}, {},
                                      [](const Bytes& digest) { return HiNetModel::loadArchived(digest); });
        QVERIFY2(opened.ok(), opened.ok() ? "" : opened.error().message.c_str());
        QVERIFY(opened->verified);
        QCOMPARE(opened->emr, std::string(note->begin(), note->end()));
        QVERIFY(opened->revealed.pixelBytes() == original->pixelBytes());

        auto cover = EmrImageCodec::reconstructCover(opened->stego);
        QVERIFY(cover.ok());
        const int depth = original->bitDepth();
        double low = 0, high = 0;
        cv::minMaxLoc(original->mat(), &low, &high);
        const int scale = depth == 8 ? 255 : int(high - low);
        auto planar = (*network)->reveal(opened->stego, depth, scale, {}, *cover, HiNetLayout::Planar);
        auto channelsLast =
            (*network)->reveal(opened->stego, depth, scale, {}, *cover, HiNetLayout::ChannelsLast);
        QVERIFY(planar.ok() && channelsLast.ok());
        const double agreement = *psnr(*planar, *channelsLast);
        QVERIFY2(agreement > 60, qPrintable(QString::number(agreement)));
    }

    // The GUI warms the network at start (issue #28): a warmed network computes exactly what a fresh one
    // does, so seals made after the warm-up open like any other, and an old exact seal still opens
    // bit-exactly.
    void warmUpChangesNoResult()
    {
        auto fresh = HiNetModel::load();
        auto warmed = HiNetModel::load();
        QVERIFY(fresh.ok() && warmed.ok());
        const Image medical = loadCorpus(corpusDir() + QStringLiteral("/mri_colin_axial_z160_512.png"));
        cv::Mat small;
        cv::resize(medical.mat(), small, cv::Size(96, 80), 0, 0, cv::INTER_AREA);
        const Image secret = *Image::fromMat(small);
        const Image cover = *EmrImageCodec(4).encode("Warm-up note.", 96, 80, Bytes(32, 3));
        QVERIFY((*warmed)->warmUp(96, 80).ok());
        QVERIFY((*warmed)->warmUp(64, 64).ok()); // another size too
        for (HiNetLayout layout : {HiNetLayout::ChannelsLast, HiNetLayout::Planar}) {
            auto a = (*fresh)->hide(cover, secret, 255, {}, layout);
            auto b = (*warmed)->hide(cover, secret, 255, {}, layout);
            QVERIFY(a.ok() && b.ok());
            QVERIFY(a->identicalTo(*b));
            auto ra = (*fresh)->reveal(*a, 8, 255, {}, cover, layout);
            auto rb = (*warmed)->reveal(*b, 8, 255, {}, cover, layout);
            QVERIFY(ra.ok() && rb.ok());
            QVERIFY(ra->identicalTo(*rb));
        }
        const std::string dir = MEDVEIL_TEST_DATA "/sealed-v5/";
        auto pem = readFileBytes(dir + "recipient-private.pem");
        QVERIFY(pem.ok());
        auto key = RsaKey::fromPem(std::string(pem->begin(), pem->end()));
        auto sealed = readImageFile(dir + "mri_128-sealed.png");
        auto original = readImage(dir + "mri_128.png");
        QVERIFY(key.ok() && sealed.ok() && original.ok());
        auto opened = EmrSealer::open(sealed->image, sealed->metadata, *key, **warmed, {}, {},
                                      [](const Bytes& digest) { return HiNetModel::loadArchived(digest); });
        QVERIFY2(opened.ok(), opened.ok() ? "" : opened.error().message.c_str());
        QVERIFY(opened->verified);
        QVERIFY(opened->revealed.pixelBytes() == original->pixelBytes());
    }

    // Issue #28: seal() and open() take the network from a HiNetSource only where they need it, so that a
    // command's load of LibTorch (HiNetPreload) overlaps the rest of its work. The same stego, residual and
    // reveal as with the network itself; a file refused before the network runs never asks for it.
    void networkIsTakenOnlyWhereNeeded()
    {
        auto network = HiNetModel::load();
        QVERIFY2(network.ok(), network.ok() ? "" : network.error().message.c_str());
        auto pair = RsaKey::generate(2048), stranger = RsaKey::generate(2048);
        QVERIFY(pair.ok() && stranger.ok());
        const Image medical = loadCorpus(corpusDir() + QStringLiteral("/mri_colin_axial_z160_512.png"));
        cv::Mat small;
        cv::resize(medical.mat(), small, cv::Size(96, 80), 0, 0, cv::INTER_AREA);
        const Image secret = *Image::fromMat(small);
        const std::string note = "Follow-up in six weeks.";
        int asked = 0;
        const HiNetSource source = [&]() -> Result<std::shared_ptr<HiNetModel>> {
            ++asked;
            return *network;
        };
        const Bytes padding(32, 7);
        auto direct = EmrSealer::seal(secret, note, *pair, **network, {}, EmrSealer::kAutoBase, padding);
        auto late = EmrSealer::seal(secret, note, *pair, source, {}, EmrSealer::kAutoBase, padding);
        QVERIFY(direct.ok() && late.ok());
        QCOMPARE(asked, 1);
        QVERIFY(late->encoded.identicalTo(direct->encoded));
        QVERIFY(late->stego.identicalTo(direct->stego));
        QCOMPARE(late->residualBytes, direct->residualBytes);
        auto opened = EmrSealer::open(late->cipher, late->metadata, *pair, source);
        QVERIFY2(opened.ok(), opened.ok() ? "" : opened.error().message.c_str());
        QCOMPARE(asked, 2);
        QVERIFY(opened->verified);
        QCOMPARE(opened->emr, note);
        QVERIFY(opened->revealed.pixelBytes() == secret.pixelBytes());
        // Refused before the network is needed: it is never asked for.
        asked = 0;
        auto wrongKey = EmrSealer::open(late->cipher, late->metadata, *stranger, source);
        QVERIFY(!wrongKey.ok());
        QCOMPARE(wrongKey.error().kind, ErrorKind::Auth);
        Image changed = late->cipher.clone();
        changed.set(5, 6, changed.at(5, 6) ^ 1);
        auto modified = EmrSealer::open(changed, late->metadata, *pair, source);
        QVERIFY(!modified.ok());
        QCOMPARE(modified.error().kind, ErrorKind::Auth);
        const std::string tooLong(EmrImageCodec(4).capacityBytes(96, 80) + 1, 'x');
        auto full = EmrSealer::seal(secret, tooLong, *pair, source, {}, 4);
        QVERIFY(!full.ok());
        QCOMPARE(full.error().kind, ErrorKind::Capacity);
        QCOMPARE(asked, 0);
        // A network that cannot be had: its error, for a file that is otherwise sound.
        const HiNetSource missing = []() -> Result<std::shared_ptr<HiNetModel>> {
            return makeError(ErrorKind::Internal, "no HiNet plugin here");
        };
        auto unopened = EmrSealer::open(late->cipher, late->metadata, *pair, missing);
        QVERIFY(!unopened.ok());
        QVERIFY2(unopened.error().message == "no HiNet plugin here", unopened.error().message.c_str());
        // HiNetPreload gives shared()'s model, or shared()'s error.
        HiNetPreload preload;
        auto preloaded = preload.source()();
        auto shared = HiNetModel::shared();
        QVERIFY(preloaded.ok() && shared.ok());
        QCOMPARE(preloaded->get(), shared->get());
        HiNetPreload absent(std::filesystem::path("/nonexistent/hinet.pt"));
        auto none = absent.get();
        QVERIFY(!none.ok());
        QCOMPARE(none.error().kind, ErrorKind::BadInput);
    }

    // Teaching files of the earlier releases ("lsc-cipher 1": cipher version 1, no parameters; committed,
    // made with that release's medveil-cli encrypt) still decrypt bit-exactly; new ones are "lsc-cipher 2"
    // and name version 2. A parameter byte naming an unknown version is refused as Auth.
    void teachingCipherFilesOfEveryVersionDecrypt_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("mri 128² 8-bit") << QStringLiteral("mri_128");
        QTest::newRow("ct 64² 16-bit") << QStringLiteral("ct_64_16");
    }
    void teachingCipherFilesOfEveryVersionDecrypt()
    {
        QFETCH(QString, name);
        const std::string keys = MEDVEIL_TEST_DATA "/sealed-v5/";
        auto pem = readFileBytes(keys + "recipient-private.pem");
        QVERIFY(pem.ok());
        auto key = RsaKey::fromPem(std::string(pem->begin(), pem->end()));
        QVERIFY(key.ok());
        const std::string plainPath = keys + name.toStdString() + ".png";
        auto original = readImage(plainPath);
        QVERIFY(original.ok());
        QTemporaryDir dir;
        const std::string out = dir.filePath(QStringLiteral("plain.png")).toStdString();
        const std::string old = MEDVEIL_TEST_DATA "/lsc-cipher-v1/" + name.toStdString() + "-encrypted.png";
        auto oldFile = readImageFile(old);
        QVERIFY(oldFile.ok());
        QCOMPARE(oldFile->metadata.at(SealedCipherImage::kFormatKey), std::string("lsc-cipher 1"));
        auto plain = workflow::decryptImageFile(old, out, *key);
        QVERIFY2(plain.ok(), plain.ok() ? "" : plain.error().message.c_str());
        QVERIFY(plain->pixelBytes() == original->pixelBytes());
        QVERIFY(readImage(out)->pixelBytes() == original->pixelBytes());

        const std::string fresh = dir.filePath(QStringLiteral("fresh.png")).toStdString();
        QVERIFY(workflow::encryptImageFile(plainPath, fresh, *key).ok());
        auto freshFile = readImageFile(fresh);
        QVERIFY(freshFile.ok());
        QCOMPARE(freshFile->metadata.at(SealedCipherImage::kFormatKey), std::string("lsc-cipher 2"));
        auto secrets = SealedCipherImage::open(freshFile->image, freshFile->metadata, *key, "lsc-cipher 2");
        QVERIFY(secrets.ok());
        QCOMPARE(secrets->parameters, (Bytes{2}));
        QVERIFY(std::filesystem::remove(out));
        QVERIFY(workflow::decryptImageFile(fresh, out, *key).ok());
        QVERIFY(readImage(out)->pixelBytes() == original->pixelBytes());

        // A container naming version 3 (a future or forged file), properly sealed: Auth, nothing written.
        auto future = SealedCipherImage::seal(freshFile->image, {secrets->key, secrets->plainHash, Bytes{3}},
                                              *key, "lsc-cipher 2");
        QVERIFY(future.ok());
        const std::string futurePath = dir.filePath(QStringLiteral("future.png")).toStdString();
        QVERIFY(writePng(futurePath, freshFile->image, *future).ok());
        const std::string notWritten = dir.filePath(QStringLiteral("never.png")).toStdString();
        QCOMPARE(workflow::decryptImageFile(futurePath, notWritten, *key).error().kind, ErrorKind::Auth);
        QVERIFY(!std::filesystem::exists(notWritten));
    }

    // New EMR seals name the cipher version (parameters version 7); the v5 fixtures above name none and
    // open with version 1.
    void emrSealsNameTheCipherVersion()
    {
        auto network = HiNetModel::load();
        QVERIFY(network.ok());
        auto pair = RsaKey::generate(2048);
        QVERIFY(pair.ok());
        const Image medical = loadCorpus(corpusDir() + QStringLiteral("/mr_small_native_16.png"));
        auto sealed = EmrSealer::seal(medical, "Cipher version test.", *pair, **network);
        QVERIFY(sealed.ok());
        auto secrets = SealedCipherImage::open(sealed->cipher, sealed->metadata, *pair, EmrSealer::kFormat);
        QVERIFY(secrets.ok());
        auto parameters = SealedEmrParameters::parse(secrets->parameters);
        QVERIFY(parameters.ok());
        QCOMPARE(int(parameters->version), 7);
        QCOMPARE(int(parameters->cipherVersion), 2);
        QVERIFY(
            LscChaoticCipher::decrypt(sealed->cipher, secrets->key, secrets->plainHash, LscCipherVersion::V2)
                ->identicalTo(sealed->stego));
        auto opened = EmrSealer::open(sealed->cipher, sealed->metadata, *pair, **network);
        QVERIFY(opened.ok() && opened->verified);
        QVERIFY(opened->revealed.pixelBytes() == medical.pixelBytes());
    }

    // Issue #28: an image larger than one tile runs through the network in tiles with a halo of the
    // network's receptive radius, and the seal names the tiling (parameters version 8); open() reveals with
    // it and the original comes back bit-exactly. Tiles of 128 stand in for the 1024 of real seals.
    void tiledSealsOpenExactly_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("height");
        QTest::newRow("MRI 8-bit 300×262") << QStringLiteral("mri_colin_axial_z160_512.png") << 300 << 262;
        QTest::newRow("CT 16-bit, odd 263×301") << QStringLiteral("ct_small_512_16.png") << 263 << 301;
    }
    void tiledSealsOpenExactly()
    {
        QFETCH(QString, name);
        QFETCH(int, width);
        QFETCH(int, height);
        auto network = HiNetModel::load();
        QVERIFY(network.ok());
        QCOMPARE((*network)->receptiveRadius(), 80); // 4 coupling blocks of the shipped weights
        auto pair = RsaKey::generate(2048);
        QVERIFY(pair.ok());
        cv::Mat resized;
        cv::resize(loadCorpus(corpusDir() + QLatin1Char('/') + name).mat(), resized, cv::Size(width, height),
                   0, 0, cv::INTER_AREA);
        const Image medical = *Image::fromMat(resized);
        auto parametersOf = [&](const SealedEmr& sealed) {
            auto secrets = SealedCipherImage::open(sealed.cipher, sealed.metadata, *pair, EmrSealer::kFormat);
            return *SealedEmrParameters::parse(secrets->parameters);
        };
        const Bytes paddingKey(32, 7); // the same cover for both seals below
        auto tiled = EmrSealer::seal(medical, "Tiled seal.", *pair, **network, {}, EmrSealer::kAutoBase,
                                     paddingKey, EmrRecovery::Exact, {}, {}, 128);
        QVERIFY2(tiled.ok(), tiled.ok() ? "" : tiled.error().message.c_str());
        const SealedEmrParameters parameters = parametersOf(*tiled);
        QCOMPARE(int(parameters.version), 8);
        QVERIFY(parameters.tiling == (HiNetTiling{128, 80}));
        auto opened = EmrSealer::open(tiled->cipher, tiled->metadata, *pair, **network);
        QVERIFY2(opened.ok(), opened.ok() ? "" : opened.error().message.c_str());
        QVERIFY(opened->verified);
        QVERIFY(opened->revealed.identicalTo(medical));
        // The network's reveal itself is as good as the untiled one's (the same values to within rounding).
        auto whole =
            EmrSealer::seal(medical, "Tiled seal.", *pair, **network, {}, EmrSealer::kAutoBase, paddingKey);
        QVERIFY(whole.ok());
        QCOMPARE(int(parametersOf(*whole).version), 7); // fits one tile: what earlier releases open
        QVERIFY(parametersOf(*whole).tiling == HiNetTiling{});
        qInfo("reveal PSNR tiled %.3f dB, whole %.3f dB; stego PSNR tiled %.3f, whole %.3f",
              tiled->revealPsnr, whole->revealPsnr, tiled->stegoPsnr, whole->stegoPsnr);
        QVERIFY(std::abs(tiled->revealPsnr - whole->revealPsnr) < 0.01);
        QVERIFY(std::abs(tiled->stegoPsnr - whole->stegoPsnr) < 0.01);
    }

    // Why the tiling is sealed rather than assumed transparent: with a halo of the receptive radius every
    // kept value is mathematically the whole image's, but LibTorch's floats may depend on the tensor's shape
    // in their last bits (where vectorised loops end and parallel chunks split), so a tiled reveal need not
    // be bit-identical to the whole-image one; an exact seal's residual completes only the reveal it was
    // made with. Whether it shows depends on the weights as well: on this machine the shipped weights'
    // tiled reveal of this pair came out bit-identical while the archived release's differed in 2,966 of
    // 260,100 floats (session 18), so every installed network is tried and one must differ. (If none does,
    // this LibTorch computes shape-independently and tiling is transparent.)
    void tiledFloatsDifferFromTheWholeImageInTheLastBits()
    {
        void* plugin = ::dlopen(HiNetModel::defaultPluginPath().c_str(), RTLD_NOW | RTLD_LOCAL);
        QVERIFY(plugin);
        using Factory = HiNetBackend* (*)();
        auto factory = reinterpret_cast<Factory>(::dlsym(plugin, "medveil_create_hinet_backend"));
        QVERIFY(factory);
        const int n = 510, side = 200;
        auto plane = [&](const char* file) {
            cv::Mat resized;
            cv::resize(loadCorpus(corpusDir() + QLatin1Char('/') + QLatin1String(file)).mat(), resized,
                       cv::Size(n, n), 0, 0, cv::INTER_AREA);
            std::vector<float> out(size_t(n) * n);
            for (int y = 0; y < n; ++y)
                for (int x = 0; x < n; ++x)
                    out[size_t(y) * n + size_t(x)] = float(resized.at<uint8_t>(y, x)) / 255.0f;
            return out;
        };
        auto window = [&](const std::vector<float>& p, int x0, int y0, int w, int h) {
            std::vector<float> out(size_t(w) * h);
            for (int y = 0; y < h; ++y)
                std::memcpy(&out[size_t(y) * w], &p[size_t(y0 + y) * n + size_t(x0)], size_t(w) * 4);
            return out;
        };
        const std::vector<float> cover = plane("camera_512.png"),
                                 secret = plane("mri_colin_axial_z160_512.png");
        std::vector<std::filesystem::path> weights{HiNetModel::defaultWeightsPath()};
        for (const auto& archived : HiNetModel::archivedWeightsPaths())
            weights.push_back(archived);
        QVERIFY(weights.size() >= 2);
        size_t networksDiffering = 0;
        for (const auto& path : weights) {
            std::unique_ptr<HiNetBackend> backend(factory());
            QVERIFY(backend->load(path.string()).ok());
            const int halo = backend->receptiveRadius();
            std::vector<float> stego, whole;
            QVERIFY(backend->hide(cover, secret, n, n, true, stego, {}).ok());
            QVERIFY(backend->reveal(stego, cover, n, n, true, whole, {}).ok());
            size_t differing = 0;
            float largest = 0;
            for (int ty = 0; ty < n; ty += side)
                for (int tx = 0; tx < n; tx += side) {
                    const int x0 = std::max(0, tx - halo), y0 = std::max(0, ty - halo);
                    const int x1 = std::min(n, tx + side + halo), y1 = std::min(n, ty + side + halo);
                    std::vector<float> out;
                    QVERIFY(backend
                                ->reveal(window(stego, x0, y0, x1 - x0, y1 - y0),
                                         window(cover, x0, y0, x1 - x0, y1 - y0), x1 - x0, y1 - y0, true, out,
                                         {})
                                .ok());
                    for (int y = ty; y < std::min(n, ty + side); ++y)
                        for (int x = tx; x < std::min(n, tx + side); ++x) {
                            const float a = out[size_t(y - y0) * size_t(x1 - x0) + size_t(x - x0)],
                                        b = whole[size_t(y) * n + size_t(x)];
                            if (std::memcmp(&a, &b, sizeof a) != 0) {
                                ++differing;
                                largest = std::max(largest, std::abs(a - b));
                            }
                        }
                }
            qInfo(
                "%s: tiled vs whole reveal, %d² in tiles of %d + %d: %zu of %d floats differ, by at most %g",
                path.filename().c_str(), n, side, halo, differing, n * n, double(largest));
            QVERIFY(largest < 1e-5f); // the same values: the halo covers the receptive field
            networksDiffering += differing > 0;
        }
        QVERIFY(networksDiffering > 0); // but not always the same floats
    }

    // The residual is bound to the file: changed, removed, injected into a network-only seal, or moved to
    // another file → Auth. Network mode carries none and says the reveal is the network's.
    void residualTamperingIsRefused()
    {
        auto network = HiNetModel::load();
        QVERIFY(network.ok());
        auto pair = RsaKey::generate(2048);
        QVERIFY(pair.ok());
        const Image medical = loadCorpus(corpusDir() + QStringLiteral("/mri_colin_axial_z90_native.png"));
        auto exact = EmrSealer::seal(medical, "Exact recovery test.", *pair, **network);
        auto other = EmrSealer::seal(medical, "Another file.", *pair, **network);
        auto lossy =
            EmrSealer::seal(medical, "Network only.", *pair, **network, {}, 4, {}, EmrRecovery::Network);
        QVERIFY(exact.ok() && other.ok() && lossy.ok());
        QCOMPARE(lossy->residualBytes, size_t(0));
        QVERIFY(!lossy->metadata.count(EmrSealer::kResidualKey));
        auto open = [&](const SealedEmr& s, const std::map<std::string, std::string>& meta) {
            return EmrSealer::open(s.cipher, meta, *pair, **network);
        };
        auto flipped = exact->metadata;
        auto coded = *base64Decode(flipped[EmrSealer::kResidualKey]);
        coded[coded.size() / 2] ^= 0x10;
        flipped[EmrSealer::kResidualKey] = base64Encode(coded);
        QCOMPARE(open(*exact, flipped).error().kind, ErrorKind::Auth);
        auto removed = exact->metadata;
        removed.erase(EmrSealer::kResidualKey);
        QCOMPARE(open(*exact, removed).error().kind, ErrorKind::Auth);
        auto moved = exact->metadata;
        moved[EmrSealer::kResidualKey] = other->metadata.at(EmrSealer::kResidualKey);
        QCOMPARE(open(*exact, moved).error().kind, ErrorKind::Auth);
        auto injected = lossy->metadata;
        injected[EmrSealer::kResidualKey] = exact->metadata.at(EmrSealer::kResidualKey);
        QCOMPARE(open(*lossy, injected).error().kind, ErrorKind::Auth);
        auto networkOnly = open(*lossy, lossy->metadata);
        QVERIFY(networkOnly.ok());
        QCOMPARE(networkOnly->recovery, EmrRecovery::Network);
        QVERIFY(!networkOnly->verified);
        QCOMPARE(networkOnly->emr, std::string("Network only."));
        auto good = open(*exact, exact->metadata);
        QVERIFY(good.ok() && good->verified);
        QVERIFY(good->identity.empty());
        // The identity part (a DICOM header's identity) travels beside the record, never inside it.
        const std::string identity = "PatientName: Müller^Jürgen\n-----BEGIN MEDVEIL DICOM ATTRIBUTES-----\n";
        auto withIdentity = EmrSealer::seal(medical, "The record.", *pair, **network, {}, 4, {},
                                            EmrRecovery::Exact, identity);
        QVERIFY(withIdentity.ok());
        auto opened = open(*withIdentity, withIdentity->metadata);
        QVERIFY(opened.ok());
        QCOMPARE(opened->emr, std::string("The record."));
        QCOMPARE(opened->identity, identity);
        auto noIdentity = withIdentity->metadata;
        noIdentity.erase(EmrSealer::kIdentityKey);
        QCOMPARE(open(*withIdentity, noIdentity).error().kind, ErrorKind::Auth);
        auto alteredIdentity = withIdentity->metadata;
        alteredIdentity[EmrSealer::kIdentityKey][10] ^= 1;
        QCOMPARE(open(*withIdentity, alteredIdentity).error().kind, ErrorKind::Auth);
        auto addedIdentity = exact->metadata;
        addedIdentity[EmrSealer::kIdentityKey] = withIdentity->metadata.at(EmrSealer::kIdentityKey);
        QCOMPARE(open(*exact, addedIdentity).error().kind, ErrorKind::Auth);
        // The digest of the DICOM header a seal is written in is sealed with the key: the same header opens
        // (verified), another, none, or one added around a PNG seal does not.
        const Bytes header = sha256(toBytes("sealed header")), otherHeader = sha256(toBytes("edited"));
        auto inDicom = EmrSealer::seal(medical, "In a DICOM file.", *pair, **network, {}, 4, {},
                                       EmrRecovery::Exact, identity, header);
        QVERIFY2(inDicom.ok(), inDicom.ok() ? "" : inDicom.error().message.c_str());
        auto openWith = [&](const SealedEmr& s, const Bytes& digest) {
            return EmrSealer::open(s.cipher, s.metadata, *pair, **network, {}, digest);
        };
        auto verifiedHeader = openWith(*inDicom, header);
        QVERIFY2(verifiedHeader.ok(), verifiedHeader.ok() ? "" : verifiedHeader.error().message.c_str());
        QVERIFY(verifiedHeader->headerVerified);
        QCOMPARE(openWith(*inDicom, otherHeader).error().kind, ErrorKind::Auth);
        QCOMPARE(openWith(*inDicom, {}).error().kind, ErrorKind::Auth);
        QCOMPARE(openWith(*exact, header).error().kind, ErrorKind::Auth);
        QVERIFY(!good->headerVerified);
    }

    // A file sealed by the previous release (parameters version 2, no residual) still opens, in network
    // mode, flagged as legacy. Built here the way that release built it.
    void previousReleaseSealOpensInNetworkMode()
    {
        auto network = HiNetModel::load();
        QVERIFY(network.ok());
        auto pair = RsaKey::generate(2048);
        QVERIFY(pair.ok());
        const Image medical = loadCorpus(corpusDir() + QStringLiteral("/mri_colin_axial_z90_native.png"));
        const std::string note = "Sealed by release 0.2.";
        auto encoded = EmrImageCodec(4).encode(note, medical.width(), medical.height(), fixedKey(3));
        QVERIFY(encoded.ok());
        auto stego = (*network)->hide(*encoded, medical, 255);
        QVERIFY(stego.ok());
        QVERIFY(EmrImageCodec::keepDecodable(*encoded, *stego).ok()); // what release 0.2 did
        const Bytes key = fixedKey(9), plainHash = sha256(stego->pixelBytes());
        auto cipher =
            LscChaoticCipher::encrypt(*stego, key, plainHash, LscCipherVersion::V1); // release 0.2's
        QVERIFY(cipher.ok());
        Bytes parameters;
        appendU8(parameters, 2); // version 2: base, depth, scale, offset
        appendU8(parameters, 4);
        appendU8(parameters, 8);
        appendU16(parameters, 255);
        appendU16(parameters, 0);
        auto metadata =
            SealedCipherImage::seal(*cipher, {key, plainHash, parameters}, *pair, EmrSealer::kFormat);
        QVERIFY(metadata.ok());
        auto opened = EmrSealer::open(*cipher, *metadata, *pair, **network);
        QVERIFY2(opened.ok(), opened.ok() ? "" : opened.error().message.c_str());
        QVERIFY(opened->legacyFormat);
        QCOMPARE(opened->recovery, EmrRecovery::Network);
        QVERIFY(!opened->verified);
        QCOMPARE(opened->emr, note);
        const double revealed = *psnr(medical, opened->revealed);
        QVERIFY2(revealed > 15 && std::isfinite(revealed), qPrintable(QString::number(revealed)));
    }

    // The shipped network's quality, pinned: a network-only seal (no residual) of real slices opens to a
    // revealed image of at least 45 dB (the model card's target), and above what the untrained
    // cover-conditioned network (its linear path alone) reveals on the same slice. Measured (revealed dB):
    //                      shipped hinet.pt   untrained conditioned   hinet-plain.pt   untrained plain
    //   colin z160 512²    49.81              48.80                   29.09            11.36
    //   natbrainlab z80    54.54              52.60                   33.46            19.26
    // (untrained: train_hinet [--conditioned] --export OUT.pt with no checkpoint). MEDVEIL_HINET_WEIGHTS
    // selects other weights.
    void shippedNetworkRevealsAtLeast45dB_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<double>("untrainedConditioned");
        QTest::newRow("colin axial 512") << "mri_colin_axial_z160_512.png" << 48.80;
        QTest::newRow("natbrainlab axial 512") << "mri_natbrainlab_axial_z80_512.png" << 52.60;
    }
    void shippedNetworkRevealsAtLeast45dB()
    {
        QFETCH(QString, file);
        QFETCH(double, untrainedConditioned);
        auto network = HiNetModel::load();
        QVERIFY2(network.ok(), network.ok() ? "" : network.error().message.c_str());
        auto pair = RsaKey::generate(2048);
        QVERIFY(pair.ok());
        const Image medical = loadCorpus(corpusDir() + QLatin1Char('/') + file);
        QCOMPARE(medical.bitDepth(), 8);
        const std::string note = "MRI brain: no acute findings. Follow-up in six weeks.";
        auto sealed = EmrSealer::seal(medical, note, *pair, **network, {}, EmrSealer::kAutoBase, fixedKey(5),
                                      EmrRecovery::Network);
        QVERIFY2(sealed.ok(), sealed.ok() ? "" : sealed.error().message.c_str());
        QCOMPARE(sealed->residualBytes, size_t(0));
        auto opened = EmrSealer::open(sealed->cipher, sealed->metadata, *pair, **network);
        QVERIFY2(opened.ok(), opened.ok() ? "" : opened.error().message.c_str());
        QCOMPARE(opened->recovery, EmrRecovery::Network);
        QCOMPARE(opened->emr, note);
        const double revealed = *psnr(medical, opened->revealed);
        qInfo("%s: revealed %.2f dB (%s)", qPrintable(file), revealed, (*network)->describe().c_str());
        QVERIFY2(revealed >= 45.0, qPrintable(QStringLiteral("revealed %1 dB").arg(revealed)));
        // Training must have gained on the linear path (0.5 dB: the reveal is deterministic to ~0.01 dB).
        QVERIFY2(
            revealed >= untrainedConditioned + 0.5,
            qPrintable(
                QStringLiteral("revealed %1 dB, untrained %2 dB").arg(revealed).arg(untrainedConditioned)));
    }

    void hinetBlocksAreInvertibleWithoutTrainedWeights()
    {
        auto missing = HiNetModel::load(std::filesystem::path("/nonexistent/hinet.pt"));
        QVERIFY(!missing.ok()); // missing weights are a clear error
        QVERIFY(QString::fromStdString(missing.error().message).contains(QStringLiteral("missing")));
        auto loaded = HiNetModel::loadWithoutWeights();
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().message.c_str());
        auto& net = *loaded;
        double dwt = 1, inverse = 1;
        QVERIFY(net->selfTest(dwt, inverse).ok());
        QVERIFY2(dwt < 1e-6, qPrintable(QString::number(dwt)));
        QVERIFY2(inverse < 1e-5, qPrintable(QString::number(inverse)));
    }

    // Invertibility alone would pass an identity "transform": the network's DWT must give the orthonormal
    // Haar coefficients of a real slice, computed here as H_rows · X · H_colsᵀ with the Haar analysis
    // matrix (low-pass rows (e_2k + e_2k+1)/√2 first, then high-pass rows (e_2k+1 − e_2k)/√2), whose four
    // quadrants are LL, HL (horizontal detail), LH (vertical detail), HH.
    void hinetDwtGivesHaarCoefficientsOfARealSlice()
    {
        auto loaded = HiNetModel::loadWithoutWeights();
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().message.c_str());
        const Image slice = loadCorpus(corpusDir() + QStringLiteral("/mri_colin_axial_z90_native.png"));
        // 181×217: crop to even sizes.
        const int w = slice.width() & ~1, h = slice.height() & ~1;
        cv::Mat x;
        slice.mat()(cv::Rect(0, 0, w, h)).convertTo(x, CV_64F, 1.0 / 255);
        std::vector<float> plane(size_t(w) * size_t(h));
        for (int r = 0; r < h; ++r)
            for (int c = 0; c < w; ++c)
                plane[size_t(r) * size_t(w) + size_t(c)] = float(x.at<double>(r, c));
        std::vector<float> bands;
        QVERIFY((*loaded)->haarDwt(plane, w, h, bands).ok());
        QCOMPARE(bands.size(), plane.size());
        auto haarMatrix = [](int n) {
            cv::Mat m = cv::Mat::zeros(n, n, CV_64F);
            for (int k = 0; k < n / 2; ++k) {
                m.at<double>(k, 2 * k) = m.at<double>(k, 2 * k + 1) = (1 / std::numbers::sqrt2);
                m.at<double>(n / 2 + k, 2 * k) = -(1 / std::numbers::sqrt2);
                m.at<double>(n / 2 + k, 2 * k + 1) = (1 / std::numbers::sqrt2);
            }
            return m;
        };
        const cv::Mat reference = haarMatrix(h) * x * haarMatrix(w).t();
        const int bh = h / 2, bw = w / 2;
        const cv::Point corner[4] = {{0, 0}, {bw, 0}, {0, bh}, {bw, bh}}; // LL, HL, LH, HH
        double worst = 0, detailEnergy = 0;
        for (int band = 0; band < 4; ++band)
            for (int r = 0; r < bh; ++r)
                for (int c = 0; c < bw; ++c) {
                    const double expected = reference.at<double>(corner[band].y + r, corner[band].x + c);
                    const double got =
                        bands[size_t(band) * size_t(bh) * size_t(bw) + size_t(r) * size_t(bw) + size_t(c)];
                    worst = std::max(worst, std::abs(got - expected));
                    detailEnergy += band > 0 ? expected * expected : 0;
                }
        QVERIFY2(worst < 1e-5, qPrintable(QString::number(worst)));
        QVERIFY(detailEnergy > 1); // a real slice has edges: the detail bands are far from zero
    }
};

QTEST_GUILESS_MAIN(TestEmr)
#include "test_emr.moc"
