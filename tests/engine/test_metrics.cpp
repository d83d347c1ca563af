// SPDX-License-Identifier: GPL-3.0-or-later
#include "TestImages.h"
#include "metrics/ImageMetrics.h"

#include <QtTest>

#include <chrono>
#include <cmath>
#include <random>

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

    /// Issue #28: ssim() computes only the windows that reach a changed pixel; it equals every window's SSIM
    /// (OpenCV's filter, ssimEveryWindow()) to 1e-9 on real 8- and 16-bit images of several sizes, for
    /// changes of every kind — single pixels (corners, tile edges), sparse 8×8 blocks as the texture blocks a
    /// protection changes, a QR-like square, rectangles, everything — with fixed seeds, then random seeds for
    /// a second.
    void ssimOfChangedWindowsEqualsEveryWindow()
    {
        struct Reference
        {
            QString name;
            Image image;
        };
        std::vector<Reference> references;
        for (const char* name : {"mri_colin_axial_z160_512.png", "camera_512.png", "ct_small_512_16.png",
                                 "mri_colin_axial_z90_native.png", "mr_small_native_16.png"})
            references.push_back({QString::fromLatin1(name), loadCorpus(corpusDir() + "/" + name)});
        references.push_back({QStringLiteral("crop 40×500"),
                              *Image::fromMat(references[0].image.mat()(cv::Rect(7, 3, 40, 500)).clone())});
        size_t checks = 0;
        auto check = [&](const Reference& reference, const Image& changed, const QString& what) {
            const double fast = *ssim(reference.image, changed),
                         every = *ssimEveryWindow(reference.image, changed);
            ++checks;
            QVERIFY2(std::abs(fast - every) <= 1e-9, qPrintable(QStringLiteral("%1, %2: %3 vs %4")
                                                                    .arg(reference.name, what)
                                                                    .arg(fast, 0, 'g', 17)
                                                                    .arg(every, 0, 'g', 17)));
        };
        auto runSeed = [&](unsigned seed) {
            std::mt19937 rng(seed);
            for (const Reference& reference : references) {
                const Image& a = reference.image;
                const int w = a.width(), h = a.height(), maxValue = int(a.maxValue());
                auto uniform = [&](int n) { return int(rng() % unsigned(n)); };
                QCOMPARE(*ssim(a, a), 1.0);
                for (const auto& [x, y] :
                     {std::pair{0, 0}, std::pair{w - 1, h - 1}, std::pair{w - 1, 0},
                      std::pair{std::min(w - 1, 63), std::min(h - 1, 64)},
                      std::pair{std::min(w - 1, 8), std::min(h - 1, 7)}, std::pair{uniform(w), uniform(h)}}) {
                    Image b = a.clone();
                    b.set(x, y, maxValue - b.at(x, y));
                    check(reference, b, QStringLiteral("pixel %1,%2 seed %3").arg(x).arg(y).arg(seed));
                }
                Image blocks = a.clone(); // 8×8 blocks, as the embedding and scrambling change them
                const int count = 1 + uniform(400);
                for (int i = 0; i < count; ++i) {
                    const int bx = uniform(std::max(1, w / 8)) * 8, by = uniform(std::max(1, h / 8)) * 8;
                    for (int y = by; y < std::min(h, by + 8); ++y)
                        for (int x = bx; x < std::min(w, bx + 8); ++x)
                            blocks.set(x, y, std::clamp(blocks.at(x, y) + uniform(9) - 4, 0, maxValue));
                }
                check(reference, blocks, QStringLiteral("%1 blocks seed %2").arg(count).arg(seed));
                Image square = blocks.clone(); // and a QR-like square over a region
                const int side = std::min({w, h, 160}), qx = uniform(w - side + 1),
                          qy = uniform(h - side + 1);
                for (int y = qy; y < qy + side; ++y)
                    for (int x = qx; x < qx + side; ++x)
                        square.set(x, y, ((x - qx) / 2 + (y - qy) / 2) % 2 ? maxValue : 0);
                check(reference, square, QStringLiteral("square at %1,%2 seed %3").arg(qx).arg(qy).arg(seed));
                Image rectangle = a.clone();
                const int rx = uniform(w), ry = uniform(h), rw = 1 + uniform(w - rx),
                          rh = 1 + uniform(h - ry);
                for (int y = ry; y < ry + rh; ++y)
                    for (int x = rx; x < rx + rw; ++x)
                        rectangle.set(x, y, uniform(maxValue + 1));
                check(reference, rectangle, QStringLiteral("rectangle seed %1").arg(seed));
                check(reference, noiseImage(w, h, a.bitDepth(), seed),
                      QStringLiteral("all seed %1").arg(seed));
            }
        };
        test::forFixedThenRandomSeeds({1u, 7u, 28u, 40u}, std::chrono::seconds(1), runSeed);
        qInfo("%zu comparisons", checks);
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
