// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "BackgroundJob.h"
#include "RegionHistory.h"
#include "SenderSigning.h"
#include "core/Image.h"
#include "crypto/RsaKey.h"
#include "io/ImageIo.h"
#include "keyregion/KeyRegionProtector.h"
#include "workflow/FileWorkflows.h"

#include <QTimer>
#include <QWidget>

#include <cstdint>
#include <memory>
#include <optional>

class QCheckBox;
class QComboBox;
class QListWidget;
class QGridLayout;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSlider;

namespace medveil::ui {

class ImageCanvas;
class KeyPathField;
class SweepChart;

/// The protect workflow (Li et al. 2020): suggested key region on the canvas (drag to move, corner handles
/// to resize, "Next candidate"), threshold slider 5–50 or Auto, the QR's public information, and a live
/// preview with PSNR/SSIM, payload vs capacity and the PSNR/SSIM-versus-threshold chart. Every engine call
/// runs off the GUI thread; a newer change cancels the stale job.
class ProtectPanel : public QWidget
{
    Q_OBJECT

public:
    ProtectPanel(ImageCanvas* canvas, QWidget* parent = nullptr);
    ~ProtectPanel() override;

    /// A new original image (from File ▸ Open).
    void setImage(const Image& image, const QString& path);
    /// The opened file behind setImage() (its DICOM dataset, for saving DICOM with the header kept).
    void setSource(const LoadedImage& source);
    [[nodiscard]] bool hasImage() const { return !m_image.empty(); }

    void setThreshold(int threshold); ///< 5–50; 0 selects Auto
    void setRecipientKeyPath(const QString& path);
    [[nodiscard]] QString recipientKeyPath() const;
    void setInfoValue(const QString& key, const QString& value);
    /// The public QR field `key` as the user typed it ("" when empty).
    [[nodiscard]] QString infoValue(const QString& key) const;
    /// Protects with the recipient key (signed as sender when the box is checked: the key's passphrase is
    /// asked first) and writes `path` atomically; saved() or failed() follows.
    void protectAndSave(const QString& path);

    [[nodiscard]] QRect region() const;
    /// The options a protection would use now (region, threshold, scrambling, the QR's fields).
    [[nodiscard]] ProtectOptions currentOptions() const;
    [[nodiscard]] const std::optional<ProtectReport>& lastReport() const { return m_lastReport; }
    /// What the last Protect and Save wrote: the previewed protection itself, or one made anew because an
    /// input changed since the preview.
    [[nodiscard]] bool lastSaveWrotePreview() const { return m_lastSaveWrotePreview; }
    [[nodiscard]] QString metricsText() const;
    [[nodiscard]] SweepChart* chart() const { return m_chart; }
    /// Show the original or the live protected preview on the canvas.
    void showPreview(bool preview);
    [[nodiscard]] bool showingPreview() const { return m_showingPreview; }
    /// The recipient key and Protect and Save: shown below the scrolled panel, always in view.
    [[nodiscard]] QWidget* actionBar() const { return m_actionBar; }
    /// Undo/redo of this image's region edits (Edit ▸ Undo / Redo).
    [[nodiscard]] RegionHistory* regionHistory() const { return m_history; }
    /// "Sign as sender" with the key chosen in the Key Manager.
    [[nodiscard]] SignAsSenderBox* signing() const { return m_signing; }

Q_SIGNALS:
    void previewUpdated();
    void sweepUpdated();
    void saved(const QString& path);
    void failed(const QString& message);

private:
    // The constructor's parts, top to bottom.
    QWidget* buildRegionBox();
    QWidget* buildThresholdBox();
    QWidget* buildInfoBox();
    QWidget* buildResultBox();
    void buildActionBar();
    void scheduleUpdate();
    void startPreview();
    void startSweep();
    void nextCandidate();
    void promptSave();
    void startSave(const QString& path, const LoadedImage& source, const ProtectOptions& options,
                   const std::string& keyPath, const std::string& target, const std::string& input,
                   std::optional<SigningRequest> signing);
    /// The figures of `report` (a preview's or the saved file's) in the result box.
    void showReport(const ProtectReport& report, int keyBits, const QString& note);
    /// The preview shown was computed from the settings and recipient key of now (saving writes it).
    [[nodiscard]] bool previewIsCurrent() const;
    /// Saves the pending Protect and Save request with the current preview.
    void savePending();
    void rememberInfo() const;
    [[nodiscard]] RegionState canvasRegions() const;
    void listExtraRegions(const QList<QRect>& regions);

    ImageCanvas* m_canvas;
    Image m_image;
    QString m_path;
    Image m_preview;
    LoadedImage m_source;          ///< the opened file's format and DICOM dataset (pixels in m_image)
    bool m_showingPreview = false; ///< a newly opened image shows itself; Space shows the protected preview
    bool m_lastSaveWrotePreview = false;
    std::vector<Rect> m_candidates;
    size_t m_candidateIndex = 0;
    std::optional<ProtectReport> m_lastReport;
    /// The protection shown: saving writes it as it is while nothing it was computed from has changed.
    std::shared_ptr<const workflow::ProtectPreview> m_previewed;
    QString m_previewedKeyPath; ///< the recipient key file m_previewed was computed for
    /// Protect and Save asked while the preview was older than the settings: it runs when the preview of
    /// the settings arrives, so that what is written is what was shown.
    struct PendingSave
    {
        QString path;
        std::optional<SigningRequest> signing;
    };
    std::optional<PendingSave> m_pendingSave;
    std::uint64_t m_imageGeneration =
        0; ///< counts setImage(): a request made for an earlier image is dropped
    std::shared_ptr<BackgroundJob<Result<workflow::ProtectPreview>>> m_previewJob;
    std::shared_ptr<BackgroundJob<Result<std::vector<SweepRow>>>> m_sweepJob;
    std::shared_ptr<BackgroundJob<Result<workflow::SavedProtection>>> m_saveJob;
    QTimer m_previewTimer;
    QTimer m_sweepTimer;

    QSlider* m_threshold = nullptr;
    QCheckBox* m_auto = nullptr;
    QLabel* m_thresholdLabel = nullptr;
    QLabel* m_regionLabel = nullptr;
    QListWidget* m_extraList = nullptr;
    QPushButton* m_removeExtra = nullptr;
    RegionHistory* m_history = nullptr;
    QComboBox* m_scrambling = nullptr;
    qsizetype m_extraCount = 0;
    QLabel* m_metrics = nullptr;
    QProgressBar* m_capacity = nullptr;
    KeyPathField* m_keyPath = nullptr;
    QGridLayout* m_infoForm = nullptr;
    std::vector<std::pair<QString, QLineEdit*>> m_info;
    SweepChart* m_chart = nullptr;
    QPushButton* m_save = nullptr;
    QWidget* m_actionBar = nullptr;
    QPushButton* m_viewToggle = nullptr;
    SignAsSenderBox* m_signing = nullptr;
};

} // namespace medveil::ui
