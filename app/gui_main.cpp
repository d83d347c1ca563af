// SPDX-License-Identifier: GPL-3.0-or-later
// medveil: the Qt Widgets workstation.
#include "AppSettings.h"
#include "MainWindow.h"
#include "Translations.h"
#include "core/ProcessSetup.h"
#include "core/Version.h"
#include "io/AtomicFile.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QTimer>

#include <cstdlib>
#include <iostream>

using medveil::ui::AppSettings;
using medveil::ui::MainWindow;

int main(int argc, char** argv)
{
    // Passive OpenMP waits, freed buffers kept (see core/ProcessSetup.h); before any thread starts.
    medveil::prepareProcessForEngine();
    // Ctrl+C or a kill during a write leaves no temporary file with patient data behind.
    medveil::removeTemporariesOnSignal();
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("MedVeil"));
    QApplication::setApplicationName(QStringLiteral("MedVeil"));
    QApplication::setApplicationVersion(QString::fromLatin1(medveil::kVersion));
    QGuiApplication::setDesktopFileName(QString::fromLatin1(medveil::kAppId));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("MedVeil medical image protection workstation"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("file"), QStringLiteral("Image to open"),
                                 QStringLiteral("[FILE]"));
    QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QStringLiteral("Save a screenshot of the window to PATH once the image is shown, "
                       "then quit (for documentation and headless checks)"),
        QStringLiteral("PATH"));
    parser.addOption(screenshot);
    QCommandLineOption quitWhenShown(
        QStringLiteral("quit-when-shown"),
        QStringLiteral("Quit as soon as the image is painted in the window (times start-up to first image)"));
    parser.addOption(quitWhenShown);
    QCommandLineOption language(QStringLiteral("lang"),
                                QStringLiteral("User interface language for this run: en or zh_CN "
                                               "(default: Preferences, else the system locale)"),
                                QStringLiteral("LANG"));
    parser.addOption(language);
    if (!parser.parse(QApplication::arguments())) {
        std::cerr << qPrintable(parser.errorText()) << "\n";
        return 1;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::cout << qPrintable(parser.helpText());
        return 0;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        std::cout << "medveil " << medveil::kVersion << "\n";
        return 0;
    }

    medveil::ui::installTranslators(parser.isSet(language) ? parser.value(language)
                                                           : medveil::ui::preferredLanguage());
    MainWindow window;
    window.show();

    QString toOpen;
    if (!parser.positionalArguments().isEmpty()) {
        toOpen = parser.positionalArguments().first();
    } else if (!AppSettings::value(AppSettings::Key::FirstStartDone).toBool() || parser.isSet(screenshot) ||
               parser.isSet(quitWhenShown)) {
        toOpen = MainWindow::bundledSamplePath();
        AppSettings::setValue(AppSettings::Key::FirstStartDone, true);
    }
    if (parser.isSet(screenshot)) {
        const QString target = parser.value(screenshot);
        auto grabAndQuit = [&window, target](int code) {
            QTimer::singleShot(300, &window, [&window, target, code] {
                const bool saved = window.grab().save(target);
                std::cout << (saved ? "screenshot: " : "cannot write screenshot: ") << qPrintable(target)
                          << "\n";
                QApplication::exit(saved ? code : 5);
            });
        };
        QObject::connect(&window, &MainWindow::imageLoaded, &window, [grabAndQuit] { grabAndQuit(0); });
        QObject::connect(&window, &MainWindow::errorShown, &window, [grabAndQuit] { grabAndQuit(2); });
    }
    // HiNet (plugin, weights, a warm-up run) loads in the background once the first image is on screen, so
    // it never delays that image and the EMR tab's first seal or open does not pay for it.
    auto preload = [&window, headless = parser.isSet(screenshot) || parser.isSet(quitWhenShown)] {
        if (headless)
            return; // a screenshot run quits at once
        const medveil::Image& image = window.document().file.image;
        window.preloadNetwork(image.empty() ? QSize(512, 512) : QSize(image.width(), image.height()));
    };
    if (parser.isSet(quitWhenShown)) {
        auto paintAndQuit = [&window](int code) {
            window.repaint(); // painted now, synchronously: the image is on screen
            QApplication::exit(code);
        };
        QObject::connect(&window, &MainWindow::imageLoaded, &window, [paintAndQuit] { paintAndQuit(0); });
        QObject::connect(&window, &MainWindow::errorShown, &window, [paintAndQuit] { paintAndQuit(2); });
    }
    if (!toOpen.isEmpty()) {
        QObject::connect(&window, &MainWindow::imageLoaded, &window, preload, Qt::SingleShotConnection);
        QObject::connect(&window, &MainWindow::errorShown, &window, preload, Qt::SingleShotConnection);
        window.openFile(toOpen);
    } else {
        QTimer::singleShot(0, &window, preload);
    }
    return QApplication::exec();
}
