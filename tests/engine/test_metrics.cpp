// SPDX-License-Identifier: GPL-3.0-or-later
#include "TestImages.h"
#include "metrics/ImageMetrics.h"

#include <QtTest>

#include <cmath>
#include <random>
#include <tuple>

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

    /// Issue #28: ssim() computes only the windows that reach a changed pixel; it equals the SSIM of every
    /// window to 1e-9 for changes anywhere (corners, tile edges), sparse or dense, 8- and 16-bit, any size.
    void ssimOfChangedWindowsEqualsEveryWindow()
    {
        std::mt19937 rng(28);
        for (const auto& [width, height, bits] : {std::tuple{512, 512, 8}, std::tuple{300, 181, 16},
                                                  std::tuple{700, 64, 8}, std::tuple{40, 500, 16}}) {
            const Image a = noiseImage(width, height, bits, unsigned(width * height));
            const int maxValue = (1 << bits) - 1;
            auto check = [&](const Image& b, const char* what) {
                const double fast = *ssim(a, b), whole = *ssimEveryWindow(a, b);
                QVERIFY2(std::abs(fast - whole) <= 1e-9, qPrintable(QStringLiteral("%1 %2×%3: %4 vs %5")
                                                                        .arg(what)
                                                                        .arg(width)
                                                                        .arg(height)
                                                                        .arg(fast, 0, 'g', 17)
                                                                        .arg(whole, 0, 'g', 17)));
            };
            QCOMPARE(*ssim(a, a), 1.0);
            for (const auto& [x, y] :
                 {std::pair{0, 0}, std::pair{width - 1, height - 1}, std::pair{63, 64}, std::pair{64, 63},
                  std::pair{5, height / 2}, std::pair{width / 2, 10}}) {
                Image b = a.clone();
                b.set(x, y, maxValue - b.at(x, y));
                check(b, "one pixel");
            }
            Image sparse = a.clone(); // a few 8×8 blocks, as the texture blocks a protection changes
            for (int i = 0; i < 6; ++i) {
                const int bx = int(rng() % unsigned(width / 8)) * 8,
                          by = int(rng() % unsigned(height / 8)) * 8;
                for (int y = by; y < std::min(height, by + 8); ++y)
                    for (int x = bx; x < std::min(width, bx + 8); ++x)
                        sparse.set(x, y, int(rng() % unsigned(maxValue + 1)));
            }
            check(sparse, "sparse blocks");
            check(noiseImage(width, height, bits, 5), "everything changed");
        }
        // A real protection: the QR region and the texture blocks changed.
        const Image mri = loadCorpus(corpusDir() + "/mri_colin_axial_z160_512.png");
        Image marked = mri.clone();
        for (int y = 352; y < 512; ++y)
            for (int x = 200; x < 360; ++x)
                marked.set(x, y, (x / 2 + y / 2) % 2 ? 255 : 0);
        QVERIFY(std::abs(*ssim(mri, marked) - *ssimEveryWindow(mri, marked)) <= 1e-9);
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
