// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Image.h"
#include "io/ImageIo.h"

#include <opencv2/imgproc.hpp>

#include <QDir>
#include <QString>
#include <QStringList>
#include <QTest>

#include <chrono>
#include <initializer_list>
#include <random>
#include <string>

namespace medveil::test {

/// Real images built by tools/extract_corpus.py from Debian packages.
inline QString corpusDir()
{
    return QStringLiteral(MEDVEIL_TEST_DATA "/corpus");
}

inline QStringList corpusFiles()
{
    QStringList out;
    for (const QString& name :
         QDir(corpusDir()).entryList({QStringLiteral("*.png")}, QDir::Files, QDir::Name))
        out << corpusDir() + QLatin1Char('/') + name;
    return out;
}

inline Image loadCorpus(const QString& path)
{
    auto image = readImage(path.toStdString());
    if (!image)
        qFatal("cannot load %s: %s", qPrintable(path), image.error().message.c_str());
    return *image;
}

/// Deterministic synthetic image: each pixel drawn by `fn(x, y)`.
template <typename Fn> Image makeImage(int width, int height, int bitDepth, Fn fn)
{
    Image image = *Image::create(width, height, bitDepth);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            image.set(x, y, fn(x, y));
    return image;
}

inline Image noiseImage(int width, int height, int bitDepth, unsigned seed)
{
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> dist(0, (1 << bitDepth) - 1);
    return makeImage(width, height, bitDepth, [&](int, int) { return dist(rng); });
}

/// A label atlas's slice at its native size (constant regions with sharp edges on black, like the held-out
/// NatBrainLab slices the model card lists as the worst stego), drawn from a fixed seed: below the EMR
/// seal's stego floor at full strength with the shipped weights, so the seal must weaken the embedding.
inline Image labelAtlasSlice()
{
    cv::Mat atlas = cv::Mat::zeros(157, 157, CV_8U);
    std::mt19937 rng(3);
    for (int i = 0; i < 14; ++i)
        cv::ellipse(atlas, cv::Point(40 + int(rng() % 77), 30 + int(rng() % 97)),
                    cv::Size(4 + int(rng() % 14), 4 + int(rng() % 14)), double(rng() % 180), 0, 360,
                    cv::Scalar(60 + int(rng() % 196)), cv::FILLED);
    return *Image::fromMat(atlas);
}

/// A randomised check's seeds: every fixed seed, then fresh random seeds (each printed, so a failure can be
/// replayed) until `randomFor` has passed; stops at the first failure of the running test.
template <typename Fn>
void forFixedThenRandomSeeds(std::initializer_list<unsigned> fixed, std::chrono::milliseconds randomFor,
                             Fn run)
{
    for (const unsigned seed : fixed) {
        run(seed);
        if (QTest::currentTestFailed())
            return;
    }
    const auto until = std::chrono::steady_clock::now() + randomFor;
    std::random_device device;
    while (std::chrono::steady_clock::now() < until && !QTest::currentTestFailed()) {
        const unsigned seed = device();
        qInfo("random seed %u", seed);
        run(seed);
    }
}

} // namespace medveil::test
