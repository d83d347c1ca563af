// SPDX-License-Identifier: GPL-3.0-or-later
// The EMR stages on the command line: emr-encode / emr-decode, encrypt / decrypt, cipher-analysis.
#include "../engine/TestImages.h"
#include "CliRunner.h"
#include "io/AtomicFile.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QtTest>

using namespace medveil;
using namespace medveil::test;

class TestCliEmr : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_priv, m_pub, m_otherPriv;

    QString path(const char* name) const { return m_dir.filePath(QLatin1String(name)); }
    /// A copy of the PNG `file` named `name` with pixel (x, y) XORed with `flip` and every metadata chunk
    /// kept (what a transmission error or an edit leaves); empty when it cannot be written.
    QString tamperedCopy(const QString& file, int x, int y, int flip, const char* name) const
    {
        const auto meta = *readPngMetadata(*readFileBytes(file.toStdString()));
        Image tampered = *readImage(file.toStdString());
        tampered.set(x, y, tampered.at(x, y) ^ flip);
        const QString copy = path(name);
        return writePng(copy.toStdString(), tampered, meta).ok() ? copy : QString();
    }
    static QByteArray readAll(const QString& file)
    {
        QFile f(file);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
    static void write(const QString& file, const QByteArray& data)
    {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(data);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_priv = path("priv.pem");
        m_pub = path("pub.pem");
        m_otherPriv = path("other.pem");
        QCOMPARE(runCli({QStringLiteral("keygen"), QStringLiteral("--private"), m_priv,
                         QStringLiteral("--public"), m_pub})
                     .exitCode,
                 0);
        QCOMPARE(runCli({QStringLiteral("keygen"), QStringLiteral("--private"), m_otherPriv,
                         QStringLiteral("--public"), path("other.pub")})
                     .exitCode,
                 0);
    }

    void encodeDecodeIsByteExact_data()
    {
        QTest::addColumn<QString>("note");
        QTest::addColumn<QString>("base");
        for (const char* note : {"zh_radiology.txt", "mixed_scripts.txt", "control_chars.txt", "empty.txt"})
            for (const char* base : {"2", "4", "16"})
                QTest::addRow("%s base %s", note, base)
                    << QString::fromLatin1(note) << QString::fromLatin1(base);
    }
    void encodeDecodeIsByteExact()
    {
        QFETCH(QString, note);
        QFETCH(QString, base);
        const QString emr = QStringLiteral(MEDVEIL_TEST_DATA "/emr/") + note;
        const QString image = path("encoded.png"), back = path("back.txt");
        QFile::remove(image);
        QFile::remove(back);
        const CliRun enc = runCli({QStringLiteral("emr-encode"), QStringLiteral("--emr"), emr,
                                   QStringLiteral("--size"), QStringLiteral("300x171"),
                                   QStringLiteral("--base"), base, image, QStringLiteral("--json")});
        QVERIFY2(enc.exitCode == 0, enc.err.constData());
        QCOMPARE(enc.json().value(QStringLiteral("noise_tolerance")).toInt(), 128 / base.toInt() - 1);
        const CliRun dec = runCli({QStringLiteral("emr-decode"), image, QStringLiteral("--emr-out"), back});
        QVERIFY2(dec.exitCode == 0, dec.err.constData());
        QCOMPARE(readAll(back), readAll(emr));
    }

    void encodeRejectsInvalidUtf8AndTooLong()
    {
        const QString bad = path("bad.txt"), out = path("never.png");
        write(bad, QByteArray("Patient \xC3\x28 invalid"));
        const CliRun invalid = runCli({QStringLiteral("emr-encode"), QStringLiteral("--emr"), bad,
                                       QStringLiteral("--size"), QStringLiteral("64x64"), out});
        QCOMPARE(invalid.exitCode, 2);
        QVERIFY(invalid.err.contains("UTF-8"));
        const QString emr = QStringLiteral(MEDVEIL_TEST_DATA "/emr/en_discharge.txt");
        const CliRun tooLong = runCli({QStringLiteral("emr-encode"), QStringLiteral("--emr"), emr,
                                       QStringLiteral("--size"), QStringLiteral("32x32"), out});
        QCOMPARE(tooLong.exitCode, 4);
        QVERIFY(tooLong.err.contains("at most"));
        QVERIFY(!QFile::exists(out));
    }

    void encryptDecryptAndTamper()
    {
        const QString plain = corpusDir() + QStringLiteral("/mri_colin_axial_z160_512.png");
        const QString cipher = path("cipher.png"), back = path("plain.png");
        const CliRun enc = runCli({QStringLiteral("encrypt"), plain, cipher, QStringLiteral("--public"),
                                   m_pub, QStringLiteral("--json")});
        QVERIFY2(enc.exitCode == 0, enc.err.constData());
        QVERIFY(enc.json().value(QStringLiteral("entropy")).toDouble() > 7.99);
        const CliRun dec = runCli({QStringLiteral("decrypt"), cipher, back, QStringLiteral("--private"),
                                   m_priv, QStringLiteral("--json")});
        QVERIFY2(dec.exitCode == 0, dec.err.constData());
        QVERIFY(readImage(back.toStdString())->identicalTo(*readImage(plain.toStdString())));
        const QString out = path("never.png");
        QCOMPARE(runCli({QStringLiteral("decrypt"), cipher, out, QStringLiteral("--private"), m_otherPriv})
                     .exitCode,
                 3);
        // One changed cipher pixel, metadata kept.
        const QString bad = tamperedCopy(cipher, 10, 10, 0x10, "tampered.png");
        QVERIFY(!bad.isEmpty());
        const CliRun modified =
            runCli({QStringLiteral("decrypt"), bad, out, QStringLiteral("--private"), m_priv});
        QCOMPARE(modified.exitCode, 3);
        QVERIFY(modified.err.contains("modified"));
        QCOMPARE(
            runCli({QStringLiteral("decrypt"), plain, out, QStringLiteral("--private"), m_priv}).exitCode, 2);
        QVERIFY(!QFile::exists(out));
    }

    void sealOpenIsByteExactForEveryNote_data()
    {
        QTest::addColumn<QString>("note");
        QTest::addColumn<QString>("image");
        for (const char* note : {"en_discharge.txt", "zh_radiology.txt", "mixed_scripts.txt", "empty.txt"})
            QTest::addRow("%s", note)
                << QString::fromLatin1(note) << QStringLiteral("mri_colin_axial_z130_512.png");
        QTest::newRow("16-bit CT") << QStringLiteral("control_chars.txt")
                                   << QStringLiteral("ct_small_native_16.png");
        QTest::newRow("odd size") << QStringLiteral("zh_radiology.txt")
                                  << QStringLiteral("mri_colin_axial_z90_native.png");
    }
    void sealOpenIsByteExactForEveryNote()
    {
        QFETCH(QString, note);
        QFETCH(QString, image);
        const QString emr = QStringLiteral(MEDVEIL_TEST_DATA "/emr/") + note;
        const QString medical = corpusDir() + QLatin1Char('/') + image;
        const QString sealed = path("sealed.png"), emrOut = path("emr-out.txt"),
                      imageOut = path("image-out.png");
        for (const QString& f : {sealed, emrOut, imageOut})
            QFile::remove(f);
        const CliRun seal =
            runCli({QStringLiteral("emr-seal"), QStringLiteral("--image"), medical, QStringLiteral("--emr"),
                    emr, sealed, QStringLiteral("--public"), m_pub, QStringLiteral("--json")});
        QVERIFY2(seal.exitCode == 0, seal.err.constData());
        for (const char* key : {"emr_bytes", "stego_psnr", "ms", "secret_scale"})
            QVERIFY2(seal.json().contains(QLatin1String(key)), key);
        // The scale the network saw as 1.0: the image's own (255, or the 16-bit data range), at most twice
        // that where adaptive strength weakened the embedding to keep the stego at its floor.
        const Image input = *readImage(medical.toStdString());
        double low = 0, high = 0;
        cv::minMaxLoc(input.mat(), &low, &high);
        const int ownScale = input.bitDepth() == 8 ? 255 : int(high - low);
        const int secretScale = seal.json().value(QStringLiteral("secret_scale")).toInt();
        QVERIFY2(secretScale >= ownScale && secretScale <= 2 * ownScale,
                 qPrintable(QString::number(secretScale)));
        const double reduction = seal.json().value(QStringLiteral("strength_reduction_db")).toDouble(-1);
        QVERIFY2(std::abs(reduction - 20.0 * std::log10(double(secretScale) / ownScale)) < 1e-6,
                 qPrintable(QString::number(reduction)));
        const CliRun open = runCli({QStringLiteral("emr-open"), sealed, QStringLiteral("--private"), m_priv,
                                    QStringLiteral("--emr-out"), emrOut, QStringLiteral("--image-out"),
                                    imageOut, QStringLiteral("--json")});
        QVERIFY2(open.exitCode == 0, open.err.constData());
        QCOMPARE(open.json().value(QStringLiteral("emr_bytes")).toInt(), int(readAll(emr).size()));
        QCOMPARE(readAll(emrOut), readAll(emr));
        const Image original = *readImage(medical.toStdString()),
                    revealed = *readImage(imageOut.toStdString());
        QCOMPARE(revealed.bitDepth(), original.bitDepth());
        QCOMPARE(revealed.width(), original.width());
        QCOMPARE(int(QFile::permissions(emrOut) & (QFile::ReadGroup | QFile::ReadOther)), 0); // patient data
    }

    void sealOpenBadInputs()
    {
        const QString medical = corpusDir() + QStringLiteral("/mri_colin_axial_z190_512.png");
        const QString emr = QStringLiteral(MEDVEIL_TEST_DATA "/emr/zh_radiology.txt");
        const QString sealed = path("sealed2.png"), out = path("never.png"), emrOut = path("never.txt");
        QCOMPARE(runCli({QStringLiteral("emr-seal"), QStringLiteral("--image"), medical,
                         QStringLiteral("--emr"), emr, sealed, QStringLiteral("--public"), m_pub})
                     .exitCode,
                 0);
        const QStringList openArgs = {QStringLiteral("--emr-out"), emrOut, QStringLiteral("--image-out"),
                                      out};
        // Wrong key.
        QCOMPARE(
            runCli(QStringList{QStringLiteral("emr-open"), sealed, QStringLiteral("--private"), m_otherPriv} +
                   openArgs)
                .exitCode,
            3);
        // One changed pixel.
        const QString bad = tamperedCopy(sealed, 100, 100, 1, "sealed-tampered.png");
        QVERIFY(!bad.isEmpty());
        QCOMPARE(runCli(QStringList{QStringLiteral("emr-open"), bad, QStringLiteral("--private"), m_priv} +
                        openArgs)
                     .exitCode,
                 3);
        QVERIFY(!QFile::exists(out) && !QFile::exists(emrOut));
        // Invalid UTF-8 and an EMR too long for the image.
        const QString invalid = path("invalid.txt");
        write(invalid, QByteArray("caf\xE9 au lait"));
        QCOMPARE(runCli({QStringLiteral("emr-seal"), QStringLiteral("--image"), medical,
                         QStringLiteral("--emr"), invalid, out, QStringLiteral("--public"), m_pub})
                     .exitCode,
                 2);
        const QString huge = path("huge.txt");
        write(huge, QByteArray(70000, 'x'));
        const CliRun tooLong =
            runCli({QStringLiteral("emr-seal"), QStringLiteral("--image"), medical, QStringLiteral("--emr"),
                    huge, out, QStringLiteral("--public"), m_pub});
        QCOMPARE(tooLong.exitCode, 4);
        QVERIFY(tooLong.err.contains("at most"));
        QVERIFY(!QFile::exists(out));
    }

    // emr-seal / emr-open load the network in the background and wait for it only where it is needed
    // (issue #28): a file refused before that point is refused as such even where the network cannot be
    // loaded at all (here: the plugin missing), and a sound file then fails as Internal, naming the plugin.
    void filesRefusedBeforeTheNetworkDoNotNeedIt()
    {
        const QString medical = corpusDir() + QStringLiteral("/mri_colin_axial_z190_512.png");
        const QString emr = QStringLiteral(MEDVEIL_TEST_DATA "/emr/en_discharge.txt");
        const QString sealed = path("sealed-no-plugin.png"), out = path("np.png"), emrOut = path("np.txt");
        QCOMPARE(runCli({QStringLiteral("emr-seal"), QStringLiteral("--image"), medical,
                         QStringLiteral("--emr"), emr, sealed, QStringLiteral("--public"), m_pub})
                     .exitCode,
                 0);
        const QString bad = tamperedCopy(sealed, 7, 9, 4, "sealed-no-plugin-tampered.png");
        QVERIFY(!bad.isEmpty());
        const QString huge = path("huge-no-plugin.txt");
        write(huge, QByteArray(70000, 'x'));
        const QStringList openArgs = {QStringLiteral("--emr-out"), emrOut, QStringLiteral("--image-out"),
                                      out};
        const QByteArray saved = qgetenv("MEDVEIL_HINET_PLUGIN");
        const bool wasSet = qEnvironmentVariableIsSet("MEDVEIL_HINET_PLUGIN");
        qputenv("MEDVEIL_HINET_PLUGIN", QByteArray("/nonexistent/libmedveil_hinet.so"));
        const CliRun tamperedRun = runCli(
            QStringList{QStringLiteral("emr-open"), bad, QStringLiteral("--private"), m_priv} + openArgs);
        const CliRun wrongKey =
            runCli(QStringList{QStringLiteral("emr-open"), sealed, QStringLiteral("--private"), m_otherPriv} +
                   openArgs);
        const CliRun tooLong =
            runCli({QStringLiteral("emr-seal"), QStringLiteral("--image"), medical, QStringLiteral("--emr"),
                    huge, out, QStringLiteral("--public"), m_pub});
        const CliRun sound = runCli(
            QStringList{QStringLiteral("emr-open"), sealed, QStringLiteral("--private"), m_priv} + openArgs);
        if (wasSet)
            qputenv("MEDVEIL_HINET_PLUGIN", saved);
        else
            qunsetenv("MEDVEIL_HINET_PLUGIN");
        QVERIFY2(tamperedRun.exitCode == 3, tamperedRun.err.constData());
        QVERIFY2(wrongKey.exitCode == 3, wrongKey.err.constData());
        QVERIFY2(tooLong.exitCode == 4, tooLong.err.constData());
        QVERIFY2(sound.exitCode == 5, sound.err.constData());
        QVERIFY(sound.err.contains("/nonexistent/libmedveil_hinet.so"));
        QVERIFY(!QFile::exists(out) && !QFile::exists(emrOut));
    }

    // A sealed record signed by its sender (issue #16 point 10): emr-open --verify names and checks it.
    void signedSealsAreVerified()
    {
        const QString medical = corpusDir() + QStringLiteral("/mri_colin_axial_z90_native.png");
        const QString emr = QStringLiteral(MEDVEIL_TEST_DATA "/emr/zh_radiology.txt");
        const QString sealed = path("signed.png"), out = path("signed-out.png"), emrOut = path("signed.txt");
        const CliRun seal = runCli({QStringLiteral("emr-seal"), QStringLiteral("--image"), medical,
                                    QStringLiteral("--emr"), emr, sealed, QStringLiteral("--public"), m_pub,
                                    QStringLiteral("--sign"), m_otherPriv, QStringLiteral("--json")});
        QVERIFY2(seal.exitCode == 0, seal.err.constData());
        const QString signer = seal.json().value(QStringLiteral("signed_by")).toString();
        QCOMPARE(signer.size(), 64);
        const QStringList open = {QStringLiteral("emr-open"),  sealed, QStringLiteral("--private"),   m_priv,
                                  QStringLiteral("--emr-out"), emrOut, QStringLiteral("--image-out"), out,
                                  QStringLiteral("--json")};
        const CliRun verified = runCli(open + QStringList{QStringLiteral("--verify"), path("other.pub")});
        QVERIFY2(verified.exitCode == 0, verified.err.constData());
        QCOMPARE(verified.json().value(QStringLiteral("signed_by")).toString(), signer);
        QCOMPARE(readAll(emrOut), readAll(emr));
        QFile::remove(out);
        QFile::remove(emrOut);
        const CliRun wrongSender = runCli(open + QStringList{QStringLiteral("--verify"), m_pub});
        QCOMPARE(wrongSender.exitCode, 3);
        QVERIFY(wrongSender.err.contains("another key"));
        QVERIFY(!QFile::exists(out) && !QFile::exists(emrOut));

        // Issue #25.10: --verify-trusted reads the trusted-sender list of the GUI: refused while the
        // sender is not listed, accepted and named once it is.
        const QString config = path("xdg-config");
        QVERIFY(QDir().mkpath(config + QStringLiteral("/MedVeil")));
        qputenv("XDG_CONFIG_HOME", config.toLocal8Bit());
        const auto restore = qScopeGuard([] { qunsetenv("XDG_CONFIG_HOME"); });
        const QStringList trusted = open + QStringList{QStringLiteral("--verify-trusted")};
        const CliRun unknown = runCli(trusted);
        QCOMPARE(unknown.exitCode, 3);
        QVERIFY2(unknown.err.contains("not in the trusted-sender list"), unknown.err.constData());
        QVERIFY(!QFile::exists(out) && !QFile::exists(emrOut));
        QFile list(config + QStringLiteral("/MedVeil/trusted-senders"));
        QVERIFY(list.open(QIODevice::WriteOnly));
        list.write("sender " + signer.toLatin1() + " Records office\n");
        list.close();
        const CliRun named = runCli(trusted);
        QVERIFY2(named.exitCode == 0, named.err.constData());
        QCOMPARE(named.json().value(QStringLiteral("trusted_sender")).toString(),
                 QStringLiteral("Records office"));
        QCOMPARE(readAll(emrOut), readAll(emr));
    }

    void cipherAnalysisReportsCriticalValues()
    {
        const CliRun run =
            runCli({QStringLiteral("cipher-analysis"), corpusDir() + QStringLiteral("/camera_512.png"),
                    QStringLiteral("--json")});
        QCOMPARE(run.exitCode, 0);
        const QJsonObject json = run.json();
        QVERIFY(std::abs(json.value(QStringLiteral("npcr_critical")).toDouble() - 99.5893) < 1e-3);
        QVERIFY(json.value(QStringLiteral("entropy_cipher")).toDouble() > 7.999);
        QCOMPARE(json.value(QStringLiteral("entropy_max")).toInt(), 8);
        QVERIFY(json.value(QStringLiteral("key_bit_npcr")).toDouble() > 99.5);
        QCOMPARE(json.value(QStringLiteral("diffusion")).toArray().size(), 2);
        QVERIFY(json.contains(QStringLiteral("seed"))); // drawn and printed when not given
    }

    // Both rows over several images (8- and 16-bit), reproducible with --seed; the current cipher's same-map
    // row passes, version 1's fails (the figure the paper's method hid).
    void cipherAnalysisPairStudyIsReproducibleAndBothRowsPass()
    {
        const QStringList images{corpusDir() + QStringLiteral("/mri_colin_axial_z130_512.png"),
                                 corpusDir() + QStringLiteral("/ct_small_512_16.png"),
                                 corpusDir() + QStringLiteral("/mri_natbrainlab_axial_z80_512.png")};
        auto study = [&](const QStringList& extra) {
            QStringList args{QStringLiteral("cipher-analysis")};
            args << images << QStringLiteral("--seed") << QStringLiteral("5") << QStringLiteral("--json")
                 << extra;
            const CliRun run = runCli(args);
            if (run.exitCode != 0)
                qFatal("cipher-analysis failed: %s", run.err.constData());
            return run.json();
        };
        const QJsonObject first = study({}), again = study({});
        QCOMPARE(first.value(QStringLiteral("seed")).toInteger(), qint64(5));
        QCOMPARE(first.value(QStringLiteral("cipher_version")).toInt(), 2);
        QCOMPARE(first.value(QStringLiteral("pairs")).toArray(),
                 again.value(QStringLiteral("pairs")).toArray());
        const QJsonArray rows = first.value(QStringLiteral("diffusion")).toArray();
        QCOMPARE(rows.size(), 2);
        QCOMPARE(rows[0].toObject().value(QStringLiteral("figure")).toString(), QStringLiteral("paper"));
        QCOMPARE(rows[1].toObject().value(QStringLiteral("maps")).toString(), QStringLiteral("same"));
        for (const auto& row : rows) {
            QCOMPARE(row.toObject().value(QStringLiteral("pairs")).toInt(), 100);
            QVERIFY2(row.toObject().value(QStringLiteral("pass")).toBool(),
                     qPrintable(QString::fromUtf8(QJsonDocument(row.toObject()).toJson())));
        }
        // Critical values per image: the 16-bit CT's are Wu's formulas with F = 65535.
        const QJsonArray critical = first.value(QStringLiteral("images")).toArray();
        QVERIFY(std::abs(critical[1].toObject().value(QStringLiteral("npcr_critical")).toDouble() -
                         99.99722) < 1e-4);
        const QJsonObject before = study({QStringLiteral("--cipher-version"), QStringLiteral("1")});
        const QJsonObject sameBefore = before.value(QStringLiteral("diffusion")).toArray()[1].toObject();
        QVERIFY(!sameBefore.value(QStringLiteral("pass")).toBool());
        // 16-bit entropy is stated against 16 bits.
        const CliRun ct = runCli({QStringLiteral("cipher-analysis"), images[1], QStringLiteral("--pairs"),
                                  QStringLiteral("1"), QStringLiteral("--seed"), QStringLiteral("1"),
                                  QStringLiteral("--json")});
        QCOMPARE(ct.exitCode, 0);
        QCOMPARE(ct.json().value(QStringLiteral("entropy_max")).toInt(), 16);
        QVERIFY(std::abs(ct.json().value(QStringLiteral("entropy_ideal")).toDouble() - 15.8197) < 1e-3);
        QVERIFY(std::abs(ct.json().value(QStringLiteral("entropy_cipher")).toDouble() - 15.82) < 0.02);
        // Usage errors: exit 1.
        QCOMPARE(runCli({QStringLiteral("cipher-analysis"), images[0], QStringLiteral("--pairs"),
                         QStringLiteral("0")})
                     .exitCode,
                 1);
        QCOMPARE(runCli({QStringLiteral("cipher-analysis"), images[0], QStringLiteral("--cipher-version"),
                         QStringLiteral("3")})
                     .exitCode,
                 1);
    }
};

QTEST_GUILESS_MAIN(TestCliEmr)
#include "test_cli_emr.moc"
