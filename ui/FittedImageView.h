// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QImage>
#include <QWidget>

namespace medveil::ui {

/// Shows one picture scaled to fit the widget, aspect kept, centred — rescaled at every paint, so a
/// layout change after setImage() (a longer caption, a resized dialog) never crops it. A QLabel's pixmap is
/// scaled once, for the size the label had then: the Teaching histograms were cut at 155 that way.
class FittedImageView : public QWidget
{
    Q_OBJECT

public:
    explicit FittedImageView(QWidget* parent = nullptr);
    void setImage(const QImage& image);
    [[nodiscard]] const QImage& image() const { return m_image; }
    /// Where the picture is drawn at the current size (inside rect(), the picture's aspect ratio).
    [[nodiscard]] QRect shownRect() const;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QImage m_image;
};

} // namespace medveil::ui
