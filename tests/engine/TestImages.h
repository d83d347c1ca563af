// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Image.h"
#include "io/ImageIo.h"

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
