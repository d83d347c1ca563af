// SPDX-License-Identifier: GPL-3.0-or-later
// Issue #25 points 1, 7, 9 and 11: one patient on screen at a time. The open file owns every result shown
// for it; opening another resets every tab; revealed images keep their source's units; keys go to the
// viewer; the job area stays put; the walkthrough and the save dialogs say what they do. Driven with real
// mouse and keyboard events under QT_QPA_PLATFORM=offscreen.
#include "AppSettings.h"
#include "EmrPanel.h"
#include "GuiTestSupport.h"
#include "HistogramView.h"
#include "ImageCanvas.h"
#include "KeyManagerDialog.h"
#include "LayoutCheck.h"
#include "MainWindow.h"
#include "ProtectPanel.h"
#include "RecoverPanel.h"
#include "SweepChart.h"
#include "TeachingDialog.h"
#include "Translations.h"
#include "crypto/KeyFile.h"
#include "crypto/RsaKey.h"
#include "io/AtomicFile.h"
#include "io/DicomFile.h"
#include "io/ImageIo.h"
#include "metrics/ImageMetrics.h"
#include "workflow/FileWorkflows.h"

#include <QFileDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalSpy>
#include <QTabBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

using namespace medveil;
using namespace medveil::ui;

namespace {

const QString kCt = QStringLiteral("/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm");

QTabWidget* tabsOf(MainWindow& window)
{
    return window.findChild<QTabWidget*>();
}

using medveil::test::clickTab;

QPushButton* button(QWidget* parent, const char* name)
{
    return parent->findChild<QPushButton*>(QLatin1String(name));
}

/// Where `widget` is in `window` (its geometry in window coordinates).
QRect placeIn(QWidget* widget, QWidget* window)
{
    return QRect(widget->mapTo(window, QPoint(0, 0)), widget->size());
}

/// Distinct colours of the canvas as painted (every 3rd pixel).
int paintedColours(QWidget* canvas)
{
    const QImage shot = canvas->grab().toImage();
    QSet<QRgb> colours;
    for (int y = 0; y < shot.height(); y += 3)
        for (int x = 0; x < shot.width(); x += 3)
            colours.insert(shot.pixel(x, y));
    return int(colours.size());
}

/// The status bar's label called `name` (pixel read-out, window/level, bit depth).
QString statusLabel(MainWindow& window, const char* name)
{
    auto* label = window.findChild<QLabel*>(QLatin1String(name));
    return label ? label->text() : QStringLiteral("<no %1>").arg(QLatin1String(name));
}

/// Whether `widget` is wholly in view: not scrolled away, not cut by the dock or the window.
bool whollyShown(const QWidget* widget)
{
    return widget->isVisible() && widget->visibleRegion().boundingRect() == widget->rect();
}

/// `medveil-cli ARGS --json`'s object (empty when it failed).
QJsonObject cliJson(QStringList args)
{
    args << QStringLiteral("--json");
    QProcess cli;
    cli.start(QStringLiteral(MEDVEIL_CLI), args);
    if (!cli.waitForFinished(120000) || cli.exitStatus() != QProcess::NormalExit || cli.exitCode() != 0) {
        qWarning("medveil-cli %s: %s", qPrintable(args.join(QLatin1Char(' '))),
                 cli.readAllStandardError().constData());
        return {};
    }
    return QJsonDocument::fromJson(cli.readAllStandardOutput()).object();
}

/// Pixels of the canvas as painted that carry the key region's orange (its outline, handles and tint):
/// the image itself is grey and the background blue-grey.
int regionOverlayPixels(QWidget* canvas)
{
    const QImage shot = canvas->grab().toImage();
    int count = 0;
    for (int y = 0; y < shot.height(); ++y)
        for (int x = 0; x < shot.width(); ++x) {
            const QColor c = shot.pixelColor(x, y);
            if (c.red() - c.blue() > 60 && c.green() > c.blue())
                ++count;
        }
    return count;
}

/// Waits until the Protect tab's preview has settled (no newer one within half a second).
bool previewSettled(ProtectPanel* protect)
{
    QSignalSpy preview(protect, &ProtectPanel::previewUpdated);
    if (!protect->lastReport() && !preview.wait(30000))
        return false;
    for (int i = 0; i < 60; ++i) {
        preview.clear();
        if (!preview.wait(500))
            return protect->lastReport().has_value();
    }
    return false;
}

void saveScreenshot(QWidget* window, const QString& name)
{
    const QString dir = QStringLiteral(MEDVEIL_SCREENSHOT_DIR);
    QDir().mkpath(dir);
    window->grab().save(dir + QLatin1Char('/') + name);
}

} // namespace

class TestGuiDocument : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_priv, m_pub, m_brain, m_protectedCt;

    bool open(MainWindow& window, const QString& path)
    {
        QSignalSpy loaded(&window, &MainWindow::imageLoaded);
        window.openFile(path);
        return loaded.wait(20000);
    }

    /// Opens the protected CT and recovers it with the right key, clicking Recover Original.
    void openAndRecoverCt(MainWindow& window)
    {
        RecoverPanel* recover = window.recoverPanel();
        QSignalSpy inspected(recover, &RecoverPanel::inspected);
        QVERIFY(open(window, m_protectedCt));
        QCOMPARE(window.currentWorkflow(), 1);
        QVERIFY(inspected.wait(20000));
        recover->setPrivateKeyPath(m_priv);
        recover->setPassphrase(QStringLiteral("s3cret"));
        QSignalSpy finished(recover, &RecoverPanel::recoveryFinished);
        QPushButton* run = button(recover, "recoverOriginal");
        QVERIFY(run && run->isEnabled());
        QTest::mouseClick(run, Qt::LeftButton);
        QVERIFY(finished.wait(30000));
        QVERIFY2(finished.first().first().toBool(), qPrintable(recover->verdict()));
        QVERIFY(button(recover, "saveRecovered")->isEnabled());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("MedVeilTest"));
        QCoreApplication::setApplicationName(QStringLiteral("MedVeilDocument"));
        AppSettings::clearRecentFiles();
        if (!QFile::exists(kCt))
            QSKIP("python3-pydicom's CT_small.dcm is not installed");
        const RsaKey key = *RsaKey::generate(2048);
        m_priv = m_dir.filePath(QStringLiteral("priv.pem"));
        m_pub = m_dir.filePath(QStringLiteral("pub.pem"));
        QVERIFY(writeFileAtomically(m_priv.toStdString(), toBytes(*key.privatePem(std::string("s3cret"))), {},
                                    FileMode::Private)
                    .ok());
        QVERIFY(writeFileAtomically(m_pub.toStdString(), toBytes(*key.publicPem())).ok());
        m_brain = m_dir.filePath(QStringLiteral("brain-slice.png"));
        QVERIFY(QFile::copy(MainWindow::bundledSamplePath(), m_brain));
        // Patient A: a protected CT (the CLI's own call).
        m_protectedCt = m_dir.filePath(QStringLiteral("patient-a-ct-protected.dcm"));
        auto protectedCt = workflow::protectFile(kCt.toStdString(), m_protectedCt.toStdString(),
                                                 *RsaKey::fromPem(*key.publicPem()), ProtectOptions{});
        QVERIFY2(protectedCt.ok(), protectedCt.ok() ? "" : protectedCt.error().message.c_str());
    }

    // Point 1: recover protected A, open unprotected B, press Ctrl+R on the Recover tab: nothing of A is
    // shown, saved or run again; every tab belongs to B or is empty and says why.
    void recoveredPatientLeavesWithItsFile()
    {
        MainWindow window;
        QVERIFY(medveil::test::showAndExpose(window));
        openAndRecoverCt(window);
        RecoverPanel* recover = window.recoverPanel();
        QVERIFY(!recover->verdict().isEmpty());

        QVERIFY(open(window, m_brain));
        const Image brain = *readImage(m_brain.toStdString());
        QVERIFY(clickTab(window, 1));
        QCOMPARE(window.currentWorkflow(), 1);
        QTest::keyClick(&window, Qt::Key_R, Qt::ControlModifier);
        QTest::qWait(1500); // a recovery of A, had it started, finishes in well under this
        QVERIFY2(window.windowTitle().contains(QStringLiteral("brain-slice.png")),
                 qPrintable(window.windowTitle()));
        QVERIFY2(window.canvas()->image().identicalTo(brain),
                 "the canvas shows another image than the open file");
        QVERIFY2(recover->verdict().isEmpty(), qPrintable(recover->verdict()));
        QVERIFY2(recover->signer().isEmpty(), qPrintable(recover->signer()));
        QCOMPARE(recover->infoRows(), 0);
        QVERIFY(!recover->recovered());
        QVERIFY(!button(recover, "recoverOriginal")->isEnabled());
        QVERIFY(!button(recover, "saveRecovered")->isEnabled());
        // The Recover tab says why it does not apply.
        auto* notice = tabsOf(window)->widget(1)->findChild<QLabel*>(QStringLiteral("notApplicable"));
        QVERIFY2(notice && notice->isVisible() && notice->text().contains(QStringLiteral("not protected")),
                 notice ? qPrintable(notice->text()) : "no notice on the Recover tab");
        // The Protect tab: B, its own region, no leftover of A.
        QVERIFY(clickTab(window, 0));
        QVERIFY(window.canvas()->image().identicalTo(brain));
        QVERIFY(window.protectPanel()->hasImage());
        QVERIFY(!tabsOf(window)->widget(0)->findChild<QLabel*>(QStringLiteral("notApplicable"))->isVisible());
        // Back on A: the Protect and EMR tabs do not apply to a protected file, and say so.
        QVERIFY(open(window, m_protectedCt));
        for (int tab : {0, 2}) {
            auto* why = tabsOf(window)->widget(tab)->findChild<QLabel*>(QStringLiteral("notApplicable"));
            QVERIFY(why && !why->isHidden() && why->text().contains(QStringLiteral("protected")));
        }
        QVERIFY(!button(window.emrPanel(), "sealEmr")->isEnabled());
    }

    // Point 1: a recovery still running when the next file opens is dropped when it finishes.
    void resultForAClosedFileIsDropped()
    {
        MainWindow window;
        QVERIFY(medveil::test::showAndExpose(window));
        RecoverPanel* recover = window.recoverPanel();
        QSignalSpy inspected(recover, &RecoverPanel::inspected);
        QVERIFY(open(window, m_protectedCt));
        QVERIFY(inspected.wait(20000));
        recover->setPrivateKeyPath(m_priv);
        recover->setPassphrase(QStringLiteral("s3cret"));
        QTest::mouseClick(button(recover, "recoverOriginal"), Qt::LeftButton);
        QVERIFY(open(window, m_brain)); // while the recovery runs
        QTest::qWait(3000);             // long enough for it to finish
        QVERIFY(window.canvas()->image().identicalTo(*readImage(m_brain.toStdString())));
        QVERIFY2(recover->verdict().isEmpty(), qPrintable(recover->verdict()));
        QVERIFY(!recover->recovered());
        QVERIFY(!button(recover, "saveRecovered")->isEnabled());
    }

    // Point 1: a recovery refused after a good one leaves nothing to save.
    void refusedRecoveryLeavesNothingToSave()
    {
        MainWindow window;
        QVERIFY(medveil::test::showAndExpose(window));
        openAndRecoverCt(window);
        RecoverPanel* recover = window.recoverPanel();
        recover->setPassphrase(QStringLiteral("wrong"));
        QSignalSpy finished(recover, &RecoverPanel::recoveryFinished);
        QTest::mouseClick(button(recover, "recoverOriginal"), Qt::LeftButton);
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.first().first().toBool(), false);
        QVERIFY(!recover->recovered());
        QVERIFY2(!button(recover, "saveRecovered")->isEnabled(),
                 "Save Recovered… is offered after a refusal");
        const auto protectedCt = readImageFile(m_protectedCt.toStdString());
        QVERIFY(window.canvas()->image().identicalTo(protectedCt->image)); // the file, not the old recovery
    }

    // Point 9: after opening, keys reach the viewer: R resets the window and types nothing into a QR field.
    void openedFileTakesTheKeyboard()
    {
        MainWindow window;
        QVERIFY(medveil::test::showAndExpose(window));
        QVERIFY(open(window, m_brain));
        ProtectPanel* protect = window.protectPanel();
        protect->setInfoValue(QStringLiteral("patient"), QStringLiteral("P-1"));
        QLineEdit* patient = nullptr;
        for (QLineEdit* edit : protect->findChildren<QLineEdit*>())
            if (edit->text() == QStringLiteral("P-1"))
                patient = edit;
        QVERIFY(patient);
        QTest::mouseClick(patient, Qt::LeftButton);
        QTest::keyClicks(window.focusWidget(), QStringLiteral("0"));
        QCOMPARE(protect->infoValue(QStringLiteral("patient")), QStringLiteral("P-10"));

        QVERIFY(open(window, MainWindow::bundledSamplePath()));
        QVERIFY2(window.focusWidget() == window.canvas(),
                 qPrintable(QStringLiteral("focus on %1")
                                .arg(window.focusWidget() ? window.focusWidget()->metaObject()->className()
                                                          : "nothing")));
        const QString fieldBefore = protect->infoValue(QStringLiteral("patient"));
        const double resetWidth = window.canvas()->windowWidth();
        window.canvas()->setWindowLevel(60, 20);
        QTest::keyClick(window.focusWidget(), Qt::Key_R);
        QCOMPARE(window.canvas()->windowWidth(), resetWidth);
        QCOMPARE(protect->infoValue(QStringLiteral("patient")), fieldBefore);
    }

    // Point 11: the walkthrough refuses a protected image instead of protecting it again.
    void walkthroughRefusesAProtectedImage()
    {
        MainWindow window;
        QVERIFY(medveil::test::showAndExpose(window));
        QVERIFY(open(window, m_protectedCt));
        auto* action = window.findChild<QAction*>(QStringLiteral("teachingAction"));
        QVERIFY(action);
        action->trigger();
        QApplication::processEvents();
        QVERIFY2(window.findChildren<TeachingDialog*>().isEmpty(),
                 "the walkthrough ran on a protected image");
        auto* refusal = window.findChild<QMessageBox*>(QStringLiteral("teachingRefused"));
        QVERIFY(refusal && refusal->isVisible());
        QVERIFY2(refusal->text().contains(QStringLiteral("protected")), qPrintable(refusal->text()));
        refusal->accept();
        // On an unprotected image it runs.
        QVERIFY(open(window, m_brain));
        TeachingDialog* teaching = window.showTeaching();
        QVERIFY(teaching);
        teaching->close();
    }

    // Points 7 and 11 on a CT: the EMR save dialog names a de-identified Secondary Capture; Cancel stays put
    // while the seal runs; the seal's stage images read as stored values; the revealed CT reads in HU with
    // CT presets; the next file starts with an empty progress bar, histogram and stage row.
    void ctSealAndRevealKeepTheirUnits()
    {
        MainWindow window;
        QVERIFY(medveil::test::showAndExpose(window, QSize(1280, 800)));
        QVERIFY(open(window, kCt));
        QVERIFY(clickTab(window, 2));
        EmrPanel* emr = window.emrPanel();
        emr->setEmrText(QStringLiteral("CT head: no acute findings.\n"));
        emr->setRecipientKeyPath(m_pub);
        QPushButton* cancel = nullptr;
        for (QPushButton* b : emr->findChildren<QPushButton*>())
            if (b->text() == QStringLiteral("Cancel"))
                cancel = b;
        QVERIFY(cancel);
        const QRect cancelBefore = placeIn(cancel, &window);
        QStringList filters;
        const QString sealedPath = m_dir.filePath(QStringLiteral("gui-sealed-ct.dcm"));
        QTimer::singleShot(0, [&filters, sealedPath] {
            QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<QFileDialog*>(QApplication::activeModalWidget()), 5000);
            auto* dialog = qobject_cast<QFileDialog*>(QApplication::activeModalWidget());
            filters = dialog->nameFilters();
            dialog->selectFile(sealedPath);
            static_cast<QDialog*>(dialog)->accept();
        });
        QSignalSpy sealed(emr, &EmrPanel::sealed);
        QSignalSpy failed(emr, &EmrPanel::failed);
        QTest::mouseClick(button(emr, "sealEmr"), Qt::LeftButton);
        const QString offered = filters.join(QStringLiteral(" | "));
        QVERIFY2(offered.contains(QStringLiteral("de-identified")) &&
                     offered.contains(QStringLiteral("Secondary Capture")) &&
                     !offered.contains(QStringLiteral("header kept")),
                 qPrintable(offered));
        QVERIFY(cancel->isEnabled()); // the seal runs
        QCOMPARE(placeIn(cancel, &window), cancelBefore);
        QTRY_VERIFY_WITH_TIMEOUT(sealed.count() + failed.count() > 0, 120000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        QCOMPARE(placeIn(cancel, &window), cancelBefore);
        saveScreenshot(&window, QStringLiteral("emr-seal-1280x800.png"));
        // A stage image is no CT: stored values, no HU.
        QPushButton* encodedStage = nullptr;
        for (QPushButton* b : emr->findChildren<QPushButton*>())
            if (b->text() == QStringLiteral("Encoded EMR"))
                encodedStage = b;
        QVERIFY(encodedStage && encodedStage->isEnabled());
        QTest::mouseClick(encodedStage, Qt::LeftButton);
        QTest::mouseMove(window.canvas(), window.canvas()->rect().center());
        QTRY_VERIFY(!statusLabel(window, "pixelLabel").isEmpty());
        QVERIFY2(!statusLabel(window, "pixelLabel").contains(QStringLiteral("HU")),
                 qPrintable(statusLabel(window, "pixelLabel")));
        QVERIFY2(!statusLabel(window, "windowLevelLabel").contains(QStringLiteral("HU")),
                 qPrintable(statusLabel(window, "windowLevelLabel")));

        // The revealed CT: HU, 16-bit, and the CT presets work on it.
        QVERIFY(open(window, sealedPath));
        QCOMPARE(window.currentWorkflow(), 2);
        QCOMPARE(emr->findChild<QProgressBar*>()->value(), 0);
        emr->setPrivateKeyPath(m_priv);
        emr->setPassphrase(QStringLiteral("s3cret"));
        QSignalSpy opened(emr, &EmrPanel::opened);
        QTest::mouseClick(button(emr, "openSealed"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(opened.count() + failed.count() > 0, 120000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        const auto original = DicomFile::read(kCt.toStdString());
        QVERIFY(window.canvas()->image().identicalTo(original->image()));
        QVERIFY2(statusLabel(window, "depthLabel").contains(QStringLiteral("16")),
                 qPrintable(statusLabel(window, "depthLabel")));
        QTest::mouseMove(window.canvas(), window.canvas()->rect().center() + QPoint(1, 1));
        QTRY_VERIFY2(statusLabel(window, "pixelLabel").contains(QStringLiteral("HU")),
                     qPrintable(statusLabel(window, "pixelLabel")));
        QVERIFY2(statusLabel(window, "windowLevelLabel").contains(QStringLiteral("HU")),
                 qPrintable(statusLabel(window, "windowLevelLabel")));
        // The whole read-out is in view (it was cut to "(64, 64) = 904" in the status bar).
        auto* pixel = window.findChild<QLabel*>(QStringLiteral("pixelLabel"));
        QVERIFY2(pixel->width() >= pixel->sizeHint().width(),
                 qPrintable(QStringLiteral("%1 px for %2").arg(pixel->width()).arg(pixel->text())));
        saveScreenshot(&window, QStringLiteral("emr-open-dicom-1280x800.png"));
        QAction* brainPreset = nullptr;
        for (QAction* action : window.findChildren<QAction*>())
            if (action->objectName().startsWith(QStringLiteral("windowPreset")) &&
                action->text().contains(QStringLiteral("Brain")))
                brainPreset = action;
        QVERIFY(brainPreset && brainPreset->isEnabled());
        brainPreset->trigger();
        QVERIFY2(statusLabel(window, "windowLevelLabel").contains(QStringLiteral("L 40")),
                 qPrintable(statusLabel(window, "windowLevelLabel")));
        QVERIFY2(paintedColours(window.canvas()) > 20, "the CT Brain window shows a flat image");
        QVERIFY(!emr->histogramView()->title().isEmpty());

        // The next file: no progress, histogram or stages of the previous one.
        QVERIFY(open(window, m_brain));
        QCOMPARE(emr->findChild<QProgressBar*>()->value(), 0);
        QVERIFY2(emr->histogramView()->title().isEmpty(), qPrintable(emr->histogramView()->title()));
        for (int stage = 0; stage < 5; ++stage)
            QVERIFY(!emr->stageEnabled(stage));
        QVERIFY(!statusLabel(window, "windowLevelLabel").contains(QStringLiteral("HU")));
    }

    // Point 11: at 1280×800 the Protect chart and the EMR record box are in view without scrolling, every
    // primary action is too; screenshots of each view for docs/screenshots.
    void everyViewFitsAt1280x800()
    {
        MainWindow window;
        QVERIFY(medveil::test::showAndExpose(window, QSize(1280, 800)));
        ProtectPanel* protect = window.protectPanel();
        QSignalSpy sweep(protect, &ProtectPanel::sweepUpdated);
        QVERIFY(open(window, m_brain));
        QTRY_VERIFY_WITH_TIMEOUT(!protect->chart()->points().isEmpty(), 30000);
        QApplication::processEvents();
        saveScreenshot(&window, QStringLiteral("protect-1280x800.png"));
        QVERIFY2(whollyShown(protect->chart()), "the threshold chart needs scrolling at 1280×800");
        const QStringList problems = medveil::test::layoutProblems(window);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QStringLiteral("; "))));
        QVERIFY(clickTab(window, 2));
        QApplication::processEvents();
        saveScreenshot(&window, QStringLiteral("emr-1280x800.png"));
        auto* record = window.emrPanel()->findChild<QPlainTextEdit*>();
        QVERIFY2(record && whollyShown(record), "the EMR record box needs scrolling at 1280×800");
        QVERIFY(whollyShown(button(window.emrPanel(), "cancelJob")));
        // The protected CT on the Recover tab, recovered.
        openAndRecoverCt(window);
        QApplication::processEvents();
        saveScreenshot(&window, QStringLiteral("recover-1280x800.png"));
        QVERIFY(whollyShown(button(window.recoverPanel(), "saveRecovered")));
    }

    // Point 11 at 1280×800: every widget a user reads or operates is wholly in view, not only the primary
    // buttons — the Protect tab, the EMR tab after a seal (its stage buttons and histogram), the Recover
    // tab after a recovery, and the Key Manager after generating a pair, inspecting the public key and
    // trusting it as a sender (its fingerprint lines).
    void nothingClippedAt1280x800()
    {
        MainWindow window;
        QVERIFY(medveil::test::showAndExpose(window, QSize(1280, 800)));
        KeyManagerDialog* manager = window.showKeyManager();
        QVERIFY(manager && QTest::qWaitForWindowExposed(manager));
        QSignalSpy generated(manager, &KeyManagerDialog::generated);
        manager->generate(m_dir.path(), QStringLiteral("radiology-department-of-union-hospital-2026"), 3072,
                          QStringLiteral("key manager layout 2026"));
        QVERIFY(generated.wait(120000));
        manager->inspect(manager->lastPublicKeyPath());
        QVERIFY(manager->inspectedSummary().contains(QStringLiteral("Fingerprint")));
        QVERIFY(manager->trustInspectedKey(QStringLiteral("Dr. Li, Radiology, Union Hospital")));
        // More senders: each row of the list is a name and a fingerprint, and none is cut in half.
        for (int i = 2; i <= 6; ++i) {
            const QString sender = m_dir.filePath(QStringLiteral("sender-%1.pub.pem").arg(i));
            QVERIFY(writeFileAtomically(sender.toStdString(), toBytes(*RsaKey::generate(2048)->publicPem()))
                        .ok());
            manager->inspect(sender);
            QVERIFY(manager->trustInspectedKey(QStringLiteral("Sender %1, Union Hospital").arg(i)));
        }
        QTest::qWait(300); // the dialog's layout settles (each size change is posted as an event)
        saveScreenshot(manager, QStringLiteral("key-manager-1280x800.png"));
        QStringList problems = medveil::test::clippedWidgets(manager);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QStringLiteral("; "))));
        QVERIFY2(manager->frameGeometry().height() <= 800 && manager->frameGeometry().width() <= 1280,
                 qPrintable(QStringLiteral("%1×%2").arg(manager->width()).arg(manager->height())));
        manager->close();

        ProtectPanel* protect = window.protectPanel();
        QVERIFY(open(window, m_brain));
        QTRY_VERIFY_WITH_TIMEOUT(!protect->chart()->points().isEmpty(), 30000);
        QVERIFY(previewSettled(protect));
        problems = medveil::test::clippedWidgets(tabsOf(window)->widget(0));
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QStringLiteral("; "))));

        QVERIFY(clickTab(window, 2));
        EmrPanel* emr = window.emrPanel();
        emr->setEmrText(QStringLiteral("MRI brain: no acute findings.\n"));
        emr->setRecipientKeyPath(m_pub);
        QSignalSpy sealed(emr, &EmrPanel::sealed);
        QSignalSpy failed(emr, &EmrPanel::failed);
        emr->sealAndSave(m_dir.filePath(QStringLiteral("fits-sealed.png")));
        QTRY_VERIFY_WITH_TIMEOUT(sealed.count() + failed.count() > 0, 120000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        QApplication::processEvents();
        saveScreenshot(&window, QStringLiteral("emr-sealed-1280x800.png"));
        QVERIFY2(whollyShown(emr->histogramView()), "the stage histogram needs scrolling at 1280×800");
        problems = medveil::test::clippedWidgets(tabsOf(window)->widget(2));
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QStringLiteral("; "))));

        openAndRecoverCt(window);
        QApplication::processEvents();
        problems = medveil::test::clippedWidgets(tabsOf(window)->widget(1));
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QStringLiteral("; "))));
    }

    // Point 5 (#25): the Protect tab's figures are those of the file Protect and Save writes — computed with
    // the recipient's own 3072-bit key, equal to `medveil-cli metrics` of the saved file as printed, the
    // same QR version, region, payload and capacity; and an input changed just before saving is previewed
    // and that preview written, never a protection nobody saw.
    void previewIsWhatIsSaved()
    {
        const RsaKey key = *RsaKey::generate(3072);
        const QString pub = m_dir.filePath(QStringLiteral("recipient-3072.pub.pem"));
        QVERIFY(writeFileAtomically(pub.toStdString(), toBytes(*key.publicPem())).ok());
        MainWindow window;
        QVERIFY(medveil::test::showAndExpose(window, QSize(1280, 800)));
        ProtectPanel* protect = window.protectPanel();
        protect->setRecipientKeyPath(pub);
        QVERIFY(open(window, m_brain));
        QVERIFY(previewSettled(protect));
        const auto checkSaved = [&](const QString& out) {
            const QString caption = protect->metricsText();
            QVERIFY2(caption.contains(QStringLiteral("3072-bit key")), qPrintable(caption));
            const auto shown = medveil::test::shownFigures(caption);
            const QString bar = protect->findChild<QProgressBar*>()->text();
            const QRect region = protect->region();
            const QJsonObject metrics = cliJson({QStringLiteral("metrics"), m_brain, out});
            QVERIFY(!metrics.isEmpty());
            QCOMPARE(shown.psnr, medveil::test::printed(metrics.value(QStringLiteral("psnr")).toDouble(), 2));
            QCOMPARE(shown.peak, QStringLiteral("255"));
            QCOMPARE(shown.ssim, medveil::test::printed(metrics.value(QStringLiteral("ssim")).toDouble(), 4));
            const QJsonObject inspect = cliJson({QStringLiteral("inspect"), out});
            const QString qr =
                QStringLiteral("QR version %1 ").arg(inspect.value(QStringLiteral("qr_version")).toInt());
            QVERIFY2(caption.contains(qr), qPrintable(caption + QStringLiteral(" | file: ") + qr));
            const QString threshold = QString::number(protect->lastReport()->threshold);
            const QJsonObject sweep = cliJson(
                {QStringLiteral("sweep"), m_brain, QStringLiteral("--thresholds"),
                 threshold + QLatin1Char(':') + threshold + QStringLiteral(":5"), QStringLiteral("--region"),
                 QStringLiteral("%1,%2,%3,%4")
                     .arg(region.x())
                     .arg(region.y())
                     .arg(region.width())
                     .arg(region.height())});
            const QJsonObject row = sweep.value(QStringLiteral("rows")).toArray().first().toObject();
            QCOMPARE(bar, QStringLiteral("%1 / %2 bits")
                              .arg(row.value(QStringLiteral("payload_bits")).toInteger())
                              .arg(row.value(QStringLiteral("capacity_bits")).toInteger()));
            const QJsonArray fileRegion = inspect.value(QStringLiteral("region")).toArray();
            QCOMPARE(QRect(fileRegion[0].toInt(), fileRegion[1].toInt(), fileRegion[2].toInt(),
                           fileRegion[3].toInt()),
                     region);
            qInfo("shown %s | file: PSNR %.4f SSIM %.5f, %s", qPrintable(caption),
                  metrics.value(QStringLiteral("psnr")).toDouble(),
                  metrics.value(QStringLiteral("ssim")).toDouble(), qPrintable(qr));
        };
        QSignalSpy saved(protect, &ProtectPanel::saved);
        const QString first = m_dir.filePath(QStringLiteral("previewed-3072.png"));
        protect->protectAndSave(first);
        QVERIFY(saved.wait(60000));
        checkSaved(first);
        if (QTest::currentTestFailed())
            return;
        // Changed just before saving: the save waits for that preview and writes it.
        protect->setInfoValue(QStringLiteral("hospital"), QStringLiteral("Union Hospital"));
        const QString second = m_dir.filePath(QStringLiteral("previewed-3072-changed.png"));
        protect->protectAndSave(second);
        QVERIFY(saved.wait(60000));
        QVERIFY(previewSettled(protect));
        checkSaved(second);
    }

    // Point 2 (#25): on a 12-bit CT the live figures are `medveil-cli metrics`' (one engine function): the
    // peak 4095 (2^BitsStored − 1), not 65535, and PSNR/SSIM of the saved file as printed.
    void twelveBitCtFiguresAreMetrics()
    {
        const QString ct12 = m_dir.filePath(QStringLiteral("ct-12bit.dcm"));
        // pydicom's CT at 512² as a 12-bit unsigned CT (BitsStored 12, values 0..4095, intercept −1024): the
        // CT of tests/cli/metrics_vs_skimage.py.
        const QString script = QStringLiteral(
            "import sys, numpy as np, pydicom\n"
            "d = pydicom.dcmread(sys.argv[1])\n"
            "a = np.kron(d.pixel_array.astype(np.int32), np.ones((4, 4), dtype=np.int32))\n"
            "a = np.clip(a + 1024, 0, 4095).astype(np.uint16)\n"
            "d.Rows, d.Columns = a.shape\n"
            "d.PixelData = a.tobytes()\n"
            "d.PixelRepresentation, d.BitsStored, d.HighBit, d.RescaleIntercept = 0, 12, 11, -1024\n"
            "d.save_as(sys.argv[2])\n");
        QCOMPARE(
            QProcess::execute(QStringLiteral("/usr/bin/python3"), {QStringLiteral("-c"), script, kCt, ct12}),
            0);
        MainWindow window;
        QVERIFY(medveil::test::showAndExpose(window, QSize(1280, 800)));
        ProtectPanel* protect = window.protectPanel();
        protect->setRecipientKeyPath(m_pub);
        QVERIFY(open(window, ct12));
        QVERIFY(previewSettled(protect));
        const auto shown = medveil::test::shownFigures(protect->metricsText());
        QCOMPARE(shown.peak, QStringLiteral("4095"));
        // The preview on the canvas against the opened CT: the engine's fidelity(), as `metrics` computes it.
        protect->showPreview(true);
        const Image previewed = window.canvas()->image();
        protect->showPreview(false);
        const Image original = window.canvas()->image();
        const auto engine = fidelity(original, previewed);
        QVERIFY(engine.ok());
        QCOMPARE(engine->psnrPeak, 4095.0);
        QCOMPARE(shown.psnr, medveil::test::printed(engine->psnr, 2));
        QCOMPARE(shown.ssim, medveil::test::printed(engine->ssim, 4));
        // Saved as DICOM (header kept): `metrics` of the two files gives the figures on screen.
        QSignalSpy saved(protect, &ProtectPanel::saved);
        const QString out = m_dir.filePath(QStringLiteral("ct-12bit-protected.dcm"));
        protect->protectAndSave(out);
        QVERIFY(saved.wait(60000));
        const QJsonObject metrics = cliJson({QStringLiteral("metrics"), ct12, out});
        QCOMPARE(metrics.value(QStringLiteral("psnr_peak")).toDouble(), 4095.0);
        const double psnr = metrics.value(QStringLiteral("psnr")).toDouble();
        const double ssim = metrics.value(QStringLiteral("ssim")).toDouble();
        qInfo("12-bit CT: shown PSNR %s dB (peak %s) SSIM %s; metrics of the saved file PSNR %.4f SSIM %.5f; "
              "preview %.4f / %.5f",
              qPrintable(shown.psnr), qPrintable(shown.peak), qPrintable(shown.ssim), psnr, ssim,
              engine->psnr, engine->ssim);
        QVERIFY2(std::abs(shown.psnr.toDouble() - psnr) <= 0.005 + 1e-9, qPrintable(QString::number(psnr)));
        QVERIFY2(std::abs(shown.ssim.toDouble() - ssim) <= 5e-5 + 1e-12, qPrintable(QString::number(ssim)));
        QVERIFY2(std::abs(engine->psnr - psnr) < 0.01 && std::abs(engine->ssim - ssim) < 1e-4,
                 qPrintable(QStringLiteral("%1 %2").arg(engine->psnr - psnr).arg(engine->ssim - ssim)));
    }

    // Point 1 (#25): the canvas shows what belongs to the tab in front. The Protect tab's key region is drawn
    // there only; on the EMR and Recover tabs the open image shows without it (even after a seal showed its
    // stages), and back on Protect the same region is drawn again over the opened image.
    void keyRegionStaysOnTheProtectTab()
    {
        MainWindow window;
        QVERIFY(medveil::test::showAndExpose(window, QSize(1280, 800)));
        ProtectPanel* protect = window.protectPanel();
        QVERIFY(open(window, m_brain));
        QVERIFY(previewSettled(protect));
        const Image brain = *readImage(m_brain.toStdString());
        const QRect region = protect->region();
        QVERIFY(!region.isNull());
        QVERIFY2(regionOverlayPixels(window.canvas()) > 100, "no key region drawn on the Protect tab");
        for (int tab : {2, 1}) {
            QVERIFY(clickTab(window, tab));
            QApplication::processEvents();
            QCOMPARE(window.currentWorkflow(), tab);
            QVERIFY(window.canvas()->image().identicalTo(brain));
            QVERIFY2(regionOverlayPixels(window.canvas()) == 0,
                     qPrintable(QStringLiteral("the Protect tab's region is drawn on tab %1").arg(tab)));
        }
        // A seal on the EMR tab shows its stages; Protect then shows the opened image and its region again.
        QVERIFY(clickTab(window, 2));
        EmrPanel* emr = window.emrPanel();
        emr->setEmrText(QStringLiteral("MRI brain: no acute findings.\n"));
        emr->setRecipientKeyPath(m_pub);
        QSignalSpy sealed(emr, &EmrPanel::sealed);
        QSignalSpy failed(emr, &EmrPanel::failed);
        emr->sealAndSave(m_dir.filePath(QStringLiteral("overlay-sealed.png")));
        QTRY_VERIFY_WITH_TIMEOUT(sealed.count() + failed.count() > 0, 120000);
        QVERIFY(failed.isEmpty());
        QVERIFY(!window.canvas()->image().identicalTo(brain)); // a stage of the seal
        QCOMPARE(regionOverlayPixels(window.canvas()), 0);
        QVERIFY(clickTab(window, 0));
        QApplication::processEvents();
        QVERIFY2(window.canvas()->image().identicalTo(brain),
                 "the Protect tab shows the EMR tab's stage image");
        QCOMPARE(protect->region(), region);
        QVERIFY(regionOverlayPixels(window.canvas()) > 100);
        // The region is moved with the mouse only where it is drawn.
        QVERIFY(clickTab(window, 2));
        QApplication::processEvents();
        const QPoint inside = window.canvas()->imageToWidget(QPointF(region.center())).toPoint();
        QTest::mousePress(window.canvas(), Qt::LeftButton, Qt::NoModifier, inside);
        QTest::mouseMove(window.canvas(), inside + QPoint(40, 40));
        QTest::mouseRelease(window.canvas(), Qt::LeftButton, Qt::NoModifier, inside + QPoint(40, 40));
        QCOMPARE(protect->region(), region);
    }

    /// An image that cannot be protected (pydicom's 64×64 MR: smaller than the key region) shows why, and
    /// nothing of the image before it: no key region, no payload/capacity bar, no threshold sweep.
    void unprotectableImageShowsNothingOfThePrevious()
    {
        const QString mrSmall =
            QStringLiteral("/usr/lib/python3/dist-packages/pydicom/data/test_files/MR_small.dcm");
        if (!QFile::exists(mrSmall))
            QSKIP("python3-pydicom's MR_small.dcm is not installed");
        MainWindow window;
        QVERIFY(medveil::test::showAndExpose(window, QSize(1280, 800)));
        ProtectPanel* protect = window.protectPanel();
        auto* chart = protect->findChild<SweepChart*>();
        auto* bar = protect->findChild<QProgressBar*>();
        auto* regionLabel = protect->findChild<QLabel*>(QStringLiteral("regionLabel"));
        QVERIFY(chart && bar && regionLabel);
        QVERIFY(open(window, m_brain));
        QVERIFY(previewSettled(protect));
        QTRY_VERIFY_WITH_TIMEOUT(!chart->points().isEmpty(), 60000); // the brain's sweep
        QVERIFY2(bar->text().contains(QStringLiteral("bits")), qPrintable(bar->text()));
        QVERIFY(regionLabel->text() != QStringLiteral("—"));

        QVERIFY(open(window, mrSmall));
        QTRY_VERIFY_WITH_TIMEOUT(protect->metricsText().contains(QStringLiteral("smaller than")), 20000);
        QTest::qWait(1000); // past the preview and sweep timers the brain had started
        QCOMPARE(regionLabel->text(), QStringLiteral("—"));
        QVERIFY2(!bar->text().contains(QStringLiteral("bits")), qPrintable(bar->text()));
        QCOMPARE(bar->value(), 0);
        QVERIFY2(chart->points().isEmpty(), "the previous image's threshold sweep is still shown");
        QVERIFY(protect->region().isNull());
    }

    // The same in Chinese (last: the translators stay installed), with a tab that says why it does not apply.
    void chineseViewsFitAt1280x800()
    {
        QCOMPARE(installTranslators(QStringLiteral("zh_CN")), QStringLiteral("zh_CN"));
        MainWindow window;
        QVERIFY(medveil::test::showAndExpose(window, QSize(1280, 800)));
        ProtectPanel* protect = window.protectPanel();
        QVERIFY(open(window, m_brain));
        QTRY_VERIFY_WITH_TIMEOUT(!protect->chart()->points().isEmpty(), 30000);
        QApplication::processEvents();
        saveScreenshot(&window, QStringLiteral("protect-zh_CN-1280x800.png"));
        QVERIFY2(whollyShown(protect->chart()), "the threshold chart needs scrolling at 1280×800");
        QStringList problems = medveil::test::layoutProblems(window);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QStringLiteral("; "))));
        problems = medveil::test::clippedWidgets(tabsOf(window)->widget(0));
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QStringLiteral("; "))));
        QVERIFY(clickTab(window, 2));
        QApplication::processEvents();
        QVERIFY(whollyShown(window.emrPanel()->findChild<QPlainTextEdit*>()));
        problems = medveil::test::clippedWidgets(tabsOf(window)->widget(2));
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QStringLiteral("; "))));
        // The Key Manager with a public key's fingerprint and a trusted sender, in Chinese.
        KeyManagerDialog* manager = window.showKeyManager();
        QVERIFY(manager && QTest::qWaitForWindowExposed(manager));
        manager->inspect(m_pub);
        QVERIFY(manager->trustInspectedKey(QStringLiteral("李医生，联合医院放射科")));
        QTest::qWait(300);
        saveScreenshot(manager, QStringLiteral("key-manager-zh_CN-1280x800.png"));
        problems = medveil::test::clippedWidgets(manager);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QStringLiteral("; "))));
        manager->close();
        QVERIFY(clickTab(window, 1));
        auto* notice = tabsOf(window)->widget(1)->findChild<QLabel*>(QStringLiteral("notApplicable"));
        QVERIFY(notice && notice->isVisible() && whollyShown(notice));
        QVERIFY2(notice->text().contains(QStringLiteral("未受保护")), qPrintable(notice->text()));
        saveScreenshot(&window, QStringLiteral("recover-not-applicable-zh_CN-1280x800.png"));
    }
};

QTEST_MAIN(TestGuiDocument)
#include "test_gui_document.moc"
