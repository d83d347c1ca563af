// SPDX-License-Identifier: GPL-3.0-or-later
// `dicom echo|find|get|send`: the PACS client (engine/net/PacsClient.h), arguments and printing only.
#include "cli/CliSupport.h"
#include "core/DisplayText.h"
#include "net/PacsClient.h"

#include <csignal>
#include <iostream>

namespace medveil::cli {

namespace {

/// Set by SIGINT/SIGTERM/SIGHUP during send and get: stop after the instance in hand.
const CancelToken g_networkCancel;

extern "C" void onNetworkInterrupt(int)
{
    g_networkCancel.cancel();
}

const std::set<std::string> kAssociationOptions = {"--host",         "--port",          "--calling-ae",
                                                   "--called-ae",    "--timeout",       "--connect-timeout",
                                                   "--acse-timeout", "--dimse-timeout", "--transfer-syntax"};

/// The association options, spelled out in each sub-command's --help (kAssociationHelp).
const char* const kAssociationUsage = "--host HOST --port PORT [association options]";

const char* const kAssociationHelp =
    R"txt(Association options: --host and --port of the peer; --called-ae its AE title (default ANY-SCP),
--calling-ae ours (default MEDVEIL). Every network wait is bounded: --connect-timeout (TCP
connect, default 10 s), --acse-timeout (association request and release, default 10 s),
--dimse-timeout (each DICOM message, default 30 s); --timeout S sets all three. --transfer-syntax
(repeatable: explicit, implicit, big-endian, deflate, rle, jpeg-ls, jpeg-lossless or a UID) is
what is proposed (default: explicit, then implicit VR little endian). In full:
  --host HOST --port PORT [--called-ae AE] [--calling-ae AE] [--timeout S] [--connect-timeout S]
  [--acse-timeout S] [--dimse-timeout S] [--transfer-syntax TS]... A refused connection, a
rejected association (with the peer's reason), an unknown called AE title or a timeout is exit 2.)txt";

CommandSpec withAssociation(CommandSpec spec)
{
    spec.valueOptions.insert(kAssociationOptions.begin(), kAssociationOptions.end());
    spec.repeatableOptions.insert("--transfer-syntax");
    spec.requiredOptions.insert({"--host", "--port"});
    return spec;
}

Result<int> parseWhole(const std::string& option, const std::string& text, int low, int high)
{
    try {
        size_t used = 0;
        const long value = std::stol(text, &used);
        if (used == text.size() && value >= low && value <= high)
            return int(value);
    } catch (const std::exception&) {
    }
    return makeError(ErrorKind::Usage, option + " needs a whole number from " + std::to_string(low) + " to " +
                                           std::to_string(high));
}

Result<net::Association> associationOptions(const ParsedArgs& args)
{
    net::Association a;
    a.host = *args.value("--host");
    MEDVEIL_ASSIGN_OR_RETURN(const int port, parseWhole("--port", *args.value("--port"), 1, 65535));
    a.port = uint16_t(port);
    if (auto v = args.value("--calling-ae"))
        a.callingAe = *v;
    if (auto v = args.value("--called-ae"))
        a.calledAe = *v;
    if (auto v = args.value("--timeout")) {
        MEDVEIL_ASSIGN_OR_RETURN(const int all, parseWhole("--timeout", *v, 1, 3600));
        a.connectTimeoutS = a.acseTimeoutS = a.dimseTimeoutS = all;
    }
    for (auto [option, target] :
         {std::pair{"--connect-timeout", &a.connectTimeoutS}, std::pair{"--acse-timeout", &a.acseTimeoutS},
          std::pair{"--dimse-timeout", &a.dimseTimeoutS}})
        if (auto v = args.value(option)) {
            MEDVEIL_ASSIGN_OR_RETURN(*target, parseWhole(option, *v, 1, 3600));
        }
    for (const auto& ts : args.values("--transfer-syntax")) {
        MEDVEIL_ASSIGN_OR_RETURN(const std::string uid, net::transferSyntaxUid(ts));
        a.transferSyntaxes.push_back(uid);
    }
    MEDVEIL_TRY(net::checkAssociation(a));
    return a;
}

std::string peerText(const net::Association& a)
{
    // Appended piece by piece: GCC 12's -Wrestrict misfires on a chain of operator+ with a char literal.
    std::string text = "'";
    text += displaySafe(a.calledAe);
    text += "' at ";
    text += displaySafe(a.host);
    text += ":";
    text += std::to_string(a.port);
    return text;
}

void catchInterrupts()
{
    std::signal(SIGINT, onNetworkInterrupt);
    std::signal(SIGTERM, onNetworkInterrupt);
    std::signal(SIGHUP, onNetworkInterrupt);
}

Result<int> runEcho(const ParsedArgs& args)
{
    MEDVEIL_ASSIGN_OR_RETURN(const net::Association a, associationOptions(args));
    MEDVEIL_ASSIGN_OR_RETURN(const net::EchoResult echo, net::echo(a, cliProgress()));
    if (args.flag("--json"))
        printJson({{"ok", true},
                   {"host", displaySafe(a.host)},
                   {"port", a.port},
                   {"called_ae", displaySafe(a.calledAe)},
                   {"ms", echo.milliseconds}});
    else
        std::cout << "C-ECHO to " << peerText(a) << ": ok (" << int(echo.milliseconds + 0.5) << " ms)\n";
    return 0;
}

/// --date YYYYMMDD, YYYYMMDD-YYYYMMDD, YYYYMMDD- or -YYYYMMDD.
Status parseDateRange(const std::string& text, net::StudyQuery& query)
{
    const auto dash = text.find('-');
    query.studyDateFrom = text.substr(0, dash);
    query.studyDateTo = dash == std::string::npos ? text : text.substr(dash + 1);
    if (query.studyDateFrom.empty() && query.studyDateTo.empty())
        return makeError(ErrorKind::Usage,
                         "--date needs YYYYMMDD, YYYYMMDD-YYYYMMDD, YYYYMMDD- or -YYYYMMDD");
    return {};
}

nlohmann::json countJson(const std::optional<int>& count)
{
    return count ? nlohmann::json(*count) : nlohmann::json(nullptr);
}

/// dicom find --series-of STUDY_UID: the series of one study.
Result<int> runFindSeries(const ParsedArgs& args, const net::Association& a, const std::string& studyUid,
                          Clock::time_point start)
{
    MEDVEIL_ASSIGN_OR_RETURN(const std::vector<net::SeriesRecord> series,
                             net::findSeries(a, studyUid, cliProgress()));
    if (args.flag("--json")) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& s : series)
            list.push_back({{"series_uid", displaySafe(s.seriesInstanceUid)},
                            {"modality", displaySafe(s.modality)},
                            {"number", displaySafe(s.seriesNumber)},
                            {"description", displaySafe(s.seriesDescription)},
                            {"date", displaySafe(s.seriesDate)},
                            {"instances", countJson(s.numberOfInstances)}});
        printJson({{"series", list}, {"count", series.size()}, {"ms", msSince(start)}});
        return 0;
    }
    for (const auto& s : series)
        std::cout << displaySafe(s.seriesNumber.empty() ? "-" : s.seriesNumber) << "  "
                  << displaySafe(s.modality.empty() ? "-" : s.modality) << "  "
                  << displaySafe(s.seriesDescription.empty() ? "-" : s.seriesDescription) << "  "
                  << (s.numberOfInstances ? std::to_string(*s.numberOfInstances) : "?") << " instances  "
                  << displaySafe(s.seriesInstanceUid) << "\n";
    std::cout << series.size() << " series found at " << peerText(a) << "\n";
    return 0;
}

Result<int> runFind(const ParsedArgs& args)
{
    const auto start = Clock::now();
    MEDVEIL_ASSIGN_OR_RETURN(const net::Association a, associationOptions(args));
    if (auto study = args.value("--series-of")) {
        for (const char* studyFilter :
             {"--patient-id", "--patient-name", "--date", "--accession", "--study-uid"})
            if (args.value(studyFilter))
                return makeError(ErrorKind::Usage, std::string("--series-of lists one study's series; ") +
                                                       studyFilter + " filters studies");
        return runFindSeries(args, a, *study, start);
    }
    net::StudyQuery query;
    query.patientId = args.value("--patient-id").value_or("");
    query.patientName = args.value("--patient-name").value_or("");
    query.accessionNumber = args.value("--accession").value_or("");
    query.studyInstanceUid = args.value("--study-uid").value_or("");
    if (auto date = args.value("--date"))
        MEDVEIL_TRY(parseDateRange(*date, query));
    MEDVEIL_ASSIGN_OR_RETURN(const std::vector<net::StudyRecord> studies,
                             net::findStudies(a, query, cliProgress()));
    if (args.flag("--json")) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& s : studies)
            list.push_back({{"study_uid", displaySafe(s.studyInstanceUid)},
                            {"patient_id", displaySafe(s.patientId)},
                            {"patient_name", displaySafe(s.patientName)},
                            {"birth_date", displaySafe(s.patientBirthDate)},
                            {"study_date", displaySafe(s.studyDate)},
                            {"study_time", displaySafe(s.studyTime)},
                            {"accession", displaySafe(s.accessionNumber)},
                            {"description", displaySafe(s.studyDescription)},
                            {"modalities", displaySafe(s.modalitiesInStudy)},
                            {"series", countJson(s.numberOfSeries)},
                            {"instances", countJson(s.numberOfInstances)}});
        printJson({{"studies", list}, {"count", studies.size()}, {"ms", msSince(start)}});
        return 0;
    }
    for (const auto& s : studies) {
        std::cout << displaySafe(s.studyDate.empty() ? "-" : s.studyDate) << "  "
                  << displaySafe(s.patientId.empty() ? "-" : s.patientId) << "  "
                  << displaySafe(s.patientName.empty() ? "-" : s.patientName) << "  "
                  << displaySafe(s.accessionNumber.empty() ? "-" : s.accessionNumber) << "  "
                  << displaySafe(s.modalitiesInStudy.empty() ? "-" : s.modalitiesInStudy) << "  "
                  << (s.numberOfSeries ? std::to_string(*s.numberOfSeries) : "?") << " series, "
                  << (s.numberOfInstances ? std::to_string(*s.numberOfInstances) : "?") << " instances  "
                  << displaySafe(s.studyInstanceUid) << "\n";
    }
    std::cout << studies.size() << (studies.size() == 1 ? " study" : " studies") << " found at "
              << peerText(a) << "\n";
    return 0;
}

Result<int> runGet(const ParsedArgs& args)
{
    const auto start = Clock::now();
    MEDVEIL_ASSIGN_OR_RETURN(const net::Association a, associationOptions(args));
    net::RetrieveRequest request;
    request.studyInstanceUid = *args.value("--study-uid");
    request.seriesInstanceUid = args.value("--series-uid").value_or("");
    request.outputFolder = *args.value("--out-dir");
    if (auto port = args.value("--move-port")) {
        MEDVEIL_ASSIGN_OR_RETURN(const int p, parseWhole("--move-port", *port, 1, 65535));
        request.movePort = uint16_t(p);
    }
    if (auto ae = args.value("--move-ae")) {
        if (!request.movePort)
            return makeError(ErrorKind::Usage, "--move-ae goes with --move-port");
        request.moveDestinationAe = *ae;
    }
    catchInterrupts();
    JobControl control = cliProgress();
    control.cancel = g_networkCancel;
    MEDVEIL_ASSIGN_OR_RETURN(const net::RetrieveResult result, net::retrieve(a, request, control));
    if (args.flag("--json")) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& i : result.instances)
            list.push_back({{"path", displaySafe(i.path.string())},
                            {"sop_instance_uid", i.sopInstanceUid},
                            {"sop_class_uid", i.sopClassUid},
                            {"transfer_syntax", i.transferSyntaxUid}});
        printJson({{"instances", list},
                   {"count", result.instances.size()},
                   {"method", request.movePort ? "C-MOVE" : "C-GET"},
                   {"failed_suboperations", result.failedSubOperations},
                   {"warning_suboperations", result.warningSubOperations},
                   {"ms", msSince(start)}});
    } else {
        std::cout << (request.movePort ? "C-MOVE" : "C-GET") << " from " << peerText(a) << ": "
                  << result.instances.size() << " instances written to "
                  << displaySafe(request.outputFolder.string()) << "\n";
    }
    return 0;
}

Result<int> runSend(const ParsedArgs& args)
{
    const auto start = Clock::now();
    MEDVEIL_ASSIGN_OR_RETURN(const net::Association a, associationOptions(args));
    std::vector<std::filesystem::path> inputs(args.positional().begin(), args.positional().end());
    MEDVEIL_ASSIGN_OR_RETURN(const std::vector<std::filesystem::path> files, net::collectDicomFiles(inputs));
    if (files.empty())
        return makeError(ErrorKind::BadInput, "no DICOM file to send");
    catchInterrupts();
    JobControl control = cliProgress();
    control.cancel = g_networkCancel;
    MEDVEIL_ASSIGN_OR_RETURN(const net::SendResult result, net::send(a, files, control));
    const size_t failed = result.instances.size() - result.succeeded;
    if (args.flag("--json")) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& i : result.instances)
            list.push_back({{"path", displaySafe(i.path.string())},
                            {"sop_instance_uid", displaySafe(i.sopInstanceUid)},
                            {"transfer_syntax", i.transferSyntaxUid},
                            {"status", i.status},
                            {"ok", i.ok},
                            {"message", displaySafe(i.message)}});
        printJson({{"instances", list},
                   {"sent", result.succeeded},
                   {"failed", failed},
                   {"interrupted", result.cancelled},
                   {"ms", msSince(start)}});
    } else {
        for (const auto& i : result.instances)
            std::cout << displaySafe(i.path.string()) << ": " << (i.ok ? "stored" : "FAILED") << " ("
                      << displaySafe(i.message) << ")\n";
        std::cout << result.succeeded << " of " << result.instances.size() << " instances stored at "
                  << peerText(a) << (result.cancelled ? " (interrupted)" : "") << "\n";
    }
    if (result.cancelled)
        return 130;
    return failed == 0 ? 0 : int(ErrorKind::BadInput);
}

} // namespace

std::vector<Command> dicomNetworkCommands()
{
    const Command echo{.name = "echo",
                       .usage = std::string("dicom echo ") + kAssociationUsage + " [--json]",
                       .summary = "C-ECHO: check that a DICOM peer (a PACS) answers.",
                       .details = kAssociationHelp,
                       .spec = withAssociation({.flags = {"--json"}}),
                       .run = runEcho};
    const Command find{
        .name = "find",
        .usage = std::string("dicom find ") + kAssociationUsage +
                 " [--patient-id ID] [--patient-name NAME] [--date YYYYMMDD[-YYYYMMDD]] [--accession N]"
                 " [--study-uid UID] [--json]\n       medveil-cli dicom find " +
                 kAssociationUsage + " --series-of STUDY_UID [--json]",
        .summary = "C-FIND (Study Root): the studies matching the filters, or the series of one study.",
        .details =
            std::string(R"txt(Empty filters match everything; --patient-name takes DICOM wildcards (* and ?);
--date is one day, a range FROM-TO, or open FROM- / -TO. Prints one line per study (date,
patient ID, name, accession, modalities, series and instance counts when the peer gives them,
study UID); --json prints {"studies": [...], "count": N, "ms": T}. --series-of STUDY_UID lists
that study's series instead (series level: number, modality, description, instance count, series
UID); --json prints {"series": [...], "count": N, "ms": T}.

)txt") + kAssociationHelp,
        .spec = withAssociation({.valueOptions = {"--patient-id", "--patient-name", "--date", "--accession",
                                                  "--study-uid", "--series-of"},
                                 .flags = {"--json"}}),
        .run = runFind};
    const Command get{
        .name = "get",
        .usage =
            std::string("dicom get ") + kAssociationUsage +
            " --study-uid UID [--series-uid UID] --out-dir DIR [--move-port PORT [--move-ae AE]] [--json]",
        .summary = "Retrieve a study or a series (C-GET, or C-MOVE to a listener of ours) into a folder.",
        .details =
            std::string(R"txt(Each instance is written atomically as DIR/SOPINSTANCEUID.dcm, in the transfer
syntax it arrived in (a file of that name is replaced by the complete new one); DIR is created
when missing. --move-port PORT uses C-MOVE instead: MedVeil listens on PORT for the length of
the retrieve, as --calling-ae (or --move-ae), which the peer must know as a move destination.
Ctrl+C stops after the instance in hand (exit 130). Exit 2 when the peer reports failures or
sends nothing.

)txt") + kAssociationHelp,
        .spec = withAssociation(
            {.valueOptions = {"--study-uid", "--series-uid", "--out-dir", "--move-port", "--move-ae"},
             .flags = {"--json"},
             .requiredOptions = {"--study-uid", "--out-dir"}}),
        .run = runGet};
    const Command send{
        .name = "send",
        .usage = std::string("dicom send ") + kAssociationUsage + " FILE|DIR... [--json]",
        .summary = "C-STORE files and folders (recursively) to a peer, with each instance's status.",
        .details =
            std::string(
                R"txt(Folders are searched recursively for DICOM Part 10 files (name order). Each file goes
out in its own transfer syntax when the peer accepts it, else in an accepted one of
--transfer-syntax (explicit or implicit VR little endian by default). Prints a line per file;
--json gives "instances" [{path, sop_instance_uid, transfer_syntax, status, ok, message}],
"sent", "failed". Exit 2 when any instance was not stored; Ctrl+C stops after the instance in
hand (exit 130).

)txt") + kAssociationHelp,
        .spec = withAssociation({.flags = {"--json"}, .minPositional = 1, .maxPositional = size_t(-1)}),
        .run = runSend};
    return {echo, find, get, send};
}

} // namespace medveil::cli
