// SPDX-License-Identifier: GPL-3.0-or-later
// End-to-end tests of medveil-cli's contract (CLI.md): exit codes, JSON keys, no output on failure.
#include "../engine/TestImages.h"
#include "CliRunner.h"
#include "crypto/RsaKey.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <zlib.h>

using namespace medveil;
using namespace medveil::test;

namespace {

QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& data)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    f.write(data);
    // Owner-only, as a passphrase file must be (medveil-cli refuses one others may read).
    f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return path;
}

QByteArray fileBytes(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

/// An RSA public key PEM with `bits` and exponent `e`, made with OpenSSL directly (keygen refuses them).
QByteArray weakPublicPem(int bits, unsigned long e)
{
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_RSA, nullptr);
    EVP_PKEY* key = nullptr;
    BIGNUM* exponent = BN_new();
    BN_set_word(exponent, e);
    EVP_PKEY_keygen_init(ctx);
    EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, bits);
    EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx, exponent);
    EVP_PKEY_keygen(ctx, &key);
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PUBKEY(bio, key);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    QByteArray pem(data, int(n));
    BIO_free(bio);
    EVP_PKEY_free(key);
    BN_free(exponent);
    EVP_PKEY_CTX_free(ctx);
    return pem;
}

/// A valid 8-bit grey PNG header declaring width × height, with one tiny zlib-compressed row run: a
/// "decompression bomb" of a few hundred bytes.
QByteArray bombPng(uint32_t width, uint32_t height)
{
    auto be32 = [](QByteArray& out, uint32_t v) {
        for (int s = 24; s >= 0; s -= 8)
            out.append(char((v >> s) & 0xff));
    };
    auto chunk = [&](QByteArray& out, const char* type, const QByteArray& data) {
        be32(out, uint32_t(data.size()));
        QByteArray body(type, 4);
        body += data;
        out += body;
        be32(out, uint32_t(::crc32(0, reinterpret_cast<const Bytef*>(body.data()), uInt(body.size()))));
    };
    QByteArray png("\x89PNG\r\n\x1a\n", 8), ihdr;
    be32(ihdr, width);
    be32(ihdr, height);
    ihdr += QByteArray("\x08\x00\x00\x00\x00", 5);
    chunk(png, "IHDR", ihdr);
    chunk(png, "IDAT", qCompress(QByteArray(4096, '\0')).mid(4)); // zlib stream of zeros
    chunk(png, "IEND", {});
    return png;
}

} // namespace

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
            const QList<QByteArray> words = line.trimmed().split(' ');
            const QString command = QString::fromUtf8(words.first());
            QCOMPARE(runCli({command, QStringLiteral("--help")}).exitCode, 0);
            // A sub-command (`dicom echo …`) answers its own --help too.
            if (command == QStringLiteral("dicom") && words.size() > 1)
                QCOMPARE(runCli({command, QString::fromUtf8(words[1]), QStringLiteral("--help")}).exitCode,
                         0);
        }
        const CliRun echoHelp =
            runCli({QStringLiteral("dicom"), QStringLiteral("echo"), QStringLiteral("--help")});
        QCOMPARE(echoHelp.exitCode, 0);
        QVERIFY(echoHelp.out.contains("--dimse-timeout"));
        QCOMPARE(runCli({QStringLiteral("dicom")}).exitCode, 1);
        QCOMPARE(runCli({QStringLiteral("dicom"), QStringLiteral("frobnicate")}).exitCode, 1);
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
        f.write("open sesame 2026\n"); // 12 characters at least, readable by the owner only
        f.close();
        QVERIFY(f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
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
        auto loaded = RsaKey::fromPem(pem.toStdString(), std::string("open sesame 2026"));
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

    // Issue #16 finding 2: keys are never written over, whatever option names them.
    void keysAndInputsAreNeverOverwritten()
    {
        QTemporaryDir dir;
        const QString priv = dir.filePath(QStringLiteral("priv.pem"));
        const QString pub = dir.filePath(QStringLiteral("pub.pem"));
        QCOMPARE(runCli({QStringLiteral("keygen"), QStringLiteral("--private"), priv,
                         QStringLiteral("--public"), pub})
                     .exitCode,
                 0);
        const QByteArray privBefore = fileBytes(priv), pubBefore = fileBytes(pub);
        // keygen over an existing pair: refused (exit 2) without --force, keys untouched.
        const CliRun again = runCli({QStringLiteral("keygen"), QStringLiteral("--private"), priv,
                                     QStringLiteral("--public"), dir.filePath(QStringLiteral("other.pem"))});
        QCOMPARE(again.exitCode, 2);
        QVERIFY(again.err.contains("--force"));
        QCOMPARE(fileBytes(priv), privBefore);
        // The same file for both halves, also through another spelling of the path.
        QCOMPARE(runCli({QStringLiteral("keygen"), QStringLiteral("--private"),
                         dir.filePath(QStringLiteral("k.pem")), QStringLiteral("--public"),
                         dir.filePath(QStringLiteral("./k.pem"))})
                     .exitCode,
                 2);
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("k.pem"))));
        // --force replaces, and says nothing is lost by accident.
        QCOMPARE(runCli({QStringLiteral("keygen"), QStringLiteral("--private"), priv,
                         QStringLiteral("--public"), pub, QStringLiteral("--force")})
                     .exitCode,
                 0);
        QVERIFY(fileBytes(priv) != privBefore);
        const QByteArray privNow = fileBytes(priv), pubNow = fileBytes(pub);
        const QString image = corpusDir() + QStringLiteral("/mri_colin_axial_z160_512.png");
        const QString prot = dir.filePath(QStringLiteral("p.png"));
        QCOMPARE(runCli({QStringLiteral("protect"), image, prot, QStringLiteral("--public"), pub}).exitCode,
                 0);
        const QString pass = writeFile(dir, QStringLiteral("pass.txt"), "open sesame 2026\n");
        const QString note = writeFile(dir, QStringLiteral("note.txt"), "Clinical note.\n");
        // Every command with an output that names an input (key, passphrase, image, EMR): exit 2, input kept.
        const QList<QStringList> attempts = {
            {QStringLiteral("recover"), prot, priv, QStringLiteral("--private"), priv},
            {QStringLiteral("protect"), image, pub, QStringLiteral("--public"), pub},
            {QStringLiteral("protect"), image, image, QStringLiteral("--public"), pub},
            {QStringLiteral("recover"), prot, pass, QStringLiteral("--private"), priv,
             QStringLiteral("--passphrase-file"), pass},
            {QStringLiteral("emr-seal"), QStringLiteral("--image"), image, QStringLiteral("--emr"), note,
             note, QStringLiteral("--public"), pub},
            {QStringLiteral("emr-open"), prot, QStringLiteral("--private"), priv, QStringLiteral("--emr-out"),
             priv, QStringLiteral("--image-out"), dir.filePath(QStringLiteral("x.png"))},
            {QStringLiteral("encrypt"), image, pub, QStringLiteral("--public"), pub},
        };
        for (const QStringList& args : attempts) {
            const CliRun run = runCli(args);
            QVERIFY2(run.exitCode == 2,
                     qPrintable(args.join(QLatin1Char(' ')) + QStringLiteral(" -> ") +
                                QString::number(run.exitCode) + QString::fromUtf8(run.err)));
            QCOMPARE(fileBytes(priv), privNow);
            QCOMPARE(fileBytes(pub), pubNow);
            QCOMPARE(fileBytes(pass), QByteArray("open sesame 2026\n"));
            QCOMPARE(fileBytes(note), QByteArray("Clinical note.\n"));
        }
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("x.png"))));
    }

    // Issue #16 findings 6 and 9: weak recipient keys are refused at protect/seal time (exit 2); private
    // keys readable by others are refused; passphrase PEMs use PBKDF2 with 600,000 iterations; a plain
    // private key comes with a warning.
    void weakAndExposedKeysAreRefused()
    {
        QTemporaryDir dir;
        // 512²: its automatic region holds a QR code of 2-px modules and its payload (the 181×217 native
        // slice's does not: exit 4).
        const QString image = corpusDir() + QStringLiteral("/mri_colin_axial_z160_512.png");
        struct Weak
        {
            const char* name;
            int bits;
            unsigned long e;
        };
        for (const Weak& weak : {Weak{"rsa1024", 1024, 65537}, Weak{"rsa896", 896, 65537},
                                 Weak{"rsa512", 512, 65537}, Weak{"e3", 2048, 3}}) {
            const QString pub = writeFile(dir, QString::fromLatin1(weak.name) + QStringLiteral(".pem"),
                                          weakPublicPem(weak.bits, weak.e));
            const QString out = dir.filePath(QString::fromLatin1(weak.name) + QStringLiteral(".png"));
            const CliRun run =
                runCli({QStringLiteral("protect"), image, out, QStringLiteral("--public"), pub});
            QVERIFY2(run.exitCode == 2, weak.name);
            QVERIFY(!QFile::exists(out));
        }
        // e = 1 cannot even be generated by OpenSSL; RsaKey refuses an even or tiny exponent either way.
        const QString priv = dir.filePath(QStringLiteral("priv.pem"));
        const QString pub = dir.filePath(QStringLiteral("pub.pem"));
        const QString pass = writeFile(dir, QStringLiteral("pass.txt"), "correct horse\n");
        const CliRun plain = runCli({QStringLiteral("keygen"), QStringLiteral("--private"),
                                     dir.filePath(QStringLiteral("plain.pem")), QStringLiteral("--public"),
                                     dir.filePath(QStringLiteral("plainpub.pem"))});
        QCOMPARE(plain.exitCode, 0);
        QVERIFY(plain.err.contains("without a passphrase"));
        QCOMPARE(runCli({QStringLiteral("keygen"), QStringLiteral("--private"), priv,
                         QStringLiteral("--public"), pub, QStringLiteral("--passphrase-file"), pass})
                     .exitCode,
                 0);
        // The PEM's PBES2 parameters: PBKDF2 iteration count read back with OpenSSL.
        const QByteArray pem = fileBytes(priv);
        BIO* bio = BIO_new_mem_buf(pem.constData(), int(pem.size()));
        X509_SIG* sealed = PEM_read_bio_PKCS8(bio, nullptr, nullptr, nullptr);
        BIO_free(bio);
        QVERIFY(sealed);
        const X509_ALGOR* algorithm = nullptr;
        X509_SIG_get0(sealed, &algorithm, nullptr);
        const ASN1_OBJECT* oid = nullptr;
        const void* parameter = nullptr;
        int parameterType = 0;
        X509_ALGOR_get0(&oid, &parameterType, &parameter, algorithm);
        QCOMPARE(OBJ_obj2nid(oid), NID_pbes2);
        QCOMPARE(parameterType, V_ASN1_SEQUENCE);
        const auto* sequence = static_cast<const ASN1_STRING*>(parameter);
        const unsigned char* der = ASN1_STRING_get0_data(sequence);
        PBE2PARAM* pbe2 = d2i_PBE2PARAM(nullptr, &der, ASN1_STRING_length(sequence));
        QVERIFY(pbe2);
        PBKDF2PARAM* kdf = static_cast<PBKDF2PARAM*>(
            ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBKDF2PARAM), pbe2->keyfunc->parameter));
        QVERIFY(kdf);
        QCOMPARE(ASN1_INTEGER_get(kdf->iter), 600000L);
        PBKDF2PARAM_free(kdf);
        PBE2PARAM_free(pbe2);
        X509_SIG_free(sealed);
        // A private key others may read: refused like ssh does.
        const QString prot = dir.filePath(QStringLiteral("p.png"));
        QCOMPARE(runCli({QStringLiteral("protect"), image, prot, QStringLiteral("--public"), pub}).exitCode,
                 0);
        QFile::setPermissions(priv,
                              QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther);
        const CliRun exposed =
            runCli({QStringLiteral("recover"), prot, dir.filePath(QStringLiteral("r.png")),
                    QStringLiteral("--private"), priv, QStringLiteral("--passphrase-file"), pass});
        QCOMPARE(exposed.exitCode, 2);
        QVERIFY(exposed.err.contains("chmod 600"));
        QFile::setPermissions(priv, QFile::ReadOwner | QFile::WriteOwner);
        const QString rec = dir.filePath(QStringLiteral("r.png"));
        QCOMPARE(runCli({QStringLiteral("recover"), prot, rec, QStringLiteral("--private"), priv,
                         QStringLiteral("--passphrase-file"), pass})
                     .exitCode,
                 0);
        // Patient pixels are owner-only.
        QCOMPARE(int(QFile::permissions(rec) & (QFile::ReadGroup | QFile::ReadOther)), 0);
        QCOMPARE(int(QFile::permissions(prot) & (QFile::ReadGroup | QFile::ReadOther)), 0);
    }

    // Issue #16 finding 7: a PNG that declares 16384² pixels in a few hundred bytes is refused from its
    // header (exit 2, at once, without gigabytes); --max-pixels raises the limit for genuine large files.
    void decompressionBombsAreRefusedFromTheHeader()
    {
        QTemporaryDir dir;
        const QString bomb = writeFile(dir, QStringLiteral("bomb.png"), bombPng(16384, 16384));
        QVERIFY(QFileInfo(bomb).size() < 2000);
        QElapsedTimer timer;
        timer.start();
        const CliRun run = runCli({QStringLiteral("metrics"), bomb, bomb});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains("--max-pixels"));
        QVERIFY2(timer.elapsed() < 20000, qPrintable(QString::number(timer.elapsed())));
        const CliRun inspect = runCli({QStringLiteral("inspect"), bomb});
        QCOMPARE(inspect.exitCode, 2);
        // A normal image under a lowered limit: refused; under the default: fine.
        const QString image = corpusDir() + QStringLiteral("/mri_colin_axial_z160_512.png");
        QCOMPARE(runCli({QStringLiteral("metrics"), image, image, QStringLiteral("--max-pixels"),
                         QStringLiteral("1000")})
                     .exitCode,
                 2);
        QCOMPARE(runCli({QStringLiteral("metrics"), image, image}).exitCode, 0);
        QCOMPARE(runCli({QStringLiteral("metrics"), image, image, QStringLiteral("--max-pixels"),
                         QStringLiteral("x")})
                     .exitCode,
                 1);
    }

    // Issue #13 point 5: psnr_range (peak = data range of A) beside psnr; 16-bit data no longer flattered.
    void metricsReportsTheDataRangePsnr()
    {
        const QString a = corpusDir() + QStringLiteral("/ct_small_native_16.png");
        QTemporaryDir dir;
        const Image original = loadCorpus(a);
        Image shifted = original.clone();
        for (int y = 0; y < shifted.height(); ++y)
            for (int x = 0; x < shifted.width(); x += 7)
                shifted.set(x, y, std::min(65535, shifted.at(x, y) + 40));
        const QString b = dir.filePath(QStringLiteral("b.png"));
        QVERIFY(writePng(b.toStdString(), shifted).ok());
        const CliRun run = runCli({QStringLiteral("metrics"), a, b, QStringLiteral("--json")});
        QCOMPARE(run.exitCode, 0);
        const double full = run.json().value(QStringLiteral("psnr")).toDouble();
        const double range = run.json().value(QStringLiteral("psnr_range")).toDouble();
        double low = 0, high = 0;
        cv::minMaxLoc(original.mat(), &low, &high);
        QVERIFY(range < full);
        QVERIFY(std::abs((full - range) - 20 * std::log10(65535.0 / (high - low))) < 1e-6);
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
        // The figures for these two slices from scikit-image (PSNR, SSIM) and numpy (the others, from their
        // definitions), computed by tests/cli/metrics_vs_skimage.py, which checks the same pair.
        const std::pair<const char*, double> reference[] = {
            {"psnr", 18.852140851246567},   {"ssim", 0.7159443027820208},  {"psnr_range", 12.377044648896465},
            {"npcr", 56.84814453125},       {"uaci", 5.64791810278799},    {"entropy", 4.273819709416286},
            {"corr_h", 0.9935688254919869}, {"corr_v", 0.995225807167214}, {"corr_d", 0.9902721379100153}};
        for (const auto& [key, expected] : reference)
            QVERIFY2(std::abs(json.value(QLatin1String(key)).toDouble() - expected) < 1e-4,
                     qPrintable(QStringLiteral("%1 = %2, expected %3")
                                    .arg(QLatin1String(key))
                                    .arg(json.value(QLatin1String(key)).toDouble(), 0, 'g', 17)
                                    .arg(expected, 0, 'g', 17)));
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
