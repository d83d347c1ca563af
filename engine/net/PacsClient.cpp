// SPDX-License-Identifier: GPL-3.0-or-later
#include "net/PacsClient.h"

#include "io/AtomicFile.h"
#include "io/DicomDataset.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcostrmb.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmnet/assoc.h>
#include <dcmtk/dcmnet/diutil.h>
#include <dcmtk/dcmnet/scp.h>
#include <dcmtk/dcmnet/scu.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

namespace medveil::net {

namespace {

using Clock = std::chrono::steady_clock;

/// DCMTK allows 128 presentation contexts per association (odd IDs 1–255).
constexpr size_t kMaxPresentationContexts = 128;

std::string peerName(const Association& a)
{
    return "'" + a.calledAe + "' at " + a.host + ":" + std::to_string(a.port);
}

bool validAeTitle(const std::string& ae)
{
    // PS3.5 AE VR: 1–16 characters of the default repertoire, no backslash or control character, not all
    // spaces.
    if (ae.empty() || ae.size() > 16 || ae.find_first_not_of(' ') == std::string::npos)
        return false;
    return std::all_of(ae.begin(), ae.end(), [](char c) { return c >= 0x20 && c < 0x7F && c != '\\'; });
}

std::vector<std::string> proposedSyntaxes(const Association& a)
{
    if (!a.transferSyntaxes.empty())
        return a.transferSyntaxes;
    return {UID_LittleEndianExplicitTransferSyntax, UID_LittleEndianImplicitTransferSyntax};
}

OFList<OFString> toOfList(const std::vector<std::string>& items)
{
    OFList<OFString> list;
    for (const auto& item : items)
        list.push_back(OFString(item.c_str()));
    return list;
}

/// A SOP Instance UID used as a file name: a valid UID (digits and dots, 1–64 characters, no empty
/// component), so a peer cannot name a path.
bool validUid(const std::string& uid)
{
    if (uid.empty() || uid.size() > 64 || uid.front() == '.' || uid.back() == '.' ||
        uid.find("..") != std::string::npos)
        return false;
    return std::all_of(uid.begin(), uid.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
}

std::optional<int> getCount(DcmItem& item, const DcmTagKey& key)
{
    const std::string text = stringValue(item, key);
    if (text.empty())
        return std::nullopt;
    try {
        size_t used = 0;
        const int value = std::stoi(text, &used);
        if (used == text.size() && value >= 0)
            return value;
    } catch (const std::exception&) {
    }
    return std::nullopt;
}

/// The reject parameters of an association request, read with a second, minimal request (DcmSCU keeps
/// them private and only logs them): the peer answers it for the same reason, which is what a user needs.
std::string rejectReason(const Association& a)
{
    T_ASC_Network* network = nullptr;
    if (ASC_initializeNetwork(NET_REQUESTOR, 0, a.acseTimeoutS, &network).bad())
        return {};
    std::string reason;
    T_ASC_Parameters* params = nullptr;
    if (ASC_createAssociationParameters(&params, ASC_DEFAULTMAXPDU).good()) {
        ASC_setAPTitles(params, a.callingAe.c_str(), a.calledAe.c_str(), nullptr);
        const std::string address = a.host + ":" + std::to_string(a.port);
        ASC_setPresentationAddresses(params, "localhost", address.c_str());
        const char* syntaxes[] = {UID_LittleEndianImplicitTransferSyntax};
        ASC_addPresentationContext(params, 1, UID_VerificationSOPClass, syntaxes, 1);
        T_ASC_Association* assoc = nullptr;
        const OFCondition cond = ASC_requestAssociation(network, params, &assoc);
        if (cond == DUL_ASSOCIATIONREJECTED) {
            T_ASC_RejectParameters reject;
            ASC_getRejectParameters(params, &reject);
            OFString text;
            ASC_printRejectParameters(text, &reject);
            // "Result: …\nSource: …\nReason: …" on one line
            for (const char c : std::string(text.c_str()))
                reason += c == '\n' ? std::string(", ") : std::string(1, c);
            while (!reason.empty() && (reason.back() == ' ' || reason.back() == ','))
                reason.pop_back();
        } else if (cond.good()) {
            ASC_abortAssociation(assoc);
        }
        if (assoc)
            ASC_destroyAssociation(&assoc); // frees params too
        else
            ASC_destroyAssociationParameters(&params);
    }
    ASC_dropNetwork(&network);
    return reason;
}

/// A network failure in words, with the timeout that ended it.
Error networkError(const Association& a, const OFCondition& cond, const std::string& during)
{
    std::string what = cond.text();
    if (cond == DUL_READTIMEOUT || cond == DIMSE_NODATAAVAILABLE)
        what = "no answer within the timeout (" +
               std::to_string(during == "association request" ? a.acseTimeoutS : a.dimseTimeoutS) + " s)";
    return makeError(ErrorKind::BadInput, during + " to " + peerName(a) + " failed: " + what);
}

/// BadInput when the peer accepted the association but not the service asked for.
Status requireContext(const Association& a, T_ASC_PresentationContextID presID, const std::string& service)
{
    if (presID != 0)
        return {};
    return makeError(ErrorKind::BadInput, peerName(a) + " does not offer " + service +
                                              " (its presentation context was not accepted)");
}

/// DcmSCU with MedVeil's handlers: C-FIND responses are collected, C-GET's C-STORE sub-operations are
/// written atomically into a folder, and cancel is checked between responses.
class Scu : public DcmSCU
{
public:
    Scu(const Association& association, const JobControl& control)
        : m_association(association), m_control(control)
    {
        setAETitle(association.callingAe.c_str());
        setPeerAETitle(association.calledAe.c_str());
        setPeerHostName(association.host.c_str());
        setPeerPort(association.port);
        // Every wait bounded: connect, association negotiation and each DIMSE message.
        setConnectionTimeout(association.connectTimeoutS);
        setACSETimeout(Uint32(association.acseTimeoutS));
        setDIMSETimeout(Uint32(association.dimseTimeoutS));
        setDIMSEBlockingMode(DIMSE_NONBLOCKING);
        setMaxReceivePDULength(ASC_DEFAULTMAXPDU);
        setProgressNotificationMode(OFFalse);
    }
    ~Scu() override
    {
        if (isConnected())
            closeAssociation(DCMSCU_ABORT_ASSOCIATION);
    }
    Scu(const Scu&) = delete;
    Scu& operator=(const Scu&) = delete;

    /// initNetwork + negotiateAssociation, failures in words.
    Status open()
    {
        if (OFCondition cond = initNetwork(); cond.bad())
            return makeError(ErrorKind::Internal,
                             std::string("cannot initialise the DICOM network: ") + cond.text());
        const OFCondition cond = negotiateAssociation();
        if (cond.good())
            return {};
        if (cond == DUL_ASSOCIATIONREJECTED) {
            const std::string reason = rejectReason(m_association);
            return makeError(ErrorKind::BadInput, "association rejected by " + peerName(m_association) +
                                                      (reason.empty() ? std::string() : ": " + reason));
        }
        if (cond == NET_EC_NoAcceptablePresentationContexts)
            return makeError(ErrorKind::BadInput, peerName(m_association) +
                                                      " accepted none of the proposed presentation contexts");
        return networkError(m_association, cond, "association request");
    }

    /// Release (A-RELEASE) when still connected; errors ignored: the work is done.
    void release()
    {
        if (isConnected())
            closeAssociation(DCMSCU_RELEASE_ASSOCIATION);
    }
    void abort()
    {
        if (isConnected())
            closeAssociation(DCMSCU_ABORT_ASSOCIATION);
    }

    // --- C-FIND (study or series level, as the request's QueryRetrieveLevel said)
    std::vector<StudyRecord> studies;
    std::vector<SeriesRecord> series;
    bool seriesLevel = false;
    Uint16 finalStatus = 0;
    bool cancelled = false;

    OFCondition handleFINDResponse(const T_ASC_PresentationContextID presID, QRResponse* response,
                                   OFBool& waitForNextResponse) override
    {
        const OFCondition cond = DcmSCU::handleFINDResponse(presID, response, waitForNextResponse);
        if (response->m_dataset && DICOM_PENDING_STATUS(response->m_status)) {
            if (seriesLevel)
                series.push_back(seriesRecord(*response->m_dataset));
            else
                studies.push_back(studyRecord(*response->m_dataset));
        } else
            finalStatus = response->m_status;
        m_control.report(0.5, "query");
        stopWhenCancelled(waitForNextResponse);
        return cond;
    }

    // --- C-GET (the C-STORE sub-operations arrive on this association)
    std::filesystem::path storeFolder;
    std::vector<RetrievedInstance> received;
    std::string storeError; ///< the first instance that could not be written
    RetrieveResponse lastRetrieveResponse;

    OFCondition handleSTORERequest(const T_ASC_PresentationContextID /*presID*/, DcmDataset* incomingObject,
                                   OFBool& continueCGETSession, Uint16& cStoreReturnStatus) override
    {
        std::unique_ptr<DcmDataset> dataset(incomingObject); // ours to delete (DcmSCU's contract)
        continueCGETSession = OFTrue;
        auto written = writeReceived(*dataset, storeFolder);
        if (written) {
            received.push_back(*written);
            cStoreReturnStatus = STATUS_Success;
        } else {
            if (storeError.empty())
                storeError = written.error().message;
            cStoreReturnStatus = STATUS_STORE_Refused_OutOfResources;
        }
        stopWhenCancelled(continueCGETSession);
        return EC_Normal;
    }

    OFCondition handleCGETResponse(const T_ASC_PresentationContextID presID, RetrieveResponse* response,
                                   OFBool& continueCGETSession) override
    {
        const OFCondition cond = DcmSCU::handleCGETResponse(presID, response, continueCGETSession);
        recordRetrieveResponse(*response);
        stopWhenCancelled(continueCGETSession);
        return cond;
    }

    OFCondition handleMOVEResponse(const T_ASC_PresentationContextID presID, RetrieveResponse* response,
                                   OFBool& waitForNextResponse) override
    {
        const OFCondition cond = DcmSCU::handleMOVEResponse(presID, response, waitForNextResponse);
        recordRetrieveResponse(*response);
        stopWhenCancelled(waitForNextResponse);
        return cond;
    }

    /// The transfer syntax the peer accepted for a presentation context.
    std::string acceptedSyntax(T_ASC_PresentationContextID presID)
    {
        OFString abstractSyntax, transferSyntax;
        findPresentationContext(presID, abstractSyntax, transferSyntax);
        return transferSyntax.c_str();
    }

    static Result<RetrievedInstance> writeReceived(DcmDataset& dataset, const std::filesystem::path& folder);

private:
    /// Cancel is checked between responses: `keepGoing` (DcmSCU's "wait for / continue with the next
    /// response") is cleared once the token fired.
    void stopWhenCancelled(OFBool& keepGoing)
    {
        if (m_control.cancelled()) {
            cancelled = true;
            keepGoing = OFFalse;
        }
    }

    void recordRetrieveResponse(const RetrieveResponse& r)
    {
        lastRetrieveResponse.m_status = r.m_status;
        lastRetrieveResponse.m_numberOfRemainingSubops = r.m_numberOfRemainingSubops;
        lastRetrieveResponse.m_numberOfCompletedSubops = r.m_numberOfCompletedSubops;
        lastRetrieveResponse.m_numberOfFailedSubops = r.m_numberOfFailedSubops;
        lastRetrieveResponse.m_numberOfWarningSubops = r.m_numberOfWarningSubops;
        const double done =
            r.m_numberOfCompletedSubops + r.m_numberOfFailedSubops + r.m_numberOfWarningSubops;
        const double total = done + r.m_numberOfRemainingSubops;
        if (total > 0)
            m_control.report(done / total, "retrieve");
    }

    static StudyRecord studyRecord(DcmDataset& d)
    {
        StudyRecord r;
        r.studyInstanceUid = stringValue(d, DCM_StudyInstanceUID);
        r.patientId = stringValue(d, DCM_PatientID);
        r.patientName = stringValue(d, DCM_PatientName);
        r.patientBirthDate = stringValue(d, DCM_PatientBirthDate);
        r.studyDate = stringValue(d, DCM_StudyDate);
        r.studyTime = stringValue(d, DCM_StudyTime);
        r.accessionNumber = stringValue(d, DCM_AccessionNumber);
        r.studyDescription = stringValue(d, DCM_StudyDescription);
        r.modalitiesInStudy = stringValue(d, DCM_ModalitiesInStudy);
        r.numberOfSeries = getCount(d, DCM_NumberOfStudyRelatedSeries);
        r.numberOfInstances = getCount(d, DCM_NumberOfStudyRelatedInstances);
        return r;
    }

    static SeriesRecord seriesRecord(DcmDataset& d)
    {
        SeriesRecord r;
        r.seriesInstanceUid = stringValue(d, DCM_SeriesInstanceUID);
        r.modality = stringValue(d, DCM_Modality);
        r.seriesNumber = stringValue(d, DCM_SeriesNumber);
        r.seriesDescription = stringValue(d, DCM_SeriesDescription);
        r.seriesDate = stringValue(d, DCM_SeriesDate);
        r.numberOfInstances = getCount(d, DCM_NumberOfSeriesRelatedInstances);
        return r;
    }

    const Association& m_association;
    const JobControl& m_control;
};

/// One C-FIND (Study Root) on a fresh association of `scu`; the responses land in scu.studies or
/// scu.series.
Status runQuery(Scu& scu, const Association& association, DcmDataset& keys, const JobControl& control)
{
    scu.addPresentationContext(UID_FINDStudyRootQueryRetrieveInformationModel,
                               toOfList(proposedSyntaxes(association)));
    MEDVEIL_TRY(scu.open());
    const T_ASC_PresentationContextID presID =
        scu.findAnyPresentationContextID(UID_FINDStudyRootQueryRetrieveInformationModel, "");
    MEDVEIL_TRY(requireContext(association, presID, "C-FIND (Study Root)"));
    if (OFCondition cond = scu.sendFINDRequest(presID, &keys, nullptr); cond.bad())
        return networkError(association, cond, "C-FIND");
    if (scu.cancelled) {
        scu.abort();
        return makeError(ErrorKind::Cancelled, "query cancelled");
    }
    scu.release();
    if (scu.finalStatus != STATUS_Success)
        return makeError(ErrorKind::BadInput, "C-FIND at " + peerName(association) +
                                                  " failed: " + DU_cfindStatusString(scu.finalStatus));
    control.report(1.0, "query");
    return {};
}

/// A dataset as Part 10 bytes in `xfer`: the meta information made for it, the dataset as received
/// (group lengths that were there recomputed, nothing added).
Result<Bytes> part10Bytes(DcmDataset& dataset, E_TransferSyntax xfer)
{
    DcmFileFormat file(&dataset); // a copy: the caller keeps its dataset
    if (OFCondition cond = file.validateMetaInfo(xfer); cond.bad())
        return makeError(ErrorKind::BadInput,
                         std::string("cannot make the file meta information: ") + cond.text());
    std::vector<char> chunk(1 << 20);
    DcmOutputBufferStream stream(chunk.data(), offile_off_t(chunk.size()));
    Bytes out;
    file.transferInit();
    OFCondition status = EC_StreamNotifyClient;
    while (status == EC_StreamNotifyClient) {
        status = file.write(stream, xfer, EET_ExplicitLength, nullptr, EGL_recalcGL, EPD_noChange);
        void* data = nullptr;
        offile_off_t length = 0;
        stream.flushBuffer(data, length);
        const auto* bytes = static_cast<const uint8_t*>(data);
        out.insert(out.end(), bytes, bytes + length);
    }
    file.transferEnd();
    if (status.bad())
        return makeError(ErrorKind::BadInput,
                         std::string("cannot write the received instance: ") + status.text());
    return out;
}

Result<RetrievedInstance> Scu::writeReceived(DcmDataset& dataset, const std::filesystem::path& folder)
{
    RetrievedInstance instance;
    instance.sopInstanceUid = stringValue(dataset, DCM_SOPInstanceUID);
    instance.sopClassUid = stringValue(dataset, DCM_SOPClassUID);
    if (!validUid(instance.sopInstanceUid))
        return makeError(ErrorKind::BadInput, "received an instance without a valid SOP Instance UID");
    const E_TransferSyntax xfer = dataset.getOriginalXfer();
    instance.transferSyntaxUid = DcmXfer(xfer).getXferID();
    MEDVEIL_ASSIGN_OR_RETURN(const Bytes bytes, part10Bytes(dataset, xfer));
    instance.path = folder / (instance.sopInstanceUid + ".dcm");
    MEDVEIL_TRY(writeFileAtomically(instance.path, bytes));
    return instance;
}

/// The retrieve identifier: Study Root, STUDY or SERIES level.
std::unique_ptr<DcmDataset> retrieveKeys(const RetrieveRequest& request)
{
    auto keys = std::make_unique<DcmDataset>();
    const bool series = !request.seriesInstanceUid.empty();
    keys->putAndInsertString(DCM_QueryRetrieveLevel, series ? "SERIES" : "STUDY");
    keys->putAndInsertString(DCM_StudyInstanceUID, request.studyInstanceUid.c_str());
    if (series)
        keys->putAndInsertString(DCM_SeriesInstanceUID, request.seriesInstanceUid.c_str());
    return keys;
}

/// The storage SOP classes a retrieve may bring (DCMTK's list, as getscu proposes).
std::vector<std::string> storageSopClasses(size_t room)
{
    std::vector<std::string> classes;
    for (int i = 0; i < numberOfDcmLongSCUStorageSOPClassUIDs && classes.size() < room; ++i)
        classes.emplace_back(dcmLongSCUStorageSOPClassUIDs[i]);
    return classes;
}

/// The C-MOVE destination: a storage SCP on `port` for the duration of one retrieve, writing what it
/// receives like C-GET does.
class MoveListener : public DcmSCP
{
public:
    MoveListener(const Association& a, uint16_t port, std::filesystem::path folder)
        : m_folder(std::move(folder))
    {
        DcmSCPConfig& config = getConfig();
        config.setPort(port);
        config.setAETitle(a.callingAe.c_str());
        config.setRespondWithCalledAETitle(OFTrue);
        config.setACSETimeout(Uint32(a.acseTimeoutS));
        config.setDIMSETimeout(Uint32(a.dimseTimeoutS));
        config.setDIMSEBlockingMode(DIMSE_NONBLOCKING);
        // Polled once a second so that stop() ends the listener promptly.
        config.setConnectionBlockingMode(DUL_NOBLOCK);
        config.setConnectionTimeout(1);
        config.setHostLookupEnabled(OFFalse);
        OFList<OFString> syntaxes = toOfList(proposedSyntaxes(a));
        for (const char* extra :
             {UID_LittleEndianExplicitTransferSyntax, UID_LittleEndianImplicitTransferSyntax,
              UID_BigEndianExplicitTransferSyntax, UID_DeflatedExplicitVRLittleEndianTransferSyntax,
              UID_JPEGLSLosslessTransferSyntax, UID_RLELosslessTransferSyntax,
              UID_JPEGProcess14SV1TransferSyntax, UID_JPEGProcess14TransferSyntax})
            if (std::find(syntaxes.begin(), syntaxes.end(), OFString(extra)) == syntaxes.end())
                syntaxes.push_back(extra);
        for (int i = 0; i < numberOfDcmAllStorageSOPClassUIDs; ++i)
            config.addPresentationContext(dcmAllStorageSOPClassUIDs[i], syntaxes);
        config.addPresentationContext(UID_VerificationSOPClass,
                                      toOfList({UID_LittleEndianImplicitTransferSyntax}));
    }

    Status start()
    {
        if (OFCondition cond = openListenPort(); cond.bad())
            return makeError(ErrorKind::BadInput, "cannot listen on port " +
                                                      std::to_string(getConfig().getPort()) +
                                                      " for the C-MOVE: " + cond.text());
        m_thread = std::thread([this] { acceptAssociations(); });
        return {};
    }
    void stop()
    {
        m_stop = true;
        if (m_thread.joinable())
            m_thread.join();
    }
    ~MoveListener() override { stop(); }
    MoveListener(const MoveListener&) = delete;
    MoveListener& operator=(const MoveListener&) = delete;

    std::vector<RetrievedInstance> received()
    {
        const std::lock_guard lock(m_mutex);
        return m_received;
    }
    std::string storeError()
    {
        const std::lock_guard lock(m_mutex);
        return m_storeError;
    }

protected:
    OFCondition handleIncomingCommand(T_DIMSE_Message* message,
                                      const DcmPresentationContextInfo& info) override
    {
        if (message->CommandField != DIMSE_C_STORE_RQ)
            return DcmSCP::handleIncomingCommand(message, info);
        T_DIMSE_C_StoreRQ& request = message->msg.CStoreRQ;
        DcmDataset* raw = nullptr;
        OFCondition cond = receiveSTORERequest(request, info.presentationContextID, raw);
        std::unique_ptr<DcmDataset> dataset(raw);
        if (cond.bad())
            return cond;
        Uint16 status = STATUS_Success;
        auto written = Scu::writeReceived(*dataset, m_folder);
        {
            const std::lock_guard lock(m_mutex);
            if (written)
                m_received.push_back(*written);
            else {
                status = STATUS_STORE_Refused_OutOfResources;
                if (m_storeError.empty())
                    m_storeError = written.error().message;
            }
        }
        return sendSTOREResponse(info.presentationContextID, request, status);
    }
    OFBool stopAfterConnectionTimeout() override { return m_stop ? OFTrue : OFFalse; }
    OFBool stopAfterCurrentAssociation() override { return m_stop ? OFTrue : OFFalse; }

private:
    std::filesystem::path m_folder;
    std::thread m_thread;
    std::atomic<bool> m_stop{false};
    std::mutex m_mutex;
    std::vector<RetrievedInstance> m_received;
    std::string m_storeError;
};

bool isDicomPart10(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::array<char, 132> head{};
    return in.read(head.data(), head.size()) && std::memcmp(head.data() + 128, "DICM", 4) == 0;
}

bool storedStatus(Uint16 status)
{
    // Success, and the warnings of PS3.4 B.2.3 (coercion, elements discarded, not matching the SOP class).
    return status == STATUS_Success || (status & 0xF000) == 0xB000;
}

} // namespace

Result<std::string> transferSyntaxUid(const std::string& nameOrUid)
{
    static const std::map<std::string, std::string> names = {
        {"explicit", UID_LittleEndianExplicitTransferSyntax},
        {"implicit", UID_LittleEndianImplicitTransferSyntax},
        {"big-endian", UID_BigEndianExplicitTransferSyntax},
        {"deflate", UID_DeflatedExplicitVRLittleEndianTransferSyntax},
        {"rle", UID_RLELosslessTransferSyntax},
        {"jpeg-ls", UID_JPEGLSLosslessTransferSyntax},
        {"jpeg-lossless", UID_JPEGProcess14SV1TransferSyntax},
    };
    if (const auto it = names.find(nameOrUid); it != names.end())
        return it->second;
    if (DcmXfer(nameOrUid.c_str()).getXfer() != EXS_Unknown)
        return nameOrUid;
    return makeError(ErrorKind::Usage, "unknown transfer syntax '" + nameOrUid +
                                           "' (explicit, implicit, big-endian, deflate, rle, jpeg-ls, "
                                           "jpeg-lossless, or a transfer syntax UID)");
}

Status checkAssociation(const Association& a)
{
    if (!validAeTitle(a.callingAe))
        return makeError(ErrorKind::Usage,
                         "the calling AE title must be 1 to 16 printable characters, no backslash");
    if (!validAeTitle(a.calledAe))
        return makeError(ErrorKind::Usage,
                         "the called AE title must be 1 to 16 printable characters, no backslash");
    if (a.host.empty())
        return makeError(ErrorKind::Usage, "no host given");
    if (a.port == 0)
        return makeError(ErrorKind::Usage, "the port must be 1 to 65535");
    for (const int t : {a.connectTimeoutS, a.acseTimeoutS, a.dimseTimeoutS})
        if (t < 1 || t > 3600)
            return makeError(ErrorKind::Usage, "timeouts must be 1 to 3600 seconds");
    for (const auto& ts : a.transferSyntaxes)
        MEDVEIL_TRY(transferSyntaxUid(ts));
    return {};
}

Result<EchoResult> echo(const Association& association, const JobControl& control)
{
    MEDVEIL_TRY(checkAssociation(association));
    initialiseDcmtk();
    const auto start = Clock::now();
    Scu scu(association, control);
    scu.addPresentationContext(UID_VerificationSOPClass, toOfList(proposedSyntaxes(association)));
    MEDVEIL_TRY(scu.open());
    control.report(0.5, "echo");
    if (OFCondition cond = scu.sendECHORequest(0); cond.bad())
        return networkError(association, cond, "C-ECHO");
    scu.release();
    control.report(1.0, "echo");
    return EchoResult{std::chrono::duration<double, std::milli>(Clock::now() - start).count()};
}

Result<std::vector<StudyRecord>> findStudies(const Association& association, const StudyQuery& query,
                                             const JobControl& control)
{
    MEDVEIL_TRY(checkAssociation(association));
    for (const std::string* date : {&query.studyDateFrom, &query.studyDateTo})
        if (!date->empty() && (date->size() != 8 || !std::all_of(date->begin(), date->end(), [](char c) {
                                   return c >= '0' && c <= '9';
                               })))
            return makeError(ErrorKind::Usage, "dates are YYYYMMDD, got '" + *date + "'");
    initialiseDcmtk();
    DcmDataset keys;
    keys.putAndInsertString(DCM_QueryRetrieveLevel, "STUDY");
    keys.putAndInsertString(DCM_StudyInstanceUID, query.studyInstanceUid.c_str());
    keys.putAndInsertString(DCM_PatientID, query.patientId.c_str());
    keys.putAndInsertString(DCM_PatientName, query.patientName.c_str());
    keys.putAndInsertString(DCM_PatientBirthDate, "");
    std::string dates;
    if (!query.studyDateFrom.empty() || !query.studyDateTo.empty())
        dates = query.studyDateFrom == query.studyDateTo ? query.studyDateFrom
                                                         : query.studyDateFrom + "-" + query.studyDateTo;
    keys.putAndInsertString(DCM_StudyDate, dates.c_str());
    keys.putAndInsertString(DCM_StudyTime, "");
    keys.putAndInsertString(DCM_AccessionNumber, query.accessionNumber.c_str());
    keys.putAndInsertString(DCM_StudyDescription, "");
    keys.putAndInsertString(DCM_ModalitiesInStudy, "");
    keys.putAndInsertString(DCM_NumberOfStudyRelatedSeries, "");
    keys.putAndInsertString(DCM_NumberOfStudyRelatedInstances, "");

    Scu scu(association, control);
    MEDVEIL_TRY(runQuery(scu, association, keys, control));
    return std::move(scu.studies);
}

Result<std::vector<SeriesRecord>> findSeries(const Association& association,
                                             const std::string& studyInstanceUid, const JobControl& control)
{
    MEDVEIL_TRY(checkAssociation(association));
    if (!validUid(studyInstanceUid))
        return makeError(ErrorKind::Usage, "a study instance UID is needed (digits and dots)");
    initialiseDcmtk();
    DcmDataset keys;
    keys.putAndInsertString(DCM_QueryRetrieveLevel, "SERIES");
    keys.putAndInsertString(DCM_StudyInstanceUID, studyInstanceUid.c_str());
    keys.putAndInsertString(DCM_SeriesInstanceUID, "");
    keys.putAndInsertString(DCM_Modality, "");
    keys.putAndInsertString(DCM_SeriesNumber, "");
    keys.putAndInsertString(DCM_SeriesDescription, "");
    keys.putAndInsertString(DCM_SeriesDate, "");
    keys.putAndInsertString(DCM_NumberOfSeriesRelatedInstances, "");

    Scu scu(association, control);
    scu.seriesLevel = true;
    MEDVEIL_TRY(runQuery(scu, association, keys, control));
    return std::move(scu.series);
}

Result<RetrieveResult> retrieve(const Association& association, const RetrieveRequest& request,
                                const JobControl& control)
{
    MEDVEIL_TRY(checkAssociation(association));
    if (!validUid(request.studyInstanceUid))
        return makeError(ErrorKind::Usage, "a study instance UID is needed (digits and dots)");
    if (!request.seriesInstanceUid.empty() && !validUid(request.seriesInstanceUid))
        return makeError(ErrorKind::Usage, "the series instance UID must be digits and dots");
    if (request.movePort && *request.movePort == 0)
        return makeError(ErrorKind::Usage, "the move port must be 1 to 65535");
    if (!request.moveDestinationAe.empty() && !validAeTitle(request.moveDestinationAe))
        return makeError(ErrorKind::Usage,
                         "the move destination AE title must be 1 to 16 printable characters");
    std::error_code ec;
    std::filesystem::create_directories(request.outputFolder, ec);
    if (!std::filesystem::is_directory(request.outputFolder, ec))
        return makeError(ErrorKind::BadInput,
                         request.outputFolder.string() + " is not a folder and cannot be made");
    initialiseDcmtk();
    const std::unique_ptr<DcmDataset> keys = retrieveKeys(request);
    const OFList<OFString> syntaxes = toOfList(proposedSyntaxes(association));
    Scu scu(association, control);
    scu.storeFolder = request.outputFolder;
    std::unique_ptr<MoveListener> listener;
    OFCondition cond;
    RetrieveResult result;
    if (request.movePort) {
        Association destination = association;
        if (!request.moveDestinationAe.empty())
            destination.callingAe = request.moveDestinationAe;
        listener = std::make_unique<MoveListener>(destination, *request.movePort, request.outputFolder);
        MEDVEIL_TRY(listener->start());
        scu.addPresentationContext(UID_MOVEStudyRootQueryRetrieveInformationModel, syntaxes);
        MEDVEIL_TRY(scu.open());
        const T_ASC_PresentationContextID presID =
            scu.findAnyPresentationContextID(UID_MOVEStudyRootQueryRetrieveInformationModel, "");
        MEDVEIL_TRY(requireContext(association, presID, "C-MOVE (Study Root)"));
        cond = scu.sendMOVERequest(presID, destination.callingAe.c_str(), keys.get(), nullptr);
        // The peer has answered every sub-operation before its final response: all instances are here.
        listener->stop();
        result.instances = listener->received();
        scu.storeError = listener->storeError();
    } else {
        scu.addPresentationContext(UID_GETStudyRootQueryRetrieveInformationModel, syntaxes);
        for (const auto& sopClass : storageSopClasses(kMaxPresentationContexts - 1))
            scu.addPresentationContext(sopClass.c_str(), syntaxes, ASC_SC_ROLE_SCP);
        MEDVEIL_TRY(scu.open());
        const T_ASC_PresentationContextID presID =
            scu.findAnyPresentationContextID(UID_GETStudyRootQueryRetrieveInformationModel, "");
        MEDVEIL_TRY(requireContext(association, presID, "C-GET (Study Root); try --move-port"));
        cond = scu.sendCGETRequest(presID, keys.get(), nullptr);
        result.instances = scu.received;
    }
    const char* operation = request.movePort ? "C-MOVE" : "C-GET";
    if (scu.cancelled) {
        scu.abort();
        return makeError(ErrorKind::Cancelled, std::string(operation) + " cancelled after " +
                                                   std::to_string(result.instances.size()) + " instances");
    }
    if (cond.bad())
        return networkError(association, cond, operation);
    scu.release();
    const RetrieveResponse& last = scu.lastRetrieveResponse;
    result.failedSubOperations = last.m_numberOfFailedSubops;
    result.warningSubOperations = last.m_numberOfWarningSubops;
    if (!scu.storeError.empty())
        return makeError(ErrorKind::BadInput, std::string(operation) + ": " + scu.storeError);
    if (last.m_status != STATUS_Success && !storedStatus(last.m_status))
        return makeError(ErrorKind::BadInput,
                         std::string(operation) + " at " + peerName(association) + " failed: " +
                             (request.movePort ? DU_cmoveStatusString(last.m_status)
                                               : DU_cgetStatusString(last.m_status)) +
                             " (" + std::to_string(last.m_numberOfFailedSubops) + " sub-operations failed)");
    if (result.instances.empty())
        return makeError(ErrorKind::BadInput, std::string(operation) + ": " + peerName(association) +
                                                  " sent no instance for study " + request.studyInstanceUid);
    control.report(1.0, "retrieve");
    return result;
}

Result<std::vector<std::filesystem::path>> collectDicomFiles(const std::vector<std::filesystem::path>& paths)
{
    std::vector<std::filesystem::path> files;
    for (const auto& path : paths) {
        std::error_code ec;
        if (std::filesystem::is_directory(path, ec)) {
            std::vector<std::filesystem::path> found;
            for (auto it = std::filesystem::recursive_directory_iterator(path, ec);
                 !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec))
                if (it->is_regular_file(ec) && isDicomPart10(it->path()))
                    found.push_back(it->path());
            if (ec)
                return makeError(ErrorKind::BadInput,
                                 "cannot read the folder " + path.string() + ": " + ec.message());
            std::sort(found.begin(), found.end());
            files.insert(files.end(), found.begin(), found.end());
        } else if (std::filesystem::is_regular_file(path, ec)) {
            files.push_back(path); // named explicitly: tried, and reported when it is not DICOM
        } else {
            return makeError(ErrorKind::BadInput, path.string() + ": no such file or folder");
        }
    }
    return files;
}

Result<SendResult> send(const Association& association, const std::vector<std::filesystem::path>& files,
                        const JobControl& control)
{
    MEDVEIL_TRY(checkAssociation(association));
    initialiseDcmtk();
    SendResult result;
    // What each file is (SOP class, instance, transfer syntax), read up to the pixel data.
    struct Planned
    {
        size_t index;
        std::string sopClass;
        std::string transferSyntax;
    };
    std::vector<Planned> planned;
    std::map<std::string, std::set<std::string>> syntaxesByClass;
    for (const auto& path : files) {
        SentInstance instance;
        instance.path = path;
        DcmFileFormat file;
        if (OFCondition cond = file.loadFileUntilTag(path.c_str(), EXS_Unknown, EGL_noChange,
                                                     DCM_MaxReadLength, ERM_fileOnly, DCM_PixelData);
            cond.bad()) {
            instance.message = std::string("not a DICOM file: ") + cond.text();
        } else {
            const std::string sopClass = stringValue(*file.getDataset(), DCM_SOPClassUID);
            instance.sopInstanceUid = stringValue(*file.getDataset(), DCM_SOPInstanceUID);
            const std::string ts = stringValue(*file.getMetaInfo(), DCM_TransferSyntaxUID);
            if (sopClass.empty() || instance.sopInstanceUid.empty() || ts.empty())
                instance.message = "no SOP class, SOP instance or transfer syntax UID";
            else {
                planned.push_back({result.instances.size(), sopClass, ts});
                syntaxesByClass[sopClass].insert(ts);
            }
        }
        result.instances.push_back(std::move(instance));
    }
    const std::vector<std::string> fallback = proposedSyntaxes(association);
    size_t contexts = 0;
    for (const auto& [sopClass, syntaxes] : syntaxesByClass)
        contexts += syntaxes.size() + 1;
    if (contexts > kMaxPresentationContexts)
        return makeError(ErrorKind::BadInput,
                         "too many SOP classes and transfer syntaxes for one association (" +
                             std::to_string(contexts) + " presentation contexts, at most 128)");
    if (planned.empty()) {
        // Nothing to send: every file reported, no association needed.
        return result;
    }
    Scu scu(association, control);
    // The file's own transfer syntax first (sent unchanged), then the fallback (converted when needed).
    for (const auto& [sopClass, syntaxes] : syntaxesByClass) {
        for (const auto& ts : syntaxes)
            scu.addPresentationContext(sopClass.c_str(), toOfList({ts}));
        scu.addPresentationContext(sopClass.c_str(), toOfList(fallback));
    }
    scu.setDatasetConversionMode(OFTrue);
    MEDVEIL_TRY(scu.open());
    size_t done = 0;
    for (const auto& plan : planned) {
        if (control.cancelled()) {
            result.cancelled = true;
            break;
        }
        SentInstance& instance = result.instances[plan.index];
        T_ASC_PresentationContextID presID =
            scu.findPresentationContextID(plan.sopClass.c_str(), plan.transferSyntax.c_str());
        if (presID == 0)
            presID = scu.findAnyPresentationContextID(plan.sopClass.c_str(), "");
        if (presID == 0) {
            instance.message = "the peer accepted no presentation context for its SOP class " + plan.sopClass;
            continue;
        }
        const std::string networkSyntax = scu.acceptedSyntax(presID);
        Uint16 status = 0;
        const OFCondition cond = scu.sendSTORERequest(presID, instance.path.c_str(), nullptr, status);
        control.report(double(++done) / double(planned.size()), "send");
        if (cond.bad()) {
            instance.message = std::string("not sent: ") + cond.text();
            // A file DCMTK cannot read or convert (dcmdata) or a SOP class without a context fails alone;
            // any other network condition means the association is gone or out of step: stop there.
            if (!scu.isConnected() ||
                (cond.module() == OFM_dcmnet && cond != DIMSE_NOVALIDPRESENTATIONCONTEXTID)) {
                return networkError(association, cond,
                                    "C-STORE of " + instance.path.string() + " (after " +
                                        std::to_string(result.succeeded) + " instances stored)");
            }
            continue;
        }
        instance.transferSyntaxUid = networkSyntax;
        instance.status = status;
        instance.ok = storedStatus(status);
        instance.message = DU_cstoreStatusString(status);
        if (instance.ok)
            ++result.succeeded;
    }
    if (result.cancelled)
        scu.abort();
    else
        scu.release();
    return result;
}

} // namespace medveil::net
