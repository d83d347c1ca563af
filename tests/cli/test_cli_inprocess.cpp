// SPDX-License-Identifier: GPL-3.0-or-later
// The CLI's commands run in this process (the medveil_cli library, as KeePassXC's TestCli does): exit codes,
// JSON and files of protect/recover, emr-seal/emr-open of PNG and DICOM (the identity path), and the
// refusals — beside the end-to-end tests that run the medveil-cli binary.
#include "cli/CliApplication.h"
#include "io/ImageIo.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <iostream>
#include <sstream>

using namespace medveil;

namespace {

const QString kPydicom = QStringLiteral("/usr/lib/python3/dist-packages/pydicom/data/test_files/");

struct CliRun
{
    int code = -1;
    std::string out, err;
    [[nodiscard]] QJsonObject json() const
    {
        return QJsonDocument::fromJson(QByteArray::fromStdString(out)).object();
    }
};

/// Runs medveil-cli's commands in-process with std::cout / std::cerr captured.
CliRun runCli(const QStringList& args)
{
    std::vector<std::string> argv;
    for (const QString& a : args)
        argv.push_back(a.toStdString());
    std::ostringstream out, err;
    auto* oldOut = std::cout.rdbuf(out.rdbuf());
    auto* oldErr = std::cerr.rdbuf(err.rdbuf());
    CliRun run;
    run.code = cli::runMedveilCli(argv);
    std::cout.rdbuf(oldOut);
    std::cerr.rdbuf(oldErr);
    run.out = out.str();
    run.err = err.str();
    return run;
}

} // namespace

class TestCliInProcess : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_pub, m_priv;

    QString path(const QString& name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void initTestCase()
    {
        m_pub = path(QStringLiteral("pub.pem"));
        m_priv = path(QStringLiteral("priv.pem"));
        const CliRun keygen = runCli({QStringLiteral("keygen"), QStringLiteral("--private"), m_priv,
                                      QStringLiteral("--public"), m_pub, QStringLiteral("--json")});
        QVERIFY2(keygen.code == 0, keygen.err.c_str());
        QVERIFY(QFile::exists(m_pub) && QFile::exists(m_priv));
        QVERIFY((QFile::permissions(m_priv) & (QFile::ReadGroup | QFile::ReadOther)) == 0);
    }

    void protectAndRecoverAPngBitExactly()
    {
        const QString in = QStringLiteral(MEDVEIL_TEST_DATA "/corpus/mri_colin_axial_z160_512.png");
        const CliRun protect = runCli({QStringLiteral("protect"), in, QStringLiteral("--public"), m_pub,
                                       path(QStringLiteral("p.png")), QStringLiteral("--json")});
        QVERIFY2(protect.code == 0, protect.err.c_str());
        const QJsonObject report = protect.json();
        QVERIFY(report.contains(QStringLiteral("region")) && report.contains(QStringLiteral("psnr")));
        const CliRun recover =
            runCli({QStringLiteral("recover"), path(QStringLiteral("p.png")), QStringLiteral("--private"),
                    m_priv, path(QStringLiteral("r.png")), QStringLiteral("--json")});
        QVERIFY2(recover.code == 0, recover.err.c_str());
        QCOMPARE(recover.json().value(QStringLiteral("identical")).toBool(), true);
        QVERIFY(readImage(path(QStringLiteral("r.png")).toStdString())->pixelBytes() ==
                readImage(in.toStdString())->pixelBytes());
    }

    void dicomProtectionAndSealKeepTheHeaderAndTheIdentity()
    {
        const QString ct = kPydicom + QStringLiteral("CT_small.dcm");
        QCOMPARE(runCli({QStringLiteral("protect"), ct, QStringLiteral("--public"), m_pub,
                         path(QStringLiteral("ct-p.dcm"))})
                     .code,
                 0);
        const CliRun recover =
            runCli({QStringLiteral("recover"), path(QStringLiteral("ct-p.dcm")), QStringLiteral("--private"),
                    m_priv, path(QStringLiteral("ct-r.dcm")), QStringLiteral("--json")});
        QVERIFY2(recover.code == 0, recover.err.c_str());
        QCOMPARE(recover.json().value(QStringLiteral("header_verified")).toBool(), true);
        QVERIFY(readImage(path(QStringLiteral("ct-r.dcm")).toStdString())->pixelBytes() ==
                readImage(ct.toStdString())->pixelBytes());

        // emr-seal of a DICOM: the identity leaves the header, comes back with --identity-out.
        QFile note(path(QStringLiteral("note.txt")));
        QVERIFY(note.open(QIODevice::WriteOnly));
        note.write("CT chest: no nodules. 复查 in 12 months.");
        note.close();
        const CliRun seal =
            runCli({QStringLiteral("emr-seal"), QStringLiteral("--image"), ct, QStringLiteral("--emr"),
                    path(QStringLiteral("note.txt")), QStringLiteral("--public"), m_pub,
                    path(QStringLiteral("sealed.dcm")), QStringLiteral("--json")});
        QVERIFY2(seal.code == 0, seal.err.c_str());
        QVERIFY(seal.json().value(QStringLiteral("dicom_identity_attributes")).toInt() > 0);
        QFile sealedFile(path(QStringLiteral("sealed.dcm")));
        QVERIFY(sealedFile.open(QIODevice::ReadOnly));
        QVERIFY(!sealedFile.readAll().contains("CompressedSamples")); // the patient name is not in the file
        const CliRun open = runCli({QStringLiteral("emr-open"), path(QStringLiteral("sealed.dcm")),
                                    QStringLiteral("--private"), m_priv, QStringLiteral("--emr-out"),
                                    path(QStringLiteral("back.txt")), QStringLiteral("--image-out"),
                                    path(QStringLiteral("back.dcm")), QStringLiteral("--identity-out"),
                                    path(QStringLiteral("identity.txt"))});
        QVERIFY2(open.code == 0, open.err.c_str());
        QFile back(path(QStringLiteral("back.txt"))), identity(path(QStringLiteral("identity.txt")));
        QVERIFY(back.open(QIODevice::ReadOnly) && identity.open(QIODevice::ReadOnly));
        QCOMPARE(back.readAll(), QByteArray("CT chest: no nodules. 复查 in 12 months."));
        QVERIFY(identity.readAll().contains("CompressedSamples^CT1"));
        QVERIFY(readImage(path(QStringLiteral("back.dcm")).toStdString())->pixelBytes() ==
                readImage(ct.toStdString())->pixelBytes());
    }

    void refusalsHaveTheirExitCodesAndWriteNothing()
    {
        // Another recipient's key: exit 3, no output.
        const QString otherPub = path(QStringLiteral("other-pub.pem")),
                      otherPriv = path(QStringLiteral("other.pem"));
        QCOMPARE(runCli({QStringLiteral("keygen"), QStringLiteral("--private"), otherPriv,
                         QStringLiteral("--public"), otherPub})
                     .code,
                 0);
        const QString in = QStringLiteral(MEDVEIL_TEST_DATA "/corpus/camera_512.png");
        QCOMPARE(runCli({QStringLiteral("protect"), in, QStringLiteral("--public"), m_pub,
                         path(QStringLiteral("cam-p.png"))})
                     .code,
                 0);
        const CliRun wrongKey =
            runCli({QStringLiteral("recover"), path(QStringLiteral("cam-p.png")), QStringLiteral("--private"),
                    otherPriv, path(QStringLiteral("cam-r.png"))});
        QCOMPARE(wrongKey.code, 3);
        QVERIFY(!QFile::exists(path(QStringLiteral("cam-r.png"))));
        // A missing input: 2; an unknown option: 1 with the usage line; an output over the input: refused.
        QCOMPARE(runCli({QStringLiteral("protect"), path(QStringLiteral("missing.png")),
                         QStringLiteral("--public"), m_pub, path(QStringLiteral("x.png"))})
                     .code,
                 2);
        const CliRun unknown = runCli({QStringLiteral("protect"), QStringLiteral("--frobnicate")});
        QCOMPARE(unknown.code, 1);
        QVERIFY(unknown.err.find("usage: medveil-cli protect") != std::string::npos);
        QCOMPARE(runCli({QStringLiteral("protect"), in, QStringLiteral("--public"), m_pub, in}).code, 2);
        QVERIFY(readImage(in.toStdString()).ok()); // the input is untouched
        // --max-pixels holds for one run only.
        const CliRun limited = runCli({QStringLiteral("inspect"), path(QStringLiteral("cam-p.png")),
                                       QStringLiteral("--max-pixels"), QStringLiteral("1000")});
        QCOMPARE(limited.code, 2);
        QCOMPARE(runCli({QStringLiteral("inspect"), path(QStringLiteral("cam-p.png"))}).code, 0);
        QCOMPARE(maxPixels(), uint64_t(64000000));
        // Help and version need no files.
        QCOMPARE(runCli({QStringLiteral("--version")}).code, 0);
        const CliRun help = runCli({QStringLiteral("--help")});
        QCOMPARE(help.code, 0);
        QVERIFY(help.out.find("emr-seal") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestCliInProcess)
#include "test_cli_inprocess.moc"
