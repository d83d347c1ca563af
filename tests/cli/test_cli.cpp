// SPDX-License-Identifier: GPL-3.0-or-later
// End-to-end tests of medveil-cli's contract (CLI.md): exit codes, JSON keys, no output on failure.
#include "../engine/TestImages.h"
#include "CliRunner.h"
#include "crypto/RsaKey.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace medveil;
using namespace medveil::test;

class TestCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void helpAndVersion()
    {
        const CliRun help = runCli({QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains("keygen"));
        QVERIFY(help.out.contains("metrics"));
        QCOMPARE(runCli({QStringLiteral("--version")}).exitCode, 0);
        QCOMPARE(runCli({QStringLiteral("metrics"), QStringLiteral("--help")}).exitCode, 0);
        // Every command listed in --help answers its own --help.
        for (const QByteArray& line : help.out.split('\n')) {
            if (!line.startsWith("  ") || line.startsWith("   ") || line.trimmed().startsWith("--"))
                continue;
            const QString command = QString::fromUtf8(line.trimmed().split(' ').first());
            QCOMPARE(runCli({command, QStringLiteral("--help")}).exitCode, 0);
        }
    }

    void usageErrorsExitWithOne()
    {
        QCOMPARE(runCli({}).exitCode, 1);
        QCOMPARE(runCli({QStringLiteral("frobnicate")}).exitCode, 1);
        QCOMPARE(runCli({QStringLiteral("metrics"), QStringLiteral("a.png")}).exitCode, 1);
        QCOMPARE(runCli({QStringLiteral("metrics"), QStringLiteral("a"), QStringLiteral("b"),
                         QStringLiteral("--bogus")})
                     .exitCode,
                 1);
        QCOMPARE(
            runCli({QStringLiteral("keygen"), QStringLiteral("--private"), QStringLiteral("x.pem")}).exitCode,
            1);
    }

    void keygenWritesUsableKeys()
    {
        QTemporaryDir dir;
        const QString priv = dir.filePath(QStringLiteral("priv.pem"));
        const QString pub = dir.filePath(QStringLiteral("pub.pem"));
        const QString pass = dir.filePath(QStringLiteral("pass.txt"));
        QFile f(pass);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("open sesame\n");
        f.close();
        const CliRun run =
            runCli({QStringLiteral("keygen"), QStringLiteral("--private"), priv, QStringLiteral("--public"),
                    pub, QStringLiteral("--passphrase-file"), pass, QStringLiteral("--json")});
        QCOMPARE(run.exitCode, 0);
        const QJsonObject json = run.json();
        QCOMPARE(json.value(QStringLiteral("bits")).toInt(), 2048);
        QCOMPARE(json.value(QStringLiteral("encrypted")).toBool(), true);
        QCOMPARE(json.value(QStringLiteral("fingerprint")).toString().size(), 64);
        QVERIFY(!run.out.contains("PRIVATE KEY"));
        QFile privFile(priv);
        QVERIFY(privFile.open(QIODevice::ReadOnly));
        const QByteArray pem = privFile.readAll();
        QVERIFY(pem.startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        QCOMPARE(int(QFile::permissions(priv) & (QFile::ReadGroup | QFile::ReadOther)), 0);
        auto loaded = RsaKey::fromPem(pem.toStdString(), std::string("open sesame"));
        QVERIFY(loaded.ok());
        QCOMPARE(RsaKey::fromPem(pem.toStdString(), std::string("wrong")).error().kind, ErrorKind::Auth);
    }

    void keygenRefusesWeakKeysAndWritesNothing()
    {
        QTemporaryDir dir;
        const QString priv = dir.filePath(QStringLiteral("priv.pem"));
        const QString pub = dir.filePath(QStringLiteral("pub.pem"));
        QCOMPARE(runCli({QStringLiteral("keygen"), QStringLiteral("--private"), priv,
                         QStringLiteral("--public"), pub, QStringLiteral("--bits"), QStringLiteral("1024")})
                     .exitCode,
                 1);
        QCOMPARE(
            runCli({QStringLiteral("keygen"), QStringLiteral("--private"), priv, QStringLiteral("--public"),
                    pub, QStringLiteral("--passphrase-file"), dir.filePath(QStringLiteral("missing"))})
                .exitCode,
            2);
        QVERIFY(!QFile::exists(priv));
        QVERIFY(!QFile::exists(pub));
    }

    void metricsJsonHasContractKeys()
    {
        const QString a = corpusDir() + QStringLiteral("/mri_colin_axial_z160_512.png");
        const QString b = corpusDir() + QStringLiteral("/mri_colin_axial_z130_512.png");
        const CliRun same = runCli({QStringLiteral("metrics"), a, a, QStringLiteral("--json")});
        QCOMPARE(same.exitCode, 0);
        QCOMPARE(same.json().value(QStringLiteral("psnr")).toString(), QStringLiteral("inf"));
        QCOMPARE(same.json().value(QStringLiteral("ssim")).toDouble(), 1.0);
        const CliRun diff = runCli({QStringLiteral("metrics"), a, b, QStringLiteral("--json")});
        QCOMPARE(diff.exitCode, 0);
        const QJsonObject json = diff.json();
        for (const char* key : {"psnr", "ssim", "npcr", "uaci", "entropy", "corr_h", "corr_v", "corr_d"})
            QVERIFY2(json.contains(QLatin1String(key)), key);
        QVERIFY(json.value(QStringLiteral("psnr")).toDouble() > 5);
        QVERIFY(json.value(QStringLiteral("psnr")).toDouble() < 40);
        QVERIFY(json.value(QStringLiteral("npcr")).toDouble() > 10);
        // Only the JSON object on stdout.
        QCOMPARE(QJsonDocument::fromJson(diff.out).isObject(), true);
    }

    void metricsBadInputExitsTwo()
    {
        QTemporaryDir dir;
        const QString text = dir.filePath(QStringLiteral("notes.txt"));
        QFile f(text);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not an image");
        f.close();
        const QString a = corpusDir() + QStringLiteral("/mri_colin_axial_z160_512.png");
        const QString small = corpusDir() + QStringLiteral("/ct_small_native_16.png");
        const CliRun bad = runCli({QStringLiteral("metrics"), a, text});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY(bad.err.contains("not a supported image"));
        QCOMPARE(runCli({QStringLiteral("metrics"), a, small}).exitCode, 2);
        QCOMPARE(runCli({QStringLiteral("metrics"), a, dir.filePath(QStringLiteral("missing.png"))}).exitCode,
                 2);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
