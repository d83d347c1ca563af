// SPDX-License-Identifier: GPL-3.0-or-later
// medveil-cli protect / recover / inspect / sweep end to end, with every bad input of issue #3.
#include "../engine/TestImages.h"
#include "CliRunner.h"
#include "crypto/Digest.h"
#include "crypto/RsaKey.h"
#include "io/AtomicFile.h"
#include "io/ImageIo.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QtTest>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

using namespace medveil;
using namespace medveil::test;

namespace {
std::string readFileBytesAsString(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll().toStdString() : std::string();
}

QByteArray fileHash(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}
} // namespace

class TestCliKeyRegion : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_priv, m_pub, m_pass, m_otherPriv, m_otherPub, m_protected, m_source;

    QString path(const char* name) const { return m_dir.filePath(QLatin1String(name)); }

    /// Owner-only, as a passphrase file must be (medveil-cli refuses one others may read).
    void writeText(const QString& file, const QByteArray& text)
    {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(text);
        QVERIFY(f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
    }

    /// Runs a command expected to fail with `code`: no output file, input unchanged.
    void expectFailure(const QStringList& args, int code, const QString& out, const QString& input,
                       const char* messagePart = nullptr)
    {
        const QByteArray before = fileHash(input);
        const CliRun run = runCli(args);
        QVERIFY2(
            run.exitCode == code,
            qPrintable(
                QStringLiteral("exit %1, stderr: %2").arg(run.exitCode).arg(QString::fromUtf8(run.err))));
        QVERIFY2(!QFile::exists(out), qPrintable(out));
        QCOMPARE(fileHash(input), before);
        if (messagePart)
            QVERIFY2(run.err.contains(messagePart), run.err.constData());
        QDir dir(m_dir.path());
        for (const QString& name : dir.entryList(QDir::Files | QDir::Hidden))
            QVERIFY2(!name.contains(QStringLiteral(".tmp-")), qPrintable(name)); // no temp file left behind
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_priv = path("priv.pem");
        m_pub = path("pub.pem");
        m_pass = path("pass.txt");
        m_otherPriv = path("other.pem");
        m_otherPub = path("other.pub");
        writeText(m_pass, "radiology 2026\n");
        QCOMPARE(runCli({QStringLiteral("keygen"), QStringLiteral("--private"), m_priv,
                         QStringLiteral("--public"), m_pub, QStringLiteral("--passphrase-file"), m_pass})
                     .exitCode,
                 0);
        QCOMPARE(runCli({QStringLiteral("keygen"), QStringLiteral("--private"), m_otherPriv,
                         QStringLiteral("--public"), m_otherPub})
                     .exitCode,
                 0);
        m_source = path("source.png");
        QVERIFY(QFile::copy(corpusDir() + QStringLiteral("/mri_colin_axial_z160_512.png"), m_source));
        m_protected = path("protected.png");
        const CliRun run =
            runCli({QStringLiteral("protect"), m_source, m_protected, QStringLiteral("--public"), m_pub,
                    QStringLiteral("--info"), QStringLiteral("hospital=Union Hospital"),
                    QStringLiteral("--info"), QStringLiteral("department=Radiology"),
                    QStringLiteral("--info"), QStringLiteral("patient=10256"), QStringLiteral("--json")});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject json = run.json();
        for (const char* key : {"region", "threshold", "payload_bits", "capacity_bits", "psnr", "ssim", "ms"})
            QVERIFY2(json.contains(QLatin1String(key)), key);
        QCOMPARE(json.value(QStringLiteral("region")).toArray().size(), 4);
        // The capacity is measured (protect asks for the trial the engine skips by default): this MRI's
        // texture blocks hold about twice the payload at the chosen threshold.
        QVERIFY(json.value(QStringLiteral("payload_bits")).toDouble() <
                json.value(QStringLiteral("capacity_bits")).toDouble());
        QVERIFY(json.value(QStringLiteral("psnr")).toDouble() < 30);
    }

    void recoverIsIdentical()
    {
        const QString out = path("recovered.png");
        const CliRun run =
            runCli({QStringLiteral("recover"), m_protected, out, QStringLiteral("--private"), m_priv,
                    QStringLiteral("--passphrase-file"), m_pass, QStringLiteral("--json")});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(run.json().value(QStringLiteral("identical")).toBool(), true);
        QVERIFY(run.json().contains(QStringLiteral("ms")));
        QVERIFY(readImage(out.toStdString())->identicalTo(*readImage(m_source.toStdString())));
        const CliRun metrics = runCli({QStringLiteral("metrics"), m_source, out, QStringLiteral("--json")});
        QCOMPARE(metrics.json().value(QStringLiteral("psnr")).toString(), QStringLiteral("inf"));
    }

    void inspectShowsPublicInfoWithoutKey()
    {
        const CliRun run = runCli({QStringLiteral("inspect"), m_protected, QStringLiteral("--json")});
        QCOMPARE(run.exitCode, 0);
        const QJsonObject json = run.json();
        QCOMPARE(json.value(QStringLiteral("info")).toObject().value(QStringLiteral("hospital")).toString(),
                 QStringLiteral("Union Hospital"));
        QCOMPARE(json.value(QStringLiteral("info")).toObject().value(QStringLiteral("patient")).toString(),
                 QStringLiteral("10256"));
        QVERIFY(json.value(QStringLiteral("qr_version")).toInt() >= 10);
        QCOMPARE(json.value(QStringLiteral("intact")).toBool(), true);
    }

    void zbarimgReadsTheQrCode()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("zbarimg")).isEmpty())
            QFAIL("zbarimg missing: run packaging/install-deps.sh");
        QProcess zbar;
        zbar.start(QStringLiteral("zbarimg"), {QStringLiteral("--raw"), QStringLiteral("-q"), m_protected});
        QVERIFY(zbar.waitForFinished(30000));
        const QByteArray text = zbar.readAllStandardOutput();
        QVERIFY2(
            text.startsWith("MEDVEIL 1\nhospital=Union Hospital\ndepartment=Radiology\npatient=10256\nRSA:"),
            text.constData());
    }

    void sweepRows()
    {
        const CliRun run = runCli({QStringLiteral("sweep"), m_source, QStringLiteral("--thresholds"),
                                   QStringLiteral("10:30:10"), QStringLiteral("--json")});
        QCOMPARE(run.exitCode, 0);
        const QJsonArray rows = run.json().value(QStringLiteral("rows")).toArray();
        QCOMPARE(rows.size(), 3);
        for (const auto& row : rows)
            for (const char* key : {"threshold", "psnr", "ssim", "payload_bits", "capacity_bits", "fits"})
                QVERIFY2(row.toObject().contains(QLatin1String(key)), key);
        QCOMPARE(rows.at(1).toObject().value(QStringLiteral("threshold")).toDouble(), 20.0);
        // Without --json: a table for people, not JSON (issue #17 point 8).
        const CliRun text = runCli(
            {QStringLiteral("sweep"), m_source, QStringLiteral("--thresholds"), QStringLiteral("10:30:10")});
        QCOMPARE(text.exitCode, 0);
        QVERIFY(!text.out.trimmed().startsWith('{'));
        QVERIFY(text.out.contains("threshold") && text.out.count('\n') == 4);
        const CliRun analysis = runCli({QStringLiteral("cipher-analysis"), m_source});
        QCOMPARE(analysis.exitCode, 0);
        QVERIFY(!analysis.out.trimmed().startsWith('{') && analysis.out.contains("NPCR"));
    }

    void wrongKeyOrPassphraseExitsThree()
    {
        const QString out = path("bad.png");
        expectFailure({QStringLiteral("recover"), m_protected, out, QStringLiteral("--private"), m_otherPriv},
                      3, out, m_protected);
        const QString wrongPass = path("wrong.txt");
        writeText(wrongPass, "not it\n");
        expectFailure({QStringLiteral("recover"), m_protected, out, QStringLiteral("--private"), m_priv,
                       QStringLiteral("--passphrase-file"), wrongPass},
                      3, out, m_protected, "passphrase");
        expectFailure({QStringLiteral("recover"), m_protected, out, QStringLiteral("--private"), m_priv}, 3,
                      out, m_protected);
    }

    void modifiedImagesExitThree()
    {
        const Image prot = *readImage(m_protected.toStdString());
        const auto metadata = *readPngMetadata(*readFileBytes(m_protected.toStdString()));
        const QString out = path("bad.png");
        // One flipped pixel in the QR, in the middle (scrambled texture) and in the black corner.
        const QJsonObject info =
            runCli({QStringLiteral("inspect"), m_protected, QStringLiteral("--json")}).json();
        const QJsonArray region = info.value(QStringLiteral("region")).toArray();
        const std::vector<std::pair<int, int>> spots = {
            {region.at(0).toInt() + 40, region.at(1).toInt() + 50}, {256, 300}, {3, 508}};
        for (const auto& [x, y] : spots) {
            Image tampered = prot.clone();
            tampered.set(x, y, tampered.at(x, y) ^ 1);
            const QString file = path("tampered.png");
            QVERIFY(writePng(file.toStdString(), tampered, metadata).ok());
            expectFailure({QStringLiteral("recover"), file, out, QStringLiteral("--private"), m_priv,
                           QStringLiteral("--passphrase-file"), m_pass},
                          3, out, file, "modified");
        }
        // Re-saved as JPEG.
        const QString jpeg = path("protected.jpg");
        QVERIFY(cv::imwrite(jpeg.toStdString(), prot.mat(), {cv::IMWRITE_JPEG_QUALITY, 95}));
        expectFailure({QStringLiteral("recover"), jpeg, out, QStringLiteral("--private"), m_priv,
                       QStringLiteral("--passphrase-file"), m_pass},
                      3, out, jpeg, "JPEG");
        // Resized.
        cv::Mat small;
        cv::resize(prot.mat(), small, cv::Size(384, 384), 0, 0, cv::INTER_AREA);
        const QString resized = path("resized.png");
        QVERIFY(writePng(resized.toStdString(), *Image::fromMat(small), metadata).ok());
        expectFailure({QStringLiteral("recover"), resized, out, QStringLiteral("--private"), m_priv,
                       QStringLiteral("--passphrase-file"), m_pass},
                      3, out, resized, "resized");
    }

    void badInputsExitTwo()
    {
        const QString out = path("bad.png");
        // An unprotected image.
        expectFailure({QStringLiteral("recover"), m_source, out, QStringLiteral("--private"), m_priv,
                       QStringLiteral("--passphrase-file"), m_pass},
                      2, out, m_source, "not a MedVeil-protected image");
        // Colour, 1×N, too small for the QR, not an image.
        const QString colour = path("colour.png");
        QVERIFY(cv::imwrite(colour.toStdString(), cv::Mat(200, 200, CV_8UC3, cv::Scalar(10, 90, 200))));
        expectFailure({QStringLiteral("protect"), colour, out, QStringLiteral("--public"), m_pub}, 2, out,
                      colour, "colour");
        const QString line = path("line.png");
        QVERIFY(writePng(line.toStdString(), noiseImage(1, 300, 8, 3)).ok());
        expectFailure({QStringLiteral("protect"), line, out, QStringLiteral("--public"), m_pub}, 2, out,
                      line);
        const QString tiny = corpusDir() + QStringLiteral("/mr_small_native_16.png");
        expectFailure({QStringLiteral("protect"), tiny, out, QStringLiteral("--public"), m_pub}, 2, out, tiny,
                      "QR code needs");
        expectFailure({QStringLiteral("protect"), m_pass, out, QStringLiteral("--public"), m_pub}, 2, out,
                      m_pass);
        // A user region outside the image or smaller than the QR.
        expectFailure({QStringLiteral("protect"), m_source, out, QStringLiteral("--public"), m_pub,
                       QStringLiteral("--region"), QStringLiteral("400,400,160,160")},
                      2, out, m_source, "not inside");
        expectFailure({QStringLiteral("protect"), m_source, out, QStringLiteral("--public"), m_pub,
                       QStringLiteral("--region"), QStringLiteral("100,100,40,40")},
                      2, out, m_source, "QR code needs");
        // Never over the input.
        expectFailure({QStringLiteral("protect"), m_source, m_source, QStringLiteral("--public"), m_pub}, 2,
                      path("never-created.png"), m_source, "input");
    }

    void regionThatCannotFitExitsFour()
    {
        const QString out = path("bad.png");
        const QString smooth = corpusDir() + QStringLiteral("/mri_natbrainlab_axial_z80_512.png");
        expectFailure({QStringLiteral("protect"), smooth, out, QStringLiteral("--public"), m_pub,
                       QStringLiteral("--region"), QStringLiteral("96,96,320,320"),
                       QStringLiteral("--threshold"), QStringLiteral("50")},
                      4, out, smooth, "bits needed");
        // At threshold 0 a lower threshold does not exist: not advised.
        const CliRun zero = runCli({QStringLiteral("protect"), smooth, out, QStringLiteral("--public"), m_pub,
                                    QStringLiteral("--region"), QStringLiteral("96,96,320,320"),
                                    QStringLiteral("--threshold"), QStringLiteral("0")});
        QCOMPARE(zero.exitCode, 4);
        QVERIFY2(!zero.err.contains("lower threshold"), zero.err.constData());
    }

    // Issue #25.10: `recover --verify-trusted` accepts a file signed by a sender of the trusted-sender list
    // that the GUI keeps ($XDG_CONFIG_HOME/MedVeil/trusted-senders, workflow/TrustedSenders.h), names that
    // sender, and refuses (exit 3, nothing written) an unsigned file or one signed by a key not listed.
    void verifyTrustedUsesTheTrustedSenderList()
    {
        const QString config = path("xdg-config");
        QVERIFY(QDir().mkpath(config));
        const QByteArray previous = qgetenv("XDG_CONFIG_HOME");
        qputenv("XDG_CONFIG_HOME", config.toLocal8Bit());
        const auto restore = qScopeGuard([previous] {
            if (previous.isEmpty())
                qunsetenv("XDG_CONFIG_HOME");
            else
                qputenv("XDG_CONFIG_HOME", previous);
        });
        const QString sender = path("trusted-sender.pem"), senderPub = path("trusted-sender.pub");
        const CliRun keygen =
            runCli({QStringLiteral("keygen"), QStringLiteral("--private"), sender, QStringLiteral("--public"),
                    senderPub, QStringLiteral("--passphrase-file"), m_pass, QStringLiteral("--json")});
        QCOMPARE(keygen.exitCode, 0);
        const QString fingerprint = keygen.json().value(QStringLiteral("fingerprint")).toString();
        const QString signedFile = path("trusted-signed.png"), forged = path("trusted-forged.png");
        QCOMPARE(runCli({QStringLiteral("protect"), m_source, signedFile, QStringLiteral("--public"), m_pub,
                         QStringLiteral("--sign"), sender, QStringLiteral("--sign-passphrase-file"), m_pass})
                     .exitCode,
                 0);
        QCOMPARE(runCli({QStringLiteral("protect"), m_source, forged, QStringLiteral("--public"), m_pub,
                         QStringLiteral("--sign"), m_otherPriv})
                     .exitCode,
                 0);
        const QString out = path("trusted-recovered.png");
        const QStringList trusted = {QStringLiteral("--verify-trusted"), QStringLiteral("--private"), m_priv,
                                     QStringLiteral("--passphrase-file"), m_pass};
        // No list yet: nobody is trusted.
        expectFailure(QStringList{QStringLiteral("recover"), signedFile, out} + trusted, 3, out, signedFile,
                      "not in the trusted-sender list");

        // The documented format, written by hand: one sender line (fingerprint, name) and its key in PEM.
        const QString listPath = config + QStringLiteral("/MedVeil/trusted-senders");
        QVERIFY(QDir().mkpath(QFileInfo(listPath).path()));
        QFile pub(senderPub);
        QVERIFY(pub.open(QIODevice::ReadOnly));
        writeText(listPath,
                  "# mine\nsender " + fingerprint.toLatin1() + " Dr. Wang, Radiology\n" + pub.readAll());
        const CliRun accepted = runCli(QStringList{QStringLiteral("recover"), signedFile, out} + trusted);
        QVERIFY2(accepted.exitCode == 0, accepted.err.constData());
        QVERIFY2(
            accepted.out.contains("signed by Dr. Wang, Radiology (trusted sender, " + fingerprint.toLatin1()),
            accepted.out.constData());
        QVERIFY(readImage(out.toStdString())->identicalTo(*readImage(m_source.toStdString())));
        QFile::remove(out);
        const CliRun json = runCli(
            QStringList{QStringLiteral("recover"), signedFile, out, QStringLiteral("--json")} + trusted);
        QCOMPARE(json.exitCode, 0);
        QCOMPARE(json.json().value(QStringLiteral("trusted_sender")).toString(),
                 QStringLiteral("Dr. Wang, Radiology"));
        QCOMPARE(json.json().value(QStringLiteral("signed_by")).toString(), fingerprint);
        QFile::remove(out);

        // Unsigned, or signed by a key that is not listed: exit 3, nothing written.
        expectFailure(QStringList{QStringLiteral("recover"), m_protected, out} + trusted, 3, out, m_protected,
                      "not signed");
        expectFailure(QStringList{QStringLiteral("recover"), forged, out} + trusted, 3, out, forged,
                      "not in the trusted-sender list");
        // Both kinds of verification at once is a usage error; a damaged list is bad input.
        expectFailure(
            QStringList{QStringLiteral("recover"), signedFile, out, QStringLiteral("--verify"), senderPub} +
                trusted,
            1, out, signedFile);
        writeText(listPath, "sender 1234 someone\n");
        expectFailure(QStringList{QStringLiteral("recover"), signedFile, out} + trusted, 2, out, signedFile,
                      "line 1");
    }

    // Issue #16 point 10: anyone with the recipient's public key can make a protection; a signature by a
    // trusted sender tells the recipient who made it.
    void signedProtectionsNameTheirSender()
    {
        const QString sender = path("sender.pem"), senderPub = path("sender.pub");
        const CliRun keygen =
            runCli({QStringLiteral("keygen"), QStringLiteral("--private"), sender, QStringLiteral("--public"),
                    senderPub, QStringLiteral("--passphrase-file"), m_pass, QStringLiteral("--json")});
        QCOMPARE(keygen.exitCode, 0);
        const QString fingerprint = keygen.json().value(QStringLiteral("fingerprint")).toString();
        QCOMPARE(fingerprint.size(), 64);
        const QString signedFile = path("signed.png");
        const CliRun protect =
            runCli({QStringLiteral("protect"), m_source, signedFile, QStringLiteral("--public"), m_pub,
                    QStringLiteral("--sign"), sender, QStringLiteral("--sign-passphrase-file"), m_pass,
                    QStringLiteral("--json")});
        QVERIFY2(protect.exitCode == 0, protect.err.constData());
        QCOMPARE(protect.json().value(QStringLiteral("signed_by")).toString(), fingerprint);
        const QStringList recoverArgs = {QStringLiteral("--private"), m_priv,
                                         QStringLiteral("--passphrase-file"), m_pass,
                                         QStringLiteral("--json")};
        const QString out = path("signed-recovered.png");
        const CliRun verified = runCli(
            QStringList{QStringLiteral("recover"), signedFile, out, QStringLiteral("--verify"), senderPub} +
            recoverArgs);
        QVERIFY2(verified.exitCode == 0, verified.err.constData());
        QCOMPARE(verified.json().value(QStringLiteral("signed_by")).toString(), fingerprint);
        QVERIFY(readImage(out.toStdString())->identicalTo(*readImage(m_source.toStdString())));
        QFile::remove(out);
        // Without --verify the signer is still shown; an unsigned file says null.
        QCOMPARE(runCli(QStringList{QStringLiteral("recover"), signedFile, out} + recoverArgs)
                     .json()
                     .value(QStringLiteral("signed_by"))
                     .toString(),
                 fingerprint);
        QFile::remove(out);
        QVERIFY(runCli({QStringLiteral("inspect"), signedFile}).out.contains(fingerprint.toUtf8()));
        const QStringList verify = {QStringLiteral("--verify"),          senderPub,
                                    QStringLiteral("--private"),         m_priv,
                                    QStringLiteral("--passphrase-file"), m_pass};
        // Unsigned, or forged by someone else who holds the recipient's public key: refused with --verify.
        expectFailure(QStringList{QStringLiteral("recover"), m_protected, out} + verify, 3, out, m_protected,
                      "not signed");
        const QString forged = path("forged.png");
        QCOMPARE(runCli({QStringLiteral("protect"), m_source, forged, QStringLiteral("--public"), m_pub,
                         QStringLiteral("--sign"), m_otherPriv})
                     .exitCode,
                 0);
        expectFailure(QStringList{QStringLiteral("recover"), forged, out} + verify, 3, out, forged,
                      "another key");
        // A signature stripped, its signer key swapped or one byte of it changed.
        auto loaded = readImageFile(signedFile.toStdString());
        QVERIFY(loaded.ok());
        const auto otherDer = RsaKey::fromPem(readFileBytesAsString(m_otherPub))->publicDer();
        std::vector<std::pair<std::string, std::map<std::string, std::string>>> edits;
        auto stripped = loaded->metadata;
        stripped.erase("MedVeil:signature");
        stripped.erase("MedVeil:signer");
        edits.push_back({"stripped", stripped});
        auto swapped = loaded->metadata;
        swapped["MedVeil:signer"] = base64Encode(*otherDer);
        edits.push_back({"swapped", swapped});
        auto flipped = loaded->metadata;
        auto signature = *base64Decode(flipped["MedVeil:signature"]);
        signature[signature.size() / 2] ^= 1;
        flipped["MedVeil:signature"] = base64Encode(signature);
        edits.push_back({"flipped", flipped});
        for (const auto& [name, metadata] : edits) {
            const QString edited = path("edited.png");
            QFile::remove(edited);
            QVERIFY(writePng(edited.toStdString(), loaded->image, metadata).ok());
            expectFailure(QStringList{QStringLiteral("recover"), edited, out} + verify, 3, out, edited);
            if (name != "stripped") // a damaged signature is refused even without --verify
                expectFailure(QStringList{QStringLiteral("recover"), edited, out} + recoverArgs, 3, out,
                              edited);
        }
    }

    // Issue #15 point 3: a refused recovery (exit 3) with the right key names the changed 8×8 blocks; the
    // QR code's and the protection data's changes are said; a wrong key says only that; nothing is written.
    void tamperMapNamesTheChangedBlocks()
    {
        auto loaded = readImageFile(m_protected.toStdString());
        QVERIFY(loaded.ok());
        const QString tampered = path("tampered.png"), out = path("tampered-out.png");
        Image image = loaded->image.clone();
        image.set(100, 300, image.at(100, 300) ^ 1); // one pixel in one block …
        for (int x = 200; x < 290; ++x)              // … and a 90-pixel stroke across twelve blocks
            image.set(x, 20, 255 - image.at(x, 20));
        QVERIFY(writePng(tampered.toStdString(), image, loaded->metadata).ok());
        const QStringList key = {QStringLiteral("--private"), m_priv, QStringLiteral("--passphrase-file"),
                                 m_pass, QStringLiteral("--json")};
        const CliRun run = runCli(QStringList{QStringLiteral("recover"), tampered, out} + key);
        QCOMPARE(run.exitCode, 3);
        QVERIFY(!QFile::exists(out));
        const QJsonObject json = run.json();
        QVERIFY(json.contains(QStringLiteral("error")));
        QCOMPARE(json.value(QStringLiteral("changed_blocks")).toInt(), 13);
        QCOMPARE(json.value(QStringLiteral("metadata_changed")).toBool(), false);
        const QJsonArray regions = json.value(QStringLiteral("tampered_regions")).toArray();
        bool pixelFound = false;
        int covered = 0;
        for (const QJsonValue& value : regions) {
            const QJsonArray r = value.toArray();
            const int x = r[0].toInt(), y = r[1].toInt(), w = r[2].toInt(), h = r[3].toInt();
            QVERIFY(w <= 64 && h <= 64 && w % 8 == 0 && h % 8 == 0);
            pixelFound = pixelFound || (x == 96 && y == 296 && w == 8 && h == 8);
            if (y <= 20 && y + h > 20)
                covered += w;
        }
        QVERIFY(pixelFound);
        QVERIFY2(covered >= 96, qPrintable(QString::number(covered))); // the stroke, 8-aligned
        // The protection data changed: said, no block map.
        auto metadata = loaded->metadata;
        metadata["MedVeil:qr"] += "0";
        QVERIFY(writePng(tampered.toStdString(), loaded->image, metadata).ok());
        const CliRun meta = runCli(QStringList{QStringLiteral("recover"), tampered, out} + key);
        QCOMPARE(meta.exitCode, 3);
        QVERIFY(meta.json().value(QStringLiteral("tampered_regions")).toArray().isEmpty());
        // A wrong key: only the error.
        QVERIFY(writePng(tampered.toStdString(), image, loaded->metadata).ok());
        const CliRun wrong = runCli({QStringLiteral("recover"), tampered, out, QStringLiteral("--private"),
                                     m_otherPriv, QStringLiteral("--json")});
        QCOMPARE(wrong.exitCode, 3);
        QVERIFY(!wrong.json().contains(QStringLiteral("tampered_regions")));
        QVERIFY(!QFile::exists(out));
    }

    // Issue #15 point 2: --region repeats (with auto), JSON "regions", refusals exit 2.
    void severalRegionsFromTheCommandLine()
    {
        const QString out = path("regions.png"), back = path("regions-back.png");
        const CliRun protect =
            runCli({QStringLiteral("protect"), m_source, out, QStringLiteral("--public"), m_pub,
                    QStringLiteral("--region"), QStringLiteral("auto"), QStringLiteral("--region"),
                    QStringLiteral("20,20,60,40"), QStringLiteral("--region"),
                    QStringLiteral("400,100,50,50"), QStringLiteral("--json")});
        QVERIFY2(protect.exitCode == 0, protect.err.constData());
        const QJsonArray regions = protect.json().value(QStringLiteral("regions")).toArray();
        QCOMPARE(regions.size(), 3);
        QCOMPARE(regions.at(0).toArray(), protect.json().value(QStringLiteral("region")).toArray());
        QCOMPARE(regions.at(1).toArray(), (QJsonArray{20, 20, 60, 40}));
        const CliRun recover =
            runCli({QStringLiteral("recover"), out, back, QStringLiteral("--private"), m_priv,
                    QStringLiteral("--passphrase-file"), m_pass, QStringLiteral("--json")});
        QVERIFY2(recover.exitCode == 0, recover.err.constData());
        QVERIFY(readImage(back.toStdString())->identicalTo(*readImage(m_source.toStdString())));
        const QString never = path("never-regions.png");
        expectFailure({QStringLiteral("protect"), m_source, never, QStringLiteral("--public"), m_pub,
                       QStringLiteral("--region"), QStringLiteral("100,100,200,200"),
                       QStringLiteral("--region"), QStringLiteral("150,150,60,40")},
                      2, never, m_source, "overlap");
        expectFailure({QStringLiteral("protect"), m_source, never, QStringLiteral("--public"), m_pub,
                       QStringLiteral("--region"), QStringLiteral("auto"), QStringLiteral("--region"),
                       QStringLiteral("500,30,60,40")},
                      2, never, m_source, "not inside");
    }

    // Issue #15 point 4: --scramble permute round-trips through the CLI and is reported; a bad value is
    // a usage error.
    void permuteScramblingFromTheCommandLine()
    {
        const QString out = path("permuted.png"), back = path("permuted-back.png");
        const CliRun protect =
            runCli({QStringLiteral("protect"), m_source, out, QStringLiteral("--public"), m_pub,
                    QStringLiteral("--scramble"), QStringLiteral("permute"), QStringLiteral("--json")});
        QVERIFY2(protect.exitCode == 0, protect.err.constData());
        QCOMPARE(protect.json().value(QStringLiteral("scramble")).toString(), QStringLiteral("permute"));
        const CliRun recover =
            runCli({QStringLiteral("recover"), out, back, QStringLiteral("--private"), m_priv,
                    QStringLiteral("--passphrase-file"), m_pass, QStringLiteral("--json")});
        QVERIFY2(recover.exitCode == 0, recover.err.constData());
        QVERIFY(readImage(back.toStdString())->identicalTo(*readImage(m_source.toStdString())));
        const QString never = path("never-scrambled.png");
        expectFailure({QStringLiteral("protect"), m_source, never, QStringLiteral("--public"), m_pub,
                       QStringLiteral("--scramble"), QStringLiteral("rot13")},
                      1, never, m_source, "--scramble");
    }

    void usageErrorsExitOne()
    {
        const QString out = path("bad.png");
        expectFailure({QStringLiteral("protect"), m_source, out}, 1, out, m_source);
        expectFailure({QStringLiteral("protect"), m_source, out, QStringLiteral("--public"), m_pub,
                       QStringLiteral("--region"), QStringLiteral("1,2,3")},
                      1, out, m_source);
        expectFailure({QStringLiteral("protect"), m_source, out, QStringLiteral("--public"), m_pub,
                       QStringLiteral("--info"), QStringLiteral("novalue")},
                      1, out, m_source);
        expectFailure({QStringLiteral("sweep"), m_source, QStringLiteral("--thresholds"),
                       QStringLiteral("50:5:5"), QStringLiteral("--json")},
                      1, out, m_source);
    }
};

QTEST_GUILESS_MAIN(TestCliKeyRegion)
#include "test_cli_keyregion.moc"
