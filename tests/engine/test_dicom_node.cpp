// SPDX-License-Identifier: GPL-3.0-or-later
// The protecting DICOM node's engine half on loopback, without a PACS: C-STORE answered after the action (and
// with a failure status when it fails), several associations at once with the actions capped at the worker
// count, a stop that finishes the instance in hand, and the forward queue across a down destination and a
// restart. The destination is a second DicomNode.
#include "io/AtomicFile.h"
#include "net/DicomNode.h"
#include "net/ForwardQueue.h"
#include "workflow/NodeActions.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmnet/scu.h>

#include <QTemporaryDir>
#include <QtTest>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <thread>

using namespace medveil;
namespace fs = std::filesystem;

namespace {

const fs::path kCt = "/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm";
constexpr const char* kCtUid = "1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322";

/// A loopback port nothing listens on right now.
uint16_t freePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in where{};
    where.sin_family = AF_INET;
    where.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&where), sizeof where);
    socklen_t length = sizeof where;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&where), &length);
    ::close(fd);
    return ntohs(where.sin_port);
}

net::NodeSettings loopbackNode(const fs::path& out, uint16_t port = 0)
{
    net::NodeSettings settings;
    settings.bindAddress = "127.0.0.1";
    settings.port = port;
    settings.aeTitle = "NODE";
    settings.outDir = out;
    return settings;
}

net::ForwardDestination destination(uint16_t port)
{
    net::ForwardDestination to;
    to.host = "127.0.0.1";
    to.port = port;
    to.calledAe = "NODE";
    to.callingAe = "TEST";
    return to;
}

/// The `store` action: the received file, copied atomically.
Result<fs::path> copyInto(const fs::path& received, const fs::path& outDir, const std::string& name)
{
    auto bytes = readFileBytes(received);
    if (!bytes)
        return bytes.error();
    const fs::path out = outDir / name;
    MEDVEIL_TRY(writeFileAtomically(out, *bytes, {received}, FileMode::Private));
    return out;
}

/// Events of a node, kept for the test.
struct EventLog
{
    std::mutex mutex;
    std::vector<net::NodeEvent> events;
    net::NodeEventListener listener()
    {
        return [this](const net::NodeEvent& event) {
            const std::lock_guard lock(mutex);
            events.push_back(event);
        };
    }
};

bool waitFor(const std::function<bool()>& condition, std::chrono::seconds limit)
{
    const auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
        if (condition())
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return condition();
}

} // namespace

class TestDicomNode : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void storeIsAnsweredAfterTheAction()
    {
        QTemporaryDir dir;
        const fs::path out = dir.filePath("out").toStdString();
        EventLog log;
        auto node = net::DicomNode::start(
            loopbackNode(out),
            [](const fs::path& received, const fs::path& outDir) {
                return copyInto(received, outDir, "ct.dcm");
            },
            log.listener());
        QVERIFY2(node.ok(), node.ok() ? "" : node.error().message.c_str());
        const Status sent = net::storeFile(kCt, destination((*node)->port()));
        QVERIFY2(sent.ok(), sent.ok() ? "" : sent.error().message.c_str());
        // Success means the result is there, byte for byte the dataset sent.
        QVERIFY(fs::exists(out / "ct.dcm"));
        QCOMPARE(log.events.size(), size_t(1));
        QCOMPARE(log.events[0].sopInstanceUid, std::string(kCtUid));
        QCOMPARE(log.events[0].callingAe, std::string("TEST"));
        QCOMPARE(log.events[0].dimseStatus, uint16_t(0));
        QVERIFY(log.events[0].forward == net::NodeEvent::Forward::None);
        (*node)->requestStop();
        (*node)->wait();
        // The spool of received instances is gone with the node.
        QVERIFY(!fs::exists(out / ".medveil-incoming"));
    }

    void failedActionIsAFailureStatusAndWritesNothing()
    {
        QTemporaryDir dir;
        const fs::path out = dir.filePath("out").toStdString();
        EventLog log;
        auto node = net::DicomNode::start(
            loopbackNode(out),
            [](const fs::path&, const fs::path&) -> Result<fs::path> {
                return makeError(ErrorKind::BadInput, "not a MedVeil-protected image");
            },
            log.listener());
        QVERIFY(node.ok());
        const Status sent = net::storeFile(kCt, destination((*node)->port()));
        QVERIFY(!sent.ok());
        QVERIFY2(sent.error().message.find("C000") != std::string::npos, sent.error().message.c_str());
        QCOMPARE(log.events.size(), size_t(1));
        QCOMPARE(log.events[0].dimseStatus, uint16_t(0xC000));
        QVERIFY(!log.events[0].result.ok());
        (*node)->requestStop();
        (*node)->wait();
        QVERIFY(fs::is_empty(out));
    }

    void wrongCalledAeTitleIsRejected()
    {
        QTemporaryDir dir;
        auto node = net::DicomNode::start(loopbackNode(dir.filePath("out").toStdString()),
                                          [](const fs::path& received, const fs::path& outDir) {
                                              return copyInto(received, outDir, "x.dcm");
                                          },
                                          {});
        QVERIFY(node.ok());
        net::ForwardDestination to = destination((*node)->port());
        to.calledAe = "SOMEONE-ELSE";
        const Status sent = net::storeFile(kCt, to);
        QVERIFY(!sent.ok());
        QVERIFY2(sent.error().message.find("no association") != std::string::npos,
                 sent.error().message.c_str());
    }

    void takenPortIsBadInputAndCreatesNothing()
    {
        QTemporaryDir dir;
        const fs::path out = dir.filePath("out").toStdString();
        auto first = net::DicomNode::start(loopbackNode(dir.filePath("a").toStdString()), {}, {});
        QVERIFY(first.ok());
        auto second = net::DicomNode::start(loopbackNode(out, (*first)->port()), {}, {});
        QVERIFY(!second.ok());
        QVERIFY(second.error().kind == ErrorKind::BadInput);
        QVERIFY(!fs::exists(out));
    }

    void associationsRunAtOnceWithActionsCappedAtTheWorkers()
    {
        QTemporaryDir dir;
        std::atomic<int> running{0}, most{0}, count{0};
        net::NodeSettings settings = loopbackNode(dir.filePath("out").toStdString());
        settings.workers = 2;
        auto node = net::DicomNode::start(
            settings,
            [&](const fs::path& received, const fs::path& outDir) {
                const int now = ++running;
                for (int seen = most.load(); now > seen && !most.compare_exchange_weak(seen, now);) {
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(300));
                --running;
                return copyInto(received, outDir, "ct" + std::to_string(++count) + ".dcm");
            },
            {});
        QVERIFY(node.ok());
        std::vector<std::future<Status>> senders;
        for (int i = 0; i < 4; ++i)
            senders.push_back(std::async(std::launch::async, [port = (*node)->port()] {
                return net::storeFile(kCt, destination(port));
            }));
        for (auto& sender : senders)
            QVERIFY(sender.get().ok());
        QCOMPARE(count.load(), 4);
        QCOMPARE(most.load(), 2); // two at once, never more than the workers
    }

    void associationsBeyondTheLimitAreRejected()
    {
        QTemporaryDir dir;
        net::NodeSettings settings = loopbackNode(dir.filePath("out").toStdString());
        settings.maxAssociations = 1;
        auto node = net::DicomNode::start(settings,
                                          [](const fs::path& received, const fs::path& outDir) {
                                              return copyInto(received, outDir, "ct.dcm");
                                          },
                                          {});
        QVERIFY(node.ok());
        // One association held open (a verification association nobody releases yet)...
        DcmSCU holder;
        holder.setPeerHostName("127.0.0.1");
        holder.setPeerPort((*node)->port());
        holder.setPeerAETitle("NODE");
        holder.setAETitle("HOLDER");
        OFList<OFString> syntaxes;
        syntaxes.push_back(UID_LittleEndianImplicitTransferSyntax);
        holder.addPresentationContext(UID_VerificationSOPClass, syntaxes);
        QVERIFY(holder.initNetwork().good());
        QVERIFY(holder.negotiateAssociation().good());
        // ... so a second one is refused ("local limit exceeded"), until the first ends.
        const Status refused = net::storeFile(kCt, destination((*node)->port()));
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().message.find("no association") != std::string::npos,
                 refused.error().message.c_str());
        QVERIFY(holder.sendECHORequest(0).good());
        holder.releaseAssociation();
        QVERIFY(waitFor([&] { return net::storeFile(kCt, destination((*node)->port())).ok(); },
                        std::chrono::seconds(5)));
    }

    void stopFinishesTheInstanceInHand()
    {
        QTemporaryDir dir;
        const fs::path out = dir.filePath("out").toStdString();
        std::promise<void> entered;
        auto node = net::DicomNode::start(loopbackNode(out),
                                          [&](const fs::path& received, const fs::path& outDir) {
                                              entered.set_value();
                                              std::this_thread::sleep_for(std::chrono::milliseconds(500));
                                              return copyInto(received, outDir, "ct.dcm");
                                          },
                                          {});
        QVERIFY(node.ok());
        auto sender = std::async(std::launch::async,
                                 [port = (*node)->port()] { return net::storeFile(kCt, destination(port)); });
        entered.get_future().wait();
        (*node)->requestStop();
        (*node)->wait();
        QVERIFY(sender.get().ok());
        QVERIFY(fs::exists(out / "ct.dcm"));
    }

    void queueDeliversAfterTheDestinationAndTheSenderRestart()
    {
        QTemporaryDir dir;
        const fs::path queueDir = dir.filePath("queue").toStdString();
        const uint16_t port = freePort();
        {
            // The destination is down: the entry stays, through the end of this queue.
            auto queue = net::ForwardQueue::open(queueDir, destination(port), {});
            QVERIFY(queue.ok());
            auto entry = (*queue)->add(kCt, "ct");
            QVERIFY(entry.ok());
            const auto attempt = (*queue)->deliverNow(*entry);
            QVERIFY(attempt.outcome == net::ForwardQueue::Outcome::Queued);
            QVERIFY(attempt.detail.find("no association") != std::string::npos);
            QCOMPARE((*queue)->pending(), size_t(1));
        }
        QCOMPARE(size_t(std::distance(fs::directory_iterator(queueDir), fs::directory_iterator())),
                 size_t(1));
        // The destination comes up, and a new queue on the same folder (a restarted node) delivers the entry.
        const fs::path received = dir.filePath("received").toStdString();
        auto target = net::DicomNode::start(
            loopbackNode(received, port),
            [](const fs::path& in, const fs::path& outDir) { return copyInto(in, outDir, "ct.dcm"); }, {});
        QVERIFY(target.ok());
        std::vector<net::ForwardQueue::Delivery> deliveries;
        std::mutex mutex;
        auto queue = net::ForwardQueue::open(queueDir, destination(port), {}, [&](const auto& delivery) {
            const std::lock_guard lock(mutex);
            deliveries.push_back(delivery);
        });
        QVERIFY(queue.ok());
        (*queue)->start();
        // The entry is removed once the destination stored it, and the listener hears of it just after.
        QVERIFY(waitFor(
            [&] {
                const std::lock_guard lock(mutex);
                return (*queue)->pending() == 0 && !deliveries.empty();
            },
            std::chrono::seconds(10)));
        QVERIFY(fs::exists(received / "ct.dcm"));
        const std::lock_guard lock(mutex);
        QCOMPARE(deliveries.size(), size_t(1));
        QVERIFY(deliveries[0].status.ok());
    }

    void settingsAreChecked()
    {
        QTemporaryDir dir;
        net::NodeSettings longAe = loopbackNode(dir.filePath("out").toStdString());
        longAe.aeTitle = "THIS-AE-TITLE-IS-TOO-LONG";
        auto refused = net::DicomNode::start(longAe, {}, {});
        QVERIFY(!refused.ok() && refused.error().kind == ErrorKind::Usage);
        net::NodeSettings noAssociations = loopbackNode(dir.filePath("out").toStdString());
        noAssociations.maxAssociations = 0;
        refused = net::DicomNode::start(noAssociations, {}, {});
        QVERIFY(!refused.ok() && refused.error().kind == ErrorKind::Usage);
        QVERIFY(!fs::exists(dir.filePath("out").toStdString()));
        // The actions by name; a key is required by every action but store.
        QVERIFY(!workflow::parseNodeActionKind("shred").ok());
        QVERIFY(workflow::parseNodeActionKind("seal").ok());
        workflow::NodeActionSettings protect;
        protect.kind = workflow::NodeActionKind::Protect;
        const auto withoutKey = workflow::NodeAction::create(protect);
        QVERIFY(!withoutKey.ok() && withoutKey.error().kind == ErrorKind::Usage);
        QVERIFY(workflow::NodeAction::create({}).ok()); // store
    }

    void forwardDestinationSyntax()
    {
        auto parsed = net::parseForwardDestination("pacs.example.org:4242:ORTHANC");
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->host, std::string("pacs.example.org"));
        QCOMPARE(parsed->port, uint16_t(4242));
        QCOMPARE(parsed->calledAe, std::string("ORTHANC"));
        for (const char* bad : {"pacs:4242", "pacs:0:AE", "pacs:70000:AE", ":4242:AE", "pacs:42x:AE",
                                "pacs:4242:SEVENTEEN-CHARS-AE", "pacs:4242:A\\B"})
            QVERIFY2(!net::parseForwardDestination(bad).ok(), bad);
    }
};

QTEST_GUILESS_MAIN(TestDicomNode)
#include "test_dicom_node.moc"
