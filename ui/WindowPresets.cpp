// SPDX-License-Identifier: GPL-3.0-or-later
#include "WindowPresets.h"

#include "Resources.h"

#include "metrics/ImageMetrics.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QtDebug>

#include <opencv2/core.hpp>

#include <algorithm>
#include <vector>

namespace medveil::ui {

namespace {

/// Value below which `percent` % of the image's pixels lie (from the exact histogram).
double percentile(const Image& image, double percent)
{
    const std::vector<uint64_t> counts = histogram(image);
    const double target = percent / 100.0 * double(image.width()) * image.height();
    double seen = 0;
    for (size_t v = 0; v < counts.size(); ++v) {
        seen += double(counts[v]);
        if (seen >= target && counts[v] > 0)
            return double(v);
    }
    return double(image.maxValue());
}

} // namespace

std::pair<double, double> WindowPreset::resolve(const Image& image, const ModalityScale& scale) const
{
    if (image.empty())
        return {127.5, 256};
    switch (mode) {
    case Mode::Absolute: {
        return {scale.toStored(centre), std::max(1.0, scale.widthToStored(width))};
    }
    case Mode::Range: {
        double lo = 0, hi = 0;
        cv::minMaxLoc(image.mat(), &lo, &hi);
        const double w = std::max(1.0, hi - lo + 1);
        return {lo + w / 2.0, w};
    }
    case Mode::Percentile: {
        const double lo = percentile(image, lowPercent), hi = percentile(image, highPercent);
        const double w = std::max(1.0, hi - lo + 1);
        return {lo + w / 2.0, w};
    }
    }
    return {127.5, 256};
}

QList<WindowPreset> WindowPreset::builtIn()
{
    ensureResources();
    QList<WindowPreset> presets;
    QStringList files = QDir(QStringLiteral(":/presets")).entryList({QStringLiteral("*.json")}, QDir::Files);
    // General (image-relative) presets first, then modality files alphabetically.
    std::stable_sort(files.begin(), files.end(), [](const QString& a, const QString& b) {
        return (a == QLatin1String("general.json")) > (b == QLatin1String("general.json"));
    });
    for (const QString& name : files) {
        QFile file(QStringLiteral(":/presets/") + name);
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QJsonDocument doc = QJsonDocument::fromJson(file.readAll());
        if (!doc.isObject()) {
            qWarning() << "window presets: ignoring malformed" << name;
            continue;
        }
        for (const QJsonValue& v : doc.object().value(QStringLiteral("presets")).toArray()) {
            const QJsonObject o = v.toObject();
            WindowPreset p;
            // Names are data, so their translations are too: "name_zh_CN" for the Chinese UI, and so on.
            p.name = o.value(QStringLiteral("name_") + QLocale().name()).toString();
            if (p.name.isEmpty())
                p.name = o.value(QStringLiteral("name")).toString();
            const QString mode = o.value(QStringLiteral("mode")).toString(QStringLiteral("absolute"));
            p.mode = mode == QLatin1String("range")        ? Mode::Range
                     : mode == QLatin1String("percentile") ? Mode::Percentile
                                                           : Mode::Absolute;
            p.centre = o.value(QStringLiteral("centre")).toDouble();
            p.width = o.value(QStringLiteral("width")).toDouble(1);
            p.lowPercent = o.value(QStringLiteral("low")).toDouble(1);
            p.highPercent = o.value(QStringLiteral("high")).toDouble(99);
            if (p.name.isEmpty() || (p.mode == Mode::Absolute && p.width <= 0)) {
                qWarning() << "window presets: ignoring an incomplete preset in" << name;
                continue;
            }
            presets << p;
        }
    }
    return presets;
}

} // namespace medveil::ui
