// SPDX-License-Identifier: GPL-3.0-or-later
// `medveil-cli dicom serve`: the protecting DICOM node. Arguments and printing only: the node is
// engine/net/DicomNode, the actions engine/workflow/NodeActions.
#include "cli/CliSupport.h"
#include "core/DisplayText.h"
#include "emr/HiNet.h"
#include "net/DicomNode.h"
#include "workflow/NodeActions.h"

#include <ctime>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace medveil::cli {

namespace {

/// A whole number in [low, high] for `option`; Usage otherwise.
Result<long> wholeNumber(const ParsedArgs& args, const std::string& option, long fallback, long low,
                         long high)
{
    const auto text = args.value(option);
    if (!text)
        return fallback;
    long value = 0;
    size_t used = 0;
    try {
        value = std::stol(*text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != text->size() || value < low || value > high)
        return makeError(ErrorKind::Usage, option + " must be a whole number from " + std::to_string(low) +
                                               " to " + std::to_string(high) + ", got '" + *text + "'");
    return value;
}

/// ISO 8601 UTC with milliseconds.
std::string isoTime(std::chrono::system_clock::time_point time)
{
    const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count() % 1000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    std::ostringstream text;
    text << std::put_time(&utc, "%Y-%m-%dT%H:%M:%S") << '.' << std::setw(3) << std::setfill('0') << ms << 'Z';
    return text.str();
}

const char* forwardName(net::NodeEvent::Forward forward)
{
    switch (forward) {
    case net::NodeEvent::Forward::Sent:
        return "sent";
    case net::NodeEvent::Forward::Queued:
        return "queued";
    case net::NodeEvent::Forward::Failed:
        return "failed";
    case net::NodeEvent::Forward::None:
        break;
    }
    return "none";
}

std::string hexStatus(uint16_t status)
{
    std::ostringstream text;
    text << std::uppercase << std::hex << std::setw(4) << std::setfill('0') << status;
    return text.str();
}

/// The JSON-lines log record of one event (docs/CLI.md, "dicom serve").
nlohmann::json eventJson(const net::NodeEvent& event, const char* action)
{
    nlohmann::json line = {{"time", isoTime(event.time)}};
    if (event.kind == net::NodeEvent::Kind::Delivery) {
        line.update({{"event", "forward"},
                     {"entry", displaySafe(event.output.string())},
                     {"result", event.result ? "sent" : "failed"},
                     {"attempt", event.attempts}});
        if (!event.result)
            line["error"] = displaySafe(event.result.error().message);
        return line;
    }
    line.update({{"event", "instance"},
                 {"sop_instance_uid", displaySafe(event.sopInstanceUid)},
                 {"calling_ae", displaySafe(event.callingAe)},
                 {"action", action},
                 {"result", event.result ? "ok" : "failed"},
                 {"status", hexStatus(event.dimseStatus)},
                 {"output", event.output.empty() ? nlohmann::json(nullptr)
                                                 : nlohmann::json(displaySafe(event.output.string()))},
                 {"forward", forwardName(event.forward)},
                 {"ms", event.ms}});
    if (!event.result) {
        line["exit_code"] = event.result.error().exitCode();
        line["error"] = displaySafe(event.result.error().message);
    }
    if (!event.forwardDetail.empty())
        line["forward_detail"] = displaySafe(event.forwardDetail);
    return line;
}

/// The action's keys and options from the command line.
Result<workflow::NodeActionSettings> actionSettings(const ParsedArgs& args)
{
    workflow::NodeActionSettings settings;
    MEDVEIL_ASSIGN_OR_RETURN(settings.kind, workflow::parseNodeActionKind(*args.value("--action")));
    using Kind = workflow::NodeActionKind;
    const Kind kind = settings.kind;
    const bool sealing = kind == Kind::Seal, protecting = kind == Kind::Protect;
    const auto refuse = [&](const std::string& option) -> Status {
        if (args.value(option) || args.flag(option))
            return makeError(ErrorKind::Usage,
                             option + " does not apply to --action " + workflow::nodeActionName(kind));
        return {};
    };
    for (const char* option : {"--region", "--threshold", "--max-passes", "--scramble", "--info"})
        if (!protecting)
            MEDVEIL_TRY(refuse(option));
    for (const char* option : {"--emr-dir", "--model"})
        if (!sealing)
            MEDVEIL_TRY(refuse(option));
    for (const char* option : {"--sign", "--public"})
        if (!protecting && !sealing)
            MEDVEIL_TRY(refuse(option));
    for (const char* option :
         {"--private", "--passphrase-file", "--passphrase-fd", "--verify", "--verify-trusted"})
        if (kind != Kind::Recover)
            MEDVEIL_TRY(refuse(option));
    if (protecting || sealing) {
        if (!args.value("--public"))
            return makeError(ErrorKind::Usage, std::string("--action ") + workflow::nodeActionName(kind) +
                                                   " needs --public RECIPIENT_PUB.pem");
        MEDVEIL_ASSIGN_OR_RETURN(settings.key, loadPublicKey(*args.value("--public")));
        MEDVEIL_ASSIGN_OR_RETURN(settings.signer, loadSigningKey(args));
    }
    if (protecting) {
        MEDVEIL_ASSIGN_OR_RETURN(settings.protect, protectOptions(args));
    }
    if (sealing) {
        if (const auto folder = args.value("--emr-dir")) {
            std::error_code ec;
            if (!std::filesystem::is_directory(*folder, ec))
                return makeError(ErrorKind::BadInput, "--emr-dir: '" + *folder + "' is not a folder");
            settings.emrFolder = *folder;
        }
        MEDVEIL_ASSIGN_OR_RETURN(settings.network, HiNetModel::shared(args.value("--model").value_or("")));
    }
    if (kind == Kind::Recover) {
        if (!args.value("--private"))
            return makeError(ErrorKind::Usage, "--action recover needs --private PRIV.pem");
        MEDVEIL_ASSIGN_OR_RETURN(settings.key, loadPrivateKey(args));
        MEDVEIL_ASSIGN_OR_RETURN(const SenderCheck sender, loadSenderCheck(args));
        settings.requiredSigner = sender.requirement;
    }
    return settings;
}

Result<int> runDicomServe(const ParsedArgs& args)
{
    // Before any thread starts (the network's, the node's): SIGINT/SIGTERM/SIGHUP then reach the wait
    // below instead of ending the process.
    net::TerminationSignals signals;
    net::NodeSettings settings;
    MEDVEIL_ASSIGN_OR_RETURN(const long port, wholeNumber(args, "--port", 104, 0, 65535));
    settings.port = static_cast<uint16_t>(port);
    settings.aeTitle = *args.value("--aet");
    settings.outDir = *args.value("--out");
    settings.bindAddress = args.value("--bind").value_or("0.0.0.0");
    MEDVEIL_ASSIGN_OR_RETURN(const long associations, wholeNumber(args, "--max-associations", 16, 1, 256));
    settings.maxAssociations = static_cast<int>(associations);
    MEDVEIL_ASSIGN_OR_RETURN(const long workers, wholeNumber(args, "--workers", 0, 0, 1024));
    settings.workers = static_cast<int>(workers);
    MEDVEIL_ASSIGN_OR_RETURN(const long retryMax, wholeNumber(args, "--retry-max", 30, 1, 3600));
    settings.retry.longest = std::chrono::seconds(retryMax);
    if (const auto forward = args.value("--forward")) {
        MEDVEIL_ASSIGN_OR_RETURN(settings.forward, net::parseForwardDestination(*forward));
    } else if (args.value("--queue")) {
        return makeError(ErrorKind::Usage, "--queue needs --forward");
    }
    settings.queueDir = args.value("--queue").value_or("");
    MEDVEIL_ASSIGN_OR_RETURN(workflow::NodeActionSettings actionSetup, actionSettings(args));
    MEDVEIL_ASSIGN_OR_RETURN(const workflow::NodeAction action,
                             workflow::NodeAction::create(std::move(actionSetup)));

    // One JSON line per event, to --log (appended) or stdout; written whole and flushed.
    std::ofstream logFile;
    if (const auto log = args.value("--log")) {
        logFile.open(*log, std::ios::app);
        if (!logFile)
            return makeError(ErrorKind::BadInput, "cannot open the log '" + *log + "'");
    }
    std::ostream& log = logFile.is_open() ? static_cast<std::ostream&>(logFile) : std::cout;
    const char* actionName = workflow::nodeActionName(action.kind());
    size_t instances = 0, failed = 0;
    const auto listener = [&](const net::NodeEvent& event) { // called under the node's report lock
        if (event.kind == net::NodeEvent::Kind::Instance) {
            ++instances;
            failed += event.result ? 0 : 1;
        }
        log << eventJson(event, actionName).dump() << '\n' << std::flush;
    };
    const auto processor = [&action](const std::filesystem::path& received,
                                     const std::filesystem::path& outDir) -> Result<std::filesystem::path> {
        MEDVEIL_ASSIGN_OR_RETURN(const workflow::NodeActionResult result, action.run(received, outDir));
        return result.output;
    };
    MEDVEIL_ASSIGN_OR_RETURN(std::unique_ptr<net::DicomNode> node,
                             net::DicomNode::start(settings, processor, listener));
    std::cerr << "medveil-cli dicom serve: listening on " << settings.bindAddress << ":" << node->port()
              << " as " << displaySafe(settings.aeTitle) << ", action " << actionName;
    if (settings.forward)
        std::cerr << ", forwarding to " << displaySafe(*args.value("--forward")) << " (" << node->queued()
                  << " queued)";
    std::cerr << std::endl;
    int signal = 0;
    while (signal == 0)
        signal = signals.wait(std::chrono::milliseconds(500));
    // Stop accepting; every association ends after the instance in hand.
    node->requestStop();
    node->wait();
    std::cerr << "medveil-cli dicom serve: stopped by signal " << signal << " after " << instances
              << " instances (" << failed << " failed), " << node->queued() << " waiting in the forward queue"
              << std::endl;
    return 0;
}

const char* const kServeUsage =
    "dicom serve --port P --aet AE --out DIR --action protect|seal|recover|store [--bind ADDRESS]"
    " [--public RECIPIENT_PUB.pem] [protect's --region/--threshold/--max-passes/--scramble/--info]"
    " [--emr-dir DIR] [--model HINET.pt] [--sign SENDER_PRIV.pem [--sign-passphrase-file F |"
    " --sign-passphrase-fd N]] [--private PRIV.pem [--passphrase-file F | --passphrase-fd N]"
    " [--verify SENDER_PUB.pem | --verify-trusted]] [--forward HOST:PORT:AE [--queue DIR]"
    " [--retry-max SECONDS]] [--log FILE.jsonl] [--max-associations N] [--workers N]";

const char* const kServeDetails =
    R"txt(A C-STORE SCP (DICOM storage receiver) that runs one action on every instance it receives and
writes the result atomically, owner-only, into DIR: protect (for --public, protect's options), seal
(EMR hidden encryption for --public; the identity moves into the seal as in emr-seal; the record
of study S is --emr-dir/S.txt, the empty record when there is none), recover (--private) or store
(the file as received). Outputs are DIR/SOP_INSTANCE_UID.dcm (seal: DIR/sealed-RANDOM.dcm). The
C-STORE is answered after the action: success, or a failure status (C000 for an instance the action
refuses, A700 otherwise) with the reason in Error Comment; a failed action writes nothing.
--forward HOST:PORT:AE sends each result by C-STORE; it is first copied into a persistent queue
(--queue, default DIR/.medveil-forward-queue), so a destination that is down or a restart loses
nothing: retries back off from 0.5 s to --retry-max seconds (default 30), and a node started on a
non-empty queue delivers it. One JSON line per received instance (and per queued delivery) to
--log FILE (appended) or stdout. Associations calling another AE title than --aet are rejected;
--max-associations (default 16) at once, actions on --workers threads at once (default: every
core). --bind (default 0.0.0.0, every interface; 127.0.0.1 for this machine only); --port 0
takes a free port (printed). SIGTERM/SIGINT: stop accepting, finish the instance in hand, exit 0.)txt";

CommandSpec serveSpec()
{
    return {.valueOptions = {"--port",
                             "--aet",
                             "--out",
                             "--action",
                             "--bind",
                             "--public",
                             "--region",
                             "--threshold",
                             "--max-passes",
                             "--scramble",
                             "--info",
                             "--emr-dir",
                             "--model",
                             "--sign",
                             "--sign-passphrase-file",
                             "--sign-passphrase-fd",
                             "--private",
                             "--passphrase-file",
                             "--passphrase-fd",
                             "--verify",
                             "--forward",
                             "--queue",
                             "--retry-max",
                             "--log",
                             "--max-associations",
                             "--workers"},
            .repeatableOptions = {"--info", "--region"},
            .flags = {"--verify-trusted"},
            .requiredOptions = {"--port", "--aet", "--out", "--action"},
            .minPositional = 0,
            .maxPositional = 0,
            .outputOptions = {"--out", "--queue", "--log"}};
}

} // namespace

Command dicomServeCommand()
{
    return Command{.name = "serve",
                   .usage = kServeUsage,
                   .summary = "A protecting DICOM node: receive by C-STORE, protect/seal/recover/store, "
                              "forward through a persistent queue.",
                   .details = kServeDetails,
                   .spec = serveSpec(),
                   .run = runDicomServe};
}

} // namespace medveil::cli
