// SPDX-License-Identifier: GPL-3.0-or-later
#include "net/DicomNode.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmnet/assoc.h>
#include <dcmtk/dcmnet/dimse.h>
#include <dcmtk/dcmnet/dulstruc.h>
#include <dcmtk/dcmnet/scpthrd.h>
#include <dcmtk/oflog/oflog.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <list>
#include <mutex>
#include <semaphore>
#include <thread>

namespace fs = std::filesystem;

namespace medveil::net {

namespace {

using Clock = std::chrono::steady_clock;

/// The transfer syntaxes the node accepts: those MedVeil reads (uncompressed in every byte order, deflate,
/// RLE, the lossless JPEG and JPEG-LS processes), preferred in this order when a sender offers several.
const char* const kTransferSyntaxes[] = {
    UID_LittleEndianExplicitTransferSyntax, UID_LittleEndianImplicitTransferSyntax,
    UID_BigEndianExplicitTransferSyntax,    UID_DeflatedExplicitVRLittleEndianTransferSyntax,
    UID_RLELosslessTransferSyntax,          UID_JPEGProcess14SV1TransferSyntax,
    UID_JPEGProcess14TransferSyntax,        UID_JPEGLSLosslessTransferSyntax,
};

std::string trimmed(const std::string& text)
{
    const auto first = text.find_first_not_of(' ');
    if (first == std::string::npos)
        return {};
    return text.substr(first, text.find_last_not_of(' ') - first + 1);
}

/// The C-STORE failure status for an action's error: Cannot Understand (C000) for what was wrong with the
/// instance (unreadable, unsupported, modified, wrong key, too small), Out of Resources (A700) otherwise.
uint16_t failureStatus(const Error& error)
{
    switch (error.kind) {
    case ErrorKind::BadInput:
    case ErrorKind::Auth:
    case ErrorKind::Capacity:
    case ErrorKind::Usage:
        return STATUS_STORE_Error_CannotUnderstand;
    default:
        return STATUS_STORE_Refused_OutOfResources;
    }
}

/// A listening TCP socket on `address`:`port`. BadInput naming the address when it cannot be had.
Result<int> listeningSocket(const std::string& address, uint16_t port, uint16_t& boundPort)
{
    sockaddr_in where{};
    where.sin_family = AF_INET;
    where.sin_port = htons(port);
    if (::inet_pton(AF_INET, address.c_str(), &where.sin_addr) != 1)
        return makeError(ErrorKind::Usage, "--bind needs an IPv4 address, got '" + address + "'");
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return makeError(ErrorKind::Internal, std::string("socket: ") + std::strerror(errno));
    const int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&where), sizeof where) != 0 || ::listen(fd, 64) != 0) {
        const std::string reason = std::strerror(errno);
        ::close(fd);
        return makeError(ErrorKind::BadInput,
                         "cannot listen on " + address + ":" + std::to_string(port) + ": " + reason);
    }
    socklen_t length = sizeof where;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&where), &length);
    boundPort = ntohs(where.sin_port);
    return fd;
}

} // namespace

struct DicomNode::Impl
{
    NodeSettings settings;
    InstanceProcessor processor;
    NodeEventListener listener;
    std::unique_ptr<ForwardQueue> queue;
    fs::path spool;
    uint16_t boundPort = 0;
    T_ASC_Network* network = nullptr;
    DcmSCPConfig config;
    std::unique_ptr<DcmSharedSCPConfig> shared;

    std::atomic<bool> stopping{false};
    std::atomic<uint64_t> received{0};
    std::counting_semaphore<1024> slots{1};
    std::mutex mutex;       ///< associations
    std::mutex reportMutex; ///< listener calls
    struct AssociationThread
    {
        std::thread thread;
        std::shared_ptr<std::atomic<bool>> done;
    };
    std::list<AssociationThread> associations;
    std::atomic<int> activeAssociations{0};
    std::thread acceptor;
    bool waited = false;

    explicit Impl(int workers) : slots(workers) {}

    void report(const NodeEvent& event)
    {
        const std::lock_guard lock(reportMutex);
        if (listener)
            listener(event);
    }
    void acceptLoop();
    NodeEvent store(const fs::path& received, const std::string& sopInstanceUid,
                    const std::string& callingAe);
    fs::path spoolFile() { return spool / ("received-" + std::to_string(++received) + ".dcm"); }
};

namespace {

/// One association: C-ECHO (DcmSCP's) and C-STORE (the node's action); ends after the instance in hand once
/// the node is stopping, or after the idle timeout.
class NodeAssociation : public DcmThreadSCP
{
public:
    NodeAssociation(DicomNode::Impl& node, T_ASC_Association* association)
        : m_node(node), m_association(association)
    {}

    OFCondition runAssociation() { return run(m_association); }

protected:
    OFBool checkCalledAETitleAccepted(const OFString& calledAe) override
    {
        return trimmed(calledAe.c_str()) == m_node.settings.aeTitle;
    }

    void handleAssociation() override
    {
        // DcmSCP's loop, with a receive that wakes every second to see whether the node is stopping.
        OFCondition cond = EC_Normal;
        auto lastCommand = Clock::now();
        while (cond.good()) {
            if (m_node.stopping.load()) {
                cond = makeOFCondition(OFM_dcmnet, 999, OF_error, "the node is stopping");
                break;
            }
            T_DIMSE_Message message;
            T_ASC_PresentationContextID presentation = 0;
            cond =
                DIMSE_receiveCommand(m_association, DIMSE_NONBLOCKING, 1, &presentation, &message, nullptr);
            if (cond == DIMSE_NODATAAVAILABLE &&
                Clock::now() - lastCommand < std::chrono::seconds(m_node.settings.idleTimeoutS)) {
                cond = EC_Normal;
                continue;
            }
            if (cond.good()) {
                lastCommand = Clock::now();
                DcmPresentationContextInfo info;
                getPresentationContextInfo(m_association, presentation, info);
                cond = handleIncomingCommand(&message, info);
            }
        }
        if (cond == DUL_PEERREQUESTEDRELEASE) {
            notifyReleaseRequest();
            ASC_acknowledgeRelease(m_association);
        } else if (cond == DUL_PEERABORTEDASSOCIATION) {
            notifyAbortRequest();
        } else {
            ASC_abortAssociation(m_association);
        }
    }

    OFCondition handleIncomingCommand(T_DIMSE_Message* message,
                                      const DcmPresentationContextInfo& info) override
    {
        if (message->CommandField != DIMSE_C_STORE_RQ)
            return DcmThreadSCP::handleIncomingCommand(message, info);
        T_DIMSE_C_StoreRQ& request = message->msg.CStoreRQ;
        const auto start = Clock::now();
        const fs::path received = m_node.spoolFile();
        OFCondition cond = receiveSTORERequest(request, info.presentationContextID, received.c_str());
        if (cond.bad())
            return cond; // the sender broke off: nothing was received, nothing is answered
        NodeEvent event = m_node.store(received, request.AffectedSOPInstanceUID,
                                       m_association->params->DULparams.callingAPTitle);
        DcmDataset detail;
        DcmDataset* statusDetail = nullptr;
        if (!event.result) {
            // Error Comment (0000,0902) is LO: at most 64 characters.
            detail.putAndInsertString(DCM_ErrorComment, event.result.error().message.substr(0, 64).c_str());
            statusDetail = &detail;
        }
        // Logged before the sender hears the answer: a sender that saw success finds its line in the log.
        event.ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
        m_node.report(event);
        return sendSTOREResponse(info.presentationContextID, request.MessageID, request.AffectedSOPClassUID,
                                 request.AffectedSOPInstanceUID, event.dimseStatus, statusDetail);
    }

private:
    DicomNode::Impl& m_node;
    T_ASC_Association* m_association;
};

} // namespace

NodeEvent DicomNode::Impl::store(const fs::path& received, const std::string& sopInstanceUid,
                                 const std::string& callingAe)
{
    NodeEvent event;
    event.kind = NodeEvent::Kind::Instance;
    event.sopInstanceUid = sopInstanceUid;
    event.callingAe = trimmed(callingAe);
    Result<fs::path> output = makeError(ErrorKind::Internal, "not run");
    {
        slots.acquire();
        output = processor(received, settings.outDir);
        slots.release();
    }
    std::error_code ec;
    fs::remove(received, ec);
    event.time = std::chrono::system_clock::now();
    if (!output) {
        event.result = output.error();
        event.dimseStatus = failureStatus(output.error());
        return event;
    }
    event.output = *output;
    if (!queue)
        return event;
    // The result is in the queue (on disk, synced) before the sender hears success: from then on nothing is
    // lost, whatever happens to the destination or this process.
    auto entry = queue->add(*output, output->stem().string());
    if (!entry) {
        event.result = entry.error();
        event.forward = NodeEvent::Forward::Failed;
        event.forwardDetail = entry.error().message;
        event.dimseStatus = STATUS_STORE_Refused_OutOfResources;
        return event;
    }
    const ForwardQueue::Attempt attempt = queue->deliverNow(*entry);
    event.forward = attempt.outcome == ForwardQueue::Outcome::Sent ? NodeEvent::Forward::Sent
                                                                   : NodeEvent::Forward::Queued;
    event.forwardDetail = attempt.detail;
    return event;
}

void DicomNode::Impl::acceptLoop()
{
    while (!stopping.load()) {
        T_ASC_Association* association = nullptr;
        // Wakes every second to see whether the node is stopping.
        OFCondition cond = ASC_receiveAssociation(network, &association, ASC_DEFAULTMAXPDU, nullptr, nullptr,
                                                  OFFalse, DUL_NOBLOCK, 1);
        if (cond == DUL_NOASSOCIATIONREQUEST) {
            ASC_destroyAssociation(&association);
            continue;
        }
        if (cond.bad()) {
            ASC_dropAssociation(association);
            ASC_destroyAssociation(&association);
            continue;
        }
        const std::lock_guard lock(mutex);
        // Join the threads of associations that ended.
        for (auto it = associations.begin(); it != associations.end();) {
            if (it->done->load()) {
                it->thread.join();
                it = associations.erase(it);
            } else {
                ++it;
            }
        }
        if (activeAssociations.load() >= settings.maxAssociations) {
            T_ASC_RejectParameters reject = {ASC_RESULT_REJECTEDTRANSIENT,
                                             ASC_SOURCE_SERVICEPROVIDER_PRESENTATION_RELATED,
                                             ASC_REASON_SP_PRES_LOCALLIMITEXCEEDED};
            ASC_rejectAssociation(association, &reject);
            ASC_dropAssociation(association);
            ASC_destroyAssociation(&association);
            continue;
        }
        ++activeAssociations;
        auto done = std::make_shared<std::atomic<bool>>(false);
        associations.push_back({std::thread([this, association, done] {
                                    {
                                        NodeAssociation scp(*this, association);
                                        scp.setSharedConfig(*shared);
                                        // Accepts or rejects, serves, releases and frees the association.
                                        scp.runAssociation();
                                    }
                                    --activeAssociations;
                                    done->store(true);
                                }),
                                done});
    }
}

DicomNode::DicomNode(std::unique_ptr<Impl, ImplDeleter> impl) : m_impl(std::move(impl)) {}

void DicomNode::ImplDeleter::operator()(Impl* impl) const
{
    delete impl;
}

Result<std::unique_ptr<DicomNode>> DicomNode::start(NodeSettings settings, InstanceProcessor processor,
                                                    NodeEventListener listener)
{
    if (trimmed(settings.aeTitle).empty() || settings.aeTitle.size() > 16 ||
        settings.aeTitle.find('\\') != std::string::npos)
        return makeError(ErrorKind::Usage, "--aet must be 1-16 characters without a backslash");
    if (settings.maxAssociations < 1 || settings.workers < 0)
        return makeError(ErrorKind::Usage, "--max-associations must be at least 1");
    const int workers = settings.workers > 0
                            ? settings.workers
                            : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    auto impl = std::make_unique<Impl>(std::min(workers, 1024));
    impl->settings = std::move(settings);
    impl->processor = std::move(processor);
    impl->listener = std::move(listener);
    NodeSettings& s = impl->settings;

    // The port first: a node that cannot listen leaves no folder behind.
    MEDVEIL_ASSIGN_OR_RETURN(const int fd, listeningSocket(s.bindAddress, s.port, impl->boundPort));
    const std::unique_ptr<const int, void (*)(const int*)> closeSocket(
        &fd, [](const int* socket) { ::close(*socket); });
    // Received instances and results hold patient data: the folders the node makes are owner-only (a folder
    // that exists keeps the modes its owner gave it; every result in it is 0600).
    std::error_code ec;
    if (fs::create_directories(s.outDir, ec))
        ::chmod(s.outDir.c_str(), 0700);
    if (ec || !fs::is_directory(s.outDir, ec))
        return makeError(ErrorKind::BadInput, "cannot use the output folder '" + s.outDir.string() + "'");
    // Instances received but not answered when a previous run was killed: their senders were never told
    // they arrived (and resend them), so they are dropped.
    impl->spool = s.outDir / ".medveil-incoming";
    fs::remove_all(impl->spool, ec);
    fs::create_directories(impl->spool, ec);
    if (ec)
        return makeError(ErrorKind::BadInput, "cannot create '" + impl->spool.string() + "'");
    ::chmod(impl->spool.c_str(), 0700);

    OFLog::configure(OFLogger::FATAL_LOG_LEVEL); // the node reports through its events, not DCMTK's log

    if (s.forward) {
        s.forward->callingAe = s.aeTitle;
        const fs::path folder = s.queueDir.empty() ? s.outDir / ".medveil-forward-queue" : s.queueDir;
        Impl* raw = impl.get();
        MEDVEIL_ASSIGN_OR_RETURN(
            impl->queue,
            ForwardQueue::open(folder, *s.forward, s.retry, [raw](const ForwardQueue::Delivery& d) {
                NodeEvent event;
                event.kind = NodeEvent::Kind::Delivery;
                event.time = std::chrono::system_clock::now();
                event.result = d.status;
                event.output = d.entry;
                event.forward = d.status ? NodeEvent::Forward::Sent : NodeEvent::Forward::Queued;
                event.forwardDetail = d.status ? std::string() : d.status.error().message;
                event.attempts = d.attempts;
                raw->report(event);
            }));
    }

    // DCMTK's acceptor binds every interface: it is given our socket, bound to the address asked for, in
    // place of its own (dup2 onto its descriptor; the port it bound first is a throw-away ephemeral one).
    OFCondition cond = ASC_initializeNetwork(NET_ACCEPTOR, 0, 30, &impl->network);
    if (cond.bad())
        return makeError(ErrorKind::Internal, std::string("DICOM network: ") + cond.text());
    auto* key = static_cast<PRIVATE_NETWORKKEY*>(impl->network->network);
    if (::dup2(fd, key->networkSpecific.TCP.listenSocket) < 0) {
        ASC_dropNetwork(&impl->network);
        return makeError(ErrorKind::Internal, std::string("dup2: ") + std::strerror(errno));
    }

    DcmSCPConfig& config = impl->config;
    config.setAETitle(s.aeTitle.c_str());
    config.setACSETimeout(30);
    config.setDIMSEBlockingMode(DIMSE_NONBLOCKING);
    config.setDIMSETimeout(static_cast<Uint32>(std::max(s.idleTimeoutS, 10)));
    config.setHostLookupEnabled(OFFalse);
    OFList<OFString> syntaxes;
    for (const char* uid : kTransferSyntaxes)
        syntaxes.push_back(uid);
    OFList<OFString> uncompressed;
    uncompressed.push_back(UID_LittleEndianExplicitTransferSyntax);
    uncompressed.push_back(UID_LittleEndianImplicitTransferSyntax);
    config.addPresentationContext(UID_VerificationSOPClass, uncompressed);
    for (int i = 0; i < numberOfDcmAllStorageSOPClassUIDs; ++i)
        config.addPresentationContext(dcmAllStorageSOPClassUIDs[i], syntaxes);
    impl->shared = std::make_unique<DcmSharedSCPConfig>(config);

    if (impl->queue)
        impl->queue->start(); // drains what an earlier run left
    Impl* raw = impl.get();
    impl->acceptor = std::thread([raw] { raw->acceptLoop(); });
    return std::unique_ptr<DicomNode>(new DicomNode(std::unique_ptr<Impl, ImplDeleter>(impl.release())));
}

DicomNode::~DicomNode()
{
    requestStop();
    wait();
}

uint16_t DicomNode::port() const
{
    return m_impl->boundPort;
}

void DicomNode::requestStop()
{
    m_impl->stopping.store(true);
}

void DicomNode::wait()
{
    Impl& impl = *m_impl;
    if (impl.waited)
        return;
    if (impl.acceptor.joinable())
        impl.acceptor.join();
    // No new association after the acceptor ended: the list is final.
    for (auto& association : impl.associations)
        association.thread.join();
    impl.associations.clear();
    if (impl.queue)
        impl.queue->stop();
    if (impl.network)
        ASC_dropNetwork(&impl.network);
    std::error_code ec;
    fs::remove_all(impl.spool, ec);
    impl.waited = true;
}

size_t DicomNode::queued() const
{
    return m_impl->queue ? m_impl->queue->pending() : 0;
}

} // namespace medveil::net
