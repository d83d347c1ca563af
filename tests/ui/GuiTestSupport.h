// SPDX-License-Identifier: GPL-3.0-or-later
// What the GUI tests share.
#pragma once

#include <QRegularExpression>
#include <QSize>
#include <QString>
#include <QTabBar>
#include <QTabWidget>
#include <QWidget>
#include <QtTest>

namespace medveil::test {

/// Shows `window` at `size` (the default window size, unless a test needs another) and waits until it is
/// on screen: how every GUI test starts.
[[nodiscard]] inline bool showAndExpose(QWidget& window, QSize size = QSize(1280, 860))
{
    window.resize(size);
    window.show();
    return QTest::qWaitForWindowExposed(&window);
}

/// Clicks the tab `index` of the (first) tab widget in `window` with the mouse, as a user switches workflow;
/// false when the window has no such tab.
[[nodiscard]] inline bool clickTab(QWidget& window, int index)
{
    auto* tabs = window.findChild<QTabWidget*>();
    if (!tabs || index < 0 || index >= tabs->count())
        return false;
    QTest::mouseClick(tabs->tabBar(), Qt::LeftButton, Qt::NoModifier,
                      tabs->tabBar()->tabRect(index).center());
    return true;
}

/// The PSNR, its peak and the SSIM a caption shows ("PSNR 43.13 dB (peak 4095) · SSIM 0.9861", "stego PSNR
/// 38.20 dB · SSIM 0.9712"), as printed; empty strings where the caption has none.
struct ShownFigures
{
    QString psnr, peak, ssim;
};
inline ShownFigures shownFigures(const QString& caption)
{
    static const QRegularExpression psnr(QStringLiteral("PSNR ([0-9.]+|inf) dB(?: \\(peak ([0-9]+)\\))?"));
    static const QRegularExpression ssim(QStringLiteral("SSIM ([0-9.]+)"));
    const auto p = psnr.match(caption);
    const auto s = ssim.match(caption);
    return {p.captured(1), p.captured(2), s.captured(1)};
}

/// A figure as the GUI prints it: `decimals` places, fixed.
inline QString printed(double value, int decimals)
{
    return QString::number(value, 'f', decimals);
}

} // namespace medveil::test
