// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Image.h"
#include "io/ModalityScale.h"

#include <QImage>
#include <QList>
#include <QPointF>
#include <QRect>
#include <QWidget>

namespace medveil::ui {

/// Displays one grey image with zoom (wheel, around the cursor), pan (drag) and fit-to-window.
/// 16-bit images are shown through a window/level (centre, width) in stored pixel values.
class ImageCanvas : public QWidget
{
    Q_OBJECT

public:
    explicit ImageCanvas(QWidget* parent = nullptr);

    /// Shows `image`; `keepView` keeps zoom, pan and window/level (same-size previews of one study).
    void setImage(const Image& image, bool keepView = false);
    [[nodiscard]] const Image& image() const { return m_image; }
    [[nodiscard]] bool hasImage() const { return !m_image.empty(); }
    /// What the shown image's values mean: stored value ↔ modality value (HU for a CT). Kept across
    /// setImage() (a preview or a recovery of the same file); whoever shows another kind of image (a seal's
    /// stage, a revealed CT) sets its scale. The read-out, the window label and the CT presets follow it.
    void setModalityScale(const ModalityScale& scale);
    [[nodiscard]] const ModalityScale& modalityScale() const { return m_scale; }

    /// Display scale (screen pixels per image pixel).
    [[nodiscard]] double zoom() const { return m_zoom; }
    void setZoom(double zoom, QPointF anchorWidget = QPointF(-1, -1));
    void zoomIn();
    void zoomOut();
    void fitToWindow();
    void actualSize();

    /// Window/level in stored pixel values. The right mouse button drags it the way PACS viewers do:
    /// horizontal motion changes the width, vertical motion the centre.
    void setWindowLevel(double centre, double width);
    /// The window that spans the image's own value range (the default when an image is shown).
    void resetWindowLevel();
    /// MONOCHROME1 data (DICOM): low values are bright. Display only; the pixels are untouched.
    void setInverted(bool inverted);
    [[nodiscard]] bool isInverted() const { return m_inverted; }
    [[nodiscard]] double windowCentre() const { return m_windowCentre; }
    [[nodiscard]] double windowWidth() const { return m_windowWidth; }

    /// Image coordinates under a widget position (may be outside the image).
    [[nodiscard]] QPointF widgetToImage(QPointF widgetPos) const;
    [[nodiscard]] QPointF imageToWidget(QPointF imagePos) const { return imagePos * m_zoom + m_offset; }

    /// The key-region overlay: drawn when set; draggable (move) and resizable by its corner handles when
    /// editable, snapped to `snap` pixels and kept inside the image.
    void setRegion(const QRect& region);
    void clearRegion();
    [[nodiscard]] QRect region() const { return m_region; }
    void setRegionEditable(bool editable) { m_regionEditable = editable; }
    /// Further key regions (de-identification boxes), drawn dashed and numbered from 2. While the region is
    /// editable, Shift+drag draws a new one, a click selects one and Delete removes the selected one.
    void setExtraRegions(const QList<QRect>& regions);
    [[nodiscard]] const QList<QRect>& extraRegions() const { return m_extraRegions; }
    /// Index into extraRegions() of the selected one, or -1.
    [[nodiscard]] int selectedExtraRegion() const { return m_selectedExtra; }
    void selectExtraRegion(int index);
    /// Removes the selected extra region (what Delete does).
    void removeSelectedExtraRegion();
    /// Rectangles drawn in red over the image (the tamper map of a refused recovery); empty clears them.
    void setMarks(const QList<QRect>& marks);
    [[nodiscard]] const QList<QRect>& marks() const { return m_marks; }
    /// The overlay — key region, further regions, tamper marks — belongs to the workflow tab that drew it:
    /// hidden (not drawn, not editable, kept) while another tab is in front.
    void setOverlayShown(bool shown);
    [[nodiscard]] bool overlayShown() const { return m_overlayShown; }
    void setRegionSnap(int snap) { m_snap = std::max(1, snap); }
    void setMinimumRegionSide(int side) { m_minRegionSide = side; }

Q_SIGNALS:
    /// The pointer is over pixel (x, y) holding `value`; x < 0 when it left the image.
    void pixelHovered(int x, int y, int value);
    void zoomChanged(double zoom);
    void filesDropped(const QStringList& paths);
    /// The user moved or resized the region (emitted on release).
    void regionEdited(const QRect& region);
    /// The user added, selected or removed an extra region.
    void extraRegionsEdited(const QList<QRect>& regions);
    void windowLevelChanged(double centre, double width);
    /// Another image (setImage) or another meaning of its values (setModalityScale).
    void imageChanged();

protected:
    void paintEvent(QPaintEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    enum class DragMode
    {
        None,
        Pan,
        MoveRegion,
        ResizeRegion,
        DrawExtraRegion,
        WindowLevel,
    };
    void rebuildDisplay();
    void clampOffset();
    [[nodiscard]] int handleAt(QPointF widgetPos) const; ///< 0..3 corner index or -1
    [[nodiscard]] QRect snapped(QRect r) const;

    Image m_image;
    ModalityScale m_scale;
    QImage m_display;
    double m_zoom = 1.0;
    QPointF m_offset; ///< widget position of the image's top-left corner
    bool m_fit = true;
    bool m_panning = false;
    QPointF m_lastMouse;
    double m_windowCentre = 127.5;
    double m_windowWidth = 256;
    QRect m_region;
    QList<QRect> m_marks;
    QList<QRect> m_extraRegions;
    int m_selectedExtra = -1;
    QRect m_drawing; ///< the extra region being drawn with Shift+drag
    bool m_regionEditable = false;
    bool m_overlayShown = true;
    /// The region and the further regions take the mouse: editable and shown.
    [[nodiscard]] bool regionsTakeInput() const { return m_regionEditable && m_overlayShown; }
    int m_snap = 8;
    int m_minRegionSide = 8;
    DragMode m_drag = DragMode::None;
    int m_dragHandle = -1;
    QRect m_dragStartRegion;
    bool m_inverted = false;
    double m_dragStartCentre = 0;
    double m_dragStartWidth = 0;
    double m_valueRange = 256; ///< max − min + 1 of the image: what a right-drag scales to
    QPointF m_dragStartImage;
};

/// The grey levels an Image shows through a window (centre, width), as an 8-bit QImage.
QImage toDisplayImage(const Image& image, double centre, double width);

} // namespace medveil::ui
