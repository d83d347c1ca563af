// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QRectF>
#include <QVector>
#include <QWidget>

namespace medveil::ui {

/// Line chart of PSNR (left axis, dB) and SSIM (right axis) of the protected image against the threshold
/// T, like Li et al.'s Figs. 9–11. Points where the payload does not fit are drawn hollow.
class SweepChart : public QWidget
{
    Q_OBJECT

public:
    struct Point
    {
        double threshold = 0;
        double psnr = 0;
        double ssim = 0;
        bool fits = false;
    };

    explicit SweepChart(QWidget* parent = nullptr);
    void setPoints(const QVector<Point>& points);
    void setBusy(bool busy);
    [[nodiscard]] const QVector<Point>& points() const { return m_points; }

    /// Where paintEvent() draws: the plot, the row of T tick labels under it and the axis title under
    /// that — laid out from the fonts' heights so they never overlap, in any language or font size.
    struct Layout
    {
        QRectF plot, ticks, title;
    };
    [[nodiscard]] Layout chartLayout() const;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    [[nodiscard]] QFont tickFont() const;

    QVector<Point> m_points;
    bool m_busy = false;
};

} // namespace medveil::ui
