// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Image.h"

#include <QImage>
#include <QPointF>
#include <QWidget>

namespace medveil::ui {

/// Displays one grey image with zoom (wheel, around the cursor), pan (drag) and fit-to-window.
/// 16-bit images are shown through a window/level (centre, width) in stored pixel values.
class ImageCanvas : public QWidget
{
    Q_OBJECT

public:
    explicit ImageCanvas(QWidget* parent = nullptr);

    void setImage(const Image& image);
    [[nodiscard]] const Image& image() const { return m_image; }
    [[nodiscard]] bool hasImage() const { return !m_image.empty(); }

    /// Display scale (screen pixels per image pixel).
    [[nodiscard]] double zoom() const { return m_zoom; }
    void setZoom(double zoom, QPointF anchorWidget = QPointF(-1, -1));
    void zoomIn();
    void zoomOut();
    void fitToWindow();
    void actualSize();

    void setWindowLevel(double centre, double width);
    [[nodiscard]] double windowCentre() const { return m_windowCentre; }
    [[nodiscard]] double windowWidth() const { return m_windowWidth; }

    /// Image coordinates under a widget position (may be outside the image).
    [[nodiscard]] QPointF widgetToImage(QPointF widgetPos) const;

Q_SIGNALS:
    /// The pointer is over pixel (x, y) holding `value`; x < 0 when it left the image.
    void pixelHovered(int x, int y, int value);
    void zoomChanged(double zoom);
    void filesDropped(const QStringList& paths);

protected:
    void paintEvent(QPaintEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void rebuildDisplay();
    void clampOffset();

    Image m_image;
    QImage m_display;
    double m_zoom = 1.0;
    QPointF m_offset; ///< widget position of the image's top-left corner
    bool m_fit = true;
    bool m_panning = false;
    QPointF m_lastMouse;
    double m_windowCentre = 127.5;
    double m_windowWidth = 256;
};

/// The grey levels an Image shows through a window (centre, width), as an 8-bit QImage.
QImage toDisplayImage(const Image& image, double centre, double width);

} // namespace medveil::ui
