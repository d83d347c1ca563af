// SPDX-License-Identifier: GPL-3.0-or-later
#include "EmrPanel.h"
#include "ErrorText.h"
#include "HistogramView.h"

#include "AppSettings.h"
#include "ImageCanvas.h"
#include "PassphrasePrompt.h"
#include "crypto/KeyFile.h"
#include "io/DicomFile.h"

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

/// HiNet loads lazily on the worker thread the first time; later jobs reuse it.
Result<std::shared_ptr<HiNetModel>> ensureNetwork(std::shared_ptr<HiNetModel> network)
{
    if (network)
        return network;
    return HiNetModel::load();
}

Image amplifiedDifference(const Image& a, const Image& b)
{
    cv::Mat diff;
    cv::absdiff(a.mat(), b.mat(), diff);
    diff.convertTo(diff, CV_8U, 10.0);
    return *Image::fromMat(diff);
}

} // namespace

EmrPanel::EmrPanel(ImageCanvas* canvas, QWidget* parent) : QWidget(parent), m_canvas(canvas)
{
    auto* layout = new QVBoxLayout(this);
    auto* textBox = new QGroupBox(tr("Electronic medical record (UTF-8)"), this);
    auto* textLayout = new QVBoxLayout(textBox);
    m_text = new QPlainTextEdit(textBox);
    m_text->setPlaceholderText(tr("Type or paste the record, or load a text file"));
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
    m_publicKey = new QLineEdit(AppSettings::value(AppSettings::Key::RecipientPublicKey).toString(), keys);
    m_publicKey->setPlaceholderText(tr("recipient public key (to seal)"));
    m_privateKey = new QLineEdit(AppSettings::value(AppSettings::Key::PrivateKeyPath).toString(), keys);
    m_privateKey->setPlaceholderText(tr("your private key (to open)"));
    keyLayout->addWidget(new QLabel(tr("Seal for"), keys), 0, 0);
    keyLayout->addWidget(m_publicKey, 0, 1);
    keyLayout->addWidget(new QLabel(tr("Open with"), keys), 1, 0);
    keyLayout->addWidget(m_privateKey, 1, 1);
    layout->addWidget(keys);

    m_seal = new QPushButton(tr("&Seal EMR into Image and Save…"), this);
    m_seal->setToolTip(tr("Encoded image → HiNet hides the medical image → chaotic bit-level encryption"));
    m_seal->setEnabled(false);
    connect(m_seal, &QPushButton::clicked, this, [this] {
        QString path =
            QFileDialog::getSaveFileName(this, tr("Save Sealed Image"), QString(), tr("PNG image (*.png)"));
        if (!path.isEmpty())
            sealAndSave(path.endsWith(QStringLiteral(".png"), Qt::CaseInsensitive)
                            ? path
                            : path + QStringLiteral(".png"));
    });
    m_open = new QPushButton(tr("&Open Sealed Image"), this);
    m_open->setEnabled(false);
    connect(m_open, &QPushButton::clicked, this, &EmrPanel::open);
    layout->addWidget(m_seal);
    layout->addWidget(m_open);

    auto* progressRow = new QHBoxLayout;
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setEnabled(false);
    connect(m_cancel, &QPushButton::clicked, this, &EmrPanel::cancel);
    progressRow->addWidget(m_progress, 1);
    progressRow->addWidget(m_cancel);
    layout->addLayout(progressRow);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    auto* stages = new QGroupBox(tr("Stages"), this);
    auto* stageLayout = new QGridLayout(stages);
    const QString names[] = {tr("Medical / revealed"), tr("Encoded EMR"), tr("Stego"), tr("Difference ×10"),
                             tr("Cipher")};
    for (int i = 0; i < 5; ++i) {
        auto* b = new QPushButton(names[i], stages);
        b->setEnabled(false);
        connect(b, &QPushButton::clicked, this, [this, i] { showStage(i); });
        stageLayout->addWidget(b, i / 2, i % 2);
        m_stages.push_back(b);
    }
    layout->addWidget(stages);
    m_histogram = new HistogramView(this);
    layout->addWidget(m_histogram);
    layout->addStretch(1);
}

void EmrPanel::setMedicalImage(const Image& image, const QString& path)
{
    clearPatient();
    m_medical = image;
    m_medicalPath = path;
    m_sealedFile = LoadedImage();
    m_seal->setEnabled(!image.empty());
    m_open->setEnabled(false);
    for (auto* b : m_stages)
        b->setEnabled(false);
}

void EmrPanel::setSealedImage(const LoadedImage& loaded, const QString& path)
{
    clearPatient();
    for (auto* b : m_stages)
        b->setEnabled(false);
    m_sealedFile = loaded;
    m_medicalPath = path;
    m_medical = Image();
    m_seal->setEnabled(false);
    m_open->setEnabled(true);
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
    m_revealed = Image();
    m_status->clear();
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
    m_publicKey->setText(path);
}
void EmrPanel::setPrivateKeyPath(const QString& path)
{
    m_privateKey->setText(path);
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

void EmrPanel::sealAndSave(const QString& path)
{
    if (m_medical.empty())
        return;
    const Image medical = m_medical;
    const std::string emr = m_text->toPlainText().toUtf8().toStdString();
    const std::string keyPath = QFile::encodeName(m_publicKey->text()).toStdString();
    const std::string target = QFile::encodeName(path).toStdString();
    const std::string input = QFile::encodeName(m_medicalPath).toStdString();
    auto network = std::make_shared<std::shared_ptr<HiNetModel>>(m_network);
    setBusy(true);
    m_status->setText(tr("Sealing…"));
    m_sealJob = BackgroundJob<Result<SealedEmr>>::start(
        this,
        [medical, emr, keyPath, target, input, network](const JobControl& control) -> Result<SealedEmr> {
            auto key = loadKeyFile(keyPath, KeyRole::Public);
            if (!key)
                return key.error();
            auto net = ensureNetwork(*network);
            if (!net)
                return net.error();
            *network = *net;
            auto sealedEmr = EmrSealer::seal(medical, emr, *key, **net, control);
            if (!sealedEmr)
                return sealedEmr.error();
            MEDVEIL_TRY(writePng(target, sealedEmr->cipher, sealedEmr->metadata, {input}));
            return sealedEmr;
        },
        [this, path, network](Result<SealedEmr> result) {
            setBusy(false);
            m_network = *network;
            if (!result) {
                m_status->setText(errorText(result.error()));
                Q_EMIT failed(errorText(result.error()));
                return;
            }
            m_lastSeal = std::move(*result);
            m_progress->setValue(1000);
            m_status->setText(tr("Sealed %1 EMR bytes · stego PSNR %2 dB · SSIM %3")
                                  .arg(m_lastSeal->emrBytes)
                                  .arg(m_lastSeal->stegoPsnr, 0, 'f', 2)
                                  .arg(m_lastSeal->stegoSsim, 0, 'f', 4) +
                              QStringLiteral(" · ") +
                              tr("exact recovery (lossless residual %1 KB)")
                                  .arg(double(m_lastSeal->residualBytes) / 1024.0, 0, 'f', 1));
            for (auto* b : m_stages)
                b->setEnabled(true);
            showStage(2);
            Q_EMIT sealed(path);
        },
        [this](int progress) { m_progress->setValue(progress); });
}

void EmrPanel::open()
{
    if (m_sealedFile.image.empty())
        return;
    // Key Manager keys are passphrase-protected: ask first (the receiving clinician's main workflow).
    withKeyPassphrase(this, m_privateKey->text(), m_passphrase,
                      [this](std::optional<std::string> passphrase) { runOpen(passphrase); });
}

void EmrPanel::runOpen(const std::optional<std::string>& passphrase)
{
    const LoadedImage loaded = m_sealedFile;
    const std::string keyPath = QFile::encodeName(m_privateKey->text()).toStdString();
    auto network = std::make_shared<std::shared_ptr<HiNetModel>>(m_network);
    setBusy(true);
    m_status->setText(tr("Opening…"));
    m_openJob = BackgroundJob<Result<OpenedEmr>>::start(
        this,
        [loaded, keyPath, passphrase, network](const JobControl& control) -> Result<OpenedEmr> {
            auto key = loadKeyFile(keyPath, KeyRole::Private, passphrase);
            if (!key)
                return key.error();
            auto net = ensureNetwork(*network);
            if (!net)
                return net.error();
            *network = *net;
            Bytes headerDigest; // a sealed DICOM file's header is bound into the seal
            if (loaded.dicom) {
                auto digest = loaded.dicom->headerDigest();
                if (!digest)
                    return Result<OpenedEmr>(digest.error());
                headerDigest = std::move(*digest);
            }
            return EmrSealer::open(loaded.image, loaded.metadata, *key, **net, control, headerDigest);
        },
        [this, network](Result<OpenedEmr> result) {
            setBusy(false);
            m_network = *network;
            if (!result) {
                const QString why =
                    result.error().kind == ErrorKind::Auth
                        ? tr("Not opened: %1").arg(QString::fromStdString(result.error().message))
                        : errorText(result.error());
                m_status->setText(why);
                Q_EMIT failed(why);
                return;
            }
            m_progress->setValue(1000);
            m_text->setPlainText(QString::fromUtf8(result->emr.data(), int(result->emr.size())));
            const std::string identity = readableIdentity(result->identity);
            m_identity->setPlainText(QString::fromUtf8(identity.data(), int(identity.size())));
            m_identityBox->setVisible(!result->identity.empty());
            m_revealed = result->revealed;
            // Say which recovery the image came back by: a radiologist must never mistake a network's reveal
            // for the original pixels.
            const QString image =
                result->verified
                    ? tr("image bit-exact, SHA-256 verified")
                    : tr("image: network only, not for diagnosis (the file carries no lossless residual)");
            m_status->setText(tr("Opened: %1 EMR bytes restored exactly; the revealed image is shown")
                                  .arg(result->emrBytes) +
                              QStringLiteral(" · ") + image);
            m_stages[0]->setEnabled(true);
            showStage(0);
            Q_EMIT opened(QString::fromUtf8(result->emr.data(), int(result->emr.size())));
        },
        [this](int progress) { m_progress->setValue(progress); });
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
        m_canvas->clearRegion();
        m_canvas->setImage(image, true);
        m_histogram->setImage(image, m_stages[size_t(stage)]->text().remove(QLatin1Char('&')));
    }
}

} // namespace medveil::ui
