// SPDX-License-Identifier: GPL-3.0-or-later
// Issue #17 point 6: what a user sees at the default window size, in any language.
#pragma once

#include "MainWindow.h"
#include "SweepChart.h"

#include <QAbstractButton>
#include <QAbstractSlider>
#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QStringList>
#include <QTabWidget>

namespace medveil::test {

/// Every widget a user reads or operates under `root` that is shown but not wholly in view: cut by its
/// scroll area's viewport (it needs scrolling), by the window or a dialog's edge, or a word-wrapped label
/// shorter than its text (its last line cut). Returns what is wrong (empty: nothing).
inline QStringList clippedWidgets(QWidget* root)
{
    QStringList problems;
    const auto describe = [](QWidget* w) {
        QString name = w->objectName();
        if (auto* label = qobject_cast<QLabel*>(w); label && name.isEmpty())
            name = label->text().left(40);
        if (auto* button = qobject_cast<QAbstractButton*>(w); button && name.isEmpty())
            name = button->text();
        return QStringLiteral("%1 \"%2\"").arg(QLatin1String(w->metaObject()->className()), name);
    };
    for (QWidget* w : root->findChildren<QWidget*>()) {
        if (!w->isVisibleTo(root) || w->isWindow())
            continue;
        auto* label = qobject_cast<QLabel*>(w);
        const bool read = (label && !label->text().isEmpty()) || qobject_cast<QAbstractButton*>(w) ||
                          qobject_cast<QProgressBar*>(w) || qobject_cast<QLineEdit*>(w) ||
                          qobject_cast<QComboBox*>(w) || qobject_cast<QAbstractSlider*>(w) ||
                          qobject_cast<QPlainTextEdit*>(w) || qobject_cast<QListWidget*>(w) ||
                          w->inherits("medveil::ui::HistogramView") || w->inherits("medveil::ui::SweepChart");
        // Parts of composite widgets (a scroll bar, a line edit's buttons) are judged with them.
        QWidget* parent = w->parentWidget();
        if (!read || w->inherits("QScrollBar") ||
            (parent && (parent->inherits("QComboBox") || parent->inherits("QLineEdit") ||
                        parent->inherits("QAbstractSlider") || parent->inherits("QAbstractScrollArea"))))
            continue;
        const QRect shown = w->visibleRegion().boundingRect();
        if (shown != w->rect())
            problems << QStringLiteral("%1: %2×%3 of %4×%5 in view")
                            .arg(describe(w))
                            .arg(shown.width())
                            .arg(shown.height())
                            .arg(w->width())
                            .arg(w->height());
        // A list shows whole rows: none cut at the bottom of its viewport (the last trusted sender's
        // fingerprint line was).
        if (auto* list = qobject_cast<QListWidget*>(w))
            for (int row = 0; row < list->count(); ++row) {
                const QRect item = list->visualItemRect(list->item(row));
                if (item.intersects(list->viewport()->rect()) && !list->viewport()->rect().contains(item))
                    problems << QStringLiteral("%1: row %2 cut (%3 of %4 px in view)")
                                    .arg(describe(w))
                                    .arg(row)
                                    .arg(item.intersected(list->viewport()->rect()).height())
                                    .arg(item.height());
            }
        if (label && label->wordWrap() && label->height() < label->heightForWidth(label->width()))
            problems << QStringLiteral("%1: %2 px high, its text needs %3")
                            .arg(describe(w))
                            .arg(label->height())
                            .arg(label->heightForWidth(label->width()));
    }
    return problems;
}

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
