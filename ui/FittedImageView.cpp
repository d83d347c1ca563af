// SPDX-License-Identifier: GPL-3.0-or-later
#include "FittedImageView.h"

#include <QPainter>

namespace medveil::ui {

FittedImageView::FittedImageView(QWidget* parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored);
}

void FittedImageView::setImage(const QImage& image)
{
    m_image = image;
    update();
}

QRect FittedImageView::shownRect() const
{
    if (m_image.isNull() || width() <= 0 || height() <= 0)
        return {};
    const QSize fitted = m_image.size().scaled(size(), Qt::KeepAspectRatio);
    return QRect(QPoint((width() - fitted.width()) / 2, (height() - fitted.height()) / 2), fitted);
}

void FittedImageView::paintEvent(QPaintEvent*)
{
    if (m_image.isNull())
        return;
    QPainter p(this);
    p.setRenderHint(QPainter::SmoothPixmapTransform);
    p.drawImage(shownRect(), m_image);
}

} // namespace medveil::ui
