// SPDX-License-Identifier: GPL-3.0-or-later
// Issue #17 point 6: what a user sees at the default window size, in any language.
#pragma once

#include "MainWindow.h"
#include "SweepChart.h"

#include <QApplication>
#include <QPushButton>
#include <QStringList>
#include <QTabWidget>

namespace medveil::test {

/// Every primary action of every workflow tab is wholly in view — not cut by the dock, not scrolled away
/// — and no visible push button is narrower than its text needs. Returns what is wrong (empty: nothing).
inline QStringList layoutProblems(ui::MainWindow& window)
{
    static const QStringList kPrimary = {QStringLiteral("protectAndSave"), QStringLiteral("recoverOriginal"),
                                         QStringLiteral("saveRecovered"),  QStringLiteral("sealEmr"),
                                         QStringLiteral("openSealed"),     QStringLiteral("saveOpened")};
    QStringList problems;
    auto* tabs = window.findChild<QTabWidget*>();
    if (!tabs)
        return {QStringLiteral("no workflow tabs")};
    QStringList seen;
    for (int tab = 0; tab < tabs->count(); ++tab) {
        tabs->setCurrentIndex(tab);
        QApplication::processEvents();
        for (QPushButton* button : tabs->widget(tab)->findChildren<QPushButton*>()) {
            if (!button->isVisibleTo(&window))
                continue;
            const QString name = button->objectName().isEmpty() ? button->text() : button->objectName();
            if (button->width() < button->minimumSizeHint().width())
                problems << QStringLiteral("%1: %2 px wide, its text needs %3")
                                .arg(name)
                                .arg(button->width())
                                .arg(button->minimumSizeHint().width());
            if (!kPrimary.contains(button->objectName()))
                continue;
            seen << button->objectName();
            const QRect shown = button->visibleRegion().boundingRect();
            const QRect inWindow(button->mapTo(&window, QPoint(0, 0)), button->size());
            if (shown != button->rect() || !window.rect().contains(inWindow))
                problems << QStringLiteral("%1 (tab %2): %3×%4 of %5×%6 in view")
                                .arg(name)
                                .arg(tab)
                                .arg(shown.width())
                                .arg(shown.height())
                                .arg(button->width())
                                .arg(button->height());
        }
    }
    // The threshold chart's axis title under its tick labels, not over them, and inside the chart.
    for (auto* chart : window.findChildren<ui::SweepChart*>()) {
        const auto layout = chart->chartLayout();
        if (layout.ticks.intersects(layout.title) || layout.plot.intersects(layout.ticks) ||
            !QRectF(chart->rect()).contains(layout.title))
            problems << QStringLiteral("chart: title (%1, %2) and tick labels (%3, %4) overlap or leave it")
                            .arg(layout.title.top())
                            .arg(layout.title.bottom())
                            .arg(layout.ticks.top())
                            .arg(layout.ticks.bottom());
    }
    // Shown in every state (the save buttons appear once there is something to save).
    for (const char* name : {"protectAndSave", "recoverOriginal", "sealEmr", "openSealed"})
        if (!seen.contains(QLatin1String(name)))
            problems << QLatin1String(name) + QStringLiteral(" not shown");
    tabs->setCurrentIndex(0);
    return problems;
}

} // namespace medveil::test
