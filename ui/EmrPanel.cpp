// SPDX-License-Identifier: GPL-3.0-or-later
#include "EmrPanel.h"
#include "ErrorText.h"
#include "HistogramView.h"
#include "KeyPathField.h"

#include "AppSettings.h"
#include "ImageCanvas.h"
#include "PassphrasePrompt.h"
#include "SaveDialogs.h"
#include "SenderSigning.h"
#include "TrustedSenders.h"
#include "crypto/KeyFile.h"
#include "io/DicomFile.h"
#include "workflow/FileWorkflows.h"

#include <QComboBox>
#include <QFileDialog>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace medveil::ui {

namespace {

Image amplifiedDifference(const Image& a, const Image& b)
{
    cv::Mat diff;
    cv::absdiff(a.mat(), b.mat(), diff);
    diff.convertTo(diff, CV_8U, 10.0);
    return Image::fromMat(diff).valueOr(Image());
}

} // namespace

EmrPanel::EmrPanel(ImageCanvas* canvas, QWidget* parent) : QWidget(parent), m_canvas(canvas)
{
    auto* layout = new QVBoxLayout(this);
    auto* textBox = new QGroupBox(tr("Electronic medical record (UTF-8)"), this);
    auto* textLayout = new QVBoxLayout(textBox);
    m_text = new QPlainTextEdit(textBox);
    m_text->setPlaceholderText(tr("Type or paste the record, or load a text file"));
    // A fixed height: the box neither grows nor shrinks when a job starts or the status changes, so the
    // buttons and Cancel below stay where the user aims.
    m_text->setFixedHeight(m_text->fontMetrics().lineSpacing() * 6 + 12);
    m_bytes = new QLabel(textBox);
    auto* load = new QPushButton(tr("&Load EMR…"), textBox);
    connect(load, &QPushButton::clicked, this, [this] {
        const QString path =
            QFileDialog::getOpenFileName(this, tr("Load EMR"), QString(), tr("Text (*.txt);;All files (*)"));
        QFile f(path);
        if (!path.isEmpty() && f.open(QIODevice::ReadOnly))
            setEmrText(QString::fromUtf8(f.readAll()));
    });
    connect(m_text, &QPlainTextEdit::textChanged, this,
            [this] { m_bytes->setText(tr("%1 bytes").arg(m_text->toPlainText().toUtf8().size())); });
    textLayout->addWidget(m_text);
    auto* row = new QHBoxLayout;
    row->addWidget(m_bytes, 1);
    row->addWidget(load);
    textLayout->addLayout(row);
    layout->addWidget(textBox);

    // The identity a sealed DICOM carried out of its header: its own box, never mixed into the record.
    m_identityBox = new QGroupBox(tr("DICOM identity (moved out of the header)"), this);
    auto* identityLayout = new QVBoxLayout(m_identityBox);
    m_identity = new QPlainTextEdit(m_identityBox);
    m_identity->setReadOnly(true);
    m_identity->setMaximumHeight(120);
    identityLayout->addWidget(m_identity);
    m_identityBox->setVisible(false);
    layout->addWidget(m_identityBox);

    auto* keys = new QGroupBox(tr("Keys"), this);
    auto* keyLayout = new QGridLayout(keys);
    m_publicKey =
        new KeyPathField(KeyPathField::Role::RecipientPublic, tr("recipient public key (to seal)"), keys);
    m_privateKey = new KeyPathField(KeyPathField::Role::OwnPrivate, tr("your private key (to open)"), keys);
    keyLayout->addWidget(new QLabel(tr("Seal for"), keys), 0, 0);
    keyLayout->addWidget(m_publicKey, 0, 1);
    keyLayout->addWidget(new QLabel(tr("Open with"), keys), 1, 0);
    keyLayout->addWidget(m_privateKey, 1, 1);
    // Exact by default: the receiver gets the original pixels; network-only is the paper's lossy scheme.
    m_recovery = new QComboBox(keys);
    m_recovery->setObjectName(QStringLiteral("recoveryMode"));
    m_recovery->addItem(tr("Exact (bit-exact image)"), int(EmrRecovery::Exact));
    m_recovery->addItem(tr("Network only (lossy)"), int(EmrRecovery::Network));
    m_recovery->setToolTip(tr("Exact: the receiver gets the original image bit for bit (a lossless residual "
                              "rides along). Network only: the paper's scheme, a smaller file whose image is "
                              "lossy and not for diagnosis."));
    keyLayout->addWidget(new QLabel(tr("Recovery"), keys), 2, 0);
    // The signature beside the recovery mode, one row: at 1280×800 the stages' histogram stays in view.
    m_signing = new SignAsSenderBox(keys);
    auto* recoveryRow = new QHBoxLayout;
    recoveryRow->addWidget(m_recovery, 1);
    recoveryRow->addWidget(m_signing);
    keyLayout->addLayout(recoveryRow, 2, 1);
    layout->addWidget(keys);

    m_seal = new QPushButton(tr("&Seal EMR into Image and Save…"), this);
    m_seal->setObjectName(QStringLiteral("sealEmr"));
    m_seal->setToolTip(tr("Encoded image → HiNet hides the medical image → chaotic bit-level encryption"));
    m_seal->setEnabled(false);
    connect(m_seal, &QPushButton::clicked, this, [this] {
        const QString path =
            askOutputPath(this, tr("Save Sealed Image"), m_medicalPath, QStringLiteral("sealed"),
                          m_medicalSource.dicom != nullptr, DicomOutput::DeidentifiedSeal);
        if (!path.isEmpty())
            sealAndSave(path);
    });
    m_open = new QPushButton(tr("&Open Sealed Image"), this);
    m_open->setObjectName(QStringLiteral("openSealed"));
    m_open->setEnabled(false);
    connect(m_open, &QPushButton::clicked, this, &EmrPanel::open);
    // Side by side, and the stages three to a row below: at 1280×800 the histogram stays in view.
    auto* actions = new QHBoxLayout;
    actions->addWidget(m_seal, 3);
    actions->addWidget(m_open, 2);
    layout->addLayout(actions);

    auto* progressRow = new QHBoxLayout;
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("cancelJob"));
    m_cancel->setEnabled(false);
    connect(m_cancel, &QPushButton::clicked, this, &EmrPanel::cancel);
    progressRow->addWidget(m_progress, 1);
    progressRow->addWidget(m_cancel);
    layout->addLayout(progressRow);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("emrStatus"));
    m_status->setWordWrap(true);
    // Room for three lines from the start: a status appearing never pushes what follows.
    m_status->setMinimumHeight(m_status->fontMetrics().lineSpacing() * 3);
    m_status->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    layout->addWidget(m_status);
    m_signer = new QLabel(this);
    m_signer->setWordWrap(true);
    m_signer->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_signer);
    m_saveOpened = new QPushButton(tr("Save &Record and Image…"), this);
    m_saveOpened->setObjectName(QStringLiteral("saveOpened"));
    m_saveOpened->setToolTip(
        tr("The record as UTF-8 text beside the image (DICOM with its header for a sealed "
           "DICOM), both owner-only"));
    m_saveOpened->setEnabled(false);
    connect(m_saveOpened, &QPushButton::clicked, this, [this] {
        const QString path =
            askOutputPath(this, tr("Save Opened Image"), m_medicalPath,
                          m_lastOpen && m_lastOpen->opened.verified ? QStringLiteral("opened")
                                                                    : QStringLiteral("opened-lossy"),
                          m_sealedFile.dicom != nullptr, DicomOutput::HeaderRestored);
        if (!path.isEmpty())
            saveOpened(path);
    });
    layout->addWidget(m_saveOpened);

    auto* stages = new QGroupBox(tr("Stages"), this);
    auto* stageLayout = new QGridLayout(stages);
    const QString names[] = {tr("Medical / revealed"), tr("Encoded EMR"), tr("Stego"), tr("Difference ×10"),
                             tr("Cipher")};
    for (int i = 0; i < 5; ++i) {
        auto* b = new QPushButton(names[i], stages);
        b->setObjectName(QStringLiteral("emrStage"));
        b->setEnabled(false);
        connect(b, &QPushButton::clicked, this, [this, i] { showStage(i); });
        stageLayout->addWidget(b, i / 3, i % 3);
        m_stages.push_back(b);
    }
    layout->addWidget(stages);
    m_histogram = new HistogramView(this);
    layout->addWidget(m_histogram, 1); // the room left, at least its minimum
}

void EmrPanel::setDocument(const Document& document)
{
    if (m_sealJob)
        m_sealJob->cancel(); // its result belongs to the previous file
    if (m_openJob)
        m_openJob->cancel();
    clearPatient();
    m_documentId = document.id;
    m_scale = document.scale;
    const bool plain = document.kind == workflow::FileKind::Plain;
    const bool sealed = document.kind == workflow::FileKind::SealedEmr;
    m_medicalSource = plain ? document.file : LoadedImage();
    m_medical = m_medicalSource.image;
    m_sealedFile = sealed ? document.file : LoadedImage();
    m_medicalPath = plain || sealed ? document.path : QString();
    setBusy(false);
    if (sealed)
        m_status->setText(tr("A sealed EMR image: open it with your private key"));
}

bool EmrPanel::stageEnabled(int stage) const
{
    return stage >= 0 && stage < int(m_stages.size()) && m_stages[size_t(stage)]->isEnabled();
}

void EmrPanel::clearPatient()
{
    // Never the previous patient's record, identity or seal stages beside the next file.
    m_text->clear();
    m_identity->clear();
    m_identityBox->setVisible(false);
    m_lastSeal.reset();
    m_lastOpen.reset();
    m_revealed = Image();
    m_shownStage = -1;
    m_status->clear();
    m_signer->clear();
    m_saveOpened->setEnabled(false);
    m_progress->setValue(0);
    m_histogram->clear();
    for (auto* b : m_stages)
        b->setEnabled(false);
}

void EmrPanel::setEmrText(const QString& text)
{
    m_text->setPlainText(text);
}
QString EmrPanel::emrText() const
{
    return m_text->toPlainText();
}
QString EmrPanel::identityText() const
{
    return m_identity->toPlainText();
}
void EmrPanel::setRecipientKeyPath(const QString& path)
{
    m_publicKey->setPath(path);
}
void EmrPanel::setPrivateKeyPath(const QString& path)
{
    m_privateKey->setPath(path);
}
QString EmrPanel::statusText() const
{
    return m_status->text();
}

void EmrPanel::setBusy(bool busy)
{
    m_cancel->setEnabled(busy);
    m_seal->setEnabled(!busy && !m_medical.empty());
    m_open->setEnabled(!busy && !m_sealedFile.image.empty());
    if (busy)
        m_progress->setValue(0);
}

void EmrPanel::cancel()
{
    if (m_sealJob)
        m_sealJob->cancel();
    if (m_openJob)
        m_openJob->cancel();
    setBusy(false);
    m_status->setText(tr("Cancelled"));
}

QString EmrPanel::recipientKeyPath() const
{
    return m_publicKey->path();
}

EmrRecovery EmrPanel::recovery() const
{
    return EmrRecovery(m_recovery->currentData().toInt());
}

void EmrPanel::sealAndSave(const QString& path)
{
    if (m_medical.empty())
        return;
    const LoadedImage source = m_medicalSource;
    const std::string emr = m_text->toPlainText().toUtf8().toStdString();
    const std::string keyPath = QFile::encodeName(m_publicKey->path()).toStdString();
    const std::string target = QFile::encodeName(path).toStdString();
    const std::string input = QFile::encodeName(m_medicalPath).toStdString();
    const EmrRecovery recoveryMode = recovery();
    // With a sender key its passphrase is asked first (window-modal); the rest runs on the worker.
    m_signing->prepare(this, [=, this](std::optional<SigningRequest> signing) {
        startSeal(path, source, emr, keyPath, target, input, recoveryMode, std::move(signing));
    });
}

void EmrPanel::startSeal(const QString& path, const LoadedImage& source, const std::string& emr,
                         const std::string& keyPath, const std::string& target, const std::string& input,
                         EmrRecovery recoveryMode, std::optional<SigningRequest> signing)
{
    workflow::SealOptions options;
    options.recovery = recoveryMode;
    const std::uint64_t id = m_documentId;
    setBusy(true);
    m_status->setText(tr("Sealing…"));
    m_sealJob = BackgroundJob<Result<SealedEmr>>::start(
        this,
        [source, emr, keyPath, target, input, options,
         signing](const JobControl& control) mutable -> Result<SealedEmr> {
            MEDVEIL_ASSIGN_OR_RETURN(const RsaKey key, loadKeyFile(keyPath, KeyRole::Public));
            MEDVEIL_ASSIGN_OR_RETURN(options.signer, loadSigner(signing));
            // Loaded on the worker the first time (~0.4 s), shared with every later job.
            MEDVEIL_ASSIGN_OR_RETURN(const auto network, HiNetModel::shared());
            // The CLI's own path: DICOM identity apart, a de-identified DICOM out for a DICOM input.
            MEDVEIL_ASSIGN_OR_RETURN(
                workflow::SealedEmrFile sealed,
                workflow::sealEmrLoaded(source, emr, key, *network, target, {input}, options, control));
            return std::move(sealed.sealed);
        },
        [this, path, id](Result<SealedEmr> result) {
            if (id != m_documentId)
                return; // another file was opened meanwhile
            setBusy(false);
            if (!result) {
                m_status->setText(errorText(result.error()));
                Q_EMIT failed(errorText(result.error()));
                return;
            }
            m_lastSeal = std::move(*result);
            m_progress->setValue(1000);
            const QString recovery = m_lastSeal->recovery == EmrRecovery::Exact
                                         ? tr("exact recovery (lossless residual %1 KB)")
                                               .arg(double(m_lastSeal->residualBytes) / 1024.0, 0, 'f', 1)
                                         : tr("network-only recovery: the receiver gets a lossy image (PSNR "
                                              "%1 dB), not for diagnosis")
                                               .arg(m_lastSeal->revealPsnr, 0, 'f', 2);
            // Adaptive strength (EmrSealer::kStegoFloorDb): say when the image went in weaker than its own
            // scale, so the stego PSNR above is not read as the network's plain figure.
            const QString strength =
                m_lastSeal->strengthReductionDb > 0.05
                    ? QStringLiteral(" · ") + tr("embedding weakened by %1 dB (stego floor %2 dB)")
                                                  .arg(m_lastSeal->strengthReductionDb, 0, 'f', 1)
                                                  .arg(EmrSealer::kStegoFloorDb, 0, 'f', 1)
                    : QString();
            m_status->setText(tr("Sealed %1 EMR bytes · stego PSNR %2 dB · SSIM %3")
                                  .arg(m_lastSeal->emrBytes)
                                  .arg(m_lastSeal->stegoPsnr, 0, 'f', 2)
                                  .arg(m_lastSeal->stegoSsim, 0, 'f', 4) +
                              strength + QStringLiteral(" · ") + recovery);
            for (auto* b : m_stages)
                b->setEnabled(true);
            showStage(2);
            Q_EMIT sealed(path);
        },
        [this, id](int progress) {
            if (id == m_documentId)
                m_progress->setValue(progress);
        });
}

void EmrPanel::open()
{
    if (m_sealedFile.image.empty())
        return;
    // Key Manager keys are passphrase-protected: ask first (the receiving clinician's main workflow).
    withKeyPassphrase(this, m_privateKey->path(), m_passphrase,
                      [this](std::optional<std::string> passphrase) { runOpen(passphrase); });
}

void EmrPanel::runOpen(const std::optional<std::string>& passphrase)
{
    const LoadedImage loaded = m_sealedFile;
    const std::string keyPath = QFile::encodeName(m_privateKey->path()).toStdString();
    const std::uint64_t id = m_documentId;
    setBusy(true);
    m_status->setText(tr("Opening…"));
    m_openJob = BackgroundJob<Result<workflow::OpenedEmrFile>>::start(
        this,
        [loaded, keyPath, passphrase](const JobControl& control) -> Result<workflow::OpenedEmrFile> {
            MEDVEIL_ASSIGN_OR_RETURN(const RsaKey key, loadKeyFile(keyPath, KeyRole::Private, passphrase));
            MEDVEIL_ASSIGN_OR_RETURN(const auto network, HiNetModel::shared());
            // The CLI's own path: signature, the DICOM header bound into the seal, then the seal itself.
            return workflow::openEmrLoaded(loaded, key, *network, control);
        },
        [this, id](Result<workflow::OpenedEmrFile> result) {
            if (id != m_documentId)
                return; // another file was opened meanwhile
            setBusy(false);
            if (!result) {
                const QString why = result.error().kind == ErrorKind::Auth
                                        ? tr("Not opened: %1").arg(engineMessage(result.error().message))
                                        : errorText(result.error());
                m_status->setText(why);
                Q_EMIT failed(why);
                return;
            }
            const OpenedEmr& what = result->opened;
            m_progress->setValue(1000);
            m_text->setPlainText(QString::fromUtf8(what.emr.data(), int(what.emr.size())));
            const std::string identity = readableIdentity(what.identity);
            m_identity->setPlainText(QString::fromUtf8(identity.data(), int(identity.size())));
            m_identityBox->setVisible(!what.identity.empty());
            m_revealed = what.revealed;
            // Say which recovery the image came back by: a radiologist must never mistake a network's reveal
            // for the original pixels.
            const QString image =
                what.verified ? tr("image bit-exact, SHA-256 verified")
                : what.legacyFormat
                    ? tr("image: network only, not for diagnosis (the file carries no lossless residual)")
                    : tr("image: network only (lossy), not for diagnosis");
            m_status->setText(
                tr("Opened: %1 EMR bytes restored exactly; the revealed image is shown").arg(what.emrBytes) +
                QStringLiteral(" · ") + image);
            m_signer->setText(TrustedSenders::describeSigner(result->signedBy));
            m_lastOpen = std::move(*result);
            m_saveOpened->setEnabled(true);
            m_stages[0]->setEnabled(true);
            showStage(0);
            Q_EMIT opened(
                QString::fromUtf8(m_lastOpen->opened.emr.data(), int(m_lastOpen->opened.emr.size())));
        },
        [this, id](int progress) {
            if (id == m_documentId)
                m_progress->setValue(progress);
        });
}

void EmrPanel::saveOpened(const QString& imagePath)
{
    if (!m_lastOpen)
        return;
    // The record beside the image: IMAGE.txt (never over the image itself or the sealed input).
    const QString recordPath = QFileInfo(imagePath).path() + QLatin1Char('/') +
                               QFileInfo(imagePath).completeBaseName() + QStringLiteral(".txt");
    const workflow::OpenedEmrFile result = *m_lastOpen;
    const LoadedImage sealed = m_sealedFile;
    const std::string input = QFile::encodeName(m_medicalPath).toStdString();
    const workflow::OpenedEmrOutputs outputs{QFile::encodeName(recordPath).toStdString(),
                                             QFile::encodeName(imagePath).toStdString(), std::nullopt};
    BackgroundJob<Status>::start(
        this,
        [result, sealed, input, outputs](const JobControl&) {
            return workflow::writeOpenedEmr(result, sealed, input, outputs);
        },
        [this, imagePath, recordPath](Status status) {
            if (!status) {
                m_status->setText(errorText(status.error()));
                Q_EMIT failed(errorText(status.error()));
                return;
            }
            QString text = tr("Saved the record to %1 and the image to %2")
                               .arg(QFileInfo(recordPath).fileName(), QFileInfo(imagePath).fileName());
            if (m_lastOpen && !m_lastOpen->opened.verified)
                text += QStringLiteral(" · ") +
                        tr("the image is a network-only reveal: lossy, not for diagnosis");
            m_status->setText(text);
            Q_EMIT openedSaved(imagePath, recordPath);
        });
}

QString EmrPanel::signerText() const
{
    return m_signer->text();
}

void EmrPanel::showCurrentStage()
{
    if (m_shownStage >= 0)
        showStage(m_shownStage);
}

void EmrPanel::showStage(int stage)
{
    Image image;
    if (stage == 0)
        image = !m_revealed.empty() ? m_revealed : m_medical;
    else if (m_lastSeal) {
        if (stage == 1)
            image = m_lastSeal->encoded;
        else if (stage == 2)
            image = m_lastSeal->stego;
        else if (stage == 3)
            image = amplifiedDifference(m_lastSeal->stego, m_lastSeal->encoded);
        else
            image = m_lastSeal->cipher;
    }
    if (!image.empty()) {
        m_shownStage = stage;
        QString title = m_stages[size_t(stage)]->text().remove(QLatin1Char('&'));
        if (stage == 0 && m_lastOpen && !m_lastOpen->opened.verified)
            title = tr("Revealed by the network only: lossy, not for diagnosis");
        m_histogram->setImage(image, title);
        // The canvas belongs to the tab in front (a seal finishing after the user moved on stays here).
        if (!isVisibleTo(window()))
            return;
        if (stage == 0 && !m_revealed.empty() && m_lastOpen && m_lastOpen->restoredDicom)
            // The revealed image in its original header's units and window (HU and the CT presets for a CT).
            showWithScale(m_canvas, image, m_lastOpen->restoredDicom->modalityScale(),
                          m_lastOpen->restoredDicom.get());
        else if (stage == 0)
            showWithScale(m_canvas, image, m_revealed.empty() ? m_scale : ModalityScale(), nullptr, true);
        else // the seal's stages are no modality image: stored values
            showWithScale(m_canvas, image, ModalityScale(), nullptr, true);
    }
}

} // namespace medveil::ui
