// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A small PACS client (DICOM upper layer, DCMTK's dcmnet): verification (C-ECHO), study query (C-FIND,
// Study Root), retrieve (C-GET, or C-MOVE to a listener opened here) and send (C-STORE). One association
// per call; every network wait is bounded by the Association's timeouts, so no call hangs on a silent peer.
//
// Errors: ErrorKind::Usage for settings that cannot be right (an AE title over 16 characters, port 0),
// ErrorKind::BadInput for everything the network or the peer did (connection refused, timeout, association
// rejected — with the peer's result, source and reason —, no accepted presentation context, a failed
// C-FIND/C-GET/C-MOVE), ErrorKind::Cancelled when the JobControl's token fired. The CLI maps BadInput to
// exit 2. Progress and cancel go through JobControl like every engine job: cancel is checked between
// instances and between responses (a network wait in progress ends by its timeout at the latest).
// Calls are independent: several may run at once on different threads (the TCP connect timeout is DCMTK's
// process-wide setting, so concurrent calls should agree on it).

#include "core/Progress.h"
#include "core/Result.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace medveil::net {

/// Where and how to associate with a peer (a PACS, a modality, a DICOM node).
struct Association
{
    std::string host = "127.0.0.1";
    uint16_t port = 104;
    std::string callingAe = "MEDVEIL"; ///< our AE title (1–16 characters, no backslash or control character)
    std::string calledAe = "ANY-SCP";  ///< the peer's AE title
    int connectTimeoutS = 10;          ///< TCP connect
    int acseTimeoutS = 10;             ///< association request → accept/reject, release
    int dimseTimeoutS = 30;            ///< each DIMSE message (a response, a received instance)
    /// Transfer syntax UIDs proposed for every presentation context (queries, retrieves' storage
    /// sub-operations, send's fallback). Empty: Explicit VR Little Endian, then Implicit VR Little Endian.
    std::vector<std::string> transferSyntaxes{};
};

/// Usage error when a setting cannot be right (AE titles, port, timeouts, unknown transfer syntax UID).
Status checkAssociation(const Association& association);

/// The DICOM transfer syntax UID for a short name (`explicit`, `implicit`, `big-endian`, `deflate`, `rle`,
/// `jpeg-ls`, `jpeg-lossless`) or a UID DCMTK knows (returned as is); Usage otherwise.
Result<std::string> transferSyntaxUid(const std::string& nameOrUid);

/// C-ECHO: the association and the verification round trip.
struct EchoResult
{
    double milliseconds = 0; ///< association, C-ECHO and release
};
Result<EchoResult> echo(const Association& association, const JobControl& control = {});

/// C-FIND at STUDY level (Study Root). Empty fields match everything. Dates are YYYYMMDD; a range
/// `from`–`to` may be open at either end.
struct StudyQuery
{
    std::string patientId{};
    std::string patientName{}; ///< DICOM matching: `*` and `?` wildcards (e.g. "DOE^*")
    std::string studyDateFrom{};
    std::string studyDateTo{};
    std::string accessionNumber{};
    std::string studyInstanceUid{};
};

/// One matching study, as the peer described it (strings as received; counts absent when not given).
struct StudyRecord
{
    std::string studyInstanceUid;
    std::string patientId;
    std::string patientName;
    std::string patientBirthDate;
    std::string studyDate;
    std::string studyTime;
    std::string accessionNumber;
    std::string studyDescription;
    std::string modalitiesInStudy; ///< backslash-separated, e.g. "CT\SR"
    std::optional<int> numberOfSeries;
    std::optional<int> numberOfInstances;
};

Result<std::vector<StudyRecord>> findStudies(const Association& association, const StudyQuery& query,
                                             const JobControl& control = {});

/// One series of a study, as the peer described it (C-FIND at SERIES level).
struct SeriesRecord
{
    std::string seriesInstanceUid;
    std::string modality;
    std::string seriesNumber; ///< as received (an IS string)
    std::string seriesDescription;
    std::string seriesDate;
    std::optional<int> numberOfInstances;
};

/// C-FIND at SERIES level (Study Root): every series of the study `studyInstanceUid`, in the order the peer
/// answered. Usage when the UID is not digits and dots.
Result<std::vector<SeriesRecord>> findSeries(const Association& association,
                                             const std::string& studyInstanceUid,
                                             const JobControl& control = {});

/// What to retrieve and where to.
struct RetrieveRequest
{
    std::string studyInstanceUid;
    std::string seriesInstanceUid{}; ///< empty: the whole study; else this series of the study
    std::filesystem::path outputFolder;
    /// Set: C-MOVE instead of C-GET, to a listener opened here on this port for the duration of the call
    /// (our AE title is the move destination the peer must know, `moveDestinationAe` if not empty).
    std::optional<uint16_t> movePort{};
    std::string moveDestinationAe{};
};

/// One instance received and written.
struct RetrievedInstance
{
    std::string sopInstanceUid;
    std::string sopClassUid;
    std::string transferSyntaxUid; ///< as received (the file is written in it, unchanged)
    std::filesystem::path path;    ///< outputFolder / "<SOPInstanceUID>.dcm"
};

struct RetrieveResult
{
    std::vector<RetrievedInstance> instances;
    int failedSubOperations = 0;  ///< as reported by the peer's final response
    int warningSubOperations = 0; ///< as reported by the peer's final response
};

/// C-GET (or C-MOVE) of a study or series into `outputFolder` (created when missing). Each instance is
/// written atomically (io/AtomicFile) as a Part 10 file in the transfer syntax it arrived in, named by its
/// SOP Instance UID (a same-named file is replaced by the complete new one); an instance whose UID is not a
/// valid UID is refused (C-STORE failure status) and written nowhere. BadInput when the peer reports failed
/// sub-operations or nothing matched; the instances already written stay (each is complete).
Result<RetrieveResult> retrieve(const Association& association, const RetrieveRequest& request,
                                const JobControl& control = {});

/// The outcome of one instance of send().
struct SentInstance
{
    std::filesystem::path path;
    std::string sopInstanceUid;    ///< empty when the file could not be read as DICOM
    std::string transferSyntaxUid; ///< the one it was sent in (empty when not sent)
    uint16_t status = 0;           ///< the peer's C-STORE response status (0 = success; 0xB000… warnings)
    bool ok = false;               ///< stored (success or warning status)
    std::string message;           ///< why not, when !ok; the status's meaning otherwise
};

struct SendResult
{
    std::vector<SentInstance> instances; ///< in the order sent (paths sorted within each folder)
    size_t succeeded = 0;
    bool cancelled = false; ///< the token fired: the rest was not sent
};

/// The DICOM files of `paths`: files as given, folders recursively (name order), skipping files that are not
/// DICOM Part 10 (no "DICM" at offset 128). BadInput for a path that does not exist.
Result<std::vector<std::filesystem::path>> collectDicomFiles(const std::vector<std::filesystem::path>& paths);

/// C-STORE of every file, one association. For each SOP class and transfer syntax met, a presentation
/// context is proposed with the file's own transfer syntax, plus one with the Association's transfer
/// syntaxes (Explicit/Implicit VR Little Endian by default); a file goes out in its own transfer syntax when
/// the peer accepted it, else uncompressed in an accepted one. A file the peer refuses (status) or that
/// cannot be read counts as failed and the rest is sent; the call fails (BadInput) only when the association
/// fails or breaks. Cancel stops before the next file.
Result<SendResult> send(const Association& association, const std::vector<std::filesystem::path>& files,
                        const JobControl& control = {});

} // namespace medveil::net
