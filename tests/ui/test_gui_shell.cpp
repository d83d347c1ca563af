// SPDX-License-Identifier: GPL-3.0-or-later
// The GUI shell driven for real under QT_QPA_PLATFORM=offscreen.
#include "AppSettings.h"
#include "GuiTestSupport.h"
#include "ImageCanvas.h"
#include "KeyManagerDialog.h"
#include "LayoutCheck.h"
#include "MainWindow.h"
#include "ProtectPanel.h"
#include "SeriesBrowser.h"
#include "crypto/KeyFile.h"

#include <opencv2/core.hpp>

#include <QAction>
#include <QDialog>
#include <QDoubleSpinBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QUrl>
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

/// A real drag-and-drop of local files on `target`: the drag is accepted, then the drop.
void dropOn(QWidget* target, const QStringList& paths)
{
    QMimeData mime;
    QList<QUrl> urls;
    for (const QString& path : paths)
        urls << QUrl::fromLocalFile(path);
    mime.setUrls(urls);
    const QPoint at = target->rect().center();
    QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &drop);
    QVERIFY(drop.isAccepted());
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
        QVERIFY(medveil::test::showAndExpose(window, QSize(900, 700)));
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
        QVERIFY(medveil::test::showAndExpose(window, QSize(900, 700)));
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
        // A PNG has no modality: its values are not HU, so the CT presets are not offered (issue #17.5).
        QVERIFY(!brain->isEnabled());
        QVERIFY(percentile->isEnabled());
        percentile->trigger();
        QVERIFY(canvas->windowWidth() > 1 && canvas->windowWidth() < fullWidth);
        QCOMPARE(label->text(), QStringLiteral("L %1  W %2")
                                    .arg(qRound(canvas->windowCentre()))
                                    .arg(qRound(canvas->windowWidth())));
        // A narrower window changes what is drawn.
        QVERIFY(canvas->grab().toImage() != fullShot);

        // Right-drag: to the right widens the window, downwards raises the level, by 1/1024 of the image's
        // value range per screen pixel (OHIF's scale; stored values 128…2191 here: 2.02 per pixel — it
        // was 16 per pixel, 2,400 for a 150 px drag).
        double low = 0, high = 0;
        cv::minMaxLoc(canvas->image().mat(), &low, &high);
        const double step = (high - low + 1) / 1024.0;
        const double widthBefore = canvas->windowWidth(), centreBefore = canvas->windowCentre();
        const QPoint centre = canvas->rect().center();
        QTest::mousePress(canvas, Qt::RightButton, Qt::NoModifier, centre);
        QTest::mouseMove(canvas, centre + QPoint(150, 20));
        QTest::mouseRelease(canvas, Qt::RightButton, Qt::NoModifier, centre + QPoint(150, 20));
        QVERIFY2(qAbs(canvas->windowWidth() - (widthBefore + 150 * step)) < 1e-6,
                 qPrintable(QString::number(canvas->windowWidth() - widthBefore)));
        QVERIFY(qAbs(canvas->windowCentre() - (centreBefore + 20 * step)) < 1e-6);
        QVERIFY(canvas->windowWidth() - widthBefore < 400);
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
        // The engine's rule, the same as keygen's (issue #27): 11 characters are too few, 12 are enough.
        manager->generate(dir.path(), QStringLiteral("eleven"), 2048, QStringLiteral("abcdefghijk"));
        QCOMPARE(failed.count(), 2);
        QVERIFY(failed.last().first().toString().contains(QStringLiteral("12")));
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
        QCOMPARE(failed.count(), 3);

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
        QVERIFY(medveil::test::showAndExpose(window, QSize(900, 700)));
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
        auto* label = window.findChild<QLabel*>(QStringLiteral("windowLevelLabel"));
        QVERIFY(label);
        QCOMPARE(label->text(), QStringLiteral("L 600  W 1600")); // MR: modality values, no unit
        const auto huPreset = [&window](const QString& name) -> QAction* {
            for (QAction* a : window.findChildren<QAction*>())
                if (a->objectName().startsWith(QStringLiteral("windowPreset")) && a->text() == name)
                    return a;
            return nullptr;
        };
        QAction* brain = huPreset(QStringLiteral("CT Brain"));
        QVERIFY(brain);
        QVERIFY(!brain->isEnabled()); // an MR: no HU windows
        // CT_small.dcm in a folder: rescale intercept −1024.
        QTemporaryDir dir;
        QVERIFY(
            QFile::copy(QStringLiteral("/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm"),
                        dir.filePath(QStringLiteral("a_ct.dcm"))));
        loaded.clear();
        // A dropped folder (a real drag-enter and drop on the canvas) opens the series browser; its Open
        // Image opens the CT.
        dropOn(canvas, {dir.path()});
        SeriesBrowser* browser = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT(browser = window.findChild<SeriesBrowser*>(QStringLiteral("seriesBrowser")),
                                 5000);
        QTRY_COMPARE_WITH_TIMEOUT(browser->scan().series.size(), size_t(1), 10000);
        QTest::mouseClick(browser->findChild<QPushButton*>(QStringLiteral("openInstance")), Qt::LeftButton);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(window.currentPath(), dir.filePath(QStringLiteral("a_ct.dcm")));
        browser->close();
        // The HU preset goes through the file's rescale: stored = HU − (−1024) + 32768 (signed offset).
        QVERIFY(brain->isEnabled()); // a CT
        brain->trigger();
        QCOMPARE(canvas->windowCentre(), 40.0 + 1024.0 + 32768.0);
        QCOMPARE(canvas->windowWidth(), 80.0);
        QCOMPARE(label->text(), QStringLiteral("L 40  W 80 HU")); // it showed "L 33832  W 80"
        // The pixel under the cursor in HU, the stored value beside it.
        QSignalSpy hovered(canvas, &ImageCanvas::pixelHovered);
        QTest::mouseMove(canvas, canvas->rect().center() + QPoint(7, 5));
        QTest::mouseMove(canvas, canvas->rect().center());
        QTRY_VERIFY(!hovered.isEmpty());
        const int x = hovered.last().at(0).toInt(), y = hovered.last().at(1).toInt();
        const int stored = hovered.last().at(2).toInt();
        QVERIFY(x >= 0 && y >= 0);
        auto* pixel = window.findChild<QLabel*>(QStringLiteral("pixelLabel"));
        QVERIFY(pixel);
        QCOMPARE(pixel->text(), QStringLiteral("(%1, %2) = %3 HU (stored %4)")
                                    .arg(x)
                                    .arg(y)
                                    .arg(QLocale().toString(stored - 32768.0 - 1024.0, 'g', 6))
                                    .arg(stored));
        // View ▸ DICOM Tags (Ctrl+D): the header, filterable.
        auto* tags = window.findChild<QAction*>(QStringLiteral("dicomTagsAction"));
        QVERIFY(tags && tags->isEnabled());
        tags->trigger();
        QDialog* tagsDialog = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT(
            (tagsDialog = window.findChild<QDialog*>(QStringLiteral("dicomTagsDialog"))) &&
                tagsDialog->isVisible(),
            5000);
        auto* table = tagsDialog->findChild<QTableWidget*>(QStringLiteral("dicomTags"));
        auto* filter = tagsDialog->findChild<QLineEdit*>(QStringLiteral("dicomTagsFilter"));
        QVERIFY(table && filter && table->rowCount() > 50);
        QTest::keyClicks(filter, QStringLiteral("RescaleIntercept"));
        int shown = 0, row = -1;
        for (int r = 0; r < table->rowCount(); ++r)
            if (!table->isRowHidden(r))
                ++shown, row = r;
        QCOMPARE(shown, 1);
        QCOMPARE(table->item(row, 0)->text(), QStringLiteral("(0028,1052)"));
        QCOMPARE(table->item(row, 3)->text(), QStringLiteral("-1024"));
        tagsDialog->close();
    }

    // Issue #17 point 9: invert with I, numeric window/level in HU (Ctrl+L, dialog answered here), and a
    // shortcut list read from the menus.
    void invertNumericWindowAndShortcutList()
    {
        MainWindow window;
        QVERIFY(medveil::test::showAndExpose(window, QSize(900, 700)));
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

    // Help ▸ MedVeil Manual (Shift+F1): the manual shipped in the resources, rendered, offline.
    void manualOpensFromHelp()
    {
        MainWindow window;
        QVERIFY(medveil::test::showAndExpose(window, QSize(900, 700)));
        auto* manual = window.findChild<QAction*>(QStringLiteral("manualAction"));
        QVERIFY(manual);
        QCOMPARE(manual->shortcut(), QKeySequence(Qt::SHIFT | Qt::Key_F1));
        manual->trigger();
        QDialog* dialog = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((dialog = window.findChild<QDialog*>(QStringLiteral("manualDialog"))) &&
                                     dialog->isVisible(),
                                 5000);
        auto* text = dialog->findChild<QTextBrowser*>(QStringLiteral("manualText"));
        QVERIFY(text);
        const QString plain = text->toPlainText();
        for (const char* expected : {"Radiologist: protect an image", "Clinician: recover an image", "Undo",
                                     "Hounsfield", "Teaching"})
            QVERIFY2(plain.contains(QLatin1String(expected)), expected);
        QVERIFY(!plain.contains(QLatin1String("## "))); // rendered as headings, not shown as Markdown
        dialog->close();
    }

    // Issue #17.6: at the default 1280×860 the workflows' actions are in view and no button is cut.
    void defaultWindowShowsEveryActionInEnglish()
    {
        MainWindow window;
        QVERIFY(medveil::test::showAndExpose(window));
        QSignalSpy loaded(&window, &MainWindow::imageLoaded);
        // The image arrives by drag-and-drop of the file on the canvas.
        dropOn(window.canvas(), {QStringLiteral(MEDVEIL_TEST_DATA "/corpus/mri_colin_axial_z160_512.png")});
        QVERIFY(loaded.wait(10000));
        QVERIFY(window.currentPath().endsWith(QStringLiteral("mri_colin_axial_z160_512.png")));
        const QStringList problems = medveil::test::layoutProblems(window);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QStringLiteral("; "))));
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
