// SPDX-License-Identifier: GPL-3.0-or-later
// Golden outputs: a fixed input protected with a fixed key and fixed random material must give the committed
// protected pixels, metadata and figures bit for bit, the threshold sweep the committed PSNR/SSIM, and files
// protected by the previous release must still recover. A speed-up that changes any output fails here; an
// intended change rewrites tests/data/golden/golden.txt (MEDVEIL_WRITE_GOLDEN=PATH) and says why in
// tests/data/golden/README.md.
#include "TestImages.h"
#include "core/Bytes.h"
#include "crypto/Digest.h"
#include "io/AtomicFile.h"
#include "io/ImageIo.h"
#include "keyregion/KeyRegionProtector.h"
#include "workflow/FileWorkflows.h"

#include <QtTest>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

using namespace medveil;
using namespace medveil::test;

namespace {

const std::string kGoldenDir = MEDVEIL_TEST_DATA "/golden";

std::string hex(const Bytes& bytes)
{
    return hexEncode(bytes);
}

std::optional<Bytes> hexDecode(const std::string& text)
{
    if (text.empty() || text.size() % 2 != 0)
        return std::nullopt;
    Bytes out;
    for (size_t i = 0; i < text.size(); i += 2) {
        char* end = nullptr;
        const std::string pair = text.substr(i, 2);
        const long value = std::strtol(pair.c_str(), &end, 16);
        if (end != pair.c_str() + 2)
            return std::nullopt;
        out.push_back(static_cast<uint8_t>(value));
    }
    return out;
}

std::string pixelDigest(const Image& image)
{
    return hex(sha256(image.pixelBytes()));
}

/// Every metadata pair, sorted (std::map), one "key=value" line each.
std::string metadataDigest(const std::map<std::string, std::string>& metadata)
{
    std::string text;
    for (const auto& [key, value] : metadata)
        text += key + "=" + value + "\n";
    return hex(sha256(toBytes(text)));
}

std::string number(double value)
{
    char text[64];
    std::snprintf(text, sizeof text, "%.17g", value);
    return text;
}

RsaKey loadKey(const std::string& name)
{
    auto pem = readFileBytes(kGoldenDir + "/" + name);
    if (!pem)
        qFatal("%s", pem.error().message.c_str());
    auto key = RsaKey::fromPem(toString(*pem));
    if (!key)
        qFatal("%s", key.error().message.c_str());
    return *key;
}

/// golden.txt: "name value" lines. With MEDVEIL_WRITE_GOLDEN=PATH the test writes what it computes to PATH
/// instead of comparing (to regenerate after an intended output change).
class Golden
{
public:
    Golden()
    {
        if (const char* out = std::getenv("MEDVEIL_WRITE_GOLDEN"))
            writePath_ = out;
        std::ifstream in(kGoldenDir + "/golden.txt");
        std::string line;
        while (std::getline(in, line)) {
            const size_t space = line.find(' ');
            if (!line.empty() && line[0] != '#' && space != std::string::npos)
                values_[line.substr(0, space)] = line.substr(space + 1);
        }
    }
    ~Golden()
    {
        if (writePath_.empty())
            return;
        std::ofstream out(writePath_);
        out << "# Written by test_golden (MEDVEIL_WRITE_GOLDEN); see README.md before changing.\n";
        for (const auto& [name, value] : written_)
            out << name << " " << value << "\n";
    }
    [[nodiscard]] bool writing() const { return !writePath_.empty(); }
    /// The committed value (for inputs such as the fixed random material), kept when rewriting; `generate`
    /// makes it only when none is committed yet.
    template <typename Generate> std::string input(const std::string& name, Generate&& generate)
    {
        if (!values_.count(name) && writing())
            values_[name] = generate();
        if (values_.count(name))
            written_[name] = values_[name];
        return values_.count(name) ? values_[name] : std::string();
    }
    /// Exact comparison.
    void check(const std::string& name, const std::string& actual)
    {
        written_[name] = actual;
        if (writing())
            return;
        const auto it = values_.find(name);
        QVERIFY2(it != values_.end(), ("no golden value for " + name).c_str());
        QVERIFY2(it->second == actual, (name + ": committed " + it->second + ", now " + actual).c_str());
    }
    /// Floating-point figures: equal to 1e-9 (incremental and full computations may round differently).
    void checkNear(const std::string& name, double actual)
    {
        written_[name] = number(actual);
        if (writing())
            return;
        const auto it = values_.find(name);
        QVERIFY2(it != values_.end(), ("no golden value for " + name).c_str());
        const double committed = std::strtod(it->second.c_str(), nullptr);
        QVERIFY2(std::abs(committed - actual) <= 1e-9,
                 (name + ": committed " + it->second + ", now " + number(actual)).c_str());
    }

private:
    std::string writePath_;
    std::map<std::string, std::string> values_, written_;
};

Golden& golden()
{
    static Golden instance;
    return instance;
}

/// The fixed random material: the master key and nonces are constants; the RSA-OAEP ciphertext of the master
/// key is random by design, so it is made once (when writing) and committed.
KeyRegionProtector::ProtectionEntropy fixedEntropy(const RsaKey& recipient)
{
    KeyRegionProtector::ProtectionEntropy entropy;
    entropy.master = sha256(toBytes("MedVeil golden-output master key"));
    Bytes blob = toBytes("MV");
    blob.push_back(1);
    for (const uint8_t byte : entropy.master)
        blob.push_back(byte);
    auto sealed =
        hexDecode(golden().input("entropy.sealed_key", [&] { return hex(*recipient.encrypt(blob)); }));
    if (!sealed)
        qFatal("golden.txt has no entropy.sealed_key");
    entropy.sealedKey = *sealed;
    const Bytes nonces = sha256(toBytes("MedVeil golden-output nonces"));
    entropy.payloadNonce = Bytes(nonces.begin(), nonces.begin() + 12);
    entropy.recordNonce = Bytes(nonces.begin() + 12, nonces.begin() + 24);
    return entropy;
}

struct Case
{
    const char* name;
    const char* corpusFile;
    ProtectOptions options;
};

std::vector<Case> cases()
{
    ProtectOptions mri;
    mri.measureCapacity = true; // the report line holds the capacity
    mri.info = {{"hospital", "Union Hospital"}, {"type", "MRI"}};
    ProtectOptions ct;
    ct.measureCapacity = true;
    ct.info = {{"hospital", "Union Hospital"}, {"type", "CT"}};
    ProtectOptions camera; // the other scrambling and a second region
    camera.measureCapacity = true;
    camera.info = {{"type", "photo"}};
    camera.scrambling = Scrambling::Permute;
    camera.extraRegions = {Rect{16, 16, 96, 48}};
    return {{"mri8", "mri_colin_axial_z160_512.png", mri},
            {"ct16", "ct_small_512_16.png", ct},
            {"camera8_permute", "camera_512.png", camera}};
}

} // namespace

class TestGolden : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /// Fixed input, key and random material → the committed protected pixels, metadata, report and figures;
    /// the protection recovers to the original.
    void protectIsBitExact_data()
    {
        QTest::addColumn<int>("index");
        const auto all = cases();
        for (size_t i = 0; i < all.size(); ++i)
            QTest::newRow(all[i].name) << int(i);
    }
    void protectIsBitExact()
    {
        QFETCH(int, index);
        const Case c = cases()[size_t(index)];
        const std::string n = c.name;
        const RsaKey publicKey = loadKey("recipient-public.pem");
        const RsaKey privateKey = loadKey("recipient-private.pem");
        const Image original = loadCorpus(corpusDir() + "/" + c.corpusFile);
        golden().check(n + ".original_sha256", pixelDigest(original));

        auto entropy = fixedEntropy(publicKey);
        auto out = KeyRegionProtector::protectWithEntropy(original, publicKey, c.options, entropy);
        QVERIFY2(out.ok(), out.ok() ? "" : out.error().message.c_str());
        const ProtectReport& r = out->report;
        std::ostringstream report;
        report << r.region.toString() << " T=" << r.threshold << " payload=" << r.payloadBits
               << " capacity=" << r.capacityBits << " passes=" << r.passes << " blocks=" << r.textureBlocks
               << " embeddable=" << r.embeddablePixels << " qr=" << r.qrVersion << r.qrEccLevel << "/"
               << r.qrModuleSize;
        golden().check(n + ".report", report.str());
        golden().check(n + ".protected_sha256", pixelDigest(out->image));
        golden().check(n + ".metadata_sha256", metadataDigest(out->metadata));
        golden().checkNear(n + ".psnr", r.psnr);
        golden().checkNear(n + ".psnr_range", r.psnrRange);
        golden().checkNear(n + ".ssim", r.ssim);

        // The same protection a second time: nothing else (threads, caches) changes the output.
        auto again = KeyRegionProtector::protectWithEntropy(original, publicKey, c.options, entropy);
        QVERIFY(again.ok());
        QCOMPARE(pixelDigest(again->image), pixelDigest(out->image));
        QCOMPARE(again->metadata, out->metadata);

        auto back = KeyRegionProtector::recover(out->image, out->metadata, privateKey);
        QVERIFY2(back.ok(), back.ok() ? "" : back.error().message.c_str());
        QVERIFY(back->identical);
        QCOMPARE(pixelDigest(back->image), pixelDigest(original));
        QVERIFY(back->info == c.options.info);
    }

    /// The sweep (deterministic by design): every row's figures as committed.
    void sweepIsStable_data() { protectIsBitExact_data(); }
    void sweepIsStable()
    {
        QFETCH(int, index);
        const Case c = cases()[size_t(index)];
        const Image original = loadCorpus(corpusDir() + "/" + c.corpusFile);
        auto rows = KeyRegionProtector::sweep(original, {5, 10, 15, 20, 25, 30, 35, 40, 45, 50}, std::nullopt,
                                              c.options.info);
        QVERIFY2(rows.ok(), rows.ok() ? "" : rows.error().message.c_str());
        for (const SweepRow& row : *rows) {
            const std::string n = std::string(c.name) + ".sweep" + number(row.threshold);
            golden().check(n + ".bits",
                           std::to_string(row.payloadBits) + "/" + std::to_string(row.capacityBits) +
                               (row.fits ? " fits" : " short") + " passes=" + std::to_string(row.passes));
            golden().checkNear(n + ".psnr", row.psnr);
            golden().checkNear(n + ".ssim", row.ssim);
        }
    }

    /// Files protected by the previous release (medveil-cli protect of commit bca78c3, PNG) and by an older
    /// one (the legacy DICOM file) recover bit-exactly with the current code.
    void previousReleaseFilesRecover_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("originalDigestName");
        QTest::newRow("mri8") << QString::fromStdString(kGoldenDir +
                                                        "/mri_colin_axial_z160_512-protected.png")
                              << QString::fromStdString(kGoldenDir + "/recipient-private.pem")
                              << "mri8.original_sha256";
        QTest::newRow("ct16") << QString::fromStdString(kGoldenDir + "/ct_small_512_16-protected.png")
                              << QString::fromStdString(kGoldenDir + "/recipient-private.pem")
                              << "ct16.original_sha256";
        QTest::newRow("camera8_permute")
            << QString::fromStdString(kGoldenDir + "/camera_512-permute-protected.png")
            << QString::fromStdString(kGoldenDir + "/recipient-private.pem")
            << "camera8_permute.original_sha256";
        QTest::newRow("legacy_dicom")
            << QStringLiteral(MEDVEIL_TEST_DATA "/protected-dicom-legacy/ct_small-protected.dcm")
            << QStringLiteral(MEDVEIL_TEST_DATA "/protected-dicom-legacy/recipient-private.pem")
            << "legacy_dicom.recovered_sha256";
    }
    void previousReleaseFilesRecover()
    {
        QFETCH(QString, file);
        QFETCH(QString, key);
        QFETCH(QString, originalDigestName);
        auto pem = readFileBytes(key.toStdString());
        QVERIFY(pem.ok());
        auto privateKey = RsaKey::fromPem(toString(*pem));
        QVERIFY(privateKey.ok());
        auto loaded = readImageFile(file.toStdString());
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().message.c_str());
        auto recovered = workflow::recoverLoaded(*loaded, *privateKey);
        QVERIFY2(recovered.ok(), recovered.ok() ? "" : recovered.error().message.c_str());
        QVERIFY(recovered->recovered.identical);
        golden().check(originalDigestName.toStdString(), pixelDigest(recovered->recovered.image));
    }

    /// The per-block digests sealed by the previous release still locate a change: one pixel changed outside
    /// the QR code is reported as exactly its 8×8 block.
    void previousReleaseTamperMapStillLocates()
    {
        const RsaKey privateKey = loadKey("recipient-private.pem");
        for (const char* file : {"mri_colin_axial_z160_512-protected.png", "ct_small_512_16-protected.png"}) {
            auto loaded = readImageFile(kGoldenDir + "/" + file);
            QVERIFY(loaded.ok());
            auto intact = KeyRegionProtector::locateTampering(loaded->image, loaded->metadata, privateKey);
            QVERIFY(intact.ok());
            QCOMPARE(intact->changedBlocks, size_t(0));
            Image changed = loaded->image.clone();
            changed.set(43, 461, (changed.at(43, 461) + 1) & changed.maxValue());
            auto report = KeyRegionProtector::locateTampering(changed, loaded->metadata, privateKey);
            QVERIFY(report.ok());
            QVERIFY(!report->metadataChanged);
            QCOMPARE(report->changedBlocks, size_t(1));
            QCOMPARE(report->regions.size(), size_t(1));
            const Rect expected{40, 456, 8, 8};
            QCOMPARE(report->regions.front().toString(), expected.toString());
        }
    }

    /// Since record version 3 the per-block digests are keyed. A forger can compute an unkeyed digest from
    /// the protected pixels alone and change a block so that its 16 bits stay the same (2^16 tries): the
    /// version 2 digests (SHA-256) miss such a change, the keyed ones name the block.
    void tamperMapIsKeyed()
    {
        const RsaKey publicKey = loadKey("recipient-public.pem");
        const RsaKey privateKey = loadKey("recipient-private.pem");
        const Case c = cases().front();
        const Image original = loadCorpus(corpusDir() + "/" + c.corpusFile);
        auto out =
            KeyRegionProtector::protectWithEntropy(original, publicKey, c.options, fixedEntropy(publicKey));
        QVERIFY(out.ok());
        // Block (5, 57) — pixels (40…47, 456…463), outside the QR code — as version 2 digested it: its index
        // as u32 LE, then its pixels as u16 LE.
        const int bx = 5, by = 57, blocksX = out->image.width() / 8;
        std::array<int, 64> block{};
        for (int i = 0; i < 64; ++i)
            block[size_t(i)] = out->image.at(bx * 8 + i % 8, by * 8 + i / 8);
        auto unkeyed = [&](const std::array<int, 64>& pixels) {
            Bytes message;
            appendU32(message, uint32_t(by * blocksX + bx));
            for (const int p : pixels) {
                message.push_back(uint8_t(p));
                message.push_back(uint8_t(p >> 8));
            }
            const Bytes digest = sha256(message);
            return int(digest[0]) << 8 | digest[1];
        };
        const int wanted = unkeyed(block);
        std::optional<std::array<int, 64>> collision;
        for (int v = 1; v < 256 * 256 * 4 && !collision; ++v) { // ≈ 1 in 65,536 keeps the 16 bits
            std::array<int, 64> changed = block;
            changed[9] = (changed[9] + (v & 255)) & 255;
            changed[18] = (changed[18] + ((v >> 8) & 255)) & 255;
            changed[27] = (changed[27] + (v >> 16)) & 255;
            if (changed != block && unkeyed(changed) == wanted)
                collision = changed;
        }
        QVERIFY2(collision, "no change keeps the unkeyed 16-bit digest");
        Image forged = out->image.clone();
        for (int i = 0; i < 64; ++i)
            forged.set(bx * 8 + i % 8, by * 8 + i / 8, (*collision)[size_t(i)]);
        auto report = KeyRegionProtector::locateTampering(forged, out->metadata, privateKey);
        QVERIFY2(report.ok(), report.ok() ? "" : report.error().message.c_str());
        QVERIFY(!report->metadataChanged);
        QCOMPARE(report->changedBlocks, size_t(1));
        QCOMPARE(report->regions.front().toString(), (Rect{40, 456, 8, 8}).toString());
        QCOMPARE(KeyRegionProtector::recover(forged, out->metadata, privateKey).error().kind,
                 ErrorKind::Auth);
    }
};

QTEST_GUILESS_MAIN(TestGolden)
#include "test_golden.moc"
