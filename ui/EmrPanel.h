// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "BackgroundJob.h"
#include "Document.h"
#include "SenderSigning.h"
#include "core/Image.h"
#include "emr/EmrSealer.h"
#include "emr/HiNet.h"
#include "io/ImageIo.h"
#include "workflow/FileWorkflows.h"

#include <QWidget>

#include <memory>
#include <optional>

class QComboBox;
class QLabel;
class QGroupBox;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;

namespace medveil::ui {

class ImageCanvas;
class KeyPathField;

/// The EMR workflow (Guo et al. 2025): type, paste or load an EMR, seal it with the open medical image
/// (encoded image → HiNet → LSC cipher) and look at every stage; open a sealed image with the private key
/// to get the EMR text back byte for byte and the revealed image. HiNet is loaded on first use, off the
/// GUI thread; long work shows progress with Cancel.
class EmrPanel : public QWidget
{
    Q_OBJECT

public:
    EmrPanel(ImageCanvas* canvas, QWidget* parent = nullptr);

    /// A file was opened: every result of the previous one goes (record, identity, seal stages, progress,
    /// histogram). A plain image is the medical image to seal (a DICOM one's identity leaves the header), a
    /// sealed EMR image is for opening; for any other kind the tab stays empty and disabled.
    void setDocument(const Document& document);

    void setEmrText(const QString& text);
    /// The histogram under the stage buttons (of the stage last shown).
    [[nodiscard]] const class HistogramView* histogramView() const { return m_histogram; }
    [[nodiscard]] QString emrText() const;
    /// The identity moved out of a DICOM header, as readable lines (empty unless a sealed DICOM was opened).
    [[nodiscard]] QString identityText() const;
    void setRecipientKeyPath(const QString& path);
    [[nodiscard]] QString recipientKeyPath() const;
    /// Exact (the default) or network-only, as chosen in the tab.
    [[nodiscard]] EmrRecovery recovery() const;
    void setPrivateKeyPath(const QString& path);
    void setPassphrase(const QString& passphrase) { m_passphrase = passphrase; }

    /// Seals the EMR (UTF-8 of the text box) with the medical image and writes `path` atomically; signed
    /// as sender when the box is checked (the key's passphrase is asked first).
    void sealAndSave(const QString& path);
    /// "Sign as sender" with the key chosen in the Key Manager.
    [[nodiscard]] SignAsSenderBox* signing() const { return m_signing; }
    /// Opens the current sealed image with the private key.
    void open();
    void cancel();
    /// Shows a stage on the canvas: 0 medical/revealed, 1 encoded, 2 stego, 3 difference ×10, 4 cipher
    /// (on the canvas only while this tab is in front; it is remembered for when it comes back).
    void showStage(int stage);
    /// The stage shown last, again (the tab came back to the front); nothing when none was shown.
    void showCurrentStage();
    [[nodiscard]] QString statusText() const;
    /// Who signed the opened seal (a trusted sender by name, an unknown key, or not signed).
    [[nodiscard]] QString signerText() const;
    /// Writes the opened record (IMAGE.txt beside it) and image (`imagePath`; DICOM for a sealed DICOM).
    void saveOpened(const QString& imagePath);
    /// Whether the stage button (0 medical/revealed … 4 cipher) can be pressed.
    [[nodiscard]] bool stageEnabled(int stage) const;

Q_SIGNALS:
    void sealed(const QString& path);
    void opened(const QString& emr);
    void openedSaved(const QString& imagePath, const QString& recordPath);
    void failed(const QString& message);

private:
    void setBusy(bool busy);
    void startSeal(const QString& path, const LoadedImage& source, const std::string& emr,
                   const std::string& keyPath, const std::string& target, const std::string& input,
                   EmrRecovery recoveryMode, std::optional<SigningRequest> signing);
    void runOpen(const std::optional<std::string>& passphrase);
    void clearPatient();

    ImageCanvas* m_canvas;
    std::uint64_t m_documentId = 0; ///< the document every result below belongs to
    ModalityScale m_scale;          ///< the open file's (the medical image's units)
    LoadedImage m_medicalSource;
    Image m_medical;
    QString m_medicalPath;
    LoadedImage m_sealedFile;
    std::optional<SealedEmr> m_lastSeal;
    std::optional<workflow::OpenedEmrFile> m_lastOpen;
    Image m_revealed;
    int m_shownStage = -1; ///< the stage on the canvas while this tab is in front; −1: none
    std::optional<QString> m_passphrase;
    std::shared_ptr<BackgroundJob<Result<SealedEmr>>> m_sealJob;
    std::shared_ptr<BackgroundJob<Result<workflow::OpenedEmrFile>>> m_openJob;

    QPlainTextEdit* m_text = nullptr;
    QGroupBox* m_identityBox = nullptr;
    QPlainTextEdit* m_identity = nullptr;
    QLabel* m_bytes = nullptr;
    KeyPathField* m_publicKey = nullptr;
    KeyPathField* m_privateKey = nullptr;
    QPushButton* m_seal = nullptr;
    QPushButton* m_open = nullptr;
    QPushButton* m_cancel = nullptr;
    QProgressBar* m_progress = nullptr;
    QComboBox* m_recovery = nullptr;
    QLabel* m_status = nullptr;
    QLabel* m_signer = nullptr;
    QPushButton* m_saveOpened = nullptr;
    class HistogramView* m_histogram = nullptr;
    std::vector<QPushButton*> m_stages;
    SignAsSenderBox* m_signing = nullptr;
};

} // namespace medveil::ui
