// SPDX-License-Identifier: GPL-3.0-or-later
// The workflow layer the CLI and the GUI share (issue #12), on real images: key pairs, the cipher and
// encoded-image stages as files, a file's workflow, and one network for every caller.
#include "crypto/KeyFile.h"
#include "crypto/RsaKey.h"
#include "emr/HiNet.h"
#include "io/AtomicFile.h"
#include "io/ImageIo.h"
#include "metrics/ImageMetrics.h"
#include "workflow/CipherFiles.h"
#include "workflow/EmrCodecFiles.h"
#include "workflow/FileWorkflows.h"
#include "workflow/KeyPairFiles.h"
#include "workflow/TrustedSenders.h"

#include <QtTest>

#include <filesystem>
#include <sys/stat.h>
#include <thread>

using namespace medveil;
namespace fs = std::filesystem;

namespace {

const std::string kMri = MEDVEIL_TEST_DATA "/corpus/mri_natbrainlab_axial_z80_512.png";

Bytes fileBytes(const fs::path& path)
{
    auto bytes = readFileBytes(path);
    if (!bytes)
        qFatal("cannot read %s", path.c_str());
    return *bytes;
}

} // namespace

class TestWorkflow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_dir = fs::temp_directory_path() /
                ("medveil-test-workflow-" + std::to_string(QCoreApplication::applicationPid()));
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
    }
    void cleanup() { fs::remove_all(m_dir); }

    void keyPairsAreNeverReplacedAndComeInPairs()
    {
        workflow::KeyPairRequest request;
        request.privatePath = m_dir / "a.private.pem";
        request.publicPath = m_dir / "a.public.pem";
        request.bits = 2048;
        request.passphrase = "correct horse battery staple";
        auto created = workflow::createKeyPair(request);
        QVERIFY2(created.ok(), created.ok() ? "" : created.error().message.c_str());
        QCOMPARE(created->bits, 2048);
        QCOMPARE((fs::status(request.privatePath).permissions() & fs::perms::all),
                 fs::perms::owner_read | fs::perms::owner_write);
        // The public file's fingerprint is the one reported; the private file opens only with the passphrase.
        QCOMPARE(*loadKeyFile(request.publicPath, KeyRole::Public)->fingerprint(), created->fingerprint);
        QCOMPARE(loadKeyFile(request.privatePath, KeyRole::Private, std::string("wrong")).error().kind,
                 ErrorKind::Auth);
        QCOMPARE(*loadKeyFile(request.privatePath, KeyRole::Private, request.passphrase)->fingerprint(),
                 created->fingerprint);

        // A second run over the same names: refused, both files unchanged.
        const Bytes privateBefore = fileBytes(request.privatePath),
                    publicBefore = fileBytes(request.publicPath);
        auto again = workflow::createKeyPair(request);
        QVERIFY(!again.ok());
        QCOMPARE(again.error().kind, ErrorKind::BadInput);
        QCOMPARE(fileBytes(request.privatePath), privateBefore);
        QCOMPARE(fileBytes(request.publicPath), publicBefore);

        // The same file twice, a size below 2048: usage errors, nothing written.
        workflow::KeyPairRequest same = request;
        same.privatePath = same.publicPath = m_dir / "b.pem";
        QCOMPARE(workflow::createKeyPair(same).error().kind, ErrorKind::Usage);
        workflow::KeyPairRequest small = request;
        small.privatePath = m_dir / "c.private.pem";
        small.publicPath = m_dir / "c.public.pem";
        small.bits = 1024;
        QCOMPARE(workflow::createKeyPair(small).error().kind, ErrorKind::Usage);
        QVERIFY(!fs::exists(small.privatePath) && !fs::exists(same.publicPath));

        // The public half cannot be written (no such folder): the private half is not left behind.
        workflow::KeyPairRequest half = request;
        half.privatePath = m_dir / "d.private.pem";
        half.publicPath = m_dir / "missing" / "d.public.pem";
        QVERIFY(!workflow::createKeyPair(half).ok());
        QVERIFY(!fs::exists(half.privatePath));
    }

    void cipherFilesRoundTripAndRefuseEveryChange()
    {
        const RsaKey key = *RsaKey::generate(2048);
        const fs::path sealed = m_dir / "cipher.png", plain = m_dir / "plain.png";
        auto encrypted = workflow::encryptImageFile(kMri, sealed, key);
        QVERIFY2(encrypted.ok(), encrypted.ok() ? "" : encrypted.error().message.c_str());
        QVERIFY(!encrypted->cipher.identicalTo(encrypted->plain));
        auto decrypted = workflow::decryptImageFile(sealed, plain, key);
        QVERIFY2(decrypted.ok(), decrypted.ok() ? "" : decrypted.error().message.c_str());
        QVERIFY(readImage(plain)->identicalTo(*readImage(kMri)));

        // One cipher pixel changed (the metadata kept): Auth, and no output.
        LoadedImage file = *readImageFile(sealed);
        file.image.set(100, 200, file.image.at(100, 200) ^ 1);
        const fs::path tampered = m_dir / "tampered.png";
        QVERIFY(writePng(tampered, file.image, file.metadata).ok());
        const fs::path refused = m_dir / "refused.png";
        QCOMPARE(workflow::decryptImageFile(tampered, refused, key).error().kind, ErrorKind::Auth);
        QVERIFY(!fs::exists(refused));
        // Another key: Auth.
        QCOMPARE(workflow::decryptImageFile(sealed, refused, *RsaKey::generate(2048)).error().kind,
                 ErrorKind::Auth);
        QVERIFY(!fs::exists(refused));
        // The output may not replace the input.
        QVERIFY(!workflow::decryptImageFile(sealed, sealed, key).ok());
        QVERIFY(readImageFile(sealed).ok());
    }

    void encodedEmrFilesRoundTripByteExactly()
    {
        const std::string record =
            "Admission note: 头痛三天 (headache for three days). BP 130/85.\r\nPlan: MRI.";
        const fs::path emr = m_dir / "record.txt", encoded = m_dir / "encoded.png", back = m_dir / "back.txt";
        QVERIFY(writeFileAtomically(emr, toBytes(record), {}).ok());
        for (const int base : {2, 4, 16}) {
            fs::remove(encoded);
            fs::remove(back);
            auto written = workflow::encodeEmrFile(emr, encoded, 96, 64, base);
            QVERIFY2(written.ok(), written.ok() ? "" : written.error().message.c_str());
            QCOMPARE(written->emrBytes, record.size());
            QCOMPARE(readImage(encoded)->width(), 96);
            auto text = workflow::decodeEmrFile(encoded, back);
            QVERIFY(text.ok());
            QCOMPARE(*text, record);
            QCOMPARE(fileBytes(back), toBytes(record));
        }
        // Invalid UTF-8 and a record too long for the image: refused, nothing written.
        const fs::path bad = m_dir / "bad.txt", none = m_dir / "none.png";
        QVERIFY(writeFileAtomically(bad, Bytes{'o', 'k', 0xC3, 0x28}, {}).ok());
        QCOMPARE(workflow::encodeEmrFile(bad, none, 96, 64, 4).error().kind, ErrorKind::BadInput);
        QCOMPARE(workflow::encodeEmrFile(emr, none, 8, 8, 2).error().kind, ErrorKind::Capacity);
        QVERIFY(!fs::exists(none));
    }

    void classifyNamesTheWorkflowOfAFile()
    {
        const RsaKey key = *RsaKey::generate(2048);
        QCOMPARE(workflow::classify(*readImageFile(kMri)), workflow::FileKind::Plain);
        const fs::path protectedPath = m_dir / "protected.png";
        QVERIFY(workflow::protectFile(kMri, protectedPath, key, {}).ok());
        QCOMPARE(workflow::classify(*readImageFile(protectedPath)), workflow::FileKind::KeyRegionProtected);

        auto network = HiNetModel::shared();
        QVERIFY2(network.ok(), network.ok() ? "" : network.error().message.c_str());
        const fs::path sealedPath = m_dir / "sealed.png";
        auto sealed = workflow::sealEmrLoaded(*readImageFile(kMri), "Follow-up in 6 weeks.", key, **network,
                                              sealedPath, {kMri});
        QVERIFY2(sealed.ok(), sealed.ok() ? "" : sealed.error().message.c_str());
        QCOMPARE(workflow::classify(*readImageFile(sealedPath)), workflow::FileKind::SealedEmr);
        // An encrypted teaching image is another MedVeil format: never offered for protection again, and
        // never taken for a sealed record.
        const fs::path cipherPath = m_dir / "cipher.png";
        QVERIFY(workflow::encryptImageFile(kMri, cipherPath, key).ok());
        QCOMPARE(workflow::classify(*readImageFile(cipherPath)), workflow::FileKind::SealedCipher);
    }

    // Issue #25.10: the trusted-sender file (workflow/TrustedSenders.h) that the GUI and the CLI share.
    void trustedSenderListRoundTripsAndRefusesDamage()
    {
        const RsaKey alice = *RsaKey::generate(2048), bob = *RsaKey::generate(2048);
        workflow::TrustedSenderList list;
        QVERIFY(list.add("Alice, Radiology", alice).ok());
        QVERIFY(list.addFingerprint("Bob", *bob.fingerprint()).ok());
        QVERIFY(list.add("Alice Wang, Radiology", alice).ok()); // renames, no second entry
        QCOMPARE(list.senders().size(), size_t(2));
        QVERIFY(!list.addFingerprint("two\nlines", *bob.fingerprint()).ok());
        QVERIFY(!list.addFingerprint("   ", *bob.fingerprint()).ok());

        const fs::path path = m_dir / "config" / "MedVeil" / "trusted-senders";
        QVERIFY(list.save(path).ok());
        struct stat info
        {};
        QCOMPARE(::stat(path.c_str(), &info), 0);
        QCOMPARE(info.st_mode & 0777, 0600u);
        QCOMPARE(::stat(path.parent_path().c_str(), &info), 0);
        QCOMPARE(info.st_mode & 0777, 0700u);
        auto read = workflow::TrustedSenderList::load(path);
        QVERIFY(read.ok());
        QCOMPARE(read->serialize(), list.serialize());
        QCOMPARE(read->find(*alice.fingerprint())->name, std::string("Alice Wang, Radiology"));
        QCOMPARE(read->find(*alice.fingerprint())->publicKeyPem, *alice.publicPem());
        QVERIFY(read->find(*bob.fingerprint())->publicKeyPem.empty());
        QVERIFY(workflow::TrustedSenderList::load(m_dir / "absent").ok()); // no file: nobody trusted
        QVERIFY(workflow::TrustedSenderList::load(m_dir / "absent")->senders().empty());

        // A key under someone else's fingerprint, a short fingerprint, a stray line: BadInput naming the
        // line.
        const std::string bobHex = hexEncode(*bob.fingerprint());
        for (const auto& [text, line] : std::vector<std::pair<std::string, std::string>>{
                 {"sender " + bobHex + " Bob\n" + *alice.publicPem(), "line 2"},
                 {"# ok\nsender 12ab Bob\n", "line 2"},
                 {"sender " + bobHex + " Bob\nhello\n", "line 2"},
                 {"sender " + bobHex + " Bob\nsender " + bobHex + " Bob again\n", "line 2"},
                 {"sender " + bobHex + "\n", "line 1"}}) {
            auto parsed = workflow::TrustedSenderList::parse(text);
            QVERIFY2(!parsed && parsed.error().kind == ErrorKind::BadInput, text.c_str());
            QVERIFY2(parsed.error().message.find(line) != std::string::npos, parsed.error().message.c_str());
        }

        // XDG Base Directory: an absolute XDG_CONFIG_HOME, else ~/.config.
        const QByteArray xdg = qgetenv("XDG_CONFIG_HOME"), home = qgetenv("HOME");
        qputenv("XDG_CONFIG_HOME", "/srv/conf");
        QCOMPARE(workflow::TrustedSenderList::defaultPath()->string(),
                 std::string("/srv/conf/MedVeil/trusted-senders"));
        qputenv("XDG_CONFIG_HOME", "relative/conf");
        qputenv("HOME", "/home/someone");
        QCOMPARE(workflow::TrustedSenderList::defaultPath()->string(),
                 std::string("/home/someone/.config/MedVeil/trusted-senders"));
        qputenv("HOME", home);
        if (xdg.isEmpty())
            qunsetenv("XDG_CONFIG_HOME");
        else
            qputenv("XDG_CONFIG_HOME", xdg);
    }

    // Issue #25 point 5: what the Protect tab previews is what is saved. For each key size the Key Manager
    // offers, workflow::preview gives the region, QR code, payload, capacity and threshold of the file
    // protectLoaded() writes with a key of that size, and its PSNR/SSIM up to the random key material.
    void previewIsWhatIsSavedForEveryKeySize()
    {
        const std::string mri = MEDVEIL_TEST_DATA "/corpus/mri_colin_axial_z160_512.png";
        const LoadedImage source = *readImageFile(mri);
        std::map<int, int> versions;
        ProtectOptions options;
        options.measureCapacity = true; // what the Protect tab asks for (it shows the capacity)
        for (const int bits : {2048, 3072, 4096}) {
            const RsaKey key = *RsaKey::generate(bits);
            auto preview = workflow::preview(source, options, key);
            QVERIFY2(preview.ok(), preview.ok() ? "" : preview.error().message.c_str());
            QCOMPARE(preview->keyBits, bits);
            QVERIFY(!preview->keyAssumed);
            const fs::path out = m_dir / ("protected-" + std::to_string(bits) + ".png");
            auto saved = workflow::protectLoaded(source, mri, out, key, options);
            QVERIFY2(saved.ok(), saved.ok() ? "" : saved.error().message.c_str());
            const ProtectReport& p = preview->protection.report;
            const ProtectReport& s = *saved;
            qInfo(
                "%d-bit key: preview region %s QR v%d %d px, %zu/%zu bits, T %g, PSNR %.4f SSIM %.5f; saved "
                "region %s QR v%d %d px, %zu/%zu bits, T %g, PSNR %.4f SSIM %.5f",
                bits, p.region.toString().c_str(), p.qrVersion, p.qrModuleSize, p.payloadBits, p.capacityBits,
                p.threshold, p.psnr, p.ssim, s.region.toString().c_str(), s.qrVersion, s.qrModuleSize,
                s.payloadBits, s.capacityBits, s.threshold, s.psnr, s.ssim);
            QCOMPARE(p.region, s.region);
            QCOMPARE(p.qrVersion, s.qrVersion);
            QCOMPARE(p.qrEccLevel, s.qrEccLevel);
            QCOMPARE(p.qrModuleSize, s.qrModuleSize);
            QVERIFY(p.qrModuleSize >= 2); // the README's promise
            QCOMPARE(p.payloadBits, s.payloadBits);
            QCOMPARE(p.capacityBits, s.capacityBits);
            QCOMPARE(p.threshold, s.threshold);
            QCOMPARE(p.psnrPeak, s.psnrPeak);
            // The QR modules and the encrypted payload bits differ between any two protections: measured over
            // 27 preview/save pairs (9 runs × 3 key sizes), ≤ 0.079 dB and ≤ 0.0038 SSIM (3e-3 failed 2 of
            // 27). A wrong key size is caught above by the QR version and region, compared exactly, and moves
            // the PSNR by 0.24–0.9 dB.
            QVERIFY2(std::abs(p.psnr - s.psnr) < 0.2, qPrintable(QString::number(p.psnr - s.psnr)));
            QVERIFY2(std::abs(p.ssim - s.ssim) < 1e-2, qPrintable(QString::number(p.ssim - s.ssim)));
            // The saved report is the written file's: its pixels give the same figures and QR version.
            const LoadedImage written = *readImageFile(out);
            QCOMPARE(fidelity(source.image, written.image)->psnr, s.psnr);
            QCOMPARE(workflow::inspectLoaded(written).report->qrVersion, s.qrVersion);
            versions[bits] = p.qrVersion;
        }
        // The key size matters: a preview made with a 2048-bit key would show another QR code.
        QVERIFY(versions[2048] < versions[3072] && versions[3072] < versions[4096]);
        // No recipient chosen: a 2048-bit key is assumed, and the preview says so.
        auto assumed = workflow::preview(source, {}, std::nullopt);
        QVERIFY(assumed.ok());
        QVERIFY(assumed->keyAssumed);
        QCOMPARE(assumed->keyBits, 2048);
        QVERIFY(assumed->note.find("2048-bit") != std::string::npos);
        QCOMPARE(assumed->protection.report.qrVersion, versions[2048]);
    }

    // Issue #25 point 5: Protect and Save writes the previewed protection itself — the same pixels and
    // record, so every figure shown is the file's — and protects anew when anything the preview was made
    // from differs (the options, the recipient key, PNG instead of DICOM).
    void savedPreviewIsThePreview()
    {
        const std::string mri = MEDVEIL_TEST_DATA "/corpus/mri_colin_axial_z160_512.png";
        const LoadedImage source = *readImageFile(mri);
        const RsaKey key = *RsaKey::generate(3072);
        const RsaKey publicKey = *RsaKey::fromPem(*key.publicPem());
        ProtectOptions options;
        options.info = {{"hospital", "Union Hospital"}};
        const auto previewed = workflow::preview(source, options, publicKey);
        QVERIFY(previewed.ok());
        const fs::path out = m_dir / "saved.png";
        auto saved = workflow::savePreview(&*previewed, source, mri, out, publicKey, options);
        QVERIFY2(saved.ok(), saved.ok() ? "" : saved.error().message.c_str());
        QVERIFY(saved->previewWritten);
        QCOMPARE(saved->keyBits, 3072);
        const LoadedImage written = *readImageFile(out);
        QVERIFY(written.image.identicalTo(previewed->protection.image));
        const auto figures = fidelity(source.image, written.image);
        QCOMPARE(figures->psnr, previewed->protection.report.psnr);
        QCOMPARE(figures->ssim, previewed->protection.report.ssim);
        QCOMPARE(saved->report.psnr, previewed->protection.report.psnr);
        auto recovered = workflow::recoverLoaded(written, key);
        QVERIFY2(recovered.ok(), recovered.ok() ? "" : recovered.error().message.c_str());
        QVERIFY(recovered->recovered.identical);

        // Anything changed: protected anew, and the report is the file's.
        ProtectOptions other = options;
        other.info.emplace_back("patient", "P-7");
        const fs::path changed = m_dir / "changed.png";
        saved = workflow::savePreview(&*previewed, source, mri, changed, publicKey, other);
        QVERIFY(saved.ok() && !saved->previewWritten);
        QCOMPARE(fidelity(source.image, readImageFile(changed)->image)->psnr, saved->report.psnr);
        const RsaKey otherKey = *RsaKey::generate(3072);
        saved = workflow::savePreview(&*previewed, source, mri, m_dir / "other-key.png", otherKey, options);
        QVERIFY(saved.ok() && !saved->previewWritten);
        // A preview for an assumed key is never written.
        const auto assumed = workflow::preview(source, options, std::nullopt);
        saved = workflow::savePreview(&*assumed, source, mri, m_dir / "assumed.png", publicKey, options);
        QVERIFY(saved.ok() && !saved->previewWritten);
        QVERIFY(workflow::recoverLoaded(*readImageFile(m_dir / "assumed.png"), key).ok());

        // DICOM: a preview for a .dcm output binds the header and is written as it is; saved as PNG, the
        // same source is protected anew without the header, and both recover.
        const std::string ct = "/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm";
        const LoadedImage dicom = *readImageFile(ct);
        const RsaKey ctKey = *RsaKey::generate(2048); // a 128×128 CT holds the QR code of a 2048-bit key
        const RsaKey ctPublic = *RsaKey::fromPem(*ctKey.publicPem());
        const auto dicomPreview = workflow::preview(dicom, {}, ctPublic, {}, true);
        QVERIFY2(dicomPreview.ok(), dicomPreview.ok() ? "" : dicomPreview.error().message.c_str());
        QVERIFY(dicomPreview->headerBound);
        saved = workflow::savePreview(&*dicomPreview, dicom, ct, m_dir / "ct.dcm", ctPublic, {});
        QVERIFY2(saved.ok(), saved.ok() ? "" : saved.error().message.c_str());
        QVERIFY(saved->previewWritten);
        const LoadedImage ctWritten = *readImageFile(m_dir / "ct.dcm");
        QVERIFY(ctWritten.image.identicalTo(dicomPreview->protection.image));
        auto ctRecovered = workflow::recoverLoaded(ctWritten, ctKey);
        QVERIFY2(ctRecovered.ok(), ctRecovered.ok() ? "" : ctRecovered.error().message.c_str());
        QVERIFY(ctRecovered->recovered.identical && ctRecovered->recovered.headerVerified);
        saved = workflow::savePreview(&*dicomPreview, dicom, ct, m_dir / "ct.png", ctPublic, {});
        QVERIFY(saved.ok() && !saved->previewWritten);
        QVERIFY(workflow::recoverLoaded(*readImageFile(m_dir / "ct.png"), ctKey).ok());
    }

    void oneNetworkServesEveryCaller()
    {
        // Two threads ask at once (the EMR tab and the teaching walkthrough): one load, one model.
        Result<std::shared_ptr<HiNetModel>> a = makeError(ErrorKind::Internal, "unset"), b = a;
        std::thread first([&] { a = HiNetModel::shared(); });
        std::thread second([&] { b = HiNetModel::shared(); });
        first.join();
        second.join();
        QVERIFY(a.ok() && b.ok());
        QCOMPARE(a->get(), b->get());
        QCOMPARE(HiNetModel::shared()->get(), a->get());
        // A direct load() is a model of its own (the CLI's --model of another file takes that path).
        QVERIFY(HiNetModel::load()->get() != a->get());
        // Weights that do not exist: an error, and not remembered as a model.
        QVERIFY(!HiNetModel::shared(m_dir / "missing.pt").ok());
        QVERIFY(!HiNetModel::shared(m_dir / "missing.pt").ok());
    }

private:
    fs::path m_dir;
};

QTEST_GUILESS_MAIN(TestWorkflow)
#include "test_workflow.moc"
