// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "BackgroundJob.h"
#include "Document.h"
#include "core/Image.h"
#include "io/ImageIo.h"
#include "keyregion/KeyRegionProtector.h"

#include <QWidget>

#include <optional>

class QLabel;
class QPushButton;
class QTableWidget;

namespace medveil::ui {

class ImageCanvas;
class KeyPathField;

/// The recover workflow: a protected image's public QR information appears at once (no key needed);
/// with the private key (passphrase asked for when the PEM is encrypted) the original is restored and a
/// verdict says "identical to the original (SHA-256 verified)" or exactly why not.
class RecoverPanel : public QWidget
{
    Q_OBJECT

public:
    RecoverPanel(ImageCanvas* canvas, QWidget* parent = nullptr);

    /// A file was opened: every result of the previous one goes. A key-region protected file is inspected
    /// at once; for any other kind the tab stays empty and its buttons disabled.
    void setDocument(const Document& document);
    void setPrivateKeyPath(const QString& path);
    /// Uses `passphrase` instead of asking (tests, scripted use). Never stored.
    void setPassphrase(const QString& passphrase) { m_passphrase = passphrase; }
    void recover();
    void saveRecovered(const QString& path);

    [[nodiscard]] QString verdict() const;
    /// Who signed the opened file (a trusted sender by name, an unknown key, not signed, or invalid).
    [[nodiscard]] QString signer() const;
    [[nodiscard]] bool recovered() const { return !m_recovered.empty(); }
    [[nodiscard]] int infoRows() const;
    /// Which image the canvas shows: 0 protected, 1 recovered.
    void showView(int view);
    /// The view chosen last (shown again when the tab comes back to the front).
    [[nodiscard]] int shownView() const;

Q_SIGNALS:
    void inspected();
    void recoveryFinished(bool identical);
    void saved(const QString& path);
    void failed(const QString& message);

private:
    void runRecovery(const std::optional<std::string>& passphrase);
    void setVerdict(bool good, const QString& text);
    void showSigner(const Result<std::optional<Bytes>>& signer);

    ImageCanvas* m_canvas;
    std::uint64_t m_documentId = 0; ///< the document every result below belongs to
    LoadedImage m_protected;        ///< empty unless the document is a key-region protected file
    QString m_path;
    Image m_recovered;
    std::optional<QString> m_passphrase;
    QTableWidget* m_info = nullptr;
    QLabel* m_status = nullptr;
    KeyPathField* m_keyPath = nullptr;
    QPushButton* m_recover = nullptr;
    QPushButton* m_save = nullptr;
    QPushButton* m_showProtected = nullptr;
    QPushButton* m_showRecovered = nullptr;
    QLabel* m_verdict = nullptr;
    QLabel* m_signer = nullptr;
};

} // namespace medveil::ui
