// SPDX-License-Identifier: GPL-3.0-or-later
#include "RecoverPanel.h"
#include "ErrorText.h"
#include "KeyPathField.h"

#include "AppSettings.h"
#include "ImageCanvas.h"
#include "PassphrasePrompt.h"
#include "SaveDialogs.h"
#include "TrustedSenders.h"
#include "crypto/KeyFile.h"
#include "io/DicomFile.h"
#include "workflow/FileWorkflows.h"

#include <QFileDialog>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace medveil::ui {

RecoverPanel::RecoverPanel(ImageCanvas* canvas, QWidget* parent) : QWidget(parent), m_canvas(canvas)
{
    auto* layout = new QVBoxLayout(this);
    auto* infoBox = new QGroupBox(tr("QR code (public information, no key needed)"), this);
    auto* infoLayout = new QVBoxLayout(infoBox);
    m_info = new QTableWidget(0, 2, infoBox);
    m_info->setHorizontalHeaderLabels({tr("Field"), tr("Value")});
    m_info->horizontalHeader()->setStretchLastSection(true);
    m_info->verticalHeader()->hide();
    m_info->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_status = new QLabel(tr("Open a protected image"), infoBox);
    m_status->setWordWrap(true);
    infoLayout->addWidget(m_info);
    infoLayout->addWidget(m_status);
    m_signer = new QLabel(this);
    m_signer->setWordWrap(true);
    m_signer->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(infoBox);
    layout->addWidget(m_signer);

    auto* keyBox = new QGroupBox(tr("Private key"), this);
    auto* keyLayout = new QHBoxLayout(keyBox);
    m_keyPath = new KeyPathField(KeyPathField::Role::OwnPrivate, tr("your private key (PEM)"), keyBox);
    keyLayout->addWidget(m_keyPath);
    layout->addWidget(keyBox);

    m_recover = new QPushButton(tr("&Recover Original"), this);
    m_recover->setObjectName(QStringLiteral("recoverOriginal"));
    m_recover->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_recover->setToolTip(tr("Decrypt with the private key and restore the original bit for bit (Ctrl+R)"));
    m_recover->setEnabled(false);
    connect(m_recover, &QPushButton::clicked, this, &RecoverPanel::recover);
    layout->addWidget(m_recover);

    m_verdict = new QLabel(this);
    m_verdict->setWordWrap(true);
    m_verdict->setMinimumHeight(48);
    layout->addWidget(m_verdict);

    auto* views = new QHBoxLayout;
    m_showProtected = new QPushButton(tr("Protected"), this);
    m_showRecovered = new QPushButton(tr("Recovered"), this);
    for (auto* b : {m_showProtected, m_showRecovered}) {
        b->setCheckable(true);
        b->setEnabled(false);
        views->addWidget(b);
    }
    connect(m_showProtected, &QPushButton::clicked, this, [this] { showView(0); });
    connect(m_showRecovered, &QPushButton::clicked, this, [this] { showView(1); });
    layout->addLayout(views);

    m_save = new QPushButton(tr("&Save Recovered…"), this);
    m_save->setObjectName(QStringLiteral("saveRecovered"));
    m_save->setEnabled(false);
    connect(m_save, &QPushButton::clicked, this, [this] {
        const QString path =
            askOutputPath(this, tr("Save Recovered Image"), m_path, QStringLiteral("recovered"),
                          m_protected.dicom != nullptr, DicomOutput::HeaderRestored);
        if (!path.isEmpty())
            saveRecovered(path);
    });
    layout->addWidget(m_save);
    layout->addStretch(1);
}

void RecoverPanel::setDocument(const Document& document)
{
    // Nothing of the previous file stays: verdict, signer, QR fields, the recovered image, the buttons.
    m_documentId = document.id;
    const bool applies = document.kind == workflow::FileKind::KeyRegionProtected;
    m_protected = applies ? document.file : LoadedImage();
    m_path = applies ? document.path : QString();
    m_recovered = Image();
    m_verdict->clear();
    m_signer->clear();
    m_info->setRowCount(0);
    m_recover->setEnabled(false);
    m_save->setEnabled(false);
    showView(0);
    if (!applies) {
        m_status->setText(tr("Open a protected image"));
        return;
    }
    m_canvas->clearRegion();
    m_status->setText(tr("Reading the QR code…"));
    LoadedImage file;
    file.image = document.file.image;
    file.metadata = document.file.metadata;
    const std::uint64_t id = document.id;
    BackgroundJob<workflow::InspectedFile>::start(
        this, [file](const JobControl&) { return workflow::inspectLoaded(file); },
        [this, id](workflow::InspectedFile inspection) {
            if (id != m_documentId)
                return; // another file was opened meanwhile
            showSigner(inspection.signer);
            auto& report = inspection.report;
            if (!report) {
                m_status->setText(errorText(report.error()));
                m_recover->setEnabled(false);
                Q_EMIT inspected();
                return;
            }
            for (const auto& [k, v] : report->info) {
                const int row = m_info->rowCount();
                m_info->insertRow(row);
                m_info->setItem(row, 0, new QTableWidgetItem(qrFieldLabel(k)));
                m_info->setItem(row, 1, new QTableWidgetItem(displayText(v)));
            }
            // The engine's verdict, the one `medveil-cli inspect` prints (translated where the UI language
            // has it).
            m_status->setText(engineMessage(workflow::inspectVerdict(inspection).text));
            m_recover->setEnabled(report->hasProtectionData);
            Q_EMIT inspected();
        });
}

int RecoverPanel::infoRows() const
{
    return m_info->rowCount();
}

void RecoverPanel::setPrivateKeyPath(const QString& path)
{
    m_keyPath->setPath(path);
}

void RecoverPanel::recover()
{
    if (m_protected.image.empty())
        return;
    withKeyPassphrase(this, m_keyPath->path(), m_passphrase,
                      [this](std::optional<std::string> passphrase) { runRecovery(passphrase); });
}

void RecoverPanel::runRecovery(const std::optional<std::string>& passphrase)
{
    const LoadedImage loaded = m_protected;
    const std::string keyPath = QFile::encodeName(m_keyPath->path()).toStdString();
    const std::uint64_t id = m_documentId;
    m_recover->setEnabled(false);
    // A new attempt: the previous recovery is neither shown nor saved until this one's verdict.
    m_recovered = Image();
    m_save->setEnabled(false);
    showView(0);
    m_verdict->setText(tr("Recovering…"));
    m_canvas->setMarks({});
    struct Outcome
    {
        Result<RecoveredImage> recovered;
        std::optional<TamperReport> tampering; ///< where the image changed, when refused with the right key
        std::optional<Bytes> signedBy;         ///< the signer the recovery checked
    };
    BackgroundJob<Outcome>::start(
        this,
        [loaded, keyPath, passphrase](const JobControl& control) -> Outcome {
            auto key = loadKeyFile(keyPath, KeyRole::Private, passphrase);
            if (!key)
                return {key.error(), std::nullopt, std::nullopt};
            // The CLI's own path: signature, DICOM header and pixels checked the same way.
            auto checked = workflow::recoverLoaded(loaded, *key, control);
            Outcome out{checked ? Result<RecoveredImage>(std::move(checked->recovered))
                                : Result<RecoveredImage>(checked.error()),
                        std::nullopt, checked ? checked->signedBy : std::nullopt};
            if (!out.recovered && out.recovered.error().kind == ErrorKind::Auth) {
                auto map = KeyRegionProtector::locateTampering(loaded.image, loaded.metadata, *key);
                if (map)
                    out.tampering = std::move(*map);
            }
            return out;
        },
        [this, id](Outcome outcome) {
            if (id != m_documentId)
                return; // the file it was run for is no longer open
            m_recover->setEnabled(true);
            auto& result = outcome.recovered;
            if (!result) {
                // The engine's sentence says what happened (wrong passphrase, modified pixels …) once.
                QString why = result.error().kind == ErrorKind::Auth
                                  ? tr("Not recovered: %1").arg(engineMessage(result.error().message))
                                  : errorText(result.error());
                if (outcome.tampering && !outcome.tampering->regions.empty()) {
                    QList<QRect> marks;
                    for (const Rect& r : outcome.tampering->regions)
                        marks.push_back(QRect(r.x, r.y, r.width, r.height));
                    m_canvas->setMarks(marks);
                    why += QStringLiteral(" ") +
                           tr("— changed 8×8 blocks marked in red: %1").arg(outcome.tampering->changedBlocks);
                }
                setVerdict(false, why);
                Q_EMIT failed(why);
                Q_EMIT recoveryFinished(false);
                return;
            }
            m_recovered = result->image;
            showSigner(outcome.signedBy);
            m_canvas->setRegion(
                QRect(result->region.x, result->region.y, result->region.width, result->region.height));
            m_canvas->setRegionEditable(false);
            setVerdict(result->identical, tr("Identical to the original (SHA-256 verified)"));
            m_save->setEnabled(true);
            showView(1);
            // The protected file's full-range window spans its QR modules; the original's own range suits it
            // (a DICOM file's stored window stays).
            if (!(m_protected.dicom && m_protected.dicom->info().windowWidth))
                m_canvas->resetWindowLevel();
            Q_EMIT recoveryFinished(result->identical);
        });
}

void RecoverPanel::showSigner(const Result<std::optional<Bytes>>& signer)
{
    const bool trusted = signer && TrustedSenders::isTrusted(*signer);
    const QString text = signer ? TrustedSenders::describeSigner(*signer)
                                : tr("Signature INVALID: %1").arg(engineMessage(signer.error().message));
    m_signer->setText(QStringLiteral("<span style='color:%1'>%2</span>")
                          .arg(trusted  ? QStringLiteral("#1b7f3a")
                               : signer ? QStringLiteral("#8a6d00")
                                        : QStringLiteral("#b00020"),
                               text.toHtmlEscaped()));
}

QString RecoverPanel::signer() const
{
    return m_signer->text();
}

void RecoverPanel::setVerdict(bool good, const QString& text)
{
    m_verdict->setText(QStringLiteral("<b style='color:%1'>%2 %3</b>")
                           .arg(good ? QStringLiteral("#1b7f3a") : QStringLiteral("#b00020"),
                                good ? QStringLiteral("✔") : QStringLiteral("✘"), text.toHtmlEscaped()));
}

QString RecoverPanel::verdict() const
{
    return m_verdict->text();
}

void RecoverPanel::showView(int view)
{
    m_showProtected->setEnabled(!m_protected.image.empty());
    m_showRecovered->setEnabled(!m_recovered.empty());
    m_showProtected->setChecked(view == 0);
    m_showRecovered->setChecked(view == 1);
    const Image& image = view == 1 && !m_recovered.empty() ? m_recovered : m_protected.image;
    if (!image.empty())
        m_canvas->setImage(image, true);
}

int RecoverPanel::shownView() const
{
    return m_showRecovered->isChecked() ? 1 : 0;
}

void RecoverPanel::saveRecovered(const QString& path)
{
    if (m_recovered.empty())
        return;
    const Image image = m_recovered;
    const LoadedImage source = m_protected;
    const std::string target = QFile::encodeName(path).toStdString();
    const std::string input = QFile::encodeName(m_path).toStdString();
    BackgroundJob<Status>::start(
        this,
        [image, source, target, input](const JobControl&) {
            // A .dcm target of a protected DICOM gets the original header back (UID, BitsStored, ImageType).
            return workflow::writeOutputImage(target, image, {}, input, source,
                                              DicomFile::Instance::Restored);
        },
        [this, path](Status status) {
            if (!status)
                Q_EMIT failed(errorText(status.error()));
            else
                Q_EMIT saved(path);
        });
}

} // namespace medveil::ui
