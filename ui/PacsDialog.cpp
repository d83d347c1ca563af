// SPDX-License-Identifier: GPL-3.0-or-later
#include "PacsDialog.h"

#include "AppSettings.h"
#include "ErrorText.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QRegularExpressionValidator>
#include <QSpinBox>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QVariantMap>

#include <algorithm>

namespace medveil::ui {

namespace {

QString fromUtf8(const std::string& text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

std::string toUtf8(const QString& text)
{
    return text.trimmed().toStdString();
}

/// YYYYMMDD → YYYY-MM-DD for the list (anything else as received, made display-safe).
QString showDate(const std::string& date)
{
    if (date.size() == 8 &&
        std::all_of(date.begin(), date.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return fromUtf8(date.substr(0, 4) + "-" + date.substr(4, 2) + "-" + date.substr(6, 2));
    return displayText(date);
}

QString count(const std::optional<int>& value)
{
    return value ? QString::number(*value) : QStringLiteral("—");
}

enum Column
{
    DateColumn,
    PatientIdColumn,
    PatientNameColumn,
    AccessionColumn,
    ModalityColumn,
    DescriptionColumn,
    SeriesColumn,
    ImagesColumn,
};

} // namespace

PacsDialog::PacsDialog(QWidget* parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("pacsDialog"));
    setWindowTitle(tr("PACS"));
    auto* layout = new QVBoxLayout(this);

    // The node: where to associate, and as whom.
    auto* nodeBox = new QGroupBox(tr("Node"), this);
    auto* nodeLayout = new QVBoxLayout(nodeBox);
    auto* nodeRow = new QHBoxLayout;
    m_nodes = new QComboBox(nodeBox);
    m_nodes->setObjectName(QStringLiteral("pacsNodes"));
    m_nodes->setToolTip(tr("The DICOM nodes you configured"));
    m_nodes->setPlaceholderText(tr("(unsaved node)"));
    auto* remember = new QPushButton(tr("Save &Node"), nodeBox);
    remember->setObjectName(QStringLiteral("pacsSaveNode"));
    remember->setToolTip(tr("Remember this node under its name (no patient data is stored)"));
    auto* forget = new QPushButton(tr("&Remove"), nodeBox);
    forget->setObjectName(QStringLiteral("pacsRemoveNode"));
    m_verify = new QPushButton(tr("&Verify"), nodeBox);
    m_verify->setObjectName(QStringLiteral("pacsVerify"));
    m_verify->setToolTip(tr("C-ECHO: check that the node answers and accepts MedVeil's AE title"));
    nodeRow->addWidget(m_nodes, 1);
    nodeRow->addWidget(remember);
    nodeRow->addWidget(forget);
    nodeRow->addWidget(m_verify);
    nodeLayout->addLayout(nodeRow);
    auto* nodeForm = new QFormLayout;
    m_name = new QLineEdit(nodeBox);
    m_name->setObjectName(QStringLiteral("pacsName"));
    m_host = new QLineEdit(nodeBox);
    m_host->setObjectName(QStringLiteral("pacsHost"));
    m_port = new QSpinBox(nodeBox);
    m_port->setObjectName(QStringLiteral("pacsPort"));
    m_port->setRange(1, 65535);
    // AE titles: 1–16 characters of the default repertoire, no backslash (the engine checks them again).
    const auto* aeValidator =
        new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[ -\\[\\]-~]{1,16}")), this);
    m_calledAe = new QLineEdit(nodeBox);
    m_calledAe->setObjectName(QStringLiteral("pacsCalledAe"));
    m_calledAe->setValidator(aeValidator);
    m_callingAe = new QLineEdit(nodeBox);
    m_callingAe->setObjectName(QStringLiteral("pacsCallingAe"));
    m_callingAe->setValidator(aeValidator);
    nodeForm->addRow(tr("Name:"), m_name);
    nodeForm->addRow(tr("Host:"), m_host);
    nodeForm->addRow(tr("Port:"), m_port);
    nodeForm->addRow(tr("Node's AE title:"), m_calledAe);
    nodeForm->addRow(tr("MedVeil's AE title:"), m_callingAe);
    nodeLayout->addLayout(nodeForm);
    layout->addWidget(nodeBox);

    // The study query.
    auto* queryBox = new QGroupBox(tr("Find Studies"), this);
    auto* queryForm = new QFormLayout(queryBox);
    m_patientId = new QLineEdit(queryBox);
    m_patientId->setObjectName(QStringLiteral("pacsPatientId"));
    m_patientName = new QLineEdit(queryBox);
    m_patientName->setObjectName(QStringLiteral("pacsPatientName"));
    m_patientName->setPlaceholderText(tr("e.g. DOE^* (* and ? match anything)"));
    const auto* dateValidator =
        new QRegularExpressionValidator(QRegularExpression(QStringLiteral("\\d{8}")), this);
    m_dateFrom = new QLineEdit(queryBox);
    m_dateFrom->setObjectName(QStringLiteral("pacsDateFrom"));
    m_dateFrom->setPlaceholderText(tr("YYYYMMDD"));
    m_dateFrom->setValidator(dateValidator);
    m_dateTo = new QLineEdit(queryBox);
    m_dateTo->setObjectName(QStringLiteral("pacsDateTo"));
    m_dateTo->setPlaceholderText(tr("YYYYMMDD"));
    m_dateTo->setValidator(dateValidator);
    auto* dates = new QHBoxLayout;
    dates->addWidget(m_dateFrom);
    dates->addWidget(new QLabel(tr("to"), queryBox));
    dates->addWidget(m_dateTo);
    m_accession = new QLineEdit(queryBox);
    m_accession->setObjectName(QStringLiteral("pacsAccession"));
    m_search = new QPushButton(tr("&Search"), queryBox);
    m_search->setObjectName(QStringLiteral("pacsSearch"));
    m_search->setDefault(true);
    queryForm->addRow(tr("Patient ID:"), m_patientId);
    queryForm->addRow(tr("Patient name:"), m_patientName);
    queryForm->addRow(tr("Study date:"), dates);
    queryForm->addRow(tr("Accession number:"), m_accession);
    queryForm->addRow(QString(), m_search);
    layout->addWidget(queryBox);

    m_results = new QTreeWidget(this);
    m_results->setObjectName(QStringLiteral("pacsStudies"));
    m_results->setRootIsDecorated(true);
    m_results->setUniformRowHeights(true);
    m_results->setSelectionMode(QAbstractItemView::SingleSelection);
    m_results->setHeaderLabels({tr("Date"), tr("Patient ID"), tr("Patient"), tr("Accession"),
                                tr("Modalities"), tr("Description"), tr("Series"), tr("Images")});
    m_results->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_results->header()->setStretchLastSection(false);
    m_results->header()->setSectionResizeMode(DescriptionColumn, QHeaderView::Stretch);
    layout->addWidget(m_results, 1);

    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("pacsProgress"));
    m_progress->setRange(0, 1000);
    m_progress->setVisible(false);
    m_status = new QLabel(tr("Choose or enter a node, then Verify or Search."), this);
    m_status->setObjectName(QStringLiteral("pacsStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);

    auto* buttons = new QDialogButtonBox(this);
    m_showPatient = buttons->addButton(tr("Show &Patient"), QDialogButtonBox::ActionRole);
    m_showPatient->setObjectName(QStringLiteral("pacsShowPatient"));
    m_showPatient->setCheckable(true);
    m_showPatient->setToolTip(tr("List the patients' names (hidden on a shared screen)"));
    m_retrieve = buttons->addButton(tr("Re&trieve…"), QDialogButtonBox::ActionRole);
    m_retrieve->setObjectName(QStringLiteral("pacsRetrieve"));
    m_retrieve->setToolTip(
        tr("Retrieve the selected study or series (C-GET) into a folder and browse its series"));
    m_retrieve->setEnabled(false);
    m_send = buttons->addButton(tr("Se&nd Files…"), QDialogButtonBox::ActionRole);
    m_send->setObjectName(QStringLiteral("pacsSend"));
    m_send->setToolTip(tr("Send DICOM files (protected, sealed or recovered) to the node (C-STORE)"));
    m_cancelButton = buttons->addButton(QDialogButtonBox::Cancel);
    m_cancelButton->setObjectName(QStringLiteral("pacsCancel"));
    m_cancelButton->setEnabled(false);
    buttons->addButton(QDialogButtonBox::Close);
    layout->addWidget(buttons);

    connect(m_nodes, &QComboBox::currentIndexChanged, this, [this](int index) {
        const QList<PacsNode> nodes = savedNodes();
        if (index >= 0 && index < nodes.size())
            setNode(nodes[index]);
    });
    // A form that no longer matches the chosen node shows no node name in the list (it is unsaved).
    const auto formChanged = [this] {
        if (m_fillingForm)
            return;
        const QList<PacsNode> nodes = savedNodes();
        const int index = m_nodes->currentIndex();
        if (index < 0 || index >= nodes.size())
            return;
        const PacsNode saved = nodes[index], form = node();
        if (saved.name != form.name || saved.host != form.host || saved.port != form.port ||
            saved.calledAe != form.calledAe || saved.callingAe != form.callingAe) {
            const QSignalBlocker block(m_nodes);
            m_nodes->setCurrentIndex(-1);
        }
    };
    for (QLineEdit* field : {m_name, m_host, m_calledAe, m_callingAe})
        connect(field, &QLineEdit::textChanged, this, formChanged);
    connect(m_port, &QSpinBox::valueChanged, this, formChanged);
    connect(remember, &QPushButton::clicked, this, &PacsDialog::rememberNode);
    connect(forget, &QPushButton::clicked, this, &PacsDialog::forgetNode);
    connect(m_verify, &QPushButton::clicked, this, &PacsDialog::verify);
    connect(m_search, &QPushButton::clicked, this, &PacsDialog::search);
    connect(m_showPatient, &QPushButton::toggled, this, &PacsDialog::showPatient);
    connect(m_results, &QTreeWidget::itemExpanded, this, [this](QTreeWidgetItem* item) {
        const int row = m_results->indexOfTopLevelItem(item);
        if (row >= 0 && item->childCount() == 0)
            listSeries(row);
    });
    connect(m_results, &QTreeWidget::itemSelectionChanged, this,
            [this] { m_retrieve->setEnabled(!busy() && !m_results->selectedItems().isEmpty()); });
    connect(m_retrieve, &QPushButton::clicked, this, [this] {
        const QString folder = askFolder();
        if (!folder.isEmpty())
            retrieveSelected(folder);
    });
    connect(m_send, &QPushButton::clicked, this, [this] {
        const QStringList files = askFiles();
        if (!files.isEmpty())
            sendFiles(files);
    });
    connect(m_cancelButton, &QPushButton::clicked, this, &PacsDialog::cancel);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    reloadNodes({});
    if (savedNodes().isEmpty())
        setNode(PacsNode{tr("Local PACS")});
    resize(900, 720);
}

PacsDialog::~PacsDialog()
{
    cancel();
}

QList<PacsNode> PacsDialog::savedNodes()
{
    QList<PacsNode> nodes;
    for (const QVariant& entry : AppSettings::value(AppSettings::Key::PacsNodes).toList()) {
        const QVariantMap map = entry.toMap();
        PacsNode node;
        node.name = map.value(QStringLiteral("name")).toString();
        node.host = map.value(QStringLiteral("host")).toString();
        node.port = map.value(QStringLiteral("port")).toInt();
        node.calledAe = map.value(QStringLiteral("calledAe")).toString();
        node.callingAe = map.value(QStringLiteral("callingAe")).toString();
        if (!node.name.isEmpty())
            nodes.append(node);
    }
    return nodes;
}

void PacsDialog::saveNodes(const QList<PacsNode>& nodes)
{
    QVariantList list;
    for (const PacsNode& node : nodes)
        list.append(QVariantMap{{QStringLiteral("name"), node.name},
                                {QStringLiteral("host"), node.host},
                                {QStringLiteral("port"), node.port},
                                {QStringLiteral("calledAe"), node.calledAe},
                                {QStringLiteral("callingAe"), node.callingAe}});
    AppSettings::setValue(AppSettings::Key::PacsNodes, list);
}

PacsNode PacsDialog::node() const
{
    return PacsNode{m_name->text().trimmed(), m_host->text().trimmed(), m_port->value(),
                    m_calledAe->text().trimmed(), m_callingAe->text().trimmed()};
}

void PacsDialog::setNode(const PacsNode& node)
{
    m_fillingForm = true;
    m_name->setText(node.name);
    m_host->setText(node.host);
    m_port->setValue(node.port);
    m_calledAe->setText(node.calledAe);
    m_callingAe->setText(node.callingAe);
    m_fillingForm = false;
}

void PacsDialog::reloadNodes(const QString& select)
{
    const QSignalBlocker block(m_nodes);
    m_nodes->clear();
    const QList<PacsNode> nodes = savedNodes();
    for (const PacsNode& node : nodes)
        m_nodes->addItem(
            QStringLiteral("%1 — %2@%3:%4").arg(node.name, node.calledAe, node.host).arg(node.port));
    int index = 0;
    for (int i = 0; i < nodes.size(); ++i)
        if (nodes[i].name == select)
            index = i;
    if (!nodes.isEmpty()) {
        m_nodes->setCurrentIndex(index);
        setNode(nodes[index]);
    }
}

void PacsDialog::rememberNode()
{
    const PacsNode current = node();
    if (current.name.isEmpty()) {
        m_status->setText(tr("Give the node a name to save it."));
        return;
    }
    if (const Status valid = net::checkAssociation(association()); !valid) {
        m_status->setText(errorText(valid.error()));
        return;
    }
    QList<PacsNode> nodes = savedNodes();
    auto same =
        std::find_if(nodes.begin(), nodes.end(), [&](const PacsNode& n) { return n.name == current.name; });
    if (same != nodes.end())
        *same = current;
    else
        nodes.append(current);
    saveNodes(nodes);
    reloadNodes(current.name);
    m_status->setText(tr("Node “%1” saved.").arg(current.name));
}

void PacsDialog::forgetNode()
{
    QList<PacsNode> nodes = savedNodes();
    const QString name = node().name;
    nodes.erase(std::remove_if(nodes.begin(), nodes.end(), [&](const PacsNode& n) { return n.name == name; }),
                nodes.end());
    saveNodes(nodes);
    reloadNodes({});
}

net::Association PacsDialog::association() const
{
    net::Association a;
    const PacsNode n = node();
    a.host = toUtf8(n.host);
    a.port = static_cast<uint16_t>(n.port);
    a.calledAe = toUtf8(n.calledAe);
    a.callingAe = toUtf8(n.callingAe);
    return a;
}

net::StudyQuery PacsDialog::query() const
{
    net::StudyQuery q;
    q.patientId = toUtf8(m_patientId->text());
    q.patientName = toUtf8(m_patientName->text());
    q.studyDateFrom = toUtf8(m_dateFrom->text());
    q.studyDateTo = toUtf8(m_dateTo->text());
    q.accessionNumber = toUtf8(m_accession->text());
    return q;
}

void PacsDialog::setBusy(const QString& what, std::function<void()> cancelJob)
{
    m_cancel = std::move(cancelJob);
    m_status->setText(what);
    m_progress->setValue(0);
    m_progress->setVisible(true);
    m_cancelButton->setEnabled(true);
    for (QPushButton* b : {m_verify, m_search, m_retrieve, m_send})
        b->setEnabled(false);
}

void PacsDialog::finish(bool ok, const QString& status)
{
    m_cancel = nullptr;
    m_status->setText(status);
    m_progress->setVisible(false);
    m_cancelButton->setEnabled(false);
    for (QPushButton* b : {m_verify, m_search, m_send})
        b->setEnabled(true);
    m_retrieve->setEnabled(!m_results->selectedItems().isEmpty());
    Q_EMIT jobFinished(ok);
}

void PacsDialog::cancel()
{
    if (!m_cancel)
        return;
    const auto cancelJob = std::move(m_cancel);
    cancelJob();
    finish(false, tr("Cancelled."));
}

QString PacsDialog::statusText() const
{
    return m_status->text();
}

void PacsDialog::verify()
{
    if (busy())
        return;
    const net::Association a = association();
    const QString name = node().calledAe;
    m_echoJob = BackgroundJob<Result<net::EchoResult>>::start(
        this, [a](const JobControl& control) { return net::echo(a, control); },
        [this, name](Result<net::EchoResult> result) {
            if (!result)
                finish(false, tr("Verification failed: %1").arg(errorText(result.error())));
            else
                finish(true, tr("%1 answered the verification (C-ECHO) in %2 ms.")
                                 .arg(displayText(name.toStdString()))
                                 .arg(result->milliseconds, 0, 'f', 0));
        });
    setBusy(tr("Verifying %1…").arg(displayText(name.toStdString())), [job = m_echoJob] { job->cancel(); });
}

void PacsDialog::search()
{
    if (busy())
        return;
    const net::Association a = association();
    const net::StudyQuery q = query();
    m_findJob = BackgroundJob<Result<std::vector<net::StudyRecord>>>::start(
        this, [a, q](const JobControl& control) { return net::findStudies(a, q, control); },
        [this](Result<std::vector<net::StudyRecord>> result) {
            if (!result) {
                finish(false, tr("The query failed: %1").arg(errorText(result.error())));
                return;
            }
            m_studies = std::move(result.value());
            showStudies();
            finish(true, tr("Studies found: %1.").arg(m_studies.size()));
        });
    setBusy(tr("Searching…"), [job = m_findJob] { job->cancel(); });
}

void PacsDialog::showStudies()
{
    m_results->clear();
    m_series.assign(m_studies.size(), {});
    for (const net::StudyRecord& study : m_studies) {
        auto* item = new QTreeWidgetItem(m_results);
        item->setChildIndicatorPolicy(QTreeWidgetItem::ShowIndicator);
        item->setText(DateColumn, showDate(study.studyDate));
        item->setText(PatientIdColumn, displayText(study.patientId));
        item->setText(PatientNameColumn, m_patientShown ? displayText(study.patientName) : tr("hidden"));
        item->setText(AccessionColumn, displayText(study.accessionNumber));
        item->setText(ModalityColumn, displayText(study.modalitiesInStudy));
        item->setText(DescriptionColumn, displayText(study.studyDescription));
        item->setText(SeriesColumn, count(study.numberOfSeries));
        item->setText(ImagesColumn, count(study.numberOfInstances));
        item->setToolTip(DescriptionColumn, displayText(study.studyInstanceUid));
    }
}

void PacsDialog::selectStudy(int row)
{
    if (row >= 0 && row < m_results->topLevelItemCount())
        m_results->setCurrentItem(m_results->topLevelItem(row));
}

void PacsDialog::listSeries(int row)
{
    if (busy() || row < 0 || row >= static_cast<int>(m_studies.size()))
        return;
    const net::Association a = association();
    const std::string studyUid = m_studies[static_cast<size_t>(row)].studyInstanceUid;
    m_seriesJob = BackgroundJob<Result<std::vector<net::SeriesRecord>>>::start(
        this, [a, studyUid](const JobControl& control) { return net::findSeries(a, studyUid, control); },
        [this, row, studyUid](Result<std::vector<net::SeriesRecord>> result) {
            if (!result) {
                finish(false, tr("The series query failed: %1").arg(errorText(result.error())));
                return;
            }
            // The list may have been replaced by another search meanwhile.
            if (row >= static_cast<int>(m_studies.size()) ||
                m_studies[static_cast<size_t>(row)].studyInstanceUid != studyUid) {
                finish(false, tr("The study list changed; expand the study again."));
                return;
            }
            QTreeWidgetItem* study = m_results->topLevelItem(row);
            qDeleteAll(study->takeChildren());
            m_series[static_cast<size_t>(row)] = std::move(result.value());
            for (const net::SeriesRecord& series : m_series[static_cast<size_t>(row)]) {
                auto* item = new QTreeWidgetItem(study);
                item->setText(DateColumn, showDate(series.seriesDate));
                item->setText(PatientIdColumn,
                              tr("Series %1")
                                  .arg(displayText(series.seriesNumber.empty() ? "?" : series.seriesNumber)));
                item->setText(ModalityColumn, displayText(series.modality));
                item->setText(DescriptionColumn, displayText(series.seriesDescription));
                item->setText(ImagesColumn, count(series.numberOfInstances));
                item->setToolTip(DescriptionColumn, displayText(series.seriesInstanceUid));
            }
            study->setExpanded(true);
            finish(true, tr("Series in the study: %1.").arg(m_series[static_cast<size_t>(row)].size()));
        });
    setBusy(tr("Listing the study's series…"), [job = m_seriesJob] { job->cancel(); });
}

void PacsDialog::selectSeries(int row, int index)
{
    QTreeWidgetItem* study = m_results->topLevelItem(row);
    if (study && index >= 0 && index < study->childCount())
        m_results->setCurrentItem(study->child(index));
}

void PacsDialog::showPatient(bool shown)
{
    m_patientShown = shown;
    if (m_showPatient->isChecked() != shown)
        m_showPatient->setChecked(shown);
    showStudies();
}

void PacsDialog::retrieveSelected(const QString& folder)
{
    QTreeWidgetItem* current = m_results->currentItem();
    QTreeWidgetItem* studyItem = current && current->parent() ? current->parent() : current;
    const int row = m_results->indexOfTopLevelItem(studyItem);
    if (busy() || row < 0 || row >= static_cast<int>(m_studies.size()))
        return;
    const net::Association a = association();
    net::RetrieveRequest request;
    request.studyInstanceUid = m_studies[static_cast<size_t>(row)].studyInstanceUid;
    if (current != studyItem) {
        const int index = studyItem->indexOfChild(current);
        const auto& series = m_series[static_cast<size_t>(row)];
        if (index < 0 || index >= static_cast<int>(series.size()))
            return;
        request.seriesInstanceUid = series[static_cast<size_t>(index)].seriesInstanceUid;
    }
    request.outputFolder = folder.toStdString();
    m_retrieveJob = BackgroundJob<Result<net::RetrieveResult>>::start(
        this, [a, request](const JobControl& control) { return net::retrieve(a, request, control); },
        [this, folder](Result<net::RetrieveResult> result) {
            if (!result) {
                finish(false, tr("The retrieve failed: %1").arg(errorText(result.error())));
                return;
            }
            finish(true, tr("Images retrieved into %1: %2.")
                             .arg(QFileInfo(folder).fileName())
                             .arg(result->instances.size()));
            Q_EMIT retrieved(folder);
        },
        [this](int value) { m_progress->setValue(value); });
    setBusy(request.seriesInstanceUid.empty() ? tr("Retrieving the study…") : tr("Retrieving the series…"),
            [job = m_retrieveJob] { job->cancel(); });
}

void PacsDialog::sendFiles(const QStringList& paths)
{
    if (busy() || paths.isEmpty())
        return;
    const net::Association a = association();
    std::vector<std::filesystem::path> inputs;
    for (const QString& path : paths)
        inputs.emplace_back(path.toStdString());
    m_sendJob = BackgroundJob<Result<net::SendResult>>::start(
        this,
        [a, inputs](const JobControl& control) -> Result<net::SendResult> {
            auto files = net::collectDicomFiles(inputs);
            if (!files)
                return files.error();
            return net::send(a, files.value(), control);
        },
        [this](Result<net::SendResult> result) {
            if (!result) {
                finish(false, tr("Sending failed: %1").arg(errorText(result.error())));
                return;
            }
            QStringList failures;
            for (const net::SentInstance& instance : result->instances)
                if (!instance.ok)
                    failures << tr("%1: %2").arg(displayText(instance.path.filename().string()),
                                                 displayText(instance.message));
            const int total = static_cast<int>(result->instances.size());
            QString status = tr("Stored by the node: %1 of %2 files.").arg(result->succeeded).arg(total);
            if (!failures.isEmpty())
                status += QLatin1Char('\n') + failures.join(QLatin1Char('\n'));
            finish(failures.isEmpty() && total > 0, status);
        },
        [this](int value) { m_progress->setValue(value); });
    setBusy(tr("Sending…"), [job = m_sendJob] { job->cancel(); });
}

QString PacsDialog::askFolder()
{
    return QFileDialog::getExistingDirectory(this, tr("Retrieve the study into a folder"));
}

QStringList PacsDialog::askFiles()
{
    return QFileDialog::getOpenFileNames(this, tr("Send DICOM files"), QString(),
                                         tr("DICOM files (*.dcm *.DCM);;All files (*)"));
}

} // namespace medveil::ui
