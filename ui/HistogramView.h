// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Image.h"

#include <QString>
#include <QWidget>

#include <vector>

namespace medveil::ui {

/// Grey-level histogram of one image (256 bins; 16-bit images binned by value / 256) with its title and
/// Shannon entropy, drawn as bars. Used under the EMR workflow's stage view (plain images are peaked,
/// cipher images flat).
class HistogramView : public QWidget
{
    Q_OBJECT

public:
    explicit HistogramView(QWidget* parent = nullptr);

    void setImage(const Image& image, const QString& title);
    void clear();
    [[nodiscard]] QString title() const { return m_title; }
    [[nodiscard]] double entropyBits() const { return m_entropy; }
    [[nodiscard]] const std::vector<double>& bins() const { return m_bins; }
    [[nodiscard]] QSize sizeHint() const override { return {320, 130}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    std::vector<double> m_bins;
    QString m_title;
    double m_entropy = 0;
};

} // namespace medveil::ui
