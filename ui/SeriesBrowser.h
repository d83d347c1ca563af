// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "BackgroundJob.h"
#include "SenderSigning.h"
#include "emr/EmrSealer.h"
#include "io/DicomSeries.h"
#include "keyregion/KeyRegionProtector.h"
#include "workflow/BatchWorkflows.h"

#include <QDialog>

#include <functional>
#include <memory>
#include <optional>

class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;

namespace medveil::ui {

/// File ▸ Open Folder (or a dropped folder): the DICOM studies and series in a folder, each with a
/// thumbnail, its modality, description and image count. Patient names appear only after "Show Patient"
/// (a browser open on a shared screen must not list them). A double-click or Open Image opens one image in
/// the main window; Protect Series / Seal Series run the Protect or EMR tab's settings over every image of
/// the selected series, writing DICOM, with progress and Cancel (the engine's batch: each file atomically,
/// never over an existing one).
class SeriesBrowser : public QDialog
{
    Q_OBJECT

public:
    /// Reads the headers of `folder` in the background; scanned() follows.
    explicit SeriesBrowser(const QString& folder, QWidget* parent = nullptr);
    ~SeriesBrowser() override;

    [[nodiscard]] const DicomFolderScan& scan() const { return m_scan; }
    [[nodiscard]] int currentSeries() const;
    void selectSeries(int index);
    [[nodiscard]] bool patientShown() const { return m_patientShown; }
    void showPatient(bool shown);

    /// What Protect Series uses: the recipient's public key and the Protect tab's options (each image gets
    /// its own automatic region; the patient number field is left out of the QR codes).
    void setProtection(const QString& recipientKeyPath, const ProtectOptions& options);
    /// What Seal Series uses: the recipient's public key, the EMR tab's record and recovery mode.
    void setSealing(const QString& recipientKeyPath, const QString& record, EmrRecovery recovery);
    /// Every image of the selected series → `outDir` (created), DICOM out.
    void protectSeries(const QString& outDir);
    void sealSeries(const QString& outDir);
    /// Stops a running series job: the image being written is finished or refused whole, none after it.
    void cancel();
    /// Called just before a series job starts, to take the tabs' current settings (setProtection/setSealing).
    void setConfigure(std::function<void(SeriesBrowser&)> configure) { m_configure = std::move(configure); }
    [[nodiscard]] bool busy() const { return m_batchCancel.has_value(); }
    [[nodiscard]] QString statusText() const;
    /// "Sign as sender": every image of a series job signed with the key chosen in the Key Manager.
    [[nodiscard]] SignAsSenderBox* signing() const { return m_signing; }

Q_SIGNALS:
    void scanned(int seriesCount);
    void openRequested(const QString& path);
    /// A series job ended: `succeeded` of `total` images written.
    void batchFinished(int succeeded, int total, bool cancelled);

private:
    void showScan();
    void loadThumbnails();
    void showInstances();
    void runSeries(const QString& outDir, bool seal);
    void startSeries(int index, const QString& keyPath, const QString& outDir, bool seal,
                     std::optional<SigningRequest> signing);
    [[nodiscard]] QString askOutputFolder(const QString& suffix);
    [[nodiscard]] QString describe(const DicomSeriesEntry& series) const;

    QString m_folder;
    std::function<void(SeriesBrowser&)> m_configure;
    DicomFolderScan m_scan;
    bool m_patientShown = false;
    QString m_protectKey, m_sealKey, m_record;
    ProtectOptions m_protectOptions;
    EmrRecovery m_recovery = EmrRecovery::Exact;
    std::optional<CancelToken> m_batchCancel;
    std::shared_ptr<BackgroundJob<Result<DicomFolderScan>>> m_scanJob;
    std::shared_ptr<BackgroundJob<Result<workflow::BatchResult>>> m_batchJob;

    QListWidget* m_seriesList = nullptr;
    QListWidget* m_instances = nullptr;
    QLabel* m_patient = nullptr;
    QPushButton* m_showPatient = nullptr;
    QPushButton* m_open = nullptr;
    QPushButton* m_protect = nullptr;
    QPushButton* m_seal = nullptr;
    QPushButton* m_cancel = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_status = nullptr;
    SignAsSenderBox* m_signing = nullptr;
};

} // namespace medveil::ui
