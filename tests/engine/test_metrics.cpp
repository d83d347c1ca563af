// SPDX-License-Identifier: GPL-3.0-or-later
#include "TestImages.h"
#include "metrics/ImageMetrics.h"

#include <QtTest>

#include <cmath>

using namespace medveil;
using namespace medveil::test;

class TestMetrics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void psnrByHand()
    {
        const Image a = makeImage(2, 2, 8, [](int, int) { return 0; });
        const Image b = makeImage(2, 2, 8, [](int x, int y) { return x == 1 && y == 1 ? 10 : 0; });
        // MSE = 100 / 4 = 25; PSNR = 10 log10(255² / 25).
        QVERIFY(std::abs(*psnr(a, b) - 34.15140352195873) < 1e-9);
        QVERIFY(std::isinf(*psnr(a, a)));
        // 16-bit peak is 65535: same relative error gives the same PSNR.
        const Image a16 = makeImage(2, 2, 16, [](int, int) { return 0; });
        const Image b16 = makeImage(2, 2, 16, [](int x, int y) { return x == 1 && y == 1 ? 2570 : 0; });
        QVERIFY(std::abs(*psnr(a16, b16) - 34.15140352195873) < 1e-9);
    }

    void mismatchedImagesAreBadInput()
    {
        const Image a = noiseImage(8, 8, 8, 1);
        QCOMPARE(psnr(a, noiseImage(8, 9, 8, 1)).error().kind, ErrorKind::BadInput);
        QCOMPARE(psnr(a, noiseImage(8, 8, 16, 1)).error().kind, ErrorKind::BadInput);
        QCOMPARE(ssim(a, a).error().kind, ErrorKind::BadInput); // smaller than the 11×11 window
        QVERIFY(ssimAnySize(a, a).ok());
        QCOMPARE(*ssimAnySize(a, a), 1.0);
    }

    void ssimMatchesScikitImage()
    {
        // Reference: skimage 0.19 structural_similarity(gaussian_weights=True, sigma=1.5,
        // use_sample_covariance=False, data_range=255 or 65535) on these exact arrays.
        const auto base = [](int x, int y) { return (x * 16 + y * 7) % 256; };
        const Image a = makeImage(16, 16, 8, base);
        const Image b = makeImage(
            16, 16, 8, [&](int x, int y) { return std::clamp(base(x, y) + (x * y) % 9 - 4, 0, 255); });
        QVERIFY(std::abs(*ssim(a, b) - 0.9958406994) < 1e-9);
        const Image a16 = makeImage(16, 16, 16, [&](int x, int y) { return base(x, y) * 200; });
        const Image b16 = makeImage(16, 16, 16, [&](int x, int y) {
            return std::clamp(base(x, y) * 200 + ((x * y) % 9 - 4) * 150, 0, 65535);
        });
        QVERIFY(std::abs(*ssim(a16, b16) - 0.9977153402) < 1e-9);
        QCOMPARE(*ssim(a, a), 1.0);
    }

    void npcrAndUaciByHand()
    {
        const Image a = makeImage(4, 1, 8, [](int, int) { return 0; });
        const Image b = makeImage(4, 1, 8, [](int x, int) { return x == 0 ? 255 : (x == 1 ? 51 : 0); });
        QCOMPARE(*npcr(a, b), 50.0);
        // (255 + 51) / (4 · 255) = 30 %.
        QVERIFY(std::abs(*uaci(a, b) - 30.0) < 1e-12);
    }

    void entropyByHand()
    {
        QCOMPARE(entropy(makeImage(16, 16, 8, [](int x, int y) { return y * 16 + x; })), 8.0);
        QCOMPARE(entropy(makeImage(8, 8, 8, [](int x, int) { return x % 2 ? 200 : 3; })), 1.0);
        QCOMPARE(entropy(makeImage(8, 8, 16, [](int, int) { return 4000; })), 0.0);
    }

    void correlationByHand()
    {
        const Image ramp = makeImage(32, 32, 8, [](int x, int y) { return x + y; });
        QVERIFY(std::abs(adjacentCorrelation(ramp, Direction::Horizontal) - 1.0) < 1e-12);
        QVERIFY(std::abs(adjacentCorrelation(ramp, Direction::Diagonal) - 1.0) < 1e-12);
        const Image stripes = makeImage(32, 32, 8, [](int x, int) { return x % 2 ? 255 : 0; });
        QVERIFY(std::abs(adjacentCorrelation(stripes, Direction::Horizontal) + 1.0) < 1e-12);
        QVERIFY(std::abs(adjacentCorrelation(stripes, Direction::Vertical) - 1.0) <
                1e-12); // columns are constant
        const Image noise = noiseImage(512, 512, 8, 3);
        QVERIFY(std::abs(adjacentCorrelation(noise, Direction::Vertical)) < 0.01);
        QVERIFY(entropy(noise) > 7.99);
    }

    void realImageIsCorrelatedAndNotRandom()
    {
        const Image mri = loadCorpus(corpusDir() + QStringLiteral("/mri_colin_axial_z160_512.png"));
        QVERIFY(adjacentCorrelation(mri, Direction::Horizontal) > 0.9);
        QVERIFY(entropy(mri) < 7.0);
        const auto bins = histogram(mri);
        uint64_t total = 0;
        for (auto c : bins)
            total += c;
        QCOMPARE(total, uint64_t(512 * 512));
    }
};

QTEST_GUILESS_MAIN(TestMetrics)
#include "test_metrics.moc"
