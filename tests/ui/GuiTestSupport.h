// SPDX-License-Identifier: GPL-3.0-or-later
// What the GUI tests share.
#pragma once

#include <QSize>
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

} // namespace medveil::test
