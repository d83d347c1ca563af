// SPDX-License-Identifier: GPL-3.0-or-later
// The protect and recover workflows driven end to end with real mouse and keyboard events under
// QT_QPA_PLATFORM=offscreen, with a watchdog on the GUI thread's responsiveness.
#include "AppSettings.h"
#include "EmrPanel.h"
#include "FittedImageView.h"
#include "GuiTestSupport.h"
#include "HistogramView.h"
#include "ImageCanvas.h"
#include "KeyManagerDialog.h"
#include "KeyPathField.h"
#include "MainWindow.h"
#include "ProtectPanel.h"
#include "RecoverPanel.h"
#include "SeriesBrowser.h"
#include "SweepChart.h"
#include "TeachingDialog.h"
#include "crypto/KeyFile.h"
#include "crypto/RsaKey.h"
#include "emr/HiNet.h"
#include "engine/TestImages.h"
#include "io/AtomicFile.h"
#include "io/DicomFile.h"
#include "io/ImageIo.h"
#include "keyregion/ArnoldScrambler.h"
#include "metrics/ImageMetrics.h"
#include "teaching/KeylessAttack.h"
#include "teaching/PipelineWalkthrough.h"
#include "workflow/FileWorkflows.h"

#include <QCheckBox>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSlider>
#include <QTabBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>
#include <array>
#include <cmath>
#include <random>
#include <set>

using namespace medveil;
using namespace medveil::ui;

namespace {

/// Records the longest gap between 5 ms timer ticks: how long the GUI thread was blocked.
class StallMonitor : public QObject
{
public:
    StallMonitor()
    {
        m_timer.setInterval(5);
        QObject::connect(&m_timer, &QTimer::timeout, this, [this] {
            if (m_clock.isValid())
                m_longest = std::max(m_longest, m_clock.restart());
            else
                m_clock.start();
        });
        m_timer.start();
    }
    [[nodiscard]] qint64 longestMs() const { return m_longest; }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_longest = 0;
};

void saveScreenshot(QWidget* window, const QString& name)
{
    const QString dir = QStringLiteral(MEDVEIL_SCREENSHOT_DIR);
    QDir().mkpath(dir);
    window->grab().save(dir + QLatin1Char('/') + name);
}

/// The Patient number field of the Protect tab.
/// Shift+drag with the mouse over `box` (image coordinates): how a user draws a further region.
void drawFurtherRegion(ImageCanvas* canvas, const QRect& box)
{
    const QPoint from = canvas->imageToWidget(QPointF(box.topLeft())).toPoint();
    const QPoint to = canvas->imageToWidget(QPointF(box.bottomRight() + QPoint(1, 1))).toPoint();
    QTest::mousePress(canvas, Qt::LeftButton, Qt::ShiftModifier, from);
    QTest::mouseMove(canvas, (from + to) / 2);
    QTest::mouseMove(canvas, to);
    QTest::mouseRelease(canvas, Qt::LeftButton, Qt::ShiftModifier, to);
}

QString patientOf(ProtectPanel* protect)
{
    return protect->infoValue(QStringLiteral("patient"));
}

/// 2×2 matrix product mod 8.
std::array<int, 4> multiplyMod8(const std::array<int, 4>& m, const std::array<int, 4>& n)
{
    return {(m[0] * n[0] + m[1] * n[2]) % 8, (m[0] * n[1] + m[1] * n[3]) % 8, (m[2] * n[0] + m[3] * n[2]) % 8,
            (m[2] * n[1] + m[3] * n[3]) % 8};
}

/// The number of distinct cat maps on an 8×8 block from the definition (Li et al. 2020): the matrices
/// Mⁿ mod 8, M = [[1, a], [b, ab + 1]], a, b ∈ 1..7, 1 ≤ n < the order of M.
int catMapCountByDefinition()
{
    std::set<std::array<int, 4>> maps;
    for (int a = 1; a <= 7; ++a)
        for (int b = 1; b <= 7; ++b) {
            const std::array<int, 4> m{1, a, b, (a * b + 1) % 8}, identity{1, 0, 0, 1};
            for (std::array<int, 4> power = m; power != identity; power = multiplyMod8(power, m))
                maps.insert(power);
        }
    return int(maps.size());
}

/// The number of distinct block maps ArnoldScrambler draws from 2000 keys (64 blocks each, fixed seed), or
/// −1 when one of them is not Mⁿ mod 8 with its (a, b, n).
int distinctArnoldMapsFromKeys()
{
    std::mt19937 rng(15);
    std::set<std::array<uint8_t, 64>> seen;
    for (int k = 0; k < 2000; ++k) {
        Bytes key(32);
        for (auto& byte : key)
            byte = uint8_t(rng());
        auto scrambler = ArnoldScrambler::fromKey(key, 64);
        if (!scrambler)
            return -1;
        for (const ArnoldParameters& p : scrambler->parameters()) {
            std::array<int, 4> power{1, 0, 0, 1};
            for (int n = 0; n < p.iterations; ++n)
                power = multiplyMod8(power, {1, p.a, p.b, (p.a * p.b + 1) % 8});
            const auto destination = ArnoldScrambler::permutation(p);
            for (int y = 0; y < 8; ++y)
                for (int x = 0; x < 8; ++x)
                    if (destination[size_t(y * 8 + x)] !=
                        ((power[2] * x + power[3] * y) % 8) * 8 + (power[0] * x + power[1] * y) % 8)
                        return -1;
            seen.insert(destination);
        }
    }
    return int(seen.size());
}

} // namespace

class TestGuiWorkflows : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_priv, m_pub, m_pass;

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("MedVeilTest"));
        QCoreApplication::setApplicationName(QStringLiteral("MedVeilWorkflows"));
        AppSettings::clearRecentFiles();
        const RsaKey key = *RsaKey::generate(2048);
        m_priv = m_dir.filePath(QStringLiteral("priv.pem"));
        m_pub = m_dir.filePath(QStringLiteral("pub.pem"));
        QVERIFY(writeFileAtomically(m_priv.toStdString(), toBytes(*key.privatePem(std::string("s3cret"))), {},
                                    FileMode::Private)
                    .ok());
        QVERIFY(writeFileAtomically(m_pub.toStdString(), toBytes(*key.publicPem())).ok());
    }

    void aKeyChosenInOneTabIsOfferedInTheOthers()
    {
        MainWindow window;
        QVERIFY(medveil::test::showAndExpose(window));
        // The Protect tab's "…" opens a file dialog; the test answers it with the public key.
        // (The Protect tab's recipient sits in its action bar, below the scrolled settings.)
        KeyPathField* recipient = nullptr;
        const auto recipientFields = window.findChildren<KeyPathField*>(QStringLiteral("recipientKey"));
        QCOMPARE(recipientFields.size(), 2); // Protect and EMR
        for (KeyPathField* field : recipientFields)
            if (!window.emrPanel()->isAncestorOf(field))
                recipient = field;
        QVERIFY(recipient && recipient->isVisible());
        const auto answerFileDialog = [](const QString& file) {
            QTimer::singleShot(0, [file] {
                QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<QFileDialog*>(QApplication::activeModalWidget()), 5000);
                auto* dialog = qobject_cast<QFileDialog*>(QApplication::activeModalWidget());
                QVERIFY(dialog->nameFilters().join(QLatin1Char(' ')).contains(QStringLiteral("*.pem")));
                dialog->selectFile(file);
                static_cast<QDialog*>(dialog)->accept();
            });
        };
        answerFileDialog(m_pub);
        QTest::mouseClick(recipient->findChild<QPushButton*>(), Qt::LeftButton);
        QTRY_COMPARE(window.protectPanel()->recipientKeyPath(), m_pub);
        // The EMR tab seals for the same recipient, and a new window offers it again.
        QCOMPARE(window.emrPanel()->recipientKeyPath(), m_pub);
        // The private key chosen on the Recover tab is the one the EMR tab opens with.
        auto* own = window.recoverPanel()->findChild<KeyPathField*>(QStringLiteral("privateKey"));
        QVERIFY(own);
        answerFileDialog(m_priv);
        QTest::mouseClick(own->findChild<QPushButton*>(), Qt::LeftButton);
        QTRY_COMPARE(own->path(), m_priv);
        auto* emrOwn = window.emrPanel()->findChild<KeyPathField*>(QStringLiteral("privateKey"));
        QVERIFY(emrOwn);
        QCOMPARE(emrOwn->path(), m_priv);
        MainWindow next;
        QCOMPARE(next.protectPanel()->recipientKeyPath(), m_pub);
        QCOMPARE(next.recoverPanel()->findChild<KeyPathField*>(QStringLiteral("privateKey"))->path(), m_priv);
        // The recipient's field never offers the private key and vice versa.
        QVERIFY(next.emrPanel()->recipientKeyPath() != m_priv);
    }

    void protectThenRecoverIdentical()
    {
        MainWindow window;
        QVERIFY(medveil::test::showAndExpose(window));
        StallMonitor stalls;
        ProtectPanel* protect = window.protectPanel();
        QSignalSpy preview(protect, &ProtectPanel::previewUpdated);
        QSignalSpy sweep(protect, &ProtectPanel::sweepUpdated);
        QSignalSpy loaded(&window, &MainWindow::imageLoaded);
        const QString sample = m_dir.filePath(QStringLiteral("sample.png"));
        QVERIFY(QFile::copy(MainWindow::bundledSamplePath(), sample));
        window.openFile(sample);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(window.currentWorkflow(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(preview.count() >= 1, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(!protect->chart()->points().isEmpty(), 20000);
        QCOMPARE(protect->chart()->points().size(), 10);

        // Drag the key region 40 screen pixels right and down with the mouse; it snaps to 8 px.
        ImageCanvas* canvas = window.canvas();
        const QRect before = protect->region();
        const QPoint inside = canvas->imageToWidget(QPointF(before.center())).toPoint();
        preview.clear();
        QTest::mousePress(canvas, Qt::LeftButton, Qt::NoModifier, inside);
        QTest::mouseMove(canvas, inside + QPoint(20, 20));
        QTest::mouseMove(canvas, inside + QPoint(40, 40));
        QTest::mouseRelease(canvas, Qt::LeftButton, Qt::NoModifier, inside + QPoint(40, 40));
        const QRect after = protect->region();
        QVERIFY(after != before);
        QCOMPARE(after.x() % 8, 0);
        QCOMPARE(after.y() % 8, 0);
        QCOMPARE(after.size(), before.size());
        QElapsedTimer latency;
        latency.start();
        QTRY_VERIFY_WITH_TIMEOUT(preview.count() >= 1, 20000);
        qInfo("live metrics after a region drag: %lld ms", latency.elapsed());
        QVERIFY(protect->lastReport().has_value());
        QCOMPARE(protect->lastReport()->region.x, after.x());

        // The slider: switch Auto off, then keyboard steps to T = 35.
        auto* autoBox = protect->findChild<QCheckBox*>();
        auto* slider = protect->findChild<QSlider*>();
        QVERIFY(autoBox && slider);
        QTest::mouseClick(autoBox, Qt::LeftButton, Qt::NoModifier, QPoint(6, autoBox->height() / 2));
        QVERIFY(!autoBox->isChecked());
        slider->setFocus();
        QTest::keyClick(slider, Qt::Key_Home); // from the lowest T (the slider showed Auto's choice)
        QTest::keyClick(slider, Qt::Key_PageUp);
        QTest::keyClick(slider, Qt::Key_PageUp);
        QTest::keyClick(slider, Qt::Key_PageUp);
        QTest::keyClick(slider, Qt::Key_PageUp);
        QCOMPARE(slider->value(), 25);
        QTRY_VERIFY_WITH_TIMEOUT(!preview.isEmpty(), 20000);
        preview.clear();
        latency.restart();
        QTest::keyClick(slider, Qt::Key_Right);
        QTest::keyClick(slider, Qt::Key_Right);
        QCOMPARE(slider->value(), 35);
        QTest::keyClick(slider, Qt::Key_PageUp);
        QCOMPARE(slider->value(), 40);
        QTRY_VERIFY_WITH_TIMEOUT(
            preview.count() >= 1 && protect->lastReport() && protect->lastReport()->threshold == 40.0, 20000);
        qInfo("live metrics after a slider move: %lld ms", latency.elapsed());

        // Protect and save with the recipient's public key.
        protect->setRecipientKeyPath(m_pub);
        protect->setInfoValue(QStringLiteral("hospital"), QStringLiteral("Union Hospital"));
        protect->setInfoValue(QStringLiteral("patient"), QStringLiteral("10256"));
        QSignalSpy saved(protect, &ProtectPanel::saved);
        const QString out = m_dir.filePath(QStringLiteral("protected.png"));
        protect->protectAndSave(out);
        QVERIFY(saved.wait(20000));
        QVERIFY(QFile::exists(out));
        qInfo("longest GUI-thread stall during preview, sweep and protect: %lld ms", stalls.longestMs());
        QVERIFY2(stalls.longestMs() < 100, qPrintable(QString::number(stalls.longestMs())));
        saveScreenshot(&window, QStringLiteral("protect.png")); // after the measurement: grabbing takes time
        {
            // The caption's figures are the engine's (metrics/ImageMetrics: fidelity) for the protected
            // preview against the opened image, as printed: PSNR to 0.01 dB with its peak, SSIM to 1e-4
            // (after the stall measurement: the test computes them on the GUI thread).
            preview.clear();
            while (preview.wait(1000)) // the preview of the last settings, once no newer one comes
                preview.clear();
            const auto shown = medveil::test::shownFigures(protect->metricsText());
            protect->showPreview(true);
            const Image previewed = window.canvas()->image();
            protect->showPreview(false);
            const Image original = *readImage(sample.toStdString());
            QVERIFY(!previewed.identicalTo(original));
            const auto engine = fidelity(original, previewed);
            QVERIFY(engine.ok());
            QCOMPARE(shown.psnr, medveil::test::printed(engine->psnr, 2));
            QCOMPARE(shown.peak, QStringLiteral("255"));
            QCOMPARE(shown.ssim, medveil::test::printed(engine->ssim, 4));
        }

        // Site fields are remembered, the patient number never.
        const QVariantMap remembered = AppSettings::value(AppSettings::Key::ProtectInfo).toMap();
        QCOMPARE(remembered.value(QStringLiteral("hospital")).toString(), QStringLiteral("Union Hospital"));
        QVERIFY(!remembered.contains(QStringLiteral("patient")));

        // Reopen: the Recover workflow shows the public info at once.
        StallMonitor recoverStalls;
        RecoverPanel* recover = window.recoverPanel();
        QSignalSpy inspected(recover, &RecoverPanel::inspected);
        loaded.clear();
        window.openFile(out);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(window.currentWorkflow(), 1);
        QVERIFY(inspected.wait(10000));
        QVERIFY(recover->infoRows() >= 2);

        // A wrong passphrase is a clear failure; the right one recovers bit-exactly.
        QSignalSpy finished(recover, &RecoverPanel::recoveryFinished);
        recover->setPrivateKeyPath(m_priv);
        recover->setPassphrase(QStringLiteral("wrong"));
        recover->recover();
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.takeFirst().first().toBool(), false);
        QVERIFY2(recover->verdict().contains(QStringLiteral("passphrase")), qPrintable(recover->verdict()));
        recover->setPassphrase(QStringLiteral("s3cret"));
        recover->recover();
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.takeFirst().first().toBool(), true);
        QVERIFY(recover->verdict().contains(QStringLiteral("Identical to the original (SHA-256 verified)")));
        qInfo("longest GUI-thread stall during inspect and recover: %lld ms", recoverStalls.longestMs());
        QVERIFY2(recoverStalls.longestMs() < 100, qPrintable(QString::number(recoverStalls.longestMs())));
        QVERIFY(canvas->image().identicalTo(*readImage(sample.toStdString())));
        saveScreenshot(&window, QStringLiteral("recover.png"));
        QSignalSpy recoveredSaved(recover, &RecoverPanel::saved);
        const QString restored = m_dir.filePath(QStringLiteral("restored.png"));
        recover->saveRecovered(restored);
        QVERIFY(recoveredSaved.wait(10000));
        QVERIFY(readImage(restored.toStdString())->identicalTo(*readImage(sample.toStdString())));
    }

    void sealThenOpenEmrIdentical()
    {
        MainWindow window;
        QVERIFY(medveil::test::showAndExpose(window));
        QSignalSpy loaded(&window, &MainWindow::imageLoaded);
        window.openFile(MainWindow::bundledSamplePath());
        QVERIFY(loaded.wait(10000));
        QFile noteFile(QStringLiteral(MEDVEIL_TEST_DATA "/emr/mixed_scripts.txt"));
        QVERIFY(noteFile.open(QIODevice::ReadOnly));
        const QString note = QString::fromUtf8(noteFile.readAll());
        // The user switches to the EMR tab with the mouse.
        QVERIFY(medveil::test::clickTab(window, 2));
        QCOMPARE(window.currentWorkflow(), 2);
        EmrPanel* emr = window.emrPanel();
        emr->setEmrText(note);
        emr->setRecipientKeyPath(m_pub);
        QSignalSpy sealed(emr, &EmrPanel::sealed);
        QSignalSpy failed(emr, &EmrPanel::failed);
        const QString out = m_dir.filePath(QStringLiteral("sealed.png"));
        {
            // First seal: loads the LibTorch plugin in the worker (hundreds of ms). The GUI thread must not
            // wait for it: it used to, through Qt's global thread pool (see jobThreadPool()).
            StallMonitor firstLoad;
            emr->sealAndSave(m_dir.filePath(QStringLiteral("first.png")));
            QTRY_VERIFY_WITH_TIMEOUT(sealed.count() + failed.count() > 0, 60000);
            QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
            qInfo("longest GUI-thread stall during the first EMR seal (plugin load): %lld ms",
                  firstLoad.longestMs());
            QVERIFY2(firstLoad.longestMs() < 100, qPrintable(QString::number(firstLoad.longestMs())));
        }
        sealed.clear();
        StallMonitor stalls;
        emr->sealAndSave(out);
        QTRY_VERIFY_WITH_TIMEOUT(sealed.count() + failed.count() > 0, 60000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        qInfo("longest GUI-thread stall during an EMR seal (hide + cipher): %lld ms", stalls.longestMs());
        QVERIFY2(stalls.longestMs() < 100, qPrintable(QString::number(stalls.longestMs())));
        {
            // The stego figures are the engine's PSNR and SSIM of the stego image against the encoded EMR
            // image (the two stages on screen), as printed.
            const auto shown = medveil::test::shownFigures(emr->statusText());
            emr->showStage(1);
            const Image encoded = window.canvas()->image();
            emr->showStage(2);
            const Image stego = window.canvas()->image();
            const auto stegoPsnr = psnr(encoded, stego);
            const auto stegoSsim = ssimAnySize(encoded, stego);
            QVERIFY(stegoPsnr.ok() && stegoSsim.ok());
            QVERIFY2(*stegoPsnr > 20 && *stegoPsnr < 80, qPrintable(QString::number(*stegoPsnr)));
            QCOMPARE(shown.psnr, medveil::test::printed(*stegoPsnr, 2));
            QCOMPARE(shown.ssim, medveil::test::printed(*stegoSsim, 4));
        }
        // Histograms under the stages: the encoded EMR carries 1 bit per pixel (base 2, chosen because the
        // record fits), the cipher ~8.
        emr->showStage(1);
        QVERIFY2(emr->histogramView()->entropyBits() < 1.05 && emr->histogramView()->entropyBits() > 0.95,
                 qPrintable(QString::number(emr->histogramView()->entropyBits())));
        emr->showStage(4);
        QVERIFY2(emr->histogramView()->entropyBits() > 7.99,
                 qPrintable(QString::number(emr->histogramView()->entropyBits())));
        emr->showStage(3);
        saveScreenshot(&window, QStringLiteral("emr-seal.png"));

        loaded.clear();
        window.openFile(out);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(window.currentWorkflow(), 2);
        emr->setEmrText(QString());
        emr->setPrivateKeyPath(m_priv);
        emr->setPassphrase(QStringLiteral("s3cret"));
        QSignalSpy opened(emr, &EmrPanel::opened);
        emr->open();
        QTRY_VERIFY_WITH_TIMEOUT(opened.count() + failed.count() > 0, 60000);
        QVERIFY(failed.isEmpty());
        QCOMPARE(opened.first().first().toString().toUtf8(), note.toUtf8());
        QCOMPARE(emr->emrText(), note);
        saveScreenshot(&window, QStringLiteral("emr-open.png"));
    }

    // Issue #17 point 5 / #12: the GUI saves DICOM for DICOM inputs through the same call the CLI uses —
    // the header (patient, UIDs) survives protection and comes back on recovery; PNG stays possible.
    void dicomInputsAreSavedAsDicomWithTheirHeader()
    {
        const QString ct =
            QStringLiteral("/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm");
        // A missing file is a broken setup (packaging/install-deps.sh installs python3-pydicom), not a pass.
        QVERIFY2(QFile::exists(ct), "python3-pydicom's CT_small.dcm is not installed");
        MainWindow window;
        QVERIFY(medveil::test::showAndExpose(window));
        QSignalSpy loaded(&window, &MainWindow::imageLoaded);
        window.openFile(ct);
        QVERIFY(loaded.wait(10000));
        ProtectPanel* protect = window.protectPanel();
        QSignalSpy preview(protect, &ProtectPanel::previewUpdated);
        QVERIFY(preview.wait(20000));
        protect->setRecipientKeyPath(m_pub);
        QSignalSpy saved(protect, &ProtectPanel::saved);
        QSignalSpy failed(protect, &ProtectPanel::failed);
        const QString protectedPath = m_dir.filePath(QStringLiteral("gui-protected.dcm"));
        protect->protectAndSave(protectedPath);
        QTRY_VERIFY_WITH_TIMEOUT(saved.count() + failed.count() > 0, 30000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        auto written = DicomFile::read(protectedPath.toStdString());
        QVERIFY2(written.ok(), written.ok() ? "" : written.error().message.c_str());
        const auto original = *DicomFile::read(ct.toStdString());
        QCOMPARE(written->attribute(0x0010, 0x0010), original.attribute(0x0010, 0x0010));
        QVERIFY(!written->metadata().empty()); // MedVeil's block: a protected DICOM, not a PNG
        // The GUI's recovery of it, saved as DICOM: the original dataset and pixels.
        loaded.clear();
        window.openFile(protectedPath);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(window.currentWorkflow(), 1);
        RecoverPanel* recover = window.recoverPanel();
        QSignalSpy finished(recover, &RecoverPanel::recoveryFinished);
        recover->setPrivateKeyPath(m_priv);
        recover->setPassphrase(QStringLiteral("s3cret"));
        recover->recover();
        QVERIFY(finished.wait(20000));
        QVERIFY2(finished.first().first().toBool(), qPrintable(recover->verdict()));
        QSignalSpy recoveredSaved(recover, &RecoverPanel::saved);
        const QString restoredPath = m_dir.filePath(QStringLiteral("gui-restored.dcm"));
        recover->saveRecovered(restoredPath);
        QVERIFY(recoveredSaved.wait(10000));
        const auto restored = *DicomFile::read(restoredPath.toStdString());
        QVERIFY(restored.image().identicalTo(original.image()));
        QCOMPARE(restored.info().sopInstanceUid, original.info().sopInstanceUid);
        QCOMPARE(restored.attribute(0x0010, 0x0010), original.attribute(0x0010, 0x0010));
        QVERIFY(restored.metadata().empty());
    }

    // Issue #17 point 3: opening an image shows that image (not the protected preview), in every tab; Space
    // toggles the preview while the canvas has focus; the Teaching walkthrough runs on the opened image.
    void canvasShowsTheOpenedImageAndSpaceTogglesThePreview()
    {
        MainWindow window;
        QVERIFY(medveil::test::showAndExpose(window));
        ProtectPanel* protect = window.protectPanel();
        QSignalSpy preview(protect, &ProtectPanel::previewUpdated);
        QSignalSpy loaded(&window, &MainWindow::imageLoaded);
        const QString sample = m_dir.filePath(QStringLiteral("canvas-sample.png"));
        QVERIFY(QFile::copy(MainWindow::bundledSamplePath(), sample));
        window.openFile(sample);
        QVERIFY(loaded.wait(10000));
        QVERIFY(preview.wait(20000));
        const Image original = *readImage(sample.toStdString());
        ImageCanvas* canvas = window.canvas();
        QVERIFY(canvas->image().identicalTo(original));
        // Issue #17 point 6: with Auto the slider shows the threshold Auto chose.
        auto* slider = protect->findChild<QSlider*>();
        QVERIFY(slider && protect->lastReport());
        QCOMPARE(slider->value(), int(std::lround(protect->lastReport()->threshold)));
        canvas->setFocus();
        QTRY_VERIFY(canvas->hasFocus());
        QTest::keyClick(canvas, Qt::Key_Space);
        QTRY_VERIFY(!canvas->image().identicalTo(original)); // the protected preview, QR and all
        QTest::keyClick(canvas, Qt::Key_Space);
        QTRY_VERIFY(canvas->image().identicalTo(original));
        QTest::keyClick(canvas, Qt::Key_Space);
        QTRY_VERIFY(!canvas->image().identicalTo(original));
        // Another workflow shows the opened image again.
        auto* tabs = window.findChild<QTabWidget*>();
        QVERIFY(tabs);
        tabs->setCurrentIndex(2);
        QTRY_VERIFY(canvas->image().identicalTo(original));
        TeachingDialog* teaching = window.showTeaching();
        QVERIFY(teaching);
        QVERIFY(teaching->sourceImage().identicalTo(original));
        teaching->close();
    }

    // Issue #15 point 3: a modified protected image is refused, and the Recover tab draws the changed 8×8
    // blocks over it (the tamper map from the authenticated record); the verdict says it once.
    void recoverDrawsTheTamperMap()
    {
        const QString protectedPath = m_dir.filePath(QStringLiteral("tm-protected.png"));
        QProcess cli;
        cli.start(QStringLiteral(MEDVEIL_CLI), {QStringLiteral("protect"), MainWindow::bundledSamplePath(),
                                                protectedPath, QStringLiteral("--public"), m_pub});
        QVERIFY(cli.waitForFinished(60000));
        QCOMPARE(cli.exitCode(), 0);
        auto loadedFile = readImageFile(protectedPath.toStdString());
        QVERIFY(loadedFile.ok());
        Image tampered = loadedFile->image.clone();
        for (int y = 300; y < 310; ++y) // a 10×10 patch painted white (a forged finding)
            for (int x = 100; x < 110; ++x)
                tampered.set(x, y, 255);
        const QString tamperedPath = m_dir.filePath(QStringLiteral("tm-tampered.png"));
        QVERIFY(writePng(tamperedPath.toStdString(), tampered, loadedFile->metadata).ok());
        MainWindow window;
        QVERIFY(medveil::test::showAndExpose(window));
        QSignalSpy loaded(&window, &MainWindow::imageLoaded);
        window.openFile(tamperedPath);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(window.currentWorkflow(), 1);
        RecoverPanel* recover = window.recoverPanel();
        QSignalSpy finished(recover, &RecoverPanel::recoveryFinished);
        recover->setPrivateKeyPath(m_priv);
        recover->setPassphrase(QStringLiteral("s3cret"));
        recover->recover();
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.first().first().toBool(), false);
        const QList<QRect> marks = window.canvas()->marks();
        QVERIFY(!marks.isEmpty());
        QRect covered;
        for (const QRect& m : marks)
            covered = covered.united(m);
        QCOMPARE(covered, QRect(96, 296, 16, 16)); // the four 8×8 blocks the patch touches
        QVERIFY2(recover->verdict().contains(QStringLiteral("marked in red: 4")),
                 qPrintable(recover->verdict()));
        QCOMPARE(recover->verdict().count(QStringLiteral("modified")), 1);
        // Drawn: the grab is red where the marks are.
        ImageCanvas* canvas = window.canvas();
        const QImage grab = canvas->grab().toImage();
        const QPointF centre = canvas->imageToWidget(QPointF(104, 304));
        const QColor c = grab.pixelColor(centre.toPoint());
        QVERIFY2(c.red() > c.green() + 40 && c.red() > c.blue() + 40,
                 qPrintable(QStringLiteral("%1,%2,%3").arg(c.red()).arg(c.green()).arg(c.blue())));
        saveScreenshot(&window, QStringLiteral("recover-tamper-map.png"));
        // The next file clears the map.
        loaded.clear();
        window.openFile(protectedPath);
        QVERIFY(loaded.wait(10000));
        QVERIFY(window.canvas()->marks().isEmpty());
    }

    // Issue #17 points 1 and 2: the receiving clinician opens a seal with a Key Manager key (passphrase-
    // protected): the EMR tab asks for the passphrase in a dialog (answered here); the next patient's file
    // then shows neither the previous record nor the previous seal's stages, and the patient number typed
    // for one image is gone when the next is opened.
    void emrOpenAsksForThePassphraseAndForgetsThePreviousPatient()
    {
        const QString note = m_dir.filePath(QStringLiteral("pp-note.txt"));
        QFile noteFile(note);
        QVERIFY(noteFile.open(QIODevice::WriteOnly));
        noteFile.write("Patient A: follow-up in two weeks.\n");
        noteFile.close();
        const QString sealedPath = m_dir.filePath(QStringLiteral("pp-sealed.png"));
        QProcess cli;
        cli.start(QStringLiteral(MEDVEIL_CLI),
                  {QStringLiteral("emr-seal"), QStringLiteral("--image"), MainWindow::bundledSamplePath(),
                   QStringLiteral("--emr"), note, sealedPath, QStringLiteral("--public"), m_pub});
        QVERIFY(cli.waitForFinished(120000));
        QCOMPARE(cli.exitCode(), 0);
        MainWindow window;
        QVERIFY(medveil::test::showAndExpose(window));
        QSignalSpy loaded(&window, &MainWindow::imageLoaded);
        // Patient number typed for image A …
        const QString imageA = m_dir.filePath(QStringLiteral("patient-a.png"));
        QVERIFY(QFile::copy(MainWindow::bundledSamplePath(), imageA));
        window.openFile(imageA);
        QVERIFY(loaded.wait(10000));
        window.protectPanel()->setInfoValue(QStringLiteral("patient"), QStringLiteral("A-10256"));
        QCOMPARE(patientOf(window.protectPanel()), QStringLiteral("A-10256"));
        // … then the sealed file of the same patient, opened with the passphrase dialog.
        loaded.clear();
        window.openFile(sealedPath);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(window.currentWorkflow(), 2);
        EmrPanel* emr = window.emrPanel();
        emr->setPrivateKeyPath(m_priv);
        QSignalSpy opened(emr, &EmrPanel::opened);
        QSignalSpy failed(emr, &EmrPanel::failed);
        emr->open();
        QInputDialog* dialog = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT(
            (dialog = emr->findChild<QInputDialog*>(QStringLiteral("passphraseDialog"))) &&
                dialog->isVisible(),
            5000);
        QCOMPARE(dialog->textEchoMode(), QLineEdit::Password);
        QLineEdit* field = dialog->findChild<QLineEdit*>();
        QVERIFY(field);
        QTest::keyClicks(field, QStringLiteral("s3cret"));
        QTest::keyClick(field, Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(opened.count() + failed.count() > 0, 60000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        QCOMPARE(emr->emrText(), QStringLiteral("Patient A: follow-up in two weeks.\n"));
        QVERIFY(emr->stageEnabled(0));
        // Patient B's image: no record, no stages, no patient number from A.
        loaded.clear();
        const QString imageB = m_dir.filePath(QStringLiteral("patient-b.png"));
        QVERIFY(
            QFile::copy(QStringLiteral(MEDVEIL_TEST_DATA "/corpus/mri_colin_axial_z130_512.png"), imageB));
        window.openFile(imageB);
        QVERIFY(loaded.wait(10000));
        QVERIFY(emr->emrText().isEmpty());
        for (int stage = 1; stage <= 4; ++stage)
            QVERIFY2(!emr->stageEnabled(stage), qPrintable(QString::number(stage)));
        QVERIFY(patientOf(window.protectPanel()).isEmpty());
    }

    // Issue #14: a sealed DICOM opened in the EMR tab gives the record back exactly as it was sealed, the
    // identity moved out of its header in a box of its own (readable lines, no key), the image bit-exact
    // (SHA-256 verified); the next file clears that identity.
    void sealedDicomOpensWithItsIdentityApart()
    {
        const QString ct =
            QStringLiteral("/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm");
        // A missing file is a broken setup (packaging/install-deps.sh installs python3-pydicom), not a pass.
        QVERIFY2(QFile::exists(ct), "python3-pydicom's CT_small.dcm is not installed");
        const QString note = m_dir.filePath(QStringLiteral("ct-note.txt"));
        QFile noteFile(note);
        QVERIFY(noteFile.open(QIODevice::WriteOnly));
        const QByteArray text = "CT: no acute findings.\n病情稳定。\n";
        noteFile.write(text);
        noteFile.close();
        const QString sealedPath = m_dir.filePath(QStringLiteral("sealed-ct.dcm"));
        QProcess cli;
        cli.start(QStringLiteral(MEDVEIL_CLI),
                  {QStringLiteral("emr-seal"), QStringLiteral("--image"), ct, QStringLiteral("--emr"), note,
                   sealedPath, QStringLiteral("--public"), m_pub});
        QVERIFY(cli.waitForFinished(120000));
        QCOMPARE(cli.exitCode(), 0);
        MainWindow window;
        QVERIFY(medveil::test::showAndExpose(window));
        QSignalSpy loaded(&window, &MainWindow::imageLoaded);
        window.openFile(sealedPath);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(window.currentWorkflow(), 2);
        EmrPanel* emr = window.emrPanel();
        emr->setPrivateKeyPath(m_priv);
        emr->setPassphrase(QStringLiteral("s3cret"));
        QSignalSpy opened(emr, &EmrPanel::opened);
        QSignalSpy failed(emr, &EmrPanel::failed);
        emr->open();
        QTRY_VERIFY_WITH_TIMEOUT(opened.count() + failed.count() > 0, 60000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        QCOMPARE(emr->emrText().toUtf8(), text);
        QVERIFY(emr->identityText().contains(QStringLiteral("PatientName: CompressedSamples")));
        QVERIFY(!emr->identityText().contains(QStringLiteral("MEDVEIL DICOM ATTRIBUTES")));
        QVERIFY(emr->statusText().contains(QStringLiteral("SHA-256 verified")));
        saveScreenshot(&window, QStringLiteral("emr-open-dicom.png"));
        loaded.clear();
        window.openFile(MainWindow::bundledSamplePath());
        QVERIFY(loaded.wait(10000));
        QVERIFY(emr->identityText().isEmpty());
    }

    // Issue #15: Shift+drag on the image adds a further region (listed, drawn), a click selects it, Delete
    // removes it; with two regions and the keyed permutation the protection hides both, fills the second
    // grey, and recovers bit-exactly.
    // Issue #17 point 9: region edits undo and redo through Edit ▸ Undo / Redo and their shortcuts — a move
    // with the mouse, an added further region, "Next candidate" — each with a fresh preview; another image
    // starts a fresh history.
    void regionEditsUndoAndRedo()
    {
        MainWindow window;
        QVERIFY(medveil::test::showAndExpose(window));
        window.activateWindow();
        ProtectPanel* protect = window.protectPanel();
        QSignalSpy preview(protect, &ProtectPanel::previewUpdated);
        QSignalSpy loaded(&window, &MainWindow::imageLoaded);
        const QString sample = m_dir.filePath(QStringLiteral("undo-sample.png"));
        QVERIFY(QFile::copy(MainWindow::bundledSamplePath(), sample));
        window.openFile(sample);
        QVERIFY(loaded.wait(10000));
        QTRY_VERIFY_WITH_TIMEOUT(preview.count() >= 1, 20000);
        ImageCanvas* canvas = window.canvas();
        auto* undo = window.findChild<QAction*>(QStringLiteral("undoAction"));
        auto* redo = window.findChild<QAction*>(QStringLiteral("redoAction"));
        QVERIFY(undo && redo);
        QVERIFY(!undo->isEnabled()); // nothing edited yet
        const QRect start = protect->region();

        // Move it with the mouse; Ctrl+Z puts it back, Ctrl+Shift+Z moves it again.
        const QPoint inside = canvas->imageToWidget(QPointF(start.center())).toPoint();
        QTest::mousePress(canvas, Qt::LeftButton, Qt::NoModifier, inside);
        QTest::mouseMove(canvas, inside + QPoint(20, 20));
        QTest::mouseMove(canvas, inside + QPoint(40, 40));
        QTest::mouseRelease(canvas, Qt::LeftButton, Qt::NoModifier, inside + QPoint(40, 40));
        const QRect moved = protect->region();
        QVERIFY(moved != start);
        QVERIFY(undo->isEnabled());
        QVERIFY2(undo->text().contains(QStringLiteral("Move Region")), qPrintable(undo->text()));
        canvas->setFocus();
        preview.clear();
        QTest::keyClick(canvas, Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(protect->region(), start);
        QCOMPARE(canvas->region(), start);
        QTRY_VERIFY_WITH_TIMEOUT(preview.count() >= 1, 20000); // the preview follows the undo
        QTRY_COMPARE_WITH_TIMEOUT(QRect(protect->lastReport()->region.x, protect->lastReport()->region.y,
                                        protect->lastReport()->region.width,
                                        protect->lastReport()->region.height),
                                  start, 20000);
        QTest::keyClick(canvas, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(protect->region(), moved);

        // A further region drawn with Shift+drag: undo removes it (and its list row), Ctrl+Y brings it back.
        const QRect box(16, 16, 64, 32);
        QVERIFY(!box.intersects(moved));
        drawFurtherRegion(canvas, box);
        QCOMPARE(canvas->extraRegions(), QList<QRect>{box});
        QVERIFY2(undo->text().contains(QStringLiteral("Add Region")), qPrintable(undo->text()));
        auto* list = protect->findChild<QListWidget*>();
        QVERIFY(list && list->isVisible());
        QTest::keyClick(canvas, Qt::Key_Z, Qt::ControlModifier);
        QVERIFY(canvas->extraRegions().isEmpty());
        QVERIFY(!list->isVisible());
        QCOMPARE(protect->region(), moved); // only the last step went back
        QTest::keyClick(canvas, Qt::Key_Y, Qt::ControlModifier);
        QCOMPARE(canvas->extraRegions(), QList<QRect>{box});
        QVERIFY(list->isVisible() && list->count() == 1);

        // Next candidate is a step too.
        auto* next = protect->findChild<QPushButton*>(QStringLiteral("nextCandidate"));
        QVERIFY(next);
        QTest::mouseClick(next, Qt::LeftButton);
        const QRect candidate = protect->region();
        QVERIFY(candidate != moved);
        undo->trigger();
        QCOMPARE(protect->region(), moved);
        QCOMPARE(canvas->extraRegions(), QList<QRect>{box});
        // Undo all the way: the suggested region, no further ones.
        while (undo->isEnabled())
            undo->trigger();
        QCOMPARE(protect->region(), start);
        QVERIFY(canvas->extraRegions().isEmpty());
        QVERIFY(redo->isEnabled());

        // Another image: its own history (nothing to undo into the previous image's regions).
        loaded.clear();
        preview.clear();
        const QString other = m_dir.filePath(QStringLiteral("undo-other.png"));
        QVERIFY(QFile::copy(QStringLiteral(MEDVEIL_TEST_DATA "/corpus/mri_natbrainlab_axial_z80_512.png"),
                            other));
        window.openFile(other);
        QVERIFY(loaded.wait(10000));
        QTRY_VERIFY_WITH_TIMEOUT(preview.count() >= 1, 20000);
        QVERIFY(!undo->isEnabled());
        QVERIFY(!redo->isEnabled());
    }

    // Issue #17: a dropped DICOM folder opens the study/series browser — series with thumbnails and image
    // counts, the patient shown only after a click, one image opened from it — and the whole series is
    // protected and sealed from it (output folder chosen in the file dialog, answered here), every file
    // recoverable bit-exactly; a cancel stops between images and leaves only whole files.
    void seriesBrowserOpensProtectsAndSealsASeries()
    {
        // A three-image CT series: CT_small with instance numbers 3, 1, 2 and their own SOP Instance UIDs.
        const QString series = m_dir.filePath(QStringLiteral("ct-series"));
        QVERIFY(QDir().mkpath(series));
        const QString ct =
            QStringLiteral("/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm");
        for (int i : {3, 1, 2}) {
            const QString file = QDir(series).filePath(QStringLiteral("slice%1.dcm").arg(4 - i));
            QVERIFY(QFile::copy(ct, file));
            QFile::setPermissions(file, QFile::ReadOwner | QFile::WriteOwner);
            QCOMPARE(QProcess::execute(QStringLiteral("dcmodify"),
                                       {QStringLiteral("-nb"), QStringLiteral("-gin"), QStringLiteral("-m"),
                                        QStringLiteral("(0020,0013)=%1").arg(i), file}),
                     0);
        }
        QFile readme(QDir(series).filePath(QStringLiteral("README.txt")));
        QVERIFY(readme.open(QIODevice::WriteOnly));
        readme.write("not an image");
        readme.close();

        MainWindow window;
        QVERIFY(medveil::test::showAndExpose(window));
        Q_EMIT window.canvas()->filesDropped({series});
        SeriesBrowser* browser = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT(browser = window.findChild<SeriesBrowser*>(QStringLiteral("seriesBrowser")),
                                 5000);
        QTRY_COMPARE_WITH_TIMEOUT(browser->scan().series.size(), size_t(1), 10000);
        QCOMPARE(browser->scan().filesRead, size_t(3));
        QCOMPARE(browser->scan().skippedFiles, size_t(1)); // the README
        auto* list = browser->findChild<QListWidget*>(QStringLiteral("seriesList"));
        auto* instances = browser->findChild<QListWidget*>(QStringLiteral("seriesInstances"));
        QVERIFY(list && instances);
        QVERIFY2(list->item(0)->text().contains(QStringLiteral("CT")) &&
                     list->item(0)->text().contains(QStringLiteral("3 images")),
                 qPrintable(list->item(0)->text()));
        QTRY_VERIFY_WITH_TIMEOUT(!list->item(0)->icon().isNull(), 10000); // the thumbnail arrived
        QImage icon = list->item(0)->icon().pixmap(96, 96).toImage();
        int lit = 0;
        for (int y = 0; y < icon.height(); ++y)
            for (int x = 0; x < icon.width(); ++x)
                lit += qGray(icon.pixel(x, y)) > 60;
        QVERIFY2(lit > icon.width() * icon.height() / 10,
                 qPrintable(QString::number(lit))); // a CT, not blank
        // By instance number, not by file name (slice1.dcm holds instance 3).
        QVERIFY(instances->item(0)->text().contains(QStringLiteral("instance 1")));
        QVERIFY(instances->item(2)->text().contains(QStringLiteral("instance 3")));
        // The patient only after a click.
        auto* patient = browser->findChild<QLabel*>(QStringLiteral("seriesPatient"));
        QVERIFY(patient && !patient->text().contains(QStringLiteral("CompressedSamples")));
        for (QListWidget* w : {list, instances})
            for (int i = 0; i < w->count(); ++i)
                QVERIFY(!w->item(i)->text().contains(QStringLiteral("CompressedSamples")));
        QTest::mouseClick(browser->findChild<QPushButton*>(QStringLiteral("showPatient")), Qt::LeftButton);
        QVERIFY2(patient->text().contains(QStringLiteral("CompressedSamples^CT1")),
                 qPrintable(patient->text()));
        saveScreenshot(browser, QStringLiteral("series-browser.png"));

        // Open one image in the main window.
        QSignalSpy loaded(&window, &MainWindow::imageLoaded);
        instances->setCurrentRow(1);
        QTest::mouseClick(browser->findChild<QPushButton*>(QStringLiteral("openInstance")), Qt::LeftButton);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(window.currentPath(),
                 QString::fromStdString(browser->scan().series[0].instances[1].path.string()));

        // Protect Series… with the Protect tab's recipient key; the folder dialog is answered here.
        window.protectPanel()->setRecipientKeyPath(m_pub);
        const QString protectedDir = m_dir.filePath(QStringLiteral("ct-series-out"));
        QVERIFY(QDir().mkpath(protectedDir));
        const auto answerFolderDialog = [](const QString& folder) {
            QTimer::singleShot(0, [folder] {
                QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<QFileDialog*>(QApplication::activeModalWidget()), 5000);
                auto* dialog = qobject_cast<QFileDialog*>(QApplication::activeModalWidget());
                dialog->setDirectory(folder);
                dialog->selectFile(folder);
                static_cast<QDialog*>(dialog)->accept();
            });
        };
        QSignalSpy finished(browser, &SeriesBrowser::batchFinished);
        // A cancelled folder dialog leaves no suggested folder behind and starts nothing.
        const QString suggested = m_dir.filePath(QStringLiteral("ct-series-protected"));
        QTimer::singleShot(0, [] {
            QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<QFileDialog*>(QApplication::activeModalWidget()), 5000);
            qobject_cast<QFileDialog*>(QApplication::activeModalWidget())->reject();
        });
        QTest::mouseClick(browser->findChild<QPushButton*>(QStringLiteral("protectSeries")), Qt::LeftButton);
        QVERIFY(!QFileInfo::exists(suggested));
        QCOMPARE(finished.count(), 0);
        answerFolderDialog(protectedDir);
        QTest::mouseClick(browser->findChild<QPushButton*>(QStringLiteral("protectSeries")), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 60000);
        QCOMPARE(finished.first().at(0).toInt(), 3);
        QCOMPARE(finished.first().at(1).toInt(), 3);
        QVERIFY2(browser->statusText().contains(QStringLiteral("Protected 3 of 3")),
                 qPrintable(browser->statusText()));
        const auto key = loadKeyFile(m_priv.toStdString(), KeyRole::Private, std::string("s3cret"));
        QVERIFY(key.ok());
        for (const auto& instance : browser->scan().series[0].instances) {
            const auto out = std::filesystem::path(protectedDir.toStdString()) / instance.path.filename();
            auto written = readImageFile(out);
            QVERIFY2(written.ok() && written->dicom, out.c_str()); // DICOM out
            const QString recoveredPath = m_dir.filePath(
                QStringLiteral("recovered-") + QString::fromStdString(instance.path.filename().string()));
            auto recovered = workflow::recoverFile(out, recoveredPath.toStdString(), *key);
            QVERIFY2(recovered.ok(), recovered.ok() ? "" : recovered.error().message.c_str());
            QVERIFY(recovered->recovered.identical && recovered->recovered.headerVerified);
            QVERIFY(readImage(recoveredPath.toStdString())->pixelBytes() ==
                    readImage(instance.path)->pixelBytes());
        }

        // Seal Series… with the EMR tab's record and key.
        window.emrPanel()->setEmrText(QStringLiteral("CT head, three slices: no acute findings."));
        window.emrPanel()->setRecipientKeyPath(m_pub);
        const QString sealedDir = m_dir.filePath(QStringLiteral("ct-series-sealed"));
        QVERIFY(QDir().mkpath(sealedDir));
        finished.clear();
        answerFolderDialog(sealedDir);
        QTest::mouseClick(browser->findChild<QPushButton*>(QStringLiteral("sealSeries")), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 120000);
        QCOMPARE(finished.first().at(0).toInt(), 3);
        auto network = HiNetModel::load();
        QVERIFY(network.ok());
        const auto sealedFirst = std::filesystem::path(sealedDir.toStdString()) / "slice1.dcm";
        auto sealedFile = readImageFile(sealedFirst);
        QVERIFY(sealedFile.ok());
        auto opened = workflow::openEmrLoaded(*sealedFile, *key, **network);
        QVERIFY2(opened.ok(), opened.ok() ? "" : opened.error().message.c_str());
        QCOMPARE(opened->opened.emr, std::string("CT head, three slices: no acute findings."));
        QVERIFY(opened->opened.verified);
        QVERIFY(opened->opened.revealed.pixelBytes() ==
                readImage(browser->scan().series[0].instances[2].path)->pixelBytes());

        // Cancel: stops between images; only whole files are left, never one being written.
        const QString cancelledDir = m_dir.filePath(QStringLiteral("ct-series-cancelled"));
        finished.clear();
        browser->sealSeries(cancelledDir);
        QVERIFY(browser->busy());
        QTest::mouseClick(browser->findChild<QPushButton*>(QStringLiteral("cancelSeries")), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 120000);
        QVERIFY(finished.first().at(2).toBool()); // cancelled
        const int done = finished.first().at(0).toInt();
        QVERIFY(done < 3);
        QCOMPARE(int(QDir(cancelledDir).entryList(QDir::Files).size()), done);
        QVERIFY(browser->statusText().contains(QStringLiteral("cancelled")));
        browser->close();
    }

    void furtherRegionsAreDrawnListedAndRemoved()
    {
        MainWindow window;
        QVERIFY(medveil::test::showAndExpose(window));
        ProtectPanel* protect = window.protectPanel();
        QSignalSpy preview(protect, &ProtectPanel::previewUpdated);
        QSignalSpy loaded(&window, &MainWindow::imageLoaded);
        const QString sample = m_dir.filePath(QStringLiteral("regions-sample.png"));
        QVERIFY(QFile::copy(MainWindow::bundledSamplePath(), sample));
        window.openFile(sample);
        QVERIFY(loaded.wait(10000));
        QTRY_VERIFY_WITH_TIMEOUT(preview.count() >= 1, 20000);
        ImageCanvas* canvas = window.canvas();
        const QRect key = protect->region();
        // A box in the top-left corner, away from the key region (the sample's key region is in the brain).
        const QRect box(16, 16, 64, 32);
        QVERIFY(!box.intersects(key));
        const auto drawBox = [&] { drawFurtherRegion(canvas, box); };
        drawBox();
        QCOMPARE(canvas->extraRegions().size(), qsizetype(1));
        QCOMPARE(canvas->extraRegions().first(), box);
        auto* list = protect->findChild<QListWidget*>();
        QVERIFY(list && list->isVisible() && list->count() == 1);
        QVERIFY2(list->item(0)->text().startsWith(QStringLiteral("2: 16, 16  64 × 32")),
                 qPrintable(list->item(0)->text()));
        QCOMPARE(protect->region(), key); // the key region did not move
        // Drawn: dashed cyan over the corner.
        const QImage grab = canvas->grab().toImage();
        const QColor edge =
            grab.pixelColor(canvas->imageToWidget(QPointF(box.left(), box.center().y())).toPoint());
        QVERIFY2(edge.blue() > edge.red() + 60, qPrintable(edge.name()));
        // Click selects, Delete removes.
        canvas->selectExtraRegion(-1);
        QTest::mouseClick(canvas, Qt::LeftButton, Qt::NoModifier,
                          canvas->imageToWidget(QPointF(box.center())).toPoint());
        QCOMPARE(canvas->selectedExtraRegion(), 0);
        canvas->setFocus();
        QTest::keyClick(canvas, Qt::Key_Delete);
        QVERIFY(canvas->extraRegions().isEmpty());
        QVERIFY(!list->isVisible());
        drawBox();
        QCOMPARE(canvas->extraRegions().size(), qsizetype(1));
        auto* scrambling = protect->findChild<QComboBox*>(QStringLiteral("scrambling"));
        QVERIFY(scrambling);
        QCOMPARE(scrambling->currentIndex(), 0); // Arnold, the paper's, by default
        scrambling->setCurrentIndex(1);
        saveScreenshot(&window, QStringLiteral("protect-two-regions.png"));
        protect->setRecipientKeyPath(m_pub);
        QSignalSpy saved(protect, &ProtectPanel::saved);
        QSignalSpy failed(protect, &ProtectPanel::failed);
        const QString out = m_dir.filePath(QStringLiteral("two-regions.png"));
        protect->protectAndSave(out);
        QTRY_VERIFY_WITH_TIMEOUT(saved.count() + failed.count() > 0, 30000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        auto written = readImageFile(out.toStdString());
        QVERIFY(written.ok());
        const auto original = readImageFile(sample.toStdString());
        int grey = 0, changed = 0;
        for (int y = box.top(); y <= box.bottom(); ++y)
            for (int x = box.left(); x <= box.right(); ++x) {
                grey += written->image.at(x, y) == written->image.at(box.left(), box.top());
                changed += written->image.at(x, y) != original->image.at(x, y);
            }
        QCOMPARE(grey, box.width() * box.height()); // one flat fill
        QVERIFY(changed > 0);
        // The CLI says what was recorded: two regions, the keyed permutation; and recovers bit-exactly.
        QProcess cli;
        const QString recovered = m_dir.filePath(QStringLiteral("two-regions-recovered.png"));
        QFile pass(m_dir.filePath(QStringLiteral("pass.txt")));
        QVERIFY(pass.open(QIODevice::WriteOnly));
        pass.write("s3cret");
        pass.close();
        pass.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        cli.start(QStringLiteral(MEDVEIL_CLI),
                  {QStringLiteral("recover"), out, recovered, QStringLiteral("--private"), m_priv,
                   QStringLiteral("--passphrase-file"), pass.fileName(), QStringLiteral("--json")});
        QVERIFY(cli.waitForFinished(60000));
        const QByteArray json = cli.readAllStandardOutput();
        QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
        QVERIFY2(json.contains("\"identical\": true"), json.constData());
        QVERIFY2(json.contains("[\n      16,\n      16,\n      64,\n      32\n    ]") ||
                     json.contains("[16,16,64,32]"),
                 json.constData());
        QVERIFY2(json.contains("\"scrambling\": \"permute\""), json.constData());
    }

    // Issue #16: the verdict names who signed a file; the Key Manager keeps the trusted senders (its button
    // asks for the name in a dialog, answered here); an unknown signer and an unsigned file say so.
    void signedFilesNameTheirTrustedSender()
    {
        const RsaKey sender = *RsaKey::generate(2048);
        const QString senderPriv = m_dir.filePath(QStringLiteral("sender.private.pem"));
        const QString senderPub = m_dir.filePath(QStringLiteral("sender.public.pem"));
        QVERIFY(writeFileAtomically(senderPriv.toStdString(), toBytes(*sender.privatePem()), {},
                                    FileMode::Private)
                    .ok());
        QVERIFY(writeFileAtomically(senderPub.toStdString(), toBytes(*sender.publicPem())).ok());
        const QString signedPath = m_dir.filePath(QStringLiteral("signed-protected.png"));
        const QString unsignedPath = m_dir.filePath(QStringLiteral("unsigned-protected.png"));
        for (const QString& out : {signedPath, unsignedPath}) {
            QStringList args = {QStringLiteral("protect"), MainWindow::bundledSamplePath(), out,
                                QStringLiteral("--public"), m_pub};
            if (out == signedPath)
                args << QStringLiteral("--sign") << senderPriv;
            QProcess cli;
            cli.start(QStringLiteral(MEDVEIL_CLI), args);
            QVERIFY(cli.waitForFinished(60000));
            QCOMPARE(cli.exitCode(), 0);
        }
        const QString sealedPath = m_dir.filePath(QStringLiteral("signed-sealed.png"));
        const QString note = m_dir.filePath(QStringLiteral("signed-note.txt"));
        QFile noteFile(note);
        QVERIFY(noteFile.open(QIODevice::WriteOnly));
        noteFile.write("Signed note.\n");
        noteFile.close();
        QProcess seal;
        seal.start(QStringLiteral(MEDVEIL_CLI),
                   {QStringLiteral("emr-seal"), QStringLiteral("--image"), MainWindow::bundledSamplePath(),
                    QStringLiteral("--emr"), note, sealedPath, QStringLiteral("--public"), m_pub,
                    QStringLiteral("--sign"), senderPriv});
        QVERIFY(seal.waitForFinished(120000));
        QCOMPARE(seal.exitCode(), 0);

        MainWindow window;
        QVERIFY(medveil::test::showAndExpose(window));
        QSignalSpy loaded(&window, &MainWindow::imageLoaded);
        RecoverPanel* recover = window.recoverPanel();
        QSignalSpy inspected(recover, &RecoverPanel::inspected);
        window.openFile(signedPath);
        QVERIFY(loaded.wait(10000));
        QTRY_VERIFY_WITH_TIMEOUT(!inspected.isEmpty(), 10000);
        QVERIFY2(recover->signer().contains(QStringLiteral("unknown key")), qPrintable(recover->signer()));

        // Keys → Key Manager: the sender's public key, trusted under a name typed into the dialog.
        KeyManagerDialog* manager = window.showKeyManager();
        manager->inspect(senderPub);
        QPushButton* trust = nullptr;
        for (QPushButton* b : manager->findChildren<QPushButton*>())
            if (b->text().contains(QStringLiteral("Trust as Sender")))
                trust = b;
        QVERIFY(trust && trust->isEnabled());
        QTimer::singleShot(0, manager, [manager] {
            QInputDialog* ask = nullptr;
            QTRY_VERIFY_WITH_TIMEOUT((ask = manager->findChild<QInputDialog*>()) && ask->isVisible(), 5000);
            ask->setTextValue(QStringLiteral("Dr Sender, Radiology"));
            ask->accept();
        });
        QTest::mouseClick(trust, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(manager->trustedSenders().size(), 1, 5000);
        QVERIFY(
            manager->trustedSenders().first().startsWith(QStringLiteral("Dr Sender, Radiology — SHA-256")));
        manager->grab().save(QStringLiteral(MEDVEIL_SCREENSHOT_DIR "/key-manager-trusted-senders.png"));
        manager->inspect(m_priv); // one's own private key is never a sender
        QVERIFY(!trust->isEnabled());
        manager->close();

        inspected.clear();
        loaded.clear();
        window.openFile(signedPath);
        QVERIFY(loaded.wait(10000));
        QTRY_VERIFY_WITH_TIMEOUT(!inspected.isEmpty(), 10000);
        QVERIFY2(recover->signer().contains(QStringLiteral("Dr Sender, Radiology, a trusted sender")),
                 qPrintable(recover->signer()));
        QSignalSpy finished(recover, &RecoverPanel::recoveryFinished);
        recover->setPrivateKeyPath(m_priv);
        recover->setPassphrase(QStringLiteral("s3cret"));
        recover->recover();
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.first().first().toBool(), true);
        QVERIFY(recover->signer().contains(QStringLiteral("Dr Sender, Radiology")));
        saveScreenshot(&window, QStringLiteral("recover-signed.png"));

        inspected.clear();
        loaded.clear();
        window.openFile(unsignedPath);
        QVERIFY(loaded.wait(10000));
        QTRY_VERIFY_WITH_TIMEOUT(!inspected.isEmpty(), 10000);
        QVERIFY2(recover->signer().contains(QStringLiteral("Not signed")), qPrintable(recover->signer()));

        // The EMR tab names the signer of a seal the same way.
        loaded.clear();
        window.openFile(sealedPath);
        QVERIFY(loaded.wait(10000));
        EmrPanel* emr = window.emrPanel();
        emr->setPrivateKeyPath(m_priv);
        emr->setPassphrase(QStringLiteral("s3cret"));
        QSignalSpy opened(emr, &EmrPanel::opened);
        QSignalSpy failed(emr, &EmrPanel::failed);
        emr->open();
        QTRY_VERIFY_WITH_TIMEOUT(opened.count() + failed.count() > 0, 60000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        QVERIFY2(emr->signerText().contains(QStringLiteral("Dr Sender, Radiology")),
                 qPrintable(emr->signerText()));

        // Removing the sender makes the same key unknown again.
        manager = window.showKeyManager();
        manager->removeTrustedSender(0);
        QVERIFY(manager->trustedSenders().isEmpty());
        manager->close();
    }

    // Issues #12 and #14: the EMR tab seals a DICOM input into a de-identified DICOM through the CLI's call;
    // network-only recovery is a choice, and its reveal is marked lossy where it is shown and where it is
    // saved (a derived DICOM with Lossy Image Compression 01); the record is saved beside it, byte-exact.
    void emrSealSaysWhenTheEmbeddingWasWeakened()
    {
        // A label atlas's slice (constant regions with sharp edges on black; test_emr's adaptive-strength
        // case, the same seeded image) is below the stego floor at full strength with the shipped weights:
        // the status must say by how much the seal weakened the embedding, beside the stego figure it
        // explains. The bundled brain MRI reaches the floor unaided: no such words.
        const QString atlasPath = m_dir.filePath(QStringLiteral("atlas.png"));
        auto png = encodePng(medveil::test::labelAtlasSlice());
        QVERIFY(png.ok());
        QVERIFY(writeFileAtomically(atlasPath.toStdString(), *png).ok());
        static const QRegularExpression weakened(
            QStringLiteral("embedding weakened by ([0-9.]+) dB \\(stego floor 32\\.5 dB\\)"));
        for (const auto& [path, mustAdapt] :
             {std::pair{atlasPath, true}, {MainWindow::bundledSamplePath(), false}}) {
            MainWindow window;
            QVERIFY(medveil::test::showAndExpose(window));
            QSignalSpy loaded(&window, &MainWindow::imageLoaded);
            window.openFile(path);
            QVERIFY(loaded.wait(10000));
            QVERIFY(medveil::test::clickTab(window, 2));
            QCOMPARE(window.currentWorkflow(), 2);
            EmrPanel* emr = window.emrPanel();
            emr->setEmrText(QStringLiteral("Adaptive strength: the status says so."));
            emr->setRecipientKeyPath(m_pub);
            QSignalSpy sealed(emr, &EmrPanel::sealed);
            QSignalSpy failed(emr, &EmrPanel::failed);
            emr->sealAndSave(m_dir.filePath(QStringLiteral("weakened.png")));
            QTRY_VERIFY_WITH_TIMEOUT(sealed.count() + failed.count() > 0, 60000);
            QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
            const QString status = emr->statusText();
            qInfo("%s: %s", qPrintable(QFileInfo(path).fileName()), qPrintable(status));
            const auto match = weakened.match(status);
            QVERIFY2(match.hasMatch() == mustAdapt, qPrintable(status));
            if (!mustAdapt)
                continue;
            // The seal tries the secret's scale 1 dB at a time over the image's own (255 here), rounded to
            // an integer: the figure shown must be one of those steps' reductions, as printed.
            bool oneOfTheSteps = false;
            for (int step = 1; step <= 6; ++step) {
                const double scale = std::round(255.0 * std::pow(10.0, step / 20.0));
                oneOfTheSteps |=
                    match.captured(1) == medveil::test::printed(20.0 * std::log10(scale / 255.0), 1);
            }
            QVERIFY2(oneOfTheSteps, qPrintable(status));
            // The stego figure it explains is still the engine's PSNR of the two stages on screen.
            emr->showStage(1);
            const Image encoded = window.canvas()->image();
            emr->showStage(2);
            const auto stegoPsnr = psnr(encoded, window.canvas()->image());
            QVERIFY(stegoPsnr.ok());
            QCOMPARE(medveil::test::shownFigures(status).psnr, medveil::test::printed(*stegoPsnr, 2));
        }
    }

    void emrTabSealsDicomAndMarksANetworkRevealLossy()
    {
        const QString ct =
            QStringLiteral("/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm");
        // A missing file is a broken setup (packaging/install-deps.sh installs python3-pydicom), not a pass.
        QVERIFY2(QFile::exists(ct), "python3-pydicom's CT_small.dcm is not installed");
        MainWindow window;
        QVERIFY(medveil::test::showAndExpose(window));
        QSignalSpy loaded(&window, &MainWindow::imageLoaded);
        window.openFile(ct);
        QVERIFY(loaded.wait(10000));
        EmrPanel* emr = window.emrPanel();
        auto* recovery = emr->findChild<QComboBox*>(QStringLiteral("recoveryMode"));
        QVERIFY(recovery);
        QCOMPARE(recovery->currentIndex(), 0); // exact by default
        QVERIFY(recovery->currentText().startsWith(QStringLiteral("Exact")));
        recovery->setCurrentIndex(1);
        const QByteArray note = "CT chest: 4 mm nodule, right upper lobe.\n";
        emr->setEmrText(QString::fromUtf8(note));
        emr->setRecipientKeyPath(m_pub);
        const QString sealedPath = m_dir.filePath(QStringLiteral("gui-sealed-ct.dcm"));
        QSignalSpy sealed(emr, &EmrPanel::sealed);
        QSignalSpy failed(emr, &EmrPanel::failed);
        emr->sealAndSave(sealedPath);
        QTRY_VERIFY_WITH_TIMEOUT(sealed.count() + failed.count() > 0, 120000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        QVERIFY2(emr->statusText().contains(QStringLiteral("not for diagnosis")),
                 qPrintable(emr->statusText()));
        auto sealedFile = DicomFile::read(sealedPath.toStdString());
        QVERIFY(sealedFile.ok());
        QCOMPARE(sealedFile->info().sopClassUid, std::string("1.2.840.10008.5.1.4.1.1.7"));
        QVERIFY(sealedFile->attribute(0x0010, 0x0010).empty()); // no patient name in the sealed header

        loaded.clear();
        window.openFile(sealedPath);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(window.currentWorkflow(), 2);
        emr->setPrivateKeyPath(m_priv);
        emr->setPassphrase(QStringLiteral("s3cret"));
        QSignalSpy opened(emr, &EmrPanel::opened);
        emr->open();
        QTRY_VERIFY_WITH_TIMEOUT(opened.count() + failed.count() > 0, 60000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        QVERIFY2(emr->statusText().contains(QStringLiteral("network only (lossy), not for diagnosis")),
                 qPrintable(emr->statusText()));
        QVERIFY(emr->histogramView()->title().contains(QStringLiteral("lossy")));
        QCOMPARE(emr->emrText().toUtf8(), note);
        const QString outPath = m_dir.filePath(QStringLiteral("gui-opened-ct.dcm"));
        QSignalSpy saved(emr, &EmrPanel::openedSaved);
        emr->saveOpened(outPath);
        QTRY_VERIFY_WITH_TIMEOUT(saved.count() + failed.count() > 0, 20000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        QVERIFY(emr->statusText().contains(QStringLiteral("lossy, not for diagnosis")));
        QFile record(m_dir.filePath(QStringLiteral("gui-opened-ct.txt")));
        QVERIFY(record.open(QIODevice::ReadOnly));
        QCOMPARE(record.readAll(), note);
        QCOMPARE(record.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
                 QFileDevice::Permissions());
        auto restored = DicomFile::read(outPath.toStdString());
        QVERIFY(restored.ok());
        const auto original = DicomFile::read(ct.toStdString());
        QCOMPARE(restored->attribute(0x0010, 0x0010), original->attribute(0x0010, 0x0010)); // header back
        QCOMPARE(restored->attribute(0x0028, 0x2110), std::string("01"));                   // lossy, said so
        QVERIFY(restored->info().sopInstanceUid != original->info().sopInstanceUid);        // a new instance
        saveScreenshot(&window, QStringLiteral("emr-open-network-lossy.png"));
    }

    void teachingWalkthroughShowsEveryStage()
    {
        MainWindow window;
        QVERIFY(medveil::test::showAndExpose(window));
        QSignalSpy loaded(&window, &MainWindow::imageLoaded);
        window.openFile(MainWindow::bundledSamplePath());
        QVERIFY(loaded.wait(10000));
        StallMonitor stalls;
        TeachingDialog* teaching = window.showTeaching();
        QSignalSpy ready(teaching, &TeachingDialog::ready);
        QVERIFY(ready.wait(120000));
        qInfo("longest GUI-thread stall while the walkthrough computed: %lld ms", stalls.longestMs());
        QVERIFY2(stalls.longestMs() < 100, qPrintable(QString::number(stalls.longestMs())));
        QVERIFY(teaching->isReady());
        const QStringList shots = {QStringLiteral("keyregion"),    QStringLiteral("errors"),
                                   QStringLiteral("arnold"),       QStringLiteral("qr"),
                                   QStringLiteral("unauthorised"), QStringLiteral("attack"),
                                   QStringLiteral("digits"),       QStringLiteral("bitplanes"),
                                   QStringLiteral("histograms"),   QStringLiteral("correlation")};
        QCOMPARE(teaching->stageCount(), int(shots.size()));
        for (int stage = 0; stage < teaching->stageCount(); ++stage) {
            teaching->showStage(stage);
            const QImage page = teaching->stageImage();
            QSet<QRgb> colours;
            for (int y = 0; y < page.height(); y += 4)
                for (int x = 0; x < page.width(); x += 4)
                    colours.insert(page.pixel(x, y));
            QVERIFY2(colours.size() > 8, qPrintable(QStringLiteral("stage %1 looks empty").arg(stage)));
            QVERIFY2(!teaching->stageCaption().isEmpty(), qPrintable(QString::number(stage)));
            page.save(QStringLiteral(MEDVEIL_SCREENSHOT_DIR "/teaching-%1.png").arg(shots[stage]));
            // Issue #17.6: the whole page is shown whatever the dialog's size (the histograms were cut at
            // 155 when the caption's height changed after the page was scaled).
            auto* view = teaching->findChild<FittedImageView*>(QStringLiteral("teachingPage"));
            QVERIFY(view);
            for (const QSize size : {QSize(1240, 720), QSize(980, 640), QSize(1500, 900)}) {
                teaching->resize(size);
                QApplication::processEvents();
                const QRect shown = view->shownRect();
                QVERIFY2(
                    view->rect().contains(shown) && !shown.isEmpty(),
                    qPrintable(
                        QStringLiteral("stage %1 at %2×%3").arg(stage).arg(size.width()).arg(size.height())));
                QVERIFY(std::abs(double(shown.width()) / shown.height() -
                                 double(page.width()) / page.height()) < 0.02);
                QVERIFY(shown.width() == view->width() ||
                        shown.height() == view->height()); // fits, not shrunk
            }
            teaching->resize(1240, 720);
        }
        // Arnold: the slider steps through iterations and the picture changes with it.
        teaching->showStage(2);
        QSlider* step = teaching->stepSlider();
        QVERIFY(step->isVisibleTo(teaching) && step->maximum() >= 1);
        step->setValue(0);
        const QImage first = teaching->stageImage();
        step->setValue(step->maximum());
        QVERIFY(teaching->stageImage() != first);
        // The unauthorised view quotes a PSNR under 10 dB like the paper's Table 2: the figure it draws is
        // the PSNR of the noise it shows against the opened image's key region, recomputed here.
        teaching->showStage(4);
        const teaching::KeyRegionStages* stages = teaching->keyRegionStages();
        QVERIFY(stages);
        const Image& source = teaching->sourceImage();
        double squares = 0;
        for (int y = 0; y < stages->region.height; ++y)
            for (int x = 0; x < stages->region.width; ++x) {
                const double d = source.at(stages->region.x + x, stages->region.y + y) -
                                 stages->unauthorisedRegion.at(x, y);
                squares += d * d;
            }
        const double unauthorisedPsnr =
            10 * std::log10(double(source.maxValue()) * source.maxValue() /
                            (squares / (double(stages->region.width) * stages->region.height)));
        QVERIFY2(std::abs(stages->unauthorisedPsnr - unauthorisedPsnr) < 1e-9,
                 qPrintable(QStringLiteral("%1 vs %2").arg(stages->unauthorisedPsnr).arg(unauthorisedPsnr)));
        QVERIFY2(unauthorisedPsnr < 10, qPrintable(QString::number(unauthorisedPsnr)));
        QVERIFY(stages->unauthorisedSsim < 0.1);
        // Issue #15's lesson: the keyless attack on Arnold and on the keyed permutation, side by side. The
        // caption's count of cat maps is the number of distinct maps the scrambler's keys reach (counted
        // over real keys), each of which is M^n mod 8 for M = [[1, a], [b, ab + 1]] (Li et al.'s map).
        teaching->showStage(5);
        const int catMaps = catMapCountByDefinition();
        QCOMPARE(distinctArnoldMapsFromKeys(), catMaps);
        QVERIFY2(teaching->stageCaption().contains(QStringLiteral("about %1 distinct cat maps").arg(catMaps)),
                 qPrintable(teaching->stageCaption()));
        // The figures the page draws teach what the caption says: the attack gains on Arnold, and gets
        // nowhere beyond the block means on the keyed permutation.
        const teaching::KeylessAttackLesson* lesson = teaching->keylessAttackLesson();
        QVERIFY(lesson);
        qInfo("keyless attack: Arnold %.2f dB (block means %.2f), permutation %.2f dB (block means %.2f)",
              lesson->arnold.attackPsnr, lesson->arnold.blockMeanPsnr, lesson->permute.attackPsnr,
              lesson->permute.blockMeanPsnr);
        QVERIFY(lesson->arnold.attackPsnr > lesson->arnold.blockMeanPsnr + 3);
        QVERIFY(lesson->permute.attackPsnr < lesson->permute.blockMeanPsnr + 0.5);
        teaching->grab().save(QStringLiteral(MEDVEIL_SCREENSHOT_DIR "/teaching-dialog.png"));
        teaching->close();
    }

    void tamperedFileIsRefusedAndUntouched()
    {
        MainWindow window;
        window.show();
        QSignalSpy loaded(&window, &MainWindow::imageLoaded);
        ProtectPanel* protect = window.protectPanel();
        window.openFile(MainWindow::bundledSamplePath());
        QVERIFY(loaded.wait(10000));
        protect->setRecipientKeyPath(m_pub);
        QSignalSpy saved(protect, &ProtectPanel::saved);
        const QString out = m_dir.filePath(QStringLiteral("p2.png"));
        protect->protectAndSave(out);
        QVERIFY(saved.wait(30000));
        const auto loadedFile = *readImageFile(out.toStdString());
        Image tampered = loadedFile.image.clone();
        tampered.set(256, 300, tampered.at(256, 300) ^ 1);
        const QString bad = m_dir.filePath(QStringLiteral("tampered.png"));
        QVERIFY(writePng(bad.toStdString(), tampered, loadedFile.metadata).ok());
        const QByteArray before = *[&] {
            QFile f(bad);
            f.open(QIODevice::ReadOnly);
            return std::make_optional(f.readAll());
        }();
        RecoverPanel* recover = window.recoverPanel();
        QSignalSpy inspected(recover, &RecoverPanel::inspected);
        window.openFile(bad);
        QVERIFY(inspected.wait(10000));
        QSignalSpy finished(recover, &RecoverPanel::recoveryFinished);
        recover->setPrivateKeyPath(m_priv);
        recover->setPassphrase(QStringLiteral("s3cret"));
        recover->recover();
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.first().first().toBool(), false);
        QVERIFY2(recover->verdict().contains(QStringLiteral("modified")), qPrintable(recover->verdict()));
        QFile f(bad);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), before);
    }
};

QTEST_MAIN(TestGuiWorkflows)
#include "test_gui_workflows.moc"
