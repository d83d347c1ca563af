// SPDX-License-Identifier: GPL-3.0-or-later
// engine/net's error paths in-process, with no PACS: settings refused before any network use, a closed port
// and a peer that accepts the connection but never answers (each ends within its timeout), and what send
// and collectDicomFiles do with files that are not DICOM. The PACS itself is tests/server/pacs_client.sh.
#include "net/PacsClient.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmnet/dstorscp.h>

#include <QTemporaryDir>
#include <QtTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

using namespace medveil;
namespace fs = std::filesystem;

namespace {

const char* const kCt = "/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm";

/// A listening loopback socket that never accepts: the kernel completes the TCP handshake (backlog), the
/// association request goes into its buffer and nobody answers. Closed on destruction.
class SilentPeer
{
public:
    SilentPeer()
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof(address);
        if (m_fd < 0 || ::bind(m_fd, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
            ::listen(m_fd, 8) != 0 ||
            ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&address), &length) != 0)
            qFatal("cannot open a loopback socket");
        m_port = ntohs(address.sin_port);
    }
    ~SilentPeer() { ::close(m_fd); }
    SilentPeer(const SilentPeer&) = delete;
    SilentPeer& operator=(const SilentPeer&) = delete;
    [[nodiscard]] uint16_t port() const { return m_port; }

private:
    int m_fd = -1;
    uint16_t m_port = 0;
};

/// A loopback port nobody listens on (bound, read, closed).
uint16_t closedPort()
{
    const SilentPeer peer;
    return peer.port();
}

/// DCMTK's storage SCP on loopback in a thread: a peer that accepts C-ECHO and CT C-STOREs into a folder.
class StoreScp : public DcmStorageSCP
{
public:
    explicit StoreScp(const fs::path& folder)
    {
        setOutputDirectory(folder.c_str());
        setDirectoryGenerationMode(DGM_NoSubdirectory);
        setFilenameGenerationMode(FGM_SOPInstanceUID); // "CT.<SOPInstanceUID>"
        DcmSCPConfig& config = getConfig();
        config.setPort(closedPort());
        config.setAETitle("TESTSCP");
        config.setConnectionBlockingMode(DUL_NOBLOCK);
        config.setConnectionTimeout(1);
        config.setDIMSEBlockingMode(DIMSE_NONBLOCKING);
        config.setDIMSETimeout(5);
        OFList<OFString> syntaxes;
        syntaxes.push_back(UID_LittleEndianExplicitTransferSyntax);
        syntaxes.push_back(UID_LittleEndianImplicitTransferSyntax);
        // (DcmStorageSCP accepts C-ECHO already.)
        if (const OFCondition cond = config.addPresentationContext(UID_CTImageStorage, syntaxes); cond.bad())
            qFatal("cannot add a presentation context: %s", cond.text());
        if (const OFCondition cond = openListenPort(); cond.bad())
            qFatal("cannot listen: %s", cond.text());
        m_thread = std::thread([this] { acceptAssociations(); });
    }
    ~StoreScp() override
    {
        m_stop = true;
        m_thread.join();
    }
    StoreScp(const StoreScp&) = delete;
    StoreScp& operator=(const StoreScp&) = delete;
    [[nodiscard]] uint16_t port() { return getConfig().getPort(); }

protected:
    OFBool stopAfterConnectionTimeout() override { return m_stop ? OFTrue : OFFalse; }
    OFBool stopAfterCurrentAssociation() override { return m_stop ? OFTrue : OFFalse; }

private:
    std::thread m_thread;
    std::atomic<bool> m_stop{false};
};

/// Copies of the CT with their own SOP Instance UIDs (the storage SCP names files by it).
std::vector<fs::path> ctCopies(const fs::path& folder, int count)
{
    std::vector<fs::path> files;
    for (int i = 0; i < count; ++i) {
        files.push_back(folder / ("ct" + std::to_string(i) + ".dcm"));
        fs::copy_file(kCt, files.back());
        const std::string command = "dcmodify -q -nb -gin '" + files.back().string() + "'";
        if (std::system(command.c_str()) != 0)
            qFatal("dcmodify failed");
    }
    return files;
}

double secondsOf(const std::function<void()>& run)
{
    const auto start = std::chrono::steady_clock::now();
    run();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

class TestNet : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void settingsThatCannotBeRightAreUsageErrors()
    {
        net::Association a;
        QVERIFY(net::checkAssociation(a).ok());
        for (const std::string ae : {"", "SEVENTEEN-CHARSXX", "BACK\\SLASH", "    ", "TAB\tAE"}) {
            net::Association bad = a;
            bad.calledAe = ae;
            const Status status = net::checkAssociation(bad);
            QVERIFY2(!status && status.error().kind == ErrorKind::Usage, ae.c_str());
        }
        net::Association bad = a;
        bad.port = 0;
        QCOMPARE(net::checkAssociation(bad).error().kind, ErrorKind::Usage);
        bad = a;
        bad.dimseTimeoutS = 0;
        QCOMPARE(net::checkAssociation(bad).error().kind, ErrorKind::Usage);
        bad = a;
        bad.transferSyntaxes = {"1.2.3.not-a-syntax"};
        QCOMPARE(net::checkAssociation(bad).error().kind, ErrorKind::Usage);
        // Refused before any connection: echo to a port nobody listens on still says Usage.
        bad = a;
        bad.callingAe = "";
        QCOMPARE(net::echo(bad).error().kind, ErrorKind::Usage);
    }

    void transferSyntaxNames()
    {
        QCOMPARE(net::transferSyntaxUid("implicit").value(), std::string("1.2.840.10008.1.2"));
        QCOMPARE(net::transferSyntaxUid("explicit").value(), std::string("1.2.840.10008.1.2.1"));
        QCOMPARE(net::transferSyntaxUid("jpeg-ls").value(), std::string("1.2.840.10008.1.2.4.80"));
        QCOMPARE(net::transferSyntaxUid("1.2.840.10008.1.2.5").value(), std::string("1.2.840.10008.1.2.5"));
        QCOMPARE(net::transferSyntaxUid("lossy").error().kind, ErrorKind::Usage);
    }

    void closedPortIsBadInputAtOnce()
    {
        net::Association a;
        a.port = closedPort();
        Result<net::EchoResult> echo = makeError(ErrorKind::Internal, "not run");
        const double seconds = secondsOf([&] { echo = net::echo(a); });
        QVERIFY(!echo);
        QCOMPARE(echo.error().kind, ErrorKind::BadInput);
        QVERIFY2(echo.error().message.find("Connection refused") != std::string::npos,
                 echo.error().message.c_str());
        QVERIFY2(seconds < 3, std::to_string(seconds).c_str());
    }

    void silentPeerEndsWithinTheTimeout()
    {
        const SilentPeer peer;
        net::Association a;
        a.port = peer.port();
        a.connectTimeoutS = a.acseTimeoutS = a.dimseTimeoutS = 1;
        Result<std::vector<net::StudyRecord>> found = makeError(ErrorKind::Internal, "not run");
        const double seconds = secondsOf([&] { found = net::findStudies(a, {}); });
        QVERIFY(!found);
        QCOMPARE(found.error().kind, ErrorKind::BadInput);
        QVERIFY2(found.error().message.find("no answer within the timeout (1 s)") != std::string::npos,
                 found.error().message.c_str());
        QVERIFY2(seconds >= 0.9 && seconds < 4, std::to_string(seconds).c_str());
    }

    void queriesAndRetrievesCheckTheirArguments()
    {
        net::Association a;
        a.port = closedPort();
        net::StudyQuery query;
        query.studyDateFrom = "2024-01-01";
        QCOMPARE(net::findStudies(a, query).error().kind, ErrorKind::Usage);
        QTemporaryDir dir;
        net::RetrieveRequest request;
        request.outputFolder = dir.path().toStdString();
        // A UID names the files written: nothing but digits and dots, so no path can be smuggled in.
        for (const std::string& uid :
             std::vector<std::string>{"", "../../etc", "1.2..3", "1.2.3.", std::string(65, '1')}) {
            request.studyInstanceUid = uid;
            QVERIFY2(net::retrieve(a, request).error().kind == ErrorKind::Usage, uid.c_str());
        }
        request.studyInstanceUid = "1.2.3";
        request.seriesInstanceUid = "1.2/3";
        QCOMPARE(net::retrieve(a, request).error().kind, ErrorKind::Usage);
        request.seriesInstanceUid.clear();
        // A valid request to a closed port: the network error, and the folder left empty.
        QCOMPARE(net::retrieve(a, request).error().kind, ErrorKind::BadInput);
        QVERIFY(fs::is_empty(request.outputFolder));
    }

    void collectsDicomFilesOnly()
    {
        QTemporaryDir dir;
        const fs::path root = dir.path().toStdString();
        fs::create_directories(root / "b" / "c");
        fs::copy_file(kCt, root / "b" / "c" / "2.dcm");
        fs::copy_file(kCt, root / "1");
        std::ofstream(root / "b" / "notes.txt") << "not DICOM";
        const auto files = net::collectDicomFiles({root});
        QVERIFY(files);
        QCOMPARE(files->size(), size_t(2));
        QCOMPARE((*files)[0], root / "1");
        QCOMPARE((*files)[1], root / "b" / "c" / "2.dcm");
        QCOMPARE(net::collectDicomFiles({root / "missing"}).error().kind, ErrorKind::BadInput);
        // Named explicitly, a non-DICOM file is kept (and reported by send).
        QCOMPARE(net::collectDicomFiles({root / "b" / "notes.txt"})->size(), size_t(1));
    }

    void sendReportsUnreadableFilesWithoutAnAssociation()
    {
        QTemporaryDir dir;
        const fs::path text = fs::path(dir.path().toStdString()) / "notes.txt";
        std::ofstream(text) << "not DICOM";
        net::Association a;
        a.port = closedPort(); // never contacted: there is nothing to send
        const auto sent = net::send(a, {text});
        QVERIFY(sent);
        QCOMPARE(sent->instances.size(), size_t(1));
        QVERIFY(!sent->instances[0].ok);
        QVERIFY(sent->instances[0].message.find("not a DICOM file") != std::string::npos);
        QCOMPARE(sent->succeeded, size_t(0));
        // A real CT to the closed port: the association fails, BadInput.
        QCOMPARE(net::send(a, {kCt}).error().kind, ErrorKind::BadInput);
    }

    void sendReportsProgressAndStopsWhenCancelled()
    {
        QTemporaryDir in, out;
        const StoreScp scp(out.path().toStdString());
        net::Association a;
        a.port = const_cast<StoreScp&>(scp).port();
        a.calledAe = "TESTSCP";
        a.connectTimeoutS = a.acseTimeoutS = a.dimseTimeoutS = 5;
        QVERIFY(net::echo(a));
        const std::vector<fs::path> files = ctCopies(in.path().toStdString(), 3);

        std::vector<double> fractions;
        JobControl control;
        control.progress = [&](double f, std::string_view) { fractions.push_back(f); };
        const auto sent = net::send(a, files, control);
        QVERIFY(sent);
        QCOMPARE(sent->succeeded, size_t(3));
        QVERIFY(!sent->cancelled);
        for (const auto& instance : sent->instances) {
            QVERIFY2(instance.ok && instance.status == 0, instance.message.c_str());
            QCOMPARE(instance.transferSyntaxUid, std::string(UID_LittleEndianExplicitTransferSyntax));
            QVERIFY(fs::exists(fs::path(out.path().toStdString()) / ("CT." + instance.sopInstanceUid)));
        }
        QCOMPARE(fractions, (std::vector<double>{1.0 / 3, 2.0 / 3, 1.0}));

        // Cancelled by the first progress report: that instance is stored, the rest is not sent.
        fs::remove_all(out.path().toStdString());
        fs::create_directories(out.path().toStdString());
        JobControl cancelling;
        cancelling.progress = [token = cancelling.cancel](double, std::string_view) { token.cancel(); };
        const auto stopped = net::send(a, files, cancelling);
        QVERIFY(stopped);
        QVERIFY(stopped->cancelled);
        QCOMPARE(stopped->succeeded, size_t(1));
        QVERIFY(stopped->instances[0].ok && !stopped->instances[1].ok && !stopped->instances[2].ok);
        // The peer is still serving: the cancelled association was aborted cleanly.
        QVERIFY(net::echo(a));
    }
};

QTEST_GUILESS_MAIN(TestNet)
#include "test_net.moc"
