// SPDX-License-Identifier: GPL-3.0-or-later
// The teaching view's stage data on a real MRI slice: each stage shows what the paper describes.
#include "emr/EmrImageCodec.h"
#include "emr/HiNet.h"
#include "io/ImageIo.h"
#include "metrics/ImageMetrics.h"
#include "teaching/PipelineWalkthrough.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <numeric>

using namespace medveil;

namespace {
double variance(const std::vector<int>& v)
{
    const double mean = std::accumulate(v.begin(), v.end(), 0.0) / double(v.size());
    double sum = 0;
    for (int e : v)
        sum += (e - mean) * (e - mean);
    return sum / double(v.size());
}

/// 10·log10(peak² / MSE), written out here so the check does not rest on the engine's psnr().
double psnrByDefinition(const Image& a, const Image& b, double peak)
{
    double sum = 0;
    for (int y = 0; y < a.height(); ++y)
        for (int x = 0; x < a.width(); ++x)
            sum += double(a.at(x, y) - b.at(x, y)) * double(a.at(x, y) - b.at(x, y));
    return 10 * std::log10(peak * peak / (sum / double(a.width() * a.height())));
}
} // namespace

class TestTeaching : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void keyRegionStagesOnRealMri()
    {
        const Image mri = *readImage(MEDVEIL_TEST_DATA "/corpus/mri_colin_axial_z160_512.png");
        auto s = teaching::walkKeyRegion(mri, 25);
        QVERIFY2(s.ok(), s.ok() ? "" : s.error().message.c_str());
        QCOMPARE(s->region, s->candidates.front());
        QCOMPARE(size_t(s->blocksX * s->blocksY), s->textureBlocks.size());
        const auto texture = std::count(s->textureBlocks.begin(), s->textureBlocks.end(), 1);
        QVERIFY(texture > 10 && texture < long(s->textureBlocks.size()));
        // The QR is black and white only, and it replaced the region.
        QCOMPARE(s->qr.width(), s->region.width);
        for (int y = 0; y < s->qr.height(); y += 3)
            for (int x = 0; x < s->qr.width(); x += 3)
                QVERIFY(s->qr.at(x, y) == 0 || s->qr.at(x, y) == 255);
        // Expansion widens the prediction-error histogram (e' = 2e + b, the rest shifted).
        QCOMPARE(s->errorsBefore.size(), s->errorsAfter.size());
        QVERIFY(variance(s->errorsAfter) > variance(s->errorsBefore) * 1.2);
        QVERIFY(!s->marked.identicalTo(s->withQr));
        // Arnold frames: k = 0 is the marked image, every later frame moves pixels, only inside blocks.
        QVERIFY(s->arnoldIterations.size() >= 2);
        QVERIFY(s->arnoldIterations.front().identicalTo(s->marked));
        QVERIFY(!s->arnoldIterations.back().identicalTo(s->marked));
        // Each frame permutes pixels within the texture blocks only: elsewhere it is the marked image, and
        // every block holds the marked block's values in some order. The last frame moves most of them.
        for (size_t k = 0; k < s->arnoldIterations.size(); ++k) {
            const Image& frame = s->arnoldIterations[k];
            long moved = 0, inTexture = 0;
            for (int by = 0; by < s->blocksY; ++by) {
                for (int bx = 0; bx < s->blocksX; ++bx) {
                    const bool isTexture = s->textureBlocks[size_t(by * s->blocksX + bx)] != 0;
                    std::vector<int> before, after;
                    for (int y = by * 8; y < by * 8 + 8; ++y) {
                        for (int x = bx * 8; x < bx * 8 + 8; ++x) {
                            before.push_back(s->marked.at(x, y));
                            after.push_back(frame.at(x, y));
                            moved += frame.at(x, y) != s->marked.at(x, y);
                        }
                    }
                    const QString where = QStringLiteral("frame %1, block (%2, %3)").arg(k).arg(bx).arg(by);
                    QVERIFY2(isTexture || before == after,
                             qPrintable(where + QStringLiteral(" outside the texture")));
                    inTexture += isTexture ? 64 : 0;
                    std::sort(before.begin(), before.end());
                    std::sort(after.begin(), after.end());
                    QVERIFY2(before == after, qPrintable(where + QStringLiteral(" is not a permutation")));
                }
            }
            if (k + 1 == s->arnoldIterations.size())
                QVERIFY2(moved > inTexture / 2,
                         qPrintable(QStringLiteral("%1 of %2").arg(moved).arg(inTexture)));
        }
        // psnr() on the scrambled frame against the marked image, from the definition (peak 255).
        QCOMPARE(s->marked.bitDepth(), 8);
        QVERIFY2(std::abs(*psnr(s->marked, s->arnoldIterations.back()) -
                          psnrByDefinition(s->marked, s->arnoldIterations.back(), 255)) < 1e-9,
                 qPrintable(QString::number(*psnr(s->marked, s->arnoldIterations.back()))));
        // The unauthorised view is noise, as in the paper's Table 2 (< 10 dB, SSIM < 0.1); the figure the
        // dialog quotes is the PSNR of that view against the original key region.
        const Image originalRegion =
            *Image::fromMat(mri.mat()(cv::Rect(s->region.x, s->region.y, s->region.width, s->region.height)));
        QVERIFY2(std::abs(s->unauthorisedPsnr -
                          psnrByDefinition(originalRegion, s->unauthorisedRegion, 255)) < 1e-9,
                 qPrintable(QString::number(s->unauthorisedPsnr)));
        QVERIFY(s->unauthorisedPsnr < 10);
        QVERIFY(s->unauthorisedSsim < 0.1);
    }

    void keyRegionStagesReportCapacity()
    {
        // A flat image has no texture blocks at T = 50: a capacity error, not a crash.
        cv::Mat flat(256, 256, CV_8U, cv::Scalar(0));
        cv::randu(flat(cv::Rect(64, 64, 96, 96)), 0, 255);
        auto s = teaching::walkKeyRegion(*Image::fromMat(flat), 50);
        QVERIFY(!s.ok());
        QVERIFY(s.error().kind == ErrorKind::Capacity || s.error().kind == ErrorKind::BadInput);
    }

    void emrStagesWithAndWithoutNetwork()
    {
        const Image mri = *readImage(MEDVEIL_TEST_DATA "/corpus/mri_natbrainlab_axial_z80_512.png");
        const std::string note = "Admission note: 头痛三天 (headache for three days). BP 130/85.";
        auto plain = teaching::walkEmr(mri, note, nullptr);
        QVERIFY(plain.ok());
        QVERIFY(!plain->hasStego);
        QCOMPARE(plain->digits.size(), size_t(mri.width()) * mri.height());
        QVERIFY(
            std::all_of(plain->digits.begin(), plain->digits.end(), [](int d) { return d >= 0 && d < 4; }));
        QCOMPARE(*EmrImageCodec::decode(plain->encoded), note);
        QCOMPARE(plain->cipherBitPlanes.size(), size_t(8));
        // Cipher bit planes are balanced noise; correlations vanish.
        for (const Image& plane : plain->cipherBitPlanes) {
            const double ones = cv::countNonZero(plane.mat()) / double(plane.width() * plane.height());
            QVERIFY(std::abs(ones - 0.5) < 0.01);
        }
        for (double r : plain->cipherCorrelation)
            QVERIFY(std::abs(r) < 0.02);

        auto network = HiNetModel::load();
        QVERIFY2(network.ok(), network.ok() ? "" : network.error().message.c_str());
        auto hidden = teaching::walkEmr(mri, note, network->get());
        QVERIFY(hidden.ok());
        QVERIFY(hidden->hasStego);
        // The shipped conditioned network starts from the linear path (stego = cover + 0.24·(secret − ½),
        // ≈ 18–20 dB on MRI): the stego is a visibly perturbed cover, never the medical image itself.
        QVERIFY(*psnr(hidden->encoded, hidden->stego) > 15);
        QVERIFY(!hidden->stego.identicalTo(hidden->encoded));
        QCOMPARE(hidden->plainBitPlanes.size(), size_t(8));
        // The correlation lesson (issue #17.6: the "plain" panel was the digits, r ≈ 0, under a caption about
        // strongly correlated neighbours): the medical image's neighbours are, the stego's digits barely,
        // the cipher's not at all.
        for (int i = 0; i < 3; ++i) {
            qInfo("direction %d: medical r = %.3f, stego r = %.3f, cipher r = %.4f", i,
                  hidden->medicalCorrelation[i], hidden->plainCorrelation[i], hidden->cipherCorrelation[i]);
            QVERIFY(hidden->medicalCorrelation[i] > 0.8);
            QVERIFY(std::abs(hidden->plainCorrelation[i]) < 0.3);
            QVERIFY(std::abs(hidden->cipherCorrelation[i]) < 0.02);
        }
        QCOMPARE(hidden->medicalPairs.size(), size_t(3000));
    }
};

QTEST_GUILESS_MAIN(TestTeaching)
#include "test_teaching.moc"
