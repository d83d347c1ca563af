// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "BackgroundJob.h"
#include "net/PacsClient.h"

#include <QDialog>
#include <QList>

#include <functional>
#include <memory>
#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTreeWidget;

namespace medveil::ui {

/// One PACS (or other DICOM node) the user configured: where it listens and the AE titles to use.
/// Remembered in the settings (no patient data: names, hosts, ports and AE titles only).
struct PacsNode
{
    QString name;
    QString host = QStringLiteral("127.0.0.1");
    int port = 104;
    QString calledAe = QStringLiteral("ORTHANC");
    QString callingAe = QStringLiteral("MEDVEIL");
};

/// File ▸ PACS…: the configured nodes (Verify = C-ECHO), a study query (C-FIND by patient ID, name, date
/// range, accession) listed as studies with their series and image counts, each study expanding into its
/// series (C-FIND at series level), Retrieve (C-GET) of the selected study or series into a folder that then
/// opens in the series browser, and Send (C-STORE) of files — protected,
/// sealed or recovered — with a per-file result. Every network call runs in a background job with progress
/// and Cancel; patient names are listed only after "Show Patient", as in the series browser.
class PacsDialog : public QDialog
{
    Q_OBJECT

public:
    explicit PacsDialog(QWidget* parent = nullptr);
    ~PacsDialog() override;

    static QList<PacsNode> savedNodes();
    static void saveNodes(const QList<PacsNode>& nodes);

    /// The node in the form (what every call uses).
    [[nodiscard]] PacsNode node() const;
    void setNode(const PacsNode& node);
    /// Adds or replaces (by name) the form's node in the saved list.
    void rememberNode();
    void forgetNode();

    void verify();
    void search();
    /// Retrieves the selected study into `folder` (which must exist); retrieved() follows.
    void retrieveSelected(const QString& folder);
    void sendFiles(const QStringList& paths);
    void cancel();

    [[nodiscard]] bool busy() const { return m_cancel != nullptr; }
    [[nodiscard]] QString statusText() const;
    [[nodiscard]] int studyCount() const { return static_cast<int>(m_studies.size()); }
    void selectStudy(int row);
    /// Lists the series of study `row` under it (C-FIND at series level; also on expanding the row).
    void listSeries(int row);
    /// Selects series `index` of study `row` (listed first): Retrieve then fetches only that series.
    void selectSeries(int row, int index);
    [[nodiscard]] bool patientShown() const { return m_patientShown; }
    void showPatient(bool shown);

Q_SIGNALS:
    /// A network job ended (also after a failure; not after Cancel).
    void jobFinished(bool ok);
    /// Retrieve wrote its instances into `folder`.
    void retrieved(const QString& folder);

private:
    [[nodiscard]] net::Association association() const;
    [[nodiscard]] net::StudyQuery query() const;
    void reloadNodes(const QString& select);
    void showStudies();
    void setBusy(const QString& what, std::function<void()> cancel);
    void finish(bool ok, const QString& status);
    [[nodiscard]] QString askFolder();
    [[nodiscard]] QStringList askFiles();

    std::vector<net::StudyRecord> m_studies;
    std::vector<std::vector<net::SeriesRecord>> m_series; ///< per study row, once listed
    bool m_patientShown = false;
    bool m_fillingForm = false; ///< setNode() at work: the form is being set to a saved node
    std::function<void()> m_cancel;

    std::shared_ptr<BackgroundJob<Result<net::EchoResult>>> m_echoJob;
    std::shared_ptr<BackgroundJob<Result<std::vector<net::StudyRecord>>>> m_findJob;
    std::shared_ptr<BackgroundJob<Result<std::vector<net::SeriesRecord>>>> m_seriesJob;
    std::shared_ptr<BackgroundJob<Result<net::RetrieveResult>>> m_retrieveJob;
    std::shared_ptr<BackgroundJob<Result<net::SendResult>>> m_sendJob;

    QComboBox* m_nodes = nullptr;
    QLineEdit* m_name = nullptr;
    QLineEdit* m_host = nullptr;
    QSpinBox* m_port = nullptr;
    QLineEdit* m_calledAe = nullptr;
    QLineEdit* m_callingAe = nullptr;
    QPushButton* m_verify = nullptr;
    QLineEdit* m_patientId = nullptr;
    QLineEdit* m_patientName = nullptr;
    QLineEdit* m_dateFrom = nullptr;
    QLineEdit* m_dateTo = nullptr;
    QLineEdit* m_accession = nullptr;
    QPushButton* m_search = nullptr;
    QTreeWidget* m_results = nullptr;
    QPushButton* m_showPatient = nullptr;
    QPushButton* m_retrieve = nullptr;
    QPushButton* m_send = nullptr;
    QPushButton* m_cancelButton = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_status = nullptr;
};

} // namespace medveil::ui
