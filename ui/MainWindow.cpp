// SPDX-License-Identifier: GPL-3.0-or-later
#include "MainWindow.h"
#include "ErrorText.h"

#include "AppSettings.h"
#include "BackgroundJob.h"
#include "EmrPanel.h"
#include "ImageCanvas.h"
#include "KeyManagerDialog.h"
#include "PacsDialog.h"
#include "PreferencesDialog.h"
#include "ProtectPanel.h"
#include "RecoverPanel.h"
#include "Resources.h"
#include "SeriesBrowser.h"
#include "TeachingDialog.h"
#include "Translations.h"
#include "WindowPresets.h"
#include "core/InstallLayout.h"
#include "core/Version.h"
#include "emr/HiNet.h"
#include "io/DicomFile.h"
#include "io/ImageIo.h"
#include "workflow/FileWorkflows.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QCoreApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QScrollArea>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableWidget>
#include <QTextBrowser>
#include <QThreadPool>
#include <QUndoStack>
#include <QVBoxLayout>

#include <functional>

namespace medveil::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    ensureResources();
    setWindowTitle(tr("MedVeil"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/medveil.svg")));
    m_canvas = new ImageCanvas(this);
    setCentralWidget(m_canvas);
    setAcceptDrops(true);

    m_sizeLabel = new QLabel(this);
    m_depthLabel = new QLabel(this);
    m_depthLabel->setObjectName(QStringLiteral("depthLabel"));
    m_pixelLabel = new QLabel(this);
    m_pixelLabel->setObjectName(QStringLiteral("pixelLabel"));
    // Room for a CT read-out, so the status bar's message never squeezes it ("(64, 64) = 904" without its
    // unit).
    m_pixelLabel->setMinimumWidth(m_pixelLabel->fontMetrics().horizontalAdvance(
        QStringLiteral("(0000, 0000) = -00000 HU (stored 00000)")));
    m_zoomLabel = new QLabel(this);
    m_sizeLabel->setToolTip(tr("Image width × height in pixels"));
    m_depthLabel->setToolTip(tr("Bits per pixel"));
    m_pixelLabel->setToolTip(
        tr("Pixel position and value under the cursor (HU for CT, with the stored value beside it)"));
    statusBar()->addPermanentWidget(m_pixelLabel);
    statusBar()->addPermanentWidget(m_sizeLabel);
    statusBar()->addPermanentWidget(m_depthLabel);
    statusBar()->addPermanentWidget(m_zoomLabel);
    m_windowLabel = new QLabel(this);
    m_windowLabel->setObjectName(QStringLiteral("windowLevelLabel"));
    m_windowLabel->setToolTip(tr("Window level (centre) and width, in modality units (HU for CT) for DICOM "
                                 "files with a rescale, stored values otherwise; drag with the right mouse "
                                 "button or pick a preset in View ▸ Window/Level"));
    statusBar()->addPermanentWidget(m_windowLabel);
    connect(m_canvas, &ImageCanvas::windowLevelChanged, this, &MainWindow::updateWindowLabel);
    connect(m_canvas, &ImageCanvas::imageChanged, this, &MainWindow::updateImageLabels);

    connect(m_canvas, &ImageCanvas::pixelHovered, this, &MainWindow::updatePixelInfo);
    connect(m_canvas, &ImageCanvas::zoomChanged, this,
            [this](double zoom) { m_zoomLabel->setText(tr("%1 %").arg(qRound(zoom * 100))); });
    connect(m_canvas, &ImageCanvas::filesDropped, this, [this](const QStringList& paths) {
        // A dropped folder (a DICOM study or series, say) opens the series browser.
        if (QFileInfo(paths.first()).isDir())
            openFolder(paths.first());
        else
            openFile(paths.first());
    });

    m_protect = new ProtectPanel(m_canvas, this);
    m_recover = new RecoverPanel(m_canvas, this);
    m_emr = new EmrPanel(m_canvas, this);
    m_workflows = new QTabWidget(this);
    auto scrolled = [this](QWidget* panel, QWidget* actionBar = nullptr) -> QWidget* {
        auto* area = new QScrollArea(this);
        area->setWidget(panel);
        area->setWidgetResizable(true);
        area->setFrameShape(QFrame::NoFrame);
        // Why the tab does not apply to the open file (a protected file on the Protect tab …), above it.
        auto* notice = new QLabel(this);
        notice->setObjectName(QStringLiteral("notApplicable"));
        notice->setWordWrap(true);
        notice->setMargin(8);
        notice->setStyleSheet(QStringLiteral("background:#fff4ce; color:#5c4400;"));
        notice->setVisible(false);
        m_notices.append(notice);
        m_pages.append(panel);
        // The settings scroll; the action below them stays in view whatever the window's height.
        auto* page = new QWidget(this);
        auto* column = new QVBoxLayout(page);
        column->setContentsMargins(0, 0, 0, 0);
        column->setSpacing(0);
        column->addWidget(notice);
        column->addWidget(area, 1);
        if (actionBar)
            column->addWidget(actionBar);
        return page;
    };
    m_workflows->addTab(scrolled(m_protect, m_protect->actionBar()), tr("Protect"));
    m_workflows->addTab(scrolled(m_recover), tr("Recover"));
    m_workflows->addTab(scrolled(m_emr), tr("EMR"));
    connect(m_workflows, &QTabWidget::currentChanged, this, &MainWindow::showTab);
    m_workflows->setTabToolTip(
        2, tr("Hide the medical image in its record's encoded image and encrypt (Guo et al. 2025)"));
    m_workflows->setTabToolTip(0, tr("Hide the key region and cover it with a QR code (Li et al. 2020)"));
    m_workflows->setTabToolTip(1, tr("Restore a protected image with your private key"));
    auto* dock = new QDockWidget(tr("Workflow"), this);
    dock->setObjectName(QStringLiteral("workflowDock"));
    dock->setWidget(m_workflows);
    dock->setFeatures(QDockWidget::DockWidgetMovable);
    dock->setMinimumWidth(420); // the QR fields two a row
    addDockWidget(Qt::RightDockWidgetArea, dock);
    connect(m_protect, &ProtectPanel::saved, this, [this](const QString& path) {
        statusBar()->showMessage(tr("Protected image saved to %1").arg(QFileInfo(path).fileName()), 6000);
    });
    connect(m_protect, &ProtectPanel::failed, this,
            [this](const QString& m) { showError(tr("Cannot protect"), m); });
    connect(m_recover, &RecoverPanel::failed, this,
            [this](const QString& m) { statusBar()->showMessage(m, 8000); });

    createMenus();
    resize(1280, 860);
    restoreGeometry(AppSettings::value(AppSettings::Key::WindowGeometry).toByteArray());
}

QString MainWindow::bundledSamplePath()
{
    // <exe>/../share/medveil/samples: installed, and in the build tree (a link to resources/samples).
    const QString path =
        QString::fromStdString((medveil::dataDirectory() / "samples/brain_mri_axial_512.png").string());
    return QFileInfo::exists(path) ? QFileInfo(path).canonicalFilePath() : QString();
}

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(QIcon::fromTheme(QStringLiteral("document-open")), tr("&Open…"), this,
                                    &MainWindow::promptOpen);
    open->setShortcut(QKeySequence::Open);
    open->setToolTip(tr("Open a grey medical image"));
    QAction* openFolderAction = file->addAction(tr("Open &Folder…"), this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Open a folder of DICOM images"));
        if (!folder.isEmpty())
            openFolder(folder);
    });
    openFolderAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    openFolderAction->setObjectName(QStringLiteral("openFolderAction"));
    openFolderAction->setToolTip(tr("Browse the DICOM studies and series in a folder"));
    QAction* pacsAction = file->addAction(tr("&PACS…"), this, &MainWindow::showPacs);
    pacsAction->setObjectName(QStringLiteral("pacsAction"));
    pacsAction->setToolTip(tr("Query, retrieve from and send to a PACS or another DICOM node"));
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    rebuildRecentMenu();
    m_saveAsAction = file->addAction(QIcon::fromTheme(QStringLiteral("document-save-as")), tr("Save &As…"),
                                     this, &MainWindow::promptSaveAs);
    m_saveAsAction->setShortcut(QKeySequence::SaveAs);
    m_saveAsAction->setEnabled(false);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    // Region edits of the Protect tab: move, resize, add, remove, next candidate.
    QAction* undo = m_protect->regionHistory()->stack()->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    undo->setObjectName(QStringLiteral("undoAction"));
    QAction* redo = m_protect->regionHistory()->stack()->createRedoAction(this, tr("&Redo"));
    // The platform's Redo plus both common spellings, whatever the desktop (Ctrl+Shift+Z, Ctrl+Y).
    QList<QKeySequence> redoKeys = QKeySequence::keyBindings(QKeySequence::Redo);
    for (const QKeySequence& key :
         {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)})
        if (!redoKeys.contains(key))
            redoKeys.append(key);
    redo->setShortcuts(redoKeys);
    redo->setObjectName(QStringLiteral("redoAction"));
    edit->addAction(undo);
    edit->addAction(redo);
    edit->addSeparator();
    QAction* preferences = edit->addAction(tr("&Preferences…"), this, [this] {
        PreferencesDialog dialog(this);
        if (dialog.exec() == QDialog::Accepted)
            rebuildRecentMenu();
    });
    preferences->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    preferences->setMenuRole(QAction::PreferencesRole);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    QAction* zoomIn = view->addAction(tr("Zoom &In"), m_canvas, &ImageCanvas::zoomIn);
    zoomIn->setShortcut(QKeySequence::ZoomIn);
    QAction* zoomOut = view->addAction(tr("Zoom &Out"), m_canvas, &ImageCanvas::zoomOut);
    zoomOut->setShortcut(QKeySequence::ZoomOut);
    QAction* fit = view->addAction(tr("&Fit to Window"), m_canvas, &ImageCanvas::fitToWindow);
    fit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    QAction* actual = view->addAction(tr("&Actual Size"), m_canvas, &ImageCanvas::actualSize);
    actual->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_1));
    m_invertAction = view->addAction(tr("&Invert Grey Levels"));
    m_invertAction->setObjectName(QStringLiteral("invertAction"));
    m_invertAction->setCheckable(true);
    m_invertAction->setShortcut(QKeySequence(Qt::Key_I));
    m_invertAction->setToolTip(tr("Display only: the pixels are untouched"));
    connect(m_invertAction, &QAction::toggled, m_canvas, &ImageCanvas::setInverted);
    m_tagsAction = view->addAction(tr("DICOM &Tags…"), this, &MainWindow::showDicomTags);
    m_tagsAction->setObjectName(QStringLiteral("dicomTagsAction"));
    m_tagsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    m_tagsAction->setEnabled(false); // until a DICOM file is open
    view->addSeparator();
    QMenu* windowMenu = view->addMenu(tr("&Window/Level"));
    windowMenu->setToolTipsVisible(true);
    QAction* reset =
        windowMenu->addAction(tr("&Reset to Image Range"), m_canvas, &ImageCanvas::resetWindowLevel);
    reset->setShortcut(QKeySequence(Qt::Key_R));
    reset->setToolTip(tr("Or drag with the right mouse button: left/right = width, up/down = level"));
    QAction* numeric = windowMenu->addAction(tr("&Centre and Width…"), this, &MainWindow::askWindowLevel);
    numeric->setObjectName(QStringLiteral("windowLevelAction"));
    numeric->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    windowMenu->addSeparator();
    // Presets from resources/presets/*.json; the first nine get F1…F9 as in most PACS viewers.
    const QList<WindowPreset> presets = WindowPreset::builtIn();
    for (int i = 0; i < presets.size(); ++i) {
        const WindowPreset preset = presets[i];
        QAction* a = windowMenu->addAction(preset.name, this, [this, preset] {
            if (!m_canvas->hasImage())
                return;
            const auto [centre, width] = preset.resolve(m_canvas->image(), m_canvas->modalityScale());
            m_canvas->setWindowLevel(centre, width);
        });
        a->setObjectName(QStringLiteral("windowPreset%1").arg(i));
        if (i < 9)
            a->setShortcut(QKeySequence(Qt::Key_F1 + i));
        if (preset.mode == WindowPreset::Mode::Absolute) {
            a->setToolTip(
                tr("Centre %1, width %2 (HU); for CT DICOM files").arg(preset.centre).arg(preset.width));
            a->setEnabled(false); // until a CT opens
            m_huPresets.append(a);
        }
    }

    QMenu* keys = menuBar()->addMenu(tr("&Keys"));
    QAction* manager = keys->addAction(tr("Key &Manager…"), this, &MainWindow::showKeyManager);
    manager->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    manager->setObjectName(QStringLiteral("keyManagerAction"));

    QMenu* teachingMenu = menuBar()->addMenu(tr("&Teaching"));
    QAction* walkthrough =
        teachingMenu->addAction(tr("&Pipeline Walkthrough…"), this, &MainWindow::showTeaching);
    walkthrough->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    walkthrough->setObjectName(QStringLiteral("teachingAction"));

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* manual = help->addAction(tr("MedVeil &Manual"), this, &MainWindow::showManual);
    manual->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F1)); // F1…F9 are the window presets
    manual->setObjectName(QStringLiteral("manualAction"));
    QAction* shortcuts = help->addAction(tr("&Keyboard Shortcuts"), this, &MainWindow::showShortcuts);
    shortcuts->setObjectName(QStringLiteral("shortcutsAction"));
    help->addAction(tr("&About MedVeil"), this, [this] {
        QMessageBox::about(
            this, tr("About MedVeil"),
            tr("<h3>MedVeil %1</h3><p>Protects medical images and the records that travel with them.</p>"
               "<p>Key-region protection: Li J., Zhang Z., Li S. et al., <i>A partial encryption algorithm "
               "for "
               "medical images based on quick response code and reversible data hiding technology</i>, BMC "
               "Medical Informatics and Decision Making 20, 297 (2020).</p>"
               "<p>EMR hidden encryption: Guo C., Li M., Li H., Wang H., Wang X., <i>Design of "
               "Encoding-Domain "
               "Hidden Encryption for Electronic Medical Records in Medical Images</i>, Journal of Applied "
               "Sciences 43(5):828–848 (2025).</p>")
                .arg(QString::fromLatin1(kVersion)));
    });
}

void MainWindow::updateImageLabels()
{
    const Image& image = m_canvas->image();
    if (image.empty()) {
        m_sizeLabel->clear();
        m_depthLabel->clear();
    } else {
        m_sizeLabel->setText(tr("%1 × %2").arg(image.width()).arg(image.height()));
        m_depthLabel->setText(tr("%1-bit").arg(image.bitDepth()));
    }
    // HU windows mean nothing on an MR, a photograph, a seal's stage or a PNG whose values are not HU.
    for (QAction* a : std::as_const(m_huPresets))
        a->setEnabled(!image.empty() && m_canvas->modalityScale().modality == "CT");
    updateWindowLabel();
}

void MainWindow::updateWindowLabel()
{
    if (!m_canvas->hasImage()) {
        m_windowLabel->clear();
        return;
    }
    const double centre = m_canvas->windowCentre(), width = m_canvas->windowWidth();
    const ModalityScale& scale = m_canvas->modalityScale();
    if (!scale.isIdentity())
        m_windowLabel->setText(tr("L %1  W %2%3")
                                   .arg(qRound(scale.toModality(centre)))
                                   .arg(qRound(scale.widthToModality(width)))
                                   .arg(QString::fromStdString(scale.unitSuffix())));
    else
        m_windowLabel->setText(tr("L %1  W %2").arg(qRound(centre)).arg(qRound(width)));
}

void MainWindow::showDicomTags()
{
    if (!m_document.file.dicom)
        return;
    auto* dialog = new QDialog(this);
    dialog->setObjectName(QStringLiteral("dicomTagsDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("DICOM Tags — %1").arg(m_document.fileName()));
    auto* layout = new QVBoxLayout(dialog);
    auto* filter = new QLineEdit(dialog);
    filter->setObjectName(QStringLiteral("dicomTagsFilter"));
    filter->setPlaceholderText(tr("Filter by tag, name or value"));
    filter->setClearButtonEnabled(true);
    layout->addWidget(filter);
    const std::vector<DicomAttribute> attributes = m_document.file.dicom->attributes();
    auto* table = new QTableWidget(int(attributes.size()), 4, dialog);
    table->setObjectName(QStringLiteral("dicomTags"));
    table->setHorizontalHeaderLabels({tr("Tag"), tr("Name"), tr("VR"), tr("Value")});
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setStretchLastSection(true);
    for (int row = 0; row < int(attributes.size()); ++row) {
        const DicomAttribute& a = attributes[size_t(row)];
        int column = 0;
        for (const std::string* text : {&a.tag, &a.keyword, &a.vr, &a.value}) // values come from the file
            table->setItem(row, column++, new QTableWidgetItem(displayText(*text)));
    }
    table->resizeColumnsToContents();
    layout->addWidget(table);
    connect(filter, &QLineEdit::textChanged, table, [table](const QString& text) {
        for (int row = 0; row < table->rowCount(); ++row) {
            bool match = text.isEmpty();
            for (int column = 0; column < table->columnCount() && !match; ++column)
                match = table->item(row, column)->text().contains(text, Qt::CaseInsensitive);
            table->setRowHidden(row, !match);
        }
    });
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
    layout->addWidget(buttons);
    dialog->resize(820, 600);
    dialog->show();
}

SeriesBrowser* MainWindow::openFolder(const QString& folder)
{
    auto* browser = new SeriesBrowser(folder, this);
    browser->setAttribute(Qt::WA_DeleteOnClose);
    connect(browser, &SeriesBrowser::openRequested, this, &MainWindow::openFile);
    // The tabs' settings as they are when a series job starts.
    browser->setConfigure([this](SeriesBrowser& b) {
        b.setProtection(m_protect->recipientKeyPath(), m_protect->currentOptions());
        b.setSealing(m_emr->recipientKeyPath(), m_emr->emrText(), m_emr->recovery());
    });
    browser->show();
    return browser;
}

void MainWindow::showManual()
{
    // The manual ships in the resources (docs/MANUAL.md): it opens offline, where the workstation runs.
    auto* dialog = new QDialog(this);
    dialog->setObjectName(QStringLiteral("manualDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("MedVeil Manual"));
    auto* layout = new QVBoxLayout(dialog);
    auto* text = new QTextBrowser(dialog);
    text->setObjectName(QStringLiteral("manualText"));
    // In the interface language when the manual is translated (docs/MANUAL.zh_CN.md), else English.
    QFile file(QStringLiteral(":/docs/MANUAL.%1.md").arg(currentLanguage()));
    if (!file.exists())
        file.setFileName(QStringLiteral(":/docs/MANUAL.md"));
    text->setMarkdown(file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll())
                                                     : tr("The manual is missing from this build."));
    text->setOpenExternalLinks(false);
    layout->addWidget(text);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
    layout->addWidget(buttons);
    dialog->resize(760, 640);
    dialog->show();
}

void MainWindow::askWindowLevel()
{
    if (!m_canvas->hasImage())
        return;
    // In modality units (HU for CT) as the presets and the file's own window are; stored values otherwise.
    const ModalityScale scale = m_canvas->modalityScale();
    auto* dialog = new QDialog(this);
    dialog->setObjectName(QStringLiteral("windowLevelDialog"));
    dialog->setWindowTitle(tr("Window Centre and Width"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    auto* form = new QFormLayout(dialog);
    auto* centre = new QDoubleSpinBox(dialog);
    auto* width = new QDoubleSpinBox(dialog);
    centre->setObjectName(QStringLiteral("windowCentre"));
    width->setObjectName(QStringLiteral("windowWidth"));
    centre->setRange(-1e6, 1e6);
    width->setRange(1e-3, 2e6);
    centre->setDecimals(1);
    width->setDecimals(1);
    centre->setValue(scale.toModality(m_canvas->windowCentre()));
    width->setValue(scale.widthToModality(m_canvas->windowWidth()));
    const bool rescaled = !scale.isIdentity();
    form->addRow(rescaled ? tr("Centre (modality units, e.g. HU)") : tr("Centre"), centre);
    form->addRow(rescaled ? tr("Width (modality units)") : tr("Width"), width);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, dialog);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    connect(dialog, &QDialog::accepted, this, [this, scale, centre, width] {
        m_canvas->setWindowLevel(scale.toStored(centre->value()), scale.widthToStored(width->value()));
    });
    dialog->open();
}

void MainWindow::showShortcuts()
{
    // Listed from the menus themselves, so the list cannot drift from what the keys do.
    QString rows;
    const std::function<void(QMenu*)> collect = [&](QMenu* menu) {
        for (QAction* action : menu->actions()) {
            if (action->menu())
                collect(action->menu());
            else if (!action->shortcut().isEmpty())
                rows += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
                            .arg(action->shortcut().toString(QKeySequence::NativeText).toHtmlEscaped(),
                                 action->text().remove(QLatin1Char('&')).toHtmlEscaped());
        }
    };
    for (QAction* top : menuBar()->actions())
        if (top->menu())
            collect(top->menu());
    rows += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
                .arg(tr("Space"), tr("Show the protected preview / the opened image"));
    rows += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
                .arg(tr("Right-drag"), tr("Window width (left/right) and level (up/down)"));
    rows += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
                .arg(tr("Shift+drag, Delete"), tr("Add a further key region, remove the selected one"));
    auto* box = new QMessageBox(QMessageBox::NoIcon, tr("Keyboard Shortcuts"),
                                QStringLiteral("<table cellspacing='6'>%1</table>").arg(rows),
                                QMessageBox::Close, this);
    box->setObjectName(QStringLiteral("shortcutsBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

TeachingDialog* MainWindow::showTeaching()
{
    if (m_document.isOpen() && m_document.kind != workflow::FileKind::Plain) {
        // The walkthrough protects its image: a protected or sealed file would get a second QR code over
        // the first. Its original first.
        auto* box = new QMessageBox(
            QMessageBox::Information, tr("Pipeline Walkthrough"),
            tr("%1 is %2. The walkthrough protects the image it shows, so it runs on an unprotected image "
               "only: recover or open the original first, then start it again.")
                .arg(m_document.fileName(), kindName(m_document.kind)),
            QMessageBox::Ok, this);
        box->setObjectName(QStringLiteral("teachingRefused"));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
        return nullptr;
    }
    auto* dialog =
        new TeachingDialog(m_document.file.image.empty() ? m_canvas->image() : m_document.file.image,
                           m_emr->emrText().isEmpty() ? sampleNote() : m_emr->emrText(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    if (m_canvas->hasImage())
        dialog->compute();
    return dialog;
}

QString MainWindow::sampleNote()
{
    return tr("Outpatient note. Chief complaint: headache for three days. MRI brain: no acute findings. "
              "Plan: review in two weeks.");
}

PacsDialog* MainWindow::showPacs()
{
    if (!m_pacs) {
        m_pacs = new PacsDialog(this);
        m_pacs->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_pacs, &PacsDialog::retrieved, this, [this](const QString& folder) { openFolder(folder); });
    }
    m_pacs->show();
    m_pacs->raise();
    m_pacs->activateWindow();
    return m_pacs;
}

KeyManagerDialog* MainWindow::showKeyManager()
{
    if (!m_keyManager) {
        m_keyManager = new KeyManagerDialog(this);
        m_keyManager->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_keyManager, &KeyManagerDialog::recipientKeyChosen, this, [this](const QString& path) {
            m_protect->setRecipientKeyPath(path);
            m_emr->setRecipientKeyPath(path);
            statusBar()->showMessage(tr("Recipient key: %1").arg(QFileInfo(path).fileName()), 6000);
        });
        connect(m_keyManager, &KeyManagerDialog::privateKeyChosen, this, [this](const QString& path) {
            m_recover->setPrivateKeyPath(path);
            m_emr->setPrivateKeyPath(path);
            statusBar()->showMessage(tr("Private key: %1").arg(QFileInfo(path).fileName()), 6000);
        });
    }
    m_keyManager->show();
    m_keyManager->raise();
    return m_keyManager;
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = AppSettings::recentFiles();
    for (const QString& path : recent) {
        QAction* action =
            m_recentMenu->addAction(QFileInfo(path).fileName(), this, [this, path] { openFile(path); });
        action->setToolTip(path);
    }
    if (recent.isEmpty())
        m_recentMenu->addAction(tr("(none)"))->setEnabled(false);
    m_recentMenu->addSeparator();
    QAction* remember = m_recentMenu->addAction(tr("&Remember Recent Files"));
    remember->setCheckable(true);
    remember->setChecked(AppSettings::rememberRecentFiles());
    remember->setToolTip(tr("File names can carry patient names; turn this off to keep no list"));
    connect(remember, &QAction::toggled, this, [this](bool on) {
        AppSettings::setRememberRecentFiles(on);
        rebuildRecentMenu();
    });
    QAction* clear = m_recentMenu->addAction(tr("&Clear List"), this, [this] {
        AppSettings::clearRecentFiles();
        rebuildRecentMenu();
    });
    clear->setEnabled(!recent.isEmpty());
}

void MainWindow::promptOpen()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open Image"), QString(),
        tr("Images (*.png *.tif *.tiff *.bmp *.jpg *.jpeg *.dcm);;DICOM (*.dcm);;All files (*)"));
    if (!path.isEmpty())
        openFile(path);
}

void MainWindow::promptSaveAs()
{
    QString path =
        QFileDialog::getSaveFileName(this, tr("Save Image As"), QString(), tr("PNG image (*.png)"));
    if (path.isEmpty())
        return;
    if (!path.endsWith(QStringLiteral(".png"), Qt::CaseInsensitive))
        path += QStringLiteral(".png");
    saveTo(path);
}

void MainWindow::openFile(const QString& path)
{
    statusBar()->showMessage(tr("Opening %1…").arg(QFileInfo(path).fileName()));
    const std::string nativePath = QFile::encodeName(path).toStdString();
    const std::uint64_t request = ++m_openRequest;
    BackgroundJob<Result<LoadedImage>>::start(
        this, [nativePath](const JobControl&) { return readImageFile(nativePath); },
        [this, path, request](Result<LoadedImage> loaded) {
            if (request != m_openRequest)
                return; // a later open wins, whichever read finishes first
            if (!loaded) {
                showError(tr("Cannot open image"), errorText(loaded.error()));
                return;
            }
            m_document = Document::open(path, std::move(*loaded));
            showDocument();
            statusBar()->showMessage(tr("Opened %1").arg(m_document.fileName()), 4000);
            if (path != bundledSamplePath())
                AppSettings::addRecentFile(path);
            rebuildRecentMenu();
            Q_EMIT imageLoaded(path);
        });
}

void MainWindow::showDocument()
{
    const Document& document = m_document;
    const Image& image = document.file.image;
    const DicomFile* dicom = document.file.dicom.get();
    m_canvas->setMarks({}); // a tamper map belongs to the file it was made for
    m_canvas->clearRegion();
    m_tagsAction->setEnabled(dicom != nullptr);
    m_invertAction->setChecked(dicom && dicom->info().photometric == "MONOCHROME1"); // inverts the canvas
    m_canvas->setInverted(m_invertAction->isChecked());
    showWithScale(m_canvas, image, document.scale, dicom);
    // Every tab gets the new document (and forgets the previous one's results), or nothing and says why.
    const bool plain = document.kind == workflow::FileKind::Plain;
    if (plain) {
        m_protect->setSource(document.file);
        m_protect->setImage(image, document.path);
    } else {
        m_protect->setSource(LoadedImage());
        m_protect->setImage(Image(), QString());
    }
    m_recover->setDocument(document);
    m_emr->setDocument(document);
    for (int tab = 0; tab < m_notices.size(); ++tab) {
        const QString why = notApplicableReason(Workflow(tab), document.kind);
        m_notices[tab]->setText(why);
        m_notices[tab]->setVisible(!why.isEmpty());
        m_pages[tab]->setEnabled(why.isEmpty());
    }
    m_protect->actionBar()->setEnabled(plain);
    const Workflow takes = workflowFor(document.kind);
    // A plain image keeps the EMR tab when it is open (a series sealed one by one); otherwise the tab
    // that takes the file comes forward.
    if (!(plain && m_workflows->currentIndex() == int(Workflow::Emr)))
        m_workflows->setCurrentIndex(int(takes));
    showTab(m_workflows->currentIndex()); // when the tab in front stayed
    updateImageLabels();
    m_saveAsAction->setEnabled(true);
    setWindowTitle(tr("%1 — MedVeil").arg(document.fileName()));
    // Keys are for the viewer now (R resets the window, Space toggles the preview), never for a QR field
    // that was being typed into for the previous image.
    m_canvas->setFocus(Qt::OtherFocusReason);
}

void MainWindow::showTab(int index)
{
    const Workflow tab = Workflow(index);
    const Workflow takes = workflowFor(m_document.kind);
    // The key region (Protect) or the recovered region and tamper marks (Recover) belong to the tab that
    // takes the file: drawn and editable there only.
    m_canvas->setOverlayShown(tab == takes);
    // The Protect tab's preview belongs to it.
    if (tab != Workflow::Protect && m_protect->showingPreview())
        m_protect->showPreview(false);
    const Image& image = m_document.file.image;
    if (image.empty())
        return;
    if (tab == takes && tab == Workflow::Recover) {
        m_recover->showView(m_recover->shownView());
        return;
    }
    // The EMR tab shows its own stages; any other tab shows the open file (not a stage or a recovery left
    // by another tab).
    const bool ownImages = tab == Workflow::Emr && notApplicableReason(tab, m_document.kind).isEmpty();
    if (!ownImages && !m_canvas->image().identicalTo(image))
        showWithScale(m_canvas, image, m_document.scale, m_document.file.dicom.get());
    if (ownImages)
        m_emr->showCurrentStage();
}

void MainWindow::saveTo(const QString& path)
{
    if (!m_canvas->hasImage())
        return;
    const Image image = m_canvas->image();
    const std::string target = QFile::encodeName(path).toStdString();
    const std::string input = QFile::encodeName(m_document.path).toStdString();
    BackgroundJob<Status>::start(
        this, [image, target, input](const JobControl&) { return writePng(target, image, {}, {input}); },
        [this, path](Status status) {
            if (!status) {
                showError(tr("Cannot save image"), errorText(status.error()));
                return;
            }
            statusBar()->showMessage(tr("Saved %1").arg(QFileInfo(path).fileName()), 4000);
            Q_EMIT imageSaved(path);
        });
}

void MainWindow::showError(const QString& title, const QString& message)
{
    statusBar()->showMessage(message, 8000);
    auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open(); // window-modal without a nested event loop
    Q_EMIT errorShown(message);
}

void MainWindow::updatePixelInfo(int x, int y, int value)
{
    const ModalityScale& scale = m_canvas->modalityScale(); // of the image shown, not of the file
    if (x < 0)
        m_pixelLabel->clear();
    else
        m_pixelLabel->setText(!scale.isIdentity()
                                  ? tr("(%1, %2) = %3%4 (stored %5)")
                                        .arg(x)
                                        .arg(y)
                                        .arg(QLocale().toString(scale.toModality(value), 'g', 6))
                                        .arg(QString::fromStdString(scale.unitSuffix()))
                                        .arg(value)
                                  : tr("(%1, %2) = %3").arg(x).arg(y).arg(value));
}

int MainWindow::currentWorkflow() const
{
    return m_workflows->currentIndex();
}

QString MainWindow::statusText() const
{
    return QStringList{m_pixelLabel->text(), m_sizeLabel->text(), m_depthLabel->text(), m_zoomLabel->text()}
        .join(QLatin1Char(' '));
}

void MainWindow::preloadNetwork(QSize size)
{
    if (m_cancelPreload)
        return; // once per window
    const int width = std::max(2, size.width()), height = std::max(2, size.height());
    auto job = BackgroundJob<Status>::start(
        this,
        [width, height](const JobControl& control) -> Status {
            MEDVEIL_ASSIGN_OR_RETURN(const auto network, HiNetModel::shared());
            return network->warmUp(width, height, control);
        },
        [this](Status status) { Q_EMIT networkReady(status.ok()); });
    m_cancelPreload = [job] { job->cancel(); };
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (m_cancelPreload)
        m_cancelPreload();
    AppSettings::setValue(AppSettings::Key::WindowGeometry, saveGeometry());
    event->accept();
}

} // namespace medveil::ui
