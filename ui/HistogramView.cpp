// SPDX-License-Identifier: GPL-3.0-or-later
#include "HistogramView.h"

#include "metrics/ImageMetrics.h"

#include <QPainter>

#include <algorithm>

namespace medveil::ui {

HistogramView::HistogramView(QWidget* parent) : QWidget(parent)
{
    setMinimumHeight(110);
    setToolTip(tr("Grey-level histogram of the stage shown on the canvas"));
}

void HistogramView::setImage(const Image& image, const QString& title)
{
    m_bins.assign(256, 0.0);
    const auto counts = histogram(image);
    const size_t group = std::max<size_t>(1, counts.size() / 256);
    for (size_t v = 0; v < counts.size(); ++v)
        m_bins[std::min<size_t>(255, v / group)] += double(counts[v]);
    m_entropy = entropy(image);
    m_title = title;
    update();
}

void HistogramView::clear()
{
    m_bins.clear();
    m_title.clear();
    update();
}

void HistogramView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    if (m_bins.empty())
        return;
    const QRect plot = rect().adjusted(6, 22, -6, -6);
    p.setPen(palette().text().color());
    p.drawText(rect().adjusted(6, 2, -6, 0), Qt::AlignLeft | Qt::AlignTop,
               tr("%1 — entropy %2 bits").arg(m_title).arg(m_entropy, 0, 'f', 4));
    // A black background's spike would flatten everything else: scale to the second-highest bin when the
    // highest dwarfs it, and let that bar run off the top.
    std::vector<double> sorted = m_bins;
    std::sort(sorted.begin(), sorted.end(), std::greater<>());
    double top = std::max(1.0, sorted[0]);
    if (sorted[1] > 0 && sorted[0] > 4 * sorted[1])
        top = sorted[1] * 1.3;
    const double w = double(plot.width()) / 256.0;
    const QColor bar(0, 114, 178);
    for (int i = 0; i < 256; ++i) {
        const double h = std::min(1.0, m_bins[size_t(i)] / top) * plot.height();
        p.fillRect(QRectF(plot.x() + i * w, plot.bottom() - h, std::max(1.0, w), h), bar);
    }
    p.setPen(palette().mid().color());
    p.drawRect(plot);
}

} // namespace medveil::ui
