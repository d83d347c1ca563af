// SPDX-License-Identifier: GPL-3.0-or-later
// The EMR stages on the command line: emr-encode / emr-decode, encrypt / decrypt, cipher-analysis.
#include "../engine/TestImages.h"
#include "CliRunner.h"
#include "io/AtomicFile.h"

#include <QFile>
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
        const auto meta = *readPngMetadata(*readFileBytes(cipher.toStdString()));
        Image tampered = *readImage(cipher.toStdString());
        tampered.set(10, 10, tampered.at(10, 10) ^ 0x10);
        const QString bad = path("tampered.png");
        QVERIFY(writePng(bad.toStdString(), tampered, meta).ok());
        const CliRun modified =
            runCli({QStringLiteral("decrypt"), bad, out, QStringLiteral("--private"), m_priv});
        QCOMPARE(modified.exitCode, 3);
        QVERIFY(modified.err.contains("modified"));
        QCOMPARE(
            runCli({QStringLiteral("decrypt"), plain, out, QStringLiteral("--private"), m_priv}).exitCode, 2);
        QVERIFY(!QFile::exists(out));
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
        QVERIFY(json.value(QStringLiteral("key_bit_npcr")).toDouble() > 99.5);
    }
};

QTEST_GUILESS_MAIN(TestCliEmr)
#include "test_cli_emr.moc"
