// SPDX-License-Identifier: GPL-3.0-or-later
#include "SweepChart.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace medveil::ui {

SweepChart::SweepChart(QWidget* parent) : QWidget(parent)
{
    setMinimumHeight(170);
    setToolTip(tr("PSNR and SSIM of the protected image against the original for each threshold T"));
}

void SweepChart::setPoints(const QVector<Point>& points)
{
    m_points = points;
    m_busy = false;
    update();
}

void SweepChart::setBusy(bool busy)
{
    m_busy = busy;
    update();
}

QFont SweepChart::tickFont() const
{
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    return small;
}

SweepChart::Layout SweepChart::chartLayout() const
{
    const double tickHeight = QFontMetricsF(tickFont()).height();
    const double titleHeight = QFontMetricsF(font()).height();
    Layout layout;
    layout.plot = QRectF(rect()).adjusted(44, 12, -44, -(2 + tickHeight + 2 + titleHeight + 2));
    layout.ticks = QRectF(layout.plot.left(), layout.plot.bottom() + 2, layout.plot.width(), tickHeight);
    layout.title = QRectF(layout.plot.left(), layout.ticks.bottom() + 2, layout.plot.width(), titleHeight);
    return layout;
}

void SweepChart::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(rect(), palette().base());
    const Layout layout = chartLayout();
    const QRectF plot = layout.plot;
    p.setPen(palette().mid().color());
    p.drawRect(plot);
    const QColor psnrColour(30, 110, 200), ssimColour(210, 90, 30);
    p.setPen(palette().text().color());
    p.drawText(layout.title, Qt::AlignCenter, tr("threshold T"));
    if (m_points.isEmpty()) {
        p.drawText(plot, Qt::AlignCenter, m_busy ? tr("computing…") : tr("no data"));
        return;
    }
    const double tMin = m_points.front().threshold, tMax = std::max(tMin + 1, m_points.back().threshold);
    double pMin = 1e9, pMax = -1e9;
    for (const auto& pt : m_points) {
        pMin = std::min(pMin, pt.psnr);
        pMax = std::max(pMax, pt.psnr);
    }
    pMin = std::floor(pMin - 0.5);
    pMax = std::ceil(pMax + 0.5);
    double sMin = 1, sMax = 0;
    for (const auto& pt : m_points) {
        sMin = std::min(sMin, pt.ssim);
        sMax = std::max(sMax, pt.ssim);
    }
    sMin = std::max(0.0, std::floor((sMin - 0.02) * 20) / 20);
    sMax = std::min(1.0, std::ceil((sMax + 0.02) * 20) / 20);
    auto x = [&](double t) { return plot.left() + (t - tMin) / (tMax - tMin) * plot.width(); };
    auto yP = [&](double v) { return plot.bottom() - (v - pMin) / (pMax - pMin) * plot.height(); };
    auto yS = [&](double v) {
        return plot.bottom() - (v - sMin) / std::max(1e-6, sMax - sMin) * plot.height();
    };
    p.setFont(tickFont());
    for (const auto& pt : m_points)
        p.drawText(QRectF(x(pt.threshold) - 15, layout.ticks.top(), 30, layout.ticks.height()),
                   Qt::AlignCenter, QString::number(pt.threshold));
    p.setPen(psnrColour);
    p.drawText(QRectF(0, plot.top() - 6, 42, 14), Qt::AlignRight, QString::number(pMax));
    p.drawText(QRectF(0, plot.bottom() - 8, 42, 14), Qt::AlignRight, QString::number(pMin));
    p.drawText(QRectF(2, plot.center().y() - 8, 40, 16), Qt::AlignLeft, tr("dB"));
    p.setPen(ssimColour);
    p.drawText(QRectF(plot.right() + 3, plot.top() - 6, 42, 14), Qt::AlignLeft,
               QString::number(sMax, 'f', 2));
    p.drawText(QRectF(plot.right() + 3, plot.bottom() - 8, 42, 14), Qt::AlignLeft,
               QString::number(sMin, 'f', 2));
    for (int series = 0; series < 2; ++series) {
        const QColor colour = series == 0 ? psnrColour : ssimColour;
        QPainterPath path;
        for (int i = 0; i < m_points.size(); ++i) {
            const QPointF q(x(m_points[i].threshold),
                            series == 0 ? yP(m_points[i].psnr) : yS(m_points[i].ssim));
            i == 0 ? path.moveTo(q) : path.lineTo(q);
        }
        p.setPen(QPen(colour, 2));
        p.setBrush(Qt::NoBrush);
        p.drawPath(path);
        for (const auto& pt : m_points) {
            const QPointF q(x(pt.threshold), series == 0 ? yP(pt.psnr) : yS(pt.ssim));
            p.setBrush(pt.fits ? QBrush(colour) : QBrush(palette().base()));
            p.drawEllipse(q, 3.5, 3.5);
        }
    }
    p.setPen(psnrColour);
    p.drawText(QRectF(plot.left() + 6, plot.top() + 2, 120, 16), Qt::AlignLeft, tr("● PSNR"));
    p.setPen(ssimColour);
    p.drawText(QRectF(plot.left() + 70, plot.top() + 2, 120, 16), Qt::AlignLeft, tr("● SSIM"));
}

} // namespace medveil::ui
