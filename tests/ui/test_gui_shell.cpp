// SPDX-License-Identifier: GPL-3.0-or-later
// The GUI shell driven for real under QT_QPA_PLATFORM=offscreen.
#include "AppSettings.h"
#include "ImageCanvas.h"
#include "KeyManagerDialog.h"
#include "MainWindow.h"
#include "ProtectPanel.h"
#include "crypto/KeyFile.h"

#include <QAction>
#include <QDialog>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QtTest>

using namespace medveil::ui;

namespace {
/// Distinct grey levels in a grabbed screenshot: a blank or single-colour window has very few.
int distinctGreyLevels(const QImage& shot)
{
    QSet<int> levels;
    const QImage grey = shot.convertToFormat(QImage::Format_Grayscale8);
    for (int y = 0; y < grey.height(); y += 2)
        for (int x = 0; x < grey.width(); x += 2)
            levels.insert(grey.pixelColor(x, y).value());
    return levels.size();
}
} // namespace

class TestGuiShell : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("MedVeilTest"));
        QCoreApplication::setApplicationName(QStringLiteral("MedVeilGuiShell"));
        QVERIFY(!MainWindow::bundledSamplePath().isEmpty());
    }

    void opensZoomsAndShowsPixels()
    {
        MainWindow window;
        window.resize(900, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy loaded(&window, &MainWindow::imageLoaded);
        window.openFile(MainWindow::bundledSamplePath());
        QVERIFY(loaded.wait(10000));
        ImageCanvas* canvas = window.canvas();
        QVERIFY(canvas->hasImage());
        QCOMPARE(canvas->image().width(), 512);
        QVERIFY(window.statusText().contains(QStringLiteral("512 × 512")));
        QVERIFY(window.statusText().contains(QStringLiteral("8-bit")));

        // Wheel up over the centre zooms in around the cursor.
        const double before = canvas->zoom();
        const QPoint centre = canvas->rect().center();
        QWheelEvent wheel(centre, canvas->mapToGlobal(centre), QPoint(), QPoint(0, 240), Qt::NoButton,
                          Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(canvas, &wheel);
        QVERIFY(canvas->zoom() > before * 1.5);

        // Dragging pans: the image point under the centre moves.
        const QPointF imageBefore = canvas->widgetToImage(centre);
        QTest::mousePress(canvas, Qt::LeftButton, Qt::NoModifier, centre);
        QTest::mouseMove(canvas, centre + QPoint(60, 40));
        QTest::mouseRelease(canvas, Qt::LeftButton, Qt::NoModifier, centre + QPoint(60, 40));
        QVERIFY((canvas->widgetToImage(centre) - imageBefore).manhattanLength() > 10);

        // Hovering reports the stored value under the cursor.
        QTest::mouseMove(canvas, centre);
        const QPointF p = canvas->widgetToImage(centre);
        const int value = canvas->image().at(int(p.x()), int(p.y()));
        QVERIFY2(window.statusText().contains(QStringLiteral("= %1").arg(value)),
                 qPrintable(window.statusText()));

        canvas->fitToWindow();
        const QImage shot = window.grab().toImage();
        QVERIFY(!shot.isNull());
        QVERIFY2(distinctGreyLevels(shot) > 50, "screenshot looks blank");
    }

    void windowLevelByPresetAndRightDrag()
    {
        MainWindow window;
        window.resize(900, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy loaded(&window, &MainWindow::imageLoaded);
        window.openFile(QStringLiteral(MEDVEIL_TEST_DATA "/corpus/ct_small_512_16.png"));
        QVERIFY(loaded.wait(10000));
        ImageCanvas* canvas = window.canvas();
        QCOMPARE(canvas->image().bitDepth(), 16);
        const double fullWidth = canvas->windowWidth();
        const QImage fullShot = canvas->grab().toImage();
        auto* label = window.findChild<QLabel*>(QStringLiteral("windowLevelLabel"));
        QVERIFY(label);

        // The presets come from resources/presets/*.json: find "CT Brain" and a percentile window.
        QAction* brain = nullptr;
        QAction* percentile = nullptr;
        for (QAction* a : window.findChildren<QAction*>()) {
            if (!a->objectName().startsWith(QStringLiteral("windowPreset")))
                continue;
            if (a->text() == QStringLiteral("CT Brain"))
                brain = a;
            if (a->text().startsWith(QStringLiteral("Auto")))
                percentile = a;
        }
        QVERIFY(brain && percentile);
        QVERIFY(!brain->shortcut().isEmpty());
        brain->trigger();
        QCOMPARE(canvas->windowCentre(), 40.0);
        QCOMPARE(canvas->windowWidth(), 80.0);
        QCOMPARE(label->text(), QStringLiteral("L 40  W 80"));
        // A narrow window changes what is drawn (stored values 128…2191 all sit above 80: white).
        QVERIFY(canvas->grab().toImage() != fullShot);
        percentile->trigger();
        QVERIFY(canvas->windowWidth() > 1 && canvas->windowWidth() < fullWidth);

        // Right-drag: to the right widens the window, downwards raises the level.
        const double widthBefore = canvas->windowWidth(), centreBefore = canvas->windowCentre();
        const QPoint centre = canvas->rect().center();
        QTest::mousePress(canvas, Qt::RightButton, Qt::NoModifier, centre);
        QTest::mouseMove(canvas, centre + QPoint(50, 20));
        QTest::mouseRelease(canvas, Qt::RightButton, Qt::NoModifier, centre + QPoint(50, 20));
        QVERIFY(canvas->windowWidth() > widthBefore + 100);
        QVERIFY(canvas->windowCentre() > centreBefore + 50);
        // The drag did not pan the image.
        QVERIFY(canvas->hasImage());
        canvas->resetWindowLevel();
        QCOMPARE(canvas->windowWidth(), fullWidth);
    }

    void keyManagerGeneratesProtectedKeys()
    {
        QTemporaryDir dir;
        MainWindow window;
        window.show();
        KeyManagerDialog* manager = window.showKeyManager();
        QVERIFY(manager && manager->isVisible());
        QSignalSpy failed(manager, &KeyManagerDialog::failed);
        QSignalSpy generated(manager, &KeyManagerDialog::generated);
        const QString passphrase = QStringLiteral("correct horse battery");

        // A short passphrase is refused before anything is written.
        manager->generate(dir.path(), QStringLiteral("short"), 2048, QStringLiteral("abc"));
        QCOMPARE(failed.count(), 1);
        QVERIFY(QDir(dir.path()).entryList(QDir::Files).isEmpty());

        manager->generate(dir.path(), QStringLiteral("site"), 2048, passphrase);
        QVERIFY(generated.wait(60000));
        const QString privatePath = dir.filePath(QStringLiteral("site.private.pem"));
        const QString publicPath = dir.filePath(QStringLiteral("site.public.pem"));
        QCOMPARE(generated.first().at(0).toString(), privatePath);
        // The whole success message is shown (it was cut after "public: give it to").
        auto* result = manager->findChild<QLabel*>(QStringLiteral("generateResult"));
        QVERIFY(result);
        QVERIFY(result->text().contains(QStringLiteral("Fingerprint")));
        QTRY_VERIFY2(result->height() >= result->heightForWidth(result->width()),
                     qPrintable(QStringLiteral("%1 < %2")
                                    .arg(result->height())
                                    .arg(result->heightForWidth(result->width()))));
        // A private key is not offered as the recipient key (Protect would fail after the Save dialog).
        QPushButton* recipientButton = nullptr;
        for (QPushButton* b : manager->findChildren<QPushButton*>())
            if (b->text().contains(QStringLiteral("Recipient")))
                recipientButton = b;
        QVERIFY(recipientButton);
        QVERIFY(!recipientButton->isEnabled()); // the generated private key is inspected

        QCOMPARE(QFileInfo(privatePath).permissions() & (QFile::ReadGroup | QFile::ReadOther),
                 QFile::Permissions());
        QFile privateFile(privatePath);
        QVERIFY(privateFile.open(QIODevice::ReadOnly));
        const std::string pem = privateFile.readAll().toStdString();
        QVERIFY(pem.find("ENCRYPTED PRIVATE KEY") != std::string::npos);
        // The passphrase opens it, a wrong one does not, and the pair matches.
        auto key = medveil::RsaKey::fromPem(pem, passphrase.toStdString());
        QVERIFY(key && key->hasPrivate() && key->bits() == 2048);
        QVERIFY(!medveil::RsaKey::fromPem(pem, std::string("wrong passphrase")));
        auto publicKey = medveil::loadKeyFile(publicPath.toStdString(), medveil::KeyRole::Public);
        QVERIFY(publicKey && !publicKey->hasPrivate());
        QCOMPARE(*publicKey->fingerprint(), *key->fingerprint());

        // Never over an existing key file.
        manager->generate(dir.path(), QStringLiteral("site"), 2048, passphrase);
        QCOMPARE(failed.count(), 2);

        // Enter in a field presses no button (it opened the folder browser).
        for (QPushButton* b : manager->findChildren<QPushButton*>())
            QVERIFY2(!b->autoDefault() && !b->isDefault(), qPrintable(b->text()));
        // A folder that does not exist yet (a fresh account's ~/Documents) is created.
        const QString fresh = dir.filePath(QStringLiteral("Documents/keys"));
        manager->generate(fresh, QStringLiteral("fresh"), 2048, passphrase);
        QVERIFY(generated.wait(60000));
        QVERIFY(QFileInfo::exists(fresh + QStringLiteral("/fresh.public.pem")));

        // Inspecting the public key shows its fingerprint; choosing it reaches the Protect panel.
        manager->inspect(publicPath);
        const QString fp = QString::fromStdString(medveil::hexEncode(*key->fingerprint())).toUpper().left(4);
        QVERIFY2(manager->inspectedSummary().contains(fp), qPrintable(manager->inspectedSummary()));
        auto* useAsRecipient = manager->findChildren<QPushButton*>().value(0);
        for (QPushButton* b : manager->findChildren<QPushButton*>())
            if (b->text().contains(QStringLiteral("Recipient")))
                useAsRecipient = b;
        QVERIFY(useAsRecipient->isEnabled());
        useAsRecipient->click();
        QCOMPARE(window.protectPanel()->recipientKeyPath(), publicPath);

        // Settings hold paths only: neither the passphrase nor key material.
        manager->close();
        QSettings settings;
        settings.sync();
        QFile conf(settings.fileName());
        QVERIFY(conf.open(QIODevice::ReadOnly));
        const QByteArray stored = conf.readAll();
        QVERIFY(stored.contains(publicPath.toUtf8()));
        QVERIFY(!stored.contains(passphrase.toUtf8()));
        QVERIFY(!stored.contains("BEGIN"));
    }

    void dicomOpensWithItsWindowAndHuPresets()
    {
        MainWindow window;
        window.resize(900, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy loaded(&window, &MainWindow::imageLoaded);
        // MR_small.dcm: signed 16-bit with Window Center 600 / Width 1600 in its header.
        window.openFile(
            QStringLiteral("/usr/lib/python3/dist-packages/pydicom/data/test_files/MR_small.dcm"));
        QVERIFY(loaded.wait(10000));
        ImageCanvas* canvas = window.canvas();
        QCOMPARE(canvas->image().bitDepth(), 16);
        QCOMPARE(canvas->windowCentre(), 600.0 + 32768.0);
        QCOMPARE(canvas->windowWidth(), 1600.0);
        QVERIFY(!canvas->isInverted());
        // A dropped folder opens its first file: CT_small.dcm (name order), rescale intercept −1024.
        QTemporaryDir dir;
        QVERIFY(
            QFile::copy(QStringLiteral("/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm"),
                        dir.filePath(QStringLiteral("a_ct.dcm"))));
        loaded.clear();
        Q_EMIT canvas->filesDropped({dir.path()});
        QVERIFY(loaded.wait(10000));
        QCOMPARE(window.currentPath(), dir.filePath(QStringLiteral("a_ct.dcm")));
        // The HU preset goes through the file's rescale: stored = HU − (−1024) + 32768 (signed offset).
        for (QAction* a : window.findChildren<QAction*>())
            if (a->objectName().startsWith(QStringLiteral("windowPreset")) &&
                a->text() == QStringLiteral("CT Brain"))
                a->trigger();
        QCOMPARE(canvas->windowCentre(), 40.0 + 1024.0 + 32768.0);
        QCOMPARE(canvas->windowWidth(), 80.0);
    }

    // Issue #17 point 9: invert with I, numeric window/level in HU (Ctrl+L, dialog answered here), and a
    // shortcut list read from the menus.
    void invertNumericWindowAndShortcutList()
    {
        MainWindow window;
        window.resize(900, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.activateWindow();
        QSignalSpy loaded(&window, &MainWindow::imageLoaded);
        window.openFile(
            QStringLiteral("/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm"));
        QVERIFY(loaded.wait(10000));
        ImageCanvas* canvas = window.canvas();
        canvas->setFocus();
        QVERIFY(!canvas->isInverted());
        QTest::keyClick(canvas, Qt::Key_I);
        QVERIFY(canvas->isInverted());
        auto* invert = window.findChild<QAction*>(QStringLiteral("invertAction"));
        QVERIFY(invert && invert->isChecked());
        QTest::keyClick(canvas, Qt::Key_I);
        QVERIFY(!canvas->isInverted());
        // Ctrl+L: centre 40 HU, width 400 HU (CT_small: intercept −1024, signed offset 32768).
        QTest::keyClick(canvas, Qt::Key_L, Qt::ControlModifier);
        QDialog* dialog = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((dialog = window.findChild<QDialog*>(QStringLiteral("windowLevelDialog"))) &&
                                     dialog->isVisible(),
                                 5000);
        auto* centre = dialog->findChild<QDoubleSpinBox*>(QStringLiteral("windowCentre"));
        auto* width = dialog->findChild<QDoubleSpinBox*>(QStringLiteral("windowWidth"));
        QVERIFY(centre && width);
        QCOMPARE(centre->value(), canvas->windowCentre() - 1024.0 - 32768.0); // shown in HU
        centre->setValue(40);
        width->setValue(400);
        dialog->accept();
        QCOMPARE(canvas->windowCentre(), 40.0 + 1024.0 + 32768.0);
        QCOMPARE(canvas->windowWidth(), 400.0);
        // Help ▸ Keyboard Shortcuts lists what the menus bind.
        window.findChild<QAction*>(QStringLiteral("shortcutsAction"))->trigger();
        QMessageBox* box = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT(
            (box = window.findChild<QMessageBox*>(QStringLiteral("shortcutsBox"))) && box->isVisible(), 5000);
        for (const char* expected : {"Ctrl+K", "Key Manager", "Invert Grey Levels", "Ctrl+L", "F1", "Space"})
            QVERIFY2(box->text().contains(QLatin1String(expected)), expected);
        box->close();
    }

    void badFileShowsErrorAndKeepsState()
    {
        QTemporaryDir dir;
        const QString bogus = dir.filePath(QStringLiteral("bogus.png"));
        QFile f(bogus);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("this is not a PNG");
        f.close();
        MainWindow window;
        window.show();
        QSignalSpy error(&window, &MainWindow::errorShown);
        window.openFile(bogus);
        QVERIFY(error.wait(10000));
        QVERIFY(!window.canvas()->hasImage());
        QVERIFY(error.first().first().toString().contains(QStringLiteral("not a supported image")));
    }

    void saveAsWritesPngAndRecentListCanBeDisabled()
    {
        QTemporaryDir dir;
        AppSettings::setRememberRecentFiles(true);
        AppSettings::clearRecentFiles();
        const QString copy = dir.filePath(QStringLiteral("copy.png"));
        QVERIFY(QFile::copy(MainWindow::bundledSamplePath(), copy));
        MainWindow window;
        QSignalSpy loaded(&window, &MainWindow::imageLoaded);
        window.openFile(copy);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(AppSettings::recentFiles().value(0), copy);

        QSignalSpy saved(&window, &MainWindow::imageSaved);
        const QString out = dir.filePath(QStringLiteral("saved.png"));
        window.saveTo(out);
        QVERIFY(saved.wait(10000));
        QVERIFY(QFile::exists(out));
        // Saving over the opened file is refused.
        QSignalSpy error(&window, &MainWindow::errorShown);
        window.saveTo(copy);
        QVERIFY(error.wait(10000));

        AppSettings::setRememberRecentFiles(false);
        QVERIFY(AppSettings::recentFiles().isEmpty());
        window.openFile(out);
        QVERIFY(loaded.wait(10000));
        QVERIFY(AppSettings::recentFiles().isEmpty());
        AppSettings::setRememberRecentFiles(true);
    }
};

QTEST_MAIN(TestGuiShell)
#include "test_gui_shell.moc"
