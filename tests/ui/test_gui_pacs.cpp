// SPDX-License-Identifier: GPL-3.0-or-later
// Issue #26.4: File ▸ PACS… against a real Orthanc the test starts on loopback: Verify (C-ECHO), Send Files
// (C-STORE of a protected CT, through the real file dialog), Find Studies by patient ID (names hidden until
// Show Patient), Retrieve (C-GET) into a folder that opens in the series browser — byte-identical to what was
// sent and recoverable bit-exactly —, a refused connection reported, Cancel of a call to a silent peer, and
// nodes remembered across dialogs.
#include "AppSettings.h"
#include "GuiTestSupport.h"
#include "MainWindow.h"
#include "PacsDialog.h"
#include "SeriesBrowser.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <QTreeWidget>
#include <QtTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace medveil;
using namespace medveil::ui;

namespace {

const QString kCt = QStringLiteral("/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm");

int runCli(const QStringList& args, QByteArray* out = nullptr)
{
    QProcess process;
    process.start(QStringLiteral(MEDVEIL_CLI), args);
    process.closeWriteChannel();
    if (!process.waitForFinished(180000))
        return -1;
    if (out)
        *out = process.readAllStandardOutput() + process.readAllStandardError();
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
}

/// A loopback TCP socket bound to a free port; listening when `listen` (a peer that accepts connections
/// and never answers), else closed at once (its port then refuses connections).
class LoopbackSocket
{
public:
    explicit LoopbackSocket(bool listen)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (m_fd < 0 || ::bind(m_fd, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
            ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&address), &length) != 0)
            return;
        m_port = ntohs(address.sin_port);
        if (listen)
            ::listen(m_fd, 4);
        else
            close();
    }
    ~LoopbackSocket() { close(); }
    LoopbackSocket(const LoopbackSocket&) = delete;
    LoopbackSocket& operator=(const LoopbackSocket&) = delete;
    [[nodiscard]] quint16 port() const { return m_port; }

private:
    void close()
    {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = -1;
    }
    int m_fd = -1;
    quint16 m_port = 0;
};

quint16 freePort()
{
    return LoopbackSocket(false).port();
}

bool accepts(quint16 port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    const bool ok = fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    if (fd >= 0)
        ::close(fd);
    return ok;
}

/// The whole dataset as dcmdump prints it, every value in full, without the file meta group (which the
/// receiver of a C-STORE writes itself: the preamble and group 0002 never travel over the network) and
/// without Data Set Trailing Padding (FFFC,FFFC), which carries no information by definition (PS3.10 7.2)
/// and is not kept by DICOM network transfers (pydicom's CT_small.dcm has some).
QByteArray datasetDump(const QString& path)
{
    QProcess dump;
    dump.start(QStringLiteral("dcmdump"), {QStringLiteral("-q"), QStringLiteral("+L"), path});
    if (!dump.waitForFinished(60000) || dump.exitCode() != 0)
        return {};
    QByteArray kept;
    for (const QByteArray& line : dump.readAllStandardOutput().split('\n'))
        if (!line.startsWith('#') && !line.startsWith("(0002,") && !line.startsWith("(fffc,fffc)"))
            kept += line + '\n';
    return kept;
}

QByteArray slurp(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

/// Clicks `button` and waits until the dialog's network job has ended; returns its success.
bool clickAndWait(PacsDialog& dialog, QPushButton* button, int timeoutMs = 60000)
{
    QSignalSpy finished(&dialog, &PacsDialog::jobFinished);
    QTest::mouseClick(button, Qt::LeftButton);
    if (!finished.wait(timeoutMs) && finished.isEmpty())
        return false;
    return finished.constFirst().constFirst().toBool();
}

} // namespace

class TestGuiPacs : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void verifiesSendsFindsAndRetrievesThroughTheWindow();
    void aClosedPortIsReportedAndASilentPeerCanBeCancelled();
    void nodesAreRememberedWithoutPatientData();

private:
    PacsNode orthancNode() const;
    QTemporaryDir m_dir;
    QProcess m_orthanc;
    quint16 m_dicomPort = 0, m_httpPort = 0;
    QString m_protected, m_private;
};

void TestGuiPacs::initTestCase()
{
    QVERIFY(m_dir.isValid());
    if (!QFileInfo::exists(kCt))
        QSKIP("pydicom's CT_small.dcm (python3-pydicom) is needed");
    const QString orthanc = QStandardPaths::findExecutable(QStringLiteral("Orthanc"));
    if (orthanc.isEmpty())
        QFAIL("Orthanc is not installed (packaging/install-deps.sh installs it)");
    m_private = m_dir.filePath(QStringLiteral("priv.pem"));
    const QString pub = m_dir.filePath(QStringLiteral("pub.pem"));
    QCOMPARE(runCli({QStringLiteral("keygen"), QStringLiteral("--private"), m_private,
                     QStringLiteral("--public"), pub}),
             0);
    m_protected = m_dir.filePath(QStringLiteral("protected.dcm"));
    QCOMPARE(runCli({QStringLiteral("protect"), kCt, m_protected, QStringLiteral("--public"), pub,
                     QStringLiteral("--info"), QStringLiteral("hospital=Union Hospital")}),
             0);

    m_dicomPort = freePort();
    m_httpPort = freePort();
    const QString storage = m_dir.filePath(QStringLiteral("orthanc-storage"));
    QVERIFY(QDir().mkpath(storage));
    const QString config = m_dir.filePath(QStringLiteral("orthanc.json"));
    QFile json(config);
    QVERIFY(json.open(QIODevice::WriteOnly));
    json.write(QStringLiteral(R"({ "Name": "MedVeilGuiTest", "StorageDirectory": "%1", "IndexDirectory": "%1",
  "HttpPort": %2, "DicomPort": %3, "DicomAet": "ORTHANC", "RemoteAccessAllowed": false,
  "AuthenticationEnabled": false, "Plugins": [], "DicomServerEnabled": true,
  "DicomAlwaysAllowFind": true, "DicomAlwaysAllowGet": true, "DicomAlwaysAllowStore": true,
  "DicomAlwaysAllowEcho": true })")
                   .arg(storage)
                   .arg(m_httpPort)
                   .arg(m_dicomPort)
                   .toUtf8());
    json.close();
    m_orthanc.setProcessChannelMode(QProcess::MergedChannels);
    m_orthanc.setStandardOutputFile(m_dir.filePath(QStringLiteral("orthanc.log")));
    m_orthanc.start(orthanc, {config});
    QVERIFY(m_orthanc.waitForStarted(10000));
    // Ready when its DICOM port accepts a connection.
    bool ready = false;
    for (int i = 0; i < 150 && !ready; ++i) {
        ready = accepts(m_dicomPort);
        if (!ready)
            QTest::qWait(200);
    }
    QVERIFY2(ready, slurp(m_dir.filePath(QStringLiteral("orthanc.log"))).constData());
}

void TestGuiPacs::cleanupTestCase()
{
    if (m_orthanc.state() != QProcess::NotRunning) {
        m_orthanc.terminate();
        if (!m_orthanc.waitForFinished(10000))
            m_orthanc.kill();
        m_orthanc.waitForFinished(5000);
    }
}

PacsNode TestGuiPacs::orthancNode() const
{
    PacsNode node;
    node.name = QStringLiteral("Test Orthanc");
    node.host = QStringLiteral("127.0.0.1");
    node.port = m_dicomPort;
    node.calledAe = QStringLiteral("ORTHANC");
    node.callingAe = QStringLiteral("MEDVEILGUI");
    return node;
}

void TestGuiPacs::verifiesSendsFindsAndRetrievesThroughTheWindow()
{
    MainWindow window;
    QVERIFY(test::showAndExpose(window));
    auto* action = window.findChild<QAction*>(QStringLiteral("pacsAction"));
    QVERIFY(action);
    action->trigger();
    PacsDialog* dialog = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT(
        (dialog = window.findChild<PacsDialog*>(QStringLiteral("pacsDialog"))) && dialog->isVisible(), 5000);
    QVERIFY(QTest::qWaitForWindowExposed(dialog));

    // The node typed into the form, as a user would.
    auto* host = dialog->findChild<QLineEdit*>(QStringLiteral("pacsHost"));
    auto* port = dialog->findChild<QSpinBox*>(QStringLiteral("pacsPort"));
    auto* calledAe = dialog->findChild<QLineEdit*>(QStringLiteral("pacsCalledAe"));
    QVERIFY(host && port && calledAe);
    host->selectAll();
    QTest::keyClicks(host, QStringLiteral("127.0.0.1"));
    port->setValue(m_dicomPort);
    calledAe->selectAll();
    QTest::keyClicks(calledAe, QStringLiteral("ORTHANC"));

    // A form edited away from the saved node it showed names no saved node.
    auto* nodes = dialog->findChild<QComboBox*>(QStringLiteral("pacsNodes"));
    if (!PacsDialog::savedNodes().isEmpty() && PacsDialog::savedNodes().constFirst().port != m_dicomPort)
        QCOMPARE(nodes->currentIndex(), -1);
    auto* verify = dialog->findChild<QPushButton*>(QStringLiteral("pacsVerify"));
    QVERIFY(clickAndWait(*dialog, verify));
    QVERIFY2(dialog->statusText().contains(QStringLiteral("answered the verification")),
             qPrintable(dialog->statusText()));

    // Send Files…: the real file dialog, answered with the protected CT.
    auto* send = dialog->findChild<QPushButton*>(QStringLiteral("pacsSend"));
    QTimer::singleShot(0, dialog, [this, dialog] {
        QFileDialog* files = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((files = dialog->findChild<QFileDialog*>()) && files->isVisible(), 10000);
        files->selectFile(m_protected);
        QMetaObject::invokeMethod(files, "accept");
    });
    QVERIFY(clickAndWait(*dialog, send));
    QCOMPARE(dialog->statusText(), QStringLiteral("Stored by the node: 1 of 1 files."));

    // Find Studies by patient ID: one study, the patient's name hidden until Show Patient.
    auto* patientId = dialog->findChild<QLineEdit*>(QStringLiteral("pacsPatientId"));
    QTest::keyClicks(patientId, QStringLiteral("1CT1"));
    QVERIFY(clickAndWait(*dialog, dialog->findChild<QPushButton*>(QStringLiteral("pacsSearch"))));
    QCOMPARE(dialog->studyCount(), 1);
    auto* studies = dialog->findChild<QTreeWidget*>(QStringLiteral("pacsStudies"));
    QCOMPARE(studies->topLevelItemCount(), 1);
    QTreeWidgetItem* row = studies->topLevelItem(0);
    QCOMPARE(row->text(0), QStringLiteral("2004-01-19"));
    QCOMPARE(row->text(1), QStringLiteral("1CT1"));
    QVERIFY(!row->text(2).contains(QStringLiteral("CompressedSamples")));
    QCOMPARE(row->text(7), QStringLiteral("1"));
    QTest::mouseClick(dialog->findChild<QPushButton*>(QStringLiteral("pacsShowPatient")), Qt::LeftButton);
    QCOMPARE(studies->topLevelItem(0)->text(2), QStringLiteral("CompressedSamples^CT1"));
    // A query that matches nothing lists nothing.
    patientId->selectAll();
    QTest::keyClicks(patientId, QStringLiteral("NO-SUCH-PATIENT"));
    QVERIFY(clickAndWait(*dialog, dialog->findChild<QPushButton*>(QStringLiteral("pacsSearch"))));
    QCOMPARE(dialog->studyCount(), 0);
    patientId->selectAll();
    QTest::keyClicks(patientId, QStringLiteral("1CT1"));
    QVERIFY(clickAndWait(*dialog, dialog->findChild<QPushButton*>(QStringLiteral("pacsSearch"))));
    QCOMPARE(dialog->studyCount(), 1);

    const QImage shot = dialog->grab().toImage();
    QVERIFY(!shot.isNull());
    QVERIFY(QDir().mkpath(QStringLiteral(MEDVEIL_SCREENSHOT_DIR)));
    QVERIFY(shot.save(QStringLiteral(MEDVEIL_SCREENSHOT_DIR "/pacs-dialog.png")));
    // The studies list shows a selected-looking, non-empty row: its text is drawn (not a blank list).
    const QRect rowRect = studies->visualItemRect(studies->topLevelItem(0));
    QVERIFY(!rowRect.isEmpty());

    // Retrieve into a folder: the study opens in the series browser, the file is the one sent.
    const QString folder = m_dir.filePath(QStringLiteral("retrieved"));
    QVERIFY(QDir().mkpath(folder));
    dialog->selectStudy(0);
    auto* retrieve = dialog->findChild<QPushButton*>(QStringLiteral("pacsRetrieve"));
    QTRY_VERIFY(retrieve->isEnabled());
    QTimer::singleShot(0, dialog, [dialog, folder] {
        QFileDialog* chooser = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((chooser = dialog->findChild<QFileDialog*>()) && chooser->isVisible(),
                                 10000);
        chooser->selectFile(folder);
        QMetaObject::invokeMethod(chooser, "accept");
    });
    QVERIFY(clickAndWait(*dialog, retrieve));
    QCOMPARE(dialog->statusText(), QStringLiteral("Images retrieved into retrieved: 1."));
    const QStringList got = QDir(folder).entryList({QStringLiteral("*.dcm")}, QDir::Files);
    QCOMPARE(got.size(), 1);
    // Every attribute and every pixel byte as sent (the dump prints values in full).
    const QByteArray sent = datasetDump(m_protected);
    QVERIFY(sent.contains("(7fe0,0010)") && sent.contains("(0071,1001)"));
    const QByteArray back = datasetDump(QDir(folder).filePath(got.first()));
    QCOMPARE(back, sent);
    SeriesBrowser* browser = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT(browser = window.findChild<SeriesBrowser*>(QStringLiteral("seriesBrowser")),
                             10000);
    QSignalSpy scanned(browser, &SeriesBrowser::scanned);
    QTRY_VERIFY_WITH_TIMEOUT(!scanned.isEmpty() || browser->scan().series.size() == 1, 20000);
    QCOMPARE(browser->scan().series.size(), size_t(1));

    // The study expands into its series (C-FIND at series level); Retrieve of the series alone.
    QSignalSpy listed(dialog, &PacsDialog::jobFinished);
    studies->expandItem(studies->topLevelItem(0));
    QTRY_VERIFY_WITH_TIMEOUT(!listed.isEmpty(), 60000);
    QVERIFY(listed.constFirst().constFirst().toBool());
    QCOMPARE(studies->topLevelItem(0)->childCount(), 1);
    QTreeWidgetItem* seriesRow = studies->topLevelItem(0)->child(0);
    QVERIFY2(seriesRow->text(1).startsWith(QStringLiteral("Series ")), qPrintable(seriesRow->text(1)));
    QCOMPARE(seriesRow->text(4), QStringLiteral("CT"));
    QCOMPARE(seriesRow->text(7), QStringLiteral("1"));
    QCOMPARE(dialog->statusText(), QStringLiteral("Series in the study: 1."));
    const QString seriesFolder = m_dir.filePath(QStringLiteral("series"));
    dialog->selectSeries(0, 0);
    QSignalSpy seriesDone(dialog, &PacsDialog::jobFinished);
    dialog->retrieveSelected(seriesFolder);
    QTRY_VERIFY_WITH_TIMEOUT(!seriesDone.isEmpty(), 60000);
    QVERIFY2(seriesDone.constFirst().constFirst().toBool(), qPrintable(dialog->statusText()));
    QCOMPARE(QDir(seriesFolder).entryList({QStringLiteral("*.dcm")}, QDir::Files), got);

    // What came back from the PACS recovers bit-exactly.
    QByteArray out;
    QCOMPARE(runCli({QStringLiteral("recover"), QDir(folder).filePath(got.first()),
                     m_dir.filePath(QStringLiteral("recovered.dcm")), QStringLiteral("--private"), m_private},
                    &out),
             0);
    QVERIFY2(out.contains("identical to the original"), out.constData());
}

void TestGuiPacs::aClosedPortIsReportedAndASilentPeerCanBeCancelled()
{
    PacsDialog dialog;
    QVERIFY(test::showAndExpose(dialog, QSize(900, 720)));
    PacsNode closed = orthancNode();
    closed.port = freePort(); // nobody listens there
    dialog.setNode(closed);
    auto* verify = dialog.findChild<QPushButton*>(QStringLiteral("pacsVerify"));
    QVERIFY(!clickAndWait(dialog, verify));
    QVERIFY2(dialog.statusText().startsWith(QStringLiteral("Verification failed")),
             qPrintable(dialog.statusText()));

    // A peer that accepts the connection and never answers: the call is busy until Cancel.
    const LoopbackSocket silent(true);
    QVERIFY(silent.port() != 0);
    PacsNode mute = orthancNode();
    mute.port = silent.port();
    dialog.setNode(mute);
    QTest::mouseClick(verify, Qt::LeftButton);
    QVERIFY(dialog.busy());
    QVERIFY(!verify->isEnabled());
    QTest::qWait(300);
    QVERIFY(dialog.busy());
    QTest::mouseClick(dialog.findChild<QPushButton*>(QStringLiteral("pacsCancel")), Qt::LeftButton);
    QVERIFY(!dialog.busy());
    QCOMPARE(dialog.statusText(), QStringLiteral("Cancelled."));
    QVERIFY(verify->isEnabled());
}

void TestGuiPacs::nodesAreRememberedWithoutPatientData()
{
    AppSettings::remove(AppSettings::Key::PacsNodes);
    {
        PacsDialog dialog;
        dialog.setNode(orthancNode());
        dialog.findChild<QLineEdit*>(QStringLiteral("pacsPatientId"))->setText(QStringLiteral("1CT1"));
        QTest::mouseClick(dialog.findChild<QPushButton*>(QStringLiteral("pacsSaveNode")), Qt::LeftButton);
    }
    PacsDialog reopened;
    auto* nodes = reopened.findChild<QComboBox*>(QStringLiteral("pacsNodes"));
    QCOMPARE(nodes->count(), 1);
    QCOMPARE(nodes->currentIndex(), 0);
    QCOMPARE(reopened.node().port, int(m_dicomPort));
    QCOMPARE(reopened.node().calledAe, QStringLiteral("ORTHANC"));
    QCOMPARE(reopened.node().callingAe, QStringLiteral("MEDVEILGUI"));
    // The query fields (patient data) are not remembered.
    QVERIFY(reopened.findChild<QLineEdit*>(QStringLiteral("pacsPatientId"))->text().isEmpty());
    const QString stored =
        AppSettings::value(AppSettings::Key::PacsNodes).toList().value(0).toMap().keys().join(',');
    QCOMPARE(stored, QStringLiteral("calledAe,callingAe,host,name,port"));
    // An AE title the engine refuses is not saved.
    reopened.findChild<QLineEdit*>(QStringLiteral("pacsName"))->setText(QStringLiteral("Broken"));
    reopened.findChild<QLineEdit*>(QStringLiteral("pacsCallingAe"))->setText(QString());
    QTest::mouseClick(reopened.findChild<QPushButton*>(QStringLiteral("pacsSaveNode")), Qt::LeftButton);
    QCOMPARE(PacsDialog::savedNodes().size(), 1);
}

QTEST_MAIN(TestGuiPacs)
#include "test_gui_pacs.moc"
