// SPDX-License-Identifier: GPL-3.0-or-later
// The workstation in Simplified Chinese: translators installed as at start-up, every menu and action
// translated, the window presets named from their JSON, and a screenshot with real content.
#include "AppSettings.h"
#include "EmrPanel.h"
#include "ErrorText.h"
#include "GuiTestSupport.h"
#include "ImageCanvas.h"
#include "LayoutCheck.h"
#include "MainWindow.h"
#include "PreferencesDialog.h"
#include "ProtectPanel.h"
#include "RecoverPanel.h"
#include "SweepChart.h"
#include "Translations.h"
#include "WindowPresets.h"
#include "core/Bytes.h"
#include "crypto/KeyFile.h"
#include "crypto/RsaKey.h"
#include "io/AtomicFile.h"
#include "io/ImageIo.h"
#include "workflow/FileWorkflows.h"

#include <QAction>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QMenuBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QtTest>

#include <algorithm>

using namespace medveil::ui;

namespace {
bool hasCjk(const QString& s)
{
    for (QChar c : s)
        if (c.unicode() >= 0x4E00 && c.unicode() <= 0x9FFF)
            return true;
    return false;
}
/// The English words left in `text` once `allowed` (file names, format names) are taken out.
QStringList englishWords(QString text, const QStringList& allowed)
{
    for (const QString& a : allowed)
        text.remove(a);
    QStringList words;
    static const QRegularExpression word(QStringLiteral("[A-Za-z]{3,}"));
    for (auto it = word.globalMatch(text); it.hasNext();) {
        const QString w = it.next().captured();
        if (!QStringList{QStringLiteral("PNG"), QStringLiteral("TIFF"), QStringLiteral("BMP"),
                         QStringLiteral("JPEG"), QStringLiteral("DICOM"), QStringLiteral("SHA"),
                         QStringLiteral("RSA"), QStringLiteral("MedVeil"), QStringLiteral("UTF")}
                 .contains(w))
            words << w;
    }
    return words;
}
} // namespace

class TestGuiTranslations : public QObject
{
    Q_OBJECT

    QTemporaryDir m_settingsHome;

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("MedVeilTest"));
        QCoreApplication::setApplicationName(QStringLiteral("MedVeilTranslations"));
        // Settings of this test only, never the user's own.
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsHome.path());
        QCOMPARE(installTranslators(QStringLiteral("zh_CN")), QStringLiteral("zh_CN"));
    }

    // Issue #17 point 7: Qt's own strings (file dialogs, OK/Cancel) are Chinese too — qtbase_zh_CN from
    // qt6-translations-l10n, which install-deps.sh installs and the DEB recommends.
    void qtsOwnDialogStringsAreChinese()
    {
        for (const auto& [context, source] :
             {std::pair{"QFileDialog", "Look in:"}, std::pair{"QFileDialog", "File &name:"},
              std::pair{"QPlatformTheme", "Cancel"}, std::pair{"QPlatformTheme", "OK"}}) {
            const QString translated = QCoreApplication::translate(context, source);
            QVERIFY2(translated != QLatin1String(source), source);
            QVERIFY2(std::any_of(translated.begin(), translated.end(),
                                 [](QChar c) { return c.unicode() >= 0x4E00 && c.unicode() <= 0x9FFF; }),
                     qPrintable(translated));
        }
    }

    // Issue #17.6 in zh_CN: at the default 1280×860 the workflows' actions are in view and no button is cut
    // (before the action bar only a sliver of 保护并保存 showed).
    void defaultWindowShowsEveryActionInChinese()
    {
        MainWindow window;
        QVERIFY(medveil::test::showAndExpose(window));
        QSignalSpy loaded(&window, &MainWindow::imageLoaded);
        window.openFile(QStringLiteral(MEDVEIL_TEST_DATA "/corpus/mri_colin_axial_z160_512.png"));
        QVERIFY(loaded.wait(10000));
        const QStringList problems = medveil::test::layoutProblems(window);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QStringLiteral("; "))));
    }

    // Issue #25.6: the Protect tab's live caption is Chinese, the note on the assumed key size included (it
    // was the engine's English sentence), and at 1280×800 nothing on the tab is cut or scrolled away.
    void protectCaptionIsChineseAt1280x800()
    {
        MainWindow window;
        QVERIFY(medveil::test::showAndExpose(window, QSize(1280, 800)));
        ProtectPanel* protect = window.protectPanel();
        protect->setRecipientKeyPath(QString()); // no recipient: the preview says which size it assumes
        QSignalSpy loaded(&window, &MainWindow::imageLoaded);
        QSignalSpy preview(protect, &ProtectPanel::previewUpdated);
        window.openFile(QStringLiteral(MEDVEIL_TEST_DATA "/corpus/mri_colin_axial_z160_512.png"));
        QVERIFY(loaded.wait(10000));
        QTRY_VERIFY_WITH_TIMEOUT(protect->lastReport().has_value(), 30000);
        const QString caption = protect->metricsText();
        QVERIFY2(caption.contains(QStringLiteral("2048 位")), qPrintable(caption));
        QVERIFY2(englishWords(caption, {QStringLiteral("PSNR"), QStringLiteral("SSIM")}).isEmpty(),
                 qPrintable(caption));
        QTRY_VERIFY_WITH_TIMEOUT(!protect->chart()->points().isEmpty(), 30000);
        QApplication::processEvents();
        const QStringList problems =
            medveil::test::clippedWidgets(window.findChild<QTabWidget*>()->widget(0));
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QStringLiteral("; "))));
    }

    void everyMenuActionIsChinese()
    {
        MainWindow window;
        QVERIFY(medveil::test::showAndExpose(window, QSize(1100, 760)));
        QStringList menus;
        for (QAction* a : window.menuBar()->actions())
            menus << a->text();
        QVERIFY2(menus.contains(QStringLiteral("文件(&F)")), qPrintable(menus.join(QLatin1Char('|'))));
        QVERIFY(menus.contains(QStringLiteral("密钥(&K)")));
        // Every action in every menu: Chinese text, apart from file names in Open Recent.
        QStringList untranslated;
        const auto menusList = window.menuBar()->findChildren<QMenu*>();
        for (QMenu* menu : menusList) {
            if (menu->title() == QStringLiteral("最近打开(&R)"))
                continue;
            for (QAction* a : menu->actions())
                if (!a->isSeparator() && !a->menu() && !hasCjk(a->text()))
                    untranslated << a->text();
        }
        QVERIFY2(untranslated.isEmpty(), qPrintable(untranslated.join(QLatin1Char('|'))));

        // Presets take their Chinese names from resources/presets/*.json.
        bool brain = false;
        for (const WindowPreset& p : WindowPreset::builtIn())
            brain = brain || p.name == QStringLiteral("CT 脑窗");
        QVERIFY(brain);

        QSignalSpy loaded(&window, &MainWindow::imageLoaded);
        QSignalSpy sweep(window.protectPanel(), &ProtectPanel::sweepUpdated);
        window.openFile(MainWindow::bundledSamplePath());
        QVERIFY(loaded.wait(10000));
        QVERIFY2(window.statusText().contains(QStringLiteral("8 位")), qPrintable(window.statusText()));
        // The screenshot shows the finished live preview: metrics and the PSNR/SSIM-versus-T chart.
        QTRY_VERIFY_WITH_TIMEOUT(sweep.count() >= 1, 30000);
        QTest::qWait(300);
        const QImage shot = window.grab().toImage();
        QDir().mkpath(QStringLiteral(MEDVEIL_SCREENSHOT_DIR));
        QVERIFY(shot.save(QStringLiteral(MEDVEIL_SCREENSHOT_DIR "/main_window_zh_CN.png")));
        // Real content: the MRI (many grey levels) and dark text on the light panels.
        QSet<QRgb> colours;
        for (int y = 0; y < shot.height(); y += 3)
            for (int x = 0; x < shot.width(); x += 3)
                colours.insert(shot.pixel(x, y));
        QVERIFY2(colours.size() > 100, "the zh_CN screenshot looks blank");
    }

    void userErrorsAreTranslatedAndWriteNothing()
    {
        QTemporaryDir dir;
        auto key = medveil::RsaKey::generate(2048);
        QVERIFY(key.ok());
        const QString pub = dir.filePath(QStringLiteral("pub.pem"));
        QVERIFY(medveil::writeFileAtomically(pub.toStdString(), medveil::toBytes(*key->publicPem())).ok());
        MainWindow window;
        window.show();
        QSignalSpy loaded(&window, &MainWindow::imageLoaded);
        window.openFile(MainWindow::bundledSamplePath());
        QVERIFY(loaded.wait(10000));
        EmrPanel* emr = window.emrPanel();
        // 70,000 bytes cannot fit a 512×512 base-4 encoded image (2 bits per pixel: 65,536 bytes).
        emr->setEmrText(QString(70000, QLatin1Char('x')));
        emr->setRecipientKeyPath(pub);
        QSignalSpy failed(emr, &EmrPanel::failed);
        const QString out = dir.filePath(QStringLiteral("sealed.png"));
        emr->sealAndSave(out);
        QVERIFY(failed.wait(60000));
        const QString message = failed.first().first().toString();
        QVERIFY2(message.contains(QStringLiteral("容量不足")), qPrintable(message));
        QVERIFY(!QFileInfo::exists(out));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("pub.pem")});

        // An unsupported file: the Chinese headline, and the canvas keeps the image it had.
        const QString bogus = dir.filePath(QStringLiteral("bogus.png"));
        QFile f(bogus);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not an image");
        f.close();
        QSignalSpy error(&window, &MainWindow::errorShown);
        window.openFile(bogus);
        QVERIFY(error.wait(10000));
        QVERIFY2(error.first().first().toString().contains(QStringLiteral("输入无法读取或不适用")),
                 qPrintable(error.first().first().toString()));
        QVERIFY(window.canvas()->hasImage());
    }

    // Issue #25.8: the engine's sentences (it speaks English) reach a Chinese user in Chinese — with the
    // values they carry — from real engine failures: a wrong passphrase, a colour image, a file protected
    // for someone else, an EMR that does not fit.
    void engineErrorsAreChinese()
    {
        QTemporaryDir dir;
        const QString priv = dir.filePath(QStringLiteral("priv.pem")),
                      pub = dir.filePath(QStringLiteral("pub.pem"));
        auto key = medveil::RsaKey::generate(2048);
        QVERIFY(key.ok());
        QVERIFY(medveil::writeFileAtomically(
                    priv.toStdString(), medveil::toBytes(*key->privatePem(std::string("right passphrase"))),
                    {}, medveil::FileMode::Private)
                    .ok());
        QVERIFY(medveil::writeFileAtomically(pub.toStdString(), medveil::toBytes(*key->publicPem())).ok());

        auto wrong =
            medveil::loadKeyFile(priv.toStdString(), medveil::KeyRole::Private, std::string("wrong"));
        QVERIFY(!wrong);
        QString text = errorText(wrong.error());
        QVERIFY2(text.contains(QStringLiteral("私钥口令错误")), qPrintable(text));
        QVERIFY2(englishWords(text, {}).isEmpty(), qPrintable(text));

        const QString colour = dir.filePath(QStringLiteral("colour.png"));
        QImage rgb(64, 64, QImage::Format_RGB32);
        rgb.fill(QColor(200, 30, 30));
        QVERIFY(rgb.save(colour));
        auto read = medveil::readImageFile(colour.toStdString());
        QVERIFY(!read);
        text = errorText(read.error());
        const QString colourName = QFileInfo(colour).fileName(); // the engine names the file
        QVERIFY2(text.contains(QStringLiteral("彩色图像")) && text.contains(colourName), qPrintable(text));
        QVERIFY2(englishWords(text, {colourName}).isEmpty(), qPrintable(text));

        // Protected for this key, recovered with another one.
        const QString protectedFile = dir.filePath(QStringLiteral("protected.png"));
        QVERIFY(medveil::workflow::protectFile(MainWindow::bundledSamplePath().toStdString(),
                                               protectedFile.toStdString(), *key, {})
                    .ok());
        auto other = medveil::RsaKey::generate(2048);
        auto recovered = medveil::workflow::recoverFile(
            protectedFile.toStdString(), dir.filePath(QStringLiteral("out.png")).toStdString(), *other);
        QVERIFY(!recovered);
        text = errorText(recovered.error());
        QVERIFY2(englishWords(text, {}).isEmpty(), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("私钥")), qPrintable(text));

        // The sentence's numbers survive the translation.
        text = engineMessage(
            "the EMR has 70000 bytes but a 512×512 encoded image holds at most 65536 bytes at base 4");
        QCOMPARE(text, QStringLiteral(
                           "病历有 70000 字节，但 512×512 的编码图像在 4 进制下最多只能容纳 65536 字节"));
        // With the advice the workflow appends to it (an optional part of the sentence's pattern).
        QCOMPARE(
            engineMessage("the EMR has 70000 bytes but a 512×512 encoded image holds at most 65536 bytes at "
                          "base 4; base 16 holds twice as much as base 4 (the network's reveal suffers; "
                          "exact recovery stays bit-exact)"),
            QStringLiteral("病历有 70000 字节，但 512×512 的编码图像在 4 进制下最多只能容纳 65536 字节"));
        // A sentence the table does not know stays as the engine wrote it (never lost).
        QCOMPARE(engineMessage("an unforeseen engine sentence"),
                 QStringLiteral("an unforeseen engine sentence"));
    }

    // Issue #25.8: the QR's public fields are named in Chinese on the Recover tab (hospital, department,
    // patient number), and Help opens the Chinese manual.
    void qrFieldsAndManualAreChinese()
    {
        QTemporaryDir dir;
        auto key = medveil::RsaKey::generate(2048);
        QVERIFY(key.ok());
        medveil::ProtectOptions options;
        options.info = {{"hospital", "Union Hospital"}, {"department", "Radiology"}, {"patient", "10256"}};
        const QString protectedFile = dir.filePath(QStringLiteral("fields.png"));
        QVERIFY(medveil::workflow::protectFile(MainWindow::bundledSamplePath().toStdString(),
                                               protectedFile.toStdString(), *key, options)
                    .ok());
        MainWindow window;
        QVERIFY(medveil::test::showAndExpose(window));
        QSignalSpy inspected(window.recoverPanel(), &RecoverPanel::inspected);
        window.openFile(protectedFile);
        QTRY_VERIFY_WITH_TIMEOUT(!inspected.isEmpty(), 10000);
        auto* table = window.recoverPanel()->findChild<QTableWidget*>();
        QVERIFY(table);
        QStringList labels;
        for (int row = 0; row < table->rowCount(); ++row)
            labels << table->item(row, 0)->text();
        for (const char* label : {"医院", "科室", "患者编号"})
            QVERIFY2(labels.contains(QString::fromUtf8(label)), qPrintable(labels.join(QLatin1Char('|'))));

        QAction* manual = window.findChild<QAction*>(QStringLiteral("manualAction"));
        QVERIFY(manual);
        manual->trigger();
        QTextBrowser* text = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((text = window.findChild<QTextBrowser*>(QStringLiteral("manualText"))),
                                 5000);
        QVERIFY2(text->toPlainText().startsWith(QStringLiteral("MedVeil 使用手册")),
                 qPrintable(text->toPlainText().left(80)));
        QVERIFY(text->toPlainText().contains(QStringLiteral("先准备密钥")));
    }

    void preferencesOfferBothLanguagesNamedInThemselves()
    {
        PreferencesDialog dialog;
        QComboBox* box = dialog.languageBox();
        QCOMPARE(box->count(), 3);
        QCOMPARE(box->itemText(0), QStringLiteral("跟随系统"));
        QCOMPARE(box->itemText(1), QStringLiteral("English"));
        QCOMPARE(box->itemText(2), QStringLiteral("简体中文"));
        box->setCurrentIndex(1);
        dialog.apply();
        QCOMPARE(AppSettings::value(AppSettings::Key::Language).toString(), QStringLiteral("en"));
    }

    // Issue #25.8: the language chosen in Preferences is the language of the next start, and Preferences
    // shows it again. The "restart" reads the settings file from disk in a new place, as a new process
    // does (QSettings keeps what it wrote in memory: a same-process read hides what is on disk).
    void languagePreferenceSurvivesARestart()
    {
        QTemporaryDir firstRun, secondRun;
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, firstRun.path());
        QCOMPARE(installTranslators(QStringLiteral("en")), QStringLiteral("en"));
        {
            PreferencesDialog dialog;
            QCOMPARE(dialog.languageBox()->currentText(), QStringLiteral("System default"));
            dialog.languageBox()->setCurrentIndex(dialog.languageBox()->findText(QStringLiteral("简体中文")));
            auto* buttons = dialog.findChild<QDialogButtonBox*>();
            QVERIFY(buttons);
            buttons->button(QDialogButtonBox::Ok)->click();
            QCOMPARE(dialog.result(), int(QDialog::Accepted));
        }
        const QString written = QSettings().fileName();
        QSettings().sync();
        QVERIFY2(QFileInfo::exists(written), qPrintable(written));
        const QString moved =
            QDir(secondRun.path()).filePath(QDir(firstRun.path()).relativeFilePath(written));
        QVERIFY(QDir().mkpath(QFileInfo(moved).path()));
        QVERIFY(QFile::copy(written, moved));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, secondRun.path());
        QCOMPARE(QSettings().fileName(), moved);

        // As app/gui_main.cpp starts: the preference picks the translators before any widget exists.
        QCOMPARE(installTranslators(AppSettings::value(AppSettings::Key::Language).toString()),
                 QStringLiteral("zh_CN"));
        MainWindow window;
        QStringList menus;
        for (QAction* a : window.menuBar()->actions())
            menus << a->text();
        QVERIFY2(menus.contains(QStringLiteral("文件(&F)")), qPrintable(menus.join(QLatin1Char('|'))));
        PreferencesDialog again;
        QCOMPARE(again.languageBox()->currentText(), QStringLiteral("简体中文"));
        QVERIFY(again.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->text() !=
                QLatin1String("OK"));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsHome.path());
        QCOMPARE(installTranslators(QStringLiteral("zh_CN")), QStringLiteral("zh_CN"));
    }
};

QTEST_MAIN(TestGuiTranslations)
#include "test_gui_translations.moc"
