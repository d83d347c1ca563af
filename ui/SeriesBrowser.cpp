// SPDX-License-Identifier: GPL-3.0-or-later
#include "SeriesBrowser.h"
#include "SenderSigning.h"

#include "ErrorText.h"
#include "ImageCanvas.h"
#include "crypto/KeyFile.h"
#include "emr/HiNet.h"
#include "io/ImageIo.h"
#include "workflow/FileWorkflows.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>

namespace medveil::ui {

namespace {

constexpr int kThumbnail = 96;

QString fromUtf8(const std::string& text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

/// A small view of one image over its whole value range.
QImage thumbnail(const Image& image)
{
    double low = 0, high = 0;
    cv::minMaxLoc(image.mat(), &low, &high);
    const double width = std::max(1.0, high - low + 1);
    return toDisplayImage(image, low + width / 2, width)
        .scaled(kThumbnail, kThumbnail, Qt::KeepAspectRatio, Qt::SmoothTransformation);
}

} // namespace

SeriesBrowser::SeriesBrowser(const QString& folder, QWidget* parent) : QDialog(parent), m_folder(folder)
{
    setObjectName(QStringLiteral("seriesBrowser"));
    setWindowTitle(tr("Series in %1").arg(QFileInfo(folder).fileName()));
    auto* layout = new QVBoxLayout(this);
    auto* splitter = new QSplitter(this);
    m_seriesList = new QListWidget(splitter);
    m_seriesList->setObjectName(QStringLiteral("seriesList"));
    m_seriesList->setIconSize(QSize(kThumbnail, kThumbnail));
    m_seriesList->setToolTip(tr("Studies and series found in the folder"));
    auto* right = new QWidget(splitter);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    auto* patientRow = new QHBoxLayout;
    m_patient = new QLabel(tr("Patient: hidden"), right);
    m_patient->setObjectName(QStringLiteral("seriesPatient"));
    m_patient->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_patient->setWordWrap(true);
    m_showPatient = new QPushButton(tr("Show Patient"), right);
    m_showPatient->setObjectName(QStringLiteral("showPatient"));
    m_showPatient->setCheckable(true);
    m_showPatient->setToolTip(tr("Show the patient's name and ID of the selected series"));
    patientRow->addWidget(m_patient, 1);
    patientRow->addWidget(m_showPatient);
    rightLayout->addLayout(patientRow);
    m_instances = new QListWidget(right);
    m_instances->setObjectName(QStringLiteral("seriesInstances"));
    m_instances->setToolTip(tr("The series' images by instance number; double-click opens one"));
    rightLayout->addWidget(m_instances, 1);
    splitter->addWidget(m_seriesList);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    layout->addWidget(splitter, 1);

    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setVisible(false);
    m_status = new QLabel(tr("Reading the DICOM headers…"), this);
    m_status->setObjectName(QStringLiteral("seriesStatus"));
    m_status->setWordWrap(true);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    m_signing = new SignAsSenderBox(this);
    layout->addWidget(m_signing);

    auto* buttons = new QDialogButtonBox(this);
    m_open = buttons->addButton(tr("&Open Image"), QDialogButtonBox::ActionRole);
    m_open->setObjectName(QStringLiteral("openInstance"));
    m_protect = buttons->addButton(tr("&Protect Series…"), QDialogButtonBox::ActionRole);
    m_protect->setObjectName(QStringLiteral("protectSeries"));
    m_protect->setToolTip(tr("Protect every image of the series for the Protect tab's recipient key, "
                             "each with its own automatic key region"));
    m_seal = buttons->addButton(tr("&Seal Series…"), QDialogButtonBox::ActionRole);
    m_seal->setObjectName(QStringLiteral("sealSeries"));
    m_seal->setToolTip(tr("Seal the EMR tab's record into every image of the series for its recipient key"));
    m_cancel = buttons->addButton(QDialogButtonBox::Cancel);
    m_cancel->setObjectName(QStringLiteral("cancelSeries"));
    m_cancel->setEnabled(false);
    QPushButton* close = buttons->addButton(QDialogButtonBox::Close);
    layout->addWidget(buttons);
    for (QPushButton* b : {m_open, m_protect, m_seal})
        b->setEnabled(false);

    connect(m_seriesList, &QListWidget::currentRowChanged, this, [this](int) { showInstances(); });
    connect(m_showPatient, &QPushButton::toggled, this, &SeriesBrowser::showPatient);
    const auto openCurrent = [this] {
        const int series = currentSeries(), row = m_instances->currentRow();
        if (series < 0 || row < 0)
            return;
        const auto& path = m_scan.series[size_t(series)].instances[size_t(row)].path;
        Q_EMIT openRequested(QFile::decodeName(path.c_str()));
    };
    connect(m_open, &QPushButton::clicked, this, openCurrent);
    connect(m_instances, &QListWidget::itemDoubleClicked, this, openCurrent);
    connect(m_protect, &QPushButton::clicked, this, [this] {
        const QString dir = askOutputFolder(QStringLiteral("protected"));
        if (!dir.isEmpty())
            protectSeries(dir);
    });
    connect(m_seal, &QPushButton::clicked, this, [this] {
        const QString dir = askOutputFolder(QStringLiteral("sealed"));
        if (!dir.isEmpty())
            sealSeries(dir);
    });
    connect(m_cancel, &QPushButton::clicked, this, &SeriesBrowser::cancel);
    connect(close, &QPushButton::clicked, this, &QDialog::close);
    resize(900, 620);

    const std::string path = QFile::encodeName(folder).toStdString();
    m_scanJob = BackgroundJob<Result<DicomFolderScan>>::start(
        this, [path](const JobControl& control) { return scanDicomFolder(path, control); },
        [this](Result<DicomFolderScan> scan) {
            if (!scan) {
                m_status->setText(errorText(scan.error()));
                Q_EMIT scanned(0);
                return;
            }
            m_scan = std::move(*scan);
            showScan();
            Q_EMIT scanned(int(m_scan.series.size()));
            loadThumbnails();
        });
}

SeriesBrowser::~SeriesBrowser()
{
    if (m_scanJob)
        m_scanJob->cancel();
    cancel();
}

QString SeriesBrowser::describe(const DicomSeriesEntry& series) const
{
    const int count = int(series.instances.size());
    QString text = tr("%1 · series %2 · %3")
                       .arg(series.modality.empty() ? tr("(no modality)") : fromUtf8(series.modality))
                       .arg(series.seriesNumber)
                       .arg(count == 1 ? tr("1 image") : tr("%1 images").arg(count));
    if (!series.seriesDescription.empty())
        text += QLatin1Char('\n') + fromUtf8(series.seriesDescription);
    if (series.studyDate.size() == 8) // YYYYMMDD
        text += QLatin1Char('\n') +
                tr("study of %1")
                    .arg(fromUtf8(series.studyDate.substr(0, 4) + "-" + series.studyDate.substr(4, 2) + "-" +
                                  series.studyDate.substr(6, 2)));
    return text;
}

void SeriesBrowser::showScan()
{
    m_seriesList->clear();
    for (const auto& series : m_scan.series)
        m_seriesList->addItem(describe(series));
    const auto count = [](size_t n, const QString& one, const QString& many) {
        return n == 1 ? one : many.arg(n);
    };
    QString status = m_scan.series.empty()
                         ? tr("No DICOM images in this folder.")
                         : tr("%1, %2.").arg(count(m_scan.series.size(), tr("1 series"), tr("%1 series")),
                                             count(m_scan.filesRead, tr("1 image"), tr("%1 images")));
    if (m_scan.skippedFiles > 0)
        status += QLatin1Char(' ') +
                  count(m_scan.skippedFiles, tr("1 other file skipped."), tr("%1 other files skipped."));
    if (m_scan.truncated)
        status += QLatin1Char(' ') + tr("Only the first 20,000 files were read.");
    m_status->setText(status);
    if (!m_scan.series.empty())
        m_seriesList->setCurrentRow(0);
}

void SeriesBrowser::loadThumbnails()
{
    // The middle image of each series, read in the background; the list is usable meanwhile.
    std::vector<std::filesystem::path> middles;
    for (const auto& series : m_scan.series)
        middles.push_back(series.instances[series.instances.size() / 2].path);
    for (size_t i = 0; i < middles.size(); ++i)
        BackgroundJob<Result<Image>>::start(
            this,
            [path = middles[i]](const JobControl&) -> Result<Image> {
                auto loaded = readImageFile(path);
                if (!loaded)
                    return loaded.error();
                return loaded->image;
            },
            [this, i](Result<Image> image) {
                if (image && int(i) < m_seriesList->count())
                    m_seriesList->item(int(i))->setIcon(QIcon(QPixmap::fromImage(thumbnail(*image))));
            });
}

int SeriesBrowser::currentSeries() const
{
    const int row = m_seriesList->currentRow();
    return row >= 0 && row < int(m_scan.series.size()) ? row : -1;
}

void SeriesBrowser::selectSeries(int index)
{
    m_seriesList->setCurrentRow(index);
}

void SeriesBrowser::showInstances()
{
    m_instances->clear();
    const int index = currentSeries();
    for (QPushButton* b : {m_open, m_protect, m_seal})
        b->setEnabled(index >= 0 && !busy());
    showPatient(m_patientShown);
    if (index < 0)
        return;
    for (const auto& instance : m_scan.series[size_t(index)].instances)
        m_instances->addItem(tr("%1  (instance %2)")
                                 .arg(QFile::decodeName(instance.path.filename().c_str()))
                                 .arg(instance.instanceNumber));
    m_instances->setCurrentRow(0);
}

void SeriesBrowser::showPatient(bool shown)
{
    m_patientShown = shown;
    if (m_showPatient->isChecked() != shown)
        m_showPatient->setChecked(shown);
    m_showPatient->setText(shown ? tr("Hide Patient") : tr("Show Patient"));
    const int index = currentSeries();
    if (!shown || index < 0) {
        m_patient->setText(tr("Patient: hidden"));
        return;
    }
    const auto& series = m_scan.series[size_t(index)];
    m_patient->setText(tr("Patient: %1 (ID %2)")
                           .arg(series.patientName.empty() ? tr("(no name)") : fromUtf8(series.patientName),
                                series.patientId.empty() ? tr("none") : fromUtf8(series.patientId)));
}

void SeriesBrowser::setProtection(const QString& recipientKeyPath, const ProtectOptions& options)
{
    m_protectKey = recipientKeyPath;
    m_protectOptions = options;
    m_protectOptions.region.reset(); // every image its own automatic region
    m_protectOptions.extraRegions.clear();
    m_protectOptions.measureCapacity = false; // the series' summary shows no capacity
    std::erase_if(m_protectOptions.info, [](const auto& field) { return field.first == "patient"; });
}

void SeriesBrowser::setSealing(const QString& recipientKeyPath, const QString& record, EmrRecovery recovery)
{
    m_sealKey = recipientKeyPath;
    m_record = record;
    m_recovery = recovery;
}

QString SeriesBrowser::askOutputFolder(const QString& suffix)
{
    const QDir folder(m_folder);
    const QString suggested =
        QDir(QFileInfo(m_folder).absolutePath()).filePath(folder.dirName() + QLatin1Char('-') + suffix);
    // Suggested ready-made (the dialog only picks existing folders), and removed again when the user
    // goes elsewhere or cancels: no empty folder is left behind.
    const bool existed = QFileInfo::exists(suggested);
    QDir().mkpath(suggested);
    const QString chosen = QFileDialog::getExistingDirectory(this, tr("Write the series to"), suggested);
    if (!existed && QFileInfo(chosen) != QFileInfo(suggested))
        QDir().rmdir(suggested); // only when still empty
    return chosen;
}

void SeriesBrowser::protectSeries(const QString& outDir)
{
    runSeries(outDir, false);
}

void SeriesBrowser::sealSeries(const QString& outDir)
{
    runSeries(outDir, true);
}

void SeriesBrowser::runSeries(const QString& outDir, bool seal)
{
    const int index = currentSeries();
    if (index < 0 || busy())
        return;
    if (m_configure)
        m_configure(*this);
    const QString keyPath = seal ? m_sealKey : m_protectKey;
    if (keyPath.isEmpty()) {
        m_status->setText(seal ? tr("Choose the recipient's public key in the EMR tab first.")
                               : tr("Choose the recipient's public key in the Protect tab first."));
        return;
    }
    if (seal && m_record.trimmed().isEmpty()) {
        m_status->setText(tr("Type or load the record in the EMR tab first."));
        return;
    }
    // With a sender key, its passphrase is asked once for the whole series.
    m_signing->prepare(this, [this, index, keyPath, outDir, seal](std::optional<SigningRequest> signing) {
        startSeries(index, keyPath, outDir, seal, std::move(signing));
    });
}

void SeriesBrowser::startSeries(int index, const QString& keyPath, const QString& outDir, bool seal,
                                std::optional<SigningRequest> signing)
{
    if (busy() || index < 0 || size_t(index) >= m_scan.series.size())
        return;
    std::vector<std::filesystem::path> inputs;
    for (const auto& instance : m_scan.series[size_t(index)].instances)
        inputs.push_back(instance.path);
    CancelToken cancel;
    m_batchCancel = cancel;
    for (QPushButton* b : {m_open, m_protect, m_seal})
        b->setEnabled(false);
    m_cancel->setEnabled(true);
    m_progress->setValue(0);
    m_progress->setVisible(true);
    m_status->setText((seal ? tr("Sealing the series' %1 images…") : tr("Protecting the series' %1 images…"))
                          .arg(inputs.size()));
    const std::string key = QFile::encodeName(keyPath).toStdString();
    const std::string out = QFile::encodeName(outDir).toStdString();
    const std::string record = m_record.toUtf8().toStdString();
    const ProtectOptions options = m_protectOptions;
    const EmrRecovery recovery = m_recovery;
    m_batchJob = BackgroundJob<Result<workflow::BatchResult>>::start(
        this,
        [inputs, key, out, record, options, recovery, seal, cancel,
         signing](const JobControl& job) -> Result<workflow::BatchResult> {
            auto recipient = loadKeyFile(key, KeyRole::Public);
            if (!recipient)
                return recipient.error();
            MEDVEIL_ASSIGN_OR_RETURN(const std::optional<RsaKey> signer, loadSigner(signing));
            std::shared_ptr<HiNetModel> network;
            if (seal) {
                MEDVEIL_ASSIGN_OR_RETURN(network, HiNetModel::shared());
            }
            // Our own token: a cancel stops between images and the result (what was written) still
            // comes back.
            JobControl control;
            control.progress = job.progress;
            control.cancel = cancel;
            const auto step = [&](const std::filesystem::path& in, const std::filesystem::path& target,
                                  const JobControl& stepControl) -> Status {
                auto loaded = readImageFile(in);
                if (!loaded)
                    return loaded.error();
                if (seal) {
                    workflow::SealOptions sealOptions;
                    sealOptions.recovery = recovery;
                    sealOptions.signer = signer;
                    auto sealed = workflow::sealEmrLoaded(*loaded, record, *recipient, *network, target, {in},
                                                          sealOptions, stepControl);
                    return sealed ? Status() : Status(sealed.error());
                }
                auto protectedFile =
                    workflow::protectLoaded(*loaded, in, target, *recipient, options, stepControl, signer);
                return protectedFile ? Status() : Status(protectedFile.error());
            };
            return workflow::runBatch(inputs, out, step, control);
        },
        [this, seal](Result<workflow::BatchResult> result) {
            m_batchCancel.reset();
            m_cancel->setEnabled(false);
            m_progress->setVisible(false);
            showInstances(); // buttons back
            if (!result) {
                m_status->setText(errorText(result.error()));
                Q_EMIT batchFinished(0, 0, false);
                return;
            }
            QString text = (seal ? tr("Sealed %1 of %2 images") : tr("Protected %1 of %2 images"))
                               .arg(result->succeeded)
                               .arg(result->total);
            if (result->cancelled)
                text += QLatin1Char(' ') + tr("(cancelled)");
            for (const auto& file : result->files)
                if (!file.status) {
                    text +=
                        QLatin1Char('\n') + tr("%1: %2").arg(QFile::decodeName(file.input.filename().c_str()),
                                                             errorText(file.status.error()));
                    break; // the first failure; the CLI's batch --json lists them all
                }
            m_status->setText(text);
            Q_EMIT batchFinished(int(result->succeeded), int(result->total), result->cancelled);
        },
        [this](int value) { m_progress->setValue(value); });
}

void SeriesBrowser::cancel()
{
    if (m_batchCancel)
        m_batchCancel->cancel();
}

QString SeriesBrowser::statusText() const
{
    return m_status->text();
}

} // namespace medveil::ui
