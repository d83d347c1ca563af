// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Image.h"
#include "io/ModalityScale.h"

#include <QList>
#include <QString>

#include <utility>

namespace medveil::ui {

/// A window/level preset from resources/presets/*.json: an absolute window in modality units (CT
/// Hounsfield units, through the image's rescale slope/intercept) or one computed from the image
/// (its full range, or percentiles of its values).
struct WindowPreset
{
    enum class Mode
    {
        Absolute,
        Range,
        Percentile,
    };
    QString name;
    Mode mode = Mode::Absolute;
    double centre = 0, width = 1;            ///< Absolute, in modality units
    double lowPercent = 1, highPercent = 99; ///< Percentile

    /// (centre, width) in stored pixel values for `image`; through `scale` (HU → stored).
    [[nodiscard]] std::pair<double, double> resolve(const Image& image,
                                                    const ModalityScale& scale = {}) const;

    /// The presets shipped in the Qt resources (:/presets/*.json), general ones first. A malformed
    /// preset file is skipped with a warning, never fatal.
    static QList<WindowPreset> builtIn();
};

} // namespace medveil::ui
