// SPDX-License-Identifier: GPL-3.0-or-later
#include "ImageCanvas.h"

#include <QDragEnterEvent>
#include <QKeyEvent>
#include <QMimeData>
#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace medveil::ui {

namespace {
constexpr double kMinZoom = 0.05;
constexpr double kMaxZoom = 64.0;
constexpr double kZoomStep = 1.25;
} // namespace

QImage toDisplayImage(const Image& image, double centre, double width)
{
    QImage out(image.width(), image.height(), QImage::Format_Grayscale8);
    const double low = centre - width / 2.0;
    const double scale = width > 0 ? 255.0 / width : 0;
    // A lookup table keeps 16-bit windowing linear in the pixel count.
    std::vector<uint8_t> lut(static_cast<size_t>(image.maxValue()) + 1);
    for (size_t v = 0; v < lut.size(); ++v)
        lut[v] = static_cast<uint8_t>(std::clamp((static_cast<double>(v) - low) * scale + 0.5, 0.0, 255.0));
    for (int y = 0; y < image.height(); ++y) {
        uchar* dst = out.scanLine(y);
        if (image.bitDepth() == 16) {
            const auto* src = image.mat().ptr<uint16_t>(y);
            for (int x = 0; x < image.width(); ++x)
                dst[x] = lut[src[x]];
        } else {
            const auto* src = image.mat().ptr<uint8_t>(y);
            for (int x = 0; x < image.width(); ++x)
                dst[x] = lut[src[x]];
        }
    }
    return out;
}

ImageCanvas::ImageCanvas(QWidget* parent) : QWidget(parent)
{
    setMouseTracking(true);
    setAcceptDrops(true);
    setFocusPolicy(Qt::StrongFocus);
    setMinimumSize(200, 200);
    setAutoFillBackground(false);
    setToolTip(tr("Wheel: zoom · drag: pan · double-click: fit to window"));
}

void ImageCanvas::setImage(const Image& image, bool keepView)
{
    const bool sameGeometry = !m_image.empty() && image.width() == m_image.width() &&
                              image.height() == m_image.height() && image.bitDepth() == m_image.bitDepth();
    m_image = image;
    if (keepView && sameGeometry) {
        rebuildDisplay();
        update();
        Q_EMIT imageChanged();
        return;
    }
    resetWindowLevel();
    fitToWindow();
    Q_EMIT imageChanged();
}

void ImageCanvas::setModalityScale(const ModalityScale& scale)
{
    m_scale = scale;
    Q_EMIT imageChanged();
    Q_EMIT windowLevelChanged(m_windowCentre, m_windowWidth); // the same window in other units
}

void ImageCanvas::setInverted(bool inverted)
{
    if (m_inverted == inverted)
        return;
    m_inverted = inverted;
    rebuildDisplay();
    update();
}

void ImageCanvas::resetWindowLevel()
{
    double lo = 0, hi = 0;
    if (!m_image.empty())
        cv::minMaxLoc(m_image.mat(), &lo, &hi);
    m_valueRange = std::max(1.0, hi - lo + 1);
    if (m_image.bitDepth() == 16) {
        m_windowWidth = m_valueRange;
        m_windowCentre = lo + m_windowWidth / 2.0;
    } else {
        m_windowCentre = 127.5;
        m_windowWidth = 256;
    }
    rebuildDisplay();
    update();
    Q_EMIT windowLevelChanged(m_windowCentre, m_windowWidth);
}

void ImageCanvas::setRegion(const QRect& region)
{
    m_region = region;
    update();
}

void ImageCanvas::setMarks(const QList<QRect>& marks)
{
    m_marks = marks;
    update();
}

void ImageCanvas::setOverlayShown(bool shown)
{
    if (shown == m_overlayShown)
        return;
    m_overlayShown = shown;
    // A drag of the region or of a new further region cut short by the tab change is undone.
    if (m_drag == DragMode::MoveRegion || m_drag == DragMode::ResizeRegion)
        m_region = m_dragStartRegion;
    if (m_drag == DragMode::MoveRegion || m_drag == DragMode::ResizeRegion ||
        m_drag == DragMode::DrawExtraRegion) {
        m_drag = DragMode::None;
        unsetCursor();
    }
    m_drawing = QRect();
    update();
}

void ImageCanvas::clearRegion()
{
    m_region = QRect();
    m_extraRegions.clear();
    m_selectedExtra = -1;
    update();
}

QRect ImageCanvas::snapped(QRect r) const
{
    auto snap = [this](int v) { return int(std::lround(double(v) / m_snap)) * m_snap; };
    const int w = std::max(m_minRegionSide, snap(r.width())), h = std::max(m_minRegionSide, snap(r.height()));
    int x = snap(r.x()), y = snap(r.y());
    x = std::clamp(x, 0, std::max(0, m_image.width() - w));
    y = std::clamp(y, 0, std::max(0, m_image.height() - h));
    return QRect(x, y, std::min(w, m_image.width()), std::min(h, m_image.height()));
}

int ImageCanvas::handleAt(QPointF widgetPos) const
{
    if (m_region.isNull())
        return -1;
    const QPointF corners[4] = {imageToWidget(m_region.topLeft()),
                                imageToWidget(QPointF(m_region.right() + 1, m_region.top())),
                                imageToWidget(QPointF(m_region.left(), m_region.bottom() + 1)),
                                imageToWidget(QPointF(m_region.right() + 1, m_region.bottom() + 1))};
    for (int i = 0; i < 4; ++i)
        if ((corners[i] - widgetPos).manhattanLength() < 12)
            return i;
    return -1;
}

void ImageCanvas::setWindowLevel(double centre, double width)
{
    m_windowCentre = centre;
    m_windowWidth = std::max(1.0, width);
    rebuildDisplay();
    update();
    Q_EMIT windowLevelChanged(m_windowCentre, m_windowWidth);
}

void ImageCanvas::rebuildDisplay()
{
    m_display = m_image.empty() ? QImage() : toDisplayImage(m_image, m_windowCentre, m_windowWidth);
    if (m_inverted && !m_display.isNull())
        m_display.invertPixels();
}

void ImageCanvas::setZoom(double zoom, QPointF anchor)
{
    zoom = std::clamp(zoom, kMinZoom, kMaxZoom);
    if (anchor.x() < 0)
        anchor = QPointF(width() / 2.0, height() / 2.0);
    const QPointF imagePoint = widgetToImage(anchor);
    m_zoom = zoom;
    m_fit = false;
    m_offset = anchor - imagePoint * m_zoom;
    clampOffset();
    update();
    Q_EMIT zoomChanged(m_zoom);
}

void ImageCanvas::zoomIn()
{
    setZoom(m_zoom * kZoomStep);
}
void ImageCanvas::zoomOut()
{
    setZoom(m_zoom / kZoomStep);
}

void ImageCanvas::fitToWindow()
{
    m_fit = true;
    if (m_image.empty()) {
        update();
        return;
    }
    m_zoom = std::min(width() / double(m_image.width()), height() / double(m_image.height()));
    m_zoom = std::clamp(m_zoom, kMinZoom, kMaxZoom);
    m_offset =
        QPointF((width() - m_image.width() * m_zoom) / 2.0, (height() - m_image.height() * m_zoom) / 2.0);
    update();
    Q_EMIT zoomChanged(m_zoom);
}

void ImageCanvas::actualSize()
{
    setZoom(1.0);
}

QPointF ImageCanvas::widgetToImage(QPointF widgetPos) const
{
    return (widgetPos - m_offset) / m_zoom;
}

void ImageCanvas::clampOffset()
{
    // Keep at least a quarter of the image on screen so it cannot be lost by panning.
    const double w = m_image.width() * m_zoom, h = m_image.height() * m_zoom;
    m_offset.setX(std::clamp(m_offset.x(), -w * 0.75, width() - w * 0.25));
    m_offset.setY(std::clamp(m_offset.y(), -h * 0.75, height() - h * 0.25));
}

void ImageCanvas::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), QColor(24, 26, 30));
    if (m_display.isNull()) {
        painter.setPen(QColor(160, 160, 170));
        painter.drawText(rect(), Qt::AlignCenter,
                         tr("Open or drop a grey medical image (PNG, TIFF, BMP, JPEG)"));
        return;
    }
    painter.setRenderHint(QPainter::SmoothPixmapTransform, m_zoom < 1.0);
    const QRectF target(m_offset, QSizeF(m_display.width() * m_zoom, m_display.height() * m_zoom));
    painter.drawImage(target, m_display);
    if (!m_overlayShown)
        return;
    if (!m_marks.isEmpty()) {
        painter.setPen(QPen(QColor(230, 30, 40), 2));
        painter.setBrush(QColor(230, 30, 40, 70));
        for (const QRect& mark : m_marks)
            painter.drawRect(
                QRectF(imageToWidget(mark.topLeft()), QSizeF(mark.width() * m_zoom, mark.height() * m_zoom)));
    }
    // Extra regions: dashed cyan, numbered from 2 (the QR region is 1); the selected one thicker.
    const auto widgetRect = [this](const QRect& r) {
        return QRectF(imageToWidget(r.topLeft()), QSizeF(r.width() * m_zoom, r.height() * m_zoom));
    };
    for (int i = 0; i < int(m_extraRegions.size()); ++i) {
        const QRectF r = widgetRect(m_extraRegions[i]);
        painter.setPen(QPen(QColor(0, 200, 230), i == m_selectedExtra ? 3 : 2, Qt::DashLine));
        painter.setBrush(QColor(0, 200, 230, m_regionEditable ? 30 : 0));
        painter.drawRect(r);
        painter.drawText(r.topLeft() + QPointF(4, 14), QString::number(i + 2));
    }
    if (!m_drawing.isNull()) {
        painter.setPen(QPen(QColor(0, 200, 230), 1, Qt::DashLine));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(widgetRect(m_drawing));
    }
    if (!m_region.isNull()) {
        const QRectF r(imageToWidget(m_region.topLeft()),
                       QSizeF(m_region.width() * m_zoom, m_region.height() * m_zoom));
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(QPen(QColor(255, 170, 0), 2));
        // The tint marks a region being chosen; a shown (recovered) region is outlined only, so its pixels
        // are seen as they are.
        painter.setBrush(m_regionEditable ? QBrush(QColor(255, 170, 0, 30)) : QBrush(Qt::NoBrush));
        painter.drawRect(r);
        if (m_regionEditable) {
            painter.setBrush(QColor(255, 170, 0));
            for (const QPointF& p : {r.topLeft(), r.topRight(), r.bottomLeft(), r.bottomRight()})
                painter.drawRect(QRectF(p - QPointF(4, 4), QSizeF(8, 8)));
        }
    }
}

void ImageCanvas::wheelEvent(QWheelEvent* event)
{
    if (m_image.empty())
        return;
    const double steps = event->angleDelta().y() / 120.0;
    setZoom(m_zoom * std::pow(kZoomStep, steps), event->position());
    event->accept();
}

void ImageCanvas::setExtraRegions(const QList<QRect>& regions)
{
    m_extraRegions = regions;
    if (m_selectedExtra >= int(m_extraRegions.size()))
        m_selectedExtra = -1;
    update();
}

void ImageCanvas::selectExtraRegion(int index)
{
    m_selectedExtra = index >= 0 && index < int(m_extraRegions.size()) ? index : -1;
    update();
}

void ImageCanvas::removeSelectedExtraRegion()
{
    if (m_selectedExtra < 0 || m_selectedExtra >= int(m_extraRegions.size()))
        return;
    m_extraRegions.removeAt(m_selectedExtra);
    m_selectedExtra = -1;
    update();
    Q_EMIT extraRegionsEdited(m_extraRegions);
}

void ImageCanvas::keyPressEvent(QKeyEvent* event)
{
    if ((event->key() == Qt::Key_Delete || event->key() == Qt::Key_Backspace) && regionsTakeInput() &&
        m_selectedExtra >= 0) {
        removeSelectedExtraRegion();
        event->accept();
        return;
    }
    QWidget::keyPressEvent(event);
}

void ImageCanvas::mousePressEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton && regionsTakeInput() && !m_image.empty()) {
        const QPointF p = widgetToImage(event->position());
        if (event->modifiers() & Qt::ShiftModifier) { // draw a further region
            m_drag = DragMode::DrawExtraRegion;
            m_dragStartImage = p;
            m_drawing = QRect();
            setCursor(Qt::CrossCursor);
            return;
        }
        for (int i = int(m_extraRegions.size()) - 1; i >= 0; --i)
            if (m_extraRegions[i].contains(QPoint(int(p.x()), int(p.y())))) {
                selectExtraRegion(i);
                Q_EMIT extraRegionsEdited(m_extraRegions);
                return;
            }
    }
    if (event->button() == Qt::LeftButton && regionsTakeInput() && !m_region.isNull()) {
        const int handle = handleAt(event->position());
        const QPointF p = widgetToImage(event->position());
        if (handle >= 0 || m_region.contains(QPoint(int(p.x()), int(p.y())))) {
            m_drag = handle >= 0 ? DragMode::ResizeRegion : DragMode::MoveRegion;
            m_dragHandle = handle;
            m_dragStartRegion = m_region;
            m_dragStartImage = p;
            setCursor(handle >= 0 ? Qt::SizeFDiagCursor : Qt::SizeAllCursor);
            return;
        }
    }
    if (event->button() == Qt::RightButton && !m_image.empty()) {
        m_drag = DragMode::WindowLevel;
        m_lastMouse = event->position();
        m_dragStartCentre = m_windowCentre;
        m_dragStartWidth = m_windowWidth;
        setCursor(Qt::SizeAllCursor);
        return;
    }
    if (event->button() == Qt::LeftButton || event->button() == Qt::MiddleButton) {
        m_panning = true;
        m_drag = DragMode::Pan;
        m_lastMouse = event->position();
        setCursor(Qt::ClosedHandCursor);
    }
}

void ImageCanvas::mouseMoveEvent(QMouseEvent* event)
{
    if (m_drag == DragMode::WindowLevel) {
        // One screen pixel moves the window by 1/1024 of the image's own value range, as OHIF/Cornerstone
        // do: the same feel on 8-bit photographs, 12-bit CT and 16-bit MR.
        const double step = m_valueRange / 1024.0;
        const QPointF d = event->position() - m_lastMouse;
        setWindowLevel(m_dragStartCentre + d.y() * step, m_dragStartWidth + d.x() * step);
        return;
    }
    if (m_drag == DragMode::DrawExtraRegion) {
        const QPointF p = widgetToImage(event->position());
        // Snapped to the grid and kept inside the image; any size from one snap step (a de-identification
        // box may be small).
        const auto snap = [this](double v) { return int(std::lround(v / m_snap)) * m_snap; };
        const int x0 = std::clamp(snap(std::min(m_dragStartImage.x(), p.x())), 0, m_image.width());
        const int y0 = std::clamp(snap(std::min(m_dragStartImage.y(), p.y())), 0, m_image.height());
        const int x1 = std::clamp(snap(std::max(m_dragStartImage.x(), p.x())), 0, m_image.width());
        const int y1 = std::clamp(snap(std::max(m_dragStartImage.y(), p.y())), 0, m_image.height());
        m_drawing = QRect(x0, y0, x1 - x0, y1 - y0);
        update();
        return;
    }
    if (m_drag == DragMode::MoveRegion || m_drag == DragMode::ResizeRegion) {
        const QPointF delta = widgetToImage(event->position()) - m_dragStartImage;
        QRect r = m_dragStartRegion;
        if (m_drag == DragMode::MoveRegion) {
            r.translate(int(std::lround(delta.x())), int(std::lround(delta.y())));
        } else {
            const int dx = int(std::lround(delta.x())), dy = int(std::lround(delta.y()));
            if (m_dragHandle == 0 || m_dragHandle == 2)
                r.setLeft(r.left() + dx);
            else
                r.setRight(r.right() + dx);
            if (m_dragHandle == 0 || m_dragHandle == 1)
                r.setTop(r.top() + dy);
            else
                r.setBottom(r.bottom() + dy);
            r = r.normalized();
        }
        m_region = snapped(r);
        update();
        return;
    }
    if (m_panning) {
        m_offset += event->position() - m_lastMouse;
        m_lastMouse = event->position();
        m_fit = false;
        clampOffset();
        update();
    }
    if (m_image.empty())
        return;
    const QPointF p = widgetToImage(event->position());
    const int x = static_cast<int>(std::floor(p.x())), y = static_cast<int>(std::floor(p.y()));
    if (x >= 0 && y >= 0 && x < m_image.width() && y < m_image.height())
        Q_EMIT pixelHovered(x, y, m_image.at(x, y));
    else
        Q_EMIT pixelHovered(-1, -1, 0);
}

void ImageCanvas::mouseReleaseEvent(QMouseEvent*)
{
    if (m_drag == DragMode::DrawExtraRegion) {
        m_drag = DragMode::None;
        unsetCursor();
        if (m_drawing.width() >= m_snap && m_drawing.height() >= m_snap) {
            m_extraRegions.push_back(m_drawing);
            m_selectedExtra = int(m_extraRegions.size()) - 1;
            Q_EMIT extraRegionsEdited(m_extraRegions);
        }
        m_drawing = QRect();
        update();
        return;
    }
    const bool edited = m_drag == DragMode::MoveRegion || m_drag == DragMode::ResizeRegion;
    m_panning = false;
    m_drag = DragMode::None;
    unsetCursor();
    if (edited && m_region != m_dragStartRegion)
        Q_EMIT regionEdited(m_region);
}

void ImageCanvas::mouseDoubleClickEvent(QMouseEvent*)
{
    fitToWindow();
}

void ImageCanvas::resizeEvent(QResizeEvent*)
{
    if (m_fit)
        fitToWindow();
}

void ImageCanvas::leaveEvent(QEvent*)
{
    Q_EMIT pixelHovered(-1, -1, 0);
}

void ImageCanvas::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void ImageCanvas::dropEvent(QDropEvent* event)
{
    QStringList paths;
    for (const QUrl& url : event->mimeData()->urls())
        if (url.isLocalFile())
            paths << url.toLocalFile();
    if (!paths.isEmpty()) {
        event->acceptProposedAction();
        Q_EMIT filesDropped(paths);
    }
}

} // namespace medveil::ui
