// SPDX-License-Identifier: GPL-3.0-or-later
// GUI benchmark (offscreen Qt): latency from a threshold-slider key press in the Protect panel to the
// live PSNR/SSIM for that threshold on screen, on the 512×512 sample MRI, as the user sees it (the panel
// starts the preview at once and cancels a stale one: no debounce since issue #28). Also the longest
// GUI-thread stall while it happens. Prints one JSON object. Usage: QT_QPA_PLATFORM=offscreen
// bench_gui_live_metrics [MOVES]
#include "BenchSupport.h"
#include "MainWindow.h"
#include "ProtectPanel.h"
#include "core/ProcessSetup.h"

#include <QApplication>
#include <QCheckBox>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QSlider>
#include <QTest>
#include <QTimer>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>

using medveil::ui::MainWindow;
using medveil::ui::ProtectPanel;

int main(int argc, char** argv)
{
    medveil::prepareProcessForEngine(); // as medveil and medveil-cli do
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("MedVeilBench"));
    QApplication::setApplicationName(QStringLiteral("MedVeilBench"));
    const int moves = argc > 1 ? std::max(3, std::atoi(argv[1])) : 15;
    MainWindow window;
    window.resize(1280, 860);
    window.show();
    QSignalSpy loaded(&window, &MainWindow::imageLoaded);
    window.openFile(MainWindow::bundledSamplePath());
    if (!loaded.wait(20000))
        return 2;
    ProtectPanel* protect = window.protectPanel();
    QSignalSpy preview(protect, &ProtectPanel::previewUpdated);
    if (!preview.wait(20000))
        return 2;
    auto* autoBox = protect->findChild<QCheckBox*>();
    auto* slider = protect->findChild<QSlider*>();
    if (!autoBox || !slider)
        return 2;
    autoBox->setChecked(false);
    QTest::qWait(500);
    slider->setFocus();

    // GUI-thread stall monitor: a 5 ms timer whose gaps are the stalls.
    QElapsedTimer clock;
    qint64 longestStall = 0;
    QTimer monitor;
    monitor.setInterval(5);
    QObject::connect(&monitor, &QTimer::timeout, [&] {
        if (clock.isValid())
            longestStall = std::max(longestStall, clock.restart());
        else
            clock.start();
    });
    monitor.start();

    std::vector<double> latencies;
    for (int i = 0; i < moves; ++i) {
        QTest::qWait(400); // let the previous sweep settle, as between two user gestures
        const int target = slider->value() >= slider->maximum() ? slider->minimum() : slider->value() + 5;
        preview.clear();
        QElapsedTimer latency;
        latency.start();
        if (target > slider->value())
            QTest::keyClick(slider, Qt::Key_PageUp);
        else
            slider->setValue(target);
        while (!(preview.count() >= 1 && protect->lastReport() &&
                 protect->lastReport()->threshold == slider->value())) {
            if (latency.elapsed() > 20000)
                return 3;
            QTest::qWait(1);
        }
        latencies.push_back(double(latency.nsecsElapsed()) / 1e6);
    }
    std::vector<double> sorted = latencies;
    std::sort(sorted.begin(), sorted.end());
    const nlohmann::json out = {{"benchmark", "gui_live_metrics"},
                                {"image", "resources/samples/brain_mri_axial_512.png (512x512)"},
                                {"moves", moves},
                                {"latency_ms_median", medveil::bench::median(latencies)},
                                {"latency_ms_max", sorted.back()},
                                {"latency_ms", latencies},
                                {"target_ms", 60},
                                {"longest_gui_stall_ms", longestStall},
                                // bench/run.sh's table: rows {name, value, unit, target, op}
                                {"rows",
                                 {{{"name", "GUI slider → PSNR/SSIM on screen"},
                                   {"value", medveil::bench::median(latencies)},
                                   {"unit", "ms"},
                                   {"target", 60},
                                   {"op", "<="}}}}};
    std::cout << out.dump(2) << std::endl;
    return 0;
}
