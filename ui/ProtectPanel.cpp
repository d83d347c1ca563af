// SPDX-License-Identifier: GPL-3.0-or-later
#include "ProtectPanel.h"
#include "ErrorText.h"
#include "KeyPathField.h"
#include "SaveDialogs.h"
#include "SenderSigning.h"
#include "workflow/FileWorkflows.h"

#include "AppSettings.h"
#include "ImageCanvas.h"
#include "SweepChart.h"
#include "crypto/KeyFile.h"
#include "io/ImageIo.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QShortcut>
#include <QSignalBlocker>
#include <QSlider>
#include <QVBoxLayout>

#include <cmath>

namespace medveil::ui {

namespace {
QRect toQRect(const Rect& r)
{
    return QRect(r.x, r.y, r.width, r.height);
}
Rect toRect(const QRect& r)
{
    return Rect{r.x(), r.y(), r.width(), r.height()};
}
} // namespace

ProtectPanel::ProtectPanel(ImageCanvas* canvas, QWidget* parent)
    : QWidget(parent), m_canvas(canvas), m_history(new RegionHistory(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(buildRegionBox());
    layout->addWidget(buildThresholdBox());
    layout->addWidget(buildInfoBox());
    layout->addWidget(buildResultBox());
    layout->addStretch(1);
    buildActionBar(); // placed below the scrolled panel by MainWindow

    // No debounce: the changes of one event-loop turn (a drag's burst, a reset of several fields) start one
    // preview; a newer change cancels the running one (startPreview) instead of waiting for the user to
    // stop. A stale preview stops at its next cancellation check, so the live PSNR/SSIM follow the slider.
    m_previewTimer.setSingleShot(true);
    m_previewTimer.setInterval(0);
    connect(&m_previewTimer, &QTimer::timeout, this, &ProtectPanel::startPreview);
    m_sweepTimer.setSingleShot(true);
    m_sweepTimer.setInterval(400);
    connect(&m_sweepTimer, &QTimer::timeout, this, &ProtectPanel::startSweep);
    connect(m_canvas, &ImageCanvas::regionEdited, this, [this](const QRect&) {
        m_history->record(canvasRegions());
        scheduleUpdate();
        m_sweepTimer.start();
    });

    scheduleUpdate();
}

namespace {

/// The recipient's public key for a preview; nullopt when none is chosen or it cannot be read (the preview
/// then says which size it assumes; saving reports the key's own error).
std::optional<RsaKey> previewRecipient(const std::string& keyPath)
{
    if (keyPath.empty())
        return std::nullopt;
    auto key = loadKeyFile(keyPath, KeyRole::Public);
    return key ? std::optional<RsaKey>(std::move(*key)) : std::nullopt;
}

} // namespace

QWidget* ProtectPanel::buildRegionBox()
{
    auto* regionBox = new QGroupBox(tr("Key region"), this);
    auto* regionColumn = new QVBoxLayout(regionBox);
    auto* regionLayout = new QHBoxLayout;
    m_regionLabel = new QLabel(tr("—"), regionBox);
    m_regionLabel->setObjectName(QStringLiteral("regionLabel"));
    m_regionLabel->setToolTip(
        tr("Drag the region to move it, its corners to resize it; Shift+drag on the image "
           "adds a further region (hidden too, filled grey), Delete removes the selected "
           "one"));
    auto* next = new QPushButton(tr("&Next candidate"), regionBox);
    next->setToolTip(tr("Step to the region with the next-largest coefficient of variation (σ/μ)"));
    next->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_N));
    next->setObjectName(QStringLiteral("nextCandidate"));
    regionLayout->addWidget(m_regionLabel, 1);
    regionLayout->addWidget(next);
    regionColumn->addLayout(regionLayout);
    // Further regions (de-identification boxes): listed, selectable, removable.
    m_extraList = new QListWidget(regionBox);
    m_extraList->setMaximumHeight(48);
    m_extraList->setVisible(false);
    auto* removeExtra = new QPushButton(tr("Remove"), regionBox);
    removeExtra->setToolTip(tr("Remove the selected further region (Delete on the image)"));
    removeExtra->setVisible(false);
    auto* extraRow = new QHBoxLayout;
    extraRow->addWidget(m_extraList, 1);
    extraRow->addWidget(removeExtra, 0, Qt::AlignTop);
    regionColumn->addLayout(extraRow);
    connect(m_extraList, &QListWidget::currentRowChanged, this,
            [this](int row) { m_canvas->selectExtraRegion(row); });
    connect(removeExtra, &QPushButton::clicked, m_canvas, &ImageCanvas::removeSelectedExtraRegion);
    m_removeExtra = removeExtra;
    connect(m_canvas, &ImageCanvas::extraRegionsEdited, this, [this](const QList<QRect>& regions) {
        listExtraRegions(regions);
        if (regions.size() != m_extraCount) { // added or removed, not only selected: one undo step
            m_history->record(canvasRegions());
            m_extraCount = regions.size();
            scheduleUpdate();
        }
    });
    connect(m_history, &RegionHistory::restore, this, [this](const RegionState& state) {
        m_canvas->setRegion(state.primary);
        m_canvas->setExtraRegions(state.extras);
        listExtraRegions(state.extras);
        m_extraCount = state.extras.size();
        scheduleUpdate();
        m_sweepTimer.start();
    });
    auto* scrambleRow = new QHBoxLayout;
    m_scrambling = new QComboBox(regionBox);
    m_scrambling->setObjectName(QStringLiteral("scrambling"));
    m_scrambling->addItem(tr("Arnold (the paper)"), int(Scrambling::Arnold));
    m_scrambling->addItem(tr("Keyed permutation"), int(Scrambling::Permute));
    m_scrambling->setToolTip(
        tr("How the embedded texture blocks are scrambled. Arnold's map can be undone "
           "without the key by trying its few periods; the keyed permutation leaves only "
           "each block's mean (see Teaching → Pipeline walkthrough)"));
    connect(m_scrambling, &QComboBox::currentIndexChanged, this, &ProtectPanel::scheduleUpdate);
    scrambleRow->addWidget(new QLabel(tr("Scrambling"), regionBox));
    scrambleRow->addWidget(m_scrambling, 1);
    regionColumn->addLayout(scrambleRow);
    connect(next, &QPushButton::clicked, this, &ProtectPanel::nextCandidate);
    return regionBox;
}

QWidget* ProtectPanel::buildThresholdBox()
{
    auto* thresholdBox = new QGroupBox(tr("Texture threshold T (block MSE > T)"), this);
    auto* thresholdLayout = new QHBoxLayout(thresholdBox);
    m_threshold = new QSlider(Qt::Horizontal, thresholdBox);
    m_threshold->setRange(5, 50);
    m_threshold->setSingleStep(5);
    m_threshold->setPageStep(5);
    m_threshold->setValue(25);
    m_threshold->setToolTip(tr("Higher T embeds into fewer, busier blocks: better quality, less capacity"));
    m_thresholdLabel = new QLabel(QStringLiteral("25"), thresholdBox);
    m_thresholdLabel->setMinimumWidth(28);
    m_auto = new QCheckBox(tr("&Auto"), thresholdBox);
    m_auto->setChecked(true);
    m_auto->setToolTip(tr("Largest T whose texture blocks still hold the key region"));
    m_threshold->setEnabled(false);
    thresholdLayout->addWidget(m_threshold, 1);
    thresholdLayout->addWidget(m_thresholdLabel);
    thresholdLayout->addWidget(m_auto);
    connect(m_threshold, &QSlider::valueChanged, this, [this](int v) {
        m_thresholdLabel->setText(QString::number(v));
        scheduleUpdate();
    });
    connect(m_auto, &QCheckBox::toggled, this, [this](bool on) {
        m_threshold->setEnabled(!on);
        scheduleUpdate();
    });
    return thresholdBox;
}

QWidget* ProtectPanel::buildInfoBox()
{
    auto* infoBox = new QGroupBox(tr("Public information in the QR code"), this);
    // Two fields a row: at 1280×800 the chart below stays in view without scrolling.
    m_infoForm = new QGridLayout(infoBox);
    m_infoForm->setColumnStretch(1, 1);
    m_infoForm->setColumnStretch(3, 1);
    const QVariantMap remembered = AppSettings::value(AppSettings::Key::ProtectInfo).toMap();
    // The labels the Recover tab shows for the same keys (ErrorText.h: qrFieldLabel), two to a row.
    int index = 0;
    for (const char* key : {"hospital", "department", "doctor", "patient", "time", "contact", "type"}) {
        const QString label = qrFieldLabel(key);
        auto* edit = new QLineEdit(infoBox);
        edit->setMinimumWidth(60);
        const QString k = QString::fromLatin1(key);
        // Patient fields are never remembered; site fields are.
        if (k != QStringLiteral("patient"))
            edit->setText(remembered.value(k).toString());
        edit->setToolTip(k == QStringLiteral("patient")
                             ? tr("Shown to anyone who scans the QR code; not remembered")
                             : tr("Shown to anyone who scans the QR code"));
        auto* caption = new QLabel(label, infoBox);
        caption->setBuddy(edit);
        m_infoForm->addWidget(caption, index / 2, (index % 2) * 2);
        m_infoForm->addWidget(edit, index / 2, (index % 2) * 2 + 1);
        ++index;
        m_info.emplace_back(k, edit);
        connect(edit, &QLineEdit::editingFinished, this, &ProtectPanel::scheduleUpdate);
    }
    return infoBox;
}

QWidget* ProtectPanel::buildResultBox()
{
    auto* resultBox = new QGroupBox(tr("Protected image"), this);
    auto* resultLayout = new QVBoxLayout(resultBox);
    m_metrics = new QLabel(tr("Open an image to start"), resultBox);
    m_metrics->setWordWrap(true);
    m_capacity = new QProgressBar(resultBox);
    m_capacity->setRange(0, 1000);
    m_capacity->setFormat(tr("payload / capacity"));
    m_capacity->setToolTip(tr("Encrypted key-region bits against what the texture blocks can hold"));
    m_chart = new SweepChart(resultBox);
    m_viewToggle = new QPushButton(tr("Show &protected"), resultBox);
    m_viewToggle->setToolTip(tr("Toggle between the original and the protected preview (Space)"));
    connect(m_viewToggle, &QPushButton::clicked, this, [this] { showPreview(!m_showingPreview); });
    // Space anywhere in the window (the canvas usually has the focus), while this tab is shown. A QShortcut,
    // not the button's own: a button shortcut "animates" a click and dropped every second press.
    auto* toggle = new QShortcut(QKeySequence(Qt::Key_Space), this);
    toggle->setContext(Qt::WindowShortcut);
    connect(toggle, &QShortcut::activated, this, [this] {
        if (isVisible() && !m_image.empty())
            showPreview(!m_showingPreview);
    });
    resultLayout->addWidget(m_metrics);
    resultLayout->addWidget(m_capacity);
    resultLayout->addWidget(m_chart);
    resultLayout->addWidget(m_viewToggle);
    return resultBox;
}

void ProtectPanel::buildActionBar()
{
    // The recipient and the action stay in view below the scrolled settings (MainWindow places them):
    // at 1280×860 the button was below the fold, in zh_CN only a sliver of it showed.
    m_actionBar = new QWidget(this);
    auto* actionLayout = new QVBoxLayout(m_actionBar);
    actionLayout->setContentsMargins(9, 0, 9, 6);
    // One row, no frame: the height goes to the settings above.
    auto* keyLayout = new QHBoxLayout;
    auto* keyLabel = new QLabel(tr("Recipient"), m_actionBar);
    m_keyPath = new KeyPathField(KeyPathField::Role::RecipientPublic,
                                 tr("public key (PEM) of who may recover"), m_actionBar);
    keyLabel->setBuddy(m_keyPath);
    keyLayout->addWidget(keyLabel);
    keyLayout->addWidget(m_keyPath, 1);
    actionLayout->addLayout(keyLayout);
    // The recipient's key size decides the QR code: the preview follows the key chosen.
    connect(m_keyPath, &KeyPathField::pathChanged, this, &ProtectPanel::scheduleUpdate);

    m_save = new QPushButton(tr("&Protect and Save…"), m_actionBar);
    m_save->setObjectName(QStringLiteral("protectAndSave"));
    m_save->setToolTip(tr("Protect with the recipient's key and save the PNG (Ctrl+P)"));
    m_save->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
    m_save->setEnabled(false);
    connect(m_save, &QPushButton::clicked, this, &ProtectPanel::promptSave);
    // The sender's signature beside the action, on one row: the bar keeps its height.
    m_signing = new SignAsSenderBox(m_actionBar);
    auto* saveRow = new QHBoxLayout;
    saveRow->addWidget(m_signing);
    saveRow->addWidget(m_save, 1);
    actionLayout->addLayout(saveRow);
}

ProtectPanel::~ProtectPanel()
{
    if (m_previewJob)
        m_previewJob->cancel();
    if (m_sweepJob)
        m_sweepJob->cancel();
}

void ProtectPanel::setSource(const LoadedImage& source)
{
    m_source = source;
    m_source.image = Image(); // the pixels are m_image
}

void ProtectPanel::setImage(const Image& image, const QString& path)
{
    if (m_previewJob)
        m_previewJob->cancel();
    if (m_sweepJob)
        m_sweepJob->cancel();
    m_previewTimer.stop(); // a preview or sweep asked for the previous image never starts on this one
    m_sweepTimer.stop();
    m_image = image;
    ++m_imageGeneration;
    m_pendingSave.reset();
    // Nothing the previous image produced stays on screen: its region, capacity and sweep are not this
    // one's, and an image that cannot be protected (too small, all black) never gets its own.
    m_regionLabel->setText(tr("—"));
    m_capacity->setValue(0);
    m_capacity->setFormat(tr("payload / capacity"));
    m_chart->setPoints({});
    if (image.empty()) { // another workflow took the canvas: nothing of the previous image stays
        m_save->setEnabled(false);
        m_preview = Image();
        m_lastReport.reset();
        m_previewed.reset();
        m_showingPreview = false;
        m_metrics->setText(tr("Open an unprotected image to protect it"));
        return;
    }
    m_path = path;
    // The canvas shows what was opened; the protected preview only on request (Space or the button).
    m_showingPreview = false;
    m_viewToggle->setText(tr("Show &protected"));
    // The patient number belongs to the previous image: it must never go into this one's public QR code.
    for (auto& [key, edit] : m_info)
        if (key == QStringLiteral("patient")) {
            const QSignalBlocker quiet(edit); // no preview of the old region for a field being reset
            edit->clear();
        }
    m_preview = Image();
    m_lastReport.reset();
    m_previewed.reset();
    m_candidates.clear();
    m_candidateIndex = 0;
    m_canvas->clearRegion();
    listExtraRegions({});
    m_extraCount = 0;
    m_history->reset(); // another image: the previous one's edits cannot be undone into it
    m_save->setEnabled(false);
    m_metrics->setText(tr("Finding the key region…"));
    const std::string keyPath = QFile::encodeName(recipientKeyPath()).toStdString();
    BackgroundJob<Result<std::vector<Rect>>>::start(
        this,
        [image, keyPath](const JobControl&) {
            const auto recipient = previewRecipient(keyPath);
            return workflow::previewRegions(image, {},
                                            recipient ? recipient->bits() : workflow::kAssumedPreviewKeyBits);
        },
        [this, image](Result<std::vector<Rect>> candidates) {
            if (!image.identicalTo(m_image))
                return; // another image was opened meanwhile
            if (!candidates) {
                m_metrics->setText(errorText(candidates.error()));
                return;
            }
            m_candidates = *candidates;
            m_canvas->setMinimumRegionSide(std::min(m_candidates.front().width, m_candidates.front().height) /
                                           2);
            m_canvas->setRegion(toQRect(m_candidates.front()));
            m_canvas->setRegionEditable(true);
            m_history->reset(canvasRegions());
            m_metrics->setText(tr("Computing the protected preview…"));
            m_save->setEnabled(true);
            scheduleUpdate();
            m_sweepTimer.start();
        });
}

QRect ProtectPanel::region() const
{
    return m_canvas->region();
}

void ProtectPanel::setThreshold(int threshold)
{
    m_auto->setChecked(threshold == 0);
    if (threshold > 0)
        m_threshold->setValue(threshold);
}

void ProtectPanel::setRecipientKeyPath(const QString& path)
{
    m_keyPath->setPath(path);
}

QString ProtectPanel::recipientKeyPath() const
{
    return m_keyPath->path();
}

void ProtectPanel::setInfoValue(const QString& key, const QString& value)
{
    for (auto& [k, edit] : m_info)
        if (k == key)
            edit->setText(value);
    scheduleUpdate();
}

QString ProtectPanel::infoValue(const QString& key) const
{
    for (const auto& [k, edit] : m_info)
        if (k == key)
            return edit->text();
    return {};
}

ProtectOptions ProtectPanel::currentOptions() const
{
    ProtectOptions options;
    if (!m_canvas->region().isNull())
        options.region = toRect(m_canvas->region());
    if (!m_auto->isChecked())
        options.threshold = m_threshold->value();
    for (const QRect& r : m_canvas->extraRegions())
        options.extraRegions.push_back(toRect(r));
    options.scrambling = Scrambling(m_scrambling->currentData().toInt());
    options.measureCapacity = true; // the preview shows payload / capacity
    for (const auto& [key, edit] : m_info)
        if (!edit->text().trimmed().isEmpty())
            options.info.emplace_back(key.toStdString(), edit->text().trimmed().toStdString());
    return options;
}

void ProtectPanel::rememberInfo() const
{
    QVariantMap map;
    for (const auto& [key, edit] : m_info)
        if (key != QStringLiteral("patient"))
            map.insert(key, edit->text());
    AppSettings::setValue(AppSettings::Key::ProtectInfo, map);
}

void ProtectPanel::scheduleUpdate()
{
    if (!m_image.empty())
        m_previewTimer.start();
    const QRect r = m_canvas->region();
    m_regionLabel->setText(
        r.isNull() ? tr("—") : tr("%1, %2  %3 × %4").arg(r.x()).arg(r.y()).arg(r.width()).arg(r.height()));
}

void ProtectPanel::startPreview()
{
    if (m_image.empty())
        return;
    if (m_previewJob)
        m_previewJob->cancel(); // stale: the user changed something
    LoadedImage source = m_source;
    source.image = m_image;
    const QString keyFile = recipientKeyPath();
    const std::string keyPath = QFile::encodeName(keyFile).toStdString();
    const ProtectOptions options = currentOptions();
    // A DICOM file is saved as DICOM unless the user picks PNG: the preview binds its header the same way.
    const bool dicomOutput = m_source.dicom != nullptr;
    m_previewJob = BackgroundJob<Result<workflow::ProtectPreview>>::start(
        this,
        [source, keyPath, options, dicomOutput](const JobControl& control) {
            // The protection itself, for the recipient's real key: Protect and Save writes these pixels.
            return workflow::preview(source, options, previewRecipient(keyPath), control, dicomOutput);
        },
        [this, keyFile](Result<workflow::ProtectPreview> result) {
            if (!result) {
                m_lastReport.reset();
                m_previewed.reset();
                if (m_pendingSave) { // nothing was shown that could be saved
                    m_pendingSave.reset();
                    m_save->setEnabled(true);
                    Q_EMIT failed(errorText(result.error()));
                }
                m_metrics->setText(QStringLiteral("<span style='color:#b00020'>%1</span>")
                                       .arg(errorText(result.error()).toHtmlEscaped()));
                m_capacity->setValue(1000);
                Q_EMIT previewUpdated();
                return;
            }
            auto previewed = std::make_shared<const workflow::ProtectPreview>(std::move(*result));
            m_previewed = previewed;
            m_previewedKeyPath = keyFile;
            m_preview = previewed->protection.image;
            showReport(previewed->protection.report, previewed->keyBits,
                       previewed->keyAssumed
                           ? tr("no recipient key chosen: previewed for a %1-bit key").arg(previewed->keyBits)
                           : QString());
            if (m_showingPreview)
                m_canvas->setImage(m_preview, true);
            Q_EMIT previewUpdated();
            if (m_pendingSave && previewIsCurrent())
                savePending();
        });
}

bool ProtectPanel::previewIsCurrent() const
{
    return m_previewed && !m_previewTimer.isActive() && m_previewedKeyPath == recipientKeyPath() &&
           m_previewed->options == currentOptions();
}

void ProtectPanel::showReport(const ProtectReport& r, int keyBits, const QString& note)
{
    m_lastReport = r;
    QString text = tr("PSNR %1 dB (peak %2) · SSIM %3 · T = %4 · %5 pass(es) · QR version %6 · "
                      "%7-bit key")
                       .arg(r.psnr, 0, 'f', 2)
                       .arg(r.psnrPeak, 0, 'f', 0)
                       .arg(r.ssim, 0, 'f', 4)
                       .arg(r.threshold)
                       .arg(r.passes)
                       .arg(r.qrVersion)
                       .arg(keyBits);
    if (!note.isEmpty())
        text += QStringLiteral(" · ") + note;
    m_metrics->setText(text);
    m_capacity->setValue(int(1000.0 * double(r.payloadBits) / double(std::max<size_t>(1, r.capacityBits))));
    m_capacity->setFormat(tr("%1 / %2 bits").arg(r.payloadBits).arg(r.capacityBits));
    if (m_auto->isChecked()) { // the slider shows the T that Auto chose, not a stale 25
        const QSignalBlocker quiet(m_threshold);
        m_threshold->setValue(int(std::lround(r.threshold)));
        m_thresholdLabel->setText(QString::number(r.threshold));
    }
}

void ProtectPanel::startSweep()
{
    if (m_image.empty())
        return;
    if (m_sweepJob)
        m_sweepJob->cancel();
    const Image image = m_image;
    const std::optional<Rect> region =
        m_canvas->region().isNull() ? std::nullopt : std::optional<Rect>(toRect(m_canvas->region()));
    m_chart->setBusy(true);
    m_sweepJob = BackgroundJob<Result<std::vector<SweepRow>>>::start(
        this,
        [image, region](const JobControl& control) {
            return KeyRegionProtector::sweep(image, {5, 10, 15, 20, 25, 30, 35, 40, 45, 50}, region, {},
                                             control);
        },
        [this](Result<std::vector<SweepRow>> rows) {
            QVector<SweepChart::Point> points;
            if (rows)
                for (const auto& row : *rows)
                    points.push_back({row.threshold, row.psnr, row.ssim, row.fits});
            m_chart->setPoints(points);
            Q_EMIT sweepUpdated();
        });
}

void ProtectPanel::nextCandidate()
{
    if (m_candidates.empty())
        return;
    m_candidateIndex = (m_candidateIndex + 1) % m_candidates.size();
    m_canvas->setRegion(toQRect(m_candidates[m_candidateIndex]));
    m_history->record(canvasRegions());
    scheduleUpdate();
    m_sweepTimer.start();
}

RegionState ProtectPanel::canvasRegions() const
{
    return {m_canvas->region(), m_canvas->extraRegions()};
}

void ProtectPanel::listExtraRegions(const QList<QRect>& regions)
{
    const QSignalBlocker quiet(m_extraList);
    m_extraList->clear();
    for (int i = 0; i < int(regions.size()); ++i)
        m_extraList->addItem(tr("%1: %2, %3  %4 × %5 (filled grey)")
                                 .arg(i + 2)
                                 .arg(regions[i].x())
                                 .arg(regions[i].y())
                                 .arg(regions[i].width())
                                 .arg(regions[i].height()));
    m_extraList->setCurrentRow(m_canvas->selectedExtraRegion());
    m_extraList->setVisible(!regions.isEmpty());
    m_removeExtra->setVisible(!regions.isEmpty());
}

void ProtectPanel::showPreview(bool preview)
{
    m_showingPreview = preview;
    m_viewToggle->setText(preview ? tr("Show &original") : tr("Show &protected"));
    if (preview && !m_preview.empty())
        m_canvas->setImage(m_preview, true);
    else if (!m_image.empty())
        m_canvas->setImage(m_image, true);
}

void ProtectPanel::promptSave()
{
    const QString path = askOutputPath(this, tr("Save Protected Image"), m_path, QStringLiteral("protected"),
                                       m_source.dicom != nullptr);
    if (!path.isEmpty())
        protectAndSave(path);
}

void ProtectPanel::protectAndSave(const QString& path)
{
    if (m_image.empty())
        return;
    rememberInfo();
    const std::uint64_t generation = m_imageGeneration;
    // With a sender key the passphrase is asked first (window-modal), then everything runs on the worker.
    m_signing->prepare(this, [this, path, generation](std::optional<SigningRequest> signing) {
        if (generation != m_imageGeneration)
            return; // another image was opened meanwhile
        m_pendingSave = PendingSave{path, std::move(signing)};
        if (previewIsCurrent()) {
            savePending();
            return;
        }
        // A setting changed since the preview shown (a field edited, the region moved): preview it first,
        // and save that.
        m_save->setEnabled(false);
        m_previewTimer.stop();
        startPreview();
    });
}

void ProtectPanel::savePending()
{
    const PendingSave request = std::move(*m_pendingSave);
    m_pendingSave.reset();
    LoadedImage source = m_source;
    source.image = m_image;
    startSave(request.path, source, currentOptions(), QFile::encodeName(recipientKeyPath()).toStdString(),
              QFile::encodeName(request.path).toStdString(), QFile::encodeName(m_path).toStdString(),
              request.signing);
}

void ProtectPanel::startSave(const QString& path, const LoadedImage& source, const ProtectOptions& options,
                             const std::string& keyPath, const std::string& target, const std::string& input,
                             std::optional<SigningRequest> signing)
{
    m_save->setEnabled(false);
    const std::shared_ptr<const workflow::ProtectPreview> previewed = m_previewed;
    const QString sourcePath = m_path;
    m_saveJob = BackgroundJob<Result<workflow::SavedProtection>>::start(
        this,
        [source, options, keyPath, target, input, signing,
         previewed](const JobControl& control) -> Result<workflow::SavedProtection> {
            auto key = loadKeyFile(keyPath, KeyRole::Public);
            if (!key)
                return key.error();
            auto signer = loadSigner(signing);
            if (!signer)
                return signer.error();
            // The previewed protection as it was shown when nothing changed since (the CLI's own writer: a
            // .dcm target of a DICOM input keeps and authenticates the header); protected anew otherwise.
            return workflow::savePreview(previewed.get(), source, input, target, *key, options, control,
                                         *signer);
        },
        [this, path, sourcePath, original = source.image](Result<workflow::SavedProtection> result) {
            m_save->setEnabled(true);
            if (!result) {
                Q_EMIT failed(errorText(result.error()));
                return;
            }
            m_lastSaveWrotePreview = result->previewWritten;
            // Protected anew (an input changed since the preview): the figures shown become the file's.
            if (!result->previewWritten && sourcePath == m_path && original.identicalTo(m_image))
                showReport(result->report, result->keyBits, QString());
            Q_EMIT saved(path);
        });
}

QString ProtectPanel::metricsText() const
{
    return m_metrics->text();
}

} // namespace medveil::ui
